//! Whether a name the rules recognise by spelling (`Vec`, `String`, `Box`)
//! may mean something other than the standard type in a file: a local
//! definition, a rename or an import from outside std.

/// Whether the file defines (`struct Vec`, `type Vec = ..`), renames
/// (`.. as Vec`) or imports from outside std (`use bumpalo::collections::Vec`)
/// something called `name`. A text scan: cheap, and it errs on the side of
/// "shadowed" (a mention in a comment counts), which only loses findings.
pub fn shadowed(text: &str, name: &str) -> bool {
    let defined = word_starts(text, name).any(|at| {
        let before = text[..at].trim_end();
        ["struct", "enum", "union", "type", "trait", "as"].iter().any(|kw| ends_with_word(before, kw))
    });
    defined || word_starts(text, "use").any(|at| imports_non_std(&text[at..], name))
}

/// Whether the `use` statement starting `rest` names `name` and does not
/// start at a std crate root.
fn imports_non_std(rest: &str, name: &str) -> bool {
    let stmt = rest.split(';').next().unwrap_or("");
    let path = stmt["use".len()..].trim_start().trim_start_matches("::");
    let root = path.split(|c: char| !is_ident_char(c)).next().unwrap_or("");
    !["std", "core", "alloc"].contains(&root) && word_starts(stmt, name).next().is_some()
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte offsets where `word` occurs as a whole identifier.
fn word_starts<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    // memchr's SIMD search: this runs over whole files, several times per file.
    memchr::memmem::find_iter(text.as_bytes(), word).filter(move |&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

fn ends_with_word(text: &str, word: &str) -> bool {
    text.strip_suffix(word).is_some_and(|head| !head.chars().next_back().is_some_and(is_ident_char))
}

#[cfg(test)]
mod tests {
    use super::shadowed;

    #[test]
    fn definitions_renames_and_foreign_imports_shadow() {
        assert!(shadowed("struct Vec<T>(T);", "Vec"));
        assert!(shadowed("pub(crate) enum\n  Box { A }", "Box"));
        assert!(shadowed("type String = MyString;", "String"));
        assert!(shadowed("trait Rc {}", "Rc"));
        assert!(shadowed("use foo::Bar as Vec;", "Vec"));
        assert!(shadowed("use std::vec::Vec as V; use bumpalo::collections::{String, Vec};", "Vec"));
        assert!(shadowed("use ::hashbrown::HashMap;", "HashMap"));
    }

    #[test]
    fn std_imports_and_mere_mentions_do_not_shadow() {
        assert!(!shadowed("use std::collections::HashMap;", "HashMap"));
        assert!(!shadowed("use ::core::cell::RefCell; use alloc::vec::Vec;", "Vec"));
        assert!(!shadowed("let v: Vec<u8> = Vec::new(); struct Vecs;", "Vec"));
        assert!(!shadowed("struct MyVec; enum E { Vec }", "Vec"));
        assert!(!shadowed("fn structure() -> Vec<u8> { as_vec() }", "Vec"));
        assert!(!shadowed("unstruct Vec", "Vec"));
        assert!(!shadowed("fn reuse() { use_it(Vec::new()) }", "Vec"));
    }
}
