//! Heap profiles as evidence for memlint findings.
//!
//! [`runner`] builds a cargo target and runs it under a heap profiler
//! (valgrind's DHAT or dhat-rs); [`Profile`] reads the DHAT JSON either one
//! writes; [`join()`] matches every allocation stack with the static findings
//! (confirmed, not exercised, unexplained hot sites); [`diff`] compares two
//! profiles by site so that a CI job can fail on an allocation regression.

mod called;
mod crates;
mod error;
mod frame;
mod join;
mod memtrack;
mod profile;
mod reason;
mod workspace;

pub mod detect;
pub mod diff;
pub mod runner;

pub use crates::{Allocated, CallingLine, CrateShare};
pub use error::ProfileError;
pub use frame::{Frame, Location, short_name};
pub use join::{Evidence, FindingRef, Hotspot, Join, MatchKind, Site, StackLine, Totals, join};
pub use memtrack::{MemtrackFn, MemtrackReport};
pub use profile::{DHAT_FILE_VERSION, Producer, Profile, ProgramPoint};
pub use reason::{REASONS_VERSION, Reason, explained_by};
pub use workspace::{FnSpan, Origin, Workspace, is_rust_allocator, is_shim};

#[cfg(test)]
pub(crate) mod tempdir {
    //! Temporary directories for tests, removed on drop.

    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub(crate) struct Dir(PathBuf);

    impl Dir {
        pub(crate) fn new(name: &str) -> Dir {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir().join(format!("dhat-runner-{name}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Dir(path)
        }

        pub(crate) fn path(&self) -> &Path {
            &self.0
        }

        pub(crate) fn write(&self, rel: &str, text: &str) -> PathBuf {
            let path = self.0.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
