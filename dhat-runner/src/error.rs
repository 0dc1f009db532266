//! Errors of reading profiles and reports, and of running workloads.

use std::path::PathBuf;

/// A profile or report that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file could not be opened or read.
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid JSON (truncated, corrupt) or has wrong types.
    #[error("`{}` is not a valid {kind}: {message} at line {line}, column {column}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What the file should be: `DHAT profile`, `#[memtrack] report`, ...
        kind: &'static str,
        /// What serde_json found.
        message: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
    },
    /// The JSON is well-formed but not a DHAT heap profile this version understands.
    #[error("`{}` {problem}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, e.g. "has dhatFileVersion 3; memlint reads version 2".
        problem: String,
    },
}

impl ProfileError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        ProfileError::Io { path: path.to_path_buf(), source }
    }

    pub(crate) fn json(path: &std::path::Path, kind: &'static str, e: &serde_json::Error) -> Self {
        // serde_json's message ends with " at line L column C"; keep only its start.
        let text = e.to_string();
        let message = text.split(" at line ").next().unwrap_or(&text).to_string();
        ProfileError::Json { path: path.to_path_buf(), kind, message, line: e.line(), column: e.column() }
    }

    /// A file with nothing in it: a process killed before it wrote.
    pub(crate) fn empty(path: &std::path::Path) -> Self {
        Self::invalid(path, "is empty (the profiled program may have been killed before writing it)")
    }

    pub(crate) fn invalid(path: &std::path::Path, problem: impl Into<String>) -> Self {
        ProfileError::Invalid { path: path.to_path_buf(), problem: problem.into() }
    }
}
