//! What a workspace line called to allocate. The frames between the
//! allocator and the first workspace frame are the calls that line made.
//! When they pass through a dependency (a registry or git crate, or a path
//! dependency outside the linted packages), the allocation is made by that
//! dependency, and the dependency function the line called is the reason:
//! ripgrep's `builder.add_defaults()` allocates inside `ignore`'s
//! `TypesBuilder::add`, and the `to_string` made in there is not a call the
//! user can change.

use crate::crates::{crate_of, is_profiler};
use crate::frame::{Frame, Location};
use crate::reason::Reason;
use crate::workspace::Origin;

/// Why a stack allocated, read from its frames below the first workspace
/// frame (`frames`, innermost first, with their `origins`), walking in from
/// the workspace line: the first frame that is a call the user made (a
/// recognised allocating call, std's or a dependency's: `format`, a
/// dependency type's `clone`, rayon's `collect`), else the first dependency
/// function, whose inside is its own business. std's other frames are
/// passed through; C code (libc's `opendir` under `read_dir`) ends the walk,
/// and then the recognised call nearest the workspace anywhere below wins
/// ([`crate::reason::of`]). Returns the reason and the frame that shows it, as an
/// index into `frames`.
pub(crate) fn cause(frames: &[&Frame], origins: &[Origin]) -> (Reason, Option<usize>) {
    let start = allocator_end(frames, origins);
    for i in (start..frames.len()).rev() {
        if let Some(reason) = crate::reason::of_call(frames[i]) {
            return (reason, Some(i));
        }
        match origins[i] {
            Origin::Std => continue,
            origin if is_dependency(frames[i], origin) => return (Reason::Dependency, Some(i)),
            _ => break,
        }
    }
    crate::reason::of(frames)
}

/// The index of the first frame past the allocator: past the last
/// allocator entry point (a shim) and dhat's own frames.
pub(crate) fn allocator_end(frames: &[&Frame], origins: &[Origin]) -> usize {
    frames
        .iter()
        .zip(origins)
        .rposition(|(f, &o)| o == Origin::Shim || o == Origin::Memlint || is_profiler(f))
        .map_or(0, |i| i + 1)
}

/// Whether a frame is a dependency's Rust code: a registry, git or vendored
/// crate, or Rust code from outside the workspace's files (a path
/// dependency outside the linted packages).
fn is_dependency(frame: &Frame, origin: Origin) -> bool {
    match origin {
        Origin::Dependency => !is_profiler(frame),
        Origin::Other => match &frame.location {
            Location::Source { file, .. } => file.ends_with(".rs"),
            // A Rust path, not a name with generic arguments (`push<alloc::Global>`).
            _ => crate::frame::without_generics(&frame.function).contains("::"),
        },
        _ => false,
    }
}

/// The name a hot spot shows for the dependency function its line called:
/// the function's path without generic arguments when the profile gives
/// one (`ignore::types::TypesBuilder::add`); dhat-rs often names inlined
/// frames by their last segment only, and then the crate is added
/// (`add (ignore)`).
pub(crate) fn dependency_name(frame: &Frame) -> String {
    if frame.is_unnamed_inline() {
        // LTO: valgrind can't name it; where it is says which crate (a
        // registry crate's directory, a path dependency's in its last three
        // components).
        return frame.inlined_place(3);
    }
    let name = crate::frame::without_generics(&frame.function);
    if name.contains("::") {
        return name.to_string();
    }
    match crate_of(frame) {
        Some(krate) => format!("{name} ({krate})"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    /// The reason and its function's shown name for a stack written
    /// innermost first, one frame per line, without a workspace frame.
    fn cause_of(stack: &str) -> (Reason, String) {
        let ws = Workspace::new("/nowhere", []);
        let frames: Vec<Frame> = stack.lines().map(str::trim).filter(|l| !l.is_empty()).map(Frame::parse).collect();
        let refs: Vec<&Frame> = frames.iter().collect();
        let origins: Vec<Origin> = frames.iter().map(|f| ws.origin(f)).collect();
        let (reason, at) = cause(&refs, &origins);
        let name = at.map_or_else(
            || "???".to_string(),
            |i| if reason == Reason::Dependency { dependency_name(&frames[i]) } else { frames[i].display_name() },
        );
        (reason, name)
    }

    const REGISTRY: &str = "/root/.cargo/registry/src/index.crates.io-1";

    /// ripgrep's `builder.add_defaults()`: `ignore` makes the `to_string`,
    /// the vector and the map grow; the line called `ignore`.
    #[test]
    fn a_call_into_a_dependency_is_the_reason() {
        let stack = format!(
            "malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)
            alloc::raw_vec::RawVec<T,A>::grow_one (/rustc/h/library/alloc/src/raw_vec/mod.rs:188)
            <str as alloc::string::ToString>::to_string (/rustc/h/library/alloc/src/string.rs:2750)
            ignore::types::TypesBuilder::add (/{REGISTRY}/ignore-0.4.23/src/types.rs:480)
            ignore::types::TypesBuilder::add_defaults (/{REGISTRY}/ignore-0.4.23/src/types.rs:420)"
        );
        assert_eq!(cause_of(&stack), (Reason::Dependency, "ignore::types::TypesBuilder::add_defaults".into()));
        // Through std first: `for_each` allocates nothing, the dependency's `next` it calls does.
        let through_std = format!(
            "malloc (in /lib/vgpreload.so)
            alloc::raw_vec::RawVec<T,A>::grow_one (/rustc/h/library/alloc/src/raw_vec/mod.rs:188)
            regex_syntax::hir::translate::TranslatorI::push<T> (/{REGISTRY}/regex-syntax-0.8.5/src/hir/translate.rs:900)
            <regex_syntax::Parser as core::iter::Iterator>::next (/{REGISTRY}/regex-syntax-0.8.5/src/lib.rs:10)
            core::iter::Iterator::for_each (/rustc/h/library/core/src/iter/traits/iterator.rs:800)"
        );
        assert_eq!(
            cause_of(&through_std),
            (Reason::Dependency, "<regex_syntax::Parser as core::iter::Iterator>::next".into())
        );
        // The std call the line made comes first: a `collect` over that iterator is the `collect`.
        let collect = through_std.replace(
            "core::iter::Iterator::for_each (/rustc/h/library/core/src/iter/traits/iterator.rs:800)",
            "core::iter::Iterator::collect (/rustc/h/library/core/src/iter/traits/iterator.rs:2000)",
        );
        assert_eq!(cause_of(&collect), (Reason::Collect, "collect".into()));
        // dhat-rs: dhat's own frames are the allocator; a short name gets its crate.
        let dhat_rs = "alloc (dhat-0.3.3/src/lib.rs:1176:9)
            grow_one<u8> (src/raw_vec/mod.rs:188:29)
            push<u8> (src/vec/mod.rs:992:22)
            build_index (helper-0.1.0/src/lib.rs:5:9)";
        assert_eq!(cause_of(dhat_rs), (Reason::Dependency, "build_index (helper)".into()));
        // A path dependency outside the linted packages is a dependency.
        let path_dep = "malloc (in /lib/vgpreload.so)
            alloc::vec::Vec<T,A>::push (/rustc/h/library/alloc/src/vec/mod.rs:992)
            helper::build_index (/work/helper/src/lib.rs:5)";
        assert_eq!(cause_of(path_dep), (Reason::Dependency, "helper::build_index".into()));
        // Under LTO valgrind names inlined frames `UnknownInlinedFun`: the
        // place names the code, never the placeholder.
        let lto = format!(
            "malloc (in /lib/vgpreload.so)
            UnknownInlinedFun (/rustc/h/library/alloc/src/vec/mod.rs:992)
            UnknownInlinedFun (/work/helper/src/lib.rs:5)
            UnknownInlinedFun (/{REGISTRY}/ignore-0.4.23/src/walk.rs:1500)"
        );
        assert_eq!(cause_of(&lto), (Reason::Dependency, "inlined code at ignore-0.4.23/src/walk.rs:1500".into()));
        let lto_path_dep = lto.lines().take(3).collect::<Vec<_>>().join("\n");
        assert_eq!(cause_of(&lto_path_dep), (Reason::Dependency, "inlined code at helper/src/lib.rs:5".into()));
    }

    #[test]
    fn std_calls_keep_their_reason() {
        // No dependency on the way: the std call the line made.
        let push = "malloc (in /lib/vgpreload.so)
            alloc::raw_vec::RawVec<T,A>::grow_one (/rustc/h/library/alloc/src/raw_vec/mod.rs:188)
            alloc::vec::Vec<T,A>::push (/rustc/h/library/alloc/src/vec/mod.rs:992)";
        assert_eq!(cause_of(push), (Reason::VecGrowth, "push".into()));
        // std calling C: libc's `opendir` is not a dependency of the user's.
        let read_dir = "malloc (in /lib/vgpreload.so)
            opendir (in /usr/lib/x86_64-linux-gnu/libc.so.6)
            std::fs::read_dir (/rustc/h/library/std/src/fs.rs:2500)";
        assert_eq!(cause_of(read_dir), (Reason::Other, "read_dir".into()));
    }

    /// A dependency's `Clone` the user called is a clone; a dependency's
    /// `Display` that `format!` writes through is the format's growth.
    #[test]
    fn trait_calls_into_a_dependency() {
        let clone = format!(
            "malloc (in /lib/vgpreload.so)
            alloc::raw_vec::RawVec<T,A>::allocate_in (/rustc/h/library/alloc/src/raw_vec/mod.rs:100)
            <alloc::vec::Vec<T> as core::clone::Clone>::clone (/rustc/h/library/alloc/src/vec/mod.rs:3000)
            <semver::Version as core::clone::Clone>::clone (/{REGISTRY}/semver-1.0.0/src/lib.rs:80)"
        );
        assert_eq!(cause_of(&clone), (Reason::Clone, "clone".into()));
        let display = format!(
            "malloc (in /lib/vgpreload.so)
            alloc::raw_vec::RawVec<T,A>::grow_one (/rustc/h/library/alloc/src/raw_vec/mod.rs:188)
            alloc::string::String::push_str (/rustc/h/library/alloc/src/string.rs:1102)
            <alloc::string::String as core::fmt::Write>::write_str (/rustc/h/library/alloc/src/string.rs:3345)
            core::fmt::Formatter::pad (/rustc/h/library/core/src/fmt/mod.rs:1500)
            <semver::Version as core::fmt::Display>::fmt (/{REGISTRY}/semver-1.0.0/src/display.rs:10)
            core::fmt::write (/rustc/h/library/core/src/fmt/mod.rs:1200)
            alloc::fmt::format::format_inner (/rustc/h/library/alloc/src/fmt.rs:654)
            alloc::fmt::format (/rustc/h/library/alloc/src/fmt.rs:659)"
        );
        assert_eq!(cause_of(&display), (Reason::Format, "format".into()));
        // The same `Display` called directly (`value.fmt(f)` from a line's
        // own `Display` impl) is the dependency's doing.
        let direct = display.lines().take(6).collect::<Vec<_>>().join("\n");
        assert_eq!(cause_of(&direct), (Reason::Dependency, "<semver::Version as core::fmt::Display>::fmt".into()));
    }
}
