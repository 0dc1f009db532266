//! A parser for `format!`-style format strings, working on the literal's
//! source text so that pieces can be copied into suggestions verbatim.

/// Which argument a placeholder reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgRef {
    /// `{}` or `{0}`: the positional argument with this index.
    Index(usize),
    /// `{name}`: a named argument, or a variable captured from the scope.
    Name(String),
}

/// A `{...}` placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// The argument displayed.
    pub arg: ArgRef,
    /// Whether the placeholder named no argument (`{}` or `{:?}`).
    pub implicit: bool,
    /// The source text of the whole placeholder, braces included.
    pub raw: String,
    /// Arguments read by the format spec (`{:1$}`, `{:.*}`, `{:w$}`).
    pub spec_args: Vec<ArgRef>,
    /// The format spec after the `:` (`?`, `>8`), empty for plain `Display`.
    pub spec: String,
}

/// One piece of a format string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text, as written in the source (escapes and `{{` kept).
    Lit(String),
    /// A placeholder.
    Arg(Placeholder),
}

/// A parsed format string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatString {
    /// The opening quote (`"`, `r"`, `r#"`, ...).
    pub open: String,
    /// The closing quote.
    pub close: String,
    /// Pieces in order.
    pub pieces: Vec<Piece>,
}

impl FormatString {
    /// Parses the source text of a string literal token (`"..."` or `r#"..."#`).
    /// Returns `None` for anything that is not a well-formed format string.
    pub fn parse(token: &str) -> Option<FormatString> {
        let (open, body, close) = split_quotes(token)?;
        let raw = open.starts_with('r');
        let mut pieces = Vec::new();
        let mut lit = String::new();
        let mut next_positional = 0usize;
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if !raw => {
                    lit.push(c);
                    if let Some((_, e)) = chars.next() {
                        lit.push(e);
                        if e == 'u' {
                            // `\u{1F600}`: its braces are not placeholders.
                            for (_, u) in chars.by_ref() {
                                lit.push(u);
                                if u == '}' {
                                    break;
                                }
                            }
                        }
                    }
                }
                '{' if chars.peek().map(|&(_, n)| n) == Some('{') => {
                    chars.next();
                    lit.push_str("{{");
                }
                '}' if chars.peek().map(|&(_, n)| n) == Some('}') => {
                    chars.next();
                    lit.push_str("}}");
                }
                '}' => return None,
                '{' => {
                    let end = body[i..].find('}')? + i;
                    let inner = &body[i + 1..end];
                    while chars.peek().is_some_and(|&(j, _)| j <= end) {
                        chars.next();
                    }
                    if !lit.is_empty() {
                        pieces.push(Piece::Lit(std::mem::take(&mut lit)));
                    }
                    let placeholder = parse_placeholder(inner, &body[i..=end], &mut next_positional)?;
                    pieces.push(Piece::Arg(placeholder));
                }
                _ => lit.push(c),
            }
        }
        if !lit.is_empty() {
            pieces.push(Piece::Lit(lit));
        }
        Some(FormatString { open: open.to_owned(), close: close.to_owned(), pieces })
    }

    /// Every placeholder, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &Placeholder> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Arg(a) => Some(a),
            Piece::Lit(_) => None,
        })
    }

    /// Every argument read, by placeholders and their specs.
    pub fn args_read(&self) -> impl Iterator<Item = &ArgRef> {
        self.placeholders().flat_map(|p| std::iter::once(&p.arg).chain(p.spec_args.iter()))
    }

    /// Source text of a literal with these pieces, in the original quotes.
    pub fn render(&self, pieces: &[Piece]) -> String {
        let mut out = self.open.clone();
        for piece in pieces {
            match piece {
                Piece::Lit(text) => out.push_str(text),
                Piece::Arg(p) => out.push_str(&p.raw),
            }
        }
        out.push_str(&self.close);
        out
    }
}

fn split_quotes(token: &str) -> Option<(&str, &str, &str)> {
    if let Some(rest) = token.strip_prefix('r') {
        let hashes = rest.len() - rest.trim_start_matches('#').len();
        let open_len = 1 + hashes + 1;
        let close_len = 1 + hashes;
        if token.len() < open_len + close_len || !token[1 + hashes..].starts_with('"') {
            return None;
        }
        let body = &token[open_len..token.len() - close_len];
        return Some((&token[..open_len], body, &token[token.len() - close_len..]));
    }
    let body = token.strip_prefix('"')?.strip_suffix('"')?;
    Some(("\"", body, "\""))
}

fn parse_placeholder(inner: &str, raw: &str, next_positional: &mut usize) -> Option<Placeholder> {
    let (name, spec) = match inner.find(':') {
        Some(i) => (&inner[..i], &inner[i + 1..]),
        None => (inner, ""),
    };
    let name = name.trim();
    let mut spec_args = Vec::new();
    // `.*` takes the precision from the next positional argument, before the value.
    if spec.contains(".*") {
        spec_args.push(ArgRef::Index(*next_positional));
        *next_positional += 1;
    }
    for part in spec.split('$').take(spec.matches('$').count()) {
        let word: String = part.chars().rev().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let word: String = word.chars().rev().collect();
        if word.is_empty() {
            continue;
        }
        spec_args.push(match word.parse::<usize>() {
            Ok(i) => ArgRef::Index(i),
            Err(_) => ArgRef::Name(word),
        });
    }
    let (arg, implicit) = if name.is_empty() {
        let arg = ArgRef::Index(*next_positional);
        *next_positional += 1;
        (arg, true)
    } else if let Ok(i) = name.parse::<usize>() {
        (ArgRef::Index(i), false)
    } else if is_identifier(name) {
        (ArgRef::Name(name.strip_prefix("r#").unwrap_or(name).to_owned()), false)
    } else {
        return None;
    };
    Some(Placeholder { arg, implicit, raw: raw.to_owned(), spec_args, spec: spec.to_owned() })
}

fn is_identifier(s: &str) -> bool {
    let s = s.strip_prefix("r#").unwrap_or(s);
    let mut chars = s.chars();
    chars.next().is_some_and(|c| unicode_ident::is_xid_start(c) || c == '_')
        && chars.all(unicode_ident::is_xid_continue)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(token: &str) -> Vec<ArgRef> {
        FormatString::parse(token).unwrap().args_read().cloned().collect()
    }

    #[test]
    fn positional_named_and_captured() {
        assert_eq!(args(r#""{}-{}""#), vec![ArgRef::Index(0), ArgRef::Index(1)]);
        assert_eq!(args(r#""{1}{0}""#), vec![ArgRef::Index(1), ArgRef::Index(0)]);
        assert_eq!(args(r#""{s}, {x:?}""#), vec![ArgRef::Name("s".into()), ArgRef::Name("x".into())]);
    }

    #[test]
    fn escapes_are_not_placeholders() {
        assert_eq!(args(r#""{{}} \u{1F600} {}""#), vec![ArgRef::Index(0)]);
        assert_eq!(args(r##"r#"{a}"#"##), vec![ArgRef::Name("a".into())]);
    }

    #[test]
    fn spec_arguments() {
        assert_eq!(args(r#""{:.*}""#), vec![ArgRef::Index(1), ArgRef::Index(0)]);
        assert_eq!(args(r#""{:w$}""#), vec![ArgRef::Index(0), ArgRef::Name("w".into())]);
    }

    #[test]
    fn render_round_trips() {
        let f = FormatString::parse(r#""{s}, {x:>4} {{lit}}\n""#).unwrap();
        assert_eq!(f.render(&f.pieces), r#""{s}, {x:>4} {{lit}}\n""#);
        assert_eq!(f.render(&f.pieces[1..]), r#"", {x:>4} {{lit}}\n""#);
    }

    #[test]
    fn malformed_is_none() {
        assert!(FormatString::parse(r#""{""#).is_none());
        assert!(FormatString::parse(r#""}""#).is_none());
        assert!(FormatString::parse("not a literal").is_none());
    }
}
