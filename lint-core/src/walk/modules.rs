//! The `mod name;` declarations of a file: the edges of the crate's module
//! tree, which the front end follows from each target's root to know which
//! files are compiled, and as what (test code, maybe not compiled at all).

use syn::Attribute;
use syn::ext::IdentExt;

/// A module declared without a body, whose file the compiler looks for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModDecl {
    /// The module's name (without `r#`).
    pub name: String,
    /// Its `#[path = ".."]`, if it has one; for an `include!`, the file.
    pub path: Option<String>,
    /// The paths of `#[cfg_attr(.., path = "..")]`: the file under some
    /// configuration (one per platform, say).
    pub cfg_paths: Vec<String>,
    /// An `include!("file")`: the file's items are part of this module, so
    /// its own `mod`s are found where this file's are.
    pub include: bool,
    /// The inline modules (`mod a { .. }`) around the declaration,
    /// outermost first: each adds a directory, its name or its `#[path]`.
    pub inline: Vec<String>,
    /// Under `#[cfg(test)]`: on the declaration or an inline module around it.
    pub test: bool,
    /// Under another `#[cfg(..)]` (on it or around it), or written inside a
    /// macro call: the module may not be compiled.
    pub conditional: bool,
    /// The line of the declaration.
    pub line: u32,
}

/// The module declarations of a parsed file, in order. Inline modules are
/// entered, and item-position macro calls whose body parses as items
/// (tokio's `cfg_rt! { pub mod runtime; }`) are read as such.
pub fn declarations(file: &syn::File, source: &crate::SourceFile) -> Vec<ModDecl> {
    let mut out = Vec::new();
    collect(&file.items, &Around::default(), source, &mut out);
    out
}

/// What the items being read are inside of.
#[derive(Debug, Clone, Default)]
struct Around {
    inline: Vec<String>,
    test: bool,
    conditional: bool,
}

fn collect(items: &[syn::Item], around: &Around, source: &crate::SourceFile, out: &mut Vec<ModDecl>) {
    for item in items {
        match item {
            syn::Item::Mod(module) => {
                let test = around.test || crate::syntax::test_modules::has_cfg_test(&module.attrs);
                let conditional = around.conditional || (!test && has_cfg(&module.attrs));
                let path = path_attr(&module.attrs);
                match &module.content {
                    None => out.push(ModDecl {
                        name: module.ident.unraw().to_string(),
                        path,
                        cfg_paths: cfg_paths(&module.attrs),
                        include: false,
                        inline: around.inline.clone(),
                        test,
                        conditional,
                        line: u32::try_from(module.ident.span().start().line).unwrap_or(u32::MAX),
                    }),
                    Some((_, items)) => {
                        let mut inner = Around { inline: around.inline.clone(), test, conditional };
                        inner.inline.push(path.unwrap_or_else(|| module.ident.unraw().to_string()));
                        collect(items, &inner, source, out);
                    }
                }
            }
            syn::Item::Macro(call) if call.mac.path.is_ident("include") => {
                if let Ok(file) = call.mac.parse_body::<syn::LitStr>() {
                    out.push(ModDecl {
                        name: String::new(),
                        path: Some(file.value()),
                        cfg_paths: Vec::new(),
                        include: true,
                        inline: around.inline.clone(),
                        test: around.test || crate::syntax::test_modules::has_cfg_test(&call.attrs),
                        conditional: around.conditional || has_cfg(&call.attrs),
                        line: u32::try_from(file.span().start().line).unwrap_or(u32::MAX),
                    });
                }
            }
            // The body's text, not its tokens: iterating a token stream
            // copies it, and generated code has many large item macros.
            syn::Item::Macro(call) if mentions_mod(source.text_of(call.mac.delimiter.span().join())) => {
                if let Ok(body) = call.mac.parse_body::<syn::File>() {
                    let inner = Around { conditional: true, ..around.clone() };
                    collect(&body.items, &inner, source, out);
                }
            }
            _ => {}
        }
    }
}

/// Whether `text` has the word `mod`.
fn mentions_mod(text: &str) -> bool {
    let bytes = text.as_bytes();
    let word = |i: usize| i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_');
    memchr::memmem::find_iter(bytes, b"mod").any(|at| !(word(at + 3) || at > 0 && word(at - 1)))
}

/// `#[cfg(..)]`: the item may be compiled only under some configuration.
/// (A `cfg_attr` that gives a `path` is read as [`ModDecl::cfg_paths`].)
fn has_cfg(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("cfg"))
}

/// The paths of `#[cfg_attr(predicate, path = "..")]`.
fn cfg_paths(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter_map(crate::syntax::cfg::cfg_attr_parts)
        .flat_map(|(_, metas)| metas)
        .filter_map(|meta| match meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The string of `#[path = ".."]`.
fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Name, path, inline modules, test, conditional.
    type Summary = (String, Option<String>, Vec<String>, bool, bool);

    fn decls(code: &str) -> Vec<Summary> {
        let file = syn::parse_file(code).expect("parses");
        declarations(&file, &crate::SourceFile::new("a.rs", code))
            .into_iter()
            .filter(|d| !d.include)
            .map(|d| (d.name, d.path, d.inline, d.test, d.conditional))
            .collect()
    }

    fn decl(
        name: &str,
        path: Option<&str>,
        inline: &[&str],
        test: bool,
        conditional: bool,
    ) -> (String, Option<String>, Vec<String>, bool, bool) {
        (name.to_owned(), path.map(str::to_owned), inline.iter().map(|s| (*s).to_owned()).collect(), test, conditional)
    }

    #[test]
    fn declarations_with_their_paths_and_conditions() {
        let code = r#"
            mod plain;
            pub(crate) mod r#async;
            #[cfg(test)]
            mod tests;
            #[cfg(all(test, feature = "x"))]
            mod more_tests;
            #[cfg(feature = "std")]
            mod std_only;
            #[path = "other/file.rs"]
            mod renamed;
            mod inline {
                mod nested;
                #[cfg(test)]
                mod tested { mod deep; }
            }
            #[path = "dir"]
            mod with_dir { mod inner; }
            mod body { fn f() {} }
            fn f() { mod in_fn {} }
        "#;
        assert_eq!(
            decls(code),
            [
                decl("plain", None, &[], false, false),
                decl("async", None, &[], false, false),
                decl("tests", None, &[], true, false),
                decl("more_tests", None, &[], true, false),
                decl("std_only", None, &[], false, true),
                decl("renamed", Some("other/file.rs"), &[], false, false),
                decl("nested", None, &["inline"], false, false),
                decl("deep", None, &["inline", "tested"], true, false),
                decl("inner", None, &["dir"], false, false),
            ]
        );
    }

    #[test]
    fn platform_paths_and_included_files() {
        let code = "#[cfg_attr(unix, path = \"unix.rs\")]\n#[cfg_attr(windows, path = \"windows.rs\")]\nmod platform;\n\
                    #[cfg(target_os = \"linux\")]\ninclude!(\"./os/linux.rs\");\ninclude!(concat!(env!(\"OUT_DIR\"), \"/gen.rs\"));";
        let file = syn::parse_file(code).expect("parses");
        let found: Vec<(Option<String>, Vec<String>, bool, bool)> =
            declarations(&file, &crate::SourceFile::new("a.rs", code))
                .into_iter()
                .map(|d| (d.path, d.cfg_paths, d.include, d.conditional))
                .collect();
        assert_eq!(
            found,
            [
                (None, vec!["unix.rs".to_owned(), "windows.rs".to_owned()], false, false),
                (Some("./os/linux.rs".to_owned()), vec![], true, true),
            ]
        );
    }

    #[test]
    fn modules_declared_in_macro_calls_are_conditional() {
        let code = "cfg_rt! { pub mod runtime; cfg_net! { mod net; } }\nmacro_rules! m { () => { mod not_a_decl; } }\nlazy_static! { static ref X: u8 = 1; }";
        assert_eq!(decls(code), [decl("runtime", None, &[], false, true), decl("net", None, &[], false, true)]);
    }
}
