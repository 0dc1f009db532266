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

/// The configuration reference's rows of every rule's options.
fn expected_option_rows() -> String {
    let mut rows = String::new();
    for meta in lint_core::rules::metas() {
        for option in meta.options {
            let _ = writeln!(rows, "| `rules.{}.{}` | `{}` | {} |", meta.name, option.name, option.default, option.doc);
        }
    }
    rows
}

/// The README with its generated parts made from the registry: the rules
/// table (between its markers) and the option rows of the configuration
/// reference (the rows `| `rules.<rule>.<option>` |` after the generic ones).
fn generated(readme: &str) -> String {
    let (start_marker, end_marker) = ("<!-- rules-table:start -->\n", "<!-- rules-table:end -->");
    let start = readme.find(start_marker).expect("start marker") + start_marker.len();
    let end = readme.find(end_marker).expect("end marker");
    let readme = format!("{}{}{}", &readme[..start], expected_table(), &readme[end..]);
    // The option rows follow the last generic `rules.<name>.` row.
    let anchor = "| `rules.<name>.in-build-scripts` |";
    let rows_start = readme.find(anchor).expect("the in-build-scripts row");
    let rows_start = rows_start + readme[rows_start..].find('\n').expect("a line") + 1;
    let is_rule_option = |line: &str| {
        line.strip_prefix("| `rules.").and_then(|rest| rest.split_once('.')).is_some_and(|(rule, _)| rule != "<name>")
    };
    let rows_len: usize = readme[rows_start..].lines().take_while(|l| is_rule_option(l)).map(|l| l.len() + 1).sum();
    format!("{}{}{}", &readme[..rows_start], expected_option_rows(), &readme[rows_start + rows_len..])
}

/// The README's generated parts match the registry; with `MEMLINT_BLESS=1`
/// the test writes them instead (after adding or changing a rule).
#[test]
fn rules_table_and_option_rows_match_the_registry() {
    let path = repo_root().join("README.md");
    let readme = readme();
    let expected = generated(&readme);
    if std::env::var_os("MEMLINT_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("write README.md");
        return;
    }
    assert!(
        readme == expected,
        "the README's rules table or option rows are stale: run `MEMLINT_BLESS=1 cargo test -p memlint-tests --test readme -- rules_table`"
    );
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
fn configuration_reference_lists_every_key() {
    let readme = readme();
    let section = &readme[readme.find("### Configuration").expect("configuration section")..];
    let section = &section[..section.find("\n### ").unwrap_or(section.len())];
    assert!(section.contains(&expected_option_rows()), "the rules' option rows are in the configuration reference");
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
