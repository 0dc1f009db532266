//! Real profiles of `tests/fixtures/profiled` (release build, no arguments),
//! written by valgrind 3.19 and dhat-rs 0.3.3, joined with memlint's
//! findings on that fixture. The expected numbers are the allocation
//! arithmetic written in the fixture's comments.

use std::path::{Path, PathBuf};

use dhat_runner::{FindingRef, Join, MatchKind, Producer, Profile, Reason, Workspace, join};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/profiled").canonicalize().expect("the fixture exists")
}

/// The committed profile, with valgrind's absolute paths pointed at this checkout.
fn profile(name: &str) -> Profile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    let text = std::fs::read_to_string(&path)
        .expect("the profile is committed")
        .replace("@FIXTURE@", &fixture().display().to_string());
    Profile::parse(&path, text.as_bytes()).expect("the committed profile parses")
}

fn files() -> Vec<PathBuf> {
    ["src/main.rs", "src/lib.rs", "src/text.rs", "tests/workload.rs"].iter().map(|f| fixture().join(f)).collect()
}

fn findings() -> Vec<FindingRef> {
    let mut out = Vec::new();
    for file in files() {
        let linted = lint_core::lint_file(&file).expect("the fixture lints");
        out.extend(linted.diagnostics.iter().map(|d| FindingRef::of(d, Path::new("/"))));
    }
    out
}

fn joined(name: &str) -> (Vec<FindingRef>, Join) {
    let findings = findings();
    let workspace = Workspace::new(fixture(), files());
    let join = join(&[profile(name)], &findings, &workspace);
    (findings, join)
}

/// (rule, blocks, bytes, reason, match) of every confirmed finding, in finding order.
fn confirmed(findings: &[FindingRef], join: &Join) -> Vec<(String, u64, u64, Reason, MatchKind)> {
    findings
        .iter()
        .zip(&join.evidence)
        .filter_map(|(f, e)| e.as_ref().map(|e| (f.rule.clone(), e.blocks, e.bytes, e.reason, e.how)))
        .collect()
}

#[test]
fn both_producers_are_recognised() {
    assert_eq!(profile("valgrind.json").producer, Producer::Valgrind);
    assert_eq!(profile("dhat-rs.json").producer, Producer::DhatRs);
}

#[test]
fn exercised_findings_are_confirmed_with_their_exact_cost() {
    for name in ["valgrind.json", "dhat-rs.json"] {
        let (findings, join) = joined(name);
        let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(
            rules,
            ["vec_push_without_capacity", "format_push_string", "map_insert_without_capacity", "redundant_clone"],
            "the fixture's findings"
        );
        let expected = vec![
            ("vec_push_without_capacity".to_string(), 9, 16_352, Reason::VecGrowth, MatchKind::Exact),
            ("format_push_string".to_string(), 100, 800, Reason::Format, MatchKind::Exact),
            ("redundant_clone".to_string(), 20, 100, Reason::Clone, MatchKind::ViaCallee),
        ];
        assert_eq!(confirmed(&findings, &join), expected, "{name}");
        // index() only runs with an argument.
        assert!(join.evidence[2].is_none(), "{name}: map_insert_without_capacity is not exercised");
    }
}

#[test]
fn unexplained_sites_are_hotspots_with_their_reason() {
    for name in ["valgrind.json", "dhat-rs.json"] {
        let (_, join) = joined(name);
        let top = &join.hotspots[0];
        assert_eq!((top.file.as_str(), top.function.as_str()), ("src/main.rs", "scratch_buffers"), "{name}");
        assert_eq!(
            (top.blocks, top.bytes, top.reason, top.detail.as_str()),
            (50, 204_800, Reason::Other, "from_elem"),
            "{name}"
        );
        // The String that format_push_string's fix still grows: a string growth no finding explains.
        let growth = join.hotspots.iter().find(|h| h.reason == Reason::StringGrowth).unwrap();
        assert_eq!(
            (growth.file.as_str(), growth.line, growth.blocks, growth.bytes),
            ("src/text.rs", 11, 7, 1016),
            "{name}"
        );
    }
}

#[test]
fn both_backends_agree_on_workspace_sites() {
    let (_, valgrind) = joined("valgrind.json");
    let (_, dhat_rs) = joined("dhat-rs.json");
    // Same sites and blocks; bytes too, but for `main`'s copy of argv (the
    // two binaries were run from paths of different lengths).
    let in_workspace = |j: &Join| {
        j.sites
            .iter()
            .filter(|s| !s.file.is_empty())
            .map(|s| {
                (s.function.clone(), s.reason, s.file.clone(), s.blocks, (s.function != "main").then_some(s.bytes))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(in_workspace(&valgrind), in_workspace(&dhat_rs));
    // Only runtime start-up differs, and it is outside the workspace.
    // (dhat-rs starts in `main`, valgrind sees the runtime start up.)
    assert!(valgrind.totals.outside_blocks > 0);
    assert_eq!(dhat_rs.totals.outside_blocks, 0);
    assert_eq!(valgrind.totals.truncated_blocks, 0);
}

#[test]
fn a_diff_of_a_profile_with_itself_is_empty() {
    let (_, join) = joined("valgrind.json");
    let diff = dhat_runner::diff::Diff::of(&join.sites, &join.sites);
    assert!(diff.changed.is_empty());
    assert_eq!(diff.base, diff.new);
}

#[test]
fn truncated_and_corrupt_files_name_the_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/valgrind.json");
    let text = std::fs::read(&path).unwrap();
    let err = Profile::parse(Path::new("cut.json"), &text[..text.len() / 2]).unwrap_err().to_string();
    assert!(err.starts_with("`cut.json` is not a valid DHAT profile: EOF while parsing"), "{err}");
    let mut flipped = text.clone();
    let colon = text.windows(5).position(|w| w == b"\"tb\":").unwrap() + 4;
    flipped[colon] = b'#';
    let err = Profile::parse(Path::new("flip.json"), &flipped).unwrap_err().to_string();
    assert!(err.starts_with("`flip.json` is not a valid DHAT profile: expected `:`"), "{err}");
    let err = Profile::read(Path::new("/nonexistent/dhat.json")).unwrap_err().to_string();
    assert!(err.starts_with("cannot read `/nonexistent/dhat.json`:"), "{err}");
}
