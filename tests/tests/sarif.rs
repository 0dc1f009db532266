//! `--output-format sarif`: valid SARIF 2.1.0 (checked against the schema
//! vendored in `tests/schemas/`) with the fields GitHub code scanning reads.

use memlint_tests::{fixture, memlint};

fn sarif(name: &str) -> serde_json::Value {
    let manifest = fixture(name).join("Cargo.toml").display().to_string();
    memlint(&["--manifest-path", &manifest, "--output-format", "sarif", "-q"]).json()
}

#[test]
fn sarif_has_the_driver_rules_results_and_locations_code_scanning_needs() {
    let log = sarif("broken");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "memlint");
    assert!(driver["informationUri"].as_str().is_some_and(|u| u.starts_with("https://")));
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), lint_core::rules::metas().count());
    for rule in rules {
        for key in ["id", "shortDescription", "fullDescription", "help", "defaultConfiguration"] {
            assert!(rule.get(key).is_some(), "rule {} has no {key}", rule["id"]);
        }
    }
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "vec_push_without_capacity");
    assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], "vec_push_without_capacity");
    assert_eq!(result["level"], "warning");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/lib.rs");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        (&location["region"]["startLine"], &location["region"]["startColumn"], &location["region"]["endColumn"]),
        (&serde_json::json!(5), &serde_json::json!(19), &serde_json::json!(29))
    );
    assert!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .is_some_and(|u| u.starts_with("file:///") && u.ends_with("/broken/"))
    );
    // The files that could not be linted are tool notifications, and the run is marked unsuccessful.
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["toolExecutionNotifications"].as_array().map(Vec::len), Some(2));
}

#[test]
fn fingerprints_are_unique_and_survive_line_shifts() {
    let log = sarif("catalog");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let prints: std::collections::BTreeSet<&str> =
        results.iter().map(|r| r["partialFingerprints"]["memlint/v1"].as_str().expect("fingerprint")).collect();
    assert_eq!(prints.len(), results.len(), "every result has its own fingerprint");
    let dir = memlint_tests::fixture_copy("catalog", "sarif-shift");
    let index = dir.join("src/index.rs");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, format!("// a new first line\n\n{text}")).unwrap();
    let manifest = dir.join("Cargo.toml").display().to_string();
    let shifted = memlint(&["--manifest-path", &manifest, "--output-format", "sarif", "-q"]).json();
    let shifted_prints: std::collections::BTreeSet<&str> = shifted["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["partialFingerprints"]["memlint/v1"].as_str().expect("fingerprint"))
        .collect();
    assert_eq!(prints, shifted_prints);
}

/// The SARIF 2.1.0 schema, compiled with format assertions (URIs) on.
fn sarif_schema() -> (boon::Schemas, boon::SchemaIndex) {
    let path = memlint_tests::repo_root().join("tests/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).expect("the vendored schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    let id = schema["$id"].as_str().expect("the schema has an $id").to_owned();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler.add_resource(&id, schema).expect("add the schema");
    let index = compiler.compile(&id, &mut schemas).unwrap_or_else(|e| panic!("the schema compiles: {e}"));
    (schemas, index)
}

#[test]
fn sarif_output_is_valid_against_the_sarif_2_1_0_schema() {
    let (schemas, index) = sarif_schema();
    // `catalog` has a finding of every rule (fixes, labels, related
    // locations); `broken` has files that could not be linted.
    for fixture in ["catalog", "broken", "clean"] {
        let log = sarif(fixture);
        if let Err(e) = schemas.validate(&log, index) {
            panic!("SARIF of `{fixture}` is not valid SARIF 2.1.0:\n{e:#}");
        }
    }
}

#[test]
fn the_schema_check_rejects_invalid_sarif() {
    let (schemas, index) = sarif_schema();
    let mut log = sarif("broken");
    log["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(schemas.validate(&log, index).is_err(), "a level outside the enum must fail");
    let mut log = sarif("broken");
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = serde_json::json!(0);
    assert!(schemas.validate(&log, index).is_err(), "line numbers start at 1");
}
