//! `redundant_allocation`: a pointer inside a pointer, written in a type
//! (`Rc<Box<T>>`, `Box<Rc<T>>`, `Box<Box<T>>`, `Rc<Rc<T>>`, `Box<&T>`):
//! two allocations and two indirections where one does.

use syn::Type;
use syn::spanned::Spanned;

use crate::analysis::boxing::{dictated_by_trait, in_extern_fn_signature, std_type};
use crate::diagnostic::{Applicability, Edit, Fix, Level};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::syntax::paths::single_generic;
use crate::walk::{Cx, Emitter, Rule};

pub(crate) struct RedundantAllocation;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &RedundantAllocation;

static META: RuleMeta = RuleMeta {
    name: "redundant_allocation",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a pointer inside a pointer (`Rc<Box<T>>`, `Box<Rc<T>>`, `Box<&T>`): two allocations where one does",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Unsafe,
    clippy: &["redundant_allocation"],
    confirmed_by: &[Reason::Box],
    fix_leaves_one: false,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds types written as a smart pointer around another pointer:
`Rc<Box<T>>`, `Arc<Box<T>>`, `Box<Rc<T>>`, `Box<Arc<T>>`, `Box<Box<T>>`,
`Rc<Rc<T>>`, `Arc<Arc<T>>`, and `Box`, `Rc` or `Arc` around a reference
(`Box<&T>`, `Rc<&T>`), in fields, parameters, return types, `let`
annotations, aliases, consts and statics.

## Why is this bad
Each level is its own heap allocation and its own pointer to follow:
`Rc<Box<T>>` allocates the `Rc`'s block (two counters and the box's
pointer, 24 bytes) and then the box's block for `T`, and every access reads
the `Rc`'s pointer, then the box's. `Rc<T>` keeps `T` in the `Rc`'s own
block: one allocation, one hop. A `Box` around an `Rc`, or around another
box, adds an 8-byte allocation that only holds a pointer; a `Box<&T>`
allocates to store a reference that could be passed as it is.

## Example
```rust
use std::rc::Rc;

struct Node {
    value: u32,
}

struct Graph {
    nodes: Vec<Rc<Box<Node>>>,
}
```

## Use instead
```rust
use std::rc::Rc;

struct Node {
    value: u32,
}

struct Graph {
    nodes: Vec<Rc<Node>>,
}
```
`Rc<Box<dyn Trait>>` becomes `Rc<dyn Trait>` (built with `Rc::new(value)`
and coerced, or `Rc::from(boxed)`), `Box<Rc<T>>` becomes `Rc<T>`, `Box<&T>`
becomes `&T`.

## Known limitations
Only types written out are checked, not the types of expressions. The fix
changes the type alone: the code that builds, unwraps or matches the value
must change with it, so it is applied only with `--unsafe-fixes`. Signatures
a trait impl must repeat and `extern` fn signatures are left alone, and so
is every pointer inside a pointer in a file that works with raw pointers:
there the outer one is likely the thin pointer handed to C or kept in an
`AtomicPtr` (`Box<Box<dyn Fn()>>`, the `dyn` perhaps behind an alias). `Rc<Arc<T>>` and `Arc<Rc<T>>` are not reported (one of the
two counts is likely deliberate).
"#;

/// The smart pointers that own one allocation each.
const POINTERS: [&str; 3] = ["Box", "Rc", "Arc"];

impl Rule for RedundantAllocation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::TYPE
    }

    fn check_type<'ast>(&self, cx: &Cx<'_, 'ast>, ty: &'ast Type, out: &mut Emitter) {
        let Some(outer) = std_type(cx, ty, &POINTERS) else { return };
        let Some(inner) = single_generic(outer) else { return };
        let outer_name = outer.ident.to_string();
        let written = cx.text(ty);
        let (message, help, replacement) = match strip_group(inner) {
            Type::Reference(r) => {
                let reference = cx.text(inner);
                (
                    format!(
                        "`{written}` allocates to hold a reference: the `{outer_name}` stores an 8-byte pointer to `{}` that lives elsewhere",
                        cx.text(&*r.elem)
                    ),
                    format!("use `{reference}` directly: a reference is already a pointer, and needs no allocation"),
                    reference.to_owned(),
                )
            }
            _ => {
                let Some(pointer) = std_type(cx, inner, &POINTERS) else { return };
                let Some(value) = single_generic(pointer) else { return };
                let inner_name = pointer.ident.to_string();
                // The outer pointer may be the thin one handed to C or kept
                // in an `AtomicPtr` (a `dyn` may hide behind an alias).
                if cx.uses_addresses() {
                    return;
                }
                let value_text = cx.text(value);
                let (kept, why) = match (outer_name.as_str(), inner_name.as_str()) {
                    // A box around a pointer: the inner pointer is enough.
                    ("Box", "Box" | "Rc" | "Arc") => (
                        cx.text(inner).to_owned(),
                        format!("the box only holds the `{inner_name}`, itself a pointer: as cheap to move"),
                    ),
                    // A counted pointer around a box: keep the value in its own block.
                    ("Rc" | "Arc", "Box") => (
                        retype(written, &outer_name, value_text),
                        format!("it keeps the value in the `{outer_name}` allocation itself (`{outer_name}::from(boxed)` converts a box)"),
                    ),
                    ("Rc", "Rc") | ("Arc", "Arc") => (
                        retype(written, &outer_name, value_text),
                        "its clones share the value just the same".to_owned(),
                    ),
                    _ => return,
                };
                (
                    format!(
                        "`{written}` allocates twice: the `{outer_name}` allocation holds a `{inner_name}` that points to a second allocation"
                    ),
                    format!("use `{kept}`: {why}"),
                    kept,
                )
            }
        };
        if dictated_by_trait(cx, ty) || in_extern_fn_signature(cx, ty) {
            return;
        }
        let span = cx.span(ty.span());
        let mut d = cx.diagnostic(&META, ty.span(), message);
        d.help = Some(help);
        // The code that builds or unwraps the value must change too.
        d.fix = Some(Fix { edits: vec![Edit { span, replacement }], applicability: Applicability::MaybeIncorrect });
        out.emit_outermost(d);
    }
}

/// `ty` without invisible groups and parentheses.
fn strip_group(ty: &Type) -> &Type {
    match ty {
        Type::Group(g) => strip_group(&g.elem),
        Type::Paren(p) => strip_group(&p.elem),
        other => other,
    }
}

/// The written pointer type `written` (`std::rc::Rc<Box<T>>`) holding
/// `value` instead, its path kept as written (`std::rc::Rc<T>`).
fn retype(written: &str, pointer: &str, value: &str) -> String {
    let path = written.split('<').next().unwrap_or(pointer).trim_end();
    format!("{path}<{value}>")
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, fix, replacement};

    const RULE: &str = "redundant_allocation";

    #[test]
    fn a_pointer_inside_a_pointer_wherever_a_type_is_written() {
        let found = check(
            RULE,
            r#"
use std::rc::Rc;
use std::sync::Arc;
struct Node { value: u32 }
trait Shape {}
struct Graph {
    nodes: Vec<Rc<Box<Node>>>, //~
    shared: Arc<Box<dyn Shape + Send + Sync>>, //~
    boxed: Box<Rc<Node>>, //~
    twice: Box<Box<Node>>, //~
    counted: std::rc::Rc<Rc<Node>>, //~
    label: Box<&'static str>, //~
}
type Shared = Rc<&'static Node>; //~
static EMPTY: Option<Box<Arc<u8>>> = None; //~
fn f(
    a: Box<Box<u8>>, //~
) -> Arc<Box<[u8]>> { //~
    let b: Rc<Box<Node>> = make(); //~
    todo!()
}
"#,
        );
        assert_eq!(found.len(), 11);
        let d = &found[0];
        assert_eq!(
            d.message,
            "`Rc<Box<Node>>` allocates twice: the `Rc` allocation holds a `Box` that points to a second allocation"
        );
        assert_eq!(
            d.help.as_deref(),
            Some(
                "use `Rc<Node>`: it keeps the value in the `Rc` allocation itself (`Rc::from(boxed)` converts a box)"
            )
        );
        let fix = fix(d);
        assert_eq!(fix.edits[0].replacement, "Rc<Node>");
        assert_eq!(fix.applicability, crate::Applicability::MaybeIncorrect);
        assert_eq!(replacement(&found[1]), "Arc<dyn Shape + Send + Sync>");
        assert_eq!(replacement(&found[2]), "Rc<Node>");
        assert!(found[2].help.as_deref().unwrap().contains("the box only holds the `Rc`, itself a pointer"));
        assert_eq!(replacement(&found[3]), "Box<Node>");
        assert_eq!(replacement(&found[4]), "std::rc::Rc<Node>");
        assert_eq!(replacement(&found[5]), "&'static str");
        assert_eq!(
            found[5].message,
            "`Box<&'static str>` allocates to hold a reference: the `Box` stores an 8-byte pointer to `str` that lives elsewhere"
        );
        assert_eq!(replacement(&found[6]), "&'static Node");
        assert_eq!(replacement(&found[9]), "Arc<[u8]>");
    }

    #[test]
    fn nested_pointers_are_reported_once_at_the_outermost() {
        let found = check(RULE, "struct S { x: Box<Box<Box<u8>>> } //~\n");
        assert_eq!(replacement(&found[0]), "Box<Box<u8>>");
    }

    #[test]
    fn look_alikes_stay_silent() {
        check_clean(
            RULE,
            r#"
use std::rc::Rc;
use std::sync::Arc;
use std::cell::RefCell;
struct Node;
struct S {
    // One pointer each, or a pointer around something that is not one.
    a: Box<Node>,
    b: Rc<RefCell<Box<Node>>>,
    c: Vec<Box<Node>>,
    d: Option<Box<Node>>,
    // Two counts on purpose.
    e: Rc<Arc<Node>>,
    f: Arc<Rc<Node>>,
    // Pointers to references and pointers as values, not types.
    g: &'static Box<Node>,
}
fn g() {
    let x = Box::new(Rc::new(1));
}
"#,
        );
        // A same-named type of the file.
        check_clean(RULE, "struct Box<T>(T);\nstruct S { x: Box<Box<u8>> }\n");
    }

    #[test]
    fn thin_pointers_for_c_and_signatures_others_dictate() {
        check_clean(
            RULE,
            r#"
type Callback = Box<Box<dyn Fn(i32)>>;
fn register(cb: Box<dyn Fn(i32)>) -> *mut std::ffi::c_void {
    Box::into_raw(Box::new(cb)) as *mut std::ffi::c_void
}
"#,
        );
        check_clean(
            RULE,
            r#"
struct S;
impl Store for S { fn get(&self) -> Box<Box<u8>> { todo!() } }
pub extern "C" fn make() -> Box<Box<u8>> { todo!() }
"#,
        );
        // Behind an alias too, as git2 writes it.
        check_clean(
            RULE,
            "pub type Cb<'a> = dyn FnMut(u32) -> bool + 'a;\nstruct B<'r> { p: Option<Box<Box<Cb<'r>>>>, raw: *mut u8 }\n",
        );
        // Without raw pointers in the file, a double box of a trait object is reported.
        check(RULE, "type Callback = Box<Box<dyn Fn(i32)>>; //~\n");
    }
}
