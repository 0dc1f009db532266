//! Files are read with their target's edition: Rust 2015 code that today's
//! grammar rejects is linted, with exact positions.

use memlint_tests::{findings, fixture, memlint, memlint_in};

fn the_finding() -> Vec<(String, u64, String)> {
    vec![("src/lib.rs".to_owned(), 31, "vec_push_without_capacity".to_owned())]
}

#[test]
fn a_2015_crate_lints_without_errors() {
    let manifest = fixture("edition2015/Cargo.toml");
    let run = memlint(&["--manifest-path", manifest.to_str().expect("UTF-8"), "--no-cache", "--output-format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(findings(&report), the_finding());
    assert_eq!(report["findings"][0]["column"], 19, "positions are those of the original text");
}

/// In path mode the edition comes from the package's `Cargo.toml` (none
/// named: 2015, as cargo reads it).
#[test]
fn path_mode_reads_the_package_edition() {
    let run = memlint_in(&fixture("edition2015"), &["src", "--no-cache", "--output-format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(findings(&run.json()), the_finding());
}

/// The same code in a 2021 crate does not compile, and is a syntax error.
#[test]
fn the_same_code_in_a_2021_crate_is_a_syntax_error() {
    let dir = memlint_tests::copy_of(&fixture("edition2015"), "edition-2021");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
    std::fs::write(
        dir.join("Cargo.toml"),
        manifest.replace("version = \"0.1.0\"", "version = \"0.1.0\"\nedition = \"2021\""),
    )
    .expect("a 2021 manifest");
    let run = memlint_in(&dir, &["--no-cache", "--output-format", "short"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "src/lib.rs:4:5: error[parse]: expected identifier, found keyword `async`\n");
}

/// A fix in a 2015 file is checked against 2015 syntax: the fixed file
/// must still parse as the edition it is compiled with.
#[test]
fn fixes_apply_to_2015_code() {
    let dir = memlint_tests::copy_of(&fixture("edition2015"), "edition-fix");
    let run = memlint_in(&dir, &["--no-cache", "--fix", "--allow-dirty"]);
    assert!(run.stderr.contains("memlint: applied 1 fix in 1 file"), "{}", run.stderr);
    let fixed = std::fs::read_to_string(dir.join("src/lib.rs")).expect("lib.rs");
    assert!(fixed.contains("let mut out = Vec::with_capacity(n as usize);"), "{fixed}");
}
