//! Runtime evidence as JSON: each finding's `runtime` object, the
//! `hotspots`, `hotspot_lines` and `profile` objects, and reading a report's
//! sites back for `diff`.

use dhat_runner::{CrateShare, Reason, Site, StackLine};
use serde_json::{Value, json};

use super::hot_lines::hot_lines;
use super::{share, slash_path};
use crate::profile::Runtime;

fn stack_json(stack: &[StackLine]) -> Value {
    stack
        .iter()
        .map(|s| {
            json!({
                "function": s.function, "file": s.file, "line": s.line, "column": s.column,
                "workspace": s.workspace, "reason": s.reason, "crate": s.krate,
            })
        })
        .collect()
}

/// The `runtime` object of finding `i` in JSON and SARIF.
pub(crate) fn runtime_json(runtime: &Runtime, i: usize, rule: &str) -> Value {
    if !super::measurable(rule) {
        return json!({ "status": "not_measurable" });
    }
    match runtime.join.evidence.get(i).and_then(Option::as_ref) {
        Some(e) => {
            let calls = runtime.calls.get(i).and_then(Option::as_ref);
            json!({
                "status": "confirmed",
                "bytes": e.bytes,
                "blocks": e.blocks,
                "share": (share(e.blocks, runtime.join.totals.blocks) * 10.0).round() / 10.0,
                "reason": e.reason.name(),
                "match": e.how.name(),
                "stack": stack_json(&e.stack),
                "calls": calls.map(|c| c.calls),
            })
        }
        None => json!({ "status": "not_exercised" }),
    }
}

/// The top-level `hotspot_lines` array: each hot line's totals over its
/// reasons (the `hotspots` entries of that file and line).
pub(crate) fn hotspot_lines_json(runtime: &Runtime) -> Value {
    hot_lines(&runtime.join.hotspots)
        .iter()
        .map(|l| {
            json!({
                "file": l.file, "line": l.line, "function": l.function,
                "bytes": l.bytes, "blocks": l.blocks, "reasons": l.spots.len(),
            })
        })
        .collect()
}

/// The top-level `hotspots` array.
pub(crate) fn hotspots_json(runtime: &Runtime) -> Value {
    runtime
        .join
        .hotspots
        .iter()
        .map(|h| {
            json!({
                "file": h.file, "line": h.line, "function": h.function,
                "reason": h.reason.name(), "detail": h.detail,
                "bytes": h.bytes, "blocks": h.blocks, "stack": stack_json(&h.stack),
            })
        })
        .collect()
}

/// Crates with what they allocated, and the lines that called them.
fn crates_json(crates: &[CrateShare]) -> Value {
    crates
        .iter()
        .map(|c| {
            json!({
                "crate": c.name, "bytes": c.amount.bytes, "blocks": c.amount.blocks, "peak_bytes": c.amount.peak_bytes,
                "callers": c.callers.iter().map(|l| json!({
                    "file": l.file, "line": l.line, "called": l.called,
                    "bytes": l.amount.bytes, "blocks": l.amount.blocks, "peak_bytes": l.amount.peak_bytes,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn sites_json(sites: &[Site]) -> Value {
    sites
        .iter()
        .map(|s| json!({ "function": s.function, "reason": s.reason.name(), "file": s.file, "bytes": s.bytes, "blocks": s.blocks }))
        .collect()
}

/// The top-level `profile` object: what ran, totals and every site (for `diff`).
pub(crate) fn profile_json(runtime: &Runtime) -> Value {
    let t = &runtime.join.totals;
    json!({
        "profiles": runtime.sources.iter().map(|s| json!({ "path": slash_path(&s.path), "producer": s.producer, "command": s.command })).collect::<Vec<_>>(),
        "runs": runtime.runs.iter().map(|r| json!({
            "label": r.label,
            "failure": r.failure,
            "profile": r.profile.as_deref().map(slash_path),
            "seconds": r.elapsed.as_secs_f64(),
            "plain_seconds": r.plain.map(|d| d.as_secs_f64()),
            "slowdown": r.slowdown(),
        })).collect::<Vec<_>>(),
        "totals": {
            "bytes": t.bytes, "blocks": t.blocks, "peak_bytes": t.peak_bytes,
            "rust_allocator_blocks": t.rust_allocator_blocks,
            "outside_bytes": t.outside_bytes, "outside_blocks": t.outside_blocks,
            "truncated_bytes": t.truncated_bytes, "truncated_blocks": t.truncated_blocks,
            "memlint_bytes": t.memlint_bytes, "memlint_blocks": t.memlint_blocks,
            "unlocated_bytes": t.unlocated_bytes, "unlocated_blocks": t.unlocated_blocks,
        },
        "outside_crates": crates_json(&runtime.join.outside_crates),
        "dependency_calls": crates_json(&runtime.join.dependency_calls),
        "reasons_version": dhat_runner::REASONS_VERSION,
        "sites": sites_json(&runtime.join.sites),
    })
}

/// The sites of a memlint JSON report with a `profile` object.
pub(crate) fn sites_from_json(report: &Value) -> Option<Vec<Site>> {
    report
        .get("profile")?
        .get("sites")?
        .as_array()?
        .iter()
        .map(|s| {
            Some(Site {
                function: s.get("function")?.as_str()?.to_string(),
                reason: Reason::from_name(s.get("reason")?.as_str()?)?,
                file: s.get("file")?.as_str()?.to_string(),
                bytes: s.get("bytes")?.as_u64()?,
                blocks: s.get("blocks")?.as_u64()?,
            })
        })
        .collect()
}
