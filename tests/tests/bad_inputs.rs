//! Bad input files — configuration, baseline, heap profile — each give one
//! specific error naming the file (and the position where there is one),
//! exit status 2, and no findings: never a panic, never a silent default.

use std::path::{Path, PathBuf};

use memlint_tests::memlint_in;

/// A one-file crate in a fresh directory.
fn crate_dir(test: &str) -> PathBuf {
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
    let cases: [(&[u8], &[&str]); 6] = [
        (b"[rules", &["× invalid TOML: unclosed table, expected `]`", "╭─[memlint.toml:1:7]"]),
        (b"fail-on = 3", &["× expected `\"warn\"` or `\"deny\"`, found an integer", "╭─[memlint.toml:1:11]"]),
        (b"[rules]\nvec_box = \"loud\"", &["× `loud` is not a level", "╭─[memlint.toml:2:11]"]),
        (b"version = 99", &["× unknown key `version` in the memlint settings", "╭─[memlint.toml:1:1]"]),
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
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_baseline_names_the_file_and_what_is_wrong() {
    let dir = crate_dir("baseline");
    let prefix = "error: cannot read the baseline `base.json`: not a memlint baseline: ";
    let other_version =
        "error: cannot read the baseline `base.json`: version 2 is not supported (this memlint writes version 1)";
    let (code, lines) = run_with(&dir, "base.json", b"{\"version\": 2, \"files\": {}}", &["--baseline", "base.json"]);
    assert_eq!((code, lines), (2, vec![other_version.to_owned()]));
    let cases: [(&[u8], &str); 4] = [
        (b"", "EOF while parsing a value at line 1 column 0"),
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
    let _ = std::fs::remove_dir_all(&dir);
}

/// A complete, tiny DHAT profile (one allocation site).
const SMALL_PROFILE: &str = r#"{"dhatFileVersion":2,"mode":"rust-heap","verb":"Allocated","bklt":true,"bkacc":false,"tu":"µs","Mtu":"s","tuth":10,"cmd":"t","pid":1,"tg":10,"te":20,"pps":[{"tb":24,"tbk":1,"tl":3,"mb":24,"mbk":1,"gb":24,"gbk":1,"eb":0,"ebk":0,"fs":[1,2]}],"ftbl":["[root]","0x1: t::f (src/lib.rs:3:5)","0x2: main (src/main.rs:1:1)"]}"#;

#[test]
fn a_bad_heap_profile_names_the_file_and_what_is_wrong() {
    let dir = crate_dir("profile");
    let cases: [(&[u8], &str); 4] = [
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
    let _ = std::fs::remove_dir_all(&dir);
}
