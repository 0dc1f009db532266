//! `memlint-demo`: a tiny log-report generator.
//!
//! It parses `LEVEL source millis` log lines into [`Record`]s and renders
//! reports from them (see [`report`]). Some functions grow collections or
//! strings the slow way on purpose, next to look-alikes that are fine, so
//! that `cargo memlint` has something to report.

use std::collections::VecDeque;

pub mod csv;
pub mod report;
pub mod store;
pub mod wire;

/// One parsed log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Severity: `INFO`, `WARN` or `ERROR`.
    pub level: String,
    /// The component that logged the line.
    pub source: String,
    /// How long the logged operation took, in milliseconds.
    pub millis: u64,
}

/// Parses `LEVEL source millis` lines, skipping lines that don't parse.
pub fn parse_log(text: &str) -> Vec<Record> {
    let mut records = Vec::new();
    for line in text.lines() {
        let mut parts = line.split_whitespace();
        if let (Some(level), Some(source), Some(millis)) = (parts.next(), parts.next(), parts.next()) {
            if let Ok(millis) = millis.parse() {
                records.push(Record { level: level.to_owned(), source: source.to_owned(), millis });
            }
        }
    }
    records
}

/// The duration of every record, in log order.
pub fn durations(records: &[Record]) -> Vec<u64> {
    let mut out = Vec::new();
    for r in records {
        out.push(r.millis);
    }
    out
}

/// `level:source` labels, one per record.
pub fn labels(records: &[Record]) -> Vec<String> {
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        out.push(r.level.clone() + ":" + &r.source);
    }
    out
}

/// Upper bounds of `n` latency buckets: 1, 2, 4, 8, ... milliseconds.
pub fn bucket_bounds(n: usize) -> Vec<u64> {
    let mut bounds = Vec::new();
    for i in 0..n {
        bounds.push(1u64 << i);
    }
    bounds
}

/// Durations newest first, as a queue the caller can pop from either end.
pub fn newest_first(records: &[Record]) -> VecDeque<u64> {
    let mut queue = VecDeque::new();
    for r in records.iter().rev() {
        queue.push_back(r.millis);
    }
    queue
}

/// The durations, reserved up front.
pub fn durations_reserved(records: &[Record]) -> Vec<u64> {
    let mut out = Vec::new();
    out.reserve(records.len());
    for r in records {
        out.push(r.millis);
    }
    out
}

/// Sources of the records slower than `threshold` milliseconds.
pub fn slow_sources(records: &[Record], threshold: u64) -> Vec<&str> {
    let mut out = Vec::new();
    for r in records {
        if r.millis > threshold {
            out.push(r.source.as_str());
        }
    }
    out
}

/// The records before the first `ERROR`.
pub fn before_first_error(records: &[Record]) -> Vec<&Record> {
    let mut out = Vec::new();
    for r in records {
        if r.level == "ERROR" {
            break;
        }
        out.push(r);
    }
    out
}

/// Empties `queue`, returning the sources in the order they were queued.
pub fn drain_sources(queue: &mut VecDeque<Record>) -> Vec<String> {
    let mut sources = Vec::new();
    while let Some(r) = queue.pop_front() {
        sources.push(r.source);
    }
    sources
}
