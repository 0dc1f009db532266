//! Rule levels from the command line: `-A`, `-W` and `-D` with a rule name,
//! a category (`perf`, `pedantic`) or `all`, applied left to right on top
//! of each rule's default level.

use std::fmt;

use lint_core::{Category, Level, Rule};

/// One `-A/-W/-D NAME` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LevelFlag {
    pub(crate) level: Level,
    pub(crate) name: String,
}

/// What a level flag can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    All,
    Category(Category),
    Rule(&'static str),
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

fn target(name: &str) -> Option<Target> {
    let normalized = lint_core::rules::normalize_name(name);
    if normalized == "all" {
        return Some(Target::All);
    }
    if let Some(&category) = Category::ALL.iter().find(|c| c.name() == normalized) {
        return Some(Target::Category(category));
    }
    lint_core::rules::find(&normalized).map(|rule| Target::Rule(rule.meta().name))
}

/// The level of every rule after `flags`, in order; a later flag wins.
pub(crate) fn resolve(flags: &[LevelFlag]) -> Result<impl Fn(&dyn Rule) -> Level, UnknownName> {
    let targets = flags
        .iter()
        .map(|f| match target(&f.name) {
            Some(t) => Ok((t, f.level)),
            None => Err(UnknownName {
                flag: flag_of(f.level).to_owned(),
                name: f.name.clone(),
                suggestion: lint_core::rules::did_you_mean(&f.name),
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(move |rule: &dyn Rule| {
        let meta = rule.meta();
        targets.iter().fold(meta.default_level, |level, &(target, flagged)| match target {
            Target::All => flagged,
            Target::Category(c) if c == meta.category => flagged,
            Target::Rule(name) if name == meta.name => flagged,
            _ => level,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(level: Level, name: &str) -> LevelFlag {
        LevelFlag { level, name: name.to_owned() }
    }

    fn level(flags: &[LevelFlag], rule: &str) -> Level {
        let resolve = resolve(flags).unwrap();
        resolve(lint_core::rules::find(rule).unwrap())
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
