//! The cache of linted files, so that an unchanged file is not parsed again.
//!
//! An entry holds what the file phase of the engine produced for one file
//! (`LintedFile::to_cache_bytes`); the crate phase always reruns from those
//! facts (see lint-core's `cached` module), so an entry depends only on:
//! - the file's text (a 128-bit hash of it, checked on every read);
//! - its display path and the configuration in effect for it
//!   (`Linter::config_key`): both name the entry, and the configuration's
//!   hash is checked too;
//! - memlint itself: entries live in a directory per build of memlint
//!   (its version and the size and modification time of its executable),
//!   so a rebuilt or upgraded memlint starts from an empty cache.
//!
//! Layout: `DIR/v1/<build>/<2 hex digits>/<30 hex digits>`; an entry is one
//! header line, `memlint-cache 1 <text hash> <config hash> <payload hash>
//! <payload length>`, then the payload. Anything that does not match (a
//! torn, truncated or edited file, another text or configuration) is a miss:
//! the file is linted again and the entry rewritten. Entries are written to
//! a temporary file in the same directory and renamed over the old one
//! (`write_file`), so a reader, also in another memlint process, sees a whole entry or none.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use xxhash_rust::xxh3::xxh3_128;

use crate::write_file::{Destination, Durability, WriteError};

/// Format of the header line; bump when it changes.
const MAGIC: &str = "memlint-cache 1";

/// A cache directory for one build of memlint.
#[derive(Debug)]
pub(crate) struct Cache {
    /// `DIR/v1`: the directory of every build's entries.
    root: PathBuf,
    /// `DIR/v1/<build>`: this build's entries.
    dir: PathBuf,
    /// Whether a write failed already (said once, then the cache is read-only).
    write_failed: AtomicBool,
    /// Entries found and used, and files linted, this run.
    pub(crate) hits: AtomicU64,
    pub(crate) misses: AtomicU64,
    /// Entries found damaged this run: the file's display name, and why.
    damaged: std::sync::Mutex<Vec<(PathBuf, String)>>,
}

/// What the cache holds for a key.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// A whole entry for the same text and configuration: its payload.
    Found(Vec<u8>),
    /// No entry, or one for another text (the file was edited).
    Missing,
    /// An entry that can't be trusted, and why: torn, edited, another
    /// format. The file is linted again and the entry replaced.
    Damaged(String),
}

/// Where a file's entry is and what it must say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    /// The entry's path below the build directory.
    name: String,
    text: u128,
    config: u128,
}

impl Key {
    /// The key of the file named `display` with `text`, linted with the
    /// configuration `config` (`Linter::config_key`).
    pub(crate) fn new(display: &Path, text: &str, config: &str) -> Key {
        let config_hash = xxh3_128(config.as_bytes());
        let mut name_input = display.as_os_str().as_encoded_bytes().to_vec();
        name_input.push(0);
        name_input.extend_from_slice(&config_hash.to_le_bytes());
        let name = format!("{:032x}", xxh3_128(&name_input));
        Key { name: format!("{}/{}", &name[..2], &name[2..]), text: xxh3_128(text.as_bytes()), config: config_hash }
    }
}

impl Cache {
    /// The cache under `dir` for this build of memlint.
    pub(crate) fn new(dir: &Path) -> Cache {
        Cache::for_build(dir, &build_id())
    }

    /// The cache under `dir` for the build named `build`.
    pub(crate) fn for_build(dir: &Path, build: &str) -> Cache {
        let root = dir.join("v1");
        Cache {
            dir: root.join(build),
            root,
            write_failed: AtomicBool::new(false),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            damaged: std::sync::Mutex::default(),
        }
    }

    /// The directory of this build's entries.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The payload stored under `key`, if there is a whole entry for the
    /// same text and configuration.
    pub(crate) fn load(&self, key: &Key) -> Lookup {
        let mut bytes = match std::fs::read(self.dir.join(&key.name)) {
            Ok(bytes) => bytes,
            // No entry, or no cache directory (a file in its place: an
            // unwritable cache, said once when writing).
            Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
                return Lookup::Missing;
            }
            Err(e) => return Lookup::Damaged(format!("cannot read it: {e}")),
        };
        let Some(newline) = bytes.iter().position(|&b| b == b'\n') else {
            return Lookup::Damaged("no header line".to_owned());
        };
        let header = String::from_utf8_lossy(&bytes[..newline]);
        let Some(rest) = header.strip_prefix(MAGIC).filter(|rest| rest.starts_with(' ')) else {
            return Lookup::Damaged("not an entry of this cache format".to_owned());
        };
        let Some((text, config, checksum, length)) = parse_header(rest) else {
            return Lookup::Damaged("a malformed header".to_owned());
        };
        if text != key.text || config != key.config {
            return Lookup::Missing; // An entry for an older text: the file was edited.
        }
        let payload = &bytes[newline + 1..];
        if payload.len() != length {
            return Lookup::Damaged(format!("{} bytes of content where the header says {length}", payload.len()));
        }
        if xxh3_128(payload) != checksum {
            return Lookup::Damaged("its content does not match its checksum".to_owned());
        }
        // The payload is moved to the front of the buffer read, not copied
        // into a new one.
        bytes.drain(..=newline);
        Lookup::Found(bytes)
    }

    /// Records that the entry of the file named `display` was damaged (and
    /// so the file linted again): said after the run.
    pub(crate) fn damaged(&self, display: &Path, reason: String) {
        if let Ok(mut damaged) = self.damaged.lock() {
            damaged.push((display.to_path_buf(), reason));
        }
    }

    /// Warnings for the damaged entries found this run (a few, then a count).
    pub(crate) fn damage_report(&self) -> Vec<String> {
        const SHOWN: usize = 5;
        let Ok(mut damaged) = self.damaged.lock() else { return Vec::new() };
        damaged.sort();
        let mut lines: Vec<String> = damaged
            .iter()
            .take(SHOWN)
            .map(|(file, reason)| {
                format!(
                    "warning: memlint's cache entry for `{}` was damaged ({reason}); the file was linted again and the entry rewritten",
                    file.display()
                )
            })
            .collect();
        if damaged.len() > SHOWN {
            lines.push(format!("warning: and {} more damaged cache entries, also replaced", damaged.len() - SHOWN));
        }
        lines
    }

    /// Stores `payload` under `key`, replacing any entry there. A cache that
    /// cannot be written is said once and otherwise ignored: linting goes on.
    pub(crate) fn store(&self, key: &Key, payload: &[u8]) {
        if self.write_failed.load(Ordering::Relaxed) {
            return;
        }
        if let Err(e) = self.write(key, payload) {
            if !self.write_failed.swap(true, Ordering::Relaxed) {
                errln!(
                    "warning: cannot write memlint's cache in `{}`: {e}; going on without it (--no-cache turns it off)",
                    self.dir.display()
                );
            }
        }
    }

    fn write(&self, key: &Key, payload: &[u8]) -> Result<(), WriteError> {
        let path = self.dir.join(&key.name);
        std::fs::create_dir_all(path.parent().unwrap_or(&self.dir))?;
        let header =
            format!("{MAGIC} {:032x} {:032x} {:032x} {}\n", key.text, key.config, xxh3_128(payload), payload.len());
        Destination::of(&path)?.write_with(Durability::Unsynced, |file| {
            file.write_all(header.as_bytes())?;
            file.write_all(payload)
        })
    }

    /// Removes the entries of other builds of memlint (they can never be
    /// read again). Best effort: another process may be using them.
    pub(crate) fn prune_other_builds(&self) {
        let Ok(builds) = std::fs::read_dir(&self.root) else { return };
        for build in builds.flatten() {
            if build.path() != self.dir {
                let _ = std::fs::remove_dir_all(build.path());
            }
        }
    }
}

/// The fields of a header after its format name: text hash, configuration
/// hash, payload hash, payload length.
fn parse_header(fields: &str) -> Option<(u128, u128, u128, usize)> {
    let fields: Vec<&str> = fields.split_ascii_whitespace().collect();
    let [text, config, checksum, length] = fields.as_slice() else { return None };
    Some((parse_hash(text)?, parse_hash(config)?, parse_hash(checksum)?, length.parse().ok()?))
}

fn parse_hash(hex: &str) -> Option<u128> {
    u128::from_str_radix(hex, 16).ok()
}

/// Identifies this build of memlint: its version and its executable's size
/// and modification time, so a rebuilt binary (whose rules may differ) never
/// reads entries of another. Without the executable's metadata, the version alone.
fn build_id() -> String {
    let exe = std::env::current_exe().and_then(std::fs::metadata).ok();
    let stamp = exe.map(|meta| {
        let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        format!("{}:{}", meta.len(), modified.map_or(0, |d| d.as_nanos()))
    });
    let id = format!("{}:{}", env!("CARGO_PKG_VERSION"), stamp.unwrap_or_default());
    format!("{}-{:016x}", env!("CARGO_PKG_VERSION"), xxh3_128(id.as_bytes()) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> crate::scratch::Scratch {
        crate::scratch::Scratch::new(&format!("cache-test-{name}"))
    }

    fn entry_path(cache: &Cache, key: &Key) -> PathBuf {
        cache.dir().join(&key.name)
    }

    #[test]
    fn an_entry_is_found_only_for_the_same_text_and_configuration() {
        let dir = temp_dir("keys");
        let cache = Cache::for_build(&dir, "test");
        let key = Key::new(Path::new("src/lib.rs"), "fn f() {}", "rules");
        assert_eq!(cache.load(&key), Lookup::Missing);
        cache.store(&key, b"payload");
        assert_eq!(cache.load(&key), Lookup::Found(b"payload".to_vec()));
        let edited = Key::new(Path::new("src/lib.rs"), "fn f() { }", "rules");
        assert_eq!(edited.name, key.name, "one entry per file and configuration");
        assert_eq!(cache.load(&edited), Lookup::Missing, "another text");
        let configured = Key::new(Path::new("src/lib.rs"), "fn f() {}", "other rules");
        assert_ne!(configured.name, key.name);
        assert_eq!(cache.load(&configured), Lookup::Missing, "another configuration");
        assert_eq!(Cache::for_build(&dir, "another build").load(&key), Lookup::Missing, "another memlint");
    }

    #[test]
    fn damaged_entries_are_misses_and_get_rewritten() {
        let dir = temp_dir("damage");
        let cache = Cache::for_build(&dir, "test");
        let key = Key::new(Path::new("a.rs"), "text", "rules");
        cache.store(&key, b"{\"some\": \"payload\"}");
        let path = entry_path(&cache, &key);
        let whole = std::fs::read(&path).expect("written");
        let other_format = String::from_utf8_lossy(&whole).replacen("memlint-cache 1", "memlint-cache 0", 1);
        let cases: [(Vec<u8>, &str); 7] = [
            (whole[..whole.len() - 3].to_vec(), "16 bytes of content where the header says 19"),
            (
                whole.iter().map(|&b| if b == b's' { b'S' } else { b }).collect(),
                "its content does not match its checksum",
            ),
            (b"memlint-cache 1 garbage\n{}".to_vec(), "a malformed header"),
            (other_format.into_bytes(), "not an entry of this cache format"),
            (b"memlint-cache 10 1 2 3 4\n".to_vec(), "not an entry of this cache format"),
            (Vec::new(), "no header line"),
            (vec![0xff; 64], "no header line"),
        ];
        for (damaged, reason) in cases {
            std::fs::write(&path, &damaged).expect("writable");
            assert_eq!(cache.load(&key), Lookup::Damaged(reason.to_owned()), "{:?}", String::from_utf8_lossy(&damaged));
        }
        cache.store(&key, b"fresh");
        assert_eq!(cache.load(&key), Lookup::Found(b"fresh".to_vec()));
    }

    #[test]
    fn concurrent_writers_never_leave_a_torn_entry() {
        let dir = temp_dir("race");
        let key = Key::new(Path::new("a.rs"), "text", "rules");
        let payloads: Vec<Vec<u8>> = (0..4u8).map(|i| vec![b'a' + i; 256 * 1024]).collect();
        let payloads = &payloads;
        std::thread::scope(|scope| {
            for payload in payloads {
                let (dir, key) = (&dir, &key);
                // Separate Cache values, as in separate processes.
                scope.spawn(move || {
                    let cache = Cache::for_build(dir, "test");
                    for _ in 0..20 {
                        cache.store(key, payload);
                        if let Lookup::Found(read) = Cache::for_build(dir, "test").load(key) {
                            assert!(payloads.contains(&read), "a torn entry was read");
                        }
                    }
                });
            }
        });
        let Lookup::Found(read) = Cache::for_build(&dir, "test").load(&key) else { panic!("an entry") };
        assert!(payloads.contains(&read));
        let leftovers = std::fs::read_dir(entry_path(&Cache::for_build(&dir, "test"), &key).parent().expect("dir"))
            .expect("readable")
            .count();
        assert_eq!(leftovers, 1, "temporary files are renamed, not left behind");
    }

    #[test]
    fn an_unwritable_cache_is_ignored() {
        let scratch = temp_dir("unwritable");
        let dir = scratch.join("cache");
        std::fs::write(&dir, "a file where the cache directory should be").expect("writable temp");
        let cache = Cache::for_build(&dir, "test");
        let key = Key::new(Path::new("a.rs"), "text", "rules");
        cache.store(&key, b"payload");
        cache.store(&key, b"payload");
        assert_eq!(cache.load(&key), Lookup::Missing);
    }

    #[test]
    fn other_builds_are_pruned() {
        let dir = temp_dir("prune");
        let key = Key::new(Path::new("a.rs"), "text", "rules");
        let old = Cache::for_build(&dir, "old");
        old.store(&key, b"old");
        let new = Cache::for_build(&dir, "new");
        new.store(&key, b"new");
        new.prune_other_builds();
        assert!(!old.dir().exists());
        assert_eq!(new.load(&key), Lookup::Found(b"new".to_vec()));
    }
}
