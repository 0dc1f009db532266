//! The layout-relevant shape of a written type, read from syntax alone and
//! owned, so that type definitions of every file of a crate can be joined
//! after the files' syntax trees are gone.

use syn::{GenericArgument, PathArguments, Type};

use super::Layout;
use crate::target::Target;

/// What the syntax says about a type's size and alignment on the target
/// being linted ([`Target`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Shape {
    /// Size and alignment certain from the type alone (primitives, pointers,
    /// `Vec`, `String`, ..).
    Known(Layout),
    /// A type defined elsewhere, found by its last path segment; only types
    /// without generic arguments are looked up.
    Named(String),
    /// A generic type defined elsewhere with its type arguments (`Foo<u64>`):
    /// sized with the arguments put in for its parameters.
    Applied(String, Vec<Shape>),
    /// The `i`th type parameter of the definition the shape is written in.
    Param(usize),
    /// `[T; N]` with a literal `N`.
    Array(Box<Shape>, u64),
    /// `(A, B, ..)`, laid out like a `repr(Rust)` struct.
    Tuple(Vec<Shape>),
    /// Anything else: generic parameters, foreign generic types, macros,
    /// `impl Trait`, arrays with a non-literal length, ...
    Unknown,
}

/// `words` pointer-sized words: a thin pointer (1), a fat pointer (2: data
/// pointer plus length or vtable), `Vec<T>`, `String`, `PathBuf`,
/// `OsString` (3: pointer, capacity, length).
fn words(target: &Target, words: u64) -> Layout {
    let ptr = target.pointer_bytes();
    Layout { size: words * ptr, align: ptr }
}

impl Shape {
    /// Reads the shape of `ty` on `target`. `is_generic` tells which names
    /// are type parameters in scope (their size is unknown).
    pub fn of(ty: &Type, is_generic: &dyn Fn(&str) -> bool, target: &Target) -> Shape {
        Shape::read(ty, &|name| is_generic(name).then_some(None), target)
    }

    /// Reads the shape of a field of a definition with the type parameters
    /// `params`: they become [`Shape::Param`], put in when the definition
    /// is sized with arguments.
    pub fn of_field(ty: &Type, params: &[String], target: &Target) -> Shape {
        Shape::read(ty, &|name| params.iter().position(|p| p == name).map(Some), target)
    }

    /// The shape with `args` put in for [`Shape::Param`]s (a parameter
    /// with no argument is unknown).
    pub fn substitute(&self, args: &[Shape]) -> Shape {
        match self {
            Shape::Param(i) => args.get(*i).cloned().unwrap_or(Shape::Unknown),
            Shape::Array(elem, n) => Shape::Array(Box::new(elem.substitute(args)), *n),
            Shape::Tuple(elems) => Shape::Tuple(elems.iter().map(|e| e.substitute(args)).collect()),
            Shape::Applied(name, inner) => {
                Shape::Applied(name.clone(), inner.iter().map(|e| e.substitute(args)).collect())
            }
            other => other.clone(),
        }
    }

    /// `param(name)`: `None` for a name that is no type parameter,
    /// `Some(Some(i))` for the `i`th, `Some(None)` for one that can't be put in.
    fn read(ty: &Type, param: &dyn Fn(&str) -> Option<Option<usize>>, target: &Target) -> Shape {
        let is_generic = param;
        match ty {
            Type::Paren(p) => Shape::read(&p.elem, is_generic, target),
            Type::Group(g) => Shape::read(&g.elem, is_generic, target),
            Type::Reference(r) => pointer_to(&r.elem, target),
            Type::Ptr(p) => pointer_to(&p.elem, target),
            Type::BareFn(_) => Shape::Known(words(target, 1)),
            Type::Never(_) => Shape::Known(Layout { size: 0, align: 1 }),
            Type::Tuple(t) => {
                if t.elems.is_empty() {
                    Shape::Known(Layout { size: 0, align: 1 })
                } else {
                    Shape::Tuple(t.elems.iter().map(|e| Shape::read(e, is_generic, target)).collect())
                }
            }
            Type::Array(a) => match array_len(&a.len) {
                Some(n) => Shape::Array(Box::new(Shape::read(&a.elem, is_generic, target)), n),
                None => Shape::Unknown,
            },
            Type::Path(p) if p.qself.is_none() => path_shape(&p.path, is_generic, target),
            _ => Shape::Unknown,
        }
    }
}

/// An array length written as a literal or simple arithmetic on literals
/// (`1 << 20`, `4 * 1024`).
fn array_len(expr: &syn::Expr) -> Option<u64> {
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) => i.base10_parse().ok(),
        syn::Expr::Paren(p) => array_len(&p.expr),
        syn::Expr::Binary(b) => {
            let (l, r) = (array_len(&b.left)?, array_len(&b.right)?);
            match b.op {
                syn::BinOp::Shl(_) => l.checked_shl(u32::try_from(r).ok()?),
                syn::BinOp::Mul(_) => l.checked_mul(r),
                syn::BinOp::Add(_) => l.checked_add(r),
                syn::BinOp::Sub(_) => l.checked_sub(r),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `ty` has no size known at compile time (`str`, slices, trait
/// objects), so that a pointer to it is fat.
pub(super) fn is_unsized(ty: &Type) -> bool {
    match ty {
        Type::Slice(_) | Type::TraitObject(_) => true,
        Type::Paren(p) => is_unsized(&p.elem),
        Type::Path(p) => p.qself.is_none() && ["str", "OsStr", "Path", "CStr"].iter().any(|name| p.path.is_ident(name)),
        _ => false,
    }
}

fn pointer_to(pointee: &Type, target: &Target) -> Shape {
    Shape::Known(words(target, if is_unsized(pointee) { 2 } else { 1 }))
}

fn primitive(name: &str, target: &Target) -> Option<Layout> {
    let (size, align) = match name {
        "u8" | "i8" | "bool" => (1, 1),
        "u16" | "i16" => (2, 2),
        "u32" | "i32" | "f32" | "char" => (4, 4),
        "u64" | "i64" | "f64" => (8, target.align_64),
        "usize" | "isize" => (target.pointer_bytes(), target.pointer_bytes()),
        // Unknown where memlint is not sure of their alignment.
        "u128" | "i128" => (16, target.align_128?),
        _ => return None,
    };
    Some(Layout { size, align })
}

/// The `T` of `Name<T>` when it is the only generic argument.
fn only_type_arg(segment: &syn::PathSegment) -> Option<&Type> {
    let PathArguments::AngleBracketed(args) = &segment.arguments else { return None };
    let mut types = args.args.iter().filter_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let first = types.next()?;
    types.next().is_none().then_some(first)
}

fn path_shape(path: &syn::Path, is_generic: &dyn Fn(&str) -> Option<Option<usize>>, target: &Target) -> Shape {
    let Some(last) = path.segments.last() else { return Shape::Unknown };
    let name = last.ident.to_string();
    if path.segments.len() == 1
        && let Some(param) = is_generic(&name)
    {
        return param.map_or(Shape::Unknown, Shape::Param);
    }
    if last.arguments.is_none() && matches!(name.as_str(), "u128" | "i128") {
        // Without a known alignment, not a type of the crate either.
        if let Some(layout) = primitive(&name, target) {
            return Shape::Known(layout);
        }
        return Shape::Unknown;
    }
    if let Some(layout) = primitive(&name, target).filter(|_| last.arguments.is_none()) {
        return Shape::Known(layout);
    }
    match name.as_str() {
        "Box" | "Rc" | "Arc" | "NonNull" => match only_type_arg(last) {
            Some(inner) => pointer_to(inner, target),
            // `Box<T, A>` with a custom allocator: unknown.
            None => Shape::Unknown,
        },
        "Vec" | "String" | "PathBuf" | "OsString" => Shape::Known(words(target, 3)),
        "PhantomData" | "PhantomPinned" => Shape::Known(Layout { size: 0, align: 1 }),
        "NonZeroU8" | "NonZeroI8" => Shape::Known(Layout { size: 1, align: 1 }),
        "NonZeroU16" | "NonZeroI16" => Shape::Known(Layout { size: 2, align: 2 }),
        "NonZeroU32" | "NonZeroI32" => Shape::Known(Layout { size: 4, align: 4 }),
        "NonZeroU64" | "NonZeroI64" => Shape::Known(Layout { size: 8, align: target.align_64 }),
        "NonZeroUsize" | "NonZeroIsize" => Shape::Known(words(target, 1)),
        // Transparent wrappers: the layout of what they wrap.
        "Cell" | "UnsafeCell" | "ManuallyDrop" | "Wrapping" | "Saturating" | "MaybeUninit" => {
            only_type_arg(last).map_or(Shape::Unknown, |inner| Shape::read(inner, is_generic, target))
        }
        "Option" => match only_type_arg(last) {
            // The null pointer (or zero) is the `None` niche: same size as the inner type.
            Some(inner) if has_null_niche(inner) => Shape::read(inner, is_generic, target),
            _ => Shape::Unknown,
        },
        _ if last.arguments.is_none() => Shape::Named(name),
        // `Foo<u64>`: type arguments only (a lifetime changes no size; a
        // const argument is not read).
        _ => match &last.arguments {
            PathArguments::AngleBracketed(args)
                if args.args.iter().all(|a| matches!(a, GenericArgument::Type(_) | GenericArgument::Lifetime(_))) =>
            {
                let types = args.args.iter().filter_map(|a| match a {
                    GenericArgument::Type(t) => Some(Shape::read(t, is_generic, target)),
                    _ => None,
                });
                Shape::Applied(name, types.collect())
            }
            _ => Shape::Unknown,
        },
    }
}

/// Types whose all-zero bit pattern is invalid, so `Option` stores `None` in it.
fn has_null_niche(ty: &Type) -> bool {
    match ty {
        Type::Reference(_) | Type::BareFn(_) => true,
        Type::Path(p) => p.path.segments.last().is_some_and(|s| {
            matches!(s.ident.to_string().as_str(), "Box" | "Rc" | "Arc" | "NonNull" | "Vec" | "String")
                || s.ident.to_string().starts_with("NonZero")
        }),
        _ => false,
    }
}
