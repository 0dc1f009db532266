//! One stack frame of a DHAT profile, as both producers write it:
//!
//! ```text
//! 0x5650dcf4fa1f: krate::module::func (krate/src/lib.rs:59:5)     dhat-rs: line and column
//! 0x11D45C: alloc::raw_vec::RawVec<T,A>::grow_one (/rustc/…/raw_vec/mod.rs:188)   valgrind
//! 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)
//! 0x4A2B10: ???
//! [root]
//! ```
//!
//! Parsing never fails: text that fits no form keeps its function name and
//! an unknown location.

/// Where a frame's code is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// A source position (line tables were present).
    Source {
        /// The path as the producer wrote it: absolute (valgrind with
        /// `--fullpath-after=`), or the last components (dhat-rs: 3).
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column, when the producer gives one (dhat-rs) and it is known.
        column: Option<u32>,
    },
    /// Only the object file is known (no debug info): `(in /lib/libc.so.6)`.
    Object(String),
    /// Nothing is known (`???`).
    Unknown,
}

/// A parsed frame.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Frame {
    /// The function, demangled, without hash or `.llvm.N` suffixes; `???` when unknown.
    pub function: String,
    /// Where it is.
    pub location: Location,
}

impl Frame {
    /// Parses one `ftbl` entry.
    pub fn parse(text: &str) -> Frame {
        let text = text.trim();
        let rest = strip_address(text);
        let (name, location) = match split_location(rest) {
            Some((name, inside)) => (name, parse_location(inside)),
            None => (rest, Location::Unknown),
        };
        Frame { function: clean_function(name), location }
    }

    /// The source file, line and column, when known.
    pub fn source(&self) -> Option<(&str, u32, Option<u32>)> {
        match &self.location {
            Location::Source { file, line, column } => Some((file, *line, *column)),
            _ => None,
        }
    }

    /// The last path segment of the function without generic arguments:
    /// `push` for `alloc::vec::Vec<T,A>::push` and for `push<u64, alloc::alloc::Global>`,
    /// `clone` for `<profiled::Config as core::clone::Clone>::clone`.
    pub fn short_name(&self) -> &str {
        short_name(&self.function)
    }

    /// The function's name for people: its [`Frame::short_name`], except for
    /// the placeholder valgrind gives inlined frames it can't name under LTO
    /// (`UnknownInlinedFun`): then where the code is (`inlined code at
    /// std/src/sys/process/env.rs:120`), never the placeholder.
    pub fn display_name(&self) -> String {
        if !self.is_unnamed_inline() {
            return self.short_name().to_string();
        }
        self.inlined_place(2)
    }

    /// `inlined code at <the last `components` of the file>:<line>`.
    ///
    /// The path starts at the crate's directory when the path shows it, so
    /// that it can't be read as a workspace file: std's
    /// `std/src/process.rs`, a registry crate's `ignore-0.4.31/src/walk.rs`;
    /// else its last `components`.
    pub(crate) fn inlined_place(&self, components: usize) -> String {
        let Some((file, line, _)) = self.source() else { return "inlined code".to_string() };
        let file = file.replace('\\', "/");
        let from_crate = ["/library/", "/rust/deps/"]
            .iter()
            .find_map(|root| file.find(root).map(|at| &file[at + root.len()..]))
            .or_else(|| {
                // `…/registry/src/<index>/<package-version>/…`
                let at = file.find("/registry/src/")?;
                let rest = &file[at + "/registry/src/".len()..];
                rest.find('/').map(|slash| &rest[slash + 1..])
            });
        let place = match from_crate {
            Some(path) => path.to_string(),
            None => {
                let mut tail: Vec<&str> = file.rsplit('/').take(components).collect();
                tail.reverse();
                tail.join("/")
            }
        };
        format!("inlined code at {place}:{line}")
    }

    /// Whether this is valgrind's placeholder for an inlined function it
    /// can't name (`UnknownInlinedFun`, seen under LTO).
    pub fn is_unnamed_inline(&self) -> bool {
        self.function.starts_with("UnknownInlinedFun")
    }

    /// Whether the function is a closure body (`{closure#0}`, `{{closure}}`).
    pub fn is_closure(&self) -> bool {
        self.short_name().contains("closure")
    }
}

/// See [`Frame::short_name`].
pub fn short_name(function: &str) -> &str {
    let base = without_generics(function);
    // The last `::` outside angle brackets.
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = base.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => depth += 1,
            // `->` in `fn(&str) -> String` closes nothing.
            b'>' if i > 0 && bytes[i - 1] == b'-' => {}
            b'>' => depth -= 1,
            b':' if depth == 0 && bytes.get(i + 1) == Some(&b':') => {
                start = i + 2;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    &base[start..]
}

/// `push<u64, A>` -> `push`; `<T as Trait>::f` is kept (the `<` is at the start).
pub(crate) fn without_generics(function: &str) -> &str {
    let mut s = function;
    // Remove trailing `<...>` groups (generic arguments of the last segment).
    while s.ends_with('>') {
        match last_group_start(s) {
            0 => break,
            at => s = &s[..at],
        }
    }
    // `::<...>` turbofish leftovers end in `::`.
    s.strip_suffix("::").unwrap_or(s)
}

/// Byte offset of the `<` that opens the group closed by the final `>`.
fn last_group_start(s: &str) -> usize {
    let mut depth = 0i32;
    for (i, c) in s.char_indices().rev() {
        match c {
            '>' if s[..i].ends_with('-') => {}
            '>' => depth += 1,
            '<' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    0
}

fn strip_address(text: &str) -> &str {
    if let Some(hex) = text.strip_prefix("0x")
        && let Some(colon) = hex.find(": ")
        && hex[..colon].bytes().all(|b| b.is_ascii_hexdigit())
    {
        return &hex[colon + 2..];
    }
    text
}

/// Splits `name (location)` at the parenthesised group that ends the text.
/// Names contain parentheses too (`fn(&str) -> String`, `<dyn Fn<()>>`), so
/// the group is found by balancing from the end.
fn split_location(text: &str) -> Option<(&str, &str)> {
    if !text.ends_with(')') {
        return None;
    }
    let mut depth = 0i32;
    for (i, c) in text.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    let name = &text[..i];
                    // The location group follows a space; `f()` alone is a name.
                    if !name.ends_with(' ') {
                        return None;
                    }
                    return Some((name.trim_end(), &text[i + 1..text.len() - 1]));
                }
            }
            _ => {}
        }
    }
    None
}

fn parse_location(inside: &str) -> Location {
    if let Some(object) = inside.strip_prefix("in ") {
        return Location::Object(object.to_string());
    }
    // `file:line[:column]`, read from the right: Windows paths have a `C:`.
    let mut numbers = Vec::new();
    let mut rest = inside;
    while numbers.len() < 2 {
        match rest.rsplit_once(':') {
            Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => {
                numbers.push(tail.parse::<u32>().unwrap_or(0));
                rest = head;
            }
            _ => break,
        }
    }
    let (line, column) = match numbers.as_slice() {
        [line] => (*line, None),
        [column, line] => (*line, Some(*column).filter(|&c| c > 0)),
        _ => (0, None),
    };
    if rest.is_empty() || rest == "???" || line == 0 {
        return Location::Unknown;
    }
    Location::Source { file: rest.to_string(), line, column }
}

/// Demangles `_ZN…`/`_R…` symbols and drops hashes and compiler suffixes.
fn clean_function(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return "???".to_string();
    }
    let demangled = match rustc_demangle::try_demangle(name) {
        // `{:#}` leaves the hash out.
        Ok(symbol) => format!("{symbol:#}"),
        Err(_) => name.to_string(),
    };
    let mut s = demangled.as_str();
    // `.llvm.1234`, `.cold`, `.cold.1`, ` [clone .cold]` suffixes of outlined or LTO-renamed code.
    if let Some(at) = s.find(".llvm.") {
        s = &s[..at];
    }
    for suffix in [" [clone .cold]", ".cold"] {
        if let Some(at) = s.find(suffix) {
            s = &s[..at];
        }
    }
    strip_hash(s).to_string()
}

/// `krate::f::h0123456789abcdef` -> `krate::f`.
fn strip_hash(s: &str) -> &str {
    match s.rsplit_once("::h") {
        Some((head, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => head,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(file: &str, line: u32, column: Option<u32>) -> Location {
        Location::Source { file: file.to_string(), line, column }
    }

    #[test]
    fn dhat_rs_frames_have_line_and_column() {
        let f = Frame::parse("0x557b340eea0b: squares (profiled/src/main.rs:28:13)");
        assert_eq!(f.function, "squares");
        assert_eq!(f.location, source("profiled/src/main.rs", 28, Some(13)));
        let f = Frame::parse("0x557b340ee6bb: alloc_impl_runtime (alloc/src/alloc.rs:190:0)");
        assert_eq!(f.location, source("alloc/src/alloc.rs", 190, None), "column 0 is unknown");
    }

    #[test]
    fn valgrind_frames_have_a_line_only() {
        let f = Frame::parse(
            "0x11D45C: alloc::raw_vec::RawVec<T,A>::grow_one (/rustc/5980/library/alloc/src/raw_vec/mod.rs:188)",
        );
        assert_eq!(f.function, "alloc::raw_vec::RawVec<T,A>::grow_one");
        assert_eq!(f.short_name(), "grow_one");
        assert_eq!(f.location, source("/rustc/5980/library/alloc/src/raw_vec/mod.rs", 188, None));
    }

    #[test]
    fn objects_unknowns_and_root() {
        let f = Frame::parse("0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)");
        assert_eq!(f.function, "malloc");
        assert_eq!(f.location, Location::Object("/usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so".into()));
        let f = Frame::parse("0x4A2B10: ???");
        assert_eq!((f.function.as_str(), &f.location), ("???", &Location::Unknown));
        let f = Frame::parse("0x4A2B10: ??? (in /lib/x86_64-linux-gnu/libc.so.6)");
        assert_eq!(f.function, "???");
        assert!(matches!(f.location, Location::Object(_)));
        let f = Frame::parse("0x5650dcf4fa1f: <dhat::Alloc as core::alloc::global::GlobalAlloc>::alloc (???:0:0)");
        assert_eq!(f.function, "<dhat::Alloc as core::alloc::global::GlobalAlloc>::alloc");
        assert_eq!(f.short_name(), "alloc");
        assert_eq!(f.location, Location::Unknown);
        assert_eq!(Frame::parse("[root]").function, "[root]");
        assert_eq!(Frame::parse("").function, "???");
    }

    #[test]
    fn windows_paths_keep_their_drive() {
        let f = Frame::parse(r"0x7ff6: app::run (C:\Users\me\app\src\main.rs:12:9)");
        assert_eq!(f.location, source(r"C:\Users\me\app\src\main.rs", 12, Some(9)));
        let f = Frame::parse(r"0x7ff6: app::run (C:\Program Files (x86)\app\src\main.rs:12)");
        assert_eq!(f.function, "app::run");
        assert_eq!(f.location, source(r"C:\Program Files (x86)\app\src\main.rs", 12, None));
    }

    #[test]
    fn names_with_parentheses_closures_and_generics() {
        let f = Frame::parse(
            "0x11D7E5: map_or_else<&str, alloc::string::String, fn(&str) -> alloc::string::String> (core/src/option.rs:1278:21)",
        );
        assert_eq!(f.function, "map_or_else<&str, alloc::string::String, fn(&str) -> alloc::string::String>");
        assert_eq!(f.short_name(), "map_or_else");
        assert_eq!(f.location, source("core/src/option.rs", 1278, Some(21)));
        let f = Frame::parse("0x1: std::rt::lang_start::{{closure}} (library/std/src/rt.rs:206)");
        assert!(f.is_closure());
        let f = Frame::parse(
            "0x1: call_once<(), (dyn core::ops::function::Fn<(), Output=i32> + core::marker::Sync)> (core/src/ops/function.rs:287)",
        );
        assert_eq!(f.short_name(), "call_once");
        let f = Frame::parse("0x1: <profiled::Config as core::clone::Clone>::clone (src/main.rs:40)");
        assert_eq!(f.short_name(), "clone");
        let f = Frame::parse(
            "0x1: <alloc::raw_vec::RawVecInner<_>>::reserve::do_reserve_and_handle::<alloc::alloc::Global> (x.rs:1)",
        );
        assert_eq!(f.short_name(), "do_reserve_and_handle");
        // A name that merely ends in `()` has no location.
        let f = Frame::parse("0x1: weird()");
        assert_eq!((f.function.as_str(), &f.location), ("weird()", &Location::Unknown));
    }

    #[test]
    fn mangled_symbols_are_demangled_without_hash() {
        let f = Frame::parse("0x1: _ZN8profiled7squares17h0123456789abcdefE (/src/main.rs:28)");
        assert_eq!(f.function, "profiled::squares");
        let f = Frame::parse("0x1: _ZN8profiled7squares17h0123456789abcdefE.llvm.1234567 (/src/main.rs:28)");
        assert_eq!(f.function, "profiled::squares");
        let f = Frame::parse("0x1: _RNvCs1234_8profiled7squares (/src/main.rs:28)");
        assert_eq!(f.function, "profiled::squares");
        let f = Frame::parse("0x1: profiled::squares::h0123456789abcdef (/src/main.rs:28)");
        assert_eq!(f.function, "profiled::squares");
        let f = Frame::parse("0x1: profiled::squares.cold.1 (/src/main.rs:28)");
        assert_eq!(f.function, "profiled::squares");
    }
}
