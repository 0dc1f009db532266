#[memlint::memtrack(max_alloc = 0)]
fn checksum(buf: &[u8]) -> u32 {
    buf.iter().map(|&b| u32::from(b)).sum()
}

fn main() {}

#[memlint::memtrack(budget = 3)]
fn vague() {}
