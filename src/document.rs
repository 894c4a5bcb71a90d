//! Checks of a Markdown file as a document: encoding, mojibake, and its section schema, run on
//! each side of a conflicted file as if that side had won. Pure: bytes in, findings out.

use crate::conflict::{Chunk, ConflictedText, Side, SideText};
use crate::diagnostic::{Finding, Rule};
use crate::markdown::outline::{self, Outline};
use crate::mojibake;
use crate::schema::{validate, SchemaSet};
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
    // Cheap exits first: a glob names the file, or some schema might detect it.
    if schemas.by_path(rel_path).is_none() && schemas.candidates(rel_path, text).next().is_none() {
        return Vec::new();
    }
    let sides: Vec<(Option<Side>, SideText)> = match parsed {
        None => vec![(None, SideText::whole(bytes))],
        Some(parsed) => [Side::Ours, Side::Theirs, Side::Base]
            .into_iter()
            .filter_map(|side| parsed.side_text(bytes, side).map(|t| (Some(side), t)))
            .collect(),
    };
    let documents: Vec<(Option<Side>, &SideText, &str)> = sides
        .iter()
        .filter_map(|(side, doc)| {
            std::str::from_utf8(&doc.bytes)
                .ok()
                .map(|t| (*side, doc, t))
        })
        .collect();
    let outlines: Vec<Outline> = documents
        .iter()
        .map(|(_, _, t)| outline::build(t))
        .collect();
    let refs: Vec<&Outline> = outlines.iter().collect();
    let Some(schema) = schemas.select(rel_path, text, &refs) else {
        return Vec::new();
    };

    let mut findings: Vec<Finding> = Vec::new();
    for ((side, doc, doc_text), outline) in documents.iter().zip(&outlines) {
        for found in validate(doc_text, outline, schema) {
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
