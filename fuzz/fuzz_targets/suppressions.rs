//! Any text through the suppression-comment scanner: every comment found
//! lies inside the text on character boundaries, reads as what it says, and
//! its canonical rendering reads back as the same suppression.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lint_core::suppress::AllowComment;

fuzz_target!(|text: &str| {
    let mut last_end = 0;
    for (range, comment) in AllowComment::scan(text) {
        assert!(last_end <= range.start && range.start < range.end && range.end <= text.len(), "{range:?}");
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        last_end = range.end;
        assert_eq!(AllowComment::parse(&text[range]).as_ref(), Some(&comment));
        let canonical = comment.to_string();
        assert_eq!(AllowComment::parse(&canonical), Some(comment), "{canonical}");
    }
    if let Some(comment) = AllowComment::parse(text) {
        assert_eq!(AllowComment::parse(&comment.to_string()), Some(comment));
    }
});
