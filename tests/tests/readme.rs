//! The README is part of the product: its rules table must list exactly the
//! rules memlint has, with their registry metadata.

use std::fmt::Write as _;

use memlint_tests::repo_root;

fn readme() -> String {
    std::fs::read_to_string(repo_root().join("README.md")).expect("README.md")
}

/// The rules table as it must appear in the README.
fn expected_table() -> String {
    let mut table = String::from(
        "| Rule | Category | Default | Fix | Clippy allows honoured | What it finds |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for meta in lint_core::rules::metas() {
        let (name, category, level, fix) = (meta.name, meta.category, meta.default_level, meta.fix.name());
        let clippy: Vec<String> = meta.clippy.iter().map(|l| format!("`{l}`")).collect();
        let clippy = if clippy.is_empty() { "".to_owned() } else { clippy.join(", ") };
        let _ = writeln!(table, "| `{name}` | {category} | {level} | {fix} | {clippy} | {} |", meta.summary);
    }
    table
}

#[test]
fn rules_table_matches_the_registry() {
    let readme = readme();
    let start =
        readme.find("<!-- rules-table:start -->\n").expect("start marker") + "<!-- rules-table:start -->\n".len();
    let end = readme.find("<!-- rules-table:end -->").expect("end marker");
    assert_eq!(&readme[start..end], expected_table(), "update the README's rules table");
}

#[test]
fn quick_start_is_two_commands() {
    let readme = readme();
    let section = &readme[readme.find("## Quick start").expect("quick start")..];
    let block = section.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).expect("a sh block");
    let commands: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        commands,
        [
            "cargo run --release -p cargo-memlint -- memlint --manifest-path examples/demo/Cargo.toml",
            "cargo test --workspace"
        ]
    );
}

#[test]
fn configuration_reference_lists_every_rule_option_with_its_default() {
    let readme = readme();
    let section = &readme[readme.find("### Configuration").expect("configuration section")..];
    let section = &section[..section.find("\n### ").unwrap_or(section.len())];
    for meta in lint_core::rules::metas() {
        for option in meta.options {
            let row = format!("| `rules.{}.{}` | `{}` | {} |", meta.name, option.name, option.default, option.doc);
            assert!(section.contains(&row), "the configuration reference lacks the row:\n{row}");
        }
    }
    for key in ["fail-on", "exclude", "in-tests", "[[overrides]] files", "[[overrides]] rules"] {
        assert!(section.contains(&format!("`{key}")), "the configuration reference lacks `{key}`");
    }
}

#[test]
fn the_runtime_crate_is_depended_on_from_git_or_a_clone_with_its_track_feature() {
    let readme = readme();
    let section = &readme[readme.find("## Allocation budgets").expect("the #[memtrack] section")..];
    let section = &section[..section[2..].find("\n## ").unwrap_or(section.len())];
    let root_manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).expect("Cargo.toml");
    let repository = root_manifest
        .lines()
        .find_map(|l| l.strip_prefix("repository = \"")?.strip_suffix('"'))
        .expect("the workspace's repository");
    // Not on crates.io: the repository by git, or a clone beside the project
    // by path; tracking on in the dev-dependencies only.
    for line in [
        format!("memlint = {{ git = \"{repository}\" }}"),
        format!("memlint = {{ git = \"{repository}\", features = [\"track\"] }}"),
        "memlint = { path = \"../memlint/memlint\" }".to_owned(),
        "memlint = { path = \"../memlint/memlint\", features = [\"track\"] }".to_owned(),
    ] {
        assert!(section.lines().any(|l| l.starts_with(&line)), "the README lacks the dependency line `{line}`");
    }
    assert!(section.contains("git clone https://github.com/memlint/memlint ../memlint"), "the clone the path assumes");
    // `memlint/` of a clone is the runtime crate, and `track` its feature.
    let runtime = std::fs::read_to_string(repo_root().join("memlint/Cargo.toml")).expect("memlint/Cargo.toml");
    assert!(runtime.contains("\nname = \"memlint\"\n"), "memlint/ is the `memlint` package");
    let features = &runtime[runtime.find("[features]").expect("features")..];
    assert!(features.contains("\ntrack = ["), "`track` is a feature of memlint");
    // The budgets example depends on it the same way, by path (and its tests run in CI).
    let example = std::fs::read_to_string(repo_root().join("examples/budgets/Cargo.toml")).expect("the example");
    assert!(example.contains("\nmemlint = { path = \"../../memlint\" }\n"), "{example}");
    assert!(example.contains("\nmemlint = { path = \"../../memlint\", features = [\"track\"] }\n"), "{example}");
}
