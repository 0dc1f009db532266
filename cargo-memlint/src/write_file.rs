//! Every file memlint writes goes through here: the outputs a user names
//! (`--output`, `--json-file`, `--sarif-file`, `--short-file`,
//! `--write-baseline`), `init`'s memlint.toml, the files `--fix` changes
//! and the cache's entries.
//!
//! What a path points at is never replaced by something else:
//! - `-`, given for an output, is standard output;
//! - a symbolic link is followed and its target written; the link stays;
//! - a regular file (or a new one) is written to a temporary file beside it
//!   and renamed over it, so an interrupted run never leaves a torn file;
//! - anything else (a device such as `/dev/null`, a named pipe, one of this
//!   process's descriptors such as `/dev/fd/3` or `/dev/stdout`) is opened
//!   and written in place. Renaming over `/dev/null` as root would replace
//!   the machine's null device with a regular file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a destination can't be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    #[error("it is a directory")]
    Directory,
    #[error("it is a symbolic link to `{}`, which does not exist", .0.display())]
    DanglingLink(PathBuf),
    #[error("it is a symbolic link in a loop of links")]
    LinkLoop,
    #[error("the file is read-only")]
    ReadOnly,
    #[error("it is a socket, which can't be opened as a file")]
    Socket,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl WriteError {
    /// Whether the reader went away (`| head`): nothing worth reporting.
    pub(crate) fn is_broken_pipe(&self) -> bool {
        matches!(self, Self::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Where the bytes for a path go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Destination {
    /// Standard output (an output named `-`).
    Stdout,
    /// A regular file, or none yet, at this path (the end of any symbolic
    /// links): replaced whole through a temporary file beside it.
    File(PathBuf),
    /// A device, a named pipe or a descriptor of this process: opened and
    /// written in place.
    InPlace(PathBuf),
}

/// Whether a written file is flushed to the disk before it replaces the old
/// one. Outputs are; the cache's entries, checksummed and rebuilt when
/// damaged, are not (thousands of fsyncs would cost more than the cache saves).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Durability {
    Synced,
    Unsynced,
}

/// How many symbolic links are followed before giving up (Linux's limit).
const MAX_LINKS: usize = 40;

impl Destination {
    /// Where an output named on the command line goes: `-` is standard output.
    pub(crate) fn named(path: &Path) -> Result<Self, WriteError> {
        if is_stdout(path) { Ok(Self::Stdout) } else { Self::of(path) }
    }

    /// Where writing `path` ends up, following symbolic links.
    pub(crate) fn of(path: &Path) -> Result<Self, WriteError> {
        let mut current = in_real_directory(path)?;
        for links in 0..MAX_LINKS {
            // `/proc/self/fd/N` and its kin are links to open files, pipes
            // and terminals, not to paths: whatever is there is written in place.
            if current.starts_with("/proc") {
                return Ok(Self::InPlace(current));
            }
            let metadata = match std::fs::symlink_metadata(&current) {
                Ok(metadata) => metadata,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && links > 0 => {
                    return Err(WriteError::DanglingLink(current));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::File(current)),
                Err(e) => return Err(e.into()),
            };
            let kind = metadata.file_type();
            if kind.is_symlink() {
                let target = std::fs::read_link(&current)?;
                let next = current.parent().unwrap_or(Path::new("/")).join(target);
                current = in_real_directory(&next).map_err(|e| match e {
                    WriteError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => WriteError::DanglingLink(next),
                    e => e,
                })?;
                continue;
            }
            return if kind.is_file() {
                Ok(Self::File(current))
            } else if kind.is_dir() {
                Err(WriteError::Directory)
            } else if is_socket(&kind) {
                Err(WriteError::Socket)
            } else {
                Ok(Self::InPlace(current))
            };
        }
        Err(WriteError::LinkLoop)
    }

    /// Checks, before any work, that this destination can be written: a
    /// file's directory takes new files and the file is not read-only.
    /// Leaves nothing behind, and opens nothing in place: opening a named
    /// pipe waits for its reader.
    pub(crate) fn check(&self) -> Result<(), WriteError> {
        match self {
            Self::Stdout => Ok(()),
            Self::File(path) => {
                if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
                    return Err(WriteError::ReadOnly);
                }
                let temp = temp_beside(path);
                std::fs::File::create(&temp)?;
                let _ = std::fs::remove_file(&temp);
                Ok(())
            }
            Self::InPlace(path) => match std::fs::metadata(path)? {
                m if m.is_dir() => Err(WriteError::Directory),
                m if m.permissions().readonly() => Err(WriteError::ReadOnly),
                _ => Ok(()),
            },
        }
    }

    /// Writes `bytes` here, synced.
    pub(crate) fn write(&self, bytes: &[u8]) -> Result<(), WriteError> {
        self.write_with(Durability::Synced, |out| out.write_all(bytes))
    }

    /// Lets `fill` write the content here. A file is filled under a
    /// temporary name and renamed over the old one, keeping its
    /// permissions; the temporary file is removed when anything fails.
    pub(crate) fn write_with(
        &self,
        durability: Durability,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        match self {
            Self::Stdout => {
                let mut stdout = std::io::stdout().lock();
                fill(&mut stdout).and_then(|()| stdout.flush())?;
                Ok(())
            }
            Self::InPlace(path) => {
                // A regular file here is one reached through `/proc`, such
                // as `/dev/stdout` sent to a file by the shell: appending
                // keeps what the shell or others wrote before (`>>`), where
                // a new descriptor would write over it from the start.
                let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
                let mut file = std::fs::OpenOptions::new().write(true).append(regular).open(path)?;
                fill(&mut file).and_then(|()| file.flush())?;
                Ok(())
            }
            Self::File(path) => {
                let temp = temp_beside(path);
                let written = std::fs::File::create(&temp).and_then(|mut file| {
                    fill(&mut file)?;
                    if let Ok(old) = std::fs::metadata(path) {
                        file.set_permissions(old.permissions())?;
                    }
                    match durability {
                        Durability::Synced => file.sync_all(),
                        Durability::Unsynced => Ok(()),
                    }
                });
                match written.and_then(|()| std::fs::rename(&temp, path)) {
                    Ok(()) => Ok(()),
                    Err(e) => {
                        let _ = std::fs::remove_file(&temp);
                        Err(e.into())
                    }
                }
            }
        }
    }
}

/// Writes `bytes` to `path` (see the module's rules), synced.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    Destination::of(path)?.write(bytes)
}

/// Writes an output named on the command line (`-` is standard output), synced.
pub(crate) fn write_output(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    Destination::named(path)?.write(bytes)
}

/// Whether an output path means standard output.
pub(crate) fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// `path` with its directory resolved (symbolic links, `..`) and made
/// absolute, its last component as given: links in the directories are
/// followed, the last component's own link is for the caller to read.
fn in_real_directory(path: &Path) -> Result<PathBuf, WriteError> {
    match path.file_name() {
        Some(name) => {
            let directory = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            Ok(std::fs::canonicalize(directory)?.join(name))
        }
        // `.`, `..`, `/`, `dir/..`: a directory, or nothing.
        None if std::fs::metadata(path)?.is_dir() => Err(WriteError::Directory),
        None => Ok(std::fs::canonicalize(path)?),
    }
}

#[cfg(unix)]
fn is_socket(kind: &std::fs::FileType) -> bool {
    std::os::unix::fs::FileTypeExt::is_socket(kind)
}

#[cfg(not(unix))]
fn is_socket(_: &std::fs::FileType) -> bool {
    false
}

/// A temporary name beside `path`, unique among processes (pid) and among
/// this process's threads and writes.
fn temp_beside(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let unique = NEXT.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.memlint-{}-{unique}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(test: &str) -> crate::scratch::Scratch {
        crate::scratch::Scratch::new(&format!("write-{test}"))
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).expect("lists").flatten().map(|e| e.file_name().to_string_lossy().into()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_replaces_the_file_whole_and_leaves_no_temporary() {
        let dir = scratch("atomic");
        let path = dir.join("out.json");
        write(&path, b"first").expect("writes");
        write(&path, b"second, longer").expect("writes");
        assert_eq!(std::fs::read(&path).expect("reads"), b"second, longer");
        assert_eq!(names(&dir), ["out.json"]);
    }

    #[test]
    fn unwritable_paths_are_refused_up_front() {
        let dir = scratch("check");
        let check = |path: &Path| Destination::named(path).and_then(|d| d.check()).map_err(|e| e.to_string());
        assert_eq!(check(&dir.join("new.json")), Ok(()));
        assert!(!dir.join("new.json").exists(), "the check creates nothing");
        let missing = check(&dir.join("no/such/dir/out.json")).expect_err("no directory");
        assert!(missing.contains("No such file"), "{missing}");
        assert_eq!(check(&dir), Err("it is a directory".to_owned()));
        assert_eq!(check(&dir.join(".")), Err("it is a directory".to_owned()));
        assert_eq!(check(Path::new("-")), Ok(()));
    }

    #[test]
    fn destinations_by_kind() {
        let dir = scratch("kinds");
        assert_eq!(Destination::named(Path::new("-")).expect("stdout"), Destination::Stdout);
        // Only outputs named on the command line read `-` as standard output.
        assert_eq!(Destination::of(Path::new("-")).expect("a file"), Destination::File(cwd().join("-")));
        assert_eq!(Destination::of(&dir.join("new")).expect("new"), Destination::File(dir.join("new")));
        assert_eq!(Destination::of(Path::new("/dev/null")).expect("null"), Destination::InPlace("/dev/null".into()));
        assert!(
            matches!(Destination::of(Path::new("/dev/stdout")), Ok(Destination::InPlace(ref p)) if p.starts_with("/proc")),
            "{:?}",
            Destination::of(Path::new("/dev/stdout"))
        );
    }

    fn cwd() -> PathBuf {
        std::env::current_dir().expect("a working directory")
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_their_end_and_kept() {
        use std::os::unix::fs::symlink;
        let dir = scratch("links");
        std::fs::create_dir(dir.join("real")).expect("dir");
        std::fs::write(dir.join("real/out.json"), "old").expect("target");
        symlink("real/out.json", dir.join("one")).expect("link");
        symlink(dir.join("one"), dir.join("two")).expect("link to a link");
        symlink("real", dir.join("via")).expect("link to the directory");
        for path in ["two", "one", "via/out.json"] {
            assert_eq!(Destination::of(&dir.join(path)).expect(path), Destination::File(dir.join("real/out.json")));
        }
        write(&dir.join("two"), b"new").expect("writes");
        assert_eq!(std::fs::read_to_string(dir.join("real/out.json")).expect("reads"), "new");
        assert!(std::fs::symlink_metadata(dir.join("two")).expect("kept").file_type().is_symlink());
        assert_eq!(names(&dir.join("real")), ["out.json"]);

        symlink("missing/out.json", dir.join("dangling")).expect("dangling");
        let error = Destination::of(&dir.join("dangling")).expect_err("dangling").to_string();
        assert_eq!(
            error,
            format!("it is a symbolic link to `{}`, which does not exist", dir.join("missing/out.json").display())
        );
        symlink("nothing.json", dir.join("dangling2")).expect("dangling");
        let error = Destination::of(&dir.join("dangling2")).expect_err("dangling").to_string();
        assert_eq!(
            error,
            format!("it is a symbolic link to `{}`, which does not exist", dir.join("nothing.json").display())
        );
        symlink("loop_b", dir.join("loop_a")).expect("loop");
        symlink("loop_a", dir.join("loop_b")).expect("loop");
        assert!(matches!(Destination::of(&dir.join("loop_a")), Err(WriteError::LinkLoop)));
    }
}
