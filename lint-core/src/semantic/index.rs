//! The crate index: the signatures of the crate's functions and inherent
//! methods, read from each file as it is parsed ([`file_fns`], kept with
//! the file's cached result) and joined once every file of the crate is
//! in ([`CrateFns`]). A finding that depends on a function of another file
//! carries a [`Condition`] the crate phase decides with the index.

use std::collections::HashMap;

use syn::{FnArg, GenericParam, ImplItem, Item, Signature, Type, TypeParamBound};

use super::std_table::{Borrows, Param, borrows_through};
pub use super::ty::CallKey;
use super::ty::{Reading, Ty};
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

/// The signatures of the free functions and inherent methods of a file
/// (its inline modules included; test code excluded by the caller).
/// `std_name` tells whether a name is the std type in this file.
pub fn file_fns(items: &[Item], std_name: &dyn Fn(&str) -> bool) -> Vec<FnItem> {
    let imports = Imports::of(items);
    let mut out = Vec::new();
    collect(items, std_name, &imports, &mut out);
    out
}

fn collect(items: &[Item], std_name: &dyn Fn(&str) -> bool, imports: &Imports, out: &mut Vec<FnItem>) {
    for item in items {
        match item {
            Item::Fn(f) if !crate::syntax::test_modules::is_test_fn(&f.attrs) => {
                out.push(read_fn(None, None, &[], &f.sig, std_name, imports));
            }
            Item::Impl(i) if i.trait_.is_none() && !crate::syntax::test_modules::has_cfg_test(&i.attrs) => {
                let Some(owner) = crate::syntax::paths::type_last_segment(&i.self_ty) else { continue };
                let owner = owner.ident.to_string();
                let impl_generics: Vec<String> = i.generics.type_params().map(|t| t.ident.to_string()).collect();
                let self_ty = {
                    let generic = |n: &str| impl_generics.iter().any(|g| g == n);
                    let std = |n: &str| !generic(n) && std_name(n);
                    let krate = |n: &str| !generic(n) && !imports.may_be_foreign(n);
                    Reading { std_name: &std, crate_name: &krate, self_ty: None, vars: &[] }.read(&i.self_ty)
                };
                for item in &i.items {
                    if let ImplItem::Fn(f) = item {
                        out.push(read_fn(Some(&owner), Some(&self_ty), &impl_generics, &f.sig, std_name, imports));
                    }
                }
            }
            Item::Mod(m) if !crate::syntax::test_modules::has_cfg_test(&m.attrs) => {
                if let Some((_, items)) = &m.content {
                    collect(items, std_name, imports, out);
                }
            }
            _ => {}
        }
    }
}

fn read_fn(
    owner: Option<&str>,
    self_ty: Option<&Ty>,
    impl_generics: &[String],
    sig: &Signature,
    std_name: &dyn Fn(&str) -> bool,
    imports: &Imports,
) -> FnItem {
    let generic = |n: &str| impl_generics.iter().any(|g| g == n) || sig.generics.type_params().any(|t| t.ident == n);
    let std = |n: &str| !generic(n) && std_name(n);
    let krate = |n: &str| !generic(n) && !imports.may_be_foreign(n);
    let reading = Reading { std_name: &std, crate_name: &krate, self_ty, vars: &[] };
    let read = |t: &Type| reading.read(t);
    let params = sig
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| match input {
            FnArg::Receiver(r) => Param { ty: reading.read(&r.ty), borrows: None },
            FnArg::Typed(t) => Param { ty: reading.read(&t.ty), borrows: param_borrows(sig, i, &t.ty, &read) },
        })
        .collect();
    let ret = match &sig.output {
        syn::ReturnType::Default => Ty::Tuple(Vec::new()),
        syn::ReturnType::Type(_, t) => reading.read(t),
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
            if generic_used_elsewhere(sig, i, name) {
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

/// What a finding needs of a function of another file of the crate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Condition {
    /// The crate's one function `callee` returns a type whose clone
    /// allocates: one of the std types `std_names`, or, with `crate_type`,
    /// a type of the crate that is not `Copy`.
    Returns {
        /// The function.
        callee: CallKey,
        /// Std heap owners that qualify (`String`, `Vec`, ..).
        std_names: Vec<String>,
        /// Whether a non-`Copy` type of the crate qualifies.
        crate_type: bool,
    },
    /// Parameter `param` of the crate's one function `callee` takes the
    /// borrowed form a copy was made of.
    TakesBorrowed {
        /// The function.
        callee: CallKey,
        /// The parameter (`self` counted).
        param: usize,
        /// What fits.
        fit: Fit,
    },
}

/// The crate's functions, by how they are called; a key defined twice
/// (in different modules) is ambiguous and resolves to nothing.
#[derive(Debug, Default)]
pub struct CrateFns {
    by_key: HashMap<CallKey, Option<FnItem>>,
}

impl CrateFns {
    /// Indexes `fns`.
    pub fn new(fns: impl IntoIterator<Item = FnItem>) -> Self {
        let mut by_key: HashMap<CallKey, Option<FnItem>> = HashMap::new();
        for f in fns {
            by_key.entry(f.key.clone()).and_modify(|e| *e = None).or_insert(Some(f));
        }
        CrateFns { by_key }
    }

    /// The one function called as `key`.
    pub fn get(&self, key: &CallKey) -> Option<&FnItem> {
        self.by_key.get(key)?.as_ref()
    }

    /// Whether `condition` holds; `not_copy(name)` tells whether the crate
    /// defines one type `name` that is not `Copy`.
    pub fn holds(&self, condition: &Condition, not_copy: &dyn Fn(&str) -> bool) -> bool {
        match condition {
            Condition::Returns { callee, std_names, crate_type } => {
                let Some(f) = self.get(callee) else { return false };
                match &f.ret {
                    Ty::Std(name, _) => std_names.iter().any(|n| n == name),
                    Ty::Adt(name) => *crate_type && not_copy(name),
                    _ => false,
                }
            }
            Condition::TakesBorrowed { callee, param, fit } => {
                self.get(callee).and_then(|f| f.params.get(*param)).is_some_and(|p| fit.fits(p))
            }
        }
    }
}
