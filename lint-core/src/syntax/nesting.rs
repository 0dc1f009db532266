//! How deeply a file nests, measured on its text before syn parses it.
//!
//! syn's parser (and the walk, and dropping the tree) recurse once per level
//! of nesting. A thread's stack is finite, and overflowing it aborts the whole
//! process: no error, no findings for the other files. So a file nested
//! deeper than memlint can read is reported as such, without parsing it.
//! The limits are far beyond real code (generated code included) and well
//! under what the linting threads' stacks hold (measured: 20,000 levels of
//! blocks need ~100 MiB, the threads have 256 MiB).

use super::lexical;

/// Most levels of brackets (`(`, `[`, `{`) or of generic arguments (`<`)
/// memlint reads.
pub const MAX_NESTING: usize = 20_000;

/// The longest run of prefix operators (`!`, `-`, `*`, `&`) memlint reads:
/// each is one more level of parser recursion.
pub const MAX_PREFIX_RUN: usize = 50_000;

/// Where a file first nests deeper than memlint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// Byte offset of the token that went past the limit.
    pub offset: usize,
    /// What nests: `"brackets"`, `"generic arguments"` or `"prefix operators"`.
    pub what: &'static str,
    /// The limit it went past.
    pub limit: usize,
}

/// The first place `text` nests deeper than the limits, if any. Brackets
/// inside comments, strings and character literals don't count.
pub fn too_deep(text: &str) -> Option<TooDeep> {
    let bytes = text.as_bytes();
    // Cheap gates, exact: nesting N deep needs N opening tokens, a prefix
    // run N long needs N operator characters. Almost every file stops here.
    if bytes.len() < MAX_NESTING.min(MAX_PREFIX_RUN) {
        return None;
    }
    let (openers, operators) = count_openers_and_operators(bytes);
    if openers < MAX_NESTING && operators < MAX_PREFIX_RUN {
        return None;
    }
    Scanner { bytes, at: 0 }.run()
}

/// How many bytes of `bytes` open a bracket or generic arguments, and how
/// many are prefix operators: one pass, in chunks whose byte-wide counters
/// can't overflow, which the compiler turns into vector compares (every
/// file of the corpus passes here: it was 1% of linting as four `memchr`s).
fn count_openers_and_operators(bytes: &[u8]) -> (usize, usize) {
    let (mut openers, mut operators) = (0usize, 0usize);
    for chunk in bytes.chunks(255) {
        let (mut o, mut p) = (0u8, 0u8);
        for &b in chunk {
            o += u8::from(matches!(b, b'(' | b'[' | b'{' | b'<'));
            p += u8::from(matches!(b, b'!' | b'-' | b'*' | b'&'));
        }
        openers += usize::from(o);
        operators += usize::from(p);
    }
    (openers, operators)
}

struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Scanner<'_> {
    fn run(&mut self) -> Option<TooDeep> {
        let mut depth = 0usize;
        // Generic arguments can't be told from `<` comparisons by the text:
        // counted per statement (reset at `;`, `{` and `}`), which only
        // overcounts, and only code with 20,000 `<` in one statement.
        let mut angles = 0usize;
        let mut run = 0usize;
        while let Some(&b) = self.bytes.get(self.at) {
            let start = self.at;
            self.at += 1;
            let in_run = matches!(b, b'!' | b'-' | b'*' | b'&');
            match b {
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    if b == b'{' {
                        angles = 0;
                    }
                    if depth > MAX_NESTING {
                        return Some(TooDeep { offset: start, what: "brackets", limit: MAX_NESTING });
                    }
                }
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if b == b'}' {
                        angles = 0;
                    }
                }
                b'<' => {
                    angles += 1;
                    if angles > MAX_NESTING {
                        return Some(TooDeep { offset: start, what: "generic arguments", limit: MAX_NESTING });
                    }
                }
                b'>' => angles = angles.saturating_sub(1),
                b';' => angles = 0,
                b'/' if self.peek() == Some(b'/') => {
                    self.at = memchr::memchr(b'\n', &self.bytes[self.at..]).map_or(self.bytes.len(), |i| self.at + i);
                }
                b'/' if self.peek() == Some(b'*') => self.at = lexical::skip_block_comment(self.bytes, start),
                b'"' => self.at = lexical::skip_string(self.bytes, self.at),
                b'\'' => self.at = lexical::skip_char_literal(self.bytes, start),
                b'r' if let Some(end) = lexical::skip_raw_string(self.bytes, start) => self.at = end,
                _ => {}
            }
            if in_run {
                run += 1;
                if run > MAX_PREFIX_RUN {
                    return Some(TooDeep { offset: start, what: "prefix operators", limit: MAX_PREFIX_RUN });
                }
            } else if !b.is_ascii_whitespace() {
                run = 0;
            }
        }
        None
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, close: &str, levels: usize) -> String {
        format!("fn f() {{ let x = {}1{}; }}\n", open.repeat(levels), close.repeat(levels))
    }

    #[test]
    fn ordinary_code_passes_the_gate_without_a_scan() {
        assert_eq!(too_deep("fn main() { let v: Vec<Vec<u8>> = vec![vec![1]]; println!(\"{v:?}\"); }"), None);
        assert_eq!(too_deep(&nested("(", ")", 10_000)), None);
    }

    #[test]
    fn nesting_past_the_limit_is_found_where_it_passes() {
        let text = nested("(", ")", MAX_NESTING + 5);
        let found = too_deep(&text).expect("too deep");
        assert_eq!(found.what, "brackets");
        // `fn f() {` opens one level, the parentheses the rest.
        assert_eq!(found.offset, "fn f() { let x = ".len() + MAX_NESTING - 1);
        let blocks = format!("fn f() {}{}\n", "{".repeat(MAX_NESTING + 1), "}".repeat(MAX_NESTING + 1));
        assert_eq!(too_deep(&blocks).map(|d| d.what), Some("brackets"));
        let generics = format!("type T = {}u8{};\n", "Vec<".repeat(MAX_NESTING + 1), ">".repeat(MAX_NESTING + 1));
        assert_eq!(too_deep(&generics).map(|d| d.what), Some("generic arguments"));
        let prefix = format!("fn f() -> bool {{ {}true }}\n", "! ".repeat(MAX_PREFIX_RUN + 1));
        assert_eq!(too_deep(&prefix).map(|d| d.what), Some("prefix operators"));
    }

    #[test]
    fn brackets_in_comments_strings_and_chars_do_not_count() {
        let many = "(".repeat(MAX_NESTING + 1);
        for hidden in [
            format!("// {many}\n"),
            format!("/* /* nested */ {many} */"),
            format!("const S: &str = \"{many} \\\" {many}\";"),
            format!("const R: &str = r#\"{many}\"\"#;"),
            format!("const B: &[u8] = br\"{many}\";"),
            format!("const C: &[u8] = b\"{many}\";"),
            "const P: [char; 3] = ['(', '\\'', '\\u{28}'];".repeat(MAX_NESTING / 2),
        ] {
            assert_eq!(too_deep(&hidden), None, "{}", &hidden[..40]);
        }
        // Lifetimes are not character literals: the brackets after them count.
        let lifetimes = format!("fn f<'a>(x: &'a u8) {}{}", "{".repeat(MAX_NESTING + 1), "}".repeat(MAX_NESTING + 1));
        assert!(too_deep(&lifetimes).is_some());
        // Neither is an identifier ending in `r` or `b` a string prefix.
        let idents = format!("fn f() {{ bar{}{} }}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        assert!(too_deep(&idents).is_some());
    }

    #[test]
    fn the_gate_counts_every_opener_and_operator_across_chunk_boundaries() {
        // 1,000 of each, so that byte-wide chunk counters would overflow if
        // chunks were larger than 255 bytes.
        let text = "([{<!-*& ".repeat(1_000);
        assert_eq!(count_openers_and_operators(text.as_bytes()), (4_000, 4_000));
        let naive = |set: &[u8]| text.bytes().filter(|b| set.contains(b)).count();
        assert_eq!(naive(b"([{<"), 4_000);
        assert_eq!(naive(b"!-*&"), 4_000);
        assert_eq!(count_openers_and_operators(b"fn f() -> u8 { 1 }"), (2, 1));
    }

    #[test]
    fn comparisons_do_not_add_up_across_statements() {
        let text = "fn f(a: u8, b: u8) -> bool { a < b }\n".repeat(MAX_NESTING + 1);
        assert_eq!(too_deep(&text), None);
    }
}
