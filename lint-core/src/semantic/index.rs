//! The crate index: the signatures of the crate's functions and inherent
//! methods, the fields of its structs, its type definitions (what the
//! layout estimator sizes) and which of its types implement which traits,
//! read from each file as it is parsed ([`file_items`], kept with the
//! file's cached result) and joined once every file of the crate is in
//! ([`CrateIndex`]). A finding that depends on a function of another file
//! carries a [`Condition`] the crate phase decides with the index.

use std::collections::HashMap;

use syn::{FnArg, GenericParam, ImplItem, Item, Signature, Type, TypeParamBound};

use super::std_table::{Borrows, Param, borrows_through};
pub use super::ty::CallKey;
use super::ty::{Reading, Ty};
use crate::layout::{TypeDef, TypeIndex};
use crate::syntax::paths::generic_used_elsewhere;
use crate::syntax::uses::Imports;

/// A function or inherent method of the crate, as its signature states.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FnItem {
    /// How it is called.
    pub key: CallKey,
    /// The parameters, `self` first for a method.
    pub params: Vec<Param>,
    /// The return type (`Self` read as the impl's type).
    pub ret: Ty,
}

/// A struct of the crate and its fields' types.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StructItem {
    /// Its name.
    pub name: String,
    /// Field names (`0`, `1`, .. for a tuple struct) and types.
    pub fields: Vec<(String, Ty)>,
}

/// The traits the index knows implementations of: those that decide
/// whether a copy allocates (`Copy`, `Clone`), whether a value may be
/// taken apart (`Drop`), and what a value lends or prints as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Trait {
    /// `Copy` (derived or implemented).
    Copy,
    /// `Clone` (derived or implemented).
    Clone,
    /// `Drop`.
    Drop,
    /// `Display` (so `to_string` gives a `String`).
    Display,
    /// `AsRef<X>`.
    AsRef,
    /// `Deref<Target = X>`.
    Deref,
    /// `Borrow<X>`.
    Borrow,
}

impl Trait {
    /// The trait a path's last segment names.
    fn named(name: &str) -> Option<Trait> {
        Some(match name {
            "Copy" => Trait::Copy,
            "Clone" => Trait::Clone,
            "Drop" => Trait::Drop,
            "Display" => Trait::Display,
            "AsRef" => Trait::AsRef,
            "Deref" => Trait::Deref,
            "Borrow" => Trait::Borrow,
            _ => return None,
        })
    }
}

/// `impl Trait for Type` (or a derive) of the crate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TraitImpl {
    /// The implementing type's name (generic arguments left out).
    pub ty: String,
    /// The trait.
    pub tr: Trait,
    /// Its argument: `X` of `AsRef<X>`/`Borrow<X>`, the `Target` of `Deref`.
    pub arg: Option<Ty>,
}

/// What a file contributes to the crate index.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FileItems {
    /// Its free functions and inherent methods.
    pub fns: Vec<FnItem>,
    /// Its structs.
    pub structs: Vec<StructItem>,
    /// Its struct, enum and union definitions, as the layout estimator reads them.
    #[serde(default)]
    pub types: Vec<TypeDef>,
    /// Names of the types in its FFI signatures.
    #[serde(default)]
    pub ffi_types: Vec<String>,
    /// Its trait implementations and derives of the traits of [`Trait`].
    #[serde(default)]
    pub impls: Vec<TraitImpl>,
    /// The methods its trait implementations (of any trait) define, by
    /// type: a method call finds them before it looks through `Deref`.
    #[serde(default)]
    pub trait_methods: Vec<CallKey>,
}

/// The signatures of the free functions and inherent methods of a file and
/// its structs' fields (its inline modules included, test code excluded).
/// `std_name` tells whether a name is the std type in this file.
pub fn file_items(items: &[Item], imports: &Imports, std_name: &dyn Fn(&str) -> bool) -> FileItems {
    let mut out = FileItems::default();
    collect(items, &Scope { std_name, imports }, &mut out);
    out
}

/// How a file's items read their written types.
struct Scope<'a> {
    /// Whether a name is the std type in this file.
    std_name: &'a dyn Fn(&str) -> bool,
    imports: &'a Imports,
}

impl Scope<'_> {
    /// `ty` read with `generics` (the type parameters in scope) unknown, a
    /// std name as the std type where the file doesn't shadow it, another
    /// name as a crate type unless imported from another crate.
    fn read(&self, ty: &Type, generic: &dyn Fn(&str) -> bool, self_ty: Option<&Ty>) -> Ty {
        let std = |n: &str| !generic(n) && (self.std_name)(n);
        let krate = |n: &str| !generic(n) && !self.imports.may_be_foreign(n);
        Reading { std_name: &std, crate_name: &krate, self_ty, vars: &[] }.read(ty)
    }
}

fn collect(items: &[Item], scope: &Scope<'_>, out: &mut FileItems) {
    for item in items {
        match item {
            // Private items are called from their own file, almost always:
            // reading every private signature of the crate cost a third of
            // the walk, for calls the file phase resolves itself.
            Item::Fn(f) if is_pub(&f.vis) && !crate::syntax::test_modules::is_test_fn(&f.attrs) => {
                out.fns.push(read_fn(None, None, &[], &f.sig, scope));
            }
            Item::Struct(s) if is_pub(&s.vis) && !crate::syntax::test_modules::has_cfg_test(&s.attrs) => {
                let generic = |n: &str| s.generics.type_params().any(|t| t.ident == n);
                let fields = s
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let name = f.ident.as_ref().map_or_else(|| i.to_string(), ToString::to_string);
                        (name, scope.read(&f.ty, &generic, None))
                    })
                    .collect();
                out.structs.push(StructItem { name: s.ident.to_string(), fields });
            }
            Item::Impl(i) if i.trait_.is_some() && !crate::syntax::test_modules::has_cfg_test(&i.attrs) => {
                if let Some(found) = trait_impl(i, scope) {
                    out.impls.push(found);
                }
                if let Some(owner) = crate::syntax::paths::type_last_segment(&i.self_ty) {
                    let owner = owner.ident.to_string();
                    out.trait_methods.extend(i.items.iter().filter_map(|item| match item {
                        ImplItem::Fn(f) => Some(CallKey { owner: Some(owner.clone()), name: f.sig.ident.to_string() }),
                        _ => None,
                    }));
                }
            }
            Item::Impl(i) if i.trait_.is_none() && !crate::syntax::test_modules::has_cfg_test(&i.attrs) => {
                let Some(owner) = crate::syntax::paths::type_last_segment(&i.self_ty) else { continue };
                let owner = owner.ident.to_string();
                let impl_generics: Vec<String> = i.generics.type_params().map(|t| t.ident.to_string()).collect();
                let self_ty = scope.read(&i.self_ty, &|n| impl_generics.iter().any(|g| g == n), None);
                for item in &i.items {
                    if let ImplItem::Fn(f) = item
                        && is_pub(&f.vis)
                    {
                        out.fns.push(read_fn(Some(&owner), Some(&self_ty), &impl_generics, &f.sig, scope));
                    }
                }
            }
            Item::Mod(m) if !crate::syntax::test_modules::has_cfg_test(&m.attrs) => {
                if let Some((_, items)) = &m.content {
                    collect(items, scope, out);
                }
            }
            _ => {}
        }
        if let Some((attrs, ident)) = type_item(item)
            && !crate::syntax::test_modules::has_cfg_test(attrs)
        {
            for tr in [Trait::Copy, Trait::Clone] {
                if crate::layout::derives(attrs, if tr == Trait::Copy { "Copy" } else { "Clone" }) {
                    out.impls.push(TraitImpl { ty: ident.to_string(), tr, arg: None });
                }
            }
        }
    }
}

/// A struct's, enum's or union's attributes and name.
fn type_item(item: &Item) -> Option<(&[syn::Attribute], &syn::Ident)> {
    match item {
        Item::Struct(s) => Some((&s.attrs, &s.ident)),
        Item::Enum(e) => Some((&e.attrs, &e.ident)),
        Item::Union(u) => Some((&u.attrs, &u.ident)),
        _ => None,
    }
}

/// `impl Trait for Type` when the trait is one of [`Trait`], with its
/// argument read (`AsRef<str>`, `Deref`'s `type Target = ..`).
fn trait_impl(i: &syn::ItemImpl, scope: &Scope<'_>) -> Option<TraitImpl> {
    let (negative, path, _) = i.trait_.as_ref()?;
    let last = path.segments.last()?;
    let tr = Trait::named(&last.ident.to_string())?;
    if negative.is_some() {
        return None;
    }
    let ty = crate::syntax::paths::type_last_segment(&i.self_ty)?.ident.to_string();
    let generics: Vec<String> = i.generics.type_params().map(|t| t.ident.to_string()).collect();
    let generic = |n: &str| generics.iter().any(|g| g == n);
    let self_ty = scope.read(&i.self_ty, &generic, None);
    let read = |t: &Type| Some(scope.read(t, &generic, Some(&self_ty))).filter(|t| !t.is_unknown());
    let arg = match tr {
        Trait::AsRef | Trait::Borrow => match &last.arguments {
            syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
                syn::GenericArgument::Type(t) => read(t),
                _ => None,
            }),
            _ => None,
        },
        Trait::Deref => i.items.iter().find_map(|item| match item {
            ImplItem::Type(t) if t.ident == "Target" => read(&t.ty),
            _ => None,
        }),
        _ => None,
    };
    Some(TraitImpl { ty, tr, arg })
}

/// Whether an item is visible outside its module (`pub`, `pub(crate)`, ..).
fn is_pub(vis: &syn::Visibility) -> bool {
    !matches!(vis, syn::Visibility::Inherited)
}

fn read_fn(
    owner: Option<&str>,
    self_ty: Option<&Ty>,
    impl_generics: &[String],
    sig: &Signature,
    scope: &Scope<'_>,
) -> FnItem {
    let generic = |n: &str| impl_generics.iter().any(|g| g == n) || sig.generics.type_params().any(|t| t.ident == n);
    let read = |t: &Type| scope.read(t, &generic, self_ty);
    let params = sig
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| match input {
            FnArg::Receiver(r) => Param { ty: read(&r.ty), borrows: None },
            // Only a reference parameter's type matters to a caller's copy
            // (`&str` or `&String`); a generic one is read for its bounds.
            FnArg::Typed(t) => match &*t.ty {
                Type::Reference(_) => Param { ty: read(&t.ty), borrows: None },
                Type::Path(_) | Type::ImplTrait(_) => {
                    Param { ty: Ty::Unknown, borrows: param_borrows(sig, i, &t.ty, &read) }
                }
                _ => Param { ty: Ty::Unknown, borrows: None },
            },
        })
        .collect();
    let ret = match &sig.output {
        syn::ReturnType::Default => Ty::Tuple(Vec::new()),
        syn::ReturnType::Type(_, t) => read(t),
    };
    FnItem { key: CallKey { owner: owner.map(str::to_owned), name: sig.ident.to_string() }, params, ret }
}

/// How parameter `i` of type `ty` only borrows its argument: a generic
/// `P: AsRef<X>` / `P: Deref<Target = X>` (bound in the generics or a
/// `where` clause) used nowhere else in the signature, or `impl AsRef<X>`.
pub fn param_borrows(sig: &Signature, i: usize, ty: &Type, read: &dyn Fn(&Type) -> Ty) -> Option<Borrows> {
    let bounds: Vec<&TypeParamBound> = match ty {
        Type::ImplTrait(t) => t.bounds.iter().collect(),
        Type::Path(p) => {
            let name = p.path.get_ident()?;
            // Most parameters are not generic: no need to look further.
            if !sig.generics.type_params().any(|t| t.ident == *name) || generic_used_elsewhere(sig, i, name) {
                return None;
            }
            let declared = sig.generics.params.iter().filter_map(|g| match g {
                GenericParam::Type(t) if &t.ident == name => Some(&t.bounds),
                _ => None,
            });
            let in_where = sig.generics.where_clause.iter().flat_map(|w| &w.predicates).filter_map(|pred| match pred {
                syn::WherePredicate::Type(pt) if matches!(&pt.bounded_ty, Type::Path(b) if b.path.is_ident(name)) => {
                    Some(&pt.bounds)
                }
                _ => None,
            });
            declared.chain(in_where).flatten().collect()
        }
        _ => return None,
    };
    // Every other bound must hold of a reference too (`&str: Display`); a
    // lifetime bound (`'static`) or an unknown trait may not.
    let borrows = bounds.iter().find_map(|b| borrows_through(b, read))?;
    bounds.iter().all(|b| borrows_through(b, read).is_some() || holds_for_references(b)).then_some(borrows)
}

/// Traits every shared reference to `str`, `[T]` or `Path` implements
/// (for `T` that do), whatever else a borrowing parameter asks.
const REFERENCE_TRAITS: &[&str] =
    &["Display", "Debug", "Clone", "Copy", "Hash", "Eq", "PartialEq", "Ord", "PartialOrd", "Send", "Sync", "Sized"];

fn holds_for_references(bound: &TypeParamBound) -> bool {
    match bound {
        TypeParamBound::Trait(t) => {
            // `?Sized` relaxes; the others must be traits references implement.
            matches!(t.modifier, syn::TraitBoundModifier::Maybe(_))
                || t.path
                    .segments
                    .last()
                    .is_some_and(|s| REFERENCE_TRAITS.iter().any(|r| s.ident == r) && s.arguments.is_none())
        }
        _ => false,
    }
}

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
    /// `std_names`, or, with `crate_type`, a type of the crate that is not `Copy`.
    TypeIs {
        /// The deferred type.
        of: Ty,
        /// Std heap owners that qualify (`String`, `Vec`, ..).
        std_names: Vec<String>,
        /// Whether a non-`Copy` type of the crate qualifies.
        crate_type: bool,
    },
    /// The deferred type `receiver` turns out to be a std map or set whose
    /// keys are not references: its lookups take any borrowed form of the key.
    KeyedLookup {
        /// The map's or set's type.
        receiver: Ty,
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

/// The crate's functions, by how they are called, and its structs' fields,
/// by struct name; a key defined twice (in different modules) is
/// ambiguous and resolves to nothing.
#[derive(Debug, Default)]
pub struct CrateIndex {
    by_key: HashMap<CallKey, Option<FnItem>>,
    structs: HashMap<String, Option<Vec<(String, Ty)>>>,
    /// The type definitions, and the layout estimator over them.
    types: TypeIndex,
    /// What each type name implements (of [`Trait`]), with the arguments.
    impls: HashMap<String, Vec<(Trait, Option<Ty>)>>,
    /// Methods of trait implementations, by type.
    trait_methods: std::collections::HashSet<CallKey>,
}

impl CrateIndex {
    /// Indexes the items of the crate's files.
    pub fn new(files: impl IntoIterator<Item = FileItems>) -> Self {
        let mut index = CrateIndex::default();
        let mut types = Vec::new();
        let mut ffi = Vec::new();
        for file in files {
            for f in file.fns {
                index.by_key.entry(f.key.clone()).and_modify(|e| *e = None).or_insert(Some(f));
            }
            for s in file.structs {
                index.structs.entry(s.name).and_modify(|e| *e = None).or_insert(Some(s.fields));
            }
            for i in file.impls {
                index.impls.entry(i.ty).or_default().push((i.tr, i.arg));
            }
            index.trait_methods.extend(file.trait_methods);
            types.extend(file.types);
            ffi.extend(file.ffi_types);
        }
        index.types = TypeIndex::new(types).with_ffi(ffi);
        index
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

    /// The type of field `field` of the crate's one struct `name`.
    pub fn field(&self, name: &str, field: &str) -> Option<&Ty> {
        self.structs.get(name)?.as_ref()?.iter().find(|(f, _)| f == field).map(|(_, ty)| ty)
    }

    /// The one function called as `key`.
    pub fn get(&self, key: &CallKey) -> Option<&FnItem> {
        self.by_key.get(key)?.as_ref()
    }

    /// The type a deferred type stands for, once every file is read: a
    /// function's return type, or a method's on a resolved receiver (a type
    /// of the crate through the index, a std type through the std table).
    pub fn resolve(&self, ty: &Ty) -> Option<Ty> {
        self.resolve_at(ty, 0)
    }

    fn resolve_at(&self, ty: &Ty, depth: u32) -> Option<Ty> {
        if depth > 16 {
            return None;
        }
        let resolved = match ty {
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
                    Ty::Adt(owner) => self.field(owner, field)?.clone(),
                    Ty::Tuple(items) => items.get(field.parse::<usize>().ok()?)?.clone(),
                    _ => return None,
                }
            }
            other => return Some(other.clone()),
        };
        (!resolved.is_unknown()).then_some(resolved)
    }

    /// What method `name` of the crate's type `owner` returns: an inherent
    /// method's return type or, as method lookup goes on, the method of
    /// the one type it derefs to (unless a trait implementation of the
    /// crate for `owner` has a method so named, which would come first).
    fn adt_method(&self, owner: &str, name: &str, depth: u32) -> Option<Ty> {
        let key = CallKey { owner: Some(owner.to_owned()), name: name.to_owned() };
        if let Some(f) = self.get(&key) {
            return Some(f.ret.clone());
        }
        if self.by_key.contains_key(&key) || self.trait_methods.contains(&key) {
            return None;
        }
        let target = self.trait_arg(owner, Trait::Deref)?;
        self.resolve_at(&Ty::MethodOf(Box::new(target.clone()), name.to_owned()), depth + 1)
    }

    /// The function a callee is, once every file is read.
    fn function(&self, callee: &Callee) -> Option<&FnItem> {
        match callee {
            Callee::Key(key) => self.get(key),
            Callee::Method { receiver, name } => match self.resolve(receiver)?.peel_refs() {
                Ty::Adt(owner) => self.get(&CallKey { owner: Some(owner.clone()), name: name.clone() }),
                _ => None,
            },
        }
    }

    /// Whether `condition` holds.
    pub fn holds(&self, condition: &Condition) -> bool {
        match condition {
            Condition::TypeIs { of, std_names, crate_type } => match self.resolve(of) {
                Some(Ty::Std(name, _)) => std_names.contains(&name),
                Some(Ty::Adt(name)) => *crate_type && self.clones_deeply(&name),
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
                self.function(callee).and_then(|f| f.params.get(*param)).is_some_and(|p| fit.fits(p))
            }
        }
    }
}
