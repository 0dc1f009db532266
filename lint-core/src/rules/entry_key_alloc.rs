//! `entry_key_alloc`: `map.entry(KEY)` in a loop where `KEY` allocates
//! (`x.to_string()`, `format!(..)`, a `String`'s clone): the key is built
//! on every iteration, also when it is already in the map.

use syn::spanned::Spanned;
use syn::{Expr, ExprMethodCall};

use crate::analysis::frequency::runs_per_iteration;
use crate::analysis::types::type_of;
use crate::semantic::crate_index::Condition;
use crate::semantic::ty::Ty;
use crate::diagnostic::Level;
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::syntax::method_calls::Closures;
use crate::syntax::macros::formats_something;
use crate::syntax::paths::{path_is, strip_parens};
use crate::walk::{Called, Emitter, FnCx, Rule};

pub(crate) struct EntryKeyAlloc;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &EntryKeyAlloc;

static META: RuleMeta = RuleMeta {
    name: "entry_key_alloc",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "`map.entry(key)` in a loop with a key allocated on every iteration, also when it is already in the map",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::None,
    clippy: &[],
    confirmed_by: &[Reason::ToString, Reason::ToOwned, Reason::Clone, Reason::Format],
    fix_leaves_one: false,
    crate_wide: true,
};

const DOCS: &str = r#"## What it does
Finds `map.entry(KEY)` on a `HashMap` or `BTreeMap` (as the code states its
type) inside a loop, where `KEY` is made by `x.to_string()`, `x.to_owned()`,
`String::from(x)`, `format!(..)`, or `x.clone()` of a value that owns a heap
buffer (a `String`, a `Vec`, ..; never an `Rc`/`Arc`).

## Why is this bad
`entry` takes its key by value, so the key is allocated before the map is
even looked at, and dropped again when the map already has it. Counting
words with `*counts.entry(word.to_string()).or_insert(0) += 1` allocates
once per word read, though only the first occurrence of each word needs
its own `String`: with 10,000 words of 500 distinct ones, 9,500 of the
10,000 allocations are thrown away.

## Example
```rust
use std::collections::HashMap;

fn count(words: &[&str]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in words {
        *counts.entry(word.to_string()).or_insert(0) += 1;
    }
    counts
}
```

## Use instead
```rust
use std::collections::HashMap;

fn count(words: &[&str]) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for word in words {
        match counts.get_mut(*word) {
            Some(n) => *n += 1,
            None => {
                counts.insert(word.to_string(), 1);
            }
        }
    }
    counts
}
```
(`hashbrown`'s `entry_ref` does the same in one call.)

## Known limitations
Only maps whose type the code states are known (see "What memlint knows
about types" in the README), and only loops written as `for`, `while` or
`loop` (not `for_each` closures). The key of an empty string allocates
nothing; the rule assumes keys are not empty. A key the loop needs owned
anyway (moved in without a conversion) is not reported. No automatic fix:
the lookup and the insert become two branches.
"#;

impl Rule for EntryKeyAlloc {
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
        for call in fx.method_calls(Called::ENTRY, Closures::Skip, |m| m.method == "entry" && m.args.len() == 1) {
            check(fx, call, out);
        }
    }
}

fn check(fx: &FnCx<'_, '_, '_>, call: &ExprMethodCall, out: &mut Emitter) {
    if !runs_per_iteration(fx, call) {
        return;
    }
    let Some(map) = type_of(fx, &call.receiver) else { return };
    if !matches!(map.peel_refs().std_name(), Some("HashMap" | "BTreeMap")) {
        return;
    }
    let key = &call.args[0];
    let Some(allocation) = allocates(fx, key) else { return };
    let map_text = fx.cx.text(&*call.receiver);
    let key_text = fx.cx.text(key);
    let mut d = fx.cx.diagnostic(
        &META,
        key.span(),
        format!(
            "`{key_text}` allocates the key on every iteration of the loop, also when `{map_text}` already has it: `entry` takes the key by value"
        ),
    );
    d.help = Some(format!(
        "look the key up first by its borrowed form and allocate only to insert: `match {map_text}.get_mut(..) {{ Some(v) => .., None => {{ {map_text}.insert({key_text}, ..); }} }}`"
    ));
    match allocation {
        Allocation::Certain => out.emit(d),
        // A clone of another file's type: the crate phase knows whether it copies a buffer.
        Allocation::IfClonesHeap(of) => out.emit_if(Condition::ClonesHeap { of }, d),
    }
}

/// Whether a key allocates.
enum Allocation {
    Certain,
    /// If a `clone()` of this type (another file's, or the crate's) copies a heap buffer.
    IfClonesHeap(Ty),
}

/// Whether a key allocates: `format!` with something to format,
/// `to_string()`/`to_owned()`, `String::from(..)`, a heap owner's `clone()`
/// (an `Rc`'s only counts a reference).
fn allocates(fx: &FnCx<'_, '_, '_>, key: &Expr) -> Option<Allocation> {
    let certain = match strip_parens(key) {
        Expr::Macro(m) => formats_something(&m.mac),
        Expr::MethodCall(m) if m.args.is_empty() && (m.method == "to_string" || m.method == "to_owned") => true,
        Expr::MethodCall(m) if m.args.is_empty() && m.method == "clone" => {
            let ty = type_of(fx, &m.receiver)?.peel_refs().clone();
            if ty.is_deferred() || matches!(ty, Ty::Adt(_)) {
                return Some(Allocation::IfClonesHeap(ty));
            }
            ty.owns_heap()
        }
        Expr::Call(c) if c.args.len() == 1 => {
            matches!(strip_parens(&c.func), Expr::Path(p) if path_is(&p.path, &["String", "from"]))
        }
        _ => false,
    };
    certain.then_some(Allocation::Certain)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean};

    const RULE: &str = "entry_key_alloc";

    #[test]
    fn keys_allocated_on_every_iteration() {
        let found = check(
            RULE,
            r#"
use std::collections::{BTreeMap, HashMap};
fn f(words: &[&str], names: &[String], counts: &mut HashMap<String, usize>, ids: &[u32]) {
    let mut by_len: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for word in words {
        *counts.entry(word.to_string()).or_insert(0) += 1; //~
        by_len.entry(String::from(*word)).or_default().push(word.len()); //~
    }
    for name in names {
        counts.entry(name.clone()).or_default(); //~
    }
    let mut i = 0;
    while i < ids.len() {
        *counts.entry(format!("id-{}", ids[i])).or_insert(0) += 1; //~
        i += 1;
    }
}
"#,
        );
        assert_eq!(
            found[0].message,
            "`word.to_string()` allocates the key on every iteration of the loop, also when `counts` already has it: `entry` takes the key by value"
        );
        assert!(found[0].help.as_deref().unwrap().contains("match counts.get_mut(..)"), "{:?}", found[0].help);
    }

    #[test]
    fn a_clone_of_another_files_type_is_decided_in_the_crate_phase() {
        let model = "#[derive(Clone, Hash, PartialEq, Eq)]\npub struct Host { pub name: String }\n#[derive(Clone, Copy, Hash, PartialEq, Eq)]\npub struct Port(pub u16);\npub struct Entry { pub host: String, pub port: Port, pub owner: Host }\n";
        let index = r#"
use std::collections::HashMap;
use crate::model::{Entry, Host, Port};
fn f(entries: &[Entry], by_host: &mut HashMap<String, u8>, by_port: &mut HashMap<Port, u8>, owners: &mut HashMap<Host, u8>) {
    for e in entries {
        *by_host.entry(e.host.clone()).or_insert(0) += 1;
        *by_port.entry(e.port.clone()).or_insert(0) += 1;
        *owners.entry(e.owner.clone()).or_insert(0) += 1;
    }
}
"#;
        let messages = crate::rules::test_support::crate_messages(RULE, &[("model.rs", model), ("index.rs", index)]);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("`e.host.clone()` allocates the key"), "{messages:?}");
        assert!(messages[1].starts_with("`e.owner.clone()` allocates the key"), "{messages:?}");
    }

    #[test]
    fn keys_moved_in_maps_not_known_and_entries_outside_loops() {
        check_clean(
            RULE,
            r#"
use std::collections::HashMap;
use std::rc::Rc;
fn f(words: Vec<String>, shared: &[Rc<str>], counts: &mut HashMap<String, usize>, rcs: &mut HashMap<Rc<str>, u8>, ids: &[u32]) {
    // Owned keys moved in, and an `Rc`'s clone.
    for word in words {
        *counts.entry(word).or_insert(0) += 1;
    }
    for s in shared {
        rcs.entry(s.clone()).or_default();
    }
    // Not in a loop, or in a closure.
    counts.entry("total".to_string()).or_default();
    ids.iter().for_each(|i| { counts.entry(i.to_string()).or_default(); });
    // A map that is not a std map.
    let mut other = make();
    for i in ids {
        other.entry(i.to_string());
    }
}
"#,
        );
    }
}
