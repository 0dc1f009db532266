//! DHAT JSON, file format version 2, as written by valgrind's DHAT
//! (`dh_main.c`) and by dhat-rs: strict about the version and the frame
//! table, lenient about fields memlint does not use.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ProfileError;
use crate::frame::Frame;

/// The one version of the format memlint reads.
pub const DHAT_FILE_VERSION: u64 = 2;

/// Which program wrote a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Producer {
    /// valgrind `--tool=dhat` (`"mode": "heap"`).
    Valgrind,
    /// the dhat crate (`"mode": "rust-heap"`).
    DhatRs,
}

impl Producer {
    /// `valgrind` or `dhat-rs`.
    pub fn name(self) -> &'static str {
        match self {
            Producer::Valgrind => "valgrind",
            Producer::DhatRs => "dhat-rs",
        }
    }
}

/// One program point: a distinct allocation stack with its totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramPoint {
    /// Bytes allocated over the run (`tb`).
    pub bytes: u64,
    /// Blocks allocated over the run (`tbk`); a realloc counts as one block.
    pub blocks: u64,
    /// Bytes of it still live when the heap was at its largest (`gb`, "at
    /// t-gmax"); 0 when the file doesn't say.
    pub peak_bytes: u64,
    /// Indices into [`Profile::frames`], innermost (the allocator) first.
    pub frames: Vec<usize>,
}

/// A parsed heap profile.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The file it was read from.
    pub path: PathBuf,
    /// Who wrote it.
    pub producer: Producer,
    /// The profiled command line (`cmd`).
    pub command: String,
    /// Program points, in file order.
    pub points: Vec<ProgramPoint>,
    /// The frame table (`ftbl`), parsed; index 0 is `[root]`.
    pub frames: Vec<Frame>,
}

impl Profile {
    /// Total bytes allocated.
    pub fn total_bytes(&self) -> u64 {
        self.points.iter().map(|p| p.bytes).sum()
    }

    /// Total blocks allocated.
    pub fn total_blocks(&self) -> u64 {
        self.points.iter().map(|p| p.blocks).sum()
    }

    /// Reads a DHAT JSON file.
    pub fn read(path: &Path) -> Result<Profile, ProfileError> {
        let bytes = std::fs::read(path).map_err(|e| ProfileError::io(path, e))?;
        Profile::parse(path, &bytes)
    }

    /// Parses DHAT JSON text; `path` names it in errors.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Profile, ProfileError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ProfileError::empty(path));
        }
        let raw: RawProfile =
            serde_json::from_slice(bytes).map_err(|e| ProfileError::json(path, "DHAT profile", &e))?;
        let version = raw.version.ok_or_else(|| {
            ProfileError::invalid(path, "has no `dhatFileVersion`: it is JSON but not a DHAT profile")
        })?;
        if version != DHAT_FILE_VERSION {
            return Err(ProfileError::invalid(
                path,
                format!(
                    "has dhatFileVersion {version}; memlint reads version {DHAT_FILE_VERSION} (valgrind 3.15+ and dhat-rs 0.2+ write it)"
                ),
            ));
        }
        let producer = match raw.mode.as_deref() {
            Some("heap") => Producer::Valgrind,
            Some("rust-heap") => Producer::DhatRs,
            Some(other) => {
                return Err(ProfileError::invalid(
                    path,
                    format!("is a `{other}` profile, not a heap profile: its blocks are not allocations"),
                ));
            }
            None => return Err(ProfileError::invalid(path, "has no `mode`")),
        };
        let frames: Vec<Frame> = raw.ftbl.iter().map(|text| Frame::parse(text)).collect();
        let mut points = Vec::with_capacity(raw.pps.len());
        for (i, pp) in raw.pps.into_iter().enumerate() {
            if let Some(&bad) = pp.fs.iter().find(|&&f| f >= frames.len()) {
                return Err(ProfileError::invalid(
                    path,
                    format!(
                        "program point {i} refers to frame {bad}, but the frame table has {} entries",
                        frames.len()
                    ),
                ));
            }
            // Live bytes can't exceed the bytes allocated; a file that says so is not believed.
            let peak_bytes = pp.gb.min(pp.tb);
            points.push(ProgramPoint { bytes: pp.tb, blocks: pp.tbk, peak_bytes, frames: pp.fs });
        }
        // Sums over points, and over the profiles of many runs, must fit in
        // a u64: a file that counts more than any run can allocate is damaged.
        let bytes = points.iter().try_fold(0u64, |sum, p| sum.checked_add(p.bytes));
        let blocks = points.iter().try_fold(0u64, |sum, p| sum.checked_add(p.blocks));
        for (what, total) in [("bytes", bytes), ("blocks", blocks)] {
            if total.is_none_or(|sum| sum > MAX_TOTAL) {
                return Err(ProfileError::invalid(
                    path,
                    format!("counts more than 2^48 {what} allocated, more than any run allocates: the file is damaged"),
                ));
            }
        }
        Ok(Profile { path: path.to_path_buf(), producer, command: raw.cmd.unwrap_or_default(), points, frames })
    }
}

/// The most bytes (or blocks) one profile may count: 256 TiB, so that the
/// sums of 65,536 profiles fit in a u64.
const MAX_TOTAL: u64 = 1 << 48;

#[derive(Deserialize)]
struct RawProfile {
    #[serde(rename = "dhatFileVersion")]
    version: Option<u64>,
    mode: Option<String>,
    cmd: Option<String>,
    pps: Vec<RawPoint>,
    ftbl: Vec<String>,
}

#[derive(Deserialize)]
struct RawPoint {
    tb: u64,
    tbk: u64,
    #[serde(default)]
    gb: u64,
    fs: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Profile, ProfileError> {
        Profile::parse(Path::new("p.json"), text.as_bytes())
    }

    const MINIMAL: &str = r#"{"dhatFileVersion":2,"mode":"rust-heap","cmd":"./x","pps":[
        {"tb":16,"tbk":2,"fs":[1,2]}],"ftbl":["[root]","0x1: a (src/a.rs:1:1)","0x2: main (src/main.rs:3:5)"]}"#;

    #[test]
    fn reads_points_and_frames() {
        let p = parse(MINIMAL).unwrap();
        assert_eq!(p.producer, Producer::DhatRs);
        assert_eq!(p.command, "./x");
        assert_eq!((p.total_bytes(), p.total_blocks()), (16, 2));
        assert_eq!(p.frames[p.points[0].frames[1]].function, "main");
    }

    #[test]
    fn errors_name_the_problem() {
        let msg = |text: &str| parse(text).unwrap_err().to_string();
        assert_eq!(msg(""), "`p.json` is empty (the profiled program may have been killed before writing it)");
        assert!(
            msg(&MINIMAL[..60]).starts_with("`p.json` is not a valid DHAT profile: EOF while parsing"),
            "{}",
            msg(&MINIMAL[..60])
        );
        assert_eq!(
            msg(r#"{"pps":[],"ftbl":[]}"#),
            "`p.json` has no `dhatFileVersion`: it is JSON but not a DHAT profile"
        );
        assert!(msg(&MINIMAL.replace(":2,", ":3,")).contains("has dhatFileVersion 3; memlint reads version 2"));
        assert!(msg(&MINIMAL.replace("rust-heap", "copy")).contains("is a `copy` profile, not a heap profile"));
        assert!(
            msg(&MINIMAL.replace("[1,2]", "[1,7]"))
                .contains("program point 0 refers to frame 7, but the frame table has 3 entries")
        );
        let wrong_type = msg(&MINIMAL.replace(r#""tb":16"#, r#""tb":"16""#));
        assert!(wrong_type.contains("invalid type: string \"16\", expected u64 at line 2"), "{wrong_type}");
        let huge = MINIMAL.replace(r#""tb":16"#, r#""tb":18446744073709551615"#);
        assert_eq!(
            msg(&huge),
            "`p.json` counts more than 2^48 bytes allocated, more than any run allocates: the file is damaged"
        );
        let two = MINIMAL.replace(
            r#"{"tb":16,"tbk":2,"fs":[1,2]}"#,
            r#"{"tb":16,"tbk":281474976710656,"fs":[1]},{"tb":0,"tbk":1,"fs":[2]}"#,
        );
        assert_eq!(
            msg(&two),
            "`p.json` counts more than 2^48 blocks allocated, more than any run allocates: the file is damaged"
        );
    }
}
