//! `--fix` and `--diff`: the rules' fixes applied to the files.
//!
//! Fixes are applied in rounds on texts held in memory: lint, apply every
//! selected fix that doesn't overlap another (`lint_core::fix::apply`),
//! check that the file still parses, lint again, until a round has nothing
//! left to apply. Only then is anything written (or shown as a diff), each
//! file atomically with its permissions kept, after the git check.

mod git;
mod patch;
pub(crate) mod verify;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use lint_core::syntax::edition::Edition;
use lint_core::{Applicability, Diagnostic, Fix, Linter};

use crate::cache::Cache;
use crate::check::{self, Outcome, Sources};
use crate::cli::FixArgs;
use crate::discover::{Entry, Plan};

pub(crate) use patch::unified_diff;

/// Rounds of fixing before giving up on fixes that keep making new ones.
const MAX_ROUNDS: usize = 10;

/// One file the fixes change.
#[derive(Debug)]
pub(crate) struct Changed {
    /// Where it is.
    pub(crate) path: PathBuf,
    /// How findings name it.
    pub(crate) display: PathBuf,
    /// The text before fixing, as read (a byte-order mark kept).
    pub(crate) original: String,
    /// The text after fixing.
    pub(crate) fixed: String,
    /// Fixes applied to it.
    pub(crate) fixes: usize,
}

/// A fix left out because the file no longer parsed with it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Refused {
    pub(crate) file: PathBuf,
    pub(crate) line: u32,
    pub(crate) rule: &'static str,
    pub(crate) error: String,
}

/// What the fixing did, and the findings left after it.
#[derive(Debug)]
pub(crate) struct Fixed {
    /// The lint of the fixed texts.
    pub(crate) outcome: Outcome,
    /// The files changed, in path order.
    pub(crate) changed: Vec<Changed>,
    /// Fixes that would have broken their file.
    pub(crate) refused: Vec<Refused>,
    /// Rounds of linting it took.
    pub(crate) rounds: usize,
    /// Whether fixes were still coming after the last round.
    pub(crate) unsettled: bool,
}

impl Fixed {
    /// Fixes applied over all files.
    pub(crate) fn count(&self) -> usize {
        self.changed.iter().map(|c| c.fixes).sum()
    }
}

/// Whether a fix of `applicability` is applied in this run.
fn selected(args: &FixArgs, applicability: Applicability) -> bool {
    applicability == Applicability::MachineApplicable || args.unsafe_fixes
}

/// Lints `plan`, applying fixes round after round in memory.
pub(crate) fn run(
    linter: &Linter,
    plan: &Plan,
    max_file_size: u64,
    started: Instant,
    cache: Option<&Cache>,
    args: &FixArgs,
) -> Fixed {
    let entries: HashMap<&Path, &Entry> = plan.files.iter().map(|e| (e.display.as_path(), e)).collect();
    let mut overlay: HashMap<PathBuf, String> = HashMap::new();
    let mut changed: BTreeMap<PathBuf, Changed> = BTreeMap::new();
    let mut refused: BTreeSet<Refused> = BTreeSet::new();
    // Fixes refused once are not tried again: (file, rule, the edits' text).
    let mut never: BTreeSet<(PathBuf, &'static str, Vec<String>)> = BTreeSet::new();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let sources = Sources { max_file_size, overlay: Some(&overlay) };
        let outcome = check::run(linter, plan.clone(), &sources, started, cache);
        // Per file, the selected fixes not set aside in an earlier round.
        let pending: Vec<(&Path, &Entry, &str, Vec<&Diagnostic>)> = by_file(&outcome.diagnostics)
            .into_iter()
            .filter_map(|(display, findings)| {
                let (&entry, text) = (entries.get(display)?, outcome.sources.get(display)?);
                let candidates: Vec<&Diagnostic> = findings
                    .into_iter()
                    .filter(|d| d.fix.as_ref().is_some_and(|f| selected(args, f.applicability)))
                    .filter(|d| !never.contains(&key(display, text, d)))
                    .collect();
                (!candidates.is_empty()).then_some((display, entry, &**text, candidates))
            })
            .collect();
        if pending.is_empty() || rounds > MAX_ROUNDS {
            let unsettled = !pending.is_empty();
            return finish(outcome, changed, &overlay, refused, rounds.min(MAX_ROUNDS), unsettled);
        }
        for (display, entry, text, candidates) in pending {
            let path = entry.path.as_path();
            let (new_text, applied, broken) = apply_checked(text, entry.edition, &candidates);
            for (d, error) in broken {
                never.insert(key(display, text, d));
                refused.insert(Refused { file: display.to_path_buf(), line: d.span.line, rule: d.rule, error });
            }
            if applied == 0 {
                continue;
            }
            if new_text == text {
                // Fixes that change nothing would come back every round.
                never.extend(candidates.iter().map(|d| key(display, text, d)));
                continue;
            }
            let entry = changed.entry(path.to_path_buf()).or_insert_with(|| Changed {
                path: path.to_path_buf(),
                display: display.to_path_buf(),
                original: original_text(path, text),
                fixed: String::new(),
                fixes: 0,
            });
            entry.fixes += applied;
            overlay.insert(path.to_path_buf(), new_text);
        }
    }
}

/// What recognises a fix in a later round: its file, its rule, and what its
/// edits replace with what.
fn key(display: &Path, text: &str, d: &Diagnostic) -> (PathBuf, &'static str, Vec<String>) {
    (display.to_path_buf(), d.rule, fix_text(text, d))
}

fn finish(
    outcome: Outcome,
    mut changed: BTreeMap<PathBuf, Changed>,
    overlay: &HashMap<PathBuf, String>,
    refused: BTreeSet<Refused>,
    rounds: usize,
    unsettled: bool,
) -> Fixed {
    for c in changed.values_mut() {
        let fixed = overlay.get(&c.path).cloned().unwrap_or_default();
        // Linting drops a byte-order mark; the file keeps it.
        c.fixed = if c.original.starts_with('\u{feff}') { format!("\u{feff}{fixed}") } else { fixed };
    }
    Fixed {
        outcome,
        changed: changed.into_values().collect(),
        refused: refused.into_iter().collect(),
        rounds,
        unsettled,
    }
}

/// The findings of each file, in file order.
fn by_file(diagnostics: &[Diagnostic]) -> BTreeMap<&Path, Vec<&Diagnostic>> {
    let mut files: BTreeMap<&Path, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        files.entry(d.file.as_path()).or_default().push(d);
    }
    files
}

/// What a fix replaces and with what, to recognise it in a later round.
fn fix_text(text: &str, d: &Diagnostic) -> Vec<String> {
    let edits = d.fix.as_ref().map_or(&[][..], |f| f.edits.as_slice());
    edits
        .iter()
        .map(|e| format!("{}\u{0}{}", text.get(e.span.start..e.span.end).unwrap_or(""), e.replacement))
        .collect()
}

/// The file's text as read the first time (with its byte-order mark, which
/// linting drops): what `--diff` compares with and a failed check restores.
fn original_text(path: &Path, linted: &str) -> String {
    match std::fs::read_to_string(path) {
        Ok(on_disk) if on_disk.strip_prefix('\u{feff}') == Some(linted) => on_disk,
        _ => linted.to_owned(),
    }
}

/// Applies the fixes of `candidates` to `text` and checks the result
/// parses. When it doesn't, each fix is tried alone: those that break the
/// file are left out (with the parser's message), the others applied.
/// Returns the new text, how many fixes it has, and the refused ones.
fn apply_checked<'d>(
    text: &str,
    edition: Edition,
    candidates: &[&'d Diagnostic],
) -> (String, usize, Vec<(&'d Diagnostic, String)>) {
    let fixes: Vec<&Fix> = candidates.iter().filter_map(|d| d.fix.as_ref()).collect();
    let all = lint_core::fix::apply(text, &fixes);
    if all.applied.is_empty() || parses(&all.text, edition).is_ok() {
        return (all.text, all.applied.len(), Vec::new());
    }
    let mut broken = Vec::new();
    let mut good: Vec<&Fix> = Vec::new();
    for &i in &all.applied {
        let alone = lint_core::fix::apply(text, &[fixes[i]]);
        match parses(&alone.text, edition) {
            Ok(()) => good.push(fixes[i]),
            Err(error) => broken.push((candidates[i], error)),
        }
    }
    let rest = lint_core::fix::apply(text, &good);
    if parses(&rest.text, edition).is_ok() {
        return (rest.text, rest.applied.len(), broken);
    }
    // Each fine alone, broken together: one this round (it parses alone),
    // the others again on the next round's text.
    match good.first() {
        Some(first) => (lint_core::fix::apply(text, &[first]).text, 1, broken),
        None => (text.to_owned(), 0, broken),
    }
}

/// [`lint_core::fix::check_parses`] on a thread with linting's stack: a
/// deeply nested file that linted must not overflow here.
fn parses(text: &str, edition: Edition) -> Result<(), String> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(check::STACK_SIZE)
            .spawn_scoped(scope, || lint_core::fix::check_parses(text, edition))
            .map_err(|e| format!("cannot start a thread to parse the fixed file: {e}"))?
            .join()
            .unwrap_or_else(|_| Err("the parser panicked on the fixed file".to_owned()))
    })
}

/// Writes the fixed files, each atomically with its permissions kept, after
/// checking them all: a file changed on disk since it was read is not
/// overwritten, and a file with other hard links is not split from them (a
/// rename would). A symbolic link is written through, to its target
/// (`write_file`'s rules, as for every file memlint writes). On a failure
/// while writing, the files already written are restored.
pub(crate) fn write(changed: &[Changed]) -> Result<(), String> {
    for c in changed {
        let shown = c.display.display();
        // Both follow symbolic links, as the write does.
        let on_disk = std::fs::read_to_string(&c.path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
        if on_disk != c.original {
            return Err(format!("`{shown}` changed while memlint was fixing it; no file was changed: run --fix again"));
        }
        if let Some(links) = hard_links(&c.path).filter(|&n| n > 1) {
            return Err(format!(
                "`{shown}` has {links} hard links, which writing it whole would split; no file was changed: apply `--diff` by hand"
            ));
        }
    }
    for (i, c) in changed.iter().enumerate() {
        if let Err(e) = crate::write_file::write(&c.path, c.fixed.as_bytes()) {
            let shown = c.display.display();
            return Err(match restore(&changed[..i]) {
                Ok(()) => format!("cannot write `{shown}`: {e}; the files written before it were restored"),
                Err(restoring) => format!("cannot write `{shown}`: {e}; {restoring}"),
            });
        }
    }
    Ok(())
}

/// How many names the file has, where the platform says.
fn hard_links(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| m.nlink())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Puts the original texts back (through symbolic links, as written).
pub(crate) fn restore(changed: &[Changed]) -> Result<(), String> {
    let mut failed = Vec::new();
    for c in changed {
        if let Err(e) = crate::write_file::write(&c.path, c.original.as_bytes()) {
            failed.push(format!("`{}`: {e}", c.display.display()));
        }
    }
    if failed.is_empty() { Ok(()) } else { Err(format!("cannot restore {}: restore them with git", failed.join(", "))) }
}

pub(crate) use git::{DirtyCheck, dirty_files};

#[cfg(test)]
mod tests {
    use super::*;
    use lint_core::{Edit, Level, Span};

    fn finding(rule: &'static str, text: &str, find: &str, replacement: &str) -> Diagnostic {
        let start = text.find(find).expect("in the text");
        let (line, column) = (1, u32::try_from(start).expect("small") + 1);
        let span = Span { line, column, end_line: 1, end_column: column, start, end: start + find.len() };
        Diagnostic {
            rule,
            level: Level::Warn,
            message: String::new(),
            file: PathBuf::from("a.rs"),
            span,
            labels: Vec::new(),
            help: None,
            fix: Some(Fix {
                edits: vec![Edit { span, replacement: replacement.to_owned() }],
                applicability: Applicability::MachineApplicable,
            }),
        }
    }

    /// A fix that would leave the file unparseable is refused and named;
    /// the others are applied.
    #[test]
    fn a_fix_that_breaks_the_file_is_refused_and_the_others_applied() {
        let text = "fn f() -> u32 { let a = 1; let b = 2; a + b }";
        let breaks = finding("breaks_it", text, "let a = 1;", "let a = 1");
        let fine = finding("fine", text, "= 2", "= 3");
        let (fixed, applied, refused) = apply_checked(text, Edition::default(), &[&breaks, &fine]);
        assert_eq!(fixed, "fn f() -> u32 { let a = 1; let b = 3; a + b }");
        assert_eq!(applied, 1);
        let refused: Vec<(&str, &str)> = refused.iter().map(|(d, e)| (d.rule, e.as_str())).collect();
        assert_eq!(refused, [("breaks_it", "1:27: expected `;`")]);
    }

    fn changed(dir: &Path, name: &str, original: &str, fixed: &str) -> Changed {
        Changed {
            path: dir.join(name),
            display: PathBuf::from(name),
            original: original.to_owned(),
            fixed: fixed.to_owned(),
            fixes: 1,
        }
    }

    /// Nothing is written when a file changed on disk since it was read,
    /// or has other hard links; a symbolic link is written through.
    #[test]
    fn writing_checks_every_file_first_and_follows_links() {
        let dir = crate::scratch::Scratch::new("fix-write");
        std::fs::write(dir.join("a.rs"), "old a").expect("a");
        std::fs::write(dir.join("b.rs"), "edited meanwhile").expect("b");
        let both = [changed(&dir, "a.rs", "old a", "new a"), changed(&dir, "b.rs", "old b", "new b")];
        let error = write(&both).expect_err("b.rs changed");
        assert_eq!(error, "`b.rs` changed while memlint was fixing it; no file was changed: run --fix again");
        assert_eq!(std::fs::read_to_string(dir.join("a.rs")).expect("a"), "old a");

        std::fs::hard_link(dir.join("a.rs"), dir.join("twin.rs")).expect("hard link");
        let error = write(&both[..1]).expect_err("a.rs has a twin");
        assert!(error.starts_with("`a.rs` has 2 hard links"), "{error}");
        std::fs::remove_file(dir.join("twin.rs")).expect("unlink");

        std::os::unix::fs::symlink(dir.join("a.rs"), dir.join("link.rs")).expect("symlink");
        write(&[changed(&dir, "link.rs", "old a", "new a")]).expect("written through the link");
        assert_eq!(std::fs::read_to_string(dir.join("a.rs")).expect("a"), "new a");
        assert!(std::fs::symlink_metadata(dir.join("link.rs")).expect("link").file_type().is_symlink());
    }
}
