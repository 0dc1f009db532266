#[memlint::memtrack(max_allocs = 0, max_allocs = 1)]
fn twice() {}

#[memlint::memtrack(max_bytes = 64, max_bytes_per_call = 128)]
fn aliased() {}

fn main() {}
