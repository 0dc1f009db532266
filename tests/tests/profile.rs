//! `cargo memlint profile`, `--profile-file` and `diff` end to end, on the
//! `profiled` fixture whose allocations are known exactly (see the comments
//! in its sources): each backend builds and runs it for real.

use std::path::{Path, PathBuf};
use std::process::Command;

use memlint_tests::{Run, ScratchDir, copy_into, fixture, memlint_bin, repo_root, run, target_dir};
use serde_json::Value;

/// Fails the test, saying what to do, when valgrind can't run here. The
/// tests that need valgrind are built as ignored, with the reason, when
/// `MEMLINT_SKIP_VALGRIND` is set (see `build.rs`): the summary counts them.
fn require_valgrind(test: &str) {
    let available = Command::new("valgrind").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(
        available,
        "{test} needs valgrind on PATH (apt install valgrind); MEMLINT_SKIP_VALGRIND=1 cargo test skips the tests that need it (they show as ignored)"
    );
}

/// Runs `cargo memlint ARGS` in `dir`.
///
/// Each test has a cargo target directory of its own, `name`: memlint keeps
/// the profiles and valgrind's log of a workload there
/// (`memlint/profile/bin-profiled`), and empties that directory when a
/// workload starts, so tests profiling the same target at once must not
/// share it. Their builds all go to one build directory, the workspace's
/// target directory (`CARGO_BUILD_BUILD_DIR`): the fixture's dependencies
/// are built once, a build another test made is reused, and a test's
/// target directory only receives links to the executables.
fn memlint_at(dir: &Path, name: &str, args: &[&str]) -> Run {
    memlint_at_with(dir, name, args, &[])
}

/// [`memlint_at`] with more environment variables.
fn memlint_at_with(dir: &Path, name: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    // Profile runs build fixtures in one shared build directory; two at a
    // time were seen to profile a binary that confirmed nothing (a race on
    // that directory, seen on main before this lock too), so they take turns.
    static PROFILE_RUNS: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = (args.first() == Some(&"profile"))
        .then(|| PROFILE_RUNS.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    let mut command = Command::new(memlint_bin());
    command
        .arg("memlint")
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir().join("profile-tests").join(name))
        .env("CARGO_BUILD_BUILD_DIR", target_dir())
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("RUST_BACKTRACE")
        .env_remove("MEMLINT_REPORT")
        .env("NO_COLOR", "1");
    command.envs(env.iter().copied());
    run(command)
}

fn profiled() -> PathBuf {
    fixture("profiled")
}

/// A copy of the fixture to change, its path dependency on memlint made
/// absolute. It is made at the same path on every run (under the target
/// directory, removed when the test ends): cargo tells packages apart by
/// their path, so a copy at a new path would add a build of the fixture to
/// the shared build directory on every run.
fn profiled_copy(test: &str) -> ScratchDir {
    let dir = ScratchDir::at(target_dir().join("profile-tests").join(format!("copy-{test}")));
    copy_into(&fixture("profiled"), &dir);
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("the copy has a manifest");
    let memlint = repo_root().join("memlint").display().to_string();
    std::fs::write(&manifest, text.replace("../../../memlint", &memlint)).expect("the manifest is written");
    dir
}

/// The finding of `rule` in a JSON report.
fn finding<'a>(report: &'a Value, rule: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .expect("a findings array")
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding"))
}

/// (status, blocks, bytes, reason, match) of a finding's runtime evidence.
fn runtime(report: &Value, rule: &str) -> (String, u64, u64, String, String) {
    let r = &finding(report, rule)["runtime"];
    let text = |key: &str| r[key].as_str().unwrap_or("").to_string();
    (text("status"), r["blocks"].as_u64().unwrap_or(0), r["bytes"].as_u64().unwrap_or(0), text("reason"), text("match"))
}

fn confirmed(blocks: u64, bytes: u64, reason: &str, how: &str) -> (String, u64, u64, String, String) {
    ("confirmed".into(), blocks, bytes, reason.into(), how.into())
}

fn not_exercised() -> (String, u64, u64, String, String) {
    ("not_exercised".into(), 0, 0, String::new(), String::new())
}

/// What every backend must find in the fixture's default run.
fn check_default_run(report: &Value, backend: &str) {
    assert_eq!(runtime(report, "vec_push_without_capacity"), confirmed(9, 16_352, "vec growth", "exact"), "{backend}");
    assert_eq!(runtime(report, "format_push_string"), confirmed(100, 800, "format", "exact"), "{backend}");
    assert_eq!(runtime(report, "redundant_clone"), confirmed(20, 100, "clone", "via callee"), "{backend}");
    assert_eq!(runtime(report, "map_insert_without_capacity"), not_exercised(), "{backend}");
    let top = &report["hotspots"][0];
    assert_eq!(
        (
            top["file"].as_str(),
            top["function"].as_str(),
            top["blocks"].as_u64(),
            top["bytes"].as_u64(),
            top["reason"].as_str()
        ),
        (Some("src/main.rs"), Some("scratch_buffers"), Some(50), Some(204_800), Some("other")),
        "{backend}"
    );
}

/// The one run of the fixture's binary, and that it succeeded.
fn check_ran_the_bin(report: &Value) {
    assert_eq!(report["profile"]["runs"][0]["label"], "bin `profiled`");
    assert_eq!(report["profile"]["runs"][0]["failure"], Value::Null);
}

#[test]
#[cfg_attr(memlint_skip_valgrind, ignore = "needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time")]
fn valgrind_confirms_what_the_workload_exercises() {
    require_valgrind("valgrind_confirms_what_the_workload_exercises");
    let out =
        memlint_at(&profiled(), "valgrind", &["profile", "--bin", "profiled", "--release", "--output-format", "json"]);
    assert_eq!(out.code, 1, "confirmed findings fail the run:\n{}", out.stderr);
    let report = out.json();
    check_default_run(&report, "valgrind");
    check_ran_the_bin(&report);
    // `squares` carries #[memtrack]: its report gives the call count.
    assert_eq!(finding(&report, "vec_push_without_capacity")["runtime"]["calls"], 1);
    assert_eq!(report["profile"]["profiles"][0]["producer"], "valgrind");
    // Outside the workspace, by crate: here only std's runtime start-up.
    assert_eq!(report["profile"]["outside_crates"][0]["crate"], "std", "{}", report["profile"]["outside_crates"]);

    // The same run for people: the ranked table with the source line and the stack.
    let out = memlint_at(&profiled(), "valgrind", &["profile", "--bin", "profiled", "--release", "--timings"]);
    // `--timings` covers profile's own phases, not only linting.
    for phase in ["profile: build", "profile: runs", "profile: parse", "profile: join"] {
        assert!(out.stderr.contains(phase), "no {phase:?} in:\n{}", out.stderr);
    }
    assert!(
        out.stdout.contains("memlint profile: 3 of 4 findings confirmed by 1 profile (valgrind)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("        11 |         line.push_str(&format!(\"{i},\"));"), "{}", out.stdout);
    assert!(out.stdout.contains("stack: clone <- clone (src/text.rs:"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("Not exercised by this workload: 1 finding (absence is not proof: only bin `profiled` ran)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("204,800  other (from_elem)"), "{}", out.stdout);
    assert!(out.stdout.contains("bytes/block       at peak  crate that allocated"), "{}", out.stdout);
    assert!(
        out.stdout.contains("9 blocks per call over 1 call of `squares` (#[memtrack]): with capacity this is 1"),
        "{}",
        out.stdout
    );
}

#[test]
fn dhat_rs_confirms_the_same_findings_through_the_dhat_heap_feature() {
    let out = memlint_at(
        &profiled(),
        "dhat-rs",
        &["profile", "--bin", "profiled", "--backend", "dhat-rs", "--output-format", "json"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = out.json();
    check_default_run(&report, "dhat-rs");
    check_ran_the_bin(&report);
    assert_eq!(report["profile"]["profiles"][0]["producer"], "dhat-rs");
    assert!(!profiled().join("dhat-heap.json").exists(), "the profile is moved out of the working directory");
    // The human report says what dhat-rs leaves out. With --plain-run the
    // program also runs from a build without the profiler, first: the
    // profiled build is still the one profiled.
    let out =
        memlint_at(&profiled(), "dhat-rs", &["profile", "--bin", "profiled", "--backend", "dhat-rs", "--plain-run"]);
    assert!(
        out.stdout.contains("note: dhat-rs sees only Rust's global allocator: allocations made by C code"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("memlint profile: 3 of 4 findings confirmed by 1 profile (dhat-rs)"), "{}", out.stdout);
    let ran = out.stdout.lines().find(|l| l.starts_with("Ran bin `profiled` in ")).unwrap_or_default();
    assert!(ran.contains(" under dhat-rs; ") && ran.contains(" without it: ") && ran.ends_with("x slower"), "{ran}");
}

#[test]
#[cfg_attr(memlint_skip_valgrind, ignore = "needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time")]
fn each_test_runs_in_its_own_process() {
    require_valgrind("each_test_runs_in_its_own_process");
    let out = memlint_at(&profiled(), "valgrind-tests", &["profile", "--test", "workload", "--output-format", "json"]);
    let report = out.json();
    let labels: Vec<&str> =
        report["profile"]["runs"].as_array().unwrap().iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["test `index`", "test `numbers`"]);
    assert_eq!(runtime(&report, "format_push_string"), confirmed(10, 80, "format", "exact"));
    assert_eq!(runtime(&report, "map_insert_without_capacity").0, "confirmed");
    assert_eq!(runtime(&report, "vec_push_without_capacity"), not_exercised());
    // The harness's own allocations are not workspace hot spots.
    assert!(report["hotspots"].as_array().unwrap().iter().all(|h| h["function"] != "main"), "{:#}", report["hotspots"]);

    let out = memlint_at(
        &profiled(),
        "valgrind-tests",
        &["profile", "--test", "workload", "inde", "--output-format", "json"],
    );
    let report = out.json();
    assert_eq!(report["profile"]["runs"].as_array().unwrap().len(), 1);
    assert_eq!(runtime(&report, "format_push_string"), not_exercised());
    let out = memlint_at(&profiled(), "valgrind-tests", &["profile", "--test", "workload", "nothing_matches"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("error: no test of `workload` matches `nothing_matches`"), "{}", out.stderr);
}

#[test]
#[cfg_attr(memlint_skip_valgrind, ignore = "needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time")]
fn a_crashing_workload_is_reported_and_its_profile_still_used() {
    require_valgrind("a_crashing_workload_is_reported_and_its_profile_still_used");
    let out = memlint_at(
        &profiled(),
        "valgrind-crash",
        &["profile", "--bin", "profiled", "--release", "--output-format", "json", "--", "panic"],
    );
    assert_eq!(out.code, 2, "a failed workload is an error");
    assert!(
        out.stderr.contains("warning: bin `profiled` failed (exit status: 101); the profile it left is used"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("the workload failed after allocating"), "the stderr tail is shown:\n{}", out.stderr);
    let report = out.json();
    assert_eq!(runtime(&report, "format_push_string"), confirmed(100, 800, "format", "exact"));
    assert_eq!(report["profile"]["runs"][0]["failure"], "exit status: 101");
}

#[test]
#[cfg_attr(memlint_skip_valgrind, ignore = "needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time")]
fn diff_gates_on_growth_but_not_on_moved_lines() {
    require_valgrind("diff_gates_on_growth_but_not_on_moved_lines");
    let dir = profiled_copy("profile-diff");
    let profile = |name: &str, extra: &[&str]| {
        let path = dir.join(name);
        let mut args =
            vec!["profile", "--bin", "profiled", "--release", "--output-format", "json", "-o", path.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = memlint_at(&dir, "valgrind-diff", &args);
        assert!(out.code == 1, "{}", out.stderr);
        path
    };
    let base = profile("base.json", &[]);
    // An argument runs `index`: a new map growth site.
    let grown = profile("grown.json", &["--", "more"]);
    // Lines move, allocations don't.
    let text = dir.join("src/text.rs");
    let source = std::fs::read_to_string(&text).unwrap();
    std::fs::write(&text, format!("// a comment\n// and another\n\n{source}")).unwrap();
    let moved = profile("moved.json", &[]);

    let diff = |new: &Path, extra: &[&str]| {
        let mut args = vec!["diff", base.to_str().unwrap(), new.to_str().unwrap()];
        args.extend_from_slice(extra);
        memlint_at(&dir, "valgrind-diff", &args)
    };
    let out = diff(&moved, &["--max-increase-blocks", "0", "--output-format", "json"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let report = out.json();
    let workspace_changes: Vec<&Value> =
        report["changed"].as_array().unwrap().iter().filter(|c| c["file"] != "").collect();
    assert!(workspace_changes.is_empty(), "moved lines are not changes: {workspace_changes:#?}");

    let out = diff(&grown, &["--max-increase-blocks", "0"]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("map growth        `index` in src/text.rs"), "{}", out.stdout);
    assert!(out.stdout.contains("error: total blocks grew by"), "{}", out.stdout);
    let out = diff(&grown, &["--max-increase-blocks", "50"]);
    assert_eq!(out.code, 0, "a few more blocks are within 50%:\n{}", out.stdout);
}

#[test]
fn profile_files_attach_runtime_evidence_to_a_lint_run() {
    // A committed valgrind profile of the fixture (see dhat-runner/tests/data).
    let dir = profiled_copy("profile-file");
    let text = std::fs::read_to_string(repo_root().join("dhat-runner/tests/data/valgrind.json"))
        .unwrap()
        .replace("@FIXTURE@", &dir.canonicalize().unwrap().display().to_string());
    let profile = dir.join("dhat.json");
    std::fs::write(&profile, text).unwrap();

    let out = memlint_at(&dir, "none", &["--profile-file", "dhat.json", "--output-format", "json"]);
    assert_eq!(out.code, 1);
    let report = out.json();
    check_default_run(&report, "--profile-file");
    assert!(report["profile"]["runs"].as_array().unwrap().is_empty());

    let out = memlint_at(&dir, "none", &["--profile-file", "dhat.json"]);
    assert!(
        out.stdout
            .contains("  runtime: confirmed: 9 blocks, 16,352 bytes (4.5% of all blocks), vec growth, exact match"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("  runtime: not exercised by the profiles `dhat.json`"), "{}", out.stdout);

    // A finding whose cost is CPU, not allocations, is not measurable by a
    // heap profile: neither confirmed nor "not exercised".
    let text_rs = dir.join("src/text.rs");
    let appended = format!(
        "{}\npub fn drain(mut jobs: Vec<u32>) -> u32 {{\n    let mut sum = 0;\n    while !jobs.is_empty() {{\n        sum += jobs.remove(0);\n    }}\n    sum\n}}\n",
        std::fs::read_to_string(&text_rs).unwrap()
    );
    std::fs::write(&text_rs, appended).unwrap();
    let report = memlint_at(&dir, "none", &["--profile-file", "dhat.json", "--output-format", "json"]).json();
    assert_eq!(finding(&report, "vec_front_shift_in_loop")["runtime"]["status"], "not_measurable");
    let out = memlint_at(&dir, "none", &["--profile-file", "dhat.json"]);
    assert!(
        out.stdout.contains("  runtime: not measurable by a heap profile (a size or CPU cost, not an allocation)"),
        "{}",
        out.stdout
    );

    let out = memlint_at(&dir, "none", &["--profile-file", "dhat.json", "--output-format", "sarif"]);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["properties"]["memlint/runtime"]["blocks"] == 100), "{}", out.stdout);

    // A corrupt profile is an error that names it; nothing is joined.
    std::fs::write(dir.join("cut.json"), &std::fs::read(&profile).unwrap()[..500]).unwrap();
    let out = memlint_at(&dir, "none", &["--profile-file", "cut.json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("error: `cut.json` is not a valid DHAT profile: EOF while parsing"), "{}", out.stderr);
}

#[test]
fn what_to_profile_and_how_is_explained() {
    let out = memlint_at(&profiled(), "none", &["profile"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("error: say what to profile: --bin NAME, --example NAME, --test NAME [FILTER] or --bench NAME"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("help: bin targets: profiled; test targets: workload"), "{}", out.stderr);
    let out = memlint_at(&profiled(), "none", &["profile", "--bin", "nope"]);
    assert!(
        out.stderr.contains("error: no bin target named `nope` in the linted packages\n  help: bin targets: profiled"),
        "{}",
        out.stderr
    );

    // dhat-rs needs the package's cooperation; memlint says exactly what to add.
    // Its binary's root is not `src/main.rs` (ripgrep's is `crates/core/main.rs`).
    let dir = memlint_tests::scratch_dir("no-dhat");
    std::fs::create_dir_all(dir.join("crates/core")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"plain\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[[bin]]\nname = \"plain\"\npath = \"crates/core/main.rs\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(dir.join("crates/core/main.rs"), "fn main() {}\n").unwrap();
    let out = memlint_at(&dir, "none", &["profile", "--bin", "plain", "--backend", "dhat-rs"]);
    assert_eq!(out.code, 2);
    for needed in [
        "does not follow dhat-rs's `dhat-heap` convention",
        "dhat-heap = [\"dep:dhat\"]",
        "in the crate root (crates/core/main.rs):",
        "static ALLOC: dhat::Alloc = dhat::Alloc;",
        "let _profiler = dhat::Profiler::builder().trim_backtraces(Some(64)).build();",
    ] {
        assert!(out.stderr.contains(needed), "missing {needed:?}:\n{}", out.stderr);
    }
    // The other way: valgrind, which is either here or to be installed.
    let valgrind = Command::new("valgrind").arg("--version").output().is_ok_and(|o| o.status.success());
    let instead = if valgrind { "or profile with valgrind (installed here: " } else { "or install valgrind and use" };
    assert!(out.stderr.contains(instead), "{}", out.stderr);
}

/// The lines of `file` that carry a `#[memtrack]` attribute.
fn memtrack_lines(file: &Path) -> Vec<u64> {
    let text = std::fs::read_to_string(file).expect("the source");
    let attribute = |l: &str| ["#[memtrack", "#[memlint::memtrack"].iter().any(|a| l.trim_start().starts_with(a));
    (1..).zip(text.lines()).filter(|(_, l)| attribute(l)).map(|(n, _)| n).collect()
}

/// The 1-based line of `file` that contains `text`.
fn line_of(file: &Path, text: &str) -> u64 {
    let source = std::fs::read_to_string(file).expect("the source");
    (1..).zip(source.lines()).find(|(_, l)| l.contains(text)).map(|(n, _)| n).expect("the line")
}

/// (file, line, function, blocks) of every hot spot of a report.
fn hotspots(report: &Value) -> Vec<(String, u64, String, u64)> {
    let text = |h: &Value, key: &str| h[key].as_str().unwrap_or("").to_string();
    report["hotspots"]
        .as_array()
        .expect("hot spots")
        .iter()
        .map(|h| {
            (text(h, "file"), h["line"].as_u64().unwrap_or(0), text(h, "function"), h["blocks"].as_u64().unwrap_or(0))
        })
        .collect()
}

#[test]
#[cfg_attr(memlint_skip_valgrind, ignore = "needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time")]
fn memtracks_own_bookkeeping_is_not_blamed_on_the_tracked_function() {
    require_valgrind("memtracks_own_bookkeeping_is_not_blamed_on_the_tracked_function");
    // The fixture's `squares` is tracked and within its budget: memlint's
    // runtime allocates nothing on a call's way in or out (its first call
    // used to read MEMLINT_REPORT, which `profile` sets, and that copy was a
    // hot spot at the attribute's line).
    let out = memlint_at(
        &profiled(),
        "valgrind-memtrack",
        &["profile", "--bin", "profiled", "--release", "--output-format", "json", "--top", "100"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = out.json();
    let attribute = memtrack_lines(&profiled().join("src/main.rs"));
    assert_eq!(attribute.len(), 1);
    let blamed: Vec<_> =
        hotspots(&report).into_iter().filter(|h| h.0 == "src/main.rs" && attribute.contains(&h.1)).collect();
    assert!(blamed.is_empty(), "hot spots at the #[memtrack] line: {blamed:?}");
    let path = report["profile"]["profiles"][0]["path"].as_str().expect("the profile's path");
    let profile: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("the profile")).expect("JSON");
    let ftbl = profile["ftbl"].as_array().expect("frames");
    let frame = |f: &Value| ftbl[f.as_u64().unwrap_or(0) as usize].as_str().unwrap_or("").to_string();
    // A call's way in and out is memlint's `site.rs`; the fixture's code
    // (not the allocator shim, which sits on the line of the
    // `#[global_allocator]`) is below it in the stack during a call, not
    // when the report is written at exit.
    let fixture_src = profiled().join("src").display().to_string();
    let during_a_call = |fs: &Vec<Value>| {
        fs.iter().map(frame).any(|f| f.contains("memlint/src/site.rs"))
            && fs.iter().map(frame).any(|f| f.contains(&fixture_src) && !f.contains("__rust"))
    };
    let under_guard = profile["pps"]
        .as_array()
        .expect("program points")
        .iter()
        .filter(|pp| pp["fs"].as_array().is_some_and(during_a_call));
    assert_eq!(under_guard.count(), 0, "memlint's runtime allocated during a tracked call");

    // The budgets example goes over a budget on purpose: memlint panics
    // with a message, and those allocations are memlint's, not the tracked
    // function's; the function's own copy is still its own.
    let budgets = repo_root().join("examples/budgets");
    let out = memlint_at(
        &budgets,
        "valgrind-budgets",
        &["profile", "--test", "budgets", "--output-format", "json", "--top", "100"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = out.json();
    let lib = budgets.join("src/lib.rs");
    let attributes = memtrack_lines(&lib);
    assert!(attributes.len() >= 4, "{attributes:?}");
    let spots = hotspots(&report);
    let blamed: Vec<_> = spots.iter().filter(|h| h.0 == "src/lib.rs" && attributes.contains(&h.1)).collect();
    assert!(blamed.is_empty(), "hot spots at #[memtrack] lines: {blamed:?}\nall: {spots:#?}");
    let copy =
        ("src/lib.rs".to_string(), line_of(&lib, "let copy = buf.to_vec();"), "checksum_with_copy".to_string(), 1);
    assert!(spots.contains(&copy), "the function's own allocation: {spots:#?}");
    let totals = &report["profile"]["totals"];
    assert!(totals["memlint_blocks"].as_u64().is_some_and(|b| b > 0), "{totals}");

    // People see where those allocations went.
    let out = memlint_at(&budgets, "valgrind-budgets", &["profile", "--test", "budgets", "a_copy"]);
    assert!(out.stdout.contains("memlint's own bookkeeping: "), "{}", out.stdout);
}

/// du-dust and hyperfine set `strip = true` in their release profile: the
/// profile then placed every allocation outside the workspace (all frames
/// `???`). memlint builds with `strip = "none"`, in a target directory of
/// its own, so the user's release binary is neither stripped of its setting
/// nor replaced.
#[test]
#[cfg_attr(memlint_skip_valgrind, ignore = "needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time")]
fn a_stripped_release_profile_still_gives_lines_and_the_users_binary_stays() {
    require_valgrind("a_stripped_release_profile_still_gives_lines_and_the_users_binary_stays");
    let dir = profiled_copy("profile-strip");
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("the copy has a manifest");
    std::fs::write(&manifest, format!("{text}\n[profile.release]\nstrip = true\n")).expect("the manifest is written");
    // The user's target directory (memlint_at's CARGO_TARGET_DIR), kept
    // between runs: a release binary there can only be this run's.
    let users = target_dir().join("profile-tests").join("valgrind-strip");
    let _ = std::fs::remove_file(users.join("release").join("profiled"));
    let out =
        memlint_at(&dir, "valgrind-strip", &["profile", "--bin", "profiled", "--release", "--output-format", "json"]);
    assert_eq!(out.code, 1, "confirmed findings fail the run:\n{}", out.stderr);
    let report = out.json();
    check_default_run(&report, "valgrind");
    assert_eq!(report["profile"]["totals"]["unlocated_blocks"], 0, "{}", report["profile"]["totals"]);
    // No release build of the fixture there: the profiled one is memlint's own.
    assert!(!users.join("release").join("profiled").exists(), "the user's release binary was written");
    assert!(users.join("memlint").join("build").join("release").join("profiled").is_file());
}

/// When the line tables are removed anyway (here by RUSTFLAGS, which
/// memlint doesn't override), the report says so and why, instead of a
/// table of allocations "outside the workspace" and advice about the depth
/// of stacks.
#[test]
#[cfg_attr(memlint_skip_valgrind, ignore = "needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time")]
fn a_profile_without_line_tables_says_so() {
    require_valgrind("a_profile_without_line_tables_says_so");
    let no_lines_build = target_dir().join("profile-tests").join("build-no-lines");
    let out = memlint_at_with(
        &profiled(),
        "valgrind-no-lines",
        &["profile", "--bin", "profiled", "--release"],
        // Other flags make other builds of the shared dependencies: in a
        // build directory of their own, not under the other tests' feet.
        &[("RUSTFLAGS", "-C strip=symbols"), ("CARGO_BUILD_BUILD_DIR", &no_lines_build.to_string_lossy())],
    );
    assert_eq!(out.code, 0, "nothing confirmed:\n{}", out.stderr);
    assert!(out.stdout.contains("No line tables: "), "{}", out.stdout);
    assert!(
        out.stdout.contains("(100.0%) come from stacks with no file and line in any frame of Rust code"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("--num-callers"), "{}", out.stdout);
}

/// The hot spot of `src/main.rs:5` in the `calls-dependency` fixture's
/// report, where `main` calls the path dependency `helper`, which allocates.
fn dependency_call(report: &Value) -> &Value {
    report["hotspots"]
        .as_array()
        .and_then(|spots| spots.iter().find(|h| h["file"] == "src/main.rs" && h["line"] == 5))
        .unwrap_or_else(|| panic!("no hot spot on src/main.rs:5: {}", report["hotspots"]))
}

/// A workspace line that calls into a dependency (`helper`, a path
/// dependency left out of the workspace) is reported with that dependency's
/// function as the reason, not the `to_string` and vector growth it does
/// inside, and the frames between are kept; a thread's start (libc's
/// `clone(2)`) is not read as `Clone::clone`.
#[test]
#[cfg_attr(memlint_skip_valgrind, ignore = "needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time")]
fn a_call_into_a_dependency_is_named_as_the_reason() {
    require_valgrind("a_call_into_a_dependency_is_named_as_the_reason");
    let dir = fixture("calls-dependency");
    let args = ["profile", "--bin", "calls-dependency", "--release", "--output-format", "json", "--timings"];
    let out = memlint_at(&dir, "valgrind-dependency", &args);
    assert_eq!(out.code, 0, "no findings:\n{}", out.stderr);
    let report = out.json();
    // --timings in JSON: the profile's phases, and a wall time that includes them.
    let timings = &report["timings"];
    let runs_ms = timings["profile_ms"]["runs"].as_f64().unwrap_or_else(|| panic!("{timings}"));
    assert!(runs_ms > 0.0 && timings["wall_ms"].as_f64() >= Some(runs_ms + timings["lint_ms"].as_f64().unwrap()));
    let spot = dependency_call(&report);
    assert_eq!((spot["reason"].as_str(), spot["detail"].as_str()), (Some("dependency"), Some("helper::build_index")));
    // 64 strings and the vector's 5 growths (capacity 4, 8, 16, 32, 64).
    assert_eq!(spot["blocks"], 69, "{spot}");
    let stack = spot["stack"].as_array().expect("a stack");
    let shown: Vec<&Value> = stack.iter().filter(|f| f["reason"] == true).collect();
    assert_eq!(shown.len(), 1, "{stack:?}");
    assert_eq!(
        (shown[0]["function"].as_str(), shown[0]["crate"].as_str()),
        (Some("helper::build_index"), Some("helper"))
    );
    // What `build_index` did inside is kept: std's `to_string` under it.
    assert!(stack.iter().any(|f| f["function"].as_str().is_some_and(|n| n.starts_with("to_string"))), "{stack:?}");
    assert_eq!(
        stack.last().map(|f| (f["function"].as_str(), f["line"].as_u64())),
        Some((Some("calls_dependency::main"), Some(5)))
    );
    // How long it ran; without --plain-run, nothing is run twice.
    let run = &report["profile"]["runs"][0];
    assert!(run["seconds"].as_f64() > Some(0.0) && run["plain_seconds"].is_null(), "{run}");
    // By crate: `helper`, with the line that called it, and what of it was
    // live at the heap's peak (the index is alive until the end).
    let helper = &report["profile"]["dependency_calls"][0];
    assert_eq!((helper["crate"].as_str(), helper["blocks"].as_u64()), (Some("helper"), Some(69)), "{helper}");
    let caller = &helper["callers"][0];
    assert_eq!(
        (caller["file"].as_str(), caller["line"].as_u64(), caller["called"].as_str()),
        (Some("src/main.rs"), Some(5), Some("helper::build_index"))
    );
    let peak = helper["peak_bytes"].as_u64().expect("peak bytes");
    assert!(0 < peak && peak < 3_094, "{helper}");
    assert!(report["profile"]["totals"]["peak_bytes"].as_u64() >= Some(peak));
    // The thread: std's spawn on the line that spawns it, and nothing anywhere is a clone.
    let sites = report["profile"]["sites"].as_array().expect("sites");
    assert!(sites.iter().all(|s| s["reason"] != "clone"), "{sites:?}");
    let spawn: Vec<&Value> = report["hotspots"].as_array().unwrap().iter().filter(|h| h["line"] == 13).collect();
    assert!(!spawn.is_empty() && spawn.iter().all(|h| h["reason"] != "clone"), "{spawn:?}");

    // The human report names the call, folds the frames inside it and
    // lists them with -v.
    let human = memlint_at(&dir, "valgrind-dependency", &args[..4]);
    assert!(human.stdout.contains("dependency (helper::build_index)"), "{}", human.stdout);
    assert!(human.stdout.contains("stack: build_index <- main (src/main.rs:5)  (+"), "{}", human.stdout);
    let verbose = memlint_at(&dir, "valgrind-dependency", &[&args[..4], &["-v", "--plain-run"]].concat());
    let ran = verbose.stdout.lines().find(|l| l.starts_with("Ran bin `calls-dependency` in ")).unwrap_or_default();
    assert!(ran.contains(" under valgrind; ") && ran.ends_with("x slower"), "{}", verbose.stdout);
    assert!(verbose.stdout.contains("to_string <- build_index <- main (src/main.rs:5)"), "{}", verbose.stdout);
}

/// Under LTO, valgrind names inlined frames `UnknownInlinedFun`; the report
/// names the code by its place and never shows the placeholder.
#[test]
#[cfg_attr(memlint_skip_valgrind, ignore = "needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time")]
fn an_lto_build_never_shows_the_placeholder_of_unnamed_inlined_frames() {
    require_valgrind("an_lto_build_never_shows_the_placeholder_of_unnamed_inlined_frames");
    let dir = fixture("calls-dependency");
    let lto_build = target_dir().join("profile-tests").join("build-lto");
    let env = [("CARGO_PROFILE_RELEASE_LTO", "fat"), ("CARGO_BUILD_BUILD_DIR", &*lto_build.to_string_lossy())];
    let json = memlint_at_with(
        &dir,
        "valgrind-lto",
        &["profile", "--bin", "calls-dependency", "--release", "--output-format", "json"],
        &env,
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    let report = json.json();
    // The placeholder is in the profile (else this test tests nothing)...
    let profile_path = report["profile"]["profiles"][0]["path"].as_str().expect("the profile's path");
    let raw = std::fs::read_to_string(dir.join(profile_path)).expect("the DHAT file is kept");
    assert!(raw.contains("UnknownInlinedFun"), "this toolchain's LTO build gave valgrind names for every frame");
    // ...but not in what memlint shows.
    let shown = serde_json::to_string(&[&report["hotspots"], &report["profile"]["sites"]]).unwrap();
    assert!(!shown.contains("UnknownInlinedFun"), "{shown}");
    let spot = dependency_call(&report);
    assert_eq!(spot["reason"], "dependency", "{spot}");
    let human = memlint_at_with(&dir, "valgrind-lto", &["profile", "--bin", "calls-dependency", "--release"], &env);
    assert!(!human.stdout.contains("UnknownInlinedFun"), "{}", human.stdout);
}

/// A global allocator that never calls `malloc` (jemalloc, mimalloc; here
/// an arena) hides every Rust allocation from valgrind: the report says so
/// first, with the allocator's line, instead of calling the findings "not
/// exercised" without a word.
#[test]
#[cfg_attr(memlint_skip_valgrind, ignore = "needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time")]
fn a_global_allocator_valgrind_cant_see_is_reported() {
    require_valgrind("a_global_allocator_valgrind_cant_see_is_reported");
    let dir = fixture("own-allocator");
    let out = memlint_at(&dir, "valgrind-own-allocator", &["profile", "--bin", "own-allocator", "--release"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let warning = out.stdout.lines().nth(2).unwrap_or_default();
    assert!(
        warning.starts_with("warning: none of the ") && warning.contains("went through Rust's allocator"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("  src/main.rs:35 | static ARENA: Arena = "), "{}", out.stdout);
    assert!(out.stdout.contains("help: profile with `--backend dhat-rs`"), "{}", out.stdout);

    // A program on the system allocator: no such warning, and its Rust
    // allocations are counted.
    let json = memlint_at(
        &fixture("calls-dependency"),
        "valgrind-dependency",
        &["profile", "--bin", "calls-dependency", "--release", "--output-format", "json"],
    );
    let totals = &json.json()["profile"]["totals"];
    assert!(totals["rust_allocator_blocks"].as_u64() >= Some(69), "{totals}");
    let human = memlint_at(
        &fixture("calls-dependency"),
        "valgrind-dependency",
        &["profile", "--bin", "calls-dependency", "--release"],
    );
    assert!(!human.stdout.contains("went through Rust's allocator"), "{}", human.stdout);
}

/// `diff` reads reports written before reasons named calls into
/// dependencies, and says that such a base's reasons were read differently.
#[test]
fn diff_reads_reports_of_an_older_memlint_and_says_so() {
    let dir = memlint_tests::scratch_dir("diff-versions");
    let site = r#"{ "function": "main", "reason": "to_string", "file": "src/main.rs", "bytes": 64, "blocks": 2 }"#;
    let old = format!(r#"{{ "profile": {{ "sites": [{site}] }} }}"#);
    let new = format!(r#"{{ "profile": {{ "reasons_version": 2, "sites": [{site}] }} }}"#);
    std::fs::write(dir.join("old.json"), old).unwrap();
    std::fs::write(dir.join("new.json"), &new).unwrap();
    std::fs::write(dir.join("new2.json"), &new).unwrap();
    let out = memlint_at(&dir, "none", &["diff", "old.json", "new.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("No allocation site changed (1 site the same)."), "{}", out.stdout);
    assert!(out.stderr.contains("note: `old.json` was written by an older memlint"), "{}", out.stderr);
    let same = memlint_at(&dir, "none", &["diff", "new.json", "new2.json"]);
    assert!(!same.stderr.contains("older memlint"), "{}", same.stderr);
}
