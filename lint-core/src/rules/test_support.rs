//! Helpers for rule tests. Expected findings are marked in the test source
//! with a `//~` comment on the line where the finding's primary span starts.

use crate::Diagnostic;
use crate::engine::Linter;

/// Runs one rule over `src`; every fix it makes must keep the rule's
/// declared [`crate::FixSafety`].
pub(crate) fn lint(rule: &str, src: &str) -> Vec<Diagnostic> {
    match Linter::only(&[rule]).lint_source("test.rs", src) {
        Ok(file) => {
            for d in &file.diagnostics {
                keeps_fix_promise(d);
            }
            file.diagnostics
        }
        Err(e) => panic!("test source does not parse: {e}"),
    }
}

/// Lints `src` with `rule` alone (a rule made for a test, not in the registry).
pub(crate) fn walk_with(rule: &'static dyn crate::Rule, src: &str) -> Vec<Diagnostic> {
    let mut linter = Linter::only(&[]);
    linter.rules = vec![(rule, crate::RuleSettings::new(rule.meta()))];
    linter.lint_source("test.rs", src).unwrap_or_else(|e| panic!("test source does not parse: {e}")).diagnostics
}

/// Runs one rule over the crates of a workspace, each named as the others
/// call it and given as its files `(path, text)`, with the crate and
/// workspace phases; with `through_cache`, each file's file-phase result
/// goes through a cache entry's bytes first, as on a warm run. Each file is
/// the module its path names (`lib.rs` the root, `a.rs` and `a/mod.rs`
/// `crate::a`, `a/b.rs` `crate::a::b`). Returns the findings of every
/// file, in crate and file order.
fn lint_workspace(rule: &str, crates: &[(&str, &[(&str, &str)])], through_cache: bool) -> Vec<Diagnostic> {
    let names = crates.iter().map(|(name, _)| (*name).to_owned()).filter(|name| !name.is_empty()).collect();
    let linter = Linter::only(&[rule]).with_workspace_crates(names);
    let mut linted: Vec<Vec<crate::LintedFile>> = crates
        .iter()
        .map(|(_, files)| files.iter().map(|&file| lint_file(&linter, file, through_cache)).collect())
        .collect();
    let indexes: Vec<_> = linted.iter_mut().map(|files| linter.finish_crate(files.iter_mut())).collect();
    let mut workspace = crate::semantic::crate_index::WorkspaceCrates::default();
    for ((name, _), index) in crates.iter().zip(&indexes) {
        workspace.insert(*name, index);
    }
    for (files, index) in linted.iter_mut().zip(&indexes) {
        linter.finish_workspace(files.iter_mut(), index, &workspace);
    }
    linted.into_iter().flatten().flat_map(|f| f.diagnostics).collect()
}

/// The file phase of a file of a test crate, placed at the module its path names.
fn lint_file(linter: &Linter, (path, text): (&str, &str), through_cache: bool) -> crate::LintedFile {
    let file = linter.lint_crate_source(path, text).unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
    let mut file = if through_cache {
        let bytes = file.to_cache_bytes().expect("not finished");
        let entry = linter.read_cache_entry(std::path::Path::new(path), &bytes).expect("a usable entry");
        entry.with_source(crate::SourceFile::new(path, text))
    } else {
        file
    };
    linter.assign_module(&mut file, module_of(path));
    file
}

/// The module a file of a test crate is, by its path.
fn module_of(path: &str) -> Vec<String> {
    let path = path.trim_end_matches(".rs");
    let mut module: Vec<String> = path.split('/').map(str::to_owned).collect();
    if matches!(module.last().map(String::as_str), Some("lib" | "main" | "mod")) {
        module.pop();
    }
    module
}

/// The messages of `rule`'s findings on a crate of `files`, which must be
/// the same on a cold run and through the cache.
pub(crate) fn crate_messages(rule: &str, files: &[(&str, &str)]) -> Vec<String> {
    workspace_messages(rule, &[("", files)])
}

/// The messages of `rule`'s findings on a workspace of `crates` (each named
/// as the others call it), which must be the same on a cold run and
/// through the cache.
pub(crate) fn workspace_messages(rule: &str, crates: &[(&str, &[(&str, &str)])]) -> Vec<String> {
    let cold = lint_workspace(rule, crates, false);
    assert_eq!(cold, lint_workspace(rule, crates, true), "the cache's round trip changed the findings");
    cold.into_iter().map(|d| d.message).collect()
}

/// Panics when `d`'s fix is not what its rule declares.
fn keeps_fix_promise(d: &Diagnostic) {
    let Some(fix) = &d.fix else { return };
    let safety = crate::rules::find(d.rule).map(|r| r.meta().fix);
    assert!(
        safety.is_some_and(|s| s.allows(fix.applicability)),
        "`{}` declares fixes {:?} but made a {:?} one: {d:#?}",
        d.rule,
        safety,
        fix.applicability
    );
}

/// Every rule at its default level, and the pedantic ones (off by
/// default) as warnings: for tests of how rules interact.
pub(crate) fn with_pedantic() -> Linter {
    Linter::with_levels(|rule| match rule.meta().category {
        crate::Category::Pedantic => crate::Level::Warn,
        _ => rule.meta().default_level,
    })
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

/// The replacement text of a finding's fix at the finding's span (else its
/// first edit): the code change, not an import it adds.
pub(crate) fn replacement(d: &Diagnostic) -> &str {
    let edits = &fix(d).edits;
    &edits.iter().find(|e| e.span == d.span).unwrap_or(&edits[0]).replacement
}

/// Runs every default rule over `src` (so precedence between rules applies)
/// and returns `(rule, line)` for each finding.
pub(crate) fn lint_all(src: &str) -> Vec<(&'static str, u32)> {
    match with_pedantic().lint_source("test.rs", src) {
        Ok(file) => file.diagnostics.iter().map(|d| (d.rule, d.span.line)).collect(),
        Err(e) => panic!("test source does not parse: {e}"),
    }
}

/// `src` with every fix of `rule` applied (unsafe ones too), round after
/// round until none is left (at most 10 rounds).
pub(crate) fn fixed(rule: &str, src: &str) -> String {
    let mut text = src.to_owned();
    for _ in 0..10 {
        let found = lint(rule, &text);
        let fixes: Vec<&crate::Fix> = found.iter().filter_map(|d| d.fix.as_ref()).collect();
        if fixes.is_empty() {
            return text;
        }
        text = crate::fix::apply(&text, &fixes).text;
    }
    panic!("`{rule}`'s fixes did not settle in 10 rounds:\n{text}");
}

/// `before` with `rule`'s fixes applied ([`fixed`]), checked: the result
/// parses, has no finding of `rule` left with a fix, and keeps every comment
/// of `before` as written (but the suppressions `unused_suppression` removes).
pub(crate) fn checked_fix(rule: &str, before: &str) -> String {
    let result = fixed(rule, before);
    if let Err(e) = syn::parse_file(&result) {
        panic!("`{rule}`'s fix does not parse: {e}\n{result}");
    }
    let left: Vec<Diagnostic> = lint(rule, &result).into_iter().filter(|d| d.fix.is_some()).collect();
    assert!(left.is_empty(), "`{rule}` still has fixes after its fixes: {left:#?}");
    // Removing comments is what `unused_suppression`'s fix is for.
    let comments = before.lines().filter_map(|l| l.find("//").map(|i| &l[i..]));
    for comment in comments.filter(|_| rule != crate::rules::unused_suppression::NAME) {
        assert!(result.contains(comment), "`{rule}`'s fix lost the comment `{comment}`");
    }
    result
}
