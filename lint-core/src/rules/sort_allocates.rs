//! `sort_allocates`: a stable sort (`sort()`, `sort_by_key(Reverse)`) of
//! integers, `char`s, `bool`s or `&str`s, which allocates a scratch buffer
//! once the input outgrows 4 KiB, where `sort_unstable()` sorts in place
//! with the same result.

use syn::{Expr, ExprMethodCall};

use crate::analysis::types::type_of;
use crate::diagnostic::{Applicability, Edit, Fix, Level};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::semantic::ty::Ty;
use crate::syntax::macros::is_vec_repeat;
use crate::syntax::method_calls::Closures;
use crate::syntax::paths::strip_parens;
use crate::walk::{Called, Emitter, FnCx, Rule};

pub(crate) struct SortAllocates;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &SortAllocates;

static META: RuleMeta = RuleMeta {
    name: "sort_allocates",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a stable sort of integers, `char`s, `bool`s or `&str`s, which allocates where `sort_unstable` doesn't",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Safe,
    clippy: &["stable_sort_primitive"],
    confirmed_by: &[Reason::Sort],
    fix_leaves_one: false,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds `sort()`, `sort_by_key(..)` with the value itself or `Reverse` of it
as the key, and `sort_by(|a, b| a.cmp(b))` (or `b.cmp(a)`) on a `Vec` or a
slice whose elements are integers, `char`s, `bool`s or `&str`s, as the code
states their type.

## Why is this bad
The stable sort keeps equal elements in their order, and for that it needs
a scratch buffer: it uses 4 KiB on the stack and allocates on the heap
beyond. Measured with Rust 1.95: sorting 512 `u64`s allocates nothing, 513
allocate 4,104 bytes, 100,000 allocate 800,000 bytes (one allocation of the
whole input's size); `u32`s allocate above 1,024 elements, `&str`s above
256. Equal integers, characters, booleans or string slices can't be told
apart, so the order the stable sort keeps is invisible: `sort_unstable()`
gives the same result in place, without the allocation, and is usually
faster.

## Example
```rust
fn ranked(mut scores: Vec<u32>) -> Vec<u32> {
    scores.sort();
    scores
}
```

## Use instead
```rust
fn ranked(mut scores: Vec<u32>) -> Vec<u32> {
    scores.sort_unstable();
    scores
}
```

## Known limitations
Only element types the code states are known (see "What memlint knows
about types" in the README): a `Vec<T>` of a type parameter, or of a struct,
is left alone, even when its order of equal elements doesn't matter.
Arrays, and vectors built from a short `vec![..]` list, are not reported:
a short input never allocates. A key function other than the value or its
`Reverse` may map different elements to equal keys, whose order then
matters.
"#;

impl Rule for SortAllocates {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        let sorts = ["sort", "sort_by_key", "sort_by"];
        for call in fx.method_calls(Called::SORT, Closures::Enter, |m| sorts.iter().any(|s| m.method == s)) {
            check(fx, call, out);
        }
    }
}

fn check(fx: &FnCx<'_, '_, '_>, call: &ExprMethodCall, out: &mut Emitter) {
    let method = call.method.to_string();
    let keeps_meaning = match (method.as_str(), call.args.first()) {
        ("sort", None) => true,
        ("sort_by_key", Some(key)) if call.args.len() == 1 => injective_key(key),
        ("sort_by", Some(cmp)) if call.args.len() == 1 => natural_order(cmp),
        _ => false,
    };
    if !keeps_meaning {
        return;
    }
    let Some(receiver) = type_of(fx, &call.receiver) else { return };
    let element = match receiver.peel_refs() {
        Ty::Std(name, args) if name == "Vec" => args.first().cloned().unwrap_or(Ty::Unknown),
        Ty::Slice(item) => (**item).clone(),
        _ => return,
    };
    let Some(size) = indistinct_size(&element) else { return };
    if short_literal(fx, &call.receiver, size) {
        return;
    }
    let unstable = format!("sort_unstable{}", method.strip_prefix("sort").unwrap_or(""));
    let threshold = 4096 / size;
    let receiver_text = fx.cx.text(&*call.receiver);
    let args = if call.args.is_empty() { "()" } else { "(..)" };
    let mut d = fx.cx.diagnostic(
        &META,
        call.method.span(),
        format!(
            "`{receiver_text}.{method}{args}` sorts `{element}`s stably: above {threshold} elements it allocates a scratch buffer of the input's size, where `{unstable}` sorts in place with the same result"
        ),
    );
    d.help = Some(format!(
        "use `{unstable}`: equal `{element}`s can't be told apart, so the order a stable sort keeps among them is invisible"
    ));
    let span = fx.cx.span(call.method.span());
    d.fix = Some(Fix {
        edits: vec![Edit { span, replacement: unstable }],
        applicability: Applicability::MachineApplicable,
    });
    out.emit(d);
}

/// The size in bytes of an element type whose equal values can't be told
/// apart (integers, `char`, `bool`, `&str`): the stable sort's guarantee is
/// invisible for them. `None` for any other type.
fn indistinct_size(ty: &Ty) -> Option<usize> {
    match ty {
        Ty::Std(name, _) => match name.as_str() {
            "u8" | "i8" | "bool" => Some(1),
            "u16" | "i16" => Some(2),
            "u32" | "i32" | "char" => Some(4),
            "u64" | "i64" | "usize" | "isize" => Some(8),
            "u128" | "i128" => Some(16),
            _ => None,
        },
        Ty::Ref(false, inner) if inner.is_std("str") => Some(16),
        _ => None,
    }
}

/// Whether a key function maps different elements to different keys: the
/// element itself (`|x| *x`) or `Reverse` of it (`|&x| Reverse(x)`).
fn injective_key(key: &Expr) -> bool {
    let Expr::Closure(c) = strip_parens(key) else { return false };
    let [param] = c.inputs.iter().collect::<Vec<_>>()[..] else { return false };
    let Some(name) = pattern_name(param) else { return false };
    let body = match strip_parens(&c.body) {
        Expr::Call(call) if call.args.len() == 1 && is_reverse(&call.func) => &call.args[0],
        other => other,
    };
    is_name(body, &name)
}

/// Whether a comparator compares the elements themselves: `|a, b| a.cmp(b)`
/// or `|a, b| b.cmp(a)`.
fn natural_order(cmp: &Expr) -> bool {
    let Expr::Closure(c) = strip_parens(cmp) else { return false };
    let [a, b] = c.inputs.iter().collect::<Vec<_>>()[..] else { return false };
    let (Some(a), Some(b)) = (pattern_name(a), pattern_name(b)) else { return false };
    let Expr::MethodCall(m) = strip_parens(&c.body) else { return false };
    if m.method != "cmp" || m.args.len() != 1 {
        return false;
    }
    let (left, right) = (&*m.receiver, &m.args[0]);
    (is_name(left, &a) && is_name(right, &b)) || (is_name(left, &b) && is_name(right, &a))
}

/// The name a closure parameter binds (`x`, `&x`, `&&x`).
fn pattern_name(pat: &syn::Pat) -> Option<String> {
    match pat {
        syn::Pat::Ident(p) if p.subpat.is_none() => Some(p.ident.to_string()),
        syn::Pat::Reference(r) => pattern_name(&r.pat),
        syn::Pat::Type(t) => pattern_name(&t.pat),
        _ => None,
    }
}

/// Whether `expr` is the name `name`, perhaps dereferenced or borrowed.
fn is_name(expr: &Expr, name: &str) -> bool {
    match strip_parens(expr) {
        Expr::Path(p) => p.qself.is_none() && p.path.is_ident(name),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => is_name(&u.expr, name),
        Expr::Reference(r) => is_name(&r.expr, name),
        _ => false,
    }
}

/// Whether a call's function is `Reverse` (`std::cmp::Reverse`).
fn is_reverse(func: &Expr) -> bool {
    matches!(strip_parens(func), Expr::Path(p) if p.qself.is_none() && crate::syntax::paths::path_is(&p.path, &["Reverse"]))
}

/// Whether the receiver is a binding made from a `vec![a, b, ..]` list too
/// short for the stable sort to allocate (`size` bytes per element).
fn short_literal(fx: &FnCx<'_, '_, '_>, receiver: &Expr, size: usize) -> bool {
    let Expr::Path(p) = strip_parens(receiver) else { return false };
    let Some(ident) = p.path.get_ident() else { return false };
    let Some(u) = fx.facts.use_at(ident) else { return false };
    let Some(Expr::Macro(m)) = fx.facts.bindings[u.binding].init.map(strip_parens) else { return false };
    if !m.mac.path.is_ident("vec") {
        return false;
    }
    // `vec![x; n]` repeats: its length is not the list's.
    !is_vec_repeat(&m.mac) && fx.cx.macro_call(&m.mac).args.len() * size <= 4096
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, fix, replacement};

    const RULE: &str = "sort_allocates";

    #[test]
    fn stable_sorts_of_values_that_cant_be_told_apart() {
        let found = check(
            RULE,
            r#"
use std::cmp::Reverse;
struct Index { ids: Vec<u64> }
impl Index {
    fn tidy(&mut self) {
        self.ids.sort(); //~
    }
}
fn f(mut a: Vec<u32>, b: &mut [char], words: &mut Vec<&str>, mut flags: Vec<bool>) {
    a.sort(); //~
    b.sort(); //~
    words.sort_by_key(|w| Reverse(*w)); //~
    flags.sort_by(|x, y| y.cmp(x)); //~
    a.sort_by_key(|&x| x); //~
    let mut c: Vec<i64> = Vec::new();
    c.sort_by(|p, q| p.cmp(q)); //~
}
"#,
        );
        assert_eq!(found.len(), 7);
        assert_eq!(
            found[0].message,
            "`self.ids.sort()` sorts `u64`s stably: above 512 elements it allocates a scratch buffer of the input's size, where `sort_unstable` sorts in place with the same result"
        );
        assert_eq!(replacement(&found[1]), "sort_unstable");
        assert_eq!(fix(&found[1]).applicability, crate::Applicability::MachineApplicable);
        assert!(found[3].message.contains("`&str`s stably: above 256 elements"), "{}", found[3].message);
        assert_eq!(replacement(&found[3]), "sort_unstable_by_key");
        assert_eq!(replacement(&found[4]), "sort_unstable_by");
    }

    #[test]
    fn look_alikes_stay_silent() {
        check_clean(
            RULE,
            r#"
struct Entry { key: u32, name: String }
fn f<T: Ord>(mut generic: Vec<T>, mut entries: Vec<Entry>, mut names: Vec<String>, mut floats: Vec<u32>) {
    // Elements whose equal values differ, or whose type is not stated.
    generic.sort();
    entries.sort_by_key(|e| e.key);
    names.sort();
    // Keys and comparators that may tie different elements.
    floats.sort_by_key(|x| x / 10);
    floats.sort_by(|a, b| (a % 7).cmp(&(b % 7)));
    // Already unstable, or arrays and short lists.
    floats.sort_unstable();
    let mut small = [3u8, 1, 2];
    small.sort();
    let mut listed = vec![3u64, 1, 2];
    listed.sort();
    let mut unknown = make();
    unknown.sort();
}
"#,
        );
    }

    #[test]
    fn a_long_list_or_a_repeated_one_is_not_short() {
        check(RULE, "fn f(n: usize) {\n    let mut v: Vec<u64> = vec![0; n];\n    v.sort(); //~\n}\n");
    }
}
