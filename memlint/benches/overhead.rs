//! What tracking costs: the same allocation-heavy workload, untracked on the
//! plain system allocator and tracked (`#[memtrack]` on a counting
//! `memlint::Alloc`), measured in alternating rounds of one process so that
//! machine noise hits both alike.
//!
//! One global allocator serves both sides: a switch forwards to the system
//! allocator or to `memlint::Alloc` (both sides pay for the switch's branch).

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static COUNTING: AtomicBool = AtomicBool::new(false);
static COUNTED: memlint::Alloc = memlint::Alloc::system();

struct Switch;

// SAFETY: forwards every call unchanged to `System` or to `memlint::Alloc`
// over `System`; both free what either allocated, as both end in `System`.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Switch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { if COUNTING.load(Ordering::Relaxed) { COUNTED.alloc(layout) } else { System.alloc(layout) } }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe {
            if COUNTING.load(Ordering::Relaxed) { COUNTED.dealloc(ptr, layout) } else { System.dealloc(ptr, layout) }
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        unsafe {
            if COUNTING.load(Ordering::Relaxed) {
                COUNTED.realloc(ptr, layout, new_size)
            } else {
                System.realloc(ptr, layout, new_size)
            }
        }
    }
}

#[global_allocator]
static ALLOC: Switch = Switch;

/// Small strings, a growing vector and a map: about 1,000 allocations a call.
fn workload(n: u64) -> usize {
    // memlint: allow(vec_push_without_capacity) allocations are the point
    let mut names = Vec::new();
    // memlint: allow(map_insert_without_capacity) allocations are the point
    let mut index = HashMap::new();
    for i in 0..n {
        let name = format!("record-{i}");
        index.insert(i, name.len());
        names.push(name);
    }
    names.iter().map(String::len).sum::<usize>() + index.len()
}

fn untracked(n: u64) -> usize {
    workload(n)
}

#[memlint::memtrack]
fn tracked(n: u64) -> usize {
    workload(n)
}

/// Nanoseconds per call of `f` over a round of `calls` calls.
fn round(calls: u32, f: impl Fn(u64) -> usize) -> f64 {
    let start = Instant::now();
    for _ in 0..calls {
        black_box(f(black_box(1000)));
    }
    start.elapsed().as_nanos() as f64 / f64::from(calls)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then one quick round.
    let full = std::env::args().any(|a| a == "--bench");
    let (rounds, calls) = if full { (41, 200) } else { (3, 5) };
    let (mut plain, mut counted) = (Vec::new(), Vec::new());
    let deadline = Instant::now() + Duration::from_secs(120);
    for _ in 0..rounds {
        COUNTING.store(false, Ordering::Relaxed);
        plain.push(round(calls, untracked));
        COUNTING.store(true, Ordering::Relaxed);
        counted.push(round(calls, tracked));
        if Instant::now() > deadline {
            break;
        }
    }
    COUNTING.store(false, Ordering::Relaxed);
    let stats = memlint::report();
    let per_call = stats.iter().find(|s| s.name == "tracked").map_or(0, |s| s.max_allocs_per_call);
    let (plain, counted) = (median(plain), median(counted));
    println!("workload: {per_call} allocations per call, {} rounds of {calls} calls each side", rounds);
    println!("untracked (system allocator): {:>10.0} ns/call (median)", plain);
    println!("tracked (#[memtrack] + Alloc): {:>10.0} ns/call (median)", counted);
    println!("overhead: {:+.1}% (ratio {:.3})", (counted / plain - 1.0) * 100.0, counted / plain);
}
