//! What the boxing rules (`box_collection`, `vec_box`, `needless_box`)
//! share that needs the walk's context: standard smart pointers and
//! collections recognised by spelling, guarded against same-named user
//! types, and where a written type may not be changed.

use syn::spanned::Spanned;
use syn::{PathSegment, Type};

use crate::diagnostic::Span;
use crate::layout::DefKind;
use crate::syntax::paths::path_is;
use crate::walk::Cx;

/// The last segment of `ty` when it names one of `names`, written bare or as
/// a std path (`std::boxed::Box`), and the file neither defines nor imports
/// another type of that name.
pub fn std_type<'t>(cx: &Cx<'_, '_>, ty: &'t Type, names: &[&str]) -> Option<&'t PathSegment> {
    let path = match ty {
        Type::Path(p) if p.qself.is_none() => &p.path,
        Type::Paren(p) => return std_type(cx, &p.elem, names),
        Type::Group(g) => return std_type(cx, &g.elem, names),
        _ => return None,
    };
    let last = path.segments.last()?;
    // Compared without allocating: this runs for every type of every file.
    let name = *names.iter().find(|&&name| last.ident == name)?;
    (path_is(path, &[name]) && !cx.shadows(name)).then_some(last)
}

/// Whether `ty` is written in the signature of a method of a trait impl:
/// the trait dictates it, so the finding belongs on the trait.
pub fn dictated_by_trait(cx: &Cx<'_, '_>, ty: &Type) -> bool {
    let ty = ty.span().byte_range();
    cx.in_trait_impl()
        && cx.facts().sig.is_some_and(|sig| {
            let sig = sig.span().byte_range();
            sig.start <= ty.start && ty.end <= sig.end
        })
}

/// Whether `ty` is written in the signature of an `extern "ABI" fn`: a
/// `Box<String>` there is a thin pointer handed to or from foreign code.
pub fn in_extern_fn_signature(cx: &Cx<'_, '_>, ty: &Type) -> bool {
    cx.facts().sig.is_some_and(|sig| {
        let (outer, inner) = (sig.span().byte_range(), ty.span().byte_range());
        sig.abi.is_some() && outer.start <= inner.start && inner.end <= outer.end
    })
}

/// Whether `ty` is a field of an enum variant of this file. Boxing there is
/// often deliberate: it keeps the enum small (a `Box` is 8 bytes, a `Vec`
/// 24, and every value of the enum is as big as its largest variant).
pub fn in_enum_variant(cx: &Cx<'_, '_>, ty: &Type) -> bool {
    let span = cx.span(ty.span());
    cx.file_types().iter().any(|def| match &def.kind {
        DefKind::Enum(variants) => variants.iter().any(|v| contains(v.span, span)),
        _ => false,
    })
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}
