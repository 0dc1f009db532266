//! With tracking off, `#[memtrack]` costs nothing: the example crate's
//! library, built without the `track` feature, has no trace of memlint
//! (no site statics, no calls into the runtime). Built with it, the same
//! check finds them, so the check can fail.

use std::process::Command;

use memlint_tests::{built_artifacts, cargo, repo_root, target_dir};

/// Builds the budgets example's library and returns the rlib's bytes.
fn build_example(track: bool) -> Vec<u8> {
    let mut command = Command::new(cargo());
    command
        .args(["build", "--lib", "--locked", "--offline", "--message-format=json", "--manifest-path"])
        .arg(repo_root().join("examples/budgets/Cargo.toml"))
        // The workspace's target directory: the dependencies the two builds
        // share with each other and with the workspace (syn, quote, ..) are
        // built once. The builds differ in a feature, so cargo keeps both,
        // and each build links its own library to the path it reports.
        .arg("--target-dir")
        .arg(target_dir());
    if track {
        command.args(["--features", "memlint/track"]);
    }
    let artifacts = built_artifacts(command, "memlint_budgets_example");
    let rlib = artifacts
        .iter()
        .flat_map(|a| a["filenames"].as_array().into_iter().flatten())
        .filter_map(|f| f.as_str())
        .find(|f| f.ends_with(".rlib"))
        .expect("the example's rlib");
    std::fs::read(rlib).unwrap_or_else(|e| panic!("{rlib}: {e}"))
}

fn mentions(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn tracking_off_leaves_no_trace_in_the_binary() {
    let off = build_example(false);
    let on = build_example(true);
    for needle in ["__MEMLINT_SITE", "memlint5Guard", "memlint4site"] {
        assert!(!mentions(&off, needle), "`{needle}` in the library built without tracking");
    }
    assert!(
        mentions(&on, "__MEMLINT_SITE") && mentions(&on, "memlint4site"),
        "the check must see tracking when it is on"
    );
}
