//! Imports a fix needs. `write!` on a `String` needs the `fmt::Write` trait
//! in scope: the fix adds `use std::fmt::Write as _;` to the module around
//! the code, unless the module already imports the trait. An `as _` import
//! names nothing, so it can never clash with another `Write`. Code written
//! for `no_std` (a `no_std` attribute, or imports from `alloc` or `core`)
//! gets `use core::fmt::Write as _;`: there is no `std` to import from.

use syn::spanned::Spanned;

use super::insertions::{indent_before, insert_at, line_ending};
use crate::diagnostic::Edit;
use crate::source::SourceFile;

/// The import [`fmt_write_import`] adds (`core::` in `no_std` code).
pub const FMT_WRITE: &str = "use std::fmt::Write as _;";
const CORE_FMT_WRITE: &str = "use core::fmt::Write as _;";

/// The edit that imports `fmt::Write` into the module around `at`, in a
/// file whose items are `items`: after the module's last `use`, else before
/// its first item. `None` when the module imports the trait already (or has
/// no items, so `at` is not in it).
pub fn fmt_write_import(src: &SourceFile, items: &[syn::Item], at: proc_macro2::Span) -> Option<Edit> {
    let module = module_around(items, at);
    if module.iter().any(|item| matches!(item, syn::Item::Use(u) if imports_fmt_write(&u.tree, &mut Vec::new()))) {
        return None;
    }
    let text = src.text();
    let import = if no_std(text, items) { CORE_FMT_WRITE } else { FMT_WRITE };
    let nl = line_ending(text);
    if let Some(last_use) = module.iter().rfind(|item| matches!(item, syn::Item::Use(_))) {
        // On its own line after the last `use`, indented like it.
        let span = src.span(last_use.span());
        let indent = indent_before(text, span.start).unwrap_or("");
        return Some(insert_at(src, span.end, format!("{nl}{indent}{import}")));
    }
    let first = src.span(module.first()?.span());
    Some(match indent_before(text, first.start) {
        // Before the first item, with a blank line after the import.
        Some(indent) => insert_at(src, first.start - indent.len(), format!("{indent}{import}{nl}{nl}")),
        None => insert_at(src, first.start, format!("{import} ")),
    })
}

/// The edits that replace the code at `at` with `replacement`, and, when
/// the replacement formats with `write!` or `writeln!`, import the
/// `fmt::Write` trait that needs ([`fmt_write_import`]); in source order.
pub fn edits_with_fmt_write(
    src: &SourceFile,
    items: &[syn::Item],
    at: proc_macro2::Span,
    replacement: String,
) -> Vec<Edit> {
    let needs_import = replacement.starts_with("write");
    let mut edits = vec![Edit { span: src.span(at), replacement }];
    if needs_import && let Some(import) = fmt_write_import(src, items, at) {
        edits.push(import);
        edits.sort_by_key(|e| e.span.start);
    }
    edits
}

/// Whether the file is written for `no_std`: it says `no_std`, or imports
/// from `alloc` or `core` (where a `std` crate would say `std`).
fn no_std(text: &str, items: &[syn::Item]) -> bool {
    let from_alloc_or_core = |tree: &syn::UseTree| match tree {
        syn::UseTree::Path(p) => p.ident == "alloc" || p.ident == "core",
        _ => false,
    };
    text.contains("no_std")
        || items.iter().any(|item| match item {
            syn::Item::Use(u) => from_alloc_or_core(&u.tree),
            syn::Item::ExternCrate(c) => c.ident == "alloc",
            _ => false,
        })
}

/// The items of the innermost inline module around `at` (the file's own
/// items when there is none).
fn module_around(mut items: &[syn::Item], at: proc_macro2::Span) -> &[syn::Item] {
    let contains = |outer: proc_macro2::Span| outer.start() <= at.start() && at.end() <= outer.end();
    loop {
        let inner = items.iter().find_map(|item| match item {
            syn::Item::Mod(m) if contains(m.span()) => m.content.as_ref().map(|(_, items)| items.as_slice()),
            _ => None,
        });
        match inner {
            Some(inner) => items = inner,
            None => return items,
        }
    }
}

/// Whether a `use` tree imports the `fmt::Write` trait of std, core or
/// alloc, by name, under another name, or through a glob of `fmt`.
fn imports_fmt_write(tree: &syn::UseTree, path: &mut Vec<String>) -> bool {
    let is_fmt = |path: &[String]| matches!(path, [.., krate, fmt] if fmt == "fmt" && ["std", "core", "alloc"].contains(&krate.as_str()));
    match tree {
        syn::UseTree::Path(p) => {
            path.push(p.ident.to_string());
            let found = imports_fmt_write(&p.tree, path);
            path.pop();
            found
        }
        syn::UseTree::Name(n) => n.ident == "Write" && is_fmt(path),
        syn::UseTree::Rename(r) => r.ident == "Write" && is_fmt(path),
        syn::UseTree::Glob(_) => is_fmt(path),
        syn::UseTree::Group(g) => g.items.iter().any(|tree| imports_fmt_write(tree, path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies the import edit for a position inside the function `target`.
    fn with_import(text: &str) -> String {
        let src = SourceFile::new("t.rs", text);
        let file = syn::parse_file(text).expect("parses");
        let span = find_ident(&file, "target").expect("a fn named `target`");
        match fmt_write_import(&src, &file.items, span) {
            Some(edit) => format!("{}{}{}", &text[..edit.span.start], edit.replacement, &text[edit.span.end..]),
            None => text.to_owned(),
        }
    }

    fn find_ident(file: &syn::File, name: &str) -> Option<proc_macro2::Span> {
        use syn::visit::Visit;
        struct Find<'n>(&'n str, Option<proc_macro2::Span>);
        impl<'ast> Visit<'ast> for Find<'_> {
            fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
                if i == self.0 {
                    self.1.get_or_insert(i.span());
                }
            }
        }
        let mut find = Find(name, None);
        find.visit_file(file);
        find.1
    }

    #[test]
    fn the_import_goes_after_the_last_use_or_before_the_first_item() {
        assert_eq!(
            with_import("//! Docs.\n\nuse std::collections::HashMap;\nuse std::io;\n\nfn target() {}\n"),
            "//! Docs.\n\nuse std::collections::HashMap;\nuse std::io;\nuse std::fmt::Write as _;\n\nfn target() {}\n"
        );
        assert_eq!(
            with_import("#![allow(dead_code)]\n\n/// A doc.\n#[inline]\nfn target() {}\n"),
            "#![allow(dead_code)]\n\nuse std::fmt::Write as _;\n\n/// A doc.\n#[inline]\nfn target() {}\n"
        );
        assert_eq!(
            with_import("fn other() {}\nmod m {\n    use std::io;\n    fn target() {}\n}\n"),
            "fn other() {}\nmod m {\n    use std::io;\n    use std::fmt::Write as _;\n    fn target() {}\n}\n"
        );
        assert_eq!(with_import("mod m { fn target() {} }\n"), "mod m { use std::fmt::Write as _; fn target() {} }\n");
        assert_eq!(
            with_import("use alloc::string::String;\nfn target() {}\n"),
            "use alloc::string::String;\nuse core::fmt::Write as _;\nfn target() {}\n",
            "no std to import from"
        );
        assert_eq!(
            with_import("#![no_std]\nfn target() {}\n"),
            "#![no_std]\nuse core::fmt::Write as _;\n\nfn target() {}\n"
        );
        assert_eq!(
            with_import("use std::io;\r\nfn target() {}\r\n"),
            "use std::io;\r\nuse std::fmt::Write as _;\r\nfn target() {}\r\n",
            "a CRLF file gets CRLF"
        );
    }

    #[test]
    fn an_existing_import_of_the_trait_is_enough() {
        for text in [
            "use std::fmt::Write;\nfn target() {}\n",
            "use std::fmt::Write as _;\nfn target() {}\n",
            "use core::fmt::{self, Write as W};\nfn target() {}\n",
            "use std::{fmt::*, io};\nfn target() {}\n",
            "use ::std::fmt::Write;\nfn target() {}\n",
        ] {
            assert_eq!(with_import(text), text);
        }
        // Another module's import, or another trait, is not.
        assert_ne!(
            with_import("mod a { use std::fmt::Write; }\nfn target() {}\n"),
            "mod a { use std::fmt::Write; }\nfn target() {}\n"
        );
        assert_ne!(with_import("use std::io::Write;\nfn target() {}\n"), "use std::io::Write;\nfn target() {}\n");
    }
}
