//! Suppressions written in the code:
//!
//! - `// memlint: allow(rule, ..) reason` at the end of a line covers that
//!   line; on a line of its own it covers the statement or item that starts
//!   on the next line of code (all its lines);
//! - `// memlint: allow-file(rule, ..) reason` covers the whole file;
//! - `#[cfg_attr(memlint, expect(memlint::rule))]` (or `allow`) on an item
//!   covers the item; rustc ignores it unless `--cfg memlint` is set.
//!
//! - `#[allow(clippy::vec_box)]` and the like, for the clippy lints a rule
//!   mirrors (see [`clippy`]).
//!
//! Comments are not in syn's tree, so they are found by scanning the text,
//! skipping string, raw string and character literals.

pub mod clippy;

use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::syntax::lexical;
use crate::walk::Rule;

/// One suppression and which of its rules it has suppressed something of.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Suppression {
    /// The rule names as written.
    pub(crate) rules: Vec<String>,
    /// Whether each rule suppressed at least one finding.
    pub(crate) used: Vec<bool>,
    /// The lines covered, inclusive; `None` for the whole file.
    pub(crate) lines: Option<(u32, u32)>,
    /// Where the suppression is written: 1-based line, and the byte range
    /// of the comment or attribute.
    pub(crate) line: u32,
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Whether it sits in test code (whose findings are never reported, so
    /// an unused suppression there says nothing).
    pub(crate) in_test: bool,
}

/// The suppressions of one file.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Suppressions {
    pub(crate) list: Vec<Suppression>,
    /// clippy's allows of the lints memlint's rules mirror: honoured, never
    /// reported as unused (they are clippy's to judge).
    pub(crate) clippy: Vec<clippy::ClippyAllow>,
}

/// A `// memlint: ...` comment before its target is known.
struct Directive {
    rules: Vec<String>,
    file_wide: bool,
    /// The comment is the only thing on its line.
    own_line: bool,
    line: u32,
    start: usize,
    end: usize,
}

impl Suppressions {
    /// Finds every suppression in `text`, whose syntax tree is `file`;
    /// clippy's allows of the lints `registry`'s rules mirror.
    pub(crate) fn find(text: &str, file: &syn::File, registry: &'static [&'static dyn Rule]) -> Suppressions {
        let clippy = clippy::find(text, file, registry);
        // One SIMD search answers for almost every file: no mention at all.
        if memchr::memmem::find(text.as_bytes(), b"memlint").is_none() {
            return Suppressions { list: Vec::new(), clippy };
        }
        let directives = directives(text);
        let has_attrs = text.contains("cfg_attr(memlint");
        if directives.is_empty() && !has_attrs {
            return Suppressions { list: Vec::new(), clippy };
        }
        // Only files with suppressions pay for node spans.
        let mut nodes = Nodes::default();
        nodes.visit_file(file);
        let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let mut list: Vec<Suppression> = directives
            .into_iter()
            .map(|d| {
                let lines = if d.file_wide {
                    None
                } else if d.own_line {
                    let target = next_code_line(text, &line_starts, d.line);
                    let end = nodes.ranges.iter().filter(|r| r.0 == target).map(|r| r.1).max().unwrap_or(target);
                    Some((target, end))
                } else {
                    Some((d.line, d.line))
                };
                Suppression {
                    used: vec![false; d.rules.len()],
                    rules: d.rules,
                    lines,
                    line: d.line,
                    start: d.start,
                    end: d.end,
                    in_test: nodes.in_test(d.line),
                }
            })
            .collect();
        list.extend(nodes.expects.into_iter().map(|mut s| {
            s.in_test = nodes.tests.iter().any(|&(a, b)| a <= s.line && s.line <= b);
            s
        }));
        Suppressions { list, clippy }
    }

    /// Whether a finding of `rule` starting on `line` is suppressed; marks
    /// the suppressions that cover it as used.
    pub(crate) fn covers(&mut self, rule: &str, line: u32) -> bool {
        let mut covered = self
            .clippy
            .iter()
            .any(|a| a.lines.is_none_or(|(s, e)| s <= line && line <= e) && a.rules.iter().any(|r| r == rule));
        for s in &mut self.list {
            let in_scope = s.lines.is_none_or(|(a, b)| a <= line && line <= b);
            if !in_scope {
                continue;
            }
            for (name, used) in s.rules.iter().zip(&mut s.used) {
                if name == rule {
                    *used = true;
                    covered = true;
                }
            }
        }
        covered
    }
}

/// The first line after `line` with code on it (not blank, not only a comment).
fn next_code_line(text: &str, line_starts: &[usize], line: u32) -> u32 {
    let mut n = line as usize; // 0-based index of the line after `line`
    while n < line_starts.len() {
        let start = line_starts[n];
        let end = line_starts.get(n + 1).copied().unwrap_or(text.len());
        let content = text[start..end].trim();
        if !content.is_empty() && !content.starts_with("//") {
            break;
        }
        n += 1;
    }
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// What a `// memlint: allow(..) reason` comment says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowComment {
    /// The rule names, without a `memlint::` prefix; never empty.
    pub rules: Vec<String>,
    /// `allow-file(..)`: the whole file, not one line or statement.
    pub file_wide: bool,
    /// The text after the list, trimmed; may be empty.
    pub reason: String,
}

impl AllowComment {
    /// Reads one line comment (`// memlint: allow(a, b) reason`, starting
    /// with its `//`). `None` for any other comment: doc comments, other
    /// tools' comments, a missing `(..)`, or an empty rule list.
    pub fn parse(comment: &str) -> Option<AllowComment> {
        // Doc comments (`///`, `//!`) are documentation, not directives.
        if !comment.starts_with("//") || comment.starts_with("///") || comment.starts_with("//!") {
            return None;
        }
        let rest = comment.trim_start_matches('/').trim_start().strip_prefix("memlint:")?.trim_start();
        let (file_wide, rest) = match rest.strip_prefix("allow-file") {
            Some(rest) => (true, rest),
            None => (false, rest.strip_prefix("allow")?),
        };
        let (list, reason) = rest.trim_start().strip_prefix('(')?.split_once(')')?;
        let rules: Vec<String> = list.split(',').map(|r| rule_name(r).to_owned()).filter(|r| !r.is_empty()).collect();
        if rules.is_empty() {
            return None;
        }
        Some(AllowComment { rules, file_wide, reason: reason.trim().to_owned() })
    }

    /// Every suppression comment of `text`, with its byte range. Comments
    /// inside string, raw string and character literals and block comments
    /// are not comments.
    pub fn scan(text: &str) -> Vec<(std::ops::Range<usize>, AllowComment)> {
        if !text.contains("memlint:") {
            return Vec::new();
        }
        line_comments(text)
            .into_iter()
            .filter_map(|(start, end)| Some((start..end, AllowComment::parse(&text[start..end])?)))
            .collect()
    }
}

/// A listed rule name without its spacing and `memlint::` prefixes.
fn rule_name(mut name: &str) -> &str {
    name = name.trim();
    while let Some(rest) = name.strip_prefix("memlint::") {
        name = rest.trim_start();
    }
    name
}

/// The canonical form, which [`AllowComment::parse`] reads back as the same
/// comment: `// memlint: allow(a, b) reason`.
impl std::fmt::Display for AllowComment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scope = if self.file_wide { "allow-file" } else { "allow" };
        write!(f, "// memlint: {scope}({})", self.rules.join(", "))?;
        if !self.reason.is_empty() {
            write!(f, " {}", self.reason)?;
        }
        Ok(())
    }
}

/// Every `// memlint: allow(..)` and `allow-file(..)` line comment.
fn directives(text: &str) -> Vec<Directive> {
    AllowComment::scan(text)
        .into_iter()
        .map(|(range, comment)| {
            let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
            let own_line = text[line_start..range.start].trim().is_empty();
            let (line, _) = crate::source::line_col(text, range.start);
            Directive {
                rules: comment.rules,
                file_wide: comment.file_wide,
                own_line,
                line,
                start: range.start,
                end: range.end,
            }
        })
        .collect()
}

/// Byte ranges of the `//` comments of `text` (to the end of their line),
/// skipping the insides of block comments, strings and character literals.
fn line_comments(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                // A CRLF line's `\r` is the line's end, not the comment's.
                let comment_end = if end > i && bytes[end - 1] == b'\r' { end - 1 } else { end };
                out.push((i, comment_end));
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = lexical::skip_block_comment(bytes, i),
            b'"' => i = lexical::skip_string(bytes, i + 1),
            b'r' if let Some(end) = lexical::skip_raw_string(bytes, i) => i = end,
            b'\'' => i = lexical::skip_char_literal(bytes, i),
            _ => i += 1,
        }
    }
    out
}

/// Line ranges of the file's items and statements, test code, and the
/// `cfg_attr(memlint, ..)` suppressions on items.
#[derive(Default)]
struct Nodes {
    ranges: Vec<(u32, u32)>,
    tests: Vec<(u32, u32)>,
    expects: Vec<Suppression>,
}

impl Nodes {
    fn in_test(&self, line: u32) -> bool {
        self.tests.iter().any(|&(a, b)| a <= line && line <= b)
    }

    fn lines(node: &impl Spanned) -> (u32, u32) {
        let span = node.span();
        let line = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        (line(span.start().line), line(span.end().line))
    }

    fn attrs(&mut self, attrs: &[syn::Attribute], lines: (u32, u32)) {
        if crate::syntax::test_modules::has_cfg_test(attrs) || crate::syntax::test_modules::is_test_fn(attrs) {
            self.tests.push(lines);
        }
        for attr in attrs {
            let Some((predicate, metas)) = crate::syntax::cfg::cfg_attr_parts(attr) else { continue };
            if !predicate.path().is_ident("memlint") {
                continue;
            }
            for meta in &metas {
                let syn::Meta::List(inner) = meta else { continue };
                if !(inner.path.is_ident("expect") || inner.path.is_ident("allow")) {
                    continue;
                }
                let Ok(paths) =
                    inner.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                else {
                    continue;
                };
                let rules: Vec<String> = paths
                    .iter()
                    .filter(|p| p.segments.len() == 2 && p.segments[0].ident == "memlint")
                    .map(|p| p.segments[1].ident.to_string())
                    .collect();
                if rules.is_empty() {
                    continue;
                }
                let range = attr.span().byte_range();
                self.expects.push(Suppression {
                    used: vec![false; rules.len()],
                    rules,
                    lines: Some(lines),
                    line: Nodes::lines(attr).0,
                    start: range.start,
                    end: range.end,
                    in_test: false,
                });
            }
        }
    }
}

impl<'ast> Visit<'ast> for Nodes {
    fn visit_item(&mut self, node: &'ast syn::Item) {
        let lines = Nodes::lines(node);
        self.ranges.push(lines);
        self.attrs(crate::walk::item_attrs(node), lines);
        syn::visit::visit_item(self, node);
    }

    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        let lines = Nodes::lines(node);
        self.ranges.push(lines);
        self.attrs(&node.attrs, lines);
        syn::visit::visit_impl_item_fn(self, node);
    }

    fn visit_trait_item_fn(&mut self, node: &'ast syn::TraitItemFn) {
        let lines = Nodes::lines(node);
        self.ranges.push(lines);
        self.attrs(&node.attrs, lines);
        syn::visit::visit_trait_item_fn(self, node);
    }

    fn visit_field(&mut self, node: &'ast syn::Field) {
        self.ranges.push(Nodes::lines(node));
        syn::visit::visit_field(self, node);
    }

    fn visit_variant(&mut self, node: &'ast syn::Variant) {
        self.ranges.push(Nodes::lines(node));
        syn::visit::visit_variant(self, node);
    }

    fn visit_stmt(&mut self, node: &'ast syn::Stmt) {
        self.ranges.push(Nodes::lines(node));
        syn::visit::visit_stmt(self, node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comments(text: &str) -> Vec<&str> {
        line_comments(text).into_iter().map(|(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn comments_inside_literals_are_not_comments() {
        let text = r####"let a = "// no"; // yes
let b = r#"// no " // still"#; // yes2
let c = '"'; // yes3
let d: &'static str = "x"; /* // no */ // yes4
let e = b"//no"; let f = br"//no"; // yes5
"####;
        assert_eq!(comments(text), ["// yes", "// yes2", "// yes3", "// yes4", "// yes5"]);
    }

    #[test]
    fn allow_comments_read_and_render_canonically() {
        let read =
            AllowComment::parse("//memlint:allow-file( memlint:: memlint::vec_box ,, padded_struct )  generated  ")
                .expect("a suppression");
        assert_eq!(
            read,
            AllowComment {
                rules: vec!["vec_box".to_owned(), "padded_struct".to_owned()],
                file_wide: true,
                reason: "generated".to_owned(),
            }
        );
        assert_eq!(read.to_string(), "// memlint: allow-file(vec_box, padded_struct) generated");
        assert_eq!(AllowComment::parse(&read.to_string()), Some(read));
        for not_one in [
            "/// memlint: allow(x)",
            "//! memlint: allow(x)",
            "// memlint: allow()",
            "// memlint: allow x",
            "// memlint: deny(x)",
            "/* memlint: allow(x) */",
        ] {
            assert_eq!(AllowComment::parse(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn directives_parse_rules_scope_and_placement() {
        let text = "fn f() {\n    // memlint: allow(vec_box, memlint::padded_struct) reason here\n    let x = 1; // memlint: allow(needless_box)\n}\n// memlint: allow-file(clone_in_loop)\n/// memlint: allow(doc_comment)\n// memlint: allow() nothing\n// memlint allow(no_colon)\n";
        let found = directives(text);
        let summary: Vec<(Vec<String>, bool, bool, u32)> =
            found.into_iter().map(|d| (d.rules, d.file_wide, d.own_line, d.line)).collect();
        assert_eq!(
            summary,
            [
                (vec!["vec_box".to_owned(), "padded_struct".to_owned()], false, true, 2),
                (vec!["needless_box".to_owned()], false, false, 3),
                (vec!["clone_in_loop".to_owned()], true, true, 5),
            ]
        );
    }
}
