//! memlint on rust-clippy's own ui tests for the lints its rules mirror
//! (`tests/clippy_ui/`, see SOURCE.md there): it must find at least 60% of
//! the lines clippy flags, and at least 75% of its findings must fall on
//! them. Every miss and extra finding is printed, to read.

use std::collections::BTreeSet;
use std::path::Path;

use lint_core::{Level, Linter};

/// The vendored tests and the lines clippy flags in each.
fn expected() -> Vec<(String, BTreeSet<u32>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clippy_ui");
    let text = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut words = l.split_whitespace();
            let file = words.next().expect("a file name").to_owned();
            let _from = words.next();
            (file, words.map(|w| w.parse().expect("a line number")).collect())
        })
        .collect()
}

#[test]
fn memlint_finds_most_of_what_clippy_flags_and_little_else() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clippy_ui");
    // Every rule on, pedantic ones too, as `-W all`.
    let linter = Linter::with_levels(|_| Level::Warn);
    let (mut clippy_lines, mut hit_lines, mut findings, mut on_lines) = (0, 0, 0, 0);
    let mut report = String::new();
    for (file, lines) in expected() {
        let text = std::fs::read_to_string(dir.join(&file)).expect("a vendored test");
        let name = file.replace(".ui", ".rs");
        let found = linter.lint_source(&name, &text).unwrap_or_else(|e| panic!("{file}: {e}")).diagnostics;
        let found_lines: BTreeSet<u32> = found.iter().map(|d| d.span.line).collect();
        let hits = lines.intersection(&found_lines).count();
        let on = found.iter().filter(|d| lines.contains(&d.span.line)).count();
        report.push_str(&format!(
            "{file:40} clippy {:3}  memlint {:3}  hit {hits:3}  on clippy lines {on:3}\n",
            lines.len(),
            found.len()
        ));
        for line in lines.difference(&found_lines) {
            report.push_str(&format!(
                "    miss  {name}:{line}: {}\n",
                text.lines().nth(*line as usize - 1).unwrap_or("").trim()
            ));
        }
        for d in found.iter().filter(|d| !lines.contains(&d.span.line)) {
            report.push_str(&format!("    extra {name}:{} [{}] {}\n", d.span.line, d.rule, d.message));
        }
        clippy_lines += lines.len();
        hit_lines += hits;
        findings += found.len();
        on_lines += on;
    }
    let recall = hit_lines as f64 / clippy_lines as f64;
    let precision = on_lines as f64 / findings.max(1) as f64;
    println!("{report}");
    println!(
        "recall {:.1}% ({hit_lines}/{clippy_lines} lines clippy flags), precision {:.1}% ({on_lines}/{findings} findings on them)",
        recall * 100.0,
        precision * 100.0
    );
    assert!(
        recall >= 0.60,
        "memlint finds {:.1}% of the lines clippy flags (at least 60% expected)\n{report}",
        recall * 100.0
    );
    assert!(
        precision >= 0.75,
        "{:.1}% of memlint's findings are on lines clippy flags (at least 75% expected)\n{report}",
        precision * 100.0
    );
}
