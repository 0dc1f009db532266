//! `string_push_without_capacity`: a `String` that starts empty and is
//! appended to once per iteration of a loop whose length is known before it
//! starts.

use syn::visit::Visit;
use syn::{BinOp, Expr, Lit};

use crate::analysis::fill_loop::{
    CapacityFinding, CapacityMessage, FillLoop, Filled, Reservation, UseRole, capacity_diagnostic, collect_code,
    fill_loop, sole_statement_iter,
};
use crate::diagnostic::Level;
use crate::layout::growth::Growth;
use crate::rule::{Category, FixSafety, Hooks, Reason, RuleMeta};
use crate::rules::format_push_string::temporary;
use crate::syntax::macros::MacroKind;
use crate::syntax::paths::{as_ident, call_of, macro_name, path_is, strip_parens, type_last_segment};
use crate::walk::Rule;
use crate::walk::{Binding, BindingId, Emitter, FnCx, Use, UseKind};

pub(crate) struct StringPushWithoutCapacity;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &StringPushWithoutCapacity;

static META: RuleMeta = RuleMeta {
    name: "string_push_without_capacity",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "a `String` appended to in a loop of known length, without reserving capacity",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::Mixed,
    clippy: &[],
    confirmed_by: &[Reason::StringGrowth],
    fix_leaves_one: true,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds a `String` created empty (`String::new()`, `String::default()`,
`String::from("")`, `"".to_string()`, `"".to_owned()`) and then appended to
by an unconditional `push_str`, `push`, `+=`, `write!` or `writeln!` on every
iteration of a `for` loop whose number of iterations is known before the loop
starts (see `vec_push_without_capacity` for the loops memlint counts).

## Why is this bad
An empty `String` has no buffer. Appending to it a piece at a time makes it
reallocate each time it is full, at least doubling its capacity and copying
everything so far: 1000 pushes of one `char` cost 8 allocations, where
`String::with_capacity(1000)` costs one.

## Example
```rust
fn initials(names: &[&str]) -> String {
    let mut out = String::new();
    for name in names {
        out.push_str("- ");
    }
    out
}
```

## Use instead
```rust
fn initials(names: &[&str]) -> String {
    let mut out = String::with_capacity(names.len() * 2);
    for name in names {
        out.push_str("- ");
    }
    out
}
```

## Known limitations
memlint doesn't compile the code, so it knows how many bytes an iteration appends only
for string and `char` literals and `write!` calls without placeholders; for a
`char` variable it counts one byte (right for ASCII). Otherwise it reports
without a fix and asks for an estimate. Appends of a temporary
(`s.push_str(&format!(..))`) are `format_push_string`'s finding: when every
append of the loop is one, this rule stays silent. The same loop shapes as
`vec_push_without_capacity` are skipped: unknown lengths, `while`/`loop`,
conditional appends, early exits, a string used in other ways (reset,
lent mutably) before or during the loop, a file that defines or imports
another type called `String`. Fields are not tracked.
"#;

/// Methods that read a string without changing its length or capacity.
const READ_ONLY: &[&str] =
    &["len", "is_empty", "capacity", "as_str", "as_bytes", "chars", "bytes", "ends_with", "starts_with", "contains"];

impl Rule for StringPushWithoutCapacity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, out: &mut Emitter) {
        for (id, binding) in fx.facts.bindings.iter().enumerate() {
            if let Some(finding) = check_binding(fx, id, binding) {
                finding.emit(out);
            }
        }
    }
}

/// How many bytes one append adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bytes {
    Exact(u64),
    /// A `char` of unknown value: 1 to 4 bytes.
    Char,
    Unknown,
    /// An appended temporary (`&format!(..)`), reported by `format_push_string`.
    Temporary,
}

fn check_binding<'ast>(fx: &FnCx<'_, '_, 'ast>, id: BindingId, binding: &Binding<'ast>) -> Option<CapacityFinding> {
    let init = binding.init?;
    let type_path = empty_string(fx, init, binding.ty)?;
    let mut fill = fill_loop(fx, id, binding, "String", |u| match u.kind {
        UseKind::MethodReceiver(m) if (m.method == "push_str" || m.method == "push") && m.args.len() == 1 => {
            UseRole::Grow
        }
        UseKind::MethodReceiver(m) if READ_ONLY.iter().any(|r| m.method == r) => UseRole::Read,
        UseKind::CompoundAssign(b) if matches!(b.op, BinOp::AddAssign(_)) => UseRole::Grow,
        UseKind::WriteDestination => UseRole::Grow,
        UseKind::Borrow | UseKind::FormatArg => UseRole::Read,
        _ => UseRole::Other,
    })?;
    let writes = write_macros(fill.lp.expr);
    let mut sizes = Vec::new();
    let mut names: Vec<&'static str> = Vec::new();
    for (i, u) in fill.grows.iter().enumerate() {
        let (name, bytes) = match u.kind {
            UseKind::MethodReceiver(m) if m.method == "push" => ("push", char_bytes(&m.args[0])),
            UseKind::MethodReceiver(m) => ("push_str", str_bytes(fx, &m.args[0])),
            UseKind::CompoundAssign(b) => ("+=", str_bytes(fx, &b.right)),
            _ => {
                let mac = writes.iter().copied().find(|mac| is_write_to(fx, mac, u));
                if let Some(mac) = mac {
                    fill.grow_spans[i] = syn::spanned::Spanned::span(mac);
                }
                let newline = mac.and_then(macro_name).is_some_and(|n| n == "writeln");
                (if newline { "writeln!" } else { "write!" }, mac.map_or(Bytes::Unknown, |m| write_bytes(fx, m)))
            }
        };
        sizes.push(bytes);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if sizes.iter().all(|b| *b == Bytes::Temporary) {
        return None; // `format_push_string` reports these appends; one finding for one piece of code.
    }
    let unknown = sizes.iter().any(|b| matches!(b, Bytes::Unknown | Bytes::Temporary));
    let has_char = sizes.contains(&Bytes::Char);
    // Lower bounds: a `char` is at least one byte, other unknowns at least none.
    let lower: Vec<u64> = sizes
        .iter()
        .map(|b| match b {
            Bytes::Exact(n) => *n,
            Bytes::Char => 1,
            Bytes::Unknown | Bytes::Temporary => 0,
        })
        .collect();
    let per_iteration: u64 = lower.iter().fold(0u64, |a, b| a.saturating_add(*b));
    let growth = Growth::String { pushes: lower, unknown, chars: has_char };
    if fill.fits_first_allocation(&growth) {
        return None; // What a handful of appends need fits in the first allocation anyway.
    }
    let message = message(fx, binding, &fill, &names);
    let count = match fill.trips.exact {
        Some(n) => n.to_string(),
        None => fill.trips.code.clone(),
    };
    let reservation = if unknown {
        let at_least = if per_iteration > 0 { format!(" (at least {per_iteration})") } else { String::new() };
        let count = if count.contains(' ') { format!("({count})") } else { count };
        Reservation {
            replacement: None,
            exact: false,
            note: Some(format!(
                "`{type_path}::with_capacity({count} * N)` with `N` about the bytes one iteration appends{at_least}"
            )),
            alternative: concat_suggestion(fx, &fill),
        }
    } else {
        let capacity = fill.capacity(per_iteration);
        Reservation {
            replacement: Some(format!("{type_path}::with_capacity({capacity})")),
            exact: !has_char,
            note: has_char.then(|| "one byte per `char`: more if they are not ASCII".to_owned()),
            alternative: collect_chars_suggestion(fx, &fill),
        }
    };
    Some(capacity_diagnostic(fx, &META, Filled::binding(binding), init, &fill, message, growth, reservation))
}

fn message(fx: &FnCx<'_, '_, '_>, binding: &Binding<'_>, fill: &FillLoop<'_, '_>, names: &[&str]) -> CapacityMessage {
    let head = fill.lp.head.map_or("", |h| fx.cx.text(h));
    let appends = match (fill.grows.len(), names) {
        (1, [name]) => format!("one `{name}`"),
        (k, [name]) => format!("{k} `{name}`s"),
        (k, _) => {
            let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("{k} appends ({})", list.join(", "))
        }
    };
    let iterations = match fill.trips.exact {
        Some(n) => format!("{n} iterations"),
        None => format!("`{}` iterations", fill.trips.code),
    };
    CapacityMessage {
        head: format!(
            "`{}` grows by {appends} per iteration of a loop over `{head}` ({iterations}) without reserved capacity",
            binding.name
        ),
        unknown_cost: "it reallocates about log2(bytes) times where one allocation would do",
    }
}

/// The `String` type as the replacement should spell it, when `init`
/// creates an empty one.
fn empty_string(fx: &FnCx<'_, '_, '_>, init: &Expr, ty: Option<&syn::Type>) -> Option<String> {
    let init = strip_parens(init);
    if let Expr::MethodCall(m) = init {
        let empty_literal =
            matches!(strip_parens(&m.receiver), Expr::Lit(l) if matches!(&l.lit, Lit::Str(s) if s.value().is_empty()));
        let converts = m.args.is_empty() && (m.method == "to_string" || m.method == "to_owned");
        return (empty_literal && converts).then(|| "String".to_owned());
    }
    let (path, args) = call_of(init)?;
    if path_is(path, &["String", "from"]) {
        let empty = matches!(args.first().map(strip_parens), Some(Expr::Lit(l)) if matches!(&l.lit, Lit::Str(s) if s.value().is_empty()));
        return (empty && args.len() == 1).then(|| "String".to_owned());
    }
    if !args.is_empty() {
        return None;
    }
    if path_is(path, &["String", "new"]) || path_is(path, &["String", "default"]) {
        let text = fx.cx.text(path);
        return Some(text.rsplit_once("::").map_or("String", |(head, _)| head.trim_end()).to_owned());
    }
    // `let s: String = Default::default();`
    let declared = ty.and_then(type_last_segment).is_some_and(|s| s.ident == "String");
    (path_is(path, &["Default", "default"]) && declared).then(|| "String".to_owned())
}

/// Bytes appended by `push(arg)`.
fn char_bytes(arg: &Expr) -> Bytes {
    match strip_parens(arg) {
        Expr::Lit(syn::ExprLit { lit: Lit::Char(c), .. }) => Bytes::Exact(c.value().len_utf8() as u64),
        _ => Bytes::Char,
    }
}

/// Bytes appended by `push_str(arg)` or `+= arg`.
fn str_bytes<'ast>(fx: &FnCx<'_, '_, 'ast>, arg: &'ast Expr) -> Bytes {
    match strip_parens(arg) {
        Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Bytes::Exact(s.value().len() as u64),
        _ if temporary(fx.cx, arg).is_some() => Bytes::Temporary,
        _ => Bytes::Unknown,
    }
}

/// Bytes appended by a `write!`/`writeln!` whose format string has no placeholders.
fn write_bytes<'ast>(fx: &FnCx<'_, '_, 'ast>, mac: &'ast syn::Macro) -> Bytes {
    let call = fx.cx.macro_call(mac);
    let Some(Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. })) = call.format_index.and_then(|i| call.args.get(i))
    else {
        return Bytes::Unknown;
    };
    let plain = call.format.as_ref().is_some_and(|f| f.placeholders().next().is_none());
    if !plain || !call.named.is_empty() || call.args.len() != 2 {
        return Bytes::Unknown;
    }
    // Without placeholders the text is the literal with `{{`/`}}` unescaped.
    let value = s.value();
    let braces = (value.matches("{{").count() + value.matches("}}").count()) as u64;
    let newline = u64::from(call.name.as_deref() == Some("writeln"));
    Bytes::Exact(value.len() as u64 - braces + newline)
}

/// Whether `mac` is the `write!` whose destination is the use `u`.
fn is_write_to<'ast>(fx: &FnCx<'_, '_, 'ast>, mac: &'ast syn::Macro, u: &Use<'_>) -> bool {
    let call = fx.cx.macro_call(mac);
    call.kind == MacroKind::Write
        && call
            .args
            .first()
            .and_then(as_ident)
            .is_some_and(|i| i.span().byte_range().start == u.span.byte_range().start)
}

/// The `write!`/`writeln!` calls written inside a loop.
fn write_macros(expr: &Expr) -> Vec<&syn::Macro> {
    struct Writes<'a>(Vec<&'a syn::Macro>);
    impl<'a> Visit<'a> for Writes<'a> {
        fn visit_macro(&mut self, mac: &'a syn::Macro) {
            if macro_name(mac).is_some_and(|n| n == "write" || n == "writeln") {
                self.0.push(mac);
            }
        }
    }
    let mut writes = Writes(Vec::new());
    writes.visit_expr(expr);
    writes.0
}

/// `iter.map(|pat| c).collect::<String>()` when the loop's body is one `push(c)`.
fn collect_chars_suggestion<'ast>(fx: &FnCx<'_, '_, 'ast>, fill: &FillLoop<'_, 'ast>) -> Option<String> {
    let push = fill.sole_method_call()?;
    if push.method != "push" {
        return None;
    }
    let (iter, pat) = sole_statement_iter(fx, fill.lp, push)?;
    Some(collect_code(fx, &iter, pat, fx.cx.text(&push.args[0]), "String"))
}

/// `pieces.concat()` when the loop's body is `s.push_str(piece)` for each
/// `piece` of a slice, array or `Vec` (whose elements `push_str` accepts, so
/// `concat` does too).
fn concat_suggestion<'ast>(fx: &FnCx<'_, '_, 'ast>, fill: &FillLoop<'_, 'ast>) -> Option<String> {
    let push = fill.sole_method_call()?;
    if push.method != "push_str" {
        return None;
    }
    let (_, pat) = sole_statement_iter(fx, fill.lp, push)?;
    if fx.cx.text(pat) != fx.cx.text(&push.args[0]) {
        return None;
    }
    let collection = match strip_parens(fill.lp.head?) {
        Expr::Reference(r) => &*r.expr,
        Expr::MethodCall(m) if m.method == "iter" && m.args.is_empty() => &*m.receiver,
        e => e,
    };
    let ident = as_ident(collection)?;
    let id = crate::analysis::trip_count::binding_at(fx, ident)?;
    let mut ty = fx.facts.bindings[id].ty?;
    while let syn::Type::Reference(r) = ty {
        ty = &r.elem;
    }
    let sequence = match ty {
        syn::Type::Slice(_) | syn::Type::Array(_) => true,
        syn::Type::Path(_) => type_last_segment(ty).is_some_and(|s| s.ident == "Vec"),
        _ => false,
    };
    sequence.then(|| format!("{ident}.concat()"))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, crate_messages, fix, lint_all};

    const RULE: &str = "string_push_without_capacity";

    /// The loop's count is a constant of another file: decided in the
    /// crate phase as if the file had known it, also through the cache.
    #[test]
    fn constants_of_other_files_give_exact_counts() {
        let b = "use crate::a::N;\npub fn f() -> String {\n    let mut s = String::new();\n    for _ in 0..N {\n        s.push_str(\"ab\");\n    }\n    s\n}\n";
        let run =
            |n: u64| crate_messages(RULE, &[("src/a.rs", &format!("pub const N: usize = {n};\n")), ("src/b.rs", b)]);
        assert_eq!(run(3), Vec::<String>::new(), "3 iterations fit in the first allocation");
        let found = run(1000);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].ends_with("2000 bytes cost 9 allocations where one would do"), "{}", found[0]);
    }

    /// regex-syntax 0.8.12 `error.rs:225`: padding pushed in one loop, then
    /// more text: reserving the padding alone would add an allocation.
    #[test]
    fn a_string_grown_after_the_loop_is_not_reported() {
        check_clean(
            RULE,
            "fn notes(pad: usize, width: usize) -> String {\n    let mut notes = String::new();\n    for _ in 0..pad {\n        notes.push(' ');\n    }\n    for _ in 0..width {\n        notes.push('^');\n    }\n    notes\n}\n",
        );
    }

    #[test]
    fn literal_pushes_have_exact_capacity() {
        let found = check(
            RULE,
            r#"
fn f(names: &[&str], n: usize) -> String {
    let mut out = String::new(); //~
    for name in names {
        out.push_str(", ");
    }
    let mut dots = String::default(); //~
    for _ in 0..1000 { dots.push('.'); }
    let mut arrows = "".to_string(); //~
    for _ in 0..n { arrows += "→"; arrows.push('|'); }
    out
}
"#,
        );
        let d = &found[0];
        assert_eq!(d.span.column, 19);
        assert_eq!(
            d.message,
            "`out` grows by one `push_str` per iteration of a loop over `names` (`names.len()` iterations) without reserved capacity: it reallocates about log2(bytes) times where one allocation would do"
        );
        assert_eq!(fix(d).edits[0].replacement, "String::with_capacity(2 * names.len())");
        assert_eq!(fix(d).applicability, crate::Applicability::MachineApplicable);
        assert_eq!(d.labels.len(), 2);
        assert!(found[1].message.ends_with("1000 bytes cost 8 allocations where one would do"), "{}", found[1].message);
        assert_eq!(fix(&found[1]).edits[0].replacement, "String::with_capacity(1000)");
        assert!(
            found[1].help.as_deref().unwrap().contains("(0..1000).map(|_| '.').collect::<String>()"),
            "{:?}",
            found[1].help
        );
        assert!(found[2].message.contains("2 appends (`+=`, `push`)"), "{}", found[2].message);
        assert_eq!(fix(&found[2]).edits[0].replacement, "String::with_capacity(4 * n)");
    }

    #[test]
    fn chars_and_unknown_lengths() {
        let found = check(
            RULE,
            r#"
fn f(chars: &[char], words: Vec<String>, items: &[Item]) {
    let mut s = String::new(); //~
    for c in chars { s.push(*c); }
    let mut t = String::from(""); //~
    for w in &words { t.push_str(w); }
    let mut u = String::new(); //~
    for it in items { u.push_str(&it.name); u.push(','); }
}
"#,
        );
        assert_eq!(fix(&found[0]).edits[0].replacement, "String::with_capacity(chars.len())");
        assert_eq!(fix(&found[0]).applicability, crate::Applicability::MaybeIncorrect);
        assert!(found[0].help.as_deref().unwrap().contains("one byte per `char`"), "{:?}", found[0].help);
        assert!(found[0].help.as_deref().unwrap().contains("chars.iter().map(|c| *c).collect::<String>()"));
        assert!(found[1].fix.is_none());
        let help = found[1].help.as_deref().unwrap();
        assert!(help.contains("`String::with_capacity(words.len() * N)` with `N` about the bytes"), "{help}");
        assert!(help.contains("`words.concat()`"), "{help}");
        assert!(found[2].help.as_deref().unwrap().contains("(at least 1)"), "{:?}", found[2].help);
    }

    #[test]
    fn write_macros() {
        let found = check(
            RULE,
            r#"
use std::fmt::Write;
fn f(rows: &[Row]) -> String {
    let mut s = String::new(); //~
    for r in rows {
        write!(s, "{}", r.id).unwrap();
    }
    let mut t = String::new(); //~
    for _ in 0..100 { writeln!(t, "{{x}}").unwrap(); }
    s
}
"#,
        );
        assert!(found[0].fix.is_none());
        assert!(found[0].message.contains("one `write!`"), "{}", found[0].message);
        assert_eq!(found[0].labels[1].span.line, 6);
        assert_eq!(found[0].labels[1].span.column, 9);
        assert_eq!(fix(&found[1]).edits[0].replacement, "String::with_capacity(400)");
    }

    #[test]
    fn reserved_conditional_or_reset() {
        check_clean(
            RULE,
            r#"
fn f(names: &[&str]) -> Result<String, E> {
    let mut a = String::with_capacity(names.len());
    for n in names { a.push_str(n); }
    let mut b = String::new();
    b.reserve(names.len());
    for n in names { b.push_str(n); }
    let mut c = String::new();
    for n in names { if !n.is_empty() { c.push_str(n); } }
    let mut d = String::new();
    for n in names { if n.is_empty() { break; } d.push_str(n); }
    let mut e = String::new();
    for n in names { e.push_str(check(n)?); }
    let mut g = String::new();
    for n in names { g.push_str(n); g.clear(); }
    let mut h = String::new();
    for n in names { h = String::new(); h.push_str(n); }
    let mut i = String::new();
    for n in names { i.push_str(n); if n.len() > 3 { return Ok(i); } }
    let mut j = String::new();
    for n in names { fill(&mut j); j.push_str(n); }
    Ok(a)
}
"#,
        );
    }

    #[test]
    fn unknown_trip_counts_and_look_alikes() {
        check_clean(
            RULE,
            r#"
fn f(text: &str, names: &[&str], prefix: &str) {
    let mut a = String::new();
    for c in text.chars() { a.push(c); }
    let mut b = String::new();
    let mut i = 0;
    while i < 10 { b.push('x'); i += 1; }
    let mut c = prefix.to_string();
    for n in names { c.push_str(n); }
    let mut d = String::from("> ");
    for n in names { d.push_str(n); }
    let mut e = String::new();
    for n in [1, 2] { e.push_str("ab"); }
    let mut g = Buffer::new();
    for n in names { g.push_str(n); }
    let mut h = String::new();
    for n in names { for m in names { h.push_str(m); } }
    let mut k = String::new();
    for x in 0..4 { k.push('a'); }
    let mut l = String::new();
    for n in names { l -= n; }
}
"#,
        );
    }

    #[test]
    fn format_pushes_are_left_to_format_push_string() {
        let src = r#"
fn f(names: &[&str]) -> (String, String) {
    let mut a = String::new();
    for n in names {
        a.push_str(&format!("{n}, "));
    }
    let mut b = String::new();
    for n in names {
        b += &n.to_string();
        b.push(',');
    }
    (a, b)
}
"#;
        assert_eq!(
            lint_all(src),
            vec![("format_push_string", 5), ("string_push_without_capacity", 7), ("format_push_string", 9),]
        );
    }

    #[test]
    fn shadowed_string() {
        check_clean(
            RULE,
            r#"
pub struct String(Vec<u8>);
impl String {
    pub fn new() -> Self { String(Vec::new()) }
    pub fn push_str(&mut self, s: &str) { self.0.extend_from_slice(s.as_bytes()); }
}
pub fn f(names: &[&str]) -> String {
    let mut s = String::new();
    for n in names { s.push_str(n); s.push_str(", "); }
    s
}
"#,
        );
        check_clean(
            RULE,
            r#"
use smol_str::String;
pub fn f(n: usize) { let mut s = String::new(); for _ in 0..n { s.push_str("ab"); } }
"#,
        );
        // A comment naming another `String` shadows nothing.
        check(
            RULE,
            r#"
/// Returns the text as String (we use a String; a `struct String` of our own would be overkill).
pub fn f(n: usize) -> String {
    let mut s = String::new(); //~
    for _ in 0..n { s.push_str("ab"); }
    s
}
"#,
        );
    }

    #[test]
    fn test_code_is_skipped() {
        check_clean(
            RULE,
            r#"
#[test]
fn t() { let mut s = String::new(); for i in 0..100 { s.push('x'); } }
"#,
        );
    }
}
