//! `cargo memlint rules` and `cargo memlint explain`: the rule catalog as
//! users and tools read it.

use memlint_tests::memlint;

#[test]
fn rules_lists_every_rule_with_category_level_and_summary() {
    let run = memlint(&["rules"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("RULE") && lines[0].contains("CATEGORY") && lines[0].contains("SUMMARY"));
    for meta in lint_core::rules::metas() {
        let row = lines.iter().find(|l| l.starts_with(&format!("{} ", meta.name))).expect(meta.name);
        let cells: Vec<&str> = row.split_whitespace().take(3).collect();
        assert_eq!(cells, [meta.name, meta.category.name(), meta.default_level.name()], "{row}");
        assert!(row.ends_with(meta.summary), "{row}");
    }
}

#[test]
fn rules_json_is_versioned_and_complete() {
    let run = memlint(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let catalog = run.json();
    assert_eq!(catalog["version"], 1);
    let rules = catalog["rules"].as_array().expect("rules array");
    assert_eq!(rules.len(), lint_core::rules::metas().count());
    for (rule, meta) in rules.iter().zip(lint_core::rules::metas()) {
        assert_eq!(rule["name"], meta.name);
        assert_eq!(rule["category"], meta.category.name());
        assert_eq!(rule["default_level"], meta.default_level.name());
        assert_eq!(rule["summary"], meta.summary);
        assert_eq!(rule["docs"], meta.docs);
    }
}

#[test]
fn explain_prints_every_section_of_the_docs() {
    let run = memlint(&["explain", "padded_struct"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("padded_struct  (pedantic, allow by default"), "{}", run.stdout);
    for section in lint_core::docs::REQUIRED_SECTIONS {
        assert!(run.stdout.contains(&section.to_uppercase()), "missing {section}:\n{}", run.stdout);
    }
    assert!(run.stdout.contains("    #[repr(C)]"), "code blocks are indented:\n{}", run.stdout);
    assert!(!run.stdout.contains("```"), "{}", run.stdout);
    // The code diagnostics show is accepted too.
    assert_eq!(memlint(&["explain", "memlint::padded_struct"]).stdout, run.stdout);
}

#[test]
fn explain_of_an_unknown_rule_suggests_the_closest_names() {
    let run = memlint(&["explain", "vec_push_without_capasity"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert_eq!(
        run.stderr,
        "error: no rule named `vec_push_without_capasity`\n  help: did you mean `vec_push_without_capacity`?\n"
    );
    let run = memlint(&["explain", "qqqq"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`cargo memlint rules` lists every rule"), "{}", run.stderr);
}
