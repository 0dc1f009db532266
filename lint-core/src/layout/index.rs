//! The crate's type definitions by name, and the size estimator built on
//! them.

use std::collections::{HashMap, HashSet};

use super::Layout;
use super::defs::{DefKind, FieldDef, TypeDef};
use super::shape::Shape;

/// Every struct, enum and union of a crate (or of one file when linting a
/// file alone), by name.
#[derive(Debug, Default)]
pub struct TypeIndex {
    defs: Vec<TypeDef>,
    by_name: HashMap<String, Vec<usize>>,
    ffi: HashSet<String>,
    /// Lower size bounds computed so far, by definition: each is computed
    /// once (recomputing shared parts made nested enums exponential).
    lower: std::cell::RefCell<HashMap<usize, u64>>,
}

/// How deep type definitions may nest before the estimate gives up (also
/// what stops infinite recursion through types that contain themselves).
const MAX_DEPTH: u32 = 32;

impl TypeIndex {
    /// Indexes `defs`.
    pub fn new(defs: Vec<TypeDef>) -> Self {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, def) in defs.iter().enumerate() {
            // A name's `String` is made only for its first definition.
            match by_name.get_mut(&def.name) {
                Some(defs) => defs.push(i),
                None => {
                    by_name.insert(def.name.clone(), vec![i]);
                }
            }
        }
        TypeIndex { defs, by_name, ffi: HashSet::new(), lower: Default::default() }
    }

    /// Every definition, in the order the files were given.
    pub fn defs(&self) -> &[TypeDef] {
        &self.defs
    }

    /// Whether the crate defines a struct, enum or union called `name`.
    pub fn defines(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Whether a type called `name` appears in the signature of a foreign
    /// function (an `extern` block) or an `extern "ABI" fn` of the crate: its
    /// layout is shared with code outside Rust.
    pub fn crosses_ffi(&self, name: &str) -> bool {
        self.ffi.contains(name)
    }

    /// Records the type names used in FFI signatures.
    pub(crate) fn with_ffi(mut self, names: impl IntoIterator<Item = String>) -> Self {
        self.ffi.extend(names);
        self
    }

    /// The one definition called `name`; `None` when there is none or several
    /// (same-named types in different modules can't be told apart by name).
    pub fn unique(&self, name: &str) -> Option<&TypeDef> {
        match self.by_name.get(name)?.as_slice() {
            [only] => Some(&self.defs[*only]),
            _ => None,
        }
    }

    /// The estimated layout of a shape; `None` when any part of it is unknown.
    pub fn layout(&self, shape: &Shape) -> Option<Layout> {
        self.layout_at(shape, 0)
    }

    /// The estimated layout of a type definition. Generic types, unions
    /// with unknown fields and enums with payloads are estimated only where
    /// the estimate is certain (see [`TypeIndex::enum_layout`]).
    pub fn def_layout(&self, def: &TypeDef) -> Option<Layout> {
        self.def_layout_at(def, 0)
    }

    /// The layouts of `fields`, in order.
    pub fn field_layouts(&self, fields: &[FieldDef]) -> Option<Vec<Layout>> {
        fields.iter().map(|f| self.layout(&f.shape)).collect()
    }

    /// A size no value of `shape` is smaller than: what is known of it, a
    /// part of unknown size (a type parameter, another crate's type) counted
    /// as 0, padding left out, an enum with payloads as its largest payload.
    pub fn lower_size(&self, shape: &Shape) -> u64 {
        self.lower_size_at(shape, 0)
    }

    fn lower_size_at(&self, shape: &Shape, depth: u32) -> u64 {
        if depth > MAX_DEPTH {
            return 0;
        }
        match shape {
            Shape::Known(layout) => layout.size,
            Shape::Unknown => 0,
            Shape::Array(elem, n) => self.lower_size_at(elem, depth + 1).saturating_mul(*n),
            Shape::Tuple(elems) => match self.layout_at(shape, depth) {
                Some(layout) => layout.size,
                None => elems.iter().map(|e| self.lower_size_at(e, depth + 1)).sum(),
            },
            Shape::Named(name) => match self.by_name.get(name).map(Vec::as_slice) {
                Some(&[only]) => self.def_lower_size(only, depth),
                _ => 0,
            },
            // Exact with its arguments, or nothing known.
            Shape::Applied(..) => self.layout_at(shape, depth).map_or(0, |l| l.size),
            Shape::Param(_) => 0,
        }
    }

    fn def_lower_size(&self, index: usize, depth: u32) -> u64 {
        if let Some(&size) = self.lower.borrow().get(&index) {
            return size;
        }
        // Counted 0 while computed: a type reached again inside itself adds nothing.
        self.lower.borrow_mut().insert(index, 0);
        let def = &self.defs[index];
        let sum = |fields: &[FieldDef]| fields.iter().map(|f| self.lower_size_at(&f.shape, depth + 1)).sum::<u64>();
        let size = match self.def_layout_at(def, depth + 1) {
            Some(layout) => layout.size,
            None => match &def.kind {
                DefKind::Struct(fields) => sum(fields),
                DefKind::Union(fields) => {
                    fields.iter().map(|f| self.lower_size_at(&f.shape, depth + 1)).max().unwrap_or(0)
                }
                DefKind::Enum(variants) => variants.iter().map(|v| sum(&v.fields)).max().unwrap_or(0),
            },
        };
        self.lower.borrow_mut().insert(index, size);
        size
    }

    fn layout_at(&self, shape: &Shape, depth: u32) -> Option<Layout> {
        if depth > MAX_DEPTH {
            return None;
        }
        match shape {
            Shape::Known(layout) => Some(*layout),
            Shape::Unknown => None,
            Shape::Array(elem, n) => {
                let elem = self.layout_at(elem, depth + 1)?;
                Some(Layout { size: elem.size.checked_mul(*n)?, align: elem.align })
            }
            Shape::Tuple(elems) => {
                let elems: Option<Vec<Layout>> = elems.iter().map(|e| self.layout_at(e, depth + 1)).collect();
                Some(Layout::reordered(&elems?))
            }
            Shape::Named(name) => self.def_layout_at(self.unique(name)?, depth + 1),
            Shape::Applied(name, args) => self.def_layout_with(self.unique(name)?, Some(args), depth + 1),
            // A parameter outside the definition that gives it an argument.
            Shape::Param(_) => None,
        }
    }

    fn def_layout_at(&self, def: &TypeDef, depth: u32) -> Option<Layout> {
        self.def_layout_with(def, None, depth)
    }

    /// The layout of `def`, with `args` for its type parameters (`None`:
    /// as written, which a generic definition can't be sized as).
    fn def_layout_with(&self, def: &TypeDef, args: Option<&[Shape]>, depth: u32) -> Option<Layout> {
        let args = match args {
            Some(args) if def.type_params == Some(args.len()) => args,
            None if !def.generic => &[],
            _ => return None,
        };
        if def.repr.unreadable || def.repr.packed {
            return None;
        }
        let fields = |fields: &[FieldDef]| -> Option<Vec<Layout>> {
            fields.iter().map(|f| self.layout_at(&f.shape.substitute(args), depth + 1)).collect()
        };
        let layout = match &def.kind {
            DefKind::Struct(fs) => {
                let fs = fields(fs)?;
                if def.repr.c { Layout::in_order(&fs) } else { Layout::reordered(&fs) }
            }
            DefKind::Union(fs) => {
                let fs = fields(fs)?;
                let align = fs.iter().map(|l| l.align).max().unwrap_or(1);
                let size = fs.iter().map(|l| l.size).max().unwrap_or(0);
                Layout { size: round_up(size, align), align }
            }
            DefKind::Enum(variants) => {
                if variants.iter().any(|v| !v.fields.is_empty()) {
                    // Niche filling makes the size of enums with payloads
                    // uncertain from syntax; they are not estimated.
                    return None;
                }
                let tag = def.repr.int.unwrap_or(match variants.len() {
                    // `repr(C)` makes the tag a C `int`.
                    _ if def.repr.c => 4,
                    0 | 1 => 0,
                    n if n <= 256 => 1,
                    _ => 2,
                });
                Layout { size: tag, align: tag.max(1) }
            }
        };
        Some(layout.aligned_to(def.repr.align))
    }
}

/// `n` rounded up to a multiple of `align`.
fn round_up(n: u64, align: u64) -> u64 {
    n.div_ceil(align.max(1)) * align.max(1)
}

impl Layout {
    /// The layout with `#[repr(align(n))]` applied: at least `n`-aligned,
    /// the size rounded up to match.
    pub fn aligned_to(self, align: Option<u64>) -> Layout {
        match align {
            Some(align) if align > self.align => Layout { size: round_up(self.size, align), align },
            _ => self,
        }
    }

    /// Fields laid out in the order given, as `repr(C)` does.
    pub fn in_order(fields: &[Layout]) -> Layout {
        let end = Layout::offsets(fields).last().zip(fields.last()).map_or(0, |(offset, last)| offset + last.size);
        let align = fields.iter().map(|l| l.align).max().unwrap_or(1);
        Layout { size: round_up(end, align), align }
    }

    /// Where each field starts when laid out in the order given.
    pub fn offsets(fields: &[Layout]) -> Vec<u64> {
        let mut end = 0;
        fields
            .iter()
            .map(|field| {
                let start = round_up(end, field.align);
                end = start + field.size;
                start
            })
            .collect()
    }

    /// Fields in the best order: by decreasing alignment there is no padding
    /// between fields (every size is a multiple of its alignment), only at
    /// the end. This is what `repr(Rust)` achieves in practice.
    pub fn reordered(fields: &[Layout]) -> Layout {
        let align = fields.iter().map(|l| l.align).max().unwrap_or(1);
        Layout { size: round_up(fields.iter().map(|l| l.size).sum(), align), align }
    }
}
