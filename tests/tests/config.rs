//! Settings from memlint.toml, Cargo.toml tables and --config, end to end:
//! levels, options, overrides, exclude, fail-on, `init`, and every kind of
//! configuration error (exit status 2, pointing into the file).

use std::path::Path;

use memlint_tests::{fixture_copy, memlint_in};

/// `(file, rule, level)` of each finding in the short format.
fn reported(stdout: &str) -> Vec<(String, String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let (file, rest) = line.split_once(':')?;
            let (level, rest) = rest.split_once(": ")?.1.split_once('[')?;
            let rule = rest.split_once(']')?.0;
            Some((file.to_owned(), rule.to_owned(), level.to_owned()))
        })
        .collect()
}

fn append(path: &Path, text: &str) {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    std::fs::write(path, old + text).expect("write the test's config");
}

#[test]
fn workspace_metadata_sets_levels_overrides_exclude_and_fail_on() {
    let dir = fixture_copy("workspace", "config-metadata");
    append(
        &dir.join("Cargo.toml"),
        r#"
[workspace.metadata.memlint]
fail-on = "deny"
exclude = ["examples"]

[workspace.metadata.memlint.rules]
perf = "warn"
string_concat_in_loop = "deny"

[[workspace.metadata.memlint.overrides]]
files = ["alpha/src/bin/**"]
rules = { vec_push_without_capacity = "allow" }
"#,
    );
    let run = memlint_in(&dir, &["--output-format", "short", "-v"]);
    assert!(run.stderr.contains("settings from `[workspace.metadata.memlint]` in `Cargo.toml`"), "{}", run.stderr);
    assert!(run.stderr.contains("`exclude` leaves out 1 files"), "{}", run.stderr);
    let found = reported(&run.stdout);
    let expected = [
        ("alpha/src/lib.rs", "vec_push_without_capacity", "warning"),
        ("alpha/src/lib.rs", "string_concat_in_loop", "error"),
        ("beta/src/lib.rs", "vec_push_without_capacity", "warning"),
        ("beta/src/lib.rs", "string_concat_in_loop", "error"),
    ];
    assert_eq!(found, expected.map(|(f, r, l)| (f.to_owned(), r.to_owned(), l.to_owned())), "{}", run.stdout);
    assert_eq!(run.code, 1, "errors fail with fail-on = deny");

    // Without the deny, the warnings pass under the config's fail-on...
    let run = memlint_in(&dir, &["-q", "--output-format", "short", "-W", "string_concat_in_loop"]);
    assert_eq!((run.code, reported(&run.stdout).len()), (0, 4), "{}{}", run.stdout, run.stderr);
    // ...unless the command line's --fail-on says otherwise.
    let run = memlint_in(&dir, &["-q", "-W", "string_concat_in_loop", "--fail-on", "warn"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn memlint_toml_above_the_workspace_and_command_line_flags_after_it() {
    let parent = fixture_copy("workspace", "config-parent");
    // The workspace is one level down; memlint.toml sits above it.
    let dir = parent.join("ws");
    std::fs::create_dir(&dir).expect("mkdir");
    for name in ["Cargo.toml", "alpha", "beta"] {
        std::fs::rename(parent.join(name), dir.join(name)).expect("move the fixture down");
    }
    std::fs::write(parent.join("memlint.toml"), "[rules]\nvec_push_without_capacity = \"allow\"\n").expect("write");
    // Run from a member: the member is linted, with the settings found above the workspace.
    let run = memlint_in(&dir.join("beta"), &["-q", "--output-format", "short"]);
    let rules: Vec<String> = reported(&run.stdout).into_iter().map(|(_, rule, _)| rule).collect();
    assert_eq!(rules, ["string_concat_in_loop"], "{}{}", run.stdout, run.stderr);

    let run = memlint_in(&dir, &["-q", "--output-format", "short", "-D", "vec_push_without_capacity"]);
    let denied = reported(&run.stdout).into_iter().filter(|(_, _, level)| level == "error").count();
    assert_eq!(denied, 3, "the flag turns the rule back on, at deny: {}", run.stdout);

    // --config replaces discovery.
    let other = parent.join("strict.toml");
    std::fs::write(&other, "[rules]\nall = \"deny\"\n").expect("write");
    let run = memlint_in(&dir, &["-q", "--output-format", "short", "--config", &other.display().to_string()]);
    let levels: Vec<String> = reported(&run.stdout).into_iter().map(|(_, _, level)| level).collect();
    assert_eq!(levels, ["error"; 6], "{}", run.stdout);
}

#[test]
fn rule_options_change_what_is_reported() {
    let dir = fixture_copy("catalog", "config-options");
    // padded_struct is pedantic: turned on for this test.
    let before = memlint_in(&dir, &["-q", "--output-format", "short", "-W", "padded_struct"]);
    assert!(before.stdout.contains("[padded_struct]"), "{}", before.stdout);
    std::fs::write(dir.join("memlint.toml"), "[rules]\npadded_struct = { min-waste-bytes = 4096 }\n").expect("write");
    let after = memlint_in(&dir, &["-q", "--output-format", "short", "-W", "padded_struct"]);
    assert!(!after.stdout.contains("[padded_struct]"), "{}", after.stdout);
    assert_eq!(before.stdout.lines().count() - after.stdout.lines().count(), 1, "{}", after.stdout);
}

#[test]
fn configuration_errors_point_into_the_file_and_exit_2() {
    let dir = fixture_copy("workspace", "config-errors");
    std::fs::write(
        dir.join("memlint.toml"),
        "[rules]\nvec_push_without_capacty = \"deny\"\nperf = { level = \"warn\", colour = true }\n",
    )
    .expect("write");
    let run = memlint_in(&dir, &[]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "", "no findings are printed when the settings are wrong");
    for expected in [
        "no rule or category is named `vec_push_without_capacty`",
        "[memlint.toml:2:1]",
        "did you mean `vec_push_without_capacity`?",
        "unknown key `colour` in the settings of `perf`",
        "[memlint.toml:3:26]",
        "the keys are `level`, `in-tests` and `in-build-scripts`",
        "error: 2 errors in the memlint configuration (memlint.toml)",
    ] {
        assert!(run.stderr.contains(expected), "missing {expected:?} in:\n{}", run.stderr);
    }

    std::fs::write(dir.join("memlint.toml"), "[rules\n").expect("write");
    let run = memlint_in(&dir, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid TOML") && run.stderr.contains("[memlint.toml:1:"), "{}", run.stderr);

    // Settings in two places.
    std::fs::write(dir.join("memlint.toml"), "").expect("write");
    append(&dir.join("Cargo.toml"), "\n[workspace.metadata.memlint]\nfail-on = \"deny\"\n");
    let run = memlint_in(&dir, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("memlint settings are defined both here and in `[workspace.metadata.memlint]`"));

    let run = memlint_in(&dir, &["--config", "missing.toml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.toml: cannot read"), "{}", run.stderr);
}

#[test]
fn member_package_tables_are_reported_as_ignored() {
    let dir = fixture_copy("workspace", "config-member");
    append(&dir.join("beta/Cargo.toml"), "\n[package.metadata.memlint.rules]\nall = \"allow\"\n");
    let run = memlint_in(&dir, &["-q", "--output-format", "short"]);
    assert_eq!(reported(&run.stdout).len(), 6, "{}", run.stdout);
    assert!(
        run.stderr.contains("warning: `[package.metadata.memlint]` in `")
            && run.stderr.contains("beta/Cargo.toml` is ignored")
            && run.stderr.contains("files = [\"beta/**\"]"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_writes_a_template_at_the_workspace_root_once() {
    let dir = fixture_copy("workspace", "config-init");
    let run = memlint_in(&dir.join("alpha/src"), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = dir.join("memlint.toml");
    let text = std::fs::read_to_string(&written).expect("init wrote memlint.toml at the workspace root");
    assert!(text.contains(
        "# large_enum_variant = { level = \"warn\", in-tests = false, in-build-scripts = false, threshold-bytes = 200 }"
    ));
    // The template changes nothing: the same six findings.
    let run = memlint_in(&dir, &["-q", "--output-format", "short"]);
    assert_eq!((run.code, reported(&run.stdout).len()), (1, 6), "{}{}", run.stdout, run.stderr);

    let run = memlint_in(&dir, &["init"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists") && run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&written).expect("still there"), text);
    assert_eq!(memlint_in(&dir, &["init", "--force"]).code, 0);
}

/// `[lints.clippy]` allowing a lint a rule mirrors turns the rule off in
/// that package; a lint group does not.
#[test]
fn cargo_lints_allowing_a_mirrored_clippy_lint_turn_the_rule_off() {
    let dir = memlint_tests::scratch_dir("config-cargo-lints");
    std::fs::create_dir_all(dir.join("src")).expect("src");
    let code = "pub struct Worker {\n    pub cores: Vec<Box<Core>>,\n}\n\npub struct Core {\n    pub id: u32,\n}\n";
    std::fs::write(dir.join("src/lib.rs"), code).expect("lib.rs");
    let manifest = |lints: &str| {
        let text =
            format!("[package]\nname = \"lints\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n{lints}[workspace]\n");
        std::fs::write(dir.join("Cargo.toml"), text).expect("Cargo.toml");
    };
    let rules = || -> Vec<String> {
        let run = memlint_in(&dir, &["-q", "--no-cache", "--output-format", "short"]);
        reported(&run.stdout).into_iter().map(|(_, rule, _)| rule).collect()
    };
    manifest("");
    assert_eq!(rules(), ["vec_box"]);
    manifest("[lints.clippy]\nvec_box = \"allow\"\n\n");
    assert_eq!(rules(), Vec::<String>::new());
    manifest("[lints.clippy]\nall = \"allow\"\nperf = { level = \"allow\", priority = -1 }\n\n");
    assert_eq!(rules(), ["vec_box"]);
}
