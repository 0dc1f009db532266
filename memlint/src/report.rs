//! Reports: every tracked function's statistics, as values, JSON or a table,
//! and written at process exit when `MEMLINT_REPORT` is set.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::Ordering;

use crate::budget::Budget;
use crate::site::Site;

/// Version of the JSON report's schema; bumped on incompatible changes.
pub const REPORT_VERSION: u32 = 1;

/// One tracked function's statistics, over every call on every thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnStats {
    /// The name in reports (the function's name unless `name = ".."`).
    pub name: &'static str,
    /// The module the function is defined in (`module_path!()`).
    pub module_path: &'static str,
    /// The function's file (`file!()`, relative to the package root's workspace).
    pub file: &'static str,
    /// The line of its `#[memtrack]` attribute.
    pub line: u32,
    /// Calls that returned (or unwound).
    pub calls: u64,
    /// Allocations of all calls (reallocations count as one allocation of the new size).
    pub allocs: u64,
    /// Bytes allocated by all calls.
    pub bytes: u64,
    /// The most allocations of one call.
    pub max_allocs_per_call: u64,
    /// The most bytes one call allocated.
    pub max_bytes_per_call: u64,
    /// The most bytes live at once during a call, above the level at its start.
    pub peak_bytes: u64,
    /// Calls that went over a budget.
    pub budget_violations: u64,
    /// The function's budgets.
    pub budget: Budget,
}

/// Every tracked function that has been called, sorted by file and line.
/// Empty without the `track` feature.
pub fn report() -> Vec<FnStats> {
    let mut stats: Vec<FnStats> = Site::all()
        .into_iter()
        .map(|site| FnStats {
            name: site.info.name,
            module_path: site.info.module_path,
            file: site.info.file,
            line: site.info.line,
            calls: site.calls.load(Ordering::Relaxed),
            allocs: site.allocs.load(Ordering::Relaxed),
            bytes: site.bytes.load(Ordering::Relaxed),
            max_allocs_per_call: site.max_allocs.load(Ordering::Relaxed),
            max_bytes_per_call: site.max_bytes.load(Ordering::Relaxed),
            peak_bytes: site.peak.load(Ordering::Relaxed),
            budget_violations: site.violations.load(Ordering::Relaxed),
            budget: site.info.budget,
        })
        .collect();
    stats.sort_by(|a, b| (a.file, a.line, a.name).cmp(&(b.file, b.line, b.name)));
    stats
}

/// The report as JSON (schema in the README: `version`, then `functions`
/// with the fields of [`FnStats`]).
pub fn report_json() -> String {
    let mut out = format!("{{\n  \"version\": {REPORT_VERSION},\n  \"functions\": [");
    for (i, f) in report().iter().enumerate() {
        let b = &f.budget;
        let _ = write!(
            out,
            "{}\n    {{\"name\": {}, \"module_path\": {}, \"file\": {}, \"line\": {}, \"calls\": {}, \"allocs\": {}, \"bytes\": {}, \"max_allocs_per_call\": {}, \"max_bytes_per_call\": {}, \"peak_bytes\": {}, \"budget_violations\": {}, \"budget\": {{\"max_allocs_per_call\": {}, \"max_bytes_per_call\": {}, \"max_peak_bytes\": {}, \"max_allocs_total\": {}, \"max_bytes_total\": {}}}}}",
            if i == 0 { "" } else { "," },
            json_string(f.name),
            json_string(f.module_path),
            json_string(f.file),
            f.line,
            f.calls,
            f.allocs,
            f.bytes,
            f.max_allocs_per_call,
            f.max_bytes_per_call,
            f.peak_bytes,
            f.budget_violations,
            json_number(b.max_allocs_per_call),
            json_number(b.max_bytes_per_call),
            json_number(b.max_peak_bytes),
            json_number(b.max_allocs_total),
            json_number(b.max_bytes_total),
        );
    }
    out.push_str("\n  ]\n}\n");
    out
}

/// Writes the JSON report to `path`.
pub fn write_report(path: impl AsRef<Path>) -> std::io::Result<()> {
    std::fs::write(path, report_json())
}

/// The report as a table for people.
pub fn report_table() -> String {
    let header =
        ["FUNCTION", "CALLS", "ALLOCS", "BYTES", "MAX ALLOCS/CALL", "MAX BYTES/CALL", "PEAK", "OVER BUDGET", "AT"];
    let rows: Vec<[String; 9]> = report()
        .iter()
        .map(|f| {
            [
                crate::budget::qualified(f.module_path, f.name),
                f.calls.to_string(),
                f.allocs.to_string(),
                f.bytes.to_string(),
                f.max_allocs_per_call.to_string(),
                f.max_bytes_per_call.to_string(),
                f.peak_bytes.to_string(),
                f.budget_violations.to_string(),
                format!("{}:{}", f.file, f.line),
            ]
        })
        .collect();
    let width = |c: usize| rows.iter().map(|r| r[c].len()).chain([header[c].len()]).max().unwrap_or(0);
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let mut out = String::new();
    let header = header.map(str::to_owned);
    for row in std::iter::once(&header).chain(&rows) {
        for (c, cell) in row.iter().enumerate() {
            // The name left-aligned, numbers right-aligned, the location last and unpadded.
            if c == row.len() - 1 {
                out.push_str(cell);
            } else if c == 0 {
                let _ = write!(out, "{cell:<w$}", w = widths[c]);
            } else {
                let _ = write!(out, "{cell:>w$}", w = widths[c]);
            }
            out.push_str(if c + 1 == row.len() { "\n" } else { "  " });
        }
    }
    if rows.is_empty() {
        out.push_str("(no tracked function was called)\n");
    }
    out
}

/// Called once, when the first tracked function runs: registers the writer
/// of the report at exit, which reads `MEMLINT_REPORT` then (`-` prints the
/// table to standard error).
///
/// The variable is not read here: reading it allocates (its value is
/// copied), and this runs inside the user's tracked function, where a heap
/// profiler would see the allocation at the function's `#[memtrack]` line.
/// Registering allocates nothing (glibc and musl keep the first 32 `atexit`
/// handlers in static storage).
pub(crate) fn on_first_site() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(at_exit::register);
}

/// Writes the report where `MEMLINT_REPORT` says, if it is set.
fn write_at_exit() {
    let Some(target) = std::env::var_os("MEMLINT_REPORT") else { return };
    if target == "-" {
        eprint!("{}", report_table());
    } else if let Err(e) = write_report(&target) {
        eprintln!("memlint: cannot write the report to `{}`: {e}", Path::new(&target).display());
    }
}

#[allow(unsafe_code)]
mod at_exit {
    /// Registers [`super::write_at_exit`] with the C runtime's `atexit`,
    /// which runs after `main` returns and on `std::process::exit` (the
    /// test harness exits that way).
    pub(super) fn register() {
        unsafe extern "C" {
            fn atexit(callback: extern "C" fn()) -> std::ffi::c_int;
        }
        extern "C" fn hook() {
            // A panic must not cross the C boundary.
            let _ = std::panic::catch_unwind(super::write_at_exit);
        }
        // SAFETY: `atexit` is in every C runtime Rust's std links against;
        // `hook` is a plain `extern "C" fn` that never unwinds.
        let status = unsafe { atexit(hook) };
        if status != 0 {
            eprintln!("memlint: cannot register the MEMLINT_REPORT writer at exit");
        }
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_number(n: Option<u64>) -> String {
    n.map_or_else(|| "null".to_owned(), |n| n.to_string())
}
