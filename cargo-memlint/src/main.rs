//! The `cargo-memlint` binary: everything is in the library.

fn main() -> std::process::ExitCode {
    cargo_memlint::main()
}
