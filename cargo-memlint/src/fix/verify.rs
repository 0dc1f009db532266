//! `--fix --verify`: `cargo check` of the fixed workspace; the fixes are
//! rolled back when it fails.

use std::process::Command;

use crate::cli::LintArgs;

/// Runs `cargo check --all-targets` on the linted workspace; cargo's
/// messages when it fails.
pub(crate) fn cargo_check(cli: &LintArgs) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["check", "--all-targets", "--quiet", "--message-format", "short"]);
    if let Some(manifest) = &cli.manifest_path {
        command.arg("--manifest-path").arg(manifest);
    }
    if cli.workspace {
        command.arg("--workspace");
    }
    for package in &cli.package {
        command.args(["--package", package]);
    }
    match command.output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(String::from_utf8_lossy(&out.stderr).trim_end().to_owned()),
        Err(e) => Err(format!("cannot run cargo: {e}")),
    }
}
