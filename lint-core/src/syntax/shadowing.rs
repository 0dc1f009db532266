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
    text.match_indices(word).map(|(at, _)| at).filter(move |&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

fn ends_with_word(text: &str, word: &str) -> bool {
    text.strip_suffix(word).is_some_and(|head| !head.chars().next_back().is_some_and(is_ident_char))
}
