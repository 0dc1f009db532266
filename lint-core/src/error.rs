//! Errors that stop one file from being linted.

use std::path::PathBuf;

/// Why a file could not be linted. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    /// The file could not be read.
    #[error("{path}: cannot read file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The path names something other than a regular file (a named pipe,
    /// a socket, a device, a directory): reading a pipe would block.
    #[error("{path}: cannot read file: it is {kind}, not a regular file")]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is instead, with an article ("a named pipe").
        kind: &'static str,
    },
    /// The file is larger than the size limit, so it was not read: parsing
    /// takes about 110 bytes of memory per byte of source.
    #[error("{path}: file not linted: it is {}, over the limit of {} (`max-file-size`)", human_size(*.bytes), human_size(*.limit))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        bytes: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file is not valid UTF-8, so it is not Rust source.
    #[error("{path}:{line}:{column}: file is not valid UTF-8 (invalid byte sequence at byte {offset})")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first invalid sequence.
        line: u32,
        /// 1-based column (in characters) of the first invalid sequence.
        column: u32,
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// The file is not syntactically valid Rust.
    #[error("{path}:{line}:{column}: syntax error: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: u32,
        /// 1-based column (in characters) of the error.
        column: u32,
        /// Byte offset of the error in the text.
        offset: usize,
        /// The parser's message.
        message: String,
    },
    /// memlint itself failed on this file (a bug: please report it).
    #[error("{path}: internal error while linting: {message}")]
    Internal {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl LintError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            LintError::Io { path, .. }
            | LintError::NotAFile { path, .. }
            | LintError::TooLarge { path, .. }
            | LintError::NotUtf8 { path, .. }
            | LintError::Parse { path, .. }
            | LintError::Internal { path, .. } => path,
        }
    }
}

/// A byte count as people read it: `512 bytes`, `12.5 KiB`, `50.0 MiB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    #[expect(clippy::cast_precision_loss, reason = "one decimal is shown")]
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1023), "1023 bytes");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(10 << 20), "10.0 MiB");
        assert_eq!(human_size(52_428_800), "50.0 MiB");
        assert_eq!(human_size(u64::MAX), "16777216.0 TiB");
    }
}
