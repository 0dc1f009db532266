//! `unnecessary_to_owned`: an owned copy of text or a slice (`to_string`,
//! `to_owned`, `String::from`, `to_vec`) made only to be lent or compared.

use syn::Expr;
use syn::spanned::Spanned;

use crate::analysis::conversions::{Known, Shape, known, place_of, place_shape};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Level};
use crate::rule::{Category, FixSafety, Hooks, RuleMeta};
use crate::syntax::paths::{as_ident, is_str_literal, strip_parens};
use crate::walk::Rule;
use crate::walk::copies::{Context, Conversion, Site, Sites};
use crate::walk::{Emitter, FnCx};

pub(crate) struct UnnecessaryToOwned;

static META: RuleMeta = RuleMeta {
    name: "unnecessary_to_owned",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "an owned copy of borrowed text or a slice made only to be lent or compared",
    docs: DOCS,
    in_tests: false,
    supersedes: &["clone_in_loop", "format_push_string"],
    options: &[],
    fix: FixSafety::Mixed,
    clippy: &["unnecessary_to_owned"],
};

const DOCS: &str = r#"## What it does
Finds `.to_string()`, `.to_owned()`, `String::from(..)` and `.to_vec()` of a
value known to be text or a slice — a string literal, or a parameter or
local declared as `&str`, `String`, `&String`, `&[T]`, `Vec<T>` or
`&Vec<T>` — when the copy is only lent to a call or compared:

- `map.get(&key.to_string())`, `set.contains(&key.to_owned())`,
  `f(&bytes.to_vec())`;
- `s.push_str(&key.to_string())`, `v.extend_from_slice(&bytes.to_vec())`;
- `name == key.to_string()`, `String::from("x") != name`,
  `name == &key.to_string()`.

## Why is this bad
Each copy allocates a buffer and copies the text or elements into it, and
the copy is dropped as soon as the call or comparison is done. Maps and
sets keyed by `String` or `Vec<T>` look up by `&str` or `&[T]` directly,
and `String` compares with `&str`, so the allocation buys nothing.

## Example
```rust
use std::collections::HashMap;

fn price(prices: &HashMap<String, u32>, item: &str) -> u32 {
    prices.get(&item.to_string()).copied().unwrap_or(0)
}
```

## Use instead
```rust
use std::collections::HashMap;

fn price(prices: &HashMap<String, u32>, item: &str) -> u32 {
    prices.get(item).copied().unwrap_or(0)
}
```

## Known limitations
memlint sees no types: the copied value must be a literal or a binding whose
declaration shows its type, so `to_string()` on a value of unknown type
(possibly a number) is never reported. `Vec<String>::contains` needs a
`&String`, so for a receiver declared as a vector or slice the suggestion is
`v.iter().any(|t| t == key)`; for a receiver of unknown type, `contains` gets
no fix. A call to a function whose parameter is `&String` or `&Vec<T>`
cannot take the borrow until that parameter becomes `&str` or `&[T]`, so
fixes outside map and set lookups are marked as possibly incorrect (so is a
generic `&T` parameter, which `str` and `[T]` may not fit). A copy lent to a
tuple struct or enum variant (`Some(&key.to_string())`) is kept in the value
built, and not reported. Copies inside macro arguments are not inspected.
"#;

/// Lookups of maps and sets that take any borrowed form of the key.
const LOOKUPS: &[&str] =
    &["get", "get_mut", "get_key_value", "contains_key", "contains", "remove", "remove_entry", "take"];

/// Methods of `String` and `Vec` that copy a borrowed `&str` or `&[T]` into
/// their receiver.
const APPENDS: &[&str] = &["push_str", "insert_str", "extend_from_slice"];

/// Whether a called path is a tuple struct or enum variant (`Some`,
/// `Ok`, `Wrapper`, `Kind::Text`): its last segment is capitalised.
fn is_constructor(func: &Expr) -> bool {
    match strip_parens(func) {
        Expr::Path(p) => p.path.segments.last().is_some_and(|s| s.ident.to_string().starts_with(char::is_uppercase)),
        _ => false,
    }
}

impl Rule for UnnecessaryToOwned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        for site in &Sites::of(fx).sites {
            if let Some(d) = check_site(fx, site) {
                out.emit(d);
            }
        }
    }
}

/// What is copied: its code and what the syntax shows of its type.
struct Source {
    text: String,
    known: Known,
}

impl Source {
    /// The copied value lent as it is: a reference binding or literal
    /// already is a borrow; an owned binding is borrowed.
    fn lent(&self) -> String {
        if self.known.borrowed { self.text.clone() } else { format!("&{}", self.text) }
    }

    /// What the copy's type is called.
    fn owned_type(&self) -> &'static str {
        if self.known.shape.is_text() { "String" } else { "Vec" }
    }
}

fn source_of(fx: &FnCx<'_, '_, '_>, site: &Site<'_>) -> Option<Source> {
    let receiver = site.receiver;
    let (text, known) = if is_str_literal(receiver) {
        (fx.cx.text(receiver).to_owned(), Known { shape: Shape::Str, borrowed: true, mutable_ref: false })
    } else {
        let ident = as_ident(receiver)?;
        let u = fx.facts.use_at(ident)?;
        (ident.to_string(), known(fx, &fx.facts.bindings[u.binding])?)
    };
    let fits = match site.conversion {
        Conversion::ToString | Conversion::StringFrom => known.shape.is_text(),
        Conversion::ToVec => known.shape.is_sequence(),
        Conversion::ToOwned => known.shape.is_text() || known.shape.is_sequence(),
        Conversion::Clone => false,
    };
    fits.then_some(Source { text, known })
}

fn check_site(fx: &FnCx<'_, '_, '_>, site: &Site<'_>) -> Option<Diagnostic> {
    let source = source_of(fx, site)?;
    match site.context {
        Context::BorrowedArg { borrow, call } => lent_copy(fx, site, &source, borrow, call),
        Context::Compared(_) => Some(compared_copy(fx, site, &source)),
        Context::BorrowCompared { borrow, .. } => Some(borrow_compared_copy(fx, site, &source, borrow)),
        _ => None,
    }
}

/// `f(&x.to_string())`, `map.get(&x.to_string())`, `v.contains(&x.to_owned())`.
fn lent_copy(
    fx: &FnCx<'_, '_, '_>,
    site: &Site<'_>,
    source: &Source,
    borrow: &Expr,
    call: &Expr,
) -> Option<Diagnostic> {
    let cx = fx.cx;
    let copy = cx.text(site.expr);
    let lent = source.lent();
    let (method, callee) = match call {
        Expr::MethodCall(m) => (Some(m), m.method.to_string()),
        // `Some(&x.to_string())`, `Wrapper(&..)`: a constructor keeps the
        // reference in the value it builds, whose type would change.
        Expr::Call(c) if is_constructor(&c.func) => return None,
        Expr::Call(c) => (None, cx.text(&*c.func).to_owned()),
        _ => return None,
    };
    let container = method.and_then(|m| {
        let place = place_of(&m.receiver)?;
        let u = fx.facts.use_at(&place.root)?;
        place_shape(fx, &place, &fx.facts.bindings[u.binding]).map(|k| (m, k.shape, place.text()))
    });
    let message = format!(
        "`{copy}` allocates a new {} only to lend it to `{callee}`, which drops it right after",
        source.owned_type()
    );
    let mut d = cx.diagnostic(&META, borrow.span(), message);
    let (span, replacement, certain, help) = match container {
        // `Vec<String>::contains` takes a `&String`: compare the items instead.
        Some((m, Shape::Vec | Shape::Slice | Shape::Collection, recv)) if m.method == "contains" => {
            let code = format!("{recv}.iter().any(|t| t == {lent})");
            (call.span(), code.clone(), false, format!("compare the items with the borrowed value: `{code}`"))
        }
        Some((m, Shape::Map | Shape::Set, _)) if LOOKUPS.iter().any(|l| m.method == l) => {
            (borrow.span(), lent.clone(), true, format!("look it up by the borrowed key: `{lent}`"))
        }
        _ if method.is_some_and(|m| m.method == "contains") => {
            d.help = Some(format!(
                "pass `{lent}` if the receiver is a set, or write `.iter().any(|t| t == {lent})` if it is a vector"
            ));
            return Some(d);
        }
        // `s.push_str(&x.to_string())`: the append takes the borrowed form itself.
        _ if method.is_some_and(|m| APPENDS.iter().any(|a| m.method == a)) => {
            let borrowed = if source.known.shape.is_text() { "&str" } else { "&[T]" };
            let help = format!("pass `{lent}` directly: `{callee}` takes a `{borrowed}` and copies it");
            (borrow.span(), lent.clone(), false, help)
        }
        _ => {
            let (borrowed, owned) =
                if source.known.shape.is_text() { ("&str", "&String") } else { ("&[T]", "&Vec<T>") };
            let help = format!(
                "pass `{lent}` if the parameter takes `{borrowed}` (one declared `{owned}` can be changed to `{borrowed}`; a generic `&T` may need the copy)"
            );
            (borrow.span(), lent.clone(), false, help)
        }
    };
    d.help = Some(help);
    d.fix = Some(fix(fx, span, replacement, certain));
    Some(d)
}

/// `a == x.to_string()`.
fn compared_copy(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, source: &Source) -> Diagnostic {
    let copy = fx.cx.text(site.expr);
    // `String` and `&str` compare with `&str` and `String`; a `&String` is
    // compared through `*`.
    let replacement = match source.known.shape {
        Shape::String | Shape::Vec if source.known.borrowed => format!("*{}", source.text),
        _ => source.text.clone(),
    };
    let message = format!("`{copy}` allocates a new {} only to compare it", source.owned_type());
    let mut d = fx.cx.diagnostic(&META, site.expr.span(), message);
    d.help = Some(format!("compare with the original: `{replacement}`"));
    d.fix = Some(fix(fx, site.expr.span(), replacement, false));
    d
}

/// `a == &x.to_string()`: `&String` compares with `&str` (and `&Vec<T>`
/// with `&[T]`), so the original is lent instead.
fn borrow_compared_copy(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, source: &Source, borrow: &Expr) -> Diagnostic {
    let copy = fx.cx.text(site.expr);
    let lent = source.lent();
    let message = format!("`{copy}` allocates a new {} only to compare it", source.owned_type());
    let mut d = fx.cx.diagnostic(&META, borrow.span(), message);
    d.help = Some(format!("compare with the borrowed original: `{lent}`"));
    d.fix = Some(fix(fx, borrow.span(), lent, false));
    d
}

fn fix(fx: &FnCx<'_, '_, '_>, span: proc_macro2::Span, replacement: String, certain: bool) -> Fix {
    Fix {
        edits: vec![Edit { span: fx.cx.span(span), replacement }],
        applicability: if certain { Applicability::MachineApplicable } else { Applicability::MaybeIncorrect },
    }
}

#[cfg(test)]
mod tests {
    use crate::Applicability;
    use crate::rules::test_support::{check, check_clean, fix, lint_all, replacement};

    const RULE: &str = "unnecessary_to_owned";

    #[test]
    fn lookups_by_an_owned_copy() {
        let found = check(
            RULE,
            r#"
use std::collections::{HashMap, HashSet};
fn f(map: &HashMap<String, u32>, set: HashSet<Vec<u8>>, k: &str, b: &[u8], owned: String) {
    let a = map.get(&k.to_string()); //~
    let c = set.contains(&b.to_vec()); //~
    let d = map.contains_key(&owned.to_owned()); //~
    let e = map.get(&String::from("lit")); //~
}
"#,
        );
        let d = &found[0];
        assert_eq!(
            d.message,
            "`k.to_string()` allocates a new String only to lend it to `get`, which drops it right after"
        );
        assert_eq!(d.help.as_deref(), Some("look it up by the borrowed key: `k`"));
        let fix = fix(d);
        assert_eq!((fix.edits[0].replacement.as_str(), fix.applicability), ("k", Applicability::MachineApplicable));
        assert_eq!(d.span.column, 21);
        assert_eq!(replacement(&found[1]), "b");
        assert_eq!(replacement(&found[2]), "&owned");
        assert_eq!(replacement(&found[3]), "\"lit\"");
    }

    #[test]
    fn vector_contains_and_unknown_receivers() {
        let found = check(
            RULE,
            r#"
fn f(names: &Vec<String>, s: &str, other: &Thing, bytes: &[u8]) {
    let a = names.contains(&s.to_owned()); //~
    let b = other.contains(&s.to_string()); //~
    process(&bytes.to_vec()); //~
    other.push_str(&s.to_string()); //~
}
"#,
        );
        let first = fix(&found[0]);
        assert_eq!(first.edits[0].replacement, "names.iter().any(|t| t == s)");
        assert_eq!(first.applicability, Applicability::MaybeIncorrect);
        assert!(found[1].fix.is_none());
        assert_eq!(fix(&found[2]).applicability, Applicability::MaybeIncorrect);
        assert!(found[2].help.as_deref().unwrap().contains("`&[T]`"), "{:?}", found[2].help);
        assert!(found[2].message.contains("lend it to `process`"), "{}", found[2].message);
    }

    #[test]
    fn comparisons() {
        let found = check(
            RULE,
            r#"
fn f(name: &str, key: &String, owned: String, v: Vec<u8>, b: &[u8]) -> bool {
    let a = owned == name.to_string(); //~
    let c = key.to_owned() != owned; //~
    let d = v == b.to_vec(); //~
    let e = owned == String::from("x"); //~
    a && c && d && e
}
"#,
        );
        assert_eq!(replacement(&found[0]), "name");
        assert_eq!(replacement(&found[1]), "*key");
        assert_eq!(replacement(&found[3]), "\"x\"");
    }

    #[test]
    fn unknown_types_and_owned_positions() {
        check_clean(
            RULE,
            r#"
fn f(n: u32, s: &str, x: T, map: &Map) -> String {
    let a = map.get(&n.to_string());
    let b = n.to_string() == s;
    let c = map.get(&x.to_string());
    let owned = String::from(s);
    let kept = s.to_string();
    store(s.to_owned());
    assert!(map.contains(&s.to_string()));
    let r = map.get(&mut s.to_string());
    owned
}
"#,
        );
    }

    #[test]
    fn shadowed_receiver() {
        check_clean(
            RULE,
            r#"
fn f(map: &HashMap<String, u32>, k: &str) {
    let k = 5;
    let a = map.get(&k.to_string());
}
"#,
        );
    }

    #[test]
    fn appends_take_the_borrow_and_supersede_format_push_string() {
        let src = r#"
fn f(s: &mut String, x: &str) {
    s.push_str(&x.to_string());
}
"#;
        assert_eq!(lint_all(src), vec![("unnecessary_to_owned", 3)]);
        let found = check(
            RULE,
            r#"
fn f(s: &mut String, x: &str, v: &mut Vec<u8>, b: &[u8]) {
    s.push_str(&x.to_string()); //~
    s.insert_str(0, &x.to_owned()); //~
    v.extend_from_slice(&b.to_vec()); //~
}
"#,
        );
        assert_eq!(found[0].help.as_deref(), Some("pass `x` directly: `push_str` takes a `&str` and copies it"));
        assert_eq!(replacement(&found[0]), "x");
        assert!(found[1].help.as_deref().unwrap().starts_with("pass `x` directly"), "{:?}", found[1].help);
        assert_eq!(
            found[2].help.as_deref(),
            Some("pass `b` directly: `extend_from_slice` takes a `&[T]` and copies it")
        );
    }

    #[test]
    fn constructors_keep_the_reference() {
        check_clean(
            RULE,
            r#"
fn f(key: &str, map: &HashMap<String, u32>) {
    let a = Some(&key.to_string());
    let b: Result<&String, ()> = Ok(&key.to_string());
    let c = Wrapper(&key.to_owned());
    let d = Kind::Text(&key.to_string());
    let e = Self(&key.to_string());
}
"#,
        );
    }

    #[test]
    fn generic_callees_are_not_certain() {
        let found = check(
            RULE,
            r#"
fn takes<T: std::fmt::Debug>(t: &T) {}
fn f(key: &str) {
    takes(&key.to_string()); //~
}
"#,
        );
        let d = &found[0];
        assert_eq!(fix(d).applicability, Applicability::MaybeIncorrect);
        let help = d.help.as_deref().unwrap();
        assert!(help.starts_with("pass `key` if the parameter takes `&str`"), "{help}");
        assert!(help.contains("generic"), "{help}");
    }

    #[test]
    fn borrowed_copy_compared() {
        let found = check(
            RULE,
            r#"
fn f(name: &String, key: &str, owned: String, v: &Vec<u8>, b: &[u8]) -> bool {
    let a = name == &key.to_string(); //~
    let c = &owned.to_owned() != name; //~
    let d = v == &b.to_vec(); //~
    let e = name == &"x".to_string(); //~
    a && c && d && e
}
"#,
        );
        assert_eq!(found[0].message, "`key.to_string()` allocates a new String only to compare it");
        assert_eq!(replacement(&found[0]), "key");
        assert_eq!(fix(&found[0]).applicability, Applicability::MaybeIncorrect);
        assert_eq!(replacement(&found[1]), "&owned");
        assert_eq!(replacement(&found[2]), "b");
        assert_eq!(replacement(&found[3]), "\"x\"");
    }

    #[test]
    fn in_a_loop_it_is_one_finding() {
        let src = r#"
use std::collections::HashMap;
fn f(map: &HashMap<String, u32>, items: &[u32], key: &str, name: String) {
    for i in items {
        let hit = map.get(&key.to_string());
        if name == key.to_owned() {}
    }
}
"#;
        assert_eq!(lint_all(src), vec![("unnecessary_to_owned", 5), ("unnecessary_to_owned", 6)]);
        assert_eq!(crate::rules::test_support::lint("clone_in_loop", src).len(), 2, "clone_in_loop reports them alone");
    }
}
