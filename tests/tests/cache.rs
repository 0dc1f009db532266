//! The cache of linted files never serves a stale result: every run with a
//! cache reports exactly what a run without one reports, after content,
//! configuration, memlint and cross-file type changes, damaged entries and
//! concurrent runs; and unchanged files are not linted again.

use std::path::{Path, PathBuf};
use std::process::Command;

use memlint_tests::{Run, ScratchDir, findings, memlint_bin, memlint_in};

/// A crate in a fresh temporary directory, written from `(path, text)` pairs.
fn crate_with(test: &str, files: &[(&str, &str)]) -> ScratchDir {
    let dir = memlint_tests::scratch_dir(&format!("cache-{test}"));
    write(&dir, "Cargo.toml", "[package]\nname = \"cached\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n");
    for (path, text) in files {
        write(&dir, path, text);
    }
    dir
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the directory");
    std::fs::write(path, text).expect("write the file");
}

const LIB: &str = "mod a;\nmod b;\n";
const A: &str = "use crate::b::Item;\n\npub fn keep(items: Vec<Box<Item>>) -> usize {\n    items.len()\n}\n\npub fn fill(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n";
const B: &str = "pub struct Item {\n    pub id: u32,\n}\n";

/// What a run reports, and how many files it took from the cache / linted.
struct Report {
    findings: Vec<(String, u64, String)>,
    hits: u64,
    linted: u64,
}

fn lint(dir: &Path, extra: &[&str]) -> Report {
    let mut args = vec!["--output-format", "json", "--timings", "--quiet"];
    args.extend_from_slice(extra);
    report(&memlint_in(dir, &args))
}

fn report(run: &Run) -> Report {
    assert!(run.code == 0 || run.code == 1, "memlint failed ({}):\n{}", run.code, run.stderr);
    let json = run.json();
    let cache = &json["timings"]["cache"];
    Report {
        findings: findings(&json),
        hits: cache["hits"].as_u64().unwrap_or(0),
        linted: cache["misses"].as_u64().unwrap_or(0),
    }
}

/// Lints with the cache and checks the result against a run without it.
fn lint_checked(dir: &Path, extra: &[&str]) -> Report {
    let cached = lint(dir, extra);
    let mut uncached_args = vec!["--no-cache"];
    uncached_args.extend_from_slice(extra);
    let uncached = lint(dir, &uncached_args);
    assert_eq!(cached.findings, uncached.findings, "the cache changed what was reported");
    assert_eq!((uncached.hits, uncached.linted), (0, 0), "--no-cache uses no cache");
    cached
}

fn rules(report: &Report) -> Vec<&str> {
    report.findings.iter().map(|(_, _, rule)| rule.as_str()).collect()
}

#[test]
fn unchanged_files_come_from_the_cache_in_the_target_directory() {
    let dir = crate_with("warm", &[("src/lib.rs", LIB), ("src/a.rs", A), ("src/b.rs", B)]);
    let cold = lint_checked(&dir, &[]);
    assert_eq!((cold.hits, cold.linted), (0, 3));
    assert_eq!(rules(&cold), ["vec_box", "vec_push_without_capacity"]);
    assert!(dir.join("target/memlint/cache/v1").is_dir(), "the cache lives under the target directory");
    let warm = lint_checked(&dir, &[]);
    assert_eq!((warm.hits, warm.linted), (3, 0));
    assert_eq!(warm.findings, cold.findings);
}

#[test]
fn an_edited_file_is_linted_again_and_only_it() {
    let dir = crate_with("edit", &[("src/lib.rs", LIB), ("src/a.rs", A), ("src/b.rs", B)]);
    lint_checked(&dir, &[]);
    write(&dir, "src/a.rs", &A.replace("let mut v = Vec::new();", "let mut v = Vec::with_capacity(n);"));
    let edited = lint_checked(&dir, &[]);
    assert_eq!((edited.hits, edited.linted), (2, 1));
    assert_eq!(rules(&edited), ["vec_box"]);
    // Back to the first text: its entry was replaced, so it is linted again.
    write(&dir, "src/a.rs", A);
    let restored = lint_checked(&dir, &[]);
    assert_eq!(rules(&restored), ["vec_box", "vec_push_without_capacity"]);
}

#[test]
fn a_type_changed_in_another_file_reaches_the_cached_file() {
    let dir = crate_with("types", &[("src/lib.rs", LIB), ("src/a.rs", A), ("src/b.rs", B)]);
    assert_eq!(rules(&lint_checked(&dir, &[])), ["vec_box", "vec_push_without_capacity"]);
    // A large `Item` is boxed on purpose: `vec_box` in a.rs no longer holds,
    // though a.rs itself did not change.
    write(&dir, "src/b.rs", &B.replace("pub id: u32,", "pub id: [u8; 8192],"));
    let grown = lint_checked(&dir, &[]);
    assert_eq!((grown.hits, grown.linted), (2, 1), "only b.rs is linted again");
    assert_eq!(rules(&grown), ["vec_push_without_capacity"]);
    // A padded field order defined in b.rs is reported in b.rs.
    write(&dir, "src/b.rs", "#[repr(C)]\npub struct Item {\n    pub a: u8,\n    pub b: u64,\n    pub c: u8,\n}\n");
    let padded = lint_checked(&dir, &["-W", "padded_struct"]);
    assert_eq!(rules(&padded), ["vec_box", "vec_push_without_capacity", "padded_struct"]);
}

#[test]
fn configuration_changes_are_not_served_from_the_cache() {
    let dir = crate_with("config", &[("src/lib.rs", LIB), ("src/a.rs", A), ("src/b.rs", B)]);
    lint_checked(&dir, &[]);
    write(&dir, "memlint.toml", "[rules]\nvec_box = \"allow\"\n");
    let configured = lint_checked(&dir, &[]);
    assert_eq!(rules(&configured), ["vec_push_without_capacity"]);
    assert_eq!(configured.linted, 3, "another configuration, other entries");
    let flagged = lint_checked(&dir, &["-A", "vec_push_without_capacity", "-W", "vec_box"]);
    assert_eq!(rules(&flagged), ["vec_box"]);
    // A per-path override changes one file's configuration.
    write(
        &dir,
        "memlint.toml",
        "[rules]\nvec_box = \"allow\"\n\n[[overrides]]\nfiles = [\"src/a.rs\"]\nrules = { vec_box = \"deny\" }\n",
    );
    let overridden = lint_checked(&dir, &[]);
    assert_eq!(rules(&overridden), ["vec_box", "vec_push_without_capacity"]);
    std::fs::remove_file(dir.join("memlint.toml")).expect("remove the config");
    let back = lint_checked(&dir, &[]);
    assert_eq!((back.hits, back.linted), (3, 0), "the first configuration's entries are still there");
}

#[test]
fn another_build_of_memlint_never_reads_this_builds_entries() {
    let dir = crate_with("build", &[("src/lib.rs", LIB), ("src/a.rs", A), ("src/b.rs", B)]);
    lint_checked(&dir, &[]);
    // A copy of the binary is another build to the cache (another
    // executable modification time), as a rebuilt or upgraded memlint is.
    let other = dir.join("other-memlint");
    std::fs::copy(memlint_bin(), &other).expect("copy the binary");
    let rebuilt = report(&run_copy(&other, &dir));
    assert_eq!((rebuilt.hits, rebuilt.linted), (0, 3));
    let builds = std::fs::read_dir(dir.join("target/memlint/cache/v1")).expect("cache").count();
    assert_eq!(builds, 1, "the other build's entries are pruned");
}

#[test]
fn damaged_entries_are_ignored_and_rewritten() {
    let dir = crate_with("damaged", &[("src/lib.rs", LIB), ("src/a.rs", A), ("src/b.rs", B)]);
    let first = lint_checked(&dir, &[]);
    let entries: Vec<PathBuf> = walkdir(&dir.join("target/memlint/cache"));
    assert_eq!(entries.len(), 3);
    for (i, entry) in entries.iter().enumerate() {
        let mut bytes = std::fs::read(entry).expect("an entry");
        match i % 3 {
            0 => bytes.truncate(bytes.len() / 2),
            1 => bytes.iter_mut().rev().take(8).for_each(|b| *b = b'x'),
            _ => bytes = b"memlint-cache 1 0 0 0 0\n".to_vec(),
        }
        std::fs::write(entry, bytes).expect("damage the entry");
    }
    let relinted = lint_checked(&dir, &[]);
    assert_eq!((relinted.hits, relinted.linted), (0, 3));
    assert_eq!(relinted.findings, first.findings);
    let rewritten = lint_checked(&dir, &[]);
    assert_eq!((rewritten.hits, rewritten.linted), (3, 0));
}

#[test]
fn concurrent_runs_share_the_cache_safely() {
    let mut files: Vec<(String, String)> = vec![("src/lib.rs".into(), String::new())];
    let mut lib = String::new();
    for i in 0..40 {
        lib.push_str(&format!("mod m{i};\n"));
        files.push((
            format!("src/m{i}.rs"),
            A.replace("use crate::b::Item;", "pub struct Item(u32);").replace("fill", &format!("fill{i}")),
        ));
    }
    files[0].1 = lib;
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = crate_with("concurrent", &borrowed);
    let expected = lint(&dir, &["--no-cache"]).findings;
    assert_eq!(expected.len(), 80);
    for round in 0..3 {
        let children: Vec<std::process::Child> = (0..4)
            .map(|_| {
                Command::new(memlint_bin())
                    .args(["memlint", "--output-format", "json", "--quiet"])
                    .current_dir(&dir)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("start memlint")
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().expect("memlint finishes");
            let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
            assert_eq!(findings(&json), expected, "round {round}: {}", String::from_utf8_lossy(&output.stderr));
        }
    }
    let leftovers: Vec<PathBuf> = walkdir(&dir.join("target/memlint/cache"))
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".tmp")))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn no_cache_and_cache_dir() {
    let dir = crate_with("flags", &[("src/lib.rs", LIB), ("src/a.rs", A), ("src/b.rs", B)]);
    lint(&dir, &["--no-cache"]);
    assert!(!dir.join("target/memlint").exists(), "--no-cache writes nothing");
    let elsewhere = dir.join("elsewhere");
    let elsewhere_arg = elsewhere.to_string_lossy().into_owned();
    lint(&dir, &["--cache-dir", &elsewhere_arg]);
    assert!(elsewhere.join("v1").is_dir());
    assert!(!dir.join("target/memlint").exists());
    let warm = lint(&dir, &["--cache-dir", &elsewhere_arg]);
    assert_eq!((warm.hits, warm.linted), (3, 0));
    // Files outside any cargo project get no cache unless asked.
    let loose = memlint_tests::scratch_dir("cache-loose");
    write(&loose, "a.rs", A);
    let outside = lint(&loose, &["a.rs"]);
    assert_eq!((outside.hits, outside.linted), (0, 0));
    assert_eq!(std::fs::read_dir(&loose).expect("dir").count(), 1, "nothing written beside the file");
}

/// Runs the copied binary; a test process that forked while the copy was
/// open for writing keeps it "busy" for a moment (ETXTBSY): retry.
fn run_copy(binary: &Path, dir: &Path) -> Run {
    for _ in 0..50 {
        let mut command = Command::new(binary);
        command.args(["memlint", "--output-format", "json", "--timings", "--quiet"]).current_dir(dir);
        match command.output() {
            Ok(output) => {
                return Run {
                    code: output.status.code().unwrap_or(-1),
                    stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                    stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
                };
            }
            Err(e) if e.raw_os_error() == Some(26) => std::thread::sleep(std::time::Duration::from_millis(100)),
            Err(e) => panic!("cannot run the copied memlint: {e}"),
        }
    }
    panic!("the copied memlint stayed busy");
}

/// Every file under `dir`.
fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(entry.path());
            } else {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    out
}
