//! Real crates, damaged: truncated files and flipped bytes must give a
//! listed error for each damaged file that no longer parses, never a crash,
//! and leave the findings of the undamaged files as they were.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use memlint_tests::{findings, memlint_in, repo_root};

/// The source directories of some of this workspace's dependencies: real,
/// widely used code, already on disk wherever the workspace builds.
fn real_sources() -> Vec<(String, PathBuf)> {
    // This platform's dependencies only: the others may not be downloaded.
    let rustc = std::process::Command::new("rustc").arg("-vV").output().expect("rustc runs");
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc names its host");
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(repo_root().join("Cargo.toml"))
        .other_options(vec!["--offline".to_owned(), "--filter-platform".to_owned(), host])
        .exec()
        .expect("cargo metadata");
    let wanted = ["boon", "clap_builder", "miette", "serde_json"];
    let mut found: Vec<(String, PathBuf)> = metadata
        .packages
        .iter()
        .filter(|p| wanted.contains(&p.name.as_str()))
        .filter_map(|p| Some((p.name.to_string(), p.manifest_path.parent()?.join("src").into_std_path_buf())))
        .collect();
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    assert_eq!(found.len(), wanted.len(), "the dependencies' sources are on disk: {found:?}");
    found
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A small deterministic generator (xorshift64), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n.max(1) as u64).unwrap_or(0)
    }
}

/// Copies every crate's sources under `to/<crate>`, damaging two files in
/// three: a truncation at a random byte, or a random byte overwritten. Returns
/// the damaged files' display paths.
fn copy_damaged(sources: &[(String, PathBuf)], to: &Path, damage: bool) -> BTreeSet<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut damaged = BTreeSet::new();
    for (name, src) in sources {
        for (i, file) in rust_files(src).into_iter().enumerate() {
            let relative = file.strip_prefix(src).expect("under src");
            let target = to.join(name).join(relative);
            std::fs::create_dir_all(target.parent().expect("a parent")).expect("create dirs");
            let mut bytes = std::fs::read(&file).expect("readable source");
            if damage && i % 3 != 2 && !bytes.is_empty() {
                let at = rng.below(bytes.len());
                if i % 3 == 0 {
                    bytes.truncate(at);
                } else {
                    bytes[at] = u8::try_from(rng.below(256)).unwrap_or(0);
                }
                damaged.insert(format!("{name}/{}", relative.to_string_lossy().replace('\\', "/")));
            }
            std::fs::write(&target, bytes).expect("write the copy");
        }
    }
    damaged
}

/// Whether findings of `rule` depend on other files (`RuleMeta::crate_wide`):
/// when a damaged file no longer parses, its types and signatures are gone,
/// and these may change in files that were not damaged.
fn crate_wide(rule: &str) -> bool {
    lint_core::rules::find(rule).is_some_and(|r| r.meta().crate_wide)
}

#[test]
fn damaged_files_are_listed_and_the_others_linted_as_before() {
    let sources = real_sources();
    let base = memlint_tests::scratch_dir("damaged");
    let (clean, broken) = (base.join("clean"), base.join("broken"));
    copy_damaged(&sources, &clean, false);
    let damaged = copy_damaged(&sources, &broken, true);
    assert!(damaged.len() > 20, "enough damage to mean something: {}", damaged.len());

    let args = [".", "-W", "all", "--no-cache", "--output-format", "json"];
    let before = memlint_in(&clean, &args);
    assert!(matches!(before.code, 0 | 1), "the undamaged copy lints cleanly: {}", before.stderr);
    let after = memlint_in(&broken, &args);
    assert_eq!(after.code, 2, "damaged files make the exit status 2: {}", after.stderr);
    let report = after.json();

    // Every error is a damaged file that no longer parses or decodes, named
    // with a position; nothing crashed.
    let errors = report["errors"].as_array().expect("errors");
    assert!(!errors.is_empty());
    for error in errors {
        let file = error["file"].as_str().unwrap_or("");
        assert!(damaged.contains(file), "an undamaged file failed: {error}");
        assert!(matches!(error["kind"].as_str(), Some("parse" | "not-utf8")), "{error}");
        assert!(error["line"].as_u64().is_some_and(|l| l > 0), "{error}");
    }
    // A damaged file reached only through `mod`s under `#[cfg]` is a note.
    let notes = report["notes"].as_array().expect("notes");
    for note in notes {
        assert!(damaged.contains(note["file"].as_str().unwrap_or("")), "an undamaged file was noted: {note}");
        assert_eq!(note["reason"], "conditional-module", "{note}");
    }
    let total = report["summary"]["files"].as_u64().unwrap_or(0)
        + report["summary"]["files_with_errors"].as_u64().unwrap_or(0)
        + notes.len() as u64;
    let expected: usize = sources.iter().map(|(_, src)| rust_files(src).len()).sum();
    assert_eq!(total, expected as u64, "every file is linted or listed");

    // The undamaged files' findings are unchanged.
    let keep = |found: Vec<(String, u64, String)>| -> Vec<(String, u64, String)> {
        found.into_iter().filter(|(file, _, rule)| !damaged.contains(file) && !crate_wide(rule)).collect()
    };
    let unchanged = keep(findings(&before.json()));
    assert!(!unchanged.is_empty(), "the comparison covers findings");
    assert_eq!(keep(findings(&report)), unchanged);

    // Whatever the thread count, the same report (timings aside).
    for threads in ["1", "3"] {
        let mut command = std::process::Command::new(memlint_tests::memlint_bin());
        command.arg("memlint").args(args).current_dir(&broken).env("RAYON_NUM_THREADS", threads).env("NO_COLOR", "1");
        let mut other = memlint_tests::run(command).json();
        let mut first = report.clone();
        for r in [&mut other, &mut first] {
            r["summary"]["elapsed_ms"] = serde_json::Value::Null;
        }
        assert_eq!(other, first, "{threads} thread(s)");
    }
}
