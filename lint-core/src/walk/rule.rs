//! The hooks a rule plugs into the walk: the walk calls them as it
//! traverses a file (and once per crate), each rule implements those it
//! declares in [`RuleMeta`]'s neighbour [`Hooks`]. Defined here, with the
//! contexts they receive, so that the walk needs nothing from the rules
//! layer above it.

use std::fmt;

use super::{CrateCx, Cx, Emitter, FnCx};
use crate::rule::{Hooks, RuleMeta};

/// A lint rule. A rule is one file under `src/rules/` and one line in the
/// registry (`rules::REGISTRY`).
///
/// Hooks run during the single traversal of a file:
/// - [`Rule::check_expr`] for every expression, with the context as it is at
///   that expression (enclosing fn, loops, bindings declared so far);
/// - [`Rule::check_fn`] once per function body after it has been walked, when
///   every binding, use and loop of the function is known.
pub trait Rule: Sync + Send {
    /// The rule's identity and docs.
    fn meta(&self) -> &'static RuleMeta;

    /// The per-node hooks the rule implements: the walker calls only these.
    /// A test reads every rule's file and fails when they differ from the
    /// methods it implements (`rules::meta_tests`).
    fn hooks(&self) -> Hooks;

    /// Called for every expression of the file.
    fn check_expr<'ast>(&self, _cx: &Cx<'_, 'ast>, _expr: &'ast syn::Expr, _out: &mut Emitter) {}

    /// Called once per function (fn item, method, trait default method) after its body was walked.
    fn check_fn<'ast>(&self, _cx: &FnCx<'_, '_, 'ast>, _out: &mut Emitter) {}

    /// Called for every type written in the file (fields, signatures, `let`
    /// annotations, aliases, consts and statics), outer types before the types
    /// nested in them. [`Cx::is_generic_param`] tells generic parameters apart.
    fn check_type<'ast>(&self, _cx: &Cx<'_, 'ast>, _ty: &'ast syn::Type, _out: &mut Emitter) {}

    /// Called once per crate after all its files were walked, with every
    /// type definition of the crate (for rules that need types defined in
    /// other files, like the layout rules).
    fn check_crate(&self, _cx: &CrateCx<'_>, _out: &mut Emitter) {}
}

impl fmt::Debug for dyn Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule").field("name", &self.meta().name).finish()
    }
}
