#[memlint::memtrack]
struct Record {
    id: u32,
}

fn main() {}
