//! Writing a run's outcome in the chosen format.

use std::fmt::Write as _;

pub(crate) mod cargo_json;
pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod profile;
pub(crate) mod sarif;
pub(crate) mod short;
pub(crate) mod statistics;

use lint_core::LintError;
use serde::Serialize;

use crate::check::{NoteReason, Outcome};

/// A file that could not be linted, as every format reports it.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorEntry {
    pub(crate) kind: &'static str,
    pub(crate) file: String,
    pub(crate) line: Option<u32>,
    pub(crate) column: Option<u32>,
    pub(crate) message: String,
}

/// A file not linted for a reason that doesn't fail the run.
#[derive(Debug, Serialize)]
pub(crate) struct NoteEntry {
    /// `conditional-module` or `old-edition`.
    pub(crate) reason: &'static str,
    #[serde(flatten)]
    pub(crate) error: ErrorEntry,
}

/// The files not linted with a note, in order.
pub(crate) fn note_entries(outcome: &Outcome) -> Vec<NoteEntry> {
    outcome
        .notes
        .iter()
        .map(|n| NoteEntry {
            reason: match n.why {
                NoteReason::Conditional => "conditional-module",
                NoteReason::Edition(_) => "old-edition",
            },
            error: error_entry(&n.error),
        })
        .collect()
}

/// Every file that could not be linted or walked, in order.
pub(crate) fn error_entries(outcome: &Outcome) -> Vec<ErrorEntry> {
    let mut errors: Vec<ErrorEntry> = outcome.errors.iter().map(error_entry).collect();
    errors.extend(outcome.problems.iter().map(|p| ErrorEntry {
        kind: "io",
        file: slash_path(&p.path),
        line: None,
        column: None,
        message: p.message.clone(),
    }));
    errors
}

fn error_entry(e: &LintError) -> ErrorEntry {
    let file = slash_path(e.path());
    match e {
        LintError::Parse { line, column, message, .. } => {
            ErrorEntry { kind: "parse", file, line: Some(*line), column: Some(*column), message: message.clone() }
        }
        LintError::NotUtf8 { line, column, offset, .. } => ErrorEntry {
            kind: "not-utf8",
            file,
            line: Some(*line),
            column: Some(*column),
            message: format!("file is not valid UTF-8 (invalid byte sequence at byte {offset})"),
        },
        LintError::Io { source, .. } => {
            ErrorEntry { kind: "io", file, line: None, column: None, message: source.to_string() }
        }
        LintError::NotAFile { kind, .. } => ErrorEntry {
            kind: "io",
            file,
            line: None,
            column: None,
            message: format!("it is {kind}, not a regular file"),
        },
        LintError::TooLarge { bytes, limit, .. } => ErrorEntry {
            kind: "too-large",
            file,
            line: None,
            column: None,
            message: format!(
                "not linted: it is {}, over the limit of {} (`max-file-size`)",
                lint_core::human_size(*bytes),
                lint_core::human_size(*limit)
            ),
        },
        LintError::Internal { message, .. } => {
            ErrorEntry { kind: "internal", file, line: None, column: None, message: message.clone() }
        }
    }
}

/// Paths with `/` separators on every platform.
pub(crate) fn slash_path(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The one-line summary printed after the findings.
pub(crate) fn summary_line(outcome: &Outcome) -> String {
    let warnings = outcome.count(lint_core::Level::Warn);
    let errors = outcome.count(lint_core::Level::Deny);
    let mut counts = Vec::new();
    if errors > 0 {
        counts.push(plural(errors, "error"));
    }
    if warnings > 0 || errors == 0 {
        counts.push(if warnings == 0 && errors == 0 { "no findings".to_owned() } else { plural(warnings, "warning") });
    }
    let mut line = format!(
        "memlint: {} in {} ({} on) in {:.2}s",
        counts.join(", "),
        plural(outcome.files_linted, "file"),
        plural(outcome.rules, "rule"),
        outcome.elapsed.as_secs_f64()
    );
    if outcome.baselined > 0 {
        let _ = write!(line, "; {} hidden by the baseline", plural(outcome.baselined, "finding"));
    }
    if outcome.unchanged > 0 {
        let _ = write!(line, "; {} on unchanged lines hidden by --diff-base", plural(outcome.unchanged, "finding"));
    }
    let safe = outcome.diagnostics.iter().filter(|d| safely_fixable(d)).count();
    let unsafe_fixes = outcome.diagnostics.iter().filter(|d| d.fix.is_some()).count() - safe;
    match (safe, unsafe_fixes) {
        (0, 0) => {}
        (0, more) => {
            let _ = write!(line, "; {} with --fix --unsafe-fixes", plural(more, "unsafe fix"));
        }
        (safe, 0) => {
            let _ = write!(line, "; {} with --fix", plural(safe, "fix"));
        }
        (safe, more) => {
            let _ = write!(line, "; {} with --fix ({} more with --unsafe-fixes)", plural(safe, "fix"), more);
        }
    }
    if !outcome.errors.is_empty() {
        let _ = write!(line, "; {} could not be linted", plural(outcome.errors.len(), "file"));
    }
    // A missing directory or a dangling link is no file that failed.
    if !outcome.problems.is_empty() {
        let _ = write!(line, "; {} could not be read", plural(outcome.problems.len(), "path"));
    }
    if !outcome.notes.is_empty() {
        let _ = write!(line, "; {} not linted (see the notes)", plural(outcome.notes.len(), "file"));
    }
    if !outcome.outside.is_empty() {
        let _ = write!(line, "; {} outside the module tree (-v lists them)", plural(outcome.outside.len(), "file"));
    }
    line
}

/// Whether `--fix` (without `--unsafe-fixes`) fixes `d`.
pub(crate) fn safely_fixable(d: &lint_core::Diagnostic) -> bool {
    d.fix.as_ref().is_some_and(|f| f.applicability == lint_core::Applicability::MachineApplicable)
}

/// "1 file", "2 files", "3 fixes".
pub(crate) fn plural(n: usize, word: &str) -> String {
    match n {
        1 => format!("1 {word}"),
        _ if word.ends_with(['s', 'x']) || word.ends_with("ch") || word.ends_with("sh") => format!("{n} {word}es"),
        _ => format!("{n} {word}s"),
    }
}
