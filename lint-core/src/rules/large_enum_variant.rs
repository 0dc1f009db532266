//! `large_enum_variant`: an enum whose largest variant makes every value of
//! the enum much bigger than its other variants need.

use crate::diagnostic::{Applicability, Edit, Fix, Label, Level};
use crate::layout::{DefKind, Layout, TypeDef, VariantDef};
use crate::rule::RuleOption;
use crate::rule::{Category, FixSafety, Hooks, RuleMeta};
use crate::walk::Rule;
use crate::walk::{CrateCx, Emitter};

pub(crate) struct LargeEnumVariant;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &LargeEnumVariant;

static META: RuleMeta = RuleMeta {
    name: "large_enum_variant",
    category: Category::Perf,
    default_level: Level::Warn,
    summary: "an enum variant much larger (200 bytes by default) than the enum's next largest variant",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[THRESHOLD],
    fix: FixSafety::Unsafe,
    clippy: &["large_enum_variant"],
    confirmed_by: &[],
    fix_leaves_one: false,
    crate_wide: true,
};

const DOCS: &str = r#"## What it does
Finds enums whose largest variant is at least 200 bytes (the option
`threshold-bytes`) larger than the second largest, and reports both
estimated sizes.

Sizes are estimated for the configured target (64-bit unless set) from the field types: primitives,
references and pointers, `Box`/`Rc`/`Arc`, `Vec`/`String`, `Option` of a
pointer, arrays, tuples, and structs and field-less enums of the same crate.

## Why is this bad
An enum is as large as its largest variant. When one variant holds a big
payload, every value pays for it, whatever variant it is: a `Vec` of a
million small messages allocates room for a million big ones, and every move
copies the big size.

## Example
```rust
pub enum Message {
    Ping,
    Ack(u64),
    Frame([u8; 1024]),
}
```

## Use instead
```rust
pub enum Message {
    Ping,
    Ack(u64),
    Frame(Box<[u8; 1024]>),
}
```
Boxing the payload makes the variant pointer-sized; the big payload is
allocated only for the values that are that variant.

## Known limitations
The largest variant's size may be a lower bound (a type parameter or
another crate's type counted as 0 bytes, an enum with payloads as its
largest payload: the message says "at least"), but every other variant's
size must be known: an enum with another variant of unknown size (a
generic parameter, a generic struct, a type from another crate) is not
reported.
Enums that derive `Copy` (a box would take it away) and enums with a
`repr(C)` or integer `repr` (their layout is shared with other code) are
not reported. When most values are the large variant, boxing adds an allocation per value
for little gain: allow the lint on that enum.
"#;

/// The difference in bytes from which a variant is reported (clippy's default too).
const THRESHOLD: RuleOption = RuleOption {
    name: "threshold-bytes",
    default: 200,
    doc: "how many bytes larger than the next largest variant a variant must be to be reported",
};

impl Rule for LargeEnumVariant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::NONE
    }

    fn check_crate(&self, cx: &CrateCx<'_>, out: &mut Emitter) {
        let threshold = cx.option(&THRESHOLD);
        for def in cx.defs() {
            let DefKind::Enum(variants) = &def.kind else { continue };
            // A `repr(C)`/`repr(u8)` enum has a layout shared with other code,
            // and boxing a payload would take `Copy` away.
            let pinned = def.repr.c || def.repr.int.is_some() || cx.types.crosses_ffi(&def.name);
            if variants.len() < 2 || def.repr.unreadable || pinned || def.copy {
                continue;
            }
            // Every variant's size where it is certain; for the largest, a
            // lower bound does (`(T, [u8; 512])` is at least 512 bytes, an
            // enum with payloads at least its largest payload).
            let exact: Vec<Option<u64>> = variants
                .iter()
                .map(|v| cx.types.field_layouts(&v.fields).map(|fields| Layout::reordered(&fields).size))
                .collect();
            let lower: Vec<u64> = variants
                .iter()
                .zip(&exact)
                .map(|(v, exact)| exact.unwrap_or_else(|| v.fields.iter().map(|f| cx.types.lower_size(&f.shape)).sum()))
                .collect();
            let Some(largest) = (0..variants.len()).max_by_key(|&i| (lower[i], std::cmp::Reverse(i))) else { continue };
            // The others must be known exactly: one of unknown size may be larger.
            let others: Option<Vec<(usize, u64)>> =
                (0..variants.len()).filter(|&i| i != largest).map(|i| exact[i].map(|size| (i, size))).collect();
            let Some(others) = others else { continue };
            let Some(&(second, second_size)) = others.iter().max_by_key(|&&(i, size)| (size, std::cmp::Reverse(i)))
            else {
                continue;
            };
            if lower[largest].saturating_sub(second_size) >= threshold {
                let size = Size { bytes: lower[largest], exact: exact[largest].is_some() };
                report(cx, def, &variants[largest], size, (&variants[second], second_size), out);
            }
        }
    }
}

/// A variant's size: exact, or a lower bound.
struct Size {
    bytes: u64,
    exact: bool,
}

fn report(
    cx: &CrateCx<'_>,
    def: &TypeDef,
    large: &VariantDef,
    size: Size,
    (next, next_size): (&VariantDef, u64),
    out: &mut Emitter,
) {
    let (is, more) = if size.exact { ("is", "") } else { ("is at least", "at least ") };
    let bytes_of = size.bytes;
    let message = format!(
        "variant `{}` {is} {bytes_of} bytes, {more}{} more than the next largest (`{}`, {}): every `{}` takes at least {bytes_of} bytes",
        large.name,
        bytes_of - next_size,
        next.name,
        bytes(next_size),
        def.name
    );
    // At the enum, as rustc's and clippy's lints of a type's layout are;
    // the variant to change is labelled.
    let mut diagnostic = cx.diagnostic(&META, def, def.name_span, message);
    diagnostic.labels.push(Label { span: large.span, message: format!("the largest variant: {more}{bytes_of} bytes") });
    match large.fields.as_slice() {
        [field] => {
            let boxed = format!("Box<{}>", cx.text(def, field.ty_span));
            diagnostic.help =
                Some(format!("box the payload so the variant is pointer-sized: `{}({boxed})`", large.name));
            // Only a tuple variant's type can be boxed in place; constructors
            // and patterns then need changes too.
            if field.name == "0" {
                diagnostic.fix = Some(Fix {
                    edits: vec![Edit { span: field.ty_span, replacement: boxed }],
                    applicability: Applicability::MaybeIncorrect,
                });
            }
        }
        _ => {
            diagnostic.help = Some(format!(
                "move the fields of `{}` into a struct and box it: `{}(Box<{}{}>)`",
                large.name, large.name, def.name, large.name
            ));
        }
    }
    out.emit(diagnostic);
}

/// `1 byte`, `0 bytes`.
fn bytes(n: u64) -> String {
    if n == 1 { "1 byte".to_owned() } else { format!("{n} bytes") }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean, fix, lint_all};

    const RULE: &str = "large_enum_variant";

    #[test]
    fn reports_the_large_variant_with_both_sizes() {
        let found = check(
            RULE,
            r#"
pub enum Message { //~
    Ping,
    Ack(u64),
    Frame([u8; 1024]),
}
"#,
        );
        assert_eq!(
            found[0].message,
            "variant `Frame` is 1024 bytes, 1016 more than the next largest (`Ack`, 8 bytes): every `Message` takes at least 1024 bytes"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("box the payload so the variant is pointer-sized: `Frame(Box<[u8; 1024]>)`")
        );
        assert_eq!(
            (found[0].labels[0].span.line, found[0].labels[0].message.as_str()),
            (5, "the largest variant: 1024 bytes")
        );
        let fix = fix(&found[0]);
        assert_eq!(fix.edits[0].replacement, "Box<[u8; 1024]>");
        assert_eq!((fix.edits[0].span.line, fix.edits[0].span.column, fix.edits[0].span.end_column), (5, 11, 21));
    }

    #[test]
    fn sizes_of_one_byte_are_singular() {
        let found = check(RULE, "enum E { //~\n    Tiny(u8),\n    Big([u8; 512]),\n}\n");
        assert!(found[0].message.contains("(`Tiny`, 1 byte)"), "{}", found[0].message);
    }

    #[test]
    fn struct_variants_and_payload_types_of_the_crate() {
        let found = check(
            RULE,
            r#"
struct Stats { counts: [u64; 32], total: u64 }

enum Event { //~
    Started { id: u32 },
    Finished { id: u32, stats: Stats, note: String },
}
"#,
        );
        assert!(found[0].help.as_deref().unwrap().contains("`Finished(Box<EventFinished>)`"));
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn boxed_balanced_unknown_and_generic_enums_are_fine() {
        check_clean(
            RULE,
            r#"
enum Boxed { A, B(Box<[u8; 1024]>) }
enum Balanced { A([u8; 300]), B([u8; 256]) }
enum Small { A, B([u8; 199]) }
enum Foreign { A, B(other::Big) }
enum Generic<T> { A, B(T), C([u8; 8]) }
enum Nested { A, B(Option<u64>) }
enum One { Only([u8; 4096]) }
#[derive(Clone, Copy)]
enum Cell { Empty, Data([u64; 64]) }
#[repr(C)]
enum Ev { Key(u32), Blob([u8; 512]) }
#[repr(u8)]
enum Tagged { Key(u32), Blob([u8; 512]) }
"#,
        );
    }

    #[test]
    fn a_padded_payload_struct_is_reported_by_both_layout_rules_at_their_own_code() {
        let src =
            "#[repr(C)]\nstruct Block { a: u8, data: [u64; 40], b: u8 }\nenum E {\n    Empty,\n    Full(Block),\n}\n";
        assert_eq!(lint_all(src), [("padded_struct", 2), ("large_enum_variant", 3)]);
    }

    #[test]
    fn recursion_through_a_type_of_the_crate_does_not_hang() {
        check_clean(RULE, "struct A { b: B }\nstruct B { a: A }\nenum E { X, Y(A) }\n");
    }

    #[test]
    fn lower_bounds_of_the_largest_variant() {
        let found = check(
            RULE,
            r#"
enum Big { A([u8; 1024]), B(u8) } //~
enum Holds { //~
    Ok(u32),
    Inner(Big),
}
enum WithGenerics<T> { //~
    Small,
    Large((T, [u8; 512])),
}
"#,
        );
        assert_eq!(
            found[2].message,
            "variant `Large` is at least 512 bytes, at least 512 more than the next largest (`Small`, 0 bytes): every `WithGenerics` takes at least 512 bytes"
        );
        // Another variant of unknown size may be the larger one.
        check_clean(
            RULE,
            r#"
enum Unknown<T> { A(T), B([u8; 4096]) }
struct Struct<T> { a: i32, t: T }
enum Generic<T> { A(Struct<T>), B([u8; 4096]) }
"#,
        );
    }

    /// Each enum holds the next twice and a type of unknown size: its lower
    /// bound is computed once per enum, not once per path (2^60 of them).
    #[test]
    fn nested_enums_of_unknown_size_are_bounded_once_each() {
        let mut src = String::new();
        for i in 0..60 {
            src.push_str(&format!("enum E{i} {{ A(E{n}), B(E{n}), C(other::T) }}\n", n = i + 1));
        }
        src.push_str("enum E60 { A([u8; 4096]), B(u8) }\n");
        let found = lint_all(&src);
        assert_eq!(found, [("large_enum_variant", 61)]);
    }

    #[test]
    fn generic_types_are_sized_with_their_arguments() {
        let found = check(
            RULE,
            r#"
struct Foo<T> { foo: T }
enum WithGenerics { //~
    Large([Foo<u64>; 64]),
    Small(u8),
}
struct Struct<T> { a: i32, t: T }
struct Struct2 { a: [i32; 8000] }
enum Mixed { //~
    A(Struct<()>),
    B(Struct2),
}
struct Pair<'a, A, B> { a: A, b: &'a B }
enum Lifetimes<'a> { //~
    Small(Pair<'a, u8, u8>),
    Large(Pair<'a, [u64; 64], u8>),
}
"#,
        );
        assert!(found[0].message.starts_with("variant `Large` is 512 bytes"), "{}", found[0].message);
        // The enum's own parameter, a const generic, a wrong number of arguments: unknown.
        check_clean(
            RULE,
            r#"
struct Struct<T> { a: i32, t: T }
struct Buf<const N: usize> { b: [u8; N] }
enum Own<T> { A(Struct<T>), B([u8; 4096]) }
enum Const { A(Buf<4096>), B(u8) }
enum Wrong { A(Struct<u8, u8>), B([u8; 4096]) }
"#,
        );
    }
}
