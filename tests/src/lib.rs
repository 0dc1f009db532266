//! Helpers for memlint's end-to-end tests: build the real `cargo-memlint`
//! binary once, run it on fixture crates, and capture what it prints.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the repository")
}

/// A fixture crate or file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// The `cargo` that runs the tests.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// The workspace's target directory (as `cargo metadata` reports it:
/// `CARGO_TARGET_DIR` and cargo's configuration are honoured). Every build
/// the tests make goes there, so that dependencies are built once.
pub fn target_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let output = Command::new(cargo())
            .args(["metadata", "--format-version", "1", "--no-deps", "--offline", "--manifest-path"])
            .arg(repo_root().join("Cargo.toml"))
            .output()
            .expect("cargo runs");
        assert!(output.status.success(), "cargo metadata failed:\n{}", String::from_utf8_lossy(&output.stderr));
        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
        PathBuf::from(metadata["target_directory"].as_str().expect("a target directory"))
    })
}

/// The `cargo-memlint` binary, built (or brought up to date) on first use.
///
/// It is built in the workspace's target directory, with the features the
/// test build resolved: `--workspace` and `--examples` (the workspace has
/// none; asking for them makes cargo resolve features with the
/// dev-dependencies, as `cargo test --workspace` does) make every
/// dependency the very build the tests already made, so only the binary is
/// compiled. (`-p cargo-memlint` alone resolves features otherwise and
/// compiles some thirty dependencies again.) cargo keeps the artifacts of
/// both feature sets side by side, so other selections (`cargo test -p
/// memlint-tests`) cost one extra build of the differing dependencies, once.
pub fn memlint_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let mut command = Command::new(cargo());
        command
            .args(["build", "--workspace", "--examples", "--bin", "cargo-memlint", "--message-format=json"])
            .arg("--manifest-path")
            .arg(repo_root().join("Cargo.toml"))
            .arg("--target-dir")
            .arg(target_dir());
        built_executable(command, "cargo-memlint")
    })
}

/// Runs a `cargo build --message-format=json` and returns the executable
/// it built for the target `name`.
pub fn built_executable(command: Command, name: &str) -> PathBuf {
    built_artifacts(command, name)
        .into_iter()
        .find_map(|artifact| artifact["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo built no executable named `{name}`"))
}

/// Runs a `cargo build --message-format=json` and returns the artifact
/// messages of the target `name`.
pub fn built_artifacts(mut command: Command, name: &str) -> Vec<serde_json::Value> {
    let output = command.output().expect("cargo runs");
    assert!(output.status.success(), "building `{name}` failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
        .collect()
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`-1` if killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Standard output parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }
}

/// Runs `cargo-memlint memlint ARGS` (as cargo would) in `dir`.
///
/// memlint keeps its cache in the target directory of the crate it lints:
/// for the crates of this repository (the fixtures, the demo, the
/// repository itself) that is inside the source tree, where nothing should
/// pile up. Those runs get a cache of their own, removed when the run ends,
/// unless `args` say where the cache goes (`--no-cache`, `--cache-dir`).
/// Runs on copies keep the default: it is removed with the copy.
pub fn memlint_in(dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(memlint_bin());
    command.arg("memlint").args(args).current_dir(dir).env_remove("CARGO_TERM_COLOR").env("NO_COLOR", "1");
    // The cache goes to the linted crate's target directory, which cargo
    // takes from CARGO_TARGET_DIR when the test run itself was given one:
    // every scratch crate would share it, and tests that look for their
    // cache (or its absence) in their own crate would fail.
    command.env_remove("CARGO_TARGET_DIR");
    let _cache = lints_the_source_tree(dir, args).then(|| {
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let cache = scratch_dir(&format!("cache-run-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
        command.env("MEMLINT_CACHE_DIR", cache.path());
        cache
    });
    run(command)
}

/// Whether a run in `dir` with `args` would keep its cache under this
/// repository: it lints a crate of the repository (the manifest given, else
/// the one around `dir`) and doesn't say where the cache goes.
fn lints_the_source_tree(dir: &Path, args: &[&str]) -> bool {
    if args.iter().any(|a| *a == "--no-cache" || *a == "--cache-dir" || a.starts_with("--cache-dir=")) {
        return false;
    }
    let manifest = args
        .windows(2)
        .find(|w| w[0] == "--manifest-path")
        .map(|w| w[1])
        .or_else(|| args.iter().find_map(|a| a.strip_prefix("--manifest-path=")));
    let linted = manifest.map_or_else(|| dir.to_path_buf(), |m| dir.join(m));
    // Copies live in scratch directories outside the repository; the
    // repository itself may well be under the temporary directory (a CI
    // clone in /tmp), so that says nothing.
    linted.starts_with(repo_root())
}

/// Runs `cargo-memlint memlint ARGS` in the repository root.
pub fn memlint(args: &[&str]) -> Run {
    memlint_in(repo_root(), args)
}

/// Runs a prepared command and captures its output.
pub fn run(mut command: Command) -> Run {
    let output = command.output().expect("the command runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `(file, line, rule)` of every finding of a JSON report.
pub fn findings(report: &serde_json::Value) -> Vec<(String, u64, String)> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
                f["rule"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// How many rules run by default (the count summary lines show).
pub fn default_rules() -> usize {
    lint_core::rules::metas().filter(|m| m.default_level != lint_core::Level::Allow).count()
}

/// Replaces the elapsed time (`in 0.03s`) and the number of rules, when it
/// is the default one (`(12 rules)`), of summary lines so output can be
/// pinned while rules are added.
pub fn redact_summary(text: &str) -> String {
    let rules = format!("({} rules on)", default_rules());
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let redacted;
        let line = if line.starts_with("memlint: ") {
            redacted = line.replace(&rules, "([DEFAULT] rules on)");
            redacted.as_str()
        } else {
            line
        };
        if let (true, Some(i)) = (line.starts_with("memlint: "), line.rfind(" in ")) {
            let after = &line[i + 4..];
            let seconds = after.find('s').unwrap_or(0);
            if seconds > 0 && after[..seconds].chars().all(|c| c.is_ascii_digit() || c == '.') {
                out.push_str(&line[..i]);
                out.push_str(" in [ELAPSED]");
                out.push_str(&after[seconds + 1..]);
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

/// A temporary directory that is removed when it is dropped: at the end of
/// the test that made it, and also when that test fails (the guard is
/// dropped while the panic unwinds), so no run of the tests leaves
/// directories behind in the system's temporary directory. It derefs to its
/// [`Path`].
#[derive(Debug)]
#[must_use = "the directory is removed when the guard is dropped"]
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    /// A fresh, empty directory at `path` (its parents are created), removed
    /// when the guard is dropped.
    pub fn at(path: PathBuf) -> ScratchDir {
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a scratch directory");
        ScratchDir(path)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl std::ops::Deref for ScratchDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for ScratchDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if std::fs::remove_dir_all(&self.0).is_err() {
            // A test that took the permissions of a directory away (to see
            // memlint list it as unreadable) failed before giving them back.
            make_removable(&self.0);
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Gives every directory under `dir` (links not followed) back to its owner.
fn make_removable(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            make_removable(&entry.path());
        }
    }
}

/// A fresh, empty temporary directory named after `test` (and this
/// process, so that test binaries running at once never share one),
/// removed when the returned guard is dropped.
pub fn scratch_dir(test: &str) -> ScratchDir {
    ScratchDir::at(std::env::temp_dir().join(format!("memlint-{test}-{}", std::process::id())))
}

/// A fresh copy of a fixture in a temporary directory named after `test`,
/// for tests that change files; removed when the guard is dropped.
pub fn fixture_copy(name: &str, test: &str) -> ScratchDir {
    copy_of(&fixture(name), test)
}

/// A fresh copy of the crate at `dir` (without its `target/`) in a
/// temporary directory named after `test`; removed when the guard is dropped.
pub fn copy_of(dir: &Path, test: &str) -> ScratchDir {
    let dest = scratch_dir(test);
    copy_into(dir, &dest);
    dest
}

/// Copies the crate at `from` (without its `target/`) into `to`.
pub fn copy_into(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy's directory");
    for entry in std::fs::read_dir(from).expect("read the fixture") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            if entry.file_name() != "target" {
                copy_into(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// Whether the tests run as root. Tests that need root are marked ignored
/// when the tests are built by another user (`build.rs`); one that runs
/// anyway, built by root and run by another user, fails with this reason.
pub fn assert_root(test: &str) {
    let uid = Command::new("id").arg("-u").output().expect("id runs");
    assert_eq!(
        String::from_utf8_lossy(&uid.stdout).trim(),
        "0",
        "{test} needs root: the tests were built as root and run as another user; rebuild them as this user to have it ignored"
    );
}

/// `command` run as an unprivileged user when the tests run as root (root
/// reads every file, so permissions would never deny it anything); `None`
/// when that can't be done here.
pub fn as_unprivileged(mut command: std::process::Command) -> Option<std::process::Command> {
    let uid = std::process::Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some(command);
    }
    let setpriv = std::process::Command::new("setpriv").arg("--version").output().ok()?;
    if !setpriv.status.success() {
        return None;
    }
    let mut wrapped = std::process::Command::new("setpriv");
    wrapped.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(command.get_program());
    wrapped.args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    command = wrapped;
    Some(command)
}
