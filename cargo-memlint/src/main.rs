//! `cargo memlint`: find the heap allocations a Rust program didn't need to make.

mod check;
mod cli;
mod discover;
mod output;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use cli::{Cli, ColorChoice, OutputFormat};

/// Exit status: nothing reported.
const EXIT_CLEAN: u8 = 0;
/// Exit status: findings reported.
const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage, configuration, I/O or parse error.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::from_env();
    ExitCode::from(run(&cli))
}

fn run(cli: &Cli) -> u8 {
    let started = Instant::now();
    let plan = match discover::plan(cli) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    if cli.verbose {
        if plan.packages.is_empty() {
            eprintln!("memlint: linting {} files", plan.files.len());
        } else {
            eprintln!("memlint: linting {} files of {}", plan.files.len(), plan.packages.join(", "));
        }
        for entry in &plan.files {
            eprintln!("  {}", entry.display.display());
        }
    }
    let linter = lint_core::Linter::default();
    let outcome = check::run(&linter, plan, started);

    let to_terminal = cli.output.is_none() && std::io::stdout().is_terminal();
    let color = match cli.color_choice() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let rendered = match cli.output_format {
        OutputFormat::Human => output::human::render(&outcome, color),
        OutputFormat::Json => output::json::render(&outcome),
    };
    let summary = output::summary_line(&outcome);
    // The summary follows human output on stdout; it goes to stderr when
    // stdout carries a machine format or the output goes to a file.
    let summary_on_stdout = cli.output_format == OutputFormat::Human && cli.output.is_none();
    let written = match &cli.output {
        Some(path) => std::fs::write(path, &rendered).map_err(|e| format!("cannot write `{}`: {e}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            let mut text = rendered;
            if summary_on_stdout && !cli.quiet {
                text.push_str(&summary);
                text.push('\n');
            }
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("cannot write output: {e}"))
        }
    };
    if !summary_on_stdout && !cli.quiet {
        eprintln!("{summary}");
    }
    if let Err(e) = written {
        eprintln!("error: {e}");
        return EXIT_ERROR;
    }
    if outcome.has_errors() {
        EXIT_ERROR
    } else if outcome.diagnostics.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    }
}
