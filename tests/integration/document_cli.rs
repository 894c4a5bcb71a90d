//! Document checks through the binary: encoding, schema commands, per-side JSON.

use crate::harness::Test;

#[test]
fn non_utf8_markdown_gets_one_clear_finding_and_markers_still_count() {
    let mut bytes = b"# Notes\n\ncaf\xe9 au lait\n".to_vec();
    bytes.extend_from_slice(b"<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n");
    let out = Test::new()
        .write("notes.md", bytes)
        .args(["check", "--format", "json"])
        .run()
        .status(1);
    let json = out.json();
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(rules, ["not-utf8", "conflict-marker"]);
    let finding = &json["findings"][0];
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(3), Some(4))
    );
    assert_eq!(finding["severity"], "warning");
    let message = finding["message"].as_str().expect("message");
    assert!(
        message.starts_with("not valid UTF-8: byte 0xE9 at offset 12"),
        "{message}"
    );
}

#[test]
fn schema_show_prints_a_configuration_that_works() {
    let test = Test::new();
    let out = test.run_with(&["schema", "show", "postmortem"]).status(0);
    assert_eq!(out.stdout, mergemark::schema::POSTMORTEM_TOML);
    // Pasted into a configuration under another name, it behaves like the built-in schema.
    let config = format!(
        "postmortem = false\n{}",
        out.stdout
            .replace("name = \"postmortem\"", "name = \"incident\"")
    );
    let test = test.write("mergemark.toml", config).write(
        "postmortems/a.md",
        "# Postmortem\n\n## Summary\n\nThe queue stalled for ten minutes.\n\n## Timeline\n\
         - 09:00 UTC: a\n- 09:05 UTC: b\n- 09:10 UTC: c\n\n## Action items\n\n- [ ] Alert\n",
    );
    let out = test.run_with(&["check", "--format", "json"]).status(1);
    let json = out.json();
    assert!(json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .all(|f| f["schema"] == "incident"));
    let list = test.run_with(&["schema", "list"]).status(0);
    assert!(list.stdout.starts_with("incident\t"), "{}", list.stdout);
    test.run_with(&["schema", "show", "nope"]).status(2);
}

#[test]
fn conflicted_postmortem_is_validated_on_each_side() {
    let ours = "# Postmortem: queue stalled\n\n## Issue Summary\n- Duration: 30 minutes\n- Start Time: 2025-01-02 10:00 UTC\n- End Time: 2025-01-02 10:30 UTC\n- Impact: 12% of jobs were late\n- Root cause: a stuck consumer\n\n## Timeline\n- 10:00 UTC: lag alert\n- 10:10 UTC: consumer restarted\n- 10:30 UTC: lag gone\n\n## Root Cause and Resolution\nA stuck consumer caused the lag; restarting it resolved it.\n\n## Corrective and Preventative Measures\n- [ ] Add a liveness probe\n";
    let text = format!("<<<<<<< HEAD\n{ours}=======\n## queue-postmortem\n>>>>>>> 0123456789abcdef0123456789abcdef01234567\n");
    let out = Test::new()
        .write("incident.md", text)
        .args(["check", "--format", "json"])
        .run()
        .status(1);
    let json = out.json();
    let summary: Vec<(String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["side"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("conflict-marker", "-"),
        ("missing-section", "theirs"),
        ("missing-section", "theirs"),
        ("missing-section", "theirs"),
        ("missing-section", "theirs"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(summary, expected);
    // The theirs findings point at the theirs line on disk.
    let line = 1 + ours.lines().count() as u64 + 2;
    assert_eq!(json["findings"][1]["line"].as_u64(), Some(line));
}

#[test]
fn mojibake_in_code_is_quoted_not_garbled() {
    let text =
        "# Notes\n\nShown as `ðŸ’ª` in code, and:\n\n```\ndonâ€™t\n```\n\nBut here itâ€™s real.\n";
    let out = Test::new()
        .write("notes.md", text)
        .args(["check", "--format", "json"])
        .run()
        .status(0);
    let json = out.json();
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "mojibake");
    assert_eq!(findings[0]["line"].as_u64(), Some(9));
    assert_eq!(findings[0]["suggestion"], "’");
}

/// The project's own documentation passes its own linter.
#[test]
fn readme_is_clean() {
    let readme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let out = Test::new()
        .write("README.md", std::fs::read(readme).expect("README.md"))
        .args(["check", "--format", "concise"])
        .run();
    assert_eq!(out.stdout, "");
    assert_eq!(out.code, 0);
}

/// Each file takes the nearest configuration above it, however deep, and directories without one
/// take their parent's: looked up once per directory (issue 15), still nearest-first.
#[test]
fn the_nearest_configuration_rules_every_depth() {
    let code = "Use it:\n\n```text\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n```\n";
    let test = Test::new()
        .write(
            "mergemark.toml",
            "[rules]\nconflict-marker-in-code = \"off\"\n",
        )
        .write(
            "a/b/mergemark.toml",
            "[rules]\nconflict-marker-in-code = \"error\"\n",
        );
    let test = [
        "top.md",
        "a/one.md",
        "a/x/y/two.md",
        "a/b/three.md",
        "a/b/c/d/four.md",
    ]
    .into_iter()
    .fold(test, |test, path| test.write(path, code));
    let out = test.run_with(&["check", "--format", "json"]).status(1);
    let mut flagged: Vec<String> = out.findings().into_iter().map(|f| f.0).collect();
    flagged.sort();
    assert_eq!(flagged, ["a/b/c/d/four.md", "a/b/three.md"], "{out:?}");
}
