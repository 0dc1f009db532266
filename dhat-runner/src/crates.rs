//! Which crate a frame's code belongs to: allocations outside the workspace
//! are broken down by crate (ripgrep: 71% of them were the `ignore` crate's
//! directory buffers), not left as one opaque line.

use std::collections::HashMap;

use crate::frame::{Frame, Location};
use crate::profile::ProgramPoint;

/// The name allocations are filed under when only Rust's standard library
/// (or its runtime start-up) is on the stack.
pub(crate) const STD: &str = "std";

/// The name allocations are filed under when no frame tells a crate.
pub(crate) const UNKNOWN: &str = "(unknown)";

/// The crate of a frame: a registry or git dependency's package name from
/// its source path (`…/.cargo/registry/src/<index>/ignore-0.4.23/src/walk.rs`),
/// `std` for the standard library (`/rustc/<hash>/library/alloc/…`), else
/// the first segment of a Rust path (`ignore::walk::Worker::run`); for C
/// code without lines, its object file (`libc.so.6`). `None` when unknown.
pub(crate) fn crate_of(frame: &Frame) -> Option<String> {
    if let Location::Source { file, .. } = &frame.location {
        let file = file.replace('\\', "/");
        if let Some(package) = package_in_cargo_home(&file) {
            return Some(package);
        }
        // std, the crates std vendors (its `hashbrown` under `/rust/deps/`),
        // and dhat-rs's last three components of them (`alloc/src/string.rs`).
        if crate::workspace::is_std_path(&file) {
            return Some(STD.to_owned());
        }
        // dhat-rs keeps a path's last three components: `ignore-0.4.23/src/walk.rs`.
        if let Some((first, rest)) = file.split_once('/')
            && rest.starts_with("src/")
            && !file.starts_with('/')
        {
            if let Some(name) = without_version(first) {
                return Some(crate_name(name));
            }
        }
    }
    if let Some(first) = first_segment(&frame.function) {
        return Some(match first {
            "std" | "core" | "alloc" | "proc_macro" | "test" => STD.to_owned(),
            name => name.to_owned(),
        });
    }
    c_library(frame)
}

/// The crate a Rust path starts with: `ignore` for
/// `ignore::walk::Worker::run`, `alloc` for `alloc<std::alloc::System>::grow`
/// (the segment without its generic arguments), the type's crate for
/// `<regex_automata::meta::Regex as core::clone::Clone>::clone`, the trait's
/// for a type that is no path (`<&[u8] as core::fmt::Debug>::fmt`). `None`
/// for a bare name (`try_allocate_in<alloc::alloc::Global>`: generic
/// arguments are no path).
fn first_segment(function: &str) -> Option<&str> {
    let path = crate::frame::without_generics(function);
    let path = match path.strip_prefix('<') {
        Some(qualified) => {
            let (self_type, trait_path) = qualified.split_once(" as ").unwrap_or((qualified, ""));
            if is_identifier(self_type.split("::").next().unwrap_or("")) && self_type.contains("::") {
                self_type
            } else {
                trait_path
            }
        }
        None => path,
    };
    let (first, _) = path.split_once("::")?;
    let first = first.split('<').next().unwrap_or(first).trim();
    is_identifier(first).then_some(first)
}

fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The library of a frame of C code: its object file (`libc.so.6`) when
/// valgrind gives one, glibc for a symbol of its version tags
/// (`pthread_getattr_np@@GLIBC_2.32`, compiled with lines). The program's
/// own `main` is not a library: rustc writes it, std's start-up is inlined
/// into it.
fn c_library(frame: &Frame) -> Option<String> {
    if frame.function.contains("@GLIBC_") {
        return Some("libc.so.6".to_owned());
    }
    match &frame.location {
        Location::Object(object) if !frame.function.contains("::") && frame.function != "main" => {
            object.rsplit('/').next().map(str::to_owned)
        }
        _ => None,
    }
}

/// A package's name as Rust code spells its crate: `regex_syntax` for
/// `regex-syntax`, so that a path's `regex_syntax::` and a source
/// directory's `regex-syntax-0.8.5` name one crate.
fn crate_name(package: &str) -> String {
    package.replace('-', "_")
}

/// The package of a file under cargo's registry or git checkouts, without
/// its version: `ignore` for `…/registry/src/index.crates.io-…/ignore-0.4.23/…`.
fn package_in_cargo_home(file: &str) -> Option<String> {
    if let Some(at) = file.find("/registry/src/") {
        // `<index>/<package-version>/...`
        let dir = file[at + "/registry/src/".len()..].split('/').nth(1)?;
        return Some(crate_name(without_version(dir).unwrap_or(dir)));
    }
    // `<repository-hash>/<revision>/<path in the repository>/src/...`: the
    // package is the directory holding `src`.
    let at = file.find("/git/checkouts/")?;
    let parts: Vec<&str> = file[at + "/git/checkouts/".len()..].split('/').collect();
    let src = parts.iter().rposition(|p| *p == "src").filter(|&i| i >= 3)?;
    Some(crate_name(parts[src - 1]))
}

/// `regex-syntax` for `regex-syntax-0.8.5`; `None` without a version.
fn without_version(dir: &str) -> Option<&str> {
    let i = dir.rfind('-')?;
    dir[i + 1..].starts_with(|c: char| c.is_ascii_digit()).then(|| &dir[..i])
}

/// The crate a stack outside the workspace is filed under: the innermost
/// frame of a crate other than the standard library (the dependency whose
/// call allocated), else `std` when the standard library is on the stack,
/// else the innermost C object; allocator frames don't count.
pub(crate) fn outside_crate(frames: &[&Frame]) -> String {
    let callers = || frames.iter().copied().filter(|f| !crate::workspace::is_shim(&f.function) && !is_profiler(f));
    // One pass, stopping at the first crate other than std.
    let mut std_seen = false;
    for frame in callers().filter(|f| c_library(f).is_none()) {
        match crate_of(frame) {
            Some(name) if name != STD => return name,
            Some(_) => std_seen = true,
            None => {}
        }
    }
    if std_seen {
        return STD.to_owned();
    }
    callers().find_map(c_library).unwrap_or_else(|| UNKNOWN.to_owned())
}

/// A frame of dhat-rs, the profiler: the allocator, not code that asked.
/// It runs for most frames of every stack, so the crate is read only of a
/// frame that mentions dhat at all.
pub(crate) fn is_profiler(frame: &Frame) -> bool {
    let mentions = frame.function.contains("dhat") || frame.source().is_some_and(|(file, ..)| file.contains("dhat"));
    mentions && (frame.function.starts_with("dhat::") || crate_of(frame).as_deref() == Some("dhat"))
}

/// Bytes and blocks allocated, and the bytes of them live at the heap's peak.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allocated {
    /// Bytes allocated.
    pub bytes: u64,
    /// Blocks allocated.
    pub blocks: u64,
    /// Bytes still live when the heap was at its largest.
    pub peak_bytes: u64,
}

impl Allocated {
    fn add(&mut self, point: &ProgramPoint) {
        self.bytes += point.bytes;
        self.blocks += point.blocks;
        self.peak_bytes += point.peak_bytes;
    }
}

/// A workspace line that called into a crate, and what the crate allocated
/// for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallingLine {
    /// Workspace-relative file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// The crate's function it called (`ignore::types::TypesBuilder::add_defaults`).
    pub called: String,
    /// What was allocated below it.
    pub amount: Allocated,
}

impl CallingLine {
    /// A calling line with nothing counted yet.
    pub(crate) fn new(file: &str, line: u32, called: String) -> CallingLine {
        CallingLine { file: file.to_owned(), line, called, amount: Allocated::default() }
    }
}

/// What one crate allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateShare {
    /// The crate (`ignore`, `std`, `libc.so.6`).
    pub name: String,
    /// What it allocated.
    pub amount: Allocated,
    /// The workspace lines that called it, most blocks first (none for
    /// allocations no workspace frame led to).
    pub callers: Vec<CallingLine>,
}

/// Allocations summed by crate, and by the workspace line that called it.
#[derive(Debug, Default)]
pub(crate) struct CrateTally {
    crates: HashMap<String, (Allocated, HashMap<CallerKey, Allocated>)>,
}

/// A calling line: (file, line, the function it called).
type CallerKey = (String, u32, String);

impl CrateTally {
    /// Counts `point` for `krate`, called from `caller` when there is one.
    pub(crate) fn add(&mut self, krate: String, point: &ProgramPoint, caller: Option<CallingLine>) {
        let (total, callers) = self.crates.entry(krate).or_default();
        total.add(point);
        if let Some(c) = caller {
            callers.entry((c.file, c.line, c.called)).or_default().add(point);
        }
    }

    /// The crates, most blocks (then bytes) first, and their callers likewise.
    pub(crate) fn shares(self) -> Vec<CrateShare> {
        let mut shares: Vec<CrateShare> = self
            .crates
            .into_iter()
            .map(|(name, (amount, callers))| {
                let mut callers: Vec<CallingLine> = callers
                    .into_iter()
                    .map(|((file, line, called), amount)| CallingLine { file, line, called, amount })
                    .collect();
                callers.sort_by(|a, b| {
                    most_first(&a.amount, &b.amount)
                        .then((&a.file, a.line, &a.called).cmp(&(&b.file, b.line, &b.called)))
                });
                CrateShare { name, amount, callers }
            })
            .collect();
        shares.sort_by(|a, b| most_first(&a.amount, &b.amount).then(a.name.cmp(&b.name)));
        shares
    }
}

/// Most blocks first, then most bytes.
fn most_first(a: &Allocated, b: &Allocated) -> std::cmp::Ordering {
    b.blocks.cmp(&a.blocks).then(b.bytes.cmp(&a.bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outside(stack: &str) -> String {
        let frames: Vec<Frame> = stack.lines().map(str::trim).filter(|l| !l.is_empty()).map(Frame::parse).collect();
        let refs: Vec<&Frame> = frames.iter().collect();
        outside_crate(&refs)
    }

    #[test]
    fn crates_are_read_from_registry_paths_and_rust_paths() {
        let ignore = Frame::parse(
            "ignore::walk::Worker::run (/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/ignore-0.4.23/src/walk.rs:1500)",
        );
        assert_eq!(crate_of(&ignore).as_deref(), Some("ignore"));
        let dashed =
            Frame::parse("f (/home/u/.cargo/registry/src/index.crates.io-1/regex-syntax-0.8.5/src/hir/mod.rs:10)");
        // One crate, however it is named: a package directory's dashes are a path's underscores.
        assert_eq!(crate_of(&dashed).as_deref(), Some("regex_syntax"));
        assert_eq!(
            crate_of(&Frame::parse("regex_syntax::hir::Hir::literal (in /bin/rg)")).as_deref(),
            Some("regex_syntax")
        );
        // A git checkout: the directory holding `src`, not the revision.
        let git =
            Frame::parse("f (/root/.cargo/git/checkouts/memlint-6b7b742f817cfddb/16c3536/memlint-macros/src/lib.rs:9)");
        assert_eq!(crate_of(&git).as_deref(), Some("memlint_macros"));
        // std's own vendored crates are std.
        let hashbrown = Frame::parse("do_alloc<u8> (/rust/deps/hashbrown-0.15.5/src/raw/alloc.rs:15)");
        assert_eq!(crate_of(&hashbrown).as_deref(), Some("std"));
        // Qualified paths: the type's crate, or the trait's for a type that is no path.
        let qualified = |f: &str| crate_of(&Frame::parse(&format!("{f} (in /bin/rg)")));
        assert_eq!(
            qualified("<regex_automata::meta::Regex as core::clone::Clone>::clone").as_deref(),
            Some("regex_automata")
        );
        assert_eq!(qualified("<&[u8] as core::fmt::Debug>::fmt").as_deref(), Some("std"));
        assert_eq!(qualified("<alloc::vec::Vec<T> as core::clone::Clone>::clone").as_deref(), Some("std"));
        let std = Frame::parse("alloc::raw_vec::RawVec<T,A>::grow_one (/rustc/h/library/alloc/src/raw_vec/mod.rs:188)");
        assert_eq!(crate_of(&std).as_deref(), Some("std"));
        assert_eq!(
            crate_of(&Frame::parse("<ignore::Walk as core::iter::Iterator>::next (in /bin/rg)")).as_deref(),
            Some("ignore")
        );
        assert_eq!(
            crate_of(&Frame::parse("opendir (in /usr/lib/x86_64-linux-gnu/libc.so.6)")).as_deref(),
            Some("libc.so.6")
        );
        assert_eq!(crate_of(&Frame::parse("???")), None);
        // dhat-rs's shortened paths.
        assert_eq!(crate_of(&Frame::parse("run_one (ignore-0.4.23/src/walk.rs:1600:9)")).as_deref(), Some("ignore"));
        assert_eq!(crate_of(&Frame::parse("push_str (alloc/src/string.rs:1102:18)")).as_deref(), Some("std"));
        assert_eq!(crate_of(&Frame::parse("grow_one (src/raw_vec/mod.rs:1:1)")), None);
        assert_eq!(crate_of(&Frame::parse("try_allocate_in<alloc::alloc::Global> (src/raw_vec/mod.rs:0:0)")), None);
    }

    /// One line calling two functions of a crate equally often (fd's
    /// `cli.rs:29`: clap's `args` and `conflicts_with_all`) lists them in
    /// one order on every run, whatever the hash map's.
    #[test]
    fn callers_of_equal_amounts_are_listed_in_a_fixed_order() {
        let point = ProgramPoint { bytes: 64, blocks: 1, peak_bytes: 0, frames: Vec::new() };
        for first in ["conflicts_with_all", "args"] {
            let mut tally = CrateTally::default();
            for called in [first, if first == "args" { "conflicts_with_all" } else { "args" }] {
                tally.add("clap_builder".into(), &point, Some(CallingLine::new("src/cli.rs", 29, called.into())));
            }
            let called: Vec<String> = tally.shares()[0].callers.iter().map(|c| c.called.clone()).collect();
            assert_eq!(called, ["args", "conflicts_with_all"]);
        }
    }

    /// ripgrep's parallel walker: a thread of `ignore` reads directories
    /// through std and libc's `opendir`.
    #[test]
    fn an_outside_stack_is_filed_under_the_dependency_that_allocated() {
        let walker = "malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)
            opendir (in /usr/lib/x86_64-linux-gnu/libc.so.6)
            std::fs::read_dir (/rustc/h/library/std/src/fs.rs:2500)
            ignore::walk::Worker::run_one (/root/.cargo/registry/src/index.crates.io-1/ignore-0.4.23/src/walk.rs:1600)
            std::sys::thread::unix::Thread::new::thread_start (/rustc/h/library/std/src/sys/thread/unix.rs:100)
            start_thread (pthread_create.c:442)
            clone (clone.S:100)";
        assert_eq!(outside(walker), "ignore");
        let runtime = "malloc (in /lib/vgpreload.so)
            std::rt::lang_start_internal (/rustc/h/library/std/src/rt.rs:140)
            (below main) (csu/libc_start_call_main.h:58)";
        assert_eq!(outside(runtime), "std");
        let c_only = "malloc (in /lib/vgpreload.so)\n_dl_start (in /lib/ld-linux-x86-64.so.2)";
        assert_eq!(outside(c_only), "ld-linux-x86-64.so.2");
        // std's start-up inlined into the program's `main` (du-dust): glibc
        // compiled with lines, not the program, allocated.
        let startup = "malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)
            __fopen_internal (libio/./libio/iofopen.c:65)
            pthread_getattr_np@@GLIBC_2.32 (nptl/./nptl/pthread_getattr_np.c:85)
            main (in /work/prog/dust/target/memlint/build/release/dust)";
        assert_eq!(outside(startup), "libc.so.6");
        // dhat-rs: the profiler's own frame is the allocator, not a crate that allocated.
        let dhat_rs = "alloc (dhat-0.3.3/src/lib.rs:1176:9)
            push_mut<u8> (src/vec/mod.rs:1029:22)
            <&[u8] as core::fmt::Debug>::fmt (core/src/fmt/mod.rs:10:1)
            run (fd-find-10.5.0/src/walk.rs:100:5)";
        assert_eq!(outside(dhat_rs), "fd_find");
        // The program's own C `main` (no lines) is not a crate that allocated.
        let start = "malloc (in /lib/vgpreload.so)
            std::rt::init (/rustc/h/library/std/src/rt.rs:118)
            main (in /target/release/profiled)";
        assert_eq!(outside(start), "std");
        assert_eq!(crate_of(&Frame::parse("alloc<std::alloc::System>::grow (in /bin/x)")).as_deref(), Some("std"));
    }
}
