//! Reading the arguments of the standard macros whose arguments are
//! expressions (`format!`, `write!`, `vec!`, `assert_eq!`, `matches!`, ...)
//! and of the `log` and `tracing` macros, so that rules and the binding table
//! see inside them. Other macros stay opaque.
//!
//! A macro memlint reads expands to its arguments' code and nothing else: it
//! can leave a loop only through a `return`, `break` or `?` in its arguments,
//! which the walk sees. An opaque macro may expand to anything.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::{Expr, LitStr, Token};

use super::format_string::FormatString;
use super::paths::macro_name;

/// How a macro treats its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacroKind {
    /// `format!`, `println!`, `panic!`, ...: a format string, then arguments
    /// that are only borrowed.
    Format,
    /// `write!`/`writeln!`: a destination, then a format string and arguments.
    Write,
    /// `assert!`-like: expressions, then an optional format string.
    Assert,
    /// `vec![a, b]`, `vec![x; n]`.
    Vec,
    /// `dbg!(a, b)`: expressions evaluated and moved.
    Exprs,
    /// `log` and `tracing` macros (`debug!`, `log::info!`, `tracing::trace!`,
    /// `info_span!`): `target:`-like arguments, fields, then an optional
    /// format string and its arguments, all only borrowed.
    Log,
    /// `matches!(expr, pattern if guard)`.
    Matches,
    /// `stringify!`, `concat!`, `env!`, `cfg!`, `line!`, ...: expand to a
    /// constant; no argument is evaluated.
    Constant,
    /// Anything else: its tokens are not read as code.
    Opaque,
}

/// A parsed macro call.
#[derive(Debug)]
pub struct MacroCall<'ast> {
    /// The macro as written.
    pub mac: &'ast syn::Macro,
    /// Its name (`format`), when it is a bare or std path.
    pub name: Option<String>,
    /// How its arguments are treated.
    pub kind: MacroKind,
    /// Expression arguments in order (for `vec![x; n]`: `x` then `n`). For
    /// formatting macros this includes the format string literal; for
    /// logging macros the values of fields (`a = x`, `?x`) too; for
    /// `matches!` the scrutinee, then the guard.
    pub args: Vec<Expr>,
    /// `name = expr` arguments of formatting macros.
    pub named: Vec<(syn::Ident, Expr)>,
    /// `target: expr`, `parent: expr`, `logger: expr`, `name: expr`
    /// arguments of logging macros (evaluated, possibly moved).
    pub keywords: Vec<(syn::Ident, Expr)>,
    /// The pattern of `matches!`.
    pub pattern: Option<syn::Pat>,
    /// Index in `args` of the format string, when there is one.
    pub format_index: Option<usize>,
    /// The parsed format string.
    pub format: Option<FormatString>,
}

impl<'ast> MacroCall<'ast> {
    /// Reads `mac`. Never fails: unreadable arguments make the call opaque.
    pub fn parse(mac: &'ast syn::Macro, source: &crate::SourceFile) -> MacroCall<'ast> {
        let (name, kind) = match macro_name(mac) {
            Some(name) => {
                let kind = kind_of(&name);
                (Some(name), kind)
            }
            None => match logging_macro_name(&mac.path) {
                Some(name) => (Some(name.to_owned()), MacroKind::Log),
                None => (None, MacroKind::Opaque),
            },
        };
        let mut call = MacroCall {
            mac,
            name,
            kind,
            args: Vec::new(),
            named: Vec::new(),
            keywords: Vec::new(),
            pattern: None,
            format_index: None,
            format: None,
        };
        let parsed = match kind {
            MacroKind::Opaque | MacroKind::Constant => return call,
            MacroKind::Matches => parse_matches.parse2(mac.tokens.clone()).map(|(scrutinee, pattern, guard)| {
                call.pattern = Some(pattern);
                (std::iter::once(scrutinee).chain(guard).collect(), Vec::new())
            }),
            // `todo!()`, `vec![]`: nothing to parse (parsing builds a token buffer).
            _ if mac.tokens.is_empty() => Ok((Vec::new(), Vec::new())),
            MacroKind::Vec => parse_vec.parse2(mac.tokens.clone()).map(|args| (args, Vec::new())),
            MacroKind::Log => {
                let has_message = call.name.as_deref().is_some_and(logs_a_message);
                let parsed = (|input: ParseStream<'_>| parse_log_args(input, has_message)).parse2(mac.tokens.clone());
                parsed.map(|log| {
                    call.keywords = log.keywords;
                    call.format_index = log.message;
                    (log.args, log.named)
                })
            }
            _ => parse_args.parse2(mac.tokens.clone()),
        };
        let Ok((args, named)) = parsed else {
            call.kind = MacroKind::Opaque;
            call.keywords.clear();
            call.pattern = None;
            return call;
        };
        call.args = args;
        call.named = named;
        let format_index = match kind {
            MacroKind::Log => call.format_index.take(),
            MacroKind::Format => Some(0),
            MacroKind::Write => Some(1),
            MacroKind::Assert if call.name.as_deref().is_some_and(|n| n.ends_with("_eq") || n.ends_with("_ne")) => {
                Some(2)
            }
            MacroKind::Assert => Some(1),
            _ => None,
        };
        if let Some(i) = format_index {
            if let Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. })) = call.args.get(i) {
                call.format_index = Some(i);
                call.format = parse_format(lit, source);
            } else if kind == MacroKind::Format && !call.args.is_empty() {
                // A 2015 `panic!(value)`: not a format call.
                call.kind = MacroKind::Opaque;
                call.args.clear();
                call.named.clear();
            }
        }
        call
    }

    /// The format arguments after the format string (positional ones).
    pub fn format_args(&self) -> &[Expr] {
        match self.format_index {
            Some(i) => &self.args[i + 1..],
            None => &[],
        }
    }
}

fn parse_format(lit: &LitStr, source: &crate::SourceFile) -> Option<FormatString> {
    let token = source.text_of(lit.span());
    let token = if token.is_empty() { lit.token().to_string() } else { token.to_owned() };
    FormatString::parse(&token)
}

fn kind_of(name: &str) -> MacroKind {
    match name {
        "format" | "format_args" | "print" | "println" | "eprint" | "eprintln" | "panic" | "unreachable" | "todo"
        | "unimplemented" => MacroKind::Format,
        "write" | "writeln" => MacroKind::Write,
        "assert" | "debug_assert" | "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => {
            MacroKind::Assert
        }
        "vec" => MacroKind::Vec,
        "dbg" => MacroKind::Exprs,
        "matches" => MacroKind::Matches,
        "stringify" | "concat" | "env" | "option_env" | "cfg" | "line" | "column" | "file" | "module_path"
        | "include_str" | "include_bytes" | "compile_error" => MacroKind::Constant,
        // `trace!`..`error!` without a path: the `log` or `tracing` ones,
        // imported by name (their format-only calls read the same either way).
        name if BARE_LOGGING.contains(&name) => MacroKind::Log,
        _ => MacroKind::Opaque,
    }
}

/// Logging macros recognised by their bare name.
const BARE_LOGGING: &[&str] =
    &["trace", "debug", "info", "warn", "error", "trace_span", "debug_span", "info_span", "warn_span", "error_span"];

/// Macros of the `log` crate, called through its path (`log::info!`).
const LOG_MACROS: &[&str] = &["trace", "debug", "info", "warn", "error", "log", "log_enabled"];

/// Macros of the `tracing` crate, called through its path (`tracing::info!`).
const TRACING_MACROS: &[&str] = &[
    "trace",
    "debug",
    "info",
    "warn",
    "error",
    "event",
    "span",
    "trace_span",
    "debug_span",
    "info_span",
    "warn_span",
    "error_span",
    "enabled",
];

/// The name of a `log` or `tracing` macro called through its crate's path
/// (`log::debug`, `::tracing::info`).
fn logging_macro_name(path: &syn::Path) -> Option<&'static str> {
    let [krate, name] = [path.segments.first()?, path.segments.last()?];
    if path.segments.len() != 2 || !krate.arguments.is_none() {
        return None;
    }
    let names = if krate.ident == "log" {
        LOG_MACROS
    } else if krate.ident == "tracing" {
        TRACING_MACROS
    } else {
        return None;
    };
    names.iter().find(|&&n| name.ident == n).copied()
}

/// Whether a logging macro takes a message (a format string): spans take a
/// name, `enabled!` nothing.
fn logs_a_message(name: &str) -> bool {
    !name.ends_with("span") && !name.ends_with("enabled")
}

/// `matches!(expr, pattern)`, `matches!(expr, pattern if guard,)`.
fn parse_matches(input: ParseStream<'_>) -> syn::Result<(Expr, syn::Pat, Option<Expr>)> {
    let scrutinee: Expr = input.parse()?;
    input.parse::<Token![,]>()?;
    let pattern = syn::Pat::parse_multi_with_leading_vert(input)?;
    let guard = if input.peek(Token![if]) {
        input.parse::<Token![if]>()?;
        Some(input.parse()?)
    } else {
        None
    };
    if !input.is_empty() {
        input.parse::<Token![,]>()?;
    }
    Ok((scrutinee, pattern, guard))
}

/// The arguments of a `log` or `tracing` macro.
#[derive(Default)]
struct LogArgs {
    keywords: Vec<(syn::Ident, Expr)>,
    /// Field values, the level of `log!`/`event!`, the message, its arguments.
    args: Vec<Expr>,
    /// Named arguments of the message.
    named: Vec<(syn::Ident, Expr)>,
    /// Index in `args` of the message.
    message: Option<usize>,
}

/// `target:`-like arguments, fields and values (`a = x`, `a.b = ?x`, `?x`,
/// `%x`, `"a" = x`, log's `a:? = x` before a `;`), then a message and its
/// format arguments. Anything else (`{ a } = x`) fails, making the call opaque.
fn parse_log_args(input: ParseStream<'_>, has_message: bool) -> syn::Result<LogArgs> {
    let mut log = LogArgs::default();
    while !input.is_empty() {
        if log.message.is_some() {
            parse_format_arg(input, &mut log.args, &mut log.named)?;
        } else if field_name_then_eq(input) {
            // `a.b = ?x`: the name is not an expression.
            input.step(|cursor| {
                let mut rest = *cursor;
                while let Some((token, next)) = rest.token_tree() {
                    rest = next;
                    if matches!(&token, TokenTree::Punct(p) if p.as_char() == '=') {
                        return Ok(((), rest));
                    }
                }
                Err(cursor.error("expected `=`"))
            })?;
            skip_sigil(input)?;
            log.args.push(input.parse()?);
        } else if input.peek(syn::Ident) && input.peek2(Token![:]) && !input.peek2(Token![::]) {
            let keyword: syn::Ident = input.parse()?;
            input.parse::<Token![:]>()?;
            log.keywords.push((keyword, input.parse()?));
        } else if skip_sigil(input)? {
            log.args.push(input.parse()?);
        } else if let Some(lit) = lone_literal(input)? {
            if has_message && matches!(&lit, Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(_), .. })) {
                log.message = Some(log.args.len());
            }
            log.args.push(lit);
        } else {
            log.args.push(input.parse()?);
        }
        if input.is_empty() {
            break;
        }
        // log's key-values end with `;` before the message.
        if log.message.is_none() && input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
        } else {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(log)
}

/// Whether a field name and `=` start the input: `a`, `a.b`, `"a b"`, or
/// log's `a:?`, `a:%`, `a:serde`, then `=` (not `==`).
fn field_name_then_eq(input: ParseStream<'_>) -> bool {
    let fork = input.fork();
    let named = if fork.peek(LitStr) {
        fork.parse::<LitStr>().is_ok()
    } else {
        fork.parse::<syn::Ident>().is_ok()
            && (|| -> syn::Result<()> {
                while fork.peek(Token![.]) && !fork.peek(Token![..]) {
                    fork.parse::<Token![.]>()?;
                    fork.parse::<syn::Ident>()?;
                }
                if fork.peek(Token![:]) && !fork.peek(Token![::]) {
                    fork.parse::<Token![:]>()?;
                    if !skip_sigil(&fork)? {
                        fork.parse::<syn::Ident>()?;
                    }
                }
                Ok(())
            })()
            .is_ok()
    };
    named && fork.peek(Token![=]) && !fork.peek(Token![==]) && !fork.peek(Token![=>])
}

/// Skips tracing's `?` (Debug) or `%` (Display) before a value.
fn skip_sigil(input: ParseStream<'_>) -> syn::Result<bool> {
    if input.peek(Token![?]) {
        input.parse::<Token![?]>()?;
        Ok(true)
    } else if input.peek(Token![%]) {
        input.parse::<Token![%]>()?;
        Ok(true)
    } else {
        Ok(false)
    }
}

type Args = (Vec<Expr>, Vec<(syn::Ident, Expr)>);

fn parse_args(input: ParseStream<'_>) -> syn::Result<Args> {
    let mut args = Vec::new();
    let mut named = Vec::new();
    while !input.is_empty() {
        parse_format_arg(input, &mut args, &mut named)?;
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok((args, named))
}

/// One argument of a formatting macro: `name = expr` or an expression.
fn parse_format_arg(
    input: ParseStream<'_>,
    args: &mut Vec<Expr>,
    named: &mut Vec<(syn::Ident, Expr)>,
) -> syn::Result<()> {
    // `peek(Ident)` copies the identifier: ask it last.
    if input.peek2(Token![=]) && !input.peek2(Token![==]) && input.peek(syn::Ident) {
        let name: syn::Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        named.push((name, input.parse()?));
    } else if let Some(lit) = lone_literal(input)? {
        args.push(lit);
    } else {
        args.push(input.parse()?);
    }
    Ok(())
}

/// A literal argument followed by `,` or the end (the format string, mostly),
/// read without syn's expression parser: that one peeks at every other kind
/// of expression first, and builds the literal twice.
fn lone_literal(input: ParseStream<'_>) -> syn::Result<Option<Expr>> {
    input.step(|cursor| match cursor.literal() {
        Some((lit, rest)) if rest.eof() || rest.punct().is_some_and(|(p, _)| p.as_char() == ',') => {
            Ok((Some(Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::new(lit) })), rest))
        }
        _ => Ok((None, *cursor)),
    })
}

fn parse_vec(input: ParseStream<'_>) -> syn::Result<Vec<Expr>> {
    if input.is_empty() {
        return Ok(Vec::new());
    }
    let first: Expr = input.parse()?;
    if input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
        let count: Expr = input.parse()?;
        return Ok(vec![first, count]);
    }
    let mut args = vec![first];
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        args.push(input.parse()?);
    }
    Ok(args)
}

/// Whether `mac` is a `format!` that makes a non-empty `String`: one with
/// something to format (`format!("")` allocates nothing).
pub fn formats_something(mac: &syn::Macro) -> bool {
    mac.path.is_ident("format") && mac.tokens.to_string() != "\"\""
}

/// Whether `vec![...]` was written with the repeat form `vec![x; n]`.
pub fn is_vec_repeat(mac: &syn::Macro) -> bool {
    mac.tokens.clone().into_iter().any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'))
}

/// Whether the identifier `word` occurs anywhere in `tokens` (nested groups
/// included). A scan without allocating or parsing: a cheap filter before
/// parsing attributes that every item of generated code carries.
pub fn mentions(tokens: &TokenStream, word: &str) -> bool {
    tokens.clone().into_iter().any(|token| match token {
        TokenTree::Ident(ident) => ident == word,
        TokenTree::Group(g) => mentions(&g.stream(), word),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::{MacroCall, MacroKind};

    /// The kind memlint reads `call` as (an expression macro call), and its arguments.
    fn read(call: &str) -> (MacroKind, Vec<String>) {
        let source = crate::SourceFile::new("a.rs", call);
        let mac = match syn::parse_str::<syn::Expr>(call) {
            Ok(syn::Expr::Macro(m)) => m.mac,
            other => panic!("not a macro call: {other:?}"),
        };
        let mac: &'static syn::Macro = Box::leak(Box::new(mac));
        let parsed = MacroCall::parse(mac, &source);
        let text = |e: &syn::Expr| quote::quote!(#e).to_string();
        let mut args: Vec<String> = parsed.keywords.iter().map(|(k, e)| format!("{k}: {}", text(e))).collect();
        args.extend(parsed.args.iter().map(text));
        args.extend(parsed.named.iter().map(|(n, e)| format!("{n} = {}", text(e))));
        (parsed.kind, args)
    }

    #[test]
    fn logging_macros_are_read_through_their_crate_paths() {
        assert_eq!(read("log::debug!(\"x = {}\", x)"), (MacroKind::Log, vec!["\"x = {}\"".into(), "x".into()]));
        assert_eq!(
            read("::tracing::trace!(?a, b.c = %d, n, \"m {e}\", f = g)").1,
            ["a", "d", "n", "\"m {e}\"", "f = g"]
        );
        assert_eq!(read("info!(target: \"t\", \"m\")").1, ["target: \"t\"", "\"m\""]);
        assert_eq!(read("log::info!(a = 1, b:? = x; \"m\")").1, ["1", "x", "\"m\""]);
        assert_eq!(read("log::log!(log::Level::Info, \"m\")").1, ["log :: Level :: Info", "\"m\""]);
        assert_eq!(read("tracing::info_span!(\"name {x}\", x)").0, MacroKind::Log);
        // Not the `log` or `tracing` crate's, or not readable: opaque.
        assert_eq!(read("mylog::debug!(\"x\")").0, MacroKind::Opaque);
        assert_eq!(read("tracing::instrument!(x)").0, MacroKind::Opaque);
        assert_eq!(read("debug!(target: \"t\" \"m\")").0, MacroKind::Opaque);
    }

    #[test]
    fn the_message_of_a_logging_macro_is_its_format_string() {
        let source = crate::SourceFile::new("a.rs", "");
        let mac: &'static syn::Macro = Box::leak(Box::new(syn::parse_quote!(tracing::info!(a = 1, "m {b}", c))));
        let call = MacroCall::parse(mac, &source);
        assert_eq!(call.format_index, Some(1));
        assert_eq!(call.format_args().len(), 1);
        // A span's first literal is its name.
        let mac: &'static syn::Macro = Box::leak(Box::new(syn::parse_quote!(tracing::info_span!("m {b}", c))));
        assert_eq!(MacroCall::parse(mac, &source).format_index, None);
    }

    #[test]
    fn matches_and_constant_macros() {
        let source = crate::SourceFile::new("a.rs", "");
        let mac: &'static syn::Macro = Box::leak(Box::new(syn::parse_quote!(matches!(x.kind(), A | B(_) if ok(),))));
        let call = MacroCall::parse(mac, &source);
        assert_eq!(call.kind, MacroKind::Matches);
        assert_eq!(call.args.len(), 2);
        assert!(call.pattern.is_some());
        assert_eq!(read("matches!(x)").0, MacroKind::Opaque);
        assert_eq!(read("stringify!(return)").0, MacroKind::Constant);
        assert_eq!(read("std::cfg!(debug_assertions)").0, MacroKind::Constant);
        assert_eq!(read("try!(x)").0, MacroKind::Opaque);
    }
}
