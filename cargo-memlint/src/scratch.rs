//! Scratch directories for unit tests, removed when dropped: at the end of
//! the test, and also when it fails (the guard is dropped while the panic
//! unwinds), so failed runs leave nothing in the temporary directory.

use std::path::{Path, PathBuf};

/// A fresh, empty directory named after the test and this process (its
/// resolved path).
#[derive(Debug)]
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    pub(crate) fn new(test: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("memlint-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a scratch directory");
        // The temporary directory may be reached through a link; tests compare resolved paths.
        Scratch(std::fs::canonicalize(&dir).unwrap_or(dir))
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
