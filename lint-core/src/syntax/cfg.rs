//! `#[cfg(..)]` predicates evaluated for the target memlint assumes when it
//! sizes types: 64-bit Linux on x86_64. What depends on anything else (a
//! feature, another target key) is unknown, and a rule that needs it stays
//! silent.

use syn::Attribute;

/// Whether an item with `attrs` is compiled on the assumed target: `None`
/// when a `cfg` depends on something memlint doesn't know (features).
pub fn enabled(attrs: &[Attribute]) -> Option<bool> {
    let mut all = Some(true);
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        let value = attr.parse_args::<syn::Meta>().ok().and_then(|meta| eval(&meta));
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

fn eval(meta: &syn::Meta) -> Option<bool> {
    match meta {
        syn::Meta::Path(path) => {
            let name = path.get_ident()?.to_string();
            match name.as_str() {
                "unix" => Some(true),
                "windows" | "test" | "miri" | "doc" => Some(false),
                "debug_assertions" => None,
                _ => None,
            }
        }
        syn::Meta::NameValue(nv) => {
            let key = nv.path.get_ident()?.to_string();
            let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(value), .. }) = &nv.value else { return None };
            let value = value.value();
            let target = match key.as_str() {
                "target_pointer_width" => "64",
                "target_os" => "linux",
                "target_family" => "unix",
                "target_arch" => "x86_64",
                "target_endian" => "little",
                "target_env" => "gnu",
                "target_vendor" => "unknown",
                _ => return None,
            };
            Some(value == target)
        }
        syn::Meta::List(list) => {
            let name = list.path.get_ident()?.to_string();
            let args = list
                .parse_args_with(syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
                .ok()?;
            match name.as_str() {
                "all" => args.iter().map(eval).fold(Some(true), and),
                "any" => args.iter().map(eval).fold(Some(false), or),
                "not" if args.len() == 1 => eval(&args[0]).map(|b| !b),
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
        let item: syn::ItemStruct = syn::parse_str(&format!("{attrs} struct S;")).expect("parses");
        enabled(&item.attrs)
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
