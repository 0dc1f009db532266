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

/// What kind of operation allocated, as a heap profile's stack shows it
/// (dhat-runner reads it from the frames): the runtime evidence a rule's
/// finding is confirmed by ([`RuleMeta::confirmed_by`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// A `Vec` (or `VecDeque`) grew: `push`, `extend`, `insert`, `reserve`.
    VecGrowth,
    /// A hash or B-tree map or set grew: `insert`, `entry`, a rehash.
    MapGrowth,
    /// A `String` grew: `push_str`, `push`, `+`, `+=`, `write!` into it.
    StringGrowth,
    /// `format!` built a new `String`.
    Format,
    /// `ToString::to_string`.
    ToString,
    /// A borrowed value was copied into an owned one: `to_owned`, `to_vec`, `String::from`, `into`.
    ToOwned,
    /// `Clone::clone`.
    Clone,
    /// `Iterator::collect` / `FromIterator`.
    Collect,
    /// `Box::new`, `Rc::new`, `Arc::new`.
    Box,
    /// A stable sort's scratch buffer (`sort`, `sort_by_key`, `sort_by`).
    Sort,
    /// The line called a dependency's function, which allocated: what it
    /// did inside is the dependency's doing, not a call the user made.
    Dependency,
    /// Any other allocation (`Vec::with_capacity`, `vec![0; n]`, I/O buffers, ...).
    Other,
}

impl Reason {
    /// Every reason, in declaration order.
    pub const ALL: [Reason; 12] = [
        Reason::VecGrowth,
        Reason::MapGrowth,
        Reason::StringGrowth,
        Reason::Format,
        Reason::ToString,
        Reason::ToOwned,
        Reason::Clone,
        Reason::Collect,
        Reason::Box,
        Reason::Sort,
        Reason::Dependency,
        Reason::Other,
    ];

    /// The name used in reports and JSON: `vec growth`, `format`, ...
    pub fn name(self) -> &'static str {
        match self {
            Reason::VecGrowth => "vec growth",
            Reason::MapGrowth => "map growth",
            Reason::StringGrowth => "string growth",
            Reason::Format => "format",
            Reason::ToString => "to_string",
            Reason::ToOwned => "to_owned",
            Reason::Clone => "clone",
            Reason::Collect => "collect",
            Reason::Box => "box",
            Reason::Sort => "sort",
            Reason::Dependency => "dependency",
            Reason::Other => "other",
        }
    }

    /// The reason named `name` (as [`Reason::name`] writes it).
    pub fn from_name(name: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.name() == name)
    }
}

impl fmt::Display for Reason {
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
    /// The allocations its fix removes, as a heap profile's stacks show
    /// them: `cargo memlint profile` confirms a finding by a stack with one
    /// of these reasons at its line. Empty for rules a heap profile can't
    /// measure (sizes, layouts, CPU costs).
    pub confirmed_by: &'static [Reason],
    /// Whether its fix leaves one allocation per call where there were
    /// many (a capacity reserved up front), as profiles report it.
    pub fix_leaves_one: bool,
    /// Whether its findings in a file can need the crate's other files
    /// (type definitions, signatures: decided in the crate phase): linted
    /// alone, a file may lose them, and a suppression of it look unused.
    pub crate_wide: bool,
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
    /// [`Rule::check_fn`].
    pub const FN: Hooks = Hooks(1 << 1);
    /// [`Rule::check_type`].
    pub const TYPE: Hooks = Hooks(1 << 2);

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
