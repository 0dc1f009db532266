//! `needless_box`: `let b = Box::new(value);` where the box never leaves the
//! function and is only read through (dereferenced, method calls, fields):
//! the value could live on the stack.

use std::collections::HashMap;

use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, Type};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Level};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::syntax::boxing::LARGE_VALUE_BYTES;
use crate::syntax::paths::{call_of, path_is, single_generic, strip_parens, type_last_segment};
use crate::walk::Rule;
use crate::walk::{Binding, BindingId, BindingOrigin, Emitter, FnCx, Use, UseKind};

pub(crate) struct NeedlessBox;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &NeedlessBox;

static META: RuleMeta = RuleMeta {
    name: "needless_box",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a local `Box::new(..)` that never leaves the function and is only read through",
    docs: DOCS,
    in_tests: false,
    supersedes: &["box_collection"],
    options: &[],
    fix: FixSafety::Unsafe,
    clippy: &["boxed_local"],
    confirmed_by: &[Reason::Box],
    fix_leaves_one: false,
    crate_wide: true,
};

const DOCS: &str = r#"## What it does
Finds `let b = Box::new(value);` where `b` is only dereferenced (`*b`), used
as the receiver of method calls, read by field, indexed or borrowed, in the
same function: it is never returned, moved, passed by value, stored,
captured by a closure, lent mutably, reassigned or annotated as a trait
object (`let b: Box<dyn Trait> = ..`). Declared inside a loop, the box
allocates on every iteration.

## Why is this bad
The box allocates on the heap and frees at the end of the scope, for a value
the stack would hold for free: an allocation, a deallocation and a pointer
to follow on every access, with nothing gained.

## Example
```rust
fn total(prices: &[u64]) -> u64 {
    let mut sum = Box::new(0u64);
    for p in prices {
        *sum += p;
    }
    *sum
}
```

## Use instead
```rust
fn total(prices: &[u64]) -> u64 {
    let mut sum = 0u64;
    for p in prices {
        sum += p;
    }
    sum
}
```

## Known limitations
memlint doesn't compile the code. Arrays are skipped unless their size is known to be
at most 4096 bytes (`Box::new([0u8; 1 << 20])` keeps a large array off the
stack on purpose), but other values of unknown size, such as a struct with a
large array field, are reported. A method taking `self: Box<Self>` can't be
told from one taking `&self`: in a file that declares such a receiver, boxes
used as method receivers are not reported. Uses inside macros other than
the formatting ones are taken as escapes, as are `*b` inside `format!`
arguments. Boxes built with `Box::pin`, `Box::default` or `.into()` are not
looked at, nor functions with `unsafe` code or files with raw pointers
(`*const`, `*mut`, `into_raw`, `from_raw`) or `Pin` (the value's heap
address may matter there), nor boxes in `async fn`s, async blocks and closures (boxing keeps
a future small when the value lives across an `.await`).
"#;

/// Methods that give back a `Box` (or use the box itself): removing the box
/// changes what they return.
const BOX_METHODS: &[&str] = &["clone", "into", "try_into", "to_owned", "downcast", "type_id", "as_ptr", "as_mut_ptr"];

impl Rule for NeedlessBox {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        let candidates: Vec<(BindingId, &Binding<'ast>, &'ast Expr)> = fx
            .facts
            .bindings
            .iter()
            .enumerate()
            // Bindings of closures and async blocks (bodies other than the fn's own) are left alone.
            .filter(|(_, b)| b.origin == BindingOrigin::Let && b.body == 0)
            .filter_map(|(id, b)| Some((id, b, boxed_value(fx, b)?)))
            .collect();
        // Boxing in async code keeps the future small (the value would
        // otherwise be stored in it across `.await`s): deliberate.
        let is_async = fx.facts.sig.is_some_and(|sig| sig.asyncness.is_some());
        // Unsafe code and raw pointers may rely on where the value lives
        // (a heap address, memory a pointer was taken from).
        if candidates.is_empty() || is_async {
            return;
        }
        let unsafe_code = fx.facts.block.is_some_and(|b| fx.cx.text(b).contains("unsafe")) || fx.cx.uses_addresses();
        if unsafe_code {
            return;
        }
        let derefs = match fx.facts.block {
            Some(block) => Derefs::of(block),
            None => return,
        };
        let boxed_receivers = fx.cx.source().text().contains("Box<Self>");
        for (id, binding, value) in candidates {
            let uses: Vec<&Use<'ast>> = fx.facts.uses_of(id).collect();
            let stays = !uses.is_empty()
                && uses.iter().all(|u| u.body == binding.body && reads_through(fx, u, &derefs, boxed_receivers));
            if stays {
                let diagnostic = report(fx, binding, value, &uses, &derefs);
                match constructed_type(value) {
                    // A large value of the crate may be boxed to keep it off the stack.
                    Some(name) => out.emit_unless_larger(name, LARGE_VALUE_BYTES, diagnostic),
                    None => out.emit(diagnostic),
                }
            }
        }
    }
}

/// The value of `let b = Box::new(value)` when the box's type is not turned
/// into something else by an annotation and the value is not a large array.
fn boxed_value<'ast>(fx: &FnCx<'_, '_, 'ast>, binding: &Binding<'ast>) -> Option<&'ast Expr> {
    let (path, args) = call_of(binding.init?)?;
    if !path_is(path, &["Box", "new"]) || args.len() != 1 {
        return None;
    }
    if let Some(ty) = binding.ty {
        // `let b: Box<dyn Trait> = Box::new(x)` coerces: the box is needed.
        let seg = type_last_segment(ty).filter(|s| s.ident == "Box")?;
        if !matches!(single_generic(seg)?, Type::Path(_) | Type::Tuple(_) | Type::Array(_) | Type::Infer(_)) {
            return None;
        }
    }
    if fx.shadows("Box") {
        return None;
    }
    let value = &args[0];
    let small = match strip_parens(value) {
        Expr::Array(_) | Expr::Repeat(_) => value_bytes(value).is_some_and(|n| n <= LARGE_VALUE_BYTES),
        _ => true,
    };
    small.then_some(value)
}

/// The type a value is built as, when the syntax names it: `Big { .. }`,
/// `Big(..)`, `Big::new(..)`.
fn constructed_type(value: &Expr) -> Option<String> {
    let path = match strip_parens(value) {
        Expr::Struct(s) => &s.path,
        Expr::Call(call) => match &*call.func {
            Expr::Path(p) => &p.path,
            _ => return None,
        },
        _ => return None,
    };
    let capitalised = |s: &syn::PathSegment| s.ident.to_string().starts_with(|c: char| c.is_ascii_uppercase());
    let mut segments = path.segments.iter().rev();
    let last = segments.next()?;
    if matches!(strip_parens(value), Expr::Struct(_)) || capitalised(last) {
        return Some(last.ident.to_string());
    }
    // `Big::new(..)`: the segment before the function.
    segments.next().filter(|s| capitalised(s)).map(|s| s.ident.to_string())
}

/// An upper bound of the size of a value built from literals.
fn value_bytes(expr: &Expr) -> Option<u64> {
    match strip_parens(expr) {
        Expr::Repeat(r) => crate::syntax::paths::int_literal(&r.len)?.checked_mul(value_bytes(&r.expr)?),
        Expr::Array(a) => (a.elems.len() as u64).checked_mul(a.elems.iter().map(value_bytes).max().unwrap_or(Some(0))?),
        Expr::Tuple(t) => t.elems.iter().map(value_bytes).sum(),
        Expr::Unary(u) => value_bytes(&u.expr),
        Expr::Lit(l) => Some(match &l.lit {
            syn::Lit::Bool(_) | syn::Lit::Byte(_) => 1,
            syn::Lit::Char(_) => 4,
            syn::Lit::Int(i) => suffix_bytes(i.suffix()),
            syn::Lit::Float(f) => suffix_bytes(f.suffix()),
            // `&str`, `&[u8]`: fat pointers.
            _ => 16,
        }),
        _ => None,
    }
}

/// The size of a literal of this suffix; the largest (16) when unsuffixed,
/// since inference may pick any type.
fn suffix_bytes(suffix: &str) -> u64 {
    match suffix {
        "u8" | "i8" => 1,
        "u16" | "i16" => 2,
        "u32" | "i32" | "f32" => 4,
        "u64" | "i64" | "f64" | "usize" | "isize" => 8,
        _ => 16,
    }
}

/// Whether a `&b` lends the value, not the box: not bound to a name (the
/// reference goes on where memlint doesn't follow it), and if an argument,
/// one of a callee whose parameter is certain not to be `&Box<..>`.
fn lends_the_value(fx: &FnCx<'_, '_, '_>, u: &Use<'_>, derefs: &Derefs<'_>) -> bool {
    let at = u.span.start();
    if derefs.bound.contains(&at) {
        // `let r = &b;`: fine while `r` is only read through too.
        let Some((id, _)) = fx.facts.bindings.iter().enumerate().find(|(_, b)| {
            b.init.is_some_and(|init| {
                let range = init.span().byte_range();
                range.contains(&u.span.byte_range().start)
            })
        }) else {
            return false;
        };
        return fx.facts.uses_of(id).all(|r| match r.kind {
            UseKind::FieldBase | UseKind::Indexed | UseKind::FormatArg => true,
            UseKind::MethodReceiver(m) => !BOX_METHODS.iter().any(|b| m.method == b),
            _ => false,
        });
    }
    let Some(&(call, index)) = derefs.lent.get(&at) else { return true };
    let param = crate::analysis::callees::callee(fx, call).and_then(|c| c.param_of_arg(index).cloned());
    match param.map(|p| p.ty) {
        Some(crate::semantic::ty::Ty::Ref(_, inner)) => !inner.is_std("Box") && !inner.is_unknown(),
        // A generic `&T` may be `&Box<..>`; an unseen callee may want one.
        _ => false,
    }
}

/// Whether a use reads through the box without moving, replacing or
/// lending it out.
fn reads_through(fx: &FnCx<'_, '_, '_>, u: &Use<'_>, derefs: &Derefs<'_>, boxed_receivers: bool) -> bool {
    match u.kind {
        UseKind::MethodReceiver(m) => {
            let method = m.method.to_string();
            !boxed_receivers && !BOX_METHODS.contains(&method.as_str()) && !method.starts_with("into_")
        }
        UseKind::FieldBase | UseKind::Indexed | UseKind::FormatArg => true,
        UseKind::Borrow => lends_the_value(fx, u, derefs),
        // `*b = x` writes through the box.
        UseKind::Assign(a) => derefs.stars.contains_key(&u.span.start()) || is_deref(&a.left),
        UseKind::Value => derefs.stars.contains_key(&u.span.start()),
        // `&mut b` can swap the box out (`mem::swap`, `mem::take`).
        UseKind::BorrowMut | UseKind::CompoundAssign(_) | UseKind::WriteDestination | UseKind::Opaque => false,
    }
}

fn is_deref(expr: &Expr) -> bool {
    matches!(strip_parens(expr), Expr::Unary(syn::ExprUnary { op: syn::UnOp::Deref(_), .. }))
}

/// The `*` of every `*ident` in a fn body, keyed by where the identifier
/// starts, and what each `&ident` is lent to.
#[derive(Default)]
struct Derefs<'ast> {
    stars: HashMap<proc_macro2::LineColumn, proc_macro2::Span>,
    /// `&ident` passed as argument `index` of `call`, by where the identifier starts.
    lent: HashMap<proc_macro2::LineColumn, (&'ast Expr, usize)>,
    /// Identifiers whose `&ident` is bound by a `let` (the reference goes on).
    bound: Vec<proc_macro2::LineColumn>,
}

impl<'ast> Derefs<'ast> {
    fn of(block: &'ast syn::Block) -> Self {
        let mut derefs = Derefs::default();
        derefs.visit_block(block);
        derefs
    }

    fn note_args(&mut self, call: &'ast Expr, args: &'ast syn::punctuated::Punctuated<Expr, syn::Token![,]>) {
        for (i, arg) in args.iter().enumerate() {
            if let Expr::Reference(r) = strip_parens(arg)
                && let Some(ident) = crate::syntax::paths::as_ident(&r.expr)
            {
                self.lent.insert(ident.span().start(), (call, i));
            }
        }
    }
}

impl<'ast> Visit<'ast> for Derefs<'ast> {
    fn visit_expr(&mut self, node: &'ast Expr) {
        match node {
            Expr::Call(c) => self.note_args(node, &c.args),
            Expr::MethodCall(m) => self.note_args(node, &m.args),
            _ => {}
        }
        syn::visit::visit_expr(self, node);
    }

    fn visit_local(&mut self, node: &'ast syn::Local) {
        if let Some(init) = &node.init
            && let Expr::Reference(r) = strip_parens(&init.expr)
            && let Some(ident) = crate::syntax::paths::as_ident(&r.expr)
        {
            self.bound.push(ident.span().start());
        }
        syn::visit::visit_local(self, node);
    }

    fn visit_expr_unary(&mut self, node: &'ast syn::ExprUnary) {
        if let (syn::UnOp::Deref(star), Some(ident)) = (node.op, crate::syntax::paths::as_ident(&node.expr)) {
            self.stars.insert(ident.span().start(), star.span);
        }
        syn::visit::visit_expr_unary(self, node);
    }
}

fn report<'ast>(
    fx: &FnCx<'_, '_, 'ast>,
    binding: &Binding<'ast>,
    value: &'ast Expr,
    uses: &[&Use<'ast>],
    derefs: &Derefs<'_>,
) -> Diagnostic {
    let cx = fx.cx;
    let init = binding.init.map_or(value.span(), |i| i.span());
    // With an annotation the fix changes it too: the span covers both, so
    // this finding supersedes `box_collection`'s on the annotation.
    let span = binding.ty.and_then(|ty| ty.span().join(init)).unwrap_or(init);
    let name = &binding.name;
    let lp = binding.innermost_loop.map(|id| &fx.facts.loops[id]);
    let when = match lp {
        Some(_) if binding.cond_depth > 0 => "on the loop's iterations that reach it",
        Some(_) => "on every iteration of the loop",
        None => "once",
    };
    let message = format!(
        "`{name}` is boxed but never leaves this function: `Box::new` allocates {when} for a value the stack could hold"
    );
    let mut d = cx.diagnostic(&META, span, message);
    if let Some(lp) = lp {
        d.labels
            .push(Label { span: cx.span(lp.header_span), message: "allocates per iteration of this loop".to_owned() });
    }
    let value_text = cx.text(value);
    // The fix keeps the pattern as written: `*b += 1` through a `let mut b` box needs a `let mut` value.
    let mutability = if binding.mutable { "mut " } else { "" };
    d.help = Some(format!(
        "keep the value on the stack: `let {mutability}{name} = {value_text};`, and drop the `*` where `{name}` is dereferenced"
    ));
    let mut edits = Vec::new();
    if let Some(inner) = binding.ty.and_then(type_last_segment).and_then(single_generic) {
        if let Some(ty) = binding.ty {
            edits.push(Edit { span: cx.span(ty.span()), replacement: cx.text(inner).to_owned() });
        }
    }
    edits.push(Edit { span: cx.span(init), replacement: value_text.to_owned() });
    for u in uses {
        if let Some(star) = derefs.stars.get(&u.span.start()) {
            edits.push(Edit { span: cx.span(*star), replacement: String::new() });
        }
    }
    edits.sort_by_key(|e| e.span.start);
    // Derefs of a value that is itself a reference, and types written
    // elsewhere, may need more care.
    d.fix = Some(Fix { edits, applicability: Applicability::MaybeIncorrect });
    d
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, fix, lint_all};

    const RULE: &str = "needless_box";

    /// A copy under a condition in the loop runs on some iterations: the
    /// message says so instead of "on every iteration".
    #[test]
    fn a_conditional_site_is_not_said_to_run_every_iteration() {
        let found = check(
            RULE,
            "pub fn g(items: &[u32]) -> u32 {\n    let mut t = 0;\n    for x in items {\n        if *x > 3 {\n            let b = Box::new(*x); //~\n            t += *b;\n        }\n    }\n    t\n}\n",
        );
        assert_eq!(
            found[0].message,
            "`b` is boxed but never leaves this function: `Box::new` allocates on the loop's iterations that reach it for a value the stack could hold"
        );
    }

    #[test]
    fn boxes_only_read_through() {
        let found = check(
            RULE,
            r#"
struct Config { name: String, retries: u32 }
impl Config { fn describe(&self) -> String { self.name.clone() } }
fn f(n: u32) -> u32 {
    let c = Box::new(Config { name: String::new(), retries: n }); //~
    let mut count = Box::new(0u32); //~
    *count += c.retries;
    println!("{}", c.describe());
    let v = Box::new(vec![1u8, 2, 3]); //~
    let first = v[0];
    let len = v.len();
    let r = &c;
    *count + first as u32 + len as u32 + r.retries
}
"#,
        );
        assert_eq!(
            found[1].message,
            "`count` is boxed but never leaves this function: `Box::new` allocates once for a value the stack could hold"
        );
        assert_eq!(found[1].span.column, 21);
        let fix = fix(&found[1]);
        let replacements: Vec<&str> = fix.edits.iter().map(|e| e.replacement.as_str()).collect();
        assert_eq!(replacements, ["0u32", "", ""]);
        let help = found[1].help.as_deref().unwrap();
        assert!(help.starts_with("keep the value on the stack: `let mut count = 0u32;`"), "{help}");
        let help = found[0].help.as_deref().unwrap();
        assert!(help.starts_with("keep the value on the stack: `let c = Config {"), "{help}");
    }

    #[test]
    fn boxing_inside_a_loop_allocates_per_iteration() {
        let found = check(
            RULE,
            r#"
fn f(items: &[u64]) -> u64 {
    let mut total = 0;
    for i in items {
        let b = Box::new(*i * 2); //~
        total += *b;
    }
    total
}
"#,
        );
        assert!(found[0].message.contains("on every iteration of the loop"), "{}", found[0].message);
        assert_eq!(found[0].labels.len(), 1);
    }

    #[test]
    fn escaping_boxes_are_clean() {
        check_clean(
            RULE,
            r#"
trait Shape { fn area(&self) -> f64; }
struct Sq(f64);
struct Holder { b: Box<u32> }
fn returned() -> Box<u32> { let b = Box::new(1); b }
fn returned_early(c: bool) -> Box<u32> { let b = Box::new(1); if c { return b; } Box::new(2) }
fn pushed(v: &mut Vec<Box<u32>>) { let b = Box::new(1); v.push(b); }
fn passed() { let b = Box::new(1); consume(b); }
fn stored() -> Holder { let b = Box::new(1); Holder { b } }
fn stored_field() -> Holder { let b = Box::new(1); Holder { b: b } }
fn captured() -> impl Fn() -> u32 { let b = Box::new(1); move || *b }
fn captured_by_ref() { let b = Box::new(1); let f = || b.len(); f(); }
fn coerced() -> f64 { let b: Box<dyn Shape> = Box::new(Sq(1.0)); b.area() }
fn leaked() -> &'static u32 { let b = Box::new(1); Box::leak(b) }
fn raw() -> *mut u32 { let b = Box::new(1); Box::into_raw(b) }
fn swapped(h: &mut Holder) { let mut b = Box::new(1); std::mem::swap(&mut b, &mut h.b); }
fn cloned(v: &mut Vec<Box<u32>>) { let b = Box::new(1); v.push(b.clone()); }
fn reassigned(other: Box<u32>) -> u32 { let mut b = Box::new(1); b = other; *b }
fn unused() { let _b = Box::new(1); }
fn in_tuple() -> (Box<u32>, u8) { let b = Box::new(1); (b, 0) }
fn opaque() { let b = Box::new(1); my_macro!(b); }
"#,
        );
    }

    #[test]
    fn large_values_of_crate_types_are_clean() {
        check_clean(
            RULE,
            r#"
struct Big { buf: [u8; 1 << 20], len: usize }
impl Big { fn new() -> Self { todo!() } }
fn f() -> usize {
    let a = Box::new(Big::new());
    let b = Box::new(Big { buf: [0; 1 << 20], len: 0 });
    a.len + b.len
}
"#,
        );
        check(
            RULE,
            r#"
struct Small { len: usize }
impl Small { fn new() -> Self { Small { len: 0 } } }
fn f() -> usize {
    let a = Box::new(Small::new()); //~
    a.len
}
"#,
        );
    }

    #[test]
    fn recursive_types_and_large_arrays_are_clean() {
        check_clean(
            RULE,
            r#"
enum Tree { Leaf(u32), Node(Box<Tree>, Box<Tree>) }
fn build() -> Tree {
    let left = Box::new(Tree::Leaf(1));
    let right = Box::new(Tree::Leaf(2));
    Tree::Node(left, right)
}
fn buffers() -> u8 {
    let big = Box::new([0u8; 1 << 20]);
    let also_big = Box::new([0u64; 4096]);
    let unknown = Box::new([0u8; SIZE]);
    big[0] + also_big[0] as u8 + unknown[0]
}
"#,
        );
        check(RULE, "fn f() -> u8 { let small = Box::new([0u8; 64]); small[0] } //~\n");
    }

    #[test]
    fn boxed_self_receivers_make_method_calls_unknown() {
        check_clean(
            RULE,
            r#"
trait State { fn next(self: Box<Self>) -> Box<dyn State>; }
struct Start;
fn run() { let s = Box::new(Start); s.next(); }
"#,
        );
    }

    #[test]
    fn annotated_box_of_a_collection_is_one_finding() {
        let src = "fn f() -> usize {\n    let v: Box<Vec<u8>> = Box::new(Vec::new());\n    v.len()\n}\n";
        let found = check(RULE, &src.replace("Vec::new());", "Vec::new()); //~"));
        let replacements: Vec<&str> = fix(&found[0]).edits.iter().map(|e| e.replacement.as_str()).collect();
        assert_eq!(replacements, ["Vec<u8>", "Vec::new()"]);
        assert_eq!(lint_all(src), [("needless_box", 2)]);
    }

    #[test]
    fn unsafe_code_is_left_alone() {
        check_clean(
            RULE,
            r#"
fn probe(reference: &[u8]) -> u8 {
    unsafe {
        let mut boxed = Box::new([0xffu8; 16]);
        boxed[..reference.len()].copy_from_slice(reference);
        read_unchecked(&boxed)
    }
}
"#,
        );
    }

    #[test]
    fn async_code_is_left_alone() {
        check_clean(
            RULE,
            r#"
async fn fetch() -> u8 { let buf = Box::new([0u8; 1024]); io().await; buf[0] }
fn spawn() { let fut = async { let b = Box::new(1u8); io().await; *b }; run(fut); }
"#,
        );
    }

    #[test]
    fn test_code_is_skipped() {
        check_clean(RULE, "#[test]\nfn t() { let b = Box::new(1); assert_eq!(*b, 1); }");
    }

    #[test]
    fn a_box_lent_where_a_box_is_wanted_stays() {
        check(
            RULE,
            r#"
struct A { n: u32 }
fn take_box(x: &Box<A>) -> u32 { x.n }
fn take_ref(x: &A) -> u32 { x.n }
fn pass() -> u32 { let b = Box::new(A { n: 1 }); take_box(&b) }
fn pass_through_a_name() -> u32 { let x = Box::new(A { n: 1 }); let y = &x; take_box(y) }
fn unseen() -> u32 { let b = Box::new(A { n: 1 }); elsewhere(&b) }
fn by_deref() -> u32 {
    let b = Box::new(A { n: 1 }); //~
    take_ref(&b)
}
"#,
        );
    }
}
