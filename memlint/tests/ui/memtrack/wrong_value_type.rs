#[memlint::memtrack(max_allocs = "zero")]
fn string_budget() {}

#[memlint::memtrack(name = encode)]
fn bare_name() {}

#[memlint::memtrack(max_bytes = -1)]
fn negative() {}

fn main() {}
