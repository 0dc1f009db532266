//! `vec_push_without_capacity`: a `Vec` that starts empty and is filled by one
//! `push` per iteration of a loop whose length is known before it starts.

use syn::Expr;

use crate::analysis::field_fill::{FieldFill, field_fills};
use crate::analysis::fill_loop::{
    CapacityFinding, CapacityMessage, FillLoop, Filled, Reservation, UseRole, capacity_diagnostic, collect_code,
    fill_loop, shadowed_std, sole_statement_iter,
};
use crate::diagnostic::Level;
use crate::layout::growth::Growth;
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::syntax::macros::{MacroKind, is_vec_repeat};
use crate::syntax::paths::{call_of, path_is, strip_parens, type_last_segment};
use crate::walk::Rule;
use crate::walk::{Binding, BindingId, Emitter, FnCx, UseKind};

pub(crate) struct VecPushWithoutCapacity;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &VecPushWithoutCapacity;

static META: RuleMeta = RuleMeta {
    name: "vec_push_without_capacity",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a `Vec` filled by `push` in a loop of known length, without reserving capacity",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Mixed,
    clippy: &[],
    confirmed_by: &[Reason::VecGrowth],
    fix_leaves_one: true,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds a `Vec` or `VecDeque` created empty (`Vec::new()`, `vec![]`,
`Vec::default()`, `VecDeque::new()`) and then filled by an unconditional
`push`/`push_back` on every iteration of a `for` loop whose number of
iterations is known before the loop starts: a range, an array, or a
collection whose type the code shows (`&[T]`, `Vec<T>`, `HashMap<K, V>`
parameters, locals built with `vec![..]` or `collect::<Vec<_>>()`, fields of
structs of the same file), also through `.iter()`, `.enumerate()`, `.rev()`,
`.map(..)` and `.zip(..)`.

## Why is this bad
An empty `Vec` has no buffer. Pushing `n` elements one at a time makes it
reallocate each time it is full, doubling its capacity: about `log2(n)`
allocations, each copying every element so far, and up to twice the memory
it needs at the end. 1000 pushes of `u64` cost 9 allocations and 16,352 bytes
allocated in total; `Vec::with_capacity(1000)` costs one allocation of 8,000
bytes.

## Example
```rust
fn squares(values: &[u64]) -> Vec<u64> {
    let mut out = Vec::new();
    for v in values {
        out.push(v * v);
    }
    out
}
```

## Use instead
```rust
fn squares(values: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        out.push(v * v);
    }
    out
}
```
or build it in one go: `values.iter().map(|v| v * v).collect()`.

## Known limitations
memlint doesn't compile the code. It only reports loops whose length the
code makes certain (a range, an array, a collection whose type is stated or
inferred), so it stays silent on loops over iterators of unknown length
(`.chars()`, `.lines()`, `.filter(..)`), on `while`/`loop` loops, on pushes
inside `if`/`match`, on loops that can `break`, `continue`, `return` or use
`?`, and when the `Vec` is used in any other way between its creation and the
end of the loop (it may have been filled or reserved elsewhere). Nor does it
report when the file defines or imports another type called `Vec` or
`VecDeque`.

A field is reported the same way when the function creates it empty
(`self.items = Vec::new();`, `let mut out = Out { lines: Vec::new(), .. };`)
right before the loop that pushes it, with its owner mentioned nowhere in
between or in the loop but through other fields. A field the function
doesn't create is not reported: it may be a buffer reused across calls, or
one its constructor gave room.
"#;

/// Methods that read a vector without changing its length or capacity.
const READ_ONLY: &[&str] = &[
    "len",
    "is_empty",
    "last",
    "first",
    "get",
    "iter",
    "contains",
    "capacity",
    "as_slice",
    "front",
    "back",
    "starts_with",
    "ends_with",
    "binary_search",
];

impl Rule for VecPushWithoutCapacity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        for (id, binding) in fx.facts.bindings.iter().enumerate() {
            if let Some(finding) = check_binding(fx, id, binding) {
                finding.emit(out);
            }
        }
        for push in ["push", "push_back"] {
            for field in field_fills(fx, push, 1) {
                if let Some(finding) = check_field(fx, &field, push) {
                    finding.emit(out);
                }
            }
        }
    }
}

/// A field created empty and pushed on every iteration of a loop.
fn check_field<'ast>(fx: &FnCx<'_, '_, 'ast>, field: &FieldFill<'_, 'ast>, push: &str) -> Option<CapacityFinding> {
    let ctor = empty_ctor(fx, field.ctor, None).filter(|c| c.push == push && !shadowed_std(fx, c.name))?;
    let fill = &field.fill;
    let per_iteration = field.per_iteration();
    let growth = Growth::Vec { per_iteration };
    if fill.fits_first_allocation(&growth) {
        return None;
    }
    let filled = field.filled();
    let message = fill_message(fx, &filled, fill, per_iteration, push);
    let reservation = Reservation {
        replacement: Some(format!("{}::with_capacity({})", ctor.type_path, fill.capacity(per_iteration))),
        exact: true,
        note: None,
        alternative: None,
    };
    Some(capacity_diagnostic(fx, &META, filled, field.ctor, fill, message, growth, reservation))
}

/// "`out` starts empty and grows by one `push` per iteration of a loop over `items`".
fn fill_message(
    fx: &FnCx<'_, '_, '_>,
    filled: &Filled<'_>,
    fill: &FillLoop<'_, '_>,
    per_iteration: u64,
    push: &str,
) -> CapacityMessage {
    let head_text = fill.lp.head.map_or("", |h| fx.cx.text(h));
    let push_text = if per_iteration == 1 { format!("one `{push}`") } else { format!("{per_iteration} `{push}`s") };
    let head =
        format!("`{}` starts empty and grows by {push_text} per iteration of a loop over `{head_text}`", filled.name);
    CapacityMessage { head, unknown_cost: "about log2(n) reallocations where one allocation would do" }
}

/// The empty collection a binding starts as.
struct EmptyCtor {
    /// `Vec` or `VecDeque`.
    name: &'static str,
    /// `Vec` or `VecDeque`, as the replacement should spell it
    /// (`std::collections::VecDeque` when written so).
    type_path: String,
    /// `push` or `push_back`.
    push: &'static str,
}

fn check_binding<'ast>(fx: &FnCx<'_, '_, 'ast>, id: BindingId, binding: &Binding<'ast>) -> Option<CapacityFinding> {
    let init = binding.init?;
    let ctor = empty_ctor(fx, init, binding.ty)?;
    let fill = fill_loop(fx, id, binding, ctor.name, |u| match u.kind {
        UseKind::MethodReceiver(m) if m.method == ctor.push && m.args.len() == 1 => UseRole::Grow,
        UseKind::MethodReceiver(m) if READ_ONLY.iter().any(|r| m.method == r) => UseRole::Read,
        UseKind::Borrow | UseKind::FormatArg | UseKind::Indexed => UseRole::Read,
        _ => UseRole::Other,
    })?;
    let per_iteration = fill.grows.len() as u64;
    let growth = Growth::Vec { per_iteration };
    if fill.fits_first_allocation(&growth) {
        return None; // A handful of elements fit in the first allocation anyway.
    }
    let message = fill_message(fx, &Filled::binding(binding), &fill, per_iteration, ctor.push);
    let capacity = fill.capacity(per_iteration);
    let reservation = Reservation {
        replacement: Some(format!("{}::with_capacity({capacity})", ctor.type_path)),
        exact: true,
        note: None,
        alternative: collect_suggestion(fx, &fill, &ctor),
    };
    Some(capacity_diagnostic(fx, &META, Filled::binding(binding), init, &fill, message, growth, reservation))
}
fn empty_ctor<'ast>(fx: &FnCx<'_, '_, 'ast>, init: &'ast Expr, ty: Option<&syn::Type>) -> Option<EmptyCtor> {
    let init = strip_parens(init);
    if let Expr::Macro(m) = init {
        let call = fx.cx.macro_call(&m.mac);
        let empty = call.kind == MacroKind::Vec && call.args.is_empty() && !is_vec_repeat(&m.mac);
        return empty.then(|| EmptyCtor { name: "Vec", type_path: "Vec".to_owned(), push: "push" });
    }
    let (path, args) = call_of(init)?;
    if !args.is_empty() {
        return None;
    }
    for (ty_name, push) in [("Vec", "push"), ("VecDeque", "push_back")] {
        if path_is(path, &[ty_name, "new"]) || path_is(path, &[ty_name, "default"]) {
            // Keep the path as written (`std::collections::VecDeque`, `Vec::<u64>`):
            // dropping a turbofish can leave the element type uninferable.
            let text = fx.cx.text(path);
            let type_path = text.rsplit_once("::").map_or(ty_name, |(head, _)| head.trim_end());
            return Some(EmptyCtor { name: ty_name, type_path: type_path.to_owned(), push });
        }
    }
    // `let v: Vec<T> = Default::default();`
    if path_is(path, &["Default", "default"]) {
        let name = type_last_segment(ty?)?.ident.to_string();
        return match name.as_str() {
            "Vec" => Some(EmptyCtor { name: "Vec", type_path: name, push: "push" }),
            "VecDeque" => Some(EmptyCtor { name: "VecDeque", type_path: name, push: "push_back" }),
            _ => None,
        };
    }
    None
}

/// `iter.map(|pat| arg).collect::<Vec<_>>()` when the loop body is the push alone.
fn collect_suggestion<'ast>(fx: &FnCx<'_, '_, 'ast>, fill: &FillLoop<'_, 'ast>, ctor: &EmptyCtor) -> Option<String> {
    let push = fill.sole_method_call()?;
    let (iter, pat) = sole_statement_iter(fx, fill.lp, push)?;
    // Name the collection: `collect()` alone often cannot infer it.
    let without_turbofish = ctor.type_path.split("::<").next().unwrap_or("Vec");
    let ty = without_turbofish.rsplit("::").next().unwrap_or("Vec");
    Some(collect_code(fx, &iter, pat, fx.cx.text(&push.args[0]), &format!("{ty}<_>")))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, crate_messages, fix, replacement};

    const RULE: &str = "vec_push_without_capacity";

    /// tokio's tests: `const N: usize = 3;` and 3 pushes fit in the first
    /// allocation. Constants of the function and the file are resolved.
    #[test]
    fn constants_give_exact_counts() {
        check_clean(
            RULE,
            "fn f() -> Vec<u8> {\n    const N: usize = 3;\n    let mut v = Vec::new();\n    for i in 0..N {\n        v.push(i as u8);\n    }\n    v\n}\n",
        );
        let found = check(
            RULE,
            "const ROWS: usize = 2 * CHUNK;\nconst CHUNK: usize = 500;\nfn f() -> Vec<u32> {\n    let mut v = Vec::new(); //~\n    for i in 0..ROWS {\n        v.push(i as u32);\n    }\n    v\n}\n",
        );
        assert!(found[0].message.contains("1000 elements cost 9 allocations"), "{}", found[0].message);
        // Imported or defined twice: not known, reported without a count.
        let found = check(
            RULE,
            "use limits::N;\nmod m { pub const N: usize = 2; }\nfn f() -> Vec<u32> {\n    let mut v = Vec::new(); //~\n    for i in 0..N {\n        v.push(i as u32);\n    }\n    v\n}\n",
        );
        assert!(found[0].message.contains("about log2(n) reallocations"), "{}", found[0].message);
    }

    /// b.rs fills a `Vec` in a loop over `0..N` written as `count`, N being
    /// a constant of another file of the crate.
    fn uses_n(count: &str, import: &str) -> String {
        format!(
            "{import}\npub fn f() -> Vec<u8> {{\n    let mut v = Vec::new();\n    for i in 0..{count} {{\n        v.push(i as u8);\n    }}\n    v\n}}\n"
        )
    }

    #[test]
    fn constants_of_other_files_give_exact_counts() {
        let a3 = ("src/a.rs", "pub const N: usize = 3;\n");
        let a1000 = ("src/a.rs", "pub const N: usize = 1000;\n");
        for import in ["use crate::a::N;", "use super::a::{N};", "use crate::a::{self, M as N};"] {
            let b = uses_n("N", import);
            let a = if import.contains("M as N") { ("src/a.rs", "pub const M: usize = 3;\n") } else { a3 };
            assert_eq!(crate_messages(RULE, &[a, ("src/b.rs", &b)]), Vec::<String>::new(), "{import}");
        }
        // Through a path into the crate, and with a cast.
        for (count, import) in
            [("a::N", "use crate::a;"), ("crate::a::N", ""), ("super::a::N", ""), ("(crate::a::N as usize)", "")]
        {
            let b = uses_n(count, import);
            assert_eq!(crate_messages(RULE, &[a3, ("src/b.rs", &b)]), Vec::<String>::new(), "{count}");
            let found = crate_messages(RULE, &[a1000, ("src/b.rs", &b)]);
            assert_eq!(found.len(), 1, "{count}: {found:?}");
            assert!(found[0].ends_with("1000 elements cost 9 allocations where one would do"), "{}", found[0]);
        }
        // A constant computed from others of its file.
        let a = ("src/a.rs", "pub const N: usize = 2 * HALF;\nconst HALF: usize = 500;\n");
        let found = crate_messages(RULE, &[a, ("src/b.rs", &uses_n("N", "use crate::a::N;"))]);
        assert!(found[0].ends_with("1000 elements cost 9 allocations where one would do"), "{found:?}");
    }

    #[test]
    fn constants_of_other_files_that_are_not_certain_stay_unknown() {
        let unknown = "about log2(n) reallocations where one allocation would do";
        let b = uses_n("N", "use crate::a::N;");
        let b = ("src/b.rs", b.as_str());
        // The control: one constant `N`, twice with the same value.
        let a3 = ("src/a.rs", "pub const N: usize = 3;\npub const MAX: usize = 3;\n");
        let same = ("src/c.rs", "pub const N: usize = 3;\n");
        assert_eq!(crate_messages(RULE, &[a3, same, b]), Vec::<String>::new());
        let crates: [&[(&str, &str)]; 5] = [
            // Two constants `N` with different values.
            &[("src/a.rs", "pub const N: usize = 3;\n"), ("src/c.rs", "pub const N: usize = 1000;\n"), b],
            // None in the crate.
            &[b],
            // A value the file alone doesn't give.
            &[("src/a.rs", "pub const N: usize = crate::c::M;\n"), b],
            // A static, or an associated constant, of that name.
            &[("src/a.rs", "pub const N: usize = 3;\n"), ("src/c.rs", "pub static N: usize = 3;\n"), b],
            &[("src/a.rs", "pub const N: usize = 3;\n"), ("src/c.rs", "impl S { const N: usize = 3; }\n"), b],
        ];
        for files in crates {
            let found = crate_messages(RULE, files);
            assert_eq!(found.len(), 1, "{files:?}: {found:?}");
            assert!(found[0].ends_with(unknown), "{files:?}: {found:?}");
        }
        // Names that are not the crate's constants, or not constants at all.
        let a = a3;
        for (count, import) in [
            ("N", "use other_crate::N;"),
            ("N", "use crate::a::*;"),
            ("u8::MAX", ""),
            ("Self::N", ""),
            ("other_crate::N", ""),
            ("N", "use crate::a::N;\nuse other_crate::N;"),
        ] {
            let b = if count == "Self::N" {
                "struct S;\nimpl S {\n    const N: usize = 1000;\n    pub fn f() -> Vec<u8> {\n        let mut v = Vec::new();\n        for i in 0..Self::N {\n            v.push(i as u8);\n        }\n        v\n    }\n}\n".to_owned()
            } else {
                uses_n(count, import)
            };
            let found = crate_messages(RULE, &[a, ("src/b.rs", &b)]);
            assert_eq!(found.len(), 1, "{count} / {import}: {found:?}");
            assert!(found[0].ends_with(unknown), "{count} / {import}: {found:?}");
        }
    }

    /// With `use crate::a::N` in scope, `let N = m;` would be a constant
    /// pattern (and not compile): a local `N` is one the file doesn't
    /// import, which must not be taken for the crate's.
    #[test]
    fn a_local_binding_is_not_a_constant_of_another_file() {
        let a = ("src/a.rs", "pub const N: usize = 3;\n");
        let b = "pub fn f(m: usize) -> Vec<usize> {\n    let N = m;\n    let mut v = Vec::new();\n    for i in 0..N {\n        v.push(i);\n    }\n    v\n}\n";
        let imported = b.replace("pub fn", "use crate::a::N;\npub fn").replace("    let N = m;\n", "");
        assert_eq!(crate_messages(RULE, &[a, ("src/b.rs", &imported)]), Vec::<String>::new(), "the control");
        let found = crate_messages(RULE, &[a, ("src/b.rs", b)]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].ends_with("about log2(n) reallocations where one allocation would do"), "{found:?}");
    }

    /// Grown again after the loop: the loop's count is not the final size.
    #[test]
    fn a_collection_grown_after_the_loop_is_not_reported() {
        check_clean(
            RULE,
            "fn f(xs: &[u32], tail: u32) -> Vec<u32> {\n    let mut v = Vec::new();\n    for x in xs {\n        v.push(*x);\n    }\n    v.push(tail);\n    v\n}\n",
        );
    }

    #[test]
    fn push_per_item_of_a_slice_parameter() {
        let found = check(
            RULE,
            r#"
fn names(users: &[User]) -> Vec<String> {
    let mut out = Vec::new(); //~
    for u in users {
        out.push(u.name.clone());
    }
    out
}
"#,
        );
        let d = &found[0];
        assert_eq!(d.span.column, 19);
        assert!(d.message.contains("`out` starts empty"), "{}", d.message);
        assert!(d.help.as_deref().unwrap().contains("Vec::with_capacity(users.len())"), "{:?}", d.help);
        assert!(
            d.help.as_deref().unwrap().contains("users.iter().map(|u| u.name.clone()).collect::<Vec<_>>()"),
            "{:?}",
            d.help
        );
        assert_eq!(replacement(d), "Vec::with_capacity(users.len())");
        assert_eq!(d.labels.len(), 2);
    }

    #[test]
    fn ranges_arrays_and_constructors() {
        let found = check(
            RULE,
            r#"
use std::collections::VecDeque;
fn f(n: usize, words: Vec<&str>) {
    let mut a = vec![]; //~
    for i in 0..n { a.push(i); }
    let mut b: Vec<u64> = Default::default(); //~
    for i in 0..1000 { b.push(i); }
    let mut c = VecDeque::new(); //~
    for w in words.iter().enumerate() { c.push_back(w); }
    let mut d = Vec::<u8>::default(); //~
    for x in [1u8, 2, 3, 4, 5] { d.push(x); }
    let mut few = Vec::new();
    for x in [1u8, 2, 3] { few.push(x); }
    let mut e = std::vec::Vec::new(); //~
    for i in 1..=n { e.push(i); e.push(i); }
}
"#,
        );
        assert!(found[0].help.as_deref().unwrap().contains("Vec::with_capacity(n)"));
        assert!(found[1].message.contains("1000 elements cost 9 allocations"), "{}", found[1].message);
        assert!(found[2].help.as_deref().unwrap().contains("VecDeque::with_capacity(words.len())"));
        assert!(found[3].help.as_deref().unwrap().contains("Vec::<u8>::with_capacity(5)"));
        assert!(
            found[4].help.as_deref().unwrap().contains("std::vec::Vec::with_capacity(2 * n)"),
            "{:?}",
            found[4].help
        );
    }

    #[test]
    fn fields_of_self_and_known_locals() {
        check(
            RULE,
            r#"
struct Index { entries: Vec<Entry>, name: String }
impl Index {
    fn keys(&self) -> Vec<u32> {
        let mut keys = Vec::new(); //~
        for e in self.entries.iter() { keys.push(e.key); }
        keys
    }
}
fn local() {
    let items = vec![1, 2, 3];
    let mut out = Vec::new(); //~
    for i in &items { out.push(*i + 1); }
    let parsed: Vec<u32> = text().split(',').map(|s| s.parse().unwrap()).collect();
    let mut doubled = Vec::new(); //~
    for p in parsed { doubled.push(p * 2); }
}
"#,
        );
    }

    #[test]
    fn capacity_or_reserve_already_there() {
        check_clean(
            RULE,
            r#"
fn f(items: &[u32]) {
    let mut a = Vec::with_capacity(items.len());
    for i in items { a.push(*i); }
    let mut b = Vec::new();
    b.reserve(items.len());
    for i in items { b.push(*i); }
    let mut c = Vec::new();
    for i in items { c.reserve(1); c.push(*i); }
}
"#,
        );
    }

    #[test]
    fn conditional_pushes_and_early_exits() {
        check_clean(
            RULE,
            r#"
fn f(items: &[u32]) -> Result<Vec<u32>, E> {
    let mut a = Vec::new();
    for i in items { if *i > 3 { a.push(*i); } }
    let mut b = Vec::new();
    for i in items { match i { 0 => b.push(1), _ => {} } }
    let mut c = Vec::new();
    for i in items { if *i == 0 { break; } c.push(*i); }
    let mut d = Vec::new();
    for i in items { d.push(check(*i)?); }
    let mut e = Vec::new();
    for i in items { if *i == 0 { continue; } e.push(*i); }
    let mut g = Vec::new();
    for i in items { if *i == 0 { return Ok(g); } g.push(*i); }
    let mut h = Vec::new();
    for i in items { *i > 0 && { h.push(*i); true }; }
    Ok(a)
}
"#,
        );
    }

    #[test]
    fn loops_of_unknown_length() {
        check_clean(
            RULE,
            r#"
fn f(text: &str, mut it: impl Iterator<Item = u8>, items: &[u32]) {
    let mut a = Vec::new();
    for c in text.chars() { a.push(c); }
    let mut b = Vec::new();
    while let Some(x) = it.next() { b.push(x); }
    let mut c = Vec::new();
    for line in text.lines() { c.push(line); }
    let mut d = Vec::new();
    for i in items.iter().filter(|i| **i > 2) { d.push(i); }
    let mut e = Vec::new();
    let mut n = 0;
    while n < 10 { e.push(n); n += 1; }
    let mut g = Vec::new();
    for x in it { g.push(x); }
    let mut h = Vec::new();
    for i in 0.. { h.push(i); if i > 5 { break; } }
}
"#,
        );
    }

    #[test]
    fn used_before_or_elsewhere_in_the_loop() {
        check_clean(
            RULE,
            r#"
fn f(items: &[u32], other: Vec<u32>) {
    let mut a = Vec::new();
    a.extend(other);
    for i in items { a.push(*i); }
    let mut b = Vec::new();
    for i in items { b.push(*i); fill(&mut b); }
    let mut c = Vec::new();
    for i in items { c.push(*i); c.extend_from_slice(&[1, 2]); }
    let mut d = Vec::new();
    for i in items { d.push(*i); my_macro!(d); }
    let mut e = Vec::new();
    for i in items { e.push(*i); e = Vec::new(); }
}
"#,
        );
    }

    #[test]
    fn nested_loops_and_closures() {
        check_clean(
            RULE,
            r#"
fn f(rows: &[Vec<u32>]) {
    let mut all = Vec::new();
    for row in rows {
        for cell in row { all.push(*cell); }
    }
    let mut b = Vec::new();
    rows.iter().for_each(|r| b.push(r.len()));
    let mut c = Vec::new();
    for r in rows { let mut push = |x| c.push(x); push(r.len()); }
    let mut d = Vec::new();
    for r in rows { std::thread::scope(|_| { d.push(r.len()); }); }
}
"#,
        );
    }

    #[test]
    fn inner_vec_per_outer_iteration_is_reported() {
        check(
            RULE,
            r#"
fn f(rows: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells = Vec::new(); //~
        for c in row { cells.push(c + 1); }
        out.push(cells);
    }
    out
}
"#,
        );
    }

    #[test]
    fn shadowing_and_not_a_vec() {
        check_clean(
            RULE,
            r#"
fn f(items: &[u32], set: &mut Set) {
    let mut v = Vec::new();
    let mut v = std::mem::take(&mut v);
    for i in items { v.push(*i); }
    let mut s = Stack::new();
    for i in items { s.push(*i); }
    let mut w = Vec::new();
    for i in items { let mut w = Vec::new(); w.push(*i); }
    w.push(1);
}
"#,
        );
    }

    #[test]
    fn counted_binding_declared_after_the_vec_is_not_machine_applicable() {
        let found = check(
            RULE,
            r#"
fn f() -> Vec<u32> {
    let mut out = Vec::new(); //~
    let items = load();
    for i in 0..items.len() { out.push(i as u32); }
    out
}
"#,
        );
        assert_eq!(fix(&found[0]).applicability, crate::Applicability::MaybeIncorrect);
        assert!(found[0].help.as_deref().unwrap().starts_with("declare `out` after"));
    }

    #[test]
    fn shadowed_collection_names() {
        // A local or imported `Vec` may have no `with_capacity`: the fix would not compile.
        check_clean(
            RULE,
            r#"
mod fixed { pub struct Vec<T>(std::marker::PhantomData<T>); impl<T> Vec<T> { pub fn new() -> Self { Vec(std::marker::PhantomData) } pub fn push(&mut self, _t: T) {} } }
use fixed::Vec;
pub fn f(xs: &[u32]) -> Vec<u32> { let mut v = Vec::new(); for x in xs { v.push(*x); } v }
pub fn g(xs: &[u32]) { let mut v = vec![]; for x in xs { v.push(*x); } }
pub fn h(xs: &[u32]) { let mut v: Vec<u32> = Default::default(); for x in xs { v.push(*x); } }
"#,
        );
        check_clean(
            RULE,
            r#"
use ring::VecDeque;
pub fn f(xs: &[u32]) { let mut v = VecDeque::new(); for x in xs { v.push_back(*x); } }
"#,
        );
        // Shadowing one name leaves the other alone.
        check(
            RULE,
            r#"
struct VecDeque;
pub fn f(xs: &[u32]) -> Vec<u32> {
    let mut v = Vec::new(); //~
    for x in xs { v.push(*x); }
    v
}
"#,
        );
    }

    #[test]
    fn comments_and_strings_naming_vec_do_not_shadow_it() {
        // They used to: the scan read the text, comments included.
        check(
            RULE,
            r#"
// The length is given as Vec is not involved; we use a Vec here.
/// A doc comment: `use smallvec::Vec;`, `struct Vec`.
pub fn f(xs: &[u32]) -> Vec<u32> {
    let note = "type Vec = SmallVec; use arena::Vec;";
    let mut v = Vec::new(); //~
    for x in xs { v.push(*x); }
    drop(note);
    v
}
"#,
        );
    }

    #[test]
    fn imports_and_definitions_anywhere_in_the_file_shadow() {
        for shadowing in [
            "use other::Vec;",
            "use other::{Thing, B as Vec};",
            "use a::{b::{Vec}};",
            "mod inner { mod deeper { pub struct Vec<T>(T); } }",
            "#[cfg(any(test, bench))] mod tests { use arena::Vec; }",
            "type Vec<T> = smallvec::SmallVec<[T; 4]>;",
            "extern crate smallvec as Vec;",
            "cfg_if::cfg_if! { if #[cfg(x)] { use arena::Vec; } }",
        ] {
            check_clean(
                RULE,
                &format!(
                    "{shadowing}\npub fn f(xs: &[u32]) -> Vec<u32> {{ let mut v = Vec::new(); for x in xs {{ v.push(*x); }} v }}\n"
                ),
            );
        }
    }

    /// A `use` inside a module names nothing outside it; the bodies of
    /// test modules are not even parsed when no rule reports in tests.
    #[test]
    fn imports_of_a_test_module_do_not_shadow_outside_it() {
        check(
            RULE,
            "#[cfg(test)]\nmod tests {\n    use arena::Vec;\n}\npub fn f(xs: &[u32]) -> Vec<u32> {\n    let mut v = Vec::new(); //~\n    for x in xs {\n        v.push(*x);\n    }\n    v\n}\n",
        );
    }

    #[test]
    fn fields_created_empty_then_filled_in_a_loop() {
        let found = check(
            RULE,
            r#"
use std::collections::VecDeque;
pub struct Parser { tokens: Vec<u32>, queue: VecDeque<u8>, seen: u32 }
pub struct Out { lines: Vec<String>, n: usize }
impl Parser {
    pub fn feed(&mut self, input: &[u32]) {
        self.tokens = Vec::new(); //~
        self.seen = 0;
        for t in input {
            self.tokens.push(*t);
            self.seen += 1;
        }
    }
    pub fn fresh(&mut self, input: &[u8]) {
        self.queue = VecDeque::new(); //~
        for b in input.iter().rev() {
            self.queue.push_back(*b);
        }
    }
    pub fn lines(names: &[&str]) -> Out {
        let mut out = Out { lines: Vec::new(), n: 0 }; //~
        for n in names {
            out.lines.push(n.to_string());
        }
        out
    }
}
"#,
        );
        assert_eq!(
            found[0].message,
            "`self.tokens` starts empty and grows by one `push` per iteration of a loop over `input`: about log2(n) reallocations where one allocation would do"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("reserve the final size up front: `Vec::with_capacity(input.len())`")
        );
        assert_eq!(replacement(&found[2]), "Vec::with_capacity(names.len())");
        let after = crate::rules::test_support::checked_fix(
            RULE,
            "pub struct P { v: Vec<u32> }\nimpl P {\n    fn f(&mut self, xs: &[u32]) {\n        self.v = Vec::new();\n        for x in xs {\n            self.v.push(*x);\n        }\n    }\n}\n",
        );
        assert!(after.contains("self.v = Vec::with_capacity(xs.len());"), "{after}");
    }

    #[test]
    fn fields_the_function_does_not_create_empty_are_left_alone() {
        check_clean(
            RULE,
            r#"
pub struct P { v: Vec<u32>, n: u32 }
impl P {
    // A field the function didn't create may have room: a reused buffer,
    // or one its constructor reserved.
    fn reused(&mut self, xs: &[u32]) { for x in xs { self.v.push(*x); } }
    fn cleared(&mut self, xs: &[u32]) { self.v.clear(); for x in xs { self.v.push(*x); } }
    fn sized(&mut self, xs: &[u32]) { self.v = Vec::with_capacity(8); for x in xs { self.v.push(*x); } }
    fn built(xs: &[u32]) { let mut p = P::with_capacity(xs.len()); for x in xs { p.v.push(*x); } }
    // Created empty, but something else may fill it first.
    fn owner_used(&mut self, xs: &[u32]) { self.v = Vec::new(); self.bump(); for x in xs { self.v.push(*x); } }
    fn pushed_first(&mut self, xs: &[u32]) { self.v = Vec::new(); self.v.push(0); for x in xs { self.v.push(*x); } }
    fn in_loop(&mut self, xs: &[u32]) { self.v = Vec::new(); for x in xs { self.v.push(*x); self.bump(); } }
    fn in_macro(&mut self, xs: &[u32]) { self.v = Vec::new(); for x in xs { self.v.push(*x); println!("{}", self.n); } }
    fn conditional(&mut self, xs: &[u32], c: bool) { if c { self.v = Vec::new(); } for x in xs { self.v.push(*x); } }
    fn pushes_conditionally(&mut self, xs: &[u32]) { self.v = Vec::new(); for x in xs { if *x > 1 { self.v.push(*x); } } }
    fn breaks(&mut self, xs: &[u32]) { self.v = Vec::new(); for x in xs { if *x == 0 { break; } self.v.push(*x); } }
    fn unknown_length(&mut self, s: &str) { self.v = Vec::new(); for c in s.chars() { self.v.push(c as u32); } }
    fn tiny(&mut self) { self.v = Vec::new(); for i in 0..3 { self.v.push(i); } }
    fn bump(&mut self) { self.n += 1; }
    fn with_capacity(_: usize) -> P { todo!() }
}
"#,
        );
    }

    #[test]
    fn items_of_a_function_body_shadow_in_that_function() {
        check(
            RULE,
            r#"
pub fn f(xs: &[u32]) -> usize {
    let mut v = Vec::new();
    for x in xs { v.push(*x); }
    use arena::Vec;
    v.len()
}
pub fn g(xs: &[u32]) -> usize {
    let mut v = Vec::new();
    for x in xs { v.push(*x); }
    if xs.is_empty() { struct Vec; }
    v.len()
}
pub fn h(xs: &[u32]) -> Vec<u32> {
    let mut v = Vec::new(); //~
    for x in xs { v.push(*x); }
    v
}
"#,
        );
    }

    #[test]
    fn std_and_logging_macros_in_the_loop_are_not_exits() {
        // They expand to their arguments' code, which has no exit here.
        check(
            RULE,
            r#"
pub fn f(xs: &[u32], n: u32) -> Vec<Vec<u32>> {
    let mut a = Vec::new(); //~
    for x in xs { debug_assert!(*x < n); a.push(*x); }
    let mut b = Vec::new(); //~
    for x in xs { if matches!(x, 1 | 2) { continue_with(x); } b.push(*x); }
    let mut c = Vec::new(); //~
    for x in xs { debug_assert!(matches!(x, k if *k < n), "{x} out of range"); c.push(*x); }
    let mut d = Vec::new(); //~
    for x in xs { log::debug!("pushing {}", x); d.push(*x); }
    let mut e = Vec::new(); //~
    for x in xs { tracing::trace!(?x, n, total = %n, "pushing"); e.push(*x); }
    let mut g = Vec::new(); //~
    for x in xs { debug!(target: "memlint", "x = {x}"); g.push(*x); }
    let mut h = Vec::new(); //~
    for x in xs { let _s = tracing::info_span!("item", x).entered(); h.push(*x); }
    let mut i = Vec::new(); //~
    for x in xs { log::info!(target: "t", len = i.len(), x:? = x; "push {}", x); i.push(*x); }
    let mut j = Vec::new(); //~
    for x in xs { if cfg!(debug_assertions) { eprintln!("{}: {x}", stringify!(j)); } j.push(*x); }
    vec![a, b, c, d, e, g, h, i, j]
}
"#,
        );
    }

    #[test]
    fn macros_that_may_exit_still_stop_the_rule() {
        check_clean(
            RULE,
            r#"
pub fn f(xs: &[u32], n: u32) -> Option<Vec<Vec<u32>>> {
    let mut a = Vec::new();
    for x in xs { my_exit_macro!(); a.push(*x); }
    let mut b = Vec::new();
    for x in xs { debug_assert!({ return None; }); b.push(*x); }
    let mut c = Vec::new();
    for x in xs { tracing::trace!("{}", x.checked_add(n)?); c.push(*x); }
    let mut d = Vec::new();
    for x in xs { if matches!(x.checked_sub(n)?, 0) { d.push(*x); } }
    let mut e = Vec::new();
    for x in xs { log::warn!("{}", { if *x == 0 { break; } x }); e.push(*x); }
    let mut g = Vec::new();
    for x in xs { try!(check(x)); g.push(*x); }
    let mut h = Vec::new();
    for x in xs { mylog::debug!("{}", x); h.push(*x); }
    let mut i = Vec::new();
    for x in xs { debug!(target: "t" "unreadable"); i.push(*x); }
    Some(vec![a, b, c, d, e, g, h, i])
}
"#,
        );
    }

    #[test]
    fn test_code_is_skipped() {
        check_clean(
            RULE,
            r#"
#[cfg(test)]
mod tests {
    fn helper(items: &[u32]) { let mut v = Vec::new(); for i in items { v.push(*i); } }
}
#[test]
fn t() { let mut v = Vec::new(); for i in 0..3 { v.push(i); } }
"#,
        );
    }

    #[test]
    fn iter_of_unknown_types_macros_and_conditional_loops() {
        check_clean(
            RULE,
            r#"
fn f(extra: Option<u32>, rx: Receiver<String>, p: &Path, items: &[u32], deep: bool) -> Option<Vec<u32>> {
    let mut a = Vec::new();
    for x in extra.iter() { a.push(*x); }
    let mut b = Vec::new();
    for m in rx.iter() { b.push(m); }
    let mut c = Vec::new();
    for part in p.iter() { c.push(part); }
    let mut d = Vec::new();
    for x in items { d.push(try_opt!(*x)); }
    let mut e = Vec::new();
    if deep { for x in items { e.push(*x * 2); } }
    let mut g = Vec::new();
    for i in 5..3 { g.push(i); }
    None
}
#[test]
fn t() { fn helper(xs: &[u8]) { let mut v = Vec::new(); for x in xs { v.push(*x); } } }
#[test_case(1)]
fn tc(xs: &[u8]) { let mut v = Vec::new(); for x in xs { v.push(*x); } }
"#,
        );
    }

    #[test]
    fn suggested_code_keeps_types_right() {
        let found = check(
            RULE,
            r#"
fn rows(height: u32, n: usize, m: i64, a: &[u64]) {
    let mut out = Vec::new(); //~
    for y in 0..height { out.push(y * 2); }
    let mut v = Vec::<u64>::new(); //~
    for i in 0..n { v.push(i as _); }
    let mut w = Vec::new(); //~
    for i in -5..m { w.push(i); }
    let mut sq = Vec::new(); //~
    for x in a.iter().map(|x| x * x) { sq.push(x); }
}
"#,
        );
        let fix = |i: usize| fix(&found[i]);
        assert_eq!(fix(0).edits[0].replacement, "Vec::with_capacity(height as usize)");
        assert_eq!(fix(0).applicability, crate::Applicability::MachineApplicable);
        assert_eq!(fix(1).edits[0].replacement, "Vec::<u64>::with_capacity(n)");
        assert_eq!(fix(2).applicability, crate::Applicability::MaybeIncorrect);
        assert_eq!(fix(3).edits[0].replacement, "Vec::with_capacity(a.len())");
        assert_eq!(fix(3).applicability, crate::Applicability::MachineApplicable);
    }

    #[test]
    fn labelled_block_inside_the_loop_is_not_a_loop_exit() {
        check(
            RULE,
            r#"
fn f(xs: &[i32]) -> Vec<&'static str> {
    let mut out = Vec::new(); //~
    for x in xs {
        let k = 'b: { if *x < 0 { break 'b "neg"; } "pos" };
        out.push(k);
    }
    out
}
"#,
        );
    }

    #[test]
    fn collections_whose_type_the_semantic_model_infers() {
        let found = check(
            RULE,
            r#"
struct Row { cells: Vec<u32> }
struct Table { rows: Vec<Row> }
fn parse(text: &str) -> Vec<Row> { Vec::new() }
fn f(text: &str, table: &Table, path: &str) -> (Vec<usize>, Vec<u32>, Vec<u8>) {
    let rows = parse(text);
    let mut widths = Vec::new(); //~
    for row in &rows {
        widths.push(row.cells.len());
    }
    let mut firsts = Vec::new(); //~
    for row in table.rows.iter() {
        firsts.push(row.cells[0]);
    }
    let bytes = std::fs::read(path).unwrap();
    let mut doubled = Vec::new(); //~
    for b in &bytes {
        doubled.push(b * 2);
    }
    (widths, firsts, doubled)
}
"#,
        );
        assert!(found[0].help.as_deref().unwrap().contains("rows.len()"), "{:?}", found[0].help);
        check_clean(
            RULE,
            r#"
fn lines(text: &str) -> std::str::Lines<'_> { text.lines() }
fn f(text: &str, o: Option<Vec<u8>>) -> (Vec<usize>, Vec<u8>) {
    let mut lens = Vec::new();
    for l in lines(text) {
        lens.push(l.len());
    }
    let mut items = Vec::new();
    for x in o.iter() {
        items.push(x.len() as u8);
    }
    (lens, items)
}
"#,
        );
    }
}
