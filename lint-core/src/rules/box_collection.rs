//! `box_collection`: a `Box` around a collection that already keeps its
//! contents on the heap (`Box<Vec<T>>`, `Box<String>`), and an `Rc`/`Arc`
//! around a `Vec` or `String` that is never mutated through the pointer.

use syn::Type;
use syn::spanned::Spanned;

use crate::analysis::boxing::{dictated_by_trait, in_enum_variant, in_extern_fn_signature, std_type};
use crate::diagnostic::{Applicability, Edit, Fix, Level};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::syntax::boxing::{heap_collection_names, heap_header_size};
use crate::syntax::paths::single_generic;
use crate::walk::Rule;
use crate::walk::{Cx, Emitter};

pub(crate) struct BoxCollection;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &BoxCollection;

static META: RuleMeta = RuleMeta {
    name: "box_collection",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a `Box`, `Rc` or `Arc` around a collection that already points to the heap",
    docs: DOCS,
    in_tests: false,
    supersedes: &["vec_box"],
    options: &[],
    fix: FixSafety::Unsafe,
    clippy: &["box_collection", "rc_buffer"],
    confirmed_by: &[Reason::Box],
    fix_leaves_one: false,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds types written as a `Box` around a standard collection that owns a heap
buffer: `Box<Vec<T>>`, `Box<String>`, `Box<VecDeque<T>>`, `Box<HashMap<K, V>>`,
`Box<HashSet<T>>`, `Box<BTreeMap<K, V>>`, `Box<BTreeSet<T>>`,
`Box<BinaryHeap<T>>`, `Box<PathBuf>` and `Box<OsString>`; and an `Rc` or `Arc`
around a `Vec<T>`, `String`, `PathBuf` or `OsString` in a file that never
mutates or unwraps one (`make_mut`, `get_mut`, `try_unwrap`, `into_inner`,
`unwrap_or_clone`). Struct fields, fn parameters and return types, `let`
annotations, type aliases, consts and statics are checked.

## Why is this bad
A collection is already a small header (24 bytes for a `Vec` or `String`)
pointing to its heap buffer. Boxing it adds a second allocation for the
header and a second pointer to follow on every access, and saves nothing:
the collection moves as cheaply as the box.

An `Rc<Vec<T>>` likewise holds a header that points to a second buffer.
`Rc<[T]>` and `Rc<str>` keep the elements in the `Rc` allocation itself: one
allocation, one pointer to follow.

## Example
```rust
struct Document {
    title: Box<String>,
    lines: Box<Vec<String>>,
}
```

```rust
use std::rc::Rc;

fn shared_names(names: Vec<String>) -> Rc<Vec<String>> {
    Rc::new(names)
}
```

## Use instead
```rust
struct Document {
    title: String,
    lines: Vec<String>,
}
```

```rust
use std::rc::Rc;

fn shared_names(names: Vec<String>) -> Rc<[String]> {
    Rc::from(names)
}
```

## Known limitations
memlint doesn't compile the code: collections are recognised by name, and a file that
defines, renames or imports from another crate a type of the same name
(`struct Vec`, `use bumpalo::collections::Vec`) is not checked for that name;
a glob import (`use other::*`) can still hide one. `Rc`/`Arc` findings are
skipped for the whole file when it mentions `make_mut`, `get_mut`,
`try_unwrap`, `into_inner` or `unwrap_or_clone`, since memlint can't tell
which pointer they apply to. Enum variant fields are not reported: boxing
keeps a variant small (8 bytes instead of 24), a deliberate trade. Signatures
of methods in trait impls are left alone (the trait dictates them), as are
boxes with a custom allocator (`Box<Vec<T>, A>`). `Box` findings are
skipped in files that use raw pointers (`*const`, `*mut`, `into_raw`,
`from_raw`) or `Pin`: a boxed collection is a thin pointer that can be handed
to C or kept at a fixed address.
"#;

/// Names in a file that show an `Rc`/`Arc` is mutated or unwrapped somewhere:
/// `Rc<[T]>` can't give a `Vec` back without copying.
const RC_MUTATION: &[&str] = &["make_mut", "get_mut", "try_unwrap", "into_inner", "unwrap_or_clone"];

impl Rule for BoxCollection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::TYPE
    }

    fn check_type<'ast>(&self, cx: &Cx<'_, 'ast>, ty: &'ast Type, out: &mut Emitter) {
        let Some(pointer) = std_type(cx, ty, &["Box", "Rc", "Arc"]) else { return };
        let Some(inner) = single_generic(pointer) else { return };
        let names: Vec<&str> = heap_collection_names().collect();
        let Some(collection) = std_type(cx, inner, &names) else { return };
        let span = cx.span(ty.span());
        if dictated_by_trait(cx, ty) || in_enum_variant(cx, ty) || in_extern_fn_signature(cx, ty) {
            return;
        }
        let pointer_name = pointer.ident.to_string();
        let collection_name = collection.ident.to_string();
        let header = heap_header_size(&collection_name).unwrap_or(24);
        let written = cx.text(ty);
        let (message, help, replacement) = if pointer_name == "Box" {
            if cx.uses_addresses() {
                return;
            }
            let inner_text = cx.text(inner);
            (
                format!(
                    "`{written}` allocates twice: the box holds a {header}-byte `{collection_name}` header that itself points to the heap"
                ),
                format!(
                    "use `{inner_text}` directly: it already keeps its contents on the heap and moves as cheaply as a box"
                ),
                inner_text.to_owned(),
            )
        } else {
            if RC_MUTATION.iter().any(|m| cx.source().text().contains(m)) {
                return;
            }
            let Some(unsized_text) = unsized_form(cx, &collection_name, collection) else { return };
            // Keep the pointer's path as written (`std::rc::Rc`).
            let pointer_path = written.split('<').next().unwrap_or(&pointer_name).trim_end();
            let replacement = format!("{pointer_path}<{unsized_text}>");
            (
                format!(
                    "`{written}` allocates twice: the `{pointer_name}` allocation holds a {header}-byte `{collection_name}` header that points to a second buffer"
                ),
                format!(
                    "use `{replacement}`, built with `{pointer_name}::from(value)`: it keeps the contents in the `{pointer_name}` allocation itself"
                ),
                replacement,
            )
        };
        let mut d = cx.diagnostic(&META, ty.span(), message);
        d.help = Some(help);
        // Call sites that build or unwrap the value must change too.
        d.fix = Some(Fix { edits: vec![Edit { span, replacement }], applicability: Applicability::MaybeIncorrect });
        out.emit_outermost(d);
    }
}

/// The unsized type an `Rc`/`Arc` should hold instead of `collection`
/// (`[T]` for `Vec<T>`, `str` for `String`); `None` for collections that
/// have none (maps, sets) or a `Vec` with a custom allocator.
fn unsized_form(cx: &Cx<'_, '_>, name: &str, collection: &syn::PathSegment) -> Option<String> {
    match name {
        "Vec" => single_generic(collection).map(|elem| format!("[{}]", cx.text(elem))),
        "String" => Some("str".to_owned()),
        "PathBuf" => Some("Path".to_owned()),
        "OsString" => Some("OsStr".to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, fix, lint_all, replacement};

    const RULE: &str = "box_collection";

    #[test]
    fn boxed_collections_everywhere_a_type_is_written() {
        let found = check(
            RULE,
            r#"
use std::collections::{HashMap, HashSet, VecDeque, BTreeMap};
struct S {
    names: Box<Vec<String>>, //~
    pub title: Box<String>, //~
    map: Box<HashMap<u32, String>>, //~
    set: std::boxed::Box<HashSet<u8>>, //~
    queue: Box<VecDeque<u8>>, //~
    tree: Box<BTreeMap<u8, u8>>, //~
    path: Box<std::path::PathBuf>, //~
}
type Lines = Box<Vec<String>>; //~
static EMPTY: Option<Box<String>> = None; //~
fn f(
    a: Box<String>, //~
) -> Box<Vec<u8>> { //~
    let b: Box<std::string::String> = make(); //~
    todo!()
}
"#,
        );
        let d = &found[0];
        assert_eq!(
            d.message,
            "`Box<Vec<String>>` allocates twice: the box holds a 24-byte `Vec` header that itself points to the heap"
        );
        assert!(d.help.as_deref().unwrap().starts_with("use `Vec<String>` directly"), "{:?}", d.help);
        assert_eq!(d.span.column, 12);
        let fix = fix(d);
        assert_eq!(fix.edits[0].replacement, "Vec<String>");
        assert_eq!(fix.applicability, crate::Applicability::MaybeIncorrect);
        assert!(found[2].message.contains("48-byte `HashMap` header"), "{}", found[2].message);
        assert_eq!(found.len(), 12);
    }

    #[test]
    fn rc_and_arc_around_vec_and_string() {
        let found = check(
            RULE,
            r#"
use std::rc::Rc;
use std::sync::Arc;
struct Shared {
    items: Rc<Vec<u32>>, //~
    name: std::sync::Arc<String>, //~
    map: Arc<std::collections::HashMap<u8, u8>>,
}
"#,
        );
        assert_eq!(replacement(&found[0]), "Rc<[u32]>");
        assert!(found[0].message.contains("the `Rc` allocation holds a 24-byte `Vec` header"), "{}", found[0].message);
        assert!(found[0].help.as_deref().unwrap().starts_with("use `Rc<[u32]>`, built with `Rc::from(value)`"));
        assert_eq!(replacement(&found[1]), "std::sync::Arc<str>");
    }

    #[test]
    fn rc_mutated_through_make_mut_or_unwrapped() {
        check_clean(
            RULE,
            r#"
use std::rc::Rc;
struct S { items: Rc<Vec<u32>> }
impl S {
    fn add(&mut self, x: u32) { Rc::make_mut(&mut self.items).push(x); }
}
"#,
        );
        check_clean(RULE, "fn f(a: std::sync::Arc<String>) -> String { std::sync::Arc::try_unwrap(a).unwrap() }");
    }

    #[test]
    fn look_alikes_are_clean() {
        check_clean(
            RULE,
            r#"
trait Shape {}
struct S<T> {
    a: Box<str>,
    b: Box<[u8]>,
    c: Box<dyn Shape>,
    d: Box<T>,
    e: Vec<String>,
    f: Box<Box<u8>>,
    g: Box<smallvec::SmallVec<[u8; 4]>>,
    h: Box<other::Vec<u8>>,
    j: Rc<RefCell<Vec<u8>>>,
    k: Rc<[u8]>,
}
"#,
        );
    }

    #[test]
    fn user_types_named_like_std_collections() {
        check_clean(
            RULE,
            r#"
struct Vec<T>(T);
struct S { a: Box<Vec<u8>> }
"#,
        );
        check_clean(
            RULE,
            r#"
use bumpalo::collections::String;
struct S { a: Box<String> }
"#,
        );
    }

    #[test]
    fn enum_variants_and_trait_impls_are_left_alone() {
        let found = check(
            RULE,
            r#"
enum Expr { Lit(u8), List(Box<Vec<Expr>>), Named { name: Box<String> } }
trait Source { fn lines(&self) -> Box<Vec<String>>; } //~
struct File;
impl Source for File {
    fn lines(&self) -> Box<Vec<String>> {
        let all: Box<Vec<String>> = Box::default(); //~
        all
    }
}
"#,
        );
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn nested_occurrences_are_reported_once() {
        let found = check(
            RULE,
            r#"
struct S { a: Box<Vec<Box<Vec<u8>>>> } //~
"#,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.column, 15);
    }

    #[test]
    fn thin_pointers_for_ffi_are_left_alone() {
        check_clean(
            RULE,
            r#"
extern "C" fn drop_names(p: *mut Vec<String>) {
    let names: Box<Vec<String>> = unsafe { Box::from_raw(p) };
    drop(names);
}
"#,
        );
    }

    #[test]
    fn test_code_is_skipped() {
        check_clean(RULE, "#[cfg(test)]\nmod tests { struct S { a: Box<String> } }");
    }

    #[test]
    fn vec_of_boxed_collections_is_one_finding() {
        let found = lint_all("struct S { rows: Vec<Box<Vec<u8>>> }\n");
        assert_eq!(found, [("box_collection", 1)]);
    }

    #[test]
    fn signatures_of_extern_fns_hand_thin_pointers_to_foreign_code() {
        check(
            RULE,
            r#"
pub extern "C" fn do_not_warn_me(_c_pointer: Box<String>) {}
pub extern fn do_not_warn_me_no_abi(_c_pointer: Box<String>) -> Box<Vec<u8>> { todo!() }
pub fn rust_only(_names: Box<Vec<String>>) {} //~
"#,
        );
    }
}
