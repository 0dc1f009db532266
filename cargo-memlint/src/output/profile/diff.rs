//! `cargo memlint diff`'s output: totals and changed sites, as a table
//! or JSON.

use std::fmt::Write as _;

use dhat_runner::diff::{Diff, Exceeded};
use serde_json::json;

use super::{paint, plural, thousands};

fn signed(n: i128) -> String {
    let magnitude = thousands(n.unsigned_abs() as u64);
    if n > 0 {
        format!("+{magnitude}")
    } else if n < 0 {
        format!("-{magnitude}")
    } else {
        "0".to_string()
    }
}

fn pct(base: u64, new: u64) -> String {
    let p = dhat_runner::diff::increase_pct(base, new);
    if p.is_infinite() { "new".to_string() } else { format!("{p:+.1}%") }
}

/// `cargo memlint diff` for people.
pub(crate) fn render_diff(diff: &Diff, exceeded: &[Exceeded], top: usize, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<8}  {:>14}  {:>14}  {:>14}", "", "base", "new", "change");
    for (what, base, new) in [("blocks", diff.base.blocks, diff.new.blocks), ("bytes", diff.base.bytes, diff.new.bytes)]
    {
        let _ = writeln!(
            out,
            "{what:<8}  {:>14}  {:>14}  {:>14}  {:>8}",
            thousands(base),
            thousands(new),
            signed(i128::from(new) - i128::from(base)),
            pct(base, new)
        );
    }
    out.push('\n');
    if diff.changed.is_empty() {
        let _ = writeln!(out, "No allocation site changed ({} the same).", plural(diff.unchanged, "site"));
    } else {
        let _ = writeln!(
            out,
            "{} changed, {} the same; by change in blocks:",
            plural(diff.changed.len(), "site"),
            diff.unchanged
        );
        let _ = writeln!(out, "  {:>10}  {:>12}  {:<16}  site", "blocks", "bytes", "reason");
        for s in diff.changed.iter().take(top) {
            let place = if s.file.is_empty() {
                format!("`{}` (outside the workspace)", s.function)
            } else {
                format!("`{}` in {}", s.function, s.file)
            };
            let _ = writeln!(
                out,
                "  {:>10}  {:>12}  {:<16}  {place}",
                signed(s.blocks_change()),
                signed(s.bytes_change()),
                s.reason.name()
            );
        }
        if diff.changed.len() > top {
            let _ = writeln!(out, "  ... and {} more (--top N)", diff.changed.len() - top);
        }
    }
    for e in exceeded {
        let increase =
            if e.increase_pct.is_infinite() { "from none".to_string() } else { format!("by {:.1}%", e.increase_pct) };
        let _ = writeln!(
            out,
            "\n{} total {} grew {increase}, more than the allowed {:.1}%",
            paint(color, "1;31", "error:"),
            e.what,
            e.limit_pct
        );
    }
    out
}

/// `cargo memlint diff --output-format json`.
pub(crate) fn diff_json(diff: &Diff, exceeded: &[Exceeded]) -> String {
    let amount = |a: dhat_runner::diff::Amount| json!({ "bytes": a.bytes, "blocks": a.blocks });
    let value = json!({
        "version": 1,
        "base": amount(diff.base),
        "new": amount(diff.new),
        "changed": diff.changed.iter().map(|s| json!({
            "function": s.function, "reason": s.reason.name(), "file": s.file,
            "base": amount(s.base), "new": amount(s.new),
        })).collect::<Vec<_>>(),
        "unchanged": diff.unchanged,
        "exceeded": exceeded.iter().map(|e| json!({
            "what": e.what,
            "increase_pct": if e.increase_pct.is_finite() { json!(e.increase_pct) } else { json!(null) },
            "limit_pct": e.limit_pct,
        })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_signed_and_grouped() {
        assert_eq!(signed(-8), "-8");
        assert_eq!(signed(2048), "+2,048");
    }
}
