//! `--diff-base REV` on temporary git repositories: only findings on lines
//! changed since REV are reported; a revision that isn't there (a shallow
//! clone) fails loudly with exit status 2.

use std::path::Path;
use std::process::Command;

use memlint_tests::{fixture_copy, memlint_in};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=memlint", "-c", "user.email=memlint@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const NEW_FN: &str = "\npub fn evens(n: u32) -> Vec<u32> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i * 2);\n    }\n    v\n}\n";

#[test]
fn only_findings_on_changed_lines_are_reported() {
    let dir = fixture_copy("workspace", "diff-base");
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "base"]);

    // Nothing changed: every finding is on an unchanged line.
    let run = memlint_in(&dir, &["--diff-base", "HEAD"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("; 6 findings on unchanged lines hidden by --diff-base"), "{}", run.stdout);

    // A committed change on a branch, an uncommitted edit that moves old
    // findings down, and an untracked file (a module of the crate).
    git(&dir, &["checkout", "-qb", "feature"]);
    let beta = dir.join("beta/src/lib.rs");
    let text = std::fs::read_to_string(&beta).expect("read");
    std::fs::write(&beta, format!("{text}{NEW_FN}")).expect("write");
    git(&dir, &["commit", "-qam", "evens"]);
    let alpha = dir.join("alpha/src/lib.rs");
    let text = std::fs::read_to_string(&alpha).expect("read");
    std::fs::write(&alpha, format!("// a comment on top\n{text}mod extra;\n")).expect("write");
    std::fs::write(dir.join("alpha/src/extra.rs"), NEW_FN).expect("write");

    let run = memlint_in(&dir, &["--diff-base", "main", "--output-format", "short"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let files: Vec<&str> = run.stdout.lines().filter_map(|l| l.split(':').next()).collect();
    assert_eq!(files, ["alpha/src/extra.rs", "beta/src/lib.rs"], "{}", run.stdout);
    assert!(run.stderr.contains("; 6 findings on unchanged lines hidden"), "{}", run.stderr);
}

#[test]
fn a_missing_revision_fails_loudly() {
    let dir = fixture_copy("workspace", "diff-base-missing");
    // Not a repository at all.
    let run = memlint_in(&dir, &["--diff-base", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--diff-base: `git rev-parse --show-toplevel` failed"), "{}", run.stderr);

    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "one"]);
    std::fs::write(dir.join("beta/src/extra.rs"), NEW_FN).expect("write");
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "two"]);
    let run = memlint_in(&dir, &["--diff-base", "no-such-branch"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "", "nothing is linted");
    assert!(run.stderr.contains("revision `no-such-branch` is not in this repository"), "{}", run.stderr);

    // A shallow clone has no parent commit: say so, and how to fix it.
    let shallow = memlint_tests::scratch_dir("diff-base-shallow");
    let url = format!("file://{}", dir.display());
    git(dir.parent().expect("temp dir"), &["clone", "-q", "--depth", "1", &url, &shallow.display().to_string()]);
    let run = memlint_in(&shallow, &["--diff-base", "HEAD~1"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("this is a shallow clone") && run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
}
