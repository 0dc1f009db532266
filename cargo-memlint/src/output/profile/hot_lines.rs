//! The hot-spot table: allocating lines no finding explains, grouped by
//! line with their reasons, and the stacks shown under them.

use std::fmt::Write as _;

use dhat_runner::{Hotspot, Reason, StackLine};

use super::{paint, plural, thousands};
use crate::check::Outcome;
use crate::profile::Runtime;

/// A stack on one line, innermost first. Collapsed (the default), the
/// library frames are the one that shows the reason and a count of the
/// others by crate; `verbose` lists every frame.
pub(super) fn stack_text(stack: &[StackLine], verbose: bool) -> String {
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

pub(super) fn render_hotspots(out: &mut String, outcome: &Outcome, runtime: &Runtime, color: bool) {
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

/// The hot spots of one source line: one allocating line may allocate for
/// several reasons (a call that formats, pushes and inserts).
#[derive(Debug)]
pub(super) struct HotLine<'a> {
    pub(super) file: &'a str,
    pub(super) line: u32,
    pub(super) function: &'a str,
    pub(super) blocks: u64,
    pub(super) bytes: u64,
    /// By blocks, most first.
    pub(super) spots: Vec<&'a Hotspot>,
}

/// The hot spots grouped by line, the lines by blocks (then bytes), most first.
pub(super) fn hot_lines(spots: &[Hotspot]) -> Vec<HotLine<'_>> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
