//! `collect_then_join`: `.collect::<Vec<String>>().join(sep)`, or a
//! `Vec<String>` collected into a binding used once to be joined: a vector
//! of temporary strings built only to be copied into one.

use syn::{Expr, ExprMethodCall};

use crate::analysis::types::{binding_ty, type_of};
use crate::diagnostic::Level;
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::semantic::ty::Ty;
use crate::syntax::method_calls::Closures;
use crate::syntax::paths::strip_parens;
use crate::walk::{Called, Emitter, FnCx, Rule, UseKind};

pub(crate) struct CollectThenJoin;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &CollectThenJoin;

static META: RuleMeta = RuleMeta {
    name: "collect_then_join",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a `Vec` of temporary `String`s collected only to be joined into one",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::None,
    clippy: &[],
    confirmed_by: &[Reason::Collect, Reason::ToString, Reason::Format],
    fix_leaves_one: false,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds `.collect::<Vec<String>>().join(sep)` (also `Vec<_>` when the items
are `String`s, as the code states them), and `let v: Vec<String> =
iter.collect();` whose only use is `v.join(sep)`.

## Why is this bad
Every item is a `String` of its own, allocated only to be copied into the
joined result and freed; the vector holding them is one more allocation.
Joining n pieces this way makes n + 2 allocations (the pieces, the vector,
the result). Writing each piece straight into one `String` makes only the
result's, which grows about log2(n) times (or once, with a capacity).

## Example
```rust
fn csv_row(values: &[f64]) -> String {
    values.iter().map(|v| format!("{v:.2}")).collect::<Vec<String>>().join(",")
}
```

## Use instead
```rust
use std::fmt::Write;

fn csv_row(values: &[f64]) -> String {
    let mut row = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            row.push(',');
        }
        write!(row, "{v:.2}").unwrap();
    }
    row
}
```
With the `itertools` crate, `values.iter().map(..).join(",")` (its
`Itertools::join`) formats each item into the result without temporaries.

## Known limitations
Only items whose type the code states are known to be `String`s (see "What
memlint knows about types" in the README): pieces that are `&str`s cost
only the vector, which the exact capacity `join` computes makes up for, and
are not reported. No automatic fix: the rewrite depends on how each piece
is made.
"#;

impl Rule for CollectThenJoin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        for join in fx.method_calls(Called::JOIN, Closures::Enter, |m| m.method == "join" && m.args.len() == 1) {
            check(fx, join, out);
        }
    }
}

fn check(fx: &FnCx<'_, '_, '_>, join: &ExprMethodCall, out: &mut Emitter) {
    let (collected, subject) = match strip_parens(&join.receiver) {
        // `.collect::<Vec<String>>().join(sep)`
        Expr::MethodCall(collect) if collect.method == "collect" && collect.args.is_empty() => {
            (type_of(fx, &join.receiver), format!("`collect{}()`", fx.cx.text(&collect.turbofish)))
        }
        // `let v: Vec<String> = ..collect(); v.join(sep)`, `v` used only there.
        Expr::Path(p) => {
            let Some(ident) = p.path.get_ident() else { return };
            let Some(u) = fx.facts.use_at(ident) else { return };
            let binding = &fx.facts.bindings[u.binding];
            let collects = binding.init.map(strip_parens).is_some_and(|init| {
                matches!(init, Expr::MethodCall(m) if m.method == "collect" && m.args.is_empty())
            });
            let uses = fx.facts.uses.iter().filter(|x| x.binding == u.binding).count();
            if !collects || uses != 1 || !matches!(u.kind, UseKind::MethodReceiver(_)) {
                return;
            }
            (binding_ty(fx, u.binding), format!("`{}` collected", binding.name))
        }
        _ => return,
    };
    let Some(Ty::Std(vec, items)) = collected else { return };
    if vec != "Vec" || !items.first().is_some_and(|item| item.is_std("String")) {
        return;
    }
    let sep = fx.cx.text(&join.args[0]);
    let mut d = fx.cx.diagnostic(
        &META,
        join.method.span(),
        format!(
            "{subject} builds a `Vec` of temporary `String`s only to `join({sep})` them: n pieces make n + 2 allocations where writing each into one `String` makes about log2(n)"
        ),
    );
    d.help = Some(format!(
        "write each piece into one `String` (`write!` after a `push_str({sep})` from the second on), or use `itertools`' `join({sep})` on the iterator"
    ));
    out.emit(d);
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean};

    const RULE: &str = "collect_then_join";

    #[test]
    fn temporary_strings_collected_to_be_joined() {
        let found = check(
            RULE,
            r#"
fn f(values: &[f64], names: &[&str], ids: &[u32]) -> Vec<String> {
    let a = values.iter().map(|v| format!("{v:.2}")).collect::<Vec<String>>().join(","); //~
    let b = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", "); //~
    let parts: Vec<String> = names.iter().map(|n| n.to_uppercase()).collect();
    let c = parts.join("-"); //~
    vec![a, b, c]
}
"#,
        );
        assert_eq!(
            found[0].message,
            "`collect::<Vec<String>>()` builds a `Vec` of temporary `String`s only to `join(\",\")` them: n pieces make n + 2 allocations where writing each into one `String` makes about log2(n)"
        );
        assert!(found[2].message.starts_with("`parts` collected builds"), "{}", found[2].message);
    }

    #[test]
    fn borrowed_pieces_and_vectors_used_again_stay_silent() {
        check_clean(
            RULE,
            r#"
fn f(names: &[&str], owned: &[String], paths: &[Vec<u8>]) -> (String, String, Vec<String>, Vec<u8>, String) {
    // Borrowed pieces: only the vector is extra, and `join` sizes the result exactly.
    let a = names.iter().copied().collect::<Vec<&str>>().join(",");
    let b = owned.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",");
    // The vector is used again.
    let parts: Vec<String> = names.iter().map(|n| n.to_uppercase()).collect();
    let c = parts.join("-");
    // Slices joined, not strings; and a vector not from `collect`.
    let d = paths.to_vec().concat();
    let e = vec![String::new()].join(",");
    (a, b, parts, d, e + &c)
}
"#,
        );
    }
}
