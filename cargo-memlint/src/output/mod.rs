//! Writing a run's outcome in the chosen format.

use std::fmt::Write as _;

pub(crate) mod human;
pub(crate) mod json;

use crate::check::Outcome;

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
        "memlint: {} in {} ({}) in {:.2}s",
        counts.join(", "),
        plural(outcome.files_linted, "file"),
        plural(outcome.rules, "rule"),
        outcome.elapsed.as_secs_f64()
    );
    let not_linted = outcome.errors.len() + outcome.problems.len();
    if not_linted > 0 {
        let _ = write!(line, "; {} could not be linted", plural(not_linted, "file"));
    }
    line
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
