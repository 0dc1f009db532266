//! Every rule of the catalog on a realistic crate (`tests/fixtures/catalog`,
//! a small log-analytics library): each pattern is reported once, by the
//! right rule, in the right function, and none of the look-alikes next to
//! them are. The human output is pinned as a snapshot.

use memlint_tests::{findings, fixture, memlint, redact_summary};

fn manifest() -> String {
    fixture("catalog").join("Cargo.toml").display().to_string()
}

/// The findings the fixture's sources expect: a `//~ rule` comment at the
/// end of the line a finding starts on (several rules separated by spaces).
/// Adding a case to the catalog is writing the code and its marker.
fn expected() -> Vec<(String, u64, String)> {
    let src = fixture("catalog").join("src");
    let mut files: Vec<_> = std::fs::read_dir(&src).expect("src").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let mut expected = Vec::new();
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a file name").to_owned();
        let text = std::fs::read_to_string(&path).expect("a source file");
        for (i, line) in text.lines().enumerate() {
            let Some((_, rules)) = line.split_once("//~ ") else { continue };
            for rule in rules.split_whitespace() {
                expected.push((format!("src/{name}"), i as u64 + 1, rule.to_owned()));
            }
        }
    }
    expected.sort();
    expected
}

#[test]
fn every_pattern_is_reported_by_its_rule_and_no_look_alike_is() {
    let run = memlint(&["--manifest-path", &manifest(), "-W", "pedantic", "--output-format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
    let expected = expected();
    assert!(expected.len() > 10, "the markers are read: {expected:?}");
    assert_eq!(
        findings(&report),
        expected,
        "each `//~ rule` marker of tests/fixtures/catalog/src is a finding, and nothing else is: the look-alikes \
         (wire.rs's ordered and packed repr(C), recursive boxes, `Box<dyn Fn>`/`Box<str>`, a returned box, a \
         1 MiB boxed array, BTreeMap, with_capacity, conditional pushes, Rc::clone, a clone \
         used afterwards, a clone moved into a Vec) stay silent"
    );
}

#[test]
fn every_rule_of_the_catalog_is_exercised() {
    let report = memlint(&["--manifest-path", &manifest(), "-W", "pedantic", "--output-format", "json"]).json();
    let rules: std::collections::BTreeSet<String> = findings(&report).into_iter().map(|(_, _, rule)| rule).collect();
    let missing: Vec<&str> = lint_core::rules::metas().map(|m| m.name).filter(|name| !rules.contains(*name)).collect();
    assert!(missing.is_empty(), "rules without a finding on the realistic crate: {missing:?}");
}

#[test]
fn findings_have_quantified_messages_and_concrete_help() {
    let report = memlint(&["--manifest-path", &manifest(), "-W", "pedantic", "--output-format", "json"]).json();
    for finding in report["findings"].as_array().expect("findings") {
        let message = finding["message"].as_str().unwrap_or_default();
        let help = finding["help"].as_str().unwrap_or_default();
        assert!(message.chars().any(|c| c.is_ascii_digit()) || message.contains('`'), "{message}");
        assert!(help.contains('`'), "help without code for {}: {help}", finding["rule"]);
    }
}

#[test]
fn human_output_is_pinned() {
    let run = memlint(&["--manifest-path", &manifest(), "-W", "pedantic", "--color", "never"]);
    insta::assert_snapshot!("catalog_human", redact_summary(&run.stdout));
}
