//! ruff's, rumdl's and markdownlint's habits on `check`: `--select`, `--extend-select`,
//! `--ignore`, `--exit-zero`, `-q/--quiet`, `--statistics`, `<!-- mergemark-disable-file -->` and
//! the warning for a rule name in a comment that is no rule.

use crate::harness::Test;

const BLOCK: &str = "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n";

/// A postmortem with three sections missing, an incomplete one and mojibake.
const POSTMORTEM: &str =
    "# Postmortem: queue stalled\n\n## Issue Summary\n- Duration: 30 minutes\n\
                          - Impact: 12% of jobs were late\n\nCaf\u{c3}\u{a9} au lait.\n";

fn tree() -> Test {
    Test::new()
        .write("a.md", BLOCK)
        .write("notes/code.md", format!("```text\n{BLOCK}```\n"))
        .write("postmortem.md", POSTMORTEM)
}

/// `check` exits with `status` and finds these `(path, rule)`, in order.
#[track_caller]
fn assert_path_rules(test: &Test, status: i32, expected: &[(&str, &str)]) {
    let found: Vec<(String, String)> = test
        .check_findings(&[], status)
        .into_iter()
        .map(|(path, rule, _, _)| (path, rule))
        .collect();
    let found: Vec<(&str, &str)> = found
        .iter()
        .map(|(p, r)| (p.as_str(), r.as_str()))
        .collect();
    assert_eq!(found, expected);
}

fn sorted(mut rules: Vec<String>) -> Vec<String> {
    rules.sort();
    rules.dedup();
    rules
}

#[test]
fn select_reports_only_the_rules_it_names() {
    let test = tree();
    let all = sorted(test.check_rules(&[], 1));
    assert_eq!(
        all,
        [
            "conflict-marker",
            "conflict-marker-in-code",
            "incomplete-section",
            "missing-section",
            "mojibake"
        ]
    );
    assert_eq!(
        sorted(test.check_rules(&["--select", "conflict-*"], 1)),
        ["conflict-marker", "conflict-marker-in-code"]
    );
    // Comma-separated and repeated flags add up.
    assert_eq!(
        sorted(test.check_rules(
            &[
                "--select",
                "mojibake,missing-section",
                "--select",
                "conflict-marker"
            ],
            1
        )),
        ["conflict-marker", "missing-section", "mojibake"]
    );
    assert_eq!(
        sorted(test.check_rules(
            &[
                "--select",
                "mojibake",
                "--extend-select",
                "conflict-marker-in-code"
            ],
            0
        )),
        ["conflict-marker-in-code", "mojibake"]
    );
}

#[test]
fn ignore_takes_rules_out_and_the_most_specific_selector_wins() {
    let test = tree();
    assert_eq!(
        sorted(test.check_rules(&["--ignore", "conflict-*,missing-section"], 0)),
        ["incomplete-section", "mojibake"]
    );
    assert_eq!(
        sorted(test.check_rules(
            &["--select", "conflict-marker", "--ignore", "conflict-*"],
            1
        )),
        ["conflict-marker"]
    );
    assert_eq!(
        sorted(test.check_rules(&["--select", "mojibake", "--ignore", "mojibake"], 0)),
        Vec::<String>::new()
    );
    assert!(test.check_rules(&["--ignore", "all"], 0).is_empty());
}

#[test]
fn a_rule_named_on_the_command_line_runs_where_the_configuration_turns_it_off() {
    let test = tree().write(
        "mergemark.toml",
        "[rules]\nmojibake = \"off\"\nconflict-marker-in-code = \"error\"\n",
    );
    assert!(!test.check_rules(&[], 1).contains(&"mojibake".to_owned()));
    let out = test
        .run_with(&[
            "check",
            "--format",
            "json",
            "--select",
            "mojibake,conflict-marker-in-code",
        ])
        .status(1);
    let severities: Vec<(String, String)> = out.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["severity"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    // Named, the rule turned off runs at its default level; a configured level still holds.
    assert_eq!(
        severities,
        [
            ("conflict-marker-in-code".to_owned(), "error".to_owned()),
            ("mojibake".to_owned(), "warning".to_owned())
        ]
    );
    // Selected only by `all`, it stays off.
    assert!(!test
        .check_rules(&["--select", "all"], 1)
        .contains(&"mojibake".to_owned()));
}

#[test]
fn unknown_rules_are_usage_errors_with_a_suggestion() {
    let out = tree()
        .run_with(&["check", "--select", "conflict-markers"])
        .status(2);
    assert!(
        out.stderr
            .contains("`conflict-markers` is not a rule; did you mean `conflict-marker`?"),
        "{}",
        out.stderr
    );
    let out = tree()
        .run_with(&["check", "--ignore", "nothing-*"])
        .status(2);
    assert!(
        out.stderr.contains("`nothing-*` matches no rule"),
        "{}",
        out.stderr
    );
}

#[test]
fn exit_zero_keeps_the_findings_and_read_errors_still_exit_two() {
    let test = tree();
    let out = test.run_with(&["check", "--exit-zero"]).status(0);
    assert!(
        out.stdout.contains("error[conflict-marker]"),
        "{}",
        out.stdout
    );
    test.run_with(&["check", "--exit-zero", "a.md", "missing.md"])
        .status(2);
}

#[test]
fn quiet_prints_the_findings_and_nothing_else() {
    let test = tree().write("data.bin", b"\0\x01\x02binary".as_slice());
    let run = |extra: &[&str]| {
        let args = [
            "check",
            "--format",
            "human",
            "--select",
            "conflict-marker",
            "a.md",
            "data.bin",
        ];
        test.run_with(&[extra, &args[1..]].concat()).status(1)
    };
    let loud = run(&["check"]);
    assert!(loud.stdout.contains("1 error"), "{}", loud.stdout);
    assert!(loud.stderr.contains("skipped data.bin"), "{}", loud.stderr);
    let quiet = run(&["check", "-q"]);
    assert!(
        quiet.stdout.contains("unresolved merge conflict"),
        "{}",
        quiet.stdout
    );
    assert!(!quiet.stdout.contains("1 error"), "{}", quiet.stdout);
    assert_eq!(quiet.stderr, "");
    // Errors are still said.
    let out = test.run_with(&["check", "-q", "missing.md"]).status(2);
    assert!(out.stderr.contains("missing.md"), "{}", out.stderr);
}

#[test]
fn statistics_count_findings_per_rule() {
    let test = tree().write("b.md", format!("{BLOCK}\n{BLOCK}"));
    let out = test.run_with(&["check", "--statistics"]).status(1);
    assert_eq!(
        out.stdout,
        "3  conflict-marker          error    in 2 files\n\
         3  missing-section          warning  in 1 file\n\
         3  incomplete-section       warning  in 1 file\n\
         1  conflict-marker-in-code  warning  in 1 file\n\
         1  mojibake                 warning  in 1 file\n"
    );
    let out = test
        .run_with(&[
            "check",
            "--statistics",
            "--format",
            "json",
            "--select",
            "conflict-marker",
        ])
        .status(1);
    assert_eq!(
        out.json(),
        serde_json::json!([{"rule": "conflict-marker", "severity": "error", "count": 3, "files": 2}])
    );
    let out = test
        .run_with(&["check", "--statistics", "--ignore", "all"])
        .status(0);
    assert_eq!(out.stdout, "");
}

#[test]
fn disable_file_turns_rules_off_for_the_whole_file() {
    let test = Test::new()
        .write(
            "all.md",
            format!("{BLOCK}\n<!-- mergemark-disable-file -->\n"),
        )
        .write(
            "some.md",
            format!("Caf\u{c3}\u{a9}\n{BLOCK}<!-- mergemark-disable-file mojibake -->\n"),
        )
        // Shown as code, or inside one side of a conflict, it is no instruction.
        .write(
            "shown.md",
            format!("{BLOCK}```html\n<!-- mergemark-disable-file -->\n```\n"),
        )
        .write(
            "side.md",
            "<<<<<<< HEAD\n<!-- mergemark-disable-file -->\n=======\nb\n>>>>>>> t\n",
        );
    assert_path_rules(
        &test,
        1,
        &[
            ("shown.md", "conflict-marker"),
            ("side.md", "conflict-marker"),
            ("some.md", "conflict-marker"),
        ],
    );
}

#[test]
fn a_rule_name_in_a_comment_that_is_no_rule_is_reported() {
    let test = Test::new()
        .write(
            "a.md",
            "Text.\n<!-- mergemark-disable-next-line conflict-markers -->\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\n",
        )
        .write("clean.md", "Text.\n\n<!-- mergemark-enable mojibak -->\n")
        .write("shown.md", "```html\n<!-- mergemark-disable nope -->\n```\n");
    let out = test.run_with(&["check", "--format", "concise"]).status(1);
    assert_eq!(
        out.stdout,
        "a.md:2:34: warning[unknown-rule-in-comment] `conflict-markers` is not a rule, so this comment suppresses nothing for it; did you mean `conflict-marker`?\n\
         a.md:3:1: error[conflict-marker] unresolved merge conflict between `HEAD` (ours) and `t` (theirs)\n\
         clean.md:3:23: warning[unknown-rule-in-comment] `mojibak` is not a rule, so this comment suppresses nothing for it; did you mean `mojibake`?\n"
    );
}

/// Hostile review: a rule turned off in the configuration and named on the command line kept
/// the default severity, not the one its check gave (a missing section on thin evidence is a
/// warning); and `*` counted as naming every rule.
#[test]
fn a_named_rule_that_was_off_keeps_the_severity_its_check_gave() {
    let thin = "# Postmortem: outage of the API\n\n## Issue Summary\nTBD\n\n## Timeline\n- 10:00 UTC something\n";
    let severity = |config: &str, select: &str| {
        let out = Test::new()
            .write("pm.md", thin)
            .write("mergemark.toml", config)
            .run_with(&["check", "--format", "json", "--select", select]);
        out.json()["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["rule"] == "missing-section")
            .map(|f| f["severity"].as_str().unwrap_or("").to_owned())
            .collect::<Vec<_>>()
    };
    let unconfigured = severity("", "missing-section");
    assert!(
        !unconfigured.is_empty() && unconfigured.iter().all(|s| s == "warning"),
        "{unconfigured:?}"
    );
    assert_eq!(
        severity("[rules]\nmissing-section = \"off\"\n", "missing-section"),
        unconfigured
    );
    assert_eq!(
        severity(
            "[per-file-rules]\n\"*.md\" = { missing-section = \"off\" }\n",
            "missing-section"
        ),
        unconfigured
    );
    assert!(severity("[rules]\nmissing-section = \"off\"\n", "*").is_empty());
}

/// Hostile review: names a suppression comment holds that are not written like rule names
/// (`conflict_marker`, `Conflict-Marker`, `name: reason`) made the comment no directive at all,
/// so nothing was reported; prefixes (`conflict-*`) were not read; and the warning about a
/// comment's names could not itself be suppressed.
#[test]
fn every_name_in_a_suppression_comment_is_judged_as_select_judges_it() {
    let file = |comment: &str| format!("<!-- {comment} -->\n{BLOCK}");
    let test = Test::new()
        .write("prefix.md", file("mergemark-disable-file conflict-*"))
        .write("underscore.md", file("mergemark-disable-file conflict_marker"))
        .write("case.md", file("mergemark-disable-file Conflict-Marker"))
        .write(
            "quiet.md",
            "<!-- mergemark-disable-file unknown-rule-in-comment -->\n<!-- mergemark-disable-next-line conflict-markers -->\n",
        );
    assert_path_rules(
        &test,
        1,
        &[
            ("case.md", "unknown-rule-in-comment"),
            ("case.md", "conflict-marker"),
            ("underscore.md", "unknown-rule-in-comment"),
            ("underscore.md", "conflict-marker"),
        ],
    );
}

/// Hostile review: `--statistics` counted the line that stands for the findings a file does not
/// list as one finding, said nothing of unreadable files with `--format json`, and printed its
/// table for `--format sarif`.
#[test]
fn statistics_count_every_finding_and_say_every_error() {
    let test = Test::new().write("many.txt", format!("x\n{}", ">>>>>>> x\n".repeat(1500)));
    let out = test.run_with(&["check", "--statistics"]).status(1);
    assert_eq!(out.stdout, "1500  broken-conflict  error    in 1 file\n");
    let out = test
        .run_with(&["check", "--statistics", "--format", "json", "missing.md"])
        .status(2);
    assert!(
        out.stderr.contains("missing.md: no such file"),
        "{}",
        out.stderr
    );
    for format in ["sarif", "github"] {
        let out = test
            .run_with(&["check", "--statistics", "--format", format])
            .status(2);
        assert!(out.stderr.contains("--statistics"), "{}", out.stderr);
    }
}

/// Hostile review: a reason after `--` (ESLint's habit), a trailing comma, or a name in quotes
/// or brackets made the comment silently no directive.
#[test]
fn a_reason_after_two_dashes_and_odd_names_are_read() {
    let fenced = |comment: &str| format!("<!-- {comment} -->\n```\n{BLOCK}```\n");
    let test = Test::new()
        .write(
            "reason.md",
            fenced("mergemark-disable-next-line conflict-marker-in-code -- an example"),
        )
        .write(
            "comma.md",
            fenced("mergemark-disable-next-line conflict-marker-in-code,"),
        )
        .write(
            "all.md",
            fenced("mergemark-disable-next-line -- every rule here"),
        )
        .write(
            "quoted.md",
            fenced("mergemark-disable-next-line \"conflict-marker-in-code\""),
        );
    assert_path_rules(
        &test,
        0,
        &[
            ("quoted.md", "unknown-rule-in-comment"),
            ("quoted.md", "conflict-marker-in-code"),
        ],
    );
}
