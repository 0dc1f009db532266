//! How many allocations growing a collection from empty costs, following
//! std's growth rule: for a `Vec`, the first allocation holds 4 elements (for
//! elements of 2 to 1024 bytes), then the capacity doubles. A realloc counts as an
//! allocation, as DHAT counts it: 1000 pushes of `u64` into `Vec::new()` are 9
//! allocations (measured with dhat-rs and valgrind's DHAT).

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
