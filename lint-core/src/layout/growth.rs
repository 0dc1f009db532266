//! How many allocations growing a collection from empty costs, following
//! std's growth rule: for a `Vec`, the first allocation holds 4 elements (for
//! elements of 2 to 1024 bytes), then the capacity doubles. A realloc counts as an
//! allocation, as DHAT counts it: 1000 pushes of `u64` into `Vec::new()` are 9
//! allocations (measured with dhat-rs and valgrind's DHAT).
//!
//! It lives with the layout estimates rather than with the rules so that a
//! finding whose loop count is a constant of another file can carry its
//! [`Growth`] to the crate phase, which decides it once the value is known.

/// How a capacity rule's collection grows on each iteration of its loop:
/// what the rule's decision for a known count needs, as owned data, so the
/// same decision runs in the file phase (count known there) and in the
/// crate phase (count a constant of another file).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Growth {
    /// `per_iteration` pushes into an empty `Vec` or `VecDeque`.
    Vec { per_iteration: u64 },
    /// Appends to an empty `String`: `pushes` are the bytes of each append
    /// of one iteration (lower bounds); `unknown` when some are not known
    /// at all, `chars` when some are a `char` counted as one byte.
    String { pushes: Vec<u64>, unknown: bool, chars: bool },
    /// `per_iteration` inserts into an empty hash table; `std_table` when
    /// it is std's `HashMap`/`HashSet` (or a wrapper of hashbrown with the
    /// same growth), whose allocations memlint can count.
    Map { per_iteration: u64, std_table: bool },
}

impl Growth {
    /// Whether a loop of `n` iterations certainly stays within the first
    /// allocation: then reserving saves nothing and the rule is silent.
    pub fn fits_first_allocation(&self, n: u64) -> bool {
        match self {
            Growth::Vec { per_iteration } => vec_growth_allocations(n.saturating_mul(*per_iteration)) <= 1,
            // Unknown sizes: at least one byte per append, as pushes into a `Vec<u8>`.
            Growth::String { pushes, unknown: true, .. } => {
                vec_growth_allocations(n.saturating_mul(pushes.len() as u64)) <= 1
            }
            Growth::String { pushes, .. } => string_growth_allocations(n, pushes) <= 1,
            Growth::Map { per_iteration, .. } => map_growth_allocations(n.saturating_mul(*per_iteration)) <= 1,
        }
    }

    /// What a loop of `n` iterations costs, for the finding's message, when
    /// memlint can count it; `None` when it can't (the rule then says it
    /// without numbers).
    pub fn cost(&self, n: u64) -> Option<String> {
        match self {
            Growth::Vec { per_iteration } => {
                let total = n.saturating_mul(*per_iteration);
                Some(format!("{total} elements cost {} allocations where one would do", vec_growth_allocations(total)))
            }
            Growth::String { pushes, unknown: false, chars: false } => {
                let total = n.saturating_mul(pushes.iter().fold(0u64, |a, b| a.saturating_add(*b)));
                Some(format!(
                    "{total} bytes cost {} allocations where one would do",
                    string_growth_allocations(n, pushes)
                ))
            }
            Growth::String { .. } | Growth::Map { std_table: false, .. } => None,
            Growth::Map { per_iteration, std_table: true } => {
                let total = n.saturating_mul(*per_iteration);
                Some(format!(
                    "up to {total} entries cost {} allocations, each rehashing every entry so far, where one would do",
                    map_growth_allocations(total)
                ))
            }
        }
    }
}

/// Allocations made by `n` pushes into an empty `Vec` or `VecDeque`.
pub fn vec_growth_allocations(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let mut capacity = 4u64;
    let mut allocations = 1;
    while capacity < n {
        capacity = capacity.saturating_mul(2);
        allocations += 1;
    }
    allocations
}

/// Allocations made by appending `pushes` (byte lengths, in order) once per
/// iteration for `iterations` iterations to an empty `String`: its buffer is
/// a `Vec<u8>`, whose first allocation holds 8 bytes (or the first push) and
/// which then grows to the larger of twice its capacity and what it needs.
pub fn string_growth_allocations(iterations: u64, pushes: &[u64]) -> u64 {
    let per_iteration: u64 = pushes.iter().fold(0u64, |a, b| a.saturating_add(*b));
    if per_iteration == 0 {
        return 0;
    }
    let (mut len, mut capacity, mut allocations) = (0u64, 0u64, 0u64);
    let mut done = 0u64;
    while done < iterations {
        // Whole iterations that fit in the current buffer need no allocation: skip them.
        let fitting = (capacity - len) / per_iteration;
        let skip = fitting.min(iterations - done);
        len = len.saturating_add(skip.saturating_mul(per_iteration));
        done += skip;
        if done == iterations {
            break;
        }
        for &push in pushes {
            let needed = len.saturating_add(push);
            if needed > capacity {
                capacity = needed.max(capacity.saturating_mul(2)).max(8);
                allocations += 1;
            }
            len = needed;
        }
        done += 1;
        if len == u64::MAX {
            break; // Saturated: nothing changes any more.
        }
    }
    allocations
}

/// Allocations made by `n` inserts of distinct keys into an empty `HashMap`
/// or `HashSet` (hashbrown): the table holds 3, 7, 14, 28, .. entries (7/8
/// of a power of two from 16 buckets on), each growth a new table into
/// which every entry is rehashed.
pub fn map_growth_allocations(n: u64) -> u64 {
    let mut capacity = 0u64;
    let mut allocations = 0;
    while capacity < n {
        let needed = capacity + 1;
        let buckets = match needed {
            0..4 => 4,
            4..8 => 8,
            _ => (needed.saturating_mul(8) / 7).checked_next_power_of_two().unwrap_or(u64::MAX),
        };
        capacity = if buckets < 8 { buckets - 1 } else { buckets / 8 * 7 };
        allocations += 1;
    }
    allocations
}

#[cfg(test)]
mod tests {
    use super::{map_growth_allocations, string_growth_allocations, vec_growth_allocations};

    #[test]
    fn string_growth() {
        assert_eq!(string_growth_allocations(0, &[1]), 0);
        assert_eq!(string_growth_allocations(8, &[1]), 1);
        assert_eq!(string_growth_allocations(9, &[1]), 2);
        assert_eq!(string_growth_allocations(1000, &[1]), 8);
        assert_eq!(string_growth_allocations(3, &[20]), 3);
        assert!(string_growth_allocations(u64::MAX, &[1, 2]) < 70);
        assert_eq!(string_growth_allocations(5, &[0]), 0);
    }

    #[test]
    fn map_growth() {
        assert_eq!(map_growth_allocations(0), 0);
        assert_eq!(map_growth_allocations(3), 1);
        assert_eq!(map_growth_allocations(4), 2);
        assert_eq!(map_growth_allocations(8), 3);
        assert_eq!(map_growth_allocations(1000), 10);
    }

    #[test]
    fn matches_measured_growth() {
        assert_eq!(vec_growth_allocations(0), 0);
        assert_eq!(vec_growth_allocations(1), 1);
        assert_eq!(vec_growth_allocations(4), 1);
        assert_eq!(vec_growth_allocations(5), 2);
        assert_eq!(vec_growth_allocations(1000), 9);
        assert_eq!(vec_growth_allocations(1024), 9);
        assert_eq!(vec_growth_allocations(1025), 10);
    }
}
