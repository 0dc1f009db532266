//! The rule contract, checked for every rule.

use std::collections::BTreeSet;

use super::REGISTRY;
use crate::docs::{REQUIRED_SECTIONS, code_blocks, section, sections};
use crate::rules::test_support::lint;

/// Files in `src/rules/` that are not rules.
const NOT_RULES: &[&str] = &["mod", "test_support", "meta_tests"];

#[test]
fn every_rule_file_is_registered_under_its_file_stem() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules");
    let stems: BTreeSet<String> = std::fs::read_dir(dir)
        .expect("rules dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_owned()))
        .filter(|stem| !NOT_RULES.contains(&stem.as_str()))
        .collect();
    let names: BTreeSet<String> = REGISTRY.iter().map(|r| r.meta().name.to_owned()).collect();
    assert_eq!(names.len(), REGISTRY.len(), "rule names must be unique");
    assert_eq!(stems, names, "every file in src/rules/ is one registered rule named after the file");
}

/// A rule's `hooks()` are exactly the per-node methods its `impl Rule`
/// writes: the walk calls only the declared ones, so a method without its
/// hook would never run, and a hook without its method costs time for nothing.
#[test]
fn hooks_are_the_methods_each_rule_implements() {
    use crate::rule::Hooks;
    for rule in REGISTRY {
        let name = rule.meta().name;
        let path = format!("{}/src/rules/{name}.rs", env!("CARGO_MANIFEST_DIR"));
        let file = syn::parse_file(&std::fs::read_to_string(path).expect("the rule's file")).expect("parses");
        let methods: Vec<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(i) if i.trait_.as_ref().is_some_and(|(_, t, _)| t.is_ident("Rule")) => Some(i),
                _ => None,
            })
            .flat_map(|i| &i.items)
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        let mut implemented = Hooks::NONE;
        for (method, hook) in [("check_expr", Hooks::EXPR), ("check_fn", Hooks::FN), ("check_type", Hooks::TYPE)] {
            if methods.iter().any(|m| m == method) {
                implemented = implemented.with(hook);
            }
        }
        assert_eq!(rule.hooks(), implemented, "`{name}`: hooks() against the methods of its `impl Rule`: {methods:?}");
    }
}

#[test]
fn registry_is_sorted_and_names_are_snake_case() {
    let names: Vec<&str> = REGISTRY.iter().map(|r| r.meta().name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "keep REGISTRY sorted by name");
    for name in names {
        let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !name.contains("__")
            && !name.ends_with('_');
        assert!(ok, "`{name}` is not snake_case");
    }
}

#[test]
fn docs_have_every_section_in_order() {
    for rule in REGISTRY {
        let meta = rule.meta();
        let titles: Vec<&str> = sections(meta.docs).into_iter().map(|(t, _)| t).collect();
        let required: Vec<&str> = titles.iter().copied().filter(|t| REQUIRED_SECTIONS.contains(t)).collect();
        assert_eq!(required, REQUIRED_SECTIONS, "`{}` docs sections", meta.name);
        for title in REQUIRED_SECTIONS {
            assert!(!section(meta.docs, title).unwrap_or("").is_empty(), "`{}`: empty section `{title}`", meta.name);
        }
        assert!(!meta.summary.is_empty() && !meta.summary.ends_with('.'), "`{}`: summary", meta.name);
    }
}

#[test]
fn docs_example_fires_and_use_instead_does_not() {
    for rule in REGISTRY {
        let meta = rule.meta();
        let example = code_blocks(section(meta.docs, "Example").unwrap_or(""));
        assert!(!example.is_empty(), "`{}`: Example has no code block", meta.name);
        for code in &example {
            assert!(!lint(meta.name, code).is_empty(), "`{}`: its Example does not fire:\n{code}", meta.name);
        }
        let fixed = code_blocks(section(meta.docs, "Use instead").unwrap_or(""));
        assert!(!fixed.is_empty(), "`{}`: Use instead has no code block", meta.name);
        for code in &fixed {
            let found = lint(meta.name, code);
            assert!(found.is_empty(), "`{}`: its Use instead fires: {found:#?}\n{code}", meta.name);
        }
    }
}

#[test]
fn superseded_rules_exist_and_precedence_has_no_cycles() {
    for rule in REGISTRY {
        let meta = rule.meta();
        for &loser in meta.supersedes {
            let other =
                super::find(loser).unwrap_or_else(|| panic!("`{}` supersedes unknown rule `{loser}`", meta.name));
            assert!(
                !other.meta().supersedes.contains(&meta.name),
                "`{}` and `{loser}` supersede each other",
                meta.name
            );
        }
    }
}

/// Every rule with a fix fixes its docs Example (with a comment added, which
/// must stay): a before/after snapshot per rule, the result parses, and the
/// rule no longer fires on it (`test_support::checked_fix`). A rule declared
/// without a fix makes none there.
#[test]
fn every_fix_applies_to_its_docs_example() {
    for rule in REGISTRY {
        let meta = rule.meta();
        let example = code_blocks(section(meta.docs, "Example").unwrap_or(""));
        let before = format!("// A comment the fix keeps.\n{}", example[0]);
        let after = crate::rules::test_support::checked_fix(meta.name, &before);
        if meta.fix == crate::FixSafety::None {
            assert_eq!(after, before, "`{}` declares no fix", meta.name);
            continue;
        }
        assert_ne!(after, before, "`{}`: its Example gets no fix", meta.name);
        assert!(crate::rules::test_support::lint(meta.name, &after).is_empty(), "`{}` fires after its fix", meta.name);
        insta::assert_snapshot!(format!("fix_{}", meta.name), format!("{before}\n---- fixed ----\n{after}"));
    }
}
