//! The values of integer constants a function names: `const N: usize = 3;`
//! in the function's body or among the file's items (its module and inline
//! modules), so that `for _ in 0..N` has a known count. Constants of other
//! files are not seen (that needs the crate's module tree and imports).

use syn::{BinOp, Expr, Item};

use crate::syntax::paths::{as_ident, int_literal, strip_parens};
use crate::walk::FnCx;

/// How deep constants may refer to other constants.
const MAX_DEPTH: u32 = 8;

/// The value of `expr` when it is an integer literal, a constant of the
/// function or the file with such a value, or `+`, `-`, `*`, `/`, `<<` and
/// casts of those. `None` when unknown, or when the name is ambiguous (two
/// constants of that name in the file, or one the file also imports).
pub fn const_int(fx: &FnCx<'_, '_, '_>, expr: &Expr) -> Option<u64> {
    value(fx, expr, 0)
}

fn value(fx: &FnCx<'_, '_, '_>, expr: &Expr, depth: u32) -> Option<u64> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(n) = int_literal(expr) {
        return Some(n);
    }
    match strip_parens(expr) {
        Expr::Cast(c) => value(fx, &c.expr, depth + 1),
        Expr::Binary(b) => {
            let (l, r) = (value(fx, &b.left, depth + 1)?, value(fx, &b.right, depth + 1)?);
            match b.op {
                BinOp::Add(_) => l.checked_add(r),
                BinOp::Sub(_) => l.checked_sub(r),
                BinOp::Mul(_) => l.checked_mul(r),
                BinOp::Div(_) => l.checked_div(r),
                BinOp::Shl(_) => u32::try_from(r).ok().and_then(|r| l.checked_shl(r)),
                _ => None,
            }
        }
        e => {
            let name = as_ident(e)?;
            // A local binding of that name hides the constant.
            if fx.facts.use_at(name).is_some() {
                return None;
            }
            let found = definition(fx, &name.to_string())?;
            value(fx, &found.expr, depth + 1)
        }
    }
}

/// The one constant named `name` of the function's body or, if it has
/// none, of the file.
fn definition<'ast>(fx: &FnCx<'_, '_, 'ast>, name: &str) -> Option<&'ast syn::ItemConst> {
    let mut local = Vec::new();
    if let Some(block) = fx.facts.block {
        consts_in_block(block, name, &mut local);
    }
    if let [one] = local.as_slice() {
        return Some(one);
    }
    if !local.is_empty() {
        return None;
    }
    let mut found = Vec::new();
    consts_in_items(fx.cx.file_items, name, &mut found);
    match found.as_slice() {
        [one] if !imports(fx.cx.file_items, name) => Some(one),
        _ => None,
    }
}

fn consts_in_block<'ast>(block: &'ast syn::Block, name: &str, out: &mut Vec<&'ast syn::ItemConst>) {
    struct Finder<'n, 'ast> {
        name: &'n str,
        out: &'n mut Vec<&'ast syn::ItemConst>,
    }
    impl<'ast> syn::visit::Visit<'ast> for Finder<'_, 'ast> {
        fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
            if c.ident == self.name {
                self.out.push(c);
            }
        }
        // Functions and closures nested in the body have their own scopes,
        // but a constant there is not visible here: don't look inside.
        fn visit_item_fn(&mut self, _: &'ast syn::ItemFn) {}
        fn visit_item_impl(&mut self, _: &'ast syn::ItemImpl) {}
        fn visit_item_mod(&mut self, _: &'ast syn::ItemMod) {}
    }
    syn::visit::Visit::visit_block(&mut Finder { name, out }, block);
}

fn consts_in_items<'ast>(items: &'ast [Item], name: &str, out: &mut Vec<&'ast syn::ItemConst>) {
    for item in items {
        match item {
            Item::Const(c) if c.ident == name => out.push(c),
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    consts_in_items(items, name, out);
                }
            }
            _ => {}
        }
    }
}

/// Whether a `use` of the file (any module) brings in something called `name`.
fn imports(items: &[Item], name: &str) -> bool {
    fn in_tree(tree: &syn::UseTree, name: &str) -> bool {
        match tree {
            syn::UseTree::Path(p) => in_tree(&p.tree, name),
            syn::UseTree::Name(n) => n.ident == name,
            syn::UseTree::Rename(r) => r.rename == name,
            syn::UseTree::Glob(_) => false,
            syn::UseTree::Group(g) => g.items.iter().any(|t| in_tree(t, name)),
        }
    }
    items.iter().any(|item| match item {
        Item::Use(u) => in_tree(&u.tree, name),
        Item::Mod(m) => m.content.as_ref().is_some_and(|(_, items)| imports(items, name)),
        _ => false,
    })
}
