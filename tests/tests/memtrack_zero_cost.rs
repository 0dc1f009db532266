//! With tracking off, `#[memtrack]` costs nothing: the example crate's
//! library, built without the `track` feature, has no trace of memlint
//! (no site statics, no calls into the runtime). Built with it, the same
//! check finds them, so the check can fail.

use std::path::Path;
use std::process::Command;

use memlint_tests::{cargo, repo_root, run};

/// Builds the budgets example's library and returns the rlib's bytes.
fn build_example(target_dir: &Path, track: bool) -> Vec<u8> {
    let mut command = Command::new(cargo());
    command
        .args(["build", "--lib", "--quiet", "--locked", "--offline", "--manifest-path"])
        .arg(repo_root().join("examples/budgets/Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir);
    if track {
        command.args(["--features", "memlint/track"]);
    }
    let out = run(command);
    assert_eq!(out.code, 0, "building the example failed:\n{}", out.stderr);
    let deps = target_dir.join("debug");
    let rlib = deps.join("libmemlint_budgets_example.rlib");
    std::fs::read(&rlib).unwrap_or_else(|e| panic!("{}: {e}", rlib.display()))
}

fn mentions(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn tracking_off_leaves_no_trace_in_the_binary() {
    // Separate directories: the two builds differ only in a feature.
    let base = repo_root().join("target/zero-cost");
    let off = build_example(&base.join("off"), false);
    let on = build_example(&base.join("on"), true);
    for needle in ["__MEMLINT_SITE", "memlint5Guard", "memlint4site"] {
        assert!(!mentions(&off, needle), "`{needle}` in the library built without tracking");
    }
    assert!(
        mentions(&on, "__MEMLINT_SITE") && mentions(&on, "memlint4site"),
        "the check must see tracking when it is on"
    );
}
