//! Type aliases: `type Map = HashMap<String, u32>;`, and the generic
//! `type Result<T> = std::result::Result<T, Error>;` most crates declare.
//! A written type naming an alias is read as what the alias stands for,
//! its arguments put in for its parameters: by the file phase for the
//! file's own aliases ([`FileTypes`]), by the crate phase for the others
//! ([`super::ty::Ty::Alias`], [`AliasItem`]).

use std::cell::Cell;
use std::collections::{HashMap, HashSet};

use syn::Item;

use super::ty::Ty;

/// A type alias of the crate, as the crate index keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AliasItem {
    /// Its name.
    pub name: String,
    /// Its type parameters, which are [`Ty::Var`]s in `ty`.
    pub params: Vec<String>,
    /// What it stands for.
    pub ty: Ty,
}

impl AliasItem {
    /// What the alias stands for with `args` for its parameters; `None`
    /// when the count differs (a defaulted parameter left out).
    pub fn apply(&self, args: &[Ty]) -> Option<Ty> {
        if args.len() != self.params.len() {
            return None;
        }
        let bound: Vec<(String, Ty)> = self.params.iter().cloned().zip(args.iter().cloned()).collect();
        Some(self.ty.substitute(&bound))
    }
}

/// How deep aliases may name other aliases.
const MAX_DEPTH: u32 = 8;

/// The type names a file declares: its aliases, and its structs, enums
/// and unions (a name declared twice is ambiguous and left unread).
#[derive(Debug, Default)]
pub struct FileTypes<'ast> {
    aliases: HashMap<String, Option<&'ast syn::ItemType>>,
    defined: HashSet<String>,
    /// How deep an expansion is (an alias naming itself ends).
    depth: Cell<u32>,
}

impl<'ast> FileTypes<'ast> {
    /// Reads the type items of `items` and of their inline modules (test code left out).
    pub fn of(items: &'ast [Item]) -> Self {
        let mut types = FileTypes::default();
        types.add(items);
        types
    }

    fn add(&mut self, items: &'ast [Item]) {
        for item in items {
            match item {
                Item::Type(t) if !crate::syntax::test_modules::has_cfg_test(&t.attrs) => {
                    let name = t.ident.to_string();
                    let ambiguous = self.aliases.contains_key(&name);
                    self.aliases.insert(name, if ambiguous { None } else { Some(t) });
                }
                Item::Struct(s) => {
                    self.defined.insert(s.ident.to_string());
                }
                Item::Enum(e) => {
                    self.defined.insert(e.ident.to_string());
                }
                Item::Union(u) => {
                    self.defined.insert(u.ident.to_string());
                }
                Item::Mod(m) if !crate::syntax::test_modules::has_cfg_test(&m.attrs) => {
                    if let Some((_, items)) = &m.content {
                        self.add(items);
                    }
                }
                _ => {}
            }
        }
    }

    /// The file's aliases.
    pub fn aliases(&self) -> impl Iterator<Item = &'ast syn::ItemType> + '_ {
        self.aliases.values().filter_map(|a| *a)
    }

    /// What the crate type `name<args>` is, when the file says: the file's
    /// own struct or enum of that name, or what its alias stands for, read
    /// by `read(ty, params)` (its parameters as [`Ty::Var`]s).
    pub fn crate_type(&self, name: &str, args: &[Ty], read: &dyn Fn(&syn::Type, &[String]) -> Ty) -> Option<Ty> {
        if self.defined.contains(name) {
            return (!self.aliases.contains_key(name)).then(|| Ty::Adt(name.to_owned()));
        }
        let alias = (*self.aliases.get(name)?)?;
        let depth = self.depth.get();
        if depth > MAX_DEPTH {
            return Some(Ty::Unknown);
        }
        self.depth.set(depth + 1);
        let item = alias_item(alias, read);
        self.depth.set(depth);
        Some(item.apply(args).unwrap_or(Ty::Unknown))
    }
}

/// An alias read into the crate index's form.
pub fn alias_item(alias: &syn::ItemType, read: &dyn Fn(&syn::Type, &[String]) -> Ty) -> AliasItem {
    let params: Vec<String> = alias.generics.type_params().map(|p| p.ident.to_string()).collect();
    // A lifetime or const parameter changes how arguments line up: not read.
    let plain = alias.generics.params.len() == params.len();
    let ty = if plain { read(&alias.ty, &params) } else { Ty::Unknown };
    AliasItem { name: alias.ident.to_string(), params, ty }
}
