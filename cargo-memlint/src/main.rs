//! The `cargo-memlint` binary: everything is in the library.

/// Parsing is mostly allocation: a syn tree is many small nodes, built and
/// freed once per file on every thread. jemalloc's per-thread caches made
/// both memlint and the parse floor it is measured against ~20% faster than
/// the system allocator (the corpus bench's floor uses it too, so that the
/// ratio compares like with like). MSVC builds keep the system allocator.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    cargo_memlint::main()
}
