//! `--diff-base REV`: the lines changed since a git revision, so that only
//! findings on them are reported (golangci-lint's `new-from-rev`).
//!
//! "Changed" is measured from the merge base of REV and HEAD to the working
//! tree: on a branch, `--diff-base origin/main` covers the branch's own
//! commits and uncommitted edits, not what landed on main since. Untracked
//! files count as changed everywhere.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The changed lines of every changed file.
#[derive(Debug)]
pub(crate) struct ChangedLines {
    /// The repository's top directory: the paths below are relative to it.
    top: PathBuf,
    files: BTreeMap<PathBuf, Changed>,
}

#[derive(Debug, PartialEq, Eq)]
enum Changed {
    /// A new file: every line is new.
    Whole,
    /// Inclusive 1-based line ranges of the new text.
    Lines(Vec<(u32, u32)>),
}

/// Why the changed lines could not be found.
#[derive(Debug)]
pub(crate) enum DiffError {
    Git { command: String, message: String },
    NoRevision { rev: String, shallow: bool },
    NoMergeBase { rev: String, shallow: bool },
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNSHALLOW: &str = "this is a shallow clone: fetch the history first (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout)";
        match self {
            DiffError::Git { command, message } => write!(f, "--diff-base: `{command}` failed: {}", message.trim_end()),
            DiffError::NoRevision { rev, shallow } => {
                write!(f, "--diff-base: revision `{rev}` is not in this repository")?;
                if *shallow {
                    write!(f, "\n  help: {UNSHALLOW}")
                } else {
                    write!(f, "\n  help: fetch it first (e.g. `git fetch origin main`), or check the name")
                }
            }
            DiffError::NoMergeBase { rev, shallow } => {
                write!(f, "--diff-base: `{rev}` and HEAD have no common history here")?;
                if *shallow { write!(f, "\n  help: {UNSHALLOW}") } else { Ok(()) }
            }
        }
    }
}

impl ChangedLines {
    /// The lines changed since `rev` in the repository that holds `dir`.
    pub(crate) fn since(rev: &str, dir: &Path) -> Result<ChangedLines, DiffError> {
        let top = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?.trim_end());
        let shallow = || git(&top, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|s| s.trim() == "true");
        let commit = format!("{rev}^{{commit}}");
        if git(&top, &["rev-parse", "--verify", "--quiet", &commit]).is_err() {
            return Err(DiffError::NoRevision { rev: rev.to_owned(), shallow: shallow() });
        }
        let base = match git(&top, &["merge-base", &commit, "HEAD"]) {
            Ok(base) => base.trim().to_owned(),
            Err(_) => return Err(DiffError::NoMergeBase { rev: rev.to_owned(), shallow: shallow() }),
        };
        let diff = git(
            &top,
            &["-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "--unified=0", &base, "--"],
        )?;
        let mut files = parse_diff(&diff);
        let untracked = git(&top, &["ls-files", "--others", "--exclude-standard", "-z"])?;
        for path in untracked.split('\0').filter(|p| !p.is_empty()) {
            files.insert(PathBuf::from(path), Changed::Whole);
        }
        Ok(ChangedLines { top, files })
    }

    /// Whether any of the lines `first..=last` of `file` changed.
    pub(crate) fn touches(&self, file: &Path, first: u32, last: u32) -> bool {
        let Some(relative) = crate::discover::relative_to(file, &self.top) else { return false };
        match self.files.get(&relative) {
            None => false,
            Some(Changed::Whole) => true,
            Some(Changed::Lines(ranges)) => ranges.iter().any(|&(a, b)| a <= last && first <= b),
        }
    }
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<String, DiffError> {
    let output = Command::new("git").args(args).current_dir(dir).output();
    let command = format!("git {}", args.join(" "));
    match output {
        Ok(out) if out.status.success() => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => Err(DiffError::Git { command, message: String::from_utf8_lossy(&out.stderr).into_owned() }),
        Err(e) => Err(DiffError::Git { command, message: e.to_string() }),
    }
}

/// The added line ranges of each file in a `--unified=0` diff.
fn parse_diff(diff: &str) -> BTreeMap<PathBuf, Changed> {
    let mut files = BTreeMap::new();
    let mut current: Option<PathBuf> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            current = (path != "/dev/null").then(|| {
                let path = unquote(path);
                PathBuf::from(path.strip_prefix("b/").unwrap_or(&path))
            });
        } else if let (Some(hunk), Some(file)) = (line.strip_prefix("@@ "), &current) {
            // `@@ -a,b +c,d @@`: the new text's lines c..c+d (d is 1 when omitted).
            let Some(new) = hunk.split(' ').find_map(|part| part.strip_prefix('+')) else { continue };
            let (start, count) = match new.split_once(',') {
                Some((start, count)) => (start.parse::<u32>().ok(), count.parse::<u32>().ok()),
                None => (new.parse::<u32>().ok(), Some(1)),
            };
            if let (Some(start), Some(count)) = (start, count)
                && count > 0
            {
                let entry = files.entry(file.clone()).or_insert_with(|| Changed::Lines(Vec::new()));
                if let Changed::Lines(ranges) = entry {
                    ranges.push((start, start + count - 1));
                }
            }
        }
    }
    files
}

/// A path as git prints it, without the C-style quotes it adds around
/// names with unusual characters.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else { return path.to_owned() };
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_ranges_of_each_file() {
        let diff = "diff --git a/src/a.rs b/src/a.rs\n--- a/src/a.rs\n+++ b/src/a.rs\n@@ -3 +3 @@ fn f() {\n-x\n+y\n@@ -10,0 +11,3 @@\n+a\n+b\n+c\n@@ -20,2 +22,0 @@\n-gone\n-gone\ndiff --git a/old.rs b/old.rs\n--- a/old.rs\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n--- a/\"odd name.rs\"\n+++ \"b/odd name.rs\"\n@@ -1 +1 @@\n";
        let files = parse_diff(diff);
        assert_eq!(files.get(Path::new("src/a.rs")), Some(&Changed::Lines(vec![(3, 3), (11, 13)])));
        assert!(!files.contains_key(Path::new("old.rs")));
        assert_eq!(files.get(Path::new("odd name.rs")), Some(&Changed::Lines(vec![(1, 1)])));
    }
}
