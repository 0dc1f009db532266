//! Entry points for the fuzz targets (`fuzz/`): the readers of the files a
//! user hands memlint, run as a command runs them, errors rendered as a user
//! sees them. A panic anywhere in here is a bug. Not a stable API.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::baseline::Baseline;
use crate::config::{self, Config, ConfigError};
use crate::output::human::render_report;

/// Reads `text` as a `memlint.toml` and as a Cargo.toml with a memlint
/// table; renders the errors, or asks the settings everything a run asks.
pub fn config(text: &str) {
    let text: Arc<str> = Arc::from(text);
    let dir = Path::new("/fuzz");
    match config::from_document(&dir.join(config::FILE_NAME), &text) {
        Ok(config) => use_settings(config, dir),
        Err(errors) => render(&errors),
    }
    match config::from_manifest(&dir.join("Cargo.toml"), &text) {
        Ok(Some(config)) => use_settings(config, dir),
        Ok(None) => {}
        Err(errors) => render(&errors),
    }
}

fn render(errors: &[ConfigError]) {
    assert!(!errors.is_empty(), "a failed read has an error to show");
    for error in errors {
        for color in [false, true] {
            let shown = render_report(error, color);
            assert!(!shown.is_empty());
        }
    }
}

fn use_settings(config: Config, dir: &Path) {
    let config = Arc::new(config);
    let _ = config.describe();
    let files = [dir.join("src/lib.rs"), dir.join("tests/ünï cödé.rs"), Path::new("/elsewhere/x.rs").to_path_buf()];
    let levels = config.file_levels(dir, &[]);
    for meta in lint_core::rules::metas() {
        let settings = config.rule_settings(meta, &[]);
        if let Some(levels) = &levels {
            for file in &files {
                let _ = levels(file, meta, settings.level);
            }
        }
    }
    for file in &files {
        let _ = config.excludes(file);
    }
}

/// Reads `text` as a baseline: an error, or a baseline that writes back to
/// the same baseline and applies to real findings.
pub fn baseline(text: &str) {
    let Ok(baseline) = Baseline::parse(text) else { return };
    let written = baseline.to_json();
    assert_eq!(Baseline::parse(&written).as_ref(), Ok(&baseline), "{written}");
    let mut findings = sample_findings().to_vec();
    let before = findings.len();
    let applied = baseline.apply(&mut findings);
    assert_eq!(findings.len() + applied.hidden, before);
}

/// Findings of a small file, `src/lib.rs`, linted once.
fn sample_findings() -> &'static [lint_core::Diagnostic] {
    static FINDINGS: OnceLock<Vec<lint_core::Diagnostic>> = OnceLock::new();
    FINDINGS.get_or_init(|| {
        let source = "pub fn grow(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\npub struct Boxed {\n    pub items: Vec<Box<u8>>,\n}\n";
        lint_core::lint_str("src/lib.rs", source).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entry points run clean on the inputs the fuzzers start from:
    /// good and broken settings, a baseline of the sample findings.
    #[test]
    fn the_entry_points_accept_good_and_bad_input() {
        config(&config::template());
        config(
            "fail-on = \"deny\"\nexclude = [\"gen/**\"]\n[rules]\nvec_box = \"allow\"\n[[overrides]]\nfiles = [\"tests/**\"]\nrules = { perf = \"deny\" }\n",
        );
        config("[workspace.metadata.memlint]\nfail-on = 3\n[package.metadata.memlint]\n");
        config("[rules\n");
        let recorded = Baseline::of(sample_findings());
        assert_eq!(sample_findings().len(), 2);
        baseline(&recorded.to_json());
        baseline("{\"version\": 2, \"files\": {}}");
    }
}
