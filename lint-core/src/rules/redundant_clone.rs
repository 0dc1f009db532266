//! `redundant_clone`: a clone whose original could have been used instead:
//! an owned value cloned at its last use, a clone made only to be borrowed,
//! and a collection cloned only to be read or iterated.

use syn::Expr;
use syn::spanned::Spanned;

use crate::analysis::conversions::{
    Known, READ_ONLY, READS, Shape, borrow_held_across, known, place_of, place_shape, place_ty, range_of, used_after,
    used_in,
};
use crate::analysis::types::{binding_ty, type_of};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Level};
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::semantic::crate_index::Condition;
use crate::semantic::std_table::std_table;
use crate::semantic::ty::Ty;
use crate::syntax::format_string::{ArgRef, Piece};
use crate::syntax::paths::as_ident;
use crate::syntax::paths::strip_parens;
use crate::syntax::place::Place;
use crate::walk::Rule;
use crate::walk::copies::{Context, Conversion, Copied, FormatSite, Site, Sites};
use crate::walk::{BindingId, BindingOrigin, Emitter, FnCx, Use, UseKind};

pub(crate) struct RedundantClone;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &RedundantClone;

static META: RuleMeta = RuleMeta {
    name: "redundant_clone",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a clone of a value that could be moved or borrowed instead",
    docs: DOCS,
    in_tests: false,
    // A copy moved at the original's last use is reported as that, the
    // one fix that removes it, not also as a copy lent (`f(s.to_string())`).
    supersedes: &["clone_in_loop", "unnecessary_to_owned"],
    options: &[],
    fix: FixSafety::Mixed,
    clippy: &["redundant_clone"],
    confirmed_by: &[Reason::Clone, Reason::ToOwned],
    fix_leaves_one: false,
    crate_wide: true,
};

const DOCS: &str = r#"## What it does
Finds copies that copy a value the code could use as it is:

- `x.clone()` (or `x.to_owned()`, `x.to_vec()`, `x.to_string()`,
  `x.to_path_buf()`) bound, returned, assigned or passed by value where `x`
  owns a heap value of that very type (a `String`, `Vec<T>`, map, set,
  `Box`, `PathBuf`, or a struct or enum of the crate that isn't `Copy`) and
  is not used again: not later in the function on any path (a use in the
  other branch of an `if`/`match` doesn't count), not on the next iteration
  of an enclosing loop, and not through a borrow taken earlier that is still
  in use. `x`'s type comes from what the code states: a declaration, an
  initialiser (`Key::new(..)` returning `Self`, a function of the crate
  returning `String`, in any file), a `for` pattern;
- `let memo = e.memo.clone();` where `e` owns a struct of the crate that
  doesn't implement `Drop` and is not used again: the field can be moved out;
- `format!("{s}")` of a `String` `s` not used again: the `String` itself;
- a copy of a temporary of the very type it makes: `words.join(" ").to_string()`,
  `path.join("c").to_path_buf()`, `make().clone()`;
- `f(&x.clone())`: a clone made only to be lent to a call;
- `x.clone().len()`, `x.clone().iter()`, `p.clone().join("a")` and other
  calls on a fresh clone of a method that only reads (`&self`);
- `for item in x.clone()` over a collection.

## Why is this bad
Cloning a `String` or `Vec` allocates a new buffer and copies every byte or
element into it. When the original is dropped right after, or the clone is
only read and dropped, that allocation and copy buy nothing: a 1 MB vector
cloned at its last use costs a 1 MB allocation and a 1 MB copy that moving
it costs none of.

## Example
```rust
fn register(name: String, names: &mut Vec<String>) {
    names.push(name.clone());
}
```

## Use instead
```rust
fn register(name: String, names: &mut Vec<String>) {
    names.push(name);
}
```

## Known limitations
memlint doesn't compile the code: it reports a moved clone only when the
type of the original is stated somewhere (see "What memlint knows about
types" in the README), never for references, `Rc`/`Arc`, type parameters or
values of unknown type. The borrow and read forms are reported on plain
places (`x`, `self.field`), and not when the same statement uses the
original again (the clone may exist to satisfy the borrow checker, as in
`self.update(&self.name.clone())`). A borrow of the original stored earlier
(in a container, a `let`, a pattern binding) and used after the clone keeps
the clone unreported, and so does any closure or async block naming the
original, before or after the clone (it may capture it and run later).
Across files, functions are found by the module path a call names (or its
import's), else by the one function of that name visible from the caller;
private functions are known only in files with child modules in other
files. Types are known by name: two types named the same in different
modules are ambiguous and keep their findings unreported, and so is a call
through a module path memlint can't follow (a re-export from another crate).
"#;

impl Rule for RedundantClone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        let sites = Sites::of(fx);
        for site in &sites.sites {
            if matches!(
                site.context,
                Context::Let(_) | Context::Arg { .. } | Context::StructField | Context::Assigned | Context::Returned
            ) && let Some(d) = copied_temporary(fx, site)
            {
                out.emit(d);
                continue;
            }
            let Some(place) = place_of(site.receiver) else { continue };
            let Some(u) = fx.facts.use_at(&place.root) else { continue };
            let diagnostic = match (site.conversion, site.context) {
                (Conversion::Clone, Context::BorrowedArg { borrow, .. }) => borrowed_clone(fx, site, &place, u, borrow),
                (Conversion::Clone, Context::Receiver(m)) => read_clone(fx, site, &place, u, m),
                (Conversion::Clone, Context::ForIter(_)) => iterated_clone(fx, site, &place, u),
                (
                    Conversion::Clone
                    | Conversion::ToOwned
                    | Conversion::ToVec
                    | Conversion::ToString
                    | Conversion::ToPathBuf
                    | Conversion::ToOsString,
                    Context::Let(_)
                    | Context::Arg { .. }
                    | Context::StructField
                    | Context::Assigned
                    | Context::Returned,
                ) if place.fields.is_empty() => match moved_clone(fx, sites, site, u) {
                    Some((d, Some(Owner::CrateType(crate_type)))) => {
                        out.emit_if_defined_not_copy(crate_type, d);
                        None
                    }
                    Some((d, Some(Owner::Returned(callee)))) => {
                        out.emit_if(returns_copied(site.conversion, callee), d);
                        None
                    }
                    Some((d, None)) => Some(d),
                    None => None,
                },
                (
                    Conversion::Clone,
                    Context::Let(_)
                    | Context::Arg { .. }
                    | Context::StructField
                    | Context::Assigned
                    | Context::Returned,
                ) if place.fields.len() == 1 => {
                    if let Some((d, owner)) = moved_field_clone(fx, sites, site, &place, u) {
                        out.emit_if_defined_without_drop(owner, d);
                    }
                    None
                }
                _ => None,
            };
            if let Some(d) = diagnostic {
                out.emit(d);
            }
        }
        for format in &sites.formats {
            if let Some(d) = format_copy(fx, sites, format) {
                out.emit(d);
            }
        }
    }
}

/// `lines.push(format!("{label}"))` where `label` is a `String` not used
/// again: the `format!` copies it; the `String` itself can be pushed.
fn format_copy<'ast>(fx: &FnCx<'_, '_, 'ast>, sites: &Sites<'ast>, format: &FormatSite<'ast>) -> Option<Diagnostic> {
    if !matches!(
        format.context,
        Context::Let(_) | Context::Arg { .. } | Context::StructField | Context::Assigned | Context::Returned
    ) {
        return None;
    }
    let Expr::Macro(m) = format.expr else { return None };
    let call = fx.cx.macro_call(&m.mac);
    let (Some(string), Some(index)) = (call.format.as_ref(), call.format_index) else { return None };
    let [Piece::Arg(placeholder)] = &string.pieces[..] else { return None };
    if !placeholder.spec.is_empty() || !placeholder.spec_args.is_empty() || !call.named.is_empty() {
        return None;
    }
    let literal = call.args.get(index)?;
    let u = match &placeholder.arg {
        // `format!("{x}")`: the capture is a use at the literal.
        ArgRef::Name(name) if call.args.len() == index + 1 => {
            let at = literal.span().start();
            fx.facts.uses.iter().find(|u| {
                matches!(u.kind, UseKind::FormatArg)
                    && u.span.start() == at
                    && fx.facts.bindings[u.binding].name == *name
            })?
        }
        ArgRef::Index(0) if call.args.len() == index + 2 => fx.facts.use_at(as_ident(&call.args[index + 1])?)?,
        _ => return None,
    };
    if binding_ty(fx, u.binding)? != Ty::std("String") {
        return None;
    }
    let site = Site {
        expr: format.expr,
        conversion: Conversion::Clone,
        receiver: format.expr,
        context: format.context,
        stmt: format.stmt,
        leaves: false,
        in_arm: format.in_arm,
    };
    if !movable_at(fx, sites, &site, u) {
        return None;
    }
    let name = fx.facts.bindings[u.binding].name.clone();
    let message = format!(
        "`{}` copies `{name}`, a `String` never used again: the `format!` allocates a copy for nothing",
        fx.cx.text(format.expr)
    );
    let mut d = diagnose(fx, format.expr, message, name.clone(), true, "use the `String` itself");
    d.labels.push(Label {
        span: fx.cx.span(fx.facts.bindings[u.binding].ident_span),
        message: format!("`{name}` owns its `String` from here"),
    });
    Some(d)
}

/// Whether the statement holding the clone names its original elsewhere, or
/// an earlier borrow of it is still alive, or the original may borrow from
/// something the statement uses again: then the clone may be what lets the
/// code borrow-check.
fn original_needed_nearby(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, u: &Use<'_>) -> bool {
    let Some(stmt) = site.stmt else { return true };
    let (stmt, receiver) = (range_of(stmt), range_of(site.receiver));
    // Uses in another branch of a `match` or `if` of the statement never meet the clone.
    let named_nearby = fx.facts.uses_of(u.binding).any(|o| {
        let at = o.span.byte_range().start;
        stmt.contains(&at) && !receiver.contains(&at) && !fx.facts.exclusive(u.order, o.order)
    });
    named_nearby
        || borrow_held_across(fx, u.binding, u.order)
        || lenders(fx, u).into_iter().any(|lender| used_in(fx, lender, &stmt, &receiver))
}

/// The bindings the original may borrow from: the roots of the places its
/// `let` initialiser names (`self` in `let res = self.resource(ptr);`,
/// `queue` in `let up = &queue.schemas[i];`). In
/// `self.resources.get_mut(&res.ptr.clone())` the clone ends the shared
/// borrow of `self` that the `&mut` call needs (boon's `root.rs`).
fn lenders(fx: &FnCx<'_, '_, '_>, u: &Use<'_>) -> Vec<crate::walk::BindingId> {
    let Some(init) = fx.facts.bindings[u.binding].init else { return Vec::new() };
    struct Roots<'f, 'a, 'b, 'ast> {
        fx: &'f FnCx<'a, 'b, 'ast>,
        found: Vec<crate::walk::BindingId>,
    }
    impl<'ast> syn::visit::Visit<'ast> for Roots<'_, '_, '_, '_> {
        fn visit_ident(&mut self, ident: &'ast syn::Ident) {
            if let Some(used) = self.fx.facts.use_at(ident)
                && !self.found.contains(&used.binding)
            {
                self.found.push(used.binding);
            }
        }
    }
    let mut roots = Roots { fx, found: Vec::new() };
    syn::visit::Visit::visit_expr(&mut roots, init);
    roots.found
}

/// What the declarations show about the cloned place's type.
fn shape(fx: &FnCx<'_, '_, '_>, place: &Place, u: &Use<'_>) -> Option<Known> {
    place_shape(fx, place, u.binding)
}

/// `f(&x.clone())`.
fn borrowed_clone(
    fx: &FnCx<'_, '_, '_>,
    site: &Site<'_>,
    place: &Place,
    u: &Use<'_>,
    borrow: &Expr,
) -> Option<Diagnostic> {
    let known = shape(fx, place, u);
    if known.is_some_and(|k| k.shape == Shape::Shared) || original_needed_nearby(fx, site, u) {
        return None;
    }
    let text = place.text();
    // A reference binding is lent as it is; anything else is borrowed.
    let replacement = match known {
        Some(k) if k.borrowed && place.fields.is_empty() => text.clone(),
        _ => format!("&{text}"),
    };
    let certain = known.is_some() || !place.fields.is_empty();
    let message = format!("`{text}` is cloned only to be borrowed: the copy is dropped after the call");
    Some(diagnose(fx, borrow, message, replacement, certain, "borrow the original"))
}

/// `x.clone().len()`, `x.clone().iter()`, ...
fn read_clone(
    fx: &FnCx<'_, '_, '_>,
    site: &Site<'_>,
    place: &Place,
    u: &Use<'_>,
    method: &syn::ExprMethodCall,
) -> Option<Diagnostic> {
    let known = shape(fx, place, u)?;
    let reads = READ_ONLY.iter().any(|r| method.method == r) || reads_through_shared_ref(fx, place, u, method);
    if !reads || !known.shape.owns_heap() || original_needed_nearby(fx, site, u) {
        return None;
    }
    let text = place.text();
    let message = format!(
        "`{text}` is cloned only to call `{}` on the copy: the clone allocates and copies all of `{text}` for a read",
        method.method
    );
    Some(diagnose(fx, site.expr, message, text, true, "call it on the original"))
}

/// Whether the std method called on the clone takes its receiver by
/// shared reference (`path.clone().join(..)`): then the original serves.
fn reads_through_shared_ref(fx: &FnCx<'_, '_, '_>, place: &Place, u: &Use<'_>, method: &syn::ExprMethodCall) -> bool {
    let Some(ty) = place_ty(fx, place, u.binding) else { return false };
    let owned = ty.peel_refs().clone();
    std_table()
        .method_sig(&owned, &method.method.to_string())
        .is_some_and(|(sig, _)| matches!(sig.params.first().map(|p| &p.ty), Some(Ty::Ref(false, _))))
}

/// `make().to_string()` where `make()` already returns a `String`, or
/// `path.join("c").to_path_buf()`: a copy of a temporary that is dropped
/// right after, of the very type the copy makes.
fn copied_temporary(fx: &FnCx<'_, '_, '_>, site: &Site<'_>) -> Option<Diagnostic> {
    if !matches!(strip_parens(site.receiver), Expr::Call(_) | Expr::MethodCall(_) | Expr::Macro(_)) {
        return None;
    }
    let ty = type_of(fx, site.receiver)?;
    // A `Box` clone copies one value, not a buffer.
    if !same_type_copy(site.conversion, &ty) || !ty.owns_heap() || ty.is_std("Box") {
        return None;
    }
    let text = fx.cx.text(site.receiver).to_owned();
    let message = format!(
        "`{}` copies a `{ty}` that is already a new value and is dropped right after: the copy allocates for nothing",
        site.conversion.name()
    );
    Some(diagnose(fx, site.expr, message, text, true, "use the value itself"))
}

/// Whether a moved copy made by `conversion` has the type of its original `ty`.
fn same_type_copy(conversion: Conversion, ty: &Ty) -> bool {
    match conversion.copied() {
        Copied::SameType => true,
        Copied::Std(name) => ty.is_std(name),
        Copied::Other => false,
    }
}

/// `for item in x.clone()`.
fn iterated_clone(fx: &FnCx<'_, '_, '_>, site: &Site<'_>, place: &Place, u: &Use<'_>) -> Option<Diagnostic> {
    let known = shape(fx, place, u)?;
    let text = place.text();
    let message =
        format!("`{text}` is cloned only to be iterated over: the whole collection is copied before the loop starts");
    let mut d = match known.shape {
        Shape::Vec | Shape::Collection | Shape::Set if !original_needed_nearby(fx, site, u) => {
            // `iter().cloned()` yields the same owned items, without the copy of the buffer.
            let mut d =
                diagnose(fx, site.expr, message, format!("{text}.iter().cloned()"), true, "iterate the original");
            d.help = Some(format!(
                "iterate over `&{text}` if the loop only reads the items, or over `{text}.iter().cloned()` if it needs them owned"
            ));
            d
        }
        Shape::Map if !original_needed_nearby(fx, site, u) => {
            let mut d = fx.cx.diagnostic(&META, site.expr.span(), message);
            d.help = Some(format!("iterate over `&{text}` (items are `(&K, &V)`; clone the ones the loop keeps)"));
            d
        }
        _ => return None,
    };
    if known.borrowed && place.fields.is_empty() {
        d.help = d.help.map(|h| h.replace(&format!("`&{text}`"), &format!("`{text}`")));
    }
    Some(d)
}

/// `let y = x.clone();`, `f(x.clone())`, `return x.clone()`, ... at the
/// last use of an owned `x`. When `x` is a by-value parameter of a type
/// named like one of the crate's, the finding holds only if the crate
/// defines that type without `Copy`: its name comes with the finding.
fn moved_clone<'ast>(
    fx: &FnCx<'_, '_, 'ast>,
    sites: &Sites<'ast>,
    site: &Site<'ast>,
    u: &Use<'ast>,
) -> Option<(Diagnostic, Option<Owner>)> {
    let binding = &fx.facts.bindings[u.binding];
    let crate_type = match known(fx, u.binding) {
        Some(known) => {
            let same_type = match binding_ty(fx, u.binding) {
                Some(ty) => same_type_copy(site.conversion, &ty),
                None => match site.conversion {
                    Conversion::ToVec => known.shape == Shape::Vec,
                    Conversion::Clone | Conversion::ToOwned => true,
                    _ => false,
                },
            };
            if known.borrowed || !known.shape.owns_heap() || !same_type {
                return None;
            }
            None
        }
        None => match binding_ty(fx, u.binding)? {
            Ty::Adt(name) if site.conversion == Conversion::Clone => Some(Owner::CrateType(name)),
            ty if ty.is_deferred() => Some(Owner::Returned(ty)),
            _ => return None,
        },
    };
    if !movable_at(fx, sites, site, u) {
        return None;
    }
    let name = &binding.name;
    let message = match &crate_type {
        None => format!(
            "`{name}` is cloned but never used again: the `{}` copies its heap buffer for nothing",
            site.conversion.name()
        ),
        Some(Owner::CrateType(ty)) => format!(
            "`{name}` is cloned but never used again: the `clone` copies the whole `{ty}`, and every heap buffer it owns, for nothing"
        ),
        Some(Owner::Returned(ty)) => format!(
            "`{name}` is cloned but never used again: the `{}` copies what `{}` returned, and every heap buffer it owns, for nothing",
            site.conversion.name(),
            ty.deferred_callee().unwrap_or_default()
        ),
    };
    let mut d = diagnose(fx, site.expr, message, name.clone(), true, "move it instead of cloning it");
    let owned_here = match binding.origin {
        BindingOrigin::Param => format!("`{name}` is taken by value here"),
        _ => format!("`{name}` owns its value from here"),
    };
    d.labels.push(Label { span: fx.cx.span(binding.ident_span), message: owned_here });
    Some((d, crate_type))
}

/// Whether the original of the clone at `u` could be moved there instead:
/// it lives in the same body (no closure or async block names it, which
/// may capture it and run later), is not used after on any path, not on
/// the next iteration of a loop it doesn't live in, and no borrow of it
/// taken earlier is still in use.
fn movable_at<'ast>(fx: &FnCx<'_, '_, 'ast>, sites: &Sites<'ast>, site: &Site<'ast>, u: &Use<'ast>) -> bool {
    let binding = &fx.facts.bindings[u.binding];
    u.body == binding.body
        && !fx.facts.uses_of(u.binding).any(|o| o.body != u.body)
        && !used_after(fx, u.binding, u.order)
        && !original_needed_nearby(fx, site, u)
        && !fx.facts.loops.iter().any(|lp| lp.contains(u.order) && !lp.contains(binding.order))
        && !earlier_borrow_alive(fx, sites, site, u.binding, u)
}

/// What an original whose type the file alone doesn't show owns; the
/// crate phase decides whether its clone allocates.
enum Owner {
    /// A type of the crate by this name (it must not be `Copy`).
    CrateType(String),
    /// What a function of another file of the crate returns.
    Returned(Ty),
}

/// The condition under which a copy made by `conversion` of what `callee`
/// returns allocates for nothing: it returns a heap owner of the copy's type.
fn returns_copied(conversion: Conversion, of: Ty) -> Condition {
    let std_names: &[&str] = match conversion.copied() {
        Copied::SameType => crate::semantic::ty::HEAP_OWNERS,
        Copied::Std(name) => &[name],
        Copied::Other => &[],
    };
    let std_names = std_names.iter().map(|s| (*s).to_owned()).collect();
    Condition::TypeIs { of, std_names, crate_type: conversion == Conversion::Clone }
}

/// The name of the crate type a binding owns (`record: Record`, `let key
/// = Key::new(..)`), as the code states it: a candidate, which the crate
/// phase checks is a type of the crate that is not `Copy`.
fn crate_type_of(fx: &FnCx<'_, '_, '_>, binding: BindingId) -> Option<String> {
    match binding_ty(fx, binding)? {
        Ty::Adt(name) => Some(name),
        _ => None,
    }
}

/// `let memo = e.memo.clone();` where `e` owns a crate struct and is not
/// used again: the field can be moved out. Comes with the struct's name:
/// the finding holds if the crate defines it and implements no `Drop`
/// for it (a field can't be moved out of a type with a destructor).
fn moved_field_clone<'ast>(
    fx: &FnCx<'_, '_, 'ast>,
    sites: &Sites<'ast>,
    site: &Site<'ast>,
    place: &Place,
    u: &Use<'ast>,
) -> Option<(Diagnostic, String)> {
    let owner = crate_type_of(fx, u.binding)?;
    let field_ty = place_ty(fx, place, u.binding)?;
    if !field_ty.owns_heap() || !movable_at(fx, sites, site, u) {
        return None;
    }
    let (root, text) = (&fx.facts.bindings[u.binding].name, place.text());
    let message = format!(
        "`{text}` is cloned but `{root}` is never used again: the `clone()` copies the `{field_ty}` for nothing"
    );
    let mut d = diagnose(fx, site.expr, message, text, true, "move the field out instead of cloning it");
    d.labels.push(Label {
        span: fx.cx.span(fx.facts.bindings[u.binding].ident_span),
        message: format!("`{root}` owns its `{owner}` here"),
    });
    Some((d, owner))
}

/// Whether an earlier use of `binding` may have left a borrow of it that is
/// used after `u`: a binding declared from it (`let r = &x;`, `let n =
/// x.first();`, `if let Some(a) = x.get(0)`) or something else the
/// borrowing statement touches (`refs.push(&x)`) is used after `u`.
fn earlier_borrow_alive(
    fx: &FnCx<'_, '_, '_>,
    sites: &Sites<'_>,
    site: &Site<'_>,
    binding: BindingId,
    u: &Use<'_>,
) -> bool {
    let at = u.span.byte_range().start;
    // Used in the clone's own statement (`consume(r, x.clone())`) or after it.
    let stmt = site.stmt.map(range_of).unwrap_or(at..at);
    let live_after = |id: BindingId| {
        id != binding && fx.facts.uses_of(id).any(|o| o.order > u.order || stmt.contains(&o.span.byte_range().start))
    };
    fx.facts.uses_of(binding).filter(|w| w.order < u.order).any(|w| {
        let harmless = match w.kind {
            UseKind::FormatArg => true,
            UseKind::MethodReceiver(m) => READS.iter().any(|r| m.method == r),
            _ => false,
        };
        if harmless {
            return false;
        }
        let start = w.span.byte_range().start;
        let chain: Vec<_> = sites.stmts_holding(start).filter(|s| !range_of(*s).contains(&at)).collect();
        if chain.is_empty() {
            // `w` is in a condition, scrutinee or loop head around `u`: the
            // bindings its pattern declares may borrow from it.
            return fx
                .facts
                .bindings
                .iter()
                .enumerate()
                .any(|(id, b)| w.order < b.order && b.order < u.order && live_after(id));
        }
        chain.iter().any(|stmt| {
            let range = range_of(*stmt);
            let touched =
                fx.facts.uses.iter().any(|o| range.contains(&o.span.byte_range().start) && live_after(o.binding));
            let declared = fx
                .facts
                .bindings
                .iter()
                .enumerate()
                .any(|(id, b)| range.contains(&b.ident_span.byte_range().start) && live_after(id));
            touched || declared
        })
    })
}

/// A finding at `target` whose fix replaces it with `replacement`.
fn diagnose(
    fx: &FnCx<'_, '_, '_>,
    target: &Expr,
    message: String,
    replacement: String,
    certain: bool,
    verb: &str,
) -> Diagnostic {
    let span = target.span();
    let mut d = fx.cx.diagnostic(&META, span, message);
    d.help = Some(format!("{verb}: `{replacement}`"));
    d.fix = Some(Fix {
        edits: vec![Edit { span: fx.cx.span(span), replacement }],
        applicability: if certain { Applicability::MachineApplicable } else { Applicability::MaybeIncorrect },
    });
    d
}

#[cfg(test)]
mod tests {
    use crate::Applicability;
    use crate::rules::test_support::{check, check_clean, fix, lint_all, replacement};

    const RULE: &str = "redundant_clone";

    #[test]
    fn clone_of_an_owned_value_at_its_last_use() {
        let found = check(
            RULE,
            r#"
struct User { name: String, tags: Vec<String> }
fn f(name: String, tags: Vec<String>, out: &mut Vec<String>) -> User {
    let label = format!("{name}!");
    out.push(label.clone()); //~
    let ids: Vec<u32> = (0..4).collect();
    let copy = ids.to_vec(); //~
    consume(copy);
    User {
        name: name.clone(), //~
        tags: tags.clone(), //~
    }
}
fn g(mut s: String, t: String) -> String {
    s.push('x');
    s.clone() //~
}
"#,
        );
        let d = &found[0];
        assert_eq!(
            d.message,
            "`label` is cloned but never used again: the `clone()` copies its heap buffer for nothing"
        );
        assert_eq!(d.help.as_deref(), Some("move it instead of cloning it: `label`"));
        let fix = fix(d);
        assert_eq!(fix.edits[0].replacement, "label");
        assert_eq!(fix.applicability, Applicability::MachineApplicable);
        assert_eq!(d.labels[0].span.line, 4);
        assert_eq!(
            found[1].message,
            "`ids` is cloned but never used again: the `to_vec()` copies its heap buffer for nothing"
        );
        assert!(found[2].message.starts_with("`name`"), "{}", found[2].message);
    }

    #[test]
    fn original_used_later_or_not_owned() {
        check_clean(
            RULE,
            r#"
use std::rc::Rc;
fn f(name: String, r: &String, v: &Vec<u8>, n: u64, shared: Rc<String>, x: T) -> String {
    let a = name.clone();
    println!("{name}");
    let b = r.clone();
    let c = v.clone();
    let d = n.clone();
    let e = shared.clone();
    let g = Rc::clone(&shared);
    let y = x.clone();
    let borrowed = &name;
    let z = borrowed.clone();
    let it = v.iter();
    let w = it.clone();
    a
}
"#,
        );
    }

    #[test]
    fn clones_in_loops_and_closures() {
        check_clean(
            RULE,
            r#"
fn f(items: &[u32]) -> Vec<String> {
    let label = String::from("x");
    let mut out = Vec::new();
    for _ in items {
        out.push(label.clone());
    }
    let other = String::new();
    let make = || other.clone();
    out.push(make());
    let last = String::new();
    items.iter().for_each(|_| out.push(last.clone()));
    out
}
"#,
        );
    }

    #[test]
    fn original_captured_by_a_closure() {
        check_clean(
            RULE,
            r#"
pub fn run(name: String) -> Vec<String> {
    let f = || name.len();
    let mut v = Vec::new();
    v.push(name.clone());
    v.push(f().to_string());
    v
}
pub fn later(tag: String) -> impl Fn() -> usize {
    let mut v = Vec::new();
    v.push(tag.clone());
    move || tag.len()
}
pub async fn fut(label: String) {
    let task = async { label.len() };
    let copy = label.clone();
    consume(copy);
    task.await;
}
"#,
        );
    }

    #[test]
    fn clone_declared_inside_the_loop_is_found() {
        check(
            RULE,
            r#"
fn f(items: &[u32]) -> Vec<String> {
    let mut out = Vec::new();
    for i in items {
        let s = i.to_string();
        out.push(s.clone()); //~
    }
    out
}
"#,
        );
    }

    #[test]
    fn earlier_borrows_still_in_use() {
        check_clean(
            RULE,
            r#"
fn f(v: Vec<String>, w: Vec<String>, s: String) -> usize {
    let first = v.first();
    let moved = v.clone();
    consume(moved);
    let mut refs = Vec::new();
    refs.push(&w);
    let moved_w = w.clone();
    consume(moved_w);
    if let Some(c) = s.chars().next() {
        let t = s.clone();
        consume(t);
        println!("{c}");
    }
    let s2 = String::new();
    take(s2.clone(), &s2);
    let s3 = String::new();
    let r3 = &s3;
    take(r3, s3.clone());
    first.map_or(0, |f| f.len()) + refs.len()
}
"#,
        );
    }

    #[test]
    fn shadowed_names_and_macros() {
        check(
            RULE,
            r#"
fn f(s: String) -> String {
    let t = s.clone(); //~
    let s = 5;
    println!("{s}");
    let u = String::new();
    let v = u.clone();
    opaque!(u);
    let x = vec![1];
    let y = x.clone(); //~
    let x = "shadow";
    t + x
}
"#,
        );
    }

    /// boon 0.6.1 `root.rs:103` and `compiler.rs:236`: the clone ends a
    /// borrow of what the original borrows from, which the same call then
    /// borrows mutably; without it the code doesn't compile (E0502).
    #[test]
    fn a_clone_that_ends_a_borrow_the_call_needs_is_not_reported() {
        check(
            RULE,
            r#"
impl Root {
    fn collect(&mut self, ptr: &str) {
        let res = self.resource(ptr);
        if let Some(res) = self.resources.get_mut(&res.ptr.clone()) {
            res.touch();
        }
    }
    fn compile(&mut self, mut queue: Queue) {
        let up = &queue.schemas[0];
        self.compile_value(&up.clone(), &mut queue);
    }
    fn show_first(&self, names: &Names, out: &mut Vec<String>) {
        let first = names.first_entry();
        out.push_str(&first.name.clone()); //~
    }
}
"#,
        );
    }

    #[test]
    fn clone_only_borrowed() {
        let found = check(
            RULE,
            r#"
struct S { name: String, items: Vec<u32> }
impl S {
    fn f(&self, r: &String, other: String, item: &Item) {
        show(&self.name.clone()); //~
        show(&r.clone()); //~
        log.write(&other.clone()); //~
        show(&item.clone()); //~
    }
    fn g(&mut self) {
        self.rename(&self.name.clone());
        let e = self.items.iter_mut();
        show(&self.items.clone());
        drop(e);
    }
}
"#,
        );
        assert_eq!(replacement(&found[0]), "&self.name");
        assert_eq!(found[0].message, "`self.name` is cloned only to be borrowed: the copy is dropped after the call");
        assert_eq!(replacement(&found[1]), "r");
        assert_eq!(replacement(&found[2]), "&other");
        assert_eq!(fix(&found[3]).applicability, Applicability::MaybeIncorrect);
    }

    #[test]
    fn clone_only_read_or_iterated() {
        let found = check(
            RULE,
            r#"
use std::collections::HashMap;
struct S { items: Vec<u32> }
impl S {
    fn f(&self, v: &Vec<String>, m: HashMap<u32, u32>, s: String, it: std::ops::Range<u32>) -> usize {
        let n = v.clone().len(); //~
        for x in self.items.clone() { //~
            use_it(x);
        }
        for (k, val) in m.clone() { //~
            use_it(k);
        }
        if s.clone().is_empty() {} //~
        for i in it.clone() {}
        let c = it.clone().contains(&3);
        let mut w: Vec<String> = v.clone();
        for x in w.clone() { w.push(x); }
        n
    }
}
"#,
        );
        assert_eq!(replacement(&found[0]), "v");
        assert_eq!(replacement(&found[1]), "self.items.iter().cloned()");
        assert!(found[2].fix.is_none());
        assert!(found[2].help.as_deref().unwrap().contains("`&m`"), "{:?}", found[2].help);
    }

    #[test]
    fn borrowed_clone_in_a_loop_is_one_finding() {
        let src = r#"
fn f(items: &[u32], key: String) {
    for i in items {
        lookup(&key.clone(), *i);
        let n = key.clone().len();
    }
}
"#;
        assert_eq!(lint_all(src), vec![("redundant_clone", 4), ("redundant_clone", 5)]);
        assert_eq!(crate::rules::test_support::lint("clone_in_loop", src).len(), 2, "clone_in_loop reports them alone");
    }

    #[test]
    fn by_value_parameters_of_crate_types_that_are_not_copy() {
        let found = check(
            RULE,
            r#"
#[derive(Clone)]
pub struct Record { source: String }
pub fn shout(record: Record) -> Record {
    let mut loud = record.clone(); //~
    loud.source.make_ascii_uppercase();
    loud
}
"#,
        );
        assert!(found[0].message.contains("copies the whole `Record`"), "{}", found[0].message);
    }

    #[test]
    fn copy_foreign_generic_and_reused_parameters_are_fine() {
        check_clean(
            RULE,
            r#"
#[derive(Clone, Copy)]
pub struct Point { x: u32 }
#[derive(Clone)]
pub struct Record { source: String }
pub fn a(p: Point) -> Point { let q = p.clone(); q }
pub fn b(r: Regex) -> Regex { let q = r.clone(); q }
pub fn c<T: Clone>(t: T) -> T { let q = t.clone(); q }
pub fn d(r: Record) -> (Record, usize) { let q = r.clone(); (q, r.source.len()) }
pub fn e(r: &Record) -> Record { let q = r.clone(); q }
"#,
        );
    }

    #[test]
    fn types_the_crate_states_make_clones_certain() {
        let found = check(
            RULE,
            r#"
use std::collections::HashMap;
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Key(String);
impl Key { pub fn new(s: &str) -> Self { Key(s.to_owned()) } }
pub struct Table { items: HashMap<Key, u32> }
fn format_name(n: u32) -> String { n.to_string() }
impl Table {
    pub fn insert(&mut self, key: &str, value: u32) {
        let key = Key::new(key);
        match self.items.entry(key.clone()) { //~
            std::collections::hash_map::Entry::Occupied(mut e) => { e.insert(value); }
            std::collections::hash_map::Entry::Vacant(e) => { e.insert(value); }
        }
    }
}
pub fn spawn(indicator: &mut Vec<String>, n: u32) {
    let output_format = format_name(n);
    indicator.push(output_format.clone()); //~
}
pub fn sum(groups: &[Vec<i64>]) -> i64 {
    let mut total = 0;
    for g in groups {
        for x in g.clone() { //~
            total += x;
        }
    }
    total
}
"#,
        );
        assert!(found[0].message.contains("copies the whole `Key`"), "{}", found[0].message);
    }

    #[test]
    fn a_clone_is_a_deep_copy_only_of_a_type_that_implements_clone_and_not_copy() {
        check(
            RULE,
            r#"
#[derive(Clone)]
pub struct Derived(Vec<u8>);
pub struct Manual(Vec<u8>);
impl Clone for Manual { fn clone(&self) -> Self { Manual(self.0.clone()) } }
// `Copy` implemented by hand: a clone copies bits.
pub struct Bits(u64);
impl Clone for Bits { fn clone(&self) -> Self { *self } }
impl Copy for Bits {}
// No `Clone` at all: `clone()` of a `&Plain` copies the reference.
pub struct Plain(Vec<u8>);
fn keep<T>(_: T) {}
pub fn f(a: Derived, b: Manual, c: Bits, d: &Plain) {
    let a2 = a.clone(); //~
    keep(a2);
    let b2 = b.clone(); //~
    keep(b2);
    let c2 = c.clone();
    keep(c2);
    let d2 = d.clone();
    keep(d2);
}
"#,
        );
    }

    #[test]
    fn the_last_use_is_per_branch() {
        check(
            RULE,
            r#"
pub fn f(top_level_nodes: Vec<String>, add: bool) -> Vec<String> {
    if add {
        let mut new_top = top_level_nodes.clone(); //~
        new_top.push(String::new());
        new_top
    } else {
        top_level_nodes
    }
}
pub fn g(names: Vec<String>, k: u8) -> Vec<String> {
    match k {
        0 => names.clone(), //~
        1 => names,
        _ => Vec::new(),
    }
}
"#,
        );
        // The other branch runs again on the next iteration.
        check_clean(
            RULE,
            r#"
pub fn f(top: Vec<String>, flags: &[bool], out: &mut Vec<Vec<String>>) {
    for &add in flags {
        if add {
            out.push(top.clone());
        } else {
            out.push(vec![top.len().to_string()]);
        }
    }
}
pub fn g(top: Vec<String>, add: bool) -> Vec<String> {
    let copy = if add { top.clone() } else { Vec::new() };
    if copy.is_empty() { top } else { copy }
}
"#,
        );
    }

    #[test]
    fn a_field_of_an_owned_struct_at_its_last_use_is_moved_out() {
        let found = check(
            RULE,
            r#"
pub struct Entry { memo: Vec<u8>, hits: u32 }
pub fn take(e: Entry) -> Vec<u8> {
    let memo = e.memo.clone(); //~
    memo
}
"#,
        );
        assert_eq!(replacement(&found[0]), "e.memo");
        check_clean(
            RULE,
            r#"
pub struct Entry { memo: Vec<u8>, hits: u32 }
pub struct Guarded { memo: Vec<u8> }
impl Drop for Guarded { fn drop(&mut self) {} }
pub fn used_again(e: Entry) -> (Vec<u8>, Entry) { let memo = e.memo.clone(); (memo, e) }
pub fn borrowed(e: &Entry) -> Vec<u8> { let memo = e.memo.clone(); memo }
pub fn destructor(g: Guarded) -> Vec<u8> { let memo = g.memo.clone(); memo }
pub fn copied(e: Entry) -> u32 { let hits = e.hits.clone(); hits }
pub fn foreign(e: other::Entry) -> Vec<u8> { let memo = e.memo.clone(); memo }
"#,
        );
    }

    #[test]
    fn self_of_an_impl_for_a_reference_is_a_reference() {
        check_clean(
            RULE,
            r#"
#[derive(Clone)]
pub struct RcIter { items: Vec<u8> }
impl IntoIterator for &RcIter {
    type Item = u8;
    type IntoIter = RcIter;
    fn into_iter(self) -> RcIter { self.clone() }
}
"#,
        );
    }

    #[test]
    fn copies_of_temporaries_and_same_type_conversions() {
        let found = check(
            RULE,
            r#"
use std::path::{Path, PathBuf};
fn name() -> String { String::new() }
pub fn f(s: String, words: &[&str]) -> (String, PathBuf, String, String) {
    let joined = words.join(" ").to_string(); //~
    let path = Path::new("/a").join("c").to_path_buf(); //~
    let made = name().clone(); //~
    let last = s.to_string(); //~
    (joined, path, made, last)
}
pub fn g(p: PathBuf) -> PathBuf {
    p.clone().join("x") //~
}
"#,
        );
        assert_eq!(replacement(&found[0]), "words.join(\" \")");
        assert_eq!(replacement(&found[3]), "s");
        assert_eq!(replacement(&found[4]), "p");
        check_clean(
            RULE,
            r#"
pub fn f(s: &str, b: Box<Vec<u8>>, n: u32) -> (String, Box<Vec<u8>>, String, Vec<u8>, Box<Vec<u8>>) {
    let owned = s.trim().to_string();
    let boxed = b.clone();
    let text = n.to_string().to_lowercase();
    let mut v = vec![1u8];
    let w = v.clone();
    v.push(2);
    (owned, boxed, text, w, b)
}
pub fn g(p: std::path::PathBuf) -> std::path::PathBuf {
    let mut q = p.clone();
    q.push("x");
    drop(p);
    q
}
"#,
        );
    }

    #[test]
    fn what_functions_of_other_files_return_decides_in_the_crate_phase() {
        let a = r#"
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Key(String);
#[derive(Clone, Copy)]
pub struct Id(u32);
impl Key { pub fn new(s: &str) -> Self { Key(s.to_owned()) } }
impl Id { pub fn new(n: u32) -> Self { Id(n) } }
pub fn format_name(n: u32) -> String { n.to_string() }
pub fn count() -> u32 { 1 }
pub fn twice() -> String { String::new() }
"#;
        let b = r#"
use crate::a::{format_name, count, Id, Key};
use other::make;
pub fn twice() -> Vec<u8> { Vec::new() }
fn f(keys: &mut Vec<Key>, names: &mut Vec<String>, ids: &mut Vec<Id>, ns: &mut Vec<u32>, k: &str) {
    let key = Key::new(k);
    keys.push(key.clone());
    let name = format_name(1);
    names.push(name.clone());
    let id = Id::new(2);
    ids.push(id.clone());
    let c = count();
    ns.push(c.clone());
    let m = make();
    names.push(m.clone());
}
"#;
        let messages = crate::rules::test_support::crate_messages(RULE, &[("a.rs", a), ("b.rs", b)]);
        assert_eq!(
            messages,
            [
                "`key` is cloned but never used again: the `clone()` copies what `Key::new` returned, and every heap buffer it owns, for nothing",
                "`name` is cloned but never used again: the `clone()` copies what `format_name` returned, and every heap buffer it owns, for nothing",
            ]
        );
    }

    #[test]
    fn what_functions_of_the_workspaces_other_crates_return_decides_in_the_workspace_phase() {
        // Their types too: `shapes`' `Point` is `Copy`, the app's own is not.
        let shapes = r#"
pub type Names = Vec<String>;
#[derive(Clone)]
pub struct Circle { label: String }
pub fn make_name() -> String { String::new() }
pub fn names() -> Names { Vec::new() }
pub fn make_circle() -> Circle { Circle { label: String::new() } }
pub fn count() -> usize { 1 }
#[derive(Clone, Copy)]
pub struct Point(u8);
pub fn origin() -> Point { Point(0) }
"#;
        let app = r#"
use shapes::{make_circle, make_name, names};
#[derive(Clone)]
struct Point(String);
fn f(out: &mut Vec<String>, cs: &mut Vec<shapes::Circle>, all: &mut Vec<Vec<String>>, ns: &mut Vec<usize>) {
    let n = make_name();
    out.push(n.clone());
    let v = names();
    all.push(v.clone());
    let c = make_circle();
    cs.push(c.clone());
    let k = shapes::count();
    ns.push(k.clone());
    let p = shapes::origin();
    ps.push(p.clone());
}
"#;
        let crates: [(&str, &[(&str, &str)]); 2] = [("shapes", &[("lib.rs", shapes)]), ("app", &[("main.rs", app)])];
        let messages = crate::rules::test_support::workspace_messages(RULE, &crates);
        assert_eq!(
            messages,
            [
                "`n` is cloned but never used again: the `clone()` copies what `make_name` returned, and every heap buffer it owns, for nothing",
                "`v` is cloned but never used again: the `clone()` copies what `names` returned, and every heap buffer it owns, for nothing",
                "`c` is cloned but never used again: the `clone()` copies what `make_circle` returned, and every heap buffer it owns, for nothing",
            ]
        );
    }

    #[test]
    fn calls_find_their_function_through_module_paths_and_re_exports() {
        let lib = r#"
mod a;
mod b;
mod inner;
mod other;
mod user;
pub use self::inner::build;
// Private, but its child modules see it.
fn helper() -> String { String::new() }
"#;
        let a = "pub fn make() -> String { String::new() }\n";
        let b = "pub fn make() -> u32 { 0 }\n";
        let inner = "pub fn build() -> String { String::new() }\n";
        let other = "pub fn build() -> u8 { 0 }\nfn helper() -> u8 { 0 }\n";
        let user = r#"
use crate::a::make;
use crate::b::make as make_n;
use crate::b;
use crate::build;
fn f(out: &mut Vec<String>, ns: &mut Vec<u32>) {
    let s = make();
    out.push(s.clone());
    let n = make_n();
    ns.push(n.clone());
    let t = crate::a::make();
    out.push(t.clone());
    let m = b::make();
    ns.push(m.clone());
    let built = build();
    out.push(built.clone());
    let h = super::helper();
    out.push(h.clone());
}
"#;
        let files =
            [("lib.rs", lib), ("a.rs", a), ("b.rs", b), ("inner.rs", inner), ("other.rs", other), ("user.rs", user)];
        let messages = crate::rules::test_support::crate_messages(RULE, &files);
        let names: Vec<&str> = messages.iter().map(|m| m.split('`').nth(1).unwrap_or("")).collect();
        assert_eq!(names, ["s", "t", "built", "h"], "{messages:#?}");
    }

    #[test]
    fn methods_of_the_crates_trait_impls_type_their_calls() {
        let a = r#"
pub struct Doc;
pub trait Render { fn render(&self) -> String; fn size(&self) -> usize; }
impl Render for Doc {
    fn render(&self) -> String { String::new() }
    fn size(&self) -> usize { 0 }
}
pub trait Describe { fn describe(&self) -> String { String::new() } fn me(&self) -> Self where Self: Sized; }
impl Describe for Doc { fn me(&self) -> Self { Doc } }
pub struct Both;
impl Both { pub fn render(&self) -> u8 { 0 } }
impl Render for Both {
    fn render(&self) -> String { String::new() }
    fn size(&self) -> usize { 0 }
}
"#;
        let b = r#"
use crate::a::{Both, Describe, Doc, Render};
fn f(d: &Doc, both: &Both, out: &mut Vec<String>, ns: &mut Vec<usize>, bs: &mut Vec<u8>) {
    let s = d.render();
    out.push(s.clone());
    let n = d.size();
    ns.push(n.clone());
    // The inherent method comes first: a `u8`.
    let b = both.render();
    bs.push(b.clone());
    // A method the trait provides.
    let text = d.describe();
    out.push(text.clone());
}
"#;
        let messages = crate::rules::test_support::crate_messages(RULE, &[("a.rs", a), ("b.rs", b)]);
        assert_eq!(
            messages,
            [
                "`s` is cloned but never used again: the `clone()` copies what `Doc::render` returned, and every heap buffer it owns, for nothing",
                "`text` is cloned but never used again: the `clone()` copies what `Doc::describe` returned, and every heap buffer it owns, for nothing",
            ]
        );
    }

    #[test]
    fn the_crates_type_aliases_are_expanded_in_the_crate_phase() {
        let a = r#"
pub struct Error;
pub type Result<T> = std::result::Result<T, Error>;
pub type Names = Vec<String>;
pub fn load() -> Result<String> { Ok(String::new()) }
pub fn names() -> Names { Vec::new() }
pub fn count() -> Result<u32> { Ok(0) }
"#;
        let b = r#"
use crate::a::{count, load, names, Result};
fn f(out: &mut Vec<String>, all: &mut Vec<Vec<String>>, ns: &mut Vec<u32>) -> Result<()> {
    let s = load()?;
    out.push(s.clone());
    let n = names();
    all.push(n.clone());
    let c = count()?;
    ns.push(c.clone());
    Ok(())
}
"#;
        let messages = crate::rules::test_support::crate_messages(RULE, &[("a.rs", a), ("b.rs", b)]);
        let names: Vec<&str> = messages.iter().map(|m| m.split('`').nth(1).unwrap_or("")).collect();
        assert_eq!(names, ["s", "n"], "{messages:#?}");
    }

    #[test]
    fn a_method_call_looks_through_the_crates_deref_impls() {
        let a = r#"
use std::ops::Deref;
pub struct Names(Vec<String>);
impl Deref for Names {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> { &self.0 }
}
// A trait method of the type comes before what it derefs to.
pub struct Shadowed(Vec<String>);
impl Deref for Shadowed {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> { &self.0 }
}
pub trait Joined { fn join(&self, sep: &str) -> u32; }
impl Joined for Shadowed { fn join(&self, _: &str) -> u32 { 0 } }
"#;
        let b = r#"
use crate::a::{Names, Shadowed};
fn f(names: &Names, shadowed: &Shadowed, out: &mut Vec<String>, ns: &mut Vec<u32>) {
    let line = names.join(",");
    out.push(line.clone());
    let n = shadowed.join(",");
    ns.push(n.clone());
}
"#;
        let messages = crate::rules::test_support::crate_messages(RULE, &[("a.rs", a), ("b.rs", b)]);
        assert_eq!(
            messages,
            [
                "`line` is cloned but never used again: the `clone()` copies what `Names::join` returned, and every heap buffer it owns, for nothing"
            ]
        );
    }

    #[test]
    fn a_format_of_one_owned_string_is_a_copy() {
        let found = check(
            RULE,
            r#"
pub fn f(items: &[&str], lines: &mut Vec<String>) {
    for item in items {
        let item_label = item.replace('-', " ");
        lines.push(format!("{item_label}")); //~
    }
}
pub fn g(name: String) -> String {
    format!("{}", name) //~
}
"#,
        );
        assert_eq!(replacement(&found[0]), "item_label");
        check_clean(
            RULE,
            r#"
pub fn f(s: &str, owned: String, n: u32, lines: &mut Vec<String>) -> String {
    lines.push(format!("{s}"));
    lines.push(format!("{n}"));
    lines.push(format!("{owned:>8}"));
    lines.push(format!("{owned}!"));
    lines.push(format!("{owned}"));
    owned
}
"#,
        );
    }

    #[test]
    fn methods_of_what_other_files_return_resolve_in_the_crate_phase() {
        let a = r#"
pub struct Config { format: Option<String> }
impl Config {
    pub fn output_format(&self) -> String { self.format.clone().unwrap_or_default() }
    pub fn width(&self) -> usize { 80 }
}
pub fn get_config() -> Config { Config { format: None } }
pub fn name() -> String { String::new() }
"#;
        let b = r#"
use crate::a::{get_config, name};
fn main(spawned: &mut Vec<String>, widths: &mut Vec<usize>) {
    let config = get_config();
    let output_format = config.output_format();
    spawned.push(output_format.clone());
    let width = config.width();
    widths.push(width.clone());
    let trimmed = name().trim().to_owned();
    spawned.push(trimmed.clone());
}
"#;
        let messages = crate::rules::test_support::crate_messages(RULE, &[("a.rs", a), ("b.rs", b)]);
        assert_eq!(
            messages,
            [
                "`output_format` is cloned but never used again: the `clone()` copies what `output_format` returned, and every heap buffer it owns, for nothing",
                "`trimmed` is cloned but never used again: the `clone()` copies what `to_owned` returned, and every heap buffer it owns, for nothing",
            ]
        );
    }
}
