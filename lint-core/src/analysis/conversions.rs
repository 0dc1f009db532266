//! What the syntax says about a copied value's type (its [`Shape`]) and
//! about its binding's uses around a copy; the copies themselves are the
//! walk's per-fn fact ([`crate::walk::copies`]). Shared by
//! `redundant_clone`, `clone_in_loop` and `unnecessary_to_owned`.

use std::ops::Range;

use syn::spanned::Spanned;
use syn::{Expr, Type};

use crate::semantic::ty::Ty;
use crate::syntax::paths::{call_of, is_str_literal, path_is, strip_parens};
use crate::syntax::place::Place;
use crate::walk::{BindingId, BindingOrigin, FnCx, UseKind};

// ----- what the syntax says about a binding's type ---------------------------

/// The kind of value a binding holds, as far as its declaration shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `String`.
    String,
    /// `str` (behind a reference), or a string literal.
    Str,
    /// `Vec<T>`.
    Vec,
    /// `[T]` (behind a reference).
    Slice,
    /// `VecDeque`, `BinaryHeap`.
    Collection,
    /// `HashSet`, `BTreeSet`.
    Set,
    /// `HashMap`, `BTreeMap`.
    Map,
    /// Other owners of a heap buffer: `Box`, `PathBuf`, `OsString`, `CString`.
    OtherHeap,
    /// `Rc`, `Arc`: cloning one only counts a reference.
    Shared,
}

impl Shape {
    /// Whether cloning an owned value of this shape allocates (when not empty).
    pub fn owns_heap(self) -> bool {
        matches!(self, Shape::String | Shape::Vec | Shape::Collection | Shape::Set | Shape::Map | Shape::OtherHeap)
    }

    /// Whether it is text (`String` or `str`).
    pub fn is_text(self) -> bool {
        matches!(self, Shape::String | Shape::Str)
    }

    /// Whether it is a sequence with a slice view (`Vec` or `[T]`).
    pub fn is_sequence(self) -> bool {
        matches!(self, Shape::Vec | Shape::Slice)
    }
}

/// A binding's shape and whether it holds a reference to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// The value's shape.
    pub shape: Shape,
    /// The binding holds a reference (`&str`, `&Vec<T>`), not the value.
    pub borrowed: bool,
    /// That reference is `&mut`.
    pub mutable_ref: bool,
}

/// The shape of a written type (`String`, `&[T]`, `&mut Vec<T>`).
pub fn shape_of_type(ty: &Type) -> Option<Known> {
    match ty {
        Type::Reference(r) => shape_of_type(&r.elem).map(|k| Known {
            borrowed: true,
            mutable_ref: k.mutable_ref || r.mutability.is_some(),
            ..k
        }),
        Type::Paren(p) => shape_of_type(&p.elem),
        Type::Group(g) => shape_of_type(&g.elem),
        Type::Slice(_) => Some(Known { shape: Shape::Slice, borrowed: false, mutable_ref: false }),
        Type::Path(p) if p.qself.is_none() => {
            let name = p.path.segments.last()?.ident.to_string();
            if !path_is(&p.path, &[&name]) {
                return None;
            }
            shape_named(&name).map(|shape| Known { shape, borrowed: false, mutable_ref: false })
        }
        _ => None,
    }
}

fn shape_named(name: &str) -> Option<Shape> {
    Some(match name {
        "String" => Shape::String,
        "str" => Shape::Str,
        "Vec" => Shape::Vec,
        "VecDeque" | "BinaryHeap" => Shape::Collection,
        "HashSet" | "BTreeSet" => Shape::Set,
        "HashMap" | "BTreeMap" => Shape::Map,
        "Box" | "PathBuf" | "OsString" | "CString" => Shape::OtherHeap,
        "Rc" | "Arc" => Shape::Shared,
        _ => return None,
    })
}

/// The shape of the value an initialiser certainly builds: a string
/// literal, `format!`, `vec!`, `x.to_string()`, `x.to_vec()`,
/// `collect::<Vec<_>>()`, `String::from(..)`, `Vec::new()`, `Rc::new(..)`, ...
pub fn shape_of_init<'ast>(fx: &FnCx<'_, '_, 'ast>, init: &'ast Expr) -> Option<Known> {
    let owned = |shape| Some(Known { shape, borrowed: false, mutable_ref: false });
    let init = strip_parens(init);
    if is_str_literal(init) {
        return Some(Known { shape: Shape::Str, borrowed: true, mutable_ref: false });
    }
    match init {
        Expr::Macro(m) => match fx.cx.macro_call(&m.mac).name.as_deref() {
            Some("format") => owned(Shape::String),
            Some("vec") => owned(Shape::Vec),
            _ => None,
        },
        Expr::MethodCall(m) => match m.method.to_string().as_str() {
            "to_string" if m.args.is_empty() => owned(Shape::String),
            "to_vec" if m.args.is_empty() => owned(Shape::Vec),
            "to_owned" if m.args.is_empty() && is_str_literal(&m.receiver) => owned(Shape::String),
            "collect" => {
                let turbofish = m.turbofish.as_ref()?;
                match turbofish.args.first()? {
                    syn::GenericArgument::Type(ty) => shape_of_type(ty).filter(|k| !k.borrowed),
                    _ => None,
                }
            }
            _ => None,
        },
        e => {
            let (path, _) = call_of(e)?;
            let mut segments = path.segments.iter().rev();
            let ctor = segments.next()?.ident.to_string();
            let ty = segments.next()?.ident.to_string();
            let builds = ["new", "with_capacity", "from", "default", "from_iter"].contains(&ctor.as_str())
                && path_is(path, &[&ty, &ctor]);
            // `String::new()` etc.; `Box::new(x)` and `Rc::new(x)` too.
            builds.then(|| shape_named(&ty)).flatten().filter(|s| *s != Shape::Str).and_then(owned)
        }
    }
}

/// The shape of an inferred type ([`super::types`]).
pub fn shape_of_ty(ty: &Ty) -> Option<Known> {
    match ty {
        Ty::Ref(mutable, inner) => {
            shape_of_ty(inner).map(|k| Known { borrowed: true, mutable_ref: k.mutable_ref || *mutable, ..k })
        }
        Ty::Slice(_) => Some(Known { shape: Shape::Slice, borrowed: false, mutable_ref: false }),
        Ty::Std(name, _) => shape_named(name).map(|shape| Known { shape, borrowed: false, mutable_ref: false }),
        _ => None,
    }
}

/// What the code states about a binding's type: its declaration, its
/// initialiser, the loop it iterates ([`super::types::binding_ty`]); for a
/// `let` whose initialiser the inference doesn't know, what the
/// initialiser's spelling shows ([`shape_of_init`]).
pub fn known(fx: &FnCx<'_, '_, '_>, id: BindingId) -> Option<Known> {
    if let Some(ty) = super::types::binding_ty(fx, id) {
        return shape_of_ty(&ty);
    }
    let binding = &fx.facts.bindings[id];
    match binding.origin {
        BindingOrigin::Let if binding.ty.is_none() => binding.init.and_then(|init| shape_of_init(fx, init)),
        _ => None,
    }
}

/// The type of a place (`x`, `self.items`, `e.memo.0`) rooted at the
/// binding `root`: the binding's type, then each field's
/// ([`super::types::field_ty`]).
pub fn place_ty(fx: &FnCx<'_, '_, '_>, place: &Place, root: BindingId) -> Option<Ty> {
    let mut ty = super::types::binding_ty(fx, root)?;
    for field in &place.fields {
        ty = super::types::field_ty(fx, &ty, field)?;
    }
    Some(ty)
}

// ----- uses ------------------------------------------------------------------

/// Whether `binding` is named inside `range` other than at `except`.
pub fn used_in(fx: &FnCx<'_, '_, '_>, binding: BindingId, range: &Range<usize>, except: &Range<usize>) -> bool {
    fx.facts.uses_of(binding).any(|u| {
        let at = u.span.byte_range().start;
        range.contains(&at) && !except.contains(&at)
    })
}

/// Whether `binding` is used after walk position `order`.
/// A use in another branch of the same `if`/`else` or `match` doesn't
/// count (it never runs after), unless a loop that doesn't hold the
/// binding's declaration runs the construct again.
pub fn used_after(fx: &FnCx<'_, '_, '_>, binding: BindingId, order: u32) -> bool {
    let declared = fx.facts.bindings[binding].order;
    let repeated = fx.facts.loops.iter().any(|lp| lp.contains(order) && !lp.contains(declared));
    fx.facts.uses_of(binding).any(|u| u.order > order && (repeated || !fx.facts.exclusive(order, u.order)))
}

/// The copying methods [`conversion_of`] knows.
pub const COPIES: &[&str] = &["clone", "to_owned", "to_vec", "to_string"];

/// Methods that only read their receiver and return nothing borrowed from
/// it that could outlive the statement.
pub const READS: &[&str] = &[
    "len",
    "is_empty",
    "contains",
    "contains_key",
    "starts_with",
    "ends_with",
    "capacity",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
];

/// Methods that only read their receiver (some return borrows of it).
pub const READ_ONLY: &[&str] = &[
    "len",
    "is_empty",
    "contains",
    "contains_key",
    "starts_with",
    "ends_with",
    "capacity",
    "get",
    "first",
    "last",
    "iter",
    "keys",
    "values",
    "chars",
    "bytes",
    "lines",
    "split",
    "trim",
    "as_str",
    "as_slice",
    "as_bytes",
    "as_ref",
    "as_path",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "find",
    "binary_search",
];

/// The span of a node as a byte range.
pub fn range_of(node: &impl Spanned) -> Range<usize> {
    node.span().byte_range()
}

// ----- places ------------------------------------------------------------------

/// A place written as a plain path or field chain (`x`, `self.items`), not
/// through `*` or `&` (`(&x).clone()` clones the reference).
pub fn place_of(expr: &Expr) -> Option<Place> {
    fn plain(expr: &Expr) -> bool {
        match strip_parens(expr) {
            Expr::Path(_) => true,
            Expr::Field(f) => plain(&f.base),
            _ => false,
        }
    }
    plain(expr).then(|| Place::of(expr)).flatten()
}

/// What the code states about the type of a place: a binding's type
/// ([`known`]), or for `self.field` / `x.field.0` the fields' declared
/// types in structs of this file.
pub fn place_shape(fx: &FnCx<'_, '_, '_>, place: &Place, root: BindingId) -> Option<Known> {
    if place.fields.is_empty() {
        return known(fx, root);
    }
    shape_of_ty(&place_ty(fx, place, root)?)
}

/// Whether a binding may be changed through uses that look like reads
/// (`x.f = ..`, `x[i] = ..`, `f(x)` reborrowing a `&mut`): declared `mut`,
/// as a `&mut` (or `&mut self`), or of a type the syntax doesn't show.
pub fn may_be_mutable(fx: &FnCx<'_, '_, '_>, id: BindingId) -> bool {
    let binding = &fx.facts.bindings[id];
    if binding.mutable {
        return true;
    }
    match binding.origin {
        BindingOrigin::SelfParam => false,
        BindingOrigin::Param | BindingOrigin::Let => {
            if let Some(k) = known(fx, id) {
                return k.mutable_ref;
            }
            let declared_mut = binding.ty.is_some_and(|ty| matches!(ty, Type::Reference(r) if r.mutability.is_some()));
            let init_mut = binding.init.is_some_and(|init| match strip_parens(init) {
                Expr::Reference(r) => r.mutability.is_some(),
                Expr::MethodCall(m) => m.method.to_string().ends_with("_mut"),
                _ => false,
            });
            declared_mut || init_mut || (binding.ty.is_none() && binding.init.is_none())
        }
        _ => true,
    }
}

/// Whether every use of `binding` between walk positions `start` and `end`,
/// other than the one at `except`, leaves it unchanged.
pub fn unchanged_in(fx: &FnCx<'_, '_, '_>, binding: BindingId, start: u32, end: u32, except: &Range<usize>) -> bool {
    let mutable = may_be_mutable(fx, binding);
    fx.facts.uses_of(binding).filter(|u| start <= u.order && u.order < end).all(|u| {
        if except.contains(&u.span.byte_range().start) {
            return true;
        }
        match u.kind {
            UseKind::Borrow | UseKind::FormatArg => true,
            UseKind::MethodReceiver(m) => {
                READ_ONLY.iter().any(|r| m.method == r) || (m.args.is_empty() && COPIES.iter().any(|c| m.method == c))
            }
            // Reading through a field or index, or copying a shared
            // reference, can change nothing when the binding is immutable.
            UseKind::FieldBase | UseKind::Indexed | UseKind::Value => !mutable,
            _ => false,
        }
    })
}

/// Whether a binding other than `binding`, declared before position
/// `order` from an initialiser that borrows `binding` other than to read
/// it, is used after `order`: it may hold a borrow of `binding` (an
/// iterator, an entry, a `&mut`) that a new borrow or a move would conflict with.
pub fn borrow_held_across(fx: &FnCx<'_, '_, '_>, binding: BindingId, order: u32) -> bool {
    fx.facts.bindings.iter().enumerate().any(|(id, b)| {
        if id == binding || b.order >= order || !used_after(fx, id, order) {
            return false;
        }
        let Some(init) = b.init else { return false };
        let range = range_of(init);
        fx.facts.uses_of(binding).any(|u| {
            range.contains(&u.span.byte_range().start)
                && !matches!(u.kind, UseKind::MethodReceiver(m) if READS.iter().any(|r| m.method == r))
                && !matches!(u.kind, UseKind::FormatArg)
        })
    })
}
