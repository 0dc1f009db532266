//! The budgets of the codec's functions, checked on every call while the
//! tests run. The counting allocator is installed for the test binary only.

use memlint_budgets_example::{Record, checksum, checksum_with_copy, encode, parse_line};

#[global_allocator]
static ALLOC: memlint::Alloc = memlint::Alloc::system();

#[test]
fn the_codec_stays_within_its_budgets() {
    let record = parse_line("7, ada, 9.5").expect("a valid line");
    assert_eq!(record, Record { id: 7, name: "ada".to_owned(), score: 9.5 });
    let mut out = Vec::with_capacity(64);
    encode(&record, &mut out);
    assert_eq!(checksum(&out), checksum(&out));

    let stats = memlint::report();
    let parse = stats.iter().find(|s| s.name == "parse_line").expect("tracked");
    assert_eq!((parse.calls, parse.allocs, parse.bytes), (1, 1, 3));
    let encode = stats.iter().find(|s| s.name == "encode").expect("tracked");
    assert_eq!(encode.allocs, 0, "`out` had room");
}

#[test]
#[should_panic(expected = "went over its budget `max_allocs = 0`: 1 allocation in one call")]
fn a_copy_in_the_checksum_breaks_its_budget() {
    checksum_with_copy(b"hello");
}
