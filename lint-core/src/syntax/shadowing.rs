//! Whether a name the rules recognise by spelling (`Vec`, `String`, `Box`)
//! may mean something other than the standard type in a file: a local
//! definition, a rename or an import from outside std.
//!
//! Decided from the parsed items and `use` trees, never from the text: a
//! comment saying "Vec is not involved" or a string holding `use a::Vec;`
//! says nothing about the code. The text is only a fast negative: a file
//! that never spells the name cannot shadow it.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::{ForeignItem, Item, UseTree};

/// Crate roots of a `use` path that import the standard type itself.
const STD_ROOTS: &[&str] = &["std", "core", "alloc"];

/// Keywords after which a name is being declared: `struct Vec`, `.. as Vec`.
const DECLARING: &[&str] = &["struct", "enum", "union", "type", "trait", "mod", "as"];

/// Whether the file's module tree (its `items` and those of its inline
/// modules, at any depth) defines (`struct Vec`, `type Vec = ..`, `mod Vec`),
/// renames (`.. as Vec`) or imports from outside std (`use bumpalo::Vec`)
/// something called `name` in the type namespace. A whole-file answer: an
/// import in one module counts for all of them. Items in function bodies are
/// not seen here: they are visible in their block only, which the walk
/// tracks ([`crate::Cx::shadows`]). Glob imports (`use foo::*`) do not count:
/// what they bring in is not known here.
pub fn shadowed(text: &str, items: &[Item], name: &str) -> bool {
    // Any declaration spells the name: a file that never does (most files,
    // for most names) needs no look at its items.
    word_starts(text, name).next().is_some() && items.iter().any(|item| item_shadows(item, name))
}

/// Whether `item` (or an item of it, when it is an inline module) declares
/// `name` in the type namespace, as [`shadowed`] decides for a file.
/// Associated types (`impl .. { type Vec = .. }`) are not seen: they are
/// named `Self::Vec`, never `Vec`.
pub fn item_shadows(item: &Item, name: &str) -> bool {
    match item {
        Item::Struct(i) => i.ident == name,
        Item::Enum(i) => i.ident == name,
        Item::Union(i) => i.ident == name,
        Item::Type(i) => i.ident == name,
        Item::Trait(i) => i.ident == name,
        Item::TraitAlias(i) => i.ident == name,
        // A module is in the type namespace too: `Vec::new()` would be its function.
        Item::Mod(m) => {
            m.ident == name || m.content.as_ref().is_some_and(|(_, items)| items.iter().any(|i| item_shadows(i, name)))
        }
        Item::Use(u) => use_shadows(&u.tree, name, None, None),
        Item::ExternCrate(e) => e.rename.as_ref().map_or(&e.ident, |(_, rename)| rename) == name,
        Item::ForeignMod(f) => f.items.iter().any(|i| matches!(i, ForeignItem::Type(t) if t.ident == name)),
        // `macro_rules!` bodies and item macros (`cfg_if!`, `bitflags!`) may
        // declare or import items: their tokens are read (their comments are
        // not tokens).
        // Iterating a token stream copies it: the body's text says first
        // whether the name is there at all (most item macros don't name it).
        Item::Macro(m) => {
            m.mac.delimiter.span().join().source_text().is_none_or(|text| text.contains(name))
                && tokens_shadow(&m.mac.tokens, name, UseState::Outside)
        }
        _ => false,
    }
}

/// Whether a statement-level item of a block may shadow some name (the walk
/// keeps only those: most items in bodies are functions).
pub fn may_shadow(item: &Item) -> bool {
    matches!(
        item,
        Item::Struct(_)
            | Item::Enum(_)
            | Item::Union(_)
            | Item::Type(_)
            | Item::Trait(_)
            | Item::TraitAlias(_)
            | Item::Mod(_)
            | Item::Use(_)
            | Item::ExternCrate(_)
            | Item::ForeignMod(_)
            | Item::Macro(_)
    )
}

/// Whether a `use` tree brings `name` into scope as something other than
/// the std type. `std_root` is whether the path started at a std crate
/// (`None` before its first segment); `parent` is the last segment read
/// (what `self` in `use a::Vec::{self}` names).
fn use_shadows(tree: &UseTree, name: &str, std_root: Option<bool>, parent: Option<&syn::Ident>) -> bool {
    match tree {
        UseTree::Path(p) => {
            let std_root = std_root.unwrap_or_else(|| STD_ROOTS.iter().any(|root| p.ident == root));
            use_shadows(&p.tree, name, Some(std_root), Some(&p.ident))
        }
        UseTree::Name(n) => {
            let imported = if n.ident == "self" { parent } else { Some(&n.ident) };
            imported.is_some_and(|i| i == name) && std_root != Some(true)
        }
        // Whatever it renames, the name now means that (`use std::rc::Rc as Box`),
        // unless it is std's type under its own name.
        UseTree::Rename(r) => r.rename == name && !(std_root == Some(true) && r.ident == name),
        UseTree::Glob(_) => false,
        UseTree::Group(g) => g.items.iter().any(|t| use_shadows(t, name, std_root, parent)),
    }
}

/// Where the token scan of a macro is relative to a `use` statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UseState {
    Outside,
    /// Just after `use`: the next identifier is the path's root.
    Root,
    Std,
    Foreign,
}

/// Whether the tokens of an item macro declare `name` (`struct Vec`,
/// `as Vec`) or import it from outside std (`use $crate::Vec;`). A token
/// scan (macro bodies are not parsed), so comments and string literals are
/// never read.
fn tokens_shadow(tokens: &TokenStream, name: &str, mut state: UseState) -> bool {
    let mut declaring = false;
    for token in tokens.clone() {
        match token {
            TokenTree::Ident(ident) => {
                if state == UseState::Root {
                    state = if STD_ROOTS.iter().any(|root| ident == root) { UseState::Std } else { UseState::Foreign };
                }
                if ident == name && (declaring || state == UseState::Foreign) {
                    return true;
                }
                if ident == "use" {
                    state = UseState::Root;
                }
                declaring = DECLARING.iter().any(|kw| ident == kw);
            }
            TokenTree::Punct(p) => {
                if p.as_char() == ';' {
                    state = UseState::Outside;
                }
                declaring = false;
            }
            TokenTree::Group(g) => {
                // A group inside a `use` statement is a group of its tree
                // (`use a::{b, Vec};`); elsewhere a body, scanned afresh.
                let inner = match state {
                    UseState::Outside => UseState::Outside,
                    _ if g.delimiter() != Delimiter::Brace => UseState::Outside,
                    in_use => in_use,
                };
                if tokens_shadow(&g.stream(), name, inner) {
                    return true;
                }
                declaring = false;
            }
            TokenTree::Literal(_) => declaring = false,
        }
    }
    false
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte offsets where `word` occurs as a whole identifier.
fn word_starts<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    // memchr's SIMD search: this runs over whole files, once per name.
    memchr::memmem::find_iter(text.as_bytes(), word).filter(move |&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

#[cfg(test)]
mod tests {
    use super::shadowed;

    fn shadows(src: &str, name: &str) -> bool {
        let file = syn::parse_file(src).expect("test source parses");
        shadowed(src, &file.items, name)
    }

    #[test]
    fn definitions_renames_and_foreign_imports_shadow() {
        assert!(shadows("struct Vec<T>(T);", "Vec"));
        assert!(shadows("pub(crate) enum\n  Box { A }", "Box"));
        assert!(shadows("type String = MyString;", "String"));
        assert!(shadows("trait Rc {}", "Rc"));
        assert!(shadows("union Vec { a: u8 }", "Vec"));
        assert!(shadows("mod Vec { pub fn new() {} }", "Vec"));
        assert!(shadows("extern crate smallvec as Vec;", "Vec"));
        assert!(shadows("extern \"C\" { type Vec; }", "Vec"));
        assert!(shadows("use foo::Bar as Vec;", "Vec"));
        assert!(shadows("use std::rc::Rc as Box;", "Box"));
        assert!(shadows("use std::vec::Vec as V; use bumpalo::collections::{String, Vec};", "Vec"));
        assert!(shadows("use ::hashbrown::HashMap;", "HashMap"));
        assert!(shadows("use crate::Vec;", "Vec"));
        assert!(shadows("use self::inner::Vec;", "Vec"));
        assert!(shadows("use a::{b::{c, Vec as Vec}, d};", "Vec"));
        assert!(shadows("use a::{B as Vec};", "Vec"));
        assert!(shadows("use {std::vec, arena::Vec};", "Vec"));
        assert!(shadows("use a::Vec::{self};", "Vec"));
        assert!(shadows("use Vec;", "Vec"));
    }

    #[test]
    fn nested_modules_shadow_the_whole_file() {
        assert!(shadows("mod a { mod b { pub struct Vec; } }", "Vec"));
        assert!(shadows("fn f() {} mod a { use other::Vec; }", "Vec"));
        assert!(shadows("#[cfg(test)] mod tests { use super::*; use other::Box; }", "Box"));
    }

    #[test]
    fn item_macros_are_read_as_tokens() {
        assert!(shadows("macro_rules! m { () => { struct Vec; } }", "Vec"));
        assert!(shadows("cfg_if::cfg_if! { if #[cfg(x)] { use arena::{Vec, Box}; } }", "Box"));
        assert!(shadows("m! { use $crate::Vec; }", "Vec"));
        assert!(shadows("bitflags! { pub struct String: u8 { const A = 1; } }", "String"));
        // Their comments are not tokens, their strings not names.
        assert!(!shadows("m! { // a struct Vec\n x(\"use a::Vec;\") }", "Vec"));
        assert!(!shadows("cfg_if::cfg_if! { if #[cfg(x)] { use std::vec::Vec; } }", "Vec"));
        assert!(!shadows("m! { fn f() -> Vec<u8> { Vec::new() } }", "Vec"));
    }

    #[test]
    fn std_imports_and_mere_mentions_do_not_shadow() {
        assert!(!shadows("use std::collections::HashMap;", "HashMap"));
        assert!(!shadows("use ::core::cell::RefCell; use alloc::vec::Vec;", "Vec"));
        assert!(!shadows("use std::vec::Vec as Vec;", "Vec"));
        assert!(!shadows("fn f() { let v: Vec<u8> = Vec::new(); } struct Vecs;", "Vec"));
        assert!(!shadows("struct MyVec; enum E { Vec }", "Vec"));
        assert!(!shadows("fn structure() -> Vec<u8> { as_vec() }", "Vec"));
        assert!(!shadows("fn reuse() { use_it(Vec::new()) }", "Vec"));
        // Imported under another name, or a member of it imported.
        assert!(!shadows("use smallvec::Vec as SmallVec;", "Vec"));
        assert!(!shadows("use foo::Vec::new;", "Vec"));
        // What a glob brings in is not known.
        assert!(!shadows("use super::*; use bumpalo::collections::*;", "Vec"));
        // Associated types are named through their type.
        assert!(!shadows("impl Tr for S { type Vec = u8; } trait Tr { type Vec; }", "Vec"));
    }

    #[test]
    fn comments_strings_and_docs_do_not_shadow() {
        assert!(!shadows("// given as Vec is not involved\nfn f() -> Vec<u8> { Vec::new() }", "Vec"));
        assert!(!shadows("/* we use a Vec here; */ fn f() {}", "Vec"));
        assert!(!shadows("/// The struct Box of the paper.\nfn f() {}", "Box"));
        assert!(!shadows("//! use bumpalo::String;\nfn f() {}", "String"));
        assert!(!shadows("const S: &str = \"use foo::Vec; struct Vec\";", "Vec"));
        assert!(!shadows("fn f() { let _ = r#\"type String = u8;\"#; }", "String"));
    }
}
