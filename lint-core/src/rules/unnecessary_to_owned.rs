//! `unnecessary_to_owned`: an owned copy of text or a slice (`to_string`,
//! `to_owned`, `String::from`, `to_vec`) made only to be lent or compared.

use syn::Expr;
use syn::spanned::Spanned;

use crate::analysis::callees::callee;
use crate::analysis::conversions::{Known, Shape, known, place_of, place_shape, shape_of_ty};
use crate::analysis::types::type_of;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Level};
use crate::rule::{Category, FixSafety, Hooks, RuleMeta};
use crate::semantic::std_table::{Param, std_table};
use crate::semantic::ty::Ty;
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

/// What is copied: its code and its type.
struct Source {
    text: String,
    known: Known,
    /// Its type, as far as known (a `char` has no [`Known`] shape).
    ty: Option<Ty>,
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

    /// The copy's type (`String`, `Vec<T>`).
    fn owned_ty(&self) -> Ty {
        if self.known.shape.is_text() {
            return Ty::std("String");
        }
        let item = match self.ty.as_ref().map(Ty::peel_refs) {
            Some(Ty::Slice(item)) => (**item).clone(),
            Some(vec @ Ty::Std(..)) => vec.arg(0),
            _ => Ty::Unknown,
        };
        Ty::Std("Vec".to_owned(), vec![item])
    }
}

/// Whether `expr` can be written before `.method()` or after `&` as it is.
fn postfix_safe(expr: &Expr) -> bool {
    matches!(
        strip_parens(expr),
        Expr::Path(_) | Expr::Field(_) | Expr::MethodCall(_) | Expr::Call(_) | Expr::Lit(_) | Expr::Index(_)
    ) || matches!(expr, Expr::Paren(_))
}

fn source_of(fx: &FnCx<'_, '_, '_>, site: &Site<'_>) -> Option<Source> {
    let receiver = site.receiver;
    let (known, ty) = if is_str_literal(receiver) {
        (Known { shape: Shape::Str, borrowed: true, mutable_ref: false }, Some(Ty::std("str").by_ref()))
    } else {
        if !postfix_safe(receiver) {
            return None;
        }
        let ty = type_of(fx, receiver);
        // Bindings whose type only their initialiser's spelling shows.
        let known = match ty.as_ref().and_then(shape_of_ty) {
            Some(known) => known,
            None => {
                let ident = as_ident(receiver)?;
                let u = fx.facts.use_at(ident)?;
                known(fx, &fx.facts.bindings[u.binding])?
            }
        };
        (known, ty)
    };
    let fits = match site.conversion {
        Conversion::ToString | Conversion::StringFrom => known.shape.is_text(),
        Conversion::ToVec => known.shape.is_sequence(),
        Conversion::ToOwned => known.shape.is_text() || known.shape.is_sequence(),
        Conversion::Clone => false,
    };
    fits.then(|| Source { text: fx.cx.text(receiver).to_owned(), known, ty })
}

fn check_site(fx: &FnCx<'_, '_, '_>, site: &Site<'_>) -> Option<Diagnostic> {
    if let Context::Receiver(m) = site.context
        && site.conversion == Conversion::ToString
        && type_of(fx, site.receiver).is_some_and(|t| t.peel_refs().is_std("char"))
    {
        return char_receiver_copy(fx, site, m);
    }
    let source = source_of(fx, site)?;
    match site.context {
        Context::BorrowedArg { borrow, call } => lent_copy(fx, site, &source, borrow, call),
        Context::Arg { call } => passed_copy(fx, site, &source, call),
        Context::Receiver(m) => receiver_copy(fx, site, &source, m),
        Context::Compared(_) => Some(compared_copy(fx, site, &source)),
        Context::BorrowCompared { borrow, .. } => Some(borrow_compared_copy(fx, site, &source, borrow)),
        _ => None,
    }
}

/// The position of `arg` among the arguments of `call`.
fn arg_index(call: &Expr, arg: &Expr) -> Option<usize> {
    let args = match strip_parens(call) {
        Expr::Call(c) => &c.args,
        Expr::MethodCall(m) => &m.args,
        _ => return None,
    };
    args.iter().position(|a| std::ptr::eq(strip_parens(a), strip_parens(arg)) || std::ptr::eq(a, arg))
}

/// The name of the called function or method, for messages.
fn callee_name<'a>(fx: &FnCx<'a, '_, '_>, call: &Expr) -> String {
    match strip_parens(call) {
        Expr::MethodCall(m) => m.method.to_string(),
        Expr::Call(c) => fx.cx.text(&*c.func).to_owned(),
        _ => String::new(),
    }
}

/// Whether a parameter takes the borrowed form of what `source` copies
/// (`&str`, `&[T]`, or a generic `AsRef` it implements); `None` when it
/// needs the owned form's reference (`&String`, `&Vec<T>`) or the callee
/// is not known.
fn takes_borrowed(source: &Source, param: &Param) -> bool {
    if let Some(target) = &param.borrows_as {
        return as_ref_fits(source, target);
    }
    match (&param.ty, source.known.shape.is_text()) {
        (Ty::Ref(false, inner), true) => inner.is_std("str"),
        (Ty::Ref(false, inner), false) => matches!(**inner, Ty::Slice(_)),
        _ => false,
    }
}

/// Whether `&str` (for text) or `&[T]` (for a sequence) implements `AsRef<target>`.
fn as_ref_fits(source: &Source, target: &Ty) -> bool {
    if source.known.shape.is_text() {
        matches!(target.std_name(), Some("str" | "Path" | "OsStr")) || *target == Ty::Slice(Box::new(Ty::std("u8")))
    } else {
        matches!(target, Ty::Slice(_))
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
    let method = match call {
        Expr::MethodCall(m) => Some(m),
        // `Some(&x.to_string())`, `Wrapper(&..)`: a constructor keeps the
        // reference in the value it builds, whose type would change.
        Expr::Call(c) if is_constructor(&c.func) => return None,
        Expr::Call(_) => None,
        _ => return None,
    };
    let callee_text = callee_name(fx, call);
    let container = method.and_then(|m| {
        let place = place_of(&m.receiver)?;
        let u = fx.facts.use_at(&place.root)?;
        place_shape(fx, &place, &fx.facts.bindings[u.binding]).map(|k| (m, k.shape, place.text()))
    });
    let message = format!(
        "`{copy}` allocates a new {} only to lend it to `{callee_text}`, which drops it right after",
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
            if set_of_references(fx, m) {
                return None;
            }
            (borrow.span(), lent.clone(), true, format!("look it up by the borrowed key: `{lent}`"))
        }
        // `s.push_str(&x.to_string())`: the append takes the borrowed form itself.
        Some((m, Shape::String | Shape::Vec, _)) if APPENDS.iter().any(|a| m.method == a) => {
            let borrowed = if source.known.shape.is_text() { "&str" } else { "&[T]" };
            let help = format!("pass `{lent}` directly: `{callee_text}` takes a `{borrowed}` and copies it");
            (borrow.span(), lent.clone(), true, help)
        }
        _ => {
            // Any other callee: only one whose parameter is known to take the borrowed form.
            let param = callee(fx, call)?.param_of_arg(arg_index(call, borrow)?)?.clone();
            if !takes_borrowed(source, &param) {
                return None;
            }
            let help = format!("pass `{lent}`: the parameter takes `{}`", param_text(&param));
            (borrow.span(), lent.clone(), true, help)
        }
    };
    d.help = Some(help);
    d.fix = Some(fix(fx, span, replacement, certain));
    Some(d)
}

/// How a parameter's type reads in a message.
fn param_text(param: &Param) -> String {
    match &param.borrows_as {
        Some(target) => format!("any `AsRef<{target}>`"),
        None => param.ty.to_string(),
    }
}

/// `m` looks up a map or set whose keys are references (`HashSet<&String>`):
/// its lookups take `&&String`, so the copy's reference may be what fits.
fn set_of_references(fx: &FnCx<'_, '_, '_>, m: &syn::ExprMethodCall) -> bool {
    type_of(fx, &m.receiver).is_some_and(|ty| matches!(ty.peel_refs().arg(0), Ty::Ref(..)))
}

/// `fs::read_to_string(path.to_string())`: a copy passed by value to a
/// parameter that only borrows it (`P: AsRef<Path>`).
fn passed_copy(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, source: &Source, call: &Expr) -> Option<Diagnostic> {
    if let Expr::Call(c) = call
        && is_constructor(&c.func)
    {
        return None;
    }
    let param = callee(fx, call)?.param_of_arg(arg_index(call, site.expr)?)?.clone();
    let target = param.borrows_as.as_ref()?;
    if !as_ref_fits(source, target) {
        return None;
    }
    let (copy, lent) = (fx.cx.text(site.expr), source.lent());
    let message = format!(
        "`{copy}` allocates a new {} only to lend it to `{}`, which takes any `AsRef<{target}>` and only borrows it",
        source.owned_type(),
        callee_name(fx, call)
    );
    let mut d = fx.cx.diagnostic(&META, site.expr.span(), message);
    d.help = Some(format!("pass a borrow: `{lent}`"));
    d.fix = Some(fix(fx, site.expr.span(), lent, true));
    Some(d)
}

/// `x.to_string().split(',')`: a method of `str` (or of slices) called on
/// a fresh copy; `bytes.to_vec().into_iter()`: the copy only iterated.
fn receiver_copy(
    fx: &FnCx<'_, '_, '_>,
    site: &Site<'_>,
    source: &Source,
    m: &syn::ExprMethodCall,
) -> Option<Diagnostic> {
    let copy = fx.cx.text(site.expr);
    let method = m.method.to_string();
    if method == "into_iter" && source.known.shape.is_sequence() {
        let item = source.owned_ty().arg(0);
        let adapter = if item.is_copy() { "copied" } else { "cloned" };
        let code = format!("{}.iter().{adapter}()", source.text);
        let span = m.span();
        let message = format!("`{copy}` allocates a new Vec only to iterate over it");
        let mut d = fx.cx.diagnostic(&META, span, message);
        d.help = Some(format!("iterate over the original: `{code}`"));
        d.fix = Some(fix(fx, span, code, true));
        return Some(d);
    }
    // The method must be the borrowed form's, reached through auto-deref.
    let (sig, _) = std_table().method_sig(&source.owned_ty(), &method)?;
    let by = sig.params.first().and_then(|p| crate::semantic::std_table::head(&p.ty))?;
    if !matches!(by, "str" | "[]") || !matches!(sig.params[0].ty, Ty::Ref(false, _)) {
        return None;
    }
    let message = format!(
        "`{copy}` allocates a new {} only to call `{method}` on it, a method of the borrowed `{}`",
        source.owned_type(),
        if by == "str" { "str" } else { "[T]" }
    );
    let mut d = fx.cx.diagnostic(&META, site.expr.span(), message);
    d.help = Some(format!("call it on the original: `{}.{method}(..)`", source.text));
    d.fix = Some(fix(fx, site.expr.span(), source.text.clone(), true));
    Some(d)
}

/// `c.to_string().repeat(n)` for a `char`: `str` methods are reached
/// without a heap copy through `encode_utf8` into a stack buffer.
fn char_receiver_copy(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, m: &syn::ExprMethodCall) -> Option<Diagnostic> {
    let method = m.method.to_string();
    let (sig, _) = std_table().method_sig(&Ty::std("String"), &method)?;
    if sig.params.first().and_then(|p| crate::semantic::std_table::head(&p.ty)) != Some("str")
        || !postfix_safe(site.receiver)
    {
        return None;
    }
    let copy = fx.cx.text(site.expr);
    let code = format!("{}.encode_utf8(&mut [0; 4])", fx.cx.text(site.receiver));
    let message = format!("`{copy}` allocates a String for one `char` only to call `{method}` on it");
    let mut d = fx.cx.diagnostic(&META, site.expr.span(), message);
    d.help = Some(format!("encode the char on the stack instead: `{code}.{method}(..)`"));
    d.fix = Some(fix(fx, site.expr.span(), code, true));
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
    fn vector_contains_compares_the_items() {
        let found = check(
            RULE,
            r#"
fn f(names: &Vec<String>, s: &str) -> bool {
    names.contains(&s.to_owned()) //~
}
"#,
        );
        let first = fix(&found[0]);
        assert_eq!(first.edits[0].replacement, "names.iter().any(|t| t == s)");
        assert_eq!(first.applicability, Applicability::MaybeIncorrect);
    }

    #[test]
    fn callees_whose_parameters_are_not_known_may_need_the_copy() {
        // A trait method, a function of another crate, an unknown receiver:
        // the parameter may be `&String`.
        check_clean(
            RULE,
            r#"
fn f(other: &Thing, s: &str, bytes: &[u8]) {
    let b = other.contains(&s.to_string());
    process(&bytes.to_vec());
    other.push_str(&s.to_string());
    other.lookup(&s.to_string());
}
"#,
        );
    }

    #[test]
    fn callees_of_the_file_tell_borrowed_from_owned_parameters() {
        let found = check(
            RULE,
            r#"
use std::path::Path;
fn by_str(s: &str) {}
fn by_string(s: &String) {}
fn by_slice(b: &[u8]) {}
fn by_vec(b: &Vec<u8>) {}
fn open<P: AsRef<Path>>(p: P) {}
fn open_where<P>(p: P) where P: AsRef<Path> {}
fn open_impl(p: impl AsRef<Path>) {}
struct Store;
impl Store {
    fn find(&self, key: &str) -> bool { true }
    fn find_owned(&self, key: &String) -> bool { true }
}
fn f(name: &str, bytes: &[u8], store: &Store) {
    by_str(&name.to_string()); //~
    by_string(&name.to_string());
    by_slice(&bytes.to_vec()); //~
    by_vec(&bytes.to_vec());
    open(name.to_owned()); //~
    open_where(name.to_string()); //~
    open_impl(name.to_string()); //~
    store.find(&name.to_string()); //~
    store.find_owned(&name.to_string());
    Store::find(store, &name.to_string()); //~
}
"#,
        );
        assert_eq!(replacement(&found[0]), "name");
        assert_eq!(fix(&found[0]).applicability, Applicability::MachineApplicable);
        assert_eq!(replacement(&found[2]), "name");
        assert!(found[2].message.contains("takes any `AsRef<Path>`"), "{}", found[2].message);
    }

    #[test]
    fn std_functions_that_only_borrow() {
        let found = check(
            RULE,
            r#"
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
fn f(path: &str, dir: PathBuf, contents: &str, data: &[u8], name: String) -> std::io::Result<()> {
    let text = fs::read_to_string(path.to_string())?; //~
    fs::write(dir.join(name.clone()), contents.to_owned())?; //~
    std::fs::write(path, data.to_vec())?; //~
    Command::new(name.to_string()) //~
        .arg(path.to_string()); //~
    let mut p = PathBuf::new();
    p.push(path.to_owned()); //~
    Ok(())
}
"#,
        );
        assert_eq!(replacement(&found[0]), "path");
        assert_eq!(replacement(&found[3]), "&name");
    }

    #[test]
    fn a_method_of_the_borrowed_form_called_on_a_copy() {
        let found = check(
            RULE,
            r#"
fn f(s: &str, c: char, n: usize, bytes: &[u8], words: &[String], owned: String) -> usize {
    let parts = "a,b".to_string().split(',').count(); //~
    let line = c.to_string().repeat(n); //~
    let sum: u32 = bytes.to_vec().into_iter().map(u32::from).sum(); //~
    let all: Vec<String> = words.to_vec().into_iter().collect(); //~
    let trimmed = owned.to_string().trim().len(); //~
    parts + line.len() + trimmed + s.to_string().len() //~
}
"#,
        );
        assert_eq!(replacement(&found[0]), "\"a,b\"");
        assert_eq!(replacement(&found[1]), "c.encode_utf8(&mut [0; 4])");
        assert_eq!(replacement(&found[2]), "bytes.iter().copied()");
        assert_eq!(replacement(&found[3]), "words.iter().cloned()");
        check_clean(
            RULE,
            r#"
fn f(s: &str, n: u32) -> (Vec<u8>, Box<str>, String, usize) {
    let bytes = s.to_string().into_bytes();
    let boxed = s.to_string().into_boxed_str();
    let mut grown = s.to_string();
    grown.push('x');
    (bytes, boxed, grown, n.to_string().len())
}
"#,
        );
    }

    #[test]
    fn sets_of_references_need_a_reference_to_the_copy() {
        check_clean(
            RULE,
            r#"
use std::collections::HashSet;
fn f(set: &mut HashSet<&String>, s: &str) {
    set.remove(&s.to_string());
}
"#,
        );
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
    fn generic_callees_may_need_the_copy() {
        check_clean(
            RULE,
            r#"
fn takes<T: std::fmt::Debug>(t: &T) {}
fn f(key: &str) {
    takes(&key.to_string());
}
"#,
        );
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
