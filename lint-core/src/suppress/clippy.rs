//! clippy's `allow`s and `expect`s of the lints memlint's rules mirror
//! ([`crate::RuleMeta::clippy`]): a crate that has judged clippy's
//! `vec_box` on a field has judged memlint's `vec_box` there too. They are
//! honoured on the code, any enclosing item or module and the crate (inner
//! attributes), also inside `cfg_attr(.., allow(..))`. Lint groups
//! (`clippy::all`, `clippy::perf`) are not: silencing clippy wholesale is
//! no judgement of these findings.

use syn::visit::Visit;

use crate::walk::Rule;

/// The memlint rules an attribute silences, and the lines it covers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ClippyAllow {
    /// memlint rule names.
    pub(crate) rules: Vec<String>,
    /// Inclusive lines; `None` for the whole file.
    pub(crate) lines: Option<(u32, u32)>,
}

/// The rules of `registry` that mirror the clippy lint `lint` (a name
/// without `clippy::`). The registry is given, not looked up: it is the
/// rules layer's, above this one.
pub fn rules_mirroring<'a>(
    registry: &'a [&'static dyn Rule],
    lint: &'a str,
) -> impl Iterator<Item = &'static str> + 'a {
    registry.iter().map(|r| r.meta()).filter(move |m| m.clippy.contains(&lint)).map(|m| m.name)
}

/// Every clippy allow, in `file` (whose text is `text`), of a lint a rule
/// of `registry` mirrors.
pub(crate) fn find(text: &str, file: &syn::File, registry: &'static [&'static dyn Rule]) -> Vec<ClippyAllow> {
    // Most files name none: one search for `clippy::`, then the names.
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"clippy::").is_none() {
        return Vec::new();
    }
    let mut mirrored = registry.iter().flat_map(|r| r.meta().clippy.iter());
    if !mirrored.any(|lint| memchr::memmem::find(bytes, lint.as_bytes()).is_some()) {
        return Vec::new();
    }
    let mut finder = Finder { found: Vec::new(), registry };
    finder.attrs(&file.attrs, None);
    finder.visit_file(file);
    finder.found
}

struct Finder {
    found: Vec<ClippyAllow>,
    registry: &'static [&'static dyn Rule],
}

impl Finder {
    fn attrs(&mut self, attrs: &[syn::Attribute], lines: Option<(u32, u32)>) {
        let mut rules: Vec<String> = Vec::new();
        for lint in attrs.iter().flat_map(allowed_clippy_lints) {
            for rule in rules_mirroring(self.registry, &lint) {
                if !rules.iter().any(|r| r == rule) {
                    rules.push(rule.to_owned());
                }
            }
        }
        if !rules.is_empty() {
            self.found.push(ClippyAllow { rules, lines });
        }
    }

    fn node(&mut self, attrs: &[syn::Attribute], node: &impl syn::spanned::Spanned) {
        if attrs.is_empty() {
            return;
        }
        self.attrs(attrs, Some(super::Nodes::lines(node)));
    }
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_item(&mut self, node: &'ast syn::Item) {
        self.node(crate::walk::item_attrs(node), node);
        syn::visit::visit_item(self, node);
    }

    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        self.node(&node.attrs, node);
        syn::visit::visit_impl_item_fn(self, node);
    }

    fn visit_trait_item_fn(&mut self, node: &'ast syn::TraitItemFn) {
        self.node(&node.attrs, node);
        syn::visit::visit_trait_item_fn(self, node);
    }

    fn visit_field(&mut self, node: &'ast syn::Field) {
        self.node(&node.attrs, node);
        syn::visit::visit_field(self, node);
    }

    fn visit_variant(&mut self, node: &'ast syn::Variant) {
        self.node(&node.attrs, node);
        syn::visit::visit_variant(self, node);
    }

    fn visit_local(&mut self, node: &'ast syn::Local) {
        self.node(&node.attrs, node);
        syn::visit::visit_local(self, node);
    }
}

/// The clippy lints an attribute allows or expects, directly or in a
/// `cfg_attr`: `clippy::vec_box` gives `vec_box`.
fn allowed_clippy_lints(attr: &syn::Attribute) -> Vec<String> {
    let lints_of = |list: &syn::MetaList| -> Vec<String> {
        if !(list.path.is_ident("allow") || list.path.is_ident("expect")) {
            return Vec::new();
        }
        let Ok(paths) =
            list.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            return Vec::new();
        };
        paths
            .iter()
            .filter(|p| p.segments.len() == 2 && p.segments[0].ident == "clippy")
            .map(|p| p.segments[1].ident.to_string())
            .collect()
    };
    if let Some((_, metas)) = crate::syntax::cfg::cfg_attr_parts(attr) {
        return metas
            .iter()
            .filter_map(|m| if let syn::Meta::List(l) = m { Some(lints_of(l)) } else { None })
            .flatten()
            .collect();
    }
    match &attr.meta {
        syn::Meta::List(list) => lints_of(list),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules and lines of each allow.
    type Found = Vec<(Vec<String>, Option<(u32, u32)>)>;

    fn allows(code: &str) -> Found {
        let file = syn::parse_file(code).expect("parses");
        find(code, &file, crate::rules::REGISTRY).into_iter().map(|a| (a.rules, a.lines)).collect()
    }

    fn rules(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn allows_and_expects_of_mirrored_lints_where_they_are_written() {
        let code = "struct W {\n    #[allow(clippy::vec_box)] // reason\n    tasks: Vec<Box<u8>>,\n}\n\
                    #[expect(clippy::box_collection, clippy::too_many_lines)]\nfn f() {}\n\
                    #[cfg_attr(feature = \"x\", allow(clippy::rc_buffer))]\nstruct R;\n\
                    fn g() {\n    #[allow(clippy::redundant_clone)]\n    let x = y.clone();\n}\n";
        assert_eq!(
            allows(code),
            [
                (rules(&["vec_box"]), Some((2, 3))),
                (rules(&["box_collection"]), Some((5, 6))),
                (rules(&["box_collection"]), Some((7, 8))),
                (rules(&["redundant_clone"]), Some((10, 11))),
            ]
        );
    }

    #[test]
    fn crate_and_module_attributes_cover_what_they_enclose() {
        let code = "#![allow(clippy::large_enum_variant)]\nmod m {\n    #![allow(clippy::format_push_string)]\n    fn f() {}\n}\n";
        assert_eq!(
            allows(code),
            [(rules(&["large_enum_variant"]), None), (rules(&["format_push_string"]), Some((2, 5)))]
        );
    }

    /// tokio's `Vec<Box<Core>>` field, allowed for clippy with a reason.
    #[test]
    fn a_clippy_allow_silences_the_rule_that_mirrors_it() {
        let code = "pub struct Worker {\n    #[allow(clippy::vec_box)] // boxed on purpose\n    cores: Vec<Box<Core>>,\n}\npub struct Core {\n    id: u32,\n}\n";
        let rules = |code: &str| -> Vec<&str> {
            crate::Linter::default()
                .lint_source("a.rs", code)
                .expect("parses")
                .diagnostics
                .iter()
                .map(|d| d.rule)
                .collect()
        };
        assert_eq!(rules(code), Vec::<&str>::new());
        assert_eq!(rules(&code.replace("#[allow(clippy::vec_box)]", "#[allow(clippy::all)]")), ["vec_box"]);
    }

    #[test]
    fn groups_other_lints_and_other_tools_are_not_suppressions() {
        for code in [
            "#![allow(clippy::all)]\nstruct S { v: Vec<Box<u8>> }\n",
            "#[allow(clippy::perf, clippy::pedantic)]\nstruct S;\n// clippy::vec_box\n",
            "#[allow(vec_box)]\nstruct S;\n// clippy::vec_box in a comment\n",
            "#[deny(clippy::vec_box)]\nstruct S;\n",
        ] {
            assert_eq!(allows(code), [], "{code}");
        }
    }
}
