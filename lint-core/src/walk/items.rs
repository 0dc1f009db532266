//! An index of the file's items, built on first use, so that rules and the
//! local inference can look up the declared type of a field (`self.items`)
//! and the signature of a function or method defined in the file.

use std::collections::HashMap;

use syn::{Fields, Item, Type};

/// Struct fields by struct name, and signatures of free functions and of
/// inherent methods. A name defined twice in the file is ambiguous and
/// not indexed (`None`).
#[derive(Debug, Default)]
pub struct FileIndex<'ast> {
    structs: HashMap<String, Option<Vec<(String, &'ast Type)>>>,
    fns: HashMap<String, Option<&'ast syn::Signature>>,
    /// By (type name, method name).
    methods: HashMap<(String, String), Option<&'ast syn::Signature>>,
    /// Where imported names come from.
    pub imports: crate::syntax::uses::Imports,
    /// The file's type aliases and the types it defines.
    pub types: crate::semantic::aliases::FileTypes<'ast>,
}

/// Records `value` under `key`, or marks the key ambiguous when it is there already.
fn add_unique<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, Option<V>>, key: K, value: V) {
    map.entry(key).and_modify(|existing| *existing = None).or_insert(Some(value));
}

impl<'ast> FileIndex<'ast> {
    /// Indexes every struct in `items`, nested modules included;
    /// `workspace` names the other crates of the workspace the file may use.
    pub fn build(items: &'ast [Item], workspace: &[String]) -> Self {
        let mut index = FileIndex {
            imports: crate::syntax::uses::Imports::of(items, workspace),
            types: crate::semantic::aliases::FileTypes::of(items),
            ..FileIndex::default()
        };
        index.add(items);
        index
    }

    fn add(&mut self, items: &'ast [Item]) {
        for item in items {
            match item {
                Item::Struct(s) => {
                    let fields = match &s.fields {
                        Fields::Named(named) => {
                            named.named.iter().filter_map(|f| Some((f.ident.as_ref()?.to_string(), &f.ty))).collect()
                        }
                        Fields::Unnamed(unnamed) => {
                            unnamed.unnamed.iter().enumerate().map(|(i, f)| (i.to_string(), &f.ty)).collect()
                        }
                        Fields::Unit => Vec::new(),
                    };
                    add_unique(&mut self.structs, s.ident.to_string(), fields);
                }
                Item::Fn(f) => add_unique(&mut self.fns, f.sig.ident.to_string(), &f.sig),
                Item::Impl(i) if i.trait_.is_none() => {
                    let Some(type_name) = crate::syntax::paths::type_last_segment(&i.self_ty) else { continue };
                    for item in &i.items {
                        if let syn::ImplItem::Fn(f) = item {
                            let key = (type_name.ident.to_string(), f.sig.ident.to_string());
                            add_unique(&mut self.methods, key, &f.sig);
                        }
                    }
                }
                Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        self.add(items);
                    }
                }
                _ => {}
            }
        }
    }

    /// The signature of the file's one free function named `name`.
    pub fn fn_sig(&self, name: &str) -> Option<&'ast syn::Signature> {
        *self.fns.get(name)?
    }

    /// The signature of the file's one inherent method `method` of the type `type_name`.
    pub fn method_sig(&self, type_name: &str, method: &str) -> Option<&'ast syn::Signature> {
        *self.methods.get(&(type_name.to_owned(), method.to_owned()))?
    }

    /// Whether the file defines a struct named `name` (once or more).
    pub fn defines_struct(&self, name: &str) -> bool {
        self.structs.contains_key(name)
    }

    /// The declared type of `field` of the struct `name`, when known.
    pub fn field_type(&self, name: &str, field: &str) -> Option<&'ast Type> {
        let fields = self.structs.get(name)?.as_ref()?;
        fields.iter().find(|(f, _)| f == field).map(|&(_, ty)| ty)
    }
}
