//! Properties that hold for any source memlint reads, checked on sources
//! put together at random from code that triggers the rules, look-alikes
//! that must not, and the text shapes that trip position arithmetic
//! (multi-byte characters, tabs, CRLF line ends, comments).

use lint_core::suppress::AllowComment;
use lint_core::{Diagnostic, Level, LintedFile, Linter, Span};
use proptest::prelude::*;

/// Pieces of code, each a whole item.
const PIECES: &[&str] = &[
    "pub fn grow(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n",
    "pub fn concat(items: &[String]) -> String {\n    let mut s = String::new();\n    for item in items {\n        s = s + item;\n    }\n    s\n}\n",
    "pub fn fmt_push(out: &mut String, x: u32) {\n    out.push_str(&format!(\"{x}\"));\n}\n",
    "pub struct Boxed {\n    pub items: Vec<Box<u8>>,\n}\n",
    "#[repr(C)]\npub struct Padded {\n    a: u8,\n    b: u64,\n    c: u8,\n}\n",
    "pub fn twice(s: &String) -> usize {\n    let t = s.clone();\n    t.len()\n}\n",
    "pub fn looks_alike(n: usize) -> Vec<usize> {\n    let mut v = Vec::with_capacity(n);\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n",
    "pub fn ünïcödé(ß: &str) -> usize {\n    let straße = ß.len(); // «commentaire» ✓\n    straße\n}\n",
    "pub fn tabs(n: usize) -> Vec<u8> {\n\tlet mut v = Vec::new();\n\tfor _ in 0..n {\n\t\tv.push(1);\n\t}\n\tv\n}\n",
    "/* a block comment with a ( and a \" */\npub const S: &str = \"(( not code {{\";\n",
    "pub enum Shape {\n    Small(u8),\n    Big([u8; 4096]),\n}\n",
    "pub fn boxed() -> Box<Vec<u8>> {\n    Box::new(Vec::new())\n}\n",
    "#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {\n        let mut v = Vec::new();\n        for i in 0..3 {\n            v.push(i);\n        }\n        assert_eq!(v.len(), 3);\n    }\n}\n",
];

/// A source made of `picks` (indexes into [`PIECES`]), with CRLF line ends
/// when `crlf`, and some padding text between pieces.
fn source(picks: &[usize], crlf: bool, padding: &str) -> String {
    let text: String = picks.iter().map(|&i| format!("{}{padding}", PIECES[i % PIECES.len()])).collect();
    if crlf { text.replace('\n', "\r\n") } else { text }
}

fn all_rules() -> Linter {
    Linter::with_levels(|_| Level::Warn)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (u32::try_from(line).expect("fits"), u32::try_from(column).expect("fits"))
}

/// Every span a finding carries: its own, its labels', its fix's edits'.
fn spans(d: &Diagnostic) -> Vec<Span> {
    let labels = d.labels.iter().map(|l| l.span);
    let edits = d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.span));
    std::iter::once(d.span).chain(labels).chain(edits).collect()
}

fn padding() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\n".to_owned()),
        Just("// ( a comment {\n".to_owned()),
        Just("\t\n".to_owned())
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Every reported position lies inside its file, on character
    /// boundaries, and its line and column are those of its byte offset.
    #[test]
    fn positions_lie_inside_the_file_and_agree(picks in prop::collection::vec(0..PIECES.len(), 1..8), crlf in any::<bool>(), pad in padding()) {
        let text = source(&picks, crlf, &pad);
        let file = all_rules().lint_source("gen.rs", &text).expect("generated code parses");
        for d in &file.diagnostics {
            for span in spans(d) {
                prop_assert!(span.start <= span.end && span.end <= text.len(), "{span:?} in {} bytes", text.len());
                prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{span:?}");
                prop_assert_eq!((span.line, span.column), line_col(&text, span.start), "start of {:?}", d.rule);
                prop_assert_eq!((span.end_line, span.end_column), line_col(&text, span.end), "end of {:?}", d.rule);
            }
        }
    }

    /// Fixing (unsafe fixes too) leaves every byte outside the applied
    /// edits as it was, and the file still parses.
    #[test]
    fn fixes_change_nothing_outside_their_edits(picks in prop::collection::vec(0..PIECES.len(), 1..8), crlf in any::<bool>(), pad in padding()) {
        let text = source(&picks, crlf, &pad);
        let file = all_rules().lint_source("gen.rs", &text).expect("generated code parses");
        let fixes: Vec<&lint_core::Fix> = file.diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
        let applied = lint_core::fix::apply(&text, &fixes);
        let mut edits: Vec<&lint_core::Edit> = applied.applied.iter().flat_map(|&i| &fixes[i].edits).collect();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        edits.dedup();
        // Walk both texts: the same bytes between edits, the replacement at each.
        let (mut old, mut new) = (0, 0);
        for e in &edits {
            let kept = &text[old..e.span.start];
            prop_assert_eq!(&applied.text[new..new + kept.len()], kept);
            new += kept.len();
            prop_assert_eq!(&applied.text[new..new + e.replacement.len()], e.replacement.as_str());
            new += e.replacement.len();
            old = e.span.end;
        }
        prop_assert_eq!(&applied.text[new..], &text[old..]);
        prop_assert!(lint_core::fix::check_parses(&applied.text, Default::default()).is_ok(), "{}", applied.text);
    }

    /// A finding's snippet (the text at its span) is the code it talks
    /// about: the same finding is made for a piece wherever the piece sits.
    #[test]
    fn a_finding_reads_the_same_text_wherever_its_code_sits(picks in prop::collection::vec(0..PIECES.len(), 1..6), pad in padding()) {
        let text = source(&picks, false, &pad);
        let file = all_rules().lint_source("gen.rs", &text).expect("parses");
        let alone: Vec<(&str, String)> = picks
            .iter()
            .flat_map(|&i| {
                let piece = PIECES[i % PIECES.len()];
                let found = all_rules().lint_source("one.rs", piece).expect("parses").diagnostics;
                found.into_iter().map(move |d| (d.rule, piece[d.span.start..d.span.end].to_owned()))
            })
            .collect();
        let mut together: Vec<(&str, String)> =
            file.diagnostics.iter().map(|d| (d.rule, text[d.span.start..d.span.end].to_owned())).collect();
        let mut alone = alone;
        together.sort();
        alone.sort();
        prop_assert_eq!(together, alone);
    }

    /// A crate's findings don't depend on the order its files are given in.
    #[test]
    fn file_order_does_not_change_a_crates_findings(files in prop::collection::vec(prop::collection::vec(0..PIECES.len(), 1..4), 2..5), rotate in 0usize..5) {
        let texts: Vec<String> = files.iter().map(|picks| source(picks, false, "\n")).collect();
        let lint = |order: &[usize]| -> Vec<Diagnostic> {
            let linter = all_rules();
            let mut linted: Vec<LintedFile> = order
                .iter()
                .map(|&i| linter.lint_crate_source(format!("f{i}.rs"), &texts[i]).expect("parses"))
                .collect();
            linter.finish_crate(linted.iter_mut());
            let mut all: Vec<Diagnostic> = linted.into_iter().flat_map(|f| f.diagnostics).collect();
            all.sort_by(|a, b| (&a.file, a.span.start, a.rule).cmp(&(&b.file, b.span.start, b.rule)));
            all
        };
        let forward: Vec<usize> = (0..texts.len()).collect();
        let mut other = forward.clone();
        other.rotate_left(rotate % texts.len());
        other.reverse();
        prop_assert_eq!(lint(&forward), lint(&other));
    }

    /// A suppression comment written with any set of rule names, spacing and
    /// reason suppresses exactly the findings of the rules it names.
    #[test]
    fn a_suppression_comment_suppresses_exactly_what_it_names(
        names in prop::sample::subsequence(vec!["vec_push_without_capacity", "string_concat_in_loop", "padded_struct", "clone_in_loop"], 0..4),
        prefixed in any::<bool>(),
        spaced in any::<bool>(),
        reason in "[a-z ]{0,12}",
    ) {
        let list: Vec<String> =
            names.iter().map(|n| if prefixed { format!("memlint::{n}") } else { (*n).to_owned() }).collect();
        let sep = if spaced { ", " } else { "," };
        let comment = format!("// memlint: allow({}) {reason}\n", list.join(sep));
        let code = "pub fn grow(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n";
        let text = format!("{comment}{code}");
        let found = all_rules().lint_source("gen.rs", &text).expect("parses").diagnostics;
        let reported = found.iter().any(|d| d.rule == "vec_push_without_capacity");
        prop_assert_eq!(reported, !names.contains(&"vec_push_without_capacity"));
    }

    /// Rendering a suppression comment and reading it back gives the same
    /// comment, however it was spelled.
    #[test]
    fn a_rendered_suppression_comment_reads_back_the_same(
        rules in prop::collection::vec("[a-z_]{1,10}", 1..4),
        file_wide in any::<bool>(),
        reason in "[ -~]{0,20}",
    ) {
        let comment = AllowComment { rules, file_wide, reason: reason.trim().to_owned() };
        prop_assert_eq!(AllowComment::parse(&comment.to_string()), Some(comment));
    }

    /// A comment written any which way that reads as a suppression renders
    /// to its canonical form, which reads back as the same suppression.
    #[test]
    fn a_suppression_comment_round_trips_through_its_canonical_form(
        slashes in "//[ \t]{0,2}",
        scope in prop::sample::select(vec!["allow", "allow-file", "allow -file", "deny"]),
        list in "[ ,a-z_:()]{0,30}",
        reason in "[^\n]{0,20}",
    ) {
        let written = format!("{slashes}memlint:{scope}({list}){reason}");
        if let Some(read) = AllowComment::parse(&written) {
            let canonical = read.to_string();
            prop_assert_eq!(AllowComment::parse(&canonical), Some(read), "{} -> {}", written, canonical);
        }
    }
}

/// The pool is not idle: together, its pieces trigger most rules (and the
/// look-alikes and test code nothing), so the properties above are checked
/// on real findings.
#[test]
fn the_pieces_trigger_the_rules() {
    let picks: Vec<usize> = (0..PIECES.len()).collect();
    let text = source(&picks, true, "\n");
    let found = all_rules().lint_source("all.rs", &text).expect("parses").diagnostics;
    let mut rules: Vec<&str> = found.iter().map(|d| d.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    assert_eq!(
        rules,
        [
            "box_collection",
            "format_push_string",
            "large_enum_variant",
            "padded_struct",
            "vec_box",
            "vec_push_without_capacity",
        ]
    );
}
