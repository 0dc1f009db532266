//! The real `cargo-memlint` binary on fixture crates: what it prints, in
//! which formats, and how it exits.

use memlint_tests::{findings, fixture, memlint, memlint_bin, memlint_in, redact_summary, repo_root, run};

fn manifest(name: &str) -> String {
    fixture(name).join("Cargo.toml").display().to_string()
}

fn f(file: &str, line: u64, rule: &str) -> (String, u64, String) {
    (file.to_owned(), line, rule.to_owned())
}

#[test]
fn virtual_workspace_lints_every_member_and_every_target() {
    let run = memlint(&["--manifest-path", &manifest("workspace"), "--output-format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["version"], 1);
    assert_eq!(
        findings(&report),
        vec![
            f("alpha/examples/ex.rs", 5, "string_concat_in_loop"),
            f("alpha/src/bin/tool.rs", 2, "vec_push_without_capacity"),
            f("alpha/src/lib.rs", 9, "vec_push_without_capacity"),
            f("alpha/src/lib.rs", 19, "string_concat_in_loop"),
            f("beta/src/lib.rs", 4, "vec_push_without_capacity"),
            f("beta/src/lib.rs", 14, "string_concat_in_loop"),
        ],
        "test code (alpha/tests), a bench with capacity, and hidden directories give nothing"
    );
    // lib, bin, example, bench, integration test of alpha; lib of beta.
    assert_eq!(report["summary"]["files"], 6);
    assert_eq!(report["summary"]["findings"], 6);
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
    let summary = format!("memlint: 6 warnings in 6 files ({} rules on) in ", memlint_tests::default_rules());
    assert!(run.stderr.starts_with(&summary), "{}", run.stderr);
}

#[test]
fn json_finding_has_the_documented_fields() {
    let run = memlint(&["--manifest-path", &manifest("workspace"), "-p", "alpha", "--output-format", "json"]);
    let report = run.json();
    let first = &report["findings"][2];
    assert_eq!(first["rule"], "vec_push_without_capacity");
    assert_eq!(first["category"], "perf");
    assert_eq!(first["level"], "warning");
    assert_eq!(first["file"], "alpha/src/lib.rs");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(9), Some(19)));
    assert_eq!((first["end_line"].as_u64(), first["end_column"].as_u64()), (Some(9), Some(29)));
    assert!(first["message"].as_str().unwrap().starts_with("`ids` starts empty and grows by one `push`"));
    assert!(first["help"].as_str().unwrap().contains("Vec::with_capacity(records.len())"));
    assert_eq!(first["labels"][0]["message"], "this loop runs `records.len()` times");
    assert_eq!(first["fix"]["applicability"], "machine-applicable");
    assert_eq!(first["fix"]["edits"][0]["replacement"], "Vec::with_capacity(records.len())");
    for key in ["files", "files_with_errors", "findings", "warnings", "errors", "rules", "elapsed_ms"] {
        assert!(report["summary"].get(key).is_some(), "summary.{key}");
    }
}

#[test]
fn package_selection() {
    let only_beta = memlint(&["--manifest-path", &manifest("workspace"), "-p", "beta", "--output-format", "json"]);
    let files: Vec<String> = findings(&only_beta.json()).into_iter().map(|(file, _, _)| file).collect();
    assert_eq!(files, ["beta/src/lib.rs", "beta/src/lib.rs"]);

    let excluded = memlint(&[
        "--manifest-path",
        &manifest("workspace"),
        "--workspace",
        "--exclude",
        "alpha",
        "--output-format",
        "json",
    ]);
    assert_eq!(findings(&excluded.json()), findings(&only_beta.json()));

    let unknown = memlint(&["--manifest-path", &manifest("workspace"), "-p", "gamma"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("package `gamma` is not a member of the workspace"), "{}", unknown.stderr);
    assert!(unknown.stderr.contains("alpha, beta"), "{}", unknown.stderr);
}

#[test]
fn member_directory_selects_that_package() {
    let run = memlint_in(&fixture("workspace/beta"), &["--output-format", "json"]);
    let files: Vec<String> = findings(&run.json()).into_iter().map(|(file, _, _)| file).collect();
    assert_eq!(files, ["beta/src/lib.rs", "beta/src/lib.rs"], "paths stay relative to the workspace root");
}

#[test]
fn path_arguments_need_no_manifest() {
    let dir = fixture("workspace/alpha/src");
    let run = memlint_in(&dir, &["lib.rs", "bin", "--output-format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        findings(&run.json()),
        vec![
            f("bin/tool.rs", 2, "vec_push_without_capacity"),
            f("lib.rs", 9, "vec_push_without_capacity"),
            f("lib.rs", 19, "string_concat_in_loop"),
        ]
    );
    let missing = memlint_in(&dir, &["lib.rs", "nope.rs"]);
    assert_eq!(missing.code, 2, "a missing path is an error, reported after the findings");
    assert!(missing.stdout.contains("nope.rs"), "{}", missing.stdout);
    assert!(missing.stdout.contains("`ids` starts empty"), "{}", missing.stdout);
}

#[test]
fn broken_files_are_reported_with_their_location_and_the_rest_is_linted() {
    let run = memlint(&["--manifest-path", &manifest("broken"), "--output-format", "json"]);
    assert_eq!(run.code, 2);
    let report = run.json();
    assert_eq!(findings(&report), vec![f("src/lib.rs", 5, "vec_push_without_capacity")]);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["kind"], "not-utf8");
    assert_eq!(errors[0]["file"], "src/latin1.rs");
    assert_eq!((errors[0]["line"].as_u64(), errors[0]["column"].as_u64()), (Some(1), Some(7)));
    assert_eq!(errors[1]["kind"], "parse");
    assert_eq!(errors[1]["file"], "src/syntax.rs");
    assert_eq!((errors[1]["line"].as_u64(), errors[1]["column"].as_u64()), (Some(3), Some(5)));
    assert_eq!(errors[1]["message"], "expected `;`");
}

#[test]
fn broken_files_in_human_output() {
    let run = memlint(&["--manifest-path", &manifest("broken")]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!("broken_human", redact_summary(&run.stdout));
}

#[test]
fn human_output_shows_snippet_labels_and_help() {
    let run = memlint(&["--manifest-path", &manifest("workspace"), "-p", "alpha"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("alpha_human", redact_summary(&run.stdout));
}

#[test]
fn clean_crate_exits_zero() {
    let run = memlint(&["--manifest-path", &manifest("clean")]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(redact_summary(&run.stdout), "memlint: no findings in 1 file ([DEFAULT] rules on) in [ELAPSED]\n");
    let quiet = memlint(&["--manifest-path", &manifest("clean"), "-q"]);
    assert_eq!(quiet.stdout, "");
}

#[test]
fn no_manifest_is_a_usage_error() {
    let dir = memlint_tests::scratch_dir("no-manifest");
    let run = memlint_in(&dir, &[]);
    if std::path::Path::new("/Cargo.toml").exists() {
        return; // A manifest above the temp dir would be found; nothing to check.
    }
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("could not find `Cargo.toml`"), "{}", run.stderr);

    let missing = memlint(&["--manifest-path", "does/not/exist/Cargo.toml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("does not exist"), "{}", missing.stderr);
}

#[test]
fn usage_errors_exit_two() {
    let run = memlint(&["--output-format", "yaml"]);
    assert_eq!(run.code, 2);
    let run = memlint(&["--no-such-flag"]);
    assert_eq!(run.code, 2);
    let help = memlint(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Exit status:"), "{}", help.stdout);
}

#[test]
fn output_file_gets_the_report() {
    let dir = memlint_tests::scratch_dir("output-file");
    let out = dir.join("out.json");
    let run =
        memlint(&["--manifest-path", &manifest("workspace"), "--output-format", "json", "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "", "the report goes to the file only");
    let text = std::fs::read_to_string(&out).unwrap();
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["summary"]["findings"], 6);
}

#[test]
fn color_follows_the_flag_and_cargo_term_color() {
    let never = memlint(&["--manifest-path", &manifest("workspace"), "-p", "beta", "--color", "never"]);
    assert!(!never.stdout.contains('\u{1b}'));
    let always = memlint(&["--manifest-path", &manifest("workspace"), "-p", "beta", "--color", "always"]);
    assert!(always.stdout.contains('\u{1b}'), "{}", always.stdout);
    let mut command = std::process::Command::new(memlint_bin());
    command
        .args(["memlint", "--manifest-path", &manifest("workspace"), "-p", "beta", "--no-cache"])
        .env("CARGO_TERM_COLOR", "always");
    assert!(run(command).stdout.contains('\u{1b}'));
}

#[test]
fn runs_as_a_cargo_subcommand() {
    let bin_dir = memlint_bin().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let mut command = std::process::Command::new(memlint_tests::cargo());
    command
        // No cache in the fixture's target/, in the source tree.
        .args(["memlint", "--output-format", "json", "-p", "beta", "--no-cache"])
        .current_dir(fixture("workspace"))
        .env("PATH", path);
    let run = run(command);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(findings(&run.json()).len(), 2);
}

#[test]
fn linting_writes_only_its_cache_into_the_linted_crate() {
    for name in ["workspace", "broken", "clean"] {
        let copy = memlint_tests::fixture_copy(name, &format!("writes-{name}"));
        let manifest = copy.join("Cargo.toml").to_string_lossy().into_owned();
        memlint(&["--manifest-path", &manifest, "-q", "--no-cache"]);
        assert!(!copy.join("Cargo.lock").exists(), "{name}: memlint must not create a Cargo.lock");
        assert!(!copy.join("target").exists(), "{name}: with --no-cache, memlint writes nothing");
        memlint(&["--manifest-path", &manifest, "-q"]);
        assert!(!copy.join("Cargo.lock").exists(), "{name}: memlint must not create a Cargo.lock");
        let target: Vec<_> =
            std::fs::read_dir(copy.join("target")).expect("the cache's target dir").flatten().collect();
        assert_eq!(target.len(), 1, "{name}: only target/memlint");
        let memlint_dir: Vec<_> =
            std::fs::read_dir(copy.join("target/memlint")).expect("memlint's dir").flatten().collect();
        assert_eq!(memlint_dir.len(), 1, "{name}: only target/memlint/cache");
        assert!(copy.join("target/memlint/cache/v1").is_dir(), "{name}");
    }
    let _ = repo_root();
}

#[test]
fn level_flags_apply_left_to_right_and_set_the_reported_level() {
    let m = manifest("workspace");
    let run = memlint(&["--manifest-path", &m, "--output-format", "json", "-D", "perf", "-W", "string_concat_in_loop"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    for finding in report["findings"].as_array().unwrap() {
        let expected = if finding["rule"] == "string_concat_in_loop" { "warning" } else { "error" };
        assert_eq!(finding["level"], expected, "{finding}");
    }
    let run =
        memlint(&["--manifest-path", &m, "--output-format", "json", "-A", "all", "-W", "vec-push-without-capacity"]);
    let rules: Vec<String> = findings(&run.json()).into_iter().map(|(_, _, rule)| rule).collect();
    assert!(!rules.is_empty() && rules.iter().all(|r| r == "vec_push_without_capacity"), "{rules:?}");
}

#[test]
fn fail_on_and_exit_zero_decide_the_exit_status() {
    let m = manifest("workspace");
    // Warnings only: they fail by default, pass with --fail-on deny.
    assert_eq!(memlint(&["--manifest-path", &m, "-q"]).code, 1);
    assert_eq!(memlint(&["--manifest-path", &m, "-q", "--fail-on", "deny"]).code, 0);
    // A denied rule fails with --fail-on deny, and --exit-zero passes anyway.
    assert_eq!(memlint(&["--manifest-path", &m, "-q", "--fail-on", "deny", "-D", "vec_push_without_capacity"]).code, 1);
    assert_eq!(memlint(&["--manifest-path", &m, "-q", "-D", "all", "--exit-zero"]).code, 0);
    // Everything off: nothing to report.
    let run = memlint(&["--manifest-path", &m, "-A", "all"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("no findings"), "{}", run.stdout);
}

#[test]
fn unknown_level_flag_names_are_usage_errors_with_suggestions() {
    let run = memlint(&["--manifest-path", &manifest("workspace"), "-D", "vec_push_without_capacty"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `-D vec_push_without_capacty`: no rule or category is named `vec_push_without_capacty`\n  help: did you mean `vec_push_without_capacity`?\n"
    );
}

#[test]
fn short_format_is_one_line_per_finding_and_error() {
    let run = memlint(&["--manifest-path", &manifest("broken"), "--output-format", "short"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "src/lib.rs:5:19: warning[vec_push_without_capacity]: `out` starts empty and grows by one `push` per iteration of a loop over `xs`: about log2(n) reallocations where one allocation would do",
            "src/latin1.rs:1:7: error[not-utf8]: file is not valid UTF-8 (invalid byte sequence at byte 6)",
            "src/syntax.rs:3:5: error[parse]: expected `;`",
        ]
    );
    let run = memlint(&["--manifest-path", &manifest("workspace"), "--output-format", "short", "-D", "all"]);
    assert!(run.stdout.lines().all(|l| l.contains(": error[")), "{}", run.stdout);
}

#[test]
fn github_format_annotates_findings_and_errors_with_escaping() {
    let run = memlint(&["--manifest-path", &manifest("broken"), "--output-format", "github"]);
    assert_eq!(run.code, 2);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(
        lines[0].starts_with(
            "::warning file=src/lib.rs,line=5,col=19,endLine=5,endColumn=29,title=memlint(vec_push_without_capacity)::`out` starts empty"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("%0Ahelp: reserve the final size up front"), "newlines are escaped: {}", lines[0]);
    assert_eq!(
        lines[1],
        "::error file=src/latin1.rs,line=1,col=7,title=memlint%3A not-utf8 error::file is not valid UTF-8 (invalid byte sequence at byte 6)"
    );
    assert_eq!(lines[2], "::error file=src/syntax.rs,line=3,col=5,title=memlint%3A parse error::expected `;`");
    assert!(lines[3].starts_with("::notice title=memlint::memlint: 1 warning in 1 file"), "{}", lines[3]);
}

#[test]
fn statistics_count_findings_per_rule() {
    let run = memlint(&["--manifest-path", &manifest("workspace"), "--statistics", "-D", "string_concat_in_loop"]);
    assert_eq!(run.code, 1);
    let table: Vec<&str> = run.stdout.lines().take(2).collect();
    assert_eq!(table, ["     3  string_concat_in_loop      error", "     3  vec_push_without_capacity  warning"]);
    assert!(
        run.stdout.lines().nth(2).is_some_and(|l| l.starts_with("memlint: 3 errors, 3 warnings")),
        "{}",
        run.stdout
    );
}

#[test]
fn cargo_json_is_read_by_cargo_metadata_like_cargo_check_output() {
    let run = memlint(&["--manifest-path", &manifest("workspace"), "--output-format", "cargo-json", "-q"]);
    assert_eq!(run.code, 1);
    let messages: Vec<cargo_metadata::Message> =
        cargo_metadata::Message::parse_stream(run.stdout.as_bytes()).map(|m| m.expect("a cargo message")).collect();
    let mut diagnostics = Vec::new();
    for message in &messages {
        match message {
            cargo_metadata::Message::CompilerMessage(m) => diagnostics.push(m),
            cargo_metadata::Message::BuildFinished(f) => assert!(f.success),
            other => panic!("unexpected message {other:?}"),
        }
    }
    assert_eq!(diagnostics.len(), 6);
    let lib =
        diagnostics.iter().find(|m| m.message.spans[0].file_name == "alpha/src/lib.rs").expect("alpha lib finding");
    assert_eq!(lib.target.name, "alpha");
    assert!(lib.package_id.repr.contains("alpha"), "{}", lib.package_id.repr);
    assert_eq!(lib.message.code.as_ref().map(|c| c.code.as_str()), Some("memlint::vec_push_without_capacity"));
    assert_eq!((lib.message.spans[0].line_start, lib.message.spans[0].column_start), (9, 19));
    let help = &lib.message.children[0];
    assert_eq!(help.spans[0].suggested_replacement.as_deref(), Some("Vec::with_capacity(records.len())"));
    assert!(lib.message.rendered.as_deref().is_some_and(|r| r.starts_with("memlint::vec_push_without_capacity")));
    let bin =
        diagnostics.iter().find(|m| m.message.spans[0].file_name == "alpha/src/bin/tool.rs").expect("bin finding");
    assert_eq!(bin.target.name, "tool");
}

#[test]
fn several_formats_in_one_run() {
    let dir = memlint_tests::scratch_dir("formats");
    let (json, sarif, short) = (dir.join("out.json"), dir.join("out.sarif"), dir.join("out.txt"));
    let run = memlint(&[
        "--manifest-path",
        &manifest("workspace"),
        "--color",
        "never",
        "--json-file",
        &json.display().to_string(),
        "--sarif-file",
        &sarif.display().to_string(),
        "--short-file",
        &short.display().to_string(),
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("memlint::vec_push_without_capacity"), "the terminal still gets the human output");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(6));
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().map(Vec::len), Some(6));
    assert_eq!(std::fs::read_to_string(&short).unwrap().lines().count(), 6);
}

/// What the summary and errors say is what happened: a missing path is not
/// a file that failed, and the rule count is of the rules that ran.
#[test]
fn summary_words_say_what_happened() {
    let dir = memlint_tests::scratch_dir("cli-words");
    std::fs::write(dir.join("a.rs"), "pub fn f() {}\n").expect("a.rs");
    let run = memlint_in(&dir, &["a.rs", "no-such-dir", "--no-cache"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let summary = memlint_tests::redact_summary(run.stdout.lines().last().unwrap_or(""));
    assert_eq!(summary, "memlint: no findings in 1 file ([DEFAULT] rules on) in [ELAPSED]; 1 path could not be read");
    // `profile` outside any package says how to profile, not how to lint.
    let run = memlint_in(&dir, &["profile", "--bin", "server"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("help: run `cargo memlint profile` in the package of the program to profile"),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Members of a workspace see each other's public items: a copy lent to a
/// function of another member (its lib named as the code names it, a
/// rename included) or of the package's own lib, or to a method of one of
/// its types, and a clone of what it returns, are found once every member
/// is linted, on a cold run and through the cache alike; what the other
/// crate's signature needs, and its `Copy` types, stay silent.
#[test]
fn members_of_a_workspace_see_each_others_public_items() {
    let dir = memlint_tests::fixture_copy("members", "members");
    let manifest = dir.join("Cargo.toml").display().to_string();
    let expected = vec![
        f("app/src/main.rs", 10, "unnecessary_to_owned"),
        f("app/src/main.rs", 11, "unnecessary_to_owned"),
        f("app/src/main.rs", 12, "unnecessary_to_owned"),
        f("app/src/main.rs", 13, "unnecessary_to_owned"),
        f("app/src/main.rs", 14, "unnecessary_to_owned"),
        f("app/src/main.rs", 19, "redundant_clone"),
        f("app/src/main.rs", 22, "redundant_clone"),
        f("app/src/main.rs", 34, "unnecessary_to_owned"),
        f("app/src/main.rs", 34, "unnecessary_to_owned"),
    ];
    for run in ["cold", "filling the cache", "from the cache"] {
        let args: &[&str] = match run {
            "cold" => &["--manifest-path", &manifest, "--output-format", "json", "--no-cache"],
            _ => &["--manifest-path", &manifest, "--output-format", "json"],
        };
        let linted = memlint(args);
        assert_eq!(linted.code, 1, "{run}: {}", linted.stderr);
        // The suppression on line 27 is used by a finding the workspace phase decides.
        assert_eq!(findings(&linted.json()), expected, "{run}");
    }
    // Alone, `app` sees nothing of `shapes-core`: its findings are not certain.
    let alone = memlint(&["--manifest-path", &manifest, "-p", "app", "--output-format", "json", "--no-cache"]);
    let found = findings(&alone.json());
    assert_eq!(found, [f("app/src/main.rs", 14, "unnecessary_to_owned")], "{}", alone.stderr);
}
