//! A small record codec whose hot functions carry allocation budgets.
//! `cargo test` fails when a change makes them allocate more.

use memlint::memtrack;

/// A parsed line: `id,name,score`.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: u32,
    pub name: String,
    pub score: f64,
}

/// Parses one line. Budget: the name is the one allocation.
#[memtrack(max_allocs = 1)]
pub fn parse_line(line: &str) -> Option<Record> {
    let mut fields = line.split(',');
    let id = fields.next()?.trim().parse().ok()?;
    let name = fields.next()?.trim().to_owned();
    let score = fields.next()?.trim().parse().ok()?;
    Some(Record { id, name, score })
}

/// A checksum over bytes. Budget: it must never allocate.
#[memtrack(max_allocs = 0)]
pub fn checksum(buf: &[u8]) -> u32 {
    buf.iter().fold(0u32, |acc, &b| acc.rotate_left(5) ^ u32::from(b))
}

/// Appends a record to `out`. Budget: at most two growths of `out` per
/// call, and never more than 4 KiB.
#[memtrack(name = "encode", max_bytes = 4096, max_allocs_per_call = 2)]
pub fn encode(record: &Record, out: &mut Vec<u8>) {
    out.extend_from_slice(&record.id.to_le_bytes());
    out.extend_from_slice(&(record.name.len() as u32).to_le_bytes());
    out.extend_from_slice(record.name.as_bytes());
    out.extend_from_slice(&record.score.to_le_bytes());
}

/// A checksum that was "improved" by copying its input first: its budget
/// catches it (see the `#[should_panic]` test).
#[memtrack(max_allocs = 0)]
pub fn checksum_with_copy(buf: &[u8]) -> u32 {
    let copy = buf.to_vec();
    checksum(&copy)
}
