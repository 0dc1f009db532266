//! Types whose layout is shared with code outside Rust: the ones named in
//! the signatures of `extern` blocks and `extern "ABI" fn`s.

use syn::visit::Visit;

/// Adds to `out` the names of the types in `item`'s FFI signatures.
pub(crate) fn ffi_type_names(item: &syn::Item, out: &mut Vec<String>) {
    let mut names = Names(out);
    match item {
        syn::Item::ForeignMod(block) => {
            for foreign in &block.items {
                match foreign {
                    syn::ForeignItem::Fn(f) => names.visit_signature(&f.sig),
                    syn::ForeignItem::Static(s) => names.visit_type(&s.ty),
                    _ => {}
                }
            }
        }
        syn::Item::Fn(f) if f.sig.abi.is_some() => names.visit_signature(&f.sig),
        _ => {}
    }
}

struct Names<'o>(&'o mut Vec<String>);

impl<'ast> Visit<'ast> for Names<'_> {
    fn visit_type_path(&mut self, node: &'ast syn::TypePath) {
        if let Some(last) = node.path.segments.last() {
            self.0.push(last.ident.to_string());
        }
        syn::visit::visit_type_path(self, node);
    }
}
