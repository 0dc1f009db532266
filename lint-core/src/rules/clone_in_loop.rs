//! `clone_in_loop`: a copy of a value that doesn't change in a loop, made on
//! every iteration and only read.

use std::fmt::Write as _;

use syn::Pat;
use syn::spanned::Spanned;

use crate::analysis::conversions::{READ_ONLY, Shape, place_of, place_shape, range_of, unchanged_in};
use crate::analysis::frequency::Frequency;
use crate::analysis::types::type_of;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Level};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::semantic::crate_index::Condition;
use crate::semantic::ty::Ty;
use crate::syntax::place::Place;
use crate::walk::Rule;
use crate::walk::copies::{Context, Conversion, Site, Sites};
use crate::walk::{BindingId, Emitter, FnCx, LoopInfo, Use, UseKind};

pub(crate) struct CloneInLoop;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &CloneInLoop;

static META: RuleMeta = RuleMeta {
    name: "clone_in_loop",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a value that doesn't change in a loop copied on every iteration only to be read",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Unsafe,
    clippy: &[],
    confirmed_by: &[Reason::Clone, Reason::ToOwned],
    fix_leaves_one: false,
    crate_wide: true,
};

const DOCS: &str = r#"## What it does
Finds a copy (`.clone()`, `.to_owned()`, `.to_vec()`, `.to_string()`,
`String::from(..)`) made on every iteration of a loop, of a value declared
before the loop that the loop does not change, when the copy is only read:

- bound to a local (`let key = prefix.to_string();`) that the iteration
  only borrows, formats or calls reading methods on (`len`, `get`,
  `contains`, `iter`, `starts_with`, ...);
- lent to a call (`map.get(&id.to_string())`), compared
  (`name == id.to_string()`) or read directly (`prefix.clone().len()`).

Copies of the loop's own variables, copies of values the loop changes, and
copies moved into a collection, a struct or a call are not findings: they
are needed on every iteration.

## Why is this bad
The copy is the same on every iteration, so the loop allocates and copies
the same bytes `n` times where once (or never) would do: over 10,000
iterations, `let p = prefix.clone();` makes 10,000 allocations of
`prefix.len()` bytes.

## Example
```rust
fn count(lines: &[&str], prefix: String) -> usize {
    let mut n = 0;
    for line in lines {
        let p = prefix.clone();
        if line.starts_with(p.as_str()) {
            n += 1;
        }
    }
    n
}
```

## Use instead
```rust
fn count(lines: &[&str], prefix: String) -> usize {
    let mut n = 0;
    for line in lines {
        if line.starts_with(prefix.as_str()) {
            n += 1;
        }
    }
    n
}
```

## Known limitations
memlint doesn't compile the code. `.clone()` and `.to_owned()` are reported
only when the type the code states for the copied value (its declaration,
its initialiser, see "What memlint knows about types" in the README) is a
heap-owning type (`String`, `Vec`,
maps, sets, `&str`, `&[T]` for `to_owned`, or a struct of the crate that
implements `Clone` and has such a field, at any depth), never for `Rc`/`Arc`
or enums of the crate;
`.to_string()`, `.to_vec()` and `String::from` always allocate. A value
declared `mut`, as `&mut`, or with a type the syntax doesn't show (a pattern
variable) counts as changed as soon as the loop touches it other than by
borrowing or reading methods; through `&mut self`, any use of `self` in the
loop does. Copies inside closures and macro arguments are not inspected.
When `redundant_clone` or `unnecessary_to_owned` describe the same copy, only
they report it.
"#;

impl Rule for CloneInLoop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        for site in &Sites::of(fx).sites {
            match check_site(fx, site) {
                Some((d, None)) => out.emit(d),
                Some((d, Some(of))) => out.emit_if(Condition::ClonesHeap { of }, d),
                None => {}
            }
        }
    }
}

/// How the copy is only read.
enum Reader {
    /// Bound to this local, which is only read.
    Local(BindingId),
    /// Used in place.
    Inline,
}

/// The finding at a copy, and the type (of the crate, or known in the
/// crate phase) whose `clone()` it holds for only if it copies a heap buffer.
fn check_site<'ast>(fx: &FnCx<'_, '_, 'ast>, site: &Site<'ast>) -> Option<(Diagnostic, Option<Ty>)> {
    let place = place_of(site.receiver)?;
    let u = fx.facts.use_at(&place.root)?;
    let lp = &fx.facts.loops[u.innermost_loop?];
    let root = &fx.facts.bindings[u.binding];
    if site.leaves || root.order >= lp.start {
        return None;
    }
    let pending = match allocates(fx, site, &place, u.binding) {
        Allocates::Yes => None,
        Allocates::If(ty) => Some(ty),
        Allocates::No => return None,
    };
    let reader = match site.context {
        Context::Let(local) => Reader::Local(only_read_local(fx, local)?),
        Context::BorrowedArg { .. } | Context::Compared(_) => Reader::Inline,
        Context::Receiver(m) if READ_ONLY.iter().any(|r| m.method == r) => Reader::Inline,
        _ => return None,
    };
    if !unchanged_in(fx, u.binding, lp.start, lp.end, &range_of(site.receiver)) {
        return None;
    }
    Some((report(fx, site, &place, lp, &reader, u), pending))
}

/// Whether a copy allocates.
enum Allocates {
    Yes,
    No,
    /// If a `clone()` of this type (of the crate, or known in the crate
    /// phase) copies a heap buffer.
    If(Ty),
}

/// Whether the copy certainly allocates: `to_string`, `to_vec` and
/// `String::from` always do; `clone`/`to_owned` when the type shows a heap
/// buffer; a `clone()` of a crate type when its fields have one.
fn allocates(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, place: &Place, root: BindingId) -> Allocates {
    let known = place_shape(fx, place, root);
    let certain = match site.conversion {
        Conversion::ToString
        | Conversion::ToVec
        | Conversion::StringFrom
        | Conversion::ToPathBuf
        | Conversion::ToOsString => true,
        Conversion::Clone if known.is_none() => {
            return match type_of(fx, site.receiver).map(|t| t.peel_refs().clone()) {
                Some(ty @ (Ty::Adt(_) | Ty::Alias(..))) => Allocates::If(ty),
                Some(ty) if ty.is_deferred() => Allocates::If(ty),
                _ => Allocates::No,
            };
        }
        Conversion::Clone => known.is_some_and(|k| k.shape.owns_heap()),
        Conversion::ToOwned | Conversion::CowIntoOwned => {
            known.is_some_and(|k| k.shape.owns_heap() || (k.borrowed && matches!(k.shape, Shape::Str | Shape::Slice)))
        }
    };
    if certain { Allocates::Yes } else { Allocates::No }
}

/// The local `let name = copy;` declares, when the iteration only reads it.
fn only_read_local(fx: &FnCx<'_, '_, '_>, local: &syn::Local) -> Option<BindingId> {
    let ident = match &local.pat {
        Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() && p.mutability.is_none() => &p.ident,
        Pat::Type(t) => match &*t.pat {
            Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() && p.mutability.is_none() => &p.ident,
            _ => return None,
        },
        _ => return None,
    };
    let start = ident.span().byte_range().start;
    let id = fx.facts.bindings.iter().position(|b| b.ident_span.byte_range().start == start)?;
    let binding = &fx.facts.bindings[id];
    let mut uses = fx.facts.uses_of(id).peekable();
    uses.peek()?;
    let reads = uses.all(|u| {
        // A closure may move it; anything but a read may keep or change it.
        u.body == binding.body
            && match u.kind {
                UseKind::Borrow | UseKind::FormatArg | UseKind::Indexed => true,
                UseKind::MethodReceiver(m) => READ_ONLY.iter().any(|r| m.method == r),
                _ => false,
            }
    });
    reads.then_some(id)
}

fn report(
    fx: &FnCx<'_, '_, '_>,
    site: &Site<'_>,
    place: &Place,
    lp: &LoopInfo<'_>,
    reader: &Reader,
    u: &Use<'_>,
) -> Diagnostic {
    let cx = fx.cx;
    let text = place.text();
    let copy = crate::syntax::snippet::quoted(cx.text(site.expr), 50);
    // Help code must stay code: on one line, never shortened.
    let code = crate::syntax::snippet::one_line(cx.text(site.expr));
    // Said only when true: a copy under a condition runs on some iterations.
    let frequency = if u.conditional { Frequency::SomeIterations } else { Frequency::EveryIteration };
    let when = frequency.clause().trim_start_matches(',');
    let mut message = format!("`{copy}` copies `{text}`{when}, though the loop never changes `{text}`");
    let mut fix = None;
    let help = match reader {
        Reader::Local(id) => {
            let name = &fx.facts.bindings[*id].name;
            let _ = write!(message, ", and `{name}` is only read");
            let owned = place_shape(fx, place, u.binding).is_some_and(|k| !k.borrowed);
            if site.conversion == Conversion::Clone && owned {
                let replacement = format!("&{text}");
                fix = Some(Fix {
                    edits: vec![Edit { span: cx.span(site.expr.span()), replacement: replacement.clone() }],
                    applicability: Applicability::MaybeIncorrect,
                });
                format!("borrow the original instead: `let {name} = {replacement};`, or hoist the copy above the loop")
            } else {
                format!("hoist `let {name} = {code};` above the loop, or borrow `{text}` directly")
            }
        }
        Reader::Inline => format!("hoist the copy above the loop (`let copy = {code};`) and use `copy` here"),
    };
    let mut d = cx.diagnostic(&META, site.expr.span(), message);
    d.help = Some(help);
    d.fix = fix;
    let label = match frequency {
        Frequency::EveryIteration => "runs on every iteration of this loop",
        _ => "inside this loop",
    };
    d.labels.push(Label { span: cx.span(lp.header_span), message: label.to_owned() });
    d
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, replacement};

    const RULE: &str = "clone_in_loop";

    /// A copy under a condition in the loop runs on some iterations: the
    /// message says so instead of "on every iteration".
    #[test]
    fn a_conditional_site_is_not_said_to_run_every_iteration() {
        let found = check(
            RULE,
            "pub fn f(records: &[Rec], wanted: Vec<String>) -> usize {\n    let mut n = 0;\n    for r in records {\n        if r.ok {\n            let names = wanted.clone(); //~\n            if names.contains(&r.source) {\n                n += 1;\n            }\n        }\n    }\n    n\n}\n",
        );
        assert_eq!(
            found[0].message,
            "`wanted.clone()` copies `wanted` on the loop's iterations that reach it, though the loop never changes `wanted`, and `names` is only read"
        );
    }

    #[test]
    fn clones_of_the_crates_types_that_own_heap_buffers() {
        check(
            RULE,
            r#"
#[derive(Clone)]
pub struct Config { name: String, n: u32 }
#[derive(Clone)]
pub struct Small { n: u32 }
#[derive(Clone)]
pub struct Outer { inner: Config }
pub struct NoClone { name: String }
fn show<T>(_: &T) {}
pub fn f(cfg: &Config, small: &Small, outer: &Outer, plain: &NoClone, items: &[u32]) {
    for _ in items {
        let c = cfg.clone(); //~
        show(&c);
        let s = small.clone();
        show(&s);
        let o = outer.clone(); //~
        show(&o);
        // No `Clone`: the reference is copied.
        let p = plain.clone();
        show(&p);
    }
}
"#,
        );
        let a = "#[derive(Clone)]\npub struct Config { pub name: String }\n#[derive(Clone, Copy)]\npub struct Id(pub u32);\npub fn config() -> Config { todo!() }\n";
        let b = r#"
use crate::a::{config, Id};
fn show<T>(_: &T) {}
pub fn f(items: &[u32], id: Id) {
    let cfg = config();
    for _ in items {
        let c = cfg.clone();
        show(&c);
        let i = id.clone();
        show(&i);
    }
}
"#;
        let messages = crate::rules::test_support::crate_messages(RULE, &[("a.rs", a), ("b.rs", b)]);
        assert_eq!(
            messages,
            [
                "`cfg.clone()` copies `cfg` on every iteration of the loop, though the loop never changes `cfg`, and `c` is only read"
            ]
        );
        // The same types in another crate of the workspace; the app's own
        // `Id` owns a heap buffer, the other crate's is `Copy`.
        let app = r#"
use settings::{config, Config, Id};
struct Own(String);
fn show<T>(_: &T) {}
pub fn f(items: &[u32], id: Id, given: &Config, own: &Own) {
    let cfg = config();
    for _ in items {
        let c = cfg.clone();
        show(&c);
        let g = given.clone();
        show(&g);
        let i = id.clone();
        show(&i);
    }
}
"#;
        let crates: [(&str, &[(&str, &str)]); 2] = [("settings", &[("lib.rs", a)]), ("app", &[("main.rs", app)])];
        assert_eq!(
            crate::rules::test_support::workspace_messages(RULE, &crates),
            [
                "`cfg.clone()` copies `cfg` on every iteration of the loop, though the loop never changes `cfg`, and `c` is only read",
                "`given.clone()` copies `given` on every iteration of the loop, though the loop never changes `given`, and `g` is only read",
            ]
        );
    }

    #[test]
    fn invariant_copies_only_read() {
        let found = check(
            RULE,
            r#"
use std::collections::HashMap;
fn f(items: &[Item], prefix: &str, tags: &Vec<String>, id: u32, map: &HashMap<String, u32>, base: String) {
    for it in items {
        let p = prefix.to_string(); //~
        let t = tags.clone(); //~
        if t.contains(&it.tag) && it.name.starts_with(&p) {
            println!("{p}");
        }
        let hit = map.get(&id.to_string()); //~
        if it.name == base.to_owned() {} //~
        let b = base.clone(); //~
        show(&b);
    }
}
"#,
        );
        assert_eq!(
            found[0].message,
            "`prefix.to_string()` copies `prefix` on every iteration of the loop, though the loop never changes `prefix`, and `p` is only read"
        );
        assert_eq!(found[0].labels[0].span.line, 4);
        assert!(found[0].fix.is_none());
        assert_eq!(replacement(&found[4]), "&base");
        assert!(found[2].help.as_deref().unwrap().starts_with("hoist the copy above the loop"), "{:?}", found[2].help);
    }

    #[test]
    fn needed_copies_are_not_findings() {
        check_clean(
            RULE,
            r#"
use std::rc::Rc;
struct Row { name: String }
fn f(items: &[Item], name: String, shared: Rc<String>, n: u32, mut acc: String, r: &mut Vec<String>) -> Option<Vec<Row>> {
    let mut out = Vec::new();
    let mut names = Vec::new();
    for it in items {
        let own = it.name.clone();
        show(&own);
        names.push(name.clone());
        out.push(Row { name: name.clone() });
        consume(name.to_string());
        let s = shared.clone();
        show(&s);
        let c = n.clone();
        show(&c);
        let a = acc.to_string();
        show(&a);
        acc.push('x');
        let v = r.to_vec();
        show(&v);
        r.push(String::new());
        let kept = name.to_string();
        names.push(kept);
        let f = || name.to_string();
        if it.done {
            return Some(lookup(&name.to_string()));
        }
        let mut m = name.to_string();
        m.push('!');
        show(&m);
    }
    Some(out)
}
"#,
        );
    }

    #[test]
    fn loop_variables_and_locals_declared_in_the_loop_body() {
        check(
            RULE,
            r#"
fn f(groups: &[Vec<String>]) {
    for g in groups {
        let copy = g.clone();
        show(&copy);
        let local = String::from("x");
        for _ in 0..3 {
            let l = local.clone(); //~
            show(&l);
        }
        let inner = local.to_string();
        show(&inner);
    }
}
"#,
        );
    }

    #[test]
    fn fields_of_self() {
        check(
            RULE,
            r#"
struct S { name: String, out: Vec<String> }
impl S {
    fn f(&self, items: &[Item]) {
        for it in items {
            let n = self.name.clone(); //~
            show(n.len());
        }
    }
    fn g(&mut self, items: &[Item]) {
        for it in items {
            let n = self.name.clone();
            show(n.len());
            self.out.push(it.name.clone());
        }
    }
}
"#,
        );
    }

    #[test]
    fn copies_of_values_whose_type_the_model_infers() {
        check(
            RULE,
            r#"
struct Config { names: Vec<String> }
fn load() -> Vec<String> { Vec::new() }
fn f(items: &[u32], config: &Config) {
    let allowed = load();
    for it in items {
        let a = allowed.clone(); //~
        let n = config.names.clone(); //~
        if a.len() + n.len() > *it as usize {
            println!("{it}");
        }
    }
}
"#,
        );
        // What the code doesn't state stays unreported: `make()` of another crate.
        check_clean(
            RULE,
            r#"
use other::make;
fn f(items: &[u32]) {
    let shared = make();
    for it in items {
        let s = shared.clone();
        if s.len() > *it as usize {}
    }
}
"#,
        );
    }
}
