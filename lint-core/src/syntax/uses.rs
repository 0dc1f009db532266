//! Where a name a file's code uses comes from, as its `use` items say:
//! from inside the crate (`crate::`, `self::`, `super::`, or a module the
//! file declares), from another crate of the workspace, or from outside
//! (a dependency, std). The semantic model resolves a call or a type to an
//! item of the crate only when no import says it is something else.

use syn::{Item, UseTree};

/// Where an imported name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An item of the crate.
    Crate,
    /// Another crate (std included).
    Outside,
    /// Another crate of the workspace (its lib named as the code names
    /// it): its public functions are known once every crate is linted.
    /// Its types are not the crate's: to everything but function calls
    /// this is [`Origin::Outside`].
    Workspace,
}

/// The file's imports, read once.
#[derive(Debug, Default)]
pub struct Imports {
    /// Names imported (or renamed to), where from, and the path imported
    /// (`crate::a::f` for `use crate::a::f as g;`, `::shapes::f` for
    /// `use shapes::f;` from the workspace's crate `shapes`, `None` once a
    /// name is imported twice); a name imported twice from different
    /// places is [`Origin::Outside`] (not certain).
    names: Vec<(String, Origin, Option<Vec<String>>)>,
    /// Whether a glob import from outside the crate (`use rayon::prelude::*`)
    /// may bring in any name.
    pub outside_glob: bool,
    /// The modules the file declares (`mod x;`, `mod x { .. }`).
    local_mods: Vec<String>,
    /// The other crates of the workspace the file may name.
    workspace: Vec<String>,
}

impl Imports {
    /// Reads the `use` items of `items` and of their inline modules;
    /// `workspace` names the other crates of the workspace the code may
    /// use (as it names them: `shapes` for the package `shapes-core` whose
    /// lib is `shapes`).
    pub fn of(items: &[Item], workspace: &[String]) -> Imports {
        let mut imports = Imports { workspace: workspace.to_vec(), ..Imports::default() };
        collect_mods(items, &mut imports.local_mods);
        imports.add(items);
        imports
    }

    fn add(&mut self, items: &[Item]) {
        for item in items {
            match item {
                Item::Use(u) => self.tree(&u.tree, None, &mut Vec::new()),
                Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        self.add(items);
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether a path starting with `first` leads into another crate of
    /// the workspace (no module of the file shadows the name).
    fn is_workspace_crate(&self, first: &str) -> bool {
        self.workspace.iter().any(|c| c == first) && !self.local_mods.iter().any(|m| m == first)
    }

    fn tree(&mut self, tree: &UseTree, root: Option<Origin>, prefix: &mut Vec<String>) {
        let origin_of = |first: &syn::Ident| match root {
            Some(origin) => origin,
            None if first == "crate" || first == "self" || first == "super" => Origin::Crate,
            None if self.local_mods.iter().any(|m| first == m) => Origin::Crate,
            None if self.is_workspace_crate(&first.to_string()) => Origin::Workspace,
            None => Origin::Outside,
        };
        let path = |prefix: &[String], name: &syn::Ident| {
            let mut path = prefix.to_vec();
            path.push(name.to_string());
            path
        };
        match tree {
            UseTree::Path(p) => {
                let origin = origin_of(&p.ident);
                let segment = match (root, origin) {
                    (None, Origin::Workspace) => format!("::{}", p.ident),
                    _ => p.ident.to_string(),
                };
                prefix.push(segment);
                self.tree(&p.tree, Some(origin), prefix);
                prefix.pop();
            }
            // `use crate::a::{self}` imports the module `a`.
            UseTree::Name(n) if n.ident == "self" => {
                if let Some(module) = prefix.last() {
                    self.record(module.clone(), root.unwrap_or(Origin::Outside), prefix.clone());
                }
            }
            UseTree::Name(n) => {
                self.record(n.ident.to_string(), root.unwrap_or(Origin::Outside), path(prefix, &n.ident))
            }
            UseTree::Rename(r) => {
                self.record(r.rename.to_string(), root.unwrap_or(Origin::Outside), path(prefix, &r.ident));
            }
            UseTree::Glob(_) => self.outside_glob |= root != Some(Origin::Crate),
            UseTree::Group(g) => g.items.iter().for_each(|t| self.tree(t, root, prefix)),
        }
    }

    fn record(&mut self, name: String, origin: Origin, path: Vec<String>) {
        match self.names.iter_mut().find(|(n, ..)| *n == name) {
            Some((_, existing, known)) => {
                if *existing != origin {
                    *existing = Origin::Outside;
                }
                if known.as_ref() != Some(&path) {
                    *known = None;
                }
            }
            None => self.names.push((name, origin, Some(path))),
        }
    }

    /// Where the file imports `name` from, if it imports it.
    pub fn origin(&self, name: &str) -> Option<Origin> {
        self.names.iter().find(|(n, ..)| n == name).map(|&(_, origin, _)| origin)
    }

    /// The path of the item of the crate the file imports as `name`
    /// (`["crate", "a", "f"]` for `use crate::a::f;`, the original name
    /// last), when it is one import of the crate's.
    pub fn crate_path(&self, name: &str) -> Option<&[String]> {
        match self.names.iter().find(|(n, ..)| n == name)? {
            (_, Origin::Crate, Some(path)) => Some(path),
            _ => None,
        }
    }

    /// The full path of what the file imports as `name`, from wherever
    /// (`["std", "sync", "mpsc"]` for `use std::sync::mpsc;`), when it is
    /// imported once.
    pub fn path_of(&self, name: &str) -> Option<&[String]> {
        self.names.iter().find(|(n, ..)| n == name)?.2.as_deref()
    }

    /// The path of the item of another crate of the workspace the file
    /// imports as `name` (`["::shapes", "area"]` for `use shapes::area;`).
    pub fn workspace_path(&self, name: &str) -> Option<&[String]> {
        match self.names.iter().find(|(n, ..)| n == name)? {
            (_, Origin::Workspace, Some(path)) => Some(path),
            _ => None,
        }
    }

    /// The name a type of another crate of the workspace goes by here,
    /// qualified with the crate as the code names it (`::shapes::Circle` for
    /// `Circle` after `use shapes::geo::Circle;`, or for `shapes::geo::Circle`):
    /// types of different crates may share a name, and a crate's types are
    /// found by name.
    pub fn workspace_type(&self, path: &syn::Path) -> Option<String> {
        let first = path.segments.first()?.ident.to_string();
        let (krate, own) = match path.segments.len() {
            // Imported, perhaps renamed: its own name is the path's last.
            1 => match self.workspace_path(&first)? {
                [krate, .., own] => (krate.clone(), own.clone()),
                _ => return None,
            },
            _ => (self.crate_module_path(&first)?.into_iter().next()?, path.segments.last()?.ident.to_string()),
        };
        krate.starts_with("::").then(|| format!("{krate}::{own}"))
    }

    /// The module path a path starting with `first` goes through, when it
    /// starts in the crate: `crate`/`self`/`super` as they are, a module
    /// the file declares as `self::first`, an import of the crate as its
    /// path (`use crate::a::b;` makes `b::f` go through `crate::a::b`).
    /// A path into another crate of the workspace (`shapes::area`, or
    /// through a module imported from it) starts at `::shapes`.
    pub fn crate_module_path(&self, first: &str) -> Option<Vec<String>> {
        match first {
            "crate" | "self" | "super" => Some(vec![first.to_owned()]),
            _ if self.local_mods.iter().any(|m| m == first) && self.origin(first).is_none() => {
                Some(vec!["self".to_owned(), first.to_owned()])
            }
            _ if self.is_workspace_crate(first) && self.origin(first).is_none() => Some(vec![format!("::{first}")]),
            _ => self.crate_path(first).or_else(|| self.workspace_path(first)).map(<[String]>::to_vec),
        }
    }

    /// Whether a path starting with `first` (`model::Point`) certainly
    /// names an item of the crate: `crate`, `self`, `super`, a module the
    /// file declares, or a name imported from inside the crate.
    pub fn starts_in_crate(&self, first: &str) -> bool {
        matches!(first, "crate" | "self" | "super")
            || self.local_mods.iter().any(|m| m == first)
            || self.origin(first) == Some(Origin::Crate)
    }

    /// Whether `name` may be an item of another crate here: imported from
    /// outside (the workspace's other crates included), or possibly
    /// brought in by a glob from outside.
    pub fn may_be_foreign(&self, name: &str) -> bool {
        match self.origin(name) {
            Some(origin) => origin != Origin::Crate,
            None => self.outside_glob,
        }
    }
}

fn collect_mods(items: &[Item], out: &mut Vec<String>) {
    for item in items {
        if let Item::Mod(m) = item {
            out.push(m.ident.to_string());
            if let Some((_, items)) = &m.content {
                collect_mods(items, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Imports, Origin};

    fn imports(code: &str) -> Imports {
        Imports::of(&syn::parse_file(code).unwrap().items, &["shapes".to_owned()])
    }

    #[test]
    fn crate_paths_and_declared_modules_are_the_crate() {
        let i = imports(
            "mod util; use crate::a::Key; use super::b::{open as op, Other}; use util::helper; use regex::Regex; use std::fs;",
        );
        assert_eq!(i.origin("Key"), Some(Origin::Crate));
        assert_eq!(i.origin("op"), Some(Origin::Crate));
        assert_eq!(i.origin("Other"), Some(Origin::Crate));
        assert_eq!(i.origin("helper"), Some(Origin::Crate));
        assert_eq!(i.origin("Regex"), Some(Origin::Outside));
        assert_eq!(i.origin("fs"), Some(Origin::Outside));
        assert!(!i.may_be_foreign("Key"));
        assert!(!i.may_be_foreign("Unimported"));
    }

    #[test]
    fn paths_into_the_workspaces_other_crates_start_at_their_name() {
        let i = imports("use shapes::{area, geo::Circle as C}; use shapes::geo; use regex::Regex;");
        assert_eq!(i.origin("area"), Some(Origin::Workspace));
        assert_eq!(i.workspace_path("area"), Some(&["::shapes".to_owned(), "area".to_owned()][..]));
        assert_eq!(i.workspace_path("C").map(<[String]>::len), Some(3));
        assert_eq!(i.crate_path("area"), None);
        // Its types are not the crate's.
        assert!(i.may_be_foreign("C"));
        assert!(!i.starts_in_crate("shapes"));
        assert_eq!(i.crate_module_path("shapes"), Some(vec!["::shapes".to_owned()]));
        assert_eq!(i.crate_module_path("geo"), Some(vec!["::shapes".to_owned(), "geo".to_owned()]));
        assert_eq!(i.crate_module_path("regex"), None);
        // A module of the file named like the crate is the module.
        let i = imports("mod shapes; use shapes::area;");
        assert_eq!(i.origin("area"), Some(Origin::Crate));
        assert_eq!(i.crate_module_path("shapes"), Some(vec!["self".to_owned(), "shapes".to_owned()]));
        // A glob from it may bring in any name.
        assert!(imports("use shapes::*;").may_be_foreign("area"));
    }

    #[test]
    fn outside_globs_make_every_unimported_name_uncertain() {
        let i = imports("use super::*; use crate::prelude::*;");
        assert!(!i.may_be_foreign("tag"));
        let i = imports("use nom::*; use crate::a::Key;");
        assert!(i.may_be_foreign("tag"));
        assert!(!i.may_be_foreign("Key"));
        let i = imports("use crate::a::Key; mod m { use other::Key; }");
        assert!(i.may_be_foreign("Key"));
    }
}
