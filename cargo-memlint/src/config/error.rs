//! Configuration errors that point into the file: rendered by miette with
//! the offending key or value underlined.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, SourceCode};

/// Something wrong with a configuration file (or with finding one).
#[derive(Debug, Clone)]
pub(crate) struct ConfigError {
    /// The file the error is in.
    pub(crate) path: PathBuf,
    /// What is wrong.
    pub(crate) message: String,
    /// Where in the file, with the file's text and a short label (boxed:
    /// errors travel in `Result`s, and most results are `Ok`).
    pub(crate) at: Option<Box<Pointer>>,
    /// How to fix it.
    pub(crate) help: Option<String>,
}

/// A place in a configuration file.
#[derive(Debug, Clone)]
pub(crate) struct Pointer {
    pub(crate) source: NamedSource<Arc<str>>,
    pub(crate) span: Range<usize>,
    pub(crate) label: String,
}

impl ConfigError {
    /// An error about the file as a whole (it can't be read, say).
    pub(crate) fn file(path: &Path, message: impl Into<String>) -> Self {
        ConfigError { path: path.to_path_buf(), message: message.into(), at: None, help: None }
    }

    /// An error at `span` of the file's `text`.
    pub(crate) fn at(
        path: &Path,
        text: &Arc<str>,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        let source = NamedSource::new(display(path), Arc::clone(text)).with_language("TOML");
        ConfigError {
            path: path.to_path_buf(),
            message: message.into(),
            at: Some(Box::new(Pointer { source, span, label: label.into() })),
            help: None,
        }
    }

    /// The same error with a hint.
    pub(crate) fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(_) => f.write_str(&self.message),
            // Without a snippet, the message must say which file it is about.
            None => write!(f, "{}: {}", display(&self.path), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// `path` relative to the current directory when it is inside it.
pub(crate) fn display(path: &Path) -> String {
    let relative = std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative.as_deref().unwrap_or(path).display().to_string()
}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("memlint::config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.at.as_ref().map(|p| &p.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let p = self.at.as_ref()?;
        let label = LabeledSpan::new_primary_with_span(Some(p.label.clone()), p.span.clone());
        Some(Box::new(std::iter::once(label)))
    }
}
