//! Where a name a file's code uses comes from, as its `use` items say:
//! from inside the crate (`crate::`, `self::`, `super::`, or a module the
//! file declares) or from outside it (a dependency, std). The semantic
//! model resolves a call or a type to an item of the crate only when no
//! import says it is something else.

use syn::{Item, UseTree};

/// Where an imported name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An item of the crate.
    Crate,
    /// Another crate (std included).
    Outside,
}

/// The file's imports, read once.
#[derive(Debug, Default)]
pub struct Imports {
    /// Names imported (or renamed to) and where from; a name imported twice
    /// from different places is [`Origin::Outside`] (not certain).
    names: Vec<(String, Origin)>,
    /// Whether a glob import from outside the crate (`use rayon::prelude::*`)
    /// may bring in any name.
    pub outside_glob: bool,
    /// The modules the file declares (`mod x;`, `mod x { .. }`).
    local_mods: Vec<String>,
}

impl Imports {
    /// Reads the `use` items of `items` and of their inline modules.
    pub fn of(items: &[Item]) -> Imports {
        let mut imports = Imports::default();
        let mut local_mods = Vec::new();
        collect_mods(items, &mut local_mods);
        imports.add(items, &local_mods);
        imports.local_mods = local_mods;
        imports
    }

    fn add(&mut self, items: &[Item], local_mods: &[String]) {
        for item in items {
            match item {
                Item::Use(u) => self.tree(&u.tree, None, local_mods),
                Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        self.add(items, local_mods);
                    }
                }
                _ => {}
            }
        }
    }

    fn tree(&mut self, tree: &UseTree, root: Option<Origin>, local_mods: &[String]) {
        let origin_of = |first: &syn::Ident| match root {
            Some(origin) => origin,
            None if first == "crate" || first == "self" || first == "super" => Origin::Crate,
            None if local_mods.iter().any(|m| first == m) => Origin::Crate,
            None => Origin::Outside,
        };
        match tree {
            UseTree::Path(p) => self.tree(&p.tree, Some(origin_of(&p.ident)), local_mods),
            UseTree::Name(n) => self.record(n.ident.to_string(), root.unwrap_or(Origin::Outside)),
            UseTree::Rename(r) => self.record(r.rename.to_string(), root.unwrap_or(Origin::Outside)),
            UseTree::Glob(_) => self.outside_glob |= root != Some(Origin::Crate),
            UseTree::Group(g) => g.items.iter().for_each(|t| self.tree(t, root, local_mods)),
        }
    }

    fn record(&mut self, name: String, origin: Origin) {
        match self.names.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) if *existing != origin => *existing = Origin::Outside,
            Some(_) => {}
            None => self.names.push((name, origin)),
        }
    }

    /// Where the file imports `name` from, if it imports it.
    pub fn origin(&self, name: &str) -> Option<Origin> {
        self.names.iter().find(|(n, _)| n == name).map(|&(_, origin)| origin)
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
    /// outside, or possibly brought in by a glob from outside.
    pub fn may_be_foreign(&self, name: &str) -> bool {
        match self.origin(name) {
            Some(origin) => origin == Origin::Outside,
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
        Imports::of(&syn::parse_file(code).unwrap().items)
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
