//! The memlint engine: finds heap-allocation anti-patterns in Rust source.
//!
//! A file is parsed once with `syn` and walked once; rules (one file each
//! under `rules/`) query the walk's context and report [`Diagnostic`]s.
//!
//! ```
//! let linter = lint_core::Linter::default();
//! let file = linter.lint_source("demo.rs", "fn f(n: usize) -> Vec<usize> {
//!     let mut v = Vec::new();
//!     for i in 0..n {
//!         v.push(i);
//!     }
//!     v
//! }").unwrap();
//! assert_eq!(file.diagnostics[0].rule, "vec_push_without_capacity");
//! ```

pub mod analysis;
mod cached;
mod diagnostic;
pub mod docs;
mod engine;
mod error;
pub mod fix;
pub mod layout;
mod rule;
pub mod rules;
pub mod semantic;
mod settings;
mod source;
pub mod suppress;
pub mod syntax;
pub mod target;
pub mod timings;
pub mod walk;

pub use cached::{CachedFile, UnusableEntry};
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Level, Span};
pub use engine::{LintedFile, Linter, Role};
pub use error::{LintError, human_size};
pub use rule::{Category, FixSafety, Hooks, Reason, RuleMeta, RuleOption};
pub use settings::{FileLevels, RuleSettings};
pub use source::SourceFile;
pub use target::{Target, UnknownTarget};
pub use walk::Rule;

/// Lints `text` as the file `path` with every default rule.
pub fn lint_str(path: impl Into<std::path::PathBuf>, text: &str) -> Result<Vec<Diagnostic>, LintError> {
    Linter::default().lint_source(path, text).map(|f| f.diagnostics)
}

/// Reads and lints the file at `path` with every default rule.
pub fn lint_file(path: &std::path::Path) -> Result<LintedFile, LintError> {
    Linter::default().lint_file(path)
}
