//! The standard-library facts memlint's semantic model knows: one function
//! per fact, each a real call with the real types, so that rustc checks the
//! whole table (`cargo test -p lint-core std_facts_compile`). This file is
//! data, not a module: `semantic::std_table` reads it with syn.
//!
//! How an entry reads:
//! - `fn _(recv: R, args..) -> T { recv.method(args..) }`: the method
//!   `method` with receiver `R` returns `T`. A by-value `R` applies to an
//!   owned receiver only; `&R` also to one reached by auto-deref.
//! - `fn _(args..) -> T { Type::f(args..) }` and `{ module::f(args..) }`:
//!   an associated or free function.
//! - `impl Iterator<Item = X>` stands for any iterator over `X`.
//! - A parameter whose type is a generic `P: AsRef<..>` only borrows what it
//!   is given: an owned copy passed there is never needed.
//! - Type parameters (`T`, `K`, `V`, `U`) are bound from the receiver.
//!   Only the names matter; bounds other than `AsRef` are for rustc.
//!
//! Only methods whose result type does not depend on the argument types
//! belong here (`[T]::get` does: an index or a range).

#![allow(dead_code, clippy::all)]

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::ffi::{CStr, CString, OsStr, OsString};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::Arc;

// ----- String ------------------------------------------------------------
fn string_new() -> String { String::new() }
fn string_with_capacity(n: usize) -> String { String::with_capacity(n) }
fn string_from(s: &str) -> String { String::from(s) }
fn string_from_utf8_lossy(b: &[u8]) -> Cow<'_, str> { String::from_utf8_lossy(b) }
fn string_clone(recv: &String) -> String { recv.clone() }
fn string_as_str(recv: &String) -> &str { recv.as_str() }
fn string_into_bytes(recv: String) -> Vec<u8> { recv.into_bytes() }
fn string_into_boxed_str(recv: String) -> Box<str> { recv.into_boxed_str() }
fn string_capacity(recv: &String) -> usize { recv.capacity() }
fn string_push_str(recv: &mut String, s: &str) -> () { recv.push_str(s) }
fn string_push(recv: &mut String, c: char) -> () { recv.push(c) }
fn string_pop(recv: &mut String) -> Option<char> { recv.pop() }

// ----- str ---------------------------------------------------------------
fn str_to_string(recv: &str) -> String { recv.to_string() }
fn str_to_owned(recv: &str) -> String { recv.to_owned() }
fn str_to_lowercase(recv: &str) -> String { recv.to_lowercase() }
fn str_to_uppercase(recv: &str) -> String { recv.to_uppercase() }
fn str_to_ascii_lowercase(recv: &str) -> String { recv.to_ascii_lowercase() }
fn str_to_ascii_uppercase(recv: &str) -> String { recv.to_ascii_uppercase() }
fn str_replace(recv: &str, from: &str, to: &str) -> String { recv.replace(from, to) }
fn str_replacen(recv: &str, from: &str, to: &str, n: usize) -> String { recv.replacen(from, to, n) }
fn str_repeat(recv: &str, n: usize) -> String { recv.repeat(n) }
fn str_trim(recv: &str) -> &str { recv.trim() }
fn str_trim_start(recv: &str) -> &str { recv.trim_start() }
fn str_trim_end(recv: &str) -> &str { recv.trim_end() }
fn str_as_bytes(recv: &str) -> &[u8] { recv.as_bytes() }
fn str_len(recv: &str) -> usize { recv.len() }
fn str_is_empty(recv: &str) -> bool { recv.is_empty() }
fn str_chars(recv: &str) -> impl Iterator<Item = char> + '_ { recv.chars() }
fn str_char_indices(recv: &str) -> impl Iterator<Item = (usize, char)> + '_ { recv.char_indices() }
fn str_bytes(recv: &str) -> impl Iterator<Item = u8> + '_ { recv.bytes() }
fn str_lines(recv: &str) -> impl Iterator<Item = &str> + '_ { recv.lines() }
fn str_split_whitespace(recv: &str) -> impl Iterator<Item = &str> + '_ { recv.split_whitespace() }
fn str_split<'a>(recv: &'a str, pat: &'a str) -> impl Iterator<Item = &'a str> + 'a { recv.split(pat) }
fn str_splitn<'a>(recv: &'a str, n: usize, pat: &'a str) -> impl Iterator<Item = &'a str> + 'a { recv.splitn(n, pat) }
fn str_rsplit<'a>(recv: &'a str, pat: &'a str) -> impl Iterator<Item = &'a str> + 'a { recv.rsplit(pat) }
fn str_split_terminator<'a>(recv: &'a str, pat: &'a str) -> impl Iterator<Item = &'a str> + 'a { recv.split_terminator(pat) }
fn str_starts_with(recv: &str, pat: &str) -> bool { recv.starts_with(pat) }
fn str_ends_with(recv: &str, pat: &str) -> bool { recv.ends_with(pat) }
fn str_contains(recv: &str, pat: &str) -> bool { recv.contains(pat) }
fn str_find(recv: &str, pat: &str) -> Option<usize> { recv.find(pat) }
fn str_strip_prefix<'a>(recv: &'a str, pat: &str) -> Option<&'a str> { recv.strip_prefix(pat) }
fn str_strip_suffix<'a>(recv: &'a str, pat: &str) -> Option<&'a str> { recv.strip_suffix(pat) }
fn str_split_once<'a>(recv: &'a str, pat: &str) -> Option<(&'a str, &'a str)> { recv.split_once(pat) }
fn str_into_string(recv: Box<str>) -> String { recv.into_string() }

// ----- char and integers -------------------------------------------------
fn char_to_string(recv: &char) -> String { recv.to_string() }
fn char_len_utf8(recv: char) -> usize { recv.len_utf8() }
fn char_to_ascii_lowercase(recv: &char) -> char { recv.to_ascii_lowercase() }
fn char_to_ascii_uppercase(recv: &char) -> char { recv.to_ascii_uppercase() }
fn char_is_alphanumeric(recv: char) -> bool { recv.is_alphanumeric() }
fn char_is_whitespace(recv: char) -> bool { recv.is_whitespace() }
fn usize_to_string(recv: &usize) -> String { recv.to_string() }
fn u32_to_string(recv: &u32) -> String { recv.to_string() }
fn i32_to_string(recv: &i32) -> String { recv.to_string() }
fn u64_to_string(recv: &u64) -> String { recv.to_string() }
fn i64_to_string(recv: &i64) -> String { recv.to_string() }

// ----- Vec and slices ----------------------------------------------------
fn vec_new<T>() -> Vec<T> { Vec::new() }
fn vec_with_capacity<T>(n: usize) -> Vec<T> { Vec::with_capacity(n) }
fn vec_clone<T: Clone>(recv: &Vec<T>) -> Vec<T> { recv.clone() }
fn vec_into_iter<T>(recv: Vec<T>) -> impl Iterator<Item = T> { recv.into_iter() }
fn vec_ref_into_iter<T>(recv: &Vec<T>) -> impl Iterator<Item = &T> + '_ { recv.into_iter() }
fn vec_pop<T>(recv: &mut Vec<T>) -> Option<T> { recv.pop() }
fn vec_remove<T>(recv: &mut Vec<T>, i: usize) -> T { recv.remove(i) }
fn vec_swap_remove<T>(recv: &mut Vec<T>, i: usize) -> T { recv.swap_remove(i) }
fn vec_as_slice<T>(recv: &Vec<T>) -> &[T] { recv.as_slice() }
fn vec_capacity<T>(recv: &Vec<T>) -> usize { recv.capacity() }
fn vec_push<T>(recv: &mut Vec<T>, x: T) -> () { recv.push(x) }
fn vec_into_boxed_slice<T>(recv: Vec<T>) -> Box<[T]> { recv.into_boxed_slice() }
fn slice_to_vec<T: Clone>(recv: &[T]) -> Vec<T> { recv.to_vec() }
fn slice_to_owned<T: Clone>(recv: &[T]) -> Vec<T> { recv.to_owned() }
fn slice_into_vec<T>(recv: Box<[T]>) -> Vec<T> { recv.into_vec() }
fn slice_iter<T>(recv: &[T]) -> impl Iterator<Item = &T> + '_ { recv.iter() }
fn slice_iter_mut<T>(recv: &mut [T]) -> impl Iterator<Item = &mut T> + '_ { recv.iter_mut() }
fn slice_len<T>(recv: &[T]) -> usize { recv.len() }
fn slice_is_empty<T>(recv: &[T]) -> bool { recv.is_empty() }
fn slice_first<T>(recv: &[T]) -> Option<&T> { recv.first() }
fn slice_last<T>(recv: &[T]) -> Option<&T> { recv.last() }
fn slice_contains<T: PartialEq>(recv: &[T], x: &T) -> bool { recv.contains(x) }
fn slice_windows<T>(recv: &[T], n: usize) -> impl Iterator<Item = &[T]> + '_ { recv.windows(n) }
fn slice_chunks<T>(recv: &[T], n: usize) -> impl Iterator<Item = &[T]> + '_ { recv.chunks(n) }
fn slice_join_str(recv: &[String], sep: &str) -> String { recv.join(sep) }
fn slice_join_str_refs(recv: &[&str], sep: &str) -> String { recv.join(sep) }
fn slice_concat_str(recv: &[String]) -> String { recv.concat() }
fn u8_slice_to_ascii_lowercase(recv: &[u8]) -> Vec<u8> { recv.to_ascii_lowercase() }

// ----- other collections -------------------------------------------------
fn vecdeque_new<T>() -> VecDeque<T> { VecDeque::new() }
fn vecdeque_clone<T: Clone>(recv: &VecDeque<T>) -> VecDeque<T> { recv.clone() }
fn vecdeque_iter<T>(recv: &VecDeque<T>) -> impl Iterator<Item = &T> + '_ { recv.iter() }
fn vecdeque_len<T>(recv: &VecDeque<T>) -> usize { recv.len() }
fn vecdeque_pop_front<T>(recv: &mut VecDeque<T>) -> Option<T> { recv.pop_front() }
fn hashmap_new<K, V>() -> HashMap<K, V> { HashMap::new() }
fn hashmap_with_capacity<K, V>(n: usize) -> HashMap<K, V> { HashMap::with_capacity(n) }
fn hashmap_clone<K: Clone, V: Clone>(recv: &HashMap<K, V>) -> HashMap<K, V> { recv.clone() }
fn hashmap_iter<K, V>(recv: &HashMap<K, V>) -> impl Iterator<Item = (&K, &V)> + '_ { recv.iter() }
fn hashmap_keys<K, V>(recv: &HashMap<K, V>) -> impl Iterator<Item = &K> + '_ { recv.keys() }
fn hashmap_values<K, V>(recv: &HashMap<K, V>) -> impl Iterator<Item = &V> + '_ { recv.values() }
fn hashmap_into_keys<K, V>(recv: HashMap<K, V>) -> impl Iterator<Item = K> { recv.into_keys() }
fn hashmap_into_values<K, V>(recv: HashMap<K, V>) -> impl Iterator<Item = V> { recv.into_values() }
fn hashmap_len<K, V>(recv: &HashMap<K, V>) -> usize { recv.len() }
fn hashmap_get<'a, K: Hash + Eq, V>(recv: &'a HashMap<K, V>, k: &K) -> Option<&'a V> { recv.get(k) }
fn hashmap_contains_key<K: Hash + Eq, V>(recv: &HashMap<K, V>, k: &K) -> bool { recv.contains_key(k) }
fn hashset_new<T>() -> HashSet<T> { HashSet::new() }
fn hashset_with_capacity<T>(n: usize) -> HashSet<T> { HashSet::with_capacity(n) }
fn hashset_clone<T: Clone>(recv: &HashSet<T>) -> HashSet<T> { recv.clone() }
fn hashset_iter<T>(recv: &HashSet<T>) -> impl Iterator<Item = &T> + '_ { recv.iter() }
fn hashset_len<T>(recv: &HashSet<T>) -> usize { recv.len() }
fn btreemap_new<K, V>() -> BTreeMap<K, V> { BTreeMap::new() }
fn btreemap_clone<K: Clone, V: Clone>(recv: &BTreeMap<K, V>) -> BTreeMap<K, V> { recv.clone() }
fn btreemap_iter<K, V>(recv: &BTreeMap<K, V>) -> impl Iterator<Item = (&K, &V)> + '_ { recv.iter() }
fn btreemap_keys<K, V>(recv: &BTreeMap<K, V>) -> impl Iterator<Item = &K> + '_ { recv.keys() }
fn btreemap_values<K, V>(recv: &BTreeMap<K, V>) -> impl Iterator<Item = &V> + '_ { recv.values() }
fn btreemap_len<K, V>(recv: &BTreeMap<K, V>) -> usize { recv.len() }
fn btreemap_get<'a, K: Ord, V>(recv: &'a BTreeMap<K, V>, k: &K) -> Option<&'a V> { recv.get(k) }
fn btreeset_new<T>() -> BTreeSet<T> { BTreeSet::new() }
fn btreeset_clone<T: Clone>(recv: &BTreeSet<T>) -> BTreeSet<T> { recv.clone() }
fn btreeset_iter<T>(recv: &BTreeSet<T>) -> impl Iterator<Item = &T> + '_ { recv.iter() }

// ----- Box, Rc, Arc, Option, Result --------------------------------------
fn box_new<T>(x: T) -> Box<T> { Box::new(x) }
fn rc_new<T>(x: T) -> Rc<T> { Rc::new(x) }
fn arc_new<T>(x: T) -> Arc<T> { Arc::new(x) }
fn option_unwrap<T>(recv: Option<T>) -> T { recv.unwrap() }
fn option_expect<T>(recv: Option<T>, m: &str) -> T { recv.expect(m) }
fn option_unwrap_or_default<T: Default>(recv: Option<T>) -> T { recv.unwrap_or_default() }
fn option_unwrap_or<T>(recv: Option<T>, x: T) -> T { recv.unwrap_or(x) }
fn option_as_ref<T>(recv: &Option<T>) -> Option<&T> { recv.as_ref() }
fn option_is_some<T>(recv: &Option<T>) -> bool { recv.is_some() }
fn option_is_none<T>(recv: &Option<T>) -> bool { recv.is_none() }
fn option_take<T>(recv: &mut Option<T>) -> Option<T> { recv.take() }
fn option_cloned<T: Clone>(recv: Option<&T>) -> Option<T> { recv.cloned() }
fn result_unwrap<T, E: std::fmt::Debug>(recv: Result<T, E>) -> T { recv.unwrap() }
fn result_expect<T, E: std::fmt::Debug>(recv: Result<T, E>, m: &str) -> T { recv.expect(m) }
fn result_unwrap_or_default<T: Default, E>(recv: Result<T, E>) -> T { recv.unwrap_or_default() }
fn result_ok<T, E>(recv: Result<T, E>) -> Option<T> { recv.ok() }
fn result_is_ok<T, E>(recv: &Result<T, E>) -> bool { recv.is_ok() }

// ----- iterators ---------------------------------------------------------
fn iter_enumerate<T>(recv: impl Iterator<Item = T>) -> impl Iterator<Item = (usize, T)> { recv.enumerate() }
fn iter_rev<T>(recv: impl DoubleEndedIterator<Item = T>) -> impl Iterator<Item = T> { recv.rev() }
fn iter_skip<T>(recv: impl Iterator<Item = T>, n: usize) -> impl Iterator<Item = T> { recv.skip(n) }
fn iter_take<T>(recv: impl Iterator<Item = T>, n: usize) -> impl Iterator<Item = T> { recv.take(n) }
fn iter_step_by<T>(recv: impl Iterator<Item = T>, n: usize) -> impl Iterator<Item = T> { recv.step_by(n) }
fn iter_peekable<T>(recv: impl Iterator<Item = T>) -> impl Iterator<Item = T> { recv.peekable() }
fn iter_filter<T>(recv: impl Iterator<Item = T>, f: fn(&T) -> bool) -> impl Iterator<Item = T> { recv.filter(f) }
fn iter_chain<T>(recv: impl Iterator<Item = T>, other: std::vec::IntoIter<T>) -> impl Iterator<Item = T> { recv.chain(other) }
fn iter_cloned<'a, T: Clone + 'a>(recv: impl Iterator<Item = &'a T>) -> impl Iterator<Item = T> { recv.cloned() }
fn iter_copied<'a, T: Copy + 'a>(recv: impl Iterator<Item = &'a T>) -> impl Iterator<Item = T> { recv.copied() }
fn iter_next<T>(mut recv: impl Iterator<Item = T>) -> Option<T> { recv.next() }
fn iter_last<T>(recv: impl Iterator<Item = T>) -> Option<T> { recv.last() }
fn iter_nth<T>(mut recv: impl Iterator<Item = T>, n: usize) -> Option<T> { recv.nth(n) }
fn iter_count<T>(recv: impl Iterator<Item = T>) -> usize { recv.count() }

// ----- paths and OS strings ----------------------------------------------
fn path_new<S: AsRef<OsStr> + ?Sized>(s: &S) -> &Path { Path::new(s) }
fn path_to_path_buf(recv: &Path) -> PathBuf { recv.to_path_buf() }
fn path_join<P: AsRef<Path>>(recv: &Path, p: P) -> PathBuf { recv.join(p) }
fn path_with_extension<S: AsRef<OsStr>>(recv: &Path, s: S) -> PathBuf { recv.with_extension(s) }
fn path_starts_with<P: AsRef<Path>>(recv: &Path, p: P) -> bool { recv.starts_with(p) }
fn path_to_str(recv: &Path) -> Option<&str> { recv.to_str() }
fn path_to_string_lossy(recv: &Path) -> Cow<'_, str> { recv.to_string_lossy() }
fn path_file_name(recv: &Path) -> Option<&OsStr> { recv.file_name() }
fn path_extension(recv: &Path) -> Option<&OsStr> { recv.extension() }
fn path_parent(recv: &Path) -> Option<&Path> { recv.parent() }
fn path_exists(recv: &Path) -> bool { recv.exists() }
fn path_is_dir(recv: &Path) -> bool { recv.is_dir() }
fn pathbuf_new() -> PathBuf { PathBuf::new() }
fn pathbuf_from(s: String) -> PathBuf { PathBuf::from(s) }
fn pathbuf_clone(recv: &PathBuf) -> PathBuf { recv.clone() }
fn pathbuf_as_path(recv: &PathBuf) -> &Path { recv.as_path() }
fn pathbuf_push<P: AsRef<Path>>(recv: &mut PathBuf, p: P) -> () { recv.push(p) }
fn osstr_new<S: AsRef<OsStr> + ?Sized>(s: &S) -> &OsStr { OsStr::new(s) }
fn osstr_to_owned(recv: &OsStr) -> OsString { recv.to_owned() }
fn path_to_owned(recv: &Path) -> PathBuf { recv.to_owned() }
fn cstr_from_bytes_with_nul(b: &[u8]) -> Result<&CStr, std::ffi::FromBytesWithNulError> { CStr::from_bytes_with_nul(b) }
fn cstr_to_owned(recv: &CStr) -> CString { recv.to_owned() }
fn cstring_clone(recv: &CString) -> CString { recv.clone() }
fn osstr_to_str(recv: &OsStr) -> Option<&str> { recv.to_str() }
fn osstr_to_string_lossy(recv: &OsStr) -> Cow<'_, str> { recv.to_string_lossy() }
fn osstr_to_os_string(recv: &OsStr) -> OsString { recv.to_os_string() }
fn osstring_from(s: &str) -> OsString { OsString::from(s) }
fn cstring_from_vec_with_nul(v: Vec<u8>) -> Result<CString, std::ffi::FromVecWithNulError> { CString::from_vec_with_nul(v) }
fn osstring_clone(recv: &OsString) -> OsString { recv.clone() }
fn osstring_into_string(recv: OsString) -> Result<String, OsString> { recv.into_string() }
fn cow_into_owned(recv: Cow<'_, str>) -> String { recv.into_owned() }

// ----- functions that only borrow what they are given ---------------------
fn fs_read_to_string<P: AsRef<Path>>(p: P) -> std::io::Result<String> { std::fs::read_to_string(p) }
fn fs_read<P: AsRef<Path>>(p: P) -> std::io::Result<Vec<u8>> { std::fs::read(p) }
fn fs_write<P: AsRef<Path>, C: AsRef<[u8]>>(p: P, c: C) -> std::io::Result<()> { std::fs::write(p, c) }
fn fs_create_dir_all<P: AsRef<Path>>(p: P) -> std::io::Result<()> { std::fs::create_dir_all(p) }
fn fs_create_dir<P: AsRef<Path>>(p: P) -> std::io::Result<()> { std::fs::create_dir(p) }
fn fs_remove_file<P: AsRef<Path>>(p: P) -> std::io::Result<()> { std::fs::remove_file(p) }
fn fs_remove_dir_all<P: AsRef<Path>>(p: P) -> std::io::Result<()> { std::fs::remove_dir_all(p) }
fn fs_metadata<P: AsRef<Path>>(p: P) -> std::io::Result<std::fs::Metadata> { std::fs::metadata(p) }
fn fs_canonicalize<P: AsRef<Path>>(p: P) -> std::io::Result<PathBuf> { std::fs::canonicalize(p) }
fn fs_copy<P: AsRef<Path>, Q: AsRef<Path>>(p: P, q: Q) -> std::io::Result<u64> { std::fs::copy(p, q) }
fn fs_rename<P: AsRef<Path>, Q: AsRef<Path>>(p: P, q: Q) -> std::io::Result<()> { std::fs::rename(p, q) }
fn fs_read_dir<P: AsRef<Path>>(p: P) -> std::io::Result<std::fs::ReadDir> { std::fs::read_dir(p) }
fn file_open<P: AsRef<Path>>(p: P) -> std::io::Result<std::fs::File> { std::fs::File::open(p) }
fn file_create<P: AsRef<Path>>(p: P) -> std::io::Result<std::fs::File> { std::fs::File::create(p) }
fn env_var<K: AsRef<OsStr>>(k: K) -> Result<String, std::env::VarError> { std::env::var(k) }
fn env_var_os<K: AsRef<OsStr>>(k: K) -> Option<OsString> { std::env::var_os(k) }
fn command_new<S: AsRef<OsStr>>(s: S) -> Command { Command::new(s) }
fn command_arg<S: AsRef<OsStr>>(recv: &mut Command, s: S) -> &mut Command { recv.arg(s) }
fn command_current_dir<P: AsRef<Path>>(recv: &mut Command, p: P) -> &mut Command { recv.current_dir(p) }
fn command_env<K: AsRef<OsStr>, V: AsRef<OsStr>>(recv: &mut Command, k: K, v: V) -> &mut Command { recv.env(k, v) }
