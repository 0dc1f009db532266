//! `padded_struct`: a `#[repr(C)]` struct whose field order wastes padding.

use crate::diagnostic::{Applicability, Edit, Fix, Label, Level};
use crate::layout::{DefKind, FieldDef, Layout, TypeDef, field_order_reportable};
use crate::rule::RuleOption;
use crate::rule::{Category, FixSafety, Hooks, RuleMeta};
use crate::walk::Rule;
use crate::walk::{CrateCx, Emitter};

pub(crate) struct PaddedStruct;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &PaddedStruct;

static META: RuleMeta = RuleMeta {
    name: "padded_struct",
    category: Category::Pedantic,
    default_level: Level::Allow,
    summary: "a `#[repr(C)]` struct whose field order wastes padding (8 bytes or more by default)",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[MIN_WASTE],
    fix: FixSafety::Unsafe,
    clippy: &[],
    confirmed_by: &[],
    fix_leaves_one: false,
    crate_wide: true,
};

const DOCS: &str = r#"## What it does
Finds `#[repr(C)]` structs whose fields, in the order they are declared,
leave at least 8 bytes (the option `min-waste-bytes`) of padding more than
the best order would. It reports the struct's size, how much of it is
padding, and the size it would have with the fields ordered by decreasing
alignment.

Sizes are estimated for the configured target (64-bit unless set) from the field types: primitives,
references and pointers, `Box`/`Rc`/`Arc`, `Vec`/`String`, `Option` of a
pointer, arrays, tuples, and structs and field-less enums of the same crate.

## Why is this bad
`repr(C)` lays fields out in declaration order, and inserts padding before
each field to align it. A `u8` followed by a `u64` wastes 7 bytes. Every
value pays for it: in every `Vec` element, every copy, every cache line.
Plain `repr(Rust)` structs are reordered by the compiler, so this only
happens when the order is pinned.

The rule is pedantic, off by default: a `#[repr(C)]` struct is almost
always an ABI contract (a C header, a kernel structure, a file format),
whose order is not the crate's to change. On about 1,000 real crate
versions every struct it reported was one (image's "ffi compatible"
`SampleLayout`, rustix, redox_syscall's `Stat`, windows-sys, objc2).
Turn it on (`-W padded_struct`) for code whose `repr(C)` layout is your
own.

## Example
```rust
#[repr(C)]
pub struct WireHeader {
    flags: u8,
    length: u64,
    kind: u8,
    checksum: u64,
}
```

## Use instead
```rust
#[repr(C)]
pub struct WireHeader {
    length: u64,
    checksum: u64,
    flags: u8,
    kind: u8,
}
```

## Known limitations
If the struct must match a layout defined elsewhere (a C header, a file
format, a network protocol), its order is not yours to change: allow the
lint on that struct. Structs named in C style (`stat`, `SYSTEM_INFO`,
`RECT`) are taken to mirror a C definition (bindings, `-sys` crates) and
are not reported, nor are structs named in the signature of an `extern`
block or `extern "C" fn` of the crate, nor tuple structs (their field
order is their field names). Structs with a field whose size memlint can't
estimate (generic parameters, types from other crates, enums with
payloads) are not reported, nor are `packed` structs or structs with a
`repr` that memlint can't read (e.g. inside `cfg_attr`). The estimate is
for the configured `target` (memlint.toml; 64-bit Linux on x86_64 unless
set): fields under a `#[cfg]` for other targets (a 32-bit `_padding` field)
are left out, and a struct with a field under a `#[cfg]` memlint can't
decide (a feature) is not reported.
"#;

/// Less waste than this is not worth a finding (nor a layout change).
const MIN_WASTE: RuleOption = RuleOption {
    name: "min-waste-bytes",
    default: 8,
    doc: "how many bytes per value a better field order must save for a struct to be reported",
};

impl Rule for PaddedStruct {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::NONE
    }

    fn check_crate(&self, cx: &CrateCx<'_>, out: &mut Emitter) {
        let min_waste = cx.option(&MIN_WASTE);
        for def in cx.defs() {
            let DefKind::Struct(fields) = &def.kind else { continue };
            // `stat`, `SYSTEM_INFO`, or a struct passed to an `extern` fn:
            // a C type mirrored field by field, whose order is not Rust's to
            // change; `.0`, `.1`: reordering would rename the fields.
            if !field_order_reportable(&def.name, &def.repr, def.generic, def.tuple)
                || fields.len() < 2
                || cx.types.crosses_ffi(&def.name)
            {
                continue;
            }
            let Some(layouts) = cx.types.field_layouts(fields) else { continue };
            check_struct(cx, def, fields, &layouts, min_waste, out);
        }
    }
}

fn check_struct(
    cx: &CrateCx<'_>,
    def: &TypeDef,
    fields: &[FieldDef],
    layouts: &[Layout],
    min_waste: u64,
    out: &mut Emitter,
) {
    let current = Layout::in_order(layouts).aligned_to(def.repr.align);
    // A stable sort: fields of equal alignment keep their relative order.
    let mut order: Vec<usize> = (0..fields.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(layouts[i].align));
    let best = Layout::reordered(layouts).aligned_to(def.repr.align);
    let waste = current.size - best.size;
    if waste < min_waste {
        return;
    }
    let data: u64 = layouts.iter().map(|l| l.size).sum();
    let padding = current.size - data;
    let message = format!(
        "`{}` is {} bytes, {padding} of them padding; ordering fields by alignment makes it {} bytes",
        def.name, current.size, best.size
    );
    let mut diagnostic = cx.diagnostic(&META, def, def.name_span, message);
    diagnostic.labels = padding_labels(fields, layouts, current.size);
    let list: Vec<String> =
        order.iter().map(|&i| format!("{}: {}", fields[i].name, cx.text(def, fields[i].ty_span))).collect();
    diagnostic.help = Some(format!(
        "reorder the fields by decreasing alignment (saves {waste} bytes per value): `{}`; if the layout must match a definition outside Rust, keep it and allow this lint on the struct",
        list.join(", ")
    ));
    diagnostic.fix = Some(Fix {
        edits: fields
            .iter()
            .zip(&order)
            .filter(|&(field, &i)| field.span != fields[i].span)
            .map(|(field, &i)| Edit { span: field.span, replacement: cx.text(def, fields[i].span).to_owned() })
            .collect(),
        // The order may be part of an FFI or file-format contract.
        applicability: Applicability::MaybeIncorrect,
    });
    out.emit(diagnostic);
}

/// A label on every field followed by padding, saying how much.
fn padding_labels(fields: &[FieldDef], layouts: &[Layout], size: u64) -> Vec<Label> {
    let offsets = Layout::offsets(layouts);
    let mut labels = Vec::new();
    for (i, (field, layout)) in fields.iter().zip(layouts).enumerate() {
        let end = offsets[i] + layout.size;
        let next = offsets.get(i + 1).copied().unwrap_or(size);
        if next > end {
            let gap = next - end;
            let bytes = if gap == 1 { "byte" } else { "bytes" };
            labels.push(Label {
                span: field.decl_span,
                message: format!("{gap} {bytes} of padding after `{}`", field.name),
            });
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, fix};

    const RULE: &str = "padded_struct";

    #[test]
    fn reports_badly_ordered_repr_c_structs_with_sizes() {
        let found = check(
            RULE,
            r#"
#[repr(C)]
pub struct WireHeader { //~
    flags: u8,
    length: u64,
    kind: u16,
    checksum: u64,
}
"#,
        );
        assert_eq!(
            found[0].message,
            "`WireHeader` is 32 bytes, 13 of them padding; ordering fields by alignment makes it 24 bytes"
        );
        let help = found[0].help.as_deref().unwrap();
        assert!(help.contains("`length: u64, checksum: u64, kind: u16, flags: u8`"), "{help}");
        assert_eq!(found[0].labels.len(), 2, "{:?}", found[0].labels);
        assert_eq!(found[0].labels[0].message, "7 bytes of padding after `flags`");
    }

    #[test]
    fn fix_moves_whole_fields_with_their_attributes() {
        let src = "#[repr(C)]\nstruct Sample {\n    /// first\n    a: u8,\n    b: u64,\n    c: u8,\n}\n";
        let found = check(RULE, &src.replace("struct Sample {", "struct Sample { //~"));
        let fix = fix(&found[0]);
        let edited: Vec<&str> = fix.edits.iter().map(|e| e.replacement.as_str()).collect();
        assert_eq!(edited, ["b: u64", "/// first\n    a: u8"]);
        // Doc lines above an attribute, and a doc line the parser reads (a
        // quote in it) below blanked ones, move with their field too.
        let src = "#[repr(C)]\nstruct Sample {\n    /// first\n    /// \"quoted\"\n    #[allow(unused)]\n    a: u8,\n    b: u64,\n    c: u8,\n}\n";
        let found = check(RULE, &src.replace("struct Sample {", "struct Sample { //~"));
        let edits = &crate::rules::test_support::fix(&found[0]).edits;
        let edited: Vec<&str> = edits.iter().map(|e| e.replacement.as_str()).collect();
        assert_eq!(edited, ["b: u64", "/// first\n    /// \"quoted\"\n    #[allow(unused)]\n    a: u8"]);
    }

    #[test]
    fn sizes_of_nested_types_of_the_crate_and_std() {
        check(
            RULE,
            r#"
#[derive(Clone, Copy)]
#[repr(u8)]
enum Kind { A, B }

struct Inner { a: u64, b: u32 }

#[repr(C)]
struct Mixed { //~
    kind: Kind,
    name: &'static str,
    flag: bool,
    inner: Inner,
    tag: Option<Box<u8>>,
    extra: [u8; 3],
}

#[repr(C)]
enum CKind { A, B }

#[repr(C)]
struct CEnums { //~
    k: CKind,
    v: u64,
    j: CKind,
}

#[repr(C, align(8))]
struct Aligned { //~
    a: u8,
    b: (u64, u8),
    c: u8,
}
"#,
        );
    }

    #[test]
    fn well_ordered_packed_rust_and_unknown_structs_are_fine() {
        check_clean(
            RULE,
            r#"
#[repr(C)]
struct Ordered { a: u64, b: u32, c: u16, d: u8, e: u8 }

#[repr(C)]
struct SmallWaste { a: u8, b: u32, c: u8 }

#[repr(C, packed)]
struct Packed { a: u8, b: u64, c: u8 }

#[repr(C, packed(2))]
struct Packed2 { a: u8, b: u64, c: u8 }

struct Rust { a: u8, b: u64, c: u8 }

#[repr(C)]
struct Foreign { a: u8, b: other::Thing, c: u8 }

#[repr(C)]
struct Generic<T> { a: u8, b: T, c: u8 }

#[repr(C)]
struct PayloadEnum { a: u8, b: Option<u64>, c: u8 }

#[cfg_attr(feature = "ffi", repr(C))]
struct Conditional { a: u8, b: u64, c: u8 }

#[repr(transparent)]
struct Wrapper(u64);

#[repr(C)]
struct stat { st_mode: u8, st_size: u64, st_nlink: u8 }

#[repr(C)]
struct SYSTEM_INFO { wProcessorLevel: u16, dwPageSize: u64, wRevision: u16 }

#[repr(C)]
struct RECT { a: u8, b: u64, c: u8 }

#[repr(C)]
pub struct Event { kind: u8, timestamp: u64, code: u16, value: i64 }
extern "C" { fn poll_event(ev: *mut Event) -> i32; }

#[repr(C)]
pub struct Reply { kind: u8, timestamp: u64, code: u16, value: i64 }
pub extern "C" fn reply() -> Reply { todo!() }

#[repr(C)]
pub struct Triple(u8, u64, u8);

#[repr(C)]
union U { a: u8, b: u64 }
"#,
        );
    }

    #[test]
    fn same_named_types_in_two_modules_are_not_guessed() {
        check_clean(
            RULE,
            r#"
mod a { pub struct Id(pub u8); }
mod b { pub struct Id(pub u64); }
#[repr(C)]
struct Sample { x: u8, id: Id, y: u8 }
"#,
        );
    }

    /// rustix's `SixtyFourBitPointer`: the `_padding` fields are for 32-bit
    /// targets; on 64-bit Linux the struct is one pointer, 8 bytes.
    /// The same struct on each target: its `cfg`d fields and its pointer
    /// sizes follow the configured target.
    #[test]
    fn cfg_fields_and_pointers_follow_the_target() {
        let src = r#"
#[repr(C)]
pub struct Entry {
    a: u8,
    b: *const u8,
    c: u8,
    #[cfg(target_pointer_width = "32")]
    d: [u8; 12],
}
"#;
        let on = |triple: &str| {
            let target = crate::Target::from_triple(triple).expect("a known target");
            let linter = crate::Linter::only(&[RULE]).with_target(target);
            linter.lint_source("test.rs", src).expect("parses").diagnostics
        };
        // x86_64: a, 7 bytes of padding, an 8-byte pointer, c, 7 bytes: 24
        // where `b, a, c` takes 16.
        let found = on("x86_64-unknown-linux-gnu");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("24"), "{}", found[0].message);
        // i686: a, 3 bytes, a 4-byte pointer, c, d: 21, 24 with its tail
        // padding, where `b, a, c, d` takes 20: 4 bytes, under the threshold.
        assert_eq!(on("i686-unknown-linux-gnu"), Vec::new());
    }

    #[test]
    fn fields_for_other_targets_are_not_part_of_the_layout() {
        check_clean(
            RULE,
            r#"
#[repr(C)]
pub struct SixtyFourBitPointer {
    #[cfg(all(target_pointer_width = "32", target_endian = "big"))]
    _padding: u32,
    pub pointer: *const u8,
    #[cfg(all(target_pointer_width = "32", target_endian = "little"))]
    _padding: u32,
}
"#,
        );
        // Fields of this target count; a field under a feature makes the
        // layout unknown.
        check(
            RULE,
            r#"#[repr(C)]
pub struct Header { //~
    #[cfg(unix)]
    a: u8,
    b: u64,
    c: u8,
}
"#,
        );
        check_clean(
            RULE,
            r#"#[repr(C)]
pub struct Frame {
    #[cfg(feature = "x")]
    a: u8,
    b: u64,
    c: u8,
}
"#,
        );
    }

    #[test]
    fn test_code_is_skipped() {
        check_clean(RULE, "#[cfg(test)]\nmod tests {\n    #[repr(C)]\n    struct Sample { a: u8, b: u64, c: u8 }\n}\n");
    }
}
