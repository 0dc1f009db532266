//! The semantic model: what the crate's code and the standard library say
//! about types, without compiling. Types ([`ty::Ty`]) are read only from
//! where they are written down (a signature, a field, an annotation) or
//! from the std table's real signatures ([`std_table`]); anything else is
//! unknown, and a rule that needs it stays silent.
//!
//! Local inference over a function's bindings is the analysis layer's
//! ([`crate::analysis::types`]), which reads the walk's per-fn facts.

pub mod aliases;
pub mod crate_index;
pub mod index;
pub mod modules;
pub mod std_table;
pub mod ty;
