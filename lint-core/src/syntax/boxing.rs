//! What the boxing rules (`box_collection`, `vec_box`, `needless_box`)
//! share: standard smart pointers and collections recognised by spelling,
//! guarded against same-named user types, and where a written type may not
//! be changed.

use syn::spanned::Spanned;
use syn::{PathSegment, Type};

use super::paths::path_is;
use crate::diagnostic::Span;
use crate::layout::DefKind;
use crate::walk::{Cx, Emitter};

/// Values bigger than this are often boxed on purpose, to keep moves cheap
/// and the stack small (clippy's `vec_box` uses the same limit).
pub const LARGE_VALUE_BYTES: u64 = 4096;

/// Signs in a file that a box's pointer itself matters: raw pointers (a
/// `Box<Vec<T>>` is a thin pointer to hand to C; boxes keep values at stable
/// addresses while a vector of them reallocates) and pinning.
const ADDRESS_USES: &[&str] = &["*const", "*mut", "into_raw", "from_raw", "Pin<"];

/// Whether the file works with raw pointers or pinning (see [`ADDRESS_USES`]).
pub fn uses_addresses(text: &str) -> bool {
    ADDRESS_USES.iter().any(|a| text.contains(a))
}

/// Standard types that own a heap buffer, with the size of the header they
/// keep inline on a 64-bit target: pointer, capacity and length for the
/// vector-like ones, plus the hasher state for `HashMap`/`HashSet`, head
/// index for `VecDeque`, root and length for the B-trees.
const HEAP_HEADERS: &[(&str, u64)] = &[
    ("BTreeMap", 24),
    ("BTreeSet", 24),
    ("BinaryHeap", 24),
    ("HashMap", 48),
    ("HashSet", 48),
    ("OsString", 24),
    ("PathBuf", 24),
    ("String", 24),
    ("Vec", 24),
    ("VecDeque", 32),
];

/// The names of [`HEAP_HEADERS`].
pub fn heap_collection_names() -> impl Iterator<Item = &'static str> {
    HEAP_HEADERS.iter().map(|&(name, _)| name)
}

/// The inline size of a standard heap-owning collection named `name`.
pub fn heap_header_size(name: &str) -> Option<u64> {
    HEAP_HEADERS.iter().find(|(n, _)| *n == name).map(|&(_, size)| size)
}

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
    let name = last.ident.to_string();
    let known = names.contains(&name.as_str()) && path_is(path, &[&name]);
    (known && !shadowed(cx.source().text(), &name)).then_some(last)
}

/// Whether the file defines (`struct Vec`, `type Vec = ..`), renames
/// (`.. as Vec`) or imports from outside std (`use bumpalo::collections::Vec`)
/// something called `name`. A text scan: cheap, and it errs on the side of
/// "shadowed" (a mention in a comment counts), which only loses findings.
pub fn shadowed(text: &str, name: &str) -> bool {
    let defined = word_starts(text, name).any(|at| {
        let before = text[..at].trim_end();
        ["struct", "enum", "union", "type", "trait", "as"].iter().any(|kw| ends_with_word(before, kw))
    });
    defined || word_starts(text, "use").any(|at| imports_non_std(&text[at..], name))
}

/// Whether the `use` statement starting `rest` names `name` and does not
/// start at a std crate root.
fn imports_non_std(rest: &str, name: &str) -> bool {
    let stmt = rest.split(';').next().unwrap_or("");
    let path = stmt["use".len()..].trim_start().trim_start_matches("::");
    let root = path.split(|c: char| !is_ident_char(c)).next().unwrap_or("");
    !["std", "core", "alloc"].contains(&root) && word_starts(stmt, name).next().is_some()
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte offsets where `word` occurs as a whole identifier.
fn word_starts<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    text.match_indices(word).map(|(at, _)| at).filter(move |&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

fn ends_with_word(text: &str, word: &str) -> bool {
    text.strip_suffix(word).is_some_and(|head| !head.chars().next_back().is_some_and(is_ident_char))
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

/// Whether `ty` is a field of an enum variant of this file. Boxing there is
/// often deliberate: it keeps the enum small (a `Box` is 8 bytes, a `Vec`
/// 24, and every value of the enum is as big as its largest variant).
pub fn in_enum_variant(cx: &Cx<'_, '_>, out: &Emitter, ty: &Type) -> bool {
    let span = cx.span(ty.span());
    out.types.iter().any(|def| match &def.kind {
        DefKind::Enum(variants) => variants.iter().any(|v| contains(v.span, span)),
        _ => false,
    })
}

/// Whether `rule` already reported code that encloses `span` in this file
/// (the walk visits outer types before the types nested in them).
pub fn inside_finding(out: &Emitter, rule: &str, span: Span) -> bool {
    let pending = out.pending.iter().map(|p| &p.diagnostic);
    out.diagnostics.iter().chain(pending).any(|d| d.rule == rule && contains(d.span, span))
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}
