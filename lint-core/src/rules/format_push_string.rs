//! `format_push_string`: appending a temporary `String` built by `format!`
//! or `to_string()` (`s.push_str(&format!(..))`, `s += &format!(..)`) instead
//! of formatting straight into the destination with `write!`.

use syn::spanned::Spanned;
use syn::{BinOp, Expr};

use crate::diagnostic::{Applicability, Fix, Label, Level};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::syntax::format_string::{ArgRef, Piece};
use crate::syntax::imports::edits_with_fmt_write;
use crate::syntax::macros::{MacroCall, MacroKind};
use crate::syntax::paths::{as_ident, is_str_literal, strip_parens};
use crate::syntax::place::Place;
use crate::syntax::snippet::{one_line, quoted};
use crate::walk::Rule;
use crate::walk::{Cx, Emitter};

pub(crate) struct FormatPushString;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &FormatPushString;

static META: RuleMeta = RuleMeta {
    name: "format_push_string",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a `String` built by `format!` or `to_string()` only to be appended to another string",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Safe,
    clippy: &["format_push_string"],
    confirmed_by: &[Reason::Format, Reason::ToString],
    fix_leaves_one: false,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds a temporary `String` made only to be appended to another string:

- `s.push_str(&format!(..))` and `s.push_str(format!(..).as_str())`,
- `s += &format!(..)` (also `*s += ..` and fields such as `self.buf += ..`),
- the same with `x.to_string()` in place of `format!(..)`.

## Why is this bad
`format!` and `to_string()` allocate a new `String`, write the text into it,
and the push then copies that text into `s` and frees the temporary: one
allocation, one copy and one free more than formatting straight into `s`'s
buffer with `write!`. In a loop this happens on every iteration.

## Example
```rust
fn render(names: &[&str]) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        out.push_str(&format!("{i}: {name}\n"));
    }
    out
}
```

## Use instead
```rust
use std::fmt::Write;

fn render(names: &[&str]) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        writeln!(out, "{i}: {name}").unwrap();
    }
    out
}
```

## Known limitations
`write!` needs the `std::fmt::Write` trait in scope: the fix adds
`use std::fmt::Write as _;` to the module unless it imports the trait
already (an `as _` import can't clash with `std::io::Write`); a file that
says `no_std` or imports from `alloc` or `core` gets `core::fmt::Write`. A
file of a `no_std` crate that shows neither gets `std`'s: `--verify` catches
it.
With `x.to_string()` where `x` already is a string, `s.push_str(x)` is
better still than `write!` (`unnecessary_to_owned` says so where it knows
`x`'s type). Only a temporary passed
directly is reported; `let t = format!(..); s.push_str(&t);` is not. Nor is
an append whose format arguments name the destination's root
(`s.push_str(&format!("{}", s.len()))`, `self.buf += &format!("{}", self.n)`):
`write!` would borrow it mutably while they read it.
"#;

impl Rule for FormatPushString {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::EXPR
    }

    fn check_expr<'ast>(&self, cx: &Cx<'_, 'ast>, expr: &'ast Expr, out: &mut Emitter) {
        let Some((target, temp)) = format_push(cx, expr) else { return };
        if reads_target(target, &temp) {
            // `s.push_str(&format!("{s}"))`: `write!(s, ..)` would borrow `s`
            // mutably while the arguments read it.
            return;
        }
        let t = cx.text(target);
        let written = match &temp {
            Temporary::Format(..) => "format!(..)".to_owned(),
            Temporary::ToString(m) => format!("{}.to_string()", quoted(cx.text(&m.receiver), 40)),
        };
        let in_loop = cx.loop_frequency(expr);
        let repeat = in_loop.map_or("", |(_, frequency)| frequency.clause());
        let message = format!(
            "`{written}` allocates a temporary String only to copy it into `{t}` and free it{repeat}: one allocation more than formatting into `{t}` directly"
        );
        let mut d = cx.diagnostic(&META, expr.span(), message);
        d.labels.push(Label { span: cx.span(temp.span()), message: "allocates a temporary String".to_owned() });
        if let Some((lp, Some(label))) = in_loop.map(|(lp, frequency)| (lp, frequency.label())) {
            d.labels.push(Label { span: cx.span(lp.header_span), message: label.to_owned() });
        }
        let replacement = replacement(cx, t, &temp);
        d.help = Some(match replacement.as_deref().map(one_line) {
            Some(code) if code.starts_with("write") => {
                format!("format straight into `{t}`: `{code}` (with the `fmt::Write` trait imported)")
            }
            Some(code) => format!("push the literal itself: `{code}`"),
            None => format!("format straight into `{t}` with `write!({t}, ..)` (with the `fmt::Write` trait imported)"),
        });
        if let Some(replacement) = replacement {
            // `write!` needs the `fmt::Write` trait: imported unless it is.
            let edits = edits_with_fmt_write(cx.source(), cx.file_items, expr.span(), replacement);
            d.fix = Some(Fix { edits, applicability: Applicability::MachineApplicable });
        }
        out.emit(d);
    }
}

/// A `String` built only to be appended.
pub(crate) enum Temporary<'ast> {
    /// `format!(..)`, with its parsed call.
    Format(&'ast syn::ExprMacro, &'ast MacroCall<'ast>),
    /// `x.to_string()`.
    ToString(&'ast syn::ExprMethodCall),
}

impl Temporary<'_> {
    fn span(&self) -> proc_macro2::Span {
        match self {
            Temporary::Format(m, _) => m.span(),
            Temporary::ToString(m) => m.span(),
        }
    }
}

/// For `s.push_str(&format!(..))` or `s += &format!(..)` (and the
/// `to_string()` forms), the destination `s` and the temporary.
pub(crate) fn format_push<'ast>(cx: &Cx<'_, 'ast>, expr: &'ast Expr) -> Option<(&'ast Expr, Temporary<'ast>)> {
    let (target, arg) = match expr {
        Expr::MethodCall(m) if m.method == "push_str" && m.args.len() == 1 => (&*m.receiver, &m.args[0]),
        Expr::Binary(b) if matches!(b.op, BinOp::AddAssign(_)) => (&*b.left, &*b.right),
        _ => return None,
    };
    Some((target, temporary(cx, arg)?))
}

/// `&format!(..)`, `format!(..).as_str()`, `&x.to_string()`: a temporary
/// String lent to an append.
pub(crate) fn temporary<'ast>(cx: &Cx<'_, 'ast>, arg: &'ast Expr) -> Option<Temporary<'ast>> {
    // `&temp` or `temp.as_str()`: anything else (`temp.trim()`, `&temp[1..]`) is a different string.
    let owned = match strip_parens(arg) {
        Expr::Reference(r) if r.mutability.is_none() => &*r.expr,
        Expr::MethodCall(m) if m.method == "as_str" && m.args.is_empty() => &*m.receiver,
        _ => return None,
    };
    let temp = match strip_parens(owned) {
        Expr::Macro(m) => {
            let call = cx.macro_call(&m.mac);
            // An unparsed format string (a macro-built one, `concat!(..)`) gives no code to copy.
            let is_format = call.kind == MacroKind::Format && call.name.as_deref() == Some("format");
            (is_format && call.format.is_some()).then_some(Temporary::Format(m, call))?
        }
        Expr::MethodCall(m) if m.method == "to_string" && m.args.is_empty() && m.turbofish.is_none() => {
            Temporary::ToString(m)
        }
        _ => return None,
    };
    Some(temp)
}

/// Whether the temporary's arguments name the target's root binding
/// (`s` of `s`, `*s` or `s.buf`), or any name in a target that is no plain
/// place: explicit arguments, captures in the format string, or the
/// receiver of `to_string()`.
fn reads_target(target: &Expr, temp: &Temporary<'_>) -> bool {
    let names: Vec<String> = match Place::of(target) {
        Some(place) => vec![place.root.to_string()],
        None => {
            let mut names = Vec::new();
            expr_idents(target, &mut |i| names.push(i.to_string()));
            names
        }
    };
    let mut found = false;
    let mut check = |i: &proc_macro2::Ident| found |= names.iter().any(|n| i == n);
    match temp {
        Temporary::Format(m, call) => {
            idents_in(m.mac.tokens.clone(), &mut check);
            let captured = call.format.iter().flat_map(|f| f.args_read()).any(|a| match a {
                ArgRef::Name(n) => names.contains(n),
                ArgRef::Index(_) => false,
            });
            found || captured
        }
        Temporary::ToString(m) => {
            expr_idents(&m.receiver, &mut check);
            found
        }
    }
}

/// Calls `f` on every identifier in `expr`, macro arguments included.
fn expr_idents(expr: &Expr, f: &mut impl FnMut(&proc_macro2::Ident)) {
    struct Idents<'f, F>(&'f mut F);
    impl<'ast, F: FnMut(&proc_macro2::Ident)> syn::visit::Visit<'ast> for Idents<'_, F> {
        fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
            (self.0)(i);
        }
        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            syn::visit::visit_macro(self, m);
            idents_in(m.tokens.clone(), self.0);
        }
    }
    syn::visit::Visit::visit_expr(&mut Idents(f), expr);
}

/// Calls `f` on every identifier in `tokens`, groups included.
fn idents_in(tokens: proc_macro2::TokenStream, f: &mut impl FnMut(&proc_macro2::Ident)) {
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Ident(i) => f(&i),
            proc_macro2::TokenTree::Group(g) => idents_in(g.stream(), f),
            _ => {}
        }
    }
}

/// The code replacing the whole push: `write!(t, ..).unwrap()`.
///
/// `.unwrap()` rather than `let _ = ..`: writing into a `String` only fails
/// when a `Display` impl returns an error, and then `format!` panics too, so
/// unwrapping keeps the program's behaviour where ignoring would hide it.
fn replacement(cx: &Cx<'_, '_>, t: &str, temp: &Temporary<'_>) -> Option<String> {
    match temp {
        Temporary::ToString(m) if is_str_literal(&m.receiver) => {
            Some(format!("{t}.push_str({})", cx.text(&m.receiver)))
        }
        Temporary::ToString(m) => {
            let receiver = &*m.receiver;
            let text = cx.text(receiver);
            if text.is_empty() {
                return None;
            }
            // A plain local can be captured by the format string; raw identifiers cannot.
            Some(match as_ident(receiver).filter(|i| !i.to_string().starts_with("r#")) {
                Some(ident) => format!("write!({t}, \"{{{ident}}}\").unwrap()"),
                None => format!("write!({t}, \"{{}}\", {text}).unwrap()"),
            })
        }
        Temporary::Format(m, call) => {
            let args = macro_args_text(cx, m)?;
            if let Some(line) = as_writeln(cx, m, call) {
                return Some(if line.is_empty() {
                    format!("writeln!({t}).unwrap()")
                } else {
                    format!("writeln!({t}, {line}).unwrap()")
                });
            }
            Some(format!("write!({t}, {args}).unwrap()"))
        }
    }
}

/// The source text between a macro call's delimiters: `"{}", a` for `format!("{}", a)`.
fn macro_args_text<'a>(cx: &Cx<'a, '_>, m: &syn::ExprMacro) -> Option<&'a str> {
    let range = inner_range(cx, m)?;
    cx.source().text().get(range).map(str::trim)
}

fn inner_range(cx: &Cx<'_, '_>, m: &syn::ExprMacro) -> Option<std::ops::Range<usize>> {
    let whole = m.span().byte_range();
    let text = cx.source().text().get(whole.clone())?;
    let bang = text.find('!')?;
    let after = &text[bang + 1..];
    let open = bang + 1 + (after.len() - after.trim_start().len());
    if !text[open..].starts_with(['(', '[', '{']) || !text.ends_with([')', ']', '}']) || open + 1 > text.len() - 1 {
        return None;
    }
    Some(whole.start + open + 1..whole.end - 1)
}

/// When the format string ends in an escaped `\n`, the arguments for
/// `writeln!` (the same without it; empty when nothing is left).
fn as_writeln(cx: &Cx<'_, '_>, m: &syn::ExprMacro, call: &MacroCall<'_>) -> Option<String> {
    let format = call.format.as_ref()?;
    let lit = call.args.get(call.format_index?)?;
    // Raw strings hold no escapes, and a literal line break is kept as written.
    if format.open != "\"" {
        return None;
    }
    let Some(Piece::Lit(last)) = format.pieces.last() else { return None };
    let stem = last.strip_suffix("\\n")?;
    // `\\n` is a backslash then `n`: the `\n` escape needs an even run of backslashes before it.
    if (stem.len() - stem.trim_end_matches('\\').len()) % 2 == 1 {
        return None;
    }
    let mut pieces = format.pieces.clone();
    pieces.pop();
    if !stem.is_empty() {
        pieces.push(Piece::Lit(stem.to_owned()));
    }
    let inner = inner_range(cx, m)?;
    let lit_range = lit.span().byte_range();
    let rest = cx.source().text().get(lit_range.end.min(inner.end)..inner.end)?.trim();
    if pieces.is_empty() && rest.trim_start_matches(',').trim().is_empty() {
        return Some(String::new());
    }
    Some(format!("{}{rest}", format.render(&pieces)))
}

/// Code shown in a message, shortened when long.
#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, fix, replacement};

    const RULE: &str = "format_push_string";

    /// The walk skips arrays of constants, and only those: code inside an
    /// array of other expressions is still linted.
    #[test]
    fn arrays_of_expressions_are_linted_tables_of_constants_skipped() {
        check(
            RULE,
            "pub fn f(s: &mut String, n: u32) -> usize {\n    let table = [(1, -1), (2, 2)];\n    let done = [s.push_str(&format!(\"{n}\")), ()]; //~\n    done.len() + table.len()\n}\n",
        );
    }

    /// miette 7.6.0 `graphical.rs:865..891`: pushes in a branch that ends
    /// the loop run once at most, and a receiver written over several lines
    /// is quoted as it is, on one line.
    #[test]
    fn what_the_message_says_is_true_of_the_code() {
        let found = check(
            RULE,
            r#"
fn gutter(items: &[Item], width: usize) -> String {
    let mut gutter = String::new();
    for (i, hl) in items.iter().enumerate() {
        if hl.starts() {
            gutter.push_str( //~
                &chars
                    .hbar
                    .to_string()
                    .repeat(width.saturating_sub(i))
                    .style(hl.style)
                    .to_string(),
            );
            break;
        } else if hl.ends() {
            gutter.push_str(&hl.mark().to_string()); //~
        }
        gutter.push_str(&i.to_string()); //~
    }
    gutter
}
"#,
        );
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`chars.hbar..style(hl.style).to_string()` allocates a temporary String only to copy it into `gutter` and free it: one allocation more than formatting into `gutter` directly",
                "`hl.mark().to_string()` allocates a temporary String only to copy it into `gutter` and free it, on the loop's iterations that reach it: one allocation more than formatting into `gutter` directly",
                "`i.to_string()` allocates a temporary String only to copy it into `gutter` and free it, on every iteration of the loop: one allocation more than formatting into `gutter` directly",
            ]
        );
        assert_eq!(found[0].labels.len(), 1, "no loop label for code that leaves the loop: {:?}", found[0].labels);
        let help = found[0].help.as_deref().unwrap_or_default();
        assert!(!help.contains('\n'), "help code on one line: {help}");
    }

    #[test]
    fn push_str_of_format() {
        let found = check(
            RULE,
            r#"
fn f(name: &str, n: u32) -> String {
    let mut s = String::new();
    s.push_str(&format!("{name}: {}", n + 1)); //~
    s.push_str(format!("[{}]", n).as_str()); //~
    s
}
"#,
        );
        let d = &found[0];
        assert_eq!(d.span.column, 5);
        assert!(
            d.message.starts_with("`format!(..)` allocates a temporary String only to copy it into `s`"),
            "{}",
            d.message
        );
        assert!(!d.message.contains("iteration"), "{}", d.message);
        assert_eq!(replacement(d), r#"write!(s, "{name}: {}", n + 1).unwrap()"#);
        assert_eq!(fix(d).applicability, crate::Applicability::MachineApplicable);
        assert!(d.help.as_deref().unwrap().contains("with the `fmt::Write` trait imported"), "{:?}", d.help);
        assert_eq!(replacement(&found[1]), r#"write!(s, "[{}]", n).unwrap()"#);
    }

    #[test]
    fn add_assign_through_deref_and_fields() {
        let found = check(
            RULE,
            r#"
struct Doc { buf: String }
impl Doc {
    fn add(&mut self, out: &mut String, items: &[u32]) {
        for i in items {
            self.buf += &format!("<{i}>"); //~
            *out += &format!("{i},"); //~
        }
        out.push_str(&i.to_string()); //~
    }
}
"#,
        );
        assert!(found[0].message.ends_with("into `self.buf` directly"), "{}", found[0].message);
        assert!(found[0].message.contains("free it, on every iteration of the loop:"), "{}", found[0].message);
        assert_eq!(replacement(&found[0]), r#"write!(self.buf, "<{i}>").unwrap()"#);
        assert_eq!(replacement(&found[1]), r#"write!(*out, "{i},").unwrap()"#);
        assert_eq!(replacement(&found[2]), r#"write!(out, "{i}").unwrap()"#);
        assert_eq!(found[0].labels.len(), 2);
    }

    #[test]
    fn to_string_forms() {
        let found = check(
            RULE,
            r#"
fn f(s: &mut String, x: u8, p: &Point) {
    s.push_str(&p.x.to_string()); //~
    s.push_str(&"lit".to_string()); //~
    *s += &x.to_string(); //~
    s.push_str(&r#type.to_string()); //~
}
"#,
        );
        assert_eq!(replacement(&found[0]), r#"write!(s, "{}", p.x).unwrap()"#);
        assert!(found[0].message.starts_with("`p.x.to_string()` allocates"), "{}", found[0].message);
        assert_eq!(replacement(&found[1]), r#"s.push_str("lit")"#);
        assert_eq!(replacement(&found[2]), r#"write!(*s, "{x}").unwrap()"#);
        assert_eq!(replacement(&found[3]), r#"write!(s, "{}", r#type).unwrap()"#);
    }

    #[test]
    fn trailing_newline_becomes_writeln() {
        let found = check(
            RULE,
            r#"
fn f(s: &mut String, a: u32) {
    s.push_str(&format!("{a}\n")); //~
    s.push_str(&format!("{}\n", a)); //~
    s.push_str(&format!("\n")); //~
    s.push_str(&format!("a\\n")); //~
    s.push_str(&format!(r"{a}\n")); //~
    s.push_str(&format!("{a}\\\n")); //~
    s.push_str(&std::format!("x = {a:>4}\n", a = a)); //~
}
"#,
        );
        assert_eq!(replacement(&found[0]), r#"writeln!(s, "{a}").unwrap()"#);
        assert_eq!(replacement(&found[1]), r#"writeln!(s, "{}", a).unwrap()"#);
        assert_eq!(replacement(&found[2]), "writeln!(s).unwrap()");
        assert_eq!(replacement(&found[3]), r#"write!(s, "a\\n").unwrap()"#);
        assert_eq!(replacement(&found[4]), r#"write!(s, r"{a}\n").unwrap()"#);
        assert_eq!(replacement(&found[5]), r#"writeln!(s, "{a}\\").unwrap()"#);
        assert_eq!(replacement(&found[6]), r#"writeln!(s, "x = {a:>4}", a = a).unwrap()"#);
    }

    #[test]
    fn look_alikes() {
        check_clean(
            RULE,
            r#"
fn f(s: &mut String, v: &mut Vec<String>, x: &str, n: u32) {
    s.push_str(&x);
    s.push_str(x);
    s.push_str(format!("{n}").trim());
    s.push_str(&format!("{n}")[1..]);
    v.push(format!("{n}"));
    *s += x;
    s.push_str(&x.to_string_lossy());
    s.push_str(&x.to_string()[..2]);
    s.push_str(&n.to_string(10));
    s.push_str(&my_format!("{n}"));
    s.push_str(&format!(concat!("{}", "x"), n));
    s.push_str(&mut format!("{n}"));
    let t = format!("{n}");
    s.push_str(&t);
    s.insert_str(0, &format!("{n}"));
    write!(s, "{n}").unwrap();
}
"#,
        );
    }

    #[test]
    fn arguments_reading_the_target() {
        check_clean(
            RULE,
            r#"
struct Doc { buf: String, other: String }
impl Doc {
    fn f(&mut self, s: &mut String, t: String) {
        s.push_str(&format!("{s}"));
        *s += &format!("{}-{}", s, s.len());
        s.push_str(&format!("{:>w$}", 1, w = s.len()));
        s.push_str(&s.len().to_string());
        self.buf.push_str(&format!("{}", self.buf.len()));
        self.buf += &format!("{}", self.other);
        self.buf.push_str(&self.other.to_string());
        buf_of(&mut t).push_str(&format!("{}", t.len()));
    }
}
"#,
        );
        check(
            RULE,
            r#"
fn g(s: &mut String, t: &str, st: u32) {
    s.push_str(&format!("{t}{st}")); //~
    s.push_str(&format!("{}", t.len())); //~
}
"#,
        );
    }

    #[test]
    fn weird_macros_do_not_panic() {
        check_clean(
            RULE,
            r#"
fn f(s: &mut String) {
    s.push_str(&format!());
    s.push_str(&format!{});
    s.push_str(&format![x y z]);
    s.push_str(&format!(,));
}
"#,
        );
        check(
            RULE,
            r#"
fn g(s: &mut String) {
    s.push_str(&format!{"{}", 1}); //~
    s.push_str(&format!["é\u{2192}\n"]); //~
    s.push_str(&format!("")); //~
}
"#,
        );
    }

    #[test]
    fn test_code_is_skipped() {
        check_clean(
            RULE,
            r#"
#[test]
fn t() { let mut s = String::new(); s.push_str(&format!("{}", 1)); }
"#,
        );
    }
}
