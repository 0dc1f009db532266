//! Any text as a baseline file: an error, or a baseline that writes back
//! as itself and applies to real findings, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| cargo_memlint::fuzzing::baseline(text));
