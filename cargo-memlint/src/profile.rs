//! Heap profiles as evidence: `cargo memlint profile` (build, run under a
//! profiler, join), `--profile-file` on a lint run, and `cargo memlint diff`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dhat_runner::detect::DhatSetup;
use dhat_runner::runner::{self, Backend, Execution, TargetKind, Workload};
use dhat_runner::{FindingRef, Join, MemtrackReport, Profile, Site, Workspace};

use crate::check::Outcome;
use crate::cli::{BackendArg, DiffArgs, DiffFormat, LintArgs, ProfileArgs};
use crate::discover::{Plan, TargetInfo};
use crate::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};

/// What a profile needs to know of the planned run (the plan itself is
/// consumed by linting).
#[derive(Debug)]
pub(crate) struct Context {
    root: PathBuf,
    files: Vec<PathBuf>,
    targets: Vec<TargetInfo>,
    target_dir: Option<PathBuf>,
}

impl Context {
    pub(crate) fn of(plan: &Plan) -> Context {
        let cwd = std::env::current_dir().unwrap_or_default();
        Context {
            root: plan.root.clone(),
            files: plan.files.iter().map(|e| cwd.join(&e.path)).collect(),
            targets: plan.targets.clone(),
            target_dir: plan.target_dir.clone(),
        }
    }

    fn workspace(&self) -> Workspace {
        Workspace::new(&self.root, self.files.iter().cloned())
    }
}

/// A profile that was joined.
#[derive(Debug)]
pub(crate) struct Source {
    pub(crate) path: PathBuf,
    pub(crate) producer: &'static str,
    pub(crate) command: String,
}

/// A finding's function as `#[memtrack]` counted it.
#[derive(Debug, Clone)]
pub(crate) struct Calls {
    pub(crate) function: String,
    pub(crate) calls: u64,
}

/// The runtime evidence of a run.
#[derive(Debug)]
pub(crate) struct Runtime {
    /// Evidence per finding of the outcome, hot spots, sites and totals.
    pub(crate) join: Join,
    /// The profiles joined.
    pub(crate) sources: Vec<Source>,
    /// The processes run (`profile`; empty with `--profile-file`).
    pub(crate) runs: Vec<Execution>,
    /// `#[memtrack]` call counts of each finding's function, when reported.
    pub(crate) calls: Vec<Option<Calls>>,
    /// `cargo memlint profile`: human output is the profile report.
    pub(crate) report: bool,
    /// How many hot spots to show.
    pub(crate) top: usize,
    /// Where the profile's time went (`--timings`).
    pub(crate) phases: ProfilePhases,
    /// `-v`: stacks are shown whole, the frames inside libraries included.
    pub(crate) verbose: bool,
    /// The workspace's `#[global_allocator]` statics, read when valgrind saw
    /// none of Rust's allocations (the allocator is the likely cause).
    pub(crate) global_allocators: Vec<GlobalAllocator>,
}

/// A `#[global_allocator]` static of the workspace.
#[derive(Debug, Clone)]
pub(crate) struct GlobalAllocator {
    /// Workspace-relative file.
    pub(crate) file: String,
    /// Line of the `static`.
    pub(crate) line: u32,
    /// The `static` line's text.
    pub(crate) text: String,
}

impl Runtime {
    /// A valgrind profile with blocks, none of them through Rust's
    /// allocator: the program's global allocator doesn't call `malloc`, and
    /// valgrind saw only C code's allocations.
    pub(crate) fn blind_to_rust(&self) -> bool {
        let totals = &self.join.totals;
        self.sources.iter().all(|s| s.producer == "valgrind") && totals.blocks > 0 && totals.rust_allocator_blocks == 0
    }
}

/// The `#[global_allocator]` statics of `files` (a text scan: the attribute,
/// then the first line that declares a `static`).
fn global_allocators(root: &Path, files: &[PathBuf]) -> Vec<GlobalAllocator> {
    let mut found = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        if !text.contains("global_allocator") {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.trim_start().starts_with("#[global_allocator]") {
                continue;
            }
            if let Some((at, text)) = lines.iter().enumerate().skip(i).find(|(_, l)| l.contains("static ")) {
                let rel = file.strip_prefix(root).unwrap_or(file);
                found.push(GlobalAllocator {
                    file: crate::output::slash_path(rel),
                    line: at as u32 + 1,
                    text: text.trim().to_owned(),
                });
            }
        }
    }
    found
}

/// Wall times of `profile`'s own phases.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ProfilePhases {
    /// Building the workload (zero with `--profile-file`).
    pub(crate) build: Duration,
    /// Running it under the profiler.
    pub(crate) runs: Duration,
    /// Reading the profiles (and `#[memtrack]` reports).
    pub(crate) parse: Duration,
    /// Joining them with the findings.
    pub(crate) join: Duration,
}

impl ProfilePhases {
    /// Building, running, reading and joining together.
    pub(crate) fn total(&self) -> Duration {
        self.build + self.runs + self.parse + self.join
    }
}

impl Runtime {
    /// Runs that crashed or exited non-zero.
    pub(crate) fn failed_runs(&self) -> usize {
        self.runs.iter().filter(|r| r.failure.is_some()).count()
    }
}

/// Cargo-style status lines on stderr (a terminal, or `-v`).
struct Progress {
    on: bool,
    color: bool,
}

impl Progress {
    fn new(cli: &LintArgs) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        Progress { on: !cli.quiet && (terminal || cli.verbose), color: crate::use_color(cli, terminal) }
    }

    fn step(&self, verb: &str, what: &str) {
        if self.on {
            if self.color {
                errln!("\x1b[1;32m{verb:>12}\x1b[0m {what}");
            } else {
                errln!("{verb:>12} {what}");
            }
        }
    }
}

/// Reads the profiles (`--profile-file`) or runs the workload, and joins
/// them with the outcome's findings. Errors are reported here.
pub(crate) fn gather(
    cli: &LintArgs,
    workload: Option<&ProfileArgs>,
    cx: &Context,
    outcome: &Outcome,
) -> Result<Runtime, u8> {
    let progress = Progress::new(cli);
    let mut phases = ProfilePhases::default();
    let (paths, runs) = if cli.profile_file.is_empty() {
        let Some(args) = workload else { return Err(EXIT_ERROR) };
        run_workload(args, cx, &progress, &mut phases)?
    } else {
        (cli.profile_file.clone(), Vec::new())
    };

    let started = Instant::now();
    let mut profiles = Vec::new();
    let mut failed = false;
    for path in &paths {
        match Profile::read(path) {
            Ok(profile) => profiles.push(profile),
            Err(e) => {
                errln!("error: {e}");
                failed = true;
            }
        }
    }
    if failed || profiles.is_empty() {
        if profiles.is_empty() && !failed {
            errln!("error: no profile to join: every profiled process ended without writing one");
        }
        return Err(EXIT_ERROR);
    }
    let mut memtrack = MemtrackReport::default();
    for path in runs.iter().filter_map(|r| r.memtrack.as_ref()) {
        match MemtrackReport::read(path) {
            Ok(report) => memtrack.merge(report),
            Err(e) => errln!("warning: {e}; call counts are left out"),
        }
    }
    phases.parse = started.elapsed();
    progress.step(
        "Parsed",
        &format!("{} in {:.2}s", crate::output::plural(profiles.len(), "profile"), started.elapsed().as_secs_f64()),
    );

    let started = Instant::now();
    let workspace = cx.workspace();
    let findings: Vec<FindingRef> = outcome.diagnostics.iter().map(|d| FindingRef::of(d, &outcome.root)).collect();
    let join = dhat_runner::join(&profiles, &findings, &workspace);
    phases.join = started.elapsed();
    progress.step(
        "Joined",
        &format!(
            "{} with {} in {:.2}s",
            crate::output::plural(findings.len(), "finding"),
            crate::output::plural(profiles.iter().map(|p| p.points.len()).sum(), "allocation stack"),
            started.elapsed().as_secs_f64()
        ),
    );
    let calls = findings
        .iter()
        .zip(&join.evidence)
        .map(|(f, evidence)| evidence.as_ref().and_then(|_| calls_of(f, &workspace, &memtrack)))
        .collect();
    let sources = profiles
        .iter()
        .map(|p| Source { path: p.path.clone(), producer: p.producer.name(), command: p.command.clone() })
        .collect();
    let mut runtime = Runtime {
        join,
        sources,
        runs,
        calls,
        report: workload.is_some(),
        top: workload.map_or(10, |w| w.top),
        phases,
        verbose: cli.verbose,
        global_allocators: Vec::new(),
    };
    if runtime.blind_to_rust() {
        runtime.global_allocators = global_allocators(&cx.root, &cx.files);
    }
    Ok(runtime)
}

/// The `#[memtrack]` counts of the function a finding is in.
fn calls_of(f: &FindingRef, workspace: &Workspace, report: &MemtrackReport) -> Option<Calls> {
    if report.functions.is_empty() {
        return None;
    }
    let line = f.spans.first()?.line;
    let function = workspace.enclosing_fn(workspace.file_index(&f.file)?, line)?;
    let tracked = report.tracked_within(workspace.root(), &f.file, function.start..=function.end)?;
    Some(Calls { function: tracked.name.clone(), calls: tracked.calls })
}

/// Builds and runs the workload; returns the profiles it left and what ran.
fn run_workload(
    args: &ProfileArgs,
    cx: &Context,
    progress: &Progress,
    phases: &mut ProfilePhases,
) -> Result<(Vec<PathBuf>, Vec<Execution>), u8> {
    let fail = |message: String| {
        errln!("error: {message}");
        EXIT_ERROR
    };
    let (kind, name, filter) = selected_target(args).ok_or_else(|| {
        fail(format!(
            "say what to profile: --bin NAME, --example NAME, --test NAME [FILTER] or --bench NAME, or join existing profiles with --profile-file FILE\n  help: {}",
            targets_help(cx, None)
        ))
    })?;
    let target =
        cx.targets.iter().find(|t| t.name == name && t.kind.iter().any(|k| k == kind.name())).ok_or_else(|| {
            fail(format!(
                "no {} target named `{name}` in the linted packages\n  help: {}",
                kind.name(),
                targets_help(cx, Some(kind))
            ))
        })?;
    let package_root =
        Path::new(&target.manifest_path).parent().map(Path::to_path_buf).unwrap_or_else(|| cx.root.clone());
    let valgrind = runner::valgrind_available();
    let backend = match args.backend {
        Some(BackendArg::Valgrind) if !valgrind => {
            return Err(fail(
                "`valgrind` is not on PATH\n  help: install it (`apt install valgrind`), or use `--backend dhat-rs`"
                    .into(),
            ));
        }
        Some(BackendArg::Valgrind) => Backend::Valgrind,
        Some(BackendArg::DhatRs) => Backend::DhatRs,
        None if valgrind => Backend::Valgrind,
        None => {
            errln!("note: `valgrind` is not on PATH; profiling with dhat-rs");
            Backend::DhatRs
        }
    };
    let mut dhat_file = "dhat-heap.json".to_string();
    if backend == Backend::DhatRs {
        let files: Vec<&Path> =
            cx.files.iter().filter(|f| f.starts_with(&package_root)).map(PathBuf::as_path).collect();
        let setup = DhatSetup::find(files, target.features.iter().map(String::as_str));
        if !setup.is_complete() {
            // The target's own root: a workspace's binary is often not `src/main.rs`.
            let root = Path::new(&target.src_path);
            let root = root.strip_prefix(&package_root).unwrap_or(root).display().to_string().replace('\\', "/");
            let instead = if valgrind {
                "or profile with valgrind (installed here: `--backend valgrind`, or no `--backend`), which needs no change"
            } else {
                "or install valgrind and use `--backend valgrind`, which needs no change"
            };
            return Err(fail(format!(
                "the package of {} `{name}` does not follow dhat-rs's `dhat-heap` convention, so it cannot be profiled with dhat-rs\n  help: add\n\n{}  {instead}",
                kind.name(),
                indent(&setup.advice(&root))
            )));
        }
        if setup.trim_too_short() {
            errln!(
                "warning: dhat-rs keeps {} frames per stack here: deep std stacks lose the frame of your code\n  help: build the profiler with `dhat::Profiler::builder().trim_backtraces(Some({})).build()`",
                setup.trim.unwrap_or(dhat_runner::detect::DHAT_DEFAULT_TRIM),
                dhat_runner::detect::RECOMMENDED_TRIM
            );
        }
        dhat_file = setup.output_file().to_string();
    }
    let target_dir = cx.target_dir.clone().unwrap_or_else(|| cx.root.join("target"));
    let workload = Workload {
        kind,
        name: name.to_string(),
        filter: filter.map(str::to_string),
        release: args.release,
        args: args.args.clone(),
        manifest_path: PathBuf::from(&target.manifest_path),
        package: None,
        package_root,
        out_dir: target_dir.join("memlint").join("profile").join(format!("{}-{name}", kind.name())),
        build_dir: target_dir.join("memlint").join("build"),
        dhat_file,
        echo: args.lint.verbose,
    };
    let started = Instant::now();
    // dhat-rs profiles whenever its feature is on: its plain runs need a
    // build without it, made and run first (the profiled build replaces it).
    let mut plain_times = None;
    if args.plain_run && backend == Backend::DhatRs {
        progress.step("Building", &format!("{} `{name}` without the profiler", kind.name()));
        let plain = runner::build(&workload, Backend::Valgrind).map_err(|e| fail(e.to_string()))?;
        plain_times = Some(plain_runs(&workload, &plain, progress).map_err(fail)?);
    }
    progress.step("Building", &format!("{} `{name}` for {}", kind.name(), backend.name()));
    let exe = runner::build(&workload, backend).map_err(|e| fail(e.to_string()))?;
    phases.build = started.elapsed();
    progress.step("Built", &format!("`{}` in {:.1}s", exe.display(), phases.build.as_secs_f64()));
    // valgrind's binary is the program as it is: its plain runs use it.
    if args.plain_run && plain_times.is_none() {
        plain_times = Some(plain_runs(&workload, &exe, progress).map_err(fail)?);
    }
    let running = Instant::now();
    let planned = runner::plan_runs(&workload, &exe).map_err(|e| fail(e.to_string()))?;
    runner::prepare_out_dir(&workload).map_err(|e| fail(e.to_string()))?;
    let mut runs = Vec::new();
    for (i, (label, run_args)) in planned.iter().enumerate() {
        let started = Instant::now();
        let count = if planned.len() > 1 { format!(" ({}/{})", i + 1, planned.len()) } else { String::new() };
        progress.step("Profiling", &format!("{label} under {}{count}", backend.name()));
        let mut execution =
            runner::execute(&workload, backend, &exe, i, label, run_args).map_err(|e| fail(e.to_string()))?;
        execution.plain = plain_times.as_ref().and_then(|times| times.get(i).copied());
        progress.step("Finished", &format!("{label} in {:.1}s", started.elapsed().as_secs_f64()));
        report_failure(&execution, backend, &workload);
        runs.push(execution);
    }
    phases.runs = running.elapsed();
    let profiles = runs.iter().filter_map(|r| r.profile.clone()).collect();
    Ok((profiles, runs))
}

/// Runs every process of the workload once without the profiler
/// (`--plain-run`), in the order the profiled runs will go.
fn plain_runs(w: &Workload, exe: &Path, progress: &Progress) -> Result<Vec<Duration>, String> {
    let planned = runner::plan_runs(w, exe).map_err(|e| e.to_string())?;
    let mut times = Vec::with_capacity(planned.len());
    for (label, run_args) in &planned {
        progress.step("Running", &format!("{label} without the profiler"));
        times.push(runner::run_plain(w, exe, run_args).map_err(|e| e.to_string())?);
    }
    Ok(times)
}

fn report_failure(execution: &Execution, backend: Backend, w: &Workload) {
    if let Some(failure) = &execution.failure {
        let kept = if execution.profile.is_some() { "; the profile it left is used" } else { "" };
        errln!("warning: {} failed ({failure}){kept}", execution.label);
        if !execution.stderr_tail.is_empty() {
            errln!("  its stderr ended with:");
            for line in &execution.stderr_tail {
                errln!("    {line}");
            }
        }
    }
    if execution.profile.is_none() {
        let why = match backend {
            Backend::Valgrind => format!("valgrind's messages are in `{}`", w.out_dir.display()),
            Backend::DhatRs => format!(
                "dhat-rs writes `{}` when its `Profiler` is dropped: a program that calls `process::exit` or is killed writes none, and each test must start its own profiler",
                w.dhat_file
            ),
        };
        errln!("warning: {} left no profile\n  note: {why}", execution.label);
    }
}

fn selected_target(args: &ProfileArgs) -> Option<(TargetKind, &str, Option<&str>)> {
    if let Some(name) = &args.bin {
        return Some((TargetKind::Bin, name, None));
    }
    if let Some(name) = &args.example {
        return Some((TargetKind::Example, name, None));
    }
    if let Some(name) = args.test.first() {
        return Some((TargetKind::Test, name, args.test.get(1).map(String::as_str)));
    }
    args.bench.as_deref().map(|name| (TargetKind::Bench, name, None))
}

/// `bin targets: a, b; test targets: t` for an error's help.
fn targets_help(cx: &Context, only: Option<TargetKind>) -> String {
    let kinds = [TargetKind::Bin, TargetKind::Example, TargetKind::Test, TargetKind::Bench];
    let mut parts = Vec::new();
    for kind in kinds.into_iter().filter(|k| only.is_none_or(|o| o == *k)) {
        let names: Vec<&str> =
            cx.targets.iter().filter(|t| t.kind.iter().any(|k| k == kind.name())).map(|t| t.name.as_str()).collect();
        if !names.is_empty() {
            parts.push(format!("{} targets: {}", kind.name(), names.join(", ")));
        }
    }
    if parts.is_empty() { "the linted packages have no such targets".to_string() } else { parts.join("; ") }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("    {l}\n") }).collect()
}

/// `cargo memlint diff BASE NEW`.
pub(crate) fn diff(args: &DiffArgs, color: bool) -> u8 {
    let mut workspace = None;
    let mut load = |path: &Path| -> Result<(Vec<Site>, u64), String> {
        sites_of(path, args.manifest_path.as_deref(), &mut workspace)
    };
    let ((base, base_reasons), (new, new_reasons)) = match (load(&args.base), load(&args.new)) {
        (Ok(base), Ok(new)) => (base, new),
        (base, new) => {
            for e in [base.err(), new.err()].into_iter().flatten() {
                errln!("error: {e}");
            }
            return EXIT_ERROR;
        }
    };
    if base_reasons != new_reasons {
        let older = if base_reasons < new_reasons { &args.base } else { &args.new };
        errln!(
            "note: `{}` was written by an older memlint, which read allocation reasons differently (calls into dependencies were not yet `dependency`): sites whose reason changed show as changes\n  help: compare reports of one memlint, or diff the DHAT files the reports name (`profile.profiles[].path`): those are read again, the same way",
            older.display()
        );
    }
    let diff = dhat_runner::diff::Diff::of(&base, &new);
    let exceeded = diff.exceeded(args.max_increase_bytes, args.max_increase_blocks);
    let text = match args.output_format {
        DiffFormat::Human => crate::output::profile::render_diff(&diff, &exceeded, args.top, color),
        DiffFormat::Json => crate::output::profile::diff_json(&diff, &exceeded),
    };
    let printed = crate::print(&text);
    if printed != EXIT_CLEAN {
        return printed;
    }
    if args.max_increase_bytes.is_none() && args.max_increase_blocks.is_none() {
        errln!(
            "note: no threshold given; pass --max-increase-bytes PCT or --max-increase-blocks PCT to fail on growth"
        );
    }
    if exceeded.is_empty() { EXIT_CLEAN } else { EXIT_FINDINGS }
}

/// The sites of a memlint profile report, or of a DHAT profile read against
/// the workspace (loaded once, on first need), and the version of the
/// reasons they were read with ([`dhat_runner::REASONS_VERSION`]; a report
/// without one is of version 1).
fn sites_of(
    path: &Path,
    manifest: Option<&Path>,
    workspace: &mut Option<Workspace>,
) -> Result<(Vec<Site>, u64), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("`{}` is not valid JSON: {e}", path.display()))?;
    if value.get("dhatFileVersion").is_some() {
        let profile = Profile::parse(path, &bytes).map_err(|e| e.to_string())?;
        if workspace.is_none() {
            let cli = LintArgs { manifest_path: manifest.map(Path::to_path_buf), ..LintArgs::default() };
            let plan = crate::discover::plan(&cli, &[]).map_err(|e| e.to_string())?;
            *workspace = Some(Context::of(&plan).workspace());
        }
        let ws = workspace.as_ref().ok_or("no workspace")?;
        return Ok((dhat_runner::join(&[profile], &[], ws).sites, dhat_runner::REASONS_VERSION));
    }
    let reasons = value["profile"]["reasons_version"].as_u64().unwrap_or(1);
    let sites = crate::output::profile::sites_from_json(&value).ok_or_else(|| {
        format!(
            "`{}` is neither a DHAT profile nor a memlint profile report\n  help: write one with `cargo memlint profile ... --output-format json -o FILE`",
            path.display()
        )
    })?;
    Ok((sites, reasons))
}
