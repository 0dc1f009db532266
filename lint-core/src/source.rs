//! A file's text and the conversion of parser spans into [`Span`]s.

use std::path::{Path, PathBuf};

use crate::diagnostic::Span;

/// The text of one source file, as parsed.
///
/// A leading byte-order mark is removed (editors don't count it as a column),
/// so byte offsets and columns are relative to the text without it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
}

impl SourceFile {
    /// Wraps `text`, removing a leading byte-order mark.
    pub fn new(path: impl Into<PathBuf>, text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        SourceFile { path: path.into(), text: text.to_owned() }
    }

    /// The file's path, as the caller named it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The text, without a byte-order mark.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text handed to the parser: a leading shebang line is blanked out
    /// instead of being cut, so that byte offsets of spans stay offsets into
    /// [`SourceFile::text`] (syn's `parse_file` would cut it and shift them).
    pub(crate) fn parser_input(&self) -> std::borrow::Cow<'_, str> {
        let text = self.text.as_str();
        if let Some(rest) = text.strip_prefix("#!") {
            // `#![inner_attribute]` is Rust, not a shebang.
            if !rest.trim_start().starts_with('[') {
                let end = text.find('\n').unwrap_or(text.len());
                let mut blanked = String::with_capacity(text.len());
                blanked.extend(std::iter::repeat_n(' ', end));
                blanked.push_str(&text[end..]);
                return std::borrow::Cow::Owned(blanked);
            }
        }
        std::borrow::Cow::Borrowed(text)
    }

    /// Converts a parser span into a [`Span`]. Only valid while the file's
    /// spans are alive (before proc-macro2's span map is invalidated).
    pub fn span(&self, span: proc_macro2::Span) -> Span {
        let start = span.start();
        let end = span.end();
        let range = span.byte_range();
        Span {
            line: saturating_u32(start.line),
            column: saturating_u32(start.column + 1),
            end_line: saturating_u32(end.line),
            end_column: saturating_u32(end.column + 1),
            start: range.start.min(self.text.len()),
            end: range.end.min(self.text.len()),
        }
    }

    /// The source text a parser span covers (empty if the span is not in this file).
    pub fn text_of(&self, span: proc_macro2::Span) -> &str {
        let range = span.byte_range();
        self.text.get(range).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        line_col(&self.text, offset)
    }
}

/// 1-based line and column (in characters) of a byte offset into `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (saturating_u32(line), saturating_u32(column))
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
