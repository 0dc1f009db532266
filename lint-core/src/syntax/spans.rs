//! The first and last token of common syntax nodes, without re-tokenizing.
//!
//! syn's `Spanned::span` turns the node back into a token stream (cloning
//! every identifier) to join the spans of its ends. That is fine for a
//! finding, but the layout index takes the span of every struct field's
//! type of every file, where it was the walk's largest single cost.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{PathArguments, ReturnType, Type};

/// The spans of the first and last token of `ty`; equal to the start and
/// end of `ty.span()` (a test checks this on every kind of type).
pub fn type_ends(ty: &Type) -> (Span, Span) {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            let first =
                p.path.leading_colon.map(|c| c.spans[0]).or_else(|| p.path.segments.first().map(|s| s.ident.span()));
            match (first, p.path.segments.last()) {
                (Some(first), Some(last)) => (first, segment_end(last).unwrap_or_else(|| ty.span())),
                _ => whole(ty),
            }
        }
        Type::Reference(r) => (r.and_token.spans[0], type_ends(&r.elem).1),
        Type::Ptr(p) => (p.star_token.spans[0], type_ends(&p.elem).1),
        Type::Slice(s) => (s.bracket_token.span.open(), s.bracket_token.span.close()),
        Type::Array(a) => (a.bracket_token.span.open(), a.bracket_token.span.close()),
        Type::Tuple(t) => (t.paren_token.span.open(), t.paren_token.span.close()),
        Type::Paren(p) => (p.paren_token.span.open(), p.paren_token.span.close()),
        _ => whole(ty),
    }
}

/// The last token of a path segment: its `>`, its `)` or return type, or
/// its name.
fn segment_end(segment: &syn::PathSegment) -> Option<Span> {
    match &segment.arguments {
        PathArguments::None => Some(segment.ident.span()),
        PathArguments::AngleBracketed(args) => Some(args.gt_token.spans[0]),
        PathArguments::Parenthesized(args) => match &args.output {
            ReturnType::Default => Some(args.paren_token.span.close()),
            ReturnType::Type(_, ty) => Some(type_ends(ty).1),
        },
    }
}

/// Both ends from syn's span, for the kinds of type not handled above.
fn whole(ty: &Type) -> (Span, Span) {
    let span = ty.span();
    (span, span)
}

#[cfg(test)]
mod tests {
    use syn::spanned::Spanned;

    use super::type_ends;

    /// Every kind of type the fast path handles, and some it leaves to syn.
    #[test]
    fn ends_equal_syns_span() {
        let types = [
            "u8",
            "::std::vec::Vec<u8>",
            "Vec<Box<dyn Fn(u8) -> u8>>",
            "HashMap<K, V, S>",
            "&'a mut [u8]",
            "*const core::ffi::c_void",
            "*mut *mut T",
            "[u8; 4 * 1024]",
            "(u8, String)",
            "()",
            "(u8)",
            "Box<dyn FnMut()>",
            "fn(u8) -> u16",
            "impl Iterator<Item = u8>",
            "<T as Trait>::Output",
            "Option<fn() -> Result<(), E>>",
            "dyn Fn(u8) -> &'static str",
        ];
        for text in types {
            let ty: syn::Type = syn::parse_str(text).expect(text);
            let (first, last) = type_ends(&ty);
            let span = ty.span();
            assert_eq!((first.start(), last.end()), (span.start(), span.end()), "{text}");
            assert_eq!(
                (first.byte_range().start, last.byte_range().end),
                (span.byte_range().start, span.byte_range().end),
                "{text}"
            );
        }
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}
