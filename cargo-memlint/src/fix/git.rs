//! `--fix` changes files in place: like `cargo fix`, it refuses files with
//! uncommitted changes (which a bad fix would mix with the user's own) and
//! files outside git, unless `--allow-dirty`.

use std::collections::{BTreeMap, HashMap};
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

/// Asks git about `files`, each in its own repository (a nested repository
/// or submodule is asked itself); paths in the answer are relative to
/// `root` where they can be.
pub(crate) fn dirty_files(root: &Path, files: &[&Path]) -> DirtyCheck {
    let mut repos: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut toplevels: HashMap<PathBuf, PathBuf> = HashMap::new();
    for file in files {
        let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let top = match toplevels.get(&dir) {
            Some(top) => top.clone(),
            None => match git(&dir, &["rev-parse", "--show-toplevel"]) {
                Ok(out) => {
                    let top = PathBuf::from(String::from_utf8_lossy(&out).trim());
                    toplevels.insert(dir, top.clone());
                    top
                }
                Err(why) => return DirtyCheck::NotInGit(why),
            },
        };
        repos.entry(top).or_default().push(file);
    }
    let mut dirty = Vec::new();
    for (top, files) in repos {
        let mut args: Vec<&std::ffi::OsStr> =
            ["status", "--porcelain=v1", "-z", "--ignored=matching", "--untracked-files=all", "--"]
                .iter()
                .map(std::ffi::OsStr::new)
                .collect();
        args.extend(files.iter().map(|f| f.as_os_str()));
        let out = match git(&top, &args) {
            Ok(out) => out,
            Err(why) => return DirtyCheck::NotInGit(why),
        };
        for (path, status) in entries(&out) {
            let path = top.join(path);
            let shown = crate::discover::relative_to(&path, root).unwrap_or(path);
            dirty.push((shown, status));
        }
    }
    dirty.sort();
    if dirty.is_empty() { DirtyCheck::Clean } else { DirtyCheck::Dirty(dirty) }
}

/// Runs git in `dir`; its output, or why it failed.
fn git<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> Result<Vec<u8>, String> {
    match Command::new("git").arg("-C").arg(dir).args(args).output() {
        Ok(out) if out.status.success() => Ok(out.stdout),
        Ok(out) => Err(String::from_utf8_lossy(&out.stderr).trim().to_owned()),
        Err(e) => Err(format!("cannot run git: {e}")),
    }
}

/// The `(path, status)` entries of `git status --porcelain=v1 -z`: `XY path`
/// fields, a rename or copy followed by a field with its old path.
fn entries(out: &[u8]) -> Vec<(PathBuf, String)> {
    let mut fields = out.split(|&b| b == 0).filter(|f| !f.is_empty());
    let mut entries = Vec::new();
    while let Some(field) = fields.next() {
        let (Some(code), Some(path)) = (field.get(..2), field.get(3..)) else { continue };
        if code.contains(&b'R') || code.contains(&b'C') {
            fields.next(); // The old path.
        }
        let path = PathBuf::from(String::from_utf8_lossy(path).into_owned());
        entries.push((path, describe(code)));
    }
    entries
}

/// Words for a porcelain status code.
fn describe(code: &[u8]) -> String {
    match code {
        b"??" => "not committed".to_owned(),
        b"!!" => "ignored by git".to_owned(),
        [b' ', _] => "modified".to_owned(),
        [_, b' '] => "staged".to_owned(),
        _ => "modified and staged".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_git(dir: &Path, args: &[&str]) {
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
        let dir = crate::scratch::Scratch::new("fix-git");
        assert!(matches!(dirty_files(&dir, &[dir.join("a.rs").as_path()]), DirtyCheck::NotInGit(_)));
        run_git(&dir, &["init", "-q"]);
        for name in ["a.rs", "b.rs", "c.rs"] {
            std::fs::write(dir.join(name), "fn f() {}\n").expect("write");
        }
        run_git(&dir, &["add", "a.rs", "b.rs"]);
        run_git(&dir, &["commit", "-q", "-m", "init"]);
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
        // A file git ignores has nothing committed to go back to; a file in
        // a nested repository is asked there.
        std::fs::write(dir.join(".gitignore"), "gen.rs\n").expect("ignore");
        std::fs::write(dir.join("gen.rs"), "fn g() {}\n").expect("gen");
        std::fs::create_dir_all(dir.join("inner")).expect("inner");
        run_git(&dir.join("inner"), &["init", "-q"]);
        std::fs::write(dir.join("inner/d.rs"), "fn d() {}\n").expect("d");
        let more = [dir.join("gen.rs"), dir.join("inner/d.rs")];
        let refs: Vec<&Path> = more.iter().map(PathBuf::as_path).collect();
        assert_eq!(
            dirty_files(&dir, &refs),
            DirtyCheck::Dirty(vec![
                (PathBuf::from("gen.rs"), "ignored by git".to_owned()),
                (PathBuf::from("inner/d.rs"), "not committed".to_owned())
            ])
        );
    }

    #[test]
    fn renames_carry_their_old_path_in_a_field_of_their_own() {
        let out = "R  new.rs\0old \u{e9}.rs\0?? x.rs\0 M y.rs\0".as_bytes();
        assert_eq!(
            entries(out),
            [
                (PathBuf::from("new.rs"), "staged".to_owned()),
                (PathBuf::from("x.rs"), "not committed".to_owned()),
                (PathBuf::from("y.rs"), "modified".to_owned())
            ]
        );
    }
}
