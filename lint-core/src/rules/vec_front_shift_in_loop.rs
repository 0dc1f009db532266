//! `vec_front_shift_in_loop`: `v.insert(0, x)` or `v.remove(0)` on a `Vec`
//! inside a loop, which shifts the whole vector on every call.

use syn::spanned::Spanned;
use syn::{Expr, ExprMethodCall};

use crate::analysis::types::type_of;
use crate::diagnostic::Level;
use crate::rule::{Category, FixSafety, Hooks, RuleMeta};
use crate::semantic::ty::Ty;
use crate::syntax::method_calls::Closures;
use crate::syntax::paths::strip_parens;
use crate::walk::{Called, Emitter, FnCx, Rule};

pub(crate) struct VecFrontShiftInLoop;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &VecFrontShiftInLoop;

static META: RuleMeta = RuleMeta {
    name: "vec_front_shift_in_loop",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "`insert(0, ..)` or `remove(0)` on a `Vec` in a loop, which shifts the whole vector on every call",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::None,
    clippy: &[],
    confirmed_by: &[],
    fix_leaves_one: false,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds `v.insert(0, x)` and `v.remove(0)` inside a loop (`for`, `while`,
`loop`, a `while` condition included) where `v` is a `Vec`, as the code
states its type.

## Why is this bad
A `Vec` keeps its elements at the front of its buffer: inserting or removing
the first element moves every other element one place. In a loop that is
quadratic: taking the 10,000 elements of a vector one by one from the front
moves 50 million elements, where a `VecDeque` moves none
(`push_front`/`pop_front` are O(1)). This is a CPU cost, not an allocation:
a heap profile can't show it, and `cargo memlint profile` lists these
findings as not measurable.

## Example
```rust
fn drain_jobs(mut jobs: Vec<u32>) -> u64 {
    let mut total = 0;
    while !jobs.is_empty() {
        let job = jobs.remove(0);
        total += u64::from(job);
    }
    total
}
```

## Use instead
```rust
use std::collections::VecDeque;

fn drain_jobs(jobs: Vec<u32>) -> u64 {
    let mut jobs = VecDeque::from(jobs);
    let mut total = 0;
    while let Some(job) = jobs.pop_front() {
        total += u64::from(job);
    }
    total
}
```
To build a vector front to back from items that arrive back to front, push
them and `reverse()` once at the end.

## Known limitations
Only vectors whose type the code states are known (see "What memlint knows
about types" in the README). A loop that runs a few times costs little; the
rule doesn't know how long the vector is. Calls in closures (`for_each`,
`map`) are not seen as loops. No automatic fix: the type changes, and so do
the other uses of the vector.
"#;

impl Rule for VecFrontShiftInLoop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        if fx.facts.loops.is_empty() {
            return;
        }
        // Closures are not loops.
        for call in fx.method_calls(Called::INSERT_REMOVE, Closures::Skip, shifts_front) {
            check(fx, call, out);
        }
    }
}

/// Whether a call is `insert(0, ..)` or `remove(0)`.
fn shifts_front(call: &ExprMethodCall) -> bool {
    let arity = match call.method.to_string().as_str() {
        "insert" => 2,
        "remove" => 1,
        _ => return false,
    };
    call.args.len() == arity && call.args.first().is_some_and(is_zero)
}

/// Whether `expr` is the literal `0`.
fn is_zero(expr: &Expr) -> bool {
    matches!(strip_parens(expr), Expr::Lit(l) if matches!(&l.lit, syn::Lit::Int(i) if i.base10_digits() == "0"))
}

fn check(fx: &FnCx<'_, '_, '_>, call: &ExprMethodCall, out: &mut Emitter) {
    if !crate::analysis::frequency::runs_per_iteration(fx, call) {
        return;
    }
    let Some(receiver) = type_of(fx, &call.receiver) else { return };
    if !matches!(receiver.peel_refs(), Ty::Std(name, _) if name == "Vec") {
        return;
    }
    let receiver_text = fx.cx.text(&*call.receiver);
    let (written, instead) = match call.method.to_string().as_str() {
        "insert" => (format!("{receiver_text}.insert(0, ..)"), "`push_front`"),
        _ => (format!("{receiver_text}.remove(0)"), "`pop_front`"),
    };
    let mut d = fx.cx.diagnostic(
        &META,
        call.span(),
        format!(
            "`{written}` in a loop moves every element of the `Vec` one place on each call: over the loop that is quadratic in the vector's length"
        ),
    );
    d.help = Some(format!(
        "use a `VecDeque` ({instead} is O(1)); to build a vector back to front, `push` and `reverse()` once after the loop"
    ));
    out.emit(d);
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean};

    const RULE: &str = "vec_front_shift_in_loop";

    #[test]
    fn front_shifts_in_loops() {
        let found = check(
            RULE,
            r#"
struct Queue { items: Vec<String> }
impl Queue {
    fn drain(&mut self) {
        while !self.items.is_empty() {
            let first = self.items.remove(0); //~
            println!("{first}");
        }
    }
}
fn f(lines: &[&str], mut stack: Vec<u32>, out: &mut Vec<String>) {
    for line in lines {
        out.insert(0, line.to_string()); //~
    }
    loop {
        if stack.is_empty() { break; }
        stack.remove(0); //~
    }
    while stack.remove(0) > 0 {} //~
}
"#,
        );
        assert_eq!(
            found[0].message,
            "`self.items.remove(0)` in a loop moves every element of the `Vec` one place on each call: over the loop that is quadratic in the vector's length"
        );
        assert!(found[1].help.as_deref().unwrap().starts_with("use a `VecDeque` (`push_front` is O(1))"));
    }

    #[test]
    fn look_alikes_stay_silent() {
        check_clean(
            RULE,
            r#"
use std::collections::{HashMap, VecDeque};
fn f(mut v: Vec<u32>, mut q: VecDeque<u32>, mut s: String, mut m: HashMap<u32, u32>, items: &[u32]) {
    // Once, outside a loop, or in a for loop's head.
    v.insert(0, 1);
    v.remove(0);
    for x in v.remove(0)..10 {}
    for x in items {
        // Another index, another type, or a closure.
        v.insert(1, *x);
        v.remove(v.len() - 1);
        q.push_front(*x);
        q.insert(0, *x);
        s.insert(0, 'a');
        m.insert(0, *x);
        m.remove(&0);
        items.iter().for_each(|y| v.insert(0, *y));
    }
    let mut unknown = make();
    loop { unknown.remove(0); }
}
"#,
        );
    }
}
