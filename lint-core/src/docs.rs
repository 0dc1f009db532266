//! Reading a rule's Markdown docs: its sections and their code blocks.

/// The sections every rule's docs must have, in this order.
pub const REQUIRED_SECTIONS: &[&str] =
    &["What it does", "Why is this bad", "Example", "Use instead", "Known limitations"];

/// The `## Title` sections of a rule's docs, with their bodies.
pub fn sections(docs: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut current: Option<(&str, usize)> = None;
    let mut offset = 0;
    for line in docs.split_inclusive('\n') {
        if let Some(title) = line.strip_prefix("## ") {
            if let Some((t, start)) = current.take() {
                out.push((t, docs[start..offset].trim()));
            }
            current = Some((title.trim(), offset + line.len()));
        }
        offset += line.len();
    }
    if let Some((t, start)) = current {
        out.push((t, docs[start..].trim()));
    }
    out
}

/// The body of one section, when present.
pub fn section<'d>(docs: &'d str, title: &str) -> Option<&'d str> {
    sections(docs).into_iter().find(|(t, _)| *t == title).map(|(_, body)| body)
}

/// The contents of the fenced code blocks (```` ```rust ```` or untagged) of a Markdown text.
pub fn code_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(tag) = trimmed.strip_prefix("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None if tag.is_empty() || tag.starts_with("rust") => current = Some(String::new()),
                None => {}
            }
        } else if let Some(block) = &mut current {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCS: &str = "## What it does\nFinds x.\n\nMore.\n\n## Example\n```rust\nfn a() {}\n```\ntext\n```\nfn b() {}\n```\n```toml\nx = 1\n```\n";

    #[test]
    fn splits_sections_and_code() {
        let s = sections(DOCS);
        assert_eq!(s.iter().map(|(t, _)| *t).collect::<Vec<_>>(), ["What it does", "Example"]);
        assert_eq!(code_blocks(section(DOCS, "Example").unwrap()), ["fn a() {}\n", "fn b() {}\n"]);
    }
}
