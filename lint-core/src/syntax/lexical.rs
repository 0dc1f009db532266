//! Skipping what is not code in Rust text — comments, strings, character
//! literals — for the scans that read a file's text instead of its syntax
//! tree: finding `//` comments (suppressions) and measuring nesting before
//! parsing. Each function takes the index of the construct's first byte (or
//! the one given) and returns the index just past it.

/// A block comment starting at the `/` at `i`, nested ones included.
pub(crate) fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// A string whose opening quote is just before `i`, escapes included.
pub(crate) fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The raw string (`r"..."`, `r#"..."#`, `br".."`, `cr".."`) whose `r` is at
/// `i`, if one starts there (`r` ending an identifier, or `r#ident`, is none).
pub(crate) fn skip_raw_string(bytes: &[u8], i: usize) -> Option<usize> {
    let ident_before = |j: usize| j > 0 && is_ident(bytes[j - 1]);
    let prefix_ok = !ident_before(i) || (matches!(bytes[i - 1], b'b' | b'c') && !ident_before(i - 1));
    let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
    if !prefix_ok || bytes.get(i + 1 + hashes) != Some(&b'"') {
        return None;
    }
    let mut at = i + 2 + hashes;
    while at < bytes.len() {
        if bytes[at] == b'"' && bytes[at + 1..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes {
            return Some(at + 1 + hashes);
        }
        at += 1;
    }
    Some(bytes.len())
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The character literal (`'x'`, `'\''`, `'\u{1F600}'`, a multi-byte
/// character) whose opening quote is at `i`; a lifetime or label (`'a`) is
/// not one, and only its quote is skipped.
pub(crate) fn skip_char_literal(bytes: &[u8], i: usize) -> usize {
    if bytes.get(i + 1) == Some(&b'\\') {
        // The escaped character first: in `'\''` the quote after the
        // backslash is not the closing one.
        let from = i + 3;
        return bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\''))
            .map_or(bytes.len(), |n| from + n + 1);
    }
    // One character (1 to 4 bytes), then the closing quote.
    let width = match bytes.get(i + 1) {
        Some(&b) if b < 0x80 => 1,
        Some(&b) if b >= 0xF0 => 4,
        Some(&b) if b >= 0xE0 => 3,
        Some(_) => 2,
        None => return bytes.len(),
    };
    if bytes.get(i + 1 + width) == Some(&b'\'') { i + 2 + width } else { i + 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_construct_is_skipped_to_just_past_its_end() {
        fn skip<'t>(text: &'t str, f: &dyn Fn(&[u8]) -> usize) -> &'t str {
            &text[f(text.as_bytes())..]
        }
        assert_eq!(skip("/* a /* b */ c */ x", &|b| skip_block_comment(b, 0)), " x");
        assert_eq!(skip("\"a \\\" b\" x", &|b| skip_string(b, 1)), " x");
        assert_eq!(skip("r#\"a \" b\"# x", &|b| skip_raw_string(b, 0).expect("raw")), " x");
        assert_eq!(skip("br\"(\" x", &|b| skip_raw_string(b, 1).expect("raw")), " x");
        assert_eq!(skip("'(' x", &|b| skip_char_literal(b, 0)), " x");
        assert_eq!(skip("'\\'' x", &|b| skip_char_literal(b, 0)), " x");
        assert_eq!(skip("'\\u{28}' x", &|b| skip_char_literal(b, 0)), " x");
        assert_eq!(skip("'é' x", &|b| skip_char_literal(b, 0)), " x");
        assert_eq!(skip("'a> x", &|b| skip_char_literal(b, 0)), "a> x", "a lifetime");
        assert_eq!(skip_raw_string(b"bar\"x\"", 2), None, "`r` ending an identifier");
        assert_eq!(skip_raw_string(b"r#for", 0), None, "a raw identifier");
    }
}
