//! `eager_alloc_default`: `unwrap_or(ARG)`, `map_or(ARG, ..)`, `ok_or(ARG)`
//! or `or_insert(ARG)` where `ARG` certainly allocates: the allocation
//! happens even when the default is not needed.

use syn::spanned::Spanned;
use syn::{Expr, ExprMethodCall, Lit};

use crate::analysis::types::type_of;
use crate::diagnostic::{Applicability, Edit, Fix, Level};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::semantic::ty::Ty;
use crate::syntax::method_calls::Closures;
use crate::syntax::macros::formats_something;
use crate::syntax::paths::{path_is, strip_parens};
use crate::walk::{Called, Emitter, FnCx, Rule};

pub(crate) struct EagerAllocDefault;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &EagerAllocDefault;

static META: RuleMeta = RuleMeta {
    name: "eager_alloc_default",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a default that allocates (`unwrap_or(format!(..))`) built even when it is not needed",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Mixed,
    clippy: &["or_fun_call"],
    confirmed_by: &[Reason::Format, Reason::ToString, Reason::ToOwned],
    fix_leaves_one: false,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds `unwrap_or(ARG)` and `map_or(ARG, ..)` on an `Option` or a `Result`,
`ok_or(ARG)` on an `Option` and `or_insert(ARG)` on a map's entry, as the
code states their types, where `ARG` certainly allocates: `format!` with
something to format, `to_string()`/`to_owned()` of a non-empty string
literal or of a number or `char`, `String::from`/`PathBuf::from` of a
non-empty literal, a non-empty `vec![..]`, `io::Error::new(..)` and
`io::Error::other(..)`; also behind a `&`.

## Why is this bad
A method's arguments are evaluated before the call: the default is built,
allocated and, when the value is there, dropped unused. The lazy forms
(`unwrap_or_else(|| ..)`, `map_or_else`, `ok_or_else`, `or_insert_with`)
build it only when it is needed: on the common path, no allocation at all.
Unlike clippy's `or_fun_call`, an argument that doesn't allocate
(`String::new()`, `Vec::new()`, `"".to_string()`) is never reported.

## Example
```rust
fn label(name: Option<String>, id: u32) -> String {
    name.unwrap_or(format!("item {id}"))
}
```

## Use instead
```rust
fn label(name: Option<String>, id: u32) -> String {
    name.unwrap_or_else(|| format!("item {id}"))
}
```
A borrowed default (`.unwrap_or(&"none".to_owned())`) has no lazy form:
borrow a literal instead (`.as_deref().unwrap_or("none")`).

## Known limitations
Only receivers whose type the code states are known to be an `Option`, a
`Result` or a map's entry (see "What memlint knows about types" in the
README); a string variable's `to_string()` may be of an empty string, which
doesn't allocate, and is not reported. The fix is applied by `--fix` when
the default reads no variable; otherwise (the closure would borrow it while
the receiver may too) only with `--unsafe-fixes`. A borrowed default gets no
fix.
"#;

impl Rule for EagerAllocDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        let methods = ["unwrap_or", "map_or", "ok_or", "or_insert"];
        for call in fx.method_calls(Called::EAGER_DEFAULT, Closures::Enter, |m| methods.iter().any(|n| m.method == n)) {
            check(fx, call, out);
        }
    }
}

fn check(fx: &FnCx<'_, '_, '_>, call: &ExprMethodCall, out: &mut Emitter) {
    let method = call.method.to_string();
    let arity = if method == "map_or" { 2 } else { 1 };
    if call.args.len() != arity {
        return;
    }
    // What the receiver is, and the lazy form's closure parameters.
    let Some(params) = receiver_kind(fx, call, &method) else { return };
    let arg = &call.args[0];
    let (borrowed, value) = match strip_parens(arg) {
        Expr::Reference(r) if r.mutability.is_none() => (true, &*r.expr),
        other => (false, other),
    };
    let Some(what) = allocates(fx, value) else { return };
    let lazy = format!("{method}_{}", if method == "or_insert" { "with" } else { "else" });
    let arg_text = fx.cx.text(arg);
    let mut d = fx.cx.diagnostic(
        &META,
        arg.span(),
        format!(
            "`{arg_text}` {what} every time `{method}` is called, also when the value is there and the default is dropped unused"
        ),
    );
    if borrowed {
        d.help = Some(format!(
            "borrow a default that needs no allocation (a literal: `.as_deref().{method}(..)`), or build it once outside"
        ));
    } else {
        let closure = format!("{params} {arg_text}");
        d.help = Some(format!("build it only when needed: `{lazy}({closure})`"));
        // A closure that reads a variable may borrow it while the receiver does.
        let applicability = if reads_variables(value) {
            Applicability::MaybeIncorrect
        } else {
            Applicability::MachineApplicable
        };
        d.fix = Some(Fix {
            edits: vec![
                Edit { span: fx.cx.span(call.method.span()), replacement: lazy },
                Edit { span: fx.cx.span(arg.span()), replacement: closure },
            ],
            applicability,
        });
    }
    out.emit(d);
}

/// The lazy form's closure parameters (`||`, or `|_|` for a `Result`'s
/// error), when the receiver is certainly an `Option`, a `Result` or a
/// std map's entry.
fn receiver_kind(fx: &FnCx<'_, '_, '_>, call: &ExprMethodCall, method: &str) -> Option<&'static str> {
    if method == "or_insert" {
        // `map.entry(k).or_insert(..)` on a std map.
        let Expr::MethodCall(entry) = strip_parens(&call.receiver) else { return None };
        let map = type_of(fx, &entry.receiver)?;
        let std_map = matches!(map.peel_refs().std_name(), Some("HashMap" | "BTreeMap"));
        return (entry.method == "entry" && std_map).then_some("||");
    }
    match type_of(fx, &call.receiver)?.peel_refs() {
        Ty::Std(name, _) if name == "Option" => Some("||"),
        // `ok_or` is an `Option`'s only.
        Ty::Std(name, _) if name == "Result" && method != "ok_or" => Some("|_|"),
        _ => None,
    }
}

/// How `expr` certainly allocates (a phrase for the message), or `None`.
fn allocates(fx: &FnCx<'_, '_, '_>, expr: &Expr) -> Option<&'static str> {
    match strip_parens(expr) {
        Expr::Macro(m) if m.mac.path.is_ident("format") => {
            formats_something(&m.mac).then_some("formats a new `String`")
        }
        Expr::Macro(m) if m.mac.path.is_ident("vec") => {
            let tokens = m.mac.tokens.to_string();
            let empty = tokens.trim().is_empty() || tokens.trim_end().ends_with("; 0");
            (!empty).then_some("allocates a new `Vec`")
        }
        Expr::MethodCall(m) if m.args.is_empty() && (m.method == "to_string" || m.method == "to_owned") => {
            match strip_parens(&m.receiver) {
                Expr::Lit(l) => match &l.lit {
                    Lit::Str(s) if !s.value().is_empty() => Some("copies the literal into a new `String`"),
                    Lit::Int(_) | Lit::Char(_) | Lit::Float(_) if m.method == "to_string" => {
                        Some("formats a new `String`")
                    }
                    _ => None,
                },
                receiver if m.method == "to_string" => {
                    let ty = type_of(fx, receiver)?;
                    // A number's or a `char`'s text is never empty.
                    let ty = ty.peel_refs();
                    let numeric = ty.is_primitive() && !ty.is_std("bool");
                    numeric.then_some("formats a new `String`")
                }
                _ => None,
            }
        }
        Expr::Call(c) => {
            let Expr::Path(p) = strip_parens(&c.func) else { return None };
            let non_empty_literal =
                matches!(c.args.first().map(strip_parens), Some(Expr::Lit(l)) if matches!(&l.lit, Lit::Str(s) if !s.value().is_empty()));
            if (path_is(&p.path, &["String", "from"]) || path_is(&p.path, &["PathBuf", "from"]))
                && c.args.len() == 1
                && non_empty_literal
            {
                return Some("copies the literal into a new buffer");
            }
            let io_error = path_is(&p.path, &["io", "Error", "new"])
                || path_is(&p.path, &["io", "Error", "other"])
                || path_is(&p.path, &["std", "io", "Error", "new"])
                || path_is(&p.path, &["std", "io", "Error", "other"]);
            io_error.then_some("boxes a new `io::Error`")
        }
        _ => None,
    }
}

/// Whether `expr` names anything but literals (a variable, a field, a call
/// of something named): a closure around it would capture it.
fn reads_variables(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Lit(_) => false,
        // `format!("{id}")` reads `id` without naming it as an argument.
        Expr::Macro(_) => true,
        Expr::MethodCall(m) => reads_variables(&m.receiver) || m.args.iter().any(reads_variables),
        Expr::Call(c) => c.args.iter().any(reads_variables),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, fix};

    const RULE: &str = "eager_alloc_default";

    #[test]
    fn defaults_that_allocate_before_they_are_needed() {
        let found = check(
            RULE,
            r#"
use std::collections::HashMap;
use std::path::PathBuf;
fn f(name: Option<String>, parsed: Result<String, u8>, id: u32, counts: &mut HashMap<String, Vec<u8>>, dir: Option<PathBuf>) {
    let a = name.unwrap_or(format!("item {id}")); //~
    let b = name.unwrap_or("anonymous".to_string()); //~
    let c = parsed.unwrap_or(String::from("none")); //~
    let d = name.ok_or(std::io::Error::other("no name")); //~
    let e = name.as_ref().map_or("-".to_owned(), |n| n.clone()); //~
    counts.entry("k".to_owned()).or_insert(vec![0]); //~
    let g = dir.unwrap_or(PathBuf::from("/tmp")); //~
    let h = name.as_ref().unwrap_or(&"none".to_owned()); //~
    let i = parsed.map_or(id.to_string(), |s| s); //~
}
"#,
        );
        assert_eq!(
            found[0].message,
            "`format!(\"item {id}\")` formats a new `String` every time `unwrap_or` is called, also when the value is there and the default is dropped unused"
        );
        assert_eq!(found[0].help.as_deref(), Some("build it only when needed: `unwrap_or_else(|| format!(\"item {id}\"))`"));
        // It reads `id`: the closure borrows it, so the fix waits for a look.
        assert_eq!(fix(&found[0]).applicability, crate::Applicability::MaybeIncorrect);
        assert_eq!(fix(&found[1]).applicability, crate::Applicability::MachineApplicable);
        assert_eq!(fix(&found[2]).edits[1].replacement, "|_| String::from(\"none\")");
        assert_eq!(fix(&found[5]).edits[0].replacement, "or_insert_with");
        assert!(found[7].fix.is_none(), "a borrowed default has no lazy form");
        assert!(found[7].help.as_deref().unwrap().starts_with("borrow a default"));
    }

    #[test]
    fn defaults_that_dont_allocate_and_receivers_not_known() {
        check_clean(
            RULE,
            r#"
use std::collections::{BTreeSet, HashMap};
struct Config;
impl Config { fn unwrap_or(self, s: String) -> String { s } }
fn f(name: Option<String>, word: &str, counts: &mut HashMap<String, Vec<u8>>, cfg: Config, set: BTreeSet<u8>) {
    // Nothing allocated.
    let a = name.unwrap_or(String::new());
    let b = name.unwrap_or("".to_string());
    let c = name.unwrap_or(format!(""));
    let d = name.unwrap_or_default();
    counts.entry("k".to_owned()).or_insert(Vec::new());
    counts.entry("k".to_owned()).or_insert(vec![]);
    // A string variable may be empty.
    let e = name.unwrap_or(word.to_string());
    // Already lazy.
    let g = name.unwrap_or_else(|| format!("x"));
    // A receiver that is not an Option, a Result or a std map's entry.
    let h = cfg.unwrap_or("x".to_string());
    let i = make().unwrap_or(format!("x{}", 1));
}
"#,
        );
    }

    #[test]
    fn the_safe_fix_is_lazy() {
        let src = "fn f(name: Option<String>) -> String {\n    name.unwrap_or(\"anonymous\".to_string())\n}\n";
        let found = crate::rules::test_support::lint(RULE, src);
        let fixed = crate::fix::apply(src, &[fix(&found[0])]).text;
        assert_eq!(fixed, "fn f(name: Option<String>) -> String {\n    name.unwrap_or_else(|| \"anonymous\".to_string())\n}\n");
    }
}
