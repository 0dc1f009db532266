//! Why a stack allocated: the library call the user's code made, read from
//! the frames between the allocator and the first workspace frame.

use crate::frame::{Frame, Location};

/// How reasons are read, for reports that keep them (`diff` says when two
/// differ): 2 since a call into a dependency is [`Reason::Dependency`] and
/// std's wrappers of the operating system are their own reason; 3 since a
/// stable sort's scratch buffer is [`Reason::Sort`].
pub const REASONS_VERSION: u64 = 3;

pub use lint_core::Reason;

/// Reads the reason from `frames`: the library frames above the first
/// workspace frame, innermost first. The outermost recognised call wins:
/// it is the one the user wrote (`format!` grows a `String` inside, but
/// the user asked for a `format!`). Returns the reason and the function
/// that shows it, as an index into `frames` (for `Other`, the outermost
/// library function; `None` when every frame is a shim or unknown).
pub(crate) fn of(frames: &[&Frame]) -> (Reason, Option<usize>) {
    for (i, frame) in frames.iter().enumerate().rev() {
        if let Some(reason) = of_call(frame) {
            return (reason, Some(i));
        }
    }
    let shown = frames.iter().rposition(|f| !crate::workspace::is_shim(&f.function) && f.function != "???");
    (Reason::Other, shown)
}

/// The reason one library frame is, when it is a call the walk for a
/// reason stops at: a recognised allocating call, or one of std's
/// wrappers of the operating system, whose inside is its own business
/// (`command.spawn()` copies the environment into a map: that map's
/// growth is not a call the user made or can size).
pub(crate) fn of_call(frame: &Frame) -> Option<Reason> {
    recognise(frame).or_else(|| is_system_operation(frame).then_some(Reason::Other))
}

/// The reasons a rule's fix removes allocations of, so a profile's stack
/// with that reason can be the rule's finding: the rule declares them
/// ([`lint_core::RuleMeta::confirmed_by`]). Rules about sizes rather than
/// allocations (`padded_struct`, `large_enum_variant`) explain none.
pub fn explained_by(rule: &str) -> &'static [Reason] {
    lint_core::rules::find(rule).map_or(&[], |r| r.meta().confirmed_by)
}

/// The reason a single library frame shows, if it is one of the calls above.
fn recognise(frame: &Frame) -> Option<Reason> {
    // Only Rust's library calls are reasons: libc's `clone(2)`, which starts
    // a thread, is not `Clone::clone`.
    if !is_rust(frame) {
        return None;
    }
    let short = frame.short_name();
    // Where the function is defined: its file when known, else its path.
    let place = match &frame.location {
        Location::Source { file, .. } => file.replace('\\', "/"),
        _ => frame.function.clone(),
    };
    let in_file = |names: &[&str]| names.iter().any(|n| place.contains(n));
    let is = |names: &[&str]| names.contains(&short);
    if frame.is_unnamed_inline() {
        // LTO: valgrind can't name the function, only its file. One of std's
        // files holds a single kind of allocating call: `alloc/src/fmt.rs`
        // is `format!`. Others hold several (`string.rs`: `push_str`,
        // `to_string`, `clone`), and one is not guessed among them.
        return place.ends_with("alloc/src/fmt.rs").then_some(Reason::Format);
    }
    if short == "exchange_malloc" {
        return Some(Reason::Box);
    }
    if is(&["format", "format_inner"]) && in_file(&["fmt.rs", "alloc::fmt"]) {
        return Some(Reason::Format);
    }
    if is(&["to_string", "spec_to_string"]) && in_file(&["string.rs", "alloc::string"]) {
        return Some(Reason::ToString);
    }
    if is(&["clone", "clone_from", "clone_into"]) && !in_file(&["rc.rs", "sync.rs", "alloc::rc", "alloc::sync"]) {
        return Some(Reason::Clone);
    }
    if is(&["collect", "from_iter"]) {
        return Some(Reason::Collect);
    }
    if is(&["to_owned", "to_vec", "to_vec_in", "into_owned"])
        || is(&["from", "into"])
            && in_file(&["string.rs", "str.rs", "slice.rs", "boxed/convert.rs", "vec/mod.rs", "path.rs", "os_str.rs"])
    {
        return Some(Reason::ToOwned);
    }
    // The stable sorts' scratch buffer (driftsort, when inlined into the caller).
    if is(&["sort", "sort_by", "sort_by_key"]) && in_file(&["slice.rs", "alloc::slice"])
        || is(&["driftsort_main"]) && in_file(&["slice/sort", "slice::sort"])
    {
        return Some(Reason::Sort);
    }
    const MAP_GROWTH: [&str; 10] = [
        "insert",
        "entry",
        "extend",
        "reserve",
        "reserve_rehash",
        "resize",
        "or_insert",
        "or_insert_with",
        "or_default",
        "append",
    ];
    if is(&MAP_GROWTH)
        && in_file(&["hashbrown", "collections/hash", "collections/btree", "HashMap", "HashSet", "BTree"])
    {
        return Some(Reason::MapGrowth);
    }
    const GROWTH: [&str; 16] = [
        "push",
        "push_str",
        "push_mut",
        "insert",
        "insert_str",
        "extend",
        "extend_from_slice",
        "extend_from_within",
        "append",
        "reserve",
        "resize",
        "add",
        "add_assign",
        "write_str",
        "write_char",
        "push_back",
    ];
    if is(&GROWTH) && in_file(&["string.rs", "alloc::string"]) {
        return Some(Reason::StringGrowth);
    }
    if (is(&GROWTH) || is(&["push_front", "grow_one", "extend_desugared", "extend_trusted"]))
        && in_file(&["vec/mod.rs", "vec_deque", "alloc::vec", "VecDeque"])
    {
        return Some(Reason::VecGrowth);
    }
    // `vec![a, b]` is `<[_]>::into_vec(box_new([a, b]))`: a boxed array
    // made through `new_uninit`, which no `Box::new` a user wrote goes through.
    let boxed_array = short == "new_uninit" && frame.function.contains("new_uninit<[");
    if is(&["new", "pin", "new_uninit", "from"])
        && in_file(&["boxed.rs", "rc.rs", "sync.rs", "alloc::boxed", "alloc::rc", "alloc::sync"])
        && !boxed_array
    {
        return Some(Reason::Box);
    }
    None
}

/// A frame of std's wrappers around the operating system (processes,
/// files, the environment, threads, sockets, and their platform code): what
/// they allocate inside is their own business, so the walk for a reason
/// stops at them (`other (spawn)`).
fn is_system_operation(frame: &Frame) -> bool {
    // std's `System` allocator lives under `sys/` too: it is the allocator.
    if crate::workspace::is_rust_allocator(frame) {
        return false;
    }
    const FILES: [&str; 6] =
        ["std/src/process.rs", "std/src/fs.rs", "std/src/env.rs", "std/src/net/", "std/src/sys/", "std/src/thread/"];
    const PATHS: [&str; 6] = ["std::process::", "std::fs::", "std::env::", "std::net::", "std::sys::", "std::thread::"];
    match &frame.location {
        Location::Source { file, .. } => {
            let file = file.replace('\\', "/");
            FILES.iter().any(|f| file.contains(f))
        }
        _ => PATHS.iter().any(|p| frame.function.trim_start_matches('<').starts_with(p)),
    }
}

/// Whether a frame is Rust code: its source is a `.rs` file or, without
/// line tables, its name is a Rust path (`alloc::vec::Vec<T>::push`).
fn is_rust(frame: &Frame) -> bool {
    match &frame.location {
        Location::Source { file, .. } => file.ends_with(".rs"),
        _ => frame.function.contains("::"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reason of a stack written innermost first, one frame per line.
    fn reason(stack: &str) -> (Reason, String) {
        let frames: Vec<Frame> = stack.lines().map(str::trim).filter(|l| !l.is_empty()).map(Frame::parse).collect();
        let refs: Vec<&Frame> = frames.iter().collect();
        let (reason, at) = of(&refs);
        (reason, at.map_or_else(|| "???".to_string(), |i| frames[i].short_name().to_string()))
    }

    /// Valgrind's stack of `v.sort()` on 1,000 `u64`s (Rust 1.95, release
    /// with debug info): the scratch buffer, under `driftsort_main`.
    #[test]
    fn a_stable_sorts_scratch_buffer() {
        let valgrind = "malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)
            alloc (library/alloc/src/alloc.rs:95)
            with_capacity_in<u64, alloc::alloc::Global> (library/alloc/src/vec/mod.rs:965)
            with_capacity<u64> (library/alloc/src/vec/mod.rs:524)
            with_capacity<u64> (library/alloc/src/slice.rs:867)
            core::slice::sort::stable::driftsort_main (library/core/src/slice/sort/stable/mod.rs:127)
            sort<u64, fn(&u64, &u64) -> bool, alloc::vec::Vec<u64, alloc::alloc::Global>> (library/core/src/slice/sort/stable/mod.rs:83)
            stable_sort<u64, fn(&u64, &u64) -> bool> (library/alloc/src/slice.rs:860)
            sort<u64> (library/alloc/src/slice.rs:135)";
        assert_eq!(reason(valgrind), (Reason::Sort, "sort".into()));
        // Inlined into the caller, only the driftsort frame may be left.
        let inlined = "malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)
            with_capacity<u64> (library/alloc/src/vec/mod.rs:524)
            core::slice::sort::stable::driftsort_main (library/core/src/slice/sort/stable/mod.rs:127)";
        assert_eq!(reason(inlined).0, Reason::Sort);
    }

    #[test]
    fn vec_growth_from_both_producers() {
        let dhat_rs = "alloc (dhat-0.3.3/src/lib.rs:1176:9)
            finish_grow<alloc::alloc::Global> (src/raw_vec/mod.rs:558:24)
            grow_one<u64, alloc::alloc::Global> (src/raw_vec/mod.rs:188:29)
            push_mut<u64, alloc::alloc::Global> (src/vec/mod.rs:1029:22)
            push<u64, alloc::alloc::Global> (src/vec/mod.rs:992:22)";
        assert_eq!(reason(dhat_rs), (Reason::VecGrowth, "push".into()));
        let valgrind = "malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)
            alloc::raw_vec::RawVec<T,A>::grow_one (/rustc/h/library/alloc/src/raw_vec/mod.rs:188)
            push<u64, alloc::alloc::Global> (/rustc/h/library/alloc/src/vec/mod.rs:992)";
        assert_eq!(reason(valgrind), (Reason::VecGrowth, "push".into()));
    }

    #[test]
    fn the_outermost_call_wins() {
        let format = "finish_grow (src/raw_vec/mod.rs:558:24)
            <alloc::string::String>::push_str (alloc/src/string.rs:1102:18)
            <alloc::string::String as core::fmt::Write>::write_str (alloc/src/string.rs:3345:14)
            core::fmt::write (src/fmt/mod.rs:0:0)
            alloc::fmt::format::format_inner (alloc/src/fmt.rs:654:14)
            map_or_else<&str, alloc::string::String, fn(&str) -> alloc::string::String> (core/src/option.rs:1278:21)
            format (alloc/src/fmt.rs:659:19)";
        assert_eq!(reason(format), (Reason::Format, "format".into()));
        let push_str = "reserve<u8, alloc::alloc::Global> (src/vec/mod.rs:1446:18)
            extend_from_slice<u8, alloc::alloc::Global> (src/vec/mod.rs:3500:14)
            push_str (alloc/src/string.rs:1102:18)";
        assert_eq!(reason(push_str).0, Reason::StringGrowth);
        // `write!` into a String: core's write_fmt is not recognised, the String's growth is.
        let write = "push_str (alloc/src/string.rs:1102:18)
            <alloc::string::String as core::fmt::Write>::write_str (alloc/src/string.rs:3345:14)
            core::fmt::write (src/fmt/mod.rs:0:0)
            write_fmt<alloc::string::String> (core/src/fmt/mod.rs:241:14)";
        assert_eq!(reason(write).0, Reason::StringGrowth);
    }

    #[test]
    fn maps_copies_and_boxes() {
        let map = "alloc (/rustc/h/library/alloc/src/alloc.rs:95)
            hashbrown::raw::RawTable<T,A>::reserve_rehash (/rust/deps/hashbrown-0.15.2/src/raw/mod.rs:1070)
            insert<&str, usize, std::hash::random::RandomState> (/rustc/h/library/std/src/collections/hash/map.rs:1203)";
        assert_eq!(reason(map).0, Reason::MapGrowth);
        assert_eq!(reason("to_vec<u8> (alloc/src/slice.rs:376:14)\n<str as alloc::borrow::ToOwned>::to_owned (alloc/src/str.rs:210:9)").0, Reason::ToOwned);
        assert_eq!(reason("to_vec<u8> (alloc/src/slice.rs:376:14)\nfrom (alloc/src/string.rs:2800:9)\n<T as core::convert::Into<U>>::into (core/src/convert/mod.rs:760:9)").0, Reason::ToOwned);
        assert_eq!(reason("to_vec<u8> (alloc/src/slice.rs:376:14)\n<alloc::string::String as core::clone::Clone>::clone (alloc/src/string.rs:2180:9)").0, Reason::Clone);
        assert_eq!(reason("<str as alloc::string::SpecToString>::spec_to_string (alloc/src/string.rs:2800:9)\n<T as alloc::string::ToString>::to_string (alloc/src/string.rs:2750:9)").0, Reason::ToString);
        assert_eq!(reason("alloc::alloc::exchange_malloc (alloc/src/alloc.rs:350:18)").0, Reason::Box);
        assert_eq!(
            reason("allocate (alloc/src/alloc.rs:429:14)\nnew<[u8; 64]> (alloc/src/rc.rs:400:9)").0,
            Reason::Box
        );
        // libc's clone(2) starts a thread: it is not `Clone::clone`.
        for thread_start in [
            "malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)\nstart_thread (pthread_create.c:442)\nclone (clone.S:100)",
            "malloc (in /lib/vgpreload.so)\nclone3 (in /usr/lib/x86_64-linux-gnu/libc.so.6)",
            "malloc (in /lib/vgpreload.so)\nclone (in /usr/lib/x86_64-linux-gnu/libc.so.6)",
        ] {
            assert_eq!(reason(thread_start).0, Reason::Other, "{thread_start}");
        }
        assert_eq!(
            reason("malloc (in /lib/vgpreload.so)\n<alloc::vec::Vec<u8> as core::clone::Clone>::clone (in /bin/app)").0,
            Reason::Clone
        );
        // Cloning an Rc allocates nothing; a clone frame in rc.rs is not a Clone.
        assert_eq!(reason("allocate (alloc/src/alloc.rs:429:14)\nclone (alloc/src/rc.rs:2000:9)").0, Reason::Other);
    }

    /// valgrind's `UnknownInlinedFun` (LTO): classified by its file only
    /// where the file holds one kind of allocating call.
    #[test]
    fn unnamed_inlined_frames_by_their_file() {
        let format = "malloc (in /lib/vgpreload.so)
            UnknownInlinedFun (/rustc/h/library/alloc/src/raw_vec/mod.rs:464)
            UnknownInlinedFun (/rustc/h/library/alloc/src/fmt.rs:654)";
        assert_eq!(reason(format).0, Reason::Format);
        let string = "malloc (in /lib/vgpreload.so)
            UnknownInlinedFun (/rustc/h/library/alloc/src/string.rs:2750)";
        assert_eq!(reason(string).0, Reason::Other);
    }

    /// `vec![byte]`: std's boxed array behind the macro is no `Box` of the
    /// user's.
    #[test]
    fn a_vec_literal_is_not_a_box() {
        let literal = "malloc (in /lib/vgpreload.so)
            alloc::alloc::Global::alloc_impl (/rustc/h/library/alloc/src/alloc.rs:190)
            alloc::boxed::box_new_uninit (/rustc/h/library/alloc/src/boxed.rs:248)
            new_uninit<[u8; 1]> (/rustc/h/library/alloc/src/boxed.rs:317)";
        assert_eq!(reason(literal), (Reason::Other, "new_uninit".into()));
        let boxed = "malloc (in /lib/vgpreload.so)
            alloc::boxed::box_new_uninit (/rustc/h/library/alloc/src/boxed.rs:248)
            new_uninit<u64> (/rustc/h/library/alloc/src/boxed.rs:317)";
        assert_eq!(reason(boxed).0, Reason::Box);
    }

    /// just's and hyperfine's `command.spawn()`: std copies the environment
    /// into a map and the arguments into vectors; the reason is the spawn.
    #[test]
    fn system_operations_are_their_own_reason() {
        let spawn = "malloc (in /lib/vgpreload.so)
            alloc::raw_vec::RawVec<T,A>::grow_one (/rustc/h/library/alloc/src/raw_vec/mod.rs:188)
            alloc::collections::btree::map::BTreeMap<K,V,A>::insert (/rustc/h/library/alloc/src/collections/btree/map.rs:990)
            std::sys::process::env::CommandEnv::capture (/rustc/h/library/std/src/sys/process/env.rs:40)
            std::process::Command::spawn (/rustc/h/library/std/src/process.rs:1000)";
        assert_eq!(reason(spawn), (Reason::Other, "spawn".into()));
        let thread = "malloc (in /lib/vgpreload.so)
            alloc::alloc::exchange_malloc (/rustc/h/library/alloc/src/alloc.rs:350)
            std::thread::Builder::spawn_unchecked (/rustc/h/library/std/src/thread/mod.rs:500)
            std::thread::spawn (/rustc/h/library/std/src/thread/mod.rs:700)";
        assert_eq!(reason(thread), (Reason::Other, "spawn".into()));
        // A call the user made around one still wins: `format!` over a path's display.
        let read = "malloc (in /lib/vgpreload.so)
            std::fs::read_to_string (/rustc/h/library/std/src/fs.rs:300)
            alloc::vec::Vec<T,A>::extend_desugared (/rustc/h/library/alloc/src/vec/mod.rs:3000)
            core::iter::Iterator::collect (/rustc/h/library/core/src/iter/traits/iterator.rs:2000)";
        assert_eq!(reason(read).0, Reason::Collect);
    }

    #[test]
    fn other_names_the_outermost_library_function() {
        let zeroed = "alloc (dhat-0.3.3/src/lib.rs:1176:9)
            allocate_zeroed (alloc/src/alloc.rs:435:14)
            with_capacity_zeroed_in<u8, alloc::alloc::Global> (src/raw_vec/mod.rs:221:20)
            from_elem<u8> (src/vec/mod.rs:3651:5)";
        assert_eq!(reason(zeroed), (Reason::Other, "from_elem".into()));
        assert_eq!(reason("malloc (in /lib/vgpreload.so)"), (Reason::Other, "???".into()));
    }

    #[test]
    fn rules_are_explained_by_what_they_declare_and_names_round_trip() {
        for meta in lint_core::rules::metas() {
            assert_eq!(explained_by(meta.name), meta.confirmed_by, "{}", meta.name);
        }
        assert_eq!(explained_by("no_such_rule"), []);
        for r in Reason::ALL {
            assert_eq!(Reason::from_name(r.name()), Some(r));
        }
    }
}
