//! Reads the settings table of a configuration (a `memlint.toml` document,
//! or `[workspace.metadata.memlint]` in Cargo.toml) into [`Settings`],
//! collecting every error with its place in the file.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use lint_core::rules::{closest_among, suggest};
use lint_core::{Category, Level};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::ConfigError;
use super::pattern::PathPattern;
use super::{Override, RuleEntry, Settings};
use crate::cli::FailOn;
use crate::levels::{Target, target};

/// The keys of a settings table.
const TOP_KEYS: &[&str] = &["fail-on", "exclude", "max-file-size", "target", "rules", "overrides"];
/// The keys of an `[[overrides]]` entry.
const OVERRIDE_KEYS: &[&str] = &["files", "rules"];

/// Reads TOML, reporting a syntax error at its place.
pub(super) fn document<'t>(path: &Path, text: &'t Arc<str>) -> Result<Spanned<DeTable<'t>>, ConfigError> {
    DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        ConfigError::at(path, text, span, format!("invalid TOML: {}", e.message().trim_end()), "here")
    })
}

/// Reads settings from `table`, a table of the file `path` with `text`.
pub(super) struct Reader<'a> {
    path: &'a Path,
    text: &'a Arc<str>,
    pub(super) errors: Vec<ConfigError>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(path: &'a Path, text: &'a Arc<str>) -> Self {
        Reader { path, text, errors: Vec::new() }
    }

    fn error(&mut self, span: Range<usize>, message: String, label: &str, help: Option<String>) {
        self.errors.push(ConfigError::at(self.path, self.text, span, message, label).with_help(help));
    }

    fn wrong_type(&mut self, value: &Spanned<DeValue<'_>>, expected: &str) {
        let found = a(value.get_ref().type_str());
        self.error(value.span(), format!("expected {expected}, found {found}"), &found, None);
    }

    fn unknown_key(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, place: &str, known: &[&str]) {
        let name = key.get_ref().as_ref();
        let help = suggest(&closest_among(&name.replace('_', "-"), known.iter().copied()))
            .unwrap_or_else(|| format!("the keys are {}", quoted(known)));
        self.error(key.span(), format!("unknown key `{name}` in {place}"), "unknown key", Some(help));
    }

    /// Reads a whole settings table.
    pub(super) fn settings(&mut self, table: &DeTable<'_>) -> Settings {
        let mut settings = Settings::default();
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "fail-on" => settings.fail_on = self.fail_on(value),
                "exclude" => settings.exclude = self.patterns(value),
                "max-file-size" => settings.max_file_size = self.size(value),
                "target" => settings.target = self.target_triple(value),
                "rules" => settings.rules = self.rules(value, false),
                "overrides" => settings.overrides = self.overrides(value),
                _ => self.unknown_key(key, "the memlint settings", TOP_KEYS),
            }
        }
        settings
    }

    fn fail_on(&mut self, value: &Spanned<DeValue<'_>>) -> Option<FailOn> {
        match value.get_ref().as_str() {
            Some("warn") => Some(FailOn::Warn),
            Some("deny") => Some(FailOn::Deny),
            Some(other) => {
                let message = format!("`fail-on` must be `warn` or `deny`, not `{other}`");
                self.error(value.span(), message, "not a failure threshold", None);
                None
            }
            None => {
                self.wrong_type(value, "`\"warn\"` or `\"deny\"`");
                None
            }
        }
    }

    /// A target triple memlint knows (`"i686-unknown-linux-gnu"`).
    fn target_triple(&mut self, value: &Spanned<DeValue<'_>>) -> Option<lint_core::Target> {
        let Some(triple) = value.get_ref().as_str() else {
            self.wrong_type(value, "a target triple (a string such as `\"x86_64-unknown-linux-gnu\"`)");
            return None;
        };
        match lint_core::Target::from_triple(triple) {
            Ok(target) => Some(target),
            Err(_) => {
                let help = suggest(&closest_among(triple, lint_core::Target::KNOWN.iter().copied()))
                    .unwrap_or_else(|| format!("the targets memlint knows are {}", quoted(lint_core::Target::KNOWN)));
                let message = format!("`target` must be a target triple memlint knows, not `{triple}`");
                self.error(value.span(), message, "unknown target", Some(help));
                None
            }
        }
    }

    /// A size in bytes: an integer, or a string with a unit (`"16 MiB"`).
    fn size(&mut self, value: &Spanned<DeValue<'_>>) -> Option<u64> {
        let size = match value.get_ref() {
            DeValue::Integer(number) => u64::from_str_radix(number.as_str(), number.radix()).ok(),
            DeValue::String(text) => parse_size(text),
            _ => {
                self.wrong_type(value, "a size (bytes, or a string such as `\"16 MiB\"`)");
                return None;
            }
        };
        match size {
            Some(bytes) if bytes > 0 => Some(bytes),
            _ => {
                let help = Some("write a positive number of bytes, or a string such as `\"16 MiB\"` (units B, KB, KiB, MB, MiB, GB, GiB)".to_owned());
                self.error(
                    value.span(),
                    "`max-file-size` must be a positive size".to_owned(),
                    "not a positive size",
                    help,
                );
                None
            }
        }
    }

    fn patterns(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<PathPattern> {
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(value, "an array of path patterns");
            return Vec::new();
        };
        let mut patterns = Vec::new();
        for item in items.iter() {
            let Some(text) = item.get_ref().as_str() else {
                self.wrong_type(item, "a path pattern (a string)");
                continue;
            };
            match PathPattern::new(text) {
                Ok(pattern) => patterns.push(pattern),
                Err(e) => {
                    // Point at the character the pattern breaks at (after the opening quote).
                    let start = (item.span().start + 1 + e.pos).min(item.span().end.saturating_sub(1));
                    let help =
                        Some("patterns use `*`, `?`, `**` and `[...]`; `**` must be a whole path component".into());
                    self.error(start..start + 1, format!("invalid path pattern `{text}`: {}", e.msg), "here", help);
                }
            }
        }
        patterns
    }

    fn level(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Level> {
        let Some(text) = value.get_ref().as_str() else {
            self.wrong_type(value, "a level (`\"allow\"`, `\"warn\"` or `\"deny\"`)");
            return None;
        };
        match text {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => {
                let help = suggest(&closest_among(text, ["allow", "warn", "deny"]))
                    .or_else(|| Some("the levels are `allow`, `warn` and `deny`".to_owned()));
                self.error(value.span(), format!("`{text}` is not a level"), "not a level", help);
                None
            }
        }
    }

    /// What a key of a `rules` table names; an error when it names nothing.
    fn target(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>) -> Option<Target> {
        let name = key.get_ref().as_ref();
        if let Some(target) = target(name) {
            return Some(target);
        }
        let normalized = lint_core::rules::normalize_name(name);
        let names = lint_core::rules::metas().map(|m| m.name).chain(Category::ALL.iter().map(|c| c.name()));
        let help = suggest(&closest_among(&normalized, names)).unwrap_or_else(|| {
            "the categories are `perf` and `pedantic`; `cargo memlint rules` lists every rule".into()
        });
        self.error(key.span(), format!("no rule or category is named `{name}`"), "unknown rule", Some(help));
        None
    }

    /// A `rules` table: each key a rule, category or `all`, each value a
    /// level or a table with `level`, `in-tests`, `in-build-scripts` and the rule's options
    /// (only `level` when `levels_only`: an override's table).
    fn rules(&mut self, value: &Spanned<DeValue<'_>>, levels_only: bool) -> Vec<RuleEntry> {
        let Some(table) = value.get_ref().as_table() else {
            self.wrong_type(value, "a table of rules");
            return Vec::new();
        };
        let mut entries: Vec<RuleEntry> = Vec::new();
        let mut seen: Vec<(Target, &str)> = Vec::new();
        for (key, value) in table.iter() {
            let Some(target) = self.target(key) else { continue };
            // `vec-box` and `vec_box` are two TOML keys but one rule.
            if let Some((_, first)) = seen.iter().find(|(t, _)| *t == target) {
                let message = format!("`{}` and `{first}` name the same rule", key.get_ref());
                self.error(key.span(), message, "named twice", Some("keep one of them".to_owned()));
                continue;
            }
            seen.push((target, key.get_ref().as_ref()));
            let mut entry =
                RuleEntry { target, level: None, in_tests: None, in_build_scripts: None, options: Vec::new() };
            match value.get_ref() {
                DeValue::String(_) => entry.level = self.level(value),
                DeValue::Table(settings) => self.rule_table(&mut entry, key.get_ref(), settings),
                _ => self.wrong_type(value, "a level or a table (`{ level = \"warn\", ... }`)"),
            }
            if levels_only
                && (!entry.options.is_empty() || entry.in_tests.is_some() || entry.in_build_scripts.is_some())
            {
                self.error(
                    key.span(),
                    "an override can only set levels".to_owned(),
                    "has options",
                    Some("set options, `in-tests` and `in-build-scripts` in the top-level `rules` table".to_owned()),
                );
            }
            entries.push(entry);
        }
        entries
    }

    fn rule_table(&mut self, entry: &mut RuleEntry, name: &str, table: &DeTable<'_>) {
        let options: &[lint_core::RuleOption] = match entry.target {
            Target::Rule(rule) => lint_core::rules::find(rule).map_or(&[], |r| r.meta().options),
            Target::All | Target::Category(_) => &[],
        };
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "level" => entry.level = self.level(value),
                "in-tests" => match value.get_ref().as_bool() {
                    Some(b) => entry.in_tests = Some(b),
                    None => self.wrong_type(value, "`true` or `false`"),
                },
                "in-build-scripts" => match value.get_ref().as_bool() {
                    Some(b) => entry.in_build_scripts = Some(b),
                    None => self.wrong_type(value, "`true` or `false`"),
                },
                key_name => match options.iter().find(|o| o.name == key_name) {
                    Some(option) => {
                        if let Some(n) = self.count(value) {
                            entry.options.push((option.name, n));
                        }
                    }
                    None => {
                        let known: Vec<&str> = ["level", "in-tests", "in-build-scripts"]
                            .into_iter()
                            .chain(options.iter().map(|o| o.name))
                            .collect();
                        let place = match entry.target {
                            Target::Rule(_) => format!("the settings of `{name}`"),
                            _ => format!("the settings of `{name}` (options belong to single rules)"),
                        };
                        self.unknown_key(key, &place, &known);
                    }
                },
            }
        }
    }

    /// A non-negative integer.
    fn count(&mut self, value: &Spanned<DeValue<'_>>) -> Option<u64> {
        let Some(integer) = value.get_ref().as_integer() else {
            self.wrong_type(value, "a non-negative integer");
            return None;
        };
        let parsed = u64::from_str_radix(integer.as_str(), integer.radix()).ok();
        if parsed.is_none() {
            self.error(value.span(), format!("`{integer}` is not a non-negative integer"), "out of range", None);
        }
        parsed
    }

    /// `[[overrides]]`: path patterns with their own levels.
    fn overrides(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<Override> {
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(value, "an array of tables (`[[overrides]]`)");
            return Vec::new();
        };
        let mut overrides = Vec::new();
        for item in items.iter() {
            let Some(table) = item.get_ref().as_table() else {
                self.wrong_type(item, "a table with `files` and `rules`");
                continue;
            };
            let mut files = None;
            let mut levels = Vec::new();
            for (key, value) in table.iter() {
                match key.get_ref().as_ref() {
                    "files" => files = Some(self.patterns(value)),
                    "rules" => levels = self.override_levels(value),
                    _ => self.unknown_key(key, "an override", OVERRIDE_KEYS),
                }
            }
            match files {
                Some(files) => overrides.push(Override { files, levels }),
                None => self.error(
                    item.span(),
                    "an override needs `files`, the paths it applies to".to_owned(),
                    "no `files` in this override",
                    Some("add e.g. `files = [\"benches/**\"]`".to_owned()),
                ),
            }
        }
        overrides
    }

    /// The `rules` of an override: levels only (options are per run).
    fn override_levels(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<(Target, Level)> {
        let mut levels: Vec<(Target, Level)> =
            self.rules(value, true).into_iter().filter_map(|e| Some((e.target, e.level?))).collect();
        // Within a table, key order means nothing: narrower keys win.
        levels.sort_by_key(|(target, _)| target.specificity());
        levels
    }
}

/// "an integer", "a string".
pub(super) fn a(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { format!("an {noun}") } else { format!("a {noun}") }
}

/// "`a`, `b` and `c`".
fn quoted(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// `"16 MiB"`, `"500KB"`, `"1024"`: a whole number and an optional unit.
pub(super) fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit() && c != '_').unwrap_or(text.len());
    let number: u64 = text[..digits].replace('_', "").parse().ok()?;
    let unit: u64 = match text[digits..].trim() {
        "" | "B" => 1,
        "KB" => 1000,
        "KiB" => 1 << 10,
        "MB" => 1_000_000,
        "MiB" => 1 << 20,
        "GB" => 1_000_000_000,
        "GiB" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(unit)
}
