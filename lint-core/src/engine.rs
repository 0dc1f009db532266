//! Linting one file: parse, walk with the enabled rules, collect findings.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::consts::{ConstDef, CrateConsts};
use crate::diagnostic::{Diagnostic, Level};
use crate::error::LintError;
use crate::rules::REGISTRY;
use crate::semantic::crate_index::{CrateIndex, WorkspaceCrates};
use crate::settings::{FileLevels, RuleSettings};
use crate::source::SourceFile;
use crate::suppress::Suppressions;
use crate::target::Target;
use crate::timings::{Clock, Timings};
use crate::walk::Rule;
use crate::walk::modules::ModDecl;
use crate::walk::{ActiveRule, ActiveRules, CountPending, CrateCx, Emitter, Pending};

/// A file that was linted, with its findings sorted by line, column and rule.
#[derive(Debug, Clone)]
pub struct LintedFile {
    /// The file's text.
    pub source: SourceFile,
    /// The findings.
    pub diagnostics: Vec<Diagnostic>,
    /// The file's `mod name;` declarations.
    pub(crate) modules: Vec<ModDecl>,
    /// What the file's code is (see [`Linter::assign_role`]).
    pub(crate) role: Role,
    /// The file's module from the crate's root (see [`Linter::assign_module`]).
    pub(crate) module: Option<Vec<String>>,
    /// What the crate phase needs from this file.
    pub(crate) deferred: Deferred,
    /// The file's `// memlint: allow(..)` comments and attributes.
    pub(crate) suppressions: Suppressions,
    /// The level of every rule of the linter in this file, in registry order.
    pub(crate) levels: Vec<Level>,
    /// Whether the crate phase has run for this file.
    pub(crate) finished: bool,
}

/// What a file's code is, as the crate's module tree tells: the walk sees
/// `#[test]` fns and `#[cfg(test)]` modules inside a file, the module tree
/// the files that are test code or build scripts as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Role {
    /// Code of the program or library.
    #[default]
    Code,
    /// A build script or a module of one: it runs once per build.
    BuildScript,
    /// Test code: an integration test, or a module under `#[cfg(test)]`.
    Test,
}

impl LintedFile {
    /// A file's file-phase result, before the module tree places it and the
    /// crate phase runs.
    pub(crate) fn new(
        source: SourceFile,
        diagnostics: Vec<Diagnostic>,
        modules: Vec<ModDecl>,
        deferred: Deferred,
        suppressions: Suppressions,
        levels: Vec<Level>,
    ) -> Self {
        LintedFile {
            source,
            diagnostics,
            modules,
            deferred,
            suppressions,
            levels,
            role: Role::Code,
            module: None,
            finished: false,
        }
    }

    /// The file's `mod name;` declarations, the edges of the module tree.
    pub fn modules(&self) -> &[ModDecl] {
        &self.modules
    }

    /// Whether some of its findings wait on other crates of the workspace
    /// ([`Linter::finish_workspace`]), its crate phase done.
    pub fn waits_for_workspace(&self) -> bool {
        self.finished && !self.deferred.pending.is_empty()
    }
}

/// The parts of a file's findings that depend on the rest of its crate.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Deferred {
    /// Findings that hold if the crate defines the named type.
    pub(crate) pending: Vec<Pending>,
    /// What the file contributes to the crate index: signatures, type
    /// definitions, trait implementations.
    pub(crate) items: crate::semantic::index::FileItems,
    /// The integer constants of the file's modules.
    pub(crate) consts: Vec<ConstDef>,
    /// Findings whose loop count is a constant of another file.
    pub(crate) counts: Vec<CountPending>,
}

/// Runs a set of rules over files.
#[derive(Clone)]
pub struct Linter {
    /// Every rule of the registry with its configuration, in registry order.
    pub(crate) rules: Vec<(&'static dyn Rule, RuleSettings)>,
    /// Levels that depend on the file, on top of the configured ones.
    file_levels: Option<Arc<FileLevels>>,
    /// Where time goes, when asked for ([`Linter::with_timings`]).
    clock: Option<Arc<Clock>>,
    /// The target types are sized and `cfg`s evaluated for.
    target: Target,
    /// The other crates of the workspace files may name ([`Linter::with_workspace_crates`]).
    pub(crate) workspace: Vec<String>,
}

impl std::fmt::Debug for Linter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Linter")
            .field("rules", &self.rules)
            .field("file_levels", &self.file_levels.as_ref().map(|_| "<per-file levels>"))
            .field("clock", &self.clock)
            .field("target", &self.target.triple)
            .finish()
    }
}

impl Default for Linter {
    /// Every rule at its default level; rules whose default is `allow` don't run.
    fn default() -> Self {
        Linter::with_settings(|rule| RuleSettings::new(rule.meta()))
    }
}

impl Linter {
    /// Every rule of the registry at the level `level_of` gives it, with
    /// default options; `allow`ed rules don't run.
    pub fn with_levels(level_of: impl Fn(&dyn Rule) -> Level) -> Self {
        Linter::with_settings(|rule| {
            let mut settings = RuleSettings::new(rule.meta());
            settings.level = level_of(rule);
            settings
        })
    }

    /// Every rule of the registry with the settings `settings_of` gives it.
    pub fn with_settings(settings_of: impl Fn(&'static dyn Rule) -> RuleSettings) -> Self {
        Linter {
            rules: REGISTRY.iter().map(|&rule| (rule, settings_of(rule))).collect(),
            file_levels: None,
            clock: None,
            target: Target::default(),
            workspace: Vec::new(),
        }
    }

    /// Only the named rules, at their default levels (or `warn` for rules
    /// that are off by default). Unknown names are ignored.
    pub fn only(names: &[&str]) -> Self {
        Linter::with_levels(|rule| {
            if names.contains(&rule.meta().name) { rule.meta().default_level.max(Level::Warn) } else { Level::Allow }
        })
    }

    /// Makes levels depend on the file: `file_levels` gives the level of a
    /// rule in a file from the configured one. A rule configured `allow`
    /// runs in the files where `file_levels` turns it on.
    pub fn with_file_levels(mut self, file_levels: Arc<FileLevels>) -> Self {
        self.file_levels = Some(file_levels);
        self
    }

    /// Sizes types and evaluates `#[cfg]`s for `target` instead of 64-bit
    /// Linux on x86_64.
    pub fn with_target(mut self, target: Target) -> Self {
        self.target = target;
        self
    }

    /// Names the other crates of the workspace the files may use, each as
    /// the code names it (a lib's name, or what a dependency renames it
    /// to): calls of their public functions are then keyed to them and
    /// decided by [`Linter::finish_workspace`].
    pub fn with_workspace_crates(mut self, mut names: Vec<String>) -> Self {
        names.sort();
        names.dedup();
        self.workspace = names;
        self
    }

    /// The target types are sized and `cfg`s evaluated for.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Measures where time goes from now on: see [`Linter::timings`].
    pub fn with_timings(mut self) -> Self {
        self.clock = Some(Arc::new(Clock::new(self.rules.len())));
        self
    }

    /// Time spent so far in each phase and rule, summed over threads, if
    /// [`Linter::with_timings`] turned timing on.
    pub fn timings(&self) -> Option<Timings> {
        let ran = self.rules.iter().map(|(rule, settings)| (rule.meta().name, settings.level != Level::Allow));
        self.clock.as_ref().map(|clock| clock.snapshot(ran))
    }

    /// Names of the rules that run (at the configured levels, before
    /// per-file levels).
    pub fn rule_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules.iter().filter(|(_, s)| s.level != Level::Allow).map(|(rule, _)| rule.meta().name)
    }

    /// The level of every rule in the file named `path`, in registry order.
    pub(crate) fn levels_in(&self, path: &Path) -> Vec<Level> {
        self.rules
            .iter()
            .map(|(rule, settings)| match &self.file_levels {
                Some(file_levels) => file_levels(path, rule.meta(), settings.level),
                None => settings.level,
            })
            .collect()
    }

    /// Reads and lints a file on its own: findings that need other files of
    /// its crate (types defined elsewhere) see only this file.
    pub fn lint_file(&self, path: &Path) -> Result<LintedFile, LintError> {
        self.lint_file_as(path, path)
    }

    /// Like [`Linter::lint_file`], naming the file `name` in findings and
    /// errors (e.g. a path relative to the workspace root).
    pub fn lint_file_as(&self, path: &Path, name: impl Into<PathBuf>) -> Result<LintedFile, LintError> {
        let mut file = self.lint_crate_file(path, name)?;
        self.finish_crate([&mut file]);
        Ok(file)
    }

    /// Lints `text` as the contents of the file `path` (which is not read),
    /// on its own like [`Linter::lint_file`].
    ///
    /// Uses and then clears proc-macro2's span map of the calling thread, so
    /// no other syn spans of this thread may be alive across the call.
    pub fn lint_source(&self, path: impl Into<PathBuf>, text: &str) -> Result<LintedFile, LintError> {
        let mut file = self.lint_crate_source(path, text)?;
        self.finish_crate([&mut file]);
        Ok(file)
    }

    /// Reads and lints the file at `path` (named `name` in the output) as one
    /// file of a crate: findings that need the whole crate are added by
    /// [`Linter::finish_crate`] once every file of the crate is linted.
    pub fn lint_crate_file(&self, path: &Path, name: impl Into<PathBuf>) -> Result<LintedFile, LintError> {
        self.lint_crate_text(SourceFile::read(path, name)?)
    }

    /// [`Linter::lint_crate_file`] for text that is already read.
    pub fn lint_crate_source(&self, path: impl Into<PathBuf>, text: &str) -> Result<LintedFile, LintError> {
        self.lint_crate_text(SourceFile::new(path, text))
    }

    /// [`Linter::lint_crate_file`] for a file that is already read.
    pub fn lint_crate_text(&self, mut source: SourceFile) -> Result<LintedFile, LintError> {
        let levels = self.levels_in(source.path());
        let _spans = SpanMapGuard;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| self.lint_parsed(&source, &levels)));
        source.release_line_index();
        let (mut diagnostics, deferred, mut suppressions, modules) = match result {
            Ok(result) => result?,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_owned());
                return Err(LintError::Internal { path: source.path().to_path_buf(), message });
            }
        };
        self.finalize(&mut diagnostics, &mut suppressions, &levels);
        Ok(LintedFile::new(source, diagnostics, modules, deferred, suppressions, levels))
    }

    /// Makes a linted file test code or build-script code as a whole, as
    /// the crate's module tree says (before [`Linter::finish_crate`]): the
    /// findings of rules that don't report there are dropped, and its type
    /// definitions size no type outside such code.
    pub fn assign_role(&self, file: &mut LintedFile, role: Role) {
        file.role = role;
        if role == Role::Code {
            return;
        }
        let reports = |rule: &str| {
            self.rules.iter().find(|(r, _)| r.meta().name == rule).is_some_and(|(_, s)| reports_in(s, role))
        };
        file.diagnostics.retain(|d| reports(d.rule));
        file.deferred.pending.retain(|p| reports(p.diagnostic.rule));
        file.deferred.counts.retain(|p| reports(p.diagnostic.rule));
        for def in &mut file.deferred.items.types {
            def.in_test = true;
        }
    }

    /// Places a linted file in its crate's module tree (before
    /// [`Linter::finish_crate`]): `module` is its path from the crate's
    /// root (`["a", "b"]` for `crate::a::b`), so that calls through module
    /// paths, and private items of modules around it, resolve.
    pub fn assign_module(&self, file: &mut LintedFile, module: Vec<String>) {
        file.module = Some(module);
    }

    /// Adds the findings that need every file of a crate: `files` are the
    /// crate's files, linted with [`Linter::lint_crate_file`]. Calling it
    /// again on the same files adds nothing.
    ///
    /// Findings that wait on a function of another crate of the workspace
    /// ([`Linter::with_workspace_crates`]) stay with their file
    /// ([`LintedFile::waits_for_workspace`]) for [`Linter::finish_workspace`];
    /// the crate's index is returned for it.
    pub fn finish_crate<'f>(&self, files: impl IntoIterator<Item = &'f mut LintedFile>) -> CrateIndex {
        let started = std::time::Instant::now();
        let mut files: Vec<&mut LintedFile> = files.into_iter().filter(|f| !f.finished).collect();
        let mut pending = Vec::new();
        let mut items = Vec::with_capacity(files.len());
        let mut consts = Vec::new();
        let mut counts = Vec::new();
        for file in files.iter_mut() {
            let deferred = std::mem::take(&mut file.deferred);
            // What waits on another crate goes back to the file.
            let (waits, now): (Vec<Pending>, Vec<Pending>) =
                deferred.pending.into_iter().partition(Pending::waits_for_workspace);
            file.deferred.pending = waits;
            pending.extend(now.into_iter().map(|p| (file.module.clone(), p)));
            items.push((file.module.clone(), deferred.items));
            consts.extend(deferred.consts);
            counts.extend(deferred.counts);
        }
        let index = CrateIndex::new(items);
        let mut out = Emitter::default();
        for (module, pending) in pending {
            if pending.holds(&index, module.as_deref()) {
                out.emit(pending.diagnostic);
            }
        }
        // Only the names some finding waits for: generated crates define
        // constants by the hundred thousand (windows-sys), and hashing every
        // one of them was 1.5% of linting the bench corpus.
        let wanted: std::collections::HashSet<&str> = counts.iter().map(|p| p.count.name.as_str()).collect();
        let consts = CrateConsts::new(consts.into_iter().filter(|c| wanted.contains(c.name.as_str())));
        for pending in counts {
            let value = consts.value(&pending.count.name);
            if let Some(diagnostic) = pending.resolve(value) {
                out.emit(diagnostic);
            }
        }
        let sources: Vec<&SourceFile> = files.iter().map(|f| &f.source).collect();
        for (i, (rule, settings)) in self.rules.iter().enumerate() {
            // A crate-wide rule runs if it is on in any file of the crate;
            // `finalize` drops its findings in the files where it is off.
            if files.iter().any(|f| f.levels[i] != Level::Allow) {
                let rule_started = std::time::Instant::now();
                rule.check_crate(&CrateCx { types: index.types(), sources: &sources, settings }, &mut out);
                if let Some(clock) = &self.clock {
                    clock.add_rule(i, rule_started.elapsed());
                }
            }
        }
        for diagnostic in out.diagnostics {
            if let Some(file) = files.iter_mut().find(|f| f.source.path() == diagnostic.file) {
                file.diagnostics.push(diagnostic);
            }
        }
        for file in files {
            self.finalize(&mut file.diagnostics, &mut file.suppressions, &file.levels);
            file.finished = true;
            // A suppression may yet be used by a finding that waits.
            if !file.waits_for_workspace() {
                self.report_unused_suppressions(file);
            }
        }
        if let Some(clock) = &self.clock {
            clock.add_crate_phase(started.elapsed());
        }
        index
    }

    /// Adds the findings of a crate's `files` (finished with
    /// [`Linter::finish_crate`], which returned `index`) that wait on
    /// functions of other crates of the workspace: `workspace` holds the
    /// indexes of the crates the code names. A function not public there
    /// decides nothing: the finding is dropped. A crate it does not hold
    /// (not linted in this run) leaves the finding undecided: dropped too,
    /// but a suppression it would meet is not reported unused.
    pub fn finish_workspace<'f>(
        &self,
        files: impl IntoIterator<Item = &'f mut LintedFile>,
        index: &CrateIndex,
        workspace: &WorkspaceCrates<'_>,
    ) {
        let started = std::time::Instant::now();
        for file in files.into_iter().filter(|f| f.waits_for_workspace()) {
            let lookup = index.seen_from(file.module.as_deref()).with_workspace(workspace);
            for pending in std::mem::take(&mut file.deferred.pending) {
                let Some(condition) = &pending.condition else { continue };
                if !workspace.decides(condition) {
                    let d = &pending.diagnostic;
                    file.suppressions.covers(d.rule, d.span.line);
                } else if lookup.holds(condition) {
                    file.diagnostics.push(pending.diagnostic);
                }
            }
            self.finalize(&mut file.diagnostics, &mut file.suppressions, &file.levels);
            self.report_unused_suppressions(file);
        }
        // Counted with the crate phases: it decides what they left.
        if let Some(clock) = &self.clock {
            clock.add_crate_phase(started.elapsed());
        }
    }

    /// Reports the file's suppressions that suppressed nothing, when
    /// `unused_suppression` runs there; once every finding is in.
    fn report_unused_suppressions(&self, file: &mut LintedFile) {
        let unused = self.rules.iter().position(|(rule, _)| rule.meta().name == crate::rules::UNUSED_SUPPRESSION);
        if let Some(i) = unused.filter(|&i| file.levels[i] != Level::Allow && reports_in(&self.rules[i].1, file.role)) {
            let enabled = |name: &str| self.level_in(&file.levels, name).is_some();
            let in_tests = self.rules[i].1.in_tests;
            let found = crate::rules::unused_suppressions(&file.source, &file.suppressions, enabled, in_tests);
            let level = file.levels[i];
            file.diagnostics.extend(found.into_iter().map(|d| Diagnostic { level, ..d }));
            sort(&mut file.diagnostics);
        }
    }

    /// The level the rule named `name` runs at in a file with `levels`;
    /// `None` when it doesn't run there.
    fn level_in(&self, levels: &[Level], name: &str) -> Option<Level> {
        let i = self.rules.iter().position(|(rule, _)| rule.meta().name == name)?;
        Some(levels[i]).filter(|&level| level != Level::Allow)
    }

    /// Applies configured levels, precedence between rules and the file's
    /// suppressions, then sorts.
    fn finalize(&self, diagnostics: &mut Vec<Diagnostic>, suppressions: &mut Suppressions, levels: &[Level]) {
        diagnostics.retain_mut(|d| match self.level_in(levels, d.rule) {
            Some(level) => {
                d.level = level;
                true
            }
            None => false,
        });
        *diagnostics = drop_superseded(std::mem::take(diagnostics));
        diagnostics.retain(|d| !suppressions.covers(d.rule, d.span.line));
        sort(diagnostics);
    }

    fn lint_parsed(
        &self,
        source: &SourceFile,
        levels: &[Level],
    ) -> Result<(Vec<Diagnostic>, Deferred, Suppressions, Vec<ModDecl>), LintError> {
        let started = std::time::Instant::now();
        let input = source.parser_input();
        if let Some(deep) = crate::syntax::nesting::too_deep(&input) {
            return Err(too_deep_error(source, deep));
        }
        let rules = ActiveRules::new(
            self.rules
                .iter()
                .zip(levels)
                .enumerate()
                .filter(|&(_, (_, &level))| level != Level::Allow)
                .map(|(index, (&(rule, ref settings), _))| ActiveRule { rule, in_tests: settings.in_tests, index }),
        );
        // The walk skips test code when no rule reports there: then its
        // modules' bodies need not be parsed either.
        let parse = |text: &str| {
            if !rules.in_tests {
                crate::syntax::edition::parse_file_without_tests(text, source.edition())
            } else {
                crate::syntax::edition::parse_file(text, source.edition())
            }
        };
        // Doc comments are blanked out (no rule reads them); should that
        // ever make the file unreadable, the file as written is parsed.
        let file = match crate::syntax::doc_comments::blank_doc_lines(&input) {
            Some(blanked) => parse(&blanked).or_else(|_| parse(&input)),
            None => parse(&input),
        }
        .map_err(|e| parse_error(source, &e))?;
        let parsed = std::time::Instant::now();
        let mut rule_clock = self.clock.as_ref().map(|clock| clock.rule_clock());
        let (walked_file, suppressions) = {
            let arena = typed_arena::Arena::new();
            let walked = crate::walk::walk_file(
                source,
                &self.target,
                &self.workspace,
                &file,
                &arena,
                &rules,
                rule_clock.as_mut(),
            );
            (walked, Suppressions::find(source.text(), &file, REGISTRY))
        };
        let modules = crate::walk::modules::declarations(&file, source);
        let consts = crate::analysis::consts::module_consts(&file.items);
        let walked = std::time::Instant::now();
        drop(file);
        if let (Some(clock), Some(rule_clock)) = (&self.clock, rule_clock) {
            // Freeing the tree is part of the parse floor's cost too.
            clock.add_parse(parsed - started + walked.elapsed());
            clock.add_walk(walked - parsed, rule_clock);
        }
        let crate::walk::WalkedFile { emitted, items } = walked_file;
        let deferred = Deferred { pending: emitted.pending, items, consts, counts: emitted.counts };
        Ok((emitted.diagnostics, deferred, suppressions, modules))
    }
}

/// Whether a rule with `settings` reports in code of `role`.
fn reports_in(settings: &RuleSettings, role: Role) -> bool {
    match role {
        Role::Code => true,
        Role::Test => settings.in_tests,
        Role::BuildScript => settings.in_build_scripts,
    }
}

/// Sorts findings by file, line, column, rule and message, without duplicates.
fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then_with(|| a.message.cmp(&b.message)));
    diagnostics.dedup();
}

/// Drops every finding that a more specific rule's finding on overlapping
/// code supersedes ([`crate::RuleMeta::supersedes`]).
fn drop_superseded(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let supersedes = |winner: &Diagnostic, loser: &Diagnostic| {
        crate::rules::find(winner.rule).is_some_and(|rule| rule.meta().supersedes.contains(&loser.rule))
            && winner.span.start < loser.span.end
            && loser.span.start < winner.span.end
    };
    let keep: Vec<bool> = diagnostics.iter().map(|d| !diagnostics.iter().any(|other| supersedes(other, d))).collect();
    diagnostics.into_iter().zip(keep).filter_map(|(d, keep)| keep.then_some(d)).collect()
}

/// A file nested deeper than the parser's stack allows: reported like a
/// syntax error at the token that went past the limit, instead of parsing
/// it and aborting the process on a stack overflow.
fn too_deep_error(source: &SourceFile, deep: crate::syntax::nesting::TooDeep) -> LintError {
    let (line, column) = source.line_col(deep.offset);
    LintError::Parse {
        path: source.path().to_path_buf(),
        line,
        column,
        offset: deep.offset,
        message: format!(
            "nested too deeply: more than {} levels of {}; memlint stops there, as deeper nesting would overflow its parser's stack",
            deep.limit, deep.what
        ),
    }
}

fn parse_error(source: &SourceFile, error: &syn::Error) -> LintError {
    let span = error.span();
    let start = span.start();
    let (line, column, offset) = if start.line == 0 {
        // "unexpected end of input" has no location in the file: point at its end.
        let offset = source.text().len();
        let (line, column) = source.line_col(offset);
        (line, column, offset)
    } else {
        let offset = span.byte_range().start.min(source.text().len());
        (u32::try_from(start.line).unwrap_or(u32::MAX), u32::try_from(start.column + 1).unwrap_or(u32::MAX), offset)
    };
    let mut message = error.to_string();
    if message == "cannot parse string into token stream" {
        // proc-macro2's lexer error: say what it means.
        message = "unbalanced delimiter or invalid token: the file cannot be split into tokens".to_owned();
    }
    LintError::Parse { path: source.path().to_path_buf(), line, column, offset, message }
}

/// Clears proc-macro2's per-thread span map when a file is done (also on
/// unwind). Without this, parsing a large corpus on one thread was measured
/// 2.3x slower, with memory growing without bound.
struct SpanMapGuard;

impl Drop for SpanMapGuard {
    fn drop(&mut self) {
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}
