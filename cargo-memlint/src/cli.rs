//! Command-line arguments.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use lint_core::Level;

use crate::levels::LevelFlag;

const AFTER_HELP: &str = "\
Exit status:
  0  nothing failed: no findings, only warnings with --fail-on deny, or --exit-zero
  1  findings at or above the --fail-on level were reported
  2  usage, configuration, I/O or parse error (reported after everything else)

Examples:
  cargo memlint                          lint the current package or workspace
  cargo memlint -p server -p client      lint two packages of the workspace
  cargo memlint src/parser.rs benches/   lint files or directories, no manifest needed
  cargo memlint --output-format json -o memlint.json
  cargo memlint -D perf -A padded_struct deny every perf rule but one
  cargo memlint --sarif-file memlint.sarif --baseline memlint-baseline.json
  cargo memlint --fix                    apply the safe fixes (--unsafe-fixes: the others too)
  cargo memlint --diff                   show the fixes as a diff, change nothing
  cargo memlint init                     write a commented memlint.toml
  cargo memlint rules                    list every rule
  cargo memlint explain padded_struct    a rule's full documentation

Settings come from --config FILE, else from the nearest directory at or above
the workspace root with a memlint.toml or a [workspace.metadata.memlint] or
[package.metadata.memlint] table in its Cargo.toml. -A/-W/-D apply after them.

A directory named like a command (`rules`, `explain`, `init`) is linted with `./rules`.";

/// Find the heap allocations your Rust code didn't need to make.
#[derive(Debug, Parser)]
#[command(
    name = "cargo memlint",
    bin_name = "cargo memlint",
    version,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    /// Files or directories to lint instead of a cargo workspace
    #[arg(value_name = "PATH", conflicts_with_all = ["manifest_path", "package", "workspace", "exclude"])]
    pub(crate) paths: Vec<PathBuf>,

    #[command(flatten)]
    pub(crate) lint: LintArgs,

    #[command(flatten)]
    pub(crate) fix: FixArgs,
}

/// Applying the rules' fixes (lint runs only).
#[derive(Debug, Default, Clone, Args)]
pub(crate) struct FixArgs {
    /// Apply the safe fixes to the files, then report what is left
    #[arg(long, conflicts_with_all = ["write_baseline", "diff"])]
    pub(crate) fix: bool,

    /// With --fix or --diff, also apply the unsafe fixes (they may change behaviour or an API: review them)
    #[arg(long)]
    pub(crate) unsafe_fixes: bool,

    /// Print the fixes as a unified diff and change nothing (exit 1 when there is something to fix)
    #[arg(long, conflicts_with_all = ["write_baseline", "output", "json_file", "sarif_file", "short_file", "statistics"])]
    pub(crate) diff: bool,

    /// With --fix, change files that have uncommitted changes in git, or that are not in a git repository
    #[arg(long)]
    pub(crate) allow_dirty: bool,

    /// With --fix, run `cargo check` afterwards and restore every fixed file if it fails
    #[arg(long)]
    pub(crate) verify: bool,
}

impl FixArgs {
    /// Whether this run fixes (in place or as a diff).
    pub(crate) fn fixing(&self) -> bool {
        self.fix || self.diff
    }

    /// A flag that means nothing without `--fix` (clap's `requires` counts
    /// the default `false` of a flag as given, so it is checked here).
    fn needless_flag(&self) -> Option<&'static str> {
        match () {
            () if self.unsafe_fixes && !self.fixing() => Some("--unsafe-fixes needs --fix or --diff"),
            () if self.allow_dirty && !self.fix => Some("--allow-dirty needs --fix"),
            () if self.verify && !self.fix => Some("--verify needs --fix"),
            () => None,
        }
    }
}

/// What to lint and how to report it: the options of a lint run, shared by `profile`.
#[derive(Debug, Default, Args)]
pub(crate) struct LintArgs {
    /// Path to Cargo.toml
    #[arg(long, value_name = "PATH")]
    pub(crate) manifest_path: Option<PathBuf>,

    /// Package to lint (repeatable)
    #[arg(short, long = "package", value_name = "SPEC")]
    pub(crate) package: Vec<String>,

    /// Lint every package of the workspace (the default at a virtual workspace root)
    #[arg(long)]
    pub(crate) workspace: bool,

    /// Package to leave out with --workspace (repeatable)
    #[arg(long, value_name = "SPEC", requires = "workspace")]
    pub(crate) exclude: Vec<String>,

    /// Turn a rule or category (`perf`, `pedantic`, `all`) off (repeatable; flags apply left to right)
    #[arg(short = 'A', long = "allow", value_name = "RULE")]
    pub(crate) allow: Vec<String>,

    /// Report a rule or category as warnings (repeatable)
    #[arg(short = 'W', long = "warn", value_name = "RULE")]
    pub(crate) warn: Vec<String>,

    /// Report a rule or category as errors (repeatable)
    #[arg(short = 'D', long = "deny", value_name = "RULE")]
    pub(crate) deny: Vec<String>,

    /// Lowest level that makes the run fail (exit status 1) [default: the config's `fail-on`, or warn]
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub(crate) fail_on: Option<FailOn>,

    /// Read settings from FILE instead of searching for memlint.toml or a memlint table in Cargo.toml
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// Exit with status 0 even when findings are reported (errors still exit 2)
    #[arg(long)]
    pub(crate) exit_zero: bool,

    /// Report only findings beyond those recorded in this baseline file
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,

    /// Report only findings on lines changed since the merge base of REV and HEAD (git)
    #[arg(long, value_name = "REV")]
    pub(crate) diff_base: Option<String>,

    /// Record every current finding in a baseline file (and exit 0)
    #[arg(long, value_name = "FILE")]
    pub(crate) write_baseline: Option<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Human, value_name = "FORMAT")]
    pub(crate) output_format: OutputFormat,

    /// Also write the findings as JSON to FILE (`-`: standard output)
    #[arg(long, value_name = "FILE")]
    pub(crate) json_file: Option<PathBuf>,

    /// Also write the findings as SARIF to FILE (`-`: standard output)
    #[arg(long, value_name = "FILE")]
    pub(crate) sarif_file: Option<PathBuf>,

    /// Also write the findings in the short format to FILE (`-`: standard output)
    #[arg(long, value_name = "FILE")]
    pub(crate) short_file: Option<PathBuf>,

    /// Print how many findings each rule has instead of the findings
    #[arg(long, conflicts_with = "output_format")]
    pub(crate) statistics: bool,

    /// Level flags in command-line order (filled in by `from_env`).
    #[arg(skip)]
    pub(crate) level_flags: Vec<LevelFlag>,

    /// Write the output to FILE instead of standard output (`-`: standard output)
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Coloring: auto, always, never [default: $CARGO_TERM_COLOR or auto]
    #[arg(long, value_enum, value_name = "WHEN")]
    pub(crate) color: Option<ColorChoice>,

    /// Print only the findings, no summary
    #[arg(short, long, conflicts_with = "verbose")]
    pub(crate) quiet: bool,

    /// Say which packages and files are linted (and, when profiling, show the program's output)
    #[arg(short, long)]
    pub(crate) verbose: bool,

    /// Attach runtime evidence from these DHAT profiles (valgrind or dhat-rs JSON) to the findings
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub(crate) profile_file: Vec<PathBuf>,

    /// Don't read or write the cache of linted files: lint every file
    #[arg(long)]
    pub(crate) no_cache: bool,

    /// Keep the cache of linted files in DIR [default: the target directory's memlint/cache]
    #[arg(long, value_name = "DIR", env = "MEMLINT_CACHE_DIR", conflicts_with = "no_cache")]
    pub(crate) cache_dir: Option<PathBuf>,

    /// Print the time of each phase and rule, and peak memory, on stderr (and in JSON output)
    #[arg(long)]
    pub(crate) timings: bool,
}

/// Commands other than linting.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List every rule: name, category, default level and summary
    Rules {
        /// Output format
        #[arg(long, value_enum, default_value_t = RulesFormat::Table, value_name = "FORMAT")]
        format: RulesFormat,
    },
    /// Print a rule's full documentation
    Explain {
        /// The rule's name, e.g. `padded_struct`
        rule: String,
    },
    /// Run a binary, test or bench under a heap profiler and show which findings really allocate
    #[command(after_help = PROFILE_HELP)]
    Profile(Box<ProfileArgs>),
    /// Compare two profiles by allocation site; fail when allocations grew past a threshold
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
    /// Write a commented memlint.toml with every setting at its default
    Init {
        /// Directory to write memlint.toml in [default: the workspace root of the current directory]
        dir: Option<PathBuf>,
        /// Replace an existing memlint.toml
        #[arg(long)]
        force: bool,
    },
}

const PROFILE_HELP: &str = "\
The target is built (release and bench builds with line tables) and run under
valgrind's DHAT (the default when valgrind is on PATH) or, with --backend dhat-rs,
with the package's `dhat-heap` feature (dhat-rs's convention). Each test of a
test target runs in its own process. The profile is joined with the findings:
confirmed findings with their bytes and blocks, findings the workload did not
exercise, and hot allocation sites no rule explains.

Examples:
  cargo memlint profile --bin server -- --requests 1000
  cargo memlint profile --test parser empty_input --release
  cargo memlint profile --bench encode --output-format json -o profile.json
  cargo memlint profile --profile-file dhat-heap.json   join an existing profile";

const DIFF_HELP: &str = "\
BASE and NEW are `cargo memlint profile --output-format json` reports, or DHAT
profiles (read against the workspace in the current directory). Sites are keyed
by (function, reason, file), not by line, so moved code is not a change.

Exit status: 0 within the thresholds, 1 when a total grew past one, 2 on errors.";

/// `cargo memlint profile`: the workload and the lint options.
#[derive(Debug, Args)]
pub(crate) struct ProfileArgs {
    /// Profile the binary target NAME
    #[arg(long, value_name = "NAME", group = "target")]
    pub(crate) bin: Option<String>,
    /// Profile the example NAME
    #[arg(long, value_name = "NAME", group = "target")]
    pub(crate) example: Option<String>,
    /// Profile the integration test NAME, each test (or those matching FILTER) in its own process
    #[arg(long, value_names = ["NAME", "FILTER"], num_args = 1..=2, group = "target")]
    pub(crate) test: Vec<String>,
    /// Profile the bench target NAME
    #[arg(long, value_name = "NAME", group = "target")]
    pub(crate) bench: Option<String>,
    /// Build with the release profile (line tables are added)
    #[arg(long)]
    pub(crate) release: bool,
    /// The heap profiler [default: valgrind when on PATH, else dhat-rs]
    #[arg(long, value_enum, value_name = "BACKEND")]
    pub(crate) backend: Option<BackendArg>,
    /// How many unexplained allocation sites to list
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub(crate) top: usize,
    /// Also run each process once without the profiler, first, to show the
    /// profiler's slowdown (the workload then runs twice: leave this off for
    /// one with side effects)
    #[arg(long)]
    pub(crate) plain_run: bool,
    #[command(flatten)]
    pub(crate) lint: LintArgs,
    /// Arguments for the profiled program
    #[arg(last = true, value_name = "ARGS")]
    pub(crate) args: Vec<OsString>,
}

/// The heap profiler to run a workload under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BackendArg {
    /// valgrind --tool=dhat: the program is not changed
    Valgrind,
    /// the dhat crate, through the package's `dhat-heap` feature
    DhatRs,
}

/// `cargo memlint diff`.
#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The base profile (memlint profile JSON or DHAT JSON)
    pub(crate) base: PathBuf,
    /// The new profile
    pub(crate) new: PathBuf,
    /// Fail when total bytes grew by more than PCT percent
    #[arg(long, value_name = "PCT")]
    pub(crate) max_increase_bytes: Option<f64>,
    /// Fail when total blocks (allocations) grew by more than PCT percent
    #[arg(long, value_name = "PCT")]
    pub(crate) max_increase_blocks: Option<f64>,
    /// How many changed sites to list
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(crate) top: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Human, value_name = "FORMAT")]
    pub(crate) output_format: DiffFormat,
    /// Path to Cargo.toml (to read DHAT profiles against its workspace)
    #[arg(long, value_name = "PATH")]
    pub(crate) manifest_path: Option<PathBuf>,
}

/// How `diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// a table for people
    Human,
    /// totals and sites as JSON
    Json,
}

/// How `rules` prints the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RulesFormat {
    /// aligned columns for people
    Table,
    /// every rule's metadata and docs, for tools
    Json,
}

/// How findings are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// rustc-style diagnostics with source snippets
    #[default]
    Human,
    /// one line per finding: `path:line:col: level[rule]: message`
    Short,
    /// memlint's versioned JSON schema (see the README)
    Json,
    /// GitHub Actions annotations (workflow commands)
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other dashboards
    Sarif,
    /// cargo's JSON messages (`compiler-message` per line), for editors
    CargoJson,
}

/// Which findings fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// every reported finding (warnings and errors)
    Warn,
    /// only findings of rules at `deny`; warnings are shown but pass
    Deny,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Cli {
    /// Parses the process's arguments, accepting both `cargo memlint ...`
    /// (cargo runs `cargo-memlint memlint ...`) and `cargo-memlint ...`.
    pub(crate) fn from_env() -> Self {
        Cli::parse_args(normalize_args(std::env::args_os())).unwrap_or_else(|e| e.exit())
    }

    /// Parses `args`, keeping the order of the `-A/-W/-D` flags.
    pub(crate) fn parse_args(args: Vec<OsString>) -> Result<Self, clap::Error> {
        let matches = Cli::command().try_get_matches_from(args)?;
        let mut cli = Cli::from_arg_matches(&matches)?;
        if let Some(problem) = cli.fix.needless_flag() {
            return Err(Cli::command().error(clap::error::ErrorKind::MissingRequiredArgument, problem));
        }
        cli.lint.level_flags = level_flags(&matches);
        if let (Some(Command::Profile(profile)), Some(("profile", sub))) = (&mut cli.command, matches.subcommand()) {
            profile.lint.level_flags = level_flags(sub);
        }
        Ok(cli)
    }
}

/// The `-A/-W/-D` flags of `matches` in command-line order.
fn level_flags(matches: &ArgMatches) -> Vec<LevelFlag> {
    let mut flags = Vec::new();
    for (id, level) in [("allow", Level::Allow), ("warn", Level::Warn), ("deny", Level::Deny)] {
        if let (Some(indices), Some(values)) = (matches.indices_of(id), matches.get_many::<String>(id)) {
            flags.extend(indices.zip(values).map(|(i, name)| (i, LevelFlag { level, name: name.clone() })));
        }
    }
    flags.sort_by_key(|&(i, _)| i);
    flags.into_iter().map(|(_, flag)| flag).collect()
}

impl LintArgs {
    /// The colour choice, falling back to `CARGO_TERM_COLOR`.
    pub(crate) fn color_choice(&self) -> ColorChoice {
        self.color.unwrap_or_else(|| match std::env::var("CARGO_TERM_COLOR").as_deref() {
            Ok("always") => ColorChoice::Always,
            Ok("never") => ColorChoice::Never,
            _ => ColorChoice::Auto,
        })
    }
}

/// Drops the `memlint` argument cargo inserts after the program name.
pub(crate) fn normalize_args(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "memlint") {
        args.remove(1);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_subcommand_argument_is_dropped() {
        let args = normalize_args(["cargo-memlint", "memlint", "-q"].map(OsString::from));
        assert_eq!(args, ["cargo-memlint", "-q"].map(OsString::from));
        let args = normalize_args(["cargo-memlint", "src"].map(OsString::from));
        assert_eq!(args, ["cargo-memlint", "src"].map(OsString::from));
    }

    #[test]
    fn level_flags_keep_their_command_line_order() {
        let args = ["cargo-memlint", "-D", "perf", "-A", "vec_box", "--warn", "padded_struct", "-D", "x"];
        let cli = Cli::parse_args(args.map(OsString::from).to_vec()).unwrap();
        let flags: Vec<(Level, &str)> = cli.lint.level_flags.iter().map(|f| (f.level, f.name.as_str())).collect();
        assert_eq!(
            flags,
            [(Level::Deny, "perf"), (Level::Allow, "vec_box"), (Level::Warn, "padded_struct"), (Level::Deny, "x")]
        );
    }

    #[test]
    fn commands_and_paths() {
        let cli = Cli::try_parse_from(["cargo-memlint", "rules", "--format", "json"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Rules { format: RulesFormat::Json })));
        let cli = Cli::try_parse_from(["cargo-memlint", "explain", "padded_struct"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Explain { rule }) if rule == "padded_struct"));
        let cli = Cli::try_parse_from(["cargo-memlint", "src", "./rules"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.paths.len(), 2);
    }

    #[test]
    fn paths_conflict_with_workspace_selection() {
        assert!(Cli::try_parse_from(["cargo-memlint", "src", "-p", "x"]).is_err());
        assert!(Cli::try_parse_from(["cargo-memlint", "--exclude", "x"]).is_err());
        assert!(Cli::try_parse_from(["cargo-memlint", "--workspace", "--exclude", "x"]).is_ok());
    }
}
