//! `[lints.clippy]` of a package's `Cargo.toml` (or, with
//! `lints.workspace = true`, `[workspace.lints.clippy]` of the workspace's):
//! a lint allowed there for the whole crate turns off the memlint rules
//! that mirror it ([`lint_core::RuleMeta::clippy`]) in that package. Lint
//! groups (`all`, `perf`, ...) don't count.

use std::path::Path;

use toml::de::{DeTable, DeValue};

/// The memlint rules a package's manifest turns off through its clippy
/// lint levels; `workspace` is the workspace's manifest, for `[lints]`
/// inherited from it. A manifest that can't be read turns nothing off
/// (cargo metadata has already read it).
pub(crate) fn rules_allowed(manifest: &Path, workspace: &Path) -> Vec<&'static str> {
    let Some(text) = std::fs::read_to_string(manifest).ok() else { return Vec::new() };
    let Ok(document) = DeTable::parse(&text) else { return Vec::new() };
    let Some(lints) = table(document.get_ref(), &["lints"]) else { return Vec::new() };
    if lints.get("workspace").is_some_and(|v| matches!(v.get_ref(), DeValue::Boolean(true))) {
        let Some(text) = std::fs::read_to_string(workspace).ok() else { return Vec::new() };
        let Ok(document) = DeTable::parse(&text) else { return Vec::new() };
        return table(document.get_ref(), &["workspace", "lints", "clippy"]).map(allowed).unwrap_or_default();
    }
    table(document.get_ref(), &["lints", "clippy"]).map(allowed).unwrap_or_default()
}

fn table<'d, 'i>(document: &'d DeTable<'i>, keys: &[&str]) -> Option<&'d DeTable<'i>> {
    let mut table = document;
    for key in keys {
        table = table.get(*key)?.get_ref().as_table()?;
    }
    Some(table)
}

/// The rules mirroring the lints at `allow` in a `[lints.clippy]` table
/// (`vec_box = "allow"` or `vec_box = { level = "allow", priority = 1 }`).
fn allowed(clippy: &DeTable<'_>) -> Vec<&'static str> {
    let mut rules = Vec::new();
    for (lint, value) in clippy.iter() {
        let level = match value.get_ref() {
            DeValue::String(level) => Some(level.as_ref()),
            DeValue::Table(t) => t.get("level").and_then(|l| l.get_ref().as_str()),
            _ => None,
        };
        if level == Some("allow") {
            rules.extend(lint_core::rules::mirroring_clippy(lint.get_ref()));
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_lints_of_the_package_or_the_workspace() {
        let dir = crate::scratch::Scratch::new("cargo-lints");
        let (package, workspace) = (dir.join("member.toml"), dir.join("root.toml"));
        std::fs::write(
            &package,
            "[package]\nname = \"a\"\n\n[lints.clippy]\nvec_box = \"allow\"\nrc_buffer = { level = \"allow\", priority = 1 }\nall = \"allow\"\nredundant_clone = \"warn\"\n",
        )
        .expect("write");
        assert_eq!(rules_allowed(&package, &workspace), ["box_collection", "vec_box"]);
        std::fs::write(&package, "[package]\nname = \"a\"\n\n[lints]\nworkspace = true\n").expect("write");
        std::fs::write(&workspace, "[workspace]\n\n[workspace.lints.clippy]\nlarge_enum_variant = \"allow\"\n")
            .expect("write");
        assert_eq!(rules_allowed(&package, &workspace), ["large_enum_variant"]);
        std::fs::write(&package, "[package]\nname = \"a\"\n").expect("write");
        assert!(rules_allowed(&package, &workspace).is_empty());
    }
}
