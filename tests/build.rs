//! Marks, when the tests are built, those this machine can't run, so that
//! the test summary counts them as ignored, with their reason, instead of
//! showing them as passed without having tested anything.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(memlint_not_root)");
    println!("cargo::rustc-check-cfg=cfg(memlint_skip_valgrind)");
    println!("cargo::rerun-if-changed=build.rs");
    // Device nodes (mknod) can only be made by root.
    let root = std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if !root {
        println!("cargo::rustc-cfg=memlint_not_root");
    }
    // The profile tests run real workloads under valgrind. Without it they
    // fail, saying so, unless MEMLINT_SKIP_VALGRIND asks to skip them: they
    // are then built as ignored (`#[cfg_attr(memlint_skip_valgrind, ignore = ..)]`).
    // A value of `0` or nothing asks for nothing.
    println!("cargo::rerun-if-env-changed=MEMLINT_SKIP_VALGRIND");
    if std::env::var_os("MEMLINT_SKIP_VALGRIND").is_some_and(|v| !v.is_empty() && v != "0") {
        println!("cargo::rustc-cfg=memlint_skip_valgrind");
    }
}
