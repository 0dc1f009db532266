//! `--output-format short`: one line per finding, `path:line:col: level[rule]: message`,
//! the shape editors and `grep` understand.

use std::fmt::Write as _;

use super::{error_entries, note_entries, slash_path};
use crate::check::Outcome;

/// The findings and errors, one line each.
pub(crate) fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for d in &outcome.diagnostics {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            slash_path(&d.file),
            d.span.line,
            d.span.column,
            d.level.severity(),
            d.rule,
            d.message
        );
    }
    for e in error_entries(outcome) {
        let location = match (e.line, e.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", e.file),
            _ => e.file,
        };
        let _ = writeln!(out, "{location}: error[{}]: {}", e.kind, e.message);
    }
    for n in note_entries(outcome) {
        let e = n.error;
        let location = match (e.line, e.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", e.file),
            _ => e.file,
        };
        let _ = writeln!(out, "{location}: note[{}]: not linted: {}", n.reason, e.message);
    }
    out
}
