//! The copies of a value a function body makes (`x.clone()`,
//! `x.to_owned()`, `x.to_vec()`, `x.to_string()`, `String::from(x)`) and
//! what the code around each does with the copy: a per-fn fact, collected
//! on first use by the rules that need it (`redundant_clone`,
//! `clone_in_loop`, `unnecessary_to_owned`) and kept for the others.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{BinOp, Expr, Stmt};

use super::FnCx;
use crate::syntax::paths::{call_of, path_is};

/// How a copy is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// `x.clone()`.
    Clone,
    /// `x.to_owned()`.
    ToOwned,
    /// `x.to_vec()`.
    ToVec,
    /// `x.to_string()`.
    ToString,
    /// `String::from(x)`.
    StringFrom,
    /// `x.to_path_buf()`.
    ToPathBuf,
    /// `x.to_os_string()`.
    ToOsString,
    /// `Cow::from(x).into_owned()`.
    CowIntoOwned,
}

impl Conversion {
    /// The call as written, for messages (`clone()`, `String::from`).
    pub fn name(self) -> &'static str {
        match self {
            Conversion::Clone => "clone()",
            Conversion::ToOwned => "to_owned()",
            Conversion::ToVec => "to_vec()",
            Conversion::ToString => "to_string()",
            Conversion::StringFrom => "String::from",
            Conversion::ToPathBuf => "to_path_buf()",
            Conversion::ToOsString => "to_os_string()",
            Conversion::CowIntoOwned => "Cow::from(..).into_owned()",
        }
    }
}

/// What type a copy has, as its conversion alone says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copied {
    /// The original's own type (`clone`, `to_owned`).
    SameType,
    /// Always this std type (`to_string`: `String`, `to_vec`: `Vec`, ..).
    Std(&'static str),
    /// Not a copy of the original's type (`String::from(&str)`, `Cow::into_owned`).
    Other,
}

impl Conversion {
    /// What type the copy has.
    pub fn copied(self) -> Copied {
        match self {
            Conversion::Clone | Conversion::ToOwned => Copied::SameType,
            Conversion::ToString => Copied::Std("String"),
            Conversion::ToVec => Copied::Std("Vec"),
            Conversion::ToPathBuf => Copied::Std("PathBuf"),
            Conversion::ToOsString => Copied::Std("OsString"),
            Conversion::StringFrom | Conversion::CowIntoOwned => Copied::Other,
        }
    }
}

/// What the code around a copy does with it.
#[derive(Debug, Clone, Copy)]
pub enum Context<'ast> {
    /// `let pat = copy;`
    Let(&'ast syn::Local),
    /// `f(&copy)` or `r.m(&copy)`: `borrow` is the `&copy` expression, `call` the call.
    BorrowedArg { borrow: &'ast Expr, call: &'ast Expr },
    /// `copy.method(..)`.
    Receiver(&'ast syn::ExprMethodCall),
    /// `f(copy)` or `r.m(copy)`: passed by value to `call`.
    Arg {
        /// The call.
        call: &'ast Expr,
    },
    /// `for pat in copy`.
    ForIter(&'ast syn::ExprForLoop),
    /// `a == copy`, `copy != a`.
    Compared(&'ast syn::ExprBinary),
    /// `a == &copy`, `&copy != a`: `borrow` is the `&copy` expression.
    BorrowCompared { borrow: &'ast Expr, cmp: &'ast syn::ExprBinary },
    /// `S { field: copy }`.
    StructField,
    /// `place = copy`.
    Assigned,
    /// `return copy`, or the fn body's final expression.
    Returned,
    /// Anything else.
    Other,
}

/// One copy in a function body.
#[derive(Debug, Clone, Copy)]
pub struct Site<'ast> {
    /// The copying call.
    pub expr: &'ast Expr,
    /// How it copies.
    pub conversion: Conversion,
    /// What it copies.
    pub receiver: &'ast Expr,
    /// What is done with the copy.
    pub context: Context<'ast>,
    /// The innermost statement holding the copy.
    pub stmt: Option<&'ast Stmt>,
    /// The copy is part of a `return` or `break` value: it runs at most once
    /// per loop.
    pub leaves: bool,
    /// The copy is the value of a `match` arm, and `context` is what the
    /// code does with the `match`: replacing it by a value of another type
    /// would make the arms disagree.
    pub in_arm: bool,
}

/// A `format!` call in a function body, and what is done with its value.
#[derive(Debug, Clone, Copy)]
pub struct FormatSite<'ast> {
    /// The macro call expression.
    pub expr: &'ast Expr,
    /// What is done with the `String` it makes.
    pub context: Context<'ast>,
    /// The innermost statement holding it.
    pub stmt: Option<&'ast Stmt>,
    /// It is a `match` arm's value ([`Site::in_arm`]).
    pub in_arm: bool,
}

/// The copies of a function body, and all its statements (closures included,
/// nested items excluded).
#[derive(Debug, Default)]
pub struct Sites<'ast> {
    /// Every copy, in source order.
    pub sites: Vec<Site<'ast>>,
    /// Every `format!` call, in source order.
    pub formats: Vec<FormatSite<'ast>>,
    /// Every statement, outer ones before the ones nested in them.
    pub stmts: Vec<&'ast Stmt>,
}

impl<'ast> Sites<'ast> {
    /// The copies of the function `fx` describes, collected once per
    /// function however many rules ask.
    pub fn of<'f>(fx: &'f FnCx<'_, '_, 'ast>) -> &'f Self {
        fx.conversion_sites.get_or_init(|| Sites::collect(fx))
    }

    /// Collects the copies of the function `fx` describes.
    fn collect(fx: &FnCx<'_, '_, 'ast>) -> Self {
        if !fx.facts.copies && !fx.facts.formats {
            // The walk saw no copy in this body: spare a second traversal.
            return Sites::default();
        }
        let mut collector =
            Collector { cx: fx.cx, tail: None, exprs: Vec::new(), stmts: Vec::new(), out: Sites::default() };
        if let Some(block) = fx.facts.block {
            if let Some(Stmt::Expr(tail, None)) = block.stmts.last() {
                collector.tail = Some(tail);
            }
            collector.visit_block(block);
        }
        collector.out
    }

    /// The statements holding byte offset `at`, outermost first.
    pub fn stmts_holding(&self, at: usize) -> impl Iterator<Item = &'ast Stmt> + '_ {
        self.stmts.iter().copied().filter(move |s| s.span().byte_range().contains(&at))
    }
}

struct Collector<'c, 'a, 'ast> {
    /// The file, for the parsed arguments of its macros.
    cx: &'c super::Cx<'a, 'ast>,
    tail: Option<&'ast Expr>,
    /// Enclosing expressions, innermost last.
    exprs: Vec<&'ast Expr>,
    /// Enclosing statements, with the length of `exprs` when each started.
    stmts: Vec<(&'ast Stmt, usize)>,
    out: Sites<'ast>,
}

impl<'ast> Collector<'_, '_, 'ast> {
    /// What the code does with `expr`, and whether that is what it does
    /// with a `match` whose arm's value `expr` is.
    fn context(&self, expr: &'ast Expr) -> (Context<'ast>, bool) {
        let base = self.stmts.last().map_or(0, |&(_, depth)| depth);
        let mut parents = self.exprs[base.min(self.exprs.len())..].iter().rev().copied();
        let mut child = expr;
        let mut in_arm = false;
        let parent = loop {
            match parents.next() {
                Some(p @ (Expr::Paren(_) | Expr::Group(_))) => child = p,
                // The value of a `match` arm is the value of the `match`.
                Some(p @ Expr::Match(m)) if m.arms.iter().any(|arm| std::ptr::eq(&*arm.body, child)) => {
                    child = p;
                    in_arm = true;
                }
                other => break other,
            }
        };
        (self.context_of(parent, parents, child), in_arm)
    }

    fn context_of(
        &self,
        parent: Option<&'ast Expr>,
        parents: impl Iterator<Item = &'ast Expr>,
        child: &'ast Expr,
    ) -> Context<'ast> {
        let is_arg = |call: &Expr, arg: &Expr| match call {
            Expr::Call(c) => c.args.iter().any(|a| std::ptr::eq(a, arg)),
            Expr::MethodCall(m) => m.args.iter().any(|a| std::ptr::eq(a, arg)),
            _ => false,
        };
        match parent {
            Some(borrow @ Expr::Reference(r)) if r.mutability.is_none() => {
                let mut child = borrow;
                for p in parents {
                    if matches!(p, Expr::Paren(_) | Expr::Group(_)) {
                        child = p;
                        continue;
                    }
                    return match p {
                        _ if is_arg(p, child) => Context::BorrowedArg { borrow, call: p },
                        Expr::Binary(cmp) if matches!(cmp.op, BinOp::Eq(_) | BinOp::Ne(_)) => {
                            Context::BorrowCompared { borrow, cmp }
                        }
                        _ => Context::Other,
                    };
                }
                Context::Other
            }
            Some(Expr::MethodCall(m)) if std::ptr::eq(&*m.receiver, child) => Context::Receiver(m),
            Some(call @ (Expr::Call(_) | Expr::MethodCall(_))) if is_arg(call, child) => Context::Arg { call },
            Some(Expr::ForLoop(f)) if std::ptr::eq(&*f.expr, child) => Context::ForIter(f),
            Some(Expr::Binary(b)) if matches!(b.op, BinOp::Eq(_) | BinOp::Ne(_)) => Context::Compared(b),
            Some(Expr::Struct(_)) => Context::StructField,
            Some(Expr::Assign(a)) if std::ptr::eq(&*a.right, child) => Context::Assigned,
            Some(Expr::Return(_)) => Context::Returned,
            Some(_) => Context::Other,
            None => match self.stmts.last() {
                Some((Stmt::Local(local), _)) if local.init.as_ref().is_some_and(|i| std::ptr::eq(&*i.expr, child)) => {
                    Context::Let(local)
                }
                _ if self.tail.is_some_and(|t| std::ptr::eq(t, child)) => Context::Returned,
                _ => Context::Other,
            },
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_, '_, 'ast> {
    fn visit_item(&mut self, _: &'ast syn::Item) {
        // A nested item is a function of its own, walked with its own facts.
    }

    fn visit_stmt(&mut self, stmt: &'ast Stmt) {
        self.out.stmts.push(stmt);
        self.stmts.push((stmt, self.exprs.len()));
        visit::visit_stmt(self, stmt);
        self.stmts.pop();
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        if let Some((conversion, receiver)) = conversion_of(expr) {
            let (context, in_arm) = self.context(expr);
            let stmt = self.stmts.last().map(|&(s, _)| s);
            let leaves = self.exprs.iter().any(|e| matches!(e, Expr::Return(_) | Expr::Break(_)));
            self.out.sites.push(Site { expr, conversion, receiver, context, stmt, leaves, in_arm });
        } else if let Expr::Macro(m) = expr
            // The last segment first: `macro_name` allocates, and this runs for every macro.
            && m.mac.path.segments.last().is_some_and(|s| s.ident == "format")
            && crate::syntax::paths::macro_name(&m.mac).as_deref() == Some("format")
        {
            let (context, in_arm) = self.context(expr);
            let stmt = self.stmts.last().map(|&(s, _)| s);
            self.out.formats.push(FormatSite { expr, context, stmt, in_arm });
        }
        self.exprs.push(expr);
        visit::visit_expr(self, expr);
        self.exprs.pop();
    }

    /// The arguments of macros memlint reads (`format!`, `println!`, ..),
    /// as the walk reads them: copies there are copies too. (Statement
    /// macros, `println!(..);`, are not expressions.)
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let call = self.cx.macro_call(mac);
        if call.kind != crate::syntax::macros::MacroKind::Opaque {
            for arg in call.args.iter().chain(call.named.iter().map(|(_, e)| e)) {
                self.visit_expr(arg);
            }
        }
    }
}

/// For a copying call, how it copies and what.
pub fn conversion_of(expr: &Expr) -> Option<(Conversion, &Expr)> {
    match expr {
        Expr::MethodCall(m) if m.args.is_empty() && m.turbofish.is_none() && m.method == "into_owned" => {
            match call_of(&m.receiver) {
                Some((path, args)) if args.len() == 1 && path_is(path, &["Cow", "from"]) => {
                    Some((Conversion::CowIntoOwned, &args[0]))
                }
                _ => None,
            }
        }
        Expr::MethodCall(m) if m.args.is_empty() && m.turbofish.is_none() => {
            // Compared in place: this runs for every method call.
            let conversion = [
                ("clone", Conversion::Clone),
                ("to_owned", Conversion::ToOwned),
                ("to_vec", Conversion::ToVec),
                ("to_string", Conversion::ToString),
                ("to_path_buf", Conversion::ToPathBuf),
                ("to_os_string", Conversion::ToOsString),
            ]
            .into_iter()
            .find(|(name, _)| m.method == name)?
            .1;
            Some((conversion, &m.receiver))
        }
        _ => match call_of(expr) {
            Some((path, args)) if args.len() == 1 && path_is(path, &["String", "from"]) => {
                Some((Conversion::StringFrom, &args[0]))
            }
            _ => None,
        },
    }
}
