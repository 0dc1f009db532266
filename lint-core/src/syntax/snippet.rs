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
/// characters, shortened: long arguments become `..` (`format!(..).style(hl)`),
/// then the middle of a chain goes (`chars.hbar..style(hl.style)`).
pub fn quoted(code: &str, max: usize) -> String {
    let line = one_line(code);
    if line.chars().count() <= max {
        return line;
    }
    let line = collapse_groups(&line, 12);
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= max {
        return line;
    }
    // The dots of the chain, outside brackets and strings.
    let dots = top_level_dots(&chars);
    let head_end = dots.iter().copied().filter(|&d| d > 0 && d <= max / 3).max();
    let tail_start = dots.iter().copied().filter(|&d| chars.len() - d < max - max / 3).min();
    match (head_end, tail_start) {
        (Some(h), Some(t)) if h < t => {
            format!("{}..{}", chars[..h].iter().collect::<String>(), chars[t + 1..].iter().collect::<String>())
        }
        _ => line,
    }
}

/// `f(a, b)` as `f(..)` when what is between the brackets is longer than
/// `longest` characters (brackets inside strings don't count).
fn collapse_groups(code: &str, longest: usize) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '(' | '[' | '{')
            && let Some(close) = matching(&chars, i)
        {
            out.push(c);
            if close - i - 1 > longest {
                out.push_str("..");
            } else {
                out.extend(&chars[i + 1..close]);
            }
            out.push(chars[close]);
            i = close + 1;
            continue;
        }
        if c == '"' {
            let end = string_end(&chars, i);
            out.extend(&chars[i..=end.min(chars.len() - 1)]);
            i = end + 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The index of the bracket closing the one at `open`.
fn matching(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0u32;
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            '"' => i = string_end(chars, i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the quote closing the string literal opened at `open`.
fn string_end(chars: &[char], open: usize) -> usize {
    let mut i = open + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '"' => return i,
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// Positions of the `.` of a chain: outside brackets and strings, not part
/// of `..`.
fn top_level_dots(chars: &[char]) -> Vec<usize> {
    let mut dots = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '"' => i = string_end(chars, i),
            '.' if depth == 0 && chars.get(i + 1) != Some(&'.') && (i == 0 || chars[i - 1] != '.') => dots.push(i),
            _ => {}
        }
        i += 1;
    }
    dots
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
        let long =
            "chars\n    .hbar\n    .to_string()\n    .repeat(max_gutter.saturating_sub(i))\n    .style(hl.style)";
        assert_eq!(quoted(long, 40), "chars.hbar..style(hl.style)");
        // miette's `format!("{:width$}", ..).style(hl.style)`: no cut inside the string.
        let formatted = "format!(\"{:width$}\", \"\", width = end - start)\n    .style(hl.style)";
        assert_eq!(quoted(formatted, 40), "format!(..).style(hl.style)");
        assert_eq!(quoted("p.x", 40), "p.x");
    }
}
