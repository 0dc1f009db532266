//! Recognising paths, calls and types by their spelling.
//!
//! memlint doesn't compile, so `Vec::new()` is recognised by name. Paths may be
//! qualified through the standard library (`std::vec::Vec::new`) or carry
//! turbofish generics (`Vec::<u8>::new`).

use syn::punctuated::Punctuated;
use syn::{Expr, Path, Type};

/// Crate roots a std path may start with.
const STD_ROOTS: &[&str] = &["std", "core", "alloc"];

/// `expr` without surrounding parentheses or invisible groups.
pub fn strip_parens(mut expr: &Expr) -> &Expr {
    loop {
        match expr {
            Expr::Paren(p) => expr = &p.expr,
            Expr::Group(g) => expr = &g.expr,
            _ => return expr,
        }
    }
}

/// The identifier `expr` names, when it is a plain local-looking path (`x`, `self`).
pub fn as_ident(expr: &Expr) -> Option<&syn::Ident> {
    match strip_parens(expr) {
        Expr::Path(p) if p.qself.is_none() && p.path.leading_colon.is_none() && p.path.segments.len() == 1 => {
            let seg = &p.path.segments[0];
            seg.arguments.is_none().then_some(&seg.ident)
        }
        _ => None,
    }
}

/// Whether the last segments of `path` are `names` and any segments before
/// them are a std crate root and modules (`std::collections::HashMap`).
pub fn path_is(path: &Path, names: &[&str]) -> bool {
    // Without collecting the segments: this runs for every type and call.
    let Some(split) = path.segments.len().checked_sub(names.len()) else {
        return false;
    };
    let tail_matches = path.segments.iter().skip(split).zip(names).all(|(seg, name)| seg.ident == name);
    let head_ok =
        split == 0 || path.segments.first().is_some_and(|first| STD_ROOTS.iter().any(|root| first.ident == root));
    tail_matches && head_ok
}

/// For a call of a path (`Vec::new()`, `String::from(x)`), the path and arguments.
pub fn call_of(expr: &Expr) -> Option<(&Path, &Punctuated<Expr, syn::Token![,]>)> {
    match strip_parens(expr) {
        Expr::Call(call) => match strip_parens(&call.func) {
            Expr::Path(p) if p.qself.is_none() => Some((&p.path, &call.args)),
            _ => None,
        },
        _ => None,
    }
}

/// The name of a macro when its path is a bare name or a std path (`std::format`).
pub fn macro_name(mac: &syn::Macro) -> Option<String> {
    let path = &mac.path;
    let name = path.segments.last()?.ident.to_string();
    (path.segments.len() == 1 || path_is(path, &[&name])).then_some(name)
}

/// The last path segment of a type, looking through references and parentheses.
pub fn type_last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        Type::Reference(r) => type_last_segment(&r.elem),
        Type::Paren(p) => type_last_segment(&p.elem),
        Type::Group(g) => type_last_segment(&g.elem),
        _ => None,
    }
}

/// What the syntax of a type says about how many items it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sizedness {
    /// A collection with a `len()` method (Vec, slice, map, set, ...).
    HasLen,
    /// An array of this many elements.
    Array(u64),
}

/// Container types whose `len()` is the number of items a `for` loop over them yields.
const LEN_TYPES: &[&str] = &[
    "Vec",
    "VecDeque",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "BinaryHeap",
    "IndexMap",
    "IndexSet",
    "SmallVec",
    "ArrayVec",
];

/// Whether `ty` is a collection the syntax knows the length of (`Vec<T>`,
/// `&[T]`, `[T; 4]`, `&HashMap<K, V>`, `Box<[T]>`).
pub fn type_sizedness(ty: &Type) -> Option<Sizedness> {
    match ty {
        Type::Reference(r) => type_sizedness(&r.elem),
        Type::Paren(p) => type_sizedness(&p.elem),
        Type::Group(g) => type_sizedness(&g.elem),
        Type::Slice(_) => Some(Sizedness::HasLen),
        Type::Array(a) => Some(match int_literal(&a.len) {
            Some(n) => Sizedness::Array(n),
            None => Sizedness::HasLen,
        }),
        Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            if LEN_TYPES.iter().any(|t| last.ident == t) {
                return Some(Sizedness::HasLen);
            }
            // `Box<[T]>`, `Rc<[T]>`, `Arc<[T]>`.
            if ["Box", "Rc", "Arc"].iter().any(|t| last.ident == t) {
                if let Some(Type::Slice(_)) = single_generic(last) {
                    return Some(Sizedness::HasLen);
                }
            }
            None
        }
        _ => None,
    }
}

/// The single generic type argument of a path segment (`Box<T>` -> `T`).
pub fn single_generic(seg: &syn::PathSegment) -> Option<&Type> {
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(args) => {
            let mut types = args.args.iter().filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            });
            let first = types.next();
            if types.next().is_some() { None } else { first }
        }
        _ => None,
    }
}

/// The value of an unsuffixed or integer-suffixed integer literal.
pub fn int_literal(expr: &Expr) -> Option<u64> {
    match strip_parens(expr) {
        Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) => i.base10_parse().ok(),
        _ => None,
    }
}

/// Whether `expr` is a string literal.
pub fn is_str_literal(expr: &Expr) -> bool {
    matches!(strip_parens(expr), Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(_), .. }))
}
/// Whether the type parameter `name` of `sig` appears anywhere in the
/// signature other than as the whole type of parameter `param` and its own
/// bounds: in another parameter, the return type, or another parameter's
/// bounds. A generic parameter only borrows its argument when the callee
/// can't keep or return it through that type (`fn id<T: AsRef<str>>(x: T) -> T` can).
pub fn generic_used_elsewhere(sig: &syn::Signature, param: usize, name: &syn::Ident) -> bool {
    use quote::ToTokens;
    fn mentions(tokens: proc_macro2::TokenStream, name: &syn::Ident) -> bool {
        tokens.into_iter().any(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => ident == *name,
            proc_macro2::TokenTree::Group(group) => mentions(group.stream(), name),
            _ => false,
        })
    }
    let other_inputs =
        sig.inputs.iter().enumerate().any(|(i, input)| i != param && mentions(input.to_token_stream(), name));
    let output = mentions(sig.output.to_token_stream(), name);
    let other_bounds = sig.generics.params.iter().any(|g| match g {
        syn::GenericParam::Type(t) => t.ident != *name && mentions(t.bounds.to_token_stream(), name),
        _ => false,
    });
    let where_bounds = sig.generics.where_clause.iter().flat_map(|w| &w.predicates).any(|pred| match pred {
        syn::WherePredicate::Type(pt) => {
            let own = matches!(&pt.bounded_ty, Type::Path(b) if b.path.is_ident(name));
            !own && mentions(pred.to_token_stream(), name)
        }
        _ => false,
    });
    other_inputs || output || other_bounds || where_bounds
}
