//! `--output-format cargo-json`: one JSON object per line shaped like
//! cargo's `compiler-message` (`cargo check --message-format json`), so
//! editors can run memlint as their check command (rust-analyzer's
//! `rust-analyzer.check.overrideCommand`) and show its findings inline.

use std::fmt::Write as _;

use lint_core::{Applicability, Diagnostic, Level};
use serde_json::{Value, json};

use super::slash_path;
use crate::check::Outcome;
use crate::discover::TargetInfo;

/// A `compiler-message` line per finding, then `build-finished`.
pub(crate) fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for d in &outcome.diagnostics {
        let target = outcome.file_targets.get(&d.file).and_then(|&i| outcome.targets.get(i));
        let line = json!({
            "reason": "compiler-message",
            "package_id": target.map_or("", |t| t.package_id.as_str()),
            "manifest_path": target.map_or("", |t| t.manifest_path.as_str()),
            "target": target.map_or(Value::Null, target_json),
            "message": message(outcome, d),
        });
        let _ = writeln!(out, "{line}");
    }
    let failed = !outcome.errors.is_empty() || !outcome.problems.is_empty();
    let _ = writeln!(out, "{}", json!({ "reason": "build-finished", "success": !failed }));
    out
}

fn target_json(t: &TargetInfo) -> Value {
    json!({
        "kind": t.kind,
        "crate_types": t.crate_types,
        "name": t.name,
        "src_path": t.src_path,
        "edition": t.edition,
        "doc": true,
        "doctest": t.kind.iter().any(|k| k == "lib"),
        "test": true,
    })
}

fn span_json(
    outcome: &Outcome,
    d: &Diagnostic,
    span: &lint_core::Span,
    primary: bool,
    label: Option<&str>,
    replacement: Option<(&str, Applicability)>,
) -> Value {
    let text: Vec<Value> = (span.line..=span.end_line)
        .map(|line| {
            let text = outcome.line_text(&d.file, line);
            let start = if line == span.line { span.column } else { 1 };
            let end = if line == span.end_line { span.end_column } else { text.chars().count() as u32 + 1 };
            json!({ "text": text, "highlight_start": start, "highlight_end": end })
        })
        .collect();
    json!({
        "file_name": slash_path(&d.file),
        "byte_start": span.start,
        "byte_end": span.end,
        "line_start": span.line,
        "line_end": span.end_line,
        "column_start": span.column,
        "column_end": span.end_column,
        "is_primary": primary,
        "text": text,
        "label": label,
        "suggested_replacement": replacement.map(|(r, _)| r),
        "suggestion_applicability": replacement.map(|(_, a)| match a {
            Applicability::MachineApplicable => "MachineApplicable",
            Applicability::MaybeIncorrect => "MaybeIncorrect",
        }),
        "expansion": null,
    })
}

fn message(outcome: &Outcome, d: &Diagnostic) -> Value {
    let mut spans = vec![span_json(outcome, d, &d.span, true, None, None)];
    spans.extend(d.labels.iter().map(|l| span_json(outcome, d, &l.span, false, Some(&l.message), None)));
    let mut children = Vec::new();
    if let Some(help) = &d.help {
        let fix_spans: Vec<Value> = d
            .fix
            .iter()
            .flat_map(|fix| {
                fix.edits
                    .iter()
                    .map(|e| span_json(outcome, d, &e.span, true, None, Some((&e.replacement, fix.applicability))))
            })
            .collect();
        children.push(json!({ "message": help, "code": null, "level": "help", "spans": fix_spans, "children": [], "rendered": null }));
    }
    json!({
        "$message_type": "diagnostic",
        "message": d.message,
        "code": { "code": format!("memlint::{}", d.rule), "explanation": null },
        "level": if d.level == Level::Deny { "error" } else { "warning" },
        "spans": spans,
        "children": children,
        "rendered": super::human::render_finding(outcome, d),
    })
}
