//! The resolutions worth offering for one conflict region, and a verdict for each: the document's
//! schema run on the whole file as it would be with that choice. Pure.

use crate::conflict::{Block, Chunk, ConflictedText, Side};
use crate::diagnostic::{Rule, Severity};
use crate::document::check_document;
use crate::schema::SchemaSet;

use super::{sections, trivial, union};

/// One way to resolve a region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The key that picks it in the prompt.
    pub key: char,
    /// What it is, for people.
    pub name: String,
    /// The text that replaces the region.
    pub text: Vec<u8>,
    /// Conflicts the text still holds (a section merge may leave some).
    pub conflicts: usize,
}

/// The candidates for `block`: ours, theirs, base (from the markers, or `known_base` recovered
/// from Git), both in either order, the union, the trivial resolution and the section-aware merge
/// when they apply. Duplicates are dropped.
#[must_use]
pub fn candidates(input: &[u8], block: &Block, known_base: Option<&[u8]>) -> Vec<Candidate> {
    let side = |s: Side| block.side_bytes(input, s).map(|b| b.into_owned());
    let (Some(ours), Some(theirs)) = (side(Side::Ours), side(Side::Theirs)) else {
        return Vec::new();
    };
    let base = side(Side::Base).or_else(|| known_base.map(<[u8]>::to_vec));
    let mut list = vec![
        Candidate {
            key: 'o',
            name: "ours".into(),
            text: ours.clone(),
            conflicts: 0,
        },
        Candidate {
            key: 't',
            name: "theirs".into(),
            text: theirs.clone(),
            conflicts: 0,
        },
    ];
    if let Some(base) = &base {
        list.push(Candidate {
            key: 'b',
            name: "base".into(),
            text: base.clone(),
            conflicts: 0,
        });
    }
    list.push(Candidate {
        key: 'u',
        name: "ours then theirs".into(),
        text: [ours.clone(), theirs.clone()].concat(),
        conflicts: 0,
    });
    list.push(Candidate {
        key: 'U',
        name: "theirs then ours".into(),
        text: [theirs.clone(), ours.clone()].concat(),
        conflicts: 0,
    });
    list.push(Candidate {
        key: 'n',
        name: "union (shared lines once)".into(),
        text: union(&ours, &theirs),
        conflicts: 0,
    });
    if let Some(text) = trivial(ours.clone(), theirs.clone(), base.clone()) {
        list.push(Candidate {
            key: 'a',
            name: "trivial (needs no judgement)".into(),
            text,
            conflicts: 0,
        });
    }
    let section_merge = match (block.side(Side::Base), &base) {
        (None, Some(base)) => sections::merge_texts(
            &ours,
            base,
            &theirs,
            &sections::MarkerStyle::of(input, block),
        ),
        _ => sections::merge(input, block),
    };
    if let Some((text, conflicts)) = section_merge {
        list.push(Candidate {
            key: 's',
            name: "section-aware merge".into(),
            text,
            conflicts,
        });
    }
    let mut seen: Vec<Vec<u8>> = Vec::new();
    list.retain(|c| {
        let fresh = !seen.contains(&c.text);
        seen.push(c.text.clone());
        fresh
    });
    list
}

/// The candidates of a block that ends the file, with the final newline each version had (Git's
/// markers end every side with one): `ours`, `theirs` and both orders as `git merge-file` writes
/// them from the index stages. Without stages, the file is all there is.
#[must_use]
pub fn ending_the_file(
    offered: Vec<Candidate>,
    input: &[u8],
    block: &Block,
    stages: &crate::lint::Stages,
) -> Vec<Candidate> {
    let side = |s: Side| block.side_bytes(input, s).map(|b| b.into_owned());
    let (Some(ours), Some(theirs)) = (side(Side::Ours), side(Side::Theirs)) else {
        return offered;
    };
    let restore = |text: &[u8], version: &Option<Vec<u8>>| {
        super::restore_final_newline(text.to_vec(), version.as_deref())
    };
    offered
        .into_iter()
        .map(|mut candidate| {
            candidate.text = match candidate.key {
                'o' => restore(&ours, &stages.ours),
                't' => restore(&theirs, &stages.theirs),
                'u' => [ours.clone(), restore(&theirs, &stages.theirs)].concat(),
                'U' => [theirs.clone(), restore(&ours, &stages.ours)].concat(),
                _ => candidate.text,
            };
            candidate
        })
        .collect()
}

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

/// The schema's judgement of a whole document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    /// Schema errors (missing, empty or incomplete sections, inconsistent times, ...).
    pub errors: usize,
    /// One line for people: `postmortem complete`, `postmortem: 4 missing sections`, `no schema`.
    pub summary: String,
}

/// Judge a whole document with its schema.
#[must_use]
pub fn assess(bytes: &[u8], rel_path: &str, schemas: &SchemaSet) -> Assessment {
    let parsed = crate::conflict::parse(bytes, &crate::conflict::ParseOptions::default());
    let findings = check_document(bytes, Some(&parsed), rel_path, schemas);
    let Some(schema) = findings.iter().find_map(|f| f.schema.clone()).or_else(|| {
        // A complete document has no findings to name its schema: ask the schema set directly.
        let text = std::str::from_utf8(bytes).ok()?;
        let outline = crate::markdown::outline::build(text);
        schemas
            .select(rel_path, text, &[&outline])
            .map(|s| s.name().to_owned())
    }) else {
        return Assessment {
            errors: 0,
            summary: "no schema".to_owned(),
        };
    };
    let mut parts = Vec::new();
    let mut errors = 0;
    for (rule, word) in [
        (Rule::MissingSection, "missing section"),
        (Rule::EmptySection, "empty section"),
        (Rule::IncompleteSection, "incomplete section"),
        (Rule::DurationMismatch, "duration mismatch"),
        (Rule::TimelineOrder, "timeline out of order"),
        (Rule::HeadingStructure, "heading structure problem"),
    ] {
        let n = findings
            .iter()
            .filter(|f| f.rule == rule && f.severity == Severity::Error)
            .count();
        if n > 0 {
            errors += n;
            parts.push(format!("{n} {word}{}", if n == 1 { "" } else { "s" }));
        }
    }
    let summary = if parts.is_empty() {
        format!("{schema} complete")
    } else {
        format!("{schema}: {}", parts.join(", "))
    };
    Assessment { errors, summary }
}

/// The summary line of [`assess`].
#[must_use]
pub fn verdict(bytes: &[u8], rel_path: &str, schemas: &SchemaSet) -> String {
    assess(bytes, rel_path, schemas).summary
}

/// Candidates with their assessments, best first: fewest schema errors, then fewest conflicts
/// left, then the offered order (ours first).
#[must_use]
pub fn ranked(
    input: &[u8],
    parsed: &ConflictedText,
    choices: &[Option<Vec<u8>>],
    current: usize,
    offered: Vec<Candidate>,
    rel_path: &str,
    schemas: &SchemaSet,
) -> Vec<(Candidate, Assessment)> {
    let mut list: Vec<(Candidate, Assessment)> = offered
        .into_iter()
        .map(|c| {
            let whole = assemble(input, parsed, choices, current, &c.text);
            let assessment = assess(&whole, rel_path, schemas);
            (c, assessment)
        })
        .collect();
    list.sort_by_key(|(c, a)| (a.errors, c.conflicts));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{parse, ParseOptions};

    #[test]
    fn candidates_without_duplicates() {
        let input = b"<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> t\n";
        let parsed = parse(input, &ParseOptions::default());
        let block = parsed.blocks().next().expect("a block");
        let keys: String = candidates(input, block, None)
            .iter()
            .map(|c| c.key)
            .collect();
        // The union of two different single lines is ours then theirs: offered once.
        assert_eq!(keys, "otuU");
    }

    #[test]
    fn the_seed_shape_ranks_ours_first() {
        let input = include_bytes!("../../fixtures/postmortem/checkout-slowdown.md");
        let parsed = parse(input, &ParseOptions::default());
        let block = parsed.blocks().next().expect("a block");
        let schemas = SchemaSet::new(Vec::new(), true);
        let list = ranked(
            input,
            &parsed,
            &[None],
            0,
            candidates(input, block, None),
            "checkout-slowdown.md",
            &schemas,
        );
        assert_eq!(list[0].0.key, 'o');
        assert_eq!(list[0].1.summary, "postmortem complete");
        let theirs = list
            .iter()
            .find(|(c, _)| c.key == 't')
            .expect("theirs offered");
        assert_eq!(theirs.1.summary, "postmortem: 4 missing sections");
        assert_eq!(list.last().map(|(c, _)| c.key), Some('t'));
    }

    #[test]
    fn verdicts_name_the_schema_and_what_is_missing() {
        let schemas = SchemaSet::new(Vec::new(), true);
        let complete = include_bytes!("../../fixtures/postmortems/complete.md");
        assert_eq!(
            verdict(complete, "postmortem.md", &schemas),
            "postmortem complete"
        );
        assert_eq!(
            verdict(b"## 0x19-postmortem\n", "x.md", &schemas),
            "postmortem: 4 missing sections"
        );
        assert_eq!(verdict(b"# Notes\n", "notes.md", &schemas), "no schema");
    }
}
