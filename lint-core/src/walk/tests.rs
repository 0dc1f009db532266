//! What the walk skips: test code, when no rule reports in it.

use crate::settings::RuleSettings;
use crate::{Linter, RuleMeta};

fn rules_found(linter: &Linter, src: &str) -> Vec<&'static str> {
    linter.lint_source("a.rs", src).expect("parses").diagnostics.iter().map(|d| d.rule).collect()
}

fn in_tests(meta: &'static RuleMeta) -> RuleSettings {
    let mut settings = RuleSettings::new(meta);
    settings.in_tests = true;
    settings
}

/// A `repr(C)` struct with 14 bytes of padding in declaration order.
const MIXED: &str = "#[repr(C)]\npub struct Mixed {\n    a: u8,\n    b: u64,\n    c: u8,\n}\n";

#[test]
fn an_extern_block_in_a_skipped_test_module_still_pins_a_layout() {
    let linter = crate::rules::test_support::with_pedantic();
    assert_eq!(rules_found(&linter, MIXED), ["padded_struct"]);
    let shared = format!(
        "{MIXED}#[cfg(test)]\nmod tests {{\n    mod ffi {{\n        extern \"C\" {{\n            fn fill(m: *mut super::super::Mixed);\n        }}\n    }}\n}}\n"
    );
    assert!(rules_found(&linter, &shared).is_empty());
    let everywhere = Linter::with_settings(|rule| {
        let mut settings = in_tests(rule.meta());
        settings.level = crate::Level::Warn;
        settings
    });
    assert!(rules_found(&everywhere, &shared).is_empty());
}

#[test]
fn test_code_is_walked_when_a_rule_reports_in_it() {
    let src = "#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {\n        let mut v = Vec::new();\n        for i in 0..10 {\n            v.push(i);\n        }\n        drop(v);\n    }\n}\n";
    assert!(rules_found(&Linter::default(), src).is_empty());
    let everywhere = Linter::with_settings(|rule| in_tests(rule.meta()));
    assert_eq!(rules_found(&everywhere, src), ["vec_push_without_capacity"]);
    // A whole file of test code (`#![cfg(test)]`) too.
    let file = format!("#![cfg(test)]\n{}", &src["#[cfg(test)]\n".len()..]);
    assert!(rules_found(&Linter::default(), &file).is_empty());
    assert_eq!(rules_found(&everywhere, &file), ["vec_push_without_capacity"]);
}

#[test]
fn a_type_defined_only_in_tests_does_not_size_code_outside_them() {
    // `Small` outside the tests is the imported one, of unknown size: the
    // test module's one-byte `Small` doesn't exist in a normal build.
    let src = "use other::Small;\npub struct Holder {\n    pub items: Vec<Box<Small>>,\n}\n#[cfg(test)]\nmod tests {\n    pub struct Small(u8);\n}\n";
    let defined = "pub struct Small(u8);\npub struct Holder {\n    pub items: Vec<Box<Small>>,\n}\n";
    assert_eq!(rules_found(&Linter::default(), defined), ["vec_box"]);
    assert!(rules_found(&Linter::default(), src).is_empty());
}
