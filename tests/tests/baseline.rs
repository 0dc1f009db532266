//! Adopting memlint with a baseline: record today's findings, then fail
//! only on new ones; entries for fixed findings are reported as stale.

use memlint_tests::{fixture_copy, memlint};

#[test]
fn baseline_hides_recorded_findings_reports_new_ones_and_stale_entries() {
    let dir = fixture_copy("workspace", "baseline");
    let manifest = dir.join("Cargo.toml").display().to_string();
    let baseline = dir.join("memlint-baseline.json").display().to_string();

    let run = memlint(&["--manifest-path", &manifest, "--write-baseline", &baseline]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, format!("memlint: recorded 6 findings in 4 files to `{baseline}`\n"));
    let recorded: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(recorded["version"], 1);
    assert_eq!(recorded["files"]["alpha/src/lib.rs"]["vec_push_without_capacity"].as_array().map(Vec::len), Some(1));

    // Nothing new: clean, and the summary says what the baseline hid.
    let run = memlint(&["--manifest-path", &manifest, "--baseline", &baseline]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("no findings") && run.stdout.contains("; 6 findings hidden by the baseline"),
        "{}",
        run.stdout
    );

    // Lines move (a comment on top) and a new finding appears in beta: only it is reported.
    let beta = dir.join("beta/src/lib.rs");
    let text = std::fs::read_to_string(&beta).unwrap();
    let new_fn = "\npub fn evens(n: u32) -> Vec<u32> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i * 2);\n    }\n    v\n}\n";
    std::fs::write(&beta, format!("// moved down\n{text}{new_fn}")).unwrap();
    let run = memlint(&["--manifest-path", &manifest, "--baseline", &baseline, "--output-format", "short"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(lines[0].starts_with("beta/src/lib.rs:") && lines[0].contains("`v` starts empty"), "{}", lines[0]);

    // A fixed finding leaves a stale entry, reported with the command to prune it.
    let alpha = dir.join("alpha/examples/ex.rs");
    std::fs::write(&alpha, "pub fn nothing() {}\n").unwrap();
    let run = memlint(&["--manifest-path", &manifest, "--baseline", &baseline, "-q"]);
    assert!(
        run.stderr.contains("1 baseline entries are stale")
            && run.stderr.contains("alpha/examples/ex.rs: string_concat_in_loop 1 -> 0")
            && run.stderr.contains("--write-baseline"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_broken_baseline_is_a_clear_error() {
    let dir = fixture_copy("workspace", "bad-baseline");
    let manifest = dir.join("Cargo.toml").display().to_string();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let run = memlint(&["--manifest-path", &manifest, "--baseline", &bad.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with(&format!("error: cannot read the baseline `{}`: not a memlint baseline:", bad.display())),
        "{}",
        run.stderr
    );
    let missing = dir.join("missing.json").display().to_string();
    assert_eq!(memlint(&["--manifest-path", &manifest, "--baseline", &missing]).code, 2);
}
