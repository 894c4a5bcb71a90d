//! Output for CI: SARIF validated against the official schema, GitHub workflow commands escaped as
//! the runner expects, rule documentation, rule levels, `--strict`, and terminal safety.

use crate::harness::Test;

const CONFLICT: &str = "# Notes\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n";

/// A tree with an error, a warning (an example in a fence), a broken marker and a name that
/// needs percent-encoding.
fn tree() -> Test {
    Test::new()
        .write("docs/a b,c%.md", CONFLICT)
        .write(
            "guide.md",
            "# Guide\n\n```text\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> b\n```\n",
        )
        .write("half.md", "# Half\ntext\n>>>>>>> origin/main\n")
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../data/sarif-schema-2.1.0.json"))
            .expect("the schema is JSON");
    let validator = jsonschema::draft4::new(&schema).expect("the schema compiles");
    let out = tree().run_with(&["check", "--format", "sarif"]).status(1);
    let log = out.json();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", out.stdout);

    // What GitHub code scanning reads.
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "mergemark");
    assert!(driver["informationUri"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    let rules = driver["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "conflict-marker"
        && r["defaultConfiguration"]["level"] == "error"
        && r["shortDescription"]["text"].is_string()
        && r["fullDescription"]["text"].is_string()
        && r["help"]["text"].is_string()));
    let results = run["results"].as_array().expect("results");
    let summary: Vec<(String, String, String)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_owned(),
                r["level"].as_str().unwrap_or_default().to_owned(),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    let expect =
        |rule: &str, level: &str, uri: &str| (rule.to_owned(), level.to_owned(), uri.to_owned());
    assert_eq!(
        summary,
        [
            expect("conflict-marker", "error", "docs/a%20b%2Cc%25.md"),
            expect("conflict-marker-in-code", "warning", "guide.md"),
            expect("broken-conflict", "error", "half.md"),
        ]
    );
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["endLine"].as_u64()),
        (Some(2), Some(6))
    );
    assert!(results[0]["partialFingerprints"]["mergemark/v1"].is_string());
}

#[test]
fn sarif_fingerprints_survive_lines_added_above() {
    let fingerprint = |text: &str| {
        let out = Test::new()
            .write("doc.md", text)
            .run_with(&["check", "--format", "sarif"])
            .status(1);
        out.json()["runs"][0]["results"][0]["partialFingerprints"]["mergemark/v1"]
            .as_str()
            .expect("a fingerprint")
            .to_owned()
    };
    assert_eq!(
        fingerprint(CONFLICT),
        fingerprint(&format!("intro\n\n{CONFLICT}"))
    );
}

#[test]
fn github_annotations_are_escaped() {
    let out = tree().run_with(&["check", "--format", "github"]).status(1);
    assert_eq!(
        out.stdout,
        "::error file=docs/a b%2Cc%25.md,line=2,endLine=6,col=1,endColumn=14,title=mergemark conflict-marker::unresolved merge conflict between `HEAD` (ours) and `topic` (theirs)\n\
         ::warning file=guide.md,line=4,endLine=8,col=1,endColumn=10,title=mergemark conflict-marker-in-code::conflict markers in a code block (an example?): unresolved merge conflict between `HEAD` (ours) and `b` (theirs)\n\
         ::error file=half.md,line=3,endLine=3,col=1,endColumn=20,title=mergemark broken-conflict::conflict end marker `>>>>>>> origin/main` has no start marker (half-deleted conflict?)\n"
    );
}

#[test]
fn escape_sequences_from_files_never_reach_the_terminal() {
    let nasty =
        "<<<<<<< HEAD \u{1b}]0;pwned\u{7}\nours \u{1b}[2J\n=======\ntheirs\n>>>>>>> t\u{1b}[8m\n";
    let test = Test::new().write("doc.md", nasty);
    for format in ["human", "concise", "github", "json", "sarif"] {
        let out = test.run_with(&["check", "--format", format]).status(1);
        assert!(
            !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'),
            "{format}: {}",
            out.stdout
        );
    }
    let out = test.run_with(&["diff"]).status(1);
    assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
}

#[test]
fn rules_and_explain_document_every_rule() {
    let test = Test::new();
    let out = test.run_with(&["rules"]).status(0);
    // A summary too long for 80 columns goes on under its column.
    let names: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect();
    assert!(
        out.stdout.lines().all(|l| l.chars().count() <= 80),
        "{}",
        out.stdout
    );
    assert_eq!(names.len(), 17, "{}", out.stdout);
    assert!(out.stdout.contains("conflict-marker-in-code  warning"));
    for name in names {
        let out = test.run_with(&["explain", name]).status(0);
        assert!(out.stdout.starts_with(&format!("{name} (default: ")));
        for part in ["Example:", "Fix: ", "[rules]"] {
            assert!(out.stdout.contains(part), "{name}: {part}");
        }
    }
    let out = test.run_with(&["explain", "mojibak"]).status(2);
    assert!(
        out.stderr.contains("a similar value exists: 'mojibake'"),
        "{}",
        out.stderr
    );
    // Shells complete the rule names.
    let out = test.run_with(&["completions", "bash"]).status(0);
    assert!(out.stdout.contains("unknown-rule-in-comment"));
}

#[test]
fn rule_levels_from_the_config_and_strict() {
    let test = tree();
    // The fenced example is a warning by default: exit 1 comes from the other files.
    let only_guide = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "concise"];
        args.extend(extra);
        args.push("guide.md");
        test.run_with(&args)
    };
    only_guide(&[]).status(0);
    only_guide(&["--strict"]).status(1);
    std::fs::write(
        test.path().join("mergemark.toml"),
        "[rules]\nconflict-marker-in-code = \"error\"\n",
    )
    .expect("write");
    let out = only_guide(&[]).status(1);
    assert!(
        out.stdout.contains("error[conflict-marker-in-code]"),
        "{}",
        out.stdout
    );
    std::fs::write(
        test.path().join("mergemark.toml"),
        "[rules]\nconflict-marker-in-code = \"off\"\n",
    )
    .expect("write");
    let out = only_guide(&[]).status(0);
    assert_eq!(out.stdout, "");
    std::fs::write(
        test.path().join("mergemark.toml"),
        "[rules]\nconflict-markers = \"off\"\n",
    )
    .expect("write");
    let out = only_guide(&[]).status(2);
    assert!(
        out.stderr
            .contains("mergemark.toml: line 2: `rules.conflict-markers`: no rule by that name"),
        "{}",
        out.stderr
    );
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    let test = Test::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = test.run_with(&["completions", shell]).status(0);
        assert!(out.stdout.contains("changed-since"), "{shell}");
    }
    let out = test.run_with(&["man"]).status(0);
    assert!(out.stdout.starts_with(".ie") || out.stdout.contains(".TH mergemark 1"));
    assert!(out.stdout.contains("resolve"));
}

/// Run `mergemark ARGS` under a pseudo-terminal (util-linux `script`), stdout to /dev/null;
/// returns what reached the terminal (stderr).
fn on_a_terminal(test: &Test, args: &str, env: &[(&str, &str)]) -> String {
    let binary = env!("CARGO_BIN_EXE_mergemark");
    let mut command = std::process::Command::new("script");
    command.current_dir(test.path()).args([
        "-qec",
        &format!("'{binary}' {args} >/dev/null"),
        "/dev/null",
    ]);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command
        .output()
        .expect("util-linux `script` runs a pseudo-terminal");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_progress_line_only_on_a_terminal_and_only_when_slow() {
    let test = tree();
    // Made to appear at once: the line is drawn, then erased.
    let shown = on_a_terminal(&test, "check", &[("MERGEMARK_PROGRESS_AFTER_MS", "0")]);
    assert!(shown.contains("files scanned"), "{shown:?}");
    assert!(shown.ends_with("\r\u{1b}[2K"), "{shown:?}");
    // A quick scan shows nothing; neither does a scan whose stderr is not a terminal.
    let quick = on_a_terminal(&test, "check", &[]);
    assert!(!quick.contains("scanned"), "{quick:?}");
    let piped = assert_cmd::Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(test.path())
        .arg("check")
        .env("MERGEMARK_PROGRESS_AFTER_MS", "0")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(!stderr.contains("scanned"), "{stderr:?}");
}

/// `mergemark man --dir` writes the pages the main page refers to, and groff reads each one
/// without a warning.
#[test]
fn manual_pages_are_written_for_every_command_and_read_cleanly() {
    let test = Test::new();
    let dir = test.path().join("man");
    test.run_with(&["man", "--dir", dir.to_str().expect("UTF-8")])
        .status(0);
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .expect("the pages")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    pages.sort();
    for expected in [
        "mergemark.1",
        "mergemark-check.1",
        "mergemark-resolve.1",
        "mergemark-hook-install.1",
        "mergemark.toml.5",
    ] {
        assert!(
            pages.iter().any(|p| p == expected),
            "{expected} in {pages:?}"
        );
    }
    // Every page the main page names exists.
    let main = std::fs::read_to_string(dir.join("mergemark.1")).expect("main page");
    for sub in [
        "check",
        "diff",
        "resolve",
        "schema",
        "rules",
        "explain",
        "hook",
        "merge",
        "driver",
        "completions",
        "man",
    ] {
        assert!(main.contains(&format!("mergemark\\-{sub}(1)")), "{sub}");
        assert!(pages.contains(&format!("mergemark-{sub}.1")), "{sub}");
    }
    for page in &pages {
        let text = std::fs::read_to_string(dir.join(page)).expect("a page");
        if page.ends_with(".1") {
            assert!(text.contains(".SH \"EXIT STATUS\""), "{page}");
        }
        let out = std::process::Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(dir.join(page))
            .output()
            .expect("groff (apt install groff-base)");
        assert!(out.status.success(), "{page}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{page}");
    }
    // Without --dir, the main page on stdout.
    let out = test.run_with(&["man"]).status(0);
    assert_eq!(out.stdout, main);
}
