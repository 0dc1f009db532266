//! Analyses shared by several rules.

pub mod boxing;
pub mod callees;
pub mod consts;
pub mod conversions;
pub mod field_fill;
pub mod fill_loop;
pub mod frequency;
pub mod trip_count;
pub mod types;
