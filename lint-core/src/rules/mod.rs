//! Every rule, one file each. Registering a rule is one line in the
//! `registry!` below, which declares its module and lists it in [`REGISTRY`].

use crate::rule::RuleMeta;
use crate::walk::Rule;

/// Declares each rule's module (`rules/<name>.rs`, which defines its rule
/// as `RULE`) and lists it in [`REGISTRY`]: adding a rule is its file and
/// one `mod` line here. (The lines are `mod` items so that the module tree
/// memlint itself follows reaches the files.)
macro_rules! registry {
    ($(mod $module:ident;)*) => {
        $(mod $module;)*

        /// Every rule memlint has, sorted by name.
        pub static REGISTRY: &[&dyn Rule] = &[$($module::RULE),*];
    };
}

registry! {
    mod box_collection;
    mod clone_in_loop;
    mod collect_then_join;
    mod eager_alloc_default;
    mod entry_key_alloc;
    mod format_push_string;
    mod large_enum_variant;
    mod map_insert_without_capacity;
    mod needless_box;
    mod padded_struct;
    mod redundant_allocation;
    mod redundant_clone;
    mod sort_allocates;
    mod string_concat_in_loop;
    mod string_push_without_capacity;
    mod unbounded_channel;
    mod unnecessary_to_owned;
    mod unused_suppression;
    mod vec_box;
    mod vec_front_shift_in_loop;
    mod vec_push_without_capacity;
}

/// The rule with this name.
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    REGISTRY.iter().copied().find(|r| r.meta().name == name)
}

/// Every rule's metadata, sorted by name.
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    REGISTRY.iter().map(|r| r.meta())
}

/// The rules that mirror the clippy lint `lint` (a name without `clippy::`):
/// clippy's `allow` of it silences them too.
pub fn mirroring_clippy(lint: &str) -> impl Iterator<Item = &'static str> + '_ {
    crate::suppress::clippy::rules_mirroring(REGISTRY, lint)
}

pub(crate) use unused_suppression::{NAME as UNUSED_SUPPRESSION, unused_suppressions};

/// A rule name as users may write it (`memlint::vec_box`, `Vec-Box`) in
/// the form the registry uses (`vec_box`).
pub fn normalize_name(name: &str) -> String {
    name.trim().trim_start_matches("memlint::").replace('-', "_").to_ascii_lowercase()
}

/// Rule names close to `query`, closest first: names containing it, then
/// names within a small edit distance.
pub fn closest(query: &str) -> Vec<&'static str> {
    closest_among(&normalize_name(query), metas().map(|m| m.name))
}

/// The `names` close to `query`, closest first: names containing it (or
/// contained in it), then names within a small edit distance, then names
/// sharing a word (words split at `_` or `-`).
pub fn closest_among<'n>(query: &str, names: impl IntoIterator<Item = &'n str>) -> Vec<&'n str> {
    let words = |s: &'n str| s.split(['_', '-']).filter(|w| w.len() > 2);
    let mut scored: Vec<(usize, &'n str)> = names
        .into_iter()
        .filter_map(|name| {
            let distance = edit_distance(query, name);
            let contains = !query.is_empty() && (name.contains(query) || query.contains(name));
            let shares_word = query.split(['_', '-']).filter(|w| w.len() > 2).any(|w| words(name).any(|n| n == w));
            if contains {
                Some((0, name))
            } else if distance <= name.len().max(query.len()) / 3 {
                Some((distance, name))
            } else if shares_word {
                Some((usize::MAX - 1, name))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    // A clear typo gets one answer, not every name a few edits away.
    let best = scored.first().map_or(0, |&(score, _)| score);
    scored.into_iter().filter(|&(score, _)| score <= best.saturating_add(2)).take(5).map(|(_, name)| name).collect()
}

/// "did you mean `a`, `b` or `c`?" for the rule names closest to `query`;
/// `None` when no name is close.
pub fn did_you_mean(query: &str) -> Option<String> {
    suggest(&closest(query))
}

/// "did you mean `a`, `b` or `c`?" for `names`; `None` when there are none.
pub fn suggest(names: &[&str]) -> Option<String> {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let list = match quoted.split_last()? {
        (last, []) => last.clone(),
        (last, rest) => format!("{} or {last}", rest.join(", ")),
    };
    Some(format!("did you mean {list}?"))
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod meta_tests;

#[cfg(test)]
mod closest_tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn closest_names_for_typos_prefixes_and_words() {
        assert_eq!(closest("vec_push_without_capacty").first(), Some(&"vec_push_without_capacity"));
        assert_eq!(closest("padded").first(), Some(&"padded_struct"));
        assert!(closest("string").contains(&"string_concat_in_loop"));
        assert!(closest("zzzzzz").is_empty());
    }
}
