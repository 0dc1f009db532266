//! An in-memory store of records, indexed by source.

use std::collections::{BTreeMap, HashMap};

use crate::Record;

/// Records and the indexes over them.
pub struct Store {
    /// Every record, in arrival order.
    pub records: Box<Vec<Record>>,
    /// Record indexes by source.
    pub by_source: HashMap<String, Vec<usize>>,
    /// Hooks run on every new record.
    pub hooks: Vec<Box<dyn Fn(&Record)>>,
    /// Parsed records waiting to be stored.
    pub pending: Vec<Box<Record>>,
    /// The latest record, shared with the readers.
    pub latest: Option<std::rc::Rc<Box<Record>>>,
}

/// Where each source first appears.
pub fn first_seen(records: &[Record]) -> HashMap<&str, usize> {
    let mut first = HashMap::new();
    for (i, r) in records.iter().enumerate().rev() {
        first.insert(r.source.as_str(), i);
    }
    first
}

/// How many records each source logged (the number of sources is unknown:
/// no capacity to reserve).
pub fn counts(records: &[Record]) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for r in records {
        *counts.entry(r.source.as_str()).or_insert(0) += 1;
    }
    counts
}

/// Sources in sorted order (a B-tree has no capacity).
pub fn sorted(records: &[Record]) -> BTreeMap<&str, u64> {
    let mut map = BTreeMap::new();
    for r in records {
        map.insert(r.source.as_str(), r.millis);
    }
    map
}

/// The records of `source`.
pub fn of_source<'a>(store: &'a Store, source: &str) -> Vec<&'a Record> {
    match store.by_source.get(&source.to_string()) {
        Some(indexes) => indexes.iter().map(|&i| &store.records[i]).collect(),
        None => Vec::new(),
    }
}

/// Records whose source is in `wanted`.
pub fn matching(records: &[Record], wanted: Vec<String>) -> Vec<Record> {
    let mut out = Vec::new();
    for r in records {
        let names = wanted.clone();
        if names.contains(&r.source) {
            out.push(r.clone());
        }
    }
    out
}

/// Parses a log and stores its records (`parse_log` is in another file:
/// memlint's crate index knows it returns a `Vec<Record>`).
pub fn load(text: &str, store: &mut Store) {
    let parsed = crate::parse_log(text);
    store.records.extend(parsed.clone());
}

/// `source` upper-cased.
pub fn shout(source: String) -> String {
    let mut loud = source.clone();
    loud.make_ascii_uppercase();
    loud
}

/// The total duration of `records`, in milliseconds.
pub fn total_millis(records: &[Record]) -> u64 {
    let mut total = Box::new(0u64);
    for r in records {
        *total += r.millis;
    }
    *total
}

/// Moves the pending records into the store, oldest first.
pub fn flush_pending(store: &mut Store) {
    while !store.pending.is_empty() {
        let record = store.pending.remove(0);
        store.records.push(*record);
    }
}

/// How many records each level has.
pub fn by_level(records: &[Record]) -> HashMap<String, usize> {
    let mut levels: HashMap<String, usize> = HashMap::new();
    for r in records {
        *levels.entry(r.level.clone()).or_insert(0) += 1;
    }
    levels
}
