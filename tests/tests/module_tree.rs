//! Files are linted as the compiler sees them: reached from a target's root
//! through `mod` declarations (under `#[cfg]`, `#[path]`, inline modules
//! and macro calls), as test code, build script or code.

use std::path::Path;

use memlint_tests::{fixture, memlint_in};

/// A run's exit status, the files with findings, the notes (file, reason)
/// and the files outside the tree.
type Report = (i32, Vec<String>, Vec<(String, String)>, Vec<String>);

fn report(dir: &Path, extra: &[&str]) -> Report {
    let mut args = vec!["--no-cache", "--output-format", "json"];
    args.extend_from_slice(extra);
    let run = memlint_in(dir, &args);
    let json = run.json();
    let strings = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let findings = json["findings"].as_array().expect("findings").iter().map(|f| strings(&f["file"])).collect();
    let notes =
        json["notes"].as_array().expect("notes").iter().map(|n| (strings(&n["file"]), strings(&n["reason"]))).collect();
    let outside = json["outside_module_tree"].as_array().expect("outside").iter().map(strings).collect();
    assert_eq!(json["errors"], serde_json::json!([]), "{}", run.stderr);
    (run.code, findings, notes, outside)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn a_workspace_is_linted_as_its_module_tree() {
    let (code, findings, notes, outside) = report(&fixture("modtree"), &[]);
    assert_eq!(code, 1);
    // Code reached through a plain `mod`, a macro call, a `#[path]`, a bin's
    // own module, and an example; not the test module, the integration test
    // and its module, or the build script.
    assert_eq!(
        findings,
        strings(&[
            "examples/ex.rs",
            "src/bin/tool/helper.rs",
            "src/from_macro.rs",
            "src/generated/named.rs",
            "src/plain.rs"
        ])
    );
    // A module that doesn't parse but is compiled only under a feature is a
    // note, not an error: the run does not fail for it.
    assert_eq!(notes, [("src/broken.rs".to_owned(), "conditional-module".to_owned())]);
    // A template and test data: under the targets' directories, never compiled.
    assert_eq!(outside, strings(&["src/template.rs", "tests/data/sample.rs"]));
}

#[test]
fn test_code_and_build_scripts_are_reported_when_asked() {
    let dir = memlint_tests::copy_of(&fixture("modtree"), "modtree-settings");
    std::fs::write(
        dir.join("memlint.toml"),
        "[rules]\nvec_push_without_capacity = { in-tests = true, in-build-scripts = true }\n",
    )
    .expect("settings");
    let (code, findings, ..) = report(&dir, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        strings(&[
            "build.rs",
            "examples/ex.rs",
            "src/bin/tool/helper.rs",
            "src/from_macro.rs",
            "src/generated/named.rs",
            "src/plain.rs",
            "src/tests.rs",
            "tests/common/mod.rs",
        ])
    );
}

/// `-v` lists the files outside the module tree; the summary counts them.
#[test]
fn files_outside_the_tree_are_counted_and_listed() {
    let run = memlint_in(&fixture("modtree"), &["--no-cache", "-v"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "memlint: 2 files under the targets' directories that no target's module tree reaches, not linted:\n  src/template.rs\n  tests/data/sample.rs\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains(
            "5 warnings in 11 files ([DEFAULT] rules on)"
                .replace("[DEFAULT]", &memlint_tests::default_rules().to_string())
                .as_str()
        ) && run
            .stdout
            .contains("; 1 file not linted (see the notes); 2 files outside the module tree (-v lists them)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("src/broken.rs:1:16: not linted:"), "{}", run.stdout);
}

/// Path mode lints every file it is given; test code is still test code.
#[test]
fn path_mode_lints_what_it_is_given() {
    let (code, findings, notes, outside) = report(&fixture("modtree"), &["src"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        strings(&[
            "src/bin/tool/helper.rs",
            "src/from_macro.rs",
            "src/generated/named.rs",
            "src/plain.rs",
            "src/template.rs"
        ])
    );
    assert_eq!(notes, [("src/broken.rs".to_owned(), "conditional-module".to_owned())]);
    assert!(outside.is_empty());
}

/// A module reached through plain `mod`s that doesn't parse is an error,
/// with a help line that names `exclude`.
#[test]
fn a_plain_module_that_does_not_parse_fails_the_run() {
    let dir = memlint_tests::copy_of(&fixture("modtree"), "modtree-broken");
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).expect("lib.rs");
    std::fs::write(dir.join("src/lib.rs"), lib.replace("#[cfg(feature = \"never\")]\n", "")).expect("lib.rs");
    let run = memlint_in(&dir, &["--no-cache"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.contains("src/broken.rs:1:16: syntax error:"), "{}", run.stdout);
    assert!(
        run.stdout.contains("If it is not compiled, leave it out with `exclude` in memlint.toml"),
        "{}",
        run.stdout
    );
}

/// A syntax error in a crate root doesn't hide its modules: whatever is
/// below it is linted as before.
#[test]
fn modules_of_a_root_that_does_not_parse_are_still_linted() {
    let dir = memlint_tests::copy_of(&fixture("modtree"), "modtree-broken-root");
    std::fs::write(dir.join("src/lib.rs"), "pub mod plain;\nfn broken( {\n").expect("lib.rs");
    let run = memlint_in(&dir, &["--no-cache", "--output-format", "json"]);
    assert_eq!(run.code, 2);
    let report = run.json();
    let files: Vec<&str> =
        report["findings"].as_array().expect("findings").iter().filter_map(|f| f["file"].as_str()).collect();
    assert!(files.contains(&"src/plain.rs") && files.contains(&"src/template.rs"), "{files:?}");
}
