//! A collection held in a field (`self.items`, `out.lines`) grown by one
//! unconditional statement per iteration of a `for` loop of known length,
//! with nothing else in the loop touching the field or its owner: the loop
//! knows how much room it needs, and `reserve` before it makes that room
//! in one allocation. The field form of [`super::fill_loop`].
//!
//! A field is often a buffer reused across calls that already has room;
//! a field emptied with `clear()`/`truncate(..)` in the function before
//! the loop is such a buffer, and is left alone, as is one given room
//! (`reserve`, an assignment of anything but an empty `new()`).

use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, Member};

use crate::analysis::trip_count::{TripCount, trip_count};
use crate::semantic::ty::Ty;
use crate::syntax::paths::{as_ident, strip_parens};
use crate::walk::{FnCx, LoopInfo, LoopKind};

/// A field filled once (or `per_iteration` times) per iteration of a loop.
#[derive(Debug)]
pub struct FieldFill<'f, 'ast> {
    /// The loop.
    pub lp: &'f LoopInfo<'ast>,
    /// The owner's name (`self`, `out`).
    pub root: String,
    /// The field's name.
    pub field: String,
    /// The field expression (`self.items`), whose type the rule checks.
    pub place: &'ast Expr,
    /// The growth calls, in order.
    pub grows: Vec<&'ast syn::ExprMethodCall>,
    /// How many times the loop runs.
    pub trips: TripCount,
}

/// Every field of the function grown by `method` (`push`, `insert`) with
/// `args` arguments once or more per iteration of a `for` loop, by
/// statements of the loop's own block, and mentioned nowhere else in the
/// loop (nor is its owner, but through other fields).
pub fn field_fills<'f, 'ast>(fx: &'f FnCx<'_, '_, 'ast>, method: &str, args: usize) -> Vec<FieldFill<'f, 'ast>> {
    let mut out = Vec::new();
    for lp in &fx.facts.loops {
        let Expr::ForLoop(for_loop) = lp.expr else { continue };
        if lp.kind != LoopKind::For || lp.exits.any() {
            continue;
        }
        let mut mentions = Mentions::default();
        mentions.visit_block(&for_loop.body);
        for (root, field, place, grows) in direct_growths(&for_loop.body, method, args) {
            let others = mentions
                .of(&root)
                .filter(|m| match m {
                    Mention::Field(f, p) => *f == field && !grows_through(&grows, p),
                    Mention::Whole => true,
                })
                .count();
            // The owner must be there before the loop, and the same one throughout.
            let bindings = || fx.facts.bindings.iter().filter(|b| b.name == root);
            let outside = root == "self" || bindings().any(|b| b.order < lp.start);
            if others > 0
                || !outside
                || bindings().any(|b| lp.contains(b.order))
                || mentions.opaque.contains(&root)
                || sized_before(fx, lp, &root, &field)
            {
                continue;
            }
            let Some(trips) = lp.head.and_then(|head| trip_count(fx, head)) else { continue };
            out.push(FieldFill { lp, root, field, place, grows, trips });
        }
    }
    out
}

/// Whether the std collection type `ty` (through references) is one of `names`.
pub fn is_std_collection(ty: &Ty, names: &[&str]) -> bool {
    ty.peel_refs().std_name().is_some_and(|n| names.contains(&n))
}

/// `root.field.method(..)` statements of the loop's block, by field.
#[allow(clippy::type_complexity)]
fn direct_growths<'ast>(
    body: &'ast syn::Block,
    method: &str,
    args: usize,
) -> Vec<(String, String, &'ast Expr, Vec<&'ast syn::ExprMethodCall>)> {
    let mut found: Vec<(String, String, &'ast Expr, Vec<&'ast syn::ExprMethodCall>)> = Vec::new();
    for stmt in &body.stmts {
        let syn::Stmt::Expr(Expr::MethodCall(call), Some(_)) = stmt else { continue };
        if call.method != method || call.args.len() != args {
            continue;
        }
        let Some((root, field)) = field_of(&call.receiver) else { continue };
        match found.iter_mut().find(|(r, f, ..)| *r == root && *f == field) {
            Some((.., grows)) => grows.push(call),
            None => found.push((root, field, &call.receiver, vec![call])),
        }
    }
    found
}

/// `root.field` with `root` a plain name.
fn field_of(expr: &Expr) -> Option<(String, String)> {
    let Expr::Field(f) = strip_parens(expr) else { return None };
    let Member::Named(field) = &f.member else { return None };
    Some((as_ident(&f.base)?.to_string(), field.to_string()))
}

/// Whether a mention of the field at `place` is the receiver of one of the growth calls.
fn grows_through(grows: &[&syn::ExprMethodCall], place: &Expr) -> bool {
    grows.iter().any(|g| std::ptr::eq(&*g.receiver, place))
}

/// Whether, in the function before the loop, `root.field` is emptied
/// (`clear`, `truncate`, `drain`: a buffer reused across calls), given room
/// (`reserve`, `reserve_exact`), or assigned anything but an empty `X::new()`.
fn sized_before(fx: &FnCx<'_, '_, '_>, lp: &LoopInfo<'_>, root: &str, field: &str) -> bool {
    struct Finder<'a> {
        root: &'a str,
        field: &'a str,
        before: usize,
        found: bool,
    }
    impl Finder<'_> {
        fn is_field(&self, expr: &Expr) -> bool {
            expr.span().byte_range().end <= self.before
                && field_of(expr).is_some_and(|(r, f)| r == self.root && f == self.field)
        }
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            let method = call.method.to_string();
            let sizes = matches!(method.as_str(), "clear" | "truncate" | "drain" | "reserve" | "reserve_exact");
            if sizes && self.is_field(&call.receiver) {
                self.found = true;
            }
            syn::visit::visit_expr_method_call(self, call);
        }

        fn visit_expr_assign(&mut self, assign: &'ast syn::ExprAssign) {
            let empty_new = matches!(strip_parens(&assign.right), Expr::Call(c)
                if c.args.is_empty()
                    && matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "new")));
            if !empty_new && self.is_field(&assign.left) {
                self.found = true;
            }
            syn::visit::visit_expr_assign(self, assign);
        }
    }
    let Some(block) = fx.facts.block else { return true };
    let mut finder = Finder { root, field, before: lp.expr.span().byte_range().start, found: false };
    finder.visit_block(block);
    finder.found
}

/// How the loop's body mentions a name.
#[derive(Debug)]
enum Mention<'ast> {
    /// `name.field`, at this expression.
    Field(String, &'ast Expr),
    /// The name alone: passed, called on, borrowed whole.
    Whole,
}

/// Every mention of every name in the loop's body; names inside macros
/// memlint can't read are `opaque`.
#[derive(Debug, Default)]
struct Mentions<'ast> {
    found: Vec<(String, Mention<'ast>)>,
    opaque: Vec<String>,
}

impl<'ast> Mentions<'ast> {
    fn of<'m>(&'m self, name: &'m str) -> impl Iterator<Item = &'m Mention<'ast>> + 'm {
        self.found.iter().filter(move |(n, _)| n == name).map(|(_, m)| m)
    }
}

impl<'ast> Visit<'ast> for Mentions<'ast> {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        match expr {
            Expr::Field(f) if as_ident(&f.base).is_some() => {
                let root = as_ident(&f.base).map(ToString::to_string).unwrap_or_default();
                let field = match &f.member {
                    Member::Named(n) => n.to_string(),
                    Member::Unnamed(i) => i.index.to_string(),
                };
                self.found.push((root, Mention::Field(field, expr)));
            }
            Expr::Path(p) if p.path.get_ident().is_some() => {
                let name = p.path.get_ident().map(ToString::to_string).unwrap_or_default();
                self.found.push((name, Mention::Whole));
            }
            _ => syn::visit::visit_expr(self, expr),
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        for token in mac.tokens.clone() {
            collect_idents(token, &mut self.opaque);
        }
    }

    // A nested item's code is not the loop's.
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

fn collect_idents(token: proc_macro2::TokenTree, out: &mut Vec<String>) {
    match token {
        proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
        proc_macro2::TokenTree::Group(g) => g.stream().into_iter().for_each(|t| collect_idents(t, out)),
        _ => {}
    }
}
