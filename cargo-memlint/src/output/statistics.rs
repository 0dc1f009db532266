//! `--statistics`: how many findings each rule has, most first.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lint_core::Level;

use crate::check::Outcome;

/// One line per rule with findings: count, rule, level.
pub(crate) fn render(outcome: &Outcome) -> String {
    let mut counts: BTreeMap<&str, (usize, Level)> = BTreeMap::new();
    for d in &outcome.diagnostics {
        let entry = counts.entry(d.rule).or_insert((0, d.level));
        entry.0 += 1;
        entry.1 = entry.1.max(d.level);
    }
    let mut rows: Vec<(&str, usize, Level)> = counts.into_iter().map(|(rule, (n, level))| (rule, n, level)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    // A count, the rule name and a severity per line.
    let mut out = String::with_capacity(rows.len() * (width + 20));
    for (rule, n, level) in rows {
        let _ = writeln!(out, "{n:>6}  {rule:width$}  {}", level.severity());
    }
    out
}
