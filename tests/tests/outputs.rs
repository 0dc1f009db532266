//! What memlint's outputs do to what they are pointed at: a device, a named
//! pipe, a symbolic link, `-`, a descriptor of the process (`/dev/fd/N`,
//! `/dev/stdout`). Only a regular file may be replaced (whole, through a
//! temporary file); everything else is written in place and stays what it is.
#![cfg(target_os = "linux")]

use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::Path;
use std::time::Duration;

use memlint_tests::{ScratchDir, findings, memlint_in};

/// A fresh directory with one file that has one finding.
fn crate_dir(test: &str) -> ScratchDir {
    let dir = memlint_tests::scratch_dir(&format!("outputs-{test}"));
    let text = "pub fn f(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n";
    std::fs::write(dir.join("grows.rs"), text).expect("a source file");
    dir
}

fn one_finding() -> Vec<(String, u64, String)> {
    vec![("grows.rs".to_owned(), 2, "vec_push_without_capacity".to_owned())]
}

/// The report's findings, from JSON text.
fn findings_in(json: &str) -> Vec<(String, u64, String)> {
    let report: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("not a JSON report ({e}):\n{json}"));
    findings(&report)
}

fn kind(path: &Path) -> std::fs::FileType {
    std::fs::symlink_metadata(path).expect("still there").file_type()
}

/// Every flag that names an output, with the arguments that make it write
/// something (`--output` writes JSON, so its content can be checked).
const OUTPUT_FLAGS: [(&str, &[&str]); 5] = [
    ("--output", &["--output-format", "json", "--output"]),
    ("--json-file", &["--json-file"]),
    ("--sarif-file", &["--sarif-file"]),
    ("--short-file", &["--short-file"]),
    ("--write-baseline", &["--write-baseline"]),
];

fn run_writing(dir: &Path, flag_args: &[&str], destination: &str) -> memlint_tests::Run {
    let mut args = vec![".", "--no-cache"];
    args.extend_from_slice(flag_args);
    args.push(destination);
    memlint_in(dir, &args)
}

/// The exit status of a successful run writing with `flag`: findings are
/// reported (1), except that recording a baseline exits 0.
fn expected_code(flag: &str) -> i32 {
    if flag == "--write-baseline" { 0 } else { 1 }
}

/// Run as root (as in CI containers), renaming a file over `/dev/null`
/// replaces the machine's null device. A device node made in a temporary
/// directory shows it without risking the real one.
#[test]
#[cfg_attr(memlint_not_root, ignore = "needs root to make a device node (mknod); the tests were built by another user")]
fn a_character_device_is_written_in_place_never_replaced() {
    memlint_tests::assert_root("a_character_device_is_written_in_place_never_replaced");
    let dir = crate_dir("device");
    let made = std::process::Command::new("mknod").arg(dir.join("null")).args(["c", "1", "3"]).status();
    assert!(made.expect("mknod runs").success(), "mknod null c 1 3");
    for (flag, args) in OUTPUT_FLAGS {
        let run = run_writing(&dir, args, "null");
        assert_eq!(run.code, expected_code(flag), "{flag}: {}", run.stderr);
        assert!(kind(&dir.join("null")).is_char_device(), "{flag} replaced the device node");
        assert_eq!(std::fs::read(dir.join("null")).expect("reads the device"), b"", "{flag}: still the null device");
    }
    let entries = std::fs::read_dir(&dir).expect("lists").count();
    assert_eq!(entries, 2, "no temporary file is left beside the device");
}

/// Opens `fifo` for writing without blocking, so that a reader blocked in
/// its `open` (memlint never wrote) gets an end of file; does nothing when
/// no reader is left.
fn release_reader(fifo: &Path) {
    use std::os::unix::fs::OpenOptionsExt;
    const O_NONBLOCK: i32 = 0o4000;
    let _ = std::fs::OpenOptions::new().write(true).custom_flags(O_NONBLOCK).open(fifo);
}

#[test]
fn a_named_pipe_is_written_to_its_reader() {
    let dir = crate_dir("fifo");
    let fifo = dir.join("report.pipe");
    for (flag, args) in OUTPUT_FLAGS {
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
        assert!(made.success());
        let (sender, received) = std::sync::mpsc::channel();
        let reading = fifo.clone();
        let reader = std::thread::spawn(move || {
            let text = std::fs::read_to_string(&reading).unwrap_or_else(|e| format!("cannot read: {e}"));
            let _ = sender.send(text);
        });
        let run = run_writing(&dir, args, "report.pipe");
        let still_a_pipe = kind(&fifo).is_fifo();
        if !reader.is_finished() {
            release_reader(&fifo);
        }
        let text = received.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
        assert!(still_a_pipe, "{flag} replaced the named pipe with a file");
        assert_eq!(run.code, expected_code(flag), "{flag}: {}", run.stderr);
        match flag {
            "--output" | "--json-file" => assert_eq!(findings_in(&text), one_finding(), "{flag}"),
            "--short-file" => assert!(text.starts_with("grows.rs:2:"), "{flag}: {text}"),
            _ => assert!(text.starts_with('{') && text.contains("vec_push_without_capacity"), "{flag}: {text}"),
        }
        std::fs::remove_file(&fifo).expect("remove the pipe");
    }
}

#[test]
fn a_symbolic_link_is_followed_and_kept() {
    let dir = crate_dir("symlink");
    std::fs::create_dir(dir.join("reports")).expect("reports");
    for (flag, args) in OUTPUT_FLAGS {
        std::fs::write(dir.join("reports/out"), "old").expect("the link's target");
        let _ = std::fs::remove_file(dir.join("latest"));
        symlink("reports/out", dir.join("latest")).expect("a relative link");
        let run = run_writing(&dir, args, "latest");
        assert_eq!(run.code, expected_code(flag), "{flag}: {}", run.stderr);
        assert!(kind(&dir.join("latest")).is_symlink(), "{flag} replaced the link with a file");
        let written = std::fs::read_to_string(dir.join("reports/out")).expect("the target");
        assert!(written.contains("grows.rs"), "{flag} wrote the link's target: {written}");
        if flag == "--output" {
            assert_eq!(findings_in(&written), one_finding());
        }
        let mut left: Vec<_> =
            std::fs::read_dir(dir.join("reports")).expect("lists").flatten().map(|e| e.file_name()).collect();
        left.sort();
        assert_eq!(left, ["out"], "{flag}: no temporary file is left beside the target");
    }
    // A link to a link, through a linked directory.
    symlink(dir.join("reports"), dir.join("via")).expect("a link to the directory");
    symlink(dir.join("via/out"), dir.join("chain")).expect("an absolute link");
    let run = run_writing(&dir, &["--output-format", "json", "-o"], "chain");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(kind(&dir.join("chain")).is_symlink() && kind(&dir.join("via")).is_symlink());
    let written = std::fs::read_to_string(dir.join("reports/out")).expect("the target");
    assert_eq!(findings_in(&written), one_finding());
}

#[test]
fn a_dangling_symbolic_link_is_a_clear_error_before_any_linting() {
    let dir = crate_dir("dangling");
    symlink("missing/out.json", dir.join("dangling")).expect("a dangling link");
    let target = std::fs::canonicalize(&dir).expect("exists").join("missing/out.json");
    for (flag, args) in OUTPUT_FLAGS {
        let run = run_writing(&dir, args, "dangling");
        assert_eq!(run.code, 2, "{flag}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "error: cannot write `dangling`: it is a symbolic link to `{}`, which does not exist\n",
                target.display()
            ),
            "{flag}"
        );
        assert_eq!(run.stdout, "", "{flag}: nothing was linted");
        assert!(kind(&dir.join("dangling")).is_symlink(), "{flag}: the link is left as it was");
        assert!(!dir.join("missing").exists(), "{flag}");
    }
}

#[test]
fn dash_is_standard_output() {
    let dir = crate_dir("dash");
    let run = memlint_in(&dir, &[".", "--no-cache", "--output-format", "json", "-o", "-"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(findings(&run.json()), one_finding());
    assert!(run.stderr.starts_with("memlint: 1 warning"), "the summary goes to stderr: {}", run.stderr);
    // Human output to `-` is the default output, summary included.
    let run = memlint_in(&dir, &[".", "--no-cache", "-o", "-"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("memlint::vec_push_without_capacity") && run.stdout.contains("memlint: 1 warning"));
    // A side file on stdout while the report goes to a file.
    for (flag, args) in &OUTPUT_FLAGS[1..] {
        let mut report_elsewhere = vec![".", "--no-cache", "-o", "report.txt"];
        report_elsewhere.extend_from_slice(args);
        report_elsewhere.push("-");
        let run = memlint_in(&dir, &report_elsewhere);
        assert_eq!(run.code, expected_code(flag), "{flag}: {}", run.stderr);
        assert!(run.stdout.contains("grows.rs"), "{flag} wrote to stdout: {}", run.stdout);
        if *flag == "--json-file" {
            assert_eq!(findings(&run.json()), one_finding());
        }
    }
    assert!(!dir.join("-").exists(), "no file named `-`");
    // Two outputs on stdout would interleave: refused before linting.
    let run = memlint_in(&dir, &[".", "--no-cache", "--json-file", "-"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: the report, `--json-file -` would all write to standard output\n  help: send all but one of them to a file (`-o FILE` for the report)\n"
    );
    let run = memlint_in(&dir, &[".", "--no-cache", "-o", "r.txt", "--json-file", "-", "--sarif-file", "-"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: `--json-file -`, `--sarif-file -` would all write"), "{}", run.stderr);
}

/// `--json-file >(cmd)`: the shell passes `/dev/fd/63`, a pipe to `cmd`.
#[test]
fn process_substitution_writes_to_the_pipe() {
    let dir = crate_dir("procsub");
    // `cat` finishes after the shell, which holds the pipe too: the test
    // waits for its file below.
    let script =
        r#""$0" memlint . --no-cache -q --output-format short -o short.txt --json-file >(cat > from-pipe.json)"#;
    let mut command = std::process::Command::new("bash");
    command.args(["-c", script]).arg(memlint_tests::memlint_bin()).current_dir(&dir).env("NO_COLOR", "1");
    let run = memlint_tests::run(command);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut piped = String::new();
    for _ in 0..600 {
        piped = std::fs::read_to_string(dir.join("from-pipe.json")).unwrap_or_default();
        if serde_json::from_str::<serde_json::Value>(&piped).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(findings_in(&piped), one_finding());
    assert!(std::fs::read_to_string(dir.join("short.txt")).expect("short").starts_with("grows.rs:2:"));
}

/// `-o /dev/fd/1` (`/dev/stdout` is a link to it) with stdout sent to a
/// file by the shell (`>>`): what was there stays, the report follows it,
/// and the file is not replaced. Not `/dev/stdout` itself: a memlint that
/// renamed over it, as root, would replace the machine's `/dev/stdout`
/// (before this test existed, one did), where `/dev/fd` refuses new files.
#[test]
fn standard_output_sent_to_a_file_is_appended_to() {
    let dir = crate_dir("devstdout");
    let log = dir.join("log.txt");
    std::fs::write(&log, "before\n").expect("a log");
    let appending = std::fs::OpenOptions::new().append(true).open(&log).expect("opens");
    let mut command = std::process::Command::new(memlint_tests::memlint_bin());
    command.args(["memlint", ".", "--no-cache", "--output-format", "json", "-o", "/dev/fd/1"]);
    command.current_dir(&dir).stdout(appending).stderr(std::process::Stdio::null());
    let status = command.status().expect("runs");
    assert_eq!(status.code(), Some(1));
    let text = std::fs::read_to_string(&log).expect("reads");
    let report = text.strip_prefix("before\n").unwrap_or_else(|| panic!("what was there stays: {text}"));
    assert_eq!(findings_in(report), one_finding());
}

/// `--fix` writes a file named through a symbolic link at the link's
/// target, and keeps the link.
#[test]
fn fix_writes_through_a_symbolic_link() {
    let dir = memlint_tests::scratch_dir("outputs-fix-link");
    let text = "pub fn f(xs: &[&str]) -> String {\n    let mut out = String::new();\n    for x in xs {\n        out += &format!(\"{x},\");\n    }\n    out\n}\n";
    std::fs::create_dir(dir.join("real")).expect("real");
    std::fs::write(dir.join("real/lib.rs"), text).expect("source");
    symlink("real/lib.rs", dir.join("link.rs")).expect("link");
    let run = memlint_in(&dir, &["link.rs", "--no-cache", "--fix", "--allow-dirty"]);
    assert!(run.stderr.contains("memlint: applied 1 fix in 1 file"), "{}", run.stderr);
    assert!(kind(&dir.join("link.rs")).is_symlink(), "the link is kept");
    let fixed = std::fs::read_to_string(dir.join("real/lib.rs")).expect("the target");
    assert!(fixed.contains("write!(out, \"{x},\")"), "{fixed}");
}

/// As a user who can't create files in `/dev`, `-o /dev/null` works (it
/// failed with "Permission denied" when outputs were always renamed).
#[test]
fn dev_null_works_for_an_unprivileged_user() {
    let dir = crate_dir("devnull");
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let mut command = std::process::Command::new(memlint_tests::memlint_bin());
    command.args(["memlint", ".", "--no-cache", "-o", "/dev/null", "--sarif-file", "/dev/null"]).current_dir(&dir);
    let command = memlint_tests::as_unprivileged(command).unwrap_or_else(|| {
        panic!("running as root without setpriv (util-linux): no unprivileged user to run memlint as")
    });
    let run = memlint_tests::run(command);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("memlint: 1 warning"), "{}", run.stderr);
}

/// `init --force` replaces a linked memlint.toml at the link's target.
#[test]
fn init_writes_through_a_symbolic_link() {
    let dir = memlint_tests::scratch_dir("outputs-init-link");
    std::fs::create_dir(dir.join("shared")).expect("shared");
    std::fs::write(dir.join("shared/memlint.toml"), "# old\n").expect("old settings");
    symlink("shared/memlint.toml", dir.join("memlint.toml")).expect("link");
    let run = memlint_in(&dir, &["init", ".", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(kind(&dir.join("memlint.toml")).is_symlink(), "the link is kept");
    let written = std::fs::read_to_string(dir.join("shared/memlint.toml")).expect("target");
    assert!(written.contains("fail-on"), "{written}");
}
