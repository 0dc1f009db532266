//! Any bytes as a source file: linting never panics (a rule's panic would
//! come back as `LintError::Internal`, which counts as a crash here), and
//! every reported span lies inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let text = text.to_owned();
    // The linting threads of cargo-memlint have 256 MiB of stack; so does this.
    let linted = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let linter = lint_core::Linter::with_levels(|_| lint_core::Level::Warn);
            match linter.lint_source("fuzz.rs", &text) {
                Ok(file) => {
                    for d in &file.diagnostics {
                        assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
                        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{d:?}");
                    }
                }
                Err(lint_core::LintError::Internal { message, .. }) => panic!("internal error: {message}"),
                Err(_) => {}
            }
        })
        .expect("spawn")
        .join();
    if let Err(panic) = linted {
        std::panic::resume_unwind(panic);
    }
});
