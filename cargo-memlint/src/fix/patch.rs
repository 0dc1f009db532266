//! `--diff`: the fixes as a unified diff (`git apply`-able, paths relative
//! to the root, `a/` and `b/` prefixes).

use similar::TextDiff;

use super::Changed;

/// The diff of every changed file, in file order.
pub(crate) fn unified_diff(changed: &[Changed]) -> String {
    changed
        .iter()
        .map(|c| {
            let name = crate::output::slash_path(&c.display);
            let diff = TextDiff::from_lines(&c.original, &c.fixed);
            diff.unified_diff().context_radius(3).header(&format!("a/{name}"), &format!("b/{name}")).to_string()
        })
        .collect()
}
