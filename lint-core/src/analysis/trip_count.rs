//! Whether the number of iterations of a `for` loop is known before the
//! loop starts, and the code that computes it (for `with_capacity(..)`).
//!
//! Known: ranges with an end (`0..n`, `a..=b`), array literals, and
//! collections whose type the syntax shows (a `&[T]`/`Vec<T>`/map parameter,
//! a local built by `vec![..]`/`Vec::new()`/`collect::<Vec<_>>()`, a field of
//! a struct of this file), also through `.iter()`, `.iter_mut()`, `.keys()`,
//! `.values()`, `.enumerate()`, `.rev()`, `.copied()`, `.cloned()`, `.map(..)`
//! and `.zip(..)`. Unknown: iterators of unknown length (`.chars()`,
//! `.lines()`, `.filter(..)`, a `while let` over anything).

use syn::{Expr, RangeLimits};

use crate::analysis::consts::{const_int, crate_const};
use crate::semantic::ty::Ty;
use crate::syntax::macros::{MacroKind, is_vec_repeat};
use crate::syntax::paths::{Sizedness, as_ident, call_of, int_literal, path_is, strip_parens, type_sizedness};
use crate::walk::{BindingOrigin, ConstCount, FnCx};

/// The known number of iterations of a loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TripCount {
    /// Code evaluating to the count before the loop (`items.len()`, `n`, `16`).
    pub code: String,
    /// The count, when it is a constant.
    pub exact: Option<u64>,
    /// Whether `code` certainly has type `usize` (a `len()`, a literal, a
    /// `usize` binding); a range over `u32` does not.
    pub usize_certain: bool,
    /// When the count is not known in the file because it is a constant of
    /// another file of the crate (`0..N` with `use crate::limits::N;`):
    /// that constant, for the crate phase.
    pub crate_const: Option<ConstCount>,
}

impl TripCount {
    /// The room for `per_iteration` elements added on every iteration: a
    /// number when the count is exact, else code (`2 * items.len()`).
    pub fn capacity(&self, per_iteration: u64) -> String {
        match self.exact {
            Some(n) => n.saturating_mul(per_iteration).to_string(),
            None if per_iteration == 1 => self.code.clone(),
            None => format!("{per_iteration} * {}", self.code),
        }
    }

    fn exact(n: u64) -> Self {
        TripCount { code: n.to_string(), exact: Some(n), usize_certain: true, crate_const: None }
    }

    fn code(code: String) -> Self {
        TripCount { code, exact: None, usize_certain: true, crate_const: None }
    }

    fn uncertain(code: String) -> Self {
        TripCount { code, exact: None, usize_certain: false, crate_const: None }
    }
}

/// The trip count of `for _ in iterable`, when the syntax makes it certain.
pub fn trip_count<'ast>(fx: &FnCx<'_, '_, 'ast>, iterable: &'ast Expr) -> Option<TripCount> {
    let iterable = strip_parens(iterable);
    match iterable {
        Expr::Range(range) => range_count(fx, range),
        Expr::Reference(r) => trip_count(fx, &r.expr),
        Expr::Array(a) => Some(TripCount::exact(a.elems.len() as u64)),
        Expr::Repeat(r) => const_int(fx, &r.len).map(TripCount::exact),
        Expr::Macro(m) => vec_macro_len(fx, &m.mac),
        Expr::MethodCall(m) => {
            let method = m.method.to_string();
            match method.as_str() {
                // Views of a collection that yield one item per element; only on
                // collections the syntax knows (`Option`, `Receiver` and `Path`
                // have an `iter()` too, without a `len()`).
                "iter" | "iter_mut" | "keys" | "values" | "values_mut" | "into_keys" | "into_values" | "into_iter"
                    if m.args.is_empty() =>
                {
                    collection_len(fx, &m.receiver)
                }
                // Adapters that keep the number of items.
                "enumerate" | "rev" | "copied" | "cloned" if m.args.is_empty() => trip_count(fx, &m.receiver),
                "map" | "inspect" if m.args.len() == 1 && matches!(m.args[0], Expr::Closure(_) | Expr::Path(_)) => {
                    trip_count(fx, &m.receiver)
                }
                "zip" if m.args.len() == 1 => {
                    let a = trip_count(fx, &m.receiver)?;
                    let b = trip_count(fx, &m.args[0])?;
                    Some(match (a.exact, b.exact) {
                        (Some(x), Some(y)) => TripCount::exact(x.min(y)),
                        _ => TripCount {
                            code: format!("{}.min({})", a.code, b.code),
                            exact: None,
                            usize_certain: a.usize_certain && b.usize_certain,
                            // The smaller of two counts: not a count of one constant.
                            crate_const: None,
                        },
                    })
                }
                _ => None,
            }
        }
        _ => collection_len(fx, iterable),
    }
}

fn range_count<'ast>(fx: &FnCx<'_, '_, 'ast>, range: &'ast syn::ExprRange) -> Option<TripCount> {
    let end = range.end.as_deref()?;
    let closed = matches!(range.limits, RangeLimits::Closed(_));
    let start = range.start.as_deref();
    let start_lit = match start {
        None => Some(0),
        Some(s) => const_int(fx, s),
    };
    if let (Some(a), Some(b)) = (start_lit, const_int(fx, end)) {
        let n = if closed { b.saturating_add(1).saturating_sub(a) } else { b.saturating_sub(a) };
        return Some(TripCount::exact(n));
    }
    let pending = start_lit.and_then(|start| Some(ConstCount { name: crate_const(fx, end)?, start, closed }));
    let mut count = range_code(fx, range, start_lit)?;
    count.crate_const = pending;
    Some(count)
}

/// The count of a range that is not a constant, as code.
fn range_code<'ast>(fx: &FnCx<'_, '_, 'ast>, range: &'ast syn::ExprRange, start_lit: Option<u64>) -> Option<TripCount> {
    let end = range.end.as_deref()?;
    let closed = matches!(range.limits, RangeLimits::Closed(_));
    let start = range.start.as_deref();
    let end_text = fx.cx.text(end);
    let (end_code, simple_end, certain) = match int_type(fx, end) {
        IntType::Usize => (end_text.to_owned(), is_simple(end), true),
        IntType::Other => {
            let cast = if is_simple(end) { format!("{end_text} as usize") } else { format!("({end_text}) as usize") };
            (cast, false, start_lit.is_some())
        }
        IntType::Unknown => (end_text.to_owned(), is_simple(end), false),
    };
    let receiver = if simple_end { end_code.clone() } else { format!("({end_code})") };
    let code = match (start_lit, closed) {
        (Some(0), false) | (Some(1), true) => end_code,
        (Some(0), true) => format!("{end_code} + 1"),
        (Some(a), false) => format!("{receiver}.saturating_sub({a})"),
        (Some(a), true) => format!("{receiver}.saturating_sub({a}) + 1"),
        (None, _) => {
            let sub = format!("{receiver}.saturating_sub({})", fx.cx.text(start?));
            let code = if closed { format!("{sub} + 1") } else { sub };
            return Some(TripCount::uncertain(code));
        }
    };
    Some(if certain { TripCount::code(code) } else { TripCount::uncertain(code) })
}

/// What the syntax says about an integer expression's type.
enum IntType {
    Usize,
    Other,
    Unknown,
}

const INT_TYPES: &[&str] = &["u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128", "isize"];

fn int_type(fx: &FnCx<'_, '_, '_>, expr: &Expr) -> IntType {
    match strip_parens(expr) {
        Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) => match i.suffix() {
            "" | "usize" => IntType::Usize,
            _ => IntType::Other,
        },
        Expr::MethodCall(m) if m.args.is_empty() && (m.method == "len" || m.method == "count") => IntType::Usize,
        Expr::Cast(c) => int_type_of(Some(&c.ty)),
        e => int_type_of(as_ident(e).and_then(|i| binding_at(fx, i)).and_then(|id| fx.facts.bindings[id].ty)),
    }
}

fn int_type_of(ty: Option<&syn::Type>) -> IntType {
    match ty.and_then(crate::syntax::paths::type_last_segment) {
        Some(seg) if seg.ident == "usize" => IntType::Usize,
        Some(seg) if INT_TYPES.iter().any(|t| seg.ident == t) => IntType::Other,
        _ => IntType::Unknown,
    }
}

/// Whether an expression can take a method call without parentheses.
fn is_simple(expr: &Expr) -> bool {
    matches!(
        strip_parens(expr),
        Expr::Path(_)
            | Expr::Field(_)
            | Expr::MethodCall(_)
            | Expr::Call(_)
            | Expr::Lit(_)
            | Expr::Index(_)
            | Expr::Macro(_)
    )
}

/// The length of an expression known to be a collection, by its declared
/// type or how it was built, or by the type the semantic model infers
/// (`let rows = parse(..)` with `fn parse(..) -> Vec<Row>` in the file,
/// `for row in &self.rows`, `for (k, v) in &map` with `map` built by a
/// std call).
fn collection_len<'ast>(fx: &FnCx<'_, '_, 'ast>, expr: &'ast Expr) -> Option<TripCount> {
    written_collection_len(fx, expr).or_else(|| inferred_collection_len(fx, expr))
}

/// Collections whose `len()` is the number of items a `for` loop over
/// them (or a reference to them) yields.
const COUNTED: &[&str] = &["Vec", "VecDeque", "BinaryHeap", "HashMap", "HashSet", "BTreeMap", "BTreeSet"];

fn inferred_collection_len<'ast>(fx: &FnCx<'_, '_, 'ast>, expr: &'ast Expr) -> Option<TripCount> {
    let expr = strip_parens(expr);
    let place = match expr {
        Expr::Reference(r) => &*r.expr,
        e => e,
    };
    // A place read twice (once for `len()`): no call that could run twice.
    if !matches!(strip_parens(place), Expr::Path(_) | Expr::Field(_)) {
        return None;
    }
    let ty = crate::analysis::types::type_of(fx, place)?;
    let counted = match ty.peel_refs() {
        Ty::Std(name, _) => COUNTED.contains(&name.as_str()),
        Ty::Slice(_) | Ty::Array(_) => true,
        _ => false,
    };
    let text = crate::syntax::snippet::one_line(fx.cx.text(place));
    counted.then(|| TripCount::code(format!("{text}.len()")))
}

fn written_collection_len<'ast>(fx: &FnCx<'_, '_, 'ast>, expr: &'ast Expr) -> Option<TripCount> {
    let expr = strip_parens(expr);
    if let Expr::Reference(r) = expr {
        return collection_len(fx, &r.expr);
    }
    if let Expr::Field(field) = expr {
        let ty = field_type(fx, field)?;
        return sized(type_sizedness(ty)?, fx.cx.text(expr));
    }
    let ident = as_ident(expr)?;
    let id = binding_at(fx, ident)?;
    let binding = &fx.facts.bindings[id];
    let text = ident.to_string();
    if let Some(ty) = binding.ty {
        return sized(type_sizedness(ty)?, &text);
    }
    if binding.origin == BindingOrigin::ForPattern {
        // `for row in rows` where `rows: &[Vec<T>]`: `row` is a `Vec<T>`.
        let lp = &fx.facts.loops[binding.innermost_loop?];
        let is_whole_pattern = lp.pat.is_some_and(|p| matches!(p, syn::Pat::Ident(pi) if pi.ident == *ident));
        let element = if is_whole_pattern {
            element_type(fx, lp.head?)?
        } else {
            return None;
        };
        return sized(type_sizedness(element)?, &text);
    }
    if binding.origin != BindingOrigin::Let {
        return None;
    }
    let init = strip_parens(binding.init?);
    match init {
        Expr::Array(a) => Some(TripCount::exact(a.elems.len() as u64)),
        Expr::Repeat(r) => {
            Some(int_literal(&r.len).map_or_else(|| TripCount::code(format!("{text}.len()")), TripCount::exact))
        }
        Expr::Macro(m) => {
            let call = fx.cx.macro_call(&m.mac);
            (call.kind == MacroKind::Vec).then(|| TripCount::code(format!("{text}.len()")))
        }
        Expr::MethodCall(m) if m.method == "collect" && collects_into_collection(m) => {
            Some(TripCount::code(format!("{text}.len()")))
        }
        Expr::MethodCall(m) if m.method == "to_vec" && m.args.is_empty() => {
            Some(TripCount::code(format!("{text}.len()")))
        }
        _ => {
            let (path, _) = call_of(init)?;
            let builds_collection = ["Vec", "VecDeque", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "BinaryHeap"]
                .iter()
                .any(|t| ["new", "with_capacity", "from", "default"].iter().any(|f| path_is(path, &[t, f])));
            builds_collection.then(|| TripCount::code(format!("{text}.len()")))
        }
    }
}

/// The declared element type of a collection a `for` loop iterates over
/// (`rows`, `&rows`, `rows.iter()` with `rows: &[Vec<T>]` gives `Vec<T>`).
fn element_type<'ast>(fx: &FnCx<'_, '_, 'ast>, head: &'ast Expr) -> Option<&'ast syn::Type> {
    let collection = match strip_parens(head) {
        Expr::Reference(r) => &*r.expr,
        Expr::MethodCall(m) if m.args.is_empty() && (m.method == "iter" || m.method == "iter_mut") => &*m.receiver,
        e => e,
    };
    let ident = as_ident(collection)?;
    let mut ty = fx.facts.bindings[binding_at(fx, ident)?].ty?;
    loop {
        match ty {
            syn::Type::Reference(r) => ty = &r.elem,
            syn::Type::Paren(p) => ty = &p.elem,
            syn::Type::Slice(s) => return Some(&s.elem),
            syn::Type::Array(a) => return Some(&a.elem),
            syn::Type::Path(p) => {
                let last = p.path.segments.last()?;
                return (last.ident == "Vec" || last.ident == "VecDeque")
                    .then(|| crate::syntax::paths::single_generic(last))
                    .flatten();
            }
            _ => return None,
        }
    }
}

fn sized(sizedness: Sizedness, text: &str) -> Option<TripCount> {
    Some(match sizedness {
        Sizedness::Array(n) => TripCount::exact(n),
        Sizedness::HasLen => TripCount::code(format!("{text}.len()")),
    })
}

fn vec_macro_len<'ast>(fx: &FnCx<'_, '_, 'ast>, mac: &'ast syn::Macro) -> Option<TripCount> {
    let call = fx.cx.macro_call(mac);
    if call.kind != MacroKind::Vec {
        return None;
    }
    if is_vec_repeat(mac) {
        return call.args.get(1).and_then(int_literal).map(TripCount::exact);
    }
    Some(TripCount::exact(call.args.len() as u64))
}

fn collects_into_collection(m: &syn::ExprMethodCall) -> bool {
    let Some(turbofish) = &m.turbofish else {
        return false;
    };
    turbofish.args.iter().any(|arg| matches!(arg, syn::GenericArgument::Type(ty) if type_sizedness(ty).is_some()))
}

/// The declared type of `base.field`, for `self.field` in an impl of a
/// struct of this file, or a binding annotated with such a struct.
fn field_type<'ast>(fx: &FnCx<'_, '_, 'ast>, field: &syn::ExprField) -> Option<&'ast syn::Type> {
    let syn::Member::Named(name) = &field.member else {
        return None;
    };
    let base = as_ident(&field.base)?;
    let type_name = if base == "self" {
        fx.facts.self_type.clone()?
    } else {
        let id = binding_at(fx, base)?;
        let ty = fx.facts.bindings[id].ty?;
        crate::syntax::paths::type_last_segment(ty)?.ident.to_string()
    };
    fx.cx.items().field_type(&type_name, &name.to_string())
}

/// The binding an identifier in the function's body refers to.
pub fn binding_at(fx: &FnCx<'_, '_, '_>, ident: &syn::Ident) -> Option<crate::walk::BindingId> {
    fx.facts.use_at(ident).map(|u| u.binding)
}
