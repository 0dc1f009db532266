//! rustc-looking diagnostics rendered with miette: the snippet, labels and help.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use lint_core::{Diagnostic, Level, LintError};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity, SourceSpan};

use crate::check::{NoteReason, Outcome};

/// Renders every finding and error of `outcome`.
pub(crate) fn render(outcome: &Outcome, color: bool) -> String {
    let handler = handler(color);
    let mut out = String::new();
    for (i, d) in outcome.diagnostics.iter().enumerate() {
        render_finding_with(&handler, outcome, d, &mut out);
        if let Some(runtime) = &outcome.runtime {
            // Under the finding, before the blank line that separates findings.
            out.pop();
            out.push_str(&super::profile::runtime_note(runtime, i, d.rule));
            out.push_str("\n\n");
        }
    }
    out.push_str(&render_errors(outcome, color));
    out
}

/// The files that could not be linted or read.
pub(crate) fn render_errors(outcome: &Outcome, color: bool) -> String {
    let handler = handler(color);
    let mut out = String::new();
    for e in &outcome.errors {
        render_one(&handler, &FileError::new(e, &outcome.root), &mut out);
    }
    for p in &outcome.problems {
        let e = Plain(format!("{}: cannot read: {}", p.path.display(), p.message));
        render_one(&handler, &e, &mut out);
    }
    for note in &outcome.notes {
        render_one(&handler, &FileError::new(&note.error, &outcome.root).noted(note.why), &mut out);
    }
    out
}

/// Any miette report (a configuration error, say) as the human format shows it.
pub(crate) fn render_report(report: &dyn miette::Diagnostic, color: bool) -> String {
    let mut out = String::new();
    render_one(&handler(color), report, &mut out);
    out
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    // No wrapping: long help lines hold code that must stay copyable.
    GraphicalReportHandler::new_themed(theme).with_links(false).with_wrap_lines(false).with_width(10_000)
}

/// One finding, rendered without colour (for formats that embed it).
pub(crate) fn render_finding(outcome: &Outcome, d: &Diagnostic) -> String {
    let mut out = String::new();
    render_finding_with(&handler(false), outcome, d, &mut out);
    out
}

fn render_finding_with(handler: &GraphicalReportHandler, outcome: &Outcome, d: &Diagnostic, out: &mut String) {
    let source = outcome.sources.get(&d.file).cloned().unwrap_or_else(|| Arc::from(""));
    let spans = std::iter::once(&d.span).chain(d.labels.iter().map(|l| &l.span)).map(|s| (s.start, s.end));
    let source = snippet_fits(&source, spans).then(|| NamedSource::new(d.file.display().to_string(), source));
    render_one(handler, &Finding { d, source }, out);
}

/// The longest source line a snippet shows, in bytes. Generated code can
/// put a whole program on one line: printing it would bury the finding.
const MAX_SNIPPET_LINE: usize = 1_000;

/// Whether every line a snippet of `spans` shows (with a line of context on
/// each side) is short enough to print.
fn snippet_fits(text: &str, spans: impl Iterator<Item = (usize, usize)>) -> bool {
    let line_bounds = |at: usize| {
        let at = at.min(text.len());
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        (start, end)
    };
    spans.into_iter().all(|(start, end)| {
        let (first, _) = line_bounds(start);
        let (_, last) = line_bounds(end);
        // One line of context before and after.
        let from = line_bounds(first.saturating_sub(1)).0;
        let to = line_bounds((last + 1).min(text.len())).1;
        text[from..to].split('\n').all(|line| line.len() <= MAX_SNIPPET_LINE)
    })
}

fn render_one(handler: &GraphicalReportHandler, report: &dyn miette::Diagnostic, out: &mut String) {
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, report).is_err() {
        rendered = format!("{report}\n");
    }
    out.push_str(&rendered);
    out.push('\n');
}

/// A finding as miette sees it; without a source when its lines are too
/// long to show.
struct Finding<'a> {
    d: &'a Diagnostic,
    source: Option<NamedSource<Arc<str>>>,
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finding").field("d", self.d).finish()
    }
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.source.is_none() {
            // No snippet to carry the location: say it first.
            let span = &self.d.span;
            write!(f, "{}:{}:{}: ", self.d.file.display(), span.line, span.column)?;
        }
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Finding<'_> {}

fn source_span(span: &lint_core::Span) -> SourceSpan {
    SourceSpan::new(span.start.into(), span.end.saturating_sub(span.start))
}

impl miette::Diagnostic for Finding<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // `[*]`: `--fix` fixes it (ruff's mark).
        let mark = if super::safely_fixable(self.d) { " [*]" } else { "" };
        Some(Box::new(format!("memlint::{}{mark}", self.d.rule)))
    }

    fn severity(&self) -> Option<Severity> {
        Some(if self.d.level == Level::Deny { Severity::Error } else { Severity::Warning })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.d.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let primary = LabeledSpan::new_primary_with_span(None, source_span(&self.d.span));
        let secondary =
            self.d.labels.iter().map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), source_span(&l.span)));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// A file that could not be linted, with a snippet for syntax errors.
struct FileError<'a> {
    error: &'a LintError,
    source: Option<(NamedSource<Arc<str>>, SourceSpan)>,
    /// Why it is only a note, when it is one.
    note: Option<NoteReason>,
}

impl<'a> FileError<'a> {
    fn new(error: &'a LintError, root: &Path) -> Self {
        let source = match error {
            LintError::Parse { path, offset, .. } => read_text(&root.join(path)).and_then(|text| {
                let at = (*offset).min(text.len());
                let len = text[at..].chars().next().map_or(0, char::len_utf8);
                snippet_fits(&text, std::iter::once((at, at + len)))
                    .then(|| (NamedSource::new(path.display().to_string(), text), SourceSpan::new(at.into(), len)))
            }),
            _ => None,
        };
        FileError { error, source, note: None }
    }

    fn noted(self, why: NoteReason) -> Self {
        FileError { note: Some(why), ..self }
    }
}

/// The text of a file, for a snippet.
fn read_text(path: &Path) -> Option<Arc<str>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text)))
}

impl fmt::Debug for FileError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileError").field("error", self.error).finish()
    }
}

impl fmt::Display for FileError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.error {
            LintError::Parse { path, line, column, message, .. } if self.note.is_some() => {
                write!(f, "{}:{line}:{column}: not linted: {message}", path.display())
            }
            LintError::Parse { path, line, column, message, .. } => {
                write!(f, "{}:{line}:{column}: syntax error: {message}", path.display())
            }
            other => write!(f, "{other}"),
        }
    }
}

impl std::error::Error for FileError<'_> {}

impl miette::Diagnostic for FileError<'_> {
    fn severity(&self) -> Option<Severity> {
        Some(if self.note.is_some() { Severity::Advice } else { Severity::Error })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self.note {
            Some(NoteReason::Conditional) => {
                return Some(Box::new(
                    "every `mod` that reaches this file is under a `#[cfg]` or in a macro call, so it may never be compiled: memlint leaves it out without failing the run",
                ));
            }
            Some(NoteReason::Edition(edition)) => {
                return Some(Box::new(format!(
                    "this is Rust {} code, which memlint reads through a rewrite to today's syntax; this file defeats it, so memlint leaves it out without failing the run",
                    edition.year()
                )));
            }
            None => {}
        }
        let help = match self.error {
            LintError::Parse { .. } => {
                "memlint skipped this file; the other files were linted. If it is not compiled, leave it out with `exclude` in memlint.toml"
            }
            LintError::NotUtf8 { .. } => "Rust source must be UTF-8; memlint skipped this file",
            LintError::Io { .. } | LintError::NotAFile { .. } => "memlint skipped this file",
            LintError::TooLarge { .. } => {
                "parsing takes about 110 bytes of memory per byte of source; exclude generated files with `exclude`, or raise `max-file-size` in memlint.toml"
            }
            LintError::Internal { .. } => "this is a bug in memlint: please report it with the file that triggers it",
        };
        Some(Box::new(help))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|(s, _)| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, span) = self.source.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some("here".to_owned()), *span))))
    }
}

/// An error with nothing but a message.
#[derive(Debug)]
struct Plain(String);

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Plain {}

impl miette::Diagnostic for Plain {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Error)
    }
}
