//! Runtime evidence in every format: the human profile report, the
//! `runtime` object of JSON and SARIF results, and `diff`'s output.

use std::fmt::Write as _;

use dhat_runner::diff::{Diff, Exceeded};
use dhat_runner::{Allocated, CrateShare, Evidence, Hotspot, Reason, Site, StackLine};
use serde_json::{Value, json};

use super::{plural, slash_path};
use crate::check::Outcome;
use crate::profile::Runtime;

/// Rules whose fix leaves one allocation per call (a capacity reserved up front).
const CAPACITY_RULES: [&str; 3] =
    ["vec_push_without_capacity", "string_push_without_capacity", "map_insert_without_capacity"];

/// `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn share(part: u64, total: u64) -> f64 {
    if total == 0 { 0.0 } else { part as f64 * 100.0 / total as f64 }
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
}

/// What ran, for "absence is not proof" notes.
fn workload(runtime: &Runtime) -> String {
    if runtime.runs.is_empty() {
        let files: Vec<String> = runtime.sources.iter().map(|s| format!("`{}`", s.path.display())).collect();
        return format!("the profiles {}", files.join(", "));
    }
    let labels: Vec<&str> = runtime.runs.iter().map(|r| r.label.as_str()).collect();
    if labels.len() > 6 {
        format!("{} and {} more", labels[..6].join(", "), labels.len() - 6)
    } else {
        labels.join(", ")
    }
}

/// A stack on one line, innermost first. Collapsed (the default), the
/// library frames are the one that shows the reason and a count of the
/// others by crate; `verbose` lists every frame.
fn stack_text(stack: &[StackLine], verbose: bool) -> String {
    let mut parts = Vec::new();
    let mut hidden: Vec<&str> = Vec::new();
    let mut hidden_count = 0;
    for s in stack {
        let name = dhat_runner::short_name(&s.function);
        if s.workspace {
            parts.push(format!("{name} ({}:{})", s.file, s.line));
        } else if s.reason || verbose {
            parts.push(name.to_string());
        } else {
            hidden_count += 1;
            let krate = s.krate.as_deref().unwrap_or("?");
            if !hidden.contains(&krate) {
                hidden.push(krate);
            }
        }
    }
    let mut text = parts.join(" <- ");
    // std's own frames under a std call (`grow_one` under `push`) say
    // nothing new; under a dependency's call they say what it did.
    let outside_std = stack.iter().any(|s| !s.workspace && s.krate.as_deref().is_some_and(|k| k != "std"));
    if hidden_count > 0 && outside_std {
        // The dependencies first: they are why the frames are there.
        hidden.sort_by_key(|&k| k == "std");
        let _ = write!(text, "  (+{} in {}; -v shows them)", plural(hidden_count, "frame"), hidden.join(", "));
    }
    text
}

/// "9 blocks per call over 1 call of `squares`: with capacity this is 1".
fn per_call(runtime: &Runtime, i: usize, rule: &str, evidence: &Evidence) -> Option<String> {
    let calls = runtime.calls.get(i)?.as_ref()?;
    if calls.calls == 0 {
        return None;
    }
    let per = evidence.blocks as f64 / calls.calls as f64;
    let per = if per.fract() == 0.0 { format!("{per:.0}") } else { format!("{per:.1}") };
    let mut text = format!(
        "{per} blocks per call over {} of `{}` (#[memtrack])",
        plural(calls.calls as usize, "call"),
        calls.function
    );
    if CAPACITY_RULES.contains(&rule) {
        text.push_str(": with capacity this is 1");
    }
    Some(text)
}

/// One line under a finding of the ordinary human output.
pub(crate) fn runtime_note(runtime: &Runtime, i: usize) -> String {
    match runtime.join.evidence.get(i).and_then(Option::as_ref) {
        Some(e) => format!(
            "  runtime: confirmed: {} blocks, {} bytes ({:.1}% of all blocks), {}, {} match",
            thousands(e.blocks),
            thousands(e.bytes),
            share(e.blocks, runtime.join.totals.blocks),
            e.reason,
            e.how.name()
        ),
        None => format!("  runtime: not exercised by {}", workload(runtime)),
    }
}

/// The report of `cargo memlint profile`.
pub(crate) fn render(outcome: &Outcome, color: bool) -> String {
    let Some(runtime) = &outcome.runtime else { return super::human::render(outcome, color) };
    let totals = &runtime.join.totals;
    let mut out = String::new();
    let mut confirmed: Vec<(usize, &Evidence)> =
        runtime.join.evidence.iter().enumerate().filter_map(|(i, e)| Some((i, e.as_ref()?))).collect();
    confirmed.sort_by(|a, b| b.1.blocks.cmp(&a.1.blocks).then(b.1.bytes.cmp(&a.1.bytes)).then(a.0.cmp(&b.0)));
    let producers: Vec<&str> = {
        let mut p: Vec<&str> = runtime.sources.iter().map(|s| s.producer).collect();
        p.dedup();
        p
    };
    let _ = writeln!(
        out,
        "{} {} of {} confirmed by {} ({}): {} blocks, {} bytes allocated in all; {} bytes live at the peak\n",
        paint(color, "1", "memlint profile:"),
        confirmed.len(),
        plural(outcome.diagnostics.len(), "finding"),
        plural(runtime.sources.len(), "profile"),
        producers.join(", "),
        thousands(totals.blocks),
        thousands(totals.bytes),
        thousands(totals.peak_bytes),
    );
    render_blind_to_rust(&mut out, runtime, color);
    if !confirmed.is_empty() {
        let _ = writeln!(out, "{}", paint(color, "1", "Confirmed findings, by blocks then bytes"));
        let _ = writeln!(
            out,
            "  {:>3}  {:>9}  {:>12}  {:>6}  {:<28}  {:<24}  {:<14}  match",
            "#", "blocks", "bytes", "share", "rule", "location", "reason"
        );
        for (rank, (i, e)) in confirmed.iter().enumerate() {
            let d = &outcome.diagnostics[*i];
            let location = format!("{}:{}:{}", slash_path(&d.file), d.span.line, d.span.column);
            let _ = writeln!(
                out,
                "  {:>3}  {:>9}  {:>12}  {:>5.1}%  {:<28}  {:<24}  {:<14}  {}",
                rank + 1,
                thousands(e.blocks),
                thousands(e.bytes),
                share(e.blocks, totals.blocks),
                paint(color, "33", d.rule),
                location,
                e.reason.name(),
                e.how.name()
            );
            let _ = writeln!(out, "       {:>5} | {}", d.span.line, outcome.line_text(&d.file, d.span.line).trim_end());
            let _ = writeln!(out, "             stack: {}", stack_text(&e.stack, runtime.verbose));
            if let Some(text) = per_call(runtime, *i, d.rule, e) {
                let _ = writeln!(out, "             {text}");
            }
        }
        out.push('\n');
    }
    let idle: Vec<usize> = (0..outcome.diagnostics.len()).filter(|&i| runtime.join.evidence[i].is_none()).collect();
    if !idle.is_empty() {
        let _ = writeln!(
            out,
            "{} (absence is not proof: only {} ran)",
            paint(color, "1", &format!("Not exercised by this workload: {}", plural(idle.len(), "finding"))),
            workload(runtime)
        );
        for i in idle {
            let d = &outcome.diagnostics[i];
            let _ = writeln!(out, "  {:<28}  {}:{}:{}", d.rule, slash_path(&d.file), d.span.line, d.span.column);
        }
        out.push('\n');
    }
    render_hotspots(&mut out, outcome, runtime, color);
    // "N blocks (x%), M bytes (y%)" of the profile's totals.
    let part = |blocks: u64, bytes: u64| {
        format!(
            "{} blocks ({:.1}%), {} bytes ({:.1}%)",
            thousands(blocks),
            share(blocks, totals.blocks),
            thousands(bytes),
            share(bytes, totals.bytes)
        )
    };
    let _ = writeln!(
        out,
        "Outside workspace code: {} were allocated by stacks without a frame of the workspace",
        part(totals.outside_blocks, totals.outside_bytes)
    );
    render_outside_crates(&mut out, &runtime.join.outside_crates);
    render_dependency_calls(&mut out, &runtime.join.dependency_calls, &|a: &Allocated| part(a.blocks, a.bytes));
    if totals.memlint_blocks > 0 {
        let _ = writeln!(
            out,
            "memlint's own bookkeeping: {} were allocated by memlint's runtime (#[memtrack]'s budget messages and reports), not by the functions it tracks",
            part(totals.memlint_blocks, totals.memlint_bytes)
        );
    }
    // Most stacks with no file and line in any frame: the binary has no
    // line tables, and the table above says nothing about the user's code.
    // Advice about the frame depth would then mislead: it is not the cause.
    let unlocated = totals.unlocated_blocks > 0 && totals.unlocated_blocks * 2 >= totals.blocks;
    if unlocated {
        let _ = writeln!(
            out,
            "{} {} come from stacks with no file and line in any frame of Rust code: the profiled binary has no line tables, so nothing can be placed in your code\n  help: memlint builds the workload with `debug = \"line-tables-only\"` (release and bench), `strip = \"none\"` and `split-debuginfo = \"off\"`; look for what removes them anyway: RUSTFLAGS or `.cargo/config.toml` with `-C strip` or `-C debuginfo=0`, or a program built outside cargo",
            paint(color, "1", "No line tables:"),
            part(totals.unlocated_blocks, totals.unlocated_bytes)
        );
    }
    if totals.truncated_blocks > 0 && !unlocated {
        let _ = writeln!(
            out,
            "Truncated stacks: {} blocks ({:.1}%) come from stacks cut short before reaching `main` or a thread's start; your frames may be among the missing\n  help: raise the frame depth: valgrind `--num-callers`, dhat-rs `trim_backtraces(Some(64))`",
            thousands(totals.truncated_blocks),
            share(totals.truncated_blocks, totals.blocks),
        );
    }
    for source in &runtime.sources {
        let _ = writeln!(out, "Profile: {} ({}, `{}`)", source.path.display(), source.producer, source.command);
    }
    if let Some(line) = run_times(runtime) {
        let _ = writeln!(out, "{line}");
    }
    if runtime.sources.iter().any(|s| s.producer == "dhat-rs") {
        let _ = writeln!(
            out,
            "  note: dhat-rs sees only Rust's global allocator: allocations made by C code (libc, `-sys` crates) are not in this profile; valgrind sees them"
        );
    }
    out.push_str(&super::human::render_errors(outcome, color));
    out
}

/// How long the workload ran under the profiler and, with `--plain-run`,
/// without it: "Ran bin `rg` in 12.3 s under valgrind; 0.22 s without: 56x".
fn run_times(runtime: &Runtime) -> Option<String> {
    let first = runtime.runs.first()?;
    let profiler = runtime.sources.first().map_or("the profiler", |s| s.producer);
    let what = match runtime.runs.as_slice() {
        [one] => one.label.clone(),
        many => format!("{} processes", many.len()),
    };
    let profiled: f64 = runtime.runs.iter().map(|r| r.elapsed.as_secs_f64()).sum();
    let mut line = format!("Ran {what} in {} under {profiler}", seconds(profiled));
    let plain: Option<f64> = runtime.runs.iter().map(|r| r.plain.map(|d| d.as_secs_f64())).sum();
    match plain {
        Some(plain) if plain > 0.0 => {
            let _ = write!(line, "; {} without it: {:.0}x slower", seconds(plain), profiled / plain);
        }
        Some(_) => {}
        None if first.plain.is_none() => {
            line.push_str(" (`--plain-run` also runs it without the profiler, to show the slowdown)")
        }
        None => {}
    }
    Some(line)
}

/// `0.034 s`, `1.69 s`, `125 s`.
fn seconds(s: f64) -> String {
    match s {
        s if s < 0.1 => format!("{s:.3} s"),
        s if s < 100.0 => format!("{s:.2} s"),
        s => format!("{s:.0} s"),
    }
}

/// valgrind saw none of Rust's allocations: say it first, with the
/// `#[global_allocator]` that is the likely cause, because every table
/// below misleads otherwise ("not exercised" findings that ran).
fn render_blind_to_rust(out: &mut String, runtime: &Runtime, color: bool) {
    if !runtime.blind_to_rust() {
        return;
    }
    let _ = writeln!(
        out,
        "{} none of the {} blocks in this profile went through Rust's allocator: the program's global allocator doesn't call `malloc` (jemalloc and mimalloc don't), and valgrind sees only `malloc`. What is below is C code's allocations; Rust's are missing, so findings show as not exercised",
        paint(color, "1;33", "warning:"),
        thousands(runtime.join.totals.blocks)
    );
    for site in &runtime.global_allocators {
        let _ = writeln!(out, "  {}:{} | {}", site.file, site.line, site.text);
    }
    let _ = writeln!(
        out,
        "  help: profile with `--backend dhat-rs` (its `dhat::Alloc` is the global allocator under the `dhat-heap` feature: gate yours off there), or build the profiled binary with the system allocator\n"
    );
}

fn render_hotspots(out: &mut String, outcome: &Outcome, runtime: &Runtime, color: bool) {
    let lines = hot_lines(&runtime.join.hotspots);
    if lines.is_empty() {
        return;
    }
    let by_blocks: Vec<&HotLine<'_>> = lines.iter().take(runtime.top).collect();
    let mut by_bytes: Vec<&HotLine<'_>> = lines.iter().collect();
    by_bytes.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(b.blocks.cmp(&a.blocks)));
    let more_bytes: Vec<&HotLine<'_>> =
        by_bytes.into_iter().take(runtime.top).filter(|l| !by_blocks.iter().any(|b| std::ptr::eq(*b, *l))).collect();
    let _ = writeln!(
        out,
        "{} (top {} by blocks{}): candidates for a rule or a fix",
        paint(color, "1", "Hot allocation sites no finding explains"),
        plural(by_blocks.len(), "line"),
        if more_bytes.is_empty() { String::new() } else { format!(", then {} more by bytes", more_bytes.len()) }
    );
    let _ = writeln!(out, "  {:>9}  {:>12}  {:<32}  location", "blocks", "bytes", "reason");
    let source_line = |file: &str, line: u32| {
        // Files with findings are in memory; a hot spot elsewhere is read.
        let known = outcome.line_text(std::path::Path::new(file), line);
        if known.is_empty() { read_line(&outcome.root.join(file), line) } else { Some(known.to_string()) }
    };
    for line in by_blocks.iter().chain(&more_bytes) {
        render_hot_line(out, line, &source_line, runtime.verbose);
    }
    out.push('\n');
}

/// The allocations outside the workspace by crate, most blocks first (the
/// first five, and how many more).
fn render_outside_crates(out: &mut String, crates: &[CrateShare]) {
    render_crates(out, crates, "crate that allocated");
}

/// Allocations made inside dependencies that workspace lines called, by
/// crate, each with the lines that called it (the first three).
fn render_dependency_calls(out: &mut String, crates: &[CrateShare], part: &dyn Fn(&Allocated) -> String) {
    if crates.is_empty() {
        return;
    }
    let mut all = Allocated::default();
    for c in crates {
        all.bytes += c.amount.bytes;
        all.blocks += c.amount.blocks;
    }
    let _ = writeln!(
        out,
        "Inside dependencies your code called: {} were allocated by a dependency's code below a line of yours",
        part(&all)
    );
    render_crates(out, crates, "crate, and the lines that called it");
}

/// A table of crates, most blocks first (the first five, and how many
/// more), each followed by its calling lines (the first three).
fn render_crates(out: &mut String, crates: &[CrateShare], title: &str) {
    const SHOWN: usize = 5;
    const CALLERS: usize = 3;
    if crates.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {:>9}  {:>12}  {:>11}  {:>12}  {title}", "blocks", "bytes", "bytes/block", "at peak");
    let row = |out: &mut String, amount: &Allocated, what: &str| {
        let per_block = amount.bytes.checked_div(amount.blocks).unwrap_or(0);
        let _ = writeln!(
            out,
            "  {:>9}  {:>12}  {:>11}  {:>12}  {what}",
            thousands(amount.blocks),
            thousands(amount.bytes),
            thousands(per_block),
            thousands(amount.peak_bytes),
        );
    };
    for c in crates.iter().take(SHOWN) {
        row(out, &c.amount, &c.name);
        for caller in c.callers.iter().take(CALLERS) {
            row(out, &caller.amount, &format!("  {}:{} calls `{}`", caller.file, caller.line, caller.called));
        }
        if let Some(more) = c.callers.len().checked_sub(CALLERS).filter(|&n| n > 0) {
            let _ = writeln!(out, "  {:>52}    ({more} more {})", "", if more == 1 { "line" } else { "lines" });
        }
    }
    if let Some(more) = crates.len().checked_sub(SHOWN).filter(|&n| n > 0) {
        let _ = writeln!(out, "  ({more} more {})", if more == 1 { "crate" } else { "crates" });
    }
}

/// The hot spots of one source line: one allocating line may allocate for
/// several reasons (a call that formats, pushes and inserts).
#[derive(Debug)]
struct HotLine<'a> {
    file: &'a str,
    line: u32,
    function: &'a str,
    blocks: u64,
    bytes: u64,
    /// By blocks, most first.
    spots: Vec<&'a Hotspot>,
}

/// The hot spots grouped by line, the lines by blocks (then bytes), most first.
fn hot_lines(spots: &[Hotspot]) -> Vec<HotLine<'_>> {
    let mut by_line: std::collections::BTreeMap<(&str, u32), HotLine<'_>> = std::collections::BTreeMap::new();
    for spot in spots {
        let line = by_line.entry((&spot.file, spot.line)).or_insert_with(|| HotLine {
            file: &spot.file,
            line: spot.line,
            function: &spot.function,
            blocks: 0,
            bytes: 0,
            spots: Vec::new(),
        });
        line.blocks += spot.blocks;
        line.bytes += spot.bytes;
        line.spots.push(spot);
    }
    let mut lines: Vec<HotLine<'_>> = by_line.into_values().collect();
    for line in &mut lines {
        line.spots.sort_by(|a, b| b.blocks.cmp(&a.blocks).then(b.bytes.cmp(&a.bytes)));
    }
    lines.sort_by(|a, b| b.blocks.cmp(&a.blocks).then(b.bytes.cmp(&a.bytes)));
    lines
}

/// One line of the hot-spot table: a line with one reason on one row; a
/// line with several, its total first and each reason under it.
/// A hot spot whose line called into a dependency shows its stack
/// (collapsed); `verbose` shows every hot spot's whole stack.
fn render_hot_line(
    out: &mut String,
    line: &HotLine<'_>,
    source_line: &dyn Fn(&str, u32) -> Option<String>,
    verbose: bool,
) {
    let reason = match line.spots.as_slice() {
        [one] => format!("{} ({})", one.reason, one.detail),
        several => format!("{} reasons", several.len()),
    };
    let _ = writeln!(
        out,
        "  {:>9}  {:>12}  {:<32}  {}:{} in `{}`",
        thousands(line.blocks),
        thousands(line.bytes),
        reason,
        line.file,
        line.line,
        line.function
    );
    if let Some(text) = source_line(line.file, line.line) {
        let _ = writeln!(out, "  {:>9}  {:>12}  {:>5} | {}", "", "", line.line, text.trim_end());
    }
    let stack = |out: &mut String, spot: &Hotspot| {
        if verbose || spot.reason == Reason::Dependency {
            let _ = writeln!(out, "  {:>9}  {:>12}      stack: {}", "", "", stack_text(&spot.stack, verbose));
        }
    };
    match line.spots.as_slice() {
        [one] => stack(out, one),
        several => {
            for spot in several {
                let reason = format!("{} ({})", spot.reason, spot.detail);
                let _ = writeln!(out, "  {:>9}  {:>12}    {reason}", thousands(spot.blocks), thousands(spot.bytes));
                stack(out, spot);
            }
        }
    }
}

fn read_line(path: &std::path::Path, line: u32) -> Option<String> {
    std::fs::read_to_string(path).ok()?.lines().nth(line.saturating_sub(1) as usize).map(str::to_string)
}

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
pub(crate) fn runtime_json(runtime: &Runtime, i: usize) -> Value {
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
    fn numbers_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(16352), "16,352");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(signed(-8), "-8");
        assert_eq!(signed(2048), "+2,048");
    }

    fn spot(line: u32, reason: dhat_runner::Reason, detail: &str, blocks: u64, bytes: u64) -> Hotspot {
        Hotspot {
            file: "src/main.rs".into(),
            line,
            function: "main".into(),
            reason,
            detail: detail.into(),
            bytes,
            blocks,
            stack: Vec::new(),
        }
    }

    /// ripgrep's `main.rs:175` showed as five rows: one line, its total
    /// first, its reasons under it; a line of one reason stays one row.
    #[test]
    fn hot_spots_are_grouped_by_line_with_a_total() {
        use dhat_runner::Reason::{MapGrowth, Other, ToString, VecGrowth};
        let spots = vec![
            spot(175, VecGrowth, "push", 300, 200_000),
            spot(9, Other, "from_elem", 250, 1_000),
            spot(175, MapGrowth, "insert", 100, 4_000),
            spot(175, ToString, "to_string", 12, 1_000),
        ];
        let lines = hot_lines(&spots);
        let totals: Vec<(u32, u64, u64, usize)> =
            lines.iter().map(|l| (l.line, l.blocks, l.bytes, l.spots.len())).collect();
        assert_eq!(totals, [(175, 412, 205_000, 3), (9, 250, 1_000, 1)]);
        let mut out = String::new();
        for line in &lines {
            render_hot_line(&mut out, line, &|_, n| Some(format!("code on line {n}")), false);
        }
        let expected = [
            "        412       205,000  3 reasons                         src/main.rs:175 in `main`",
            "                             175 | code on line 175",
            "        300       200,000    vec growth (push)",
            "        100         4,000    map growth (insert)",
            "         12         1,000    to_string (to_string)",
            "        250         1,000  other (from_elem)                 src/main.rs:9 in `main`",
            "                               9 | code on line 9",
        ];
        assert_eq!(out.lines().collect::<Vec<_>>(), expected);
    }

    /// ripgrep's `builder.add_defaults()`: the line called `ignore`, which
    /// allocated 14 frames down; the stack shows the call and folds the
    /// frames inside the dependency, `-v` lists them.
    #[test]
    fn a_dependency_call_shows_its_stack_collapsed() {
        let frame = |function: &str, krate: &str, reason: bool| StackLine {
            function: function.into(),
            file: String::new(),
            line: 0,
            column: None,
            workspace: false,
            reason,
            krate: Some(krate.into()),
        };
        let mut dep = spot(1179, Reason::Dependency, "ignore::types::TypesBuilder::add_defaults", 900, 90_000);
        dep.stack = vec![
            frame("alloc::raw_vec::RawVec<T,A>::grow_one", "std", false),
            frame("<str as alloc::string::ToString>::to_string", "std", false),
            frame("ignore::types::TypesBuilder::add", "ignore", false),
            frame("ignore::types::TypesBuilder::add_defaults", "ignore", true),
            StackLine {
                function: "rg::flags::hiargs::types".into(),
                file: "crates/core/flags/hiargs.rs".into(),
                line: 1179,
                column: None,
                workspace: true,
                reason: false,
                krate: None,
            },
        ];
        let spots = [dep];
        let lines = hot_lines(&spots);
        let mut out = String::new();
        render_hot_line(&mut out, &lines[0], &|_, _| None, false);
        assert_eq!(
            out.lines().nth(1),
            Some(
                "                               stack: add_defaults <- types (crates/core/flags/hiargs.rs:1179)  (+3 frames in ignore, std; -v shows them)"
            )
        );
        let mut out = String::new();
        render_hot_line(&mut out, &lines[0], &|_, _| None, true);
        assert!(
            out.contains(
                "stack: grow_one <- to_string <- add <- add_defaults <- types (crates/core/flags/hiargs.rs:1179)\n"
            ),
            "{out}"
        );
        // A std call's own frames are not worth a note.
        let mut push = spot(9, Reason::VecGrowth, "push", 3, 30);
        push.stack = vec![frame("grow_one", "std", false), frame("push", "std", true)];
        assert_eq!(stack_text(&push.stack, false), "push");
    }

    #[test]
    fn outside_allocations_are_listed_by_crate() {
        let amount = |blocks: u64, bytes: u64| Allocated { bytes, blocks, peak_bytes: bytes / 2 };
        let share = |name: &str, blocks: u64, bytes: u64| CrateShare {
            name: name.into(),
            amount: amount(blocks, bytes),
            callers: Vec::new(),
        };
        let crates: Vec<CrateShare> = (0..7).map(|i| share(&format!("c{i}"), 10 - i, 1000)).collect();
        let mut out = String::new();
        render_outside_crates(&mut out, &[share("ignore", 4, 131_072), share("std", 2, 10)]);
        let expected = [
            "     blocks         bytes  bytes/block       at peak  crate that allocated",
            "          4       131,072       32,768        65,536  ignore",
            "          2            10            5             5  std",
        ];
        assert_eq!(out.lines().collect::<Vec<_>>(), expected);
        let mut out = String::new();
        render_outside_crates(&mut out, &crates);
        assert!(out.ends_with("  (2 more crates)\n"), "{out}");

        // Inside dependencies: each crate with the lines that called it.
        let caller = |line: u32, blocks: u64| dhat_runner::CallingLine {
            file: "crates/core/main.rs".into(),
            line,
            called: "grep_regex::RegexMatcher::new".into(),
            amount: amount(blocks, blocks * 100),
        };
        let mut regex = share("regex-syntax", 900, 90_000);
        regex.callers = (0..5).map(|i| caller(170 + i, 500 - i as u64)).collect();
        let mut out = String::new();
        render_dependency_calls(&mut out, &[regex], &|a: &Allocated| format!("{} blocks", a.blocks));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "Inside dependencies your code called: 900 blocks were allocated by a dependency's code below a line of yours"
        );
        assert_eq!(lines[2], "        900        90,000          100        45,000  regex-syntax");
        assert_eq!(
            lines[3],
            "        500        50,000          100        25,000    crates/core/main.rs:170 calls `grep_regex::RegexMatcher::new`"
        );
        assert_eq!(lines[6].trim(), "(2 more lines)");
        assert_eq!(lines.len(), 7);
    }
}
