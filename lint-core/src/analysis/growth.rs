//! How many allocations growing a collection from empty costs, following
//! std's growth rule: the first allocation holds 4 elements (for elements of
//! 2 to 1024 bytes), then the capacity doubles. A realloc counts as an
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

#[cfg(test)]
mod tests {
    use super::vec_growth_allocations;

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
