//! The bundled `fixtures/` tree, checked as a user would: every case kind reported as it should be.

use std::path::Path;

use crate::harness::Test;

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("reading fixtures") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            std::fs::create_dir_all(&target).expect("creating a directory");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copying a fixture");
        }
    }
}

/// A copy of `fixtures/` in a fresh repository (nothing committed: the `.gitattributes` of
/// `custom-size/` is untracked and must still count).
pub fn fixtures_repo() -> Test {
    let test = Test::new();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        test.path(),
    );
    test.git().init();
    test
}

#[test]
fn every_fixture_is_reported_as_labelled() {
    let test = fixtures_repo();
    // The broken configuration fixture makes the run exit 2; everything is still checked.
    let out = test.run_with(&["check", "--format", "json"]).status(2);
    assert_eq!(
        out.json()["errors"][0]["path"],
        "broken-config/mergemark.toml"
    );
    let conflict_rules = [
        "conflict-marker",
        "broken-conflict",
        "conflict-marker-in-code",
    ];
    let found: Vec<(String, String, u64, u64)> = out
        .findings()
        .into_iter()
        .filter(|f| conflict_rules.contains(&f.1.as_str()))
        .collect();
    let expected = [
        ("broken-config/notes.md", "conflict-marker", 3, 7),
        ("conflicts/crlf-bom.md", "conflict-marker", 1, 5),
        ("conflicts/diff3-style.md", "conflict-marker", 5, 11),
        ("conflicts/jujutsu.md", "conflict-marker", 3, 11),
        ("conflicts/merge-style.md", "conflict-marker", 3, 7),
        ("conflicts/nested-same-length.md", "conflict-marker", 3, 11),
        ("conflicts/no-separator.md", "broken-conflict", 3, 6),
        ("conflicts/orphan-end.md", "broken-conflict", 4, 4),
        ("conflicts/plain-text.txt", "conflict-marker", 2, 6),
        ("conflicts/recursive-nested.md", "conflict-marker", 3, 13),
        (
            "conflicts/start-and-separator-no-end.md",
            "broken-conflict",
            3,
            3,
        ),
        ("conflicts/stash-empty-ours.md", "conflict-marker", 4, 7),
        ("conflicts/two-blocks.md", "conflict-marker", 3, 7),
        ("conflicts/two-blocks.md", "conflict-marker", 11, 15),
        ("conflicts/unterminated-start.md", "broken-conflict", 3, 3),
        ("custom-size/notes.md", "conflict-marker", 3, 7),
        ("postmortem/checkout-slowdown.md", "conflict-marker", 1, 47),
        ("traps/git-tutorial.md", "conflict-marker-in-code", 6, 10),
        ("traps/git-tutorial.md", "conflict-marker-in-code", 16, 22),
        ("traps/git-tutorial.md", "conflict-marker-in-code", 28, 28),
    ];
    let expected: Vec<(String, String, u64, u64)> = expected
        .iter()
        .map(|(p, r, a, b)| ((*p).to_owned(), (*r).to_owned(), *a, *b))
        .collect();
    assert_eq!(found, expected);
    // The binary fixture is skipped, not checked; every other fixture is read.
    let json = out.json();
    let text_files = walk_count(test.path()) - 1;
    assert_eq!(json["files_checked"].as_u64(), Some(text_files));
}

/// Files under `dir` outside `.git`, not counting dotfiles.
fn walk_count(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("reading a directory")
        .map(|e| e.expect("an entry"))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            if e.file_type().expect("type").is_dir() {
                walk_count(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn the_postmortem_fixture_is_checked_on_each_side() {
    let test = fixtures_repo();
    let out = test
        .run_with(&["check", "--format", "json", "postmortem"])
        .status(1);
    let json = out.json();
    let findings = json["findings"].as_array().expect("findings");
    let summary: Vec<(&str, u64, &str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or(""),
                f["line"].as_u64().unwrap_or(0),
                f["side"].as_str().unwrap_or("-"),
                f["section"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("conflict-marker", 1, "-", "-"),
            ("mojibake", 42, "ours", "-"),
            ("missing-section", 46, "theirs", "Issue Summary"),
            ("missing-section", 46, "theirs", "Timeline"),
            ("missing-section", 46, "theirs", "Root Cause and Resolution"),
            (
                "missing-section",
                46,
                "theirs",
                "Corrective and Preventative Measures"
            ),
        ]
    );
    assert_eq!(
        findings[0]["message"],
        "unresolved merge conflict between `HEAD` (ours) and \
         `7d3c9a1e5b2f48c6a0e1d9b3f5a7c2e4d6b8f0a1` (theirs)"
    );
    assert_eq!(findings[1]["suggestion"], "🚀");
    assert_eq!(findings[1]["severity"], "warning");
    assert!(findings[2..]
        .iter()
        .all(|f| f["schema"] == "postmortem" && f["severity"] == "error"));
    assert!(findings[0]["side"].is_null());
}

#[test]
fn configuration_is_found_per_directory_and_errors_name_file_line_and_key() {
    let test = fixtures_repo();
    let out = test
        .run_with(&["check", "--format", "json", "custom-schema"])
        .status(1);
    let rules: Vec<(String, String, u64, u64)> = out.findings();
    let rules: Vec<(&str, &str, u64)> = rules
        .iter()
        .map(|f| (f.0.as_str(), f.1.as_str(), f.2))
        .collect();
    assert_eq!(
        rules,
        [
            (
                "custom-schema/runbooks/rotate-keys.md",
                "missing-section",
                1
            ),
            (
                "custom-schema/runbooks/rotate-keys.md",
                "incomplete-section",
                3
            ),
            (
                "custom-schema/runbooks/rotate-keys.md",
                "heading-structure",
                3
            ),
        ]
    );
    assert_eq!(out.json()["findings"][0]["schema"], "runbook");
    // The same file from its own directory finds the same configuration above it.
    let out = test.current_dir("custom-schema/runbooks").run_with(&[
        "check",
        "--format",
        "json",
        "rotate-keys.md",
    ]);
    assert_eq!(out.code, 1);
    // --no-config: the runbook schema is gone.
    let test = fixtures_repo();
    test.run_with(&["check", "--no-config", "custom-schema"])
        .status(0);

    let out = test
        .run_with(&["check", "--format", "json", "broken-config"])
        .status(2);
    let json = out.json();
    assert_eq!(json["errors"][0]["path"], "broken-config/mergemark.toml");
    let message = json["errors"][0]["message"].as_str().expect("message");
    assert!(
        message.starts_with("line 7: unknown field `min-itemz`"),
        "{message}"
    );
    // The files are still checked.
    assert_eq!(json["findings"][0]["rule"], "conflict-marker");
}

#[test]
fn every_postmortem_fixture_gets_its_verdict() {
    let test = fixtures_repo();
    let out = test
        .run_with(&["check", "--format", "json", "postmortems"])
        .status(1);
    let found: Vec<(String, String, u64, u64)> = out.findings();
    let found: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|f| (f.0.as_str(), f.1.as_str(), f.2))
        .collect();
    assert_eq!(
        found,
        [
            (
                "postmortems/bold-pseudo-headings.md",
                "section-not-heading",
                10
            ),
            (
                "postmortems/bold-pseudo-headings.md",
                "section-not-heading",
                18
            ),
            ("postmortems/duration-mismatch.md", "duration-mismatch", 4),
            (
                "postmortems/missing-corrective-measures.md",
                "missing-section",
                1
            ),
            ("postmortems/missing-issue-summary.md", "missing-section", 1),
            (
                "postmortems/missing-root-cause-and-resolution.md",
                "missing-section",
                1
            ),
            ("postmortems/missing-timeline.md", "missing-section", 1),
            ("postmortems/placeholders.md", "incomplete-section", 3),
            ("postmortems/placeholders.md", "placeholder-text", 7),
            ("postmortems/placeholders.md", "placeholder-text", 14),
            ("postmortems/placeholders.md", "placeholder-text", 14),
            ("postmortems/timeline-out-of-order.md", "timeline-order", 14),
        ]
    );
    // Each missing-section finding names the section its fixture leaves out.
    let json = out.json();
    let missing: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "missing-section")
        .map(|f| f["section"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        missing,
        [
            "Corrective and Preventative Measures",
            "Issue Summary",
            "Root Cause and Resolution",
            "Timeline"
        ]
    );
    // complete.md and decorated-headings.md (and its `- [ ]` task list) pass.
    test.run_with(&[
        "check",
        "postmortems/complete.md",
        "postmortems/decorated-headings.md",
    ])
    .status(0);
    let json = out.json();
    let suggestion = json["findings"][2]["suggestion"]
        .as_str()
        .expect("a suggestion");
    assert_eq!(suggestion, "Duration: 3 hours 20 minutes");
    assert_eq!(json["findings"][0]["suggestion"], "## Timeline");
}
