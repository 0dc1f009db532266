//! `#[cfg(..)]` predicates evaluated for the target memlint sizes types
//! for ([`Target`]: 64-bit Linux on x86_64 unless configured). What depends
//! on anything else (a feature, another key) is unknown, and a rule that
//! needs it stays silent.

use syn::Attribute;

use crate::target::Target;

/// Whether an item with `attrs` is compiled on `target`: `None` when a
/// `cfg` depends on something memlint doesn't know (features).
pub fn enabled(attrs: &[Attribute], target: &Target) -> Option<bool> {
    let mut all = Some(true);
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        let value = attr.parse_args::<syn::Meta>().ok().and_then(|meta| eval(&meta, target));
        all = and(all, value);
    }
    all
}

/// Three-valued `and`: false wins over unknown.
fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Three-valued `or`: true wins over unknown.
fn or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn eval(meta: &syn::Meta, target: &Target) -> Option<bool> {
    match meta {
        syn::Meta::Path(path) => {
            let name = path.get_ident()?.to_string();
            match name.as_str() {
                "unix" | "windows" => Some(target.family == Some(name.as_str())),
                "test" | "miri" | "doc" => Some(false),
                "debug_assertions" => None,
                _ => None,
            }
        }
        syn::Meta::NameValue(nv) => {
            let key = nv.path.get_ident()?.to_string();
            let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(value), .. }) = &nv.value else { return None };
            Some(target.cfg_value(&key)? == value.value())
        }
        syn::Meta::List(list) => {
            let name = list.path.get_ident()?.to_string();
            let args = list
                .parse_args_with(syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
                .ok()?;
            match name.as_str() {
                "all" => args.iter().map(|a| eval(a, target)).fold(Some(true), and),
                "any" => args.iter().map(|a| eval(a, target)).fold(Some(false), or),
                "not" if args.len() == 1 => eval(&args[0], target).map(|b| !b),
                _ => None,
            }
        }
    }
}

/// A `#[cfg_attr(predicate, attr, ..)]`: its predicate and the attributes
/// it applies when the predicate holds. `None` for other attributes, or
/// one whose arguments don't read as metas.
pub fn cfg_attr_parts(attr: &Attribute) -> Option<(syn::Meta, Vec<syn::Meta>)> {
    if !attr.path().is_ident("cfg_attr") {
        return None;
    }
    let metas =
        attr.parse_args_with(syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated).ok()?;
    let mut metas = metas.into_iter();
    let predicate = metas.next()?;
    Some((predicate, metas.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(attrs: &str) -> Option<bool> {
        on_target(attrs, "x86_64-unknown-linux-gnu")
    }

    fn on_target(attrs: &str, triple: &str) -> Option<bool> {
        let item: syn::ItemStruct = syn::parse_str(&format!("{attrs} struct S;")).expect("parses");
        enabled(&item.attrs, &Target::from_triple(triple).expect("a known target"))
    }

    #[test]
    fn predicates_for_other_targets() {
        let width32 = "#[cfg(target_pointer_width = \"32\")]";
        assert_eq!(on_target(width32, "i686-unknown-linux-gnu"), Some(true));
        assert_eq!(on_target(width32, "armv7-unknown-linux-gnueabihf"), Some(true));
        assert_eq!(on_target(width32, "aarch64-apple-darwin"), Some(false));
        assert_eq!(on_target("#[cfg(windows)]", "x86_64-pc-windows-msvc"), Some(true));
        assert_eq!(on_target("#[cfg(unix)]", "x86_64-pc-windows-msvc"), Some(false));
        assert_eq!(on_target("#[cfg(target_env = \"msvc\")]", "x86_64-pc-windows-msvc"), Some(true));
        assert_eq!(on_target("#[cfg(target_os = \"macos\")]", "aarch64-apple-darwin"), Some(true));
        assert_eq!(on_target("#[cfg(target_vendor = \"apple\")]", "aarch64-apple-darwin"), Some(true));
        assert_eq!(on_target("#[cfg(any(unix, windows))]", "wasm32-unknown-unknown"), Some(false));
        assert_eq!(on_target("#[cfg(target_family = \"wasm\")]", "wasm32-unknown-unknown"), Some(true));
        assert_eq!(on_target("#[cfg(target_arch = \"x86\")]", "i686-unknown-linux-gnu"), Some(true));
    }

    #[test]
    fn predicates_for_64_bit_linux() {
        assert_eq!(on(""), Some(true));
        assert_eq!(on("#[cfg(target_pointer_width = \"64\")]"), Some(true));
        assert_eq!(on("#[cfg(target_pointer_width = \"32\")]"), Some(false));
        assert_eq!(on("#[cfg(all(unix, target_os = \"linux\"))]"), Some(true));
        assert_eq!(on("#[cfg(windows)]"), Some(false));
        assert_eq!(on("#[cfg(not(windows))]"), Some(true));
        assert_eq!(on("#[cfg(any(windows, target_arch = \"x86_64\"))]"), Some(true));
        assert_eq!(on("#[cfg(feature = \"std\")]"), None);
        assert_eq!(on("#[cfg(all(feature = \"std\", windows))]"), Some(false), "false wins over unknown");
        assert_eq!(on("#[cfg(any(feature = \"std\", unix))]"), Some(true), "true wins over unknown");
        assert_eq!(on("#[cfg(unix)] #[cfg(target_pointer_width = \"32\")]"), Some(false));
        assert_eq!(on("#[cfg(some_custom_flag)]"), None);
    }
}
