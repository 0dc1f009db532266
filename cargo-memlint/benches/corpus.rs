//! The corpus benchmark: memlint against the parse floor on real crates.
//!
//! ```text
//! cargo-memlint/benches/vendor-corpus.sh          # once: ~150 MB of vendored crates
//! cargo bench -p cargo-memlint --bench corpus     # MEMLINT_CORPUS=DIR for another corpus
//! ```
//!
//! In one run, on the same files and with the same threads (rayon's default:
//! every core), it measures
//! 1. the floor: walking the corpus, reading and `syn::parse_file` of every file
//!    (with memlint's allocator);
//! 2. `cargo memlint` with every rule on, end to end, output to a file, no cache;
//! 3. the same filling an empty cache (what a first run costs);
//! 4. the same with a warm cache on the unchanged corpus;
//! 5. the same after one file changed;
//!
//! and prints the times (best of `MEMLINT_BENCH_RUNS` rounds, 3 by default,
//! taken in turns so that drift hits them alike), the ratios to the floor,
//! MB/s, files/s, CPU time (user + system, all threads) and peak RSS.
//!
//! Every measured run is its own process: the floor is this binary started
//! again with `--floor DIR`, memlint is the `cargo-memlint` binary built with
//! the bench. Timed memlint runs don't pass `--timings` (its per-rule
//! sampling would be part of the time); one extra, untimed `--timings` run
//! per kind reports the peak RSS (Linux: `VmHWM`, as the floor reports its
//! own). CPU time comes from this process's `/proc/self/stat` children times.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;

/// The floor parses with the allocator memlint uses (see `src/main.rs`): the
/// ratio measures memlint's work beyond parsing, not a difference of allocators.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, dir, ..] = args.as_slice()
        && flag == "--floor"
    {
        floor(Path::new(dir));
        return;
    }
    let Some(corpus) = corpus_dir() else { return };
    let runs = std::env::var("MEMLINT_BENCH_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(3usize).max(1);
    let scratch = std::env::temp_dir().join(format!("memlint-bench-{}", std::process::id()));
    let bench = Bench { corpus, scratch };
    if let Err(e) = bench.run(runs) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// The corpus: `MEMLINT_CORPUS`, else what `vendor-corpus.sh` vendored.
/// `None` (after saying so loudly) when there is none.
fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("MEMLINT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-corpus/vendor"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    eprintln!("SKIPPED: the corpus benchmark has no corpus at `{}`", dir.display());
    eprintln!("  help: vendor it with `cargo-memlint/benches/vendor-corpus.sh`, or set MEMLINT_CORPUS=DIR");
    None
}

/// What one measured process reported.
#[derive(Debug, Clone, Copy, Default)]
struct Measure {
    wall: Duration,
    /// User + system time of the process and its threads (zero when the
    /// platform doesn't say).
    cpu: Duration,
    /// Peak resident set size in bytes (0 when the platform doesn't say).
    peak_rss: u64,
    files: u64,
    bytes: u64,
}

/// CPU time (user + system) of this process's waited-for children, from
/// `/proc/self/stat` (clock ticks, 100 per second on Linux); zero elsewhere.
fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces) start at field 3.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // cutime and cstime are fields 16 and 17.
    Duration::from_millis((ticks(16 - 3) + ticks(17 - 3)) * 10)
}

/// Runs `command` to completion, timing it (wall and CPU).
fn timed(command: &mut Command) -> Result<(std::process::Output, Duration, Duration), String> {
    let cpu_before = children_cpu();
    let started = Instant::now();
    let out = command.output().map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    Ok((out, started.elapsed(), children_cpu().saturating_sub(cpu_before)))
}

struct Bench {
    corpus: PathBuf,
    scratch: PathBuf,
}

impl Bench {
    fn run(&self, runs: usize) -> Result<(), String> {
        std::fs::create_dir_all(&self.scratch).map_err(|e| format!("cannot create {}: {e}", self.scratch.display()))?;
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        println!("corpus: {}", self.corpus.display());
        println!("threads: {threads} (rayon's default, for the floor and for memlint)");
        // Warm the page cache so that the first round is not the only one reading the disk.
        self.floor()?;

        let mut floor = Vec::new();
        let mut cold = Vec::new();
        let mut filling = Vec::new();
        let mut warm = Vec::new();
        let mut edited = Vec::new();
        let mut edit = Edit::pick(&self.corpus)?;
        // The last round is untimed: it reports each kind's peak memory.
        let mut reported = [Measure::default(); 4];
        for round in 0..=runs {
            let timings = round == runs;
            if !timings {
                floor.push(self.floor()?);
            }
            let kinds = [&mut cold, &mut filling, &mut warm, &mut edited];
            let mut measured = Vec::with_capacity(4);
            measured.push(self.memlint(&["--no-cache"], timings)?);
            // Fill the cache, then run on the unchanged corpus.
            let cache = self.scratch.join(format!("cache-{round}"));
            let cache_arg = cache.to_string_lossy().into_owned();
            measured.push(self.memlint(&["--cache-dir", &cache_arg], timings)?);
            measured.push(self.memlint(&["--cache-dir", &cache_arg], timings)?);
            edit.change(round)?;
            measured.push(self.memlint(&["--cache-dir", &cache_arg], timings)?);
            edit.restore()?;
            let _ = std::fs::remove_dir_all(&cache);
            for (i, (runs, m)) in kinds.into_iter().zip(measured).enumerate() {
                if timings {
                    reported[i] = m;
                } else {
                    runs.push(m);
                }
            }
        }
        // Each round's floor and cold run ran back to back: their ratio, per
        // round, shows how much of the best-of comparison is noise.
        let mut paired: Vec<f64> =
            floor.iter().zip(&cold).map(|(f, c)| c.wall.as_secs_f64() / f.wall.as_secs_f64()).collect();
        paired.sort_by(f64::total_cmp);
        let floor = best(&floor);
        let with_rss = |runs: &[Measure], reported: Measure| Measure { peak_rss: reported.peak_rss, ..best(runs) };
        let cold = with_rss(&cold, reported[0]);
        let filling = with_rss(&filling, reported[1]);
        let warm = with_rss(&warm, reported[2]);
        let edited = with_rss(&edited, reported[3]);
        println!("files: {} ({:.1} MB of Rust)", floor.files, mb(floor.bytes));
        println!("edited file: {}", edit.path.display());
        println!();
        println!(
            "{:<36} {:>9} {:>8} {:>9} {:>8} {:>8} {:>8} {:>12}",
            "", "wall", "x floor", "cpu", "x floor", "MB/s", "files/s", "peak RSS"
        );
        for (name, m) in [
            ("floor: read + syn::parse_file", floor),
            ("memlint, all rules, no cache", cold),
            ("memlint, filling an empty cache", filling),
            ("memlint, warm cache, unchanged", warm),
            ("memlint, warm cache, 1 file edited", edited),
        ] {
            let secs = m.wall.as_secs_f64();
            println!(
                "{name:<36} {:>8.3}s {:>7.2}x {:>8.2}s {:>7.2}x {:>8.1} {:>8.0} {:>9.1} MB",
                secs,
                secs / floor.wall.as_secs_f64(),
                m.cpu.as_secs_f64(),
                m.cpu.as_secs_f64() / floor.cpu.as_secs_f64(),
                mb(floor.bytes) / secs,
                floor.files as f64 / secs,
                mb(m.peak_rss),
            );
        }
        println!();
        println!("cold / floor:        {:.3}x (target <= 1.15x)", cold.wall.as_secs_f64() / floor.wall.as_secs_f64());
        println!("cold / floor, CPU:   {:.3}x", cold.cpu.as_secs_f64() / floor.cpu.as_secs_f64());
        if let (Some(low), Some(high)) = (paired.first(), paired.last()) {
            println!("cold / floor, per round: {low:.3}x to {high:.3}x, median {:.3}x", paired[paired.len() / 2]);
        }
        println!("cold peak RSS / floor's: {:.3}x (target <= 1.2x)", cold.peak_rss as f64 / floor.peak_rss as f64);
        println!("cold / warm:         {:.1}x (target >= 10x)", cold.wall.as_secs_f64() / warm.wall.as_secs_f64());
        println!("cold / one edit:     {:.1}x", cold.wall.as_secs_f64() / edited.wall.as_secs_f64());
        if cold.files != floor.files {
            println!("note: memlint linted {} files, the floor parsed {}", cold.files, floor.files);
        }
        let _ = std::fs::remove_dir_all(&self.scratch);
        Ok(())
    }

    /// One floor run, in a process of its own.
    fn floor(&self) -> Result<Measure, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find the bench binary: {e}"))?;
        let (out, wall, cpu) = timed(Command::new(exe).arg("--floor").arg(&self.corpus))?;
        if !out.status.success() {
            return Err(format!("the floor failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).map_err(|e| format!("the floor's report is not JSON: {e}"))?;
        Ok(Measure {
            wall,
            cpu,
            peak_rss: report["peak_rss"].as_u64().unwrap_or(0),
            files: report["files"].as_u64().unwrap_or(0),
            bytes: report["bytes"].as_u64().unwrap_or(0),
        })
    }

    /// One `cargo memlint` run with every rule on and `extra` arguments.
    /// With `timings`, its peak RSS is read from its `--timings` report
    /// (such a run is not timed: the report's sampling costs time).
    fn memlint(&self, extra: &[&str], timings: bool) -> Result<Measure, String> {
        let output = self.scratch.join("findings.json");
        let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-memlint"));
        command.arg("memlint").arg(&self.corpus).args(["-W", "all", "--quiet", "--output-format", "json", "-o"]);
        command.arg(&output).args(extra);
        if timings {
            command.arg("--timings");
        }
        let (out, wall, cpu) = timed(&mut command)?;
        // 1: findings; 2: some files don't parse (a real corpus has a few).
        if !matches!(out.status.code(), Some(0..=2)) {
            return Err(format!("cargo-memlint failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let text = std::fs::read(&output).map_err(|e| format!("no output from cargo-memlint: {e}"))?;
        let report: serde_json::Value =
            serde_json::from_slice(&text).map_err(|e| format!("cargo-memlint's output is not JSON: {e}"))?;
        let summary = &report["summary"];
        Ok(Measure {
            wall,
            cpu,
            peak_rss: report["timings"]["peak_rss_bytes"].as_u64().unwrap_or(0),
            files: summary["files"].as_u64().unwrap_or(0) + summary["files_with_errors"].as_u64().unwrap_or(0),
            bytes: 0,
        })
    }
}

/// The fastest of a series of runs.
fn best(runs: &[Measure]) -> Measure {
    runs.iter().copied().min_by_key(|m| m.wall).unwrap_or_default()
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// A corpus file the bench changes (and puts back) for the one-edit run.
struct Edit {
    path: PathBuf,
    original: Vec<u8>,
}

impl Edit {
    /// The largest file under 40 KB: a typical source file, picked the same
    /// way on every run.
    fn pick(corpus: &Path) -> Result<Edit, String> {
        let path = rust_files(corpus)
            .into_iter()
            .filter_map(|p| Some((std::fs::metadata(&p).ok()?.len(), p)))
            .filter(|(len, _)| *len < 40_000)
            .max()
            .map(|(_, p)| p)
            .ok_or("the corpus has no .rs file")?;
        let original = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(Edit { path, original })
    }

    /// Appends an item that differs each round, so every round is a real change.
    fn change(&mut self, round: usize) -> Result<(), String> {
        let mut text = self.original.clone();
        text.extend_from_slice(format!("\nfn memlint_bench_edit_{round}() {{}}\n").as_bytes());
        std::fs::write(&self.path, text).map_err(|e| format!("cannot edit {}: {e}", self.path.display()))
    }

    fn restore(&mut self) -> Result<(), String> {
        std::fs::write(&self.path, &self.original).map_err(|e| format!("cannot restore {}: {e}", self.path.display()))
    }
}

impl Drop for Edit {
    fn drop(&mut self) {
        // Also when a run failed half-way: the corpus must stay as vendored.
        let _ = std::fs::write(&self.path, &self.original);
    }
}

/// The `.rs` files under `dir` as memlint finds them in a directory: hidden
/// directories and `target/` skipped, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_type().is_dir() || {
                let name = e.file_name().to_string_lossy();
                !name.starts_with('.') && name != "target"
            }
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// The floor, in this process: walk, read and parse every file on rayon's
/// threads (with the same 256 MiB stacks memlint uses), then print a JSON report.
fn floor(dir: &Path) {
    let started = Instant::now();
    let parse_all = || {
        rust_files(dir)
            .par_iter()
            .map(|path| {
                let Ok(text) = std::fs::read_to_string(path) else { return (0, false) };
                let parsed = syn::parse_file(&text).is_ok();
                // As memlint does: without this, proc-macro2's span map grows with every file.
                proc_macro2::extra::invalidate_current_thread_spans();
                (text.len(), parsed)
            })
            .collect::<Vec<_>>()
    };
    let results = match rayon::ThreadPoolBuilder::new().stack_size(256 << 20).build() {
        Ok(pool) => pool.install(parse_all),
        Err(_) => parse_all(),
    };
    let seconds = started.elapsed().as_secs_f64();
    let bytes: usize = results.iter().map(|r| r.0).sum();
    let errors = results.iter().filter(|r| !r.1).count();
    let report = serde_json::json!({
        "files": results.len(),
        "bytes": bytes,
        "parse_errors": errors,
        "seconds": seconds,
        "peak_rss": peak_rss(),
    });
    println!("{report}");
}

/// This process's peak resident set size in bytes (Linux), else 0.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}
