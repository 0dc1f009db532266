//! Any bytes as a DHAT profile: an error or a profile, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dhat_runner::Profile::parse(std::path::Path::new("fuzz.json"), data);
});
