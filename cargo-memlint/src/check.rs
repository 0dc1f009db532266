//! Lints the planned files in parallel and gathers the results in a
//! deterministic order.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lint_core::semantic::crate_index::{CrateIndex, WorkspaceCrates};
use lint_core::syntax::edition::Edition;
use lint_core::{Diagnostic, Level, LintError, LintedFile, Linter, Role, SourceFile};
use rayon::prelude::*;

use crate::cache::{Cache, Key, Lookup};
use crate::discover::{CrateLink, Entry, Plan, Problem, TargetInfo};
use crate::modtree::{self, Modules, Reach, Root};

/// Everything a run found.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// Findings, sorted by file, line, column and rule; `file` is the display path.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Text of the files with findings, by display path, for snippets.
    pub(crate) sources: BTreeMap<PathBuf, Arc<str>>,
    /// Files that could not be linted, in file order.
    pub(crate) errors: Vec<LintError>,
    /// Paths that could not be walked.
    pub(crate) problems: Vec<Problem>,
    /// Files not linted, for a reason that doesn't fail the run.
    pub(crate) notes: Vec<Note>,
    /// Files under a target's directory that no module tree reaches (display
    /// paths): not compiled, so not linted.
    pub(crate) outside: Vec<PathBuf>,
    /// Files linted successfully.
    pub(crate) files_linted: usize,
    /// The directory display paths are relative to.
    pub(crate) root: PathBuf,
    /// Number of rules that ran.
    pub(crate) rules: usize,
    /// Wall time of discovery and linting.
    pub(crate) elapsed: Duration,
    /// Findings a baseline hid.
    pub(crate) baselined: usize,
    /// Findings `--diff-base` hid (on lines that did not change).
    pub(crate) unchanged: usize,
    /// The cargo targets of the files (workspace mode).
    pub(crate) targets: Vec<TargetInfo>,
    /// Each file's target, by display path.
    pub(crate) file_targets: BTreeMap<PathBuf, usize>,
    /// Heap-profile evidence for the findings (`profile`, `--profile-file`).
    pub(crate) runtime: Option<crate::profile::Runtime>,
    /// What the file and crate phases cost (for `--timings`).
    pub(crate) stats: Stats,
    /// The `--timings` report, for JSON output.
    pub(crate) timings: Option<serde_json::Value>,
}

/// A file memlint did not lint, said as a note: the crate compiles all the
/// same, so the run does not fail.
#[derive(Debug)]
pub(crate) struct Note {
    pub(crate) error: LintError,
    pub(crate) why: NoteReason,
}

/// Why a file that could not be linted is no error of the crate's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoteReason {
    /// It is reached only through `mod`s under `#[cfg]` or in macro calls:
    /// it may never be compiled (a deliberate `compile_error!` fragment).
    Conditional,
    /// Code of an old edition that memlint's parser can't read.
    Edition(Edition),
}

/// What the file phase works with.
struct FilePhase<'a> {
    linter: &'a Linter,
    sources: &'a Sources<'a>,
    cache: Option<&'a Cache>,
    clocks: &'a Clocks,
    /// The directory display paths are relative to.
    root: &'a Path,
    /// Files that `exclude` leaves out (normalized paths).
    excluded: &'a BTreeSet<PathBuf>,
    /// Every planned file, of every package (normalized paths).
    planned: &'a std::collections::HashSet<PathBuf>,
    /// Which crates of the workspace each package's code may name.
    links: &'a [CrateLink],
    /// The indexes of the crates the workspace phase needs (another
    /// package's code names them, or their own findings wait for it), by
    /// package directory.
    indexes: Mutex<HashMap<PathBuf, CrateIndex>>,
}

/// What linting the files cost.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    /// Bytes of source read.
    pub(crate) bytes: u64,
    /// Reading files and hashing them for the cache, summed over threads.
    pub(crate) read: Duration,
    /// Reading, decoding and writing cache entries, summed over threads.
    pub(crate) cache: Duration,
    /// Files whose result came from the cache, and files linted with a cache on.
    pub(crate) cache_hits: u64,
    pub(crate) cache_misses: u64,
    /// Wall time of linting every file, in parallel, crate phases included
    /// (each package's runs as soon as its last file is linted).
    pub(crate) file_phase: Duration,
}

/// Thread times the file phase adds up.
#[derive(Debug, Default)]
struct Clocks {
    bytes: AtomicU64,
    read_ns: AtomicU64,
    cache_ns: AtomicU64,
}

impl Clocks {
    fn add(counter: &AtomicU64, since: Instant) {
        counter.fetch_add(u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }
}

impl Outcome {
    pub(crate) fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }

    /// The text of `line` (1-based) of a file with findings; empty if unknown.
    pub(crate) fn line_text(&self, file: &Path, line: u32) -> &str {
        self.sources.get(file).and_then(|text| text.lines().nth(line.saturating_sub(1) as usize)).unwrap_or("")
    }

    /// Whether anything stopped a file from being linted.
    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.is_empty() || !self.problems.is_empty()
    }
}

/// What is kept of a linted file once its crate is done: its findings, and
/// its text only if it has findings (for snippets). Keeping every file's
/// text until the end made peak memory grow with the size of the workspace.
struct Done {
    diagnostics: Vec<Diagnostic>,
    text: Option<Arc<str>>,
}

/// The files of one package (one crate to the rules), gathered as they are
/// linted; the thread that lints the last one follows the package's module
/// tree and runs the crate phase.
struct Unit {
    /// The package's directory.
    dir: PathBuf,
    size: usize,
    linted: Mutex<Vec<(Entry, Result<LintedFile, LintError>)>>,
    /// The roots of the package's targets (workspace mode); `None` in path
    /// mode, where the given files that no other one reaches are the roots.
    roots: Option<Vec<Root>>,
}

/// Groups the planned files by package: each file's unit, and the units.
fn units(plan: &Plan) -> (Vec<usize>, Vec<Unit>) {
    let mut index: BTreeMap<&Path, usize> = BTreeMap::new();
    let mut dirs = Vec::new();
    let mut sizes = Vec::new();
    let of_file = plan
        .files
        .iter()
        .map(|entry| {
            let unit = *index.entry(&entry.unit).or_insert_with(|| {
                sizes.push(0);
                dirs.push(entry.unit.as_path());
                sizes.len() - 1
            });
            sizes[unit] += 1;
            unit
        })
        .collect();
    let units = sizes
        .into_iter()
        .zip(dirs)
        .map(|(size, dir)| Unit {
            dir: dir.to_path_buf(),
            size,
            linted: Mutex::new(Vec::new()),
            roots: roots_of(plan, dir),
        })
        .collect();
    (of_file, units)
}

/// The root files of the targets of the package in `dir`, and what their
/// code is; `None` in path mode.
fn roots_of(plan: &Plan, dir: &Path) -> Option<Vec<Root>> {
    if plan.targets.is_empty() {
        return None;
    }
    let roots = plan
        .targets
        .iter()
        .filter(|t| Path::new(&t.manifest_path).parent() == Some(dir) && Path::new(&t.src_path).starts_with(dir))
        .map(|t| {
            let role = if t.kind.iter().any(|k| k == "test") {
                Role::Test
            } else if t.kind.iter().any(|k| k == "custom-build") {
                Role::BuildScript
            } else {
                Role::Code
            };
            Root { path: modtree::normalize(Path::new(&t.src_path)), role, mod_rs: Some(true) }
        })
        .collect();
    Some(roots)
}

/// What became of a planned file.
enum Settled {
    Linted(Done),
    Failed(LintError),
    Noted(Note),
    /// In workspace mode, a file no target's module tree reaches.
    Outside(PathBuf),
    /// A file with findings that wait on other crates of the workspace,
    /// and its package's directory.
    Waiting(Box<LintedFile>, PathBuf),
}

/// Records a linted file; when it completes its unit, follows the module
/// tree, runs the crate phase over the unit's files and returns them, done.
fn complete(
    files: &FilePhase<'_>,
    unit: &Unit,
    entry: &Entry,
    result: Result<LintedFile, LintError>,
) -> Vec<(PathBuf, Settled)> {
    let mut batch = {
        let mut linted = unit.linted.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        linted.push((entry.clone(), result));
        if linted.len() < unit.size {
            return Vec::new();
        }
        std::mem::take(&mut *linted)
    };
    let reached = follow_modules(files, unit, &mut batch);
    let mut settled = Vec::with_capacity(batch.len());
    let mut linted = Vec::with_capacity(batch.len());
    for (entry, result) in batch {
        let path = modtree::normalize(&entry.path);
        let Some(reach) = reached.get(&path) else {
            settled.push((entry.display.clone(), Settled::Outside(entry.display)));
            continue;
        };
        match result {
            Ok(mut file) => {
                files.linter.assign_role(&mut file, reach.role);
                if let Some(module) = &reach.module {
                    files.linter.assign_module(&mut file, module.clone());
                }
                linted.push((entry.display, file));
            }
            Err(e) => settled.push((entry.display, settle_error(e, reach, entry.edition))),
        }
    }
    let index = files.linter.finish_crate(linted.iter_mut().map(|(_, file)| file));
    let waits = linted.iter().any(|(_, file)| file.waits_for_workspace());
    if waits || files.links.iter().any(|link| link.to == unit.dir) {
        files.indexes.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(unit.dir.clone(), index);
    }
    settled.extend(linted.into_iter().map(|(display, file)| match file.waits_for_workspace() {
        true => (display, Settled::Waiting(Box::new(file), unit.dir.clone())),
        false => (display, Settled::Linted(Done::of(file))),
    }));
    settled
}

impl Done {
    fn of(file: LintedFile) -> Done {
        let text = (!file.diagnostics.is_empty()).then(|| Arc::from(file.source.text()));
        Done { text, diagnostics: file.diagnostics }
    }
}

/// The workspace phase: decides the findings of `file` (of the package
/// in `dir`) that wait on other crates of the workspace, against the
/// indexes of the crates its package's code names.
fn finish_waiting(files: &FilePhase<'_>, mut file: LintedFile, dir: &Path) -> Done {
    let indexes = files.indexes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(own) = indexes.get(dir) {
        let mut workspace = WorkspaceCrates::default();
        for link in files.links.iter().filter(|link| link.from == dir) {
            if let Some(index) = indexes.get(&link.to) {
                workspace.insert(link.name.clone(), index);
            }
        }
        files.linter.finish_workspace(std::iter::once(&mut file), own, &workspace);
    }
    Done::of(file)
}

/// Follows the unit's module tree; lints the files it reaches outside the
/// planned ones (a `#[path]` to another directory) into `batch`. Returns
/// where each reached file was reached from; in path mode, every file is.
fn follow_modules(
    files: &FilePhase<'_>,
    unit: &Unit,
    batch: &mut Vec<(Entry, Result<LintedFile, LintError>)>,
) -> HashMap<PathBuf, Reach> {
    let planned: BTreeSet<PathBuf> = batch.iter().map(|(e, _)| modtree::normalize(&e.path)).collect();
    // Files declared but not planned are linted and the tree followed again;
    // each round adds files, so a few rounds settle it.
    for _ in 0..8 {
        let at: HashMap<PathBuf, usize> =
            batch.iter().enumerate().map(|(i, (e, _))| (modtree::normalize(&e.path), i)).collect();
        let modules = |path: &Path| match at.get(path).map(|&i| &batch[i].1) {
            Some(Ok(file)) => Modules::Declares(file.modules()),
            Some(Err(_)) => Modules::Unknown,
            None if files.excluded.contains(path) => Modules::Unknown,
            None => Modules::NotLinted,
        };
        let exists = |path: &Path| at.contains_key(path) || files.excluded.contains(path) || path.is_file();
        let roots = match &unit.roots {
            Some(roots) => roots.clone(),
            None => path_mode_roots(batch, &modules),
        };
        let mut reached = modtree::reach(&roots, modules, &planned, exists);
        // Only Rust files: `include!("../data/x.rs.data")` is generated data,
        // `#[path = "notes.md"]` a module of doc comments. Files another
        // package plans are linted there.
        let extra: Vec<PathBuf> = reached
            .keys()
            .filter(|p| !at.contains_key(*p) && !files.excluded.contains(*p) && !files.planned.contains(*p))
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .cloned()
            .collect();
        if extra.is_empty() {
            if unit.roots.is_none() {
                // Path mode lints what it is given, in a cycle of `mod`s too.
                for (entry, _) in batch.iter() {
                    let path = modtree::normalize(&entry.path);
                    // Its place in a module tree is not known.
                    reached.entry(path).or_insert(Reach { role: Role::Code, conditional: false, module: None });
                }
            }
            return reached;
        }
        let template = batch.first().map(|(e, _)| e.clone());
        for path in extra {
            let Some(template) = &template else { break };
            let display = path.strip_prefix(files.root).map_or_else(|_| path.clone(), Path::to_path_buf);
            let entry = Entry { path: path.clone(), display, target: None, ..template.clone() };
            let result = lint_entry(files.linter, &entry, files.sources, files.cache, files.clocks);
            batch.push((entry, result));
        }
    }
    HashMap::new()
}

/// In path mode, the roots are the given files that no other given file
/// reaches through its `mod` declarations.
fn path_mode_roots<'a>(
    batch: &[(Entry, Result<LintedFile, LintError>)],
    modules: &impl Fn(&Path) -> Modules<'a>,
) -> Vec<Root> {
    let paths: BTreeSet<PathBuf> = batch.iter().map(|(e, _)| modtree::normalize(&e.path)).collect();
    let mut reached_by_others = BTreeSet::new();
    for path in &paths {
        if let Modules::Declares(decls) = modules(path) {
            let children = modtree::declared_files(path, None, decls, |p| paths.contains(p));
            reached_by_others.extend(children.into_iter().filter(|child| child != path));
        }
    }
    paths
        .into_iter()
        .filter(|p| !reached_by_others.contains(p))
        .map(|path| Root { path, role: Role::Code, mod_rs: None })
        .collect()
}

/// A file that could not be linted: an error, or a note when the crate
/// compiles all the same (a module compiled only under some `#[cfg]`, 2015
/// code that memlint can't read).
fn settle_error(error: LintError, reach: &Reach, edition: Edition) -> Settled {
    match error {
        LintError::Parse { .. } if reach.conditional => Settled::Noted(Note { error, why: NoteReason::Conditional }),
        LintError::Parse { .. } if edition == Edition::E2015 => {
            Settled::Noted(Note { error, why: NoteReason::Edition(edition) })
        }
        error => Settled::Failed(error),
    }
}

/// Thread stack size for linting: syn's parser recurses per nesting level,
/// and deeply nested generated code must not overflow the default 2 MiB.
/// Files deeper than `lint_core::syntax::nesting::MAX_NESTING` (20,000
/// levels of blocks took ~100 MiB, measured) are reported, not parsed.
/// Address space only: pages a thread never touches are never used.
pub(crate) const STACK_SIZE: usize = 256 << 20;

/// Lints one file, or takes the result of its file phase from the cache.
fn lint_entry(
    linter: &Linter,
    entry: &Entry,
    sources: &Sources<'_>,
    cache: Option<&Cache>,
    clocks: &Clocks,
) -> Result<LintedFile, LintError> {
    let started = Instant::now();
    let source = match sources.overlay.and_then(|overlay| overlay.get(&entry.path)) {
        Some(text) => SourceFile::new(entry.display.clone(), text),
        None => SourceFile::read_at_most(&entry.path, entry.display.clone(), sources.max_file_size)?,
    }
    .with_edition(entry.edition);
    clocks.bytes.fetch_add(source.text().len() as u64, Ordering::Relaxed);
    let Some(cache) = cache else {
        Clocks::add(&clocks.read_ns, started);
        return linter.lint_crate_text(source);
    };
    let config = format!("{} edition {}", linter.config_key(&entry.display), entry.edition.year());
    let key = Key::new(&entry.display, source.text(), &config);
    Clocks::add(&clocks.read_ns, started);
    let looked_up = Instant::now();
    let cached = match cache.load(&key) {
        Lookup::Found(bytes) => linter
            .read_cache_entry(&entry.display, &bytes)
            .map_err(|e| cache.damaged(&entry.display, e.to_string()))
            .ok(),
        Lookup::Missing => None,
        Lookup::Damaged(reason) => {
            cache.damaged(&entry.display, reason);
            None
        }
    };
    Clocks::add(&clocks.cache_ns, looked_up);
    if let Some(cached) = cached {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        return Ok(cached.with_source(source));
    }
    // A miss, or an entry that can't be used: lint, and (re)write the entry.
    cache.misses.fetch_add(1, Ordering::Relaxed);
    let file = linter.lint_crate_text(source)?;
    let storing = Instant::now();
    if let Some(bytes) = file.to_cache_bytes() {
        cache.store(&key, &bytes);
    }
    Clocks::add(&clocks.cache_ns, storing);
    Ok(file)
}

/// Where the texts of the files come from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sources<'a> {
    /// Larger files are listed as errors, not read.
    pub(crate) max_file_size: u64,
    /// Texts to lint instead of the files' contents, by file path: fixes
    /// not written (yet).
    pub(crate) overlay: Option<&'a std::collections::HashMap<PathBuf, String>>,
}

/// Lints the files of `plan`.
pub(crate) fn run(
    linter: &Linter,
    mut plan: Plan,
    sources: &Sources<'_>,
    started: Instant,
    cache: Option<&Cache>,
) -> Outcome {
    let clocks = Clocks::default();
    let mut stats = Stats::default();
    let excluded: BTreeSet<PathBuf> = plan.excluded.iter().map(|p| modtree::normalize(p)).collect();
    let planned = plan.files.iter().map(|e| modtree::normalize(&e.path)).collect();
    let root = plan.root.clone();
    let links = std::mem::take(&mut plan.links);
    let files = FilePhase {
        linter,
        sources,
        cache,
        clocks: &clocks,
        root: &root,
        excluded: &excluded,
        planned: &planned,
        links: &links,
        indexes: Mutex::new(HashMap::new()),
    };
    let lint_all = || {
        let started = Instant::now();
        let (unit_of, units) = units(&plan);
        let mut done: Vec<(PathBuf, Settled)> = plan
            .files
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, entry)| {
                let result = lint_entry(linter, entry, sources, cache, &clocks);
                complete(&files, &units[unit_of[i]], entry, result)
            })
            .collect();
        done.sort_by(|a, b| a.0.cmp(&b.0));
        (done, started.elapsed())
    };
    // A panic inside a rule is caught per file and reported as an internal
    // error with its message; the default hook would also dump it on stderr.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (results, file_phase) = match rayon::ThreadPoolBuilder::new().stack_size(STACK_SIZE).build() {
        Ok(pool) => pool.install(lint_all),
        Err(_) => lint_all(),
    };
    std::panic::set_hook(previous_hook);
    let nanos = |counter: &AtomicU64| Duration::from_nanos(counter.load(Ordering::Relaxed));
    stats.bytes = clocks.bytes.load(Ordering::Relaxed);
    stats.read = nanos(&clocks.read_ns);
    stats.cache = nanos(&clocks.cache_ns);
    stats.file_phase = file_phase;
    if let Some(cache) = cache {
        stats.cache_hits = cache.hits.load(Ordering::Relaxed);
        stats.cache_misses = cache.misses.load(Ordering::Relaxed);
    }
    let mut outcome = Outcome {
        diagnostics: Vec::new(),
        sources: BTreeMap::new(),
        errors: Vec::new(),
        problems: plan.problems,
        notes: Vec::new(),
        outside: Vec::new(),
        files_linted: 0,
        root: plan.root,
        rules: linter.rule_names().count(),
        elapsed: Duration::ZERO,
        baselined: 0,
        unchanged: 0,
        runtime: None,
        stats,
        timings: None,
        file_targets: plan.files.iter().filter_map(|e| Some((e.display.clone(), e.target?))).collect(),
        targets: plan.targets,
    };
    for (_, settled) in results {
        let linted = match settled {
            Settled::Linted(file) => Some(file),
            Settled::Waiting(file, dir) => Some(finish_waiting(&files, *file, &dir)),
            Settled::Failed(e) => {
                outcome.errors.push(e);
                None
            }
            Settled::Noted(note) => {
                outcome.notes.push(note);
                None
            }
            Settled::Outside(path) => {
                outcome.outside.push(path);
                None
            }
        };
        if let Some(file) = linted {
            outcome.files_linted += 1;
            if let Some(text) = file.text {
                let path = file.diagnostics[0].file.clone();
                outcome.sources.insert(path, text);
                outcome.diagnostics.extend(file.diagnostics);
            }
        }
    }
    // Files are already in order; findings within a file are sorted by the engine.
    outcome.elapsed = started.elapsed();
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(dir: &std::path::Path, name: &str) -> Entry {
        Entry {
            path: dir.join(name),
            display: PathBuf::from(name),
            unit: dir.to_path_buf(),
            target: None,
            edition: lint_core::syntax::edition::Edition::default(),
        }
    }

    /// A file deleted (or made unreadable) between the walk and its reading
    /// is listed with the operating system's error; the others are linted.
    #[test]
    fn a_file_gone_before_its_reading_is_listed() {
        let dir = crate::scratch::Scratch::new("check-gone");
        let grows = "pub fn f(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n";
        std::fs::write(dir.join("a.rs"), grows).expect("a.rs");
        std::fs::write(dir.join("b.rs"), grows).expect("b.rs");
        let plan = Plan {
            root: dir.to_path_buf(),
            files: vec![entry(&dir, "a.rs"), entry(&dir, "b.rs")],
            packages: Vec::new(),
            targets: Vec::new(),
            problems: Vec::new(),
            excluded: Vec::new(),
            target_dir: None,
            links: Vec::new(),
        };
        std::fs::remove_file(dir.join("b.rs")).expect("delete b.rs after the walk");
        let outcome =
            run(&Linter::default(), plan, &Sources { max_file_size: u64::MAX, overlay: None }, Instant::now(), None);
        let errors: Vec<String> = outcome.errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors, ["b.rs: cannot read file: No such file or directory (os error 2)"]);
        let found: Vec<(&Path, &str)> = outcome.diagnostics.iter().map(|d| (d.file.as_path(), d.rule)).collect();
        assert_eq!(found, [(Path::new("a.rs"), "vec_push_without_capacity")]);
        assert!(outcome.has_errors());
    }
}
