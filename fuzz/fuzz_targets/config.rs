//! Any text as a `memlint.toml` and as a Cargo.toml with a memlint table:
//! settings or errors rendered with their place, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| cargo_memlint::fuzzing::config(text));
