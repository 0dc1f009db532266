//! A linted file's file-phase result as bytes, for a cache of linted files.
//!
//! What is kept is everything [`Linter::lint_crate_file`] produced: the
//! findings of the file alone, its suppressions (with which ones were used)
//! and the facts the crate phase needs (type definitions, findings pending
//! on types of other files). The crate phase is not cached: it reruns from
//! these facts on every run, so a change to a type in one file reaches the
//! findings of every other file without invalidating their entries.
//!
//! That result depends only on the file's text and name, the linter's
//! settings for that file ([`Linter::config_key`]) and the code of memlint
//! itself: the key a cache must store an entry under.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Fix, Label, Level, Span};
use crate::engine::{Deferred, LintedFile, Linter};
use crate::source::SourceFile;
use crate::suppress::Suppressions;
use crate::walk::modules::ModDecl;

/// A cache entry that cannot be used: damaged, or written by a build with
/// other rules. The file must be linted again.
#[derive(Debug, thiserror::Error)]
#[error("unusable cache entry: {0}")]
pub struct UnusableEntry(String);

/// What is written (borrowed from the [`LintedFile`]).
#[derive(serde::Serialize)]
struct EntryRef<'a> {
    diagnostics: &'a [Diagnostic],
    modules: &'a [ModDecl],
    deferred: &'a Deferred,
    suppressions: &'a Suppressions,
    levels: &'a [Level],
}

/// What is read back.
#[derive(Debug, serde::Deserialize)]
struct Entry {
    diagnostics: Vec<Diagnostic>,
    modules: Vec<ModDecl>,
    deferred: Deferred,
    suppressions: Suppressions,
    levels: Vec<Level>,
}

impl LintedFile {
    /// The file-phase result as bytes for a cache; `None` once the crate
    /// phase has run (its findings depend on the other files).
    pub fn to_cache_bytes(&self) -> Option<Vec<u8>> {
        if self.finished {
            return None;
        }
        let entry = EntryRef {
            diagnostics: &self.diagnostics,
            modules: &self.modules,
            deferred: &self.deferred,
            suppressions: &self.suppressions,
            levels: &self.levels,
        };
        postcard::to_allocvec(&entry).ok()
    }
}

/// A cache entry read back, waiting for its file's text
/// ([`CachedFile::with_source`]).
#[derive(Debug)]
pub struct CachedFile {
    entry: Entry,
}

impl CachedFile {
    /// The linted file, as [`Linter::lint_crate_file`] gave it, with the
    /// text the entry was written for (named as the entry was read).
    pub fn with_source(self, source: SourceFile) -> LintedFile {
        let Entry { diagnostics, modules, mut deferred, suppressions, levels } = self.entry;
        for def in &mut deferred.items.types {
            def.file = source.path().to_path_buf();
        }
        LintedFile::new(source, diagnostics, modules, deferred, suppressions, levels)
    }
}

impl Linter {
    /// Reads bytes that [`LintedFile::to_cache_bytes`] wrote for the file
    /// named `name` with this linter's [`Linter::config_key`]. Anything else
    /// (damaged bytes, another build's rules, another file) is refused.
    pub fn read_cache_entry(&self, name: &Path, bytes: &[u8]) -> Result<CachedFile, UnusableEntry> {
        let entry: Entry = postcard::from_bytes(bytes).map_err(|e| UnusableEntry(e.to_string()))?;
        if entry.levels.len() != self.rules.len() {
            return Err(UnusableEntry(format!("{} rule levels for {} rules", entry.levels.len(), self.rules.len())));
        }
        if let Some(d) = entry.diagnostics.iter().find(|d| d.file != name) {
            return Err(UnusableEntry(format!(
                "a finding of `{}` in an entry of `{}`",
                d.file.display(),
                name.display()
            )));
        }
        Ok(CachedFile { entry })
    }

    /// Everything of the linter's configuration the file named `path`
    /// depends on, as text: the target (type sizes and `cfg`s are decided in
    /// the file phase), the workspace's other crates (calls into them are
    /// keyed in the file phase), each rule's level in that file, whether it
    /// reports in test code, and its options.
    pub fn config_key(&self, path: &Path) -> String {
        let mut key = format!("target={};workspace={};", self.target().triple, self.workspace.join(","));
        for ((rule, settings), level) in self.rules.iter().zip(self.levels_in(path)) {
            let _ = write!(
                key,
                "{}={level}:{}:{}:{:?};",
                rule.meta().name,
                settings.in_tests,
                settings.in_build_scripts,
                settings.values()
            );
        }
        key
    }
}

// A diagnostic read back names its rule by the registry's `&'static str`.
// The impl lives here, with the cache that reads diagnostics back, so that
// `diagnostic` needs nothing from the layers above it.
/// A [`Diagnostic`] as read back (from a cache): the rule's name is looked
/// up in the registry, so an entry that names no rule is refused.
#[derive(serde::Deserialize)]
struct StoredDiagnostic {
    rule: String,
    level: Level,
    message: String,
    file: PathBuf,
    span: Span,
    labels: Vec<Label>,
    help: Option<String>,
    fix: Option<Fix>,
}

// Written by hand: a derived impl would require `'de: 'static` for the
// `&'static str` rule name.
impl<'de> serde::Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let StoredDiagnostic { rule, level, message, file, span, labels, help, fix } =
            StoredDiagnostic::deserialize(de)?;
        let rule = crate::rules::find(&rule)
            .ok_or_else(|| serde::de::Error::custom(format!("no rule named `{rule}`")))?
            .meta()
            .name;
        Ok(Diagnostic { rule, level, message, file, span, labels, help, fix })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSettings;

    const SRC: &str = "// memlint: allow(vec_box)\nstruct Unused;\npub struct Wrapper {\n    inner: Box<Vec<u8>>,\n}\nfn f(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n";

    fn lint(linter: &Linter) -> LintedFile {
        linter.lint_crate_source("src/a.rs", SRC).expect("parses")
    }

    /// A restored file gives the same findings as the linted one, also
    /// after the crate phase (which needs its types and suppressions).
    #[test]
    fn a_restored_file_finishes_like_a_linted_one() {
        let linter = Linter::with_levels(|rule| rule.meta().default_level.max(Level::Warn));
        let mut linted = lint(&linter);
        let bytes = linted.to_cache_bytes().expect("not finished");
        let mut restored = linter
            .read_cache_entry(Path::new("src/a.rs"), &bytes)
            .expect("a usable entry")
            .with_source(SourceFile::new("src/a.rs", SRC));
        linter.finish_crate([&mut linted]);
        linter.finish_crate([&mut restored]);
        assert_eq!(restored.diagnostics, linted.diagnostics);
        let rules: Vec<&str> = restored.diagnostics.iter().map(|d| d.rule).collect();
        assert!(rules.contains(&"vec_push_without_capacity"), "{rules:?}");
        assert!(rules.contains(&"unused_suppression"), "{rules:?}");
        assert!(linted.to_cache_bytes().is_none(), "a finished file has findings of other files");
    }

    #[test]
    fn damaged_or_foreign_entries_are_refused() {
        let linter = Linter::default();
        let bytes = lint(&linter).to_cache_bytes().expect("not finished");
        let name = Path::new("src/a.rs");
        assert!(linter.read_cache_entry(name, &bytes[..bytes.len() / 2]).is_err());
        assert!(linter.read_cache_entry(name, b"").is_err());
        // A rule name of the same length, so that the entry still decodes.
        let (known, unknown) = (b"vec_push_without_capacity", b"zzz_push_without_capacity");
        let at = bytes.windows(known.len()).position(|w| w == known).expect("the rule is named");
        let mut renamed = bytes.clone();
        renamed[at..at + known.len()].copy_from_slice(unknown);
        // (postcard keeps no message of its own for this error: the entry is
        // refused, and linted again.)
        assert!(linter.read_cache_entry(name, &renamed).is_err(), "an unknown rule");
        assert!(linter.read_cache_entry(Path::new("src/b.rs"), &bytes).is_err(), "findings name another file");
        assert!(Linter::default().read_cache_entry(name, &bytes).is_ok());
    }

    #[test]
    fn the_config_key_changes_with_levels_options_and_paths() {
        let default = Linter::default();
        assert_eq!(default.config_key(Path::new("a.rs")), Linter::default().config_key(Path::new("a.rs")));
        let denied = Linter::with_levels(|_| Level::Deny);
        assert_ne!(default.config_key(Path::new("a.rs")), denied.config_key(Path::new("a.rs")));
        let one = Linter::only(&["vec_box"]);
        assert_ne!(default.config_key(Path::new("a.rs")), one.config_key(Path::new("a.rs")));
        let option = Linter::with_settings(|rule| {
            let mut settings = RuleSettings::new(rule.meta());
            settings.set_option("threshold-bytes", 64);
            settings
        });
        assert_ne!(default.config_key(Path::new("a.rs")), option.config_key(Path::new("a.rs")));
        let per_file = Linter::default().with_file_levels(std::sync::Arc::new(|path: &Path, _, level| {
            if path.starts_with("gen") { Level::Allow } else { level }
        }));
        assert_ne!(per_file.config_key(Path::new("gen/a.rs")), per_file.config_key(Path::new("src/a.rs")));
        let i686 = crate::Target::from_triple("i686-unknown-linux-gnu").expect("known");
        assert_ne!(
            default.config_key(Path::new("a.rs")),
            Linter::default().with_target(i686).config_key(Path::new("a.rs"))
        );
    }
}
