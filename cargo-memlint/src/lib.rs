//! `cargo memlint`: find the heap allocations a Rust program didn't need to make.
//!
//! The whole command line lives in this library, run by the binary's
//! `main`; the library exists so the fuzz targets can reach the readers of
//! untrusted files (configuration, baselines) that only the command uses.

/// `eprintln!` that never panics: with stderr closed (`2>&1 | head`), a
/// message is lost, not the run.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics (see [`errln`]).
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod baseline;
mod cache;
mod catalog;
mod check;
mod cli;
mod config;
mod diff_base;
mod discover;
mod fix;
#[doc(hidden)]
pub mod fuzzing;
mod levels;
mod modtree;
mod output;
mod profile;
#[cfg(test)]
mod scratch;
mod timings;
mod write_file;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use cli::{Cli, ColorChoice, Command, FailOn, LintArgs, OutputFormat};

/// Exit status: nothing reported.
pub(crate) const EXIT_CLEAN: u8 = 0;
/// Exit status: findings reported.
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage, configuration, I/O or parse error.
pub(crate) const EXIT_ERROR: u8 = 2;

/// Runs `cargo memlint` with the process's arguments.
pub fn main() -> ExitCode {
    let cli = Cli::from_env();
    let status = match &cli.command {
        None => run(&cli.lint, &cli.paths, &cli.fix, None),
        Some(Command::Profile(args)) => run(&args.lint, &[], &cli::FixArgs::default(), Some(args)),
        Some(Command::Diff(args)) => profile::diff(args, use_color(&cli.lint, std::io::stdout().is_terminal())),
        Some(Command::Rules { format }) => print(&catalog::rules(*format)),
        Some(Command::Explain { rule }) => explain(&cli.lint, rule),
        Some(Command::Init { dir, force }) => init(dir.as_deref(), *force),
    };
    ExitCode::from(status)
}

/// `cargo memlint explain RULE`.
fn explain(cli: &LintArgs, rule: &str) -> u8 {
    match catalog::lookup(rule) {
        Some(meta) => print(&catalog::explain(meta, use_color(cli, std::io::stdout().is_terminal()))),
        None => {
            errln!("error: no rule named `{rule}`");
            match lint_core::rules::did_you_mean(rule) {
                Some(suggestion) => errln!("  help: {suggestion}"),
                None => errln!("  help: `cargo memlint rules` lists every rule"),
            }
            EXIT_ERROR
        }
    }
}

/// Writes `text` to stdout.
pub(crate) fn print(text: &str) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => EXIT_CLEAN,
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            errln!("error: cannot write output: {e}");
            EXIT_ERROR
        }
    }
}

/// Whether to colour output that goes to a terminal when `to_terminal`.
pub(crate) fn use_color(cli: &LintArgs, to_terminal: bool) -> bool {
    match cli.color_choice() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// `--write-baseline`: records the findings; fails only if some files could
/// not be linted (the baseline would be incomplete).
fn write_baseline(outcome: &check::Outcome, path: &std::path::Path) -> u8 {
    let baseline = baseline::Baseline::of(&outcome.diagnostics);
    if let Err(e) = write_file::write_output(path, baseline.to_json().as_bytes()) {
        errln!("error: cannot write `{}`: {e}", path.display());
        return EXIT_ERROR;
    }
    let files: std::collections::BTreeSet<_> = outcome.diagnostics.iter().map(|d| &d.file).collect();
    errln!("memlint: recorded {} findings in {} files to `{}`", outcome.diagnostics.len(), files.len(), path.display());
    if outcome.has_errors() {
        errln!(
            "error: {} could not be linted or read; the baseline does not cover them",
            output::plural(outcome.errors.len() + outcome.problems.len(), "path")
        );
        return EXIT_ERROR;
    }
    EXIT_CLEAN
}

/// Says which baseline entries recorded more findings than there are now.
fn report_stale(stale: &[baseline::Stale], path: &std::path::Path) {
    if stale.is_empty() {
        return;
    }
    errln!(
        "memlint: {} baseline entries are stale (fewer findings than recorded); prune them with `cargo memlint --write-baseline {}`:",
        stale.len(),
        path.display()
    );
    for s in stale {
        errln!("  {}: {} {} -> {}", s.file, s.rule, s.recorded, s.found);
    }
}

/// Reads the settings (from `--config` or found above the workspace root),
/// drops the files they exclude from `plan`, and builds the linter: the
/// configured settings with the command line's level flags on top.
/// On an error, it is reported and the exit status returned.
fn configure(cli: &LintArgs, plan: &mut discover::Plan) -> Result<(lint_core::Linter, Arc<config::Config>), u8> {
    let loaded = match &cli.config {
        Some(path) => config::Config::load(path),
        None => config::Config::discover(&plan.root),
    };
    let config = match loaded {
        Ok(config) => Arc::new(config),
        Err(errors) => {
            let color = use_color(cli, std::io::stderr().is_terminal());
            for error in &errors {
                err!("{}", output::human::render_report(error, color));
            }
            let files: std::collections::BTreeSet<_> = errors.iter().map(|e| config::display(&e.path)).collect();
            errln!(
                "error: {} in the memlint configuration ({})",
                output::plural(errors.len(), "error"),
                files.into_iter().collect::<Vec<_>>().join(", ")
            );
            return Err(EXIT_ERROR);
        }
    };
    let manifests: std::collections::BTreeSet<&std::path::Path> =
        plan.targets.iter().map(|t| std::path::Path::new(&t.manifest_path)).collect();
    for warning in config::ignored_package_tables(&config, manifests) {
        errln!("warning: {warning}");
    }
    let before = plan.files.len();
    let (excluded, kept): (Vec<_>, Vec<_>) =
        std::mem::take(&mut plan.files).into_iter().partition(|entry| config.excludes(&entry.path));
    plan.files = kept;
    plan.excluded = excluded.into_iter().map(|entry| entry.path).collect();
    if cli.verbose {
        errln!("memlint: {}", config.describe());
        if plan.files.len() < before {
            errln!("memlint: `exclude` leaves out {} files", before - plan.files.len());
        }
    }
    let flags = match levels::resolve(&cli.level_flags) {
        Ok(flags) => flags,
        Err(e) => {
            errln!("error: {e}");
            return Err(EXIT_ERROR);
        }
    };
    let mut linter = lint_core::Linter::with_settings(|rule| config.rule_settings(rule.meta(), &flags))
        .with_target(config.target())
        .with_workspace_crates(plan.workspace_crates());
    let file_levels = config.file_levels(&plan.root, &flags);
    let file_levels = match clippy_lint_levels(plan) {
        // Each file takes its package's `[lints.clippy]` (the deepest
        // package directory holding it) on top of the configured levels.
        Some(packages) => {
            let base = file_levels;
            let levels: Arc<lint_core::FileLevels> = Arc::new(move |path, meta, level| {
                let level = base.as_ref().map_or(level, |base| base(path, meta, level));
                let package = packages
                    .iter()
                    .filter(|(dir, _)| path.starts_with(dir))
                    .max_by_key(|(dir, _)| dir.components().count());
                if package.is_some_and(|(_, rules)| rules.contains(&meta.name)) {
                    lint_core::Level::Allow
                } else {
                    level
                }
            });
            Some(levels)
        }
        None => file_levels,
    };
    if let Some(file_levels) = file_levels {
        linter = linter.with_file_levels(file_levels);
    }
    Ok((linter, config))
}

/// The rules each package's `[lints.clippy]` turns off, by package
/// directory relative to the root (as files are named); `None` when no
/// package turns any off.
fn clippy_lint_levels(plan: &discover::Plan) -> Option<Vec<(std::path::PathBuf, Vec<&'static str>)>> {
    let workspace = plan.root.join("Cargo.toml");
    let manifests: std::collections::BTreeSet<&std::path::Path> =
        plan.targets.iter().map(|t| std::path::Path::new(&t.manifest_path)).collect();
    let packages: Vec<_> = manifests
        .into_iter()
        .filter_map(|manifest| {
            let rules = config::cargo_lints::rules_allowed(manifest, &workspace);
            let dir = manifest.parent()?;
            let relative = dir.strip_prefix(&plan.root).unwrap_or(dir).to_path_buf();
            (!rules.is_empty()).then_some((relative, rules))
        })
        .collect();
    (!packages.is_empty()).then_some(packages)
}

/// `cargo memlint init`: writes the commented template as `memlint.toml`
/// in `dir` (default: the workspace root of the current directory).
fn init(dir: Option<&std::path::Path>, force: bool) -> u8 {
    let dir = match dir {
        Some(dir) => dir.to_path_buf(),
        None => match discover::workspace_root_of_cwd() {
            Ok(dir) => dir,
            Err(e) => {
                errln!("error: {e}");
                return EXIT_ERROR;
            }
        },
    };
    let path = dir.join(config::FILE_NAME);
    if path.exists() && !force {
        errln!("error: `{}` already exists\n  help: pass --force to replace it", path.display());
        return EXIT_ERROR;
    }
    let manifest = dir.join("Cargo.toml");
    if manifest.is_file() && config::Config::load(&manifest).is_ok() {
        errln!("error: `{}` already has memlint settings; a memlint.toml beside it would conflict", manifest.display());
        return EXIT_ERROR;
    }
    if let Err(e) = write_file::write(&path, config::template().as_bytes()) {
        errln!("error: cannot write `{}`: {e}", path.display());
        return EXIT_ERROR;
    }
    errln!("memlint: wrote `{}`; every setting in it is commented out at its default", path.display());
    EXIT_CLEAN
}

/// The cache of linted files for this run: none with `--no-cache`; in
/// `--cache-dir` (or `MEMLINT_CACHE_DIR`); else in the cargo target
/// directory (`memlint/cache`). Files linted outside any cargo project
/// get no cache unless a directory is given.
fn cache_for(cli: &LintArgs, plan: &discover::Plan) -> Option<cache::Cache> {
    if cli.no_cache {
        return None;
    }
    let dir = match &cli.cache_dir {
        Some(dir) => dir.clone(),
        None => plan.target_dir.as_ref()?.join("memlint").join("cache"),
    };
    Some(cache::Cache::new(&dir))
}

/// `--fix` and `--diff`, once the fixes are worked out: says what they did
/// and writes them (`--fix`: after the git check, and with `--verify` a
/// `cargo check` before and after) or prints them (`--diff`, which ends the
/// run). Returns the findings left, or the exit status.
fn apply_fixes(
    fixed: fix::Fixed,
    fixing: &cli::FixArgs,
    cli: &LintArgs,
    plan: &discover::Plan,
) -> Result<check::Outcome, u8> {
    for r in &fixed.refused {
        errln!(
            "warning: the fix of {} at {}:{} was not applied: the file would no longer parse ({})",
            r.rule,
            r.file.display(),
            r.line,
            r.error
        );
    }
    if fixed.unsettled {
        errln!("warning: fixes were still making new fixes after {} rounds; run --fix again", fixed.rounds);
    }
    let files = output::plural(fixed.changed.len(), "file");
    let fixes = output::plural(fixed.count(), "fix");
    if fixing.diff {
        // The files that could not be linted are not in the diff: say so.
        for e in &fixed.outcome.errors {
            errln!("error: {e}");
        }
        for p in &fixed.outcome.problems {
            errln!("error: {}: {}", p.path.display(), p.message);
        }
        let diff = fix::unified_diff(&fixed.changed);
        if print(&diff) != EXIT_CLEAN {
            return Err(EXIT_ERROR);
        }
        if !cli.quiet {
            errln!("memlint: {fixes} in {files} would be applied (--diff changes nothing)");
        }
        return Err(if fixed.outcome.has_errors() {
            EXIT_ERROR
        } else if fixed.changed.is_empty() {
            EXIT_CLEAN
        } else {
            EXIT_FINDINGS
        });
    }
    if fixed.changed.is_empty() {
        return Ok(fixed.outcome);
    }
    if !fixing.allow_dirty {
        let paths: Vec<&std::path::Path> = fixed.changed.iter().map(|c| c.path.as_path()).collect();
        match fix::dirty_files(&plan.root, &paths) {
            fix::DirtyCheck::Clean => {}
            fix::DirtyCheck::NotInGit(why) => {
                errln!("error: --fix would change {files} outside any git work tree ({why})");
                errln!("  help: a fix can't be undone without version control; pass --allow-dirty to fix anyway");
                return Err(EXIT_ERROR);
            }
            fix::DirtyCheck::Dirty(dirty) => {
                errln!("error: --fix would change {} with uncommitted changes:", output::plural(dirty.len(), "file"));
                for (path, status) in &dirty {
                    errln!("  {} ({status})", path.display());
                }
                errln!(
                    "  help: commit or stash them first, so the fixes can be reviewed and undone; or pass --allow-dirty"
                );
                return Err(EXIT_ERROR);
            }
        }
    }
    if fixing.verify
        && let Err(e) = fix::verify::cargo_check(cli)
    {
        errln!("error: --verify: `cargo check` fails before any fix, so it can't tell whether the fixes compile:\n{e}");
        return Err(EXIT_ERROR);
    }
    if let Err(e) = fix::write(&fixed.changed) {
        errln!("error: {e}");
        return Err(EXIT_ERROR);
    }
    if fixing.verify
        && let Err(e) = fix::verify::cargo_check(cli)
    {
        let restored = match fix::restore(&fixed.changed) {
            Ok(()) => format!("every fixed file was restored ({files})"),
            Err(e) => e,
        };
        errln!("error: --verify: `cargo check` fails after the fixes; {restored}:\n{e}");
        return Err(EXIT_ERROR);
    }
    if !cli.quiet {
        errln!("memlint: applied {fixes} in {files}");
        if cli.verbose {
            for c in &fixed.changed {
                errln!("  {} ({})", c.display.display(), output::plural(c.fixes, "fix"));
            }
        }
    }
    Ok(fixed.outcome)
}

/// `a`, `b` as the user wrote them.
fn quoted_paths(paths: &[std::path::PathBuf]) -> String {
    use std::fmt::Write as _;
    // About a short path's length each.
    let mut quoted = String::with_capacity(paths.len() * 32);
    for (i, path) in paths.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(quoted, "{sep}`{}`", path.display());
    }
    quoted
}

/// Checks, before any work, that every output the run will write can be
/// written, and that at most one of them goes to standard output.
fn check_outputs(cli: &LintArgs, fixing: &cli::FixArgs) -> Result<(), String> {
    let named = [
        ("--output", &cli.output),
        ("--json-file", &cli.json_file),
        ("--sarif-file", &cli.sarif_file),
        ("--short-file", &cli.short_file),
        ("--write-baseline", &cli.write_baseline),
    ];
    let mut to_stdout = Vec::new();
    for (flag, path) in named {
        let Some(path) = path else { continue };
        write_file::Destination::named(path)
            .and_then(|destination| destination.check())
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        if write_file::is_stdout(path) && flag != "--output" {
            to_stdout.push(format!("`{flag} -`"));
        }
    }
    // Standard output carries the report or the diff, unless `-o FILE`
    // sends it elsewhere; `--write-baseline` writes the baseline alone.
    let main = if cli.write_baseline.is_some() {
        to_stdout.retain(|flag| flag == "`--write-baseline -`");
        None
    } else if fixing.diff {
        Some("the diff")
    } else {
        cli.output.as_deref().is_none_or(write_file::is_stdout).then_some("the report")
    };
    to_stdout.splice(0..0, main.map(str::to_owned));
    if to_stdout.len() > 1 {
        return Err(format!(
            "{} would all write to standard output\n  help: send all but one of them to a file (`-o FILE` for the report)",
            to_stdout.join(", ")
        ));
    }
    Ok(())
}

/// Renders an outcome in one format.
type Render = fn(&check::Outcome) -> String;

fn run(cli: &LintArgs, paths: &[std::path::PathBuf], fixing: &cli::FixArgs, workload: Option<&cli::ProfileArgs>) -> u8 {
    let started = Instant::now();
    // A file memlint cannot write fails the run before any work, not after it.
    if let Err(e) = check_outputs(cli, fixing) {
        errln!("error: {e}");
        return EXIT_ERROR;
    }
    let mut plan = match discover::plan(cli, paths) {
        Ok(plan) => plan,
        // Profiling runs a cargo target: linting paths is no way out.
        Err(discover::DiscoverError::NoManifest { dir }) if workload.is_some() => {
            errln!(
                "error: could not find `Cargo.toml` in `{}` or any parent directory\n  help: run `cargo memlint profile` in the package of the program to profile, or pass --manifest-path",
                dir.display()
            );
            return EXIT_ERROR;
        }
        Err(e) => {
            errln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    if plan.files.is_empty() && plan.problems.is_empty() && !cli.quiet {
        // A CI job pointed at the wrong directory should not pass unnoticed.
        let place = if paths.is_empty() { "the workspace".to_owned() } else { quoted_paths(paths) };
        errln!("warning: no Rust files to lint in {place}");
    }
    if cli.verbose {
        if plan.packages.is_empty() {
            errln!("memlint: linting {} files", plan.files.len());
        } else {
            errln!("memlint: linting {} files of {}", plan.files.len(), plan.packages.join(", "));
        }
        for entry in &plan.files {
            errln!("  {}", entry.display.display());
        }
    }
    let discovered = Instant::now();
    let (mut linter, config) = match configure(cli, &mut plan) {
        Ok(configured) => configured,
        Err(status) => return status,
    };
    if cli.timings {
        linter = linter.with_timings();
    }
    let phases = timings::Phases { discover: discovered - started, configure: discovered.elapsed() };
    let cache = cache_for(cli, &plan);
    if cli.verbose {
        match &cache {
            Some(cache) => errln!("memlint: cache in `{}`", cache.dir().display()),
            None => errln!("memlint: no cache"),
        }
    }
    // A missing revision fails before any work is done.
    let changed = match &cli.diff_base {
        Some(rev) if cli.write_baseline.is_none() => match diff_base::ChangedLines::since(rev, &plan.root) {
            Ok(changed) => Some(changed),
            Err(e) => {
                errln!("error: {e}");
                return EXIT_ERROR;
            }
        },
        _ => None,
    };
    let context = (workload.is_some() || !cli.profile_file.is_empty()).then(|| profile::Context::of(&plan));
    let mut outcome = if fixing.fixing() {
        let fixed = fix::run(&linter, &plan, config.max_file_size(), started, cache.as_ref(), fixing);
        match apply_fixes(fixed, fixing, cli, &plan) {
            Ok(outcome) => outcome,
            Err(status) => return status,
        }
    } else {
        let sources = check::Sources { max_file_size: config.max_file_size(), overlay: None };
        check::run(&linter, plan, &sources, started, cache.as_ref())
    };
    if cli.verbose && !outcome.outside.is_empty() {
        errln!(
            "memlint: {} under the targets' directories that no target's module tree reaches, not linted:",
            output::plural(outcome.outside.len(), "file")
        );
        for path in &outcome.outside {
            errln!("  {}", path.display());
        }
    }
    if let Some(cache) = &cache
        && outcome.stats.cache_misses > 0
    {
        cache.prune_other_builds();
        for warning in cache.damage_report() {
            errln!("{warning}");
        }
    }
    let timings = cli.timings.then(|| timings::Report::new(phases, linter.timings(), cache.as_ref().map(|c| c.dir())));
    if let Some(path) = &cli.write_baseline {
        return write_baseline(&outcome, path);
    }
    if let Some(path) = &cli.baseline {
        match baseline::Baseline::read(path) {
            Ok(baseline) => {
                let applied = baseline.apply(&mut outcome.diagnostics);
                outcome.baselined = applied.hidden;
                report_stale(&applied.stale, path);
            }
            Err(e) => {
                errln!("error: {e}");
                return EXIT_ERROR;
            }
        }
    }

    if let Some(changed) = &changed {
        let before = outcome.diagnostics.len();
        let root = outcome.root.clone();
        outcome.diagnostics.retain(|d| changed.touches(&root.join(&d.file), d.span.line, d.span.end_line));
        outcome.unchanged = before - outcome.diagnostics.len();
    }

    if let Some(context) = &context {
        match profile::gather(cli, workload, context, &outcome) {
            Ok(runtime) => outcome.runtime = Some(runtime),
            Err(status) => return status,
        }
    }
    // After the profile, whose phases it reports.
    outcome.timings = timings.as_ref().map(|t| t.to_json(&outcome));

    let output_started = Instant::now();
    let output_file = cli.output.as_deref().filter(|path| !write_file::is_stdout(path));
    let to_terminal = output_file.is_none() && std::io::stdout().is_terminal();
    let color = use_color(cli, to_terminal);
    let rendered = match cli.output_format {
        _ if cli.statistics => output::statistics::render(&outcome),
        OutputFormat::Human if outcome.runtime.as_ref().is_some_and(|r| r.report) => {
            output::profile::render(&outcome, color)
        }
        OutputFormat::Human => output::human::render(&outcome, color),
        OutputFormat::Short => output::short::render(&outcome),
        OutputFormat::Json => output::json::render(&outcome),
        OutputFormat::Github => output::github::render(&outcome),
        OutputFormat::Sarif => output::sarif::render(&outcome),
        OutputFormat::CargoJson => output::cargo_json::render(&outcome),
    };
    let summary = output::summary_line(&outcome);
    // The summary follows human output on stdout; it goes to stderr when
    // stdout carries a machine format or the output goes to a file.
    let summary_on_stdout = cli.output_format == OutputFormat::Human && output_file.is_none();
    let extra_files: [(&Option<std::path::PathBuf>, Render); 3] = [
        (&cli.json_file, output::json::render),
        (&cli.sarif_file, output::sarif::render),
        (&cli.short_file, output::short::render),
    ];
    for (path, render) in extra_files {
        if let Some(path) = path
            && let Err(e) = write_file::write_output(path, render(&outcome).as_bytes())
            && !e.is_broken_pipe()
        {
            errln!("error: cannot write `{}`: {e}", path.display());
            return EXIT_ERROR;
        }
    }
    let written = match output_file {
        Some(path) => {
            write_file::write(path, rendered.as_bytes()).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            let mut text = rendered;
            if summary_on_stdout && !cli.quiet {
                text.push_str(&summary);
                text.push('\n');
            }
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                // A closed pipe (`| head`): the reader has what it wanted.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                written => written.map_err(|e| format!("cannot write output: {e}")),
            }
        }
    };
    if !summary_on_stdout && !cli.quiet {
        errln!("{summary}");
    }
    if let Some(timings) = &timings {
        err!("{}", timings.render(&outcome, output_started.elapsed()));
    }
    if let Err(e) = written {
        errln!("error: {e}");
        return EXIT_ERROR;
    }
    let threshold = match cli.fail_on.or(config.settings.fail_on).unwrap_or(FailOn::Warn) {
        FailOn::Warn => lint_core::Level::Warn,
        FailOn::Deny => lint_core::Level::Deny,
    };
    let failing = match &outcome.runtime {
        // A profile run fails on the findings the workload confirmed.
        Some(runtime) if runtime.report => outcome
            .diagnostics
            .iter()
            .zip(&runtime.join.evidence)
            .any(|(d, evidence)| evidence.is_some() && d.level >= threshold),
        _ => outcome.diagnostics.iter().any(|d| d.level >= threshold),
    };
    if outcome.has_errors() || outcome.runtime.as_ref().is_some_and(|r| r.failed_runs() > 0) {
        EXIT_ERROR
    } else if failing && !cli.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
