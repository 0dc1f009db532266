//! The arguments of `#[memtrack(...)]`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;

/// What `#[memtrack(...)]` was given.
#[derive(Debug, Default)]
pub(crate) struct Args {
    pub(crate) name: Option<String>,
    budgets: [Option<u64>; BUDGETS.len()],
}

/// Budget arguments: (argument, other spelling, field of `memlint::__private::Budget`).
const BUDGETS: [(&str, Option<&str>, &str); 5] = [
    ("max_allocs", Some("max_allocs_per_call"), "max_allocs_per_call"),
    ("max_bytes", Some("max_bytes_per_call"), "max_bytes_per_call"),
    ("max_peak_bytes", None, "max_peak_bytes"),
    ("max_allocs_total", None, "max_allocs_total"),
    ("max_bytes_total", None, "max_bytes_total"),
];

impl Args {
    /// Parses the attribute's arguments.
    pub(crate) fn parse(attr: TokenStream) -> syn::Result<Args> {
        let mut args = Args::default();
        let mut seen: Vec<String> = Vec::new();
        let parser = syn::meta::parser(|meta| args.argument(meta, &mut seen));
        syn::parse::Parser::parse2(parser, attr)?;
        Ok(args)
    }

    fn argument(&mut self, meta: ParseNestedMeta<'_>, seen: &mut Vec<String>) -> syn::Result<()> {
        let Some(ident) = meta.path.get_ident().map(ToString::to_string) else {
            return Err(meta.error(unknown("")));
        };
        if ident == "name" {
            check_duplicate(&meta, seen, "name", "name")?;
            let value: syn::LitStr = meta
                .value()?
                .parse()
                .map_err(|e| syn::Error::new(e.span(), "`name` takes a string literal: `name = \"encode\"`"))?;
            if value.value().is_empty() {
                return Err(syn::Error::new(value.span(), "`name` must not be empty"));
            }
            self.name = Some(value.value());
            return Ok(());
        }
        let Some(i) = BUDGETS.iter().position(|(a, b, _)| *a == ident || *b == Some(ident.as_str())) else {
            return Err(meta.error(unknown(&ident)));
        };
        check_duplicate(&meta, seen, &ident, BUDGETS[i].0)?;
        let value: syn::LitInt = meta.value()?.parse().map_err(|e| {
            syn::Error::new(e.span(), format!("`{ident}` takes a non-negative integer literal: `{ident} = 0`"))
        })?;
        let n = value.base10_parse::<u64>().map_err(|_| {
            syn::Error::new(value.span(), format!("`{ident}` takes a non-negative integer that fits in a u64"))
        })?;
        self.budgets[i] = Some(n);
        Ok(())
    }

    /// `memlint::__private::Budget { .. }` with every budget.
    pub(crate) fn budget_tokens(&self) -> TokenStream {
        let fields = BUDGETS.iter().zip(&self.budgets).map(|(&(_, _, field), value)| {
            let field = syn::Ident::new(field, proc_macro2::Span::call_site());
            match value {
                Some(n) => quote!(#field: ::core::option::Option::Some(#n)),
                None => quote!(#field: ::core::option::Option::None),
            }
        });
        quote!(::memlint::__private::Budget { #(#fields,)* })
    }
}

/// An argument given twice, also under its other spelling.
fn check_duplicate(meta: &ParseNestedMeta<'_>, seen: &mut Vec<String>, written: &str, key: &str) -> syn::Result<()> {
    if seen.iter().any(|s| s == key) {
        let message = if written == key {
            format!("duplicate memtrack argument `{written}`")
        } else {
            format!("`{written}` is the same budget as `{key}`, which is already given")
        };
        return Err(meta.error(message));
    }
    seen.push(key.to_owned());
    Ok(())
}

/// The error for an unknown argument `written`, with the closest name.
fn unknown(written: &str) -> String {
    let mut names = vec!["name"];
    for (a, b, _) in BUDGETS {
        names.push(a);
        names.extend(b);
    }
    // A typo that drops or adds letters at the end (`max_alloc`, `max_bytess`).
    let close = names.iter().find(|n| !written.is_empty() && (n.starts_with(written) || written.starts_with(*n)));
    if let Some(close) = close {
        return format!("unknown memtrack argument `{written}`; did you mean `{close}`?");
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!("unknown memtrack argument; expected one of {}", quoted.join(", "))
}
