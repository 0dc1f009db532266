//! `--timings`: where a run's time and memory went, per phase and per rule.

use std::fmt::Write;
use std::time::Duration;

use serde_json::json;

use crate::check::Outcome;

/// Wall times of the phases `main` runs around the lint itself.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Phases {
    /// Finding the files (cargo metadata, walking directories).
    pub(crate) discover: Duration,
    /// Reading the configuration and building the linter.
    pub(crate) configure: Duration,
}

/// Everything `--timings` reports.
#[derive(Debug)]
pub(crate) struct Report {
    phases: Phases,
    engine: lint_core::timings::Timings,
    threads: usize,
    /// Where the cache is, or `None` when it is off.
    cache_dir: Option<String>,
}

impl Report {
    pub(crate) fn new(
        phases: Phases,
        engine: Option<lint_core::timings::Timings>,
        cache_dir: Option<&std::path::Path>,
    ) -> Report {
        Report {
            phases,
            engine: engine.unwrap_or_default(),
            threads: rayon::current_num_threads(),
            cache_dir: cache_dir.map(|dir| dir.display().to_string()),
        }
    }

    /// The report as JSON (the `timings` object of `--output-format json`).
    pub(crate) fn to_json(&self, outcome: &Outcome) -> serde_json::Value {
        let stats = &outcome.stats;
        let ms = |d: Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
        json!({
            // The whole command: linting, and building, running and joining a profile.
            "wall_ms": ms(outcome.elapsed + profile_time(outcome)),
            "lint_ms": ms(outcome.elapsed),
            "threads": self.threads,
            "files": outcome.files_linted + outcome.errors.len(),
            "files_parsed": self.engine.files,
            "bytes": stats.bytes,
            "peak_rss_bytes": peak_rss(),
            "phases_ms": {
                "discover": ms(self.phases.discover),
                "configure": ms(self.phases.configure),
                "files": ms(stats.file_phase),
            },
            "thread_ms": {
                "read": ms(stats.read),
                "cache": ms(stats.cache),
                "parse": ms(self.engine.parse),
                "walk": ms(self.engine.walk),
                "crate": ms(self.engine.crate_phase),
            },
            "cache": {
                "dir": self.cache_dir,
                "hits": stats.cache_hits,
                "misses": stats.cache_misses,
            },
            "profile_ms": outcome.runtime.as_ref().map(|r| json!({
                "build": ms(r.phases.build),
                "runs": ms(r.phases.runs),
                "parse": ms(r.phases.parse),
                "join": ms(r.phases.join),
            })),
            "rule_sampling": lint_core::timings::SAMPLE_EVERY,
            "rules_ms": self.engine.rules.iter().map(|(rule, time)| json!({ "rule": rule, "ms": ms(*time) })).collect::<Vec<_>>(),
        })
    }

    /// The report for people, for stderr; `output` is the time spent writing the findings.
    pub(crate) fn render(&self, outcome: &Outcome, output: Duration) -> String {
        // (a profile's phases run after the lint's, and are listed below it)
        let stats = &outcome.stats;
        let files = outcome.files_linted + outcome.errors.len();
        let mut out = String::new();
        let memory = peak_rss().map_or_else(|| "peak memory unknown".to_owned(), |b| format!("peak memory {}", mb(b)));
        let _ = writeln!(
            out,
            "memlint timings: {} files, {}, {} threads, {}, {memory}",
            crate::output::profile::thousands(files as u64),
            mb(stats.bytes),
            self.threads,
            secs(outcome.elapsed + output + profile_time(outcome)),
        );
        let _ = writeln!(out, "  {:<16} {:>9} {:>12}", "phase", "wall", "thread time");
        let row = |out: &mut String, name: &str, wall: Duration, thread: Option<Duration>| {
            let thread = thread.map(secs).unwrap_or_default();
            let _ = writeln!(out, "  {name:<16} {:>9} {thread:>12}", secs(wall));
        };
        row(&mut out, "discover", self.phases.discover, None);
        row(&mut out, "configure", self.phases.configure, None);
        let engine = &self.engine;
        let files_thread = stats.read + stats.cache + engine.parse + engine.walk + engine.crate_phase;
        row(&mut out, "files", stats.file_phase, Some(files_thread));
        for (name, time) in
            [("read", stats.read), ("cache", stats.cache), ("parse", engine.parse), ("walk", engine.walk)]
        {
            let _ = writeln!(out, "    {name:<14} {:>9} {:>12}", "", secs(time));
        }
        let _ = writeln!(out, "    {:<14} {:>9} {:>12}", "crate phase", "", secs(engine.crate_phase));
        if let Some(runtime) = &outcome.runtime {
            let p = runtime.phases;
            for (name, wall) in [
                ("profile: build", p.build),
                ("profile: runs", p.runs),
                ("profile: parse", p.parse),
                ("profile: join", p.join),
            ] {
                row(&mut out, name, wall, None);
            }
        }
        row(&mut out, "output", output, None);
        match &self.cache_dir {
            Some(dir) => {
                let _ = writeln!(
                    out,
                    "  cache: {} hits, {} files linted ({dir})",
                    crate::output::profile::thousands(stats.cache_hits),
                    crate::output::profile::thousands(stats.cache_misses)
                );
            }
            None => out.push_str("  cache: off\n"),
        }
        if engine.files > 0 && !engine.rules.is_empty() {
            let _ = writeln!(
                out,
                "  {:<32} {:>9} {:>8}   (walk time estimated from 1 call in {}, plus crate phase)",
                "rule",
                "time",
                "of walk",
                lint_core::timings::SAMPLE_EVERY
            );
            let mut rules = engine.rules.clone();
            rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let walk = engine.walk.as_secs_f64().max(f64::EPSILON);
            for (rule, time) in &rules {
                let share = 100.0 * time.as_secs_f64() / walk;
                let _ = writeln!(out, "  {rule:<32} {:>9} {share:>7.1}%", secs(*time));
            }
            let in_rules: Duration = rules.iter().map(|(_, t)| *t).sum();
            let _ = writeln!(out, "  {:<32} {:>9}", "(the walk itself)", secs(engine.walk.saturating_sub(in_rules)));
        }
        out
    }
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// The peak resident set size of this process in bytes (Linux: `VmHWM`).
pub(crate) fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb = status.lines().find_map(|line| line.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim();
    kb.parse::<u64>().ok().map(|kb| kb * 1024)
}

/// The time `profile` spent (zero without a profile).
fn profile_time(outcome: &Outcome) -> Duration {
    outcome.runtime.as_ref().map_or(Duration::ZERO, |r| r.phases.total())
}
