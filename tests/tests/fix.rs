//! `cargo memlint --fix`, `--unsafe-fixes`, `--diff`: end to end on the
//! demo crate and the catalog fixture, in git repositories of their own.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use memlint_tests::{ScratchDir, copy_of, fixture, memlint_in, repo_root};

/// Runs git in `dir`, which must succeed.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=memlint", "-c", "user.email=memlint@test", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A copy of the crate at `dir`, committed in a new git repository.
fn committed_copy(dir: &Path, test: &str) -> ScratchDir {
    let copy = copy_of(dir, &format!("fix-{test}"));
    git(&copy, &["init", "-q"]);
    git(&copy, &["add", "-A"]);
    git(&copy, &["commit", "-q", "-m", "before fixing"]);
    copy
}

/// Every `.rs` file under `dir/src`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(dir.join("src"))
        .expect("src")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("utf-8");
            (p, text)
        })
        .collect();
    files.sort();
    files
}

/// `cargo check` of the crate in `dir`, a scratch copy, into a target
/// directory inside the copy, removed with it. The copies have no
/// dependencies, so there is nothing to share, and their paths change on
/// every run (they name the process): in a shared target directory each run
/// would add artifacts nobody reuses.
fn cargo_check(dir: &Path) -> (bool, String) {
    let out = Command::new(memlint_tests::cargo())
        .args(["check", "--quiet", "--all-targets", "--offline"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("cargo runs");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The safe fixes the findings in `dir` offer: the findings with one, and
/// the lines each one's edits change (`file`, line), from the JSON report.
fn safe_fixes(dir: &Path) -> (usize, BTreeSet<String>, BTreeSet<(String, u64)>) {
    let report = memlint_in(dir, &["--no-cache", "--output-format", "json"]).json();
    let safe: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["fix"]["applicability"] == "machine-applicable")
        .collect();
    let files = safe.iter().filter_map(|f| f["file"].as_str().map(str::to_owned)).collect();
    let mut lines = BTreeSet::new();
    for f in &safe {
        for edit in f["fix"]["edits"].as_array().expect("edits") {
            let (start, mut end) = (edit["line"].as_u64().expect("line"), edit["end_line"].as_u64().expect("end_line"));
            // An edit that takes a whole line ends at the start of the next.
            if end > start && edit["end_column"] == 1 {
                end -= 1;
            }
            lines.extend((start..=end).map(|l| (f["file"].as_str().expect("file").to_owned(), l)));
        }
    }
    (safe.len(), files, lines)
}

/// "applied N fixes in M files", as the fixes offered make it.
fn applied(dir: &Path) -> String {
    let (fixes, files, _) = safe_fixes(dir);
    format!("{fixes} fixes in {} files", files.len())
}

#[test]
fn fix_leaves_crates_that_compile_and_a_second_run_changes_nothing() {
    for (name, dir) in [("demo", repo_root().join("examples/demo")), ("catalog", fixture("catalog"))] {
        let copy = committed_copy(&dir, name);
        let before = sources(&copy);
        // Every safe fix the findings offer is applied, once.
        let (fixes, files, _) = safe_fixes(&copy);
        let files = files.len();
        assert!(fixes > 3, "{name}: enough safe fixes to mean something: {fixes}");
        let run = memlint_in(&copy, &["--fix", "--no-cache"]);
        assert_eq!(run.code, 1, "{name}: unsafe fixes and unfixable findings are left: {}", run.stderr);
        let applied = format!("memlint: applied {fixes} fixes in {files} files\n");
        assert!(run.stderr.contains(&applied), "{name}: {}", run.stderr);
        assert!(!run.stdout.contains("[*]"), "{name}: no safe fix is left: {}", run.stdout);
        assert!(run.stdout.contains("more with --unsafe-fixes") || run.stdout.contains("unsafe fix"), "{}", run.stdout);
        let (compiles, errors) = cargo_check(&copy);
        assert!(compiles, "{name} no longer compiles after --fix:\n{errors}");
        // Idempotence: nothing more to fix, nothing changes.
        let after = sources(&copy);
        assert_ne!(before, after);
        let again = memlint_in(&copy, &["--fix", "--no-cache"]);
        assert!(!again.stderr.contains("applied"), "{name}: {}", again.stderr);
        assert_eq!(sources(&copy), after, "{name}: a second --fix changed files");
        let diff = memlint_in(&copy, &["--diff", "--no-cache"]);
        assert_eq!((diff.code, diff.stdout.as_str()), (0, ""), "{name}: {}", diff.stderr);
    }
}

#[test]
fn fixes_change_only_what_they_fix() {
    let copy = committed_copy(&repo_root().join("examples/demo"), "only");
    let (_, _, fixed_lines) = safe_fixes(&copy);
    let run = memlint_in(&copy, &["--fix", "--no-cache"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Every changed line is a line a safe fix edits, and every such line
    // changed: comments, blank lines and formatting elsewhere are byte for
    // byte the same (an import a fix needs may be added).
    let diff = git(&copy, &["diff", "--unified=0", "--no-color"]);
    let mut removed = BTreeSet::new();
    let mut file = String::new();
    for line in diff.lines() {
        if let Some(name) = line.strip_prefix("--- a/") {
            file = name.to_owned();
        } else if let Some(hunk) = line.strip_prefix("@@ -") {
            let old = hunk.split(' ').next().expect("the old range");
            let (start, count) = old.split_once(',').unwrap_or((old, "1"));
            let (start, count): (u64, u64) = (start.parse().expect("start"), count.parse().expect("count"));
            removed.extend((start..start + count).map(|l| (file.clone(), l)));
        }
    }
    assert!(!removed.is_empty(), "{diff}");
    assert_eq!(removed, fixed_lines, "the lines --fix changed are the lines the safe fixes edit:\n{diff}");
    // What two of them look like.
    assert!(diff.contains("+    let mut out = Vec::with_capacity(records.len());"), "{diff}");
    assert!(diff.contains("+    match store.by_source.get(source) {"), "{diff}");
}

#[test]
fn diff_shows_the_fixes_and_changes_nothing() {
    let copy = committed_copy(&repo_root().join("examples/demo"), "diff");
    let before = sources(&copy);
    let run = memlint_in(&copy, &["--diff", "--no-cache"]);
    assert_eq!(run.code, 1, "something to fix: {}", run.stderr);
    assert!(run.stdout.starts_with("--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ "), "{}", run.stdout);
    assert_eq!(run.stderr, format!("memlint: {} would be applied (--diff changes nothing)\n", applied(&copy)));
    assert_eq!(sources(&copy), before, "--diff writes nothing");
    // The diff is the fix: applied with git, it gives what --fix writes.
    std::fs::write(copy.join("fixes.patch"), &run.stdout).expect("patch");
    git(&copy, &["apply", "fixes.patch"]);
    std::fs::remove_file(copy.join("fixes.patch")).expect("patch");
    let patched = sources(&copy);
    git(&copy, &["checkout", "--", "."]);
    memlint_in(&copy, &["--fix", "--no-cache"]);
    assert_eq!(sources(&copy), patched);
    // Unsafe fixes show only when asked for.
    let more = memlint_in(&copy, &["--diff", "--unsafe-fixes", "--no-cache"]);
    assert_eq!(more.code, 1);
    assert!(
        more.stdout.contains("-    pub records: Box<Vec<Record>>,\n+    pub records: Vec<Record>,"),
        "{}",
        more.stdout
    );
}

#[test]
fn fix_refuses_files_with_uncommitted_changes_or_outside_git() {
    let copy = committed_copy(&repo_root().join("examples/demo"), "dirty");
    let lib = copy.join("src/lib.rs");
    let edited = format!("{}\n// an edit not committed yet\n", std::fs::read_to_string(&lib).expect("lib"));
    std::fs::write(&lib, &edited).expect("edit");
    let before = sources(&copy);
    let expected = applied(&copy);
    let run = memlint_in(&copy, &["--fix", "--no-cache"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: --fix would change 1 file with uncommitted changes:\n  src/lib.rs (modified)\n  help: commit or stash them first, so the fixes can be reviewed and undone; or pass --allow-dirty\n"
    );
    assert_eq!(sources(&copy), before, "nothing is written");
    let allowed = memlint_in(&copy, &["--fix", "--allow-dirty", "--no-cache"]);
    assert!(allowed.stderr.contains(&format!("memlint: applied {expected}")), "{}", allowed.stderr);
    assert!(std::fs::read_to_string(&lib).expect("lib").contains("// an edit not committed yet"));
    // Outside any git work tree.
    let loose = copy_of(&repo_root().join("examples/demo"), "fix-loose");
    let run = memlint_in(&loose, &["--fix", "--no-cache"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let files = safe_fixes(&loose).1.len();
    let outside = format!("error: --fix would change {files} files outside any git work tree");
    assert!(run.stderr.starts_with(&outside), "{}", run.stderr);
}

#[test]
fn fixed_files_keep_their_permissions_byte_order_mark_and_line_ends() {
    use std::os::unix::fs::PermissionsExt;
    let copy = committed_copy(&repo_root().join("examples/demo"), "keep");
    let odd = "\u{feff}// A CRLF file with a BOM.\r\npub fn f(n: usize) -> String {\r\n    let mut s = String::new();\r\n    s.push_str(&format!(\"{n}\")); // trailing comment\r\n    s\r\n}\r\n";
    std::fs::write(copy.join("src/odd.rs"), odd).expect("odd");
    std::fs::set_permissions(copy.join("src/odd.rs"), std::fs::Permissions::from_mode(0o640)).expect("chmod");
    git(&copy, &["add", "-A"]);
    git(&copy, &["commit", "-q", "-m", "odd"]);
    let run = memlint_in(&copy, &["src/odd.rs", "--fix", "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fixed = std::fs::read_to_string(copy.join("src/odd.rs")).expect("odd");
    let expected = odd
        .replace("pub fn f", "use std::fmt::Write as _;\r\n\r\npub fn f")
        .replace("s.push_str(&format!(\"{n}\"));", "write!(s, \"{n}\").unwrap();");
    assert_eq!(fixed, expected, "the import too ends its lines with CRLF");
    let mode = std::fs::metadata(copy.join("src/odd.rs")).expect("odd").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn verify_restores_every_file_when_the_fixes_break_the_build() {
    let copy = committed_copy(&fixture("catalog"), "verify");
    let before = sources(&copy);
    // Unsafe fixes change types (`Vec<Box<T>>` to `Vec<T>`) without their
    // uses: the build breaks, and --verify puts every file back.
    let run = memlint_in(&copy, &["--fix", "--unsafe-fixes", "--verify", "--no-cache"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: --verify: `cargo check` fails after the fixes; every fixed file was restored"),
        "{}",
        run.stderr
    );
    assert_eq!(sources(&copy), before);
    // The safe fixes pass the check and stay.
    let expected = applied(&copy);
    let safe = memlint_in(&copy, &["--fix", "--verify", "--no-cache"]);
    assert!(safe.stderr.contains(&format!("memlint: applied {expected}")), "{}", safe.stderr);
    assert_ne!(sources(&copy), before);
}

#[test]
fn fix_flags_without_a_fix_are_usage_errors() {
    let demo = repo_root().join("examples/demo");
    for (args, error) in [
        (&["--unsafe-fixes"][..], "error: --unsafe-fixes needs --fix or --diff"),
        (&["--verify"], "error: --verify needs --fix"),
        (&["--allow-dirty", "--diff"], "error: --allow-dirty needs --fix"),
        (&["--fix", "--diff"], "error: the argument '--fix' cannot be used with '--diff'"),
        (
            &["--fix", "--write-baseline", "b.json"],
            "error: the argument '--fix' cannot be used with '--write-baseline <FILE>'",
        ),
    ] {
        let run = memlint_in(&demo, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().next(), Some(error), "{args:?}");
    }
}

#[test]
fn diff_names_the_files_it_could_not_read() {
    let copy = committed_copy(&repo_root().join("examples/demo"), "diff-errors");
    std::fs::write(copy.join("src/broken.rs"), "pub fn f( {\n").expect("broken");
    let lib = std::fs::read_to_string(copy.join("src/lib.rs")).expect("lib.rs");
    std::fs::write(copy.join("src/lib.rs"), format!("{lib}\nmod broken;\n")).expect("a module of the crate");
    let run = memlint_in(&copy, &["--diff", "--no-cache"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: src/broken.rs:1:11: syntax error: "), "{}", run.stderr);
    assert!(run.stdout.starts_with("--- a/src/lib.rs"), "the other files' fixes are shown: {}", run.stdout);
}
