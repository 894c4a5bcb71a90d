//! Parity: `check`, `diff`, `resolve --dry-run` and the interactive resolver read the same
//! files the same way. With `--verbose` each says, for every file it reads, the marker size, the
//! schema and the configuration in force; on one tree (nested configurations, a schema glob, a
//! broken configuration, a hidden file, a file over `--max-filesize`, a marker-size attribute) and
//! from a subdirectory, they must say the same things, report the same errors, and say what a
//! person would expect.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::harness::{Output, Test};

const RUNBOOK_CONFIG: &str = "\
[[schema]]
name = \"runbook\"
files = [\"*.md\"]

[[schema.section]]
title = \"Purpose\"

[[schema.section]]
title = \"Steps\"
";

fn conflict(size: usize, ours: &str, theirs: &str) -> String {
    format!(
        "{}\n{ours}\n{}\n{theirs}\n{} topic\n",
        "<".repeat(size) + " HEAD",
        "=".repeat(size),
        ">".repeat(size)
    )
}

/// The tree every command reads.
fn tree() -> Test {
    let runbook = format!(
        "# Deploy\n\n## Purpose\n\nShip the service.\n\n## Steps\n\n{}",
        conflict(7, "1. Drain the pool.", "1. Drain the pool first.")
    );
    let test = Test::new()
        .write(".gitattributes", "docs/*.md conflict-marker-size=9\n")
        .write("runbooks/mergemark.toml", RUNBOOK_CONFIG)
        .write("runbooks/deploy.md", runbook)
        .write("docs/wide.md", conflict(9, "wide ours", "wide theirs"))
        .write(
            ".hidden/secret.md",
            conflict(7, "hidden ours", "hidden theirs"),
        )
        .write(
            "big/large.md",
            conflict(7, &"x".repeat(3000), "large theirs"),
        )
        .write(
            "broken/mergemark.toml",
            "[rules]\nconflict-marker = \"loud\"\n",
        )
        .write("broken/note.md", conflict(7, "note ours", "note theirs"))
        .write("plain.md", "# Notes\n\nNothing to see.\n");
    test.git().init();
    test
}

/// What a run said it read (`read NAME: facts`), by name, and the errors it printed.
#[derive(Debug)]
struct Said {
    read: BTreeMap<String, String>,
    errors: BTreeSet<String>,
    code: i32,
}

fn said(output: &Output) -> Said {
    let mut read = BTreeMap::new();
    let mut errors = BTreeSet::new();
    for line in output.stderr.lines() {
        if let Some(rest) = line.strip_prefix("mergemark: read ") {
            let (name, facts) = rest.split_once(": ").expect("read NAME: facts");
            read.insert(name.to_owned(), facts.to_owned());
        } else if let Some(error) = line.strip_prefix("mergemark: error: ") {
            errors.insert(error.to_owned());
        }
    }
    Said {
        read,
        errors,
        code: output.code,
    }
}

/// Run the interactive resolver on `path` (from the test's current directory), quitting at once.
fn interactive(test: &Test, path: &str) -> Output {
    test.run_with_keys(
        &["resolve", "--interactive", "--verbose", path],
        "q\n",
        None,
    )
}

#[test]
fn every_command_reads_the_same_files_with_the_same_settings_from_a_subdirectory() {
    let test = tree().current_dir("runbooks");
    let walk = ["--verbose", "--hidden", "--max-filesize", "2K", ".."];
    let check = said(&test.run_with(&[&["check", "--format", "concise"][..], &walk].concat()));
    let diff = said(&test.run_with(&[&["diff"][..], &walk].concat()));

    // What a person expects of each file.
    let expected = [
        (
            "runbooks/deploy.md",
            "marker size 7, schema runbook, configuration runbooks/mergemark.toml",
        ),
        (
            "docs/wide.md",
            "marker size 9, schema none, configuration built-in",
        ),
        (
            ".hidden/secret.md",
            "marker size 7, schema none, configuration built-in",
        ),
        (
            "broken/note.md",
            "marker size 7, schema none, configuration built-in",
        ),
        (
            "plain.md",
            "marker size 7, schema none, configuration built-in",
        ),
    ];
    for (name, facts) in expected {
        assert_eq!(
            check.read.get(name).map(String::as_str),
            Some(facts),
            "check on {name}: {check:#?}"
        );
    }
    assert!(
        !check.read.contains_key("big/large.md"),
        "a file over --max-filesize is not read: {check:#?}"
    );
    assert_eq!(check.read, diff.read, "check and diff read alike");
    assert_eq!(check.errors, diff.errors, "check and diff report alike");
    let broken = "broken/mergemark.toml: line 2: unknown variant `loud`";
    assert!(
        check.errors.iter().any(|e| e.starts_with(broken)),
        "{check:#?}"
    );
    assert!(
        check
            .errors
            .iter()
            .any(|e| e.starts_with("big/large.md: not checked")),
        "{check:#?}"
    );
    assert_eq!((check.code, diff.code), (2, 2));

    // The resolvers, on each conflicted file, from the same directory.
    for name in ["runbooks/deploy.md", "docs/wide.md", "broken/note.md"] {
        let path = format!("../{name}");
        for resolver in [
            said(&test.run_with(&[
                "resolve",
                "--strategy",
                "ours",
                "--dry-run",
                "--verbose",
                &path,
            ])),
            said(&interactive(&test, &path)),
        ] {
            assert_eq!(
                resolver.read.get(name),
                check.read.get(name),
                "resolve on {name}: {resolver:#?}"
            );
            let broken_reported = resolver.errors.iter().any(|e| e.starts_with(broken));
            assert_eq!(
                broken_reported,
                name.starts_with("broken/"),
                "{name}: {resolver:#?}"
            );
            if name.starts_with("broken/") {
                assert_eq!(resolver.code, 2, "a broken configuration is an error");
            }
        }
    }
}

#[test]
fn the_interactive_resolver_judges_by_the_schema_check_applies() {
    let test = tree().current_dir("runbooks");
    let out = interactive(&test, "deploy.md");
    assert!(
        out.stdout.contains("runbook"),
        "the runbook schema applies from runbooks/ too: {}",
        out.stdout
    );
}

#[test]
fn hidden_files_are_read_by_neither_without_hidden() {
    let test = tree();
    let check = said(&test.run_with(&["check", "--verbose", "--format", "json", "."]));
    let diff = said(&test.run_with(&["diff", "--verbose", "."]));
    assert!(!check.read.contains_key(".hidden/secret.md"), "{check:#?}");
    assert_eq!(check.read, diff.read);
    assert!(check.read.contains_key("big/large.md"), "{check:#?}");
}

#[test]
fn a_broken_configuration_fails_resolve_as_it_fails_check() {
    let test = tree();
    let resolve = test.run_with(&[
        "resolve",
        "--strategy",
        "ours",
        "--stdout",
        "broken/note.md",
    ]);
    assert_eq!(resolve.code, 2, "{}", resolve.stderr);
    assert!(
        resolve.stderr.contains("broken/mergemark.toml"),
        "{}",
        resolve.stderr
    );
    assert!(Path::new(&test.path().join("broken/note.md")).exists());
}
