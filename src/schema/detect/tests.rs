use super::*;
use crate::markdown::outline::build;

fn detect(path: &str, text: &str) -> Option<Detection> {
    Schema::postmortem().detect(path, text, &build(text))
}

const REPORT: &str = "# Checkout outage\n\n## Summary\n\nOrders failed for an hour because the \
    database ran out of connections.\n\n## Timeline\n\n- 09:00 UTC: alerts fired\n- 09:10 UTC: \
    paged\n- 10:00 UTC: fixed\n\n## Root cause\n\nA pool limit that was set too low.\n\n\
    ## Action items\n\n- [ ] Raise the limit\n";

#[test]
fn a_report_with_most_sections_is_one_whatever_its_path() {
    let found = detect("notes/2024-03-01.md", REPORT).expect("detected");
    assert!(found.strong);
    assert_eq!(found.evidence, Evidence::Sections { found: 4, of: 4 });
}

#[test]
fn a_word_with_one_section_is_weak_evidence() {
    let text = "# Website outage\n\n## Timeline\n\n- 06:00: down\n- 07:00: up\n";
    let found = detect("docs/2022-05-23.md", text).expect("detected by its title");
    assert!(!found.strong);
    assert!(matches!(
        found.evidence,
        Evidence::Word {
            in_title: true,
            found: 1,
            ..
        }
    ));
    let found = detect(
        "postmortems/db.md",
        "# DB\n\n## What happened?\n\nThe disk filled up.\n",
    )
    .expect("detected by its path");
    assert!(matches!(
        found.evidence,
        Evidence::Word {
            in_title: false,
            ..
        }
    ));
    assert!(
        found.reason().contains("path says `postmortem`"),
        "{}",
        found.reason()
    );
}

#[test]
fn a_word_without_any_section_is_no_evidence() {
    assert_eq!(
        detect(
            "0x19-postmortem/README.md",
            "# 0x19. Postmortem\n\nSee the link.\n"
        ),
        None
    );
    assert_eq!(
        detect(
            "postmortems/snippets.md",
            "# Snippets\n\n## Usage\n\nRun it.\n"
        ),
        None
    );
}

#[test]
fn two_sections_without_a_word_are_weak() {
    let text = "# Notes\n\n## Summary\n\nThe job failed twice.\n\n## Timeline\n\n- 10:00 start\n";
    let found = detect("notes.md", text).expect("detected");
    assert!(!found.strong);
    assert_eq!(
        detect("notes.md", "# Install\n\n## Timeline\n\nSoon.\n"),
        None
    );
}

#[test]
fn guides_templates_and_assignments_are_not_reports() {
    // A how-to with every section name as a heading.
    let guide = REPORT.replace("# Checkout outage", "# How to write a postmortem");
    assert_eq!(detect("docs/postmortem.md", &guide), None);
    // A guide by its file name.
    assert_eq!(detect("docs/postmortem-template.md", REPORT), None);
    // A template: blanks to fill.
    let template = REPORT
        .replace("Orders failed", "{{ what failed }} failed")
        .replace("09:00 UTC", "{{ hh:mm }}")
        .replace("10:00 UTC", "{{ hh:mm }}");
    assert_eq!(detect("incidents/new.md", &template), None);
    let bracketed = REPORT
        .replace(
            "Orders failed for an hour",
            "[Describe the impact here] for [duration in hours]",
        )
        .replace("A pool limit", "[What caused it]");
    assert_eq!(detect("incidents/new.md", &bracketed), None);
    let titled = REPORT.replace("# Checkout outage", "# Postmortem: {Incident Title}");
    assert_eq!(detect("incidents/new.md", &titled), None);
    // Assignment text: what each section must contain.
    let assignment = "# Postmortem\n\n## Requirements\n\n### Issue Summary must contain:\n\n\
        - the duration\n\n### Timeline must contain:\n\n- when it was detected\n\n\
        ### Root cause and resolution must contain:\n\n- what caused it\n\n\
        This section should include the fix.\n";
    assert_eq!(detect("0x19-postmortem/README.md", assignment), None);
}

#[test]
fn a_report_about_a_service_named_like_a_guide_is_a_report() {
    for title in [
        "# Postmortem: template rendering service outage",
        "# Outage of the style guide site",
        "# Postmortem: Writing to S3 failed",
    ] {
        let report = REPORT.replace("# Checkout outage", title);
        assert!(
            detect("notes/a.md", &report).is_some_and(|d| d.strong),
            "{title}"
        );
    }
    assert!(detect("notes/template-engine-outage.md", REPORT).is_some_and(|d| d.strong));
    // More guides: a tutorial, a form, a title that is a blank.
    for title in [
        "# Postmortem tutorial",
        "# Incident report form",
        "# Incident: [Title]",
        "# Incident: <insert title>",
    ] {
        let guide = REPORT.replace("# Checkout outage", title);
        assert_eq!(detect("notes/a.md", &guide), None, "{title}");
    }
}

#[test]
fn sections_without_a_name_or_times_are_thin_evidence() {
    // An RFC: a summary, a why, a roadmap, next steps; it says no postmortem and tells no times.
    let rfc = "# RFC: faster builds\n\n## Summary\n\nCache the toolchain between jobs.\n\n\
        ## Motivation: why?\n\nBuilds take twenty minutes.\n\n## Timeline\n\n- Q1: design\n\
        - Q2: rollout\n\n## Next steps\n\n- [ ] Write the design doc\n";
    let found = detect("rfcs/builds.md", rfc).expect("thin");
    assert!(!found.strong);
}

#[test]
fn one_placeholder_or_instruction_does_not_make_a_guide() {
    let report = REPORT
        .replace(
            "A pool limit",
            "A pool limit (see [link]) that you should know was",
        )
        .replace("09:10 UTC", "XX:XX");
    assert!(detect("notes/a.md", &report).is_some_and(|d| d.strong));
}

/// Text near the instruction phrases and blanks: in every case, joined and broken, beside letters
/// outside ASCII.
const PHRASE_PIECES: &[&str] = &[
    "must include",
    "Must Include",
    "MUST INCLUDE",
    "Should describe",
    "can list",
    "may outline",
    "you should",
    "You will",
    "YOU MUST",
    "this section",
    "This template",
    "tHis page",
    "Describe the",
    "describe any",
    "Explain why",
    "explain in",
    "make sure",
    "Fill out",
    "replace this",
    "Write your",
    "write an",
    "List the",
    "list each",
    "YYYY-MM-DD",
    "yyyy-mm-dd",
    "Yyyy-mm-dd",
    "HH:MM",
    "hh:mm",
    "Hh:Mm",
    "XX:XX",
    "xx:xx",
    "xX:xx",
    "can",
    "this",
    "will",
    "sections",
    "thisx",
    "é",
    "ſ",
    "\u{212A}",
    " ",
    " ",
    "\n",
    "-",
    ":",
    "x",
    "1",
    ".",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// A text the quick pass says holds no placeholder holds none the regex finds.
    #[test]
    fn the_placeholder_pass_misses_none(
        pieces in proptest::collection::vec(
            proptest::sample::select(&[
                "[", "]", "{", "}", "{{", "}}", "`", "<", ">", "<insert", "insert", " ", "\n",
                "(", ")", "Date", "and", "time", "x", "X", "[ ]", "[x]", "é", ":", "Incident Title",
                "a", "Ab", "AB", "[link](x)", "-", "0",
            ][..]),
            0..16,
        )
    ) {
        let text: String = pieces.concat();
        if !may_hold_placeholder(text.as_bytes()) {
            proptest::prop_assert_eq!(PLACEHOLDER.find_iter(&text).count(), 0, "{:?}", text);
        }
        proptest::prop_assert_eq!(
            placeholders(&text, 3),
            PLACEHOLDER.find_iter(&text).take(3).count()
        );
    }

    /// The phrases are counted where the regex alone finds them, at every cap.
    #[test]
    fn phrases_are_counted_as_the_regex_finds_them(
        pieces in proptest::collection::vec(proptest::sample::select(PHRASE_PIECES), 0..24),
        cap in 1usize..5,
    ) {
        let text = pieces.concat();
        let mut found = Vec::new();
        PHRASES.for_each_match(&text, |m| {
            found.push(m.to_owned());
            true
        });
        let plain = regex::Regex::new(PHRASE_PATTERN).expect("valid");
        let expected: Vec<String> = plain.find_iter(&text).map(|m| m.as_str().to_owned()).collect();
        proptest::prop_assert_eq!(&found, &expected);
        let (mut said, mut blanks) = (0, 0);
        for m in &expected {
            if m.contains([':', '-']) { blanks += 1 } else { said += 1 }
        }
        proptest::prop_assert_eq!(phrases(&text, cap), (said.min(cap), blanks.min(cap)));
    }
}

/// `101` names a guide in a title (`Postmortems 101`), not an incident's number in a file name
/// or after the word for one (`incident-101.md`, `# Incident 101`): a review found such reports
/// were never checked.
#[test]
fn an_incident_numbered_101_is_a_report() {
    let report = "# Incident 101\n\n## Issue Summary\nDuration: 1 hour.\n\n## Timeline\n\
        - 10:00 UTC: alerts fired\n- 11:00 UTC: fixed\n\n## Root Cause and Resolution\n\
        A bad deploy, rolled back.\n\n## Corrective and Preventative Measures\n- [ ] Canary\n";
    let schema = Schema::postmortem();
    for path in ["postmortems/incident-101.md", "postmortems/labels-101.md"] {
        assert!(
            schema.detect(path, report, &build(report)).is_some(),
            "{path}"
        );
    }
    let guide = report.replace("# Incident 101", "# Postmortems 101");
    assert!(schema
        .detect("docs/postmortems-101.md", &guide, &build(&guide))
        .is_none());
}
