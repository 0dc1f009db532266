//! The target memlint lints for: what `#[cfg(target_..)]` predicates mean
//! and how large pointers and `usize` are. 64-bit Linux on x86_64 unless
//! configured (`target = ".."` in memlint.toml).
//!
//! A target is named by its triple and must be one of [`Target::KNOWN`]: an
//! unknown triple is an error, not a guess, because a wrong pointer width or
//! `cfg` answer gives wrong sizes, and wrong sizes are wrong findings.

/// A target triple memlint knows, and what it implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The triple (`x86_64-unknown-linux-gnu`).
    pub triple: &'static str,
    /// `target_pointer_width`: 16, 32 or 64.
    pub pointer_width: u32,
    /// `target_arch`.
    pub arch: &'static str,
    /// `target_os` (`none` for bare targets such as `wasm32-unknown-unknown`).
    pub os: &'static str,
    /// `target_family`: `unix`, `windows`, `wasm`, or none.
    pub family: Option<&'static str>,
    /// `target_env` (empty when there is none).
    pub env: &'static str,
    /// `target_vendor`.
    pub vendor: &'static str,
    /// `target_endian`.
    pub endian: &'static str,
    /// Alignment of `u64`, `i64` and `f64` (4 on 32-bit x86 outside Windows).
    pub align_64: u64,
    /// Alignment of `u128`/`i128`, when memlint is sure of it.
    pub align_128: Option<u64>,
}

/// One row of the table: triple, width, arch, os, family, env, vendor, endian, align of 64-bit, align of 128-bit.
type Row =
    (&'static str, u32, &'static str, &'static str, Option<&'static str>, &'static str, &'static str, u64, Option<u64>);

/// Rust 1.77 made 128-bit integers 16-byte aligned on x86 and x86_64;
/// they are 16 on aarch64. Elsewhere memlint doesn't claim to know.
const TABLE: &[Row] = &[
    ("x86_64-unknown-linux-gnu", 64, "x86_64", "linux", Some("unix"), "gnu", "unknown", 8, Some(16)),
    ("x86_64-unknown-linux-musl", 64, "x86_64", "linux", Some("unix"), "musl", "unknown", 8, Some(16)),
    ("i686-unknown-linux-gnu", 32, "x86", "linux", Some("unix"), "gnu", "unknown", 4, Some(16)),
    ("aarch64-unknown-linux-gnu", 64, "aarch64", "linux", Some("unix"), "gnu", "unknown", 8, Some(16)),
    ("armv7-unknown-linux-gnueabihf", 32, "arm", "linux", Some("unix"), "gnu", "unknown", 8, None),
    ("x86_64-apple-darwin", 64, "x86_64", "macos", Some("unix"), "", "apple", 8, Some(16)),
    ("aarch64-apple-darwin", 64, "aarch64", "macos", Some("unix"), "", "apple", 8, Some(16)),
    ("x86_64-pc-windows-msvc", 64, "x86_64", "windows", Some("windows"), "msvc", "pc", 8, Some(16)),
    ("x86_64-pc-windows-gnu", 64, "x86_64", "windows", Some("windows"), "gnu", "pc", 8, Some(16)),
    ("i686-pc-windows-msvc", 32, "x86", "windows", Some("windows"), "msvc", "pc", 8, Some(16)),
    ("wasm32-unknown-unknown", 32, "wasm32", "unknown", Some("wasm"), "", "unknown", 8, None),
];

/// A triple that is not in memlint's table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown target `{triple}`; memlint knows {}", Target::KNOWN.join(", "))]
pub struct UnknownTarget {
    /// The triple as given.
    pub triple: String,
}

impl Default for Target {
    fn default() -> Self {
        Target::from_row(TABLE[0])
    }
}

impl Target {
    /// The triples memlint knows.
    pub const KNOWN: &'static [&'static str] = &[
        "x86_64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "i686-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "armv7-unknown-linux-gnueabihf",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
        "x86_64-pc-windows-gnu",
        "i686-pc-windows-msvc",
        "wasm32-unknown-unknown",
    ];

    /// The target named by `triple`.
    pub fn from_triple(triple: &str) -> Result<Target, UnknownTarget> {
        TABLE
            .iter()
            .find(|row| row.0 == triple)
            .map(|&row| Target::from_row(row))
            .ok_or_else(|| UnknownTarget { triple: triple.to_owned() })
    }

    fn from_row(row: Row) -> Target {
        let (triple, pointer_width, arch, os, family, env, vendor, align_64, align_128) = row;
        Target { triple, pointer_width, arch, os, family, env, vendor, endian: "little", align_64, align_128 }
    }

    /// The size (and alignment) of a pointer and of `usize`, in bytes.
    pub fn pointer_bytes(&self) -> u64 {
        u64::from(self.pointer_width / 8)
    }

    /// The value of a `cfg` key (`target_os`) on this target; `None` for
    /// keys that don't describe the target (features).
    pub fn cfg_value(&self, key: &str) -> Option<String> {
        Some(match key {
            "target_pointer_width" => self.pointer_width.to_string(),
            "target_os" => self.os.to_owned(),
            "target_family" => self.family.unwrap_or_default().to_owned(),
            "target_arch" => self.arch.to_owned(),
            "target_endian" => self.endian.to_owned(),
            "target_env" => self.env.to_owned(),
            "target_vendor" => self.vendor.to_owned(),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_triple_is_in_the_table_and_the_default_is_64_bit_linux() {
        assert_eq!(Target::KNOWN.len(), TABLE.len());
        for triple in Target::KNOWN {
            assert_eq!(Target::from_triple(triple).map(|t| t.triple), Ok(*triple));
        }
        let default = Target::default();
        assert_eq!((default.triple, default.pointer_bytes()), ("x86_64-unknown-linux-gnu", 8));
        assert_eq!(Target::from_triple("i686-unknown-linux-gnu").map(|t| t.pointer_bytes()), Ok(4));
        let error = Target::from_triple("sparc-sun-solaris").expect_err("unknown");
        assert!(error.to_string().contains("aarch64-apple-darwin"), "{error}");
    }
}
