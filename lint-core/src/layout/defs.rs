//! Struct and enum definitions, recorded during the walk with everything the
//! layout rules need, owned so that a crate's files can be joined.

use std::path::PathBuf;

use syn::Attribute;
use syn::spanned::Spanned;

use super::shape::{Shape, is_unsized};
use crate::diagnostic::Span;
use crate::source::SourceFile;
use crate::target::Target;

/// A struct or enum of the crate.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TypeDef {
    /// The type's name.
    pub name: String,
    /// The file it is defined in, as the caller named it. Not stored in a
    /// cache entry (it is the entry's file): set again when read back.
    #[serde(skip)]
    pub file: PathBuf,
    /// The name's span.
    pub name_span: Span,
    /// What its `#[repr(..)]` says.
    pub repr: Repr,
    /// Whether it has type or const parameters (its size then depends on them).
    pub generic: bool,
    /// How many type parameters it has, when it has no const parameter
    /// (then [`super::Shape::Applied`] arguments size it); `None` otherwise.
    #[serde(default)]
    pub type_params: Option<usize>,
    /// Whether it is test code.
    pub in_test: bool,
    /// Whether it derives `Copy` (boxing a field would break that).
    pub copy: bool,
    /// Whether it derives `Clone`.
    #[serde(default)]
    pub clone: bool,
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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum DefKind {
    /// A struct (or union, which is never reported, as [`DefKind::Union`]).
    Struct(Vec<FieldDef>),
    /// An enum's variants.
    Enum(Vec<VariantDef>),
    /// A union: its size is its largest field's.
    Union(Vec<FieldDef>),
}

/// One field.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct VariantDef {
    /// The variant name.
    pub name: String,
    /// The whole variant.
    pub span: Span,
    /// Its payload.
    pub fields: Vec<FieldDef>,
}

/// The parts of `#[repr(..)]` that change layout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// Reads every `#[repr]` attribute (`repr(usize)` is as wide as
    /// `target`'s pointers).
    pub fn of(attrs: &[Attribute], target: &Target) -> Repr {
        let mut repr = Repr::default();
        for attr in attrs {
            if attr.path().is_ident("cfg_attr")
                && attr.meta.require_list().is_ok_and(|l| crate::syntax::macros::mentions(&l.tokens, "repr"))
            {
                repr.unreadable = true;
            }
            if !attr.path().is_ident("repr") {
                continue;
            }
            // A token scan, not `parse_nested_meta`: generated code puts
            // `#[repr(C)]` on thousands of structs.
            if !attr.meta.require_list().is_ok_and(|list| repr.read_list(&list.tokens, target)) {
                repr.unreadable = true;
            }
        }
        repr
    }
}

impl Repr {
    /// Reads the items of one `repr(..)` list into `self`; false if the list
    /// is not a comma-separated list of `name` or `name(args)`.
    fn read_list(&mut self, tokens: &proc_macro2::TokenStream, target: &Target) -> bool {
        use proc_macro2::{Delimiter, TokenTree};
        let mut tokens = tokens.clone().into_iter().peekable();
        while let Some(token) = tokens.next() {
            let TokenTree::Ident(name) = token else { return false };
            let args = match tokens.peek() {
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let stream = g.stream();
                    tokens.next();
                    Some(stream)
                }
                _ => None,
            };
            let name = name.to_string();
            match (name.as_str(), args) {
                ("C", None) => self.c = true,
                ("transparent", None) => self.transparent = true,
                ("packed", _) => self.packed = true,
                ("align", Some(args)) => {
                    let mut args = args.into_iter();
                    match (args.next(), args.next()) {
                        (Some(TokenTree::Literal(lit)), None) => {
                            let Ok(align) = syn::LitInt::from(lit).base10_parse() else { return false };
                            self.align = Some(align);
                        }
                        _ => return false,
                    }
                }
                (name, None) => match int_repr_size(name, target) {
                    Some(size) => self.int = Some(size),
                    None => self.unreadable = true,
                },
                _ => self.unreadable = true,
            }
            match tokens.next() {
                None => break,
                Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
                Some(_) => return false,
            }
        }
        true
    }
}

fn int_repr_size(name: &str, target: &Target) -> Option<u64> {
    match name {
        "u8" | "i8" => Some(1),
        "u16" | "i16" => Some(2),
        "u32" | "i32" => Some(4),
        "u64" | "i64" => Some(8),
        "usize" | "isize" => Some(target.pointer_bytes()),
        "u128" | "i128" => Some(16),
        _ => None,
    }
}

/// Whether the order of a struct's fields may be reported (`padded_struct`):
/// a `#[repr(C)]` struct with an order of its own to choose, not the mirror
/// of a C type (`SYSTEM_INFO`, `stat`: not UpperCamelCase), nor a tuple
/// struct (`.0`, `.1` are its fields' names), nor generic. Only such
/// structs record their fields' spans.
pub fn field_order_reportable(name: &str, repr: &Repr, generic: bool, tuple: bool) -> bool {
    repr.c && !repr.packed && !repr.transparent && !repr.unreadable && !generic && !tuple && is_upper_camel_case(name)
}

/// `UpperCamelCase`: how Rust names its own types (C types come as
/// `snake_case` or `SCREAMING_CASE`).
fn is_upper_camel_case(name: &str) -> bool {
    let name = name.strip_prefix("r#").unwrap_or(name);
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && !name.contains('_')
        && name.chars().any(|c| c.is_ascii_lowercase())
}

/// The span of a field whose place is not recorded (line 0 is no line).
const UNRECORDED: Span = Span { line: 0, column: 0, end_line: 0, end_column: 0, start: 0, end: 0 };

/// Reads a field list; with `spans`, where each field is written (else
/// the spans are empty: the fields are only sized).
fn fields<'a>(
    src: &SourceFile,
    fields: impl IntoIterator<Item = &'a syn::Field>,
    params: &[String],
    target: &Target,
    spans: bool,
) -> Vec<FieldDef> {
    fields
        .into_iter()
        .enumerate()
        // A field compiled only on other targets (rustix's 32-bit padding)
        // is not part of the layout memlint sizes (the configured target);
        // one whose `cfg` it can't tell (a feature) makes the layout unknown.
        .filter_map(|(i, f)| match crate::syntax::cfg::enabled(&f.attrs, target) {
            Some(false) => None,
            Some(true) => Some((i, f, None)),
            None => Some((i, f, Some(Shape::Unknown))),
        })
        .map(|(i, f, unknown)| {
            let name = f.ident.as_ref().map_or_else(|| i.to_string(), ToString::to_string);
            let shape = unknown.unwrap_or_else(|| Shape::of_field(&f.ty, params, target));
            if !spans {
                return FieldDef { name, ty_span: UNRECORDED, shape, span: UNRECORDED, decl_span: UNRECORDED };
            }
            // Spans are put together from first and last tokens instead of
            // re-tokenizing, and each position is converted once.
            let (ty_first, ty_last) = crate::syntax::spans::type_ends(&f.ty);
            let ty = src.span_between(ty_first, ty_last);
            let decl_span = f.ident.as_ref().map_or(ty, |ident| src.span_to(ident.span(), ty));
            let first = f.attrs.first().map(|a| a.pound_token.span).or_else(|| visibility_span(&f.vis));
            let span = with_doc_lines_above(src, first.map_or(decl_span, |first| src.span_to(first, ty)));
            FieldDef { name, ty_span: ty, shape, span, decl_span }
        })
        .collect()
}

/// `span` widened to the `///` lines right above it: doc comments are not
/// parsed (see [`crate::syntax::doc_comments`]), but a field moves with its
/// documentation.
fn with_doc_lines_above(src: &SourceFile, span: Span) -> Span {
    let text = src.text();
    let mut start = span.start.min(text.len());
    loop {
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        if line_start == 0 || !text[line_start..start].trim().is_empty() {
            break;
        }
        let above = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[above..line_start - 1];
        let doc = line.trim_start();
        if !crate::syntax::doc_comments::is_outer_doc(doc.as_bytes()) {
            break;
        }
        start = above + (line.len() - doc.len());
    }
    if start == span.start {
        return span;
    }
    let (line, column) = src.line_col(start);
    Span { line, column, start, ..span }
}

/// A variant's span, from its first token to its last, without
/// re-tokenizing the variant (see [`fields`]).
fn variant_span(src: &SourceFile, v: &syn::Variant) -> Span {
    let first = v.attrs.first().map_or_else(|| v.ident.span(), |a| a.pound_token.span);
    let last = match (&v.discriminant, &v.fields) {
        (Some((_, value)), _) => value.span(),
        (None, syn::Fields::Named(named)) => named.brace_token.span.close(),
        (None, syn::Fields::Unnamed(unnamed)) => unnamed.paren_token.span.close(),
        (None, syn::Fields::Unit) => v.ident.span(),
    };
    src.span_between(first, last)
}

/// The span of the `pub` keyword of a visibility, if written.
fn visibility_span(vis: &syn::Visibility) -> Option<proc_macro2::Span> {
    match vis {
        syn::Visibility::Public(p) => Some(p.span),
        syn::Visibility::Restricted(r) => Some(r.pub_token.span),
        syn::Visibility::Inherited => None,
    }
}

impl TypeDef {
    /// Records a struct, enum or union item; `None` for other items.
    pub(crate) fn of_item(src: &SourceFile, item: &syn::Item, in_test: bool, target: &Target) -> Option<TypeDef> {
        let (attrs, ident, generics) = match item {
            syn::Item::Struct(s) => (&s.attrs, &s.ident, &s.generics),
            syn::Item::Enum(e) => (&e.attrs, &e.ident, &e.generics),
            syn::Item::Union(u) => (&u.attrs, &u.ident, &u.generics),
            _ => return None,
        };
        let params: Vec<String> = generics.type_params().map(|p| p.ident.to_string()).collect();
        let name = ident.to_string();
        let repr = Repr::of(attrs, target);
        let generic = generics.type_params().next().is_some() || generics.const_params().next().is_some();
        let tuple = matches!(item, syn::Item::Struct(s) if matches!(s.fields, syn::Fields::Unnamed(_)));
        let kind = match item {
            syn::Item::Struct(s) => {
                // Converting positions is most of the cost of recording a
                // type, and generated crates define structs by the ten
                // thousand (windows-sys): where fields are only sized, never
                // reported, their spans are left empty.
                let spans = field_order_reportable(&name, &repr, generic, tuple);
                DefKind::Struct(fields(src, &s.fields, &params, target, spans))
            }
            syn::Item::Union(u) => DefKind::Union(fields(src, &u.fields.named, &params, target, false)),
            syn::Item::Enum(e) => DefKind::Enum(
                e.variants
                    .iter()
                    .map(|v| VariantDef {
                        name: v.ident.to_string(),
                        span: variant_span(src, v),
                        fields: fields(src, &v.fields, &params, target, true),
                    })
                    .collect(),
            ),
            _ => return None,
        };
        Some(TypeDef {
            name,
            file: src.path().to_path_buf(),
            name_span: src.span(ident.span()),
            repr,
            generic,
            type_params: generics.const_params().next().is_none().then_some(params.len()),
            in_test: in_test || crate::syntax::test_modules::has_cfg_test(attrs),
            copy: derives(attrs, "Copy"),
            clone: derives(attrs, "Clone"),
            tuple,
            unsized_tail: match item {
                syn::Item::Struct(s) => s.fields.iter().last().is_some_and(|f| is_unsized(&f.ty)),
                _ => false,
            },
            kind,
        })
    }
}

/// Whether `#[derive(..)]` lists `name` (also as a path: `core::marker::Copy`).
pub fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| a.meta.require_list().is_ok_and(|l| lists_path_ending_in(&l.tokens, name)))
}

/// Whether a comma-separated list of paths (a derive list) has a path whose
/// last segment is `name`: `name` followed by a comma or the end. A token
/// scan, not a parse: every struct of generated code derives something.
fn lists_path_ending_in(tokens: &proc_macro2::TokenStream, name: &str) -> bool {
    use proc_macro2::TokenTree;
    let mut tokens = tokens.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        if let TokenTree::Ident(ident) = token {
            if ident == name {
                match tokens.peek() {
                    None => return true,
                    Some(TokenTree::Punct(p)) if p.as_char() == ',' => return true,
                    _ => {}
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use syn::spanned::Spanned;

    use super::*;

    #[test]
    fn repr_attributes_are_read() {
        let repr = |attrs: &str| {
            let item: syn::ItemStruct = syn::parse_str(&format!("{attrs} struct S;")).expect("parses");
            Repr::of(&item.attrs, &Target::default())
        };
        assert_eq!(repr(""), Repr::default());
        assert_eq!(repr("#[repr(C)]"), Repr { c: true, ..Repr::default() });
        assert_eq!(repr("#[repr(C, packed)]"), Repr { c: true, packed: true, ..Repr::default() });
        assert_eq!(repr("#[repr(packed(2))]"), Repr { packed: true, ..Repr::default() });
        assert_eq!(repr("#[repr(align(16), C,)]"), Repr { c: true, align: Some(16), ..Repr::default() });
        assert_eq!(repr("#[repr(transparent)]"), Repr { transparent: true, ..Repr::default() });
        assert_eq!(repr("#[repr(u8)] #[repr(C)]"), Repr { c: true, int: Some(1), ..Repr::default() });
        assert_eq!(repr("#[repr(i128)]"), Repr { int: Some(16), ..Repr::default() });
        for unreadable in [
            "#[repr(Rust)]",
            "#[repr(align)]",
            "#[repr(align(x))]",
            "#[repr(align(1, 2))]",
            "#[repr(C C)]",
            "#[repr(simd)]",
            "#[repr = \"C\"]",
            "#[repr(core::C)]",
            "#[cfg_attr(unix, repr(C))]",
        ] {
            assert!(repr(unreadable).unreadable, "{unreadable}");
        }
    }

    #[test]
    fn derive_lists_are_read_by_last_segment() {
        let derives_copy = |attr: &str| {
            let item: syn::ItemStruct = syn::parse_str(&format!("{attr} struct S;")).expect("parses");
            derives(&item.attrs, "Copy")
        };
        assert!(derives_copy("#[derive(Copy)]"));
        assert!(derives_copy("#[derive(Clone, Copy, Debug)]"));
        assert!(derives_copy("#[derive(Clone, core::marker::Copy,)]"));
        assert!(derives_copy("#[derive(Debug)] #[derive(::core::marker::Copy)]"));
        assert!(!derives_copy("#[derive(Clone, Debug)]"));
        assert!(!derives_copy("#[derive(Copy::Helper)]"));
        assert!(!derives_copy("#[derive(CopyLike)]"));
        assert!(!derives_copy("#[allow(Copy)]"));
        assert!(!derives_copy("#[cfg_attr(x, derive(Copy))]"));
    }

    /// The spans put together from first and last tokens are the spans syn
    /// computes by re-tokenizing the whole node.
    #[test]
    fn field_and_variant_spans_match_syn() {
        let text = "#[repr(C)] struct Sample {\n    #[doc = \"x\"] pub(crate) a: Vec<u8>,\n    pub b: u64,\n    c: [u8; 3],\n}\nstruct T(#[allow(x)] u8, pub Box<str>);\nenum E {\n    #[cfg(x)] A = 1 + 2,\n    B { x: u8 },\n    C(u16, u32),\n    D,\n}\n";
        let src = SourceFile::new("t.rs", text);
        let file = syn::parse_file(text).expect("parses");
        let mut checked = 0;
        for item in &file.items {
            let def = TypeDef::of_item(&src, item, false, &Target::default()).expect("a type");
            match (item, &def.kind) {
                (syn::Item::Struct(s), DefKind::Struct(fields)) => {
                    // Only fields a rule may reorder have their spans
                    // recorded: `Sample`'s, not those of the tuple struct `T`.
                    let reportable = s.ident == "Sample";
                    for (field, def) in s.fields.iter().zip(fields) {
                        if reportable {
                            assert_eq!(def.span, src.span(field.span()), "field {}", def.name);
                            assert_eq!(def.ty_span, src.span(field.ty.span()));
                        } else {
                            assert_eq!((def.span, def.ty_span, def.decl_span), (UNRECORDED, UNRECORDED, UNRECORDED));
                        }
                        checked += 1;
                    }
                }
                (syn::Item::Enum(e), DefKind::Enum(variants)) => {
                    for (variant, def) in e.variants.iter().zip(variants) {
                        assert_eq!(def.span, src.span(variant.span()), "variant {}", def.name);
                        checked += 1;
                    }
                }
                _ => unreachable!("only structs and enums here"),
            }
        }
        assert_eq!(checked, 9);
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}
