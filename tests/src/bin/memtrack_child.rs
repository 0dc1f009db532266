//! A program with tracked functions, run by `tests/memtrack_report.rs`
//! under different `MEMLINT_REPORT` and `MEMLINT_BUDGET` settings: the
//! report is written when the process exits.

use memlint::memtrack;

#[global_allocator]
static ALLOC: memlint::Alloc = memlint::Alloc::system();

/// Over its budget on every call.
#[memtrack(max_allocs = 0)]
fn over_budget(n: usize) -> Vec<u8> {
    vec![1; n]
}

#[memtrack(name = "frame_encode", max_bytes = 1024)]
fn encode(id: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(8);
    out.extend_from_slice(&id.to_le_bytes());
    out
}

fn main() {
    let mut total = 0;
    for id in 0..3 {
        total += encode(id).len();
    }
    // Panics unless MEMLINT_BUDGET=report (or `report` as the first argument).
    if std::env::args().nth(1).as_deref() == Some("report") {
        memlint::set_budget_action(memlint::BudgetAction::Report);
    }
    total += over_budget(10).len();
    total += over_budget(20).len();
    println!("{total}");
}
