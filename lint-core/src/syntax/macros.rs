//! Reading the arguments of the standard macros whose arguments are
//! expressions (`format!`, `write!`, `vec!`, `assert_eq!`, ...), so that rules
//! and the binding table see inside them. Other macros stay opaque.

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
    /// formatting macros this includes the format string literal.
    pub args: Vec<Expr>,
    /// `name = expr` arguments of formatting macros.
    pub named: Vec<(syn::Ident, Expr)>,
    /// Index in `args` of the format string, when there is one.
    pub format_index: Option<usize>,
    /// The parsed format string.
    pub format: Option<FormatString>,
}

impl<'ast> MacroCall<'ast> {
    /// Reads `mac`. Never fails: unreadable arguments make the call opaque.
    pub fn parse(mac: &'ast syn::Macro, source: &crate::SourceFile) -> MacroCall<'ast> {
        let name = macro_name(mac);
        let kind = name.as_deref().map_or(MacroKind::Opaque, kind_of);
        let mut call =
            MacroCall { mac, name, kind, args: Vec::new(), named: Vec::new(), format_index: None, format: None };
        let parsed = match kind {
            MacroKind::Opaque => return call,
            // `todo!()`, `vec![]`: nothing to parse (parsing builds a token buffer).
            _ if mac.tokens.is_empty() => Ok((Vec::new(), Vec::new())),
            MacroKind::Vec => parse_vec.parse2(mac.tokens.clone()).map(|args| (args, Vec::new())),
            _ => parse_args.parse2(mac.tokens.clone()),
        };
        let Ok((args, named)) = parsed else {
            call.kind = MacroKind::Opaque;
            return call;
        };
        call.args = args;
        call.named = named;
        let format_index = match kind {
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
                // `info!(target: ..)` and friends, or a 2015 `panic!(value)`: not a format call we understand.
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
        | "unimplemented" | "trace" | "debug" | "info" | "warn" | "error" => MacroKind::Format,
        "write" | "writeln" => MacroKind::Write,
        "assert" | "debug_assert" | "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => {
            MacroKind::Assert
        }
        "vec" => MacroKind::Vec,
        "dbg" => MacroKind::Exprs,
        _ => MacroKind::Opaque,
    }
}

type Args = (Vec<Expr>, Vec<(syn::Ident, Expr)>);

fn parse_args(input: ParseStream<'_>) -> syn::Result<Args> {
    let mut args = Vec::new();
    let mut named = Vec::new();
    while !input.is_empty() {
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
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok((args, named))
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
