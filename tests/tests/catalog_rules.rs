//! Every rule of the catalog on a realistic crate (`tests/fixtures/catalog`,
//! a small log-analytics library): each pattern is reported once, by the
//! right rule, in the right function, and none of the look-alikes next to
//! them are. The human output is pinned as a snapshot.

use memlint_tests::{findings, fixture, memlint, redact_summary};

fn manifest() -> String {
    fixture("catalog").join("Cargo.toml").display().to_string()
}

fn f(file: &str, line: u64, rule: &str) -> (String, u64, String) {
    (format!("src/{file}"), line, rule.to_owned())
}

#[test]
fn every_pattern_is_reported_by_its_rule_and_no_look_alike_is() {
    let run = memlint(&["--manifest-path", &manifest(), "-W", "padded_struct", "--output-format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        findings(&report),
        vec![
            f("index.rs", 8, "map_insert_without_capacity"), // by_host: HashMap::new + insert per entry
            f("index.rs", 16, "map_insert_without_capacity"), // levels: HashSet::new + insert per entry
            f("index.rs", 48, "vec_push_without_capacity"),  // lengths
            f("model.rs", 17, "padded_struct"),              // RawEntry, with `Timestamp` from wire.rs
            f("model.rs", 25, "large_enum_variant"),         // enum Event (Snapshot labelled)
            f("model.rs", 39, "box_collection"),             // Box<Vec<Entry>>
            f("model.rs", 40, "box_collection"),             // Rc<Vec<String>>
            f("model.rs", 42, "vec_box"),                    // Vec<Box<Entry>>
            f("model.rs", 46, "box_collection"),             // -> Box<HashMap<..>>
            f("model.rs", 55, "needless_box"),               // total_len's scratch box
            f("report.rs", 10, "format_push_string"),        // render, in a loop
            f("report.rs", 17, "format_push_string"),        // header, `+= &format!`
            f("report.rs", 22, "string_push_without_capacity"), // levels: one char per entry
            f("report.rs", 57, "unused_suppression"),        // count: nothing left to suppress
            f("search.rs", 9, "unnecessary_to_owned"),       // index.get(&host.to_string())
            f("search.rs", 13, "unnecessary_to_owned"),      // known.contains(&host.to_owned())
            f("search.rs", 19, "clone_in_loop"),             // pattern.clone() per entry
            f("search.rs", 35, "redundant_clone"),           // for h in list.clone()
            f("search.rs", 60, "redundant_clone"),           // archived: entry.clone() at its last use
        ],
        "look-alikes that must stay silent: wire.rs (ordered and packed repr(C)), Query (recursive boxes), \
         `Box<dyn Fn>`/`Box<str>`, a returned box, a 1 MiB boxed array, entry() counting, BTreeMap, \
         with_capacity, conditional pushes, Rc::clone, a clone used afterwards, a clone moved into a Vec"
    );
}

#[test]
fn every_rule_of_the_catalog_is_exercised() {
    let report = memlint(&["--manifest-path", &manifest(), "-W", "padded_struct", "--output-format", "json"]).json();
    let rules: std::collections::BTreeSet<String> = findings(&report).into_iter().map(|(_, _, rule)| rule).collect();
    let missing: Vec<&str> = lint_core::rules::metas()
        .map(|m| m.name)
        .filter(|name| !rules.contains(*name) && !["string_concat_in_loop"].contains(name))
        .collect();
    assert!(missing.is_empty(), "rules without a finding on the realistic crate: {missing:?}");
}

#[test]
fn findings_have_quantified_messages_and_concrete_help() {
    let report = memlint(&["--manifest-path", &manifest(), "-W", "padded_struct", "--output-format", "json"]).json();
    for finding in report["findings"].as_array().expect("findings") {
        let message = finding["message"].as_str().unwrap_or_default();
        let help = finding["help"].as_str().unwrap_or_default();
        assert!(message.chars().any(|c| c.is_ascii_digit()) || message.contains('`'), "{message}");
        assert!(help.contains('`'), "help without code for {}: {help}", finding["rule"]);
    }
}

#[test]
fn human_output_is_pinned() {
    let run = memlint(&["--manifest-path", &manifest(), "-W", "padded_struct", "--color", "never"]);
    insta::assert_snapshot!("catalog_human", redact_summary(&run.stdout));
}
