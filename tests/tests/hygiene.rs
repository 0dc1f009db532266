//! The test suite cleans up after itself: scratch directories are removed
//! also when a test fails, and runs on the repository's own crates leave no
//! memlint cache in the source tree.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::process::Command;

use memlint_tests::{cargo, fixture, fixture_copy, memlint_bin, memlint_in, repo_root, run, scratch_dir, target_dir};

#[test]
fn scratch_directories_are_removed_also_when_the_test_fails() {
    let passed = {
        let dir = scratch_dir("hygiene-passes");
        std::fs::write(dir.join("file"), "text").expect("write into the scratch dir");
        dir.to_path_buf()
    };
    assert!(!passed.exists(), "{} is left after the test", passed.display());

    let mut failed = None;
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let copy = fixture_copy("clean", "hygiene-fails");
        failed = Some(copy.to_path_buf());
        assert!(copy.join("Cargo.toml").is_file());
        panic!("the test fails here");
    }));
    assert!(outcome.is_err());
    let failed = failed.expect("the copy was made");
    assert!(!failed.exists(), "{} is left after the failed test", failed.display());
}

#[test]
fn runs_on_the_fixtures_leave_no_cache_in_the_source_tree() {
    // With the cache in the fixture's own target/ (the default), the second
    // run would find the first run's entries there.
    let args = ["--output-format", "json", "--timings", "--quiet"];
    let first = memlint_in(&fixture("clean"), &args).json();
    let second = memlint_in(&fixture("clean"), &args).json();
    for run in [&first, &second] {
        let cache = &run["timings"]["cache"];
        assert_eq!((cache["hits"].as_u64(), cache["misses"].as_u64()), (Some(0), Some(1)), "{cache}");
        let dir = cache["dir"].as_str().expect("the cache's directory");
        assert!(!Path::new(dir).starts_with(repo_root()), "a cache in the source tree: {dir}");
    }
}

#[test]
fn the_binary_under_test_is_built_in_the_workspace_target_directory() {
    // Not in a target directory of its own: with the test build's features,
    // every dependency it needs is one the test build already made.
    let bin = memlint_bin();
    assert!(bin.starts_with(target_dir().join("debug")), "{} is not in the workspace's debug dir", bin.display());
}

/// What marks a test of `profile.rs` that runs valgrind.
const SKIPPED_WITHOUT_VALGRIND: &str =
    "#[cfg_attr(memlint_skip_valgrind, ignore = \"needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time\")]";

/// The tests of `profile.rs` that call `require_valgrind`, with whether
/// they carry [`SKIPPED_WITHOUT_VALGRIND`].
fn valgrind_tests() -> Vec<(String, bool)> {
    let text = std::fs::read_to_string(repo_root().join("tests/tests/profile.rs")).expect("profile.rs");
    text.split("#[test]\n")
        .skip(1)
        .filter_map(|test| {
            let (attributes, rest) = test.split_once("fn ")?;
            let name = rest.split('(').next()?.to_owned();
            let body = rest.split("\n}\n").next()?;
            // rustfmt may break an attribute over lines.
            let unspaced = |text: &str| text.split_whitespace().collect::<String>();
            let marked = unspaced(attributes).contains(&unspaced(SKIPPED_WITHOUT_VALGRIND));
            body.contains("require_valgrind(").then_some((name, marked))
        })
        .collect()
}

/// `cargo test` of a crate built with `tests/build.rs` whose tests carry
/// the attribute of the valgrind tests; with `skip`, MEMLINT_SKIP_VALGRIND=1.
fn test_a_crate_with_the_build_script(dir: &Path, skip: bool) -> String {
    let mut command = Command::new(cargo());
    command.args(["test", "--offline"]).current_dir(dir).env("CARGO_TARGET_DIR", dir.join("target"));
    if skip {
        command.env("MEMLINT_SKIP_VALGRIND", "1");
    } else {
        command.env_remove("MEMLINT_SKIP_VALGRIND");
    }
    let out = run(command);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    out.stdout
}

#[test]
fn tests_skipped_for_want_of_valgrind_show_as_ignored_with_their_reason() {
    let tests = valgrind_tests();
    assert!(tests.len() >= 4, "the valgrind tests of profile.rs: {tests:?}");
    let unmarked: Vec<&str> = tests.iter().filter(|(_, marked)| !marked).map(|(name, _)| name.as_str()).collect();
    assert!(unmarked.is_empty(), "valgrind tests that MEMLINT_SKIP_VALGRIND can't skip: {unmarked:?}");

    // The build script decides: a crate with it and tests marked the same way.
    let dir = scratch_dir("hygiene-skip-valgrind");
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::create_dir_all(dir.join("tests")).expect("tests");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"skips\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .expect("manifest");
    std::fs::copy(repo_root().join("tests/build.rs"), dir.join("build.rs")).expect("the build script");
    std::fs::write(dir.join("src/lib.rs"), "").expect("lib");
    let marked: String =
        tests.iter().map(|(name, _)| format!("#[test]\n{SKIPPED_WITHOUT_VALGRIND}\nfn {name}() {{}}\n")).collect();
    std::fs::write(dir.join("tests/profile.rs"), marked).expect("tests");

    let skipped = test_a_crate_with_the_build_script(&dir, true);
    for (name, _) in &tests {
        let line = format!("test {name} ... ignored, needs valgrind; MEMLINT_SKIP_VALGRIND was set at build time");
        assert!(skipped.contains(&line), "missing `{line}` in:\n{skipped}");
    }
    assert!(skipped.contains(&format!("0 passed; 0 failed; {} ignored", tests.len())), "{skipped}");

    // Without the variable they run (and fail when valgrind is missing).
    let ran = test_a_crate_with_the_build_script(&dir, false);
    assert!(ran.contains(&format!("{} passed; 0 failed; 0 ignored", tests.len())), "{ran}");
}
