//! `--fix` changes files in place: like `cargo fix`, it refuses files with
//! uncommitted changes (which a bad fix would mix with the user's own) and
//! files outside git, unless `--allow-dirty`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What git says about the files to change.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DirtyCheck {
    /// Every file is committed as it is.
    Clean,
    /// Not in a git work tree (or git can't tell): why.
    NotInGit(String),
    /// Files with changes git has not committed: path and git's status code.
    Dirty(Vec<(PathBuf, String)>),
}

/// Asks git, in `root`, about `files`.
pub(crate) fn dirty_files(root: &Path, files: &[&Path]) -> DirtyCheck {
    let inside = Command::new("git").arg("-C").arg(root).args(["rev-parse", "--is-inside-work-tree"]).output();
    match inside {
        Ok(out) if out.status.success() => {}
        Ok(out) => return DirtyCheck::NotInGit(String::from_utf8_lossy(&out.stderr).trim().to_owned()),
        Err(e) => return DirtyCheck::NotInGit(format!("cannot run git: {e}")),
    }
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--"])
        .args(files)
        .output();
    let out = match status {
        Ok(out) if out.status.success() => out.stdout,
        Ok(out) => return DirtyCheck::NotInGit(String::from_utf8_lossy(&out.stderr).trim().to_owned()),
        Err(e) => return DirtyCheck::NotInGit(format!("cannot run git: {e}")),
    };
    let dirty: Vec<(PathBuf, String)> = String::from_utf8_lossy(&out)
        .split('\0')
        .filter(|entry| entry.len() > 3)
        .map(|entry| (PathBuf::from(&entry[3..]), describe(&entry[..2])))
        .collect();
    if dirty.is_empty() { DirtyCheck::Clean } else { DirtyCheck::Dirty(dirty) }
}

/// Words for a porcelain status code.
fn describe(code: &str) -> String {
    match code {
        "??" => "not committed".to_owned(),
        c if c.starts_with(' ') => "modified".to_owned(),
        c if c.ends_with(' ') => "staged".to_owned(),
        _ => "modified and staged".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"])
            .args(args)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn git_says_which_files_have_uncommitted_changes() {
        let dir = std::env::temp_dir().join(format!("memlint-fix-git-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        assert!(matches!(dirty_files(&dir, &[Path::new("a.rs")]), DirtyCheck::NotInGit(_)));
        git(&dir, &["init", "-q"]);
        for name in ["a.rs", "b.rs", "c.rs"] {
            std::fs::write(dir.join(name), "fn f() {}\n").expect("write");
        }
        git(&dir, &["add", "a.rs", "b.rs"]);
        git(&dir, &["commit", "-q", "-m", "init"]);
        let files = [dir.join("a.rs"), dir.join("b.rs"), dir.join("c.rs")];
        let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        assert_eq!(dirty_files(&dir, &refs[..2]), DirtyCheck::Clean);
        std::fs::write(dir.join("b.rs"), "fn g() {}\n").expect("edit");
        assert_eq!(
            dirty_files(&dir, &refs),
            DirtyCheck::Dirty(vec![
                (PathBuf::from("b.rs"), "modified".to_owned()),
                (PathBuf::from("c.rs"), "not committed".to_owned())
            ])
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
