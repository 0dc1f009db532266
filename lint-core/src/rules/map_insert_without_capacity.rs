//! `map_insert_without_capacity`: a hash map or set that starts empty and is
//! filled by one `insert` per iteration of a loop whose length is known
//! before it starts.

use crate::analysis::field_fill::{FieldFill, field_fills};
use crate::analysis::fill_loop::{
    CapacityFinding, CapacityMessage, FillLoop, Filled, Reservation, UseRole, capacity_diagnostic, collect_code,
    fill_loop, result_discarded, shadowed_std, sole_statement_iter,
};
use crate::diagnostic::Level;
use crate::layout::growth::Growth;
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::syntax::paths::{call_of, path_is, strip_parens, type_last_segment};
use crate::walk::Rule;
use crate::walk::{Binding, BindingId, Emitter, FnCx, Use, UseKind};

pub(crate) struct MapInsertWithoutCapacity;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &MapInsertWithoutCapacity;

static META: RuleMeta = RuleMeta {
    name: "map_insert_without_capacity",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a hash map or set filled by `insert` in a loop of known length, without reserving capacity",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Unsafe,
    clippy: &[],
    confirmed_by: &[Reason::MapGrowth],
    fix_leaves_one: true,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds a `HashMap`, `HashSet`, `IndexMap` or `IndexSet` created empty
(`HashMap::new()`, `HashSet::default()`, `FxHashMap::default()`, ..) and then
filled by an unconditional `insert` on every iteration of a `for` loop whose
number of iterations is known before the loop starts (see
`vec_push_without_capacity` for the loops memlint counts).

## Why is this bad
An empty hash table has no buffer. Each time it is full, inserting allocates
a table twice as large and rehashes every entry into it: 1000 inserts into
`HashMap::new()` cost 10 allocations and rehash about 1000 entries, where
`HashMap::with_capacity(1000)` costs one allocation and no rehash.

## Example
```rust
use std::collections::HashMap;

fn index(names: &[String]) -> HashMap<&str, usize> {
    let mut map = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        map.insert(name.as_str(), i);
    }
    map
}
```

## Use instead
```rust
use std::collections::HashMap;

fn index(names: &[String]) -> HashMap<&str, usize> {
    let mut map = HashMap::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        map.insert(name.as_str(), i);
    }
    map
}
```
or build it in one go: `names.iter().enumerate().map(|(i, name)| (name.as_str(), i)).collect()`.

## Known limitations
The capacity is the number of inserts: when keys repeat, the map ends up
smaller and some of the reserved memory is never used, so the fix is never
applied blindly. The rule stays silent when the loop reads the map
(`contains_key`, `get`, `entry`, or what `insert` returns, as in
`if !seen.insert(x)`: deduplicating or counting, with an unknown number of
distinct keys), when the file defines or imports another type called
`HashMap`/`HashSet`, on `BTreeMap`/`BTreeSet` (which have no capacity),
and on the loop shapes `vec_push_without_capacity` skips (unknown lengths,
`while`/`loop`, conditional inserts, early exits, other uses before the
loop). Maps with a custom hasher are recognised only through `default()`
(`FxHashMap::default()`); their fix uses `with_capacity_and_hasher`.

A field is reported when the function creates it empty right before the
loop (`self.index = HashMap::new();`, or in a struct literal bound with
`let`), as `vec_push_without_capacity` does; a field the function doesn't
create may have room already and is left alone.
"#;

impl Rule for MapInsertWithoutCapacity {
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
        for arity in [1, 2] {
            for field in field_fills(fx, "insert", arity) {
                if let Some(finding) = check_field(fx, &field, arity) {
                    finding.emit(out);
                }
            }
        }
    }
}

/// The empty table a binding starts as.
struct EmptyTable {
    /// The type's name (`HashMap`, `FxHashMap`).
    name: String,
    /// The type as written (`HashMap`, `std::collections::HashSet`, `FxHashMap`).
    type_path: String,
    /// A set (`insert(x)`) rather than a map (`insert(k, v)`).
    set: bool,
    /// Whether its hasher is certainly std's default `RandomState` (built by
    /// `new()`, or declared with no hasher parameter): then `with_capacity`
    /// exists; otherwise only `with_capacity_and_hasher` does.
    default_hasher: bool,
}

fn check_binding<'ast>(fx: &FnCx<'_, '_, 'ast>, id: BindingId, binding: &Binding<'ast>) -> Option<CapacityFinding> {
    let init = binding.init?;
    let table = empty_table(fx, init, binding.ty)?;
    let arity = if table.set { 1 } else { 2 };
    // Only inserts and size queries: a loop that reads the table may be
    // deduplicating or counting, with an unknown number of distinct keys.
    // So does one that reads what `insert` returns (`if !seen.insert(x)`).
    let discarded = |u: &Use<'ast>, m| u.innermost_loop.is_some_and(|l| result_discarded(&fx.facts.loops[l], m));
    let fill = fill_loop(fx, id, binding, &table.name, |u| match u.kind {
        UseKind::MethodReceiver(m) if m.method == "insert" && m.args.len() == arity && discarded(u, m) => UseRole::Grow,
        UseKind::MethodReceiver(m) if m.method == "len" || m.method == "is_empty" || m.method == "capacity" => {
            UseRole::Read
        }
        _ => UseRole::Other,
    })?;
    let per_iteration = fill.grows.len() as u64;
    let alternative = collect_suggestion(fx, &fill, &table, &table.name);
    finding(fx, Filled::binding(binding), init, &fill, &table, per_iteration, alternative)
}

/// A field created empty and given one `insert` or more per iteration of a loop.
fn check_field<'ast>(fx: &FnCx<'_, '_, 'ast>, field: &FieldFill<'_, 'ast>, arity: usize) -> Option<CapacityFinding> {
    let table = empty_table(fx, field.ctor, None).filter(|t| (if t.set { 1 } else { 2 }) == arity)?;
    // As for a binding: a std name the file shadows may build another type.
    if shadowed_std(fx, &table.name) {
        return None;
    }
    finding(fx, field.filled(), field.ctor, &field.fill, &table, field.per_iteration(), None)
}

/// The finding for `table`, filled by `per_iteration` inserts per iteration of `fill`.
fn finding<'ast>(
    fx: &FnCx<'_, '_, 'ast>,
    filled: Filled<'_>,
    init: &'ast syn::Expr,
    fill: &FillLoop<'_, 'ast>,
    table: &EmptyTable,
    per_iteration: u64,
    alternative: Option<String>,
) -> Option<CapacityFinding> {
    let ty = table.name.as_str();
    // memlint counts the allocations of std's (hashbrown's) tables only.
    let growth = Growth::Map { per_iteration, std_table: ty.ends_with("HashMap") || ty.ends_with("HashSet") };
    if fill.fits_first_allocation(&growth) {
        return None; // A handful of entries fit in the first table anyway.
    }
    let head = fill.lp.head.map_or("", |h| fx.cx.text(h));
    let inserts = if per_iteration == 1 { "one `insert`".to_owned() } else { format!("{per_iteration} `insert`s") };
    let iterations = match fill.trips.exact {
        Some(n) => format!("{n} iterations"),
        None => format!("`{}` iterations", fill.trips.code),
    };
    let message = CapacityMessage {
        head: format!(
            "`{}` grows by {inserts} per iteration of a loop over `{head}` ({iterations}) without reserved capacity",
            filled.name
        ),
        unknown_cost: "it reallocates and rehashes every entry about log2(n) times where one allocation would do",
    };
    let capacity = fill.capacity(per_iteration);
    let replacement = if table.default_hasher {
        format!("{}::with_capacity({capacity})", table.type_path)
    } else {
        format!("{}::with_capacity_and_hasher({capacity}, Default::default())", table.type_path)
    };
    let reservation = Reservation {
        replacement: Some(replacement),
        // The number of distinct keys is unknown: an upper bound.
        exact: false,
        note: Some("an upper bound when keys repeat".to_owned()),
        alternative,
    };
    Some(capacity_diagnostic(fx, &META, filled, init, fill, message, growth, reservation))
}

/// Std and indexmap tables, recognised by `new()` or `default()`.
const TABLES: &[(&str, bool)] = &[("HashMap", false), ("HashSet", true), ("IndexMap", false), ("IndexSet", true)];

fn empty_table(fx: &FnCx<'_, '_, '_>, init: &syn::Expr, ty: Option<&syn::Type>) -> Option<EmptyTable> {
    let (path, args) = call_of(strip_parens(init))?;
    if !args.is_empty() {
        return None;
    }
    // A declared `HashMap<K, V>` (no hasher parameter) uses `RandomState`.
    let declared_default_hasher = |set: bool| {
        ty.and_then(type_last_segment).is_some_and(|seg| match &seg.arguments {
            syn::PathArguments::AngleBracketed(a) => a.args.len() == if set { 1 } else { 2 },
            _ => false,
        })
    };
    for &(name, set) in TABLES {
        let new = path_is(path, &[name, "new"]);
        if new || path_is(path, &[name, "default"]) {
            // Keep the path as written (`std::collections::HashSet`, `HashMap::<K, V>`).
            let text = fx.cx.text(path);
            let type_path = text.rsplit_once("::").map_or(name, |(head, _)| head.trim_end()).to_owned();
            // `HashMap::default()` may build a map with any `Default` hasher, inferred from elsewhere.
            let default_hasher = new || declared_default_hasher(set);
            return Some(EmptyTable { name: name.to_owned(), type_path, set, default_hasher });
        }
    }
    // `FxHashMap::default()`, `AHashSet::default()`: aliases or wrappers with their own hasher.
    let last = path.segments.last()?;
    let type_seg = path.segments.iter().nth_back(1)?;
    if last.ident == "default" && path.segments.len() == 2 {
        let name = type_seg.ident.to_string();
        let set = name.ends_with("HashSet");
        if (name.ends_with("HashMap") || set) && name.len() > "HashMap".len() {
            let type_path = fx.cx.text(path).rsplit_once("::").map(|(head, _)| head.trim_end().to_owned())?;
            return Some(EmptyTable { name, type_path, set, default_hasher: false });
        }
    }
    // `let m: HashMap<K, V> = Default::default();`
    if path_is(path, &["Default", "default"]) {
        let seg = type_last_segment(ty?)?;
        let &(name, set) = TABLES.iter().find(|(name, _)| seg.ident == name)?;
        let table = EmptyTable {
            name: name.to_owned(),
            type_path: name.to_owned(),
            set,
            default_hasher: declared_default_hasher(set),
        };
        return Some(table);
    }
    None
}

/// `iter.map(|pat| (k, v)).collect::<HashMap<_, _>>()` when the loop's body is the insert alone.
fn collect_suggestion<'ast>(
    fx: &FnCx<'_, '_, 'ast>,
    fill: &FillLoop<'_, 'ast>,
    table: &EmptyTable,
    ty: &str,
) -> Option<String> {
    let insert = fill.sole_method_call()?;
    let (iter, pat) = sole_statement_iter(fx, fill.lp, insert)?;
    let args: Vec<&str> = insert.args.iter().map(|a| fx.cx.text(a)).collect();
    let item = if table.set { args.join("") } else { format!("({})", args.join(", ")) };
    // Leave the hasher to inference unless it is certainly the default one.
    let params = match (table.set, table.default_hasher) {
        (true, true) => "<_>",
        (true, false) | (false, true) => "<_, _>",
        (false, false) => "<_, _, _>",
    };
    let ty = ty.split('<').next().unwrap_or(ty);
    Some(collect_code(fx, &iter, pat, &item, &format!("{ty}{params}")))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, crate_messages, fix, replacement};

    const RULE: &str = "map_insert_without_capacity";

    #[test]
    fn fields_created_empty_then_filled_in_a_loop() {
        let found = check(
            RULE,
            r#"
use std::collections::{HashMap, HashSet};
pub struct Index { by_name: HashMap<String, usize>, seen: HashSet<u32>, reused: HashMap<u32, u32> }
impl Index {
    pub fn rebuild(&mut self, names: &[String]) {
        self.by_name = HashMap::new(); //~
        for (i, n) in names.iter().enumerate() {
            self.by_name.insert(n.clone(), i);
        }
    }
    pub fn mark(&mut self, ids: &[u32]) {
        self.seen = HashSet::new(); //~
        for id in ids {
            self.seen.insert(*id);
        }
    }
    pub fn refill(&mut self, ids: &[u32]) {
        for id in ids {
            self.reused.insert(*id, 0);
        }
    }
}
"#,
        );
        assert_eq!(replacement(&found[0]), "HashMap::with_capacity(names.len())");
    }

    /// The loop's count is a constant of another file: decided in the
    /// crate phase as if the file had known it, also through the cache.
    #[test]
    fn constants_of_other_files_give_exact_counts() {
        let b = "use crate::a::N;\nuse std::collections::HashSet;\npub fn f() -> HashSet<usize> {\n    let mut s = HashSet::new();\n    for i in 0..N {\n        s.insert(i);\n    }\n    s\n}\n";
        let run =
            |n: u64| crate_messages(RULE, &[("src/a.rs", &format!("pub const N: usize = {n};\n")), ("src/b.rs", b)]);
        assert_eq!(run(3), Vec::<String>::new(), "3 iterations fit in the first allocation");
        let found = run(1000);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].ends_with(
                "up to 1000 entries cost 10 allocations, each rehashing every entry so far, where one would do"
            ),
            "{}",
            found[0]
        );
    }

    #[test]
    fn insert_per_item() {
        let found = check(
            RULE,
            r#"
use std::collections::{HashMap, HashSet};
fn f(users: &[User], n: usize) {
    let mut by_id = HashMap::new(); //~
    for u in users {
        by_id.insert(u.id, u);
    }
    let mut seen = std::collections::HashSet::new(); //~
    for i in 0..1000 { seen.insert(i); }
    let mut m: HashMap<u32, u32> = Default::default(); //~
    for i in 0..n { m.insert(i, 0); m.len(); }
}
"#,
        );
        let d = &found[0];
        assert_eq!(
            d.message,
            "`by_id` grows by one `insert` per iteration of a loop over `users` (`users.len()` iterations) without reserved capacity: it reallocates and rehashes every entry about log2(n) times where one allocation would do"
        );
        assert_eq!(fix(d).edits[0].replacement, "HashMap::with_capacity(users.len())");
        assert_eq!(fix(d).applicability, crate::Applicability::MaybeIncorrect);
        let help = d.help.as_deref().unwrap();
        assert!(help.contains("(an upper bound when keys repeat)"), "{help}");
        assert!(help.contains("users.iter().map(|u| (u.id, u)).collect::<HashMap<_, _>>()"), "{help}");
        assert!(found[1].message.contains("up to 1000 entries cost 10 allocations"), "{}", found[1].message);
        assert!(found[1].help.as_deref().unwrap().contains("(0..1000).collect::<HashSet<_>>()"), "{:?}", found[1].help);
        assert_eq!(fix(&found[1]).edits[0].replacement, "std::collections::HashSet::with_capacity(1000)");
        assert_eq!(fix(&found[2]).edits[0].replacement, "HashMap::with_capacity(n)");
    }

    #[test]
    fn custom_hashers_and_index_maps() {
        let found = check(
            RULE,
            r#"
fn f(keys: &[u64]) {
    let mut a = FxHashMap::default(); //~
    for k in keys { a.insert(*k, ()); }
    let mut b = HashSet::default(); //~
    for k in keys { b.insert(*k); }
    let mut c = IndexMap::new(); //~
    for k in keys { c.insert(*k, 1); }
    let mut d = FxHashMap::new();
    for k in keys { d.insert(*k, ()); }
}
"#,
        );
        assert_eq!(
            fix(&found[0]).edits[0].replacement,
            "FxHashMap::with_capacity_and_hasher(keys.len(), Default::default())"
        );
        assert!(found[0].help.as_deref().unwrap().contains("collect::<FxHashMap<_, _, _>>()"), "{:?}", found[0].help);
        assert_eq!(
            fix(&found[1]).edits[0].replacement,
            "HashSet::with_capacity_and_hasher(keys.len(), Default::default())"
        );
        assert_eq!(fix(&found[2]).edits[0].replacement, "IndexMap::with_capacity(keys.len())");
        assert!(found[2].message.contains("about log2(n) times"), "{}", found[2].message);
    }

    #[test]
    fn look_alikes() {
        check_clean(
            RULE,
            r#"
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
fn f(words: &[&str], text: &str) -> Option<()> {
    let mut a = HashMap::with_capacity(words.len());
    for w in words { a.insert(*w, 1); }
    let mut b = HashMap::new();
    b.reserve(words.len());
    for w in words { b.insert(*w, 1); }
    let mut c = HashMap::new();
    for w in words { if w.len() > 2 { c.insert(*w, 1); } }
    let mut d = HashMap::new();
    for w in words { if w.is_empty() { break; } d.insert(*w, 1); }
    let mut e = HashMap::new();
    for w in words { *e.entry(*w).or_insert(0) += 1; }
    let mut g = BTreeMap::new();
    for w in words { g.insert(*w, 1); }
    let mut h = BTreeSet::new();
    for w in words { h.insert(*w); }
    let mut i = HashMap::new();
    let mut n = 0;
    while n < words.len() { i.insert(n, 1); n += 1; }
    let mut j = HashSet::new();
    for w in words { if !j.contains(w) { j.insert(*w); } }
    let mut k = HashMap::new();
    for w in words { k.get(w); k.insert(*w, 1); }
    let mut l = HashSet::new();
    for c in text.chars() { l.insert(c); }
    let mut m = HashMap::new();
    for w in words { m.insert(*w); }
    let mut o = HashSet::new();
    for w in words { o.insert(*w, 1); }
    let mut p = HashMap::new();
    for w in words { p.insert(*w, 1); p.clear(); }
    let mut q = HashMap::new();
    for w in words { q.insert(*w, parse(w)?); }
    let mut r = HashMap::new();
    for x in [1, 2, 3] { r.insert(x, x); }
    let mut s = MyHashMap::new();
    for w in words { s.insert(*w, 1); }
    None
}
"#,
        );
    }

    #[test]
    fn inserts_whose_result_is_read() {
        // `insert` returning `false` (set) or `Some` (map) means the key repeats:
        // a loop reading it deduplicates, with an unknown number of distinct keys.
        check_clean(
            RULE,
            r#"
use std::collections::{HashMap, HashSet};
fn f(xs: &[u32]) -> usize {
    let mut d = 0;
    let mut seen = HashSet::new();
    for x in xs { if !seen.insert(*x) { d += 1; } }
    let mut a = HashSet::new();
    for x in xs { let fresh = a.insert(*x); d += fresh as usize; }
    let mut b = HashMap::new();
    for x in xs { if let Some(old) = b.insert(*x, 1) { d += old; } }
    let mut c = HashSet::new();
    for x in xs { d += usize::from(c.insert(*x)); }
    let mut e = HashMap::new();
    for x in xs { assert!(e.insert(*x, 1).is_none()); }
    d
}
"#,
        );
        // Discarded results are growth.
        check(
            RULE,
            r#"
use std::collections::{HashMap, HashSet};
fn f(xs: &[u32]) {
    let mut a = HashSet::new(); //~
    for x in xs { let _ = a.insert(*x); }
    let mut b = HashMap::new(); //~
    for x in xs { _ = b.insert(*x, 1); }
    let mut c = HashSet::new(); //~
    for x in xs { { c.insert(*x); } }
}
"#,
        );
    }

    #[test]
    fn shadowed_table_names() {
        check_clean(
            RULE,
            r#"
use hashbrown::HashMap;
struct HashSet<T>(Vec<T>);
fn f(xs: &[u32]) {
    let mut a = HashMap::new();
    for x in xs { a.insert(*x, 1); }
    let mut b = HashSet::new();
    for x in xs { b.insert(*x); }
}
"#,
        );
        // A comment or string naming another map shadows nothing.
        check(
            RULE,
            r#"
// We could use hashbrown::HashMap; it is not worth a dependency.
fn f(xs: &[u32]) {
    let _ = "use fxhash::FxHashMap as HashMap;";
    let mut a = HashMap::new(); //~
    for x in xs { a.insert(*x, 1); }
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
    fn t(keys: &[u8]) { let mut m = HashMap::new(); for k in keys { m.insert(*k, 1); } }
}
"#,
        );
    }
}
