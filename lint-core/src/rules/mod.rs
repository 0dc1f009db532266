//! Every rule, one file each. Registering a rule is one line in [`REGISTRY`].

use crate::rule::{Rule, RuleMeta};

mod box_collection;
mod clone_in_loop;
pub(crate) mod format_push_string;
mod large_enum_variant;
mod map_insert_without_capacity;
mod needless_box;
mod padded_struct;
mod redundant_clone;
mod string_concat_in_loop;
mod string_push_without_capacity;
mod unnecessary_to_owned;
mod vec_box;
mod vec_push_without_capacity;

/// Every rule memlint has, sorted by name.
pub static REGISTRY: &[&dyn Rule] = &[
    &box_collection::BoxCollection,
    &clone_in_loop::CloneInLoop,
    &format_push_string::FormatPushString,
    &large_enum_variant::LargeEnumVariant,
    &map_insert_without_capacity::MapInsertWithoutCapacity,
    &needless_box::NeedlessBox,
    &padded_struct::PaddedStruct,
    &redundant_clone::RedundantClone,
    &string_concat_in_loop::StringConcatInLoop,
    &string_push_without_capacity::StringPushWithoutCapacity,
    &unnecessary_to_owned::UnnecessaryToOwned,
    &vec_box::VecBox,
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
