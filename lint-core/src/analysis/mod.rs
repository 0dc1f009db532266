//! Analyses shared by several rules.

pub mod growth;
pub mod trip_count;
