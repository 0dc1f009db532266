//! What a rule reports: a [`Diagnostic`] with its primary [`Span`], secondary
//! [`Label`]s, help text and an optional [`Fix`].

use std::fmt;
use std::path::PathBuf;

/// How seriously a rule's findings are taken.
///
/// `Allow` turns a rule off; `Warn` reports findings as warnings; `Deny`
/// reports them as errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Level {
    /// The rule does not run.
    Allow,
    /// Findings are warnings.
    Warn,
    /// Findings are errors.
    Deny,
}

impl Level {
    /// The name used in configuration and on the command line (`allow`, `warn`, `deny`).
    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// The severity a finding at this level is shown with (`warning`, `error`).
    pub fn severity(self) -> &'static str {
        match self {
            Level::Allow => "allowed",
            Level::Warn => "warning",
            Level::Deny => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A region of a source file.
///
/// Lines and columns are 1-based; columns count characters, not bytes.
/// `end_column` is exclusive: it is the column just past the last character,
/// as in SARIF. `start` and `end` are byte offsets into the file's text (with
/// any byte-order mark removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First line (1-based).
    pub line: u32,
    /// First column (1-based, in characters).
    pub column: u32,
    /// Last line (1-based).
    pub end_line: u32,
    /// Column just past the last character (1-based, in characters).
    pub end_column: u32,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
}

/// A span is stored as `[line, column, end_line, end_column, start, end]`:
/// cache entries hold many of them.
impl serde::Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.line, self.column, self.end_line, self.end_column, self.start, self.end).serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let (line, column, end_line, end_column, start, end) = serde::Deserialize::deserialize(de)?;
        Ok(Span { line, column, end_line, end_column, start, end })
    }
}

/// A secondary location with a note, shown beside the primary span.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What it shows, lowercase without a final period.
    pub message: String,
}

/// How safe it is to apply a [`Fix`] without looking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Applicability {
    /// The fix is correct and keeps the program's meaning.
    MachineApplicable,
    /// The fix is probably right but needs a human to check it.
    MaybeIncorrect,
}

/// One replacement of a span of source text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    /// The text replaced.
    pub span: Span,
    /// What replaces it.
    pub replacement: String,
}

/// Edits that resolve a finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fix {
    /// The edits, in source order, not overlapping.
    pub edits: Vec<Edit>,
    /// Whether the edits can be applied blindly.
    pub applicability: Applicability,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The rule's name, e.g. `vec_push_without_capacity`.
    pub rule: &'static str,
    /// The level the finding is reported at.
    pub level: Level,
    /// What is wrong, lowercase, without a final period, quantified where possible.
    pub message: String,
    /// The file, as the caller named it.
    pub file: PathBuf,
    /// The code the fix changes.
    pub span: Span,
    /// Secondary locations that explain the finding.
    pub labels: Vec<Label>,
    /// What to do instead, starting with a verb, with the code to write.
    pub help: Option<String>,
    /// Edits that apply the help, when the syntax makes them certain enough.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The key findings are sorted by: file, line, column, rule.
    pub fn sort_key(&self) -> (&std::path::Path, u32, u32, &'static str) {
        (&self.file, self.span.line, self.span.column, self.rule)
    }
}
