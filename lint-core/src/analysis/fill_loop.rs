//! A collection created empty and then filled by one unconditional growth
//! call per iteration of a `for` loop whose length is known before the loop
//! starts: the shape the capacity rules (`vec_push_without_capacity`,
//! `string_push_without_capacity`, `map_insert_without_capacity`) report.
//! Each rule recognises its own constructors and growth calls; finding the
//! loop, checking that nothing else touches the collection, and building the
//! diagnostic's labels, help and fix are shared here.

use std::fmt::Write as _;

use syn::Expr;
use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::analysis::trip_count::{TripCount, binding_at, trip_count};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Label};
use crate::layout::growth::Growth;
use crate::rule::RuleMeta;
use crate::syntax::paths::{as_ident, strip_parens};
use crate::walk::{Binding, BindingId, BindingOrigin, ConstCount, Emitter, FnCx, LoopInfo, LoopKind, Use, UseKind};

/// What a rule makes of one use of the collection inside the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseRole {
    /// Grows the collection; must run once on every iteration.
    Grow,
    /// Reads it without changing its length or capacity.
    Read,
    /// Anything else: the collection may be filled, reserved or reset
    /// elsewhere, so the rule stays silent.
    Other,
}

/// A collection filled once per iteration of a loop of known length.
#[derive(Debug)]
pub struct FillLoop<'f, 'ast> {
    /// The loop.
    pub lp: &'f LoopInfo<'ast>,
    /// The uses that grow the collection, in order; at least one.
    pub grows: Vec<&'f Use<'ast>>,
    /// Where each growth call is, for labels (the rule may refine them).
    pub grow_spans: Vec<proc_macro2::Span>,
    /// How many times the loop runs.
    pub trips: TripCount,
}

impl<'f, 'ast> FillLoop<'f, 'ast> {
    /// The capacity for `per_iteration` elements added on every iteration:
    /// a number when the trip count is exact, else code (`2 * items.len()`).
    pub fn capacity(&self, per_iteration: u64) -> String {
        self.trips.capacity(per_iteration)
    }

    /// Whether the loop's count is known and certainly stays within the
    /// collection's first allocation (the rule is then silent).
    pub fn fits_first_allocation(&self, growth: &Growth) -> bool {
        self.trips.exact.is_some_and(|n| growth.fits_first_allocation(n))
    }

    /// The growth call when the loop grows the collection by exactly one
    /// method call (`v.push(x)`), which `collect()` suggestions start from.
    pub fn sole_method_call(&self) -> Option<&'ast syn::ExprMethodCall> {
        match self.grows.as_slice() {
            [Use { kind: UseKind::MethodReceiver(call), .. }] => Some(call),
            _ => None,
        }
    }
}

/// Standard collections the capacity rules recognise by name. Their fixes
/// and suggestions spell the name (`Vec::with_capacity(n)`,
/// `collect::<Vec<_>>()`), which is only right when it means std's type.
const STD_COLLECTIONS: &[&str] = &["Vec", "VecDeque", "String", "HashMap", "HashSet"];

/// Whether `collection` names a std collection (`Vec`, `HashMap`, ..) the
/// file shadows (a local `struct Vec`, `use fixed::Vec`): its constructor
/// may then build another type, with no `with_capacity`.
pub fn shadowed_std(fx: &FnCx<'_, '_, '_>, collection: &str) -> bool {
    STD_COLLECTIONS.contains(&collection) && fx.shadows(collection)
}

/// Finds the loop that fills `binding` (a `let` whose initialiser the rule
/// has recognised as an empty `collection`, named as the rule's fix will
/// spell it: `Vec`, `String`, `HashMap`), classifying each use in the loop
/// with `role`.
///
/// A std collection's name must not be shadowed in the file (a local
/// `struct Vec`, `use fixed::Vec`): the constructor may then build another
/// type, with no `with_capacity`. The first use of the binding must be
/// inside a `for` loop of the same body and conditional depth as the
/// declaration, with no early exit, and every use inside it must be a
/// direct, unconditional growth or a read; nothing may grow it after it.
pub fn fill_loop<'f, 'ast>(
    fx: &'f FnCx<'_, '_, 'ast>,
    id: BindingId,
    binding: &Binding<'ast>,
    collection: &str,
    role: impl Fn(&Use<'ast>) -> UseRole,
) -> Option<FillLoop<'f, 'ast>> {
    if binding.origin != BindingOrigin::Let {
        return None;
    }
    let facts = fx.facts;
    // The first use must be inside the loop: nothing may fill or reserve before it.
    let first = facts.uses_of(id).next()?;
    let lp = &facts.loops[first.innermost_loop?];
    if lp.kind != LoopKind::For
        || lp.body != binding.body
        || lp.outer != binding.innermost_loop
        || lp.start < binding.order
        || lp.cond_depth != binding.cond_depth
        || lp.exits.any()
    {
        return None;
    }
    let mut grows = Vec::new();
    for u in facts.uses_of(id).filter(|u| lp.contains(u.order)) {
        let direct = u.body == lp.body && u.innermost_loop == Some(lp.id) && !u.conditional;
        match role(u) {
            UseRole::Grow if direct => grows.push(u),
            UseRole::Read => {}
            UseRole::Grow | UseRole::Other => return None,
        }
    }
    if grows.is_empty() {
        return None;
    }
    // Grown again after the loop (regex-syntax's error notes: padding
    // pushed in one loop, then the text): the loop's count is not the final
    // size, and reserving it would add an allocation, not save one.
    if facts.uses_of(id).any(|u| u.order >= lp.end && role(u) == UseRole::Grow) {
        return None;
    }
    if shadowed_std(fx, collection) {
        return None;
    }
    let trips = trip_count(fx, lp.head?)?;
    let grow_spans = grows.iter().map(|u| grow_span(u)).collect();
    Some(FillLoop { lp, grows, grow_spans, trips })
}

/// The collection a capacity finding is about.
#[derive(Debug, Clone, Copy)]
pub struct Filled<'a> {
    /// How the code names it: `out`, `self.items`.
    pub name: &'a str,
    /// Where it is created (byte offset): what the capacity's code uses
    /// must be declared before.
    pub created_at: usize,
}

impl<'a> Filled<'a> {
    /// A local binding.
    pub fn binding(binding: &'a Binding<'_>) -> Self {
        Filled { name: &binding.name, created_at: binding.ident_span.byte_range().start }
    }
}

/// The capacity a rule suggests, and how sure it is of it.
#[derive(Debug)]
pub struct Reservation {
    /// The constructor to write instead (`String::with_capacity(n)`), or
    /// `None` when the rule cannot compute a capacity.
    pub replacement: Option<String>,
    /// Whether the capacity is exactly what the loop needs (not an estimate).
    pub exact: bool,
    /// Said after the replacement (how it was estimated), or instead of it
    /// when there is none.
    pub note: Option<String>,
    /// Another way to write the loop (`iter.map(..).collect()`).
    pub alternative: Option<String>,
}

/// A capacity rule's message: what grows how (`head`), then what that
/// costs, counted by the rule's [`Growth`] when the loop's count is known,
/// else said by `unknown_cost`.
#[derive(Debug)]
pub struct CapacityMessage {
    /// Up to the cost: `` `out` starts empty and grows by .. over `items` ``.
    pub head: String,
    /// The cost when the count is not known.
    pub unknown_cost: &'static str,
}

/// A capacity rule's finding, ready to emit.
#[derive(Debug)]
pub struct CapacityFinding {
    /// The finding, as it stands with what the file knows.
    pub diagnostic: Diagnostic,
    /// When the loop's count is a constant of another file: the count,
    /// the growth and the message's head, for the crate phase.
    pending: Option<(ConstCount, Growth, String)>,
}

impl CapacityFinding {
    /// Reports the finding; one whose count is a constant of another file
    /// is decided in the crate phase, as if the file had known its value.
    pub fn emit(self, out: &mut Emitter) {
        match self.pending {
            Some((count, growth, head)) => out.emit_with_const_count(count, growth, head, self.diagnostic),
            None => out.emit(self.diagnostic),
        }
    }
}

/// Builds the finding of a capacity rule: primary span on the constructor
/// (what the fix replaces), labels on the loop header and each growth call,
/// help with the constructor to write.
#[allow(clippy::too_many_arguments)]
pub fn capacity_diagnostic<'ast>(
    fx: &FnCx<'_, '_, 'ast>,
    meta: &'static RuleMeta,
    filled: Filled<'_>,
    init: &'ast Expr,
    fill: &FillLoop<'_, 'ast>,
    message: CapacityMessage,
    growth: Growth,
    reservation: Reservation,
) -> CapacityFinding {
    let cx = fx.cx;
    let cost = fill.trips.exact.and_then(|n| growth.cost(n)).unwrap_or_else(|| message.unknown_cost.to_owned());
    let mut d = cx.diagnostic(meta, init.span(), format!("{}: {cost}", message.head));
    let runs = match fill.trips.exact {
        Some(n) => format!("this loop runs {n} times"),
        None => format!("this loop runs `{}` times", fill.trips.code),
    };
    d.labels.push(Label { span: cx.span(fill.lp.header_span), message: runs });
    for &span in &fill.grow_spans {
        d.labels.push(Label { span: cx.span(span), message: "grows here on every iteration".to_owned() });
    }
    let in_scope = count_in_scope(fx, filled.created_at, fill.lp);
    let what = match (&reservation.replacement, reservation.note) {
        (Some(code), Some(note)) => format!("`{code}` ({note})"),
        (Some(code), None) => format!("`{code}`"),
        (None, note) => note.unwrap_or_default(),
    };
    let mut help = if in_scope {
        format!("reserve the final size up front: {what}")
    } else {
        format!("declare `{}` after what `{}` uses, and reserve the final size: {what}", filled.name, fill.trips.code)
    };
    if let Some(alternative) = reservation.alternative {
        let _ = write!(help, ", or build it in one go: `{alternative}`");
    }
    d.help = Some(help);
    if let Some(replacement) = reservation.replacement {
        let certain = in_scope && fill.trips.usize_certain && reservation.exact;
        d.fix = Some(Fix {
            edits: vec![Edit { span: cx.span(init.span()), replacement }],
            applicability: if certain { Applicability::MachineApplicable } else { Applicability::MaybeIncorrect },
        });
    }
    let pending = fill.trips.crate_const.clone().map(|count| (count, growth, message.head));
    CapacityFinding { diagnostic: d, pending }
}

/// The span of the growth call a use belongs to: the method call for
/// `v.push(x)` and `m.insert(k, v)`, the whole `s += x`; the identifier
/// otherwise (`write!` destinations).
fn grow_span(grow: &Use<'_>) -> proc_macro2::Span {
    match grow.kind {
        UseKind::MethodReceiver(m) => m.span(),
        UseKind::CompoundAssign(b) => b.span(),
        _ => grow.span,
    }
}

/// Whether the value of `call`, a method call inside the loop, is thrown
/// away: `call;`, `let _ = call;` or `_ = call;`. Any other use (`if
/// !set.insert(x)`, `let fresh = set.insert(x);`) makes the call a read too.
pub fn result_discarded(lp: &LoopInfo<'_>, call: &syn::ExprMethodCall) -> bool {
    struct Discarded<'c> {
        call: &'c syn::ExprMethodCall,
        found: bool,
    }
    impl Discarded<'_> {
        fn is_call(&self, expr: &Expr) -> bool {
            matches!(strip_parens(expr), Expr::MethodCall(m) if std::ptr::eq(m, self.call))
        }
    }
    impl<'a> Visit<'a> for Discarded<'_> {
        fn visit_stmt(&mut self, stmt: &'a syn::Stmt) {
            self.found |= match stmt {
                syn::Stmt::Expr(e, Some(_)) => match strip_parens(e) {
                    Expr::Assign(a) => matches!(strip_parens(&a.left), Expr::Infer(_)) && self.is_call(&a.right),
                    e => self.is_call(e),
                },
                syn::Stmt::Local(l) => {
                    matches!(l.pat, syn::Pat::Wild(_))
                        && l.init.as_ref().is_some_and(|i| i.diverge.is_none() && self.is_call(&i.expr))
                }
                _ => false,
            };
            syn::visit::visit_stmt(self, stmt);
        }
    }
    let mut v = Discarded { call, found: false };
    v.visit_expr(lp.expr);
    v.found
}

/// Whether every binding the loop's head names is declared before the
/// collection, so the capacity expression can be evaluated where it is created.
fn count_in_scope(fx: &FnCx<'_, '_, '_>, created_at: usize, lp: &LoopInfo<'_>) -> bool {
    let Some(head) = lp.head else { return false };
    let range = head.span().byte_range();
    fx.facts.uses.iter().filter(|u| range.contains(&u.span.byte_range().start)).all(|u| {
        let used = &fx.facts.bindings[u.binding];
        // Closure parameters declared inside the head are fine.
        let declared = used.ident_span.byte_range().start;
        declared < created_at || range.contains(&declared)
    })
}

/// When the loop's body is `call;` alone (the only growth), the loop's
/// pattern and an iterator over what the loop iterates, for rewriting the
/// loop as `iter.map(|pat| ..).collect()`.
pub fn sole_statement_iter<'ast>(
    fx: &FnCx<'_, '_, 'ast>,
    lp: &LoopInfo<'ast>,
    call: &impl Spanned,
) -> Option<(String, &'ast syn::Pat)> {
    let Expr::ForLoop(for_loop) = lp.expr else {
        return None;
    };
    let [stmt] = for_loop.body.stmts.as_slice() else {
        return None;
    };
    let is_the_call = match stmt {
        syn::Stmt::Expr(e, _) => e.span().byte_range() == call.span().byte_range(),
        _ => false,
    };
    if !is_the_call {
        return None;
    }
    let cx = fx.cx;
    let head = strip_parens(&for_loop.expr);
    let iter = match head {
        Expr::Range(_) => format!("({})", cx.text(head)),
        Expr::Reference(r) if r.mutability.is_some() => format!("{}.iter_mut()", cx.text(&r.expr)),
        Expr::Reference(r) => format!("{}.iter()", cx.text(&r.expr)),
        Expr::MethodCall(_) => cx.text(head).to_owned(),
        _ => {
            // A `&[T]` parameter iterates by reference: `iter()`, not `into_iter()`.
            let declared = as_ident(head).and_then(|i| binding_at(fx, i)).and_then(|id| fx.facts.bindings[id].ty);
            match declared {
                Some(syn::Type::Reference(r)) if r.mutability.is_some() => {
                    format!("{}.iter_mut()", cx.text(head))
                }
                Some(syn::Type::Reference(_)) => format!("{}.iter()", cx.text(head)),
                _ => format!("{}.into_iter()", cx.text(head)),
            }
        }
    };
    Some((iter, &for_loop.pat))
}

/// `iter.map(|pat| item).collect::<ty>()`, or `iter.collect::<ty>()` when
/// the item is the pattern itself.
pub fn collect_code(fx: &FnCx<'_, '_, '_>, iter: &str, pat: &syn::Pat, item: &str, ty: &str) -> String {
    let pat = fx.cx.text(pat);
    if item == pat {
        format!("{iter}.collect::<{ty}>()")
    } else {
        format!("{iter}.map(|{pat}| {item}).collect::<{ty}>()")
    }
}
