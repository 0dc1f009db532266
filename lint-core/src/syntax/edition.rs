//! Rust editions, and edition-2015 code read as today's syntax.
//!
//! syn parses only the current grammar. A 2015 file that fails to parse is
//! rewritten at the token level and parsed again. Every token keeps its
//! span, so lines and columns of findings stay exact:
//! - `async`, `await` and `try`, and `dyn` where it is a name, become raw
//!   identifiers (`r#async`): they were not keywords in 2015;
//! - a bare `Fn(..)`, `FnMut(..)` or `FnOnce(..)` trait object in a type
//!   gets `dyn` (syn reads other bare trait objects, such as `Box<Error +
//!   Send>`, as the paths they look like);
//! - an anonymous parameter of a trait method (`fn f(u8);`) gets `_: `.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, TokenStream, TokenTree};

/// The edition a file is compiled with (its cargo target's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum Edition {
    /// Rust 2015.
    E2015,
    /// Rust 2018.
    E2018,
    /// Rust 2021 (what memlint assumes for a file of no cargo target).
    #[default]
    E2021,
    /// Rust 2024.
    E2024,
}

impl Edition {
    /// The edition as cargo writes it (`"2015"`), if it is one memlint knows.
    pub fn from_cargo(name: &str) -> Option<Self> {
        match name {
            "2015" => Some(Self::E2015),
            "2018" => Some(Self::E2018),
            "2021" => Some(Self::E2021),
            "2024" => Some(Self::E2024),
            _ => None,
        }
    }

    /// The edition's year.
    pub fn year(self) -> u16 {
        match self {
            Self::E2015 => 2015,
            Self::E2018 => 2018,
            Self::E2021 => 2021,
            Self::E2024 => 2024,
        }
    }
}

/// Parses a file of `edition`: as today's syntax, and 2015 code that fails
/// so again through the rewrite. The error is that of today's parser.
pub fn parse_file(input: &str, edition: Edition) -> syn::Result<syn::File> {
    match syn::parse_file(input) {
        Ok(file) => Ok(file),
        Err(e) if edition == Edition::E2015 => parse_2015(input).map_err(|_| e),
        Err(e) => Err(e),
    }
}

/// [`parse_file`], leaving out the bodies of `#[cfg(test)]` inline modules
/// (see [`super::test_modules`]): for a linter whose rules don't report in
/// test code. Errors are those [`parse_file`] would give outside test code.
pub fn parse_file_without_tests(input: &str, edition: Edition) -> syn::Result<syn::File> {
    let tokens: TokenStream = input.parse().map_err(|e: proc_macro2::LexError| syn::Error::new(e.span(), e))?;
    match syn::parse2(super::test_modules::without_test_module_bodies(tokens)) {
        Ok(file) => Ok(file),
        Err(e) if edition == Edition::E2015 => {
            let tokens: TokenStream = input.parse().map_err(|_| e.clone())?;
            syn::parse2(super::test_modules::without_test_module_bodies(rewrite(tokens, false))).map_err(|_| e)
        }
        Err(e) => Err(e),
    }
}

/// Parses edition-2015 code through the rewrite described in the module
/// docs; `Err` with the parser's error when even the rewritten code does
/// not parse.
pub fn parse_2015(input: &str) -> syn::Result<syn::File> {
    let tokens: TokenStream = input.parse().map_err(|e: proc_macro2::LexError| syn::Error::new(e.span(), e))?;
    syn::parse2(rewrite(tokens, false))
}

/// What the tokens just before a token say about it.
#[derive(Debug, Default)]
struct Seen {
    /// A `trait` keyword whose body has not come yet.
    trait_header: bool,
    /// Inside a trait's body, a `fn` whose parameters have not come yet,
    /// and how deep in `<..>` its generics are.
    fn_header: Option<u32>,
}

/// The rewrite of one token stream; `trait_body` when it is the inside of a
/// trait's braces.
fn rewrite(tokens: TokenStream, trait_body: bool) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(tokens.len());
    let mut seen = Seen::default();
    for (i, token) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1);
        match token {
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                match name.as_str() {
                    "async" | "await" | "try" => out.push(Ident::new_raw(&name, ident.span()).into()),
                    "dyn" if !starts_dyn_type(next) => out.push(Ident::new_raw(&name, ident.span()).into()),
                    "Fn" | "FnMut" | "FnOnce" if is_paren(next) && in_type_position(&out) => {
                        out.push(Ident::new("dyn", ident.span()).into());
                        out.push(token.clone());
                    }
                    _ => {
                        match name.as_str() {
                            "trait" => seen.trait_header = true,
                            "fn" if trait_body => seen.fn_header = Some(0),
                            _ => {}
                        }
                        out.push(token.clone());
                    }
                }
            }
            TokenTree::Punct(punct) => {
                if let Some(depth) = seen.fn_header.as_mut() {
                    let arrow = matches!(out.last(), Some(TokenTree::Punct(p)) if p.as_char() == '-');
                    match punct.as_char() {
                        '<' => *depth += 1,
                        '>' if !arrow => *depth = depth.saturating_sub(1),
                        ';' => seen.fn_header = None,
                        _ => {}
                    }
                }
                if punct.as_char() == ';' {
                    seen.trait_header = false;
                }
                out.push(token.clone());
            }
            TokenTree::Group(group) => {
                let is_trait_body = group.delimiter() == Delimiter::Brace && std::mem::take(&mut seen.trait_header);
                let is_params = group.delimiter() == Delimiter::Parenthesis && seen.fn_header == Some(0);
                if is_params {
                    seen.fn_header = None;
                }
                let mut inner = rewrite(group.stream(), is_trait_body);
                if is_params {
                    inner = name_anonymous_parameters(inner);
                }
                let mut rewritten = Group::new(group.delimiter(), inner);
                rewritten.set_span(group.span());
                out.push(rewritten.into());
            }
            TokenTree::Literal(_) => out.push(token.clone()),
        }
    }
    out.into_iter().collect()
}

/// Whether `dyn` followed by `next` is the keyword: before a trait's name,
/// a lifetime or `?Sized`; a name otherwise (`dyn::f`, `let dyn = 1`).
fn starts_dyn_type(next: Option<&TokenTree>) -> bool {
    match next {
        Some(TokenTree::Ident(_)) => true,
        Some(TokenTree::Punct(p)) => matches!(p.as_char(), '\'' | '?'),
        _ => false,
    }
}

fn is_paren(token: Option<&TokenTree>) -> bool {
    matches!(token, Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
}

/// Whether a token after `before` starts a type rather than a bound: after
/// `=` (`type A = ..`, `Item = ..`), `<` (`Box<..>`), `&`, `&mut`, `&'a`,
/// `&'a mut`, `*const`, `*mut`. After `:` or `+` it is a bound (`F: Fn()`),
/// which needs no `dyn`.
fn in_type_position(before: &[TokenTree]) -> bool {
    let is = |token: &TokenTree, c: char| matches!(token, TokenTree::Punct(p) if p.as_char() == c);
    let after_reference = |before: &[TokenTree]| match before {
        [.., last] if is(last, '&') => true,
        // A lifetime is a `'` and an identifier.
        [.., amp, quote, TokenTree::Ident(_)] => is(quote, '\'') && is(amp, '&'),
        _ => false,
    };
    match before {
        [.., TokenTree::Punct(p)] => matches!(p.as_char(), '=' | '<' | '&'),
        [rest @ .., TokenTree::Ident(m)] if m == "mut" || m == "const" => {
            after_reference(rest) || rest.last().is_some_and(|t| is(t, '*'))
        }
        _ => after_reference(before),
    }
}

/// `_: ` before each parameter of a trait method that is a type alone.
fn name_anonymous_parameters(params: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = params.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len() + 4);
    for param in split_parameters(&tokens) {
        if let Some(first) = param.first()
            && !is_receiver(param)
            && !has_lone_colon(param)
        {
            let span = first.span();
            out.push(TokenTree::Ident(Ident::new("_", span)));
            let mut colon = Punct::new(':', Spacing::Alone);
            colon.set_span(span);
            out.push(colon.into());
        }
        out.extend(param.iter().cloned());
    }
    out.into_iter().collect()
}

/// The parameters with their trailing commas: split at the commas outside
/// `<..>` (a type's generic arguments have commas of their own).
fn split_parameters(tokens: &[TokenTree]) -> Vec<&[TokenTree]> {
    let mut parts = Vec::new();
    let (mut start, mut depth) = (0, 0u32);
    for (i, token) in tokens.iter().enumerate() {
        if let TokenTree::Punct(p) = token {
            let arrow = i > 0 && matches!(&tokens[i - 1], TokenTree::Punct(q) if q.as_char() == '-');
            match p.as_char() {
                '<' => depth += 1,
                '>' if !arrow => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    parts.push(&tokens[start..=i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
    }
    if start < tokens.len() {
        parts.push(&tokens[start..]);
    }
    parts
}

/// `self`, `mut self`, `&self`, `&mut self`, `&'a self`, `&'a mut self`.
fn is_receiver(param: &[TokenTree]) -> bool {
    param.iter().take(5).any(|t| matches!(t, TokenTree::Ident(i) if i == "self"))
        && param.iter().take_while(|t| !matches!(t, TokenTree::Ident(i) if i == "self")).all(|t| match t {
            TokenTree::Punct(p) => matches!(p.as_char(), '&' | '\''),
            TokenTree::Ident(_) => true,
            _ => false,
        })
}

/// Whether a parameter has a `:` of its own (`name: Type`), not only the
/// `::` of paths.
fn has_lone_colon(param: &[TokenTree]) -> bool {
    param.iter().enumerate().any(|(i, t)| {
        matches!(t, TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Alone)
            && !(i > 0
                && matches!(&param[i - 1], TokenTree::Punct(q) if q.as_char() == ':' && q.spacing() == Spacing::Joint))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn rewritten(code: &str) -> String {
        let file = parse_2015(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        file.into_token_stream().to_string()
    }

    #[test]
    fn the_2015_code_of_real_crates_parses() {
        // termion 4.0.4, spin 0.5.2, signal-hook-registry 1.4.8, xsv 0.13.0.
        for code in [
            "use async::async_stdin;",
            "impl<T> Once<T> { fn call(&self) { self.try(); } }",
            "type Action = Fn(&siginfo_t) + Send + Sync;",
            "trait Vecs { fn from_vecs(CsvVecs) -> Self; fn g<'a>(&'a self, Vec<(u8, u16)>, x: u8, ::std::io::Error); }",
        ] {
            assert!(syn::parse_file(code).is_err(), "today's syntax rejects `{code}`");
            parse_2015(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        }
    }

    #[test]
    fn names_that_became_keywords_become_raw_identifiers() {
        assert_eq!(
            rewritten("fn f() { let dyn = try!(async::await()); }"),
            rewritten("fn f() { let r#dyn = r#try!(r#async::r#await()); }")
        );
        // `dyn` before a trait, a lifetime or `?` stays the keyword.
        assert_eq!(rewritten("type A = Box<dyn Send + 'static>;"), "type A = Box < dyn Send + 'static > ;");
    }

    #[test]
    fn bare_closure_traits_get_dyn_in_types_not_in_bounds() {
        assert_eq!(
            rewritten(
                "type A = Box<Fn(u8) -> u8 + Send>; fn f<F: Fn()>(x: &FnMut(), y: &'a mut FnOnce()) where F: FnOnce() {}"
            ),
            rewritten(
                "type A = Box<dyn Fn(u8) -> u8 + Send>; fn f<F: Fn()>(x: &dyn FnMut(), y: &'a mut dyn FnOnce()) where F: FnOnce() {}"
            )
        );
    }

    #[test]
    fn only_anonymous_trait_method_parameters_are_named() {
        assert_eq!(
            rewritten("trait T { fn f<F: Fn(u8) -> u8>(&self, HashMap<u8, u16>, f: F); } fn g(x: u8) {}"),
            rewritten("trait T { fn f<F: Fn(u8) -> u8>(&self, _: HashMap<u8, u16>, f: F); } fn g(x: u8) {}")
        );
    }

    #[test]
    fn spans_are_those_of_the_original_text() {
        let code = "use async::x;\ntrait T { fn f(u8); }\n";
        let file = parse_2015(code).expect("parses");
        let syn::Item::Trait(item) = &file.items[1] else { panic!("a trait") };
        let syn::TraitItem::Fn(f) = &item.items[0] else { panic!("a fn") };
        let syn::FnArg::Typed(param) = &f.sig.inputs[0] else { panic!("typed") };
        let start = syn::spanned::Spanned::span(&param.ty).start();
        assert_eq!((start.line, start.column), (2, 15));
    }
}
