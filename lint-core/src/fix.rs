//! Applying fixes to a file's text. Fixes are edits of spans of the text as
//! written, never a re-printed syntax tree, so everything outside the edits
//! (comments, formatting) stays byte for byte.

use crate::diagnostic::{Edit, Fix};

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The text with the applied fixes' edits.
    pub text: String,
    /// Indexes (into the fixes given) of the fixes applied.
    pub applied: Vec<usize>,
    /// Indexes of the fixes left out: an edit of theirs overlaps an edit of
    /// a fix applied before them (a later round, on the new text, may apply
    /// them), or is not a range of this text on character boundaries.
    pub conflicting: Vec<usize>,
}

/// Applies `fixes` to `text`: each fix whole or not at all, in the order of
/// their first edit (then their order in `fixes`), leaving out a fix that
/// overlaps one applied before it. Identical edits of two fixes (the same
/// import, say) are made once. The result is the same whatever the order of
/// `fixes`, except among fixes whose first edits start at the same offset.
pub fn apply(text: &str, fixes: &[&Fix]) -> Applied {
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| fixes[i].edits.iter().map(|e| e.span.start).min().unwrap_or(usize::MAX));
    let mut taken: Vec<&Edit> = Vec::new();
    let (mut applied, mut conflicting) = (Vec::new(), Vec::new());
    for i in order {
        let edits = &fixes[i].edits;
        let valid = edits.iter().all(|e| e.span.start <= e.span.end && e.span.end <= text.len())
            && edits.iter().all(|e| text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
        let clashes = edits.iter().enumerate().any(|(j, e)| {
            taken.iter().any(|t| conflict(t, e)) || edits[..j].iter().any(|earlier| conflict(earlier, e))
        });
        if !valid || clashes {
            conflicting.push(i);
            continue;
        }
        for e in edits {
            if !taken.contains(&e) {
                taken.push(e);
            }
        }
        applied.push(i);
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + taken.iter().map(|e| e.replacement.len()).sum::<usize>());
    let mut at = 0;
    for e in taken {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    applied.sort_unstable();
    conflicting.sort_unstable();
    Applied { text: out, applied, conflicting }
}

/// Whether `text` still parses as a Rust file; where and why not if it
/// doesn't. Parsing recurses per nesting level: call it on a thread with as
/// much stack as linting has.
pub fn check_parses(text: &str, edition: crate::syntax::edition::Edition) -> Result<(), String> {
    match crate::syntax::edition::parse_file(text, edition) {
        Ok(_) => Ok(()),
        Err(e) => {
            let at = e.span().start();
            Err(format!("{}:{}: {e}", at.line, at.column + 1))
        }
    }
}

/// Whether two edits can't both be made: their ranges overlap, or one is an
/// insertion inside or at an end of the other (which comes first would be
/// a guess). Identical edits don't conflict: they are made once.
fn conflict(a: &Edit, b: &Edit) -> bool {
    if a == b {
        return false;
    }
    let (a, b) = (&a.span, &b.span);
    if a.start == a.end || b.start == b.end {
        a.start <= b.end && b.start <= a.end
    } else {
        a.start < b.end && b.start < a.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Span};

    fn edit(start: usize, end: usize, replacement: &str) -> Edit {
        let span = Span { line: 1, column: 1, end_line: 1, end_column: 1, start, end };
        Edit { span, replacement: replacement.to_owned() }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix { edits, applicability: Applicability::MachineApplicable }
    }

    #[test]
    fn fixes_apply_whole_in_order_and_overlaps_wait() {
        let text = "let a = b.clone(); // keep\nlet c = d;";
        let fixes = [
            fix(vec![edit(8, 17, "b")]),                          // `b.clone()` -> `b`
            fix(vec![edit(10, 17, "x")]),                         // overlaps the first
            fix(vec![edit(0, 0, "use x;\n"), edit(35, 36, "e")]), // an insertion and a far edit
            fix(vec![edit(0, 0, "use x;\n"), edit(31, 32, "k")]), // the same insertion: made once
        ];
        let refs: Vec<&Fix> = fixes.iter().collect();
        let applied = apply(text, &refs);
        assert_eq!(applied.text, "use x;\nlet a = b; // keep\nlet k = e;");
        assert_eq!((applied.applied, applied.conflicting), (vec![0, 2, 3], vec![1]));
        // The same whatever the order they come in.
        let reversed: Vec<&Fix> = fixes.iter().rev().collect();
        assert_eq!(apply(text, &reversed).text, "use x;\nlet a = b; // keep\nlet k = e;");
    }

    #[test]
    fn insertions_at_an_edge_of_a_replacement_conflict_and_bad_spans_are_left_out() {
        let text = "abcdef";
        let fixes = [fix(vec![edit(2, 4, "X")]), fix(vec![edit(4, 4, "+")]), fix(vec![edit(5, 9, "?")])];
        let refs: Vec<&Fix> = fixes.iter().collect();
        let applied = apply(text, &refs);
        assert_eq!(applied.text, "abXef");
        assert_eq!(applied.conflicting, [1, 2]);
        let multibyte = "é";
        let bad = fix(vec![edit(1, 1, "x")]);
        assert_eq!(apply(multibyte, &[&bad]).text, "é", "an edit inside a character is refused");
        // Adjacent replacements both apply.
        let adjacent = [fix(vec![edit(0, 2, "12")]), fix(vec![edit(2, 4, "34")])];
        assert_eq!(apply(text, &adjacent.iter().collect::<Vec<_>>()).text, "1234ef");
    }
}
