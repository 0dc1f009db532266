//! Edits that insert code: at an offset, indented like the code around it
//! and ended as the file's lines are.

use crate::diagnostic::Edit;
use crate::source::SourceFile;

/// The whitespace between the start of the line and `offset`, when there
/// is nothing else.
pub fn indent_before(text: &str, offset: usize) -> Option<&str> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    prefix.chars().all(|c| c == ' ' || c == '\t').then_some(prefix)
}

/// An insertion of `replacement` at the byte `offset`.
pub fn insert_at(src: &SourceFile, offset: usize, replacement: String) -> Edit {
    Edit { span: src.byte_span(offset, offset), replacement }
}

/// The file's own line ending.
pub fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}
