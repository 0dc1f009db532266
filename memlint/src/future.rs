//! `async fn` tracking: the future is measured around each poll, and one
//! call is recorded when it completes (or is dropped unfinished).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::counters::{Counts, Measure};
use crate::site::Site;

/// Wraps the body of a tracked `async fn`.
pub fn track_future<F: Future>(site: &'static Site, future: F) -> Tracked<F> {
    Tracked { site, future, call: None }
}

/// A tracked `async fn`'s future.
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Tracked<F> {
    site: &'static Site,
    future: F,
    /// The counts of the polls so far; `None` before the first poll and
    /// after the call is recorded.
    call: Option<Counts>,
}

impl<F: Future> Future for Tracked<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: `future` is structurally pinned: it is never moved out of
        // `self`, and `Tracked` has no `Unpin` impl of its own that would let
        // it move while pinned; the other fields are not pinned.
        #[allow(unsafe_code)]
        let (future, site, call) = unsafe {
            let this = self.get_unchecked_mut();
            (Pin::new_unchecked(&mut this.future), this.site, &mut this.call)
        };
        site.register();
        let measure = Measure::begin();
        let result = future.poll(cx);
        let poll = measure.end();
        let so_far = call.get_or_insert_with(Counts::default);
        // The call's peak: live bytes kept from earlier polls, plus this poll's rise.
        so_far.peak_bytes = so_far.peak_bytes.max(u64::try_from(so_far.live_change).unwrap_or(0) + poll.peak_bytes);
        so_far.allocs += poll.allocs;
        so_far.deallocs += poll.deallocs;
        so_far.reallocs += poll.reallocs;
        so_far.bytes += poll.bytes;
        so_far.live_change += poll.live_change;
        if result.is_ready()
            && let Some(done) = call.take()
        {
            site.record(&done);
        }
        result
    }
}

impl<F> Drop for Tracked<F> {
    fn drop(&mut self) {
        // Dropped before completing (cancelled): still a call that allocated.
        if let Some(done) = self.call.take() {
            self.site.record(&done);
        }
    }
}
