//! `unnecessary_to_owned`: an owned copy of text or a slice (`to_string`,
//! `to_owned`, `String::from`, `to_vec`) made only to be lent or compared.

use syn::Expr;
use syn::spanned::Spanned;

use crate::analysis::callees::{callee, crate_callee};
use crate::analysis::conversions::{Shape, known, place_of, place_shape};
use crate::analysis::types::type_of;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Level};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::semantic::crate_index::{Condition, Fit};
use crate::semantic::std_table::{Borrows, Param, std_table};
use crate::semantic::ty::Ty;
use crate::syntax::paths::{as_ident, is_str_literal, strip_parens};
use crate::syntax::snippet::{one_line, quoted};
use crate::walk::Rule;
use crate::walk::copies::{Context, Conversion, Site, Sites};
use crate::walk::{Emitter, FnCx};

pub(crate) struct UnnecessaryToOwned;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &UnnecessaryToOwned;

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
    confirmed_by: &[Reason::ToOwned, Reason::ToString, Reason::Clone],
    fix_leaves_one: false,
    crate_wide: true,
};

const DOCS: &str = r#"## What it does
Finds an owned copy (`.to_string()`, `.to_owned()`, `String::from(..)`,
`.to_vec()`, `.to_path_buf()`, `.to_os_string()`, `Cow::from(x).into_owned()`)
of borrowed text, a slice, a path or an OS string, made only to be lent,
compared, read or iterated:

- lent to a lookup: `map.get(&key.to_string())`, `set.contains(&b.to_vec())`;
- lent to a function or method whose parameter takes the borrowed form:
  `&str`, `&[T]`, `&Path`, or a generic `P: AsRef<..>` / `Deref<Target = ..>`
  that the signature uses nowhere else, whether the callee is in the std
  table (`fs::read_to_string(path.to_string())`, `cmd.arg(s.to_owned())`),
  in the file, or in another file of the crate;
- appended: `s.push_str(&key.to_string())`;
- compared: `name == key.to_string()`;
- called on with a method of the borrowed form: `"a,b".to_string().split(',')`,
  `c.to_string().repeat(n)` for a `char` (encode it on the stack:
  `c.encode_utf8(&mut [0; 4]).repeat(n)`);
- iterated: `for b in bytes.to_vec()`, `bytes.to_vec().into_iter()`.

## Why is this bad
Each copy allocates a buffer and copies the text or elements into it, and
the copy is dropped as soon as the call, comparison or loop is done. Maps
and sets keyed by `String` or `Vec<T>` look up by `&str` or `&[T]`,
`String` compares with `&str`, and a function taking `AsRef<Path>` takes a
`&str` as well as a `String`: the allocation buys nothing.

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
memlint doesn't compile the code: the copied value's type and the callee's
parameters must be stated somewhere (see "What memlint knows about types" in
the README). A copy lent to a callee memlint can't see (a trait method, a
function of another crate, a generic `&T`) may be needed there (the
parameter may be `&String`) and is not reported; nor is a copy passed to a
generic parameter the callee keeps or returns (`fn id<T: AsRef<str>>(t: T) -> T`),
or whose other bounds a reference may not meet (`'static`, `Into<String>`).
`Vec<String>::contains` needs a `&String`, so for a vector or slice the
suggestion is `v.iter().any(|t| t == key)`. A copy lent to a tuple struct or
enum variant (`Some(&key.to_string())`) is kept in the value built, and a
copy that is a `match` arm's value keeps the arms' types alike: neither is
reported.
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
            let Some((mut d, condition)) = check_site(fx, site) else { continue };
            // Code quoted in a message or help reads on one line.
            d.help = d.help.map(|h| one_line(&h));
            match condition {
                None => out.emit(d),
                Some(condition) => out.emit_if(condition, d),
            }
        }
    }
}

/// The borrowed form a copy is made of, and whose owned form the copy is.
#[derive(Debug, Clone, PartialEq)]
enum Form {
    /// `str` (copied to a `String`).
    Str,
    /// `[T]` (copied to a `Vec<T>`), with `T`.
    Slice(Ty),
    /// `Path` (to a `PathBuf`).
    Path,
    /// `OsStr` (to an `OsString`).
    OsStr,
    /// `CStr` (to a `CString`).
    CStr,
}

impl Form {
    /// The form of a value of type `ty` (owned or borrowed).
    fn of(ty: &Ty) -> Option<Form> {
        Some(match ty.peel_refs() {
            Ty::Slice(item) => Form::Slice((**item).clone()),
            Ty::Std(name, args) => match name.as_str() {
                "str" | "String" => Form::Str,
                "Vec" => Form::Slice(args.first().cloned().unwrap_or(Ty::Unknown)),
                "Path" | "PathBuf" => Form::Path,
                "OsStr" | "OsString" => Form::OsStr,
                "CStr" | "CString" => Form::CStr,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The owned type's name.
    fn owned_name(&self) -> &'static str {
        match self {
            Form::Str => "String",
            Form::Slice(_) => "Vec",
            Form::Path => "PathBuf",
            Form::OsStr => "OsString",
            Form::CStr => "CString",
        }
    }

    /// The owned type.
    fn owned_ty(&self) -> Ty {
        match self {
            Form::Slice(item) => Ty::Std("Vec".to_owned(), vec![item.clone()]),
            other => Ty::std(other.owned_name()),
        }
    }

    /// The borrowed form as a type (`str`, `[T]`, `Path`, ..).
    fn borrowed_ty(&self) -> Ty {
        match self {
            Form::Slice(item) => Ty::Slice(Box::new(item.clone())),
            Form::Str => Ty::std("str"),
            Form::Path => Ty::std("Path"),
            Form::OsStr => Ty::std("OsStr"),
            Form::CStr => Ty::std("CStr"),
        }
    }

    /// The `X`s the borrowed form implements `AsRef<X>` for (so do its
    /// owned form and references to either).
    fn as_ref_targets(&self) -> Vec<Ty> {
        match self {
            Form::Str => vec![Ty::std("str"), Ty::std("Path"), Ty::std("OsStr"), Ty::Slice(Box::new(Ty::std("u8")))],
            Form::Slice(_) => vec![self.borrowed_ty()],
            Form::Path | Form::OsStr => vec![Ty::std("Path"), Ty::std("OsStr")],
            Form::CStr => vec![Ty::std("CStr")],
        }
    }

    /// Whether the borrowed form implements `AsRef<target>` (a slice: of
    /// any slice type, as the bound's item is often a type parameter).
    fn as_ref_fits(&self, target: &Ty) -> bool {
        self.as_ref_targets().contains(target) || matches!((self, target), (Form::Slice(_), Ty::Slice(_)))
    }

    /// Whether `ty` is a shared reference to the borrowed form (`&str`,
    /// `&[T]`, `&Path`, ..), which a reference to the owned form coerces to.
    fn is_borrowed(&self, ty: &Ty) -> bool {
        let Ty::Ref(false, inner) = ty else { return false };
        match self {
            Form::Slice(_) => matches!(**inner, Ty::Slice(_)),
            Form::Str => inner.is_std("str"),
            Form::Path => inner.is_std("Path"),
            Form::OsStr => inner.is_std("OsStr"),
            Form::CStr => inner.is_std("CStr"),
        }
    }
}

/// What is copied: its code and its type.
struct Source {
    text: String,
    form: Form,
    /// The copied value is a reference already (`&str`, a literal).
    by_ref: bool,
    /// It is a reference to the owned form (`&String`, `&Vec<T>`).
    owned_behind_ref: bool,
}

impl Source {
    /// The copied value lent as it is: a reference binding or literal
    /// already is a borrow; an owned binding is borrowed.
    fn lent(&self) -> String {
        if self.by_ref { self.text.clone() } else { format!("&{}", self.text) }
    }

    /// What the copy's type is called.
    fn owned_type(&self) -> &'static str {
        self.form.owned_name()
    }

    fn is_text(&self) -> bool {
        self.form == Form::Str
    }

    /// What parameters of a function of another file take the value
    /// without the copy: for a copy lent (`lent`), a `&` of the borrowed
    /// form too; for one passed by value, only generic borrowing parameters.
    fn fit(&self, lent: bool) -> Fit {
        let borrowed = self.form.borrowed_ty();
        let as_ref = self.form.as_ref_targets();
        let refs = if lent { vec![borrowed.clone()] } else { Vec::new() };
        let deref = if self.by_ref { vec![borrowed] } else { Vec::new() };
        Fit { refs, as_ref, deref }
    }

    /// Whether a parameter takes what is copied without the copy.
    fn fits(&self, param: &Param) -> bool {
        match &param.borrows {
            Some(Borrows::AsRef(target)) => self.form.as_ref_fits(target),
            // `&str: Deref<Target = str>` (a `&String` derefs to `String`).
            Some(Borrows::Deref(target)) => {
                let borrowed_form =
                    !matches!(target.std_name(), Some("String" | "Vec" | "PathBuf" | "OsString" | "CString"));
                self.by_ref
                    && borrowed_form
                    && Form::of(target)
                        .is_some_and(|f| std::mem::discriminant(&f) == std::mem::discriminant(&self.form))
            }
            None => self.form.is_borrowed(&param.ty),
        }
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
    let (form, by_ref, owned_behind_ref) = if is_str_literal(receiver) {
        (Form::Str, true, false)
    } else {
        if !postfix_safe(receiver) {
            return None;
        }
        match type_of(fx, receiver) {
            Some(ty) => {
                let owned_behind_ref = matches!(&ty, Ty::Ref(_, inner) if !Form::of(&ty).is_some_and(|f| f.is_borrowed(&Ty::Ref(false, inner.clone()))));
                (Form::of(&ty)?, matches!(ty, Ty::Ref(..)), owned_behind_ref)
            }
            // Bindings whose type only their initialiser's spelling shows.
            None => {
                let ident = as_ident(receiver)?;
                let u = fx.facts.use_at(ident)?;
                let k = known(fx, u.binding)?;
                let form = match k.shape {
                    Shape::String | Shape::Str => Form::Str,
                    Shape::Vec | Shape::Slice => Form::Slice(Ty::Unknown),
                    _ => return None,
                };
                (form, k.borrowed, k.borrowed && matches!(k.shape, Shape::String | Shape::Vec))
            }
        }
    };
    let fits = match site.conversion {
        Conversion::ToString | Conversion::StringFrom => form == Form::Str,
        Conversion::ToVec => matches!(form, Form::Slice(_)),
        Conversion::ToPathBuf => form == Form::Path,
        Conversion::ToOsString => form == Form::OsStr,
        Conversion::ToOwned | Conversion::CowIntoOwned => true,
        Conversion::Clone => false,
    };
    fits.then(|| Source { text: fx.cx.text(receiver).to_owned(), form, by_ref, owned_behind_ref })
}

/// A finding, and what it needs of a function of another file, if anything.
type Finding = (Diagnostic, Option<Condition>);

fn check_site(fx: &FnCx<'_, '_, '_>, site: &Site<'_>) -> Option<Finding> {
    // A copy that is a `match` arm's value: the borrowed form would make
    // the arms' types disagree.
    if site.in_arm {
        return None;
    }
    if let Context::Receiver(m) = site.context
        && site.conversion == Conversion::ToString
        && let Some(ty) = type_of(fx, site.receiver)
    {
        let ty = ty.peel_refs();
        if ty.is_std("char") {
            return char_receiver_copy(fx, site, m).map(|d| (d, None));
        }
        // A field of a struct of another file (`theme.characters.hbar`).
        if ty.is_deferred() {
            let condition = Condition::TypeIs { of: ty.clone(), std_names: vec!["char".to_owned()], crate_type: false };
            return char_receiver_copy(fx, site, m).map(|d| (d, Some(condition)));
        }
    }
    let source = source_of(fx, site)?;
    let comparable = source.is_text() || matches!(source.form, Form::Slice(_));
    let found = match site.context {
        Context::BorrowedArg { borrow, call } => return lent_copy(fx, site, &source, borrow, call),
        Context::Arg { call } => return passed_copy(fx, site, &source, call),
        Context::Receiver(m) => receiver_copy(fx, site, &source, m),
        Context::ForIter(_) => iterated_copy(fx, site, &source),
        Context::Compared(_) if comparable => Some(compared_copy(fx, site, &source)),
        Context::BorrowCompared { borrow, .. } if comparable => Some(borrow_compared_copy(fx, site, &source, borrow)),
        _ => None,
    };
    found.map(|d| (d, None))
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
fn callee_name(fx: &FnCx<'_, '_, '_>, call: &Expr) -> String {
    match strip_parens(call) {
        Expr::MethodCall(m) => m.method.to_string(),
        Expr::Call(c) => fx.cx.text(&*c.func).to_owned(),
        _ => String::new(),
    }
}

/// `f(&x.to_string())`, `map.get(&x.to_string())`, `v.contains(&x.to_owned())`.
fn lent_copy(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, source: &Source, borrow: &Expr, call: &Expr) -> Option<Finding> {
    let cx = fx.cx;
    let copy = quoted(cx.text(site.expr), 50);
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
        place_shape(fx, &place, u.binding).map(|k| (m, k.shape, place.text()))
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
        // A map or set another file's function returns: the crate phase
        // decides it is one (`let ports = load_ports(..)?; ports.get(&k.to_owned())`).
        None if method.is_some_and(|m| LOOKUPS.iter().any(|l| m.method == l)) => {
            let m = method?;
            let receiver = type_of(fx, &m.receiver)?.peel_refs().clone();
            if !receiver.is_deferred() {
                return None;
            }
            d.help = Some(format!("look it up by the borrowed key: `{lent}`"));
            d.fix = Some(fix(fx, borrow.span(), lent.clone(), true));
            return Some((d, Some(Condition::KeyedLookup { receiver })));
        }
        // `s.push_str(&x.to_string())`: the append takes the borrowed form itself.
        Some((m, Shape::String | Shape::Vec, _)) if APPENDS.iter().any(|a| m.method == a) => {
            let borrowed = if source.is_text() { "&str" } else { "&[T]" };
            let help = format!("pass `{lent}` directly: `{callee_text}` takes a `{borrowed}` and copies it");
            (borrow.span(), lent.clone(), true, help)
        }
        _ => {
            // Any other callee: only one whose parameter is known to take the borrowed form.
            let index = arg_index(call, borrow)?;
            let Some(resolved) = callee(fx, call) else {
                // A function of another file of the crate: its signature decides.
                let (key, first) = crate_callee(fx, call)?;
                d.help = Some(format!("pass `{lent}`: `{key}` takes the borrowed form"));
                d.fix = Some(fix(fx, borrow.span(), lent.clone(), true));
                let condition = Condition::TakesBorrowed { callee: key, param: index + first, fit: source.fit(true) };
                return Some((d, Some(condition)));
            };
            let param = resolved.param_of_arg(index)?.clone();
            if !source.fits(&param) {
                return None;
            }
            let help = format!("pass `{lent}`: the parameter takes `{}`", param_text(&param));
            (borrow.span(), lent.clone(), true, help)
        }
    };
    d.help = Some(help);
    d.fix = Some(fix(fx, span, replacement, certain));
    Some((d, None))
}

/// How a parameter's type reads in a message.
fn param_text(param: &Param) -> String {
    match &param.borrows {
        Some(Borrows::AsRef(target)) => format!("any `AsRef<{target}>`"),
        Some(Borrows::Deref(target)) => format!("any `Deref<Target = {target}>`"),
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
fn passed_copy(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, source: &Source, call: &Expr) -> Option<Finding> {
    if let Expr::Call(c) = call
        && is_constructor(&c.func)
    {
        return None;
    }
    if let Expr::Call(c) = call
        && let Expr::Path(p) = strip_parens(&c.func)
        && crate::syntax::paths::path_is(&p.path, &["IntoIterator", "into_iter"])
    {
        return iterated_copy(fx, site, source).map(|d| (d, None));
    }
    let (copy, lent) = (quoted(fx.cx.text(site.expr), 50), source.lent());
    let index = arg_index(call, site.expr)?;
    let owned = source.owned_type();
    let (message, condition) = match callee(fx, call) {
        Some(resolved) => {
            let param = resolved.param_of_arg(index)?;
            if param.borrows.is_none() || !source.fits(param) {
                return None;
            }
            let (callee, takes) = (callee_name(fx, call), param_text(param));
            (
                format!(
                    "`{copy}` allocates a new {owned} only to lend it to `{callee}`, which takes {takes} and only borrows it"
                ),
                None,
            )
        }
        // A function of another file of the crate: its signature decides.
        None => {
            let (key, first) = crate_callee(fx, call)?;
            let condition =
                Condition::TakesBorrowed { callee: key.clone(), param: index + first, fit: source.fit(false) };
            (
                format!("`{copy}` allocates a new {owned} only to lend it to `{key}`, which only borrows it"),
                Some(condition),
            )
        }
    };
    let mut d = fx.cx.diagnostic(&META, site.expr.span(), message);
    d.help = Some(format!("pass a borrow: `{lent}`"));
    d.fix = Some(fix(fx, site.expr.span(), lent, true));
    Some((d, condition))
}

/// `x.to_string().split(',')`: a method of `str` (or of slices) called on
/// a fresh copy; `bytes.to_vec().into_iter()`: the copy only iterated.
fn receiver_copy(
    fx: &FnCx<'_, '_, '_>,
    site: &Site<'_>,
    source: &Source,
    m: &syn::ExprMethodCall,
) -> Option<Diagnostic> {
    let copy = quoted(fx.cx.text(site.expr), 50);
    let method = m.method.to_string();
    if method == "into_iter" && matches!(source.form, Form::Slice(_)) {
        let item = source.form.owned_ty().arg(0);
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
    let (sig, _) = std_table().method_sig(&source.form.owned_ty(), &method)?;
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

/// `for x in items.to_vec()`: the copy is only iterated; iterating the
/// original's items cloned yields the same items without the buffer.
fn iterated_copy(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, source: &Source) -> Option<Diagnostic> {
    let Form::Slice(item) = &source.form else { return None };
    let adapter = if item.is_copy() { "copied" } else { "cloned" };
    let code = format!("{}.iter().{adapter}()", source.text);
    let copy = quoted(fx.cx.text(site.expr), 50);
    let message = format!("`{copy}` allocates a new Vec only to iterate over it");
    let mut d = fx.cx.diagnostic(&META, site.expr.span(), message);
    d.help = Some(format!("iterate over the original: `{code}` (or over `&` it if the loop only reads the items)"));
    d.fix = Some(fix(fx, site.expr.span(), code, true));
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
    let copy = quoted(fx.cx.text(site.expr), 50);
    let code = format!("{}.encode_utf8(&mut [0; 4])", fx.cx.text(site.receiver));
    let message = format!("`{copy}` allocates a String for one `char` only to call `{method}` on it");
    let mut d = fx.cx.diagnostic(&META, site.expr.span(), message);
    d.help = Some(format!("encode the char on the stack instead: `{code}.{method}(..)`"));
    d.fix = Some(fix(fx, site.expr.span(), code, true));
    Some(d)
}

/// `a == x.to_string()`.
fn compared_copy(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, source: &Source) -> Diagnostic {
    let copy = quoted(fx.cx.text(site.expr), 50);
    // `String` and `&str` compare with `&str` and `String`; a `&String` is
    // compared through `*`.
    // A `&String` (or `&Vec<T>`) compares through `*`.
    let replacement = if source.owned_behind_ref { format!("*{}", source.text) } else { source.text.clone() };
    let message = format!("`{copy}` allocates a new {} only to compare it", source.owned_type());
    let mut d = fx.cx.diagnostic(&META, site.expr.span(), message);
    d.help = Some(format!("compare with the original: `{replacement}`"));
    d.fix = Some(fix(fx, site.expr.span(), replacement, false));
    d
}

/// `a == &x.to_string()`: `&String` compares with `&str` (and `&Vec<T>`
/// with `&[T]`), so the original is lent instead.
fn borrow_compared_copy(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, source: &Source, borrow: &Expr) -> Diagnostic {
    let copy = quoted(fx.cx.text(site.expr), 50);
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
    println!("{}", c.to_string().repeat(3)); //~
    let sum: u32 = bytes.to_vec().into_iter().map(u32::from).sum(); //~
    let all: Vec<String> = words.to_vec().into_iter().collect(); //~
    let trimmed = owned.to_string().trim().len(); //~
    parts + line.len() + trimmed + s.to_string().len() //~
}
"#,
        );
        assert_eq!(replacement(&found[0]), "\"a,b\"");
        assert_eq!(replacement(&found[1]), "c.encode_utf8(&mut [0; 4])");
        assert_eq!(replacement(&found[2]), "c.encode_utf8(&mut [0; 4])");
        assert_eq!(replacement(&found[3]), "bytes.iter().copied()");
        assert_eq!(replacement(&found[4]), "words.iter().cloned()");
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

    #[test]
    fn other_borrowed_forms_and_generic_parameters_that_borrow() {
        let found = check(
            RULE,
            r#"
use std::borrow::Cow;
use std::ffi::OsStr;
use std::ops::Deref;
use std::path::Path;
fn require_path(_: &Path) {}
fn require_os_str(_: &OsStr) {}
fn require_str(_: &str) {}
fn deref_str<T: Deref<Target = str>>(_: T) {}
fn deref_slice<T, U: Deref<Target = [T]>>(_: U) {}
fn f(path: &Path, os: &OsStr, s: &str, slice: &[u8], owned: String) {
    require_path(&path.to_path_buf()); //~
    require_os_str(&os.to_os_string()); //~
    require_str(&Cow::from(s).into_owned()); //~
    deref_str(s.to_owned()); //~
    deref_slice(slice.to_vec()); //~
    for b in slice.to_vec() {} //~
    let it = IntoIterator::into_iter(slice.to_owned()); //~
    deref_str(owned.to_string());
}
"#,
        );
        assert_eq!(replacement(&found[0]), "path");
        assert_eq!(replacement(&found[2]), "s");
        assert_eq!(replacement(&found[5]), "slice.iter().copied()");
    }

    #[test]
    fn a_generic_parameter_kept_or_returned_needs_the_owned_value() {
        check_clean(
            RULE,
            r#"
use std::path::Path;
struct Opaque<P>(P);
fn build<P>(p: P) -> Opaque<P> where P: AsRef<str> { Opaque(p) }
fn id<T: AsRef<str>>(x: T) -> T { x }
fn both<T: AsRef<Path>>(_x: T, _y: T) {}
fn f(s: &str, path: &Path) {
    let a = build(s.to_string());
    let b = id(s.to_string());
    both(path.to_owned(), path.to_path_buf());
}
"#,
        );
    }

    #[test]
    fn parameters_of_functions_of_other_files_decide_in_the_crate_phase() {
        let a = r#"
use std::path::Path;
pub fn open<P: AsRef<Path>>(p: P) {}
pub fn by_str(s: &str) {}
pub fn by_string(s: &String) {}
pub fn keep<P: AsRef<Path>>(p: P) -> P { p }
pub struct Store;
impl Store { pub fn find(&self, key: &str) -> bool { true } }
"#;
        let b = r#"
use crate::a::{by_str, by_string, keep, open, Store};
fn f(name: &str, store: &Store) {
    open(name.to_owned());
    by_str(&name.to_string());
    by_string(&name.to_string());
    keep(name.to_string());
    store.find(&name.to_string());
    other_crate_fn(&name.to_string());
}
"#;
        let messages = crate::rules::test_support::crate_messages(RULE, &[("a.rs", a), ("b.rs", b)]);
        assert_eq!(
            messages,
            [
                "`name.to_owned()` allocates a new String only to lend it to `open`, which only borrows it",
                "`name.to_string()` allocates a new String only to lend it to `by_str`, which drops it right after",
                "`name.to_string()` allocates a new String only to lend it to `find`, which drops it right after",
            ]
        );
    }

    #[test]
    fn public_functions_of_the_workspaces_other_crates_decide_in_the_workspace_phase() {
        let shapes_lib = r#"
use std::path::Path;
pub mod io;
pub use io::by_str as lend;
pub fn open<P: AsRef<Path>>(p: P) {}
pub fn by_string(s: &String) {}
fn private_by_str(s: &str) {}
pub struct Circle;
impl Circle { pub fn named(s: &str) -> Circle { Circle } }
pub struct Name;
pub fn by_name(n: &Name) {}
pub struct Builder;
impl Builder {
    pub fn add<P: AsRef<Path>>(&mut self, p: P) -> &mut Self { self }
    pub fn keep(&mut self, p: &String) {}
    pub fn named(&mut self, n: &Name) {}
}
"#;
        let shapes_io = "pub fn by_str(s: &str) {}\n";
        let app = r#"
use shapes::{by_name, by_string, lend, open, Circle};
use shapes::io;
mod local { pub fn by_str(s: &String) {} }
struct Name(String);
struct Own;
impl Own { fn add(&mut self, p: &String) {} }
fn g(b: &mut shapes::Builder, own: &mut Own, name: &str, n: &Name) {
    b.add(name.to_owned()).add(name.to_string());
    b.keep(&name.to_string());
    b.named(&n.clone());
    own.add(&name.to_string());
}
fn f(name: &str, n: &Name) {
    open(name.to_owned());
    io::by_str(&name.to_string());
    shapes::io::by_str(&name.to_string());
    lend(&name.to_string());
    Circle::named(&name.to_string());
    by_string(&name.to_string());
    local::by_str(&name.to_string());
    shapes::private_by_str(&name.to_string());
    other::by_str(&name.to_string());
    by_name(&n.clone());
}
"#;
        let crates: [(&str, &[(&str, &str)]); 2] =
            [("shapes", &[("lib.rs", shapes_lib), ("io.rs", shapes_io)]), ("app", &[("main.rs", app)])];
        let messages = crate::rules::test_support::workspace_messages(RULE, &crates);
        assert_eq!(
            messages,
            [
                // Methods of its types, what they return included (`&mut Self`).
                "`name.to_owned()` allocates a new String only to lend it to `Builder::add`, which only borrows it",
                "`name.to_string()` allocates a new String only to lend it to `add`, which only borrows it",
                "`name.to_owned()` allocates a new String only to lend it to `open`, which only borrows it",
                "`name.to_string()` allocates a new String only to lend it to `io::by_str`, which drops it right after",
                "`name.to_string()` allocates a new String only to lend it to `shapes::io::by_str`, which drops it right after",
                "`name.to_string()` allocates a new String only to lend it to `lend`, which drops it right after",
                "`name.to_string()` allocates a new String only to lend it to `Circle::named`, which drops it right after",
            ]
        );
        // Without the crate the code names, nothing is certain.
        let alone: [(&str, &[(&str, &str)]); 1] = [("app", &[("main.rs", app)])];
        assert_eq!(crate::rules::test_support::workspace_messages(RULE, &alone), Vec::<String>::new());
    }

    #[test]
    fn other_bounds_of_a_borrowing_parameter_must_hold_for_a_reference() {
        let found = check(
            RULE,
            r#"
fn fatal<T>(msg: T) where T: AsRef<str> + std::fmt::Display {}
fn spawn<T: AsRef<str> + Send + 'static>(msg: T) {}
fn into<T: AsRef<str> + Into<String>>(msg: T) {}
fn f(name: &str) {
    fatal(name.to_string()); //~
    spawn(name.to_string());
    into(name.to_string());
}
"#,
        );
        assert_eq!(replacement(&found[0]), "name");
    }

    #[test]
    fn the_value_of_a_match_arm_keeps_its_type() {
        check_clean(
            RULE,
            r#"
fn f(format: Option<&str>) -> String {
    (match format {
        None => "".to_string(),
        Some(x) => x.to_string(),
    })
    .to_lowercase()
}
"#,
        );
    }

    #[test]
    fn a_char_field_of_a_struct_of_another_file() {
        let a = r#"
pub struct Characters { pub hbar: char, pub label: String }
pub struct Theme { pub characters: Characters }
"#;
        let b = r#"
use crate::a::Theme;
pub struct Handler { theme: Theme }
impl Handler {
    fn render(&self, n: usize) -> (String, String) {
        (self.theme.characters.hbar.to_string().repeat(n), self.theme.characters.label.to_string().repeat(n))
    }
}
"#;
        let messages = crate::rules::test_support::crate_messages(RULE, &[("a.rs", a), ("b.rs", b)]);
        assert_eq!(
            messages,
            ["`self.theme.characters.hbar.to_string()` allocates a String for one `char` only to call `repeat` on it"]
        );
    }

    #[test]
    fn lookups_in_maps_other_files_return() {
        let a = r#"
use std::collections::{BTreeMap, HashSet};
pub struct Port;
pub fn load_ports() -> Result<BTreeMap<String, Port>, ()> { Ok(BTreeMap::new()) }
pub fn names<'a>() -> HashSet<&'a String> { HashSet::new() }
pub fn list() -> Vec<String> { Vec::new() }
"#;
        let b = r#"
use crate::a::{list, load_ports, names};
fn f(port_name: &str) -> Result<bool, ()> {
    let ports = load_ports()?;
    let known = names();
    let all = list();
    Ok(ports.get(&port_name.to_owned()).is_some()
        && known.contains(&port_name.to_string())
        && all.contains(&port_name.to_string()))
}
"#;
        let messages = crate::rules::test_support::crate_messages(RULE, &[("a.rs", a), ("b.rs", b)]);
        assert_eq!(
            messages,
            ["`port_name.to_owned()` allocates a new String only to lend it to `get`, which drops it right after"]
        );
    }
}
