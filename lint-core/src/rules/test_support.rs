//! Helpers for rule tests. Expected findings are marked in the test source
//! with a `//~` comment on the line where the finding's primary span starts.

use crate::Diagnostic;
use crate::engine::Linter;

/// Runs one rule over `src`.
pub(crate) fn lint(rule: &str, src: &str) -> Vec<Diagnostic> {
    match Linter::only(&[rule]).lint_source("test.rs", src) {
        Ok(file) => file.diagnostics,
        Err(e) => panic!("test source does not parse: {e}"),
    }
}

/// Asserts that `rule` reports exactly on the lines marked `//~`, once each.
pub(crate) fn check(rule: &str, src: &str) -> Vec<Diagnostic> {
    let found = lint(rule, src);
    let expected: Vec<u32> =
        src.lines().enumerate().filter(|(_, l)| l.contains("//~")).map(|(i, _)| i as u32 + 1).collect();
    let got: Vec<u32> = found.iter().map(|d| d.span.line).collect();
    assert_eq!(got, expected, "lines reported by `{rule}` differ from the `//~` markers; findings: {found:#?}");
    found
}

/// Asserts that `rule` reports nothing on `src`.
pub(crate) fn check_clean(rule: &str, src: &str) {
    let found = lint(rule, src);
    assert!(found.is_empty(), "`{rule}` should not report here; findings: {found:#?}");
}

/// The fix of a finding that must have one.
pub(crate) fn fix(d: &Diagnostic) -> &crate::Fix {
    d.fix.as_ref().unwrap_or_else(|| panic!("no fix on {d:#?}"))
}

/// The replacement text of the first edit of a finding's fix.
pub(crate) fn replacement(d: &Diagnostic) -> &str {
    &fix(d).edits[0].replacement
}

/// Runs every default rule over `src` (so precedence between rules applies)
/// and returns `(rule, line)` for each finding.
pub(crate) fn lint_all(src: &str) -> Vec<(&'static str, u32)> {
    match Linter::default().lint_source("test.rs", src) {
        Ok(file) => file.diagnostics.iter().map(|d| (d.rule, d.span.line)).collect(),
        Err(e) => panic!("test source does not parse: {e}"),
    }
}
