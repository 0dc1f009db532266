//! Splitting one CSV line into fields.

/// Splits `line` at commas outside double quotes; `""` inside quotes is a quote.
pub fn split_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The characters of `field` that need escaping, with their byte offsets.
pub fn specials(field: &str) -> Vec<(usize, char)> {
    let mut found = Vec::new();
    for (i, c) in field.char_indices() {
        found.push((i, c));
    }
    found.retain(|&(_, c)| matches!(c, '"' | ',' | '\n'));
    found
}
