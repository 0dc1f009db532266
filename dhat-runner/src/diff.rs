//! Comparing two profiles by allocation site, for CI gates.
//!
//! Sites are keyed by (function, reason, file), never by line, so an edit
//! that only moves code does not show as a change.

use std::collections::BTreeMap;

use crate::join::Site;
use crate::reason::Reason;

/// Bytes and blocks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amount {
    /// Bytes allocated.
    pub bytes: u64,
    /// Blocks allocated.
    pub blocks: u64,
}

/// One site in either profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteDelta {
    /// The enclosing function (see [`Site::function`]).
    pub function: String,
    /// Why it allocates.
    pub reason: Reason,
    /// Workspace-relative file; empty outside the workspace.
    pub file: String,
    /// In the base profile.
    pub base: Amount,
    /// In the new profile.
    pub new: Amount,
}

impl SiteDelta {
    /// New minus base bytes.
    pub fn bytes_change(&self) -> i128 {
        i128::from(self.new.bytes) - i128::from(self.base.bytes)
    }

    /// New minus base blocks.
    pub fn blocks_change(&self) -> i128 {
        i128::from(self.new.blocks) - i128::from(self.base.blocks)
    }
}

/// The comparison of two profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    /// Totals of the base profile.
    pub base: Amount,
    /// Totals of the new profile.
    pub new: Amount,
    /// Sites whose bytes or blocks changed, largest block change first.
    pub changed: Vec<SiteDelta>,
    /// Sites with the same amounts in both.
    pub unchanged: usize,
}

/// A threshold a diff went over.
#[derive(Debug, Clone, PartialEq)]
pub struct Exceeded {
    /// `bytes` or `blocks`.
    pub what: &'static str,
    /// The increase in percent (infinite when the base was 0).
    pub increase_pct: f64,
    /// The allowed increase in percent.
    pub limit_pct: f64,
}

impl Diff {
    /// Compares the sites of two profiles.
    pub fn of(base: &[Site], new: &[Site]) -> Diff {
        let mut by_key: BTreeMap<(&str, Reason, &str), (Amount, Amount)> = BTreeMap::new();
        for (sites, is_new) in [(base, false), (new, true)] {
            for s in sites {
                let entry = by_key.entry((s.function.as_str(), s.reason, s.file.as_str())).or_default();
                let side = if is_new { &mut entry.1 } else { &mut entry.0 };
                // Saturating: a report file's counts are not to be trusted.
                side.bytes = side.bytes.saturating_add(s.bytes);
                side.blocks = side.blocks.saturating_add(s.blocks);
            }
        }
        let total = |sites: &[Site]| Amount {
            bytes: sites.iter().fold(0u64, |sum, s| sum.saturating_add(s.bytes)),
            blocks: sites.iter().fold(0u64, |sum, s| sum.saturating_add(s.blocks)),
        };
        let mut unchanged = 0;
        let mut changed = Vec::new();
        for ((function, reason, file), (base, new)) in by_key {
            if base == new {
                unchanged += 1;
                continue;
            }
            changed.push(SiteDelta { function: function.to_string(), reason, file: file.to_string(), base, new });
        }
        changed.sort_by(|a, b| {
            b.blocks_change()
                .abs()
                .cmp(&a.blocks_change().abs())
                .then(b.bytes_change().abs().cmp(&a.bytes_change().abs()))
        });
        Diff { base: total(base), new: total(new), changed, unchanged }
    }

    /// The thresholds the totals went over (percent increase of bytes, of blocks).
    pub fn exceeded(&self, max_bytes_pct: Option<f64>, max_blocks_pct: Option<f64>) -> Vec<Exceeded> {
        let mut over = Vec::new();
        for (what, limit, base, new) in [
            ("bytes", max_bytes_pct, self.base.bytes, self.new.bytes),
            ("blocks", max_blocks_pct, self.base.blocks, self.new.blocks),
        ] {
            let Some(limit_pct) = limit else { continue };
            let increase_pct = increase_pct(base, new);
            if increase_pct > limit_pct {
                over.push(Exceeded { what, increase_pct, limit_pct });
            }
        }
        over
    }
}

/// `new` over `base` in percent (0 when equal, infinite from 0 to more).
pub fn increase_pct(base: u64, new: u64) -> f64 {
    if new <= base {
        -(((base - new) as f64) / (base.max(1) as f64) * 100.0)
    } else if base == 0 {
        f64::INFINITY
    } else {
        (new - base) as f64 / base as f64 * 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(function: &str, reason: Reason, bytes: u64, blocks: u64) -> Site {
        Site { function: function.to_string(), reason, file: "src/main.rs".to_string(), bytes, blocks }
    }

    #[test]
    fn sites_are_compared_by_key_and_thresholds_apply_to_totals() {
        let base = [site("squares", Reason::VecGrowth, 16352, 9), site("main", Reason::Other, 1024, 1)];
        let new = [
            site("squares", Reason::VecGrowth, 8000, 1),
            site("main", Reason::Other, 1024, 1),
            site("render", Reason::Format, 800, 100),
        ];
        let diff = Diff::of(&base, &new);
        assert_eq!(diff.unchanged, 1);
        assert_eq!(diff.changed.len(), 2);
        assert_eq!((diff.changed[0].function.as_str(), diff.changed[0].blocks_change()), ("render", 100));
        assert_eq!((diff.changed[1].function.as_str(), diff.changed[1].blocks_change()), ("squares", -8));
        assert_eq!((diff.base.blocks, diff.new.blocks), (10, 102));
        // Blocks grew by 920%, bytes fell by about 44%.
        let over = diff.exceeded(Some(0.0), Some(5.0));
        assert_eq!(over.len(), 1);
        assert_eq!((over[0].what, over[0].increase_pct.round()), ("blocks", 920.0));
        assert!(diff.exceeded(None, Some(1000.0)).is_empty());
    }

    /// A report's counts come from a file: counts that would overflow a sum
    /// saturate instead of panicking.
    #[test]
    fn huge_counts_saturate() {
        let huge = [site("a", Reason::Other, u64::MAX, u64::MAX), site("a", Reason::Other, u64::MAX, 1)];
        let diff = Diff::of(&huge, &huge[..1]);
        assert_eq!((diff.base.bytes, diff.base.blocks), (u64::MAX, u64::MAX));
        assert_eq!(diff.unchanged, 1);
        assert!(diff.exceeded(Some(0.0), Some(0.0)).is_empty());
    }

    #[test]
    fn percentages() {
        assert_eq!(increase_pct(100, 150), 50.0);
        assert_eq!(increase_pct(100, 50), -50.0);
        assert_eq!(increase_pct(0, 0), 0.0);
        assert!(increase_pct(0, 1).is_infinite());
    }
}
