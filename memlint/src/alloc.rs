//! The counting global allocator.

use std::alloc::{GlobalAlloc, Layout, System};

/// A global allocator that counts what the current thread allocates, on top
/// of the allocator it wraps. Install it once per binary (or test binary):
///
/// ```
/// #[global_allocator]
/// static ALLOC: memlint::Alloc = memlint::Alloc::system();
/// # fn main() {}
/// ```
///
/// Without the `track` feature it only forwards to the wrapped allocator.
#[derive(Debug, Default, Clone, Copy)]
pub struct Alloc<A = System> {
    inner: A,
}

impl Alloc<System> {
    /// Counts on top of the system allocator.
    pub const fn system() -> Self {
        Alloc { inner: System }
    }
}

impl<A> Alloc<A> {
    /// Counts on top of `inner` (jemalloc, mimalloc, ...).
    pub const fn new(inner: A) -> Self {
        Alloc { inner }
    }
}

// SAFETY: every method forwards to the wrapped allocator with the caller's
// arguments unchanged and returns its result; counting only touches
// thread-local cells and never allocates.
#[allow(unsafe_code)]
unsafe impl<A: GlobalAlloc> GlobalAlloc for Alloc<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { self.inner.alloc(layout) };
        #[cfg(feature = "track")]
        if !ptr.is_null() {
            crate::counters::on_alloc(layout.size());
        }
        ptr
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { self.inner.alloc_zeroed(layout) };
        #[cfg(feature = "track")]
        if !ptr.is_null() {
            crate::counters::on_alloc(layout.size());
        }
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { self.inner.dealloc(ptr, layout) };
        #[cfg(feature = "track")]
        crate::counters::on_dealloc(layout.size());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let new = unsafe { self.inner.realloc(ptr, layout, new_size) };
        #[cfg(feature = "track")]
        if !new.is_null() {
            crate::counters::on_realloc(layout.size(), new_size);
        }
        new
    }
}
