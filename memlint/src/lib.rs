//! Per-function allocation tracking and budgets.
//!
//! ```toml
//! # Not on crates.io: from the repository (or `path = "../memlint/memlint"` in a clone).
//! [dependencies]
//! memlint = { git = "https://github.com/memlint/memlint" }                          # tracking off: zero cost
//!
//! [dev-dependencies]
//! memlint = { git = "https://github.com/memlint/memlint", features = ["track"] }    # tracking on in `cargo test`
//! ```
//!
//! ```
//! #[global_allocator]
//! static ALLOC: memlint::Alloc = memlint::Alloc::system();
//!
//! #[memlint::memtrack(max_allocs = 1)]
//! fn squares(n: u64) -> Vec<u64> {
//!     (0..n).map(|i| i * i).collect()
//! }
//!
//! # fn main() {
//! squares(1000);
//! let stats = memlint::report();
//! # #[cfg(feature = "track")]
//! assert_eq!((stats[0].calls, stats[0].allocs, stats[0].bytes), (1, 1, 8000));
//! # }
//! ```
//!
//! - [`Alloc`] wraps a global allocator and counts, per thread, what is
//!   allocated: no lock on the allocation path, and tests running in
//!   parallel don't see each other's allocations.
//! - [`memtrack`] records, per function, calls, allocations, bytes, the
//!   per-call maxima and the peak live bytes of a call, and checks budgets
//!   (`max_allocs`, `max_bytes`, `max_peak_bytes`, `max_allocs_total`,
//!   `max_bytes_total`). A call over budget panics, naming the function,
//!   the budget and the measured value, or with [`BudgetAction::Report`]
//!   prints and counts a violation.
//! - [`report`], [`report_json`], [`write_report`], [`report_table`]: the
//!   numbers. With `MEMLINT_REPORT=path` the JSON report is written when
//!   the process exits; `MEMLINT_REPORT=-` prints the table to standard error.
//! - [`measure`] counts what a closure allocates on the current thread.
//!
//! Without the `track` feature, `#[memtrack]` emits the function exactly
//! as written and [`Alloc`] only forwards to the allocator it wraps.
//!
//! Counting follows DHAT: a reallocation counts as one allocation of the
//! new size, so 1000 pushes into a `Vec::<u64>::new()` are 9 allocations
//! and 16,352 bytes, as dhat-rs and valgrind's DHAT report them.
//! Allocations are counted on the thread that makes them: work a tracked
//! function hands to other threads is not in its numbers.

mod alloc;
mod budget;
mod counters;
mod future;
mod report;
mod site;

pub use alloc::Alloc;
pub use budget::{Budget, BudgetAction, budget_action, set_budget_action};
pub use counters::Counts;
pub use memlint_macros::memtrack;
pub use report::{FnStats, REPORT_VERSION, report, report_json, report_table, write_report};

/// Whether tracking is compiled in (the `track` feature).
pub const TRACKING: bool = cfg!(feature = "track");

/// Runs `f` and counts what it allocates on the current thread (all zeros
/// without the `track` feature, or when [`Alloc`] is not the global allocator).
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, Counts) {
    /// Ends the measurement also when `f` panics, so that an enclosing
    /// measurement's peak stays right.
    struct End(Option<counters::Measure>);
    impl Drop for End {
        fn drop(&mut self) {
            if let Some(measure) = self.0.take() {
                measure.end();
            }
        }
    }
    let mut open = End(Some(counters::Measure::begin()));
    let out = f();
    let counts = open.0.take().map(counters::Measure::end).unwrap_or_default();
    (out, counts)
}

/// What `#[memtrack]` expands to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::budget::Budget;
    pub use crate::future::{Tracked, track_future};
    pub use crate::site::{Guard, Site, SiteInfo};
}
