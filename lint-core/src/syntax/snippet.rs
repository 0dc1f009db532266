//! Code quoted in messages and help: on one line, and shortened when long,
//! so that a message reads as a sentence and help code can be copied.

/// `code` on one line: a line break and the indentation after it go, with
/// a space kept between words (`a\n    .b()` gives `a.b()`, `f(\n    x,\n)`
/// gives `f(x,)`). String literals spanning lines keep their breaks (a
/// rare case, left as written rather than changed).
pub fn one_line(code: &str) -> String {
    if !code.contains('\n') || breaks_inside_string(code) {
        return code.to_owned();
    }
    let mut out = String::with_capacity(code.len());
    let mut lines = code.lines();
    if let Some(first) = lines.next() {
        out.push_str(first.trim_end());
    }
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let joins_tight = line.starts_with(['.', ')', ']', '}', ',', '?', ';'])
            || out.ends_with(['(', '[', '{', '.', '&', '!'])
            || out.is_empty();
        if !joins_tight {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Whether a line break falls inside a string literal (an odd number of
/// unescaped quotes before it).
fn breaks_inside_string(code: &str) -> bool {
    let mut inside = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            '\\' if inside => escaped = !escaped,
            '"' if !escaped => inside = !inside,
            '\n' if inside => return true,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    false
}

/// `code` for a message: on one line, and when longer than `max`
/// characters, its start and its end joined by `..` (`chars.hbar..style(hl.style).to_string()`).
pub fn quoted(code: &str, max: usize) -> String {
    let line = one_line(code);
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= max {
        return line;
    }
    let head_len = max / 3;
    let tail_len = max - head_len - 2;
    let mut head: String = chars[..head_len].iter().collect();
    let mut tail: String = chars[chars.len() - tail_len..].iter().collect();
    // Cut at a field or method boundary where there is one: `a.b..c().d()`.
    if let Some(dot) = head.rfind('.').filter(|&d| d > 0) {
        head.truncate(dot);
    }
    if let Some(dot) = tail.find('.')
        && dot + 1 < tail.len()
    {
        tail = tail[dot + 1..].to_owned();
    }
    format!("{head}..{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_and_calls_on_one_line() {
        assert_eq!(
            one_line(
                "chars\n    .hbar\n    .to_string()\n    .repeat(max_gutter.saturating_sub(i))\n    .style(hl.style)"
            ),
            "chars.hbar.to_string().repeat(max_gutter.saturating_sub(i)).style(hl.style)"
        );
        assert_eq!(one_line("f(\n    a,\n    b,\n)"), "f(a, b,)");
        assert_eq!(one_line("x + y"), "x + y");
    }

    #[test]
    fn long_code_is_shortened_in_the_middle() {
        let long = "chars\n    .hbar\n    .to_string()\n    .repeat(max_gutter.saturating_sub(i))\n    .style(hl.style)\n    .to_string()";
        let q = quoted(long, 40);
        assert!(q.len() <= 44 && q.starts_with("chars.hbar") && q.ends_with(".to_string()") && q.contains(".."), "{q}");
        assert_eq!(quoted("p.x", 40), "p.x");
    }
}
