//! Analyses shared by several rules.

pub mod conversions;
pub mod fill_loop;
pub mod growth;
pub mod trip_count;
