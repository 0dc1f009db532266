//! An index of the file's type definitions, built before the walk, so that
//! rules can look up the declared type of a field (`self.items`).

use std::collections::HashMap;

use syn::{Fields, Item, Type};

/// Struct fields by struct name. A name defined twice in the file is
/// ambiguous and not indexed.
#[derive(Debug, Default)]
pub struct FileIndex<'ast> {
    structs: HashMap<String, Option<Vec<(String, &'ast Type)>>>,
}

impl<'ast> FileIndex<'ast> {
    /// Indexes every struct in `items`, nested modules included.
    pub fn build(items: &'ast [Item]) -> Self {
        let mut index = FileIndex::default();
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
                    self.structs
                        .entry(s.ident.to_string())
                        .and_modify(|existing| *existing = None)
                        .or_insert(Some(fields));
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

    /// The declared type of `field` of the struct `name`, when known.
    pub fn field_type(&self, name: &str, field: &str) -> Option<&'ast Type> {
        let fields = self.structs.get(name)?.as_ref()?;
        fields.iter().find(|(f, _)| f == field).map(|&(_, ty)| ty)
    }
}
