//! The module tree of a package: the files the compiler reaches from each
//! target's root through `mod` declarations, and as what. A file's place
//! in the tree says whether it is compiled at all (a template or test data
//! under `src/` is not), whether it is test code (under a `#[cfg(test)]`
//! module, or of an integration test) or a build script, and whether it is
//! compiled only under some `#[cfg]` (a deliberately broken fragment behind
//! a feature check is no error of the crate's).

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Component, Path, PathBuf};

use lint_core::Role;
use lint_core::walk::modules::ModDecl;

/// Where a file was reached from, merged over every path that reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reach {
    /// What its code is: [`Role::Code`] when any path reaches it as code.
    pub(crate) role: Role,
    /// Whether every path to it passes a `#[cfg]` or a macro call.
    pub(crate) conditional: bool,
    /// Its module from its crate's root (`["a", "b"]` for `crate::a::b`);
    /// `None` when paths disagree (one file in two crates) or don't tell.
    pub(crate) module: Option<Vec<String>>,
}

impl Reach {
    /// A root file of a target.
    pub(crate) fn root(role: Role) -> Reach {
        Reach { role, conditional: false, module: Some(Vec::new()) }
    }

    fn merge(self, other: Reach) -> Reach {
        Reach {
            role: self.role.min(other.role),
            conditional: self.conditional && other.conditional,
            module: if self.module == other.module { self.module } else { None },
        }
    }
}

/// A target's root file.
#[derive(Debug, Clone)]
pub(crate) struct Root {
    pub(crate) path: PathBuf,
    pub(crate) role: Role,
    /// Whether its modules are in its own directory (a target's root);
    /// `None` when that is not known (a file given in path mode, which may
    /// be `src/bin/tool.rs` or `src/tool.rs`): both places are looked in.
    pub(crate) mod_rs: Option<bool>,
}

/// What the tree knows of a file.
pub(crate) enum Modules<'a> {
    /// Linted: its declarations.
    Declares(&'a [ModDecl]),
    /// Planned but not linted (it failed to parse, or `exclude` left it
    /// out): its modules are unknown, so every planned file below its
    /// directory of modules counts as reached through it.
    Unknown,
    /// Not planned: found by following a declaration to a file outside the
    /// walked directories; it must be linted before its modules are known.
    NotLinted,
}

/// Follows the declarations from `roots`; `modules` says what is known of a
/// file, `planned` are the files walked (to fall back on when a file's
/// modules are unknown), `exists` whether a candidate file exists.
pub(crate) fn reach<'a>(
    roots: &[Root],
    modules: impl Fn(&Path) -> Modules<'a>,
    planned: &BTreeSet<PathBuf>,
    exists: impl Fn(&Path) -> bool,
) -> HashMap<PathBuf, Reach> {
    let mut reached: HashMap<PathBuf, Reach> = HashMap::new();
    // Each file with the directories its modules are looked for in.
    let mut queue: VecDeque<(PathBuf, Reach, Vec<PathBuf>)> = roots
        .iter()
        .map(|root| {
            let path = normalize(&root.path);
            let dirs = module_dirs(&path, root.mod_rs);
            (path, Reach::root(root.role), dirs)
        })
        .collect();
    while let Some((file, reach, dirs)) = queue.pop_front() {
        let merged = match reached.get(&file) {
            Some(old) => old.clone().merge(reach),
            None => reach,
        };
        if reached.get(&file) == Some(&merged) {
            continue;
        }
        reached.insert(file.clone(), merged.clone());
        match modules(&file) {
            Modules::Declares(decls) => {
                for decl in decls {
                    let role = if decl.test && merged.role == Role::Code { Role::Test } else { merged.role };
                    // An included file's items are the includer's module's.
                    let module = merged.module.as_ref().map(|m| {
                        let mut m = m.clone();
                        m.extend(decl.inline.iter().cloned());
                        if !decl.include {
                            m.push(decl.name.clone());
                        }
                        m
                    });
                    let child = Reach { role, conditional: merged.conditional || decl.conditional, module };
                    for (path, conditional, mod_rs) in module_files(&file, &dirs, decl, &exists) {
                        // An included file's modules are the includer's.
                        let dirs = if decl.include { dirs.clone() } else { vec![child_dir(&path, mod_rs)] };
                        let child = Reach { conditional: child.conditional || conditional, ..child.clone() };
                        queue.push_back((path, child, dirs));
                    }
                }
            }
            Modules::Unknown => {
                let dir = &dirs[0];
                for path in planned.range(dir.clone()..).take_while(|p| p.starts_with(dir)) {
                    let mod_rs = path.file_name().is_some_and(|n| n == "mod.rs");
                    let unknown = Reach { module: None, ..merged.clone() };
                    queue.push_back((path.clone(), unknown, vec![child_dir(path, mod_rs)]));
                }
            }
            Modules::NotLinted => {}
        }
    }
    reached
}

/// The files `file`'s declarations name, of those that exist; `mod_rs` as
/// for [`Root::mod_rs`].
pub(crate) fn declared_files(
    file: &Path,
    mod_rs: Option<bool>,
    decls: &[ModDecl],
    exists: impl Fn(&Path) -> bool,
) -> Vec<PathBuf> {
    let dirs = module_dirs(file, mod_rs);
    decls.iter().flat_map(|decl| module_files(file, &dirs, decl, &exists)).map(|(path, ..)| path).collect()
}

/// Where a file's modules are looked for: its directory of modules, or
/// both candidates when it is not known whether it is a "mod-rs" file.
fn module_dirs(file: &Path, mod_rs: Option<bool>) -> Vec<PathBuf> {
    match mod_rs {
        Some(mod_rs) => vec![child_dir(file, mod_rs)],
        None => vec![child_dir(file, false), child_dir(file, true)],
    }
}

/// The directory where the modules a file declares live: its own for a
/// crate root, a `mod.rs` or a file loaded by `#[path]` ("mod-rs" files);
/// `dir/name/` for `dir/name.rs`.
fn child_dir(file: &Path, mod_rs: bool) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new(""));
    match file.file_stem() {
        Some(stem) if !mod_rs => dir.join(stem),
        _ => dir.to_path_buf(),
    }
}

/// The files a declaration in `file` names, with whether reaching them
/// takes a configuration (a `cfg_attr` path) and whether they are
/// "mod-rs" files: its `#[path]`, else each `cfg_attr` path and where the
/// module is without one (`name.rs`, else `name/mod.rs`, in the first of
/// `dirs` that has it). Only files that exist.
fn module_files(
    file: &Path,
    dirs: &[PathBuf],
    decl: &ModDecl,
    exists: &impl Fn(&Path) -> bool,
) -> Vec<(PathBuf, bool, bool)> {
    // `#[path]` and `include!` are relative to the declaring file's
    // directory; inside inline modules, to their directories.
    let relative = |path: &str| {
        let mut base = if decl.inline.is_empty() {
            file.parent().unwrap_or(Path::new("")).to_path_buf()
        } else {
            let mut dir = dirs[0].clone();
            dir.extend(&decl.inline);
            dir
        };
        base.push(path);
        normalize(&base)
    };
    if let Some(path) = &decl.path {
        let path = relative(path);
        return if exists(&path) { vec![(path, false, true)] } else { Vec::new() };
    }
    let mut found: Vec<(PathBuf, bool, bool)> =
        decl.cfg_paths.iter().map(|p| (relative(p), true, true)).filter(|(p, ..)| exists(p)).collect();
    let by_name = dirs.iter().find_map(|dir| {
        let mut dir = dir.clone();
        dir.extend(&decl.inline);
        let flat = dir.join(format!("{}.rs", decl.name));
        if exists(&flat) {
            return Some((flat, false));
        }
        let nested = dir.join(&decl.name).join("mod.rs");
        exists(&nested).then_some((nested, true))
    });
    found.extend(by_name.map(|(path, mod_rs)| (path, !decl.cfg_paths.is_empty(), mod_rs)));
    found
}

/// `a/b/../c` as `a/c`, `a/./b` as `a/b`: the paths of the tree are
/// compared as written (no file system look-ups for each edge).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(name: &str) -> ModDecl {
        ModDecl {
            name: name.to_owned(),
            path: None,
            cfg_paths: Vec::new(),
            include: false,
            inline: Vec::new(),
            test: false,
            conditional: false,
            line: 1,
        }
    }

    struct Tree {
        decls: HashMap<PathBuf, Vec<ModDecl>>,
        unknown: BTreeSet<PathBuf>,
        planned: BTreeSet<PathBuf>,
    }

    impl Tree {
        fn new(files: &[&str]) -> Tree {
            Tree {
                decls: HashMap::new(),
                unknown: BTreeSet::new(),
                planned: files.iter().map(|f| PathBuf::from("/p").join(f)).collect(),
            }
        }

        fn declares(mut self, file: &str, decls: Vec<ModDecl>) -> Tree {
            self.decls.insert(PathBuf::from("/p").join(file), decls);
            self
        }

        fn reach(&self, roots: &[(&str, Role)]) -> Vec<(String, Role, bool)> {
            self.reached(roots).into_iter().map(|(p, r)| (p, r.role, r.conditional)).collect()
        }

        /// Each reached file (relative) and how, sorted by path.
        fn reached(&self, roots: &[(&str, Role)]) -> Vec<(String, Reach)> {
            let roots: Vec<Root> = roots
                .iter()
                .map(|(p, role)| Root { path: PathBuf::from("/p").join(p), role: *role, mod_rs: Some(true) })
                .collect();
            let modules = |path: &Path| match self.decls.get(path) {
                Some(decls) => Modules::Declares(decls),
                None if self.unknown.contains(path) || self.planned.contains(path) => Modules::Unknown,
                None => Modules::NotLinted,
            };
            let found = reach(&roots, modules, &self.planned, |p| self.planned.contains(p));
            let mut out: Vec<(String, Reach)> = found
                .into_iter()
                .map(|(p, r)| (p.strip_prefix("/p").expect("inside").display().to_string(), r))
                .collect();
            out.sort_by(|a, b| a.0.cmp(&b.0));
            out
        }
    }

    #[test]
    fn each_file_is_the_module_its_declarations_make_it() {
        let mut in_inline = decl("e");
        in_inline.inline = vec!["inner".to_owned()];
        let tree =
            Tree::new(&["src/lib.rs", "src/a.rs", "src/a/b.rs", "src/inner/e.rs", "src/main.rs", "src/shared.rs"])
                .declares("src/lib.rs", vec![decl("a"), in_inline, decl("shared")])
                .declares("src/a.rs", vec![decl("b")])
                .declares("src/a/b.rs", vec![])
                .declares("src/inner/e.rs", vec![])
                .declares("src/shared.rs", vec![])
                // The binary declares the same file again, as another module.
                .declares("src/main.rs", vec![ModDecl { path: Some("shared.rs".to_owned()), ..decl("common") }]);
        let modules: Vec<(String, Option<String>)> = tree
            .reached(&[("src/lib.rs", Role::Code), ("src/main.rs", Role::Code)])
            .into_iter()
            .map(|(p, r)| (p, r.module.map(|m| m.join("::"))))
            .collect();
        let expected = [
            ("src/a.rs", Some("a")),
            ("src/a/b.rs", Some("a::b")),
            ("src/inner/e.rs", Some("inner::e")),
            ("src/lib.rs", Some("")),
            ("src/main.rs", Some("")),
            ("src/shared.rs", None),
        ];
        let expected: Vec<(String, Option<String>)> =
            expected.iter().map(|(p, m)| (p.to_string(), m.map(str::to_owned))).collect();
        assert_eq!(modules, expected);
    }

    #[test]
    fn files_are_reached_through_their_declarations() {
        let tree =
            Tree::new(&["src/lib.rs", "src/a.rs", "src/a/b.rs", "src/c/mod.rs", "src/c/d.rs", "src/template.rs"])
                .declares("src/lib.rs", vec![decl("a"), decl("c")])
                .declares("src/a.rs", vec![decl("b")])
                .declares("src/a/b.rs", vec![])
                .declares("src/c/mod.rs", vec![decl("d"), decl("missing")])
                .declares("src/c/d.rs", vec![])
                .declares("src/template.rs", vec![]);
        assert_eq!(
            tree.reach(&[("src/lib.rs", Role::Code)]),
            [
                ("src/a.rs".to_owned(), Role::Code, false),
                ("src/a/b.rs".to_owned(), Role::Code, false),
                ("src/c/d.rs".to_owned(), Role::Code, false),
                ("src/c/mod.rs".to_owned(), Role::Code, false),
                ("src/lib.rs".to_owned(), Role::Code, false),
            ]
        );
    }

    #[test]
    fn test_modules_conditions_and_paths() {
        let tests = ModDecl { test: true, ..decl("tests") };
        let gated = ModDecl { conditional: true, ..decl("gated") };
        let pathed = ModDecl { path: Some("../shared/util.rs".to_owned()), ..decl("util") };
        let inline = ModDecl { inline: vec!["outer".to_owned()], ..decl("inner") };
        let tree = Tree::new(&[
            "src/main.rs",
            "src/tests.rs",
            "src/tests/helper.rs",
            "src/gated.rs",
            "shared/util.rs",
            "src/outer/inner.rs",
        ])
        .declares("src/main.rs", vec![tests, gated, pathed, inline])
        .declares("src/tests.rs", vec![decl("helper")])
        .declares("src/tests/helper.rs", vec![])
        .declares("src/gated.rs", vec![])
        .declares("shared/util.rs", vec![])
        .declares("src/outer/inner.rs", vec![]);
        assert_eq!(
            tree.reach(&[("src/main.rs", Role::Code)]),
            [
                ("shared/util.rs".to_owned(), Role::Code, false),
                ("src/gated.rs".to_owned(), Role::Code, true),
                ("src/main.rs".to_owned(), Role::Code, false),
                ("src/outer/inner.rs".to_owned(), Role::Code, false),
                ("src/tests.rs".to_owned(), Role::Test, false),
                ("src/tests/helper.rs".to_owned(), Role::Test, false),
            ]
        );
    }

    /// procs' `include!("./columns/os_linux.rs")` in `src/columns.rs`, whose
    /// `mod`s are in `src/columns/`; tempfile's per-platform `cfg_attr` paths.
    #[test]
    fn included_files_and_platform_paths() {
        let include = ModDecl { include: true, path: Some("./columns/os_linux.rs".to_owned()), ..decl("") };
        let platform = ModDecl { cfg_paths: vec!["unix.rs".to_owned(), "windows.rs".to_owned()], ..decl("platform") };
        let tree = Tree::new(&[
            "src/main.rs",
            "src/columns.rs",
            "src/columns/os_linux.rs",
            "src/columns/arch.rs",
            "src/imp/mod.rs",
            "src/imp/unix.rs",
            "src/imp/windows.rs",
        ])
        .declares("src/main.rs", vec![decl("columns"), decl("imp")])
        .declares("src/columns.rs", vec![include])
        .declares("src/columns/os_linux.rs", vec![decl("arch")])
        .declares("src/columns/arch.rs", vec![])
        .declares("src/imp/mod.rs", vec![platform])
        .declares("src/imp/unix.rs", vec![])
        .declares("src/imp/windows.rs", vec![]);
        assert_eq!(
            tree.reach(&[("src/main.rs", Role::Code)]),
            [
                ("src/columns.rs".to_owned(), Role::Code, false),
                ("src/columns/arch.rs".to_owned(), Role::Code, false),
                ("src/columns/os_linux.rs".to_owned(), Role::Code, false),
                ("src/imp/mod.rs".to_owned(), Role::Code, false),
                ("src/imp/unix.rs".to_owned(), Role::Code, true),
                ("src/imp/windows.rs".to_owned(), Role::Code, true),
                ("src/main.rs".to_owned(), Role::Code, false),
            ]
        );
    }

    #[test]
    fn a_file_reached_as_code_and_as_test_is_code() {
        let tree = Tree::new(&["src/lib.rs", "tests/it.rs", "src/util.rs"])
            .declares("src/lib.rs", vec![ModDecl { conditional: true, ..decl("util") }])
            .declares("tests/it.rs", vec![ModDecl { path: Some("../src/util.rs".to_owned()), ..decl("util") }])
            .declares("src/util.rs", vec![]);
        let reached = tree.reach(&[("tests/it.rs", Role::Test), ("src/lib.rs", Role::Code)]);
        assert!(reached.contains(&("src/util.rs".to_owned(), Role::Code, false)), "{reached:?}");
    }

    #[test]
    fn below_a_file_whose_modules_are_unknown_everything_is_reached() {
        // lib.rs did not parse: its modules are linted as before, not lost.
        let tree = Tree::new(&["src/lib.rs", "src/a.rs", "src/a/b.rs", "build.rs"]).declares("src/a.rs", vec![]);
        let reached = tree.reach(&[("src/lib.rs", Role::Code)]);
        let files: Vec<&str> = reached.iter().map(|(p, ..)| p.as_str()).collect();
        assert_eq!(files, ["src/a.rs", "src/a/b.rs", "src/lib.rs"]);
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(normalize(Path::new("/p/src/./a/../b.rs")), PathBuf::from("/p/src/b.rs"));
        assert_eq!(normalize(Path::new("../x.rs")), PathBuf::from("../x.rs"));
    }
}
