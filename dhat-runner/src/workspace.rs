//! Which frames are the user's code: resolving frame paths to the
//! workspace's source files, and the functions those files define.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::frame::{Frame, Location};

/// Where a frame's code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An allocator entry point (`malloc`, `__rust_alloc`, a `GlobalAlloc` impl):
    /// never the code that asked for memory.
    Shim,
    /// A workspace source file (index into [`Workspace::files`]) and position.
    Workspace {
        /// Index into [`Workspace::files`].
        file: usize,
        /// 1-based line.
        line: u32,
        /// 1-based column, when the producer gives one.
        column: Option<u32>,
    },
    /// memlint's runtime crate (`#[memtrack]`'s bookkeeping: registering a
    /// tracked function, budget messages, reports), outside the workspace.
    /// Its counting allocator, `memlint::Alloc`, is a [`Origin::Shim`].
    Memlint,
    /// The standard library (std, core, alloc).
    Std,
    /// A dependency from a registry, git or vendor directory.
    Dependency,
    /// Anything else: C libraries, code without debug info, unknown frames.
    Other,
}

/// A function definition in a workspace file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnSpan {
    /// Its name (`squares`; methods without their type).
    pub name: String,
    /// First line, attributes included.
    pub start: u32,
    /// Last line.
    pub end: u32,
}

/// The workspace's source files and what is known about them.
#[derive(Debug)]
pub struct Workspace {
    root: PathBuf,
    files: Vec<PathBuf>,
    /// Each file relative to the root, with `/` separators.
    relative: Vec<String>,
    by_name: HashMap<String, Vec<usize>>,
    facts: RefCell<HashMap<usize, FileFacts>>,
}

impl Workspace {
    /// A workspace rooted at `root` whose source files are `files` (absolute).
    pub fn new(root: impl Into<PathBuf>, files: impl IntoIterator<Item = PathBuf>) -> Workspace {
        let mut files: Vec<PathBuf> = files.into_iter().collect();
        files.sort();
        files.dedup();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, file) in files.iter().enumerate() {
            if let Some(name) = file.file_name() {
                by_name.entry(name.to_string_lossy().into_owned()).or_default().push(i);
            }
        }
        let root = root.into();
        let relative = files
            .iter()
            .map(|path| {
                let rel = path.strip_prefix(&root).unwrap_or(path);
                rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
            })
            .collect();
        Workspace { root, files, relative, by_name, facts: RefCell::new(HashMap::new()) }
    }

    /// The workspace root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The source files, sorted.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The index of an absolute path among [`Workspace::files`].
    pub fn file_index(&self, path: &Path) -> Option<usize> {
        self.files.binary_search_by(|f| f.as_path().cmp(path)).ok()
    }

    /// `file` relative to the root, with `/` separators.
    pub fn relative(&self, file: usize) -> &str {
        &self.relative[file]
    }

    /// Where `frame`'s code comes from.
    pub fn origin(&self, frame: &Frame) -> Origin {
        if is_shim(&frame.function) {
            return Origin::Shim;
        }
        match &frame.location {
            Location::Source { file, line, column } => {
                let normalized = file.replace('\\', "/");
                if let Some(index) = self.resolve(&normalized, frame, *line) {
                    if self.is_generated_main(index, frame) {
                        // libtest's `main`, generated for `#[test]` files: the harness, not user code.
                        return Origin::Other;
                    }
                    return Origin::Workspace { file: index, line: *line, column: *column };
                }
                if let Some(file) = memlint_runtime_file(&normalized) {
                    return if file == "alloc.rs" { Origin::Shim } else { Origin::Memlint };
                }
                if is_memlint_function(&frame.function) {
                    return Origin::Memlint;
                }
                if is_std_path(&normalized) || is_std_function(&frame.function) {
                    Origin::Std
                } else if is_dependency_path(&normalized) {
                    Origin::Dependency
                } else if is_relative(&normalized) && normalized.ends_with(".rs") {
                    // dhat-rs cuts std's paths to three components (`src/vec/mod.rs`).
                    Origin::Std
                } else {
                    Origin::Other
                }
            }
            _ if is_memlint_function(&frame.function) => Origin::Memlint,
            _ if is_std_function(&frame.function) => Origin::Std,
            _ => Origin::Other,
        }
    }

    /// The workspace file a frame path names: an absolute path must be one of
    /// the files; a relative one (dhat-rs keeps the last 3 components,
    /// valgrind without `--fullpath-after` a base name) must end exactly one of
    /// them, and the file must define a function of the frame's name there.
    fn resolve(&self, path: &str, frame: &Frame, line: u32) -> Option<usize> {
        if !is_relative(path) {
            return self.file_index(Path::new(path));
        }
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
        let candidates = self.by_name.get(*parts.last()?)?;
        let mut found = candidates.iter().copied().filter(|&i| {
            let mut theirs = self.files[i].components().rev();
            parts.iter().rev().all(|part| theirs.next().is_some_and(|c| c.as_os_str() == *part))
        });
        let first = found.next()?;
        if found.next().is_some() || !self.defines(first, frame, line) {
            return None;
        }
        Some(first)
    }

    /// Whether the code at `line` of `file` can be `frame`'s function: the
    /// innermost function there has its name, or the frame is a closure or
    /// code outside any function body (derives, statics).
    fn defines(&self, file: usize, frame: &Frame, line: u32) -> bool {
        if is_std_function(&frame.function) {
            return false;
        }
        match self.enclosing_fn(file, line) {
            Some(f) => frame.is_closure() || f.name == frame.short_name(),
            None => self.with_facts(file, |facts| facts.lines.is_none_or(|n| line <= n)),
        }
    }

    /// A `main` frame in a file that defines no `main` function.
    fn is_generated_main(&self, file: usize, frame: &Frame) -> bool {
        frame.short_name() == "main" && self.with_facts(file, |facts| !facts.fns.iter().any(|f| f.name == "main"))
    }

    /// The innermost function of `file` whose definition spans `line`.
    pub fn enclosing_fn(&self, file: usize, line: u32) -> Option<FnSpan> {
        self.with_facts(file, |facts| {
            facts.fns.iter().filter(|f| f.start <= line && line <= f.end).min_by_key(|f| f.end - f.start).cloned()
        })
    }

    /// Runs `f` on what `file` defines, reading and parsing it on first use.
    fn with_facts<T>(&self, file: usize, f: impl FnOnce(&FileFacts) -> T) -> T {
        let mut cache = self.facts.borrow_mut();
        f(cache.entry(file).or_insert_with(|| FileFacts::read(&self.files[file])))
    }
}

/// What the join needs of a workspace file, read once.
#[derive(Debug, Default)]
struct FileFacts {
    /// Every function definition; none when the file cannot be read or
    /// parsed (the linter reports such files).
    fns: Vec<FnSpan>,
    /// How many lines it has; `None` when it cannot be read.
    lines: Option<u32>,
}

impl FileFacts {
    fn read(path: &Path) -> FileFacts {
        let Ok(text) = std::fs::read_to_string(path) else { return FileFacts::default() };
        let parsed = syn::parse_file(text.trim_start_matches('\u{feff}'));
        let mut collector = FnCollector(Vec::new());
        if let Ok(file) = &parsed {
            syn::visit::Visit::visit_file(&mut collector, file);
        }
        drop(parsed);
        // Lines are extracted; proc-macro2's per-thread span map is freed (see lint-core).
        proc_macro2::extra::invalidate_current_thread_spans();
        FileFacts { fns: collector.0, lines: Some(text.lines().count() as u32) }
    }
}

struct FnCollector(Vec<FnSpan>);

impl FnCollector {
    /// Records a function from its first attribute (or `fn`) to `end`.
    fn push(&mut self, sig: &syn::Signature, attrs: &[syn::Attribute], end: proc_macro2::Span) {
        let first = attrs.first().map_or(sig.fn_token.span, |a| a.pound_token.span);
        let name = sig.ident.to_string().trim_start_matches("r#").to_string();
        self.0.push(FnSpan { name, start: first.start().line as u32, end: end.end().line as u32 });
    }
}

impl<'ast> syn::visit::Visit<'ast> for FnCollector {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.push(&f.sig, &f.attrs, f.block.brace_token.span.close());
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.push(&f.sig, &f.attrs, f.block.brace_token.span.close());
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(body) = &f.default {
            self.push(&f.sig, &f.attrs, body.brace_token.span.close());
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

fn is_relative(path: &str) -> bool {
    !(path.starts_with('/') || path.as_bytes().get(1) == Some(&b':'))
}

/// Allocator entry points: the C allocator, Rust's allocator shims and any
/// `GlobalAlloc` implementation (dhat's, memlint's, the user's).
pub fn is_shim(function: &str) -> bool {
    const C_ALLOCATOR: [&str; 8] =
        ["malloc", "calloc", "realloc", "free", "memalign", "posix_memalign", "aligned_alloc", "valloc"];
    C_ALLOCATOR.contains(&function) || function.starts_with("operator new") || is_rust_allocator_entry(function)
}

/// Whether a frame is on Rust's way to memory: the allocator shims, a
/// `GlobalAlloc` implementation, or std's allocation code (`alloc::alloc`,
/// `System`'s), named or (under LTO) only placed. An allocation valgrind
/// records without one came from C code.
pub fn is_rust_allocator(frame: &Frame) -> bool {
    is_rust_allocator_entry(&frame.function)
        || frame.source().is_some_and(|(file, ..)| {
            let file = file.replace('\\', "/");
            file.ends_with("alloc/src/alloc.rs")
                || file.ends_with("std/src/alloc.rs")
                || file.contains("std/src/sys/alloc/")
        })
}

/// Rust's allocator shims (`__rust_alloc`, `__rdl_alloc`, ...) and `GlobalAlloc` impls.
fn is_rust_allocator_entry(function: &str) -> bool {
    let short = crate::frame::short_name(function);
    short.starts_with("__rust_")
        || short.starts_with("__rg_")
        || short.starts_with("__rdl_")
        || function.starts_with("__rustc::")
        || function.contains(" as core::alloc::global::GlobalAlloc>::")
}

/// The file of memlint's runtime crate a path names (`site.rs`), whatever
/// way the crate was fetched: a path dependency or a git checkout
/// (`…/memlint/src/site.rs`), a registry (`…/memlint-0.1.0/src/site.rs`), or
/// dhat-rs's last three components of either.
fn memlint_runtime_file(path: &str) -> Option<&str> {
    let mut parts = path.rsplit('/');
    let (file, src, krate) = (parts.next()?, parts.next()?, parts.next()?);
    let versioned = krate.strip_prefix("memlint-").is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()));
    (src == "src" && (krate == "memlint" || versioned) && file.ends_with(".rs")).then_some(file)
}

/// A function of memlint's runtime crate, for frames without a source path.
fn is_memlint_function(function: &str) -> bool {
    function.trim_start_matches('<').starts_with("memlint::")
}

fn is_std_function(function: &str) -> bool {
    let name = function.trim_start_matches('<');
    ["std::", "core::", "alloc::", "hashbrown::", "proc_macro::"].iter().any(|p| name.starts_with(p))
}

/// Whether a source path is the standard library's: rustc's remapped
/// `/rustc/<hash>/…`, a toolchain's `lib/rustlib/src/rust/…`, the crates std
/// vendors (`/rust/deps/…`), or dhat-rs's last three components of them.
pub(crate) fn is_std_path(path: &str) -> bool {
    path.starts_with("/rustc/")
        || path.contains("/lib/rustlib/src/rust/")
        || path.contains("/rust/deps/")
        || ["std/src/", "core/src/", "alloc/src/"].iter().any(|p| path.starts_with(p))
}

fn is_dependency_path(path: &str) -> bool {
    path.contains("/.cargo/registry/") || path.contains("/.cargo/git/") || path.contains("/vendor/") || {
        // dhat-rs: `dhat-0.3.3/src/lib.rs`: a versioned crate directory.
        let first = path.split('/').next().unwrap_or("");
        first.rsplit_once('-').is_some_and(|(_, v)| {
            v.split('.').count() >= 3 && v.split('.').all(|n| n.chars().next().is_some_and(|c| c.is_ascii_digit()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> (crate::tempdir::Dir, Workspace) {
        let dir = crate::tempdir::Dir::new("ws");
        dir.write("app/src/main.rs", "#[derive(Clone)]\nstruct C;\n\nfn squares() {\n    let v = 1;\n}\n\nimpl C {\n    fn new() -> C {\n        C\n    }\n}\n");
        dir.write("app/src/vec/mod.rs", "fn helper() {}\n");
        dir.write("other/src/main.rs", "fn main() {}\n");
        dir.write("app/tests/t.rs", "#[test]\nfn t() {}\n");
        let files = ["app/src/main.rs", "app/src/vec/mod.rs", "other/src/main.rs", "app/tests/t.rs"]
            .map(|f| dir.path().join(f));
        let ws = Workspace::new(dir.path(), files);
        (dir, ws)
    }

    fn origin(ws: &Workspace, text: &str) -> Origin {
        ws.origin(&Frame::parse(text))
    }

    #[test]
    fn absolute_paths_must_be_workspace_files() {
        let (dir, ws) = fixture();
        let main = dir.path().join("app/src/main.rs");
        let o = origin(&ws, &format!("0x1: app::squares ({}:5)", main.display()));
        assert_eq!(o, Origin::Workspace { file: 0, line: 5, column: None });
        let o = origin(&ws, &format!("0x1: app::x ({}:5)", dir.path().join("target/gen.rs").display()));
        assert_eq!(o, Origin::Other);
        // libtest's generated `main` sits on line 1 of a test file that has none.
        let t = dir.path().join("app/tests/t.rs");
        assert_eq!(origin(&ws, &format!("0x1: t::main ({}:1)", t.display())), Origin::Other);
        assert!(matches!(origin(&ws, &format!("0x1: t::t ({}:2)", t.display())), Origin::Workspace { .. }));
    }

    #[test]
    fn relative_paths_need_a_unique_suffix_and_a_matching_function() {
        let (_dir, ws) = fixture();
        assert_eq!(
            origin(&ws, "0x1: squares (app/src/main.rs:5:13)"),
            Origin::Workspace { file: 0, line: 5, column: Some(13) }
        );
        assert_eq!(
            origin(&ws, "0x1: new (app/src/main.rs:10:9)"),
            Origin::Workspace { file: 0, line: 10, column: Some(9) }
        );
        // `src/main.rs` is in two packages: ambiguous, not guessed.
        assert_eq!(origin(&ws, "0x1: main (src/main.rs:1:1)"), Origin::Std);
        // std's `src/vec/mod.rs` is not the user's `app/src/vec/mod.rs`.
        assert_eq!(origin(&ws, "0x1: push<u64, alloc::alloc::Global> (src/vec/mod.rs:992:22)"), Origin::Std);
        // A derive's code sits outside any function body.
        assert_eq!(
            origin(&ws, "0x1: <app::C as core::clone::Clone>::clone (app/src/main.rs:1:10)"),
            Origin::Workspace { file: 0, line: 1, column: Some(10) }
        );
        // The name check: `squares` is not defined at line 10.
        assert_eq!(origin(&ws, "0x1: squares (app/src/main.rs:10:9)"), Origin::Std);
    }

    #[test]
    fn shims_std_and_dependencies() {
        let (_dir, ws) = fixture();
        assert_eq!(origin(&ws, "0x1: malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)"), Origin::Shim);
        assert_eq!(origin(&ws, "0x1: __rustc::__rust_alloc (app/src/main.rs:1:1)"), Origin::Shim);
        assert_eq!(
            origin(&ws, "0x1: <dhat::Alloc as core::alloc::global::GlobalAlloc>::alloc (???:0:0)"),
            Origin::Shim
        );
        assert_eq!(origin(&ws, "0x1: alloc (/rustc/abc/library/alloc/src/alloc.rs:95)"), Origin::Std);
        assert_eq!(origin(&ws, "0x1: alloc (dhat-0.3.3/src/lib.rs:1176:9)"), Origin::Dependency);
        assert_eq!(
            origin(&ws, "0x1: insert (/root/.cargo/registry/src/index.crates.io-1/hashbrown-0.15.2/src/map.rs:9)"),
            Origin::Dependency
        );
        assert_eq!(
            origin(&ws, "0x1: serde_json::to_string (/root/.cargo/registry/src/i/serde_json-1.0/src/ser.rs:9)"),
            Origin::Dependency
        );
        assert_eq!(origin(&ws, "0x1: __fopen_internal (libio/./libio/iofopen.c:65)"), Origin::Other);
        assert_eq!(origin(&ws, "0x1: ??? (in /lib/libc.so.6)"), Origin::Other);
    }

    #[test]
    fn memlints_runtime_is_told_apart_however_it_was_fetched() {
        let (_dir, ws) = fixture();
        for frame in [
            // A path dependency on a clone, valgrind (absolute paths, inlined frames named briefly).
            "0x1: enter (/home/u/memlint/memlint/src/site.rs:119)",
            "0x1: {closure#0} (/home/u/memlint/memlint/src/report.rs:153)",
            // A git dependency.
            "0x1: memlint::site::Site::register (/root/.cargo/git/checkouts/memlint-6b7b742f817cfddb/16c3536/memlint/src/site.rs:67)",
            // A registry, or dhat-rs's last three components.
            "0x1: memlint::budget::check (/root/.cargo/registry/src/i/memlint-0.1.0/src/budget.rs:71)",
            "0x1: <memlint::site::Guard as core::ops::drop::Drop>::drop (memlint/src/site.rs:130:13)",
            // No line tables: the name says it.
            "0x1: memlint::report::write_at_exit (in /app/target/release/app)",
        ] {
            assert_eq!(origin(&ws, frame), Origin::Memlint, "{frame}");
        }
        // Its counting allocator is an allocator entry point.
        assert_eq!(
            origin(&ws, "0x1: alloc<std::alloc::System> (/home/u/memlint/memlint/src/alloc.rs:42)"),
            Origin::Shim
        );
        // Not memlint: the macros' crate, a crate whose name starts alike.
        assert_eq!(origin(&ws, "0x1: expand (/home/u/memlint/memlint-macros/src/lib.rs:9)"), Origin::Other);
        assert_eq!(
            origin(&ws, "0x1: memlint_demo::f (/root/.cargo/registry/src/i/memlint-demo-0.1.0/src/lib.rs:3)"),
            Origin::Dependency
        );
    }

    #[test]
    fn enclosing_functions() {
        let (_dir, ws) = fixture();
        assert_eq!(ws.enclosing_fn(0, 5).map(|f| f.name), Some("squares".to_string()));
        assert_eq!(ws.enclosing_fn(0, 10).map(|f| (f.name, f.start, f.end)), Some(("new".to_string(), 9, 11)));
        assert_eq!(ws.enclosing_fn(0, 2), None);
        assert_eq!(ws.relative(1), "app/src/vec/mod.rs");
    }
}
