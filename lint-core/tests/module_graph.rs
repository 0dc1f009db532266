//! lint-core's module graph: which module uses which, read from the
//! sources with syn (every `crate::`, `super::` and `self::` path, in `use`
//! items and in code; test modules left out), and the cycles in it.
//!
//! The layers read top-down (declarations, syntax, semantic facts, the
//! walk and its per-fn facts, analyses, rules, engine: `LAYERS`). These
//! tests fail on any cycle and on any import running up a layer, printing
//! the edges. (A submodule's use of its parent is not an edge: it is part
//! of it. Test modules are left out.) A type a lower layer needs moves
//! down; code that needs a higher layer moves up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// A module's path from the crate root: `walk::cx`, `rules`, `` (the root).
type Module = String;

#[test]
fn no_cycle_in_the_module_graph() {
    let graph = module_graph();
    let cycles = cycles(&graph);
    let mut report = String::new();
    for cycle in &cycles {
        report.push_str(&format!(
            "cycle of {} modules: {}\n",
            cycle.len(),
            cycle.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
        for from in cycle {
            for to in graph[from].iter().filter(|to| cycle.contains(*to)) {
                report.push_str(&format!("    {from} -> {to}\n"));
            }
        }
    }
    assert!(cycles.is_empty(), "cycles in lint-core's module graph:\n{report}");
}

/// The layers, bottom first, by module path prefix (the longest prefix
/// wins): a module may use its own layer and those below it.
const LAYERS: &[(&str, &[&str])] = &[
    ("declarations", &["diagnostic", "error", "target", "timings", "docs", "rule", "settings"]),
    ("syntax", &["syntax", "source", "fix"]),
    // Facts read from the syntax of the crate's items: type definitions
    // and their layouts (the semantic layer of issue 21 grows from here).
    ("semantic", &["layout", "semantic"]),
    ("walk", &["walk", "suppress"]),
    ("analysis", &["analysis"]),
    ("rules", &["rules"]),
    ("engine", &["engine", "cached", ""]),
];

fn layer_of(module: &str) -> usize {
    let mut best: Option<(usize, usize)> = None;
    for (rank, (_, prefixes)) in LAYERS.iter().enumerate() {
        for prefix in *prefixes {
            let matches = module == *prefix || prefix.is_empty() || module.starts_with(&format!("{prefix}::"));
            if matches && best.is_none_or(|(len, _)| prefix.len() > len) {
                best = Some((prefix.len(), rank));
            }
        }
    }
    best.map(|(_, rank)| rank).unwrap_or_else(|| panic!("module `{module}` is in no layer: add it to LAYERS"))
}

#[test]
fn no_import_runs_up_a_layer() {
    let graph = module_graph();
    let mut upward = Vec::new();
    for (from, targets) in &graph {
        for to in targets {
            if layer_of(to) > layer_of(from) {
                upward.push(format!("{from} -> {to}"));
            }
        }
    }
    let name = |m: &str| LAYERS[layer_of(m)].0;
    let report: Vec<String> = upward
        .iter()
        .map(|edge| {
            let (from, to) = edge.split_once(" -> ").expect("an edge");
            format!("    {edge}  ({} -> {})", name(from), name(to))
        })
        .collect();
    assert!(upward.is_empty(), "imports running up a layer:\n{}", report.join("\n"));
}

/// The modules each module uses, from every source file under `src/`.
fn module_graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let all = rust_files(&src);
    // Files of modules declared `#[cfg(test)] mod x;` are tests, not layers.
    let test_modules: BTreeSet<Module> = all
        .iter()
        .flat_map(|file| {
            let module = module_of(&src, file);
            let text = std::fs::read_to_string(file).expect("a source file is readable");
            let syntax = syn::parse_file(&text).unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
            syntax
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Mod(m) if m.content.is_none() && is_test_only(&m.attrs) => {
                        Some(if module.is_empty() { m.ident.to_string() } else { format!("{module}::{}", m.ident) })
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let files: Vec<PathBuf> = all.into_iter().filter(|f| !test_modules.contains(&module_of(&src, f))).collect();
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<Module, BTreeSet<Module>> = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    for file in &files {
        let module = module_of(&src, file);
        let text = std::fs::read_to_string(file).expect("a source file is readable");
        let syntax = syn::parse_file(&text).unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
        let mut paths = Paths { module: module.clone(), found: Vec::new() };
        paths.visit_file(&syntax);
        for path in paths.found {
            if let Some(target) = longest_module(&modules, &path)
                && target != module
                && !module.starts_with(&format!("{target}::"))
                && !target.is_empty()
            {
                graph.get_mut(&module).expect("every file is a module").insert(target);
            }
        }
    }
    graph
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// `walk/cx.rs` -> `walk::cx`; `rules/mod.rs` -> `rules`; `lib.rs` -> ``.
fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).expect("under src").with_extension("");
    let parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).filter(|p| *p != "mod" && *p != "lib").collect();
    parts.join("::")
}

/// The longest module that `path` (absolute from the crate root) names or is inside of.
fn longest_module(modules: &BTreeSet<Module>, path: &[String]) -> Option<Module> {
    (1..=path.len()).rev().map(|n| path[..n].join("::")).find(|candidate| modules.contains(candidate))
}

/// Collects the crate-absolute form of every path of a file.
struct Paths {
    module: Module,
    found: Vec<Vec<String>>,
}

impl Paths {
    /// `crate::a::b`, `super::a`, `self::a` made absolute; other paths are not the crate's modules.
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let mut base: Vec<String> =
            if self.module.is_empty() { Vec::new() } else { self.module.split("::").map(str::to_string).collect() };
        let mut rest = segments;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                base.clear();
                rest = &rest[1..];
            }
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop()?;
                    rest = &rest[1..];
                }
            }
            Some("self") => rest = &rest[1..],
            _ => return None,
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    fn record(&mut self, segments: Vec<String>) {
        if let Some(path) = self.absolute(&segments) {
            self.found.push(path);
        }
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && quote::ToTokens::to_token_stream(&a.meta).to_string().contains("test"))
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test_only(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test_only(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        if !is_test_only(&u.attrs) {
            let mut prefix = Vec::new();
            use_paths(&u.tree, &mut prefix, &mut |p| self.record(p));
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        self.record(p.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, p);
    }
}

/// Every path a `use` tree names, its prefix included.
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut dyn FnMut(Vec<String>)) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            if n.ident != "self" {
                path.push(n.ident.to_string());
            }
            out(path);
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out(path);
        }
        syn::UseTree::Glob(_) => out(prefix.clone()),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_paths(tree, prefix, out);
            }
        }
    }
}

/// The strongly connected components of more than one module (Tarjan).
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<BTreeSet<Module>> {
    struct State<'g> {
        graph: &'g BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<BTreeSet<Module>>,
    }
    fn connect<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in &s.graph[v] {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                connect(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.insert(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            connect(&mut state, v);
        }
    }
    state.found
}

/// The checker itself: a cycle is found, a chain is not, and `super::`
/// paths resolve from the module they are written in.
#[test]
fn the_checker_finds_cycles_and_resolves_relative_paths() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
        for (from, to) in edges {
            g.entry(from.to_string()).or_default().insert(to.to_string());
            g.entry(to.to_string()).or_default();
        }
        g
    };
    let found = cycles(&graph(&[("walk", "rule"), ("rule", "walk"), ("engine", "walk")]));
    assert_eq!(found, [BTreeSet::from(["rule".to_string(), "walk".to_string()])]);
    assert!(cycles(&graph(&[("engine", "rules"), ("rules", "walk"), ("engine", "walk")])).is_empty());
    let paths = Paths { module: "walk::copies".into(), found: Vec::new() };
    let segments = |p: &str| p.split("::").map(str::to_string).collect::<Vec<_>>();
    assert_eq!(paths.absolute(&segments("super::FnCx")), Some(segments("walk::FnCx")));
    assert_eq!(paths.absolute(&segments("crate::syntax::paths")), Some(segments("syntax::paths")));
    assert_eq!(paths.absolute(&segments("syn::Expr")), None);
    // Layers: the longest prefix decides; the walk sits above the type
    // definitions it records and below the analyses and rules over it.
    assert!(layer_of("syntax::paths") < layer_of("layout::defs"));
    assert!(layer_of("layout::defs") < layer_of("walk::cx"));
    assert!(layer_of("walk::copies") < layer_of("analysis::conversions"));
    assert!(layer_of("analysis::boxing") < layer_of("rules::vec_box"));
    assert!(layer_of("rules") < layer_of("engine") && layer_of("") == layer_of("cached"));
}
