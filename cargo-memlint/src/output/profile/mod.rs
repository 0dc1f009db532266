//! Runtime evidence in every format: the human profile report, the
//! `runtime` object of JSON and SARIF results, and `diff`'s output.

mod crates;
mod diff;
mod hot_lines;
mod json;

use std::fmt::Write as _;

use dhat_runner::{Allocated, Evidence};

use super::{plural, slash_path};
use crate::check::Outcome;
use crate::profile::Runtime;
use crates::{render_dependency_calls, render_outside_crates};
pub(crate) use diff::{diff_json, render_diff};
use hot_lines::{render_hotspots, stack_text};
pub(crate) use json::{hotspot_lines_json, hotspots_json, profile_json, runtime_json, sites_from_json};

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

/// `1 block`, `2,048 blocks`: a count with its digits grouped.
fn counted(n: u64, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{} {word}s", thousands(n)) }
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
    // A capacity reserved up front leaves one allocation per call.
    if lint_core::rules::find(rule).is_some_and(|r| r.meta().fix_leaves_one) {
        text.push_str(": with capacity this is 1");
    }
    Some(text)
}

/// Whether a heap profile can show what findings of `rule` cost: not for
/// rules about sizes, layouts or CPU (they declare no allocation reason).
pub(crate) fn measurable(rule: &str) -> bool {
    !dhat_runner::explained_by(rule).is_empty()
}

/// One line under a finding (of `rule`) of the ordinary human output.
pub(crate) fn runtime_note(runtime: &Runtime, i: usize, rule: &str) -> String {
    if !measurable(rule) {
        return "  runtime: not measurable by a heap profile (a size or CPU cost, not an allocation)".to_owned();
    }
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
    let idle: Vec<usize> = (0..outcome.diagnostics.len())
        .filter(|&i| runtime.join.evidence[i].is_none() && measurable(outcome.diagnostics[i].rule))
        .collect();
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
            "{} ({:.1}%), {} ({:.1}%)",
            counted(blocks, "block"),
            share(blocks, totals.blocks),
            counted(bytes, "byte"),
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
            "Truncated stacks: {} ({:.1}%) come from stacks cut short before reaching `main` or a thread's start; your frames may be among the missing\n  help: raise the frame depth: valgrind `--num-callers`, dhat-rs `trim_backtraces(Some(64))`",
            counted(totals.truncated_blocks, "block"),
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
        "{} none of the {} in this profile went through Rust's allocator: the program's global allocator doesn't call `malloc` (jemalloc and mimalloc don't), and valgrind sees only `malloc`. What is below is C code's allocations; Rust's are missing, so findings show as not exercised",
        paint(color, "1;33", "warning:"),
        counted(runtime.join.totals.blocks, "block")
    );
    for site in &runtime.global_allocators {
        let _ = writeln!(out, "  {}:{} | {}", site.file, site.line, site.text);
    }
    let _ = writeln!(
        out,
        "  help: profile with `--backend dhat-rs` (its `dhat::Alloc` is the global allocator under the `dhat-heap` feature: gate yours off there), or build the profiled binary with the system allocator\n"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rules whose cost a heap profile can't show are neither confirmed nor
    /// "not exercised": the ones that declare no allocation reason.
    #[test]
    fn sizes_and_cpu_costs_are_not_measurable() {
        for rule in ["padded_struct", "large_enum_variant", "vec_front_shift_in_loop"] {
            assert!(!super::measurable(rule), "{rule}");
        }
        for rule in ["vec_push_without_capacity", "redundant_clone", "sort_allocates"] {
            assert!(super::measurable(rule), "{rule}");
        }
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(16352), "16,352");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
