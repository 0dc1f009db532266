//! Reading a `#[memtrack]` report (`MEMLINT_REPORT`): call counts per
//! tracked function, to say how many blocks a finding costs per call.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ProfileError;

/// The report version this crate reads (memlint's `report_json`).
pub(crate) const REPORT_VERSION: u64 = 1;

/// One tracked function.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MemtrackFn {
    /// The function's name (or its `name = ".."`).
    pub name: String,
    /// `module_path!()` where it is defined.
    #[serde(default)]
    pub module_path: String,
    /// `file!()`: relative to the workspace root when built by cargo.
    pub file: PathBuf,
    /// The line of the `#[memtrack]` attribute.
    pub line: u32,
    /// Completed calls.
    pub calls: u64,
    /// Allocations over all calls.
    pub allocs: u64,
    /// Bytes over all calls.
    pub bytes: u64,
}

/// A whole report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemtrackReport {
    /// The tracked functions.
    pub functions: Vec<MemtrackFn>,
}

#[derive(Deserialize)]
struct Raw {
    version: u64,
    functions: Vec<MemtrackFn>,
}

impl MemtrackReport {
    /// Reads a report written by `memlint::write_report` or `MEMLINT_REPORT`.
    pub fn read(path: &Path) -> Result<MemtrackReport, ProfileError> {
        let bytes = std::fs::read(path).map_err(|e| ProfileError::io(path, e))?;
        MemtrackReport::parse(path, &bytes)
    }

    /// Reads the `bytes` of the report file `path` (named in errors).
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<MemtrackReport, ProfileError> {
        const KIND: &str = "#[memtrack] report";
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ProfileError::empty(path));
        }
        let raw: Raw = serde_json::from_slice(bytes).map_err(|e| ProfileError::json(path, KIND, &e))?;
        if raw.version != REPORT_VERSION {
            return Err(ProfileError::invalid(
                path,
                format!("is a version {} #[memtrack] report; this memlint reads version {REPORT_VERSION}", raw.version),
            ));
        }
        Ok(MemtrackReport { functions: raw.functions })
    }

    /// The tracked function whose `#[memtrack]` attribute is on one of
    /// `lines` of `file` (`file` absolute, the report's paths relative to
    /// `root`): the function that spans those lines.
    pub fn tracked_within(
        &self,
        root: &Path,
        file: &Path,
        lines: std::ops::RangeInclusive<u32>,
    ) -> Option<&MemtrackFn> {
        self.functions
            .iter()
            .find(|f| lines.contains(&f.line) && (root.join(&f.file) == file || file.ends_with(&f.file)))
    }

    /// Adds another report's counts (one report per profiled process).
    pub fn merge(&mut self, other: MemtrackReport) {
        for f in other.functions {
            match self.functions.iter_mut().find(|g| g.file == f.file && g.line == f.line && g.name == f.name) {
                // Saturating: a damaged report's huge counts must not overflow.
                Some(g) => {
                    g.calls = g.calls.saturating_add(f.calls);
                    g.allocs = g.allocs.saturating_add(f.allocs);
                    g.bytes = g.bytes.saturating_add(f.bytes);
                }
                None => self.functions.push(f),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_merges_reports() {
        let dir = crate::tempdir::Dir::new("memtrack");
        let text = r#"{"version":1,"functions":[{"name":"encode","module_path":"app","file":"src/lib.rs","line":4,
            "calls":3,"allocs":27,"bytes":90,"max_allocs_per_call":9,"budget":{}}]}"#;
        let path = dir.write("r.json", text);
        let mut report = MemtrackReport::read(&path).unwrap();
        report.merge(MemtrackReport::read(&path).unwrap());
        let f = report.tracked_within(Path::new("/ws"), Path::new("/ws/src/lib.rs"), 4..=9).unwrap();
        assert_eq!((f.calls, f.allocs), (6, 54));
        assert!(report.tracked_within(Path::new("/ws"), Path::new("/ws/src/lib.rs"), 5..=9).is_none());
        assert!(report.tracked_within(Path::new("/ws"), Path::new("/ws/src/main.rs"), 1..=9).is_none());

        let bad = dir.write("v2.json", &text.replace("\"version\":1", "\"version\":2"));
        assert!(
            MemtrackReport::read(&bad)
                .unwrap_err()
                .to_string()
                .ends_with("is a version 2 #[memtrack] report; this memlint reads version 1")
        );
        let cut = dir.write("cut.json", &text[..40]);
        assert!(
            MemtrackReport::read(&cut)
                .unwrap_err()
                .to_string()
                .contains("is not a valid #[memtrack] report: EOF while parsing")
        );
    }

    /// Every kind of bad report gives one specific error naming the file;
    /// huge counts merge without overflowing.
    #[test]
    fn bad_reports_give_specific_errors() {
        let path = Path::new("target/report.json");
        let entry = r#"{"name":"f","file":"src/lib.rs","line":1,"calls":18446744073709551615,"allocs":1,"bytes":1}"#;
        let deep = "[".repeat(5_000_000);
        let cases: [(&str, &str); 7] = [
            ("", "`target/report.json` is empty (the profiled program may have been killed before writing it)"),
            (
                r#"{"version":1,"functions":[{"name""#,
                "`target/report.json` is not a valid #[memtrack] report: EOF while parsing an object at line 1, column 33",
            ),
            (
                r#"{"version":1,"functions":{}}"#,
                "`target/report.json` is not a valid #[memtrack] report: invalid type: map, expected a sequence at line 1, column 25",
            ),
            (
                r#"{"version":1,"functions":[{"name":"f","file":"a.rs","line":-1,"calls":0,"allocs":0,"bytes":0}]}"#,
                "`target/report.json` is not a valid #[memtrack] report: invalid value: integer `-1`, expected u32 at line 1, column 61",
            ),
            (
                r#"{"functions":[]}"#,
                "`target/report.json` is not a valid #[memtrack] report: missing field `version` at line 1, column 16",
            ),
            (
                r#"{"version":7,"functions":[]}"#,
                "`target/report.json` is a version 7 #[memtrack] report; this memlint reads version 1",
            ),
            (
                &deep,
                "`target/report.json` is not a valid #[memtrack] report: invalid type: sequence, expected u64 at line 1, column 1",
            ),
        ];
        for (text, expected) in cases {
            let error = MemtrackReport::parse(path, text.as_bytes()).expect_err(text.get(..40).unwrap_or(text));
            assert_eq!(error.to_string(), expected);
        }
        let huge = format!(r#"{{"version":1,"functions":[{entry}]}}"#);
        let mut report = MemtrackReport::parse(path, huge.as_bytes()).expect("a valid report");
        report.merge(report.clone());
        assert_eq!(report.functions[0].calls, u64::MAX);
    }
}
