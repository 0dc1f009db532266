//! Struct and enum definitions, recorded during the walk with everything the
//! layout rules need, owned so that a crate's files can be joined.

use std::path::PathBuf;

use syn::Attribute;
use syn::spanned::Spanned;

use super::shape::{Shape, is_unsized};
use crate::diagnostic::Span;
use crate::source::SourceFile;

/// A struct or enum of the crate.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The type's name.
    pub name: String,
    /// The file it is defined in, as the caller named it.
    pub file: PathBuf,
    /// The name's span.
    pub name_span: Span,
    /// What its `#[repr(..)]` says.
    pub repr: Repr,
    /// Whether it has type or const parameters (its size then depends on them).
    pub generic: bool,
    /// Whether it is test code.
    pub in_test: bool,
    /// Whether it derives `Copy` (boxing a field would break that).
    pub copy: bool,
    /// A tuple struct: its fields are named by position, so their order is
    /// part of its interface.
    pub tuple: bool,
    /// Whether its last field is unsized (`[T]`, `str`, `dyn Trait`): the
    /// type is then unsized too.
    pub unsized_tail: bool,
    /// Struct fields, or enum variants.
    pub kind: DefKind,
}

/// Fields or variants.
#[derive(Debug, Clone)]
pub enum DefKind {
    /// A struct (or union, which is never reported, as [`DefKind::Union`]).
    Struct(Vec<FieldDef>),
    /// An enum's variants.
    Enum(Vec<VariantDef>),
    /// A union: its size is its largest field's.
    Union(Vec<FieldDef>),
}

/// One field.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// The field name, or its index for tuple fields.
    pub name: String,
    /// Where the type is written.
    pub ty_span: Span,
    /// The type's layout shape.
    pub shape: Shape,
    /// The whole field, attributes and doc comments included.
    pub span: Span,
    /// `name: Type` (just the type for tuple fields), without attributes.
    pub decl_span: Span,
}

/// One enum variant.
#[derive(Debug, Clone)]
pub struct VariantDef {
    /// The variant name.
    pub name: String,
    /// The whole variant.
    pub span: Span,
    /// Its payload.
    pub fields: Vec<FieldDef>,
}

/// The parts of `#[repr(..)]` that change layout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repr {
    /// `repr(C)`: fields in declaration order.
    pub c: bool,
    /// `repr(packed)` or `repr(packed(N))`: no padding (or less).
    pub packed: bool,
    /// `repr(transparent)`.
    pub transparent: bool,
    /// `repr(align(N))`.
    pub align: Option<u64>,
    /// `repr(u8)`, `repr(i32)`, ..: the size of an enum's tag.
    pub int: Option<u64>,
    /// An attribute we could not read (`cfg_attr(.., repr(..))` and friends).
    pub unreadable: bool,
}

impl Repr {
    /// Reads every `#[repr]` attribute.
    pub fn of(attrs: &[Attribute]) -> Repr {
        let mut repr = Repr::default();
        for attr in attrs {
            if attr.path().is_ident("cfg_attr")
                && attr.meta.require_list().is_ok_and(|l| l.tokens.to_string().contains("repr"))
            {
                repr.unreadable = true;
            }
            if !attr.path().is_ident("repr") {
                continue;
            }
            let parsed = attr.parse_nested_meta(|meta| {
                let path = &meta.path;
                if path.is_ident("C") {
                    repr.c = true;
                } else if path.is_ident("transparent") {
                    repr.transparent = true;
                } else if path.is_ident("packed") {
                    repr.packed = true;
                    if meta.input.peek(syn::token::Paren) {
                        let _: proc_macro2::TokenStream = meta.input.parse()?;
                    }
                } else if path.is_ident("align") {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let lit: syn::LitInt = content.parse()?;
                    repr.align = Some(lit.base10_parse()?);
                } else if let Some(size) = path.get_ident().and_then(|i| int_repr_size(&i.to_string())) {
                    repr.int = Some(size);
                } else {
                    repr.unreadable = true;
                }
                Ok(())
            });
            if parsed.is_err() {
                repr.unreadable = true;
            }
        }
        repr
    }
}

fn int_repr_size(name: &str) -> Option<u64> {
    match name {
        "u8" | "i8" => Some(1),
        "u16" | "i16" => Some(2),
        "u32" | "i32" => Some(4),
        "u64" | "i64" | "usize" | "isize" => Some(8),
        "u128" | "i128" => Some(16),
        _ => None,
    }
}

/// Reads a field list.
fn fields<'a>(
    src: &SourceFile,
    fields: impl IntoIterator<Item = &'a syn::Field>,
    is_generic: &dyn Fn(&str) -> bool,
) -> Vec<FieldDef> {
    fields
        .into_iter()
        .enumerate()
        .map(|(i, f)| FieldDef {
            name: f.ident.as_ref().map_or_else(|| i.to_string(), ToString::to_string),
            ty_span: src.span(f.ty.span()),
            shape: Shape::of(&f.ty, is_generic),
            span: src.span(f.span()),
            decl_span: {
                let ty = src.span(f.ty.span());
                match &f.ident {
                    Some(ident) => {
                        let name = src.span(ident.span());
                        Span { end_line: ty.end_line, end_column: ty.end_column, end: ty.end, ..name }
                    }
                    None => ty,
                }
            },
        })
        .collect()
}

impl TypeDef {
    /// Records a struct, enum or union item; `None` for other items.
    pub(crate) fn of_item(src: &SourceFile, item: &syn::Item, in_test: bool) -> Option<TypeDef> {
        let (attrs, ident, generics) = match item {
            syn::Item::Struct(s) => (&s.attrs, &s.ident, &s.generics),
            syn::Item::Enum(e) => (&e.attrs, &e.ident, &e.generics),
            syn::Item::Union(u) => (&u.attrs, &u.ident, &u.generics),
            _ => return None,
        };
        let params: Vec<String> = generics.type_params().map(|p| p.ident.to_string()).collect();
        let is_generic = |name: &str| params.iter().any(|p| p == name);
        let kind = match item {
            syn::Item::Struct(s) => DefKind::Struct(fields(src, &s.fields, &is_generic)),
            syn::Item::Union(u) => DefKind::Union(fields(src, &u.fields.named, &is_generic)),
            syn::Item::Enum(e) => DefKind::Enum(
                e.variants
                    .iter()
                    .map(|v| VariantDef {
                        name: v.ident.to_string(),
                        span: src.span(v.span()),
                        fields: fields(src, &v.fields, &is_generic),
                    })
                    .collect(),
            ),
            _ => return None,
        };
        Some(TypeDef {
            name: ident.to_string(),
            file: src.path().to_path_buf(),
            name_span: src.span(ident.span()),
            repr: Repr::of(attrs),
            generic: generics.type_params().next().is_some() || generics.const_params().next().is_some(),
            in_test: in_test || crate::walk::has_cfg_test(attrs),
            copy: derives(attrs, "Copy"),
            tuple: matches!(item, syn::Item::Struct(s) if matches!(s.fields, syn::Fields::Unnamed(_))),
            unsized_tail: match item {
                syn::Item::Struct(s) => s.fields.iter().last().is_some_and(|f| is_unsized(&f.ty)),
                _ => false,
            },
            kind,
        })
    }
}

/// Whether `#[derive(..)]` lists `name` (also as a path: `core::marker::Copy`).
fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
        a.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .is_ok_and(|paths| paths.iter().any(|p| p.segments.last().is_some_and(|s| s.ident == name)))
    })
}
