//! Marks, when the tests are built, those this machine can't run, so that
//! the test summary counts them as ignored, with their reason, instead of
//! showing them as passed without having tested anything.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(memlint_not_root)");
    println!("cargo::rerun-if-changed=build.rs");
    // Device nodes (mknod) can only be made by root.
    let root = std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if !root {
        println!("cargo::rustc-cfg=memlint_not_root");
    }
}
