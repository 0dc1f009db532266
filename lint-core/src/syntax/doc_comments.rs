//! Doc comments, blanked out before parsing.
//!
//! The parser turns every `/// line` into an attribute (`#[doc = ".."]`),
//! and documented code has many: on the bench corpus a tenth of the bytes
//! are doc comments, and parsing them was ~5% of linting. No rule reads
//! them, so lines that certainly are doc comments are replaced by spaces,
//! byte for byte, before parsing: every other token keeps its line, column
//! and byte offset, and the findings' snippets come from the real text.
//!
//! A line is blanked when it starts (after indentation) with `///` (not
//! `////`, a plain comment) or `//!`, and holds no `"` (it could end a
//! string the line is inside of) and no `/*` or `*/` (it could open or
//! close a block comment it is inside of). What is left is at worst the
//! inside of a string or comment spanning lines, where spaces change
//! nothing memlint reads. The caller parses the original text again if the
//! blanked one doesn't parse.

/// `text` with its doc-comment lines replaced by spaces; `None` when it
/// has none.
pub fn blank_doc_lines(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut blanked: Option<Vec<u8>> = None;
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&bytes[at..], b"//") {
        let start = at + found;
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        at = end;
        if is_doc_line(bytes, start, end) {
            blanked.get_or_insert_with(|| bytes.to_vec())[start..end].fill(b' ');
        }
    }
    // Only ASCII bytes were written, over whole characters: still UTF-8.
    blanked.and_then(|bytes| String::from_utf8(bytes).ok())
}

/// Whether a line (without its indentation) is an outer doc comment:
/// `///`, but not `////`, a plain comment.
pub(crate) fn is_outer_doc(line: &[u8]) -> bool {
    line.starts_with(b"///") && !line.starts_with(b"////")
}

/// Whether `bytes[start..end]` (from a `//` to the end of its line) is a
/// doc comment that can be blanked (see the module docs).
fn is_doc_line(bytes: &[u8], start: usize, end: usize) -> bool {
    let line = &bytes[start..end];
    let doc = is_outer_doc(line) || line.starts_with(b"//!");
    let line_start = bytes[..start].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    doc && bytes[line_start..start].iter().all(|&b| b == b' ' || b == b'\t')
        && !line.contains(&b'"')
        && !line.windows(2).any(|w| w == b"/*" || w == b"*/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_lines_become_spaces_of_the_same_length() {
        let text = "//! Crate docs.\n/// A type — documented.\n    /// Indented.\npub struct S;\n";
        let blanked = blank_doc_lines(text).expect("has docs");
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().collect::<Vec<_>>()[3], "pub struct S;");
        assert!(blanked.lines().take(3).all(|line| line.trim().is_empty()), "{blanked:?}");
    }

    #[test]
    fn what_may_not_be_a_doc_comment_is_kept() {
        for text in [
            // Not doc comments.
            "//// a plain comment\nfn f() {}\n",
            "// a comment\nfn f() {}\n",
            "fn f() {} /// after code\n",
            "let url = \"http://x\"; // c\n",
            // Could close or open a string or block comment.
            "/// says \"hi\"\nfn f() {}\n",
            "/* a comment\n/// inside */\nfn f() {}\n",
            "/* a comment\n/// opens /* a nested one\n*/ */\n",
        ] {
            assert_eq!(blank_doc_lines(text), None, "{text:?}");
        }
    }

    #[test]
    fn tokens_after_blanked_lines_keep_their_positions() {
        let text = "/// Docs with ünïcödé.\n//! Inner.\nfn f() -> u8 { 1 }\n";
        let blanked = blank_doc_lines(text).expect("has docs");
        let file = syn::parse_file(&blanked).expect("parses");
        let syn::Item::Fn(f) = &file.items[0] else { panic!("a fn") };
        assert!(f.attrs.is_empty());
        let start = f.sig.fn_token.span.start();
        assert_eq!((start.line, start.column), (3, 0));
        assert_eq!(f.sig.fn_token.span.byte_range().start, text.find("fn f").expect("there"));
    }
}
