//! How a rule runs once configured: its level, whether it reports in test
//! code, and the values of its numeric options.

use std::path::Path;

use crate::diagnostic::Level;
use crate::rule::{RuleMeta, RuleOption};

/// One rule's configuration.
#[derive(Debug, Clone)]
pub struct RuleSettings {
    /// The level findings are reported at; `allow` turns the rule off.
    pub level: Level,
    /// Whether the rule reports in test code (`#[test]` fns, `#[cfg(test)]` modules).
    pub in_tests: bool,
    /// Whether the rule reports in build scripts (`build.rs` and its modules),
    /// which run once per build.
    pub in_build_scripts: bool,
    /// The rule's options, in the order of [`RuleMeta::options`].
    values: Vec<u64>,
    meta: &'static RuleMeta,
}

impl RuleSettings {
    /// The rule's defaults: its default level, test-code behaviour and option values.
    pub fn new(meta: &'static RuleMeta) -> Self {
        RuleSettings {
            level: meta.default_level,
            in_tests: meta.in_tests,
            in_build_scripts: false,
            values: meta.options.iter().map(|o| o.default).collect(),
            meta,
        }
    }

    /// The rule these settings are for.
    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    /// Sets the option named `name`; `false` when the rule has no such option.
    pub fn set_option(&mut self, name: &str, value: u64) -> bool {
        match self.meta.options.iter().position(|o| o.name == name) {
            Some(i) => {
                self.values[i] = value;
                true
            }
            None => false,
        }
    }

    /// The values of the rule's options, in the order of [`RuleMeta::options`].
    pub(crate) fn values(&self) -> &[u64] {
        &self.values
    }

    /// The value of `option` (one of this rule's [`RuleMeta::options`]; any
    /// other option reads as its default).
    pub fn option(&self, option: &RuleOption) -> u64 {
        let position = self.meta.options.iter().position(|o| o.name == option.name);
        position.map_or(option.default, |i| self.values[i])
    }
}

/// Levels that depend on the file (path overrides in a configuration): the
/// level of `rule` in the file named `path` (as the file was named to the
/// linter), given the level `configured` for the whole run.
pub type FileLevels = dyn Fn(&Path, &'static RuleMeta, Level) -> Level + Send + Sync;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::Linter;

    const FILL: &str = "fn f(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n";

    fn rules_found(linter: &Linter, path: &str, src: &str) -> Vec<&'static str> {
        linter.lint_source(path, src).expect("parses").diagnostics.iter().map(|d| d.rule).collect()
    }

    #[test]
    fn file_levels_turn_rules_off_and_on_per_file() {
        let off_in_generated = Linter::default().with_file_levels(Arc::new(|path, _, level| {
            if path.starts_with("generated") { Level::Allow } else { level }
        }));
        assert_eq!(rules_found(&off_in_generated, "src/lib.rs", FILL), ["vec_push_without_capacity"]);
        assert!(rules_found(&off_in_generated, "generated/lib.rs", FILL).is_empty());

        let on_in_hot = Linter::with_levels(|_| Level::Allow).with_file_levels(Arc::new(|path, meta, level| {
            if path.starts_with("hot") && meta.name == "vec_push_without_capacity" { Level::Deny } else { level }
        }));
        assert!(on_in_hot.rule_names().next().is_none());
        let found = on_in_hot.lint_source("hot/a.rs", FILL).expect("parses").diagnostics;
        assert_eq!(
            found.iter().map(|d| (d.rule, d.level)).collect::<Vec<_>>(),
            [("vec_push_without_capacity", Level::Deny)]
        );
        assert!(rules_found(&on_in_hot, "cold/a.rs", FILL).is_empty());
    }

    #[test]
    fn crate_rules_follow_file_levels() {
        let src = "#[repr(C)]\npub struct Header {\n    a: u8,\n    b: u64,\n    c: u8,\n}\n";
        let linter = crate::rules::test_support::with_pedantic()
            .with_file_levels(Arc::new(|path, _, level| if path.starts_with("ffi") { Level::Allow } else { level }));
        assert_eq!(rules_found(&linter, "src/a.rs", src), ["padded_struct"]);
        assert!(rules_found(&linter, "ffi/a.rs", src).is_empty());
    }

    #[test]
    fn in_tests_makes_a_rule_report_in_test_code() {
        let src = format!("#[cfg(test)]\nmod tests {{\n{FILL}}}\n");
        assert!(rules_found(&Linter::default(), "a.rs", &src).is_empty());
        let linter = Linter::with_settings(|rule| {
            let mut settings = RuleSettings::new(rule.meta());
            settings.in_tests = true;
            settings
        });
        assert_eq!(rules_found(&linter, "a.rs", &src), ["vec_push_without_capacity"]);
    }

    #[test]
    fn options_change_what_a_rule_reports() {
        // `Big` is 104 bytes, 96 more than `Small`: under the default threshold.
        let src = "pub enum E {\n    Small(u64),\n    Big([u8; 104]),\n}\n";
        assert!(rules_found(&Linter::default(), "a.rs", src).is_empty());
        let linter = Linter::with_settings(|rule| {
            let mut settings = RuleSettings::new(rule.meta());
            settings.set_option("threshold-bytes", 64);
            settings
        });
        assert_eq!(rules_found(&linter, "a.rs", src), ["large_enum_variant"]);
    }

    #[test]
    fn options_default_and_can_be_set_by_name() {
        let meta = crate::rules::find("large_enum_variant").expect("registered").meta();
        let option = &meta.options[0];
        let mut settings = RuleSettings::new(meta);
        assert_eq!(settings.option(option), option.default);
        assert!(settings.set_option(option.name, 64));
        assert_eq!(settings.option(option), 64);
        assert!(!settings.set_option("no-such-option", 1));
    }
}
