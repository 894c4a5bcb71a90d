//! The verdicts: the document's schema run on the whole file as it would be with a choice, and
//! the candidates ranked by them. Pure. The schema a document is judged by is chosen from the
//! document, as `check` chooses it, and handed to the judgement: nothing is read back out of
//! findings.

use super::candidate::Candidate;
use crate::conflict::{parse, Chunk, ConflictedText, ParseOptions, Side};
use crate::diagnostic::{Rule, Severity};
use crate::document::Versions;
use crate::schema::{Detection, Schema, SchemaSet};

/// The schema's judgement of a whole document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    /// Schema errors (missing, empty or incomplete sections, inconsistent times, ...).
    pub errors: usize,
    /// One line for people: `postmortem complete`, `postmortem: missing Timeline, 1 duration
    /// mismatch`, `no schema`.
    pub summary: String,
    /// Whether a schema judged it (otherwise there is nothing to say about the candidate).
    pub judged: bool,
}

impl Assessment {
    /// No schema applies.
    fn unjudged() -> Assessment {
        Assessment {
            errors: 0,
            summary: "no schema".to_owned(),
            judged: false,
        }
    }
}

/// The rules a verdict counts, and their words for people.
const COUNTED: [(Rule, &str); 6] = [
    (Rule::MissingSection, "missing section"),
    (Rule::EmptySection, "empty section"),
    (Rule::IncompleteSection, "incomplete section"),
    (Rule::DurationMismatch, "duration mismatch"),
    (Rule::TimelineOrder, "timeline out of order"),
    (Rule::HeadingStructure, "heading structure problem"),
];

/// What judges documents: the schemas in force and the documents' path.
#[derive(Clone, Copy)]
pub struct Judge<'a> {
    /// The schemas in force.
    pub schemas: &'a SchemaSet,
    /// The path the documents are at (globs and detection words match it).
    pub rel_path: &'a str,
}

impl<'a> Judge<'a> {
    /// The schema `check` judges `bytes` by: the one a glob gives the path, else the first that
    /// detects one of the versions its conflicts leave. `None` for no schema (or no UTF-8).
    #[must_use]
    pub fn schema(&self, bytes: &[u8]) -> Option<&'a Schema> {
        let (text, versions) = read(bytes, self.rel_path, self.schemas)?;
        versions
            .schema(self.rel_path, text, self.schemas)
            .map(|(schema, _)| schema)
    }

    /// Judge `bytes` by the schema [`Judge::schema`] chooses for it.
    #[must_use]
    pub fn assess(&self, bytes: &[u8]) -> Assessment {
        let Some((text, versions)) = read(bytes, self.rel_path, self.schemas) else {
            return Assessment::unjudged();
        };
        match versions.schema(self.rel_path, text, self.schemas) {
            Some((schema, detection)) => judged(&versions, schema, &detection),
            None => Assessment::unjudged(),
        }
    }
}

/// The text and versions of a document a schema may apply to (`None`: not UTF-8, or no schema
/// could apply: the cheap exit `check` takes too).
fn read<'b>(
    bytes: &'b [u8],
    rel_path: &str,
    schemas: &SchemaSet,
) -> Option<(&'b str, Versions<'b>)> {
    let text = std::str::from_utf8(bytes).ok()?;
    if !Versions::may_have_schema(text, rel_path, schemas) {
        return None;
    }
    Some((text, versions_of(bytes)))
}

/// The versions of a document as `check` reads them.
fn versions_of(bytes: &[u8]) -> Versions<'_> {
    let parsed = parse(bytes, &ParseOptions::default());
    Versions::of(bytes, Some(&parsed).filter(|p| !p.is_clean()))
}

/// Judge a whole document by `schema`; `None` (or a document that is not UTF-8) is no schema.
#[must_use]
pub fn assess(bytes: &[u8], schema: Option<&Schema>) -> Assessment {
    match (std::str::from_utf8(bytes), schema) {
        (Ok(_), Some(schema)) => judged(&versions_of(bytes), schema, &Detection::by_glob()),
        _ => Assessment::unjudged(),
    }
}

/// The verdict of `schema` on every version; a finding every version has alike counts once, as
/// `check` reports it once.
fn judged(versions: &Versions, schema: &Schema, detection: &Detection) -> Assessment {
    let findings: Vec<crate::diagnostic::Finding> = versions
        .validate(schema, detection)
        .into_iter()
        .filter(|f| f.rule.default_severity() == Severity::Error)
        .collect();
    let mut parts: Vec<String> = Vec::new();
    let mut errors = 0;
    for (rule, word) in COUNTED {
        let of_rule: Vec<&crate::diagnostic::Finding> =
            findings.iter().filter(|f| f.rule == rule).collect();
        // On weak evidence (a warning), a problem is named but does not count against the side.
        errors += of_rule
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        // Sections are named (`missing Timeline`); the other problems are counted.
        let named: Vec<String> = of_rule
            .iter()
            .filter_map(|f| f.section.as_deref())
            .map(|section| format!("{} {section}", word.trim_end_matches(" section")))
            .collect();
        let unnamed = of_rule.len() - named.len();
        for name in named {
            if !parts.contains(&name) {
                parts.push(name);
            }
        }
        if unnamed > 0 {
            parts.push(format!(
                "{unnamed} {word}{}",
                if unnamed == 1 { "" } else { "s" }
            ));
        }
    }
    if parts.len() > SHOWN {
        let more = parts.len() - SHOWN;
        parts.truncate(SHOWN);
        parts.push(format!("{more} more"));
    }
    let name = schema.name();
    let summary = if parts.is_empty() {
        format!("{name} complete")
    } else {
        format!("{name}: {}", parts.join(", "))
    };
    Assessment {
        errors,
        summary,
        judged: true,
    }
}

/// How many problems a verdict names before it counts the rest.
const SHOWN: usize = 4;

/// The file as it would be: `choices` for the regions decided so far (by index), `candidate` for
/// region `current`, and ours for the regions after it (an assumption, shown in the help).
#[must_use]
pub fn assemble(
    input: &[u8],
    parsed: &ConflictedText,
    choices: &[Option<Vec<u8>>],
    current: usize,
    candidate: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut region = 0;
    for chunk in &parsed.chunks {
        match chunk {
            Chunk::Text(span) => out.extend_from_slice(span.slice(input)),
            Chunk::Block(block) => {
                if region == current {
                    out.extend_from_slice(candidate);
                } else if let Some(Some(chosen)) = choices.get(region) {
                    out.extend_from_slice(chosen);
                } else if region > current {
                    out.extend_from_slice(&block.side_bytes(input, Side::Ours).unwrap_or_default());
                } else {
                    block.render_into(input, &mut out);
                }
                region += 1;
            }
        }
    }
    out
}

/// Candidates with their assessments, best first: fewest schema errors, then fewest conflicts
/// left, then the offered order (ours first). Each is judged in the whole file it would make, by
/// the schema the conflicted file gets (on the evidence of all its versions): a side that dropped
/// every section is a postmortem missing them, not a document of no kind.
#[must_use]
pub fn ranked(
    input: &[u8],
    parsed: &ConflictedText,
    choices: &[Option<Vec<u8>>],
    current: usize,
    offered: Vec<Candidate>,
    judge: &Judge<'_>,
) -> Vec<(Candidate, Assessment)> {
    let chosen = read(input, judge.rel_path, judge.schemas)
        .and_then(|(text, versions)| versions.schema(judge.rel_path, text, judge.schemas));
    let mut list: Vec<(Candidate, Assessment)> = offered
        .into_iter()
        .map(|c| {
            let whole = assemble(input, parsed, choices, current, &c.text);
            let assessment = match (&chosen, std::str::from_utf8(&whole)) {
                (Some((schema, detection)), Ok(_)) => {
                    judged(&versions_of(&whole), schema, detection)
                }
                _ => judge.assess(&whole),
            };
            (c, assessment)
        })
        .collect();
    list.sort_by_key(|(c, a)| (a.errors, c.conflicts));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::candidate::{candidates, CandidateKind};

    fn builtin() -> SchemaSet {
        SchemaSet::new(Vec::new(), true)
    }

    fn verdict(bytes: &[u8], rel_path: &str) -> String {
        let schemas = builtin();
        Judge {
            schemas: &schemas,
            rel_path,
        }
        .assess(bytes)
        .summary
    }

    #[test]
    fn the_seed_shape_ranks_ours_first() {
        let input = include_bytes!("../../fixtures/postmortem/checkout-slowdown.md");
        let parsed = parse(input, &ParseOptions::default());
        let block = parsed.blocks().next().expect("a block");
        let schemas = builtin();
        let judge = Judge {
            schemas: &schemas,
            rel_path: "checkout-slowdown.md",
        };
        let offered = candidates(input, block, None, false);
        let list = ranked(input, &parsed, &[None], 0, offered, &judge);
        assert_eq!(list[0].0.kind, CandidateKind::Ours);
        assert_eq!(list[0].1.summary, "postmortem complete");
        let theirs = list
            .iter()
            .find(|(c, _)| c.kind == CandidateKind::Theirs)
            .expect("theirs offered");
        assert_eq!(theirs.1.summary, "postmortem: missing Issue Summary, missing Timeline, missing Root Cause and Resolution, missing Corrective and Preventative Measures");
        assert_eq!(
            list.last().map(|(c, _)| c.kind),
            Some(CandidateKind::Theirs)
        );
    }

    #[test]
    fn verdicts_name_the_schema_and_what_is_missing() {
        let complete = include_bytes!("../../fixtures/postmortems/complete.md");
        assert_eq!(verdict(complete, "postmortem.md"), "postmortem complete");
        // Detected by its title and one section: the missing ones are warnings, named but not
        // counted.
        assert_eq!(
            verdict(b"## 0x19-postmortem\n\n## Timeline\n\n- 10:00 down\n", "x.md"),
            "postmortem: missing Issue Summary, missing Root Cause and Resolution, missing Corrective and Preventative Measures, incomplete Timeline"
        );
        assert_eq!(verdict(b"## 0x19-postmortem\n", "x.md"), "no schema");
        assert_eq!(verdict(b"# Notes\n", "notes.md"), "no schema");
        assert_eq!(verdict(b"# Postmortem \xFF\n", "x.md"), "no schema");
    }

    #[test]
    fn a_document_is_judged_by_the_schema_it_is_given() {
        let schemas = builtin();
        let postmortem = schemas.iter().next().expect("the built-in schema");
        // Nothing in this document or its path says postmortem, but it is judged as one.
        assert_eq!(
            assess(b"# Notes\n", Some(postmortem)).summary,
            "postmortem: missing Issue Summary, missing Timeline, missing Root Cause and Resolution, missing Corrective and Preventative Measures"
        );
        assert_eq!(assess(b"# Notes\n", None).summary, "no schema");
        let judge = Judge {
            schemas: &schemas,
            rel_path: "notes.md",
        };
        assert!(judge.schema(b"# Notes\n").is_none());
        assert!(judge.schema(b"## 0x19-postmortem\n").is_none());
        assert_eq!(
            judge
                .schema(b"## 0x19-postmortem\n\n## Timeline\n\n- 10:00 down\n")
                .map(Schema::name),
            Some("postmortem")
        );
    }

    #[test]
    fn errors_are_counted_as_check_reports_them() {
        // Conflicted and clean postmortems, findings shared by both sides among them: the
        // verdict's count is `check`'s count of the same rules.
        let schemas = builtin();
        let fixtures = [
            &include_bytes!("../../fixtures/postmortem/checkout-slowdown.md")[..],
            include_bytes!("../../fixtures/postmortems/missing-root-cause-and-resolution.md"),
            include_bytes!("../../fixtures/postmortems/duration-mismatch.md"),
            include_bytes!("../../fixtures/postmortems/bold-pseudo-headings.md"),
            b"## 0x19-postmortem\n<<<<<<< HEAD\n## Issue Summary\nx\n=======\n## Timeline\ny\n>>>>>>> t\n",
        ];
        for bytes in fixtures {
            let parsed = parse(bytes, &ParseOptions::default());
            let findings =
                crate::document::check_document(bytes, Some(&parsed), "postmortem.md", &schemas);
            let expected = findings
                .iter()
                .filter(|f| COUNTED.iter().any(|(rule, _)| *rule == f.rule))
                .filter(|f| f.severity == Severity::Error)
                .count();
            let judge = Judge {
                schemas: &schemas,
                rel_path: "postmortem.md",
            };
            let assessment = judge.assess(bytes);
            assert_eq!(assessment.errors, expected, "{}", assessment.summary);
            assert!(assessment.summary.starts_with("postmortem"));
        }
    }
}
