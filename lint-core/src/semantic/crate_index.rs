//! The crate index: what every file of a crate contributes ([`FileItems`]),
//! joined once every file is in, and the questions the crate phase asks of
//! it. A finding that depends on a function of another file carries a
//! [`Condition`], decided here as seen from the module of the file it is in:
//! a call through a module path (`crate::a::f`, `use super::f`) finds
//! the function of that module, following `pub use` re-exports; a bare
//! name finds the one function of that name visible there (public, or
//! private to a module around it). A call into another crate of the
//! workspace (`use shapes::area;`) waits for that crate's index
//! ([`WorkspaceCrates`]) and sees only its public functions; their types
//! cross over only when no type of that crate is in them ([`Ty::is_crate_neutral`]).

use std::collections::{HashMap, HashSet};

use super::aliases::AliasItem;
use super::index::{FileItems, FnItem, Trait};
use super::modules::absolute;
use super::std_table::{Borrows, Param};
use super::ty::{CallKey, Ty, workspace_type};
use crate::layout::TypeIndex;

/// Which parameters take what a copy is made of without the copy: a
/// reference to one of `refs` (`&str`, which `&String` coerces to), a
/// generic `AsRef` of one of `as_ref`, or a `Deref<Target = ..>` of one of `deref`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fit {
    /// Types `T` for which a `&T` parameter fits.
    pub refs: Vec<Ty>,
    /// `X` for which an `AsRef<X>` parameter fits.
    pub as_ref: Vec<Ty>,
    /// `X` for which a `Deref<Target = X>` parameter fits.
    pub deref: Vec<Ty>,
}

impl Fit {
    /// Whether `param` takes the value.
    pub fn fits(&self, param: &Param) -> bool {
        let same = |a: &Ty, b: &Ty| a == b || matches!((a, b), (Ty::Slice(_), Ty::Slice(_)));
        match &param.borrows {
            Some(Borrows::AsRef(t)) => self.as_ref.iter().any(|x| same(x, t)),
            Some(Borrows::Deref(t)) => self.deref.iter().any(|x| same(x, t)),
            None => match &param.ty {
                Ty::Ref(false, inner) => self.refs.iter().any(|x| same(x, inner)),
                _ => false,
            },
        }
    }
}

/// A function of the crate a call reaches, as the file phase knows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Callee {
    /// Called by path (`Key::new`, `open`), or as a method of a type the file names.
    Key(CallKey),
    /// A method called on a receiver of a deferred type ([`Ty::is_deferred`]).
    Method {
        /// The receiver's type.
        receiver: Ty,
        /// The method.
        name: String,
    },
}

impl std::fmt::Display for Callee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Callee::Key(key) => write!(f, "{key}"),
            Callee::Method { name, .. } => write!(f, "{name}"),
        }
    }
}

/// What a finding needs of a function of another file of the crate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Condition {
    /// The deferred type `of` (what a function of the crate returns, a
    /// field of its struct) turns out to be one of the std types
    /// `std_names`, or, with `crate_type`, a type of the crate whose clone
    /// is a deep copy ([`CrateIndex::clones_deeply`]).
    TypeIs {
        /// The deferred type.
        of: Ty,
        /// Std heap owners that qualify (`String`, `Vec`, ..).
        std_names: Vec<String>,
        /// Whether a type of the crate that clones deeply qualifies.
        crate_type: bool,
    },
    /// The deferred type `receiver` turns out to be a std map or set whose
    /// keys are not references: its lookups take any borrowed form of the key.
    KeyedLookup {
        /// The map's or set's type.
        receiver: Ty,
    },
    /// A `clone()` of a value of the deferred or crate type `of` copies a
    /// heap buffer: a std heap owner, or a type of the crate that
    /// implements `Clone` (not `Copy`) with such a field.
    ClonesHeap {
        /// The type.
        of: Ty,
    },
    /// Parameter `param` of the crate's one function `callee` takes the
    /// borrowed form a copy was made of.
    TakesBorrowed {
        /// The function.
        callee: Callee,
        /// The parameter (`self` counted).
        param: usize,
        /// What fits.
        fit: Fit,
    },
}

impl Callee {
    /// The other crates of the workspace it is a function of.
    fn other_crates(&self) -> Vec<&str> {
        match self {
            Callee::Key(key) => key.other_crate().map(|(name, _)| name).into_iter().collect(),
            Callee::Method { receiver, .. } => receiver.other_crates(),
        }
    }
}

impl Condition {
    /// The other crates of the workspace whose functions it needs: only
    /// [`Linter::finish_workspace`](crate::Linter::finish_workspace) decides it.
    pub fn other_crates(&self) -> Vec<&str> {
        match self {
            Condition::TypeIs { of, .. } | Condition::ClonesHeap { of } => of.other_crates(),
            Condition::KeyedLookup { receiver } => receiver.other_crates(),
            Condition::TakesBorrowed { callee, .. } => callee.other_crates(),
        }
    }
}

/// The indexes of the other crates of the workspace a crate's code names,
/// by the names it gives them (`shapes` for `use shapes::area;`).
#[derive(Debug, Default)]
pub struct WorkspaceCrates<'a> {
    crates: HashMap<String, &'a CrateIndex>,
}

impl<'a> WorkspaceCrates<'a> {
    /// Adds the crate the code calls `name`.
    pub fn insert(&mut self, name: impl Into<String>, index: &'a CrateIndex) {
        self.crates.insert(name.into(), index);
    }

    /// Whether it holds every crate `condition` needs: else the condition
    /// is undecided (a crate not linted in this run), neither true nor false.
    pub fn decides(&self, condition: &Condition) -> bool {
        condition.other_crates().iter().all(|name| self.crates.contains_key(*name))
    }

    /// The index of the crate the code calls `name`, as code outside it
    /// sees it (public items only).
    fn seen_outside(&self, name: &str) -> Option<Lookup<'a>> {
        Some(self.crates.get(name)?.seen_from(None))
    }
}

/// A function of the crate and where it is.
#[derive(Debug)]
struct Candidate {
    /// Its module from the crate's root; `None` when its file's place in
    /// the module tree is not known.
    module: Option<Vec<String>>,
    item: FnItem,
}

/// The crate's functions by how they are called, its structs' fields by
/// struct name, its type definitions, trait implementations and `pub use`
/// re-exports. Ask it from a module ([`CrateIndex::seen_from`]).
#[derive(Debug, Default)]
pub struct CrateIndex {
    by_key: HashMap<CallKey, Vec<Candidate>>,
    structs: HashMap<String, Option<Vec<(String, Ty)>>>,
    /// The type definitions, and the layout estimator over them.
    types: TypeIndex,
    /// What each type name implements (of [`Trait`]), with the arguments.
    impls: HashMap<String, Vec<(Trait, Option<Ty>)>>,
    /// Methods of trait implementations, by type.
    trait_methods: HashSet<CallKey>,
    /// `pub use` items by module: the name (or `*`) and the path it stands
    /// for, from the root.
    reexports: HashMap<Vec<String>, Vec<(String, Vec<String>)>>,
    /// Type aliases by name; `None` when two share it.
    aliases: HashMap<String, Option<AliasItem>>,
    /// Traits' methods by trait name; `None` when two traits share it.
    traits: HashMap<String, Option<Vec<FnItem>>>,
    /// The traits (by name) each type (by name) implements.
    implemented: HashMap<String, Vec<String>>,
    /// Whether the files' places in the module tree are known.
    placed: bool,
}

/// How deep resolution follows deferred types and re-exports.
const MAX_DEPTH: u32 = 16;

impl CrateIndex {
    /// Indexes the items of the crate's files, each with its module path
    /// (`None` when not known).
    pub fn new(files: impl IntoIterator<Item = (Option<Vec<String>>, FileItems)>) -> Self {
        let mut index = CrateIndex::default();
        let mut types = Vec::new();
        let mut ffi = Vec::new();
        for (file_module, file) in files {
            index.placed |= file_module.is_some();
            let module_of = |inline: &[String]| {
                file_module.as_ref().map(|m| m.iter().chain(inline).cloned().collect::<Vec<String>>())
            };
            for f in file.fns {
                let module = module_of(&f.module);
                index.by_key.entry(f.key.bare()).or_default().push(Candidate { module, item: f });
            }
            for r in file.reexports {
                let Some(module) = module_of(&r.module) else { continue };
                if let Some(target) = absolute(&r.target, Some(&module)) {
                    index.reexports.entry(module).or_default().push((r.name, target));
                }
            }
            for t in file.traits {
                index.traits.entry(t.name).and_modify(|e| *e = None).or_insert(Some(t.methods));
            }
            for (ty, tr) in file.implemented {
                index.implemented.entry(ty).or_default().push(tr);
            }
            for a in file.aliases {
                index.aliases.entry(a.name.clone()).and_modify(|e| *e = None).or_insert(Some(a));
            }
            for s in file.structs {
                index.structs.entry(s.name).and_modify(|e| *e = None).or_insert(Some(s.fields));
            }
            for i in file.impls {
                index.impls.entry(i.ty).or_default().push((i.tr, i.arg));
            }
            index.trait_methods.extend(file.trait_methods);
            // Derives, of types at any depth (a struct declared in a fn body too).
            for def in &file.types {
                let derived = [def.copy.then_some(Trait::Copy), def.clone.then_some(Trait::Clone)];
                for tr in derived.into_iter().flatten() {
                    index.impls.entry(def.name.clone()).or_default().push((tr, None));
                }
            }
            types.extend(file.types);
            ffi.extend(file.ffi_types);
        }
        index.types = TypeIndex::new(types).with_ffi(ffi);
        index
    }

    /// The index as code of the module `from` sees it (`None`: a module
    /// not known, which sees only public items).
    pub fn seen_from<'a>(&'a self, from: Option<&'a [String]>) -> Lookup<'a> {
        Lookup { index: self, from, workspace: None }
    }

    /// The crate's type definitions and their layouts.
    pub fn types(&self) -> &TypeIndex {
        &self.types
    }

    /// Whether the crate implements (or derives) `tr` for a type called
    /// `name` (in any module: same-named types can't be told apart here).
    pub fn implements(&self, name: &str, tr: Trait) -> bool {
        self.impls.get(name).is_some_and(|impls| impls.iter().any(|(t, _)| *t == tr))
    }

    /// The one argument of the crate's implementations of `tr` for `name`
    /// (`Deref`'s target); `None` when there is none, several, or one unread.
    pub fn trait_arg(&self, name: &str, tr: Trait) -> Option<&Ty> {
        let mut args = self.impls.get(name)?.iter().filter(|(t, _)| *t == tr);
        match (args.next(), args.next()) {
            (Some((_, arg)), None) => arg.as_ref(),
            _ => None,
        }
    }

    /// Whether the crate's one type called `name` is a sized type whose
    /// `clone()` is a deep copy: it implements `Clone` and not `Copy`
    /// (without `Clone`, `x.clone()` on a `&Name` copies the reference).
    pub fn clones_deeply(&self, name: &str) -> bool {
        self.types.unique(name).is_some_and(|def| !def.unsized_tail)
            && self.implements(name, Trait::Clone)
            && !self.implements(name, Trait::Copy)
    }

    /// What the crate's type `name<args>` is: what its one alias stands
    /// for, else the struct or enum (`None` when the alias is ambiguous, or
    /// shares its name with a type).
    fn crate_type(&self, name: &str, args: &[Ty]) -> Option<Ty> {
        match self.aliases.get(name) {
            Some(alias) if !self.types.defines(name) => alias.as_ref()?.apply(args),
            Some(_) => None,
            None => Some(Ty::Adt(name.to_owned())),
        }
    }

    /// The type of field `field` of the crate's one struct `name`.
    pub fn field(&self, name: &str, field: &str) -> Option<&Ty> {
        self.structs.get(name)?.as_ref()?.iter().find(|(f, _)| f == field).map(|(_, ty)| ty)
    }

    /// The one function named `name` (with `owner`) in the module `module`,
    /// or the one it re-exports under that name.
    fn in_module(&self, owner: Option<&str>, name: &str, module: &[String], depth: u32) -> Option<&FnItem> {
        let key = CallKey { owner: owner.map(str::to_owned), name: name.to_owned(), via: None };
        if let Some(candidates) = self.by_key.get(&key) {
            let mut here = candidates.iter().filter(|c| c.module.as_deref() == Some(module));
            if let (Some(only), None) = (here.next(), here.next()) {
                return Some(&only.item);
            }
        }
        if depth > MAX_DEPTH {
            return None;
        }
        let reexports = self.reexports.get(module)?;
        let named = reexports.iter().filter(|(n, _)| n == name);
        let globs = reexports.iter().filter(|(n, _)| n == "*");
        let mut found = named
            .filter_map(|(_, target)| {
                let (own, at) = target.split_last()?;
                self.in_module(owner, own, at, depth + 1)
            })
            .chain(globs.filter_map(|(_, at)| self.in_module(owner, name, at, depth + 1)));
        match (found.next(), found.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }
}

/// The crate index as the code of one module sees it: what its calls and
/// deferred types resolve to.
#[derive(Debug, Clone, Copy)]
pub struct Lookup<'a> {
    index: &'a CrateIndex,
    from: Option<&'a [String]>,
    /// The other crates of the workspace the code names; `None` in the
    /// crate phase, which leaves calls into them undecided.
    workspace: Option<&'a WorkspaceCrates<'a>>,
}

impl<'a> Lookup<'a> {
    /// The same, with the other crates of the workspace the code names.
    pub fn with_workspace(self, workspace: &'a WorkspaceCrates<'a>) -> Self {
        Lookup { workspace: Some(workspace), ..self }
    }

    /// The crate of the workspace called `name` here, as code outside it sees it.
    fn crate_named(&self, name: &str) -> Option<Lookup<'a>> {
        self.workspace?.seen_outside(name)
    }

    /// The function of another crate of the workspace `key` reaches, and
    /// that crate (`None`: a function of this crate, or none).
    fn get_in(&self, key: &CallKey) -> Option<(&'a FnItem, Option<&'a str>)> {
        let Some((krate, there_key)) = key.other_crate() else { return Some((self.get(key)?, None)) };
        let (krate, there) = self.workspace?.crates.get_key_value(krate)?;
        // Public only: not a function of another target of its package (a bin's).
        let f = there.seen_from(None).get(&there_key).filter(|f| f.public)?;
        Some((f, Some(krate.as_str())))
    }

    /// The one function `key` reaches: through its module path when it was
    /// called through one, else the one of that name visible here (public,
    /// or private to this module or one around it); in another crate of
    /// the workspace, its public one.
    pub fn get(&self, key: &CallKey) -> Option<&'a FnItem> {
        if key.other_crate().is_some() {
            return self.get_in(key).map(|(f, _)| f);
        }
        // Through a module path the name may be a re-export's rename.
        if let Some(via) = &key.via
            && let Some(module) = absolute(via, self.from)
            && self.index.placed
        {
            return self.index.in_module(key.owner.as_deref(), &key.name, &module, 0);
        }
        let candidates = self.index.by_key.get(&key.bare())?;
        let visible = |c: &&Candidate| {
            c.item.public || matches!((&c.module, self.from), (Some(m), Some(from)) if from.starts_with(m))
        };
        let visible: Vec<&Candidate> = candidates.iter().filter(visible).collect();
        match visible[..] {
            [only] => Some(&only.item),
            // An inherent method comes before a trait's of the same name.
            _ => match visible.iter().filter(|c| !c.item.of_trait).collect::<Vec<_>>()[..] {
                [only] => Some(&only.item),
                _ => None,
            },
        }
    }

    /// The type a deferred type stands for, once every file is read: a
    /// function's return type, or a method's on a resolved receiver (a type
    /// of the crate through the index, a std type through the std table).
    pub fn resolve(&self, ty: &Ty) -> Option<Ty> {
        self.resolve_at(ty, 0)
    }

    fn resolve_at(&self, ty: &Ty, depth: u32) -> Option<Ty> {
        if depth > MAX_DEPTH {
            return None;
        }
        let resolved = match ty {
            // What another crate's function returns, as that crate tells.
            Ty::Returned(key) if key.other_crate().is_some() => {
                let (f, krate) = self.get_in(key)?;
                let krate = krate?;
                return self.crate_named(krate)?.resolve_at(&f.ret, depth + 1)?.qualified(krate);
            }
            // A type of another crate: what it is there (an alias's
            // arguments are this crate's types, which that crate can't read).
            Ty::Adt(name) | Ty::Alias(name, _) if let Some((krate, own)) = workspace_type(name) => {
                let there = match ty {
                    Ty::Alias(_, args) if args.iter().all(Ty::is_crate_neutral) => {
                        Ty::Alias(own.to_owned(), args.clone())
                    }
                    Ty::Alias(..) => return None,
                    _ => Ty::Adt(own.to_owned()),
                };
                return self.crate_named(krate)?.resolve_at(&there, depth + 1)?.qualified(krate);
            }
            Ty::Returned(key) => self.get(key)?.ret.clone(),
            Ty::MethodOf(receiver, name) => {
                let receiver = self.resolve_at(receiver, depth + 1)?;
                match receiver.peel_refs() {
                    // `?`: the `Ok` or `Some` type.
                    Ty::Std(option, args) if name == "?" && (option == "Result" || option == "Option") => {
                        args.first()?.clone()
                    }
                    Ty::Adt(owner) => self.adt_method(owner, name, depth)?,
                    _ => super::std_table::std_table().method_ret(&receiver, name)?,
                }
            }
            Ty::FieldOf(base, field) => {
                let base = self.resolve_at(base, depth + 1)?;
                match base.peel_refs() {
                    Ty::Adt(owner) => match self.home(owner)? {
                        (_, own, None) => self.index.field(own, field)?.clone(),
                        (home, own, Some(krate)) => {
                            return home.resolve_at(home.index.field(own, field)?, depth + 1)?.qualified(krate);
                        }
                    },
                    Ty::Tuple(items) => items.get(field.parse::<usize>().ok()?)?.clone(),
                    _ => return None,
                }
            }
            Ty::Alias(name, args) => self.index.crate_type(name, args)?,
            Ty::Adt(name) => return self.index.crate_type(name, &[]).filter(|t| !t.is_unknown()),
            other => return Some(other.clone()),
        };
        // What was resolved may be an alias, or name one.
        match resolved {
            Ty::Unknown => None,
            Ty::Alias(..) | Ty::Adt(_) => self.resolve_at(&resolved, depth + 1),
            _ => Some(resolved),
        }
    }

    /// What method `name` of the crate's type `owner` returns: an inherent
    /// method's return type or, as method lookup goes on, the method of
    /// the one type it derefs to (unless a trait implementation of the
    /// crate for `owner` has a method so named, which would come first).
    fn adt_method(&self, owner: &str, name: &str, depth: u32) -> Option<Ty> {
        if let (home, own, Some(krate)) = self.home(owner)? {
            let ret = home.adt_method(own, name, depth + 1)?;
            return home.resolve_at(&ret, depth + 1)?.qualified(krate);
        }
        let key = CallKey::method(owner, name);
        if let Some(f) = self.get(&key) {
            return Some(f.ret.clone());
        }
        if self.index.by_key.contains_key(&key) || self.index.trait_methods.contains(&key) {
            return None;
        }
        // A method a trait of the crate the type implements provides.
        let provided: Vec<&FnItem> = self
            .index
            .implemented
            .get(owner)
            .into_iter()
            .flatten()
            .filter_map(|tr| self.index.traits.get(tr)?.as_ref()?.iter().find(|m| m.key.name == name))
            .collect();
        if let [method] = provided[..] {
            return Some(method.ret.substitute_self(&Ty::Adt(owner.to_owned())));
        }
        if !provided.is_empty() {
            return None;
        }
        let target = self.index.trait_arg(owner, Trait::Deref)?;
        self.resolve_at(&Ty::MethodOf(Box::new(target.clone()), name.to_owned()), depth + 1)
    }

    /// The crate a type of this crate (`Config`) or of another crate of the
    /// workspace (`::shapes::Circle`, [`workspace_type`]) is of, as seen
    /// from here; its own name there, and the other crate's name.
    fn home<'n>(&self, name: &'n str) -> Option<(Lookup<'a>, &'n str, Option<&'n str>)> {
        match workspace_type(name) {
            Some((krate, own)) => Some((self.crate_named(krate)?, own, Some(krate))),
            None => Some((*self, name, None)),
        }
    }

    /// The function a callee is, once every file is read, and the other
    /// crate of the workspace it is of (`None`: this crate's).
    fn function(&self, callee: &Callee) -> Option<(&'a FnItem, Option<&'a str>)> {
        match callee {
            Callee::Key(key) => self.get_in(key),
            Callee::Method { receiver, name } => match self.resolve(receiver)?.peel_refs() {
                Ty::Adt(owner) => self.get_in(&CallKey::method(owner.clone(), name.clone())),
                _ => None,
            },
        }
    }

    /// Whether `condition` holds.
    pub fn holds(&self, condition: &Condition) -> bool {
        match condition {
            Condition::TypeIs { of, std_names, crate_type } => match self.resolve(of) {
                Some(Ty::Std(name, _)) => std_names.contains(&name),
                Some(Ty::Adt(name)) => {
                    *crate_type && self.home(&name).is_some_and(|(home, own, _)| home.index.clones_deeply(own))
                }
                _ => false,
            },
            Condition::KeyedLookup { receiver } => match self.resolve(receiver) {
                Some(ty) => {
                    let ty = ty.peel_refs();
                    matches!(ty.std_name(), Some("HashMap" | "HashSet" | "BTreeMap" | "BTreeSet"))
                        && !matches!(ty.arg(0), Ty::Ref(..))
                }
                None => false,
            },
            Condition::TakesBorrowed { callee, param, fit } => {
                let Some((f, krate)) = self.function(callee) else { return false };
                let Some(p) = f.params.get(*param) else { return false };
                match krate {
                    None => fit.fits(p),
                    // Another crate's parameter types name its own types.
                    Some(krate) => qualified_param(p, krate).is_some_and(|p| fit.fits(&p)),
                }
            }
            Condition::ClonesHeap { of } => self.resolve(of).is_some_and(|ty| self.clones_heap(ty.peel_refs(), 0)),
        }
    }

    /// Whether a `clone()` of a `ty` copies a heap buffer.
    fn clones_heap(&self, ty: &Ty, depth: u32) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match ty {
            // Parts may be the crate's types, which `Ty::owns_heap` leaves out.
            Ty::Tuple(items) => items.iter().any(|t| self.clones_heap(t, depth + 1)),
            Ty::Array(item) => self.clones_heap(item, depth + 1),
            Ty::Adt(_) | Ty::Alias(..) => {
                match self.resolve_at(ty, depth + 1) {
                    // Its fields are of its crate's types.
                    Some(Ty::Adt(name)) => self.home(&name).is_some_and(|(home, own, _)| {
                        home.index.clones_deeply(own)
                            && home.index.structs.get(own).and_then(Option::as_ref).is_some_and(|fields| {
                                fields.iter().any(|(_, field)| home.clones_heap(field, depth + 1))
                            })
                    }),
                    Some(other) if !matches!(other, Ty::Alias(..)) => self.clones_heap(&other, depth + 1),
                    _ => false,
                }
            }
            other => other.owns_heap(),
        }
    }
}

/// A parameter of a function of the workspace's crate `krate` as the code
/// that calls it names its types ([`Ty::qualified`]).
fn qualified_param(param: &Param, krate: &str) -> Option<Param> {
    let borrows = match &param.borrows {
        Some(Borrows::AsRef(t)) => Some(Borrows::AsRef(t.qualified(krate)?)),
        Some(Borrows::Deref(t)) => Some(Borrows::Deref(t.qualified(krate)?)),
        None => None,
    };
    Some(Param { ty: param.ty.qualified(krate)?, borrows })
}
