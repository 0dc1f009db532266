use super::*;

fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
    from_document(Path::new("/project/memlint.toml"), &Arc::from(text))
}

fn accepted(text: &str) -> Config {
    match parse(text) {
        Ok(config) => config,
        Err(errors) => panic!("config rejected: {errors:#?}"),
    }
}

fn errors(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(_) => panic!("config accepted"),
        Err(errors) => errors.iter().map(|e| format!("{e} | {}", e.help.as_deref().unwrap_or(""))).collect(),
    }
}

fn meta(name: &str) -> &'static RuleMeta {
    lint_core::rules::find(name).expect("registered").meta()
}

fn level(config: &Config, rule: &str) -> Level {
    config.rule_settings(meta(rule), &[]).level
}

#[test]
fn the_uncommented_template_is_the_defaults() {
    // Every `# key = value` line of the template, uncommented, must parse
    // and give every rule exactly its default settings.
    let uncommented: String = template()
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") || rest.starts_with("[[") => rest,
            _ => line,
        })
        .map(|line| format!("{line}\n"))
        .collect();
    let config = accepted(&uncommented);
    assert_eq!(config.settings.rules.len(), lint_core::rules::metas().count() + 2, "every rule and category");
    assert_eq!(config.settings.overrides.len(), 1);
    for meta in lint_core::rules::metas() {
        let settings = config.rule_settings(meta, &[]);
        assert_eq!(settings.level, meta.default_level, "{}", meta.name);
        assert_eq!(settings.in_tests, meta.in_tests, "{}", meta.name);
        for option in meta.options {
            assert_eq!(settings.option(option), option.default, "{} {}", meta.name, option.name);
        }
    }
}

#[test]
fn narrower_keys_win_whatever_their_order() {
    let config = accepted("[rules]\nvec_box = \"allow\"\nperf = \"deny\"\nall = \"warn\"\n");
    assert_eq!(level(&config, "vec_box"), Level::Allow);
    assert_eq!(level(&config, "box_collection"), Level::Deny);
    assert_eq!(level(&config, "padded_struct"), Level::Warn, "pedantic: `all` covers it, `perf` does not");
    // The command line comes after the file.
    let cli = [(Target::Rule("vec_box"), Level::Deny)];
    assert_eq!(config.rule_settings(meta("vec_box"), &cli).level, Level::Deny);
}

#[test]
fn rule_tables_set_level_tests_and_options() {
    let config =
        accepted("[rules]\nlarge_enum_variant = { level = \"deny\", in-tests = true, threshold-bytes = 0x40 }\n");
    let settings = config.rule_settings(meta("large_enum_variant"), &[]);
    assert_eq!((settings.level, settings.in_tests), (Level::Deny, true));
    assert_eq!(settings.option(&meta("large_enum_variant").options[0]), 64);
    // Dashes and the `memlint::` prefix name rules too.
    let spelled = accepted("[rules]\n\"memlint::vec-box\" = \"deny\"\n");
    assert_eq!(level(&spelled, "vec_box"), Level::Deny);
}

#[test]
fn overrides_apply_in_order_to_matching_files_then_the_command_line() {
    let config = Arc::new(accepted(
        "[rules]\nperf = \"deny\"\n\
         [[overrides]]\nfiles = [\"benches/**\", \"generated\"]\nrules = { perf = \"allow\", vec_box = \"warn\" }\n\
         [[overrides]]\nfiles = [\"benches/hot.rs\"]\nrules = { perf = \"deny\" }\n",
    ));
    let cli = [(Target::Rule("padded_struct"), Level::Warn)];
    let levels = config.file_levels(Path::new("/project"), &cli).expect("has overrides");
    let at = |path: &str, rule: &str| levels(Path::new(path), meta(rule), Level::Warn);
    assert_eq!(at("src/lib.rs", "needless_box"), Level::Deny);
    assert_eq!(at("benches/b.rs", "needless_box"), Level::Allow);
    assert_eq!(at("benches/b.rs", "vec_box"), Level::Warn);
    assert_eq!(at("src/generated/x.rs", "needless_box"), Level::Allow);
    assert_eq!(at("benches/hot.rs", "needless_box"), Level::Deny);
    assert_eq!(at("benches/b.rs", "padded_struct"), Level::Warn, "the command line wins");
    assert_eq!(at("/elsewhere/benches/b.rs", "needless_box"), Level::Deny, "outside the config's directory");
}

#[test]
fn exclude_is_relative_to_the_config() {
    let config = accepted("exclude = [\"generated\", \"src/bin/*.rs\"]\n");
    assert!(config.excludes(Path::new("/project/src/generated/a.rs")));
    assert!(config.excludes(Path::new("/project/src/bin/tool.rs")));
    assert!(!config.excludes(Path::new("/project/src/lib.rs")));
    assert!(!config.excludes(Path::new("/other/src/bin/tool.rs")));
}

#[test]
fn fail_on_is_read() {
    assert_eq!(accepted("fail-on = \"deny\"\n").settings.fail_on, Some(FailOn::Deny));
    assert_eq!(errors("fail-on = \"error\"\n"), ["`fail-on` must be `warn` or `deny`, not `error` | "]);
}

#[test]
fn every_mistake_is_reported_with_a_hint() {
    let found = errors(
        "fail_on = \"warn\"\n\
         [rules]\n\
         vec_boxx = \"deny\"\n\
         perf = 3\n\
         padded_struct = { level = \"wrn\", min-waste = 4, in-tests = 1 }\n\
         large_enum_variant = { threshold-bytes = -5 }\n\
         [[overrides]]\n\
         rules = { perf = \"allow\" }\n\
         path = \"x\"\n",
    );
    assert_eq!(
        found,
        [
            "unknown key `fail_on` in the memlint settings | did you mean `fail-on`?",
            "no rule or category is named `vec_boxx` | did you mean `vec_box`?",
            "expected a level or a table (`{ level = \"warn\", ... }`), found an integer | ",
            "`wrn` is not a level | did you mean `warn`?",
            "unknown key `min-waste` in the settings of `padded_struct` | did you mean `min-waste-bytes`?",
            "expected `true` or `false`, found an integer | ",
            "`-5` is not a non-negative integer | ",
            "an override needs `files`, the paths it applies to | add e.g. `files = [\"benches/**\"]`",
            "unknown key `path` in an override | the keys are `files` and `rules`",
        ]
    );
}

#[test]
fn overrides_set_levels_only() {
    let found = errors(
        "[[overrides]]\nfiles = [\"benches\"]\nrules = { padded_struct = { level = \"allow\", min-waste-bytes = 3 }, vec_box = { in-tests = true } }\n",
    );
    let expected = "an override can only set levels | set options, `in-tests` and `in-build-scripts` in the top-level `rules` table";
    assert_eq!(found, [expected, expected]);
    let Err(errors) = parse("[[overrides]]\nfiles = [\"x\"]\nrules = { vec_box = { in-tests = true } }\n") else {
        panic!("accepted")
    };
    let at = errors[0].at.as_ref().expect("a place");
    assert_eq!(at.span.start, "[[overrides]]\nfiles = [\"x\"]\nrules = { ".len(), "the rule's key");
}

#[test]
fn two_spellings_of_one_rule_are_an_error() {
    assert_eq!(
        errors("[rules]\nvec_box = \"deny\"\n\"vec-box\" = \"allow\"\n"),
        ["`vec_box` and `vec-box` name the same rule | keep one of them"]
    );
}

#[test]
fn invalid_toml_points_at_the_error() {
    let Err(errors) = parse("[rules\nvec_box = \"deny\"\n") else { panic!("accepted") };
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.starts_with("invalid TOML: "), "{}", errors[0].message);
    assert!(errors[0].at.as_ref().is_some_and(|p| p.span.start <= 6), "{:?}", errors[0].at);
}

#[test]
fn cargo_manifest_tables() {
    let path = Path::new("/project/Cargo.toml");
    let read = |text: &str| from_manifest(path, &Arc::from(text));
    let config = read("[workspace]\n[workspace.metadata.memlint.rules]\nvec_box = \"deny\"\n")
        .expect("valid")
        .expect("has a table");
    assert_eq!(level(&config, "vec_box"), Level::Deny);
    assert_eq!(config.origin.as_ref().and_then(|(_, table)| *table), Some(WORKSPACE_TABLE));
    assert!(read("[package]\nname = \"x\"\n").expect("valid").is_none());
    let Err(errors) = read("[workspace.metadata.memlint]\n[package.metadata.memlint]\n") else { panic!("accepted") };
    assert!(errors[0].message.contains("both"), "{}", errors[0].message);
    let Err(errors) = read("[package.metadata]\nmemlint = 1\n") else { panic!("accepted") };
    assert_eq!(errors[0].message, "`package.metadata.memlint` must be a table");
}

#[test]
fn sizes_take_units_and_underscores() {
    use super::parse::parse_size;
    assert_eq!(parse_size("1024"), Some(1024));
    assert_eq!(parse_size("16 MiB"), Some(16 << 20));
    assert_eq!(parse_size("500KB"), Some(500_000));
    assert_eq!(parse_size(" 1_000 KiB "), Some(1_024_000));
    assert_eq!(parse_size("2 GB"), Some(2_000_000_000));
    for bad in ["", "MiB", "ten", "1.5 MiB", "10 parsecs", "-1", "99999999999999999999 GiB"] {
        assert_eq!(parse_size(bad), None, "{bad}");
    }
}

#[test]
fn target_takes_a_known_triple() {
    assert_eq!(accepted("").target().triple, "x86_64-unknown-linux-gnu");
    assert_eq!(accepted("target = \"i686-unknown-linux-gnu\"\n").target().pointer_bytes(), 4);
    assert_eq!(accepted("target = \"aarch64-apple-darwin\"\n").target().os, "macos");
    let text = "fail-on = \"warn\"\ntarget = \"i686-linux\"\n";
    let Err(found) = parse(text) else { panic!("accepted") };
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].message, "`target` must be a target triple memlint knows, not `i686-linux`");
    let at = found[0].at.as_ref().expect("a location");
    assert_eq!(&text[at.span.clone()], "\"i686-linux\"", "the value is underlined");
    let help = found[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("i686-unknown-linux-gnu"), "{help}");
    let wrong_type = errors("target = 64\n");
    assert!(wrong_type[0].contains("expected a target triple"), "{wrong_type:?}");
}
