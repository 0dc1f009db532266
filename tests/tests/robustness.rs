//! Inputs that must give a clear error or a clean result, never a crash:
//! the real binary on generated files.

use std::path::Path;

use memlint_tests::{ScratchDir, findings, memlint_in};

/// A fresh directory for one test, with the given files.
fn dir_with(test: &str, files: &[(&str, String)]) -> ScratchDir {
    let dir = memlint_tests::scratch_dir(&format!("robust-{test}"));
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write a test file");
    }
    dir
}

/// A file with one finding, to show the other files are still linted.
fn with_finding() -> (&'static str, String) {
    let text = "pub fn f(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n";
    ("grows.rs", text.to_owned())
}

fn parens(levels: usize) -> String {
    format!("pub fn f() -> u32 {{\n    {}1{}\n}}\n", "(".repeat(levels), ")".repeat(levels))
}

fn blocks(levels: usize) -> String {
    format!("pub fn f() {{\n    {}{}\n}}\n", "{".repeat(levels), "}".repeat(levels))
}

#[test]
fn ten_thousand_levels_of_nesting_are_linted() {
    let dir = dir_with("deep-ok", &[("parens.rs", parens(10_000)), ("blocks.rs", blocks(10_000)), with_finding()]);
    let run = memlint_in(&dir, &[".", "--output-format", "json", "--no-cache"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0), "{report}");
    assert_eq!(report["summary"]["files"], 3);
    assert_eq!(findings(&report), [("grows.rs".to_owned(), 2, "vec_push_without_capacity".to_owned())]);
}

#[test]
fn a_file_nested_too_deeply_is_reported_not_a_crash() {
    let dir = dir_with("deep-too", &[("deep.rs", parens(100_000)), ("blocks.rs", blocks(30_000)), with_finding()]);
    let run = memlint_in(&dir, &[".", "--output-format", "json", "--no-cache"]);
    assert_eq!(run.code, 2, "files that could not be linted make the exit code 2: {}", run.stderr);
    let report = run.json();
    let errors = report["errors"].as_array().expect("errors");
    let summary: Vec<(&str, &str, u64, u64)> = errors
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap_or(""),
                e["kind"].as_str().unwrap_or(""),
                e["line"].as_u64().unwrap_or(0),
                e["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // Reported where the nesting passes 20,000 levels (the `{` of the fn is one).
    assert_eq!(summary, [("blocks.rs", "parse", 2, 20_004), ("deep.rs", "parse", 2, 20_004)]);
    for error in errors {
        let message = error["message"].as_str().unwrap_or("");
        assert!(message.starts_with("nested too deeply: more than 20000 levels of brackets"), "{message}");
    }
    // The other file is linted all the same.
    assert_eq!(findings(&report), [("grows.rs".to_owned(), 2, "vec_push_without_capacity".to_owned())]);
}

/// Runs memlint in `dir` with `closed` (stdout or stderr) closed by its
/// reader before memlint writes anything, as `| head` or `| true` do; returns
/// the exit code and what the other stream got.
fn run_with_closed(dir: &Path, args: &[&str], closed: Stream) -> (i32, String) {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(memlint_tests::memlint_bin())
        .arg("memlint")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("memlint starts");
    let (to_close, mut other): (Box<dyn Read>, Box<dyn Read>) = match closed {
        Stream::Stdout => {
            (Box::new(child.stdout.take().expect("piped")), Box::new(child.stderr.take().expect("piped")))
        }
        Stream::Stderr => {
            (Box::new(child.stderr.take().expect("piped")), Box::new(child.stdout.take().expect("piped")))
        }
    };
    drop(to_close);
    let mut text = String::new();
    other.read_to_string(&mut text).expect("the other stream reads");
    let status = child.wait().expect("memlint ends");
    (status.code().unwrap_or(-1), text)
}

#[derive(Debug, Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = dir_with("pipe", &[with_finding()]);
    // `cargo memlint | head`: the findings' exit status, and no error message.
    let (code, stderr) = run_with_closed(&dir, &[".", "--no-cache"], Stream::Stdout);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    // `cargo memlint 2>&1 >/dev/null | head`: stderr closed, also with
    // --timings (which writes a table there): no panic.
    for extra in [&[][..], &["--timings"][..]] {
        let args: Vec<&str> =
            [".", "--no-cache", "--output-format", "json"].into_iter().chain(extra.iter().copied()).collect();
        let (code, stdout) = run_with_closed(&dir, &args, Stream::Stderr);
        assert_eq!(code, 1, "{extra:?}: {stdout}");
        assert!(stdout.contains("vec_push_without_capacity"), "{stdout}");
    }
}

#[test]
fn an_unwritable_output_fails_before_any_linting() {
    let dir = dir_with("unwritable", &[with_finding(), ("deep.rs", parens(100_000))]);
    for flag in ["--output", "--json-file", "--sarif-file", "--write-baseline"] {
        let run = memlint_in(&dir, &[".", "--no-cache", flag, "no/such/dir/out.json"]);
        assert_eq!(run.code, 2, "{flag}: {}", run.stderr);
        assert_eq!(
            run.stderr.lines().next().unwrap_or(""),
            "error: cannot write `no/such/dir/out.json`: No such file or directory (os error 2)",
            "{flag}"
        );
        // Nothing was linted: no findings, no summary, no file error.
        assert_eq!(run.stdout, "", "{flag}");
        assert_eq!(run.stderr.lines().count(), 1, "{flag}: {}", run.stderr);
    }
    let run = memlint_in(&dir, &[".", "--no-cache", "--output", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: cannot write `.`: it is a directory"), "{}", run.stderr);
}

#[test]
fn output_files_are_replaced_whole() {
    let dir = dir_with("atomic", &[with_finding()]);
    std::fs::write(dir.join("out.json"), "x".repeat(100_000)).expect("an old, longer output");
    let run = memlint_in(&dir, &[".", "--no-cache", "--output-format", "json", "--output", "out.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let written = std::fs::read_to_string(dir.join("out.json")).expect("written");
    let report: serde_json::Value = serde_json::from_str(&written).expect("the whole new report, nothing of the old");
    assert_eq!(report["summary"]["findings"], 1);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("lists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "no temporary file is left: {names:?}");
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed_and_never_skipped_in_silence() {
    use std::os::unix::fs::symlink;
    let dir = dir_with("links", &[with_finding()]);
    let outside = dir_with("links-outside", &[with_finding()]);
    std::fs::create_dir_all(dir.join("sub")).expect("sub");
    symlink(dir.join("grows.rs"), dir.join("sub/inside.rs")).expect("link inside");
    symlink(outside.join("grows.rs"), dir.join("sub/outside.rs")).expect("link outside");
    symlink(dir.join("missing.rs"), dir.join("sub/dangling.rs")).expect("dangling link");
    symlink(&dir, dir.join("sub/loop")).expect("a link to an enclosing directory");
    let run = memlint_in(&dir, &[".", "--no-cache", "--output-format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = run.json();
    // The linked file inside the tree is linted once, where it lives; the
    // loop is never entered.
    assert_eq!(findings(&report), [("grows.rs".to_owned(), 2, "vec_push_without_capacity".to_owned())]);
    let errors: Vec<(String, String)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["file"].as_str().unwrap_or("").to_owned(), e["message"].as_str().unwrap_or("").to_owned()))
        .collect();
    let outside_target = std::fs::canonicalize(outside.join("grows.rs")).expect("exists");
    assert_eq!(
        errors,
        [
            ("sub/dangling.rs".to_owned(), "dangling symbolic link".to_owned()),
            (
                "sub/outside.rs".to_owned(),
                format!(
                    "a symbolic link to `{}`, outside `.` (memlint does not follow links)",
                    outside_target.display()
                )
            ),
        ]
    );
}

#[test]
fn a_finding_on_a_very_long_line_is_shown_without_the_line() {
    let code = "pub fn f(n: usize) -> Vec<usize> { let mut v = Vec::new(); for i in 0..n { v.push(i); } v }";
    let text = format!("{code} /* {} */\n", "x".repeat(200_000));
    let dir = dir_with("long-line", &[("long.rs", text), with_finding()]);
    let run = memlint_in(&dir, &[".", "--no-cache"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.len() < 5_000, "the 200,000-character line is not printed: {} bytes", run.stdout.len());
    assert!(run.stdout.contains("⚠ long.rs:1:48: `v` starts empty"), "the location leads instead: {}", run.stdout);
    // An ordinary line keeps its snippet.
    assert!(run.stdout.contains("╭─[grows.rs:2:17]"), "{}", run.stdout);
}

#[test]
fn an_invalid_manifest_shows_cargos_message() {
    let dir = dir_with("manifest", &[("Cargo.toml", "[package]\nname = \"x\"\nversion = \n".to_owned())]);
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(dir.join("src/lib.rs"), "pub fn f() {}\n").expect("lib");
    let run = memlint_in(&dir, &["--workspace"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let manifest = dir.join("Cargo.toml");
    let expected = format!("error: `cargo metadata` failed for `{}`:", manifest.display());
    assert!(run.stderr.starts_with(&expected), "{}", run.stderr);
    assert!(run.stderr.contains("string values must be quoted"), "cargo's own message: {}", run.stderr);
    assert!(run.stderr.contains("--> Cargo.toml:3:11"), "with cargo's location: {}", run.stderr);
    // Dependencies are not resolved (`--no-deps`): a missing path dependency
    // is cargo's business at build time, not memlint's.
    std::fs::write(
        &manifest,
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[dependencies]\ngone = { path = \"../gone\" }\n",
    )
    .expect("manifest");
    assert_eq!(memlint_in(&dir, &["--workspace"]).code, 0);
}

/// The `(file, kind, message)` of every error of a JSON report.
fn errors_of(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            let text = |key: &str| e[key].as_str().unwrap_or("").to_owned();
            (text("file"), text("kind"), text("message"))
        })
        .collect()
}

#[test]
fn a_named_pipe_is_listed_never_opened() {
    let dir = dir_with("pipe", &[with_finding()]);
    let made = std::process::Command::new("mkfifo").arg(dir.join("pipe.rs")).status().expect("mkfifo runs");
    assert!(made.success());
    // Opening a pipe for reading blocks until something writes to it: a
    // hang, if memlint opened it. Walked, or named on the command line.
    for args in [
        &[".", "--no-cache", "--output-format", "json"][..],
        &["pipe.rs", "grows.rs", "--no-cache", "--output-format", "json"],
    ] {
        let run = memlint_in(&dir, args);
        assert_eq!(run.code, 2, "{}", run.stderr);
        let report = run.json();
        assert_eq!(
            errors_of(&report),
            [("pipe.rs".to_owned(), "io".to_owned(), "it is a named pipe, not a regular file".to_owned())]
        );
        assert_eq!(findings(&report), [("grows.rs".to_owned(), 2, "vec_push_without_capacity".to_owned())]);
    }
    let run = memlint_in(&dir, &[".", "--no-cache"]);
    assert!(
        run.stdout.contains("× pipe.rs: cannot read file: it is a named pipe, not a regular file"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_file_over_the_size_limit_is_listed_not_read() {
    // 50 MiB of generated constants: parsing it would take ~5.5 GiB.
    let line = "pub const GENERATED: [u32; 4] = [1, 2, 3, 4]; // padding padding padding\n";
    let generated = line.repeat((50 << 20) / line.len() + 1);
    let dir = dir_with("huge", &[("generated.rs", generated), with_finding()]);
    let run = memlint_in(&dir, &[".", "--no-cache", "--output-format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = run.json();
    let too_large = "not linted: it is 50.0 MiB, over the limit of 10.0 MiB (`max-file-size`)";
    assert_eq!(errors_of(&report), [("generated.rs".to_owned(), "too-large".to_owned(), too_large.to_owned())]);
    assert_eq!(findings(&report), [("grows.rs".to_owned(), 2, "vec_push_without_capacity".to_owned())]);
    let run = memlint_in(&dir, &[".", "--no-cache"]);
    assert!(
        run.stdout.contains(&format!("× generated.rs: file {too_large}\n  help: parsing takes about 110 bytes of memory per byte of source; exclude generated files with `exclude`, or raise `max-file-size` in memlint.toml")),
        "{}",
        run.stdout
    );
}

#[test]
fn max_file_size_sets_the_limit() {
    let (name, text) = with_finding();
    let dir = dir_with("size-limit", &[("big.rs", format!("{text}{}\n", "// padding\n".repeat(100))), (name, text)]);
    let limits = [
        (
            "max-file-size = 500",
            vec![("big.rs", "not linted: it is 1.2 KiB, over the limit of 500 bytes (`max-file-size`)")],
        ),
        (
            "max-file-size = \"1 KiB\"",
            vec![("big.rs", "not linted: it is 1.2 KiB, over the limit of 1.0 KiB (`max-file-size`)")],
        ),
        ("max-file-size = \"2KB\"", vec![]),
    ];
    for (setting, expected) in limits {
        std::fs::write(dir.join("memlint.toml"), format!("{setting}\n")).expect("config");
        let run = memlint_in(&dir, &[".", "--no-cache", "--output-format", "json"]);
        let report = run.json();
        let errors: Vec<(String, String)> =
            errors_of(&report).into_iter().map(|(file, _, message)| (file, message)).collect();
        let expected: Vec<(String, String)> =
            expected.iter().map(|(f, m)| ((*f).to_owned(), (*m).to_owned())).collect();
        assert_eq!(errors, expected, "{setting}");
        assert_eq!(run.code, if expected.is_empty() { 1 } else { 2 }, "{setting}: {}", run.stderr);
    }
}

#[test]
fn a_file_named_twice_is_linted_once() {
    let dir = dir_with("twice", &[with_finding()]);
    let absolute = dir.join("grows.rs").display().to_string();
    let run = memlint_in(&dir, &[".", "grows.rs", "./grows.rs", &absolute, "--no-cache", "--output-format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(findings(&report), [("grows.rs".to_owned(), 2, "vec_push_without_capacity".to_owned())]);
}

#[test]
fn unreadable_files_and_directories_are_listed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with("permissions", &[with_finding(), ("secret.rs", "pub fn s() {}\n".to_owned())]);
    std::fs::create_dir_all(dir.join("locked")).expect("locked");
    std::fs::write(dir.join("locked/inner.rs"), "pub fn i() {}\n").expect("inner");
    let mode = |path: &str, mode: u32| {
        std::fs::set_permissions(dir.join(path), std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    mode(".", 0o755);
    mode("secret.rs", 0o000);
    mode("locked", 0o000);
    let mut command = std::process::Command::new(memlint_tests::memlint_bin());
    command.args(["memlint", ".", "--no-cache", "--output-format", "json"]).current_dir(&dir).env("NO_COLOR", "1");
    let Some(command) = memlint_tests::as_unprivileged(command) else {
        eprintln!(
            "SKIPPED unreadable_files_and_directories_are_listed: running as root without setpriv, so no file can be made unreadable"
        );
        mode("locked", 0o755);
        return;
    };
    let run = memlint_tests::run(command);
    mode("locked", 0o755);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = run.json();
    let denied = "Permission denied (os error 13)";
    assert_eq!(
        errors_of(&report),
        // Files that could not be read, then directories that could not be walked.
        [
            ("secret.rs".to_owned(), "io".to_owned(), denied.to_owned()),
            ("locked".to_owned(), "io".to_owned(), denied.to_owned())
        ]
    );
    assert_eq!(findings(&report), [("grows.rs".to_owned(), 2, "vec_push_without_capacity".to_owned())]);
}

#[test]
fn an_empty_directory_is_a_clean_run_with_a_warning() {
    let dir = dir_with("empty", &[]);
    std::fs::create_dir_all(dir.join("nothing/here")).expect("empty directories");
    let run = memlint_in(&dir, &["nothing", "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "warning: no Rust files to lint in `nothing`\n");
    let summary = memlint_tests::redact_summary(&run.stdout);
    assert!(summary.starts_with("memlint: no findings in 0 files ([DEFAULT] rules on)"), "{summary}");
}

/// Static linting never builds or runs the code it reads: no build script,
/// no proc-macro, no dependency resolution (`cargo metadata --no-deps`).
#[test]
fn linting_never_builds_or_runs_user_code() {
    let dir = dir_with("never-builds", &[]);
    let manifest = "[package]\nname = \"builds\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n\n[dependencies]\nnot-on-this-machine = \"99\"\n";
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    // The build script would leave a mark if it ever ran.
    let build =
        "fn main() {\n    std::fs::write(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/BUILT\"), \"\").unwrap();\n}\n";
    std::fs::write(dir.join("build.rs"), build).expect("build.rs");
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(dir.join("src/lib.rs"), with_finding().1).expect("lib.rs");
    let run = memlint_in(&dir, &["--workspace", "--output-format", "short"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("src/lib.rs:2:17: warning[vec_push_without_capacity]"), "{}", run.stdout);
    assert!(!dir.join("BUILT").exists(), "the build script ran");
    let in_target: Vec<String> = std::fs::read_dir(dir.join("target"))
        .expect("the cache's target directory")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(in_target, ["memlint"], "nothing was built");
    assert!(!dir.join("Cargo.lock").exists(), "dependencies were not resolved");
}
