//! A tracked function's statistics (one `static` per `#[memtrack]`
//! function), the registry of every function that has run, and the guard
//! that measures one call.

use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};

use crate::budget::{self, Budget};
use crate::counters::{Counts, Measure};

/// Where a tracked function is and what it may allocate.
#[derive(Debug)]
pub struct SiteInfo {
    /// The name in reports (the function's name unless `name = ".."`).
    pub name: &'static str,
    /// `module_path!()` where the function is defined.
    pub module_path: &'static str,
    /// `file!()` of the function.
    pub file: &'static str,
    /// `line!()` of the `#[memtrack]` attribute.
    pub line: u32,
    /// The function's budgets.
    pub budget: Budget,
}

/// A tracked function's statistics, summed over every call on every thread.
#[derive(Debug)]
pub struct Site {
    pub(crate) info: SiteInfo,
    pub(crate) calls: AtomicU64,
    pub(crate) allocs: AtomicU64,
    pub(crate) bytes: AtomicU64,
    pub(crate) max_allocs: AtomicU64,
    pub(crate) max_bytes: AtomicU64,
    pub(crate) peak: AtomicU64,
    pub(crate) violations: AtomicU64,
    registered: AtomicBool,
    /// The next site in the registry (an intrusive list: registering a site
    /// allocates nothing).
    next: AtomicPtr<Site>,
}

/// The most recently registered site.
static HEAD: AtomicPtr<Site> = AtomicPtr::new(std::ptr::null_mut());

impl Site {
    /// A site with no calls yet.
    pub const fn new(info: SiteInfo) -> Site {
        Site {
            info,
            calls: AtomicU64::new(0),
            allocs: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            max_allocs: AtomicU64::new(0),
            max_bytes: AtomicU64::new(0),
            peak: AtomicU64::new(0),
            violations: AtomicU64::new(0),
            registered: AtomicBool::new(false),
            next: AtomicPtr::new(std::ptr::null_mut()),
        }
    }

    /// Adds the site to the registry on its first call.
    pub(crate) fn register(&'static self) {
        if self.registered.load(Ordering::Acquire) || self.registered.swap(true, Ordering::AcqRel) {
            return;
        }
        crate::report::on_first_site();
        let me = self as *const Site as *mut Site;
        let mut head = HEAD.load(Ordering::Acquire);
        loop {
            self.next.store(head, Ordering::Relaxed);
            match HEAD.compare_exchange_weak(head, me, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => break,
                Err(current) => head = current,
            }
        }
    }

    /// Adds one call's counts, then checks the budgets.
    pub(crate) fn record(&'static self, call: &Counts) {
        let calls = self.calls.fetch_add(1, Ordering::Relaxed) + 1;
        let allocs = self.allocs.fetch_add(call.allocs, Ordering::Relaxed) + call.allocs;
        let bytes = self.bytes.fetch_add(call.bytes, Ordering::Relaxed) + call.bytes;
        self.max_allocs.fetch_max(call.allocs, Ordering::Relaxed);
        self.max_bytes.fetch_max(call.bytes, Ordering::Relaxed);
        self.peak.fetch_max(call.peak_bytes, Ordering::Relaxed);
        budget::check(self, call, calls, allocs, bytes);
    }

    /// Every registered site.
    pub(crate) fn all() -> Vec<&'static Site> {
        let mut sites = Vec::new();
        let mut next = HEAD.load(Ordering::Acquire);
        while !next.is_null() {
            // SAFETY: only `&'static Site`s are ever linked (see `register`),
            // and they are never unlinked.
            #[allow(unsafe_code)]
            let site: &'static Site = unsafe { &*next };
            sites.push(site);
            next = site.next.load(Ordering::Acquire);
        }
        sites
    }
}

/// Measures one call of a tracked function: created on entry, it records
/// the call when dropped, on return or unwind.
#[derive(Debug)]
#[must_use = "the guard measures until it is dropped"]
pub struct Guard {
    site: &'static Site,
    measure: Option<Measure>,
}

impl Guard {
    /// Starts measuring a call of `site`'s function.
    #[inline]
    pub fn enter(site: &'static Site) -> Guard {
        site.register();
        Guard { site, measure: Some(Measure::begin()) }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(measure) = self.measure.take() {
            let counts = measure.end();
            self.site.record(&counts);
        }
    }
}
