//! Rendering [`Record`]s as text.

use std::fmt::Write;

use crate::Record;

/// A one-line title for a report over `count` records.
pub fn title(name: &str, count: usize) -> String {
    format!("# {name} ({count} records)")
}

/// Every record as a CSV row, after a header row.
pub fn to_csv(records: &[Record]) -> String {
    let mut csv = String::from("level,source,millis\n");
    for r in records {
        csv = format!("{csv}{},{},{}\n", r.level, r.source, r.millis);
    }
    csv
}

/// The sources, each followed by a comma.
pub fn source_list(records: &[Record]) -> String {
    let mut list = String::new();
    for r in records {
        list = list.clone() + &r.source + ",";
    }
    list
}

/// `/a/b/c` for the call stack `["c", "b", "a"]` (innermost first).
pub fn call_path(stack: &[&str]) -> String {
    let mut path = String::new();
    for frame in stack {
        path.insert_str(0, &format!("/{frame}"));
    }
    path
}

/// One line per record: `LEVEL source 12ms`.
pub fn summary(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records {
        out += &r.level;
        out.push(' ');
        out.push_str(&r.source);
        writeln!(out, " {}ms", r.millis).unwrap();
    }
    out
}

/// `name=millis` pairs, space separated.
pub fn timings(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records {
        out.push_str(&format!("{}={} ", r.source, r.millis));
    }
    out
}

/// The first letter of every level, e.g. `IWE`.
pub fn level_initials(records: &[Record]) -> String {
    let mut initials = String::new();
    for r in records {
        initials.push(r.level.chars().next().unwrap_or('?'));
    }
    initials
}

/// The number of records, as text.
pub fn record_count(records: &[Record]) -> String {
    // memlint: allow(string_push_without_capacity) this used to build the text by hand
    records.len().to_string()
}

/// The median duration, in milliseconds.
pub fn median_millis(records: &[Record]) -> u64 {
    let mut millis: Vec<u64> = records.iter().map(|r| r.millis).collect();
    millis.sort();
    millis.get(millis.len() / 2).copied().unwrap_or(0)
}

/// A thread that prints the reports it is sent (`unbounded_channel`, a
/// pedantic rule, reports the channel when turned on).
pub fn spawn_printer() -> std::sync::mpsc::Sender<String> {
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || rx.into_iter().for_each(|report| println!("{report}")));
    tx
}

/// `source:millis` pairs, comma separated.
pub fn pairs(records: &[Record]) -> String {
    records.iter().map(|r| format!("{}:{}", r.source, r.millis)).collect::<Vec<String>>().join(",")
}

/// The level to show for a record that may have none.
pub fn level_or_default(level: Option<String>) -> String {
    level.unwrap_or("INFO".to_string())
}
