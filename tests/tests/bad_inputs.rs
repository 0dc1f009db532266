//! Bad input files — configuration, baseline, heap profile — each give one
//! specific error naming the file (and the position where there is one),
//! exit status 2, and no findings: never a panic, never a silent default.

use std::path::{Path, PathBuf};

use memlint_tests::{ScratchDir, memlint_in};

/// A one-file crate in a fresh directory.
fn crate_dir(test: &str) -> ScratchDir {
    let dir = memlint_tests::scratch_dir(&format!("bad-{test}"));
    std::fs::create_dir_all(dir.join("src")).expect("create the crate");
    std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"bad\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")
        .expect("manifest");
    std::fs::write(dir.join("src/lib.rs"), "pub fn f() {}\n").expect("source");
    dir
}

/// Writes `bytes` to `file` in `dir`, runs memlint with `args`, and returns
/// its exit status and the error lines of its stderr.
fn run_with(dir: &Path, file: &str, bytes: &[u8], args: &[&str]) -> (i32, Vec<String>) {
    std::fs::write(dir.join(file), bytes).expect("write the bad input");
    let run = memlint_in(dir, &[&["--workspace", "--no-cache"][..], args].concat());
    let lines = run
        .stderr
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("error") || l.starts_with('×') || l.starts_with("╭─["))
        .map(str::to_owned)
        .collect();
    assert_eq!(run.stdout, "", "no findings are printed");
    (run.code, lines)
}

#[test]
fn a_bad_configuration_names_the_file_and_the_position() {
    let dir = crate_dir("config");
    let cases: [(&[u8], &[&str]); 8] = [
        (b"[rules", &["× invalid TOML: unclosed table, expected `]`", "╭─[memlint.toml:1:7]"]),
        (b"fail-on = 3", &["× expected `\"warn\"` or `\"deny\"`, found an integer", "╭─[memlint.toml:1:11]"]),
        (b"[rules]\nvec_box = \"loud\"", &["× `loud` is not a level", "╭─[memlint.toml:2:11]"]),
        (b"version = 99", &["× unknown key `version` in the memlint settings", "╭─[memlint.toml:1:1]"]),
        (b"max-file-size = \"10 parsecs\"", &["× `max-file-size` must be a positive size", "╭─[memlint.toml:1:17]"]),
        (
            b"\nmax-file-size = [1]",
            &["× expected a size (bytes, or a string such as `\"16 MiB\"`), found an array", "╭─[memlint.toml:2:17]"],
        ),
        (b"\x00\xff", &["× memlint.toml: is not UTF-8 (invalid byte at offset 1)"]),
        // A large file of noise: the first error, at once.
        (&b"x".repeat(5_000_000), &["× invalid TOML: key with no value, expected `=`", "╭─[memlint.toml:1:5000001]"]),
    ];
    for (bytes, expected) in cases {
        let (code, lines) = run_with(&dir, "memlint.toml", bytes, &[]);
        assert_eq!(code, 2);
        assert_eq!(&lines[..expected.len()], expected, "{}", String::from_utf8_lossy(&bytes[..bytes.len().min(40)]));
        assert_eq!(
            lines.last().map(String::as_str),
            Some("error: 1 error in the memlint configuration (memlint.toml)")
        );
    }
    // An empty configuration is a valid one: every default.
    std::fs::write(dir.join("memlint.toml"), "").expect("write");
    assert_eq!(memlint_in(&dir, &["--workspace", "--no-cache"]).code, 0);
}

#[test]
fn a_bad_baseline_names_the_file_and_what_is_wrong() {
    let dir = crate_dir("baseline");
    let prefix = "error: cannot read the baseline `base.json`: not a memlint baseline: ";
    let other_version =
        "error: cannot read the baseline `base.json`: version 2 is not supported (this memlint writes version 1)";
    let (code, lines) = run_with(&dir, "base.json", b"{\"version\": 2, \"files\": {}}", &["--baseline", "base.json"]);
    assert_eq!((code, lines), (2, vec![other_version.to_owned()]));
    let huge = b"[".repeat(5_000_000);
    let cases: [(&[u8], &str); 5] = [
        (b"", "EOF while parsing a value at line 1 column 0"),
        // 5 MB of nesting: refused at the first bracket, no deep recursion.
        (&huge, "invalid type: sequence, expected u32 at line 1 column 1"),
        (b"{\"version\": 1, \"files\": {", "EOF while parsing an object at line 1 column 25"),
        (
            b"{\"version\": 1, \"files\": {\"src/lib.rs\": {\"vec_box\": \"many\"}}}",
            "invalid type: string \"many\", expected a sequence at line 1 column 57",
        ),
        (b"[1, 2]", "invalid type: integer `2`, expected a map at line 1 column 5"),
    ];
    for (bytes, expected) in cases {
        let (code, lines) = run_with(&dir, "base.json", bytes, &["--baseline", "base.json"]);
        assert_eq!(code, 2);
        assert_eq!(lines, [format!("{prefix}{expected}")]);
    }
}

/// A complete, tiny DHAT profile (one allocation site).
const SMALL_PROFILE: &str = r#"{"dhatFileVersion":2,"mode":"rust-heap","verb":"Allocated","bklt":true,"bkacc":false,"tu":"µs","Mtu":"s","tuth":10,"cmd":"t","pid":1,"tg":10,"te":20,"pps":[{"tb":24,"tbk":1,"tl":3,"mb":24,"mbk":1,"gb":24,"gbk":1,"eb":0,"ebk":0,"fs":[1,2]}],"ftbl":["[root]","0x1: t::f (src/lib.rs:3:5)","0x2: main (src/main.rs:1:1)"]}"#;

#[test]
fn a_bad_heap_profile_names_the_file_and_what_is_wrong() {
    let dir = crate_dir("profile");
    let huge = b"[".repeat(5_000_000);
    let cases: [(&[u8], &str); 5] = [
        (b"", "error: `prof.json` is empty (the profiled program may have been killed before writing it)"),
        (
            b"{\"dhatFileVersion\": 2, \"pps\": [",
            "error: `prof.json` is not a valid DHAT profile: EOF while parsing a list at line 1, column 31",
        ),
        (
            b"{\"dhatFileVersion\": 2}",
            "error: `prof.json` is not a valid DHAT profile: missing field `pps` at line 1, column 22",
        ),
        (b"garbage", "error: `prof.json` is not a valid DHAT profile: expected value at line 1, column 1"),
        // 5 MB of nesting: refused at the first bracket.
        (
            &huge,
            "error: `prof.json` is not a valid DHAT profile: invalid type: sequence, expected u64 at line 1, column 1",
        ),
    ];
    let version_3 = SMALL_PROFILE.replace("\"dhatFileVersion\":2", "\"dhatFileVersion\":3");
    let (code, lines) = run_with(&dir, "prof.json", version_3.as_bytes(), &["--profile-file", "prof.json"]);
    let expected =
        "error: `prof.json` has dhatFileVersion 3; memlint reads version 2 (valgrind 3.15+ and dhat-rs 0.2+ write it)";
    assert_eq!((code, lines), (2, vec![expected.to_owned()]));
    for (bytes, expected) in cases {
        let (code, lines) = run_with(&dir, "prof.json", bytes, &["--profile-file", "prof.json"]);
        assert_eq!(code, 2);
        assert_eq!(lines, [expected.to_owned()]);
    }
}

/// The cache is memlint's own: a damaged entry is no reason to fail a run.
/// It is said (which file, what is wrong), the file is linted again and the
/// entry replaced.
#[test]
fn a_damaged_cache_entry_is_said_relinted_and_replaced() {
    let dir = crate_dir("cache");
    std::fs::write(
        dir.join("src/lib.rs"),
        "pub fn f(n: usize) -> Vec<usize> {\n    let mut v = Vec::new();\n    for i in 0..n {\n        v.push(i);\n    }\n    v\n}\n",
    )
    .expect("source");
    let cache_dir = dir.join("cache");
    let args = ["--workspace", "--cache-dir", "cache", "--output-format", "short"];
    let fresh = memlint_in(&dir, &args);
    assert_eq!(fresh.code, 1, "{}", fresh.stderr);
    let entry = walkdir_files(&cache_dir).pop().expect("one cache entry");
    let whole = std::fs::read(&entry).expect("entry");
    let header_end = whole.iter().position(|&b| b == b'\n').expect("a header line");
    let other_format = String::from_utf8_lossy(&whole).replacen("memlint-cache 1", "memlint-cache 2", 1);
    let cases: [(Vec<u8>, &str); 5] = [
        (Vec::new(), "no header line"),
        (whole[..header_end + 10].to_vec(), "content where the header says"),
        (other_format.into_bytes(), "not an entry of this cache format"),
        ([&whole[..], b"trailing"].concat(), "content where the header says"),
        (b"x".repeat(5_000_000), "no header line"),
    ];
    for (damaged, reason) in cases {
        std::fs::write(&entry, &damaged).expect("damage the entry");
        let run = memlint_in(&dir, &args);
        assert_eq!((run.code, &run.stdout), (1, &fresh.stdout), "the same findings: {}", run.stderr);
        let warning = "warning: memlint's cache entry for `src/lib.rs` was damaged (";
        let said: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with(warning)).collect();
        assert_eq!(said.len(), 1, "{}", run.stderr);
        assert!(said[0].contains(reason), "{}", said[0]);
        assert!(said[0].ends_with("); the file was linted again and the entry rewritten"), "{}", said[0]);
        assert_eq!(std::fs::read(&entry).expect("entry"), whole, "the entry is rewritten whole");
        let again = memlint_in(&dir, &args);
        assert!(!again.stderr.contains("cache entry"), "replaced: {}", again.stderr);
    }
}

/// Every file under `dir`.
fn walkdir_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            if entry.path().is_dir() { dirs.push(entry.path()) } else { files.push(entry.path()) }
        }
    }
    files
}
