//! Any bytes as a DHAT profile: an error, or a profile that joins with the
//! findings of the demo crate (twice, as two runs), never a panic.
#![no_main]

use std::path::{Path, PathBuf};

use dhat_runner::{FindingRef, Profile, Workspace};
use libfuzzer_sys::fuzz_target;

/// The demo crate: its source files and findings, read once per thread.
struct Demo {
    workspace: Workspace,
    findings: Vec<FindingRef>,
}

fn demo() -> Demo {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/demo");
    let files: Vec<PathBuf> = std::fs::read_dir(root.join("src"))
        .expect("the demo crate")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    let findings = files
        .iter()
        .flat_map(|file| lint_core::lint_file(file).map(|f| f.diagnostics).unwrap_or_default())
        .map(|d| FindingRef::of(&d, &root))
        .collect();
    Demo { workspace: Workspace::new(&root, files), findings }
}

thread_local! {
    static DEMO: Demo = demo();
}

fuzz_target!(|data: &[u8]| {
    let Ok(profile) = Profile::parse(Path::new("fuzz.json"), data) else { return };
    DEMO.with(|demo| {
        let join = dhat_runner::join(&[profile.clone(), profile], &demo.findings, &demo.workspace);
        assert_eq!(join.evidence.len(), demo.findings.len());
    });
});
