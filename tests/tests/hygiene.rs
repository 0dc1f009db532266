//! The test suite cleans up after itself: scratch directories are removed
//! also when a test fails, and runs on the repository's own crates leave no
//! memlint cache in the source tree.

use std::panic::AssertUnwindSafe;
use std::path::Path;

use memlint_tests::{fixture, fixture_copy, memlint_bin, memlint_in, repo_root, scratch_dir, target_dir};

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
