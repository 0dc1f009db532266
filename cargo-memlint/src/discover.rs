//! Which files to lint: the source files of a cargo workspace's packages
//! (found with `cargo metadata --no-deps`), or the paths given on the command line.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use cargo_metadata::{Metadata, MetadataCommand, Package, TargetKind};
use walkdir::WalkDir;

use lint_core::syntax::edition::Edition;

use crate::cli::LintArgs;

/// A file to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry {
    /// Where to read it.
    pub(crate) path: PathBuf,
    /// How to name it in the output (relative to the root).
    pub(crate) display: PathBuf,
    /// The root of the package it belongs to: files of one package are one
    /// crate for the rules that join type definitions across files.
    pub(crate) unit: PathBuf,
    /// The cargo target the file belongs to (index into [`Plan::targets`]).
    pub(crate) target: Option<usize>,
    /// The edition it is compiled with: its target's, or in path mode its
    /// package's (2021 outside any package).
    pub(crate) edition: Edition,
}

/// A cargo target, as cargo's JSON messages describe it.
#[derive(Debug, Clone)]
pub(crate) struct TargetInfo {
    pub(crate) package_id: String,
    pub(crate) manifest_path: String,
    pub(crate) name: String,
    pub(crate) kind: Vec<String>,
    pub(crate) crate_types: Vec<String>,
    pub(crate) src_path: String,
    pub(crate) edition: String,
    /// The package's features (for `profile`'s dhat-heap convention).
    pub(crate) features: Vec<String>,
}

/// What a run lints.
#[derive(Debug, Default, Clone)]
pub(crate) struct Plan {
    /// The directory output paths are relative to.
    pub(crate) root: PathBuf,
    /// Files, sorted and without duplicates.
    pub(crate) files: Vec<Entry>,
    /// Names of the packages linted (empty in path mode).
    pub(crate) packages: Vec<String>,
    /// The targets files belong to (empty in path mode).
    pub(crate) targets: Vec<TargetInfo>,
    /// Paths that could not be read while collecting files.
    pub(crate) problems: Vec<Problem>,
    /// Files that `exclude` left out: not linted even when a module tree
    /// reaches them.
    pub(crate) excluded: Vec<PathBuf>,
    /// cargo's target directory: the workspace's, or in path mode the one
    /// of the cargo project around the current directory, if any.
    pub(crate) target_dir: Option<PathBuf>,
    /// Which crates of the workspace each linted package's code may name
    /// (empty in path mode).
    pub(crate) links: Vec<CrateLink>,
}

/// A crate of the workspace a package's code may use: the package's own
/// lib (for its bins, tests and examples) or a path dependency on another
/// member with a lib.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CrateLink {
    /// The package whose code names it (its directory, as [`Entry::unit`]).
    pub(crate) from: PathBuf,
    /// The name the code gives it: the lib's name, or the dependency's rename.
    pub(crate) name: String,
    /// The package whose lib it is (its directory).
    pub(crate) to: PathBuf,
}

impl Plan {
    /// The names the linted code gives the workspace's crates.
    pub(crate) fn workspace_crates(&self) -> Vec<String> {
        self.links.iter().map(|link| link.name.clone()).collect()
    }
}

/// A path that could not be walked.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub(crate) path: PathBuf,
    pub(crate) message: String,
}

/// Why no plan could be made.
#[derive(Debug)]
pub(crate) enum DiscoverError {
    NoManifest { dir: PathBuf },
    ManifestMissing { path: PathBuf },
    Metadata { manifest: PathBuf, message: String },
    UnknownPackage { spec: String, members: Vec<String> },
    CurrentDir(std::io::Error),
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscoverError::NoManifest { dir } => write!(
                f,
                "could not find `Cargo.toml` in `{}` or any parent directory\n  help: pass --manifest-path, or the files and directories to lint: `cargo memlint src/`",
                dir.display()
            ),
            DiscoverError::ManifestMissing { path } => write!(f, "manifest path `{}` does not exist", path.display()),
            DiscoverError::Metadata { manifest, message } => {
                write!(f, "`cargo metadata` failed for `{}`:\n{}", manifest.display(), message.trim_end())
            }
            DiscoverError::UnknownPackage { spec, members } => write!(
                f,
                "package `{spec}` is not a member of the workspace\n  help: the members are: {}",
                members.join(", ")
            ),
            DiscoverError::CurrentDir(e) => write!(f, "cannot read the current directory: {e}"),
        }
    }
}

/// Plans the run the command line asks for.
pub(crate) fn plan(cli: &LintArgs, paths: &[PathBuf]) -> Result<Plan, DiscoverError> {
    let cwd = std::env::current_dir().map_err(DiscoverError::CurrentDir)?;
    if paths.is_empty() { plan_workspace(cli, &cwd) } else { Ok(plan_paths(paths, &cwd)) }
}

fn plan_paths(paths: &[PathBuf], cwd: &Path) -> Plan {
    let mut plan = Plan { root: cwd.to_path_buf(), target_dir: target_dir_around(cwd), ..Plan::default() };
    let mut files = Vec::new();
    // Package roots by directory: looking one up takes a `stat` per ancestor.
    let mut roots: std::collections::HashMap<PathBuf, PathBuf> = std::collections::HashMap::new();
    let mut editions: std::collections::HashMap<PathBuf, Edition> = std::collections::HashMap::new();
    // The walk yields a directory's files one after another: the last
    // directory's package and edition are reused without hashing its path.
    let mut last: Option<(PathBuf, PathBuf, Edition)> = None;
    // Paths that overlap (`. src/lib.rs`, `src ./src`) name some files twice,
    // spelled differently: each file is linted once, under its first name.
    let mut seen = std::collections::HashSet::new();
    let mut first_time = |file: &Path| {
        paths.len() == 1 || seen.insert(std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf()))
    };
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                for file in walk_rs_files(path, false, &mut plan.problems) {
                    if !first_time(&file) {
                        continue;
                    }
                    let display = clean(&file);
                    let dir = file.parent().unwrap_or(Path::new(""));
                    let (unit, edition) = match &last {
                        Some((last_dir, unit, edition)) if last_dir == dir => (unit.clone(), *edition),
                        _ => {
                            let unit =
                                roots.entry(dir.to_path_buf()).or_insert_with(|| package_root_of(&file, path)).clone();
                            let edition = edition_of(&mut editions, &unit);
                            last = Some((dir.to_path_buf(), unit.clone(), edition));
                            (unit, edition)
                        }
                    };
                    files.push(Entry { path: file, display, unit, target: None, edition });
                }
            }
            Ok(_) if !first_time(path) => {}
            Ok(_) => {
                let unit = package_root_of(path, path);
                let edition = edition_of(&mut editions, &unit);
                files.push(Entry { path: path.clone(), display: clean(path), unit, target: None, edition });
            }
            Err(e) => plan.problems.push(Problem { path: path.clone(), message: e.to_string() }),
        }
    }
    // In path order, each file once. One directory's walk is already in
    // order, which the sort sees in one pass.
    files.sort();
    files.dedup();
    plan.files = files;
    plan
}

/// The edition of the package in `unit`, its manifest read once (the
/// path is copied only for a package not seen before).
fn edition_of(editions: &mut std::collections::HashMap<PathBuf, Edition>, unit: &Path) -> Edition {
    if let Some(&edition) = editions.get(unit) {
        return edition;
    }
    let edition = manifest_edition(unit);
    editions.insert(unit.to_path_buf(), edition);
    edition
}

fn plan_workspace(cli: &LintArgs, cwd: &Path) -> Result<Plan, DiscoverError> {
    let manifest = match &cli.manifest_path {
        Some(path) if path.is_file() => path.clone(),
        Some(path) => return Err(DiscoverError::ManifestMissing { path: path.clone() }),
        None => find_manifest(cwd).ok_or_else(|| DiscoverError::NoManifest { dir: cwd.to_path_buf() })?,
    };
    let metadata = MetadataCommand::new()
        .manifest_path(&manifest)
        .no_deps()
        .other_options(vec!["--offline".to_owned()])
        .exec()
        .map_err(|e| DiscoverError::Metadata { manifest: manifest.clone(), message: metadata_message(e) })?;
    let root = metadata.workspace_root.clone().into_std_path_buf();
    let packages = select_packages(cli, &metadata, &manifest)?;
    let target_dir = Some(metadata.target_directory.clone().into_std_path_buf());
    let mut plan = Plan { root: root.clone(), target_dir, ..Plan::default() };
    let mut files = BTreeSet::new();
    for package in &packages {
        plan.packages.push(package.name.to_string());
        let unit = package.manifest_path.parent().map_or_else(|| root.clone(), |p| p.as_std_path().to_path_buf());
        let first_target = plan.targets.len();
        plan.targets.extend(package.targets.iter().map(|t| TargetInfo {
            package_id: package.id.repr.clone(),
            manifest_path: package.manifest_path.to_string(),
            name: t.name.clone(),
            kind: t.kind.iter().map(ToString::to_string).collect(),
            crate_types: t.crate_types.iter().map(ToString::to_string).collect(),
            src_path: t.src_path.to_string(),
            edition: t.edition.as_str().to_owned(),
            features: package.features.keys().cloned().collect(),
        }));
        for file in package_files(package, &mut plan.problems) {
            let display = file.strip_prefix(&root).map(Path::to_path_buf).unwrap_or_else(|_| file.clone());
            let target = target_of(package, &file);
            let edition = target.map_or(&package.edition, |i| &package.targets[i].edition);
            let edition = Edition::from_cargo(edition.as_str()).unwrap_or_default();
            let target = target.map(|i| first_target + i);
            files.insert(Entry { path: file, display, unit: unit.clone(), target, edition });
        }
    }
    plan.files = files.into_iter().collect();
    plan.links = crate_links(&packages, &metadata);
    Ok(plan)
}

/// The crates of the workspace each of `packages` may name: its own lib,
/// and the libs of the members it depends on by path (any kind of
/// dependency), by the names its code gives them.
fn crate_links(packages: &[&Package], metadata: &Metadata) -> Vec<CrateLink> {
    let dir_of = |package: &Package| {
        let dir = package.manifest_path.parent()?.as_std_path();
        Some(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
    };
    // A proc-macro's functions are never called at run time.
    let lib_of = |package: &Package| {
        let lib = package
            .targets
            .iter()
            .find(|t| t.kind.iter().any(|k| matches!(k, TargetKind::Lib | TargetKind::RLib | TargetKind::DyLib)))?;
        Some(lib.name.replace('-', "_"))
    };
    let members: Vec<(PathBuf, &Package)> =
        metadata.workspace_packages().into_iter().filter_map(|p| Some((dir_of(p)?, p))).collect();
    let mut links = Vec::new();
    for package in packages {
        // As `Entry::unit` names the package.
        let Some(from) = package.manifest_path.parent().map(|d| d.as_std_path().to_path_buf()) else { continue };
        if let Some(name) = lib_of(package) {
            links.push(CrateLink { from: from.clone(), name, to: from.clone() });
        }
        for dep in &package.dependencies {
            let Some(path) = &dep.path else { continue };
            let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.as_std_path().to_path_buf());
            let Some((_, member)) = members.iter().find(|(dir, _)| *dir == path) else { continue };
            let (Some(lib), Some(to)) = (lib_of(member), member.manifest_path.parent()) else { continue };
            let name = dep.rename.as_ref().map_or(lib, |rename| rename.replace('-', "_"));
            let link = CrateLink { from: from.clone(), name, to: to.as_std_path().to_path_buf() };
            if !links.contains(&link) {
                links.push(link);
            }
        }
    }
    links
}

/// The target directory of the cargo project `dir` is in, found without
/// running cargo: `CARGO_TARGET_DIR`, else `target/` beside the nearest
/// `Cargo.lock` above (a workspace root has one), else beside the nearest
/// `Cargo.toml`; `None` outside any cargo project.
fn target_dir_around(dir: &Path) -> Option<PathBuf> {
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(dir.join(target));
    }
    let beside = |file: &str| dir.ancestors().find(|d| d.join(file).is_file()).map(|d| d.join("target"));
    beside("Cargo.lock").or_else(|| beside("Cargo.toml"))
}

/// The root directory of the workspace the current directory is in (as
/// `cargo locate-project --workspace` finds it), or the current directory
/// when it is in no cargo package.
pub(crate) fn workspace_root_of_cwd() -> Result<PathBuf, DiscoverError> {
    let cwd = std::env::current_dir().map_err(DiscoverError::CurrentDir)?;
    let Some(manifest) = find_manifest(&cwd) else { return Ok(cwd) };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain", "--offline"])
        .current_dir(&cwd)
        .output();
    match output {
        Ok(out) if out.status.success() => {
            let root = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            Ok(root.parent().map_or(cwd, Path::to_path_buf))
        }
        Ok(out) => {
            Err(DiscoverError::Metadata { manifest, message: String::from_utf8_lossy(&out.stderr).into_owned() })
        }
        Err(e) => Err(DiscoverError::Metadata { manifest, message: format!("cannot run cargo: {e}") }),
    }
}

fn metadata_message(e: cargo_metadata::Error) -> String {
    match e {
        cargo_metadata::Error::CargoMetadata { stderr } => stderr,
        other => other.to_string(),
    }
}

fn find_manifest(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|dir| dir.join("Cargo.toml")).find(|m| m.is_file())
}

fn select_packages<'m>(
    cli: &LintArgs,
    metadata: &'m Metadata,
    manifest: &Path,
) -> Result<Vec<&'m Package>, DiscoverError> {
    let members = metadata.workspace_packages();
    let member_names = || members.iter().map(|p| p.name.to_string()).collect::<Vec<_>>();
    let find = |spec: &str| {
        let name = spec.split('@').next().unwrap_or(spec);
        members
            .iter()
            .copied()
            .find(|p| p.name.as_str() == name)
            .ok_or_else(|| DiscoverError::UnknownPackage { spec: spec.to_owned(), members: member_names() })
    };
    if !cli.package.is_empty() {
        return cli.package.iter().map(|spec| find(spec)).collect();
    }
    if cli.workspace {
        for spec in &cli.exclude {
            find(spec)?;
        }
        return Ok(members
            .into_iter()
            .filter(|p| !cli.exclude.iter().any(|e| e.split('@').next() == Some(p.name.as_str())))
            .collect());
    }
    // Like cargo: the package of the manifest we were pointed at, else the
    // workspace's default members, else all of them (a virtual manifest).
    let manifest = std::fs::canonicalize(manifest).unwrap_or_else(|_| manifest.to_path_buf());
    let current = members
        .iter()
        .copied()
        .find(|p| std::fs::canonicalize(p.manifest_path.as_std_path()).is_ok_and(|m| m == manifest));
    if let Some(package) = current {
        return Ok(vec![package]);
    }
    if metadata.workspace_default_members.is_available() {
        let defaults: Vec<&Package> =
            members.iter().copied().filter(|p| metadata.workspace_default_members.contains(&p.id)).collect();
        if !defaults.is_empty() {
            return Ok(defaults);
        }
    }
    Ok(members)
}

/// The target of `package` whose source directory holds `file` most
/// closely (the library first among equals).
fn target_of(package: &Package, file: &Path) -> Option<usize> {
    package
        .targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let dir = t.src_path.as_std_path().parent()?;
            let exact = t.src_path.as_std_path() == file;
            file.starts_with(dir).then_some((exact, dir.components().count(), t.kind.contains(&TargetKind::Lib), i))
        })
        .max_by_key(|&(exact, depth, lib, i)| (exact, depth, lib, std::cmp::Reverse(i)))
        .map(|(.., i)| i)
}

/// The `.rs` files of every target of a package.
fn package_files(package: &Package, problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    let Some(package_root) = package.manifest_path.parent().map(|p| p.as_std_path().to_path_buf()) else {
        return Vec::new();
    };
    let mut dirs = BTreeSet::new();
    let mut files = BTreeSet::new();
    for target in &package.targets {
        let src = target.src_path.as_std_path();
        if !src.starts_with(&package_root) {
            continue; // A target shared from outside the package belongs to someone else.
        }
        if target.kind.contains(&TargetKind::CustomBuild) {
            files.insert(src.to_path_buf()); // build.rs sits at the package root: don't walk it.
        } else if let Some(dir) = src.parent() {
            dirs.insert(dir.to_path_buf());
        }
    }
    for dir in &dirs {
        files.extend(walk_rs_files(dir, true, problems));
    }
    files.into_iter().collect()
}

/// `.rs` files under `dir`, skipping `target/`, hidden directories and, when
/// `skip_nested_packages`, directories with their own `Cargo.toml`.
fn walk_rs_files(dir: &Path, skip_nested_packages: bool, problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    let walker = WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter().filter_entry(|e| {
        if e.depth() == 0 || !e.file_type().is_dir() {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        !(name.starts_with('.') || name == "target" || skip_nested_packages && e.path().join("Cargo.toml").is_file())
    });
    let mut files = Vec::new();
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    for entry in walker {
        match entry {
            // Named pipes, sockets and devices go in too: reading says what
            // they are instead of leaving them out in silence.
            Ok(e)
                if !e.file_type().is_dir()
                    && !e.path_is_symlink()
                    && e.path().extension().is_some_and(|x| x == "rs") =>
            {
                files.push(e.into_path());
            }
            // Links are never followed (no loops, nothing outside the tree is
            // read). A linked file inside the tree is linted where it lives;
            // any other one is listed, not skipped in silence.
            Ok(e) if e.path_is_symlink() && e.path().extension().is_some_and(|x| x == "rs") => {
                let message = match std::fs::canonicalize(e.path()) {
                    Err(_) => Some("dangling symbolic link".to_owned()),
                    Ok(target) if !target.starts_with(&root) => Some(format!(
                        "a symbolic link to `{}`, outside `{}` (memlint does not follow links)",
                        target.display(),
                        dir.display()
                    )),
                    Ok(_) => None,
                };
                if let Some(message) = message {
                    problems.push(Problem { path: clean(e.path()), message });
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(Problem {
                path: clean(e.path().unwrap_or(dir)),
                message: e.io_error().map_or_else(|| e.to_string(), ToString::to_string),
            }),
        }
    }
    files
}

/// The edition of the package whose directory is `dir`, from its
/// `Cargo.toml` as cargo reads it: 2015 when the package names none (cargo's
/// default), 2021 when there is no package (or its manifest can't be read).
fn manifest_edition(dir: &Path) -> Edition {
    let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else { return Edition::default() };
    let Ok(manifest) = toml::de::DeTable::parse(&text) else { return Edition::default() };
    let Some(package) = manifest.get_ref().get("package").and_then(|p| p.get_ref().as_table()) else {
        return Edition::default();
    };
    match package.get("edition").map(|e| e.get_ref()) {
        None => Edition::E2015,
        Some(toml::de::DeValue::String(name)) => Edition::from_cargo(name).unwrap_or_default(),
        // `edition.workspace = true`: the workspace's, which path mode doesn't read.
        Some(_) => Edition::default(),
    }
}

/// The directory of the nearest `Cargo.toml` above `file`, or `arg` (the
/// path given on the command line) when there is none.
fn package_root_of(file: &Path, arg: &Path) -> PathBuf {
    file.ancestors()
        .skip(1)
        .find(|dir| dir.join("Cargo.toml").is_file())
        .map_or_else(|| arg.to_path_buf(), Path::to_path_buf)
}

/// `path` relative to the directory `dir`, also when one of them is reached
/// through a symlink; `None` when `path` is not under `dir`.
pub(crate) fn relative_to(path: &Path, dir: &Path) -> Option<PathBuf> {
    let path = std::path::absolute(path).ok()?;
    if let Ok(relative) = path.strip_prefix(dir) {
        return Some(relative.to_path_buf());
    }
    let (path, dir) = (std::fs::canonicalize(path).ok()?, std::fs::canonicalize(dir).ok()?);
    path.strip_prefix(dir).ok().map(Path::to_path_buf)
}

/// A path as the user would write it: without a leading `./`.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix(".").map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}
