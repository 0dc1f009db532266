//! What a rule declares: its identity, docs, level, options, fix safety
//! and which hooks it implements. The hooks themselves are the walk's
//! [`crate::walk::Rule`] trait: the walk calls them, this module is below it.

use std::fmt;

use crate::diagnostic::Level;

/// A family of rules that is turned on or off together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Allocations the program does not need; findings are certain from the syntax.
    Perf,
    /// Likely waste that the syntax cannot make certain; off by default.
    Pedantic,
}

impl Category {
    /// Every category.
    pub const ALL: &'static [Category] = &[Category::Perf, Category::Pedantic];

    /// The name used in configuration (`perf`, `pedantic`).
    pub fn name(self) -> &'static str {
        match self {
            Category::Perf => "perf",
            Category::Pedantic => "pedantic",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// snake_case name, equal to the rule's file stem; what users write in
    /// configs and suppressions.
    pub name: &'static str,
    /// The rule's family.
    pub category: Category,
    /// The level it runs at unless configured otherwise.
    pub default_level: Level,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The full documentation in Markdown, with the sections `What it does`,
    /// `Why is this bad`, `Example`, `Use instead` and `Known limitations`.
    pub docs: &'static str,
    /// Whether the rule reports in test code (`#[test]` fns, `#[cfg(test)]` modules).
    pub in_tests: bool,
    /// Less specific rules this one takes precedence over: when both report
    /// overlapping code, only this rule's finding is kept, so one piece of
    /// code gets one finding.
    pub supersedes: &'static [&'static str],
    /// The rule's numeric options (thresholds), settable in its configuration table.
    pub options: &'static [RuleOption],
    /// What `--fix` can do for its findings.
    pub fix: FixSafety,
    /// The clippy lints that find what this rule finds: an `allow` or
    /// `expect` of one of them (on the code, an enclosing item or module,
    /// the crate, or in `[lints.clippy]`) is honoured as a suppression of
    /// this rule. Lint groups (`clippy::all`, `clippy::perf`) are not.
    pub clippy: &'static [&'static str],
}

/// What `cargo memlint --fix` can do for a rule's findings: the rule's
/// promise, checked against the [`crate::Applicability`] of every fix it
/// makes in the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixSafety {
    /// No fix: the change needs a human.
    None,
    /// Every fix keeps the program's meaning and compiles: `--fix` applies it.
    Safe,
    /// Safe where the syntax proves it (`--fix`), unsafe elsewhere
    /// (`--unsafe-fixes`).
    Mixed,
    /// Every fix may change behaviour or an API (a type, a signature, a
    /// layout): applied only with `--unsafe-fixes`.
    Unsafe,
}

impl FixSafety {
    /// How `cargo memlint rules` shows it.
    pub fn name(self) -> &'static str {
        match self {
            FixSafety::None => "none",
            FixSafety::Safe => "safe",
            FixSafety::Mixed => "safe/unsafe",
            FixSafety::Unsafe => "unsafe",
        }
    }

    /// One sentence for the rule's documentation.
    pub fn describe(self) -> &'static str {
        match self {
            FixSafety::None => "No automatic fix: the change needs a human.",
            FixSafety::Safe => "`cargo memlint --fix` applies the fix: it keeps the program's meaning.",
            FixSafety::Mixed => {
                "`cargo memlint --fix` applies the fix where the syntax proves it keeps the program's meaning; the others are applied only with `--unsafe-fixes`."
            }
            FixSafety::Unsafe => {
                "The fix may change behaviour or an API, so it is applied only with `cargo memlint --fix --unsafe-fixes`; review it."
            }
        }
    }

    /// Whether a fix with `applicability` keeps this promise.
    pub fn allows(self, applicability: crate::Applicability) -> bool {
        match (self, applicability) {
            (FixSafety::None, _) => false,
            (FixSafety::Mixed, _) => true,
            (FixSafety::Safe, a) => a == crate::Applicability::MachineApplicable,
            (FixSafety::Unsafe, a) => a == crate::Applicability::MaybeIncorrect,
        }
    }
}

/// The per-node hooks of [`Rule`] a rule implements. Calling every rule's
/// (mostly empty) hook on every expression and type was measured at a tenth
/// of the walk on the benchmark corpus, so a rule names the hooks it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hooks(u8);

impl Hooks {
    /// No per-node hook: the rule works in the crate phase only.
    pub const NONE: Hooks = Hooks(0);
    /// [`Rule::check_expr`].
    pub const EXPR: Hooks = Hooks(1);
    /// [`Rule::check_macro`].
    pub const MACRO: Hooks = Hooks(1 << 1);
    /// [`Rule::check_fn`].
    pub const FN: Hooks = Hooks(1 << 2);
    /// [`Rule::check_item`].
    pub const ITEM: Hooks = Hooks(1 << 3);
    /// [`Rule::check_type`].
    pub const TYPE: Hooks = Hooks(1 << 4);
    /// Every hook.
    pub const ALL: Hooks = Hooks((1 << 5) - 1);

    /// Both sets of hooks.
    pub const fn with(self, other: Hooks) -> Hooks {
        Hooks(self.0 | other.0)
    }

    /// Whether every hook of `other` is in `self`.
    pub const fn contains(self, other: Hooks) -> bool {
        self.0 & other.0 == other.0
    }
}

/// A numeric option of a rule (a size threshold, say), set in the rule's
/// configuration table under [`RuleOption::name`].
#[derive(Debug)]
pub struct RuleOption {
    /// The configuration key, in kebab-case (`threshold-bytes`).
    pub name: &'static str,
    /// The value when the configuration doesn't set one.
    pub default: u64,
    /// One line: what the value means.
    pub doc: &'static str,
}
