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
            | LintError::NotUtf8 { path, .. }
            | LintError::Parse { path, .. }
            | LintError::Internal { path, .. } => path,
        }
    }
}
