//! Any text as a DHAT frame line (`0x1234: path::to::fn (src/lib.rs:10:5)`):
//! parsed into something, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = dhat_runner::Frame::parse(text);
    }
});
