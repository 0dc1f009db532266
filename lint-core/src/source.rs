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
    /// The edition the file is compiled with: 2015 code is read through a
    /// rewrite to today's syntax.
    edition: crate::syntax::edition::Edition,
    /// Byte offset of the start of every line, built on the first span
    /// conversion and dropped when the file is done.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Wraps `text`, removing a leading byte-order mark.
    pub fn new(path: impl Into<PathBuf>, text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Self::from_string(path, text.to_owned())
    }

    /// Like [`SourceFile::new`], keeping `text`'s buffer (no copy of the file).
    pub fn from_string(path: impl Into<PathBuf>, mut text: String) -> Self {
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        SourceFile { path: path.into(), text, edition: Default::default(), line_starts: std::sync::OnceLock::new() }
    }

    /// Reads the file at `path`, naming it `name` (in findings and errors).
    /// A file that is not UTF-8 is an error that says where.
    pub fn read(path: &Path, name: impl Into<PathBuf>) -> Result<SourceFile, crate::LintError> {
        Self::read_at_most(path, name, u64::MAX)
    }

    /// [`SourceFile::read`] for a regular file of at most `max_bytes`; a
    /// named pipe, socket, device or directory is not opened (opening a
    /// pipe blocks until something writes to it), a larger file not read.
    pub fn read_at_most(path: &Path, name: impl Into<PathBuf>, max_bytes: u64) -> Result<SourceFile, crate::LintError> {
        let name = name.into();
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(source) => return Err(crate::LintError::Io { path: name, source }),
        };
        if !metadata.is_file() {
            return Err(crate::LintError::NotAFile { path: name, kind: kind_of(&metadata.file_type()) });
        }
        if metadata.len() > max_bytes {
            return Err(crate::LintError::TooLarge { path: name, bytes: metadata.len(), limit: max_bytes });
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(source) => return Err(crate::LintError::Io { path: name, source }),
        };
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::from_string(name, text)),
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                // The bytes before `offset` are valid UTF-8.
                let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]);
                let (line, column) = line_col(&valid, offset);
                Err(crate::LintError::NotUtf8 { path: name, line, column, offset })
            }
        }
    }

    /// The file, compiled with `edition` (the default is 2021).
    pub fn with_edition(mut self, edition: crate::syntax::edition::Edition) -> Self {
        self.edition = edition;
        self
    }

    /// The edition the file is compiled with.
    pub fn edition(&self) -> crate::syntax::edition::Edition {
        self.edition
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
        self.span_between(span, span)
    }

    /// The span from the start of `first` to the end of `last` (two tokens
    /// of one node: its span without re-tokenizing it).
    pub fn span_between(&self, first: proc_macro2::Span, last: proc_macro2::Span) -> Span {
        let start = first.start();
        let end = last.end();
        Span {
            line: saturating_u32(start.line),
            column: saturating_u32(start.column + 1),
            end_line: saturating_u32(end.line),
            end_column: saturating_u32(end.column + 1),
            start: self.offset_of(start),
            end: self.offset_of(end),
        }
    }

    /// The span from the start of `first` to the end of the converted span
    /// `end` (converting one position, not four).
    pub fn span_to(&self, first: proc_macro2::Span, end: Span) -> Span {
        let start = first.start();
        Span {
            line: saturating_u32(start.line),
            column: saturating_u32(start.column + 1),
            start: self.offset_of(start),
            ..end
        }
    }

    /// The source text a parser span covers (empty if the span is not in this file).
    pub fn text_of(&self, span: proc_macro2::Span) -> &str {
        let (start, end) = (self.offset_of(span.start()), self.offset_of(span.end()));
        self.text.get(start..end).unwrap_or("")
    }

    /// The byte offset of a parser position (line, and column in characters).
    ///
    /// proc-macro2's own `Span::byte_range` counts characters from the
    /// nearest offset it converted before, through a map: it was the largest
    /// single cost of walking a file. Lines of code are short, and mostly
    /// ASCII, where the column is the byte offset within the line.
    fn offset_of(&self, at: proc_macro2::LineColumn) -> usize {
        let starts = self.line_starts.get_or_init(|| line_starts(&self.text));
        let Some(&line_start) = at.line.checked_sub(1).and_then(|i| starts.get(i)) else {
            // Line 0 is proc-macro2's "no location"; past the end can't come from this file.
            return if at.line == 0 { 0 } else { self.text.len() };
        };
        let rest = &self.text[line_start..];
        match rest.as_bytes().get(..at.column) {
            Some(prefix) if prefix.is_ascii() => line_start + at.column,
            _ => line_start + rest.char_indices().nth(at.column).map_or(rest.len(), |(i, _)| i),
        }
    }

    /// Drops the line index built for span conversions (the file's spans are gone).
    pub(crate) fn release_line_index(&mut self) {
        self.line_starts.take();
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        line_col(&self.text, offset)
    }

    /// The span of the bytes `start..end` of the text (positions the parser
    /// didn't give: comments, insertions).
    pub(crate) fn byte_span(&self, start: usize, end: usize) -> Span {
        byte_span(&self.text, start, end)
    }
}

/// The byte offset of the start of every line. Counted first so the vector
/// is allocated once at its size: generated files have 100,000s of lines.
fn line_starts(text: &str) -> Vec<usize> {
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes());
    let mut starts = Vec::with_capacity(newlines.clone().count() + 1);
    starts.push(0);
    starts.extend(newlines.map(|i| i + 1));
    starts
}

/// The span of the bytes `start..end` of `text`.
pub(crate) fn byte_span(text: &str, start: usize, end: usize) -> Span {
    let ((line, column), (end_line, end_column)) = (line_col(text, start), line_col(text, end));
    Span { line, column, end_line, end_column, start, end }
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

/// What a file that is not a regular file is, for an error message.
fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() { "a directory" } else { "something else" }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Offsets from lines and columns are proc-macro2's byte ranges, also
    /// after multi-byte characters, tabs and CRLF line ends.
    #[test]
    fn spans_convert_to_proc_macro2_byte_ranges() {
        let text = "// é ünïcode\r\nfn f() -> &'static str {\r\n\tlet s = \"日本語\"; let t = 'ß';\r\n    s }\nconst X: u8 = 1;";
        let src = SourceFile::new("t.rs", text);
        let tokens: proc_macro2::TokenStream = text.parse().expect("lexes");
        fn all(tokens: proc_macro2::TokenStream, out: &mut Vec<proc_macro2::Span>) {
            for tree in tokens {
                out.push(tree.span());
                if let proc_macro2::TokenTree::Group(g) = tree {
                    all(g.stream(), out);
                }
            }
        }
        let mut spans = Vec::new();
        all(tokens, &mut spans);
        assert!(spans.len() > 20);
        for span in spans {
            let range = span.byte_range();
            let converted = src.span(span);
            assert_eq!((converted.start, converted.end), (range.start, range.end), "{span:?}");
            assert_eq!(src.text_of(span), &text[range]);
        }
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}
