//! Any source that parses, fixed with every fix memlint makes (unsafe ones
//! too), applied round after round as `--fix` does: the result still
//! parses. `--fix` refuses a fix that breaks its file, so a crash here is a
//! rule whose fix would be refused: a bug to fix in the rule.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let text = text.to_owned();
    let checked = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let linter = lint_core::Linter::with_levels(|_| lint_core::Level::Warn);
            let mut current = text;
            for _ in 0..4 {
                let Ok(file) = linter.lint_source("fuzz.rs", &current) else { return };
                let fixes: Vec<&lint_core::Fix> = file.diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
                if fixes.is_empty() {
                    return;
                }
                let applied = lint_core::fix::apply(&current, &fixes);
                if let Err(e) = lint_core::fix::check_parses(&applied.text, lint_core::syntax::edition::Edition::default()) {
                    let rules: Vec<&str> =
                        applied.applied.iter().map(|&i| file.diagnostics.iter().filter(|d| d.fix.is_some()).nth(i).map_or("?", |d| d.rule)).collect();
                    panic!("fixes of {rules:?} broke the file: {e}\n--- before\n{current}\n--- after\n{}", applied.text);
                }
                current = applied.text;
            }
        })
        .expect("spawn")
        .join();
    if let Err(panic) = checked {
        std::panic::resume_unwind(panic);
    }
});
