//! Allocations by crate: outside the workspace, and inside the
//! dependencies workspace lines called.

use std::fmt::Write as _;

use dhat_runner::{Allocated, CrateShare};

use super::thousands;

/// The allocations outside the workspace by crate, most blocks first (the
/// first five, and how many more).
pub(super) fn render_outside_crates(out: &mut String, crates: &[CrateShare]) {
    render_crates(out, crates, "crate that allocated");
}

/// Allocations made inside dependencies that workspace lines called, by
/// crate, each with the lines that called it (the first three).
pub(super) fn render_dependency_calls(out: &mut String, crates: &[CrateShare], part: &dyn Fn(&Allocated) -> String) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
