//! Every rule, one file each. Registering a rule is one line in [`REGISTRY`].

use crate::rule::{Rule, RuleMeta};

mod clone_in_loop;
mod redundant_clone;
mod string_concat_in_loop;
mod unnecessary_to_owned;
mod vec_push_without_capacity;

/// Every rule memlint has, sorted by name.
pub static REGISTRY: &[&dyn Rule] = &[
    &clone_in_loop::CloneInLoop,
    &redundant_clone::RedundantClone,
    &string_concat_in_loop::StringConcatInLoop,
    &unnecessary_to_owned::UnnecessaryToOwned,
    &vec_push_without_capacity::VecPushWithoutCapacity,
];

/// The rule with this name.
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    REGISTRY.iter().copied().find(|r| r.meta().name == name)
}

/// Every rule's metadata, sorted by name.
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    REGISTRY.iter().map(|r| r.meta())
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod meta_tests;
