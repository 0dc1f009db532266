//! Test modules whose bodies need not be parsed.
//!
//! When no rule reports in test code (the default), the walk skips
//! `#[cfg(test)] mod tests { .. }` as a whole, so building its syntax tree
//! is wasted work: the body of such a module is left out at the token level,
//! before syn parses the file. The module item itself stays, with its
//! attributes and the span of its braces, so everything that looks at the
//! item (test-code line ranges for suppressions, the module's name) sees it
//! as before. A body that declares modules (`mod fixtures;`) or includes
//! files is kept (the module tree is read from it), and so is one with an
//! `extern` block (the types it passes to C keep their layout).

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// `tokens` (a file's, or an inline module's) with the bodies of its
/// `#[cfg(test)]` inline modules emptied, also in nested inline modules.
pub fn without_test_module_bodies(tokens: TokenStream) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    // Whether the outer attributes just read include a `cfg` that requires
    // `test`; reset by anything that is not part of an item's header.
    let mut test_attr = false;
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        match &token {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let Some(TokenTree::Group(attr)) = iter.peek() else {
                    test_attr = false;
                    out.push(token);
                    continue;
                };
                if attr.delimiter() == Delimiter::Bracket && requires_test_cfg(&attr.stream()) {
                    test_attr = true;
                }
                out.push(token);
                out.extend(iter.next());
            }
            TokenTree::Ident(ident) if ident == "pub" => {
                out.push(token);
                if let Some(TokenTree::Group(g)) = iter.peek()
                    && g.delimiter() == Delimiter::Parenthesis
                {
                    out.extend(iter.next());
                }
            }
            TokenTree::Ident(ident) if ident == "mod" => {
                out.push(token);
                if let Some(TokenTree::Ident(_)) = iter.peek() {
                    out.extend(iter.next());
                }
                if let Some(TokenTree::Group(body)) = iter.peek()
                    && body.delimiter() == Delimiter::Brace
                {
                    let inner = if test_attr && !must_be_read(&body.stream()) {
                        TokenStream::new()
                    } else {
                        without_test_module_bodies(body.stream())
                    };
                    let mut group = Group::new(Delimiter::Brace, inner);
                    group.set_span(body.span());
                    out.push(group.into());
                    iter.next();
                }
                test_attr = false;
            }
            _ => {
                test_attr = false;
                out.push(token);
            }
        }
    }
    out.into_iter().collect()
}

/// Whether an attribute's bracketed tokens are a `cfg` that requires
/// `test`: `cfg(test)`, or `cfg(all(.., test, ..))` (as
/// [`has_cfg_test`] reads it).
fn requires_test_cfg(attr: &TokenStream) -> bool {
    let mut tokens = attr.clone().into_iter();
    match (tokens.next(), tokens.next(), tokens.next()) {
        (Some(TokenTree::Ident(cfg)), Some(TokenTree::Group(args)), None)
            if cfg == "cfg" && args.delimiter() == Delimiter::Parenthesis =>
        {
            requires_test(&args.stream())
        }
        _ => false,
    }
}

/// Whether a `cfg` predicate (its tokens) requires `test`: `test`, or
/// `all(..)` with a predicate that does.
pub(crate) fn requires_test(predicate: &TokenStream) -> bool {
    let tokens: Vec<TokenTree> = predicate.clone().into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(test)] => test == "test",
        [TokenTree::Ident(all), TokenTree::Group(args)] if all == "all" => {
            // `all(a, b, ..)`: one of the comma-separated predicates requires it.
            let args: Vec<TokenTree> = args.stream().into_iter().collect();
            args.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
                .any(|arg| requires_test(&arg.iter().cloned().collect()))
        }
        _ => false,
    }
}

/// Whether tokens declare a module, include a file or declare foreign
/// functions anywhere inside: what is read of test code the walk skips.
fn must_be_read(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|token| match token {
        TokenTree::Ident(ident) => ident == "mod" || ident == "include" || ident == "extern",
        TokenTree::Group(group) => must_be_read(&group.stream()),
        _ => false,
    })
}

/// `#[test]`, `#[tokio::test]`, `#[rstest]`, `#[bench]` and the like.
pub(crate) fn is_test_fn(attrs: &[syn::Attribute]) -> bool {
    // `name = value` attributes (every doc comment line) are skipped before
    // any name is compared: no test attribute has that form.
    attrs.iter().filter(|a| !is_name_value(a)).any(|a| {
        a.path().segments.last().is_some_and(|s| {
            ["test", "test_case", "rstest", "bench", "quickcheck", "proptest"].iter().any(|t| s.ident == t)
        })
    }) || has_cfg_test(attrs)
}

/// `#[cfg(test)]`, or a `cfg` that requires `test` (`all(test, ...)`): read
/// from the tokens as the parser reads test modules it leaves out, so both
/// agree on what test code is.
pub(crate) fn has_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| !is_name_value(a))
        .any(|a| a.path().is_ident("cfg") && a.meta.require_list().is_ok_and(|l| requires_test(&l.tokens)))
}

fn is_name_value(attr: &syn::Attribute) -> bool {
    matches!(attr.meta, syn::Meta::NameValue(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(src: &str) -> String {
        let tokens: TokenStream = src.parse().expect("lexes");
        without_test_module_bodies(tokens).to_string()
    }

    #[test]
    fn test_module_bodies_are_emptied() {
        let out =
            stripped("fn f() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn t() { f(); }\n}\n");
        assert_eq!(out, "fn f () { } # [cfg (test)] mod tests { }");
        // With other attributes, doc comments and a visibility around it.
        let out = stripped("/// Tests.\n#[cfg(test)]\n#[allow(unused)]\npub(crate) mod tests { fn t() {} }");
        assert!(out.ends_with("pub (crate) mod tests { }"), "{out}");
        let out = stripped("#[cfg(all(unix, test))] mod tests { fn t() {} }");
        assert!(out.ends_with("mod tests { }"), "{out}");
        // Nested in an inline module.
        let out = stripped("mod a { #[cfg(test)] mod tests { fn t() {} } fn g() {} }");
        assert_eq!(out, "mod a { # [cfg (test)] mod tests { } fn g () { } }");
    }

    #[test]
    fn other_modules_and_items_are_kept() {
        for src in [
            "#[cfg(not(test))] mod real { fn f() {} }",
            "#[cfg(any(test, feature = \"x\"))] mod maybe { fn f() {} }",
            "#[cfg(feature = \"test\")] mod feature { fn f() {} }",
            "#[cfg(test)] fn helper() { let v = vec![1]; }",
            "#[cfg(test)] mod declared;",
            "#[cfg(test)] struct S; mod after { fn f() {} }",
            "#[cfg_attr(test, derive(Debug))] mod tests { fn f() {} }",
            // The module tree is read from bodies that declare files.
            "#[cfg(test)] mod tests { mod fixtures; }",
            "#[cfg(test)] mod tests { include!(\"generated.rs\"); }",
            "#[cfg(test)] mod tests { extern \"C\" { fn f(s: *const S); } }",
        ] {
            let tokens: TokenStream = src.parse().expect("lexes");
            assert_eq!(stripped(src), tokens.to_string(), "{src}");
        }
    }

    #[test]
    fn the_emptied_braces_keep_their_span() {
        let src = "#[cfg(test)]\nmod tests {\n    fn t() {}\n}\n";
        let file: syn::File = syn::parse2(without_test_module_bodies(src.parse().expect("lexes"))).expect("parses");
        let syn::Item::Mod(m) = &file.items[0] else { panic!("a module") };
        let (braces, items) = m.content.as_ref().expect("inline");
        assert!(items.is_empty());
        assert_eq!((braces.span.open().start().line, braces.span.close().start().line), (2, 4));
    }
}
