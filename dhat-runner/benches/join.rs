//! How long joining a large profile with many findings takes (issue 7's
//! target: 100,000 program points against 10,000 findings in under a second).
//!
//! `cargo bench -p dhat-runner --bench join`: a synthetic workspace of 100
//! files of 2,000 lines, 10,000 findings, and a dhat-rs-style profile of
//! 100,000 stacks (std frames above one to four workspace frames), joined
//! five times; prints the best and median wall time.

use std::path::{Path, PathBuf};
use std::time::Instant;

use dhat_runner::{FindingRef, Profile, Workspace, join};
use lint_core::Span;

const FILES: usize = 100;
const LINES: u32 = 2_000;
const FINDINGS: usize = 10_000;
const POINTS: usize = 100_000;
const RULES: [&str; 4] =
    ["vec_push_without_capacity", "format_push_string", "redundant_clone", "map_insert_without_capacity"];
const STD: [&str; 4] = [
    "push<u64, alloc::alloc::Global> (src/vec/mod.rs:992:22)",
    "format (alloc/src/fmt.rs:659:19)",
    "<alloc::string::String as core::clone::Clone>::clone (alloc/src/string.rs:2180:9)",
    "insert<&str, usize, std::hash::random::RandomState> (std/src/collections/hash/map.rs:1203:9)",
];

/// A small deterministic generator (no dependency for a bench).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn main() {
    let dir = std::env::temp_dir().join(format!("dhat-runner-bench-{}", std::process::id()));
    let mut files = Vec::with_capacity(FILES);
    for f in 0..FILES {
        let path = dir.join(format!("bench/src/m{f}.rs"));
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("the bench directory");
        // Functions of 20 lines each.
        let text: String =
            (0..LINES / 20).map(|i| format!("fn f{i}() {{\n{}}}\n", "    let _x = 1;\n".repeat(18))).collect();
        std::fs::write(&path, text).expect("a source file");
        files.push(path);
    }
    let workspace = Workspace::new(&dir, files.clone());
    let mut rng = Lcg(7);
    let findings: Vec<FindingRef> = (0..FINDINGS)
        .map(|i| {
            let line = 2 + rng.next(u64::from(LINES) - 4) as u32;
            let span = Span { line, column: 5, end_line: line, end_column: 30, start: 0, end: 0 };
            FindingRef { rule: RULES[i % RULES.len()].to_string(), file: files[i % FILES].clone(), spans: vec![span] }
        })
        .collect();
    let profile = synthetic_profile(&files, &mut rng);
    let _ = std::fs::remove_dir_all(&dir);
    // Function spans are read lazily from the files, once: read them before timing.
    let _ = join(std::slice::from_ref(&profile), &findings, &workspace);

    let mut times = Vec::with_capacity(5);
    let mut confirmed = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let joined = join(std::slice::from_ref(&profile), &findings, &workspace);
        times.push(started.elapsed().as_secs_f64());
        confirmed = joined.evidence.iter().filter(|e| e.is_some()).count();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "join: {POINTS} program points x {FINDINGS} findings: best {:.3} s, median {:.3} s ({confirmed} findings confirmed, {} frames)",
        times[0],
        times[times.len() / 2],
        profile.frames.len()
    );
}

/// dhat-rs-style stacks: a shim, a std call, then workspace frames with
/// relative 3-component paths (the expensive case: suffix resolution).
fn synthetic_profile(files: &[PathBuf], rng: &mut Lcg) -> Profile {
    let mut ftbl = vec!["\"[root]\"".to_string()];
    let mut pps = Vec::with_capacity(POINTS);
    for _ in 0..POINTS {
        let mut fs = vec!["1".to_string()];
        ftbl.push(serde_json::to_string(&format!("0x1: {}", STD[rng.next(4) as usize])).expect("json"));
        fs.push((ftbl.len() - 1).to_string());
        for _ in 0..1 + rng.next(4) {
            let file = &files[rng.next(FILES as u64) as usize];
            let rel = relative(file);
            let line = 2 + rng.next(u64::from(LINES) - 4);
            let function = format!("f{}", (line - 1) / 20);
            ftbl.push(serde_json::to_string(&format!("0x2: {function} ({rel}:{line}:9)")).expect("json"));
            fs.push((ftbl.len() - 1).to_string());
        }
        pps.push(format!("{{\"tb\":64,\"tbk\":1,\"fs\":[{}]}}", fs.join(",")));
    }
    ftbl.insert(1, "\"0x0: <dhat::Alloc as core::alloc::global::GlobalAlloc>::alloc (???:0:0)\"".to_string());
    // Index 1 is the shim now; every other index moved up by one.
    let pps: Vec<String> = pps.into_iter().map(|p| shift_indices(&p)).collect();
    let text = format!(
        "{{\"dhatFileVersion\":2,\"mode\":\"rust-heap\",\"pps\":[{}],\"ftbl\":[{}]}}",
        pps.join(","),
        ftbl.join(",")
    );
    Profile::parse(Path::new("bench.json"), text.as_bytes()).expect("the synthetic profile parses")
}

fn relative(file: &Path) -> String {
    let parts: Vec<&std::ffi::OsStr> = file.components().rev().take(3).map(|c| c.as_os_str()).collect();
    let parts: Vec<std::borrow::Cow<'_, str>> = parts.into_iter().rev().map(|p| p.to_string_lossy()).collect();
    parts.join("/")
}

/// `[1,5,9]` -> `[1,6,10]`: the first index is the shim and stays.
fn shift_indices(point: &str) -> String {
    let (head, rest) = point.split_once("\"fs\":[").expect("fs");
    let list = rest.trim_end_matches("]}");
    let shifted: Vec<String> = list
        .split(',')
        .enumerate()
        .map(|(i, n)| if i == 0 { n.to_string() } else { (n.parse::<usize>().expect("index") + 1).to_string() })
        .collect();
    format!("{head}\"fs\":[{}]}}", shifted.join(","))
}
