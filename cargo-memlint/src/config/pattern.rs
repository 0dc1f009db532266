//! Path patterns of `exclude` and `[[overrides]] files`, matched against
//! paths relative to the configuration file's directory, the way
//! `.gitignore` patterns are:
//!
//! - a pattern without a `/` (`generated`, `*.pb.rs`) matches a file or
//!   directory name at any depth;
//! - a pattern with a `/` (`src/gen/**`, `benches/*.rs`) is anchored at the
//!   configuration's directory (a leading `/` or `./` is allowed);
//! - a pattern that matches a directory matches everything below it;
//! - `*` and `?` stay within one path component, `**` spans any number of
//!   them, `[abc]` is a character class.

use std::path::{Component, Path};

use glob::{MatchOptions, Pattern, PatternError};

const OPTIONS: MatchOptions =
    MatchOptions { case_sensitive: true, require_literal_separator: true, require_literal_leading_dot: false };

/// One pattern.
#[derive(Debug, Clone)]
pub(crate) struct PathPattern {
    pattern: Pattern,
    /// Whether the pattern is matched against paths from the configuration's
    /// directory (it has a `/`) rather than against single names.
    anchored: bool,
}

impl PathPattern {
    /// Parses a pattern as written in the configuration.
    pub(crate) fn new(text: &str) -> Result<Self, PatternError> {
        let trimmed = text.trim_end_matches('/');
        let anchored = trimmed.contains('/');
        let body = trimmed.trim_start_matches("./").trim_start_matches('/');
        Ok(PathPattern { pattern: Pattern::new(body)?, anchored })
    }

    /// Whether `relative` (a path relative to the configuration's directory)
    /// or one of the directories it is in matches.
    pub(crate) fn matches(&self, relative: &Path) -> bool {
        let names: Vec<&str> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(name) => name.to_str(),
                _ => None,
            })
            .collect();
        if self.anchored {
            (1..=names.len()).any(|n| self.pattern.matches_with(&names[..n].join("/"), OPTIONS))
        } else {
            names.iter().any(|name| self.pattern.matches_with(name, OPTIONS))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, path: &str) -> bool {
        PathPattern::new(pattern).expect("valid pattern").matches(Path::new(path))
    }

    #[test]
    fn names_match_at_any_depth() {
        assert!(matches("generated", "src/generated/a.rs"));
        assert!(matches("generated", "generated"));
        assert!(matches("*.pb.rs", "src/proto/msg.pb.rs"));
        assert!(!matches("*.pb.rs", "src/proto/msg.rs"));
        assert!(!matches("gen", "src/generated/a.rs"));
    }

    #[test]
    fn paths_are_anchored_and_cover_directories() {
        assert!(matches("src/gen", "src/gen/deep/a.rs"));
        assert!(matches("src/gen/", "src/gen/a.rs"));
        assert!(matches("./src/gen/**", "src/gen/deep/a.rs"));
        assert!(matches("/benches/*.rs", "benches/b.rs"));
        assert!(!matches("src/gen", "crates/x/src/gen/a.rs"));
        assert!(matches("**/src/gen", "crates/x/src/gen/a.rs"));
        assert!(!matches("benches/*.rs", "benches/deep/b.rs"));
        assert!(matches("benches/**/*.rs", "benches/deep/b.rs"));
    }

    #[test]
    fn invalid_patterns_are_errors() {
        assert!(PathPattern::new("src/[a").is_err());
        assert!(PathPattern::new("src/***").is_err());
    }
}
