//! Size and alignment estimates for a 64-bit target, from syntax: the
//! shared estimator of the layout rules (`padded_struct`,
//! `large_enum_variant`).
//!
//! Known without looking further: primitives, `bool`, `char`, references
//! and raw pointers (16 bytes when fat: `&str`, `&[T]`, `&dyn T`), `Box`,
//! `Rc` and `Arc` (8, or 16 around unsized types), `Vec` and `String` (24),
//! `Option` of a type with a null niche (the inner size), `NonZero*`,
//! `PhantomData`, arrays with literal lengths and tuples. Structs, unions and
//! field-less enums of the crate are estimated from their fields, recursively.
//! Anything else makes the estimate `None`, and rules stay silent.

mod defs;
mod index;
mod shape;

pub use defs::{DefKind, FieldDef, Repr, TypeDef, VariantDef};
pub use index::TypeIndex;
pub use shape::Shape;

/// Size and alignment in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Size in bytes, a multiple of `align`.
    pub size: u64,
    /// Alignment in bytes, a power of two.
    pub align: u64,
}
