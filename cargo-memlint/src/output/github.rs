//! `--output-format github`: GitHub Actions workflow commands, which show
//! each finding as an annotation on the pull request's diff.

use std::fmt::Write as _;

use lint_core::Level;

use super::{error_entries, slash_path, summary_line};
use crate::check::Outcome;

/// GitHub shows at most this many annotations of each kind per step; the
/// summary says so when there are more.
const SHOWN_PER_KIND: usize = 10;

/// One workflow command per finding and error, then a notice with the totals.
pub(crate) fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for d in &outcome.diagnostics {
        let command = if d.level == Level::Deny { "error" } else { "warning" };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&slash_path(&d.file)),
            d.span.line,
            d.span.column,
            d.span.end_line,
            d.span.end_column,
            property(&format!("memlint({})", d.rule)),
            data(&message)
        );
    }
    for e in error_entries(outcome) {
        let mut location = format!("file={}", property(&e.file));
        if let (Some(line), Some(column)) = (e.line, e.column) {
            let _ = write!(location, ",line={line},col={column}");
        }
        let title = property(&format!("memlint: {} error", e.kind));
        let _ = writeln!(out, "::error {location},title={title}::{}", data(&e.message));
    }
    let mut summary = summary_line(outcome);
    let (warnings, errors) = (outcome.count(Level::Warn), outcome.count(Level::Deny));
    if warnings > SHOWN_PER_KIND || errors > SHOWN_PER_KIND {
        let _ = write!(
            summary,
            " (GitHub shows {SHOWN_PER_KIND} annotations of each kind per step: the job log has them all)"
        );
    }
    let _ = writeln!(out, "::notice title=memlint::{}", data(&summary));
    out
}

/// Escapes a message (the part after `::`).
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(data("50% done\r\nnext: a, b"), "50%25 done%0D%0Anext: a, b");
        assert_eq!(property("C:\\a,b: c%"), "C%3A\\a%2Cb%3A c%25");
    }
}
