//! `string_concat_in_loop`: rebuilding an accumulated string from scratch on
//! every iteration of a loop (quadratic), or building a fresh string with a
//! `+` chain on every iteration.

use std::fmt::Write as _;

use syn::spanned::Spanned;
use syn::{BinOp, Expr, ExprBinary};

use crate::analysis::frequency::Frequency;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Level};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::syntax::format_string::{ArgRef, FormatString, Piece};
use crate::syntax::imports::edits_with_fmt_write;
use crate::syntax::macros::{MacroCall, MacroKind};
use crate::syntax::paths::{as_ident, call_of, is_str_literal, path_is, strip_parens, type_last_segment};
use crate::syntax::place::Place;
use crate::walk::Rule;
use std::ops::Range;

use crate::walk::{Binding, Cx, Emitter, FnCx, LoopInfo, Use, UseKind};

pub(crate) struct StringConcatInLoop;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &StringConcatInLoop;

static META: RuleMeta = RuleMeta {
    name: "string_concat_in_loop",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a string rebuilt from its own contents, or built by a `+` chain, on every loop iteration",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Unsafe,
    clippy: &[],
    confirmed_by: &[Reason::Format, Reason::StringGrowth, Reason::Clone, Reason::ToOwned, Reason::ToString],
    fix_leaves_one: false,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds loops that build a new string out of an accumulated one on every
iteration:

- `s = format!("{s}{x}")` or `s = format!("{}{}", s, x)`,
- `s = s.clone() + x` (or `s.to_string() + x`, or `s = x + &s`),
- `s = [s.as_str(), x].concat()`,
- `s.insert_str(0, x)`,

and loops that build a fresh owned string from a `+` chain every iteration
(`let line = name.clone() + ":" + &value;`).

`s += &x` and `s = s + &x` are not findings: they append to `s`'s buffer in
place, which is amortised O(1).

## Why is this bad
The first four forms copy everything `s` holds into a new buffer (or shift it
all) on every iteration: the loop does O(n²) work and allocates a new buffer
each time. Over 10,000 iterations appending 10 bytes each, that is 10,000
allocations and about 500 MB copied, where appending in place makes about 17
allocations and copies about 330 KB.

A `+` chain on a fresh clone allocates once for the clone and may reallocate
at every `+`, on every iteration.

## Example
```rust
fn csv_line(fields: &[&str]) -> String {
    let mut line = String::new();
    for f in fields {
        line = format!("{line}{f},");
    }
    line
}
```

## Use instead
```rust
use std::fmt::Write;

fn csv_line(fields: &[&str]) -> String {
    let mut line = String::new();
    for f in fields {
        write!(line, "{f},").unwrap();
    }
    line
}
```

## Known limitations
memlint doesn't compile the code. The `+` forms are reported only when a string literal,
`to_string()`, `String::from` or `format!` shows the value is a `String`, or
the accumulated binding is declared as one. Loops written with iterator
closures (`for_each`, `fold`) are not inspected. `s.insert(0, c)` is not
reported because `insert` is also a method of maps and vectors.
"#;

impl Rule for StringConcatInLoop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::EXPR.with(Hooks::FN)
    }

    /// Fresh `+` chains, and rebuilds of fields (`self.text = format!(..)`),
    /// whose uses the binding table doesn't track.
    fn check_expr<'ast>(&self, cx: &Cx<'_, 'ast>, expr: &'ast Expr, out: &mut Emitter) {
        let Some(lp) = cx.current_loop() else { return };
        let field_target = |place_expr: &Expr| {
            let place = Place::of(place_expr).filter(|p| !p.fields.is_empty())?;
            let (_, binding) = cx.resolve(&place.root)?;
            (binding.order < lp.start).then_some(place)
        };
        let conditional = || matches!(cx.loop_frequency(expr), Some((_, Frequency::SomeIterations)));
        let diagnostic = match expr {
            Expr::Assign(a) => field_target(&a.left)
                .and_then(|target| rebuild(cx, &target, None, a))
                .map(|f| f.conditional(conditional()).into_diagnostic(cx, expr.span())),
            Expr::MethodCall(m) => field_target(&m.receiver)
                .and_then(|target| insert_at_front(&target, m))
                .map(|f| f.conditional(conditional()).into_diagnostic(cx, expr.span())),
            Expr::Binary(b) if is_add(b) => fresh_chain(cx, lp, expr, b),
            _ => None,
        };
        if let Some(d) = diagnostic {
            out.emit(d);
        }
    }

    /// Rebuilds of local bindings, once every use in the loop is known: a
    /// string reset on every iteration (`clear()`, reassigned, moved out) does
    /// not accumulate.
    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        for u in &fx.facts.uses {
            let Some(lp) = u.innermost_loop.map(|id| &fx.facts.loops[id]) else { continue };
            let binding = &fx.facts.bindings[u.binding];
            if binding.order >= lp.start {
                continue; // Declared inside the loop: fresh every iteration.
            }
            let (finding, span) = match u.kind {
                UseKind::Assign(a) => {
                    let target = Place::of(&a.left).filter(|p| p.fields.is_empty());
                    (target.and_then(|t| rebuild(fx.cx, &t, Some(binding), a)), a.span())
                }
                UseKind::MethodReceiver(m) => {
                    let target = Place::of(&m.receiver).filter(|p| p.fields.is_empty());
                    (target.and_then(|t| insert_at_front(&t, m)), m.span())
                }
                _ => continue,
            };
            let Some(finding) = finding else { continue };
            if !carried_across_iterations(fx, u, lp, span.byte_range()) {
                continue;
            }
            out.emit(finding.conditional(u.conditional).into_diagnostic(fx.cx, span));
        }
    }
}

/// Whether the binding `u` uses keeps its contents from one iteration to the
/// next: nothing else in the loop resets it (assigns, clears, moves it out or
/// lends it mutably), and the loop does not stop right after the rebuild.
fn carried_across_iterations(fx: &FnCx<'_, '_, '_>, u: &Use<'_>, lp: &LoopInfo<'_>, range: Range<usize>) -> bool {
    for other in fx.facts.uses_of(u.binding) {
        if !lp.contains(other.order) || range.contains(&other.span.byte_range().start) {
            continue;
        }
        match other.kind {
            // Assigning a value built from the old one keeps it; anything else resets it.
            UseKind::Assign(a) => {
                let right = a.right.span().byte_range();
                let reads_old = fx.facts.uses_of(u.binding).any(|r| right.contains(&r.span.byte_range().start));
                if !reads_old {
                    return false;
                }
            }
            UseKind::BorrowMut | UseKind::Value | UseKind::Opaque => return false,
            UseKind::MethodReceiver(m) if RESETS.iter().any(|r| m.method == r) => return false,
            _ => {}
        }
    }
    !loop_body(lp.expr).is_some_and(|body| followed_by_exit(body, &range))
}

/// Methods that empty a string or take its contents.
const RESETS: &[&str] = &["clear", "truncate", "drain", "split_off", "retain", "take"];

fn loop_body(expr: &Expr) -> Option<&syn::Block> {
    match expr {
        Expr::ForLoop(f) => Some(&f.body),
        Expr::While(w) => Some(&w.body),
        Expr::Loop(l) => Some(&l.body),
        _ => None,
    }
}

/// Whether the statement holding `range` is followed, in its block, by an
/// unconditional `break` or `return`: then it runs at most once.
fn followed_by_exit(block: &syn::Block, range: &Range<usize>) -> bool {
    let Some(i) = block.stmts.iter().position(|s| {
        let r = s.span().byte_range();
        r.start <= range.start && range.end <= r.end
    }) else {
        return false;
    };
    let exits = block.stmts[i + 1..].iter().any(|s| {
        matches!(s, syn::Stmt::Expr(Expr::Break(_) | Expr::Return(_), _))
            || matches!(s, syn::Stmt::Macro(m) if m.mac.path.is_ident("return"))
    });
    exits || nested_blocks(&block.stmts[i]).into_iter().any(|b| followed_by_exit(b, range))
}

/// Blocks directly inside a statement's `if`/`match`/block expression.
fn nested_blocks(stmt: &syn::Stmt) -> Vec<&syn::Block> {
    let syn::Stmt::Expr(expr, _) = stmt else { return Vec::new() };
    let mut blocks = Vec::new();
    let mut pending = vec![expr];
    while let Some(e) = pending.pop() {
        match e {
            Expr::Block(b) => blocks.push(&b.block),
            Expr::Unsafe(u) => blocks.push(&u.block),
            Expr::If(i) => {
                blocks.push(&i.then_branch);
                if let Some((_, else_branch)) = &i.else_branch {
                    pending.push(else_branch);
                }
            }
            Expr::Match(m) => pending.extend(m.arms.iter().map(|a| &*a.body)),
            _ => {}
        }
    }
    blocks
}

/// A quadratic rebuild of an accumulated string.
struct Finding {
    message: String,
    help: String,
    replacement: Option<String>,
}

impl Finding {
    /// The finding of a rebuild under a condition in the loop: it happens on
    /// some iterations, not on every one, and the message says so.
    fn conditional(mut self, conditional: bool) -> Self {
        if conditional {
            self.message = self.message.replace("on every iteration", "on each iteration that reaches it");
        }
        self
    }

    fn into_diagnostic(self, cx: &Cx<'_, '_>, span: proc_macro2::Span) -> Diagnostic {
        let mut d = cx.diagnostic(&META, span, self.message);
        d.help = Some(self.help);
        if let Some(replacement) = self.replacement {
            let edits = edits_with_fmt_write(cx.source(), cx.file_items, span, replacement);
            d.fix = Some(Fix { edits, applicability: Applicability::MaybeIncorrect });
        }
        d
    }
}

const QUADRATIC: &str = "quadratic in its final length";

fn is_add(b: &ExprBinary) -> bool {
    matches!(b.op, BinOp::Add(_))
}

/// `s = format!(..s..)`, `s = s.clone() + ..`, `s = .. + &s`, `s = [s, ..].concat()`.
/// `binding` is the target's binding when it is a local (for its declared type).
fn rebuild<'ast>(
    cx: &Cx<'_, 'ast>,
    target: &Place,
    binding: Option<&Binding<'_>>,
    assign: &'ast syn::ExprAssign,
) -> Option<Finding> {
    match strip_parens(&assign.right) {
        Expr::Macro(m) => rebuild_format(cx, target, cx.macro_call(&m.mac)),
        Expr::Binary(b) if is_add(b) => rebuild_add(cx, target, binding, b),
        Expr::MethodCall(m) if m.method == "concat" && m.args.is_empty() => {
            rebuild_concat(cx, target, binding, &m.receiver)
        }
        _ => None,
    }
}

fn rebuild_format(cx: &Cx<'_, '_>, target: &Place, call: &MacroCall<'_>) -> Option<Finding> {
    if call.kind != MacroKind::Format || call.name.as_deref() != Some("format") {
        return None;
    }
    let format = call.format.as_ref()?;
    let reads_target = |arg: &ArgRef| match arg {
        ArgRef::Index(i) => call.format_args().get(*i).and_then(Place::of_view).as_ref() == Some(target),
        ArgRef::Name(n) => match call.named.iter().find(|(name, _)| name == n) {
            Some((_, e)) => Place::of_view(e).as_ref() == Some(target),
            None => target.fields.is_empty() && target.root == n,
        },
    };
    let reads: Vec<bool> = format.placeholders().map(|p| reads_target(&p.arg)).collect();
    if !reads.contains(&true) {
        return None;
    }
    let t = target.text();
    let leads = matches!(format.pieces.first(), Some(Piece::Arg(p)) if reads_target(&p.arg))
        && reads.iter().filter(|r| **r).count() == 1;
    if !leads {
        return Some(Finding {
            message: format!("`{t} = format!(..)` rebuilds `{t}` around its old contents on every iteration: each copies all of `{t}`, {QUADRATIC}"),
            help: "collect the pieces into a `Vec` and `concat()` them once after the loop, in the order they should appear".to_owned(),
            replacement: None,
        });
    }
    let write = append_with_write(cx, &t, call, format);
    let help = match &write {
        Some(code) => format!("append in place with `{code}` (needs `use std::fmt::Write;`)"),
        None => format!("append to `{t}` in place with `write!({t}, ..)` (needs `use std::fmt::Write;`)"),
    };
    Some(Finding {
        message: format!(
            "`{t} = format!(..)` copies all of `{t}` into a new String on every iteration to append to it: {QUADRATIC}"
        ),
        help,
        replacement: write,
    })
}

/// `write!(t, <format without its leading placeholder>, <other args>).unwrap()`.
fn append_with_write(cx: &Cx<'_, '_>, t: &str, call: &MacroCall<'_>, format: &FormatString) -> Option<String> {
    let Some(Piece::Arg(first)) = format.pieces.first() else {
        return None;
    };
    if !first.spec.is_empty() {
        return None; // `{s:?}` or `{s:>8}` reformats the old text: not a plain append.
    }
    // Explicit indices and spec arguments would need renumbering: no concrete code then.
    let renumbering = format.placeholders().skip(1).any(|p| !p.implicit && matches!(p.arg, ArgRef::Index(_)))
        || format.placeholders().any(|p| !p.spec_args.is_empty());
    if renumbering || format.pieces.len() < 2 {
        return None;
    }
    let mut args: Vec<String> = call.format_args().iter().map(|a| cx.text(a).to_owned()).collect();
    let mut named: Vec<String> = call.named.iter().map(|(n, e)| format!("{n} = {}", cx.text(e))).collect();
    match &first.arg {
        ArgRef::Index(0) if first.implicit => {
            args.remove(0);
        }
        ArgRef::Name(n) => named.retain(|a| !a.starts_with(&format!("{n} ="))),
        _ => return None,
    }
    let mut code = format!("write!({t}, {}", format.render(&format.pieces[1..]));
    for arg in args.iter().chain(&named) {
        code.push_str(", ");
        code.push_str(arg);
    }
    code.push_str(").unwrap()");
    Some(code)
}

/// The operands of a left-associated `a + b + c` chain.
fn add_operands(b: &ExprBinary) -> Vec<&Expr> {
    let mut operands = vec![&*b.right];
    let mut left = &*b.left;
    while let Expr::Binary(inner) = strip_parens(left) {
        if !is_add(inner) {
            break;
        }
        operands.push(&inner.right);
        left = &inner.left;
    }
    operands.push(left);
    operands.reverse();
    operands
}

/// For `x.clone()`, `x.to_string()`, `x.to_owned()`, `String::from(x)`: `x`.
fn fresh_copy_of(expr: &Expr) -> Option<&Expr> {
    match strip_parens(expr) {
        Expr::MethodCall(m)
            if m.args.is_empty() && ["clone", "to_string", "to_owned"].iter().any(|n| m.method == n) =>
        {
            Some(&m.receiver)
        }
        e => match call_of(e) {
            Some((path, args)) if args.len() == 1 && path_is(path, &["String", "from"]) => Some(&args[0]),
            _ => None,
        },
    }
}

fn rebuild_add(cx: &Cx<'_, '_>, target: &Place, binding: Option<&Binding<'_>>, b: &ExprBinary) -> Option<Finding> {
    let operands = add_operands(b);
    let t = target.text();
    let string_certain = operands.iter().any(|o| is_str_literal(o)) || declared_string(binding);
    if !string_certain {
        return None;
    }
    let first = operands[0];
    if fresh_copy_of(first).and_then(Place::of_view).as_ref() == Some(target) {
        let method = match strip_parens(first) {
            Expr::MethodCall(m) => format!("{t}.{}()", m.method),
            _ => format!("String::from({t})"),
        };
        let pushes: Vec<String> = operands[1..].iter().map(|o| format!("{t}.push_str({})", cx.text(*o))).collect();
        let code = if pushes.len() == 1 { pushes[0].clone() } else { format!("{{ {}; }}", pushes.join("; ")) };
        return Some(Finding {
            message: format!(
                "`{t} = {method} + ..` copies all of `{t}` into a new String on every iteration: {QUADRATIC}"
            ),
            help: format!("append in place: `{code}`"),
            replacement: Some(code),
        });
    }
    if Place::of(first).as_ref() == Some(target) {
        // `s = s + &x` moves `s` and appends to its buffer: fine.
        return None;
    }
    if operands[1..].iter().any(|o| Place::of_view(o).as_ref() == Some(target)) {
        return Some(Finding {
            message: format!("`{t} = .. + &{t}` builds a new String holding all of `{t}` on every iteration: {QUADRATIC}"),
            help: "collect the pieces into a `Vec` and `concat()` them once after the loop, in the order they should appear".to_owned(),
            replacement: None,
        });
    }
    None
}

fn rebuild_concat(cx: &Cx<'_, '_>, target: &Place, binding: Option<&Binding<'_>>, receiver: &Expr) -> Option<Finding> {
    let elems: Vec<&Expr> = match strip_parens(receiver) {
        Expr::Array(a) => a.elems.iter().collect(),
        Expr::Reference(r) => match strip_parens(&r.expr) {
            Expr::Array(a) => a.elems.iter().collect(),
            _ => return None,
        },
        _ => return None,
    };
    let t = target.text();
    let position = elems.iter().position(|e| Place::of_view(e).as_ref() == Some(target))?;
    if position != 0 {
        return Some(Finding {
            message: format!("`{t} = [.., {t}].concat()` builds a new buffer holding all of `{t}` on every iteration: {QUADRATIC}"),
            help: "collect the pieces into a `Vec` and `concat()` them once after the loop, in the order they should appear".to_owned(),
            replacement: None,
        });
    }
    let append = if declared_string(binding) || elems.iter().any(|e| is_str_literal(e)) {
        "push_str"
    } else {
        "extend_from_slice"
    };
    // `[s, x].concat()` holds owned values: append a borrow of each.
    let owned = matches!(strip_parens(elems[0]), Expr::Path(_));
    let pushes: Vec<String> = elems[1..]
        .iter()
        .map(|e| {
            let borrowed = owned && !matches!(strip_parens(e), Expr::Reference(_) | Expr::Lit(_));
            format!("{t}.{append}({}{})", if borrowed { "&" } else { "" }, cx.text(*e))
        })
        .collect();
    let code = match pushes.len() {
        0 => return None,
        1 => pushes[0].clone(),
        _ => format!("{{ {}; }}", pushes.join("; ")),
    };
    Some(Finding {
        message: format!(
            "`{t} = [{t}, ..].concat()` copies all of `{t}` into a new buffer on every iteration: {QUADRATIC}"
        ),
        help: format!("append in place: `{code}`"),
        replacement: Some(code),
    })
}

/// `s.insert_str(0, x)` on an accumulated string.
fn insert_at_front(target: &Place, m: &syn::ExprMethodCall) -> Option<Finding> {
    if m.method != "insert_str" || m.args.len() != 2 || crate::syntax::paths::int_literal(&m.args[0]) != Some(0) {
        return None;
    }
    let t = target.text();
    Some(Finding {
        message: format!("`{t}.insert_str(0, ..)` shifts every byte already in `{t}` on every iteration: {QUADRATIC}"),
        help: "push the pieces into a `Vec` during the loop and build the string once after it: `pieces.into_iter().rev().collect::<String>()`".to_owned(),
        replacement: None,
    })
}

/// Whether a local is declared or built as a `String`.
fn declared_string(binding: Option<&Binding<'_>>) -> bool {
    let Some(binding) = binding else { return false };
    if let Some(ty) = binding.ty {
        return type_last_segment(ty).is_some_and(|s| s.ident == "String");
    }
    binding.init.is_some_and(builds_string)
}

/// `String::new()`, `String::from(..)`, `String::with_capacity(..)`, `format!(..)`, `x.to_string()`, `"..".to_owned()`.
fn builds_string(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Macro(m) => m.mac.path.is_ident("format"),
        Expr::MethodCall(m) => m.method == "to_string" || (m.method == "to_owned" && is_str_literal(&m.receiver)),
        e => call_of(e).is_some_and(|(path, _)| {
            ["new", "from", "with_capacity", "default"].iter().any(|f| path_is(path, &["String", f]))
        }),
    }
}

/// `a.clone() + ":" + &b` evaluated on every iteration.
fn fresh_chain<'ast>(
    cx: &Cx<'_, 'ast>,
    lp: &LoopInfo<'ast>,
    expr: &'ast Expr,
    b: &'ast ExprBinary,
) -> Option<Diagnostic> {
    // Report the whole chain once, at its outermost `+`.
    let mut child = expr;
    for ancestor in cx.ancestors() {
        match ancestor {
            Expr::Paren(_) => child = ancestor,
            Expr::Binary(parent) if is_add(parent) && std::ptr::eq(&*parent.left, child) => {
                return None;
            }
            Expr::Assign(parent) if rebuilds_accumulated(cx, lp, parent) => return None,
            _ => break,
        }
    }
    let operands = add_operands(b);
    if operands.len() < 3 || leaves_the_loop(cx, lp) {
        return None;
    }
    let first = operands[0];
    let starts_fresh = fresh_copy_of(first).is_some()
        || matches!(strip_parens(first), Expr::Macro(m) if m.mac.path.is_ident("format"));
    let string_certain = operands.iter().any(|o| is_str_literal(o))
        || matches!(strip_parens(first), Expr::MethodCall(m) if m.method == "to_string")
        || fresh_copy_of(first).is_some_and(is_str_literal)
        || call_of(first).is_some_and(|(p, _)| path_is(p, &["String", "from"]));
    if !starts_fresh || !string_certain {
        return None;
    }
    let appends = operands.len() - 1;
    let message = format!(
        "`{}` builds a new String on every iteration: 1 allocation plus up to {appends} reallocations as it grows",
        cx.text(expr)
    );
    let mut d = cx.diagnostic(&META, expr.span(), message);
    let help = match format_of_chain(cx, &operands) {
        Some(code) => format!("build it with one allocation: `{code}`, or reuse one buffer across iterations (`buf.clear()` then `write!(buf, ..)`)"),
        None => "build it with one `format!(..)`, or reuse one buffer across iterations (`buf.clear()` then `write!(buf, ..)`)".to_owned(),
    };
    d.help = Some(help);
    Some(d)
}

/// Whether `a` is a rebuild this rule reports in its own right.
fn rebuilds_accumulated<'ast>(cx: &Cx<'_, 'ast>, lp: &LoopInfo<'_>, a: &'ast syn::ExprAssign) -> bool {
    let Some(place) = Place::of(&a.left) else { return false };
    let Some((_, binding)) = cx.resolve(&place.root) else { return false };
    binding.order < lp.start && rebuild(cx, &place, place.fields.is_empty().then_some(binding), a).is_some()
}

/// Whether `expr` is the value of a `return` or `break`: it runs once, not per iteration.
fn leaves_the_loop(cx: &Cx<'_, '_>, lp: &LoopInfo<'_>) -> bool {
    cx.ancestors().take_while(|e| !std::ptr::eq(*e, lp.expr)).any(|e| matches!(e, Expr::Return(_) | Expr::Break(_)))
}

/// `format!("{a}:{b}")` for `a.clone() + ":" + &b`.
fn format_of_chain(cx: &Cx<'_, '_>, operands: &[&Expr]) -> Option<String> {
    let mut template = String::new();
    let mut args = Vec::new();
    for (i, operand) in operands.iter().enumerate() {
        let value = if i == 0 { fresh_copy_of(operand)? } else { strip_parens(operand) };
        if let Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = value {
            // Re-escape the literal's value: its source may hold `\u{..}` escapes.
            let escaped = s.value().escape_debug().to_string();
            template.push_str(&escaped.replace('{', "{{").replace('}', "}}"));
            continue;
        }
        let value = match value {
            Expr::Reference(r) => strip_parens(&r.expr),
            Expr::MethodCall(m) if m.method == "as_str" && m.args.is_empty() => strip_parens(&m.receiver),
            v => v,
        };
        // Raw identifiers (`r#type`) cannot be captured by a format string.
        match as_ident(value).filter(|i| !i.to_string().starts_with("r#")) {
            Some(ident) => {
                let _ = write!(template, "{{{ident}}}");
            }
            None => {
                template.push_str("{}");
                args.push(cx.text(value).to_owned());
            }
        }
    }
    let mut code = format!("format!(\"{template}\"");
    for arg in args {
        code.push_str(", ");
        code.push_str(&arg);
    }
    code.push(')');
    Some(code)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, replacement};

    const RULE: &str = "string_concat_in_loop";

    /// boon 0.6.1 `validator.rs:885`: prepends under a branch happen on
    /// some iterations, and the message says so.
    #[test]
    fn a_conditional_rebuild_is_not_said_to_happen_every_iteration() {
        let found = check(
            RULE,
            "fn kw_loc(mut scope: &Scope) -> String {\n    let mut loc = String::new();\n    while let Some(parent) = scope.parent {\n        if let Some(kw) = scope.kw {\n            loc.insert_str(0, kw); //~\n        }\n        scope = parent;\n    }\n    loc\n}\n",
        );
        assert_eq!(
            found[0].message,
            "`loc.insert_str(0, ..)` shifts every byte already in `loc` on each iteration that reaches it: quadratic in its final length"
        );
    }

    #[test]
    fn format_of_itself() {
        let found = check(
            RULE,
            r#"
fn f(items: &[Item], out: &mut String) -> String {
    let mut s = String::new();
    for it in items {
        s = format!("{s}{}, ", it.name); //~
        *out = format!("{}{}", out, it.id); //~
        s = format!("<{}>{s}", it.id); //~
    }
    s
}
"#,
        );
        assert!(found[0].message.contains("copies all of `s`"), "{}", found[0].message);
        assert_eq!(replacement(&found[0]), r#"write!(s, "{}, ", it.name).unwrap()"#);
        assert_eq!(found[0].span.column, 9);
        assert_eq!(replacement(&found[1]), r#"write!(out, "{}", it.id).unwrap()"#);
        assert!(found[2].message.contains("around its old contents"), "{}", found[2].message);
        assert!(found[2].fix.is_none());
    }

    #[test]
    fn clone_plus_and_prepend() {
        let found = check(
            RULE,
            r#"
fn f(names: &[String]) -> String {
    let mut acc = String::new();
    let mut rev = String::new();
    for n in names {
        acc = acc.clone() + n + ","; //~
        rev = n.to_string() + " " + &rev; //~
    }
    acc
}
"#,
        );
        assert_eq!(replacement(&found[0]), r#"{ acc.push_str(n); acc.push_str(","); }"#);
        assert!(found[1].message.contains("`rev = .. + &rev`"), "{}", found[1].message);
    }

    #[test]
    fn concat_and_insert_str() {
        let found = check(
            RULE,
            r#"
fn f(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts {
        s = [s.as_str(), p].concat(); //~
    }
    let mut path = String::new();
    for p in parts {
        path.insert_str(0, p); //~
    }
    s + &path
}
"#,
        );
        assert_eq!(replacement(&found[0]), "s.push_str(p)");
    }

    #[test]
    fn fresh_plus_chain_each_iteration() {
        let found = check(
            RULE,
            r#"
fn f(pairs: &[(String, String)]) {
    for (k, v) in pairs {
        let line = k.clone() + ": " + v; //~
        emit(&line);
        emit(&(k.to_string() + "=" + &v + ";")); //~
    }
}
"#,
        );
        assert!(found[0].message.contains("up to 2 reallocations"), "{}", found[0].message);
        assert!(found[0].help.as_deref().unwrap().contains(r#"format!("{k}: {v}")"#), "{:?}", found[0].help);
        assert!(found[1].help.as_deref().unwrap().contains(r#"format!("{k}={v};")"#), "{:?}", found[1].help);
    }

    #[test]
    fn appending_in_place_is_fine() {
        check_clean(
            RULE,
            r#"
use std::fmt::Write;
fn f(items: &[String]) -> String {
    let mut s = String::new();
    for x in items {
        s += x;
        s += &format!("{x}");
        s = s + x;
        s.push_str(x);
        write!(s, "{x}").unwrap();
        s.insert(0, 'c');
    }
    s
}
"#,
        );
    }

    #[test]
    fn outside_loops_or_fresh_per_iteration() {
        check_clean(
            RULE,
            r#"
fn f(items: &[String], a: String, b: &str) -> String {
    let mut s = format!("{a}{b}");
    s = format!("{s}!");
    let t = a.clone() + ":" + b;
    for x in items {
        let mut line = String::new();
        line = format!("{line}{x}");
        let y = format!("{x}:{}", x.len());
        let mut v = x.clone();
        v.insert_str(0, ">");
        items.iter().for_each(|i| s = format!("{s}{i}"));
    }
    s + &t
}
"#,
        );
    }

    #[test]
    fn not_certainly_strings() {
        check_clean(
            RULE,
            r#"
fn f(xs: &[BigUint], v: &Vector) {
    let mut total = BigUint::zero();
    let mut p = Vector::default();
    for x in xs {
        total = total.clone() + x;
        p = p.clone() + v + v;
        let sum = x.clone() + x + x;
    }
}
"#,
        );
    }

    #[test]
    fn other_targets_and_named_args() {
        check(
            RULE,
            r#"
struct Log { text: String }
impl Log {
    fn add(&mut self, lines: &[&str]) {
        for l in lines {
            self.text = format!("{}{l}\n", self.text); //~
            self.text = format!("{text}{l}", text = self.text); //~
        }
    }
}
"#,
        );
    }

    #[test]
    fn strings_reset_every_iteration_do_not_accumulate() {
        check_clean(
            RULE,
            r#"
fn f(lines: &[&str], names: &[String], words: &[&str], flag: bool) -> Vec<String> {
    let mut line = String::new();
    let mut out = Vec::new();
    for l in lines {
        line.clear();
        line.push_str(l);
        line.insert_str(0, "> ");
        out.push(line.clone());
    }
    let mut label = String::new();
    for n in names {
        label = n.clone();
        if flag { label = format!("{label} (!)"); }
        out.push(label.clone());
    }
    let mut cur = String::new();
    for w in words {
        cur = format!("{cur}{w}");
        out.push(std::mem::take(&mut cur));
    }
    let mut s = String::new();
    for w in words {
        s = format!("{s}{w}");
        break;
    }
    out
}
"#,
        );
    }

    #[test]
    fn runs_once_and_fix_details() {
        let found = check(
            RULE,
            r#"
fn f(lines: &[&str], xs: &[String], path: &str, r#type: &str) -> Result<String, String> {
    let mut s = String::new();
    let mut b = String::new();
    for (i, l) in lines.iter().enumerate() {
        if l.is_empty() {
            return Err(path.to_string() + ":" + &(i + 1).to_string() + ": empty line");
        }
        s = format!("{s:?}, {l}"); //~
        b = [b, l.to_uppercase()].concat(); //~
        let arrow = l.to_string() + "\u{2192}" + &r#type; //~
    }
    Ok(s)
}
"#,
        );
        assert!(found[0].fix.is_none(), "a reformatting placeholder is not an append");
        assert_eq!(replacement(&found[1]), "b.push_str(&l.to_uppercase())");
        assert!(found[2].help.as_deref().unwrap().contains(r#"format!("{l}→{}", r#type)"#), "{:?}", found[2].help);
    }
}
