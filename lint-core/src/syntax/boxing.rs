//! What the boxing rules (`box_collection`, `vec_box`, `needless_box`)
//! share that syntax alone tells: the standard collections' inline sizes,
//! the size above which boxing is deliberate, and whether a file works with
//! addresses. What needs the walk's context is [`crate::analysis::boxing`].

/// Values bigger than this are often boxed on purpose, to keep moves cheap
/// and the stack small (clippy's `vec_box` uses the same limit).
pub const LARGE_VALUE_BYTES: u64 = 4096;

/// Signs in a file that a box's pointer itself matters: raw pointers (a
/// `Box<Vec<T>>` is a thin pointer to hand to C; boxes keep values at stable
/// addresses while a vector of them reallocates) and pinning.
const ADDRESS_USES: &[&str] = &["*const", "*mut", "into_raw", "from_raw", "Pin<"];

/// Whether the file works with raw pointers or pinning (see [`ADDRESS_USES`]).
pub fn uses_addresses(text: &str) -> bool {
    ADDRESS_USES.iter().any(|a| text.contains(a))
}

/// Standard types that own a heap buffer, with the size of the header they
/// keep inline on a 64-bit target: pointer, capacity and length for the
/// vector-like ones, plus the hasher state for `HashMap`/`HashSet`, head
/// index for `VecDeque`, root and length for the B-trees.
const HEAP_HEADERS: &[(&str, u64)] = &[
    ("BTreeMap", 24),
    ("BTreeSet", 24),
    ("BinaryHeap", 24),
    ("HashMap", 48),
    ("HashSet", 48),
    ("OsString", 24),
    ("PathBuf", 24),
    ("String", 24),
    ("Vec", 24),
    ("VecDeque", 32),
];

/// The names of [`HEAP_HEADERS`].
pub fn heap_collection_names() -> impl Iterator<Item = &'static str> {
    HEAP_HEADERS.iter().map(|&(name, _)| name)
}

/// The inline size of a standard heap-owning collection named `name`.
pub fn heap_header_size(name: &str) -> Option<u64> {
    HEAP_HEADERS.iter().find(|(n, _)| *n == name).map(|&(_, size)| size)
}
