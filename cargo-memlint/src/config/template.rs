//! The commented `memlint.toml` that `cargo memlint init` writes: every
//! setting, commented out at its default, generated from the rule registry
//! so it lists every rule and option there is.

use std::fmt::Write as _;

/// The template's text.
pub(crate) fn template() -> String {
    let mut out = String::from(
        r#"# memlint settings. Every setting is commented out at its default value:
# uncomment and change the ones you need. The same keys work in Cargo.toml
# under [workspace.metadata.memlint] (keep only one of the two).
# Reference: https://github.com/memlint/memlint#configuration

# Lowest level that fails the run (exit status 1): "warn" fails on every
# finding, "deny" only on rules set to "deny" (warnings are shown but pass).
# The command line's --fail-on wins.
# fail-on = "warn"

# Files memlint does not lint, as patterns relative to this file. A pattern
# without a `/` matches a file or directory name anywhere; one with a `/` is
# anchored here. A matching directory covers everything in it.
# exclude = ["generated", "src/bindings/**", "*.pb.rs"]

# Larger files are listed as not linted (exit status 2) instead of read:
# parsing takes about 110 bytes of memory per byte of source. A number of
# bytes, or a string with a unit (KB, KiB, MB, MiB, GB, GiB).
# max-file-size = "10 MiB"

# The target whose #[cfg]s memlint evaluates and whose pointer width it
# sizes types with (padded_struct, large_enum_variant, vec_box). One of:
# x86_64-unknown-linux-gnu, x86_64-unknown-linux-musl, i686-unknown-linux-gnu,
# aarch64-unknown-linux-gnu, armv7-unknown-linux-gnueabihf,
# x86_64-apple-darwin, aarch64-apple-darwin, x86_64-pc-windows-msvc,
# x86_64-pc-windows-gnu, i686-pc-windows-msvc, wasm32-unknown-unknown.
# target = "x86_64-unknown-linux-gnu"

[rules]
# Each key is a rule, a category ("perf", "pedantic") or "all"; each value a
# level, "allow" (off), "warn" or "deny", or a table with `level`,
# `in-tests` (also report in test code: #[test] fns, #[cfg(test)] modules,
# integration tests), `in-build-scripts` (also report in build.rs and its
# modules) and the rule's options. A rule's own key wins over its category, which wins over
# "all". The command line's -A/-W/-D flags are applied after this table.
# perf = "warn"
# pedantic = "allow"
"#,
    );
    for meta in lint_core::rules::metas() {
        let _ = writeln!(out, "\n# {}", meta.summary);
        let mut fields = vec![format!("level = \"{}\"", meta.default_level.name())];
        fields.push(format!("in-tests = {}", meta.in_tests));
        fields.push("in-build-scripts = false".to_owned());
        fields.extend(meta.options.iter().map(|o| format!("{} = {}", o.name, o.default)));
        let _ = writeln!(out, "# {} = {{ {} }}", meta.name, fields.join(", "));
        for option in meta.options {
            let _ = writeln!(out, "#   {}: {}", option.name, option.doc);
        }
    }
    out.push_str(
        r#"
# Different levels for some paths: each override's `rules` apply to the
# files its `files` patterns match, after the table above; later overrides
# win. Overrides set levels only.
# [[overrides]]
# files = ["benches/**", "examples/**"]
# rules = { perf = "allow" }
"#,
    );
    out
}
