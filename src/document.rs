//! Checks of a Markdown file as a document: encoding, mojibake, and its section schema, run on
//! each side of a conflicted file as if that side had won. Pure: bytes in, findings out.

use crate::conflict::{Chunk, ConflictedText, Side, SideText};
use crate::diagnostic::{Finding, Rule};
use crate::markdown::outline::{self, Outline};
use crate::mojibake;
use crate::schema::{validate, Schema, SchemaSet};
use crate::span::Span;

/// Check `bytes`, a Markdown file at `rel_path`, whose conflict parse (if it has conflicts) is
/// `parsed`.
#[must_use]
pub fn check_document(
    bytes: &[u8],
    parsed: Option<&ConflictedText>,
    rel_path: &str,
    schemas: &SchemaSet,
) -> Vec<Finding> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let at = error.valid_up_to();
            let end = at + error.error_len().unwrap_or(1);
            let mut finding = Finding::new(
                Rule::NotUtf8,
                Span::new(at, end.min(bytes.len())),
                format!(
                    "not valid UTF-8: byte 0x{:02X} at offset {at} cannot start or continue a character; \
                     the document checks were skipped (conflict markers were still checked)",
                    bytes[at]
                ),
            );
            finding.help = Some("re-save the file as UTF-8".into());
            return vec![finding];
        }
    };
    let parsed = parsed.filter(|p| !p.is_clean());
    let mut findings = mojibake_findings(text, parsed);
    if !schemas.is_empty() {
        findings.extend(schema_findings(bytes, text, parsed, rel_path, schemas));
    }
    findings
}

fn mojibake_findings(text: &str, parsed: Option<&ConflictedText>) -> Vec<Finding> {
    let found = mojibake::find(text);
    if found.is_empty() {
        return Vec::new();
    }
    // Code spans and code blocks quote text as it is (documentation about mojibake shows some).
    let code = code_ranges(text);
    found
        .into_iter()
        .filter(|m| !code.iter().any(|c| c.start <= m.span.start && m.span.end <= c.end))
        .map(|m| {
            let garbled = &text[m.span.start..m.span.end];
            let mut finding = Finding::new(
                Rule::Mojibake,
                m.span,
                format!("mojibake: `{garbled}` is `{}` written as UTF-8, read as Windows-1252 and written again", m.repaired),
            );
            finding.help = Some(format!("replace `{garbled}` with `{}`", m.repaired).into());
            finding.suggestion = Some(m.repaired);
            finding.side = parsed.and_then(|p| side_at(p, m.span.start));
            finding
        })
        .collect()
}

/// Byte ranges of inline code spans and code blocks.
fn code_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    crate::markdown::code_spans(text)
        .into_iter()
        .map(|s| s.start..s.end)
        .collect()
}

/// The side of the conflict block that `offset` lies in, if any.
fn side_at(parsed: &ConflictedText, offset: usize) -> Option<Side> {
    parsed.chunks.iter().find_map(|chunk| match chunk {
        Chunk::Block(block) if block.span.start <= offset && offset < block.span.end => {
            [Side::Ours, Side::Base, Side::Theirs]
                .into_iter()
                .find(|&side| {
                    block
                        .side(side)
                        .is_some_and(|s| s.body.start <= offset && offset < s.body.end)
                })
        }
        _ => None,
    })
}

fn schema_findings(
    bytes: &[u8],
    text: &str,
    parsed: Option<&ConflictedText>,
    rel_path: &str,
    schemas: &SchemaSet,
) -> Vec<Finding> {
    let Some(sides) = Sides::read(bytes, text, parsed, rel_path, schemas) else {
        return Vec::new();
    };
    let Some(schema) = sides.schema(rel_path, text, schemas) else {
        return Vec::new();
    };
    let mut findings: Vec<Finding> = Vec::new();
    for ((side, doc), outline) in sides.documents.iter().zip(&sides.outlines) {
        for found in validate(Sides::text(doc), outline, schema) {
            let mut finding = Finding::new(found.rule, doc.span_to_file(found.span), found.message);
            finding.side = *side;
            finding.schema = Some(schema.name().to_owned());
            finding.section = found.section;
            finding.suggestion = found.suggestion;
            findings.push(finding);
        }
    }
    merge_shared(findings)
}

/// A finding that every side reports identically is about the file, not one side: keep one,
/// without a side.
fn merge_shared(findings: Vec<Finding>) -> Vec<Finding> {
    let sides: std::collections::HashSet<Option<Side>> = findings.iter().map(|f| f.side).collect();
    if sides.len() <= 1 {
        return findings;
    }
    let key = |f: &Finding| (f.rule, f.span, f.message.clone());
    let mut counts: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for f in &findings {
        *counts.entry(key(f)).or_default() += 1;
    }
    let all = sides.len();
    let mut seen = std::collections::HashSet::new();
    findings
        .into_iter()
        .filter_map(|mut f| {
            let k = key(&f);
            if counts[&k] == all {
                if !seen.insert(k) {
                    return None;
                }
                f.side = None;
            }
            Some(f)
        })
        .collect()
}

/// The documents a file stands for (the whole file, or each side of its conflicts, those that are
/// UTF-8) with their outlines: what a schema is chosen by and validated on.
struct Sides {
    documents: Vec<(Option<Side>, SideText)>,
    outlines: Vec<Outline>,
}

impl Sides {
    /// `None` when no schema could apply (no glob names the file and no schema's words are in
    /// it: the cheap exit taken for most files).
    fn read(
        bytes: &[u8],
        text: &str,
        parsed: Option<&ConflictedText>,
        rel_path: &str,
        schemas: &SchemaSet,
    ) -> Option<Self> {
        if schemas.by_path(rel_path).is_none()
            && schemas.candidates(rel_path, text).next().is_none()
        {
            return None;
        }
        let documents: Vec<(Option<Side>, SideText)> = match parsed {
            None => vec![(None, SideText::whole(bytes))],
            Some(parsed) => [Side::Ours, Side::Theirs, Side::Base]
                .into_iter()
                .filter_map(|side| parsed.side_text(bytes, side).map(|t| (Some(side), t)))
                .collect(),
        }
        .into_iter()
        .filter(|(_, doc)| std::str::from_utf8(&doc.bytes).is_ok())
        .collect();
        let outlines = documents
            .iter()
            .map(|(_, doc)| outline::build(Self::text(doc)))
            .collect();
        Some(Self {
            documents,
            outlines,
        })
    }

    /// A document's text (only UTF-8 documents are kept).
    fn text(doc: &SideText) -> &str {
        std::str::from_utf8(&doc.bytes).unwrap_or_default()
    }

    /// The schema the file gets: by glob, else the first that detects any of its documents.
    fn schema<'s>(
        &self,
        rel_path: &'s str,
        text: &'s str,
        schemas: &'s SchemaSet,
    ) -> Option<&'s Schema> {
        let refs: Vec<&Outline> = self.outlines.iter().collect();
        schemas.select(rel_path, text, &refs)
    }
}

/// The name of the schema a Markdown file at `rel_path` is checked against, read with markers
/// of `marker_size` (what `check` would validate it by; `--verbose` says it).
#[must_use]
pub fn schema_in_force(
    bytes: &[u8],
    marker_size: usize,
    rel_path: &str,
    schemas: &SchemaSet,
) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let parsed = crate::conflict::parse(bytes, &crate::conflict::ParseOptions { marker_size });
    let parsed = Some(&parsed).filter(|p| !p.is_clean());
    let sides = Sides::read(bytes, text, parsed, rel_path, schemas)?;
    sides
        .schema(rel_path, text, schemas)
        .map(|schema| schema.name().to_owned())
}
