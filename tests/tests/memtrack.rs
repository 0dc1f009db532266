//! `#[memtrack]` and `memlint::Alloc` with tracking on: exact counts for
//! known workloads, thread isolation, nesting, panics, budgets, every kind
//! of function, and async functions.
//!
//! Statistics are process-wide and tests run in parallel, so each test
//! tracks functions of its own.

use std::collections::HashMap;

use memlint::{FnStats, memtrack};

#[global_allocator]
static ALLOC: memlint::Alloc = memlint::Alloc::system();

/// The statistics of the tracked function named `name`.
fn stats(name: &str) -> FnStats {
    let all = memlint::report();
    all.iter().find(|s| s.name == name).cloned().unwrap_or_else(|| panic!("`{name}` not in the report: {all:#?}"))
}

/// (calls, allocs, bytes) of `name`.
fn totals(name: &str) -> (u64, u64, u64) {
    let s = stats(name);
    (s.calls, s.allocs, s.bytes)
}

#[memtrack]
fn vec_pushed() -> Vec<u64> {
    // memlint: allow(vec_push_without_capacity) the growth is what this test measures
    let mut v = Vec::new();
    for i in 0..1000 {
        v.push(i);
    }
    v
}

// memlint's own static rules predict these counts: 9 allocations for the
// Vec, 8 for the String and 10 for the map (their findings, suppressed
// above, say so); the tests measure them.

#[test]
fn vec_growth_counts_as_dhat_does() {
    // Capacities 4, 8, ..., 1024: one allocation and eight reallocations,
    // 8 * (4 + 8 + ... + 1024) = 16,352 bytes.
    let v = vec_pushed();
    assert_eq!(v.len(), 1000);
    assert_eq!(totals("vec_pushed"), (1, 9, 16_352));
    let s = stats("vec_pushed");
    assert_eq!((s.max_allocs_per_call, s.max_bytes_per_call), (9, 16_352));
    assert_eq!(s.peak_bytes, 8192, "the final buffer is live when the call returns");
}

#[memtrack]
fn string_grown() -> String {
    // memlint: allow(string_push_without_capacity) the growth is what this test measures
    let mut s = String::new();
    for _ in 0..100 {
        s.push_str("0123456789");
    }
    s
}

#[memtrack]
fn string_reserved() -> String {
    let mut s = String::with_capacity(1000);
    for _ in 0..100 {
        s.push_str("0123456789");
    }
    s
}

#[test]
fn strings_with_and_without_capacity() {
    assert_eq!(string_grown().len(), 1000);
    assert_eq!(string_reserved().len(), 1000);
    // Capacities 10, 20, 40, ..., 1280 (doubling, at least what is needed).
    assert_eq!(totals("string_grown"), (1, 8, 2550));
    assert_eq!(totals("string_reserved"), (1, 1, 1000));
}

#[memtrack]
fn map_inserted() -> HashMap<u64, u64> {
    // memlint: allow(map_insert_without_capacity) the growth is what this test measures
    let mut map = HashMap::new();
    for i in 0..1000 {
        map.insert(i, i * 2);
    }
    map
}

#[memtrack]
fn map_reserved() -> HashMap<u64, u64> {
    let mut map = HashMap::with_capacity(1000);
    for i in 0..1000 {
        map.insert(i, i * 2);
    }
    map
}

#[test]
fn hash_map_with_and_without_capacity() {
    assert_eq!(map_inserted().len(), 1000);
    assert_eq!(map_reserved().len(), 1000);
    // hashbrown doubles its buckets 4, 8, ..., 2048 (a table holds 7/8 of
    // its buckets); each table is one allocation of 16-byte slots plus a
    // control byte per bucket and 16 more (SSE2 group width).
    let tables: Vec<u64> = (2..=11).map(|k| 1u64 << k).collect();
    let bytes: u64 = tables.iter().map(|b| b * 16 + b + 16).sum();
    assert_eq!(totals("map_inserted"), (1, tables.len() as u64, bytes));
    assert_eq!(totals("map_reserved"), (1, 1, 2048 * 16 + 2048 + 16));
}

#[memtrack]
fn quiet_worker(n: u64) -> Vec<u64> {
    (0..n).collect()
}

#[test]
fn other_threads_do_not_disturb_the_counts() {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let noisy = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                kept.push(vec![0u8; 64]);
                if kept.len() > 1000 {
                    kept.clear();
                }
            }
        })
    };
    for _ in 0..200 {
        assert_eq!(quiet_worker(100).len(), 100);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    noisy.join().expect("the noisy thread");
    assert_eq!(totals("quiet_worker"), (200, 200, 200 * 800));
    assert_eq!(stats("quiet_worker").max_allocs_per_call, 1);
}

#[memtrack]
fn inner_part() -> Vec<u8> {
    vec![1; 100]
}

#[memtrack]
fn outer_whole() -> usize {
    let a = inner_part();
    let b = inner_part();
    #[expect(clippy::useless_vec, reason = "the test needs the heap allocation")]
    let own = vec![0u32; 10];
    a.len() + b.len() + own.len()
}

#[test]
fn nested_functions_are_attributed_to_both() {
    assert_eq!(outer_whole(), 210);
    assert_eq!(totals("inner_part"), (2, 2, 200));
    assert_eq!(totals("outer_whole"), (1, 3, 240), "the outer call includes the inner calls");
    // 100 + 100 + 40 bytes are live at once before the call returns.
    assert_eq!(stats("outer_whole").peak_bytes, 240);
    assert_eq!(stats("inner_part").peak_bytes, 100);
}

#[memtrack]
fn panics_after_allocating() {
    let buffer = vec![0u8; 256];
    if buffer.len() == 256 {
        panic!("boom");
    }
}

#[test]
fn a_panicking_call_is_still_recorded() {
    assert!(std::panic::catch_unwind(panics_after_allocating).is_err());
    let s = stats("panics_after_allocating");
    // The 256-byte buffer, plus what the panic machinery allocates
    // before the guard is dropped on unwind.
    assert_eq!(s.calls, 1);
    assert!(s.allocs >= 1 && s.bytes >= 256, "{s:?}");
}

#[memtrack(max_allocs = 0)]
fn checksum(buf: &[u8]) -> u32 {
    buf.iter().map(|&b| u32::from(b)).sum()
}

#[memtrack(max_allocs = 0)]
fn sneaky_checksum(buf: &[u8]) -> u32 {
    let copy = buf.to_vec();
    copy.iter().map(|&b| u32::from(b)).sum()
}

#[memtrack(name = "encode", max_bytes = 64, max_allocs_per_call = 2)]
fn encode_record(id: u32, out: &mut Vec<u8>) {
    out.extend_from_slice(&id.to_le_bytes());
}

#[test]
fn budgets_that_hold_pass() {
    assert_eq!(checksum(&[1, 2, 3]), 6);
    let mut out = Vec::with_capacity(16);
    encode_record(7, &mut out);
    encode_record(8, &mut out);
    assert_eq!(stats("checksum").budget_violations, 0);
    let encode = stats("encode");
    assert_eq!((encode.calls, encode.allocs, encode.budget.max_bytes_per_call), (2, 0, Some(64)));
}

#[test]
#[should_panic(expected = "sneaky_checksum` (tests/tests/memtrack.rs:")]
fn budgets_that_break_panic_naming_the_function() {
    sneaky_checksum(&[1, 2, 3]);
}

#[test]
fn the_budget_message_names_the_budget_and_the_measured_value() {
    let message = std::panic::catch_unwind(|| sneaky_checksum(&[4, 5]))
        .expect_err("over budget")
        .downcast::<String>()
        .map(|m| *m)
        .unwrap_or_default();
    assert!(
        message.starts_with("memlint: `memtrack::sneaky_checksum` (tests/tests/memtrack.rs:")
            && message.ends_with("went over its budget `max_allocs = 0`: 1 allocation in one call"),
        "{message}"
    );
}

#[memtrack(max_bytes_total = 100)]
fn small_each_time() -> Vec<u8> {
    vec![0; 40]
}

#[test]
fn total_budgets_count_every_call() {
    small_each_time();
    small_each_time();
    let third = std::panic::catch_unwind(small_each_time).expect_err("the third call goes over");
    let message = third.downcast::<String>().map(|m| *m).unwrap_or_default();
    assert!(message.ends_with("`max_bytes_total = 100`: 120 bytes allocated in 3 calls"), "{message}");
}

/// Methods with every receiver, a generic function, `impl Trait`, `?` and
/// early returns.
#[derive(Debug, Default)]
struct Buffer {
    data: Vec<u8>,
}

impl Buffer {
    #[memtrack]
    fn method_ref(&self) -> usize {
        self.data.len()
    }

    #[memtrack]
    fn method_mut(&mut self, n: usize) {
        self.data.reserve_exact(n);
    }

    #[memtrack]
    fn method_owned(self) -> Vec<u8> {
        self.data
    }

    #[memtrack]
    async fn async_method(&mut self, extra: &[u8]) -> usize {
        YieldOnce(false).await;
        self.data.extend_from_slice(extra);
        self.data.len()
    }
}

#[memtrack]
fn generic_boxed<T: Clone>(value: &T) -> Box<T> {
    Box::new(value.clone())
}

#[memtrack]
fn returns_impl_trait(n: u32) -> impl Iterator<Item = u32> {
    vec![n; 3].into_iter()
}

#[memtrack]
fn parses_with_question_mark(text: &str) -> Result<Vec<u32>, std::num::ParseIntError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(4);
    for part in text.split(',') {
        out.push(part.trim().parse()?);
    }
    Ok(out)
}

#[test]
fn every_kind_of_function_is_tracked() {
    let mut buffer = Buffer::default();
    buffer.method_mut(32);
    assert_eq!(buffer.method_ref(), 0);
    assert_eq!(buffer.method_owned().capacity(), 32);
    assert_eq!(totals("method_mut"), (1, 1, 32));
    assert_eq!(totals("method_ref"), (1, 0, 0));
    assert_eq!(totals("method_owned"), (1, 0, 0));

    assert_eq!(*generic_boxed(&7u64), 7);
    assert_eq!(*generic_boxed(&[0u8; 3]), [0; 3]);
    assert_eq!(totals("generic_boxed"), (2, 2, 11), "both instances share the function's entry");

    assert_eq!(returns_impl_trait(5).sum::<u32>(), 15);
    assert_eq!(totals("returns_impl_trait"), (1, 1, 12));

    assert_eq!(parses_with_question_mark("1, 2"), Ok(vec![1, 2]));
    assert!(parses_with_question_mark("1, x").is_err());
    assert_eq!(parses_with_question_mark(""), Ok(vec![]));
    // Two calls reserve 16 bytes each; the early return allocates nothing.
    assert_eq!(totals("parses_with_question_mark"), (3, 2, 32));
}

/// A future that is pending once before it completes.
struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}

/// Runs a future to completion on this thread.
fn block_on<F: std::future::Future>(future: F) -> (F::Output, u32) {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut polls = 0;
    loop {
        polls += 1;
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return (out, polls);
        }
    }
}

#[memtrack]
async fn async_inner(n: usize) -> Vec<u8> {
    let first = vec![1u8; n];
    YieldOnce(false).await;
    let mut second = vec![2u8; n];
    second.extend_from_slice(&first);
    second
}

#[memtrack(max_allocs = 10)]
async fn async_outer() -> Result<usize, String> {
    let a = async_inner(8).await;
    if a.is_empty() {
        return Err("empty".to_owned());
    }
    let n: usize = "4".parse::<usize>().map_err(|e| e.to_string())?;
    Ok(a.len() + n)
}

#[test]
fn async_functions_are_counted_across_polls() {
    let (out, polls) = block_on(async_outer());
    assert_eq!(out, Ok(20));
    assert_eq!(polls, 2, "the inner future yields once");
    // `first` (8), `second` (8), then `second` grows to 16.
    assert_eq!(totals("async_inner"), (1, 3, 32));
    assert_eq!(totals("async_outer"), (1, 3, 32));
    // `first` and the grown `second` are live together: 8 + 16.
    assert_eq!(stats("async_inner").peak_bytes, 24);
}

#[test]
fn async_methods_borrow_self() {
    let mut buffer = Buffer::default();
    let (len, polls) = block_on(buffer.async_method(b"abc"));
    assert_eq!((len, polls), (3, 2));
    assert_eq!(totals("async_method"), (1, 1, 8), "the first growth of a Vec<u8> reserves 8 bytes");
}

#[test]
fn measure_counts_a_closure() {
    let (v, counts) = memlint::measure(|| {
        let mut v = Vec::new();
        for i in 0..1000u64 {
            v.push(i);
        }
        v
    });
    assert_eq!(v.len(), 1000);
    assert_eq!((counts.allocs, counts.reallocs, counts.bytes, counts.deallocs), (9, 8, 16_352, 0));
    assert_eq!(counts.live_change, 8192);
    const { assert!(memlint::TRACKING) };
}

#[memtrack(max_allocs = 5, max_bytes_total = 1000000)]
fn only_its_own() -> Vec<u8> {
    vec![1; 100]
}

#[test]
fn tracking_allocates_nothing_itself() {
    // Measured from outside, a tracked call costs exactly its own allocation,
    // the first call (which registers the function) included.
    for _ in 0..2 {
        let (_, counts) = memlint::measure(only_its_own);
        assert_eq!((counts.allocs, counts.deallocs, counts.bytes), (1, 0, 100));
    }
}
