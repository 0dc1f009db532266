//! The standard library's signatures that the model applies: read once
//! from `data/std_facts.rs`, a file of real calls that rustc checks (see
//! that file for how an entry reads, and the test below).

use std::collections::HashMap;
use std::sync::LazyLock;

use syn::{Expr, FnArg, GenericParam, Pat, ReturnType, Stmt, TypeParamBound};

use super::ty::{Reading, Ty, no_crate_types, no_workspace_types};

/// The table's source: data, compiled by rustc in the tests.
pub const STD_FACTS: &str = include_str!("../../data/std_facts.rs");

/// A parameter of a signature.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Param {
    /// Its type (type variables as [`Ty::Var`]).
    pub ty: Ty,
    /// For a generic parameter the function can only borrow through, how:
    /// it neither keeps nor returns what it is given.
    pub borrows: Option<Borrows>,
}

/// How a generic parameter (used nowhere else in its signature) borrows
/// its argument.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Borrows {
    /// `P: AsRef<X>` or `impl AsRef<X>`: any `AsRef<X>` fits, a reference too.
    AsRef(Ty),
    /// `P: Deref<Target = X>`: a `&X` fits.
    Deref(Ty),
}

/// How a bound lets a parameter borrow: `AsRef<X>` or `Deref<Target = X>`.
pub fn borrows_through(bound: &TypeParamBound, read: &dyn Fn(&syn::Type) -> Ty) -> Option<Borrows> {
    let TypeParamBound::Trait(t) = bound else { return None };
    let last = t.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    let borrows = match args.args.first()? {
        syn::GenericArgument::Type(target) if last.ident == "AsRef" => Borrows::AsRef(read(target)),
        syn::GenericArgument::AssocType(a) if last.ident == "Deref" && a.ident == "Target" => {
            Borrows::Deref(read(&a.ty))
        }
        _ => return None,
    };
    match &borrows {
        Borrows::AsRef(t) | Borrows::Deref(t) if t.is_unknown() => None,
        _ => Some(borrows),
    }
}

/// A function's or method's signature (for a method, `params[0]` is the receiver).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sig {
    /// The parameters.
    pub params: Vec<Param>,
    /// The return type.
    pub ret: Ty,
}

/// The std signatures, by how they are called.
#[derive(Debug, Default)]
pub struct StdTable {
    /// Methods by the receiver's type name (`str`, `Vec`, `[]` for slices,
    /// `Iterator`) and method name; several when receivers differ (`Vec<T>`
    /// and `&Vec<T>` for `into_iter`).
    methods: HashMap<(String, String), Vec<Sig>>,
    /// Associated and free functions by their last two path segments
    /// (`String::from`, `fs::read_to_string`).
    functions: HashMap<(String, String), Sig>,
}

/// The table, read on first use.
pub fn std_table() -> &'static StdTable {
    static TABLE: LazyLock<StdTable> =
        LazyLock::new(|| StdTable::parse(STD_FACTS).expect("data/std_facts.rs is checked by the tests"));
    &TABLE
}

/// The key of a receiver type in the method table.
pub fn head(ty: &Ty) -> Option<&str> {
    match ty.peel_refs() {
        Ty::Std(name, _) => Some(name),
        Ty::Slice(_) => Some("[]"),
        Ty::Iter(_) => Some("Iterator"),
        _ => None,
    }
}

impl StdTable {
    /// Reads the table from its source; an entry it can't read is an error
    /// naming the function.
    pub fn parse(text: &str) -> Result<StdTable, String> {
        let file = syn::parse_file(text).map_err(|e| e.to_string())?;
        let mut table = StdTable::default();
        for item in &file.items {
            let syn::Item::Fn(f) = item else { continue };
            let name = f.sig.ident.to_string();
            let entry = Entry::read(f).ok_or_else(|| format!("std_facts.rs: `{name}` is not an entry"))?;
            match entry {
                Entry::Method { head, method, sig } => table.methods.entry((head, method)).or_default().push(sig),
                Entry::Function { key, sig } => {
                    table.functions.insert(key, sig);
                }
            }
        }
        Ok(table)
    }

    /// The signatures of `method` for receivers whose type is keyed `head`.
    pub fn methods(&self, head: &str, method: &str) -> &[Sig] {
        self.methods.get(&(head.to_owned(), method.to_owned())).map(Vec::as_slice).unwrap_or_default()
    }

    /// The signature of the function called as `owner::name` (`String::new`, `fs::write`).
    pub fn function(&self, owner: &str, name: &str) -> Option<&Sig> {
        self.functions.get(&(owner.to_owned(), name.to_owned()))
    }

    /// The result of calling `method` on a receiver of type `recv`, with
    /// Rust's method lookup: at each auto-deref step, by value, then by
    /// `&`, then by `&mut`. `None` when the table doesn't know the method
    /// for that receiver (then nothing is known).
    pub fn method_sig(&self, recv: &Ty, method: &str) -> Option<(Sig, Vec<(String, Ty)>)> {
        let mut step = Some(recv.clone());
        let mut steps = 0;
        while let Some(ty) = step {
            if let Some(key) = head(&ty) {
                for sig in self.methods(key, method) {
                    let pattern = &sig.params.first()?.ty;
                    let mut bound = Vec::new();
                    if ty.bind(pattern, &mut bound) {
                        return Some((sig.clone(), bound));
                    }
                    let autoref = match pattern {
                        Ty::Ref(_, inner) => inner,
                        _ => continue,
                    };
                    let mut bound = Vec::new();
                    if ty.bind(autoref, &mut bound) {
                        return Some((sig.clone(), bound));
                    }
                }
            }
            steps += 1;
            step = if steps < 8 { ty.deref() } else { None };
        }
        None
    }

    /// The type `recv.method(..)` returns, when known.
    pub fn method_ret(&self, recv: &Ty, method: &str) -> Option<Ty> {
        let (sig, bound) = self.method_sig(recv, method)?;
        Some(sig.ret.substitute(&bound))
    }
}

enum Entry {
    Method { head: String, method: String, sig: Sig },
    Function { key: (String, String), sig: Sig },
}

impl Entry {
    fn read(f: &syn::ItemFn) -> Option<Entry> {
        let vars: Vec<String> = f
            .sig
            .generics
            .params
            .iter()
            .filter_map(|p| match p {
                GenericParam::Type(t) => Some(t.ident.to_string()),
                _ => None,
            })
            .collect();
        let reading = Reading {
            std_name: &|_| true,
            crate_name: &|_| false,
            self_ty: None,
            vars: &vars,
            crate_type: &no_crate_types,
            workspace_type: &no_workspace_types,
        };
        let borrows = |i: usize, ty: &syn::Type| -> Option<Borrows> {
            let var = match ty {
                syn::Type::Path(p) => p.path.get_ident()?,
                _ => return None,
            };
            if crate::syntax::paths::generic_used_elsewhere(&f.sig, i, var) {
                return None;
            }
            let read = |t: &syn::Type| reading.read(t);
            f.sig
                .generics
                .type_params()
                .filter(|t| t.ident == *var)
                .find_map(|t| t.bounds.iter().find_map(|b| borrows_through(b, &read)))
        };
        let mut params = Vec::new();
        let mut first_is_recv = false;
        for (i, input) in f.sig.inputs.iter().enumerate() {
            let FnArg::Typed(pt) = input else { return None };
            if i == 0 {
                first_is_recv = matches!(&*pt.pat, Pat::Ident(id) if id.ident == "recv");
            }
            params.push(Param { ty: reading.read(&pt.ty), borrows: borrows(i, &pt.ty) });
        }
        let ret = match &f.sig.output {
            ReturnType::Default => Ty::Tuple(Vec::new()),
            ReturnType::Type(_, ty) => reading.read(ty),
        };
        let [Stmt::Expr(body, None)] = &f.block.stmts[..] else { return None };
        let sig = Sig { params, ret };
        match body {
            Expr::MethodCall(m) if first_is_recv => {
                let head = head(&sig.params[0].ty)?.to_owned();
                Some(Entry::Method { head, method: m.method.to_string(), sig })
            }
            Expr::Call(c) if !first_is_recv => {
                let Expr::Path(p) = &*c.func else { return None };
                let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
                let [.., owner, name] = &segments[..] else { return None };
                Some(Entry::Function { key: (owner.clone(), name.clone()), sig })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Borrows, STD_FACTS, StdTable, std_table};
    use crate::semantic::ty::{Reading, Ty};

    fn ty(text: &str) -> Ty {
        let reading = Reading {
            std_name: &|_| true,
            crate_name: &|_| true,
            self_ty: None,
            vars: &[],
            crate_type: &crate::semantic::ty::no_crate_types,
            workspace_type: &crate::semantic::ty::no_workspace_types,
        };
        reading.read(&syn::parse_str(text).unwrap())
    }

    fn ret(recv: &str, method: &str) -> Option<String> {
        std_table().method_ret(&ty(recv), method).map(|t| t.to_string())
    }

    /// Every entry of the table is a real call with the real types: rustc
    /// compiles the file. (rustc is there wherever the tests are built.)
    #[test]
    fn std_facts_compile() {
        let dir = std::env::temp_dir().join(format!("memlint-std-facts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
        let output = std::process::Command::new(rustc)
            .args(["--edition", "2021", "--crate-type", "lib", "--emit", "metadata", "--out-dir"])
            .arg(&dir)
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/data/std_facts.rs"))
            .output()
            .expect("rustc runs");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }

    #[test]
    fn every_entry_is_read() {
        let table = StdTable::parse(STD_FACTS).unwrap();
        let entries = STD_FACTS.lines().filter(|l| l.starts_with("fn ")).count();
        let read = table.methods.values().map(Vec::len).sum::<usize>() + table.functions.len();
        assert_eq!(read, entries);
    }

    #[test]
    fn methods_are_looked_up_through_auto_deref() {
        assert_eq!(ret("String", "replace").as_deref(), Some("String"));
        assert_eq!(ret("&String", "trim").as_deref(), Some("&str"));
        assert_eq!(ret("&String", "clone").as_deref(), Some("String"));
        assert_eq!(ret("Vec<u8>", "iter").as_deref(), Some("impl Iterator<Item = &u8>"));
        assert_eq!(ret("Vec<String>", "into_iter").as_deref(), Some("impl Iterator<Item = String>"));
        assert_eq!(ret("&Vec<String>", "into_iter").as_deref(), Some("impl Iterator<Item = &String>"));
        assert_eq!(ret("Box<Vec<u8>>", "len").as_deref(), Some("usize"));
        assert_eq!(ret("HashMap<String, u32>", "iter").as_deref(), Some("impl Iterator<Item = (&String, &u32)>"));
        assert_eq!(ret("PathBuf", "join").as_deref(), Some("PathBuf"));
        // `str` is not `Clone`: `(&str).clone()` is not in the table.
        assert_eq!(ret("&str", "clone"), None);
        // A concrete receiver type never matches an unknown one.
        assert_eq!(ret("Vec<_>", "join"), None);
    }

    #[test]
    fn borrow_only_parameters() {
        let sig = std_table().function("fs", "read_to_string").unwrap();
        assert_eq!(sig.params[0].borrows, Some(Borrows::AsRef(ty("Path"))));
        assert_eq!(sig.ret.to_string(), "Result<String>");
        let write = std_table().function("fs", "write").unwrap();
        assert_eq!(write.params[1].borrows, Some(Borrows::AsRef(ty("[u8]"))));
        assert_eq!(std_table().function("String", "from").unwrap().params[0].borrows, None);
    }
}
