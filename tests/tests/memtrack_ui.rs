//! `#[memtrack]` misuse is a compile error with a clear message (pinned in
//! `ui/memtrack/*.stderr`).

#[test]
fn misuse_is_a_clear_compile_error() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/memtrack");
    let cases = std::fs::read_dir(&dir).expect("the ui cases").filter_map(Result::ok);
    // trybuild passes when a glob matches nothing: make sure it doesn't.
    assert!(cases.filter(|e| e.path().extension().is_some_and(|x| x == "rs")).count() >= 6);
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/memtrack/*.rs");
}
