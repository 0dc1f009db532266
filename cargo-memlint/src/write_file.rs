//! The files memlint is asked to write (`--output`, `--json-file`,
//! `--write-baseline`, `init`): written whole or not at all, and checked
//! before any linting so that a bad path fails fast.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: into a temporary file beside it,
/// then renamed over it, so an interrupted run never leaves a torn file.
/// Keeps the permissions of a file it replaces.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace_via(&temp_beside(path), path, |file| {
        file.write_all(bytes)?;
        if let Ok(old) = std::fs::metadata(path) {
            file.set_permissions(old.permissions())?;
        }
        file.sync_all()
    })
}

/// Creates `temp`, lets `fill` write it, then renames it over `path`; the
/// temporary file is removed when anything fails. `temp` must be in the
/// directory of `path` (a rename does not cross file systems).
pub(crate) fn replace_via(
    temp: &Path,
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let written = std::fs::File::create(temp).and_then(|mut file| fill(&mut file));
    match written.and_then(|()| std::fs::rename(temp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(temp);
            Err(e)
        }
    }
}

/// Checks, before any work, that `path` can be written: its directory
/// exists and takes new files, and it is not a directory or a read-only
/// file. Leaves nothing behind.
pub(crate) fn check_writable(path: &Path) -> Result<(), String> {
    let cannot = |why: &dyn std::fmt::Display| format!("cannot write `{}`: {why}", path.display());
    if path.is_dir() {
        return Err(cannot(&"it is a directory"));
    }
    if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(cannot(&"the file is read-only"));
    }
    let temp = temp_beside(path);
    std::fs::File::create(&temp).map_err(|e| cannot(&e))?;
    let _ = std::fs::remove_file(&temp);
    Ok(())
}

fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.memlint-{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(test: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("memlint-write-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn a_write_replaces_the_file_whole_and_leaves_no_temporary() {
        let dir = scratch("atomic");
        let path = dir.join("out.json");
        write_atomic(&path, b"first").expect("writes");
        write_atomic(&path, b"second, longer").expect("writes");
        assert_eq!(std::fs::read(&path).expect("reads"), b"second, longer");
        let names: Vec<_> = std::fs::read_dir(&dir).expect("lists").flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, ["out.json"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unwritable_paths_are_refused_up_front() {
        let dir = scratch("check");
        assert!(check_writable(&dir.join("new.json")).is_ok());
        assert!(!dir.join("new.json").exists(), "the check creates nothing");
        let missing = check_writable(&dir.join("no/such/dir/out.json")).expect_err("no directory");
        assert!(missing.starts_with("cannot write `") && missing.contains("No such file"), "{missing}");
        assert_eq!(check_writable(&dir), Err(format!("cannot write `{}`: it is a directory", dir.display())));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
