//! How often code inside a loop runs, for what the messages say: "on every
//! iteration" only when it is true.

use syn::spanned::Spanned;
use syn::{Expr, Stmt};

use crate::walk::{Cx, FnCx, LoopInfo, LoopKind};

/// How often a piece of code runs per run of its innermost loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    /// Unconditionally, on every iteration.
    EveryIteration,
    /// Under a condition: on some iterations.
    SomeIterations,
    /// In a branch that leaves the loop (`break`, `return`): once at most.
    AtMostOnce,
}

impl Frequency {
    /// What a message says after the cost: ", on every iteration of the
    /// loop", ", on the iterations that take this branch", or nothing.
    pub fn clause(self) -> &'static str {
        match self {
            Frequency::EveryIteration => ", on every iteration of the loop",
            Frequency::SomeIterations => ", on the loop's iterations that reach it",
            Frequency::AtMostOnce => "",
        }
    }

    /// The label on the loop's header; `None` when the loop is not worth
    /// pointing at (the code leaves it).
    pub fn label(self) -> Option<&'static str> {
        match self {
            Frequency::EveryIteration => Some("on every iteration of this loop"),
            Frequency::SomeIterations => Some("inside this loop"),
            Frequency::AtMostOnce => None,
        }
    }
}

impl<'ast> Cx<'_, 'ast> {
    /// The innermost loop around the walk position, and how often the
    /// expression at `at` (the current one) runs in it.
    pub fn loop_frequency(&self, at: &Expr) -> Option<(&LoopInfo<'ast>, Frequency)> {
        let lp = self.current_loop()?;
        let mut frequency = Frequency::EveryIteration;
        let position = at.span().byte_range();
        for ancestor in self.ancestors() {
            if std::ptr::eq(ancestor, lp.expr) {
                break;
            }
            // The branches of a conditional: blocks, or a match arm's expression.
            let branches: Vec<(std::ops::Range<usize>, Option<&syn::Block>)> = match ancestor {
                Expr::If(e) => {
                    let mut branches = vec![(e.then_branch.span().byte_range(), Some(&e.then_branch))];
                    if let Some((_, else_branch)) = &e.else_branch {
                        let block = if let Expr::Block(b) = &**else_branch { Some(&b.block) } else { None };
                        branches.push((else_branch.span().byte_range(), block));
                    }
                    branches
                }
                Expr::Match(m) => m
                    .arms
                    .iter()
                    .map(|a| {
                        (a.body.span().byte_range(), if let Expr::Block(b) = &*a.body { Some(&b.block) } else { None })
                    })
                    .collect(),
                _ => continue,
            };
            let Some((_, block)) =
                branches.into_iter().find(|(range, _)| range.start <= position.start && position.end <= range.end)
            else {
                continue; // In the condition or the scrutinee: runs every time.
            };
            frequency = Frequency::SomeIterations;
            if block.is_some_and(|b| leaves_after(b, position.end)) {
                return Some((lp, Frequency::AtMostOnce));
            }
        }
        Some((lp, frequency))
    }
}

/// Whether `block` has a `break` or `return` statement after byte `end`.
fn leaves_after(block: &syn::Block, end: usize) -> bool {
    block.stmts.iter().any(|stmt| {
        let expr = match stmt {
            Stmt::Expr(e, _) => e,
            _ => return false,
        };
        matches!(expr, Expr::Break(_) | Expr::Return(_)) && expr.span().byte_range().start >= end
    })
}

/// Whether `node` of the function runs on every iteration of one of its
/// loops (`for`, `while`, `loop`): in a body or a `while` condition, not in
/// a `for` loop's head, which runs once. Closures are not loops.
pub fn runs_per_iteration(fx: &FnCx<'_, '_, '_>, node: &impl Spanned) -> bool {
    let at = node.span().byte_range();
    let within = |outer: std::ops::Range<usize>| outer.start <= at.start && at.end <= outer.end;
    let once = |lp: &LoopInfo<'_>| lp.kind == LoopKind::For && lp.head.is_some_and(|h| within(h.span().byte_range()));
    fx.facts.loops.iter().any(|lp| within(lp.expr.span().byte_range()) && !once(lp))
}
