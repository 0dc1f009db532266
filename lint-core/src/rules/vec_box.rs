//! `vec_box`: a `Vec<Box<T>>` (or `VecDeque<Box<T>>`) of a sized, small `T`,
//! which allocates once per element where the vector's buffer could hold the
//! values themselves.

use syn::Type;
use syn::spanned::Spanned;

use crate::analysis::boxing::{dictated_by_trait, std_type};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Level};
use crate::layout::{Shape, TypeIndex};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::syntax::boxing::{LARGE_VALUE_BYTES, heap_collection_names, heap_header_size};
use crate::syntax::paths::single_generic;
use crate::walk::Rule;
use crate::walk::{Cx, Emitter};

pub(crate) struct VecBox;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &VecBox;

static META: RuleMeta = RuleMeta {
    name: "vec_box",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a `Vec<Box<T>>` of a small sized `T` that the vector could store inline",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Unsafe,
    clippy: &["vec_box"],
    confirmed_by: &[Reason::Box],
    fix_leaves_one: false,
    crate_wide: true,
};

const DOCS: &str = r#"## What it does
Finds `Vec<Box<T>>` and `VecDeque<Box<T>>` types where `T` is sized and
known from the syntax: a primitive, a tuple or an array of known size, a
pointer, a standard collection (`String`, `Vec<U>`, ..), or a struct, enum or
union defined in the same crate (named bare or through `crate::`, `self::`
or `super::`).

## Why is this bad
Every element is a separate heap allocation, and every access follows a
pointer from the vector's buffer to it, scattered across the heap. A
`Vec<T>` keeps the values next to each other in its one buffer: filling it
with 1000 elements costs about 11 allocations instead of about 1011, and
iterating it reads memory in order.

## Example
```rust
struct Point { x: f64, y: f64 }

struct Path {
    points: Vec<Box<Point>>,
}
```

## Use instead
```rust
struct Point { x: f64, y: f64 }

struct Path {
    points: Vec<Point>,
}
```

## Known limitations
memlint doesn't compile the code. Types from other crates (`geo::Point`,
or `Point` imported with `use geo::Point;`) are not reported: their size and
sizedness are unknown. A path into the crate is followed when it starts
from `crate::`/`self::`/`super::`, a module the file declares, or a name
the file imports from the crate (`model::Point` after `use crate::model;`). A
crate type is skipped when its estimated size is over 4096 bytes (boxing
keeps moves of large values cheap, the limit clippy uses), but types whose
size can't be estimated (with fields of foreign types, enums with payloads)
are reported whatever their size. Two crate types of the same name in
different modules can't be told apart. Generic parameters, `Self`, trait
objects, `impl Trait`, `str`, slices and zero-sized types are never
reported; arrays need a literal length. Files that use raw pointers (`*const`, `*mut`,
`into_raw`, `from_raw`) or `Pin` are skipped, since boxes keep their values at stable addresses while the
vector reallocates. Signatures of methods in trait impls are left alone (the
trait dictates them).
"#;

/// Marker in the message before the element type, which the crate phase
/// reads back to look up that type's size.
const EACH: &str = "stores each `";

/// What the syntax says about the boxed element.
enum Element {
    /// Sized, of this many bytes.
    Sized(u64),
    /// A type named like this: a finding only if the crate defines it.
    Named(String),
}

impl Rule for VecBox {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::TYPE
    }

    fn check_type<'ast>(&self, cx: &Cx<'_, 'ast>, ty: &'ast Type, out: &mut Emitter) {
        let Some(vec) = std_type(cx, ty, &["Vec", "VecDeque"]) else { return };
        // `Vec<Box<T>, A>` (custom allocator) has two arguments: not matched.
        let Some(boxed) = single_generic(vec) else { return };
        let Some(boxed_seg) = std_type(cx, boxed, &["Box"]) else { return };
        let Some(elem) = single_generic(boxed_seg) else { return };
        let span = cx.span(boxed.span());
        if dictated_by_trait(cx, ty) {
            return;
        }
        let Some(element) = element(cx, elem) else { return };
        if cx.uses_addresses() {
            return;
        }
        let written = cx.text(ty);
        let elem_text = cx.text(elem);
        let cost = "one allocation per element, and a pointer to follow on every access";
        let message = match &element {
            Element::Sized(size) => {
                format!("`{written}` stores each {size}-byte `{elem_text}` in its own heap allocation: {cost}")
            }
            Element::Named(_) => format!("`{written}` {EACH}{elem_text}` in its own heap allocation: {cost}"),
        };
        let ty_span = cx.span(ty.span());
        let text = cx.source().text();
        let inline = match (text.get(ty_span.start..span.start), text.get(span.end..ty_span.end)) {
            (Some(head), Some(tail)) => format!("{head}{elem_text}{tail}"),
            _ => format!("Vec<{elem_text}>"),
        };
        let mut d: Diagnostic = cx.diagnostic(&META, boxed.span(), message);
        d.help = Some(format!("store the values in the vector's own buffer: `{inline}`"));
        // Code that pushes `Box::new(..)` or relies on stable addresses must change too.
        d.fix = Some(Fix {
            edits: vec![Edit { span, replacement: elem_text.to_owned() }],
            applicability: Applicability::MaybeIncorrect,
        });
        match element {
            Element::Sized(_) => out.emit_outermost(d),
            // Large values are boxed on purpose, to keep moves cheap.
            Element::Named(name) => out.emit_if_defined_within_outermost(name, LARGE_VALUE_BYTES, d),
        }
    }
}

/// Classifies the boxed type; `None` when it is not certainly sized and
/// small, or not certainly the crate's own.
fn element(cx: &Cx<'_, '_>, elem: &Type) -> Option<Element> {
    let size = match elem {
        Type::Paren(p) => return element(cx, &p.elem),
        Type::Group(g) => return element(cx, &g.elem),
        Type::Path(p) if p.qself.is_none() => {
            let names: Vec<&str> = heap_collection_names().collect();
            if let Some(collection) = std_type(cx, elem, &names) {
                return heap_header_size(&collection.ident.to_string()).map(Element::Sized);
            }
            let segments = &p.path.segments;
            let last = segments.last()?;
            let name = last.ident.to_string();
            let imports = &cx.items().imports;
            let local = match (segments.len(), segments.first()) {
                _ if p.path.leading_colon.is_some() => false,
                // A name imported from another crate is not this crate's type of that name.
                (1, _) => !imports.may_be_foreign(&name),
                (_, Some(first)) => imports.starts_in_crate(&first.ident.to_string()),
                _ => false,
            };
            if !local || name == "Self" || name == "str" || segments.len() == 1 && cx.is_generic_param(&name) {
                return None;
            }
            match Shape::of(elem, &|n| cx.is_generic_param(n), cx.target()) {
                // A name (possibly with generic arguments, `Node<u8>`) the crate may define.
                Shape::Named(_) | Shape::Applied(..) | Shape::Unknown => return Some(Element::Named(name)),
                shape => known_size(&shape)?,
            }
        }
        Type::Tuple(_) | Type::Array(_) | Type::Reference(_) | Type::Ptr(_) | Type::BareFn(_) => {
            known_size(&Shape::of(elem, &|n| cx.is_generic_param(n), cx.target()))?
        }
        // Trait objects, `impl Trait`, slices, `_`, macros.
        _ => return None,
    };
    // A box of a zero-sized value does not allocate; a large one may be boxed on purpose.
    (size > 0 && size <= LARGE_VALUE_BYTES).then_some(Element::Sized(size))
}

/// The size of a shape made only of types whose layout the syntax fixes.
fn known_size(shape: &Shape) -> Option<u64> {
    TypeIndex::default().layout(shape).map(|l| l.size)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, lint_all, replacement};

    const RULE: &str = "vec_box";

    #[test]
    fn imports_say_whose_type_a_name_is() {
        check(
            RULE,
            r#"
mod model { pub struct Point { x: f64 } pub struct Line { a: u8 } }
use crate::shapes;
use geo::Line;
use crate::model::Point as P;
struct S {
    a: Vec<Box<model::Point>>, //~
    // Renamed: the crate defines no type `P` (renames are not followed).
    b: Vec<Box<P>>,
    c: Vec<Box<Line>>,
    d: Vec<Box<unknown::Point>>,
    e: Vec<Box<::model::Point>>,
}
"#,
        );
    }

    #[test]
    fn boxes_of_sized_values() {
        let found = check(
            RULE,
            r#"
use std::collections::VecDeque;
struct Point { x: f64, y: f64 }
enum Shape { Dot, Line(u8) }
struct S {
    a: Vec<Box<u64>>, //~
    b: Vec<Box<Point>>, //~
    c: VecDeque<Box<Shape>>, //~
    d: Vec<Box<(u8, u32)>>, //~
    e: Vec<Box<[u8; 16]>>, //~
    f: Vec<Box<crate::Point>>, //~
    g: Vec<Box<String>>, //~
}
fn f(
    points: &[Box<Point>],
    all: Vec<Box<Point>>, //~
) -> Vec<Box<i32>> { //~
    let v: std::vec::Vec<Box<Point>> = Vec::new(); //~
    todo!()
}
"#,
        );
        assert_eq!(
            found[0].message,
            "`Vec<Box<u64>>` stores each 8-byte `u64` in its own heap allocation: one allocation per element, and a pointer to follow on every access"
        );
        assert_eq!(found[0].span.column, 12);
        assert_eq!(found[0].help.as_deref(), Some("store the values in the vector's own buffer: `Vec<u64>`"));
        assert_eq!(replacement(&found[1]), "Point");
        assert!(found[1].message.contains("stores each `Point` in its own"), "{}", found[1].message);
        assert!(found[3].message.contains("8-byte `(u8, u32)`"), "{}", found[3].message);
        assert!(found[6].message.contains("24-byte `String`"), "{}", found[6].message);
        assert_eq!(found.len(), 10);
        assert_eq!(
            found[9].help.as_deref(),
            Some("store the values in the vector's own buffer: `std::vec::Vec<Point>`")
        );
    }

    #[test]
    fn unsized_generic_and_foreign_elements_are_clean() {
        check_clean(
            RULE,
            r#"
trait Draw {}
struct S<T: ?Sized> {
    a: Vec<Box<dyn Draw>>,
    b: Vec<Box<dyn Fn()>>,
    c: Vec<Box<str>>,
    d: Vec<Box<[u8]>>,
    e: Vec<Box<T>>,
    f: Vec<Box<geo::Point>>,
    g: Vec<Box<model::Point>>,
    h: Vec<Box<Undefined>>,
    i: Vec<Box<()>>,
    j: Vec<Box<[u8; 8192]>>,
    k: Vec<Box<[u8; N]>>,
    l: Vec<Box<Draw>>,
    m: Vec<Box<std::path::Path>>,
}
impl<U> S<U> { fn f(&self) -> Vec<Box<U>> { todo!() } fn g() -> Vec<Box<Self>> { todo!() } }
fn h(x: Vec<Box<impl Draw>>) {}
"#,
        );
    }

    #[test]
    fn large_crate_types_are_boxed_on_purpose() {
        check_clean(
            RULE,
            r#"
struct Page { bytes: [u8; 8192], len: usize }
struct Book { pages: Vec<Box<Page>> }
"#,
        );
        check(
            RULE,
            r#"
struct Small { bytes: [u8; 64] }
struct Book { pages: Vec<Box<Small>> } //~
"#,
        );
    }

    #[test]
    fn unsized_and_zero_sized_crate_types_are_not_reported() {
        check_clean(
            RULE,
            r#"
pub struct Packet { len: u32, data: [u8] }
pub struct Marker;
pub struct Empty {}
struct Queue { packets: Vec<Box<Packet>>, marks: Vec<Box<Marker>>, empties: Vec<Box<Empty>> }
"#,
        );
    }

    #[test]
    fn recursive_types_are_reported_since_the_vec_is_the_indirection() {
        check(
            RULE,
            r#"
struct Tree { children: Vec<Box<Tree>> } //~
"#,
        );
    }

    #[test]
    fn stable_addresses_and_shadowed_names() {
        check_clean(
            RULE,
            r#"
struct Node { next: *const Node }
struct Arena { nodes: Vec<Box<Node>> }
"#,
        );
        check_clean(
            RULE,
            r#"
struct Box<T>(T);
struct S { a: Vec<Box<u8>> }
"#,
        );
    }

    #[test]
    fn a_box_of_a_block_shadows_in_that_block_only() {
        // Items of a block are visible in all of it, and nowhere else; a
        // comment naming `struct Box` shadows nothing.
        check(
            RULE,
            r#"
// This struct Box is not std's: use other::Box;
pub struct Small(u8);
pub fn f() -> usize {
    let v: Vec<Box<Small>> = Vec::new();
    struct Box<T>(T);
    v.len()
}
pub fn g() -> Vec<Box<Small>> { Vec::new() } //~
"#,
        );
    }

    #[test]
    fn trait_impl_signatures_are_left_alone() {
        check(
            RULE,
            r#"
trait Source { fn all(&self) -> Vec<Box<u32>>; } //~
struct File;
impl Source for File { fn all(&self) -> Vec<Box<u32>> { Vec::new() } }
"#,
        );
    }

    #[test]
    fn nested_once_and_box_collection_wins() {
        let found = check(RULE, "struct S { a: Vec<Box<Vec<Box<u8>>>> } //~\n");
        assert_eq!(found.len(), 1);
        assert_eq!(lint_all("struct S { a: Vec<Box<Vec<Box<u8>>>> }\n"), [("box_collection", 1)]);
        assert_eq!(lint_all("struct S { a: Vec<Box<String>> }\n"), [("box_collection", 1)]);
    }
}
