//! Size and alignment estimates for the target being linted (64-bit Linux
//! on x86_64 unless configured; sizes below are for it), from syntax: the
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
mod ffi;
pub mod growth;
mod index;
mod shape;

pub use defs::{DefKind, FieldDef, Repr, TypeDef, VariantDef, derives, field_order_reportable};
pub(crate) use ffi::ffi_type_names;
pub use index::TypeIndex;
pub use shape::Shape;

/// Size and alignment in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    /// Size in bytes, a multiple of `align`.
    pub size: u64,
    /// Alignment in bytes, a power of two.
    pub align: u64,
}

#[cfg(test)]
mod tests {
    use super::{Layout, Shape, TypeIndex};

    fn layout(ty: &str) -> Option<(u64, u64)> {
        layout_on(ty, "x86_64-unknown-linux-gnu")
    }

    fn layout_on(ty: &str, triple: &str) -> Option<(u64, u64)> {
        let ty: syn::Type = syn::parse_str(ty).expect("a type");
        let target = crate::Target::from_triple(triple).expect("a known target");
        let shape = Shape::of(&ty, &|name| name == "T", &target);
        TypeIndex::default().layout(&shape).map(|Layout { size, align }| (size, align))
    }

    #[test]
    fn std_types_on_32_bit_targets() {
        let i686 = "i686-unknown-linux-gnu";
        let cases = [
            ("usize", Some((4, 4))),
            ("&u8", Some((4, 4))),
            ("&str", Some((8, 4))),
            ("Box<dyn std::error::Error>", Some((8, 4))),
            ("Vec<String>", Some((12, 4))),
            ("Option<std::num::NonZeroUsize>", Some((4, 4))),
            ("fn(u8) -> u8", Some((4, 4))),
            // 64-bit integers are 4-byte aligned on 32-bit x86 Linux.
            ("u64", Some((8, 4))),
            ("(u8, u64)", Some((12, 4))),
        ];
        for (ty, expected) in cases {
            assert_eq!(layout_on(ty, i686), expected, "{ty}");
        }
        assert_eq!(layout_on("u64", "armv7-unknown-linux-gnueabihf"), Some((8, 8)));
        assert_eq!(layout_on("u128", "armv7-unknown-linux-gnueabihf"), None, "alignment not claimed");
        assert_eq!(layout_on("String", "wasm32-unknown-unknown"), Some((12, 4)));
    }

    #[test]
    fn std_types_on_a_64_bit_target() {
        let cases = [
            ("u8", Some((1, 1))),
            ("char", Some((4, 4))),
            ("u128", Some((16, 16))),
            ("&u8", Some((8, 8))),
            ("&str", Some((16, 8))),
            ("&mut [u64]", Some((16, 8))),
            ("*const dyn Fn()", Some((16, 8))),
            ("Box<dyn std::error::Error>", Some((16, 8))),
            ("Rc<str>", Some((16, 8))),
            ("Arc<Vec<u8>>", Some((8, 8))),
            ("Vec<String>", Some((24, 8))),
            ("String", Some((24, 8))),
            ("Option<Box<u8>>", Some((8, 8))),
            ("Option<&str>", Some((16, 8))),
            ("Option<std::num::NonZeroU32>", Some((4, 4))),
            ("Option<u8>", None),
            ("(u8, u64, u8)", Some((16, 8))),
            ("()", Some((0, 1))),
            ("[u32; 3]", Some((12, 4))),
            ("[u32; N]", None),
            ("[u8; 1 << 10]", Some((1024, 1))),
            ("[u16; 4 * (2 + 2)]", Some((32, 2))),
            ("[u8; 1 << 99]", None),
            ("PhantomData<T>", Some((0, 1))),
            ("T", None),
            ("HashMap<u8, u8>", None),
            ("Unknown", None),
            ("fn(u8) -> u8", Some((8, 8))),
        ];
        for (ty, expected) in cases {
            assert_eq!(layout(ty), expected, "{ty}");
        }
    }
}
