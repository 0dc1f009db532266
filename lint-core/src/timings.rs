//! Where linting time goes (`--timings`): parsing, the walk, the crate
//! phase and each rule, summed over the threads that did the work.
//!
//! Rule hooks run once per expression, type, item and function, so timing
//! every call would cost more than many rules do. One call in
//! [`SAMPLE_EVERY`], picked at random, is timed (less the measured cost of
//! reading the clock) and counts for [`SAMPLE_EVERY`] calls: the per-rule
//! times are estimates, good for finding the slow rule, and the clock is
//! read for one hook call in 16 only.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One rule call in this many is timed.
pub const SAMPLE_EVERY: u64 = 16;

/// Time spent by the engine, summed over threads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings {
    /// Parsing files with syn (and freeing their syntax trees).
    pub parse: Duration,
    /// Walking the syntax trees: the walker's own bookkeeping plus every
    /// rule's hooks, and finding suppressions.
    pub walk: Duration,
    /// The crate phase: findings that depend on other files' types.
    pub crate_phase: Duration,
    /// Each rule that ran, with its estimated time in the walk plus its
    /// time in the crate phase, in registry order.
    pub rules: Vec<(&'static str, Duration)>,
    /// Files parsed and walked (files served from a cache are not).
    pub files: u64,
}

/// The shared totals the engine adds to.
#[derive(Debug)]
pub(crate) struct Clock {
    parse: AtomicU64,
    walk: AtomicU64,
    crate_phase: AtomicU64,
    files: AtomicU64,
    /// Nanoseconds per rule, in registry order.
    rules: Vec<AtomicU64>,
    /// What reading the clock twice costs, subtracted from every sample.
    overhead_ns: u64,
}

impl Clock {
    pub(crate) fn new(rules: usize) -> Clock {
        let overhead_ns = (0..256)
            .map(|_| {
                let start = Instant::now();
                nanos(start.elapsed())
            })
            .min()
            .unwrap_or(0);
        Clock {
            parse: AtomicU64::new(0),
            walk: AtomicU64::new(0),
            crate_phase: AtomicU64::new(0),
            files: AtomicU64::new(0),
            rules: (0..rules).map(|_| AtomicU64::new(0)).collect(),
            overhead_ns,
        }
    }

    pub(crate) fn add_parse(&self, time: Duration) {
        self.parse.fetch_add(nanos(time), Ordering::Relaxed);
        self.files.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn add_walk(&self, time: Duration, rules: RuleClock) {
        self.walk.fetch_add(nanos(time), Ordering::Relaxed);
        for (total, ns) in self.rules.iter().zip(rules.sampled_ns) {
            total.fetch_add(ns, Ordering::Relaxed);
        }
    }

    pub(crate) fn add_crate_phase(&self, time: Duration) {
        self.crate_phase.fetch_add(nanos(time), Ordering::Relaxed);
    }

    /// Adds a measured (not sampled) time of rule `index`.
    pub(crate) fn add_rule(&self, index: usize, time: Duration) {
        if let Some(total) = self.rules.get(index) {
            total.fetch_add(nanos(time), Ordering::Relaxed);
        }
    }

    /// A sampler for the rule hooks of one file.
    pub(crate) fn rule_clock(&self) -> RuleClock {
        RuleClock { sampled_ns: vec![0; self.rules.len()], overhead_ns: self.overhead_ns, state: 0x9e37_79b9_7f4a_7c15 }
    }

    /// The totals so far; `names` are the registry's rule names and `ran`
    /// says which rules to list.
    pub(crate) fn snapshot(&self, rules: impl Iterator<Item = (&'static str, bool)>) -> Timings {
        let load = |n: &AtomicU64| Duration::from_nanos(n.load(Ordering::Relaxed));
        Timings {
            parse: load(&self.parse),
            walk: load(&self.walk),
            crate_phase: load(&self.crate_phase),
            rules: rules
                .zip(&self.rules)
                .filter(|((_, ran), _)| *ran)
                .map(|((name, _), ns)| (name, load(ns)))
                .collect(),
            files: self.files.load(Ordering::Relaxed),
        }
    }
}

/// Samples the rule hooks of one file (see the module docs).
#[derive(Debug)]
pub(crate) struct RuleClock {
    sampled_ns: Vec<u64>,
    overhead_ns: u64,
    /// xorshift state: which calls are timed.
    state: u64,
}

impl RuleClock {
    /// Runs `hook` of rule `index`, timing it if this call is sampled.
    pub(crate) fn time<R>(&mut self, index: usize, hook: impl FnOnce() -> R) -> R {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        if self.state % SAMPLE_EVERY != 0 {
            return hook();
        }
        let start = Instant::now();
        let result = hook();
        let ns = nanos(start.elapsed()).saturating_sub(self.overhead_ns);
        if let Some(total) = self.sampled_ns.get_mut(index) {
            *total += ns * SAMPLE_EVERY;
        }
        result
    }
}

/// Runs `hook` of rule `index`, through `clock` when timing is on.
pub(crate) fn timed<R>(clock: Option<&mut RuleClock>, index: usize, hook: impl FnOnce() -> R) -> R {
    match clock {
        Some(clock) => clock.time(index, hook),
        None => hook(),
    }
}

fn nanos(time: Duration) -> u64 {
    u64::try_from(time.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use crate::Linter;

    #[test]
    fn timings_count_files_phases_and_the_rules_that_ran() {
        let linter = Linter::only(&["vec_push_without_capacity", "padded_struct"]).with_timings();
        let src = "pub struct S {\n    a: u8,\n    b: u64,\n    c: u8,\n}\nfn f(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n";
        for _ in 0..3 {
            linter.lint_source("a.rs", src).expect("parses");
        }
        let timings = linter.timings().expect("timing is on");
        assert_eq!(timings.files, 3);
        assert!(timings.parse > std::time::Duration::ZERO);
        assert!(timings.walk > std::time::Duration::ZERO);
        assert!(timings.crate_phase > std::time::Duration::ZERO);
        let names: Vec<&str> = timings.rules.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["padded_struct", "vec_push_without_capacity"]);
        // padded_struct's crate-phase calls are timed every time.
        assert!(timings.rules[0].1 > std::time::Duration::ZERO);
        assert!(Linter::default().timings().is_none());
    }
}
