//! `#[memtrack]`: records what a function allocates per call, and enforces
//! allocation budgets. Use it through the `memlint` crate
//! (`#[memlint::memtrack]`), whose `track` feature turns tracking on.
//!
//! With tracking on, the function's body starts with a guard that
//! snapshots the thread's allocation counters and records the difference
//! when it is dropped, on return or unwind (an `async fn`'s future is
//! wrapped instead, and counted around each poll). With tracking off, the
//! arguments are checked and the function is emitted unchanged.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{ToTokens, quote};
use syn::spanned::Spanned;

mod args;

use args::Args;

/// Tracks the allocations of a function: calls, allocations, bytes, the
/// per-call maximum of each and the peak live bytes of a call.
///
/// Arguments (all optional):
/// - `name = "..."`: the name in reports (default: the function's name);
/// - `max_allocs = N` (or `max_allocs_per_call`): allocations allowed per call;
/// - `max_bytes = N` (or `max_bytes_per_call`): bytes allocated per call;
/// - `max_peak_bytes = N`: live bytes a call may add at its peak;
/// - `max_allocs_total = N`, `max_bytes_total = N`: over all calls of the process.
///
/// A call over budget panics, naming the function, the budget and the
/// measured value (or is recorded as a violation, see `memlint::BudgetAction`).
#[proc_macro_attribute]
pub fn memtrack(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand(attr.into(), item.into(), cfg!(feature = "track")).into()
}

/// The expansion, with tracking on or off.
fn expand(attr: TokenStream2, item: TokenStream2, tracking: bool) -> TokenStream2 {
    let args = match Args::parse(attr) {
        Ok(args) => args,
        Err(e) => return with_item(e, item),
    };
    let function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let message = "#[memtrack] goes on a function with a body (a free function or a method in an `impl` block)";
            return with_item(syn::Error::new(first_token_span(&item), message), item);
        }
    };
    if let Some(constness) = &function.sig.constness {
        let message = "#[memtrack] can't track a `const fn`: it may run at compile time, where nothing allocates";
        return with_item(syn::Error::new(constness.span(), message), item);
    }
    if !tracking {
        // Zero cost: the function exactly as written.
        return item;
    }
    track(&args, function)
}

/// The function with a tracking guard (or, for an `async fn`, its body
/// wrapped in a tracked future).
fn track(args: &Args, mut function: syn::ItemFn) -> TokenStream2 {
    let name = args.name.clone().unwrap_or_else(|| function.sig.ident.to_string());
    let budget = args.budget_tokens();
    // Statics and the guard's name are unlikely to meet user names; the
    // guard also uses mixed-site hygiene so the body cannot see it.
    let site = quote! {
        static __MEMLINT_SITE: ::memlint::__private::Site = ::memlint::__private::Site::new(
            ::memlint::__private::SiteInfo {
                name: #name,
                module_path: ::core::module_path!(),
                file: ::core::file!(),
                line: ::core::line!(),
                budget: #budget,
            }
        );
    };
    let guard = syn::Ident::new("__memlint_guard", Span::mixed_site());
    let body = &function.block;
    let new_body = if function.sig.asyncness.is_some() {
        quote! {{
            #site
            ::memlint::__private::track_future(&__MEMLINT_SITE, async move #body).await
        }}
    } else {
        let stmts = &body.stmts;
        quote! {{
            #site
            let #guard = ::memlint::__private::Guard::enter(&__MEMLINT_SITE);
            #(#stmts)*
        }}
    };
    match syn::parse2(new_body) {
        Ok(block) => function.block = Box::new(block),
        Err(e) => return e.to_compile_error(),
    }
    function.into_token_stream()
}

/// An error, followed by the item unchanged (so the error is the only one).
fn with_item(error: syn::Error, item: TokenStream2) -> TokenStream2 {
    let mut out = error.to_compile_error();
    out.extend(item);
    out
}

fn first_token_span(item: &TokenStream2) -> Span {
    item.clone().into_iter().next().map_or_else(Span::call_site, |t| t.span())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_off_emits_the_function_unchanged() {
        let item = quote! {
            #[inline]
            pub fn checksum(buf: &[u8]) -> u32 { buf.iter().map(|&b| u32::from(b)).sum() }
        };
        let out = expand(quote!(max_allocs = 0, name = "sum"), item.clone(), false);
        assert_eq!(out.to_string(), item.to_string());
    }

    #[test]
    fn tracking_on_adds_a_site_and_a_guard() {
        let item = quote! { fn f(x: u32) -> u32 { if x == 0 { return 1; } x } };
        let out = expand(quote!(max_allocs = 0), item, true).to_string();
        assert!(out.contains("static __MEMLINT_SITE"), "{out}");
        assert!(out.contains("Guard :: enter"), "{out}");
        assert!(out.contains("max_allocs_per_call : :: core :: option :: Option :: Some (0u64)"), "{out}");
    }

    #[test]
    fn async_functions_are_wrapped_in_a_tracked_future() {
        let item = quote! { async fn f() -> u32 { 1 } };
        let out = expand(TokenStream2::new(), item, true).to_string();
        assert!(out.contains("track_future (& __MEMLINT_SITE , async move"), "{out}");
    }

    #[test]
    fn misuse_is_an_error_also_with_tracking_off() {
        for (attr, item) in [
            (
                quote!(max_allocs = 0),
                quote!(
                    struct S;
                ),
            ),
            (
                quote!(max_alloc = 0),
                quote!(
                    fn f() {}
                ),
            ),
            (
                quote!(max_allocs = "0"),
                quote!(
                    fn f() {}
                ),
            ),
            (
                quote!(max_allocs = 0, max_allocs_per_call = 1),
                quote!(
                    fn f() {}
                ),
            ),
            (
                quote!(),
                quote!(
                    const fn f() {}
                ),
            ),
        ] {
            let out = expand(attr, item, false).to_string();
            assert!(out.contains("compile_error"), "{out}");
        }
    }
}
