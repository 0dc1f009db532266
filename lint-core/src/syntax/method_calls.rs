//! The method calls of a function body that a rule looks for, found with
//! one visit: nested items are fns of their own, and a closure's body may
//! be left out (a closure is not a loop).

use syn::ExprMethodCall;
use syn::visit::Visit;

/// Whether a closure's body counts as part of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closures {
    /// Its calls are the body's (`items.iter().for_each(|x| v.sort())`).
    Enter,
    /// Its calls are not looked at.
    Skip,
}

/// The method calls in `block` that `wanted` picks, in source order,
/// nested items left out.
pub fn method_calls(
    block: &syn::Block,
    closures: Closures,
    wanted: impl Fn(&ExprMethodCall) -> bool,
) -> Vec<&ExprMethodCall> {
    let mut found = Found { wanted, closures, calls: Vec::new() };
    found.visit_block(block);
    found.calls
}

struct Found<'ast, F> {
    wanted: F,
    closures: Closures,
    calls: Vec<&'ast ExprMethodCall>,
}

impl<'ast, F: Fn(&ExprMethodCall) -> bool> Visit<'ast> for Found<'ast, F> {
    fn visit_expr_method_call(&mut self, call: &'ast ExprMethodCall) {
        if (self.wanted)(call) {
            self.calls.push(call);
        }
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        if self.closures == Closures::Enter {
            syn::visit::visit_expr_closure(self, closure);
        }
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::{Closures, method_calls};

    #[test]
    fn calls_of_the_body_not_of_its_items() {
        let block: syn::Block = syn::parse_str(
            "{ a.sort(); xs.iter().for_each(|x| b.sort()); fn inner() { c.sort(); } (d.sort()).len(); }",
        )
        .unwrap();
        let receivers = |closures| -> Vec<String> {
            method_calls(&block, closures, |m| m.method == "sort")
                .iter()
                .map(|m| quote::quote!(#m).to_string())
                .collect()
        };
        assert_eq!(receivers(Closures::Enter), ["a . sort ()", "b . sort ()", "d . sort ()"]);
        assert_eq!(receivers(Closures::Skip), ["a . sort ()", "d . sort ()"]);
    }
}
