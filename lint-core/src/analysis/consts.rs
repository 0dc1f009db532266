//! The values of integer constants a function names: `const N: usize = 3;`
//! in the function's body or among the file's items (its module and inline
//! modules), so that `for _ in 0..N` has a known count.
//!
//! Constants of other files are decided in the crate phase: the file phase
//! records the constants of its modules ([`module_consts`]), and a name it
//! can't resolve but that is certainly the crate's ([`crate_const`]: a
//! `use crate::..` import, a `consts::N` path into the crate) waits for
//! them ([`CrateConsts`]). Names are matched by their last segment: the
//! module tree of `use` paths is not followed, so a name with two values in
//! the crate stays unknown.

use std::collections::HashMap;

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
    let lookup = |name: &syn::Ident| {
        // A local binding of that name hides the constant.
        if fx.facts.use_at(name).is_some() {
            return None;
        }
        definition(fx, &name.to_string()).map(|c| &*c.expr)
    };
    value(expr, 0, &lookup)
}

/// The value of `expr`, looking names up with `lookup`.
fn value<'e>(expr: &'e Expr, depth: u32, lookup: &dyn Fn(&syn::Ident) -> Option<&'e Expr>) -> Option<u64> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(n) = int_literal(expr) {
        return Some(n);
    }
    match strip_parens(expr) {
        Expr::Cast(c) => value(&c.expr, depth + 1, lookup),
        Expr::Binary(b) => {
            let (l, r) = (value(&b.left, depth + 1, lookup)?, value(&b.right, depth + 1, lookup)?);
            match b.op {
                BinOp::Add(_) => l.checked_add(r),
                BinOp::Sub(_) => l.checked_sub(r),
                BinOp::Mul(_) => l.checked_mul(r),
                BinOp::Div(_) => l.checked_div(r),
                BinOp::Shl(_) => u32::try_from(r).ok().and_then(|r| l.checked_shl(r)),
                _ => None,
            }
        }
        e => value(lookup(as_ident(e)?)?, depth + 1, lookup),
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
    file_definition(fx.cx.file_items, name)
}

/// The one constant named `name` of the file's modules, unless the file
/// also imports something of that name.
fn file_definition<'ast>(items: &'ast [Item], name: &str) -> Option<&'ast syn::ItemConst> {
    let mut found = Vec::new();
    consts_in_items(items, name, &mut found);
    match found.as_slice() {
        [one] if !imports(items, name) => Some(one),
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
    let mut found = false;
    each_import(items, &mut |_, visible, _| found |= visible == name);
    found
}

/// Calls `f(first segment, visible name, original name)` for every name a
/// `use` of the file (any module) brings in; globs bring in no name.
fn each_import(items: &[Item], f: &mut dyn FnMut(&str, &str, &str)) {
    fn in_tree(tree: &syn::UseTree, first: Option<&str>, last: Option<&str>, f: &mut dyn FnMut(&str, &str, &str)) {
        match tree {
            syn::UseTree::Path(p) => {
                let segment = p.ident.to_string();
                in_tree(&p.tree, Some(first.unwrap_or(&segment)), Some(&segment), f);
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                // `use crate::consts::{self};` brings in `consts`.
                let name = if name == "self" { last.unwrap_or_default().to_owned() } else { name };
                f(first.unwrap_or(&name), &name, &name);
            }
            syn::UseTree::Rename(r) => {
                let original = r.ident.to_string();
                let original = if original == "self" { last.unwrap_or_default().to_owned() } else { original };
                f(first.unwrap_or(&original), &r.rename.to_string(), &original);
            }
            syn::UseTree::Glob(_) => {}
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| in_tree(t, first, last, f)),
        }
    }
    for item in items {
        match item {
            Item::Use(u) => in_tree(&u.tree, None, None, f),
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    each_import(items, f);
                }
            }
            _ => {}
        }
    }
}

/// An integer constant of a file's modules (also inline ones), recorded in
/// the file phase for the crate phase. A constant of a function body is
/// not visible outside it and is not recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConstDef {
    /// Its name.
    pub name: String,
    /// Its value, when the file alone gives it. `None` also for statics and
    /// associated constants: they may be what a path of that name means
    /// (`Limits::N`), so they make the name unknown.
    pub value: Option<u64>,
}

/// The constants (and statics, associated constants) of the file's modules.
pub fn module_consts(items: &[Item]) -> Vec<ConstDef> {
    fn collect(all: &[Item], items: &[Item], out: &mut Vec<ConstDef>) {
        let unknown = |ident: &syn::Ident| ConstDef { name: ident.to_string(), value: None };
        for item in items {
            match item {
                Item::Const(c) => {
                    let lookup = |name: &syn::Ident| file_definition(all, &name.to_string()).map(|c| &*c.expr);
                    out.push(ConstDef { name: c.ident.to_string(), value: value(&c.expr, 0, &lookup) });
                }
                Item::Static(s) => out.push(unknown(&s.ident)),
                Item::Impl(i) => out.extend(i.items.iter().filter_map(|item| match item {
                    syn::ImplItem::Const(c) => Some(unknown(&c.ident)),
                    _ => None,
                })),
                Item::Trait(t) => out.extend(t.items.iter().filter_map(|item| match item {
                    syn::TraitItem::Const(c) => Some(unknown(&c.ident)),
                    _ => None,
                })),
                Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        collect(all, items, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    collect(items, items, &mut out);
    out
}

/// The crate's constants by name, from every file's [`module_consts`].
#[derive(Debug, Default)]
pub struct CrateConsts {
    /// The value of each name; `None` when unknown or when the crate has
    /// several of that name with different values.
    values: HashMap<String, Option<u64>>,
}

impl CrateConsts {
    /// Gathers the constants of the crate's files.
    pub fn new(defs: impl IntoIterator<Item = ConstDef>) -> Self {
        let mut values = HashMap::new();
        for def in defs {
            values
                .entry(def.name)
                .and_modify(|known: &mut Option<u64>| {
                    if *known != def.value {
                        *known = None;
                    }
                })
                .or_insert(def.value);
        }
        CrateConsts { values }
    }

    /// The value of the constant named `name`, when the crate has exactly
    /// one value of that name.
    pub fn value(&self, name: &str) -> Option<u64> {
        self.values.get(name).copied().flatten()
    }
}

/// The name of the crate constant that `expr` (through casts) names, when
/// the file can't resolve it but it certainly is one of its crate: a plain
/// name that no binding or constant of the function or file defines and
/// that a `use` imports from the crate (`use crate::a::N;`, `use
/// super::N as M;`: its original name), or a path that starts in the crate
/// (`crate::a::N`, `self::N`, `super::N`, `consts::N` with `consts` a
/// module the file declares or imports from the crate). Not `Self::N`,
/// `u8::MAX`, a name from another crate, nor one that a glob may bring in.
pub fn crate_const(fx: &FnCx<'_, '_, '_>, expr: &Expr) -> Option<String> {
    let mut expr = strip_parens(expr);
    while let Expr::Cast(c) = expr {
        expr = strip_parens(&c.expr);
    }
    let Expr::Path(p) = expr else { return None };
    if p.qself.is_some() || p.path.leading_colon.is_some() || p.path.segments.iter().any(|s| !s.arguments.is_none()) {
        return None;
    }
    let items = fx.cx.file_items;
    let segments = &p.path.segments;
    let last = &segments.last()?.ident;
    if segments.len() == 1 {
        if fx.facts.use_at(last).is_some() {
            return None; // A local binding.
        }
        let name = last.to_string();
        let mut defined = Vec::new();
        if let Some(block) = fx.facts.block {
            consts_in_block(block, &name, &mut defined);
        }
        consts_in_items(items, &name, &mut defined);
        if !defined.is_empty() {
            return None; // The file's own: decided (or left unknown) by `const_int`.
        }
        return crate_import(items, &name);
    }
    let first = segments[0].ident.to_string();
    let in_crate = matches!(first.as_str(), "crate" | "self" | "super")
        || declares_module(items, &first)
        || crate_import(items, &first).is_some();
    in_crate.then(|| last.to_string())
}

/// The original name of what the file imports as `name`, when every import
/// of that name comes from the crate itself (`crate::`, `self::`, `super::`
/// or a module the file declares).
fn crate_import(items: &[Item], name: &str) -> Option<String> {
    let mut original: Option<Option<String>> = None;
    each_import(items, &mut |first, visible, from| {
        if visible != name {
            return;
        }
        let local = matches!(first, "crate" | "self" | "super") || declares_module(items, first);
        let this = local.then(|| from.to_owned());
        original = Some(match original.take() {
            None => this,
            Some(before) => before.filter(|b| this.as_deref() == Some(b.as_str())),
        });
    });
    original.flatten()
}

/// Whether the file declares a module named `name` (at any depth).
fn declares_module(items: &[Item], name: &str) -> bool {
    items.iter().any(|item| match item {
        Item::Mod(m) => m.ident == name || m.content.as_ref().is_some_and(|(_, items)| declares_module(items, name)),
        _ => false,
    })
}
