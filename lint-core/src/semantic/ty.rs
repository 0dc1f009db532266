//! The types the semantic model reasons about: a small structural picture of
//! a Rust type, exact where it is known and [`Ty::Unknown`] elsewhere.
//!
//! A type is only ever read from a place that states it: a written type
//! (`x: Vec<String>`), or a signature of the standard-library table or of
//! the crate. A name is a std type only where the file doesn't shadow it
//! (the caller says so through `std_name`).

use syn::{GenericArgument, PathArguments, Type};

/// Standard-library types the model knows besides heap owners and
/// primitives, by their name.
const OTHER_STD_TYPES: &[&str] =
    &["str", "Box", "Rc", "Arc", "Cow", "Path", "OsStr", "CStr", "Option", "Result", "Command"];

/// Whether `name` is a standard-library type the model knows.
pub fn is_std_type(name: &str) -> bool {
    HEAP_OWNERS.contains(&name) || PRIMITIVES.contains(&name) || OTHER_STD_TYPES.contains(&name)
}

/// Std types that own a heap buffer their `clone` copies (`Box` aside:
/// it owns its one value).
pub const HEAP_OWNERS: &[&str] = &[
    "String",
    "Vec",
    "VecDeque",
    "BinaryHeap",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "PathBuf",
    "OsString",
    "CString",
];

/// Primitive types: `Copy`, no heap.
const PRIMITIVES: &[&str] = &[
    "char", "bool", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64",
];

/// A type, as far as it is known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Ty {
    /// A standard-library type by name ([`is_std_type`]), with its generic arguments.
    Std(String, Vec<Ty>),
    /// A struct, enum or union of the crate, by name (its generic
    /// arguments are not followed).
    Adt(String),
    /// `&T` (`true`: `&mut T`).
    Ref(bool, Box<Ty>),
    /// `[T]`.
    Slice(Box<Ty>),
    /// `[T; N]`.
    Array(Box<Ty>),
    /// `(A, B, ..)`; `()` is the empty tuple.
    Tuple(Vec<Ty>),
    /// An iterator over items of the type (the std table's `impl Iterator<Item = T>`).
    Iter(Box<Ty>),
    /// A type parameter of a signature of the std table, bound when the signature is applied.
    Var(String),
    /// What the crate's function (in another file) called so returns:
    /// known once every file is read, so a finding that depends on it
    /// waits for the crate phase ([`super::index::Condition`]).
    Returned(Box<CallKey>),
    /// What the method called so returns on a receiver of a type only the
    /// crate phase knows (`get_config(..).get_output_format(..)`).
    MethodOf(Box<Ty>, String),
    /// The type of a field of a struct another file defines.
    FieldOf(Box<Ty>, String),
    /// A type of the crate named with arguments that another file defines
    /// (`Result<Config>` after `use crate::error::Result;`): a type alias,
    /// expanded in the crate phase, or a generic struct or enum.
    Alias(String, Vec<Ty>),
    /// Not known.
    Unknown,
}

impl Ty {
    /// A std type without generic arguments.
    pub fn std(name: &str) -> Ty {
        Ty::Std(name.to_owned(), Vec::new())
    }

    /// `&self`.
    pub fn by_ref(self) -> Ty {
        Ty::Ref(false, Box::new(self))
    }

    /// Whether nothing is known.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Ty::Unknown)
    }

    /// Whether it is known only once every file of the crate is read.
    pub fn is_deferred(&self) -> bool {
        matches!(self, Ty::Returned(_) | Ty::MethodOf(..) | Ty::FieldOf(..) | Ty::Alias(..))
    }

    /// The other crates of the workspace whose functions or types it
    /// names ([`CallKey::other_crate`], [`workspace_type`]): only the
    /// workspace phase decides it.
    pub fn other_crates(&self) -> Vec<&str> {
        let mut crates: Vec<&str> = match self {
            Ty::Returned(key) => return key.other_crate().map(|(name, _)| name).into_iter().collect(),
            Ty::Adt(name) | Ty::Alias(name, _) => workspace_type(name).map(|(krate, _)| krate).into_iter().collect(),
            _ => Vec::new(),
        };
        crates.extend(self.parts().flat_map(Ty::other_crates));
        crates
    }

    /// Whether it says nothing that only one crate can read: no type of a
    /// crate (they are known by name, which another crate of the workspace
    /// may give to a type of its own), nothing deferred.
    pub fn is_crate_neutral(&self) -> bool {
        match self {
            Ty::Adt(_) | Ty::Alias(..) | Ty::Returned(_) | Ty::MethodOf(..) | Ty::FieldOf(..) => false,
            _ => self.parts().all(Ty::is_crate_neutral),
        }
    }

    /// The type, resolved in the workspace's crate `krate`, as the code
    /// of the crate that uses it names it: each type of `krate` qualified
    /// with the crate (`::shapes::Circle`). `None` when it is not resolved,
    /// or names a type of a third crate (which `krate` may name otherwise).
    pub fn qualified(&self, krate: &str) -> Option<Ty> {
        let each = |items: &[Ty]| items.iter().map(|t| t.qualified(krate)).collect::<Option<Vec<Ty>>>();
        Some(match self {
            Ty::Adt(name) if workspace_type(name).is_none() => Ty::Adt(format!("::{krate}::{name}")),
            Ty::Adt(_) | Ty::Alias(..) | Ty::Returned(_) | Ty::MethodOf(..) | Ty::FieldOf(..) => return None,
            Ty::Std(name, args) => Ty::Std(name.clone(), each(args)?),
            Ty::Tuple(items) => Ty::Tuple(each(items)?),
            Ty::Ref(m, inner) => Ty::Ref(*m, Box::new(inner.qualified(krate)?)),
            Ty::Slice(inner) => Ty::Slice(Box::new(inner.qualified(krate)?)),
            Ty::Array(inner) => Ty::Array(Box::new(inner.qualified(krate)?)),
            Ty::Iter(inner) => Ty::Iter(Box::new(inner.qualified(krate)?)),
            Ty::Var(_) | Ty::Unknown => self.clone(),
        })
    }

    /// The types it is made of (arguments, referents, items).
    fn parts(&self) -> impl Iterator<Item = &Ty> {
        let parts: &[Ty] = match self {
            Ty::Std(_, args) | Ty::Tuple(args) | Ty::Alias(_, args) => args,
            Ty::Ref(_, inner) | Ty::Slice(inner) | Ty::Array(inner) | Ty::Iter(inner) => std::slice::from_ref(inner),
            Ty::MethodOf(inner, _) | Ty::FieldOf(inner, _) => std::slice::from_ref(inner),
            Ty::Adt(_) | Ty::Var(_) | Ty::Returned(_) | Ty::Unknown => &[],
        };
        parts.iter()
    }

    /// How a deferred type names the function that decides it (`Key::new`, `get_output_format`).
    pub fn deferred_callee(&self) -> Option<String> {
        match self {
            Ty::Returned(key) => Some(key.to_string()),
            Ty::MethodOf(inner, name) if name == "?" => inner.deferred_callee(),
            Ty::MethodOf(inner, name) => match &**inner {
                Ty::Adt(owner) => Some(format!("{}::{name}", shown(owner))),
                _ => Some(name.clone()),
            },
            Ty::FieldOf(_, name) => Some(format!(".{name}")),
            _ => None,
        }
    }

    /// The std type's name, when it is one.
    pub fn std_name(&self) -> Option<&str> {
        match self {
            Ty::Std(name, _) => Some(name),
            _ => None,
        }
    }

    /// Whether it is the std type `name`.
    pub fn is_std(&self, name: &str) -> bool {
        self.std_name() == Some(name)
    }

    /// The `i`th generic argument (`Unknown` when not written).
    pub fn arg(&self, i: usize) -> Ty {
        match self {
            Ty::Std(_, args) => args.get(i).cloned().unwrap_or(Ty::Unknown),
            _ => Ty::Unknown,
        }
    }

    /// The type behind any references.
    pub fn peel_refs(&self) -> &Ty {
        match self {
            Ty::Ref(_, inner) => inner.peel_refs(),
            ty => ty,
        }
    }

    /// What `*self` (and auto-deref) reaches: through a reference, a `Box`,
    /// `Rc` or `Arc`, and from an owner to its borrowed form (`String` to
    /// `str`, `Vec<T>` to `[T]`, `PathBuf` to `Path`, ...).
    pub fn deref(&self) -> Option<Ty> {
        Some(match self {
            Ty::Ref(_, inner) => (**inner).clone(),
            Ty::Std(name, args) => match name.as_str() {
                "String" => Ty::std("str"),
                "Vec" => Ty::Slice(Box::new(args.first().cloned().unwrap_or(Ty::Unknown))),
                "PathBuf" => Ty::std("Path"),
                "OsString" => Ty::std("OsStr"),
                "CString" => Ty::std("CStr"),
                "Box" | "Rc" | "Arc" => args.first().cloned().unwrap_or(Ty::Unknown),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Whether it is a primitive type (integers, floats, `char`, `bool`).
    pub fn is_primitive(&self) -> bool {
        matches!(self, Ty::Std(name, _) if PRIMITIVES.contains(&name.as_str()))
    }

    /// Whether the type is certainly `Copy`: primitives, shared references,
    /// and tuples and arrays of them. A crate type is asked of the crate.
    pub fn is_copy(&self) -> bool {
        match self {
            Ty::Std(..) => self.is_primitive(),
            Ty::Ref(mutable, _) => !mutable,
            Ty::Tuple(items) => items.iter().all(Ty::is_copy),
            Ty::Array(item) => item.is_copy(),
            _ => false,
        }
    }

    /// Whether an owned value of the type certainly holds a heap buffer
    /// that `clone` copies (when not empty): `String`, collections, `Box`,
    /// owned paths and OS strings. `Rc`/`Arc` only count a reference; a
    /// crate type is asked of the crate.
    pub fn owns_heap(&self) -> bool {
        match self {
            Ty::Std(name, _) => HEAP_OWNERS.contains(&name.as_str()) || name == "Box",
            Ty::Tuple(items) => items.iter().any(Ty::owns_heap),
            Ty::Array(item) => item.owns_heap(),
            _ => false,
        }
    }

    /// The item type of `for x in <self>` (`IntoIterator::Item`), when known.
    pub fn into_iter_item(&self) -> Option<Ty> {
        let by_ref = |inner: Ty, mutable: bool| Ty::Ref(mutable, Box::new(inner));
        Some(match self {
            Ty::Iter(item) => (**item).clone(),
            Ty::Array(item) => (**item).clone(),
            Ty::Std(name, args) => match name.as_str() {
                "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "BinaryHeap" | "Option" => self.arg(0),
                "HashMap" | "BTreeMap" => Ty::Tuple(vec![self.arg(0), self.arg(1)]),
                _ if args.is_empty() => return None,
                _ => return None,
            },
            Ty::Ref(mutable, inner) => match &**inner {
                Ty::Slice(item) | Ty::Array(item) => by_ref((**item).clone(), *mutable),
                Ty::Std(name, _) => match name.as_str() {
                    "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "BinaryHeap" | "Option" => {
                        by_ref(inner.arg(0), *mutable)
                    }
                    "HashMap" | "BTreeMap" => {
                        Ty::Tuple(vec![by_ref(inner.arg(0), false), by_ref(inner.arg(1), *mutable)])
                    }
                    _ => return None,
                },
                Ty::Iter(item) if *mutable => (**item).clone(),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Replaces the type variables of a std signature with what `bound` binds them to.
    pub fn substitute(&self, bound: &[(String, Ty)]) -> Ty {
        let each = |items: &[Ty]| items.iter().map(|t| t.substitute(bound)).collect();
        match self {
            Ty::Var(name) => bound.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone()).unwrap_or(Ty::Unknown),
            Ty::Std(name, args) => Ty::Std(name.clone(), each(args)),
            Ty::Ref(m, inner) => Ty::Ref(*m, Box::new(inner.substitute(bound))),
            Ty::Slice(inner) => Ty::Slice(Box::new(inner.substitute(bound))),
            Ty::Array(inner) => Ty::Array(Box::new(inner.substitute(bound))),
            Ty::Iter(inner) => Ty::Iter(Box::new(inner.substitute(bound))),
            Ty::Tuple(items) => Ty::Tuple(each(items)),
            Ty::Alias(name, args) => Ty::Alias(name.clone(), each(args)),
            Ty::Adt(_) | Ty::Returned(_) | Ty::MethodOf(..) | Ty::FieldOf(..) | Ty::Unknown => self.clone(),
        }
    }

    /// The type with `Self` (read as [`Ty::Var`] `Self` in a trait) as `ty`.
    pub fn substitute_self(&self, ty: &Ty) -> Ty {
        self.substitute(&[("Self".to_owned(), ty.clone())])
    }

    /// Binds the type variables of `pattern` (a std signature's parameter
    /// type) so that it matches `self`. False when the shapes differ.
    pub fn bind(&self, pattern: &Ty, bound: &mut Vec<(String, Ty)>) -> bool {
        match (pattern, self) {
            (Ty::Var(name), ty) => {
                if !bound.iter().any(|(n, _)| n == name) {
                    bound.push((name.clone(), ty.clone()));
                }
                true
            }
            (Ty::Std(p, pargs), Ty::Std(s, sargs)) => {
                p == s
                    && pargs.iter().enumerate().all(|(i, parg)| sargs.get(i).unwrap_or(&Ty::Unknown).bind(parg, bound))
            }
            (Ty::Ref(pm, p), Ty::Ref(sm, s)) => pm == sm && s.bind(p, bound),
            (Ty::Slice(p), Ty::Slice(s)) | (Ty::Array(p), Ty::Array(s)) | (Ty::Iter(p), Ty::Iter(s)) => {
                s.bind(p, bound)
            }
            (Ty::Tuple(p), Ty::Tuple(s)) => p.len() == s.len() && s.iter().zip(p).all(|(s, p)| s.bind(p, bound)),
            // A concrete parameter type never matches what is not known.
            (p, s) => p == s,
        }
    }
}

/// How a function of the crate is called: `owner::name` for an associated
/// function or method of the type `owner`, `name` for a free function.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct CallKey {
    /// The type whose inherent `impl` defines it.
    pub owner: Option<String>,
    /// The function's name (its own, not an import's rename).
    pub name: String,
    /// The module path the call names a free function through, as written
    /// or imported (`crate::a`, `super`, `self::m`): which of the crate's
    /// functions of that name it is. `None` for a bare name.
    #[serde(default)]
    pub via: Option<Vec<String>>,
}

impl CallKey {
    /// An associated function or method of `owner`.
    pub fn method(owner: impl Into<String>, name: impl Into<String>) -> Self {
        CallKey { owner: Some(owner.into()), name: name.into(), via: None }
    }

    /// A free function called by its bare name.
    pub fn free(name: impl Into<String>) -> Self {
        CallKey { owner: None, name: name.into(), via: None }
    }

    /// The other crate of the workspace the function is of, and its key
    /// there: a function called through a path into it (`use shapes::area;`
    /// keys `area` via `::shapes`, rooted at `::` and the crate's name as
    /// Rust's absolute paths are written), or a function of one of its
    /// types ([`workspace_type`]).
    pub fn other_crate(&self) -> Option<(&str, CallKey)> {
        if let Some((krate, own)) = self.owner.as_deref().and_then(workspace_type) {
            return Some((krate, CallKey::method(own, self.name.clone())));
        }
        let (first, rest) = self.via.as_deref()?.split_first()?;
        let krate = first.strip_prefix("::")?;
        let via = std::iter::once("crate".to_owned()).chain(rest.iter().cloned()).collect();
        Some((krate, CallKey { owner: self.owner.clone(), name: self.name.clone(), via: Some(via) }))
    }

    /// The key without the module path it was called through.
    pub fn bare(&self) -> CallKey {
        CallKey { owner: self.owner.clone(), name: self.name.clone(), via: None }
    }
}

impl std::fmt::Display for CallKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.owner {
            Some(owner) => write!(f, "{}::{}", shown(owner), self.name),
            None => write!(f, "{}", self.name),
        }
    }
}

/// The crate and own name of a type of another crate of the workspace,
/// as the file phase names it (`::shapes::Circle`: types of different
/// crates may share a name); `None` for a type of the crate itself.
pub fn workspace_type(name: &str) -> Option<(&str, &str)> {
    name.strip_prefix("::")?.split_once("::")
}

/// A type's name as the code writes it (`Circle` for `::shapes::Circle`).
fn shown(name: &str) -> &str {
    workspace_type(name).map_or(name, |(_, own)| own)
}

/// How names in a written type are read.
pub struct Reading<'n> {
    /// Whether a name is a std type here (not shadowed by the file, not a
    /// type parameter in scope).
    pub std_name: &'n dyn Fn(&str) -> bool,
    /// Whether a capitalised single-segment name is a type of the crate
    /// (not a type parameter, not imported from elsewhere).
    pub crate_name: &'n dyn Fn(&str) -> bool,
    /// The type `Self` stands for.
    pub self_ty: Option<&'n Ty>,
    /// Type parameters read as [`Ty::Var`] (the std table's `T`, `K`, ..).
    pub vars: &'n [String],
    /// What a type of the crate named with these arguments is, when the
    /// reader knows (the file's own type aliases and types): `None` leaves
    /// it to the crate phase ([`Ty::Alias`], or [`Ty::Adt`] without arguments).
    pub crate_type: &'n dyn Fn(&str, &[Ty]) -> Option<Ty>,
    /// The qualified name ([`workspace_type`]) of a type of another crate
    /// of the workspace a path names (`Circle` imported from it, `shapes::Circle`).
    pub workspace_type: &'n dyn Fn(&syn::Path) -> Option<String>,
}

/// A [`Reading::workspace_type`] that knows no other crate.
pub fn no_workspace_types(_: &syn::Path) -> Option<String> {
    None
}

/// A [`Reading::crate_type`] that knows no type of the crate.
pub fn no_crate_types(_: &str, _: &[Ty]) -> Option<Ty> {
    None
}

impl Reading<'_> {
    /// The type a written type states; `Unknown` for what it can't tell
    /// (type parameters, trait objects, types of other crates).
    pub fn read(&self, ty: &Type) -> Ty {
        match ty {
            Type::Reference(r) => Ty::Ref(r.mutability.is_some(), Box::new(self.read(&r.elem))),
            Type::Paren(p) => self.read(&p.elem),
            Type::Group(g) => self.read(&g.elem),
            Type::Slice(s) => Ty::Slice(Box::new(self.read(&s.elem))),
            Type::Array(a) => Ty::Array(Box::new(self.read(&a.elem))),
            Type::Tuple(t) => Ty::Tuple(t.elems.iter().map(|e| self.read(e)).collect()),
            Type::ImplTrait(t) => {
                self.iterator_item(&t.bounds).map(|item| Ty::Iter(Box::new(item))).unwrap_or(Ty::Unknown)
            }
            Type::Path(p) if p.qself.is_none() => {
                let Some(last) = p.path.segments.last() else { return Ty::Unknown };
                let name = last.ident.to_string();
                let single = p.path.segments.len() == 1 && p.path.leading_colon.is_none();
                if single && self.vars.contains(&name) {
                    return Ty::Var(name);
                }
                if single && name == "Self" {
                    return self.self_ty.cloned().unwrap_or(Ty::Unknown);
                }
                let args = || match &last.arguments {
                    PathArguments::AngleBracketed(a) => a
                        .args
                        .iter()
                        .filter_map(|arg| match arg {
                            GenericArgument::Type(t) => Some(self.read(t)),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                // `std::result::Result` is std's whatever the file names
                // `Result`. Primitive names are taken as written: a crate
                // that declares a type `u32` is not worth a scan of every file.
                let std_path = crate::syntax::paths::path_is(&p.path, &[&name]);
                if is_std_type(&name)
                    && std_path
                    && (!single || PRIMITIVES.contains(&name.as_str()) || name == "str" || (self.std_name)(&name))
                {
                    return Ty::Std(name, args());
                }
                // `crate::model::Config`, `super::Config`: a path inside the crate.
                let in_crate = p.path.leading_colon.is_none()
                    && p.path
                        .segments
                        .first()
                        .is_some_and(|s| s.ident == "crate" || s.ident == "self" || s.ident == "super");
                if (single || in_crate)
                    && name.starts_with(|c: char| c.is_ascii_uppercase())
                    && (self.crate_name)(&name)
                {
                    let args: Vec<Ty> = args();
                    return match (self.crate_type)(&name, &args) {
                        Some(ty) => ty,
                        None if args.is_empty() => Ty::Adt(name),
                        None => Ty::Alias(name, args),
                    };
                }
                if name.starts_with(|c: char| c.is_ascii_uppercase())
                    && let Some(qualified) = (self.workspace_type)(&p.path)
                {
                    let args: Vec<Ty> = args();
                    return if args.is_empty() { Ty::Adt(qualified) } else { Ty::Alias(qualified, args) };
                }
                Ty::Unknown
            }
            _ => Ty::Unknown,
        }
    }
}

impl std::fmt::Debug for Reading<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reading").field("self_ty", &self.self_ty).field("vars", &self.vars).finish_non_exhaustive()
    }
}

impl Reading<'_> {
    /// `X` of an `impl Iterator<Item = X>` (or `DoubleEndedIterator`) bound.
    fn iterator_item(&self, bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>) -> Option<Ty> {
        bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(t) = bound else { return None };
            let last = t.path.segments.last()?;
            if !["Iterator", "DoubleEndedIterator", "ExactSizeIterator"].iter().any(|n| last.ident == n) {
                return None;
            }
            let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
            args.args.iter().find_map(|arg| match arg {
                GenericArgument::AssocType(assoc) if assoc.ident == "Item" => Some(self.read(&assoc.ty)),
                _ => None,
            })
        })
    }
}

impl std::fmt::Display for Ty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |f: &mut std::fmt::Formatter<'_>, items: &[Ty]| -> std::fmt::Result {
            for (i, t) in items.iter().enumerate() {
                if i > 0 {
                    write!(f, ", ")?;
                }
                write!(f, "{t}")?;
            }
            Ok(())
        };
        match self {
            Ty::Std(name, args) if args.is_empty() => write!(f, "{name}"),
            Ty::Std(name, args) | Ty::Alias(name, args) => {
                write!(f, "{}<", shown(name))?;
                list(f, args)?;
                write!(f, ">")
            }
            Ty::Adt(name) => write!(f, "{}", shown(name)),
            Ty::Var(name) => write!(f, "{name}"),
            Ty::Ref(m, inner) => write!(f, "&{}{inner}", if *m { "mut " } else { "" }),
            Ty::Slice(inner) => write!(f, "[{inner}]"),
            Ty::Array(inner) => write!(f, "[{inner}; _]"),
            Ty::Tuple(items) => {
                write!(f, "(")?;
                list(f, items)?;
                write!(f, ")")
            }
            Ty::Iter(item) => write!(f, "impl Iterator<Item = {item}>"),
            Ty::Returned(key) => write!(f, "<what `{key}` returns>"),
            Ty::MethodOf(_, name) => write!(f, "<what `.{name}()` returns>"),
            Ty::FieldOf(_, name) => write!(f, "<the type of `.{name}`>"),
            Ty::Unknown => write!(f, "_"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Reading, Ty};

    fn read(text: &str) -> Ty {
        let ty: syn::Type = syn::parse_str(text).unwrap();
        let me = Ty::Adt("Me".into());
        let reading = Reading {
            std_name: &|n| n != "Shadowed",
            crate_name: &|n| n != "T",
            self_ty: Some(&me),
            vars: &[],
            crate_type: &super::no_crate_types,
            workspace_type: &|p| p.is_ident("Circle").then(|| "::shapes::Circle".to_owned()),
        };
        reading.read(&ty)
    }

    #[test]
    fn written_types_are_read_structurally() {
        assert_eq!(read("&[Vec<i64>]").to_string(), "&[Vec<i64>]");
        assert_eq!(read("std::collections::HashMap<String, u32>").to_string(), "HashMap<String, u32>");
        assert_eq!(read("Self"), Ty::Adt("Me".into()));
        assert_eq!(read("Record"), Ty::Adt("Record".into()));
        assert_eq!(read("crate::model::Record"), Ty::Adt("Record".into()));
        // A type parameter, a shadowed std name, another crate's type: unknown.
        assert_eq!(read("T"), Ty::Unknown);
        assert_eq!(read("regex::Regex"), Ty::Unknown);
        assert_eq!(read("other::String"), Ty::Unknown);
    }

    #[test]
    fn loops_yield_owned_or_borrowed_items() {
        assert_eq!(read("&[Vec<i64>]").into_iter_item().unwrap().to_string(), "&Vec<i64>");
        assert_eq!(read("Vec<String>").into_iter_item().unwrap().to_string(), "String");
        assert_eq!(read("&HashMap<String, u32>").into_iter_item().unwrap().to_string(), "(&String, &u32)");
        assert_eq!(read("String").into_iter_item(), None);
    }

    #[test]
    fn copy_and_heap() {
        assert!(read("(u32, &String)").is_copy());
        assert!(!read("&mut u8").is_copy());
        assert!(read("(u32, String)").owns_heap());
        assert!(!read("std::rc::Rc<String>").owns_heap());
        assert!(!read("&String").owns_heap());
    }
}
