//! Whether a package follows dhat-rs's documented `dhat-heap` convention:
//!
//! ```ignore
//! #[cfg(feature = "dhat-heap")]
//! #[global_allocator]
//! static ALLOC: dhat::Alloc = dhat::Alloc;
//!
//! fn main() {
//!     #[cfg(feature = "dhat-heap")]
//!     let _profiler = dhat::Profiler::new_heap();
//! }
//! ```
//!
//! Read with syn, never by building: memlint does not run code to find out.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// dhat-rs keeps this many frames by default; deeper std paths lose the user's frames.
pub const DHAT_DEFAULT_TRIM: u32 = 10;
/// The trim memlint recommends (measured: 10 lost the user frame for 16% of bytes).
pub const RECOMMENDED_TRIM: u32 = 64;
/// The feature name of the convention.
pub const FEATURE: &str = "dhat-heap";

/// What was found of the convention in a package.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DhatSetup {
    /// The package declares a `dhat-heap` feature.
    pub feature: bool,
    /// Where `#[global_allocator] static _: dhat::Alloc` under the feature is.
    pub allocator: Option<(PathBuf, u32)>,
    /// Where a `dhat::Profiler` is started under the feature.
    pub profiler: Option<(PathBuf, u32)>,
    /// The `trim_backtraces(Some(N))` given to the profiler, if any.
    pub trim: Option<u32>,
    /// The `file_name("..")` given to the profiler, if a literal.
    pub file_name: Option<String>,
}

impl DhatSetup {
    /// Looks for the convention in `files` of a package whose features are `features`.
    pub fn find<'a>(
        files: impl IntoIterator<Item = &'a Path>,
        features: impl IntoIterator<Item = &'a str>,
    ) -> DhatSetup {
        let mut setup = DhatSetup { feature: features.into_iter().any(|f| f == FEATURE), ..DhatSetup::default() };
        for path in files {
            let Ok(text) = std::fs::read_to_string(path) else { continue };
            if !text.contains("dhat") {
                continue;
            }
            if let Ok(file) = syn::parse_file(text.trim_start_matches('\u{feff}')) {
                let mut finder = Finder { path, setup: &mut setup, gated: 0 };
                finder.visit_file(&file);
            }
            proc_macro2::extra::invalidate_current_thread_spans();
        }
        setup
    }

    /// Whether `cargo build --features dhat-heap` will profile.
    pub fn is_complete(&self) -> bool {
        self.feature && self.allocator.is_some() && self.profiler.is_some()
    }

    /// Whether the backtrace trim will cut user frames off deep std stacks.
    pub fn trim_too_short(&self) -> bool {
        self.trim.unwrap_or(DHAT_DEFAULT_TRIM) < 32
    }

    /// The file the profiler writes, relative to the program's working directory.
    pub fn output_file(&self) -> &str {
        self.file_name.as_deref().unwrap_or("dhat-heap.json")
    }

    /// Exactly what to add for the convention, for the parts that are
    /// missing; `root` is the target's crate root as the user would name it
    /// (`src/main.rs`, `crates/core/main.rs`).
    pub fn advice(&self, root: &str) -> String {
        let mut out = String::new();
        if !self.feature {
            out.push_str(
                "in Cargo.toml:\n\n    [dependencies]\n    dhat = { version = \"0.3\", optional = true }\n\n    [features]\n    dhat-heap = [\"dep:dhat\"]\n\n",
            );
        }
        if self.allocator.is_none() {
            let _ = write!(
                out,
                "in the crate root ({root}):\n\n    #[cfg(feature = \"dhat-heap\")]\n    #[global_allocator]\n    static ALLOC: dhat::Alloc = dhat::Alloc;\n\n",
            );
        }
        if self.profiler.is_none() {
            let _ = write!(
                out,
                "first thing in `main` (or in each test to profile):\n\n    #[cfg(feature = \"dhat-heap\")]\n    let _profiler = dhat::Profiler::builder().trim_backtraces(Some({RECOMMENDED_TRIM})).build();\n\n"
            );
        }
        out
    }
}

struct Finder<'p, 's> {
    path: &'p Path,
    setup: &'s mut DhatSetup,
    /// Depth of enclosing `#[cfg(feature = "dhat-heap")]` items or statements.
    gated: usize,
}

fn is_dhat_gate(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let tokens = a.meta.require_list().map(|l| l.tokens.to_string()).unwrap_or_default();
            tokens.contains("feature") && tokens.contains("\"dhat-heap\"")
        }
    })
}

fn names_dhat(path: &syn::Path, item: &str) -> bool {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.len() >= 2 && segments[segments.len() - 2] == "dhat" && segments[segments.len() - 1] == item
}

fn line_of(span: proc_macro2::Span) -> u32 {
    span.start().line as u32
}

impl Finder<'_, '_> {
    fn gate<'ast, T>(&mut self, attrs: &[syn::Attribute], node: &'ast T, visit: fn(&mut Self, &'ast T)) {
        let gated = is_dhat_gate(attrs);
        self.gated += usize::from(gated);
        visit(self, node);
        self.gated -= usize::from(gated);
    }
}

impl<'ast> Visit<'ast> for Finder<'_, '_> {
    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        let global = s.attrs.iter().any(|a| a.path().is_ident("global_allocator"));
        if global
            && (is_dhat_gate(&s.attrs) || self.gated > 0)
            && let syn::Type::Path(ty) = &*s.ty
            && names_dhat(&ty.path, "Alloc")
        {
            self.setup.allocator = Some((self.path.to_path_buf(), line_of(s.static_token.span)));
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.gate(&f.attrs, f, syn::visit::visit_item_fn);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        self.gate(&m.attrs, m, syn::visit::visit_item_mod);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        self.gate(&l.attrs, l, syn::visit::visit_local);
    }

    fn visit_expr_block(&mut self, b: &'ast syn::ExprBlock) {
        self.gate(&b.attrs, b, syn::visit::visit_expr_block);
    }

    fn visit_stmt_macro(&mut self, m: &'ast syn::StmtMacro) {
        self.gate(&m.attrs, m, syn::visit::visit_stmt_macro);
    }

    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        if self.gated > 0 && self.setup.profiler.is_none() {
            let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            if segments.windows(2).any(|w| w[0] == "dhat" && w[1] == "Profiler") {
                self.setup.profiler = Some((self.path.to_path_buf(), line_of(p.path.segments[0].ident.span())));
            }
        }
        syn::visit::visit_expr_path(self, p);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if self.gated > 0 {
            let method = call.method.to_string();
            let literal = call.args.first().map(quote_literal).unwrap_or_default();
            match method.as_str() {
                "trim_backtraces" => {
                    self.setup.trim = literal.trim_start_matches("Some(").trim_end_matches(')').trim().parse().ok()
                }
                "file_name" => {
                    self.setup.file_name =
                        Some(literal.trim_matches('"').to_string()).filter(|s| !s.is_empty() && !literal.contains('('))
                }
                _ => {}
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// The source text of a simple argument: `Some(64)`, `"heap.json"`.
fn quote_literal(expr: &syn::Expr) -> String {
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => format!("\"{}\"", s.value()),
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) => i.base10_digits().to_string(),
        syn::Expr::Call(call) if call.args.len() == 1 => {
            let func = match &*call.func {
                syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
                _ => String::new(),
            };
            format!("{func}({})", call.args.first().map(quote_literal).unwrap_or_default())
        }
        _ => "(expression)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, features: &[&str]) -> DhatSetup {
        let dir = crate::tempdir::Dir::new("detect");
        let path = dir.write("src/main.rs", text);
        let mut setup = DhatSetup::find([path.as_path()], features.iter().copied());
        // Paths point into the temporary directory; compare lines only.
        for at in [&mut setup.allocator, &mut setup.profiler].into_iter().flatten() {
            at.0 = PathBuf::from("src/main.rs");
        }
        setup
    }

    const CONVENTION: &str = r#"
#[cfg(feature = "dhat-heap")]
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::builder().trim_backtraces(Some(64)).file_name("heap.json").build();
}
"#;

    #[test]
    fn finds_the_documented_convention() {
        let setup = find(CONVENTION, &["dhat-heap"]);
        assert!(setup.is_complete(), "{setup:?}");
        assert_eq!(setup.allocator.as_ref().map(|a| a.1), Some(4));
        assert_eq!(setup.profiler.as_ref().map(|a| a.1), Some(8));
        assert_eq!((setup.trim, setup.output_file()), (Some(64), "heap.json"));
        assert!(!setup.trim_too_short());
        assert_eq!(setup.advice("src/main.rs"), "");
    }

    #[test]
    fn an_ungated_allocator_or_a_missing_feature_is_not_the_convention() {
        let setup = find(
            &CONVENTION.replace("#[cfg(feature = \"dhat-heap\")]\n#[global_allocator]", "#[global_allocator]"),
            &["dhat-heap"],
        );
        assert_eq!(setup.allocator, None);
        assert!(setup.advice("crates/core/main.rs").contains("in the crate root (crates/core/main.rs):"));
        assert!(setup.advice("src/main.rs").contains("static ALLOC: dhat::Alloc = dhat::Alloc;"));
        let setup = find(CONVENTION, &[]);
        assert!(!setup.is_complete());
        assert!(setup.advice("src/main.rs").starts_with("in Cargo.toml:"));
    }

    #[test]
    fn default_trim_is_too_short_and_advice_says_what_to_write() {
        let text = "#[cfg(feature = \"dhat-heap\")]\n#[global_allocator]\nstatic A: dhat::Alloc = dhat::Alloc;\nfn main() {\n    #[cfg(feature = \"dhat-heap\")]\n    let _p = dhat::Profiler::new_heap();\n}\n";
        let setup = find(text, &["dhat-heap"]);
        assert!(setup.is_complete());
        assert_eq!((setup.trim, setup.output_file()), (None, "dhat-heap.json"));
        assert!(setup.trim_too_short());
        let none = find("fn main() {}", &[]);
        assert!(
            none.advice("src/main.rs")
                .contains("let _profiler = dhat::Profiler::builder().trim_backtraces(Some(64)).build();")
        );
    }
}
