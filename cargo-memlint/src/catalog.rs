//! `cargo memlint rules` and `cargo memlint explain <rule>`: the rule
//! catalog, for people and for tools.

use std::fmt::Write as _;

use lint_core::RuleMeta;
use lint_core::rules::{find, metas};
use serde::Serialize;

use crate::cli::RulesFormat;

/// Version of the `rules --format json` schema; bumped on incompatible changes.
const SCHEMA_VERSION: u32 = 1;

/// The table (or JSON list) of every rule.
pub(crate) fn rules(format: RulesFormat) -> String {
    match format {
        RulesFormat::Table => table(),
        RulesFormat::Json => json(),
    }
}

fn table() -> String {
    let rows: Vec<[&str; 5]> =
        metas().map(|m| [m.name, m.category.name(), m.default_level.name(), m.fix.name(), m.summary]).collect();
    let header = ["RULE", "CATEGORY", "LEVEL", "FIX", "SUMMARY"];
    let width = |col: usize| rows.iter().map(|r| r[col].len()).chain([header[col].len()]).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2), width(3)];
    let mut out = String::new();
    for row in std::iter::once(header).chain(rows) {
        let _ = writeln!(
            out,
            "{:w0$}  {:w1$}  {:w2$}  {:w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        );
    }
    out.push_str(
        "\nFIX: `safe` fixes are applied by `cargo memlint --fix`; `unsafe` ones (they may change behaviour\n",
    );
    out.push_str(
        "or an API) only with `--unsafe-fixes`; `safe/unsafe` rules make safe fixes where the syntax proves them.\n",
    );
    out.push_str("Run `cargo memlint explain <RULE>` for a rule's full documentation.\n");
    out
}

#[derive(Serialize)]
struct Catalog {
    version: u32,
    rules: Vec<RuleEntry>,
}

#[derive(Serialize)]
struct RuleEntry {
    name: &'static str,
    category: &'static str,
    default_level: &'static str,
    summary: &'static str,
    /// `none`, `safe`, `safe/unsafe` or `unsafe`.
    fix: &'static str,
    in_tests: bool,
    supersedes: &'static [&'static str],
    options: Vec<OptionEntry>,
    docs: &'static str,
}

#[derive(Serialize)]
struct OptionEntry {
    name: &'static str,
    default: u64,
    doc: &'static str,
}

fn json() -> String {
    let rules = metas()
        .map(|m| RuleEntry {
            name: m.name,
            category: m.category.name(),
            default_level: m.default_level.name(),
            summary: m.summary,
            fix: m.fix.name(),
            in_tests: m.in_tests,
            supersedes: m.supersedes,
            options: m.options.iter().map(|o| OptionEntry { name: o.name, default: o.default, doc: o.doc }).collect(),
            docs: m.docs,
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&Catalog { version: SCHEMA_VERSION, rules })
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// The rule `query` names, accepting the `memlint::` prefix diagnostics
/// show and dashes for underscores.
pub(crate) fn lookup(query: &str) -> Option<&'static RuleMeta> {
    let name = lint_core::rules::normalize_name(query);
    find(&name).map(|r| r.meta())
}

/// The rule's documentation for a terminal: a header, then the Markdown with
/// headings and code blocks set off (bold headings when `color`).
pub(crate) fn explain(meta: &RuleMeta, color: bool) -> String {
    let (bold, reset) = if color { ("\x1b[1m", "\x1b[0m") } else { ("", "") };
    let mut out = format!(
        "{bold}{}{reset}  ({}, {} by default{})\n{}\n",
        meta.name,
        meta.category,
        meta.default_level.name(),
        if meta.in_tests { "" } else { ", not in test code" },
        meta.summary
    );
    let _ = writeln!(out, "Fix: {}", meta.fix.describe());
    if !meta.clippy.is_empty() {
        let lints: Vec<String> = meta.clippy.iter().map(|l| format!("`clippy::{l}`")).collect();
        let _ = writeln!(
            out,
            "Clippy: an `allow` or `expect` of {} (on the code, an enclosing item or module, the crate, or in `[lints.clippy]`) also silences this rule.",
            lints.join(" or ")
        );
    }
    if !meta.supersedes.is_empty() {
        let others: Vec<String> = meta.supersedes.iter().map(|s| format!("`{s}`")).collect();
        let _ = writeln!(out, "Takes precedence over {} on the same code.", others.join(", "));
    }
    let mut in_code = false;
    for line in meta.docs.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            let _ = writeln!(out, "    {line}");
        } else if let Some(title) = line.strip_prefix("## ") {
            if !out.ends_with("\n\n") {
                out.push('\n');
            }
            let _ = writeln!(out, "{bold}{}{reset}", title.to_uppercase());
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    let _ = writeln!(out, "\n{bold}CONFIGURATION{reset}");
    let _ =
        writeln!(out, "In `memlint.toml` (or under `[workspace.metadata.memlint]` in Cargo.toml), with the defaults:");
    let _ = writeln!(out, "    [rules.{}]", meta.name);
    let _ = writeln!(out, "    level = \"{}\"", meta.default_level.name());
    let _ = writeln!(out, "    in-tests = {}", meta.in_tests);
    for option in meta.options {
        let _ = writeln!(out, "    {} = {}  # {}", option.name, option.default, option.doc);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_accepts_diagnostic_codes_and_dashes() {
        assert_eq!(lookup("memlint::padded_struct").map(|m| m.name), Some("padded_struct"));
        assert_eq!(lookup("Vec-Push-Without-Capacity").map(|m| m.name), Some("vec_push_without_capacity"));
        assert!(lookup("nope").is_none());
    }
}
