//! The thread's allocation counters, bumped by [`crate::Alloc`].
//!
//! They are thread-local: no lock or atomic on the allocation path, and one
//! thread's allocations never show in another's numbers. `const`
//! initialisation of a type without `Drop` makes the thread-local a plain
//! TLS slot: reading it never allocates and never fails, which an
//! allocator needs.

use std::cell::Cell;

struct State {
    allocs: Cell<u64>,
    deallocs: Cell<u64>,
    reallocs: Cell<u64>,
    bytes: Cell<u64>,
    /// Bytes allocated and not yet freed by this thread (may go negative
    /// when the thread frees memory another thread allocated).
    live: Cell<i64>,
    /// The highest `live` since the innermost measurement began.
    peak: Cell<i64>,
}

thread_local! {
    static STATE: State = const {
        State {
            allocs: Cell::new(0),
            deallocs: Cell::new(0),
            reallocs: Cell::new(0),
            bytes: Cell::new(0),
            live: Cell::new(0),
            peak: Cell::new(0),
        }
    };
}

// Called by `Alloc` only when it counts.
#[cfg_attr(not(feature = "track"), allow(dead_code))]
fn grow(s: &State, size: usize) {
    let live = s.live.get() + size as i64;
    s.live.set(live);
    if live > s.peak.get() {
        s.peak.set(live);
    }
}

/// An allocation of `size` bytes.
// Called by `Alloc` only when it counts.
#[cfg_attr(not(feature = "track"), allow(dead_code))]
pub(crate) fn on_alloc(size: usize) {
    STATE.with(|s| {
        s.allocs.set(s.allocs.get() + 1);
        s.bytes.set(s.bytes.get() + size as u64);
        grow(s, size);
    });
}

/// A deallocation of `size` bytes.
// Called by `Alloc` only when it counts.
#[cfg_attr(not(feature = "track"), allow(dead_code))]
pub(crate) fn on_dealloc(size: usize) {
    STATE.with(|s| {
        s.deallocs.set(s.deallocs.get() + 1);
        s.live.set(s.live.get() - size as i64);
    });
}

/// A reallocation from `old` to `new` bytes: one allocation of the new size,
/// as DHAT counts it.
// Called by `Alloc` only when it counts.
#[cfg_attr(not(feature = "track"), allow(dead_code))]
pub(crate) fn on_realloc(old: usize, new: usize) {
    STATE.with(|s| {
        s.allocs.set(s.allocs.get() + 1);
        s.reallocs.set(s.reallocs.get() + 1);
        s.bytes.set(s.bytes.get() + new as u64);
        s.live.set(s.live.get() - old as i64);
        grow(s, new);
    });
}

/// What happened on this thread between [`Measure::begin`] and
/// [`Measure::end`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Allocations, reallocations included (a reallocation is one
    /// allocation of the new size, as DHAT counts it).
    pub allocs: u64,
    /// Deallocations.
    pub deallocs: u64,
    /// Reallocations (also counted in `allocs`).
    pub reallocs: u64,
    /// Bytes allocated, reallocations counted at their new size.
    pub bytes: u64,
    /// The most bytes live at once above the level at the start.
    pub peak_bytes: u64,
    /// Live bytes at the end minus live bytes at the start (negative when
    /// more was freed than allocated).
    pub live_change: i64,
}

/// An open measurement on the current thread. Measurements nest: an outer
/// measurement's counts include an inner one's, and its peak too.
#[derive(Debug)]
pub(crate) struct Measure {
    start: [u64; 4],
    entry_live: i64,
    /// The enclosing measurement's peak so far, restored at the end.
    saved_peak: i64,
}

impl Measure {
    pub(crate) fn begin() -> Measure {
        STATE.with(|s| {
            let live = s.live.get();
            let saved_peak = s.peak.get();
            s.peak.set(live);
            Measure {
                start: [s.allocs.get(), s.deallocs.get(), s.reallocs.get(), s.bytes.get()],
                entry_live: live,
                saved_peak,
            }
        })
    }

    pub(crate) fn end(self) -> Counts {
        STATE.with(|s| {
            let peak = s.peak.get();
            // The enclosing measurement saw everything this one saw.
            s.peak.set(peak.max(self.saved_peak));
            Counts {
                allocs: s.allocs.get() - self.start[0],
                deallocs: s.deallocs.get() - self.start[1],
                reallocs: s.reallocs.get() - self.start[2],
                bytes: s.bytes.get() - self.start[3],
                peak_bytes: u64::try_from(peak - self.entry_live).unwrap_or(0),
                live_change: s.live.get() - self.entry_live,
            }
        })
    }
}

/// Runs `f` without its allocations showing in this thread's counters
/// (memlint's own bookkeeping: reading an environment variable, say).
/// Whatever `f` allocates must be freed by the time it returns.
pub(crate) fn uncounted<T>(f: impl FnOnce() -> T) -> T {
    let saved = STATE.with(|s| {
        [s.allocs.get(), s.deallocs.get(), s.reallocs.get(), s.bytes.get(), s.live.get() as u64, s.peak.get() as u64]
    });
    let out = f();
    STATE.with(|s| {
        s.allocs.set(saved[0]);
        s.deallocs.set(saved[1]);
        s.reallocs.set(saved[2]);
        s.bytes.set(saved[3]);
        s.live.set(saved[4] as i64);
        s.peak.set(saved[5] as i64);
    });
    out
}
