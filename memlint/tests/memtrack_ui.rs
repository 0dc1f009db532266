//! `#[memtrack]` misuse is a compile error with a clear message (pinned in
//! `tests/ui/memtrack/*.stderr`).
//!
//! The test lives in this crate, not in the end-to-end tests: trybuild
//! builds the crate under test with all its dependencies and
//! dev-dependencies in a target directory of its own
//! (`target/tests/trybuild`), and this crate's are few.

#[test]
fn misuse_is_a_clear_compile_error() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/memtrack");
    let cases = std::fs::read_dir(&dir).expect("the ui cases").filter_map(Result::ok);
    // trybuild passes when a glob matches nothing: make sure it doesn't.
    assert!(cases.filter(|e| e.path().extension().is_some_and(|x| x == "rs")).count() >= 6);
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/memtrack/*.rs");
}
