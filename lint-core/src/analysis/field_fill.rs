//! A collection held in a field, created empty (`self.items = Vec::new();`,
//! `let mut out = Out { lines: Vec::new(), .. };`) and then grown by one
//! unconditional statement per iteration of the next `for` loop of known
//! length: the field form of [`super::fill_loop`], reported the same way
//! (the empty constructor is what the fix gives a capacity).
//!
//! Only a field the function itself creates empty is reported. A field
//! filled in a method without that is often a buffer reused across calls,
//! or one its constructor gave room: whether it has room is not in the
//! function (tried on 900 crates: such findings were true but not worth
//! changing, or wrong where a constructor had reserved).

use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, Member, Stmt};

use super::fill_loop::{FillLoop, Filled};
use crate::analysis::trip_count::trip_count;
use crate::syntax::macros::mentions;
use crate::syntax::paths::{as_ident, strip_parens};
use crate::walk::FnCx;

/// A field created empty and filled once (or more) per iteration of a loop.
#[derive(Debug)]
pub struct FieldFill<'f, 'ast> {
    /// The loop, the spans of its growth calls and its count.
    pub fill: FillLoop<'f, 'ast>,
    /// How the code names the field: `self.items`.
    pub name: String,
    /// The empty constructor it is created with (`Vec::new()`).
    pub ctor: &'ast Expr,
}

impl FieldFill<'_, '_> {
    /// How many growth calls each iteration makes.
    pub fn per_iteration(&self) -> u64 {
        self.fill.grow_spans.len() as u64
    }

    /// The field as a capacity finding names it, created at its constructor.
    pub fn filled(&self) -> Filled<'_> {
        Filled { name: &self.name, created_at: self.ctor.span().byte_range().start }
    }
}

/// Every field the function creates empty and then grows by `method`
/// (`push`) with `args` arguments, by statements of the block of the next
/// `for` loop of the same block, with the field's owner mentioned nowhere
/// from its creation to the loop's end but through other fields.
pub fn field_fills<'f, 'ast>(fx: &'f FnCx<'_, '_, 'ast>, method: &str, args: usize) -> Vec<FieldFill<'f, 'ast>> {
    let mut out = Vec::new();
    let Some(block) = fx.facts.block else { return out };
    // Most loops grow no field: the function's blocks are read only for one that does.
    let blocks = std::cell::OnceCell::new();
    for lp in &fx.facts.loops {
        let Expr::ForLoop(for_loop) = lp.expr else { continue };
        if lp.exits.any() {
            continue;
        }
        let growths = direct_growths(&for_loop.body, method, args);
        if growths.is_empty() {
            continue;
        }
        let blocks = blocks.get_or_init(|| {
            let mut blocks = Blocks::default();
            blocks.visit_block(block);
            blocks
        });
        // The statements before the loop in its block.
        let Some(before) = blocks.before(lp.expr) else { continue };
        for (root, field, grows) in growths {
            let Some((at, ctor)) =
                before.iter().enumerate().rev().find_map(|(i, s)| creation(s, &root, &field).map(|c| (i, c)))
            else {
                continue;
            };
            // Between the creation and the loop's end, the owner is
            // mentioned only through other fields, but for the growths.
            let mut mentions = Mentions::default();
            before[at + 1..].iter().for_each(|s| mentions.visit_stmt(s));
            mentions.visit_block(&for_loop.body);
            if let Some(head) = lp.head {
                mentions.visit_expr(head);
            }
            let touched = mentions.found.iter().any(|(name, m)| {
                *name == root
                    && match m {
                        Mention::Field(f, place) => {
                            *f == field && !grows.iter().any(|g| std::ptr::eq(&*g.receiver, *place))
                        }
                        Mention::Whole => true,
                    }
            });
            if touched || mentions.macros.iter().any(|m| self::mentions(&m.tokens, &root)) {
                continue;
            }
            let Some(trips) = lp.head.and_then(|head| trip_count(fx, head)) else { continue };
            let grow_spans = grows.iter().map(|g| g.span()).collect();
            out.push(FieldFill {
                fill: FillLoop { lp, grows: Vec::new(), grow_spans, trips },
                name: format!("{root}.{field}"),
                ctor,
            });
        }
    }
    out
}

/// `root.field.method(..);` statements of the loop's block, by field.
fn direct_growths<'ast>(
    body: &'ast syn::Block,
    method: &str,
    args: usize,
) -> Vec<(String, String, Vec<&'ast syn::ExprMethodCall>)> {
    let mut found: Vec<(String, String, Vec<&'ast syn::ExprMethodCall>)> = Vec::new();
    for stmt in &body.stmts {
        let Stmt::Expr(Expr::MethodCall(call), Some(_)) = stmt else { continue };
        if call.method != method || call.args.len() != args {
            continue;
        }
        let Some((root, field)) = field_of(&call.receiver) else { continue };
        match found.iter_mut().find(|(r, f, _)| *r == root && *f == field) {
            Some((.., grows)) => grows.push(call),
            None => found.push((root, field, vec![call])),
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

/// The value `root.field` is created with by `stmt`: `root.field = value;`,
/// or `let root = Type { field: value, .. };`.
fn creation<'ast>(stmt: &'ast Stmt, root: &str, field: &str) -> Option<&'ast Expr> {
    match stmt {
        Stmt::Expr(Expr::Assign(a), Some(_)) => {
            field_of(&a.left).filter(|(r, f)| r == root && f == field).map(|_| &*a.right)
        }
        Stmt::Local(local) => {
            let syn::Pat::Ident(p) = &local.pat else { return None };
            if p.ident != root {
                return None;
            }
            let Expr::Struct(s) = strip_parens(&local.init.as_ref()?.expr) else { return None };
            s.fields.iter().find(|f| matches!(&f.member, Member::Named(n) if n == field)).map(|f| &f.expr)
        }
        _ => None,
    }
}

/// The blocks of the function, to find the statements before a loop.
#[derive(Default)]
struct Blocks<'ast> {
    blocks: Vec<&'ast syn::Block>,
}

impl<'ast> Blocks<'ast> {
    /// The statements before `expr` in the block it is a statement of.
    fn before(&self, expr: &Expr) -> Option<&'ast [Stmt]> {
        self.blocks.iter().find_map(|b| {
            let i = b.stmts.iter().position(|s| matches!(s, Stmt::Expr(e, _) if std::ptr::eq(e, expr)))?;
            Some(&b.stmts[..i])
        })
    }
}

impl<'ast> Visit<'ast> for Blocks<'ast> {
    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.blocks.push(block);
        syn::visit::visit_block(self, block);
    }

    // A nested item's code is not the function's.
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// How code mentions a name.
#[derive(Debug)]
enum Mention<'ast> {
    /// `name.field`, at this expression.
    Field(String, &'ast Expr),
    /// The name alone: passed, called on, borrowed whole.
    Whole,
}

/// Every mention of every name in some code, and the macro calls whose
/// tokens memlint can't read as code.
#[derive(Debug, Default)]
struct Mentions<'ast> {
    found: Vec<(String, Mention<'ast>)>,
    macros: Vec<&'ast syn::Macro>,
}

impl<'ast> Visit<'ast> for Mentions<'ast> {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        match expr {
            Expr::Field(f) if let Some(root) = as_ident(&f.base) => {
                let field = match &f.member {
                    Member::Named(n) => n.to_string(),
                    Member::Unnamed(i) => i.index.to_string(),
                };
                self.found.push((root.to_string(), Mention::Field(field, expr)));
            }
            Expr::Path(p) if let Some(name) = p.path.get_ident() => {
                self.found.push((name.to_string(), Mention::Whole));
            }
            _ => syn::visit::visit_expr(self, expr),
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.macros.push(mac);
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}
