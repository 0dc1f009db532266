//! `unused_suppression`: a `// memlint: allow(..)` comment or a
//! `cfg_attr(memlint, expect(..))` attribute that suppressed nothing. The
//! engine reports it once every other finding of the file is known.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Level};
use crate::rule::{Category, FixSafety, Hooks, RuleMeta};
use crate::source::SourceFile;
use crate::suppress::{AllowComment, Suppression, Suppressions};
use crate::walk::Rule;

pub(crate) struct UnusedSuppression;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &UnusedSuppression;

/// The rule's name: the engine runs it itself, after every other finding.
pub(crate) const NAME: &str = "unused_suppression";

static META: RuleMeta = RuleMeta {
    name: NAME,
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a `memlint: allow(..)` comment or `expect` attribute that suppressed nothing",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Mixed,
    clippy: &[],
    confirmed_by: &[],
    fix_leaves_one: false,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Reports suppressions that suppressed nothing: a `// memlint: allow(rule)`
comment with no finding of that rule on the code it covers, an
`allow-file(rule)` with none in the file, a
`#[cfg_attr(memlint, expect(memlint::rule))]` on an item without such a
finding, and names that are not memlint rules (with the closest names) or
rules that are turned off.

## Why is this bad
A suppression outlives the finding it was written for: the code changes, the
allocation goes away, and the comment stays, ready to hide the next real
finding on that line. A misspelt rule name suppresses nothing at all.
Reporting them keeps every suppression meaningful.

## Example
```rust
fn total(values: &[u64]) -> u64 {
    // memlint: allow(vec_push_without_capacity) the caller reserves
    let sum = values.iter().sum();
    sum
}
```

## Use instead
```rust
fn total(values: &[u64]) -> u64 {
    let sum = values.iter().sum();
    sum
}
```

## Known limitations
Suppressions in test code are not checked: findings in test code are never
reported, so there is nothing for them to suppress or not. A rule turned off
(by `-A` or the configuration) makes its suppressions unused.

The fix removes the unused rules from the comment, and the comment (its
whole line when it stands alone) when none is left. `--fix` removes a rule
that ran over everything its findings depend on and found nothing; a name
that is not a rule, a rule turned off, and the rules that need the whole
crate (`large_enum_variant`, `needless_box`, `padded_struct`,
`redundant_clone`, `vec_box`: linted by path, memlint knows only part of
it) are removed only with `--unsafe-fixes`. `cfg_attr` attributes are not
fixed.
"#;

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::NONE
    }
}

/// A finding for every rule of every suppression in `suppressions` that
/// suppressed nothing; `enabled` tells which rules ran, and `in_tests`
/// whether suppressions in test code are checked too.
pub(crate) fn unused_suppressions(
    source: &SourceFile,
    suppressions: &Suppressions,
    enabled: impl Fn(&str) -> bool,
    in_tests: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in suppressions.list.iter().filter(|s| in_tests || !s.in_test) {
        let span = source.byte_span(s.start, s.end);
        // Safe to remove: a rule that ran over everything its findings
        // depend on and found nothing. A typo, a rule turned off, or a rule
        // that needs the whole crate (linted by path, only part of it is
        // known) is for a human to look at.
        let certain = |rule: &str| crate::rules::find(rule).is_some_and(|r| !r.meta().crate_wide) && enabled(rule);
        // `--fix` removes the certain names, `--unsafe-fixes` all unused ones.
        let safe = removal(source.text(), s, |(rule, used)| !*used && certain(rule));
        let every = removal(source.text(), s, |(_, used)| !*used);
        for (rule, _) in s.rules.iter().zip(&s.used).filter(|(_, used)| !**used) {
            let fix = if certain(rule) {
                safe.clone().map(|edit| Fix { edits: vec![edit], applicability: Applicability::MachineApplicable })
            } else {
                every.clone().map(|edit| Fix { edits: vec![edit], applicability: Applicability::MaybeIncorrect })
            };
            let (message, help) = if crate::rules::find(rule).is_none() {
                let help = crate::rules::did_you_mean(rule)
                    .unwrap_or_else(|| "`cargo memlint rules` lists every rule".to_owned());
                (format!("`{rule}` is not a memlint rule: this suppression suppresses nothing"), help)
            } else if !enabled(rule) {
                (
                    format!("`{rule}` is turned off, so there is nothing for this suppression to suppress"),
                    format!("remove `{rule}` from the suppression"),
                )
            } else {
                let place = match s.lines {
                    None => "in this file".to_owned(),
                    Some((a, b)) if a == b => format!("on line {a}"),
                    Some((a, b)) => format!("on lines {a}-{b}"),
                };
                (
                    format!("suppression of `{rule}` is unused: there is no `{rule}` finding {place}"),
                    format!("remove `{rule}` from the suppression: the code it was written for has changed"),
                )
            };
            out.push(Diagnostic {
                rule: META.name,
                level: META.default_level,
                message,
                file: source.path().to_path_buf(),
                span,
                labels: Vec::new(),
                help: Some(help),
                fix,
            });
        }
    }
    out
}

/// The edit that removes from a `// memlint: allow(..)` comment the rules
/// `removed` picks (from its rules and whether each was used): the comment
/// rewritten with the others, or, when none is left, the comment gone (its
/// whole line when it stands alone). Every finding of one comment gets the
/// same edit, so `--fix` makes it once. `None` for `cfg_attr` attributes.
fn removal(text: &str, s: &Suppression, removed: impl Fn((&String, &bool)) -> bool) -> Option<Edit> {
    let comment = AllowComment::parse(text.get(s.start..s.end)?)?;
    let kept: Vec<String> =
        s.rules.iter().zip(&s.used).filter(|&entry| !removed(entry)).map(|(rule, _)| rule.clone()).collect();
    let line_start = text[..s.start].rfind('\n').map_or(0, |i| i + 1);
    let (start, end, replacement) = if !kept.is_empty() {
        (s.start, s.end, AllowComment { rules: kept, ..comment }.to_string())
    } else if text[line_start..s.start].trim().is_empty() {
        // The whole line, with its line break.
        let end = text[s.end..].find('\n').map_or(text.len(), |i| s.end + i + 1);
        (line_start, end, String::new())
    } else {
        // After code: the comment and the spaces before it.
        let start = line_start + text[line_start..s.start].trim_end().len();
        (start, s.end, String::new())
    };
    Some(Edit { span: crate::source::byte_span(text, start, end), replacement })
}

#[cfg(test)]
mod tests {
    use crate::engine::Linter;

    /// Every default rule, as users run memlint.
    fn lint(src: &str) -> Vec<(&'static str, u32, String)> {
        let file = crate::rules::test_support::with_pedantic().lint_source("test.rs", src).expect("parses");
        file.diagnostics.into_iter().map(|d| (d.rule, d.span.line, d.message)).collect()
    }

    const PUSH: &str = "    let mut out = Vec::new();\n    for x in xs {\n        out.push(*x);\n    }\n    out\n";

    /// Every default rule's findings and fixes (unsafe ones too) applied.
    fn fixed(src: &str) -> String {
        let file = Linter::default().lint_source("test.rs", src).expect("parses");
        let fixes: Vec<&crate::Fix> = file.diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
        crate::fix::apply(src, &fixes).text
    }

    #[test]
    fn the_fix_removes_unused_rules_then_the_comment() {
        let own = "fn f() {\n    // memlint: allow(vec_box, padded_struct) kept for later\n    let x = 1;\n}\n";
        assert_eq!(fixed(own), "fn f() {\n    let x = 1;\n}\n");
        let trailing = "fn f() {\n    let x = 1; // memlint: allow(vec_box)\n}\n";
        assert_eq!(fixed(trailing), "fn f() {\n    let x = 1;\n}\n");
        let crlf = "fn f() {\r\n    let x = 1; // memlint: allow(vec_box)\r\n    // memlint: allow(vec_box)\r\n    let y = 2;\r\n}\r\n";
        assert_eq!(fixed(crlf), "fn f() {\r\n    let x = 1;\r\n    let y = 2;\r\n}\r\n", "CRLF line ends stay");
        // A used rule stays; the unused one goes, the reason stays.
        let partial = format!(
            "fn f(xs: &[u8]) -> Vec<u8> {{\n    // memlint: allow(vec_box,vec_push_without_capacity)   sized by the caller\n{PUSH}}}\n"
        );
        let expected = format!(
            "fn f(xs: &[u8]) -> Vec<u8> {{\n    // memlint: allow(vec_push_without_capacity) sized by the caller\n{PUSH}}}\n"
        );
        assert_eq!(fixed(&partial), expected);
        // Safe for a rule that ran; unsafe for a name that is not a rule.
        let file = Linter::default()
            .lint_source("test.rs", "fn f() {} // memlint: allow(vec_push_without_capacity, no_such_rule)\n")
            .expect("parses");
        let applicability: Vec<_> = file
            .diagnostics
            .iter()
            .map(|d| (d.message.contains("not a memlint rule"), d.fix.as_ref().map(|f| f.applicability)))
            .collect();
        assert_eq!(
            applicability,
            [
                (true, Some(crate::Applicability::MaybeIncorrect)),
                (false, Some(crate::Applicability::MachineApplicable))
            ]
        );
    }

    /// `--fix` alone removes only what is certainly unused: a name that is
    /// not a rule, and a rule that needs the whole crate, stay for a human.
    #[test]
    fn safe_fixes_keep_names_that_need_a_look() {
        let src = "fn f() {} // memlint: allow(vec_push_without_capacity, no_such_rule, padded_struct) why\n";
        let file = Linter::default().lint_source("test.rs", src).expect("parses");
        let safe: Vec<&crate::Fix> = file
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == crate::Applicability::MachineApplicable)
            .collect();
        assert_eq!(
            crate::fix::apply(src, &safe).text,
            "fn f() {} // memlint: allow(no_such_rule, padded_struct) why\n"
        );
        assert_eq!(fixed(src), "fn f() {}\n", "--unsafe-fixes removes them all");
    }

    /// A rule declares itself `crate_wide` exactly when its findings can
    /// need the crate phase: it has one, or emits findings that the crate's
    /// types or signatures decide. (A loop count that is another file's
    /// constant only drops findings once known: linted alone, they stay.)
    #[test]
    fn crate_wide_rules_are_those_that_wait_for_the_crate() {
        for meta in crate::rules::metas().filter(|m| m.name != super::NAME) {
            let path = format!("{}/src/rules/{}.rs", env!("CARGO_MANIFEST_DIR"), meta.name);
            let code = std::fs::read_to_string(path).expect("the rule's file");
            let waits = ["fn check_crate", "emit_if_defined", "emit_unless_larger", "emit_if("]
                .iter()
                .any(|m| code.contains(m));
            assert_eq!(meta.crate_wide, waits, "`{}`: crate_wide", meta.name);
        }
    }

    #[test]
    fn own_line_and_trailing_comments_suppress_what_they_cover() {
        let own = format!(
            "fn f(xs: &[u8]) -> Vec<u8> {{\n    // memlint: allow(vec_push_without_capacity) sized by the caller\n{PUSH}}}\n"
        );
        assert_eq!(lint(&own), []);
        let trailing = format!(
            "fn f(xs: &[u8]) -> Vec<u8> {{\n{}}}\n",
            PUSH.replacen("Vec::new();", "Vec::new(); // memlint: allow(vec_push_without_capacity)", 1)
        );
        assert_eq!(lint(&trailing), []);
        let file =
            format!("// memlint: allow-file(vec_push_without_capacity)\nfn f(xs: &[u8]) -> Vec<u8> {{\n{PUSH}}}\n");
        assert_eq!(lint(&file), []);
    }

    #[test]
    fn a_comment_covers_the_whole_item_after_it() {
        let src = "// memlint: allow(padded_struct) mirrors the C header\n#[repr(C)]\n#[derive(Debug)]\npub struct Header {\n    a: u8,\n    b: u64,\n    c: u8,\n}\n";
        assert_eq!(lint(src), []);
    }

    #[test]
    fn expect_attributes_on_items() {
        let src = "#[cfg_attr(memlint, expect(memlint::padded_struct))]\n#[repr(C)]\npub struct Header {\n    a: u8,\n    b: u64,\n    c: u8,\n}\n";
        assert_eq!(lint(src), []);
        let unused =
            "#[cfg_attr(memlint, expect(memlint::padded_struct))]\n#[repr(C)]\npub struct Header {\n    b: u64,\n}\n";
        let found = lint(unused);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1), ("unused_suppression", 1));
    }

    #[test]
    fn unused_unknown_and_wrongly_placed_suppressions_are_reported() {
        let src = format!(
            "fn f(xs: &[u8]) -> Vec<u8> {{\n    // memlint: allow(vec_box, vec_push_without_capacty)\n    let n = xs.len();\n{PUSH}}}\n"
        );
        let found = lint(&src);
        let summary: Vec<(&str, u32)> = found.iter().map(|(r, l, _)| (*r, *l)).collect();
        assert_eq!(
            summary,
            [("unused_suppression", 2), ("unused_suppression", 2), ("vec_push_without_capacity", 4)],
            "{found:?}"
        );
        assert!(
            found.iter().any(|f| f.2 == "suppression of `vec_box` is unused: there is no `vec_box` finding on line 3")
        );
        assert!(found.iter().any(|f| f.2.starts_with("`vec_push_without_capacty` is not a memlint rule")));
    }

    #[test]
    fn suppressions_in_test_code_and_strings_are_ignored() {
        let src = "#[cfg(test)]\nmod tests {\n    // memlint: allow(vec_box)\n    fn f() {}\n}\nfn g() -> &'static str {\n    \"// memlint: allow(vec_box)\"\n}\n";
        assert_eq!(lint(src), []);
    }

    #[test]
    fn turned_off_rules_make_their_suppressions_unused() {
        let linter = Linter::with_levels(|rule| {
            if rule.meta().name == "vec_box" { crate::Level::Allow } else { rule.meta().default_level }
        });
        let file = linter.lint_source("t.rs", "// memlint: allow(vec_box)\nstruct S;\n").expect("parses");
        assert_eq!(file.diagnostics.len(), 1);
        assert!(file.diagnostics[0].message.contains("turned off"), "{}", file.diagnostics[0].message);
    }
}
