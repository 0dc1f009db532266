//! What a file contributes to the crate index: the signatures of its
//! functions, inherent methods and trait impls' methods (with the inline
//! module they are in, and whether they are visible outside it), its
//! traits, the fields of its structs, its type definitions (what the layout
//! estimator sizes), which of its types implement which traits, its type
//! aliases and its `pub use` re-exports. Read from each
//! file as it is parsed ([`file_items`]), kept with the file's cached
//! result, and joined once every file of the crate is in
//! ([`super::crate_index::CrateIndex`]).

use syn::{FnArg, GenericParam, ImplItem, Item, Signature, Type, TypeParamBound};

use super::aliases::{AliasItem, FileTypes, alias_item};
use super::std_table::{Borrows, Param, borrows_through};
pub use super::ty::CallKey;
use super::ty::{Reading, Ty};
use crate::layout::TypeDef;
use crate::syntax::paths::generic_used_elsewhere;
use crate::syntax::uses::Imports;

/// A function or method of the crate, as its signature states.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FnItem {
    /// How it is called.
    pub key: CallKey,
    /// The parameters, `self` first for a method.
    pub params: Vec<Param>,
    /// The return type (`Self` read as the impl's type).
    pub ret: Ty,
    /// The inline modules of the file it is in (`mod a { .. }`), outermost first.
    pub module: Vec<String>,
    /// Whether it is visible outside its module (`pub`, `pub(crate)`, ..).
    pub public: bool,
    /// A method of a trait implementation (an inherent method of the same
    /// name comes first).
    pub of_trait: bool,
}

/// A `pub use` of the file: `name` in the file's (inline) module `module`
/// stands for the item at `target`, as written (`crate::a::f`, `self::b::g`,
/// `inner::h`); `name` is `*` for a glob, `target` then the module.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reexport {
    /// The inline modules of the file it is in, outermost first.
    pub module: Vec<String>,
    /// The name it is visible as, or `*`.
    pub name: String,
    /// The path it re-exports.
    pub target: Vec<String>,
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

/// A trait of the crate and its methods' signatures (`Self` read as
/// [`Ty::Var`] `Self`): what a method it provides returns on a type that
/// implements it without writing the method.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TraitDef {
    /// Its name.
    pub name: String,
    /// Its methods.
    pub methods: Vec<FnItem>,
}

/// What a file contributes to the crate index.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FileItems {
    /// Its free functions, inherent methods and methods of trait impls.
    pub fns: Vec<FnItem>,
    /// Its structs.
    pub structs: Vec<StructItem>,
    /// Its struct, enum and union definitions, as the layout estimator reads them.
    pub types: Vec<TypeDef>,
    /// Names of the types in its FFI signatures.
    pub ffi_types: Vec<String>,
    /// Its trait implementations of the traits of [`Trait`] (derives are
    /// read with the type definitions, wherever they are).
    pub impls: Vec<TraitImpl>,
    /// The methods its trait implementations (of any trait) define, by
    /// type: a method call finds them before it looks through `Deref`.
    pub trait_methods: Vec<CallKey>,
    /// Its `pub use` items.
    pub reexports: Vec<Reexport>,
    /// Its type aliases.
    pub aliases: Vec<AliasItem>,
    /// Its traits.
    pub traits: Vec<TraitDef>,
    /// Which of its types implement which traits (by name), of the traits
    /// whose signatures matter ([`signatures_matter`]).
    pub implemented: Vec<(String, String)>,
}

/// What a file contributes to the crate index ([`FileItems`]; its inline
/// modules included, test code excluded, type definitions left to the walk).
/// `std_name` tells whether a name is the std type in this file.
pub fn file_items(
    items: &[Item],
    imports: &Imports,
    types: &FileTypes<'_>,
    std_name: &dyn Fn(&str) -> bool,
) -> FileItems {
    let mut out = FileItems::default();
    let scope = Scope { std_name, imports, types, private: declares_module_files(items) };
    collect(items, &scope, &mut Vec::new(), &mut out);
    out.aliases =
        types.aliases().map(|a| alias_item(a, &|t, params| scope.read_with(t, &|_| false, None, params))).collect();
    out
}

/// Whether the file declares modules in other files (`mod a;`), which see
/// its private items.
fn declares_module_files(items: &[Item]) -> bool {
    items.iter().any(|item| match item {
        Item::Mod(m) => match &m.content {
            None => true,
            Some((_, items)) => declares_module_files(items),
        },
        _ => false,
    })
}

/// How a file's items read their written types.
struct Scope<'a> {
    /// Whether a name is the std type in this file.
    std_name: &'a dyn Fn(&str) -> bool,
    imports: &'a Imports,
    /// The file's type aliases and types.
    types: &'a FileTypes<'a>,
    /// Whether private functions are indexed too: only in a file whose
    /// child modules are other files (reading every private signature of
    /// the crate cost a third of the walk, for calls that almost always
    /// come from the same file, which the file phase resolves itself).
    private: bool,
}

impl Scope<'_> {
    /// `ty` read with `generics` (the type parameters in scope) unknown, a
    /// std name as the std type where the file doesn't shadow it, another
    /// name as a crate type unless imported from another crate.
    fn read(&self, ty: &Type, generic: &dyn Fn(&str) -> bool, self_ty: Option<&Ty>) -> Ty {
        self.read_with(ty, generic, self_ty, &[])
    }

    /// [`Scope::read`] with `vars` read as [`Ty::Var`]s (an alias's parameters).
    fn read_with(&self, ty: &Type, generic: &dyn Fn(&str) -> bool, self_ty: Option<&Ty>, vars: &[String]) -> Ty {
        let std = |n: &str| !generic(n) && (self.std_name)(n);
        let krate = |n: &str| !generic(n) && !self.imports.may_be_foreign(n);
        let alias = |t: &Type, params: &[String]| self.read_with(t, &|_| false, None, params);
        let crate_type = |name: &str, args: &[Ty]| self.types.crate_type(name, args, &alias);
        let workspace_type = |path: &syn::Path| match path.get_ident() {
            Some(name) if generic(&name.to_string()) => None,
            _ => self.imports.workspace_type(path),
        };
        Reading {
            std_name: &std,
            crate_name: &krate,
            self_ty,
            vars,
            crate_type: &crate_type,
            workspace_type: &workspace_type,
        }
        .read(ty)
    }
}

fn collect(items: &[Item], scope: &Scope<'_>, module: &mut Vec<String>, out: &mut FileItems) {
    for item in items {
        match item {
            Item::Fn(f) if (scope.private || is_pub(&f.vis)) && !crate::syntax::test_modules::is_test_fn(&f.attrs) => {
                out.fns.push(read_fn(None, None, &[], &f.sig, is_pub(&f.vis), module, scope));
            }
            Item::Use(u) if is_pub(&u.vis) => {
                reexports(&u.tree, &mut Vec::new(), &mut |name, target| {
                    out.reexports.push(Reexport { module: module.clone(), name, target });
                });
            }
            // Private structs too: a clone's cost depends on their fields.
            Item::Struct(s) if !crate::syntax::test_modules::has_cfg_test(&s.attrs) => {
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
            Item::Impl(i) if !crate::syntax::test_modules::has_cfg_test(&i.attrs) => {
                let Some(head) = ImplHead::of(i, scope) else { continue };
                let methods = i.items.iter().filter_map(|item| match item {
                    ImplItem::Fn(f) => Some(f),
                    _ => None,
                });
                let Some((_, trait_path, _)) = &i.trait_ else {
                    for f in methods.filter(|f| scope.private || is_pub(&f.vis)) {
                        out.fns.push(head.method(&f.sig, is_pub(&f.vis), module, scope));
                    }
                    continue;
                };
                if let Some(found) = trait_impl(i, &head, scope) {
                    out.impls.push(found);
                }
                let methods: Vec<_> = methods.collect();
                out.trait_methods.extend(methods.iter().map(|f| CallKey::method(&head.owner, f.sig.ident.to_string())));
                let Some(trait_name) = signatures_matter(trait_path) else { continue };
                out.implemented.push((head.owner.clone(), trait_name));
                // A trait's methods are as visible as the trait.
                out.fns.extend(
                    methods.iter().map(|f| FnItem { of_trait: true, ..head.method(&f.sig, true, module, scope) }),
                );
            }
            Item::Trait(t) if !crate::syntax::test_modules::has_cfg_test(&t.attrs) => {
                let generics: Vec<String> = t.generics.type_params().map(|p| p.ident.to_string()).collect();
                let self_ty = Ty::Var("Self".to_owned());
                let methods = t
                    .items
                    .iter()
                    .filter_map(|item| match item {
                        syn::TraitItem::Fn(f) => {
                            Some(read_fn(None, Some(&self_ty), &generics, &f.sig, true, module, scope))
                        }
                        _ => None,
                    })
                    .collect();
                out.traits.push(TraitDef { name: t.ident.to_string(), methods });
            }
            Item::Mod(m) if !crate::syntax::test_modules::has_cfg_test(&m.attrs) => {
                if let Some((_, items)) = &m.content {
                    module.push(m.ident.to_string());
                    collect(items, scope, module, out);
                    module.pop();
                }
            }
            _ => {}
        }
    }
}

/// An `impl` block's type: its name, the block's type parameters, and
/// the type `Self` is.
struct ImplHead {
    owner: String,
    generics: Vec<String>,
    self_ty: Ty,
}

impl ImplHead {
    fn of(i: &syn::ItemImpl, scope: &Scope<'_>) -> Option<Self> {
        let owner = crate::syntax::paths::type_last_segment(&i.self_ty)?.ident.to_string();
        let generics: Vec<String> = i.generics.type_params().map(|t| t.ident.to_string()).collect();
        let self_ty = scope.read(&i.self_ty, &|n| generics.iter().any(|g| g == n), None);
        Some(ImplHead { owner, generics, self_ty })
    }

    /// A method of the block.
    fn method(&self, sig: &Signature, public: bool, module: &[String], scope: &Scope<'_>) -> FnItem {
        read_fn(Some(&self.owner), Some(&self.self_ty), &self.generics, sig, public, module, scope)
    }
}

/// `impl Trait for Type` when the trait is one of [`Trait`], with its
/// argument read (`AsRef<str>`, `Deref`'s `type Target = ..`).
fn trait_impl(i: &syn::ItemImpl, head: &ImplHead, scope: &Scope<'_>) -> Option<TraitImpl> {
    let (negative, path, _) = i.trait_.as_ref()?;
    let last = path.segments.last()?;
    let tr = Trait::named(&last.ident.to_string())?;
    if negative.is_some() {
        return None;
    }
    let ty = head.owner.clone();
    let generic = |n: &str| head.generics.iter().any(|g| g == n);
    let read = |t: &Type| Some(scope.read(t, &generic, Some(&head.self_ty))).filter(|t| !t.is_unknown());
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

/// The trait's name when the signatures of its methods may type a call:
/// not for the std traits every type implements whose methods return no
/// value a rule asks about (`fmt`, `eq`, `hash`, ..), which are most trait
/// implementations and would only cost reading.
fn signatures_matter(trait_path: &syn::Path) -> Option<String> {
    const SKIPPED: &[&str] = &[
        "Debug",
        "Display",
        "PartialEq",
        "Eq",
        "PartialOrd",
        "Ord",
        "Hash",
        "Drop",
        "Error",
        "Clone",
        "Copy",
        "Default",
    ];
    let last = trait_path.segments.last()?;
    (!SKIPPED.iter().any(|t| last.ident == t)).then(|| last.ident.to_string())
}

/// Calls `found(name, target)` for each name a `use` tree brings in: the
/// name it is visible as (`*` for a glob) and the path it stands for.
fn reexports(tree: &syn::UseTree, prefix: &mut Vec<String>, found: &mut dyn FnMut(String, Vec<String>)) {
    let with = |prefix: &[String], last: &syn::Ident| {
        let mut path = prefix.to_vec();
        path.push(last.to_string());
        path
    };
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            reexports(&p.tree, prefix, found);
            prefix.pop();
        }
        syn::UseTree::Name(n) if n.ident == "self" => {
            if let Some(last) = prefix.last() {
                found(last.clone(), prefix.clone());
            }
        }
        syn::UseTree::Name(n) => found(n.ident.to_string(), with(prefix, &n.ident)),
        syn::UseTree::Rename(r) => found(r.rename.to_string(), with(prefix, &r.ident)),
        syn::UseTree::Glob(_) => found("*".to_owned(), prefix.clone()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| reexports(t, prefix, found)),
    }
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
    public: bool,
    module: &[String],
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
    let key = CallKey { owner: owner.map(str::to_owned), name: sig.ident.to_string(), via: None };
    FnItem { key, params, ret, module: module.to_vec(), public, of_trait: false }
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
