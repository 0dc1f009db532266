//! `--output-format sarif`: SARIF 2.1.0, as GitHub code scanning and other
//! static-analysis dashboards read it.

use std::collections::HashMap;

use lint_core::{Diagnostic, Level, RuleMeta};
use serde_json::{Value, json};

use super::{error_entries, slash_path};
use crate::check::Outcome;

/// The base every artifact URI is relative to: the workspace root.
const SRCROOT: &str = "%SRCROOT%";

/// The SARIF log for `outcome`, pretty-printed, ending with a newline.
pub(crate) fn render(outcome: &Outcome) -> String {
    let metas: Vec<&'static RuleMeta> = lint_core::rules::metas().collect();
    let index: HashMap<&str, usize> = metas.iter().enumerate().map(|(i, m)| (m.name, i)).collect();
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let results: Vec<Value> = outcome
        .diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let fingerprint = fingerprint(outcome, d, &mut seen);
            let mut result = result(d, index.get(d.rule).copied(), &fingerprint);
            if let Some(runtime) = &outcome.runtime {
                // SARIF's property bag: dashboards show it, the schema allows any key.
                result["properties"] = json!({ "memlint/runtime": super::profile::runtime_json(runtime, i, d.rule) });
            }
            result
        })
        .collect();
    let notifications: Vec<Value> = error_entries(outcome)
        .into_iter()
        .map(|e| {
            let mut location =
                json!({ "physicalLocation": { "artifactLocation": { "uri": e.file, "uriBaseId": SRCROOT } } });
            if let (Some(line), Some(column)) = (e.line, e.column) {
                location["physicalLocation"]["region"] = json!({ "startLine": line, "startColumn": column });
            }
            json!({
                "level": "error",
                "message": { "text": format!("{} error: {}", e.kind, e.message) },
                "locations": [location],
            })
        })
        .collect();
    let root = outcome.root.to_string_lossy().replace('\\', "/");
    let root_uri = format!("file://{}{}/", if root.starts_with('/') { "" } else { "/" }, root.trim_end_matches('/'));
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "memlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": metas.iter().map(|m| rule(m)).collect::<Vec<_>>(),
            }},
            "originalUriBaseIds": { SRCROOT: { "uri": root_uri } },
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Allow => "none",
        Level::Warn => "warning",
        Level::Deny => "error",
    }
}

/// A `reportingDescriptor` for a rule, with its docs as help.
fn rule(meta: &RuleMeta) -> Value {
    let what = lint_core::docs::section(meta.docs, "What it does").unwrap_or(meta.summary);
    json!({
        "id": meta.name,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": what },
        "help": { "text": meta.docs, "markdown": meta.docs },
        "helpUri": format!("{}#rules", env!("CARGO_PKG_REPOSITORY")),
        "defaultConfiguration": { "level": level(meta.default_level), "enabled": meta.default_level != Level::Allow },
        "properties": { "tags": [meta.category.name()] },
    })
}

fn result(d: &Diagnostic, rule_index: Option<usize>, fingerprint: &str) -> Value {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut result = json!({
        "ruleId": d.rule,
        "level": level(d.level),
        "message": { "text": message },
        "locations": [{ "physicalLocation": {
            "artifactLocation": { "uri": slash_path(&d.file), "uriBaseId": SRCROOT },
            "region": {
                "startLine": d.span.line,
                "startColumn": d.span.column,
                "endLine": d.span.end_line,
                "endColumn": d.span.end_column,
            },
        }}],
        "partialFingerprints": { "memlint/v1": fingerprint },
    });
    if let Some(i) = rule_index {
        result["ruleIndex"] = json!(i);
    }
    if let Some(fix) = &d.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": { "startLine": e.span.line, "startColumn": e.span.column, "endLine": e.span.end_line, "endColumn": e.span.end_column },
                    "insertedContent": { "text": e.replacement },
                })
            })
            .collect();
        let safety = if super::safely_fixable(d) { "safe" } else { "unsafe" };
        result["fixes"] = json!([{
            "description": { "text": d.help.as_deref().unwrap_or("memlint's fix") },
            "artifactChanges": [{
                "artifactLocation": { "uri": slash_path(&d.file), "uriBaseId": SRCROOT },
                "replacements": replacements,
            }],
            "properties": { "memlint/safety": safety },
        }]);
    }
    if !d.labels.is_empty() {
        result["relatedLocations"] = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": i,
                    "message": { "text": l.message },
                    "physicalLocation": {
                        "artifactLocation": { "uri": slash_path(&d.file), "uriBaseId": SRCROOT },
                        "region": { "startLine": l.span.line, "startColumn": l.span.column, "endLine": l.span.end_line, "endColumn": l.span.end_column },
                    },
                })
            })
            .collect();
    }
    result
}

/// A fingerprint that survives edits elsewhere in the file: the rule, the
/// file, the message and the text of the finding's first line (trimmed),
/// plus how many identical ones came before it.
fn fingerprint(outcome: &Outcome, d: &Diagnostic, seen: &mut HashMap<u64, u32>) -> String {
    let line_text = outcome.line_text(&d.file, d.span.line).trim();
    let base = fnv1a(&[d.rule, &slash_path(&d.file), &d.message, line_text]);
    let occurrence = seen.entry(base).or_insert(0);
    *occurrence += 1;
    format!("{base:016x}:{occurrence}")
}

/// FNV-1a over the parts, separated: stable across runs and platforms.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}
