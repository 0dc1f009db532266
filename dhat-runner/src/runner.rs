//! Building a cargo target and running it under a heap profiler.
//!
//! valgrind: the target is built unmodified (release and bench builds get
//! line tables through `CARGO_PROFILE_<P>_DEBUG`), and run under
//! `valgrind --tool=dhat`. dhat-rs: the package's `dhat-heap` feature is
//! turned on and the program writes its own profile. Test targets run one
//! process per selected test so the harness and other tests don't mix in.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// How many lines of a failed program's stderr are kept.
const STDERR_TAIL: usize = 20;
/// valgrind's stack depth: deep enough for std's inlined frames above user code.
const NUM_CALLERS: &str = "--num-callers=50";

/// The profiler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `valgrind --tool=dhat`: no change to the program.
    Valgrind,
    /// The dhat crate, through the package's `dhat-heap` feature.
    DhatRs,
}

impl Backend {
    /// `valgrind` or `dhat-rs`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Valgrind => "valgrind",
            Backend::DhatRs => "dhat-rs",
        }
    }
}

/// Whether `valgrind` runs (on `PATH`).
pub fn valgrind_available() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Which kind of cargo target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// `--bin NAME`
    Bin,
    /// `--example NAME`
    Example,
    /// `--test NAME`
    Test,
    /// `--bench NAME`
    Bench,
}

impl TargetKind {
    /// `bin`, `example`, `test`, `bench` (cargo's flag and target kind).
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::Bin => "bin",
            TargetKind::Example => "example",
            TargetKind::Test => "test",
            TargetKind::Bench => "bench",
        }
    }
}

/// What to build and run.
#[derive(Debug, Clone)]
pub struct Workload {
    /// The target's kind.
    pub kind: TargetKind,
    /// The target's name.
    pub name: String,
    /// For tests: run only those whose name contains this.
    pub filter: Option<String>,
    /// Build with `--release`.
    pub release: bool,
    /// Arguments for the program.
    pub args: Vec<OsString>,
    /// The manifest to build with.
    pub manifest_path: PathBuf,
    /// `-p` for cargo, when the workspace has several packages.
    pub package: Option<String>,
    /// The package's directory: tests and benches run there, like `cargo test`.
    pub package_root: PathBuf,
    /// Where the profiles and logs of this workload go (emptied first).
    pub out_dir: PathBuf,
    /// cargo's target directory for the profiled build: one of memlint's
    /// own, because the build overrides the profile's `debug`, `strip` and
    /// `split-debuginfo`, and doing that in the user's target directory
    /// would replace their binaries and invalidate their build cache.
    pub build_dir: PathBuf,
    /// The file the dhat-rs profiler writes, relative to the working directory.
    pub dhat_file: String,
    /// Copy the program's output to stderr as it runs.
    pub echo: bool,
}

/// One profiled process.
#[derive(Debug, Clone)]
pub struct Execution {
    /// What ran: `bin `app``, `test `parse::empty``.
    pub label: String,
    /// The profile it left, if any.
    pub profile: Option<PathBuf>,
    /// The `#[memtrack]` report it wrote, if any.
    pub memtrack: Option<PathBuf>,
    /// `None` when it succeeded, else how it ended (`exit status: 101`, `signal 11`).
    pub failure: Option<String>,
    /// The last lines of its stderr, when it failed.
    pub stderr_tail: Vec<String>,
    /// How long it ran under the profiler (wall time).
    pub elapsed: Duration,
    /// How long the same process ran without the profiler, when measured
    /// ([`run_plain`]).
    pub plain: Option<Duration>,
}

impl Execution {
    /// How many times slower it ran under the profiler, when the plain run
    /// was measured and took any time.
    pub fn slowdown(&self) -> Option<f64> {
        let plain = self.plain?.as_secs_f64();
        (plain > 0.0).then(|| self.elapsed.as_secs_f64() / plain)
    }
}

/// Why a workload could not be profiled.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// cargo failed to build.
    #[error("`{command}` failed ({status})")]
    Build {
        /// The command line.
        command: String,
        /// How it ended.
        status: String,
    },
    /// The build produced no executable for the target.
    #[error(
        "cargo built no executable for {kind} `{name}`\n  help: check the name with `cargo build --{kind} <TAB>`; the package's targets are in `cargo metadata`"
    )]
    NoExecutable {
        /// The target kind.
        kind: &'static str,
        /// The target name.
        name: String,
    },
    /// A program could not be started.
    #[error("cannot run `{program}`: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// Why.
        source: std::io::Error,
    },
    /// The test harness could not list its tests.
    #[error("`{program} --list` failed: {message}")]
    ListTests {
        /// The test executable.
        program: String,
        /// Its error output.
        message: String,
    },
    /// No test matched the filter.
    #[error("no test of `{target}` matches `{filter}`")]
    NoTests {
        /// The test target.
        target: String,
        /// The filter.
        filter: String,
    },
    /// The output directory could not be prepared.
    #[error("cannot prepare `{}`: {source}", path.display())]
    OutDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Builds the workload's target and returns its executable. cargo's own
/// progress and diagnostics go to stderr.
pub fn build(w: &Workload, backend: Backend) -> Result<PathBuf, RunError> {
    let mut cmd = Command::new(cargo());
    match w.kind {
        TargetKind::Bin | TargetKind::Example => cmd.arg("build"),
        TargetKind::Test => cmd.args(["test", "--no-run"]),
        TargetKind::Bench => cmd.args(["bench", "--no-run"]),
    };
    cmd.arg(format!("--{}", w.kind.name())).arg(&w.name);
    cmd.arg("--message-format=json-render-diagnostics").arg("--manifest-path").arg(&w.manifest_path);
    if let Some(package) = &w.package {
        cmd.args(["-p", package]);
    }
    if w.release && w.kind != TargetKind::Bench {
        cmd.arg("--release");
    }
    if backend == Backend::DhatRs {
        cmd.args(["--features", crate::detect::FEATURE]);
    }
    // Optimised profiles have no debug info by default; line tables are
    // enough for frames with file and line, and leave the code unchanged.
    // dev and test profiles already carry full debug info.
    if w.release || w.kind == TargetKind::Bench {
        cmd.env("CARGO_PROFILE_RELEASE_DEBUG", "line-tables-only").env("CARGO_PROFILE_BENCH_DEBUG", "line-tables-only");
    }
    // `strip = true` (du-dust, hyperfine) removes the symbols and line
    // tables every frame is read from: the profile would place nothing in
    // the user's code. On Linux, split debug info puts them in files
    // beside the binary that valgrind may not read.
    for profile in ["DEV", "TEST", "RELEASE", "BENCH"] {
        cmd.env(format!("CARGO_PROFILE_{profile}_STRIP"), "none");
        if cfg!(target_os = "linux") {
            cmd.env(format!("CARGO_PROFILE_{profile}_SPLIT_DEBUGINFO"), "off");
        }
    }
    cmd.arg("--target-dir").arg(&w.build_dir);
    let shown = describe(&cmd);
    cmd.stdout(Stdio::piped()).stderr(Stdio::inherit());
    let mut child = cmd.spawn().map_err(|source| RunError::Spawn { program: "cargo".into(), source })?;
    let mut executable = None;
    if let Some(stdout) = child.stdout.take() {
        for message in cargo_metadata::Message::parse_stream(BufReader::new(stdout)).flatten() {
            if let cargo_metadata::Message::CompilerArtifact(artifact) = message
                && artifact.target.name == w.name
                && artifact.target.kind.iter().any(|k| k.to_string() == w.kind.name())
                && let Some(exe) = artifact.executable
            {
                executable = Some(exe.into_std_path_buf());
            }
        }
    }
    let status = child.wait().map_err(|source| RunError::Spawn { program: "cargo".into(), source })?;
    if !status.success() {
        return Err(RunError::Build { command: shown, status: describe_status(status) });
    }
    executable.ok_or_else(|| RunError::NoExecutable { kind: w.kind.name(), name: w.name.clone() })
}

/// The processes a workload runs: one per selected test for test targets.
pub fn plan_runs(w: &Workload, exe: &Path) -> Result<Vec<(String, Vec<OsString>)>, RunError> {
    match w.kind {
        TargetKind::Bin | TargetKind::Example => Ok(vec![(format!("{} `{}`", w.kind.name(), w.name), w.args.clone())]),
        TargetKind::Bench => {
            let mut args = vec![OsString::from("--bench")];
            args.extend(w.args.iter().cloned());
            Ok(vec![(format!("bench `{}`", w.name), args)])
        }
        TargetKind::Test => {
            let tests = list_tests(exe, &w.package_root)?;
            let selected: Vec<String> =
                tests.into_iter().filter(|t| w.filter.as_deref().is_none_or(|f| t.contains(f))).collect();
            if selected.is_empty() {
                return Err(RunError::NoTests { target: w.name.clone(), filter: w.filter.clone().unwrap_or_default() });
            }
            Ok(selected
                .into_iter()
                .map(|t| {
                    let mut args: Vec<OsString> = vec![t.clone().into(), "--exact".into(), "--test-threads=1".into()];
                    args.extend(w.args.iter().cloned());
                    (format!("test `{t}`"), args)
                })
                .collect())
        }
    }
}

/// The names of a libtest executable's tests.
fn list_tests(exe: &Path, cwd: &Path) -> Result<Vec<String>, RunError> {
    let output = Command::new(exe)
        .args(["--list", "--format", "terse"])
        .current_dir(cwd)
        .output()
        .map_err(|source| RunError::Spawn { program: exe.display().to_string(), source })?;
    if !output.status.success() {
        return Err(RunError::ListTests {
            program: exe.display().to_string(),
            message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// Empties the workload's output directory of earlier profiles.
pub fn prepare_out_dir(w: &Workload) -> Result<(), RunError> {
    let err = |source| RunError::OutDir { path: w.out_dir.clone(), source };
    if w.out_dir.is_dir() {
        std::fs::remove_dir_all(&w.out_dir).map_err(err)?;
    }
    std::fs::create_dir_all(&w.out_dir).map_err(err)
}

/// Runs one process of the workload (see [`plan_runs`]) under the profiler.
pub fn execute(
    w: &Workload,
    backend: Backend,
    exe: &Path,
    index: usize,
    label: &str,
    args: &[OsString],
) -> Result<Execution, RunError> {
    let profile = w.out_dir.join(format!("dhat.{index}.json"));
    let memtrack = w.out_dir.join(format!("memtrack.{index}.json"));
    let cwd = working_dir(w);
    let mut cmd = match backend {
        Backend::Valgrind => {
            let mut cmd = Command::new("valgrind");
            cmd.arg("--tool=dhat")
                .arg(concat_os("--dhat-out-file=", &profile))
                .arg(concat_os("--log-file=", &w.out_dir.join(format!("valgrind.{index}.log"))))
                .arg("--fullpath-after=")
                .arg(NUM_CALLERS)
                .arg(exe);
            cmd
        }
        Backend::DhatRs => Command::new(exe),
    };
    cmd.args(args).current_dir(&cwd);
    if std::env::var_os("MEMLINT_REPORT").is_none() {
        cmd.env("MEMLINT_REPORT", &memtrack);
    }
    let dhat_file = cwd.join(&w.dhat_file);
    let started = SystemTime::now();
    let clock = Instant::now();
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let program = exe.display().to_string();
    let mut child = cmd.spawn().map_err(|source| RunError::Spawn { program: program.clone(), source })?;
    let echo = w.echo;
    let stdout = child.stdout.take().map(|out| std::thread::spawn(move || drain(out, echo, 0)));
    let stderr = child.stderr.take().map(|err| std::thread::spawn(move || drain(err, echo, STDERR_TAIL)));
    let status = child.wait().map_err(|source| RunError::Spawn { program, source })?;
    let elapsed = clock.elapsed();
    if let Some(t) = stdout {
        let _ = t.join();
    }
    let stderr_tail = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    if backend == Backend::DhatRs {
        collect_dhat_rs_file(&dhat_file, started, &profile);
    }
    let failure = (!status.success()).then(|| describe_status(status));
    Ok(Execution {
        label: label.to_string(),
        profile: profile.is_file().then_some(profile),
        memtrack: memtrack.is_file().then_some(memtrack),
        stderr_tail: if failure.is_some() { stderr_tail } else { Vec::new() },
        failure,
        elapsed,
        plain: None,
    })
}

/// Bins run where memlint was started (like `cargo run`), tests and benches
/// in the package's directory (like `cargo test`).
fn working_dir(w: &Workload) -> PathBuf {
    match w.kind {
        TargetKind::Bin | TargetKind::Example => std::env::current_dir().unwrap_or_else(|_| w.package_root.clone()),
        TargetKind::Test | TargetKind::Bench => w.package_root.clone(),
    }
}

/// Runs one process of the workload without a profiler, as [`execute`]
/// would run it, and says how long it took: the profiler's slowdown is the
/// ratio. Its output is shown with `echo`, else dropped; how it ends is not
/// judged (the profiled run reports that).
pub fn run_plain(w: &Workload, exe: &Path, args: &[OsString]) -> Result<Duration, RunError> {
    let mut cmd = Command::new(exe);
    cmd.args(args).current_dir(working_dir(w)).stdin(Stdio::null());
    if !w.echo {
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
    }
    let program = exe.display().to_string();
    let clock = Instant::now();
    cmd.status().map_err(|source| RunError::Spawn { program, source })?;
    Ok(clock.elapsed())
}

/// Moves the profile dhat-rs wrote in the working directory during this run
/// into the output directory; a file that was there before is left alone.
/// Not an output a user named (those go through cargo-memlint's
/// `write_file`): `to` is in the directory `prepare_out_dir` just made.
fn collect_dhat_rs_file(written: &Path, started: SystemTime, to: &Path) {
    let fresh = std::fs::metadata(written).and_then(|m| m.modified()).is_ok_and(|t| t >= started);
    if fresh && std::fs::rename(written, to).is_err() && std::fs::copy(written, to).is_ok() {
        let _ = std::fs::remove_file(written);
    }
}

/// Reads a child's output to the end; echoes it to stderr when asked and
/// returns the last `keep` lines.
fn drain(stream: impl Read, echo: bool, keep: usize) -> Vec<String> {
    let mut tail = std::collections::VecDeque::new();
    for line in BufReader::new(stream).split(b'\n').map_while(Result::ok) {
        let line = String::from_utf8_lossy(&line).into_owned();
        if echo {
            eprintln!("{line}");
        }
        if keep > 0 {
            if tail.len() == keep {
                tail.pop_front();
            }
            tail.push_back(line);
        }
    }
    tail.into()
}

fn concat_os(prefix: &str, path: &Path) -> OsString {
    let mut s = OsString::from(prefix);
    s.push(path.as_os_str());
    s
}

/// `exit status: 101`, `signal 11 (SIGSEGV)`.
pub fn describe_status(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                6 => " (SIGABRT)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV)",
                15 => " (SIGTERM)",
                _ => "",
            };
            return format!("killed by signal {signal}{name}");
        }
    }
    match status.code() {
        Some(code) => format!("exit status: {code}"),
        None => "unknown exit status".to_string(),
    }
}

fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a: &OsStr| a.to_string_lossy().into_owned()));
    parts.join(" ")
}
