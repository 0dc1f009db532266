//! Rule levels from the command line: `-A`, `-W` and `-D` with a rule name,
//! a category (`perf`, `pedantic`) or `all`, applied left to right on top
//! of the configured levels. [`Target`] is also what configuration keys name.

use std::fmt;

use lint_core::{Category, Level, RuleMeta};

/// One `-A/-W/-D NAME` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LevelFlag {
    pub(crate) level: Level,
    pub(crate) name: String,
}

/// What a level flag or configuration key can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    All,
    Category(Category),
    Rule(&'static str),
}

impl Target {
    /// Whether the rule `meta` is one of the rules this target names.
    pub(crate) fn covers(self, meta: &RuleMeta) -> bool {
        match self {
            Target::All => true,
            Target::Category(c) => c == meta.category,
            Target::Rule(name) => name == meta.name,
        }
    }

    /// How narrow the target is: within one table, a rule's own entry wins
    /// over its category's, which wins over `all`.
    pub(crate) fn specificity(self) -> u8 {
        match self {
            Target::All => 0,
            Target::Category(_) => 1,
            Target::Rule(_) => 2,
        }
    }
}

/// Applies `levels` in order (a later entry wins) to a rule at `level`.
pub(crate) fn apply(levels: &[(Target, Level)], meta: &RuleMeta, level: Level) -> Level {
    levels.iter().fold(level, |level, &(target, set)| if target.covers(meta) { set } else { level })
}

/// A flag naming no rule or category.
#[derive(Debug)]
pub(crate) struct UnknownName {
    flag: String,
    name: String,
    suggestion: Option<String>,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{} {}`: no rule or category is named `{}`", self.flag, self.name, self.name)?;
        match &self.suggestion {
            Some(suggestion) => write!(f, "\n  help: {suggestion}"),
            None => {
                write!(f, "\n  help: the categories are `perf` and `pedantic`; `cargo memlint rules` lists every rule")
            }
        }
    }
}

fn flag_of(level: Level) -> &'static str {
    match level {
        Level::Allow => "-A",
        Level::Warn => "-W",
        Level::Deny => "-D",
    }
}

/// What `name` (a rule, a category or `all`, as users write them) names.
pub(crate) fn target(name: &str) -> Option<Target> {
    let normalized = lint_core::rules::normalize_name(name);
    if normalized == "all" {
        return Some(Target::All);
    }
    if let Some(&category) = Category::ALL.iter().find(|c| c.name() == normalized) {
        return Some(Target::Category(category));
    }
    lint_core::rules::find(&normalized).map(|rule| Target::Rule(rule.meta().name))
}

/// The flags as targets and levels, in command-line order.
pub(crate) fn resolve(flags: &[LevelFlag]) -> Result<Vec<(Target, Level)>, UnknownName> {
    flags
        .iter()
        .map(|f| match target(&f.name) {
            Some(t) => Ok((t, f.level)),
            None => Err(UnknownName {
                flag: flag_of(f.level).to_owned(),
                name: f.name.clone(),
                suggestion: lint_core::rules::did_you_mean(&f.name),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(level: Level, name: &str) -> LevelFlag {
        LevelFlag { level, name: name.to_owned() }
    }

    fn level(flags: &[LevelFlag], rule: &str) -> Level {
        let meta = lint_core::rules::find(rule).unwrap().meta();
        apply(&resolve(flags).unwrap(), meta, meta.default_level)
    }

    #[test]
    fn later_flags_win_and_categories_cover_their_rules() {
        let flags = [flag(Level::Deny, "perf"), flag(Level::Allow, "padded_struct")];
        assert_eq!(level(&flags, "padded_struct"), Level::Allow);
        assert_eq!(level(&flags, "vec_box"), Level::Deny);
        let flags = [flag(Level::Allow, "padded-struct"), flag(Level::Warn, "all")];
        assert_eq!(level(&flags, "padded_struct"), Level::Warn);
        assert_eq!(level(&[], "vec_box"), Level::Warn);
        assert_eq!(level(&[flag(Level::Deny, "memlint::vec_box")], "vec_box"), Level::Deny);
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        let Err(e) = resolve(&[flag(Level::Deny, "vec_boxx")]) else { panic!("accepted") };
        assert_eq!(
            e.to_string(),
            "`-D vec_boxx`: no rule or category is named `vec_boxx`\n  help: did you mean `vec_box`?"
        );
    }
}
