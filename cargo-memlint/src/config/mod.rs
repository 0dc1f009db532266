//! memlint's settings: where they are found (a `memlint.toml`, or
//! `[workspace.metadata.memlint]` / `[package.metadata.memlint]` in
//! Cargo.toml), what they say, and how they become each rule's settings.
//!
//! Levels are applied in this order, a later step winning: each rule's
//! default, the `rules` table (`all`, then categories, then single rules),
//! the `[[overrides]]` whose `files` match the file (in order), then the
//! command line's `-A/-W/-D` flags (left to right).

pub(crate) mod cargo_lints;
mod error;
mod parse;
mod pattern;
mod template;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lint_core::{FileLevels, Level, RuleMeta, RuleSettings};

pub(crate) use error::{ConfigError, display};
use pattern::PathPattern;
pub(crate) use template::template;

use crate::cli::FailOn;
use crate::levels::{self, Target};

/// The file name searched for in the directories above the workspace.
pub(crate) const FILE_NAME: &str = "memlint.toml";
/// Files larger than this are not linted unless `max-file-size` says so:
/// parsing takes about 110 bytes of memory per byte of source (1.1 GiB for
/// a 10 MiB file, per linting thread), and Rust files this large are
/// generated (the largest of 8,968 files of 229 popular crates is 2.5 MiB).
pub(crate) const DEFAULT_MAX_FILE_SIZE: u64 = 10 << 20;
/// Where settings live in Cargo.toml.
const WORKSPACE_TABLE: &str = "workspace.metadata.memlint";
const PACKAGE_TABLE: &str = "package.metadata.memlint";

/// What a settings table says.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    pub(crate) fail_on: Option<FailOn>,
    exclude: Vec<PathPattern>,
    /// `max-file-size`: larger files are listed as not linted, not read.
    max_file_size: Option<u64>,
    /// `target`: the target types are sized and `cfg`s evaluated for.
    target: Option<lint_core::Target>,
    rules: Vec<RuleEntry>,
    overrides: Vec<Override>,
}

/// One key of a `rules` table.
#[derive(Debug)]
struct RuleEntry {
    target: Target,
    level: Option<Level>,
    in_tests: Option<bool>,
    in_build_scripts: Option<bool>,
    options: Vec<(&'static str, u64)>,
}

/// One `[[overrides]]` entry.
#[derive(Debug)]
struct Override {
    files: Vec<PathPattern>,
    levels: Vec<(Target, Level)>,
}

/// The settings of a run and where they came from.
#[derive(Debug, Default)]
pub(crate) struct Config {
    pub(crate) settings: Settings,
    /// The file and table the settings were read from; `None` for the defaults.
    pub(crate) origin: Option<(PathBuf, Option<&'static str>)>,
    /// The directory path patterns are relative to.
    dir: PathBuf,
}

impl Config {
    /// The settings in the file `path` (`--config`): a `memlint.toml`-style
    /// document, or a Cargo.toml with a memlint table.
    pub(crate) fn load(path: &Path) -> Result<Config, Vec<ConfigError>> {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let text = read(&path)?;
        if path.file_name().is_some_and(|n| n == "Cargo.toml") {
            return match from_manifest(&path, &text)? {
                Some(config) => Ok(config),
                None => Err(vec![ConfigError::file(
                    &path,
                    format!("has no `[{WORKSPACE_TABLE}]` or `[{PACKAGE_TABLE}]` table"),
                )]),
            };
        }
        from_document(&path, &text)
    }

    /// The settings for a run rooted at `start`: the nearest directory at
    /// or above it with a `memlint.toml` or a Cargo.toml with a memlint
    /// table; the defaults when there is none.
    pub(crate) fn discover(start: &Path) -> Result<Config, Vec<ConfigError>> {
        for dir in start.ancestors() {
            let file = dir.join(FILE_NAME);
            let from_file = if file.is_file() { Some(from_document(&file, &read(&file)?)?) } else { None };
            let manifest = dir.join("Cargo.toml");
            let from_cargo = if manifest.is_file() { from_manifest(&manifest, &read(&manifest)?)? } else { None };
            match (from_file, from_cargo) {
                (Some(_), Some(cargo)) => {
                    let table = cargo.origin.and_then(|(_, table)| table).unwrap_or(WORKSPACE_TABLE);
                    return Err(vec![
                        ConfigError::file(
                            &file,
                            format!(
                                "memlint settings are defined both here and in `[{table}]` of `{}`",
                                manifest.display()
                            ),
                        )
                        .with_help(Some("keep one of them: memlint reads a single configuration".to_owned())),
                    ]);
                }
                (Some(config), None) | (None, Some(config)) => return Ok(config),
                (None, None) => {}
            }
        }
        Ok(Config::default())
    }

    /// One line for `-v`: where the settings come from.
    pub(crate) fn describe(&self) -> String {
        match &self.origin {
            Some((path, Some(table))) => format!("settings from `[{table}]` in `{}`", display(path)),
            Some((path, None)) => format!("settings from `{}`", display(path)),
            None => format!("no `{FILE_NAME}` or memlint table in Cargo.toml: default settings"),
        }
    }

    /// The settings of `meta`'s rule: its defaults, then the `rules` table,
    /// then the command line's level flags `cli`.
    pub(crate) fn rule_settings(&self, meta: &'static RuleMeta, cli: &[(Target, Level)]) -> RuleSettings {
        let mut settings = RuleSettings::new(meta);
        let mut entries: Vec<&RuleEntry> = self.settings.rules.iter().filter(|e| e.target.covers(meta)).collect();
        entries.sort_by_key(|e| e.target.specificity());
        for entry in entries {
            settings.level = entry.level.unwrap_or(settings.level);
            settings.in_tests = entry.in_tests.unwrap_or(settings.in_tests);
            settings.in_build_scripts = entry.in_build_scripts.unwrap_or(settings.in_build_scripts);
            for &(name, value) in &entry.options {
                settings.set_option(name, value);
            }
        }
        settings.level = levels::apply(cli, meta, settings.level);
        settings
    }

    /// Levels that depend on the file, when there are `[[overrides]]`:
    /// files are named relative to `root` (absolute names stay as they are).
    pub(crate) fn file_levels(self: &Arc<Self>, root: &Path, cli: &[(Target, Level)]) -> Option<Arc<FileLevels>> {
        if self.settings.overrides.is_empty() {
            return None;
        }
        let config = Arc::clone(self);
        let root = root.to_path_buf();
        let cli = cli.to_vec();
        // The `rules` table's level of every rule, worked out once rather
        // than for every file.
        let base: Vec<(&'static str, Level)> =
            lint_core::rules::metas().map(|meta| (meta.name, self.rule_settings(meta, &[]).level)).collect();
        Some(Arc::new(move |path: &Path, meta: &'static RuleMeta, _configured: Level| {
            let configured = base.iter().find(|(name, _)| *name == meta.name).map(|&(_, level)| level);
            let mut level = configured.unwrap_or(meta.default_level);
            if let Some(relative) = config.relative(&root.join(path)) {
                for o in config.settings.overrides.iter().filter(|o| o.files.iter().any(|p| p.matches(&relative))) {
                    level = levels::apply(&o.levels, meta, level);
                }
            }
            levels::apply(&cli, meta, level)
        }))
    }

    /// The target to lint for: `target`, else 64-bit Linux on x86_64.
    pub(crate) fn target(&self) -> lint_core::Target {
        self.settings.target.clone().unwrap_or_default()
    }

    /// The largest file linted, in bytes.
    pub(crate) fn max_file_size(&self) -> u64 {
        self.settings.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE)
    }

    /// Whether `exclude` leaves out the file at `path`.
    pub(crate) fn excludes(&self, path: &Path) -> bool {
        !self.settings.exclude.is_empty()
            && self.relative(path).is_some_and(|relative| self.settings.exclude.iter().any(|p| p.matches(&relative)))
    }

    /// `path` relative to the configuration's directory; `None` outside it.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        crate::discover::relative_to(path, &self.dir)
    }
}

/// Warnings for manifests of linted packages (other than the one the
/// settings came from) whose `[package.metadata.memlint]` is not read.
pub(crate) fn ignored_package_tables<'m>(
    config: &Config,
    manifests: impl IntoIterator<Item = &'m Path>,
) -> Vec<String> {
    let origin = config.origin.as_ref().map(|(path, _)| path.as_path());
    let mut warnings = Vec::new();
    for manifest in manifests {
        if Some(manifest) == origin {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(manifest) else { continue };
        let text: Arc<str> = Arc::from(text);
        let Ok(document) = parse::document(manifest, &text) else { continue };
        if table_at(document.get_ref(), PACKAGE_TABLE).is_some() {
            let dir = manifest.parent().unwrap_or(manifest);
            warnings.push(format!(
                "`[{PACKAGE_TABLE}]` in `{}` is ignored: memlint reads one configuration for the whole run ({}); for levels that differ in this package, add an `[[overrides]]` entry with `files = [\"{}/**\"]` there",
                manifest.display(),
                config.describe(),
                dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned()),
            ));
        }
    }
    warnings
}

fn read(path: &Path) -> Result<Arc<str>, Vec<ConfigError>> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Arc::from(text)),
            Err(e) => Err(vec![ConfigError::file(
                path,
                format!("is not UTF-8 (invalid byte at offset {})", e.utf8_error().valid_up_to()),
            )]),
        },
        Err(e) => Err(vec![ConfigError::file(path, format!("cannot read: {e}"))]),
    }
}

/// A `memlint.toml` document.
pub(crate) fn from_document(path: &Path, text: &Arc<str>) -> Result<Config, Vec<ConfigError>> {
    let document = parse::document(path, text).map_err(|e| vec![e])?;
    let mut reader = parse::Reader::new(path, text);
    let settings = reader.settings(document.get_ref());
    finish(reader, settings, path, None)
}

/// The memlint table of a Cargo.toml, if it has one.
pub(crate) fn from_manifest(path: &Path, text: &Arc<str>) -> Result<Option<Config>, Vec<ConfigError>> {
    let document = parse::document(path, text).map_err(|e| vec![e])?;
    let workspace = table_at(document.get_ref(), WORKSPACE_TABLE);
    let package = table_at(document.get_ref(), PACKAGE_TABLE);
    let (table, name) = match (workspace, package) {
        (None, None) => return Ok(None),
        (Some(_), Some(package)) => {
            return Err(vec![
                ConfigError::at(
                    path,
                    text,
                    package.span(),
                    format!("memlint settings are defined in both `[{WORKSPACE_TABLE}]` and `[{PACKAGE_TABLE}]`"),
                    "second memlint table",
                )
                .with_help(Some(format!("keep one of them; `[{WORKSPACE_TABLE}]` covers every package"))),
            ]);
        }
        (Some(table), None) => (table, WORKSPACE_TABLE),
        (None, Some(table)) => (table, PACKAGE_TABLE),
    };
    let mut reader = parse::Reader::new(path, text);
    let Some(inner) = table.get_ref().as_table() else {
        let found = parse::a(table.get_ref().type_str());
        let error = ConfigError::at(path, text, table.span(), format!("`{name}` must be a table"), found);
        return Err(vec![error]);
    };
    let settings = reader.settings(inner);
    finish(reader, settings, path, Some(name)).map(Some)
}

fn finish(
    reader: parse::Reader<'_>,
    settings: Settings,
    path: &Path,
    table: Option<&'static str>,
) -> Result<Config, Vec<ConfigError>> {
    if !reader.errors.is_empty() {
        let mut errors = reader.errors;
        errors.sort_by_key(|e| e.at.as_ref().map(|p| p.span.start));
        return Err(errors);
    }
    let dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    Ok(Config { settings, origin: Some((path.to_path_buf(), table)), dir })
}

/// The value at a dotted path of tables (`workspace.metadata.memlint`).
fn table_at<'d, 'i>(
    document: &'d toml::de::DeTable<'i>,
    dotted: &str,
) -> Option<&'d toml::Spanned<toml::de::DeValue<'i>>> {
    let mut keys = dotted.split('.');
    let mut value = document.get(keys.next()?)?;
    for key in keys {
        value = value.get_ref().as_table()?.get(key)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests;
