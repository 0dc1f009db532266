//! `--diff`: the fixes as a unified diff (`git apply`-able: paths relative
//! to the root with `a/` and `b/` prefixes; a file named by an absolute
//! path keeps it, without them).

use similar::TextDiff;

use super::Changed;

/// The diff of every changed file, in file order.
pub(crate) fn unified_diff(changed: &[Changed]) -> String {
    changed
        .iter()
        .map(|c| {
            let name = crate::output::slash_path(&c.display);
            let diff = TextDiff::from_lines(&c.original, &c.fixed);
            let (old, new) =
                if name.starts_with('/') { (name.clone(), name) } else { (format!("a/{name}"), format!("b/{name}")) };
            diff.unified_diff().context_radius(3).header(&old, &new).to_string()
        })
        .collect()
}
