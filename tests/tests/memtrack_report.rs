//! Reports written at process exit (`MEMLINT_REPORT`), and budgets that
//! report instead of panicking (`MEMLINT_BUDGET=report`,
//! `memlint::set_budget_action`), on a child program.

use std::process::Command;

use memlint_tests::run;

fn child() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_memtrack_child"));
    command.env_remove("MEMLINT_REPORT").env_remove("MEMLINT_BUDGET");
    command
}

#[test]
fn the_json_report_is_written_at_exit_and_budgets_can_report() {
    let dir = memlint_tests::scratch_dir("memtrack-report");
    let path = dir.join("report.json");
    let out = run({
        let mut c = child();
        c.env("MEMLINT_REPORT", &path).env("MEMLINT_BUDGET", "report");
        c
    });
    assert_eq!((out.code, out.stdout.as_str()), (0, "42\n"), "{}", out.stderr);
    let violations: Vec<&str> = out.stderr.lines().filter(|l| l.contains("went over its budget")).collect();
    assert_eq!(violations.len(), 2, "{}", out.stderr);
    assert!(violations[0].ends_with("`max_allocs = 0`: 1 allocation in one call"), "{}", violations[0]);

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the report was written")).expect("JSON");
    assert_eq!(report["version"], 1);
    let functions = report["functions"].as_array().expect("functions");
    assert_eq!(functions.len(), 2);
    let encode = functions.iter().find(|f| f["name"] == "frame_encode").expect("encode");
    assert_eq!(encode["module_path"], "memtrack_child");
    assert_eq!(encode["file"], "tests/src/bin/memtrack_child.rs");
    assert_eq!(encode["line"], 16, "the line of the #[memtrack] attribute");
    assert_eq!(
        (encode["calls"].as_u64(), encode["allocs"].as_u64(), encode["bytes"].as_u64()),
        (Some(3), Some(3), Some(24))
    );
    assert_eq!(encode["budget"]["max_bytes_per_call"], 1024);
    assert_eq!(encode["budget"]["max_allocs_per_call"], serde_json::Value::Null);
    let over = functions.iter().find(|f| f["name"] == "over_budget").expect("over_budget");
    assert_eq!((over["calls"].as_u64(), over["bytes"].as_u64()), (Some(2), Some(30)));
    assert_eq!((over["max_bytes_per_call"].as_u64(), over["peak_bytes"].as_u64()), (Some(20), Some(20)));
    assert_eq!(over["budget_violations"], 2);
}

#[test]
fn the_table_goes_to_stderr_with_a_dash_and_the_api_sets_the_action() {
    let out = run({
        let mut c = child();
        c.env("MEMLINT_REPORT", "-").arg("report");
        c
    });
    assert_eq!(out.code, 0, "{}", out.stderr);
    let table: Vec<&str> = out.stderr.lines().filter(|l| !l.contains("went over its budget")).collect();
    assert!(table[0].starts_with("FUNCTION") && table[0].contains("MAX BYTES/CALL"), "{}", out.stderr);
    assert!(
        table.iter().any(
            |l| l.starts_with("memtrack_child::frame_encode ") && l.ends_with("tests/src/bin/memtrack_child.rs:16")
        )
    );
}

#[test]
fn without_report_mode_a_budget_breach_panics() {
    let out = run(child());
    assert_eq!(out.code, 101, "a panic in main: {}", out.stderr);
    assert!(
        out.stderr.contains("`memtrack_child::over_budget` (tests/src/bin/memtrack_child.rs:11) went over its budget"),
        "{}",
        out.stderr
    );
}
