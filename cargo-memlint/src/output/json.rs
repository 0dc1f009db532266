//! memlint's JSON output, schema version 1 (documented in the README).
//! Fields are only ever added within a version; a change that removes or
//! renames a field bumps `version`.

use lint_core::{Applicability, Diagnostic, Span};
use serde::Serialize;

use super::{ErrorEntry, NoteEntry, error_entries, note_entries, slash_path};
use crate::check::Outcome;

/// The schema version.
pub(crate) const VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<Finding<'a>>,
    errors: Vec<ErrorEntry>,
    /// Files not linted for a reason that doesn't fail the run.
    notes: Vec<NoteEntry>,
    /// Files under the targets' directories that no module tree reaches.
    outside_module_tree: Vec<String>,
    summary: Summary,
    /// Unexplained allocation sites (with runtime evidence only).
    #[serde(skip_serializing_if = "Option::is_none")]
    hotspots: Option<serde_json::Value>,
    /// The same, totalled per source line (with runtime evidence only).
    #[serde(skip_serializing_if = "Option::is_none")]
    hotspot_lines: Option<serde_json::Value>,
    /// What was profiled, totals and sites (with runtime evidence only).
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<serde_json::Value>,
    /// Where the time went (`--timings` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    timings: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Location {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

impl From<&Span> for Location {
    fn from(s: &Span) -> Self {
        Location { line: s.line, column: s.column, end_line: s.end_line, end_column: s.end_column }
    }
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    category: &'static str,
    level: &'static str,
    message: &'a str,
    file: String,
    #[serde(flatten)]
    location: Location,
    help: Option<&'a str>,
    labels: Vec<LabelEntry<'a>>,
    fix: Option<FixEntry>,
    /// What a heap profile showed (with runtime evidence only).
    #[serde(skip_serializing_if = "Option::is_none")]
    runtime: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct LabelEntry<'a> {
    message: &'a str,
    #[serde(flatten)]
    location: Location,
}

#[derive(Serialize)]
struct FixEntry {
    applicability: &'static str,
    edits: Vec<EditEntry>,
}

#[derive(Serialize)]
struct EditEntry {
    #[serde(flatten)]
    location: Location,
    replacement: String,
}

#[derive(Serialize)]
struct Summary {
    /// Findings hidden by `--baseline` (not in `findings`).
    baselined: usize,
    unchanged: usize,
    files: usize,
    files_with_errors: usize,
    findings: usize,
    warnings: usize,
    errors: usize,
    rules: usize,
    elapsed_ms: u128,
}

fn finding(d: &Diagnostic, runtime: Option<serde_json::Value>) -> Finding<'_> {
    let category = lint_core::rules::find(d.rule).map_or("", |r| r.meta().category.name());
    Finding {
        rule: d.rule,
        category,
        level: d.level.severity(),
        message: &d.message,
        file: slash_path(&d.file),
        location: Location::from(&d.span),
        help: d.help.as_deref(),
        labels: d
            .labels
            .iter()
            .map(|l| LabelEntry { message: &l.message, location: Location::from(&l.span) })
            .collect(),
        fix: d.fix.as_ref().map(|f| FixEntry {
            applicability: match f.applicability {
                Applicability::MachineApplicable => "machine-applicable",
                Applicability::MaybeIncorrect => "maybe-incorrect",
            },
            edits: f
                .edits
                .iter()
                .map(|e| EditEntry { location: Location::from(&e.span), replacement: e.replacement.clone() })
                .collect(),
        }),
        runtime,
    }
}

/// The JSON document for `outcome`, pretty-printed, ending with a newline.
pub(crate) fn render(outcome: &Outcome) -> String {
    let errors = error_entries(outcome);
    let report = Report {
        version: VERSION,
        tool: Tool { name: "memlint", version: env!("CARGO_PKG_VERSION") },
        findings: outcome
            .diagnostics
            .iter()
            .enumerate()
            .map(|(i, d)| finding(d, outcome.runtime.as_ref().map(|r| super::profile::runtime_json(r, i, d.rule))))
            .collect(),
        hotspots: outcome.runtime.as_ref().map(super::profile::hotspots_json),
        hotspot_lines: outcome.runtime.as_ref().map(super::profile::hotspot_lines_json),
        profile: outcome.runtime.as_ref().map(super::profile::profile_json),
        timings: outcome.timings.clone(),
        summary: Summary {
            files: outcome.files_linted,
            files_with_errors: errors.len(),
            findings: outcome.diagnostics.len(),
            warnings: outcome.count(lint_core::Level::Warn),
            errors: outcome.count(lint_core::Level::Deny),
            rules: outcome.rules,
            baselined: outcome.baselined,
            unchanged: outcome.unchanged,
            elapsed_ms: outcome.elapsed.as_millis(),
        },
        errors,
        notes: note_entries(outcome),
        outside_module_tree: outcome.outside.iter().map(|p| slash_path(p)).collect(),
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
