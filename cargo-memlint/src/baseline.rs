//! Baselines: adopting memlint in a codebase with findings already in it.
//!
//! `--write-baseline FILE` records how many findings each rule has in each
//! file (with their messages); `--baseline FILE` then reports only the
//! findings beyond those counts. Line numbers are not recorded, so editing
//! a file doesn't invalidate its entries: a finding is new only when a
//! (file, rule) pair has more findings than recorded. Which of them are
//! reported is decided by their messages (which name the code involved),
//! then by position.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use lint_core::Diagnostic;
use serde::{Deserialize, Serialize};

use crate::output::slash_path;

/// The baseline file's schema version.
const VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Baseline {
    version: u32,
    /// Messages of the recorded findings, by file, then rule.
    files: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// A (file, rule) pair with fewer findings than recorded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Stale {
    pub(crate) file: String,
    pub(crate) rule: String,
    pub(crate) recorded: usize,
    pub(crate) found: usize,
}

/// What applying a baseline left.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// Findings the baseline hid.
    pub(crate) hidden: usize,
    /// Entries to prune.
    pub(crate) stale: Vec<Stale>,
}

/// A baseline that can't be read.
#[derive(Debug)]
pub(crate) struct BaselineError {
    path: PathBuf,
    message: String,
}

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read the baseline `{}`: {}", self.path.display(), self.message)
    }
}

impl Baseline {
    /// The baseline of `findings`.
    pub(crate) fn of(findings: &[Diagnostic]) -> Baseline {
        let mut files: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for d in findings {
            files.entry(slash_path(&d.file)).or_default().entry(d.rule.to_owned()).or_default().push(d.message.clone());
        }
        for rules in files.values_mut() {
            rules.values_mut().for_each(|messages| messages.sort());
        }
        Baseline { version: VERSION, files }
    }

    /// The JSON text, ending with a newline.
    pub(crate) fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }

    /// Reads a baseline file.
    pub(crate) fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| BaselineError { path: path.to_path_buf(), message: e.to_string() })?;
        Baseline::parse(&text).map_err(|message| BaselineError { path: path.to_path_buf(), message })
    }

    /// Reads the text of a baseline file; the error says what is wrong.
    pub(crate) fn parse(text: &str) -> Result<Baseline, String> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| format!("not a memlint baseline: {e}"))?;
        if baseline.version != VERSION {
            return Err(format!(
                "version {} is not supported (this memlint writes version {VERSION})",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// Removes from `findings` those the baseline records, and lists the
    /// entries that recorded more findings than there are now.
    pub(crate) fn apply(&self, findings: &mut Vec<Diagnostic>) -> Applied {
        let mut groups: BTreeMap<(String, &'static str), Vec<usize>> = BTreeMap::new();
        for (i, d) in findings.iter().enumerate() {
            groups.entry((slash_path(&d.file), d.rule)).or_default().push(i);
        }
        let mut keep = vec![true; findings.len()];
        let mut applied = Applied::default();
        for ((file, rule), indices) in &groups {
            let Some(recorded) = self.files.get(file).and_then(|rules| rules.get(*rule)) else { continue };
            // Hide the findings whose messages were recorded, then (when a
            // message changed, e.g. a renamed variable) the first ones in
            // file order, up to the recorded count.
            let mut left: Vec<&str> = recorded.iter().map(String::as_str).collect();
            let mut hidden = 0;
            for &i in indices {
                if let Some(pos) = left.iter().position(|m| *m == findings[i].message) {
                    left.swap_remove(pos);
                    keep[i] = false;
                    hidden += 1;
                }
            }
            for &i in indices {
                if hidden < recorded.len() && keep[i] {
                    keep[i] = false;
                    hidden += 1;
                }
            }
            applied.hidden += hidden;
        }
        for (file, rules) in &self.files {
            for (rule, recorded) in rules {
                let found = groups.iter().find(|((f, r), _)| f == file && r == rule).map_or(0, |(_, v)| v.len());
                if found < recorded.len() {
                    applied.stale.push(Stale {
                        file: file.clone(),
                        rule: rule.clone(),
                        recorded: recorded.len(),
                        found,
                    });
                }
            }
        }
        let mut keep = keep.into_iter();
        findings.retain(|_| keep.next().unwrap_or(true));
        applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: &str, rule: &'static str, line: u32, message: &str) -> Diagnostic {
        Diagnostic {
            rule,
            level: lint_core::Level::Warn,
            message: message.to_owned(),
            file: PathBuf::from(file),
            span: lint_core::Span { line, column: 1, end_line: line, end_column: 2, start: 0, end: 1 },
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    #[test]
    fn recorded_findings_are_hidden_even_when_lines_move() {
        let old = [finding("a.rs", "vec_box", 3, "x"), finding("a.rs", "vec_box", 9, "y")];
        let baseline = Baseline::of(&old);
        let mut now = vec![finding("a.rs", "vec_box", 30, "y"), finding("a.rs", "vec_box", 12, "x")];
        let applied = baseline.apply(&mut now);
        assert!(now.is_empty());
        assert_eq!(applied.hidden, 2);
        assert!(applied.stale.is_empty());
    }

    #[test]
    fn only_findings_beyond_the_counts_are_reported_preferring_new_messages() {
        let baseline = Baseline::of(&[finding("a.rs", "vec_box", 3, "x")]);
        let mut now = vec![
            finding("a.rs", "vec_box", 1, "new"),
            finding("a.rs", "vec_box", 3, "x"),
            finding("b.rs", "vec_box", 1, "x"),
        ];
        let applied = baseline.apply(&mut now);
        let left: Vec<(&str, &str)> = now.iter().map(|d| (d.file.to_str().unwrap(), d.message.as_str())).collect();
        assert_eq!(left, [("a.rs", "new"), ("b.rs", "x")]);
        assert_eq!(applied.hidden, 1);
        // A renamed variable changes the message, not the count: still hidden.
        let mut renamed = vec![finding("a.rs", "vec_box", 3, "x2")];
        assert!(baseline.apply(&mut renamed).hidden == 1 && renamed.is_empty());
    }

    #[test]
    fn fewer_findings_than_recorded_are_stale() {
        let baseline = Baseline::of(&[
            finding("a.rs", "vec_box", 3, "x"),
            finding("a.rs", "vec_box", 4, "y"),
            finding("c.rs", "padded_struct", 1, "z"),
        ]);
        let mut now = vec![finding("a.rs", "vec_box", 3, "x")];
        let applied = baseline.apply(&mut now);
        assert_eq!(
            applied.stale,
            [
                Stale { file: "a.rs".into(), rule: "vec_box".into(), recorded: 2, found: 1 },
                Stale { file: "c.rs".into(), rule: "padded_struct".into(), recorded: 1, found: 0 },
            ]
        );
    }
}
