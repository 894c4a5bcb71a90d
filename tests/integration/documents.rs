//! Documents judged as a careful reader would: sections found by meaning, guides and templates
//! that are not reports, thin evidence reported as warnings, and `schema match` saying why. The
//! fixtures are in `fixtures/documents/`.

use crate::fixtures_tree::fixtures_repo;

#[test]
fn each_document_gets_the_verdict_a_reader_would_give() {
    let test = fixtures_repo();
    let out = test
        .run_with(&["check", "--format", "json", "documents"])
        .status(1);
    let json = out.json();
    let found: Vec<(String, String, String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (
                text("path"),
                text("rule"),
                text("severity"),
                text("section"),
            )
        })
        .collect();
    let expected = [
        // `### What went wrong` under `## Lessons learned` is part of the lessons, not the cause.
        (
            "documents/lessons-are-not-causes.md",
            "missing-section",
            "error",
            "Root Cause and Resolution",
        ),
        // Its title says outage and it has a timeline: a report, on thin evidence.
        (
            "documents/website-outage.md",
            "missing-section",
            "warning",
            "Issue Summary",
        ),
        (
            "documents/website-outage.md",
            "missing-section",
            "warning",
            "Root Cause and Resolution",
        ),
        (
            "documents/website-outage.md",
            "missing-section",
            "warning",
            "Corrective and Preventative Measures",
        ),
    ];
    let expected: Vec<(String, String, String, String)> = expected
        .iter()
        .map(|(a, b, c, d)| {
            (
                (*a).to_owned(),
                (*b).to_owned(),
                (*c).to_owned(),
                (*d).to_owned(),
            )
        })
        .collect();
    // by-meaning.md (sections in other words), the unclosed Markdown fence, the how-to, the
    // template and the assignment: nothing.
    assert_eq!(found, expected);
    let help = json["findings"][1]["help"].as_str().expect("help");
    assert!(
        help.starts_with("checked as `postmortem` because its title says `outage` and it has one of the sections: a warning"),
        "{help}"
    );
}

#[test]
fn a_glob_makes_thin_evidence_strict() {
    let test = fixtures_repo().write(
        "documents/mergemark.toml",
        "postmortem = false\n[[schema]]\nname = \"report\"\nfiles = [\"website-*.md\"]\n\
         [[schema.section]]\ntitle = \"Summary\"\n",
    );
    let out = test
        .run_with(&["check", "--format", "json", "documents/website-outage.md"])
        .status(1);
    let json = out.json();
    assert_eq!(json["findings"][0]["rule"], "missing-section");
    assert_eq!(json["findings"][0]["severity"], "error");
    assert!(json["findings"][0]["help"].is_null());
}

#[test]
fn schema_match_says_which_heading_stands_for_each_section_and_why() {
    let test = fixtures_repo();
    let out = test
        .run_with(&[
            "schema",
            "match",
            "--format",
            "json",
            "documents/by-meaning.md",
            "documents/how-to-write-a-postmortem.md",
        ])
        .status(0);
    let json = out.json();
    let file = &json["files"][0];
    assert_eq!(file["schema"], "postmortem");
    assert_eq!(file["strong"], true);
    assert_eq!(file["detected_by"], "4 of its 4 sections are in this file");
    let sections: Vec<(String, u64, String)> = file["versions"][0]["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| {
            (
                s["section"].as_str().expect("section").to_owned(),
                s["line"].as_u64().expect("line"),
                s["matched_by"].as_str().expect("matched_by").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        sections,
        [
            (
                "Issue Summary".to_owned(),
                3,
                "concept `what happened`".to_owned()
            ),
            ("Timeline".to_owned(), 11, "alias `Chronology`".to_owned()),
            (
                "Root Cause and Resolution".to_owned(),
                17,
                "concept `why`".to_owned()
            ),
            (
                "Corrective and Preventative Measures".to_owned(),
                26,
                "concept `next steps`".to_owned()
            ),
        ]
    );
    // A guide gets no schema.
    assert!(json["files"][1]["schema"].is_null());

    let out = test
        .run_with(&["schema", "match", "documents/website-outage.md"])
        .status(0);
    assert!(
        out.stdout.starts_with(
            "documents/website-outage.md: postmortem, because its title says `outage` and it \
             has one of the sections (thin evidence: its findings are warnings)\n"
        ),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("  Timeline  "), "{}", out.stdout);
    test.run_with(&["schema", "match", "documents/nope.md"])
        .status(2);
}

#[test]
fn concepts_are_extended_in_the_configuration() {
    let config =
        "postmortem = false\n[[schema]]\nname = \"runbook\"\nfiles = [\"runbooks/*.md\"]\n\
        [[schema.section]]\ntitle = \"Rollback\"\nconcepts = [\"undo\"]\n";
    let test = fixtures_repo()
        .write("mergemark.toml", config)
        .write(
            "runbooks/deploy.md",
            "# Deploy\n\n## How to undo it\n\nRun the previous release again.\n",
        )
        .write(
            "runbooks/other.md",
            "# Other\n\n## Notes\n\nNothing about going back here.\n",
        );
    let out = test
        .run_with(&[
            "schema",
            "match",
            "--format",
            "json",
            "runbooks/deploy.md",
            "runbooks/other.md",
        ])
        .status(0);
    let json = out.json();
    assert_eq!(
        json["files"][0]["detected_by"],
        "a `files` glob in the configuration names it"
    );
    let section = &json["files"][0]["versions"][0]["sections"][0];
    assert_eq!(section["matched_by"], "concept `undo`");
    assert_eq!(section["line"], 3);
    assert!(json["files"][1]["versions"][0]["sections"][0]["line"].is_null());
    let out = test
        .run_with(&["check", "--format", "json", "runbooks"])
        .status(1);
    let findings = out.findings();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].0, "runbooks/other.md");
}

#[test]
fn a_conflicted_file_is_explained_by_its_strongest_version() {
    let ours =
        "# Outage\n\n## Summary\n\nIt broke for an hour.\n\n## Timeline\n\n- 10:00 UTC: down\n\
        - 11:00 UTC: restored\n\n## Root cause\n\nA typo in the config.\n\n## Action items\n\n\
        - [ ] add a linter\n";
    let theirs =
        "# Outage\n\n## Summary\n\nIt broke for an hour.\n\n## Timeline\n\n- 10:00 UTC: down\n\
        - 11:00 UTC: restored\n\n## Root cause\n\nA typo in the config.\n";
    let text = format!("<<<<<<< HEAD\n{ours}=======\n{theirs}>>>>>>> topic\n");
    let out = fixtures_repo()
        .write("incidents/db.md", text)
        .run_with(&["schema", "match", "--format", "json", "incidents/db.md"])
        .status(0);
    let json = out.json();
    assert_eq!(
        json["files"][0]["detected_by"],
        "4 of its 4 sections are in this file"
    );
    assert_eq!(json["files"][0]["versions"][1]["side"], "theirs");
}
