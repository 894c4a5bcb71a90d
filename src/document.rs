//! Checks of a Markdown file as a document: encoding, mojibake, and its section schema, run on
//! each side of a conflicted file as if that side had won. Pure: bytes in, findings out.

use std::borrow::Cow;

use crate::conflict::{Chunk, ConflictedText, Side, SideText};
use crate::diagnostic::{Finding, Rule, Severity};
use crate::markdown::outline::{self, Outline};
use crate::mojibake;
use crate::schema::{
    section_matches, validate, Detection, Evidence, Schema, SchemaFinding, SchemaSet, SectionMatch,
    Sections,
};
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
    // Every document is validated whole: `simdutf8` does it several times faster than the
    // standard library (whose check was 1% of a run over 10,000 postmortems), which is asked
    // only where the bad byte is.
    let valid = simdutf8::basic::from_utf8(bytes).map_err(|_| std::str::from_utf8(bytes));
    let text = match valid {
        Ok(text) | Err(Ok(text)) => text,
        Err(Err(error)) => {
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
    // Fixed only in prose: a link's destination, an autolink, HTML or front matter may name
    // something by exactly those bytes.
    let prose = crate::markdown::prose_spans(text);
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
            if prose
                .iter()
                .any(|p| p.start <= m.span.start && m.span.end <= p.end)
                && !in_bare_url(text, m.span)
            {
                finding.fix = Some(crate::fix::Edit {
                    span: m.span,
                    replacement: m.repaired.clone(),
                });
            }
            finding.suggestion = Some(m.repaired);
            finding.side = parsed.and_then(|p| side_at(p, m.span.start));
            finding
        })
        .collect()
}

/// Whether `span` lies in a bare URL (`https://...`, `www....`), which GitHub makes a link: its
/// bytes may be a name.
fn in_bare_url(text: &str, span: Span) -> bool {
    let apart = |c: char| c.is_whitespace() || "()[]<>\"'".contains(c);
    let start = text[..span.start]
        .char_indices()
        .rfind(|&(_, c)| apart(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[span.end..]
        .find(apart)
        .map_or(text.len(), |i| span.end + i);
    let word = &text[start..end];
    word.contains("://") || word.starts_with("www.")
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
    // The schemas that may apply, each asked once (what `may_have_schema` asks).
    let by_glob = schemas.by_path(rel_path);
    let mut candidates = schemas.candidates(rel_path, text).peekable();
    if by_glob.is_none() && candidates.peek().is_none() {
        return Vec::new();
    }
    let versions = match parsed {
        Some(_) => Versions::of(bytes, parsed),
        None => Versions::whole(text),
    };
    versions.checked(rel_path, by_glob, candidates)
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
/// UTF-8), each with its outline: what a schema is chosen by and validated on, by `check` and by
/// the resolver's verdicts alike.
pub struct Versions<'t> {
    versions: Vec<Version<'t>>,
}

/// One version of a document.
struct Version<'t> {
    /// The side it is (none for a document without conflicts).
    side: Option<Side>,
    /// Where each piece of its text lies in the file; none when it is the whole file (the
    /// file's text is borrowed, not copied: every checked document is one).
    doc: Option<SideText>,
    /// Its text, checked as UTF-8 once (every check reads it).
    text: Cow<'t, str>,
    /// Its outline.
    outline: Outline,
}

impl<'t> Versions<'t> {
    /// Whether any schema could apply: a glob names the file, or a schema's words are in a
    /// heading or the path. The cheap exit most files take before anything is outlined.
    #[must_use]
    pub fn may_have_schema(text: &str, rel_path: &str, schemas: &SchemaSet) -> bool {
        schemas.by_path(rel_path).is_some() || schemas.candidates(rel_path, text).next().is_some()
    }

    /// The one version of `text`, a document without conflicts (already known to be UTF-8).
    #[must_use]
    pub fn whole(text: &'t str) -> Self {
        Self {
            versions: vec![Version {
                side: None,
                doc: None,
                text: Cow::Borrowed(text),
                outline: outline::build(text),
            }],
        }
    }

    /// The versions of `bytes`, whose conflict parse (when it has conflicts) is `parsed`.
    #[must_use]
    pub fn of(bytes: &'t [u8], parsed: Option<&ConflictedText>) -> Self {
        let Some(parsed) = parsed else {
            return std::str::from_utf8(bytes).map_or(
                Self {
                    versions: Vec::new(),
                },
                Self::whole,
            );
        };
        let versions = [Side::Ours, Side::Theirs, Side::Base]
            .into_iter()
            .filter_map(|side| parsed.side_text(bytes, side).map(|t| (Some(side), t)))
            .filter_map(|(side, doc)| {
                let text = String::from_utf8(doc.bytes.clone()).ok()?;
                let outline = outline::build(&text);
                Some(Version {
                    side,
                    doc: Some(doc),
                    text: Cow::Owned(text),
                    outline,
                })
            })
            .collect();
        Self { versions }
    }

    /// The schema the file gets and why: by glob, else the first that detects any of its
    /// versions.
    #[must_use]
    pub fn schema<'s>(
        &self,
        rel_path: &str,
        text: &str,
        schemas: &'s SchemaSet,
    ) -> Option<(&'s Schema, Detection)> {
        let refs: Vec<(&str, &Outline)> = self
            .versions
            .iter()
            .map(|v| (v.text(), &v.outline))
            .collect();
        schemas.select(rel_path, text, &refs)
    }

    /// Every version validated by `schema`, findings mapped to the file's lines; a finding every
    /// version has alike is one finding about the file. On weak evidence (`detection`), every
    /// finding is a warning, and a missing section says why the schema applied.
    #[must_use]
    pub fn validate(&self, schema: &Schema, detection: &Detection) -> Vec<Finding> {
        let found: Vec<Vec<SchemaFinding>> = self
            .versions
            .iter()
            .map(|v| validate(v.text(), &v.outline, schema))
            .collect();
        self.file_findings(schema, detection, found)
    }

    /// What `check` reports: the schema a glob gives, else the first that detects a version, its
    /// findings. Each candidate schema validates each version once, and detection counts the
    /// sections that validation found (the hot path: no document is located twice).
    ///
    /// `by_glob` is the schema a glob names for the path ([`SchemaSet::by_path`]), `candidates`
    /// the others that may detect it ([`SchemaSet::candidates`]).
    #[must_use]
    pub fn checked<'s>(
        &self,
        rel_path: &str,
        by_glob: Option<&'s Schema>,
        candidates: impl Iterator<Item = &'s Schema>,
    ) -> Vec<Finding> {
        if let Some(schema) = by_glob {
            crate::schema::warm_up();
            return self.validate(schema, &Detection::by_glob());
        }
        for schema in candidates {
            let located: Vec<Sections> = self
                .versions
                .iter()
                .map(|v| Sections::locate(v.text(), &v.outline, schema))
                .collect();
            let detection = self
                .versions
                .iter()
                .zip(&located)
                .filter_map(|(v, sections)| {
                    schema.detect_counted(rel_path, v.text(), &v.outline, sections.found())
                })
                .max_by_key(Detection::weight);
            if let Some(detection) = detection {
                crate::schema::warm_up();
                let found = located.into_iter().map(Sections::check).collect();
                return self.file_findings(schema, &detection, found);
            }
        }
        Vec::new()
    }

    /// Each version's findings (`found`, in version order) mapped to the file's lines; a finding
    /// every version has alike is one finding about the file. On weak evidence (`detection`),
    /// every finding is a warning, and a missing section says why the schema applied.
    fn file_findings(
        &self,
        schema: &Schema,
        detection: &Detection,
        found: Vec<Vec<SchemaFinding>>,
    ) -> Vec<Finding> {
        let mut findings: Vec<Finding> = Vec::new();
        for (version, found) in self.versions.iter().zip(found) {
            for found in found {
                let span = version.span_to_file(found.span);
                let mut finding = Finding::new(found.rule, span, found.message);
                if !detection.strong || found.tentative {
                    finding.severity = Severity::Warning;
                }
                if found.rule == Rule::MissingSection && detection.evidence != Evidence::Glob {
                    finding.help = Some(why_checked(schema, detection).into());
                }
                finding.side = version.side;
                finding.schema = Some(schema.name().to_owned());
                finding.section = found.section;
                finding.suggestion = found.suggestion;
                // A side's text is not the file's: its fix waits for the conflict's resolution.
                if version.side.is_none() {
                    finding.fix = found.fix;
                }
                findings.push(finding);
            }
        }
        merge_shared(findings)
    }
}

impl Version<'_> {
    /// Its text (versions are UTF-8: [`Versions::of`] keeps no other).
    fn text(&self) -> &str {
        &self.text
    }

    /// Where `span` of its text lies in the file.
    fn span_to_file(&self, span: Span) -> Span {
        self.doc.as_ref().map_or(span, |doc| doc.span_to_file(span))
    }
}

/// Which schema a file gets, why, and where each version has each section: what `schema match`
/// prints.
#[derive(Debug)]
pub struct Explanation {
    /// The schema's name.
    pub schema: String,
    /// Why it applies.
    pub detection: Detection,
    /// Each version (the whole file, or each side of its conflicts): its side and its sections,
    /// spans in file offsets.
    pub versions: Vec<(Option<Side>, Vec<SectionMatch>)>,
}

/// Explain the schema `check` would apply to `bytes` at `rel_path` (none when no schema applies
/// or the file is not UTF-8).
#[must_use]
pub fn explain(bytes: &[u8], rel_path: &str, schemas: &SchemaSet) -> Option<Explanation> {
    let text = std::str::from_utf8(bytes).ok()?;
    let parsed = crate::conflict::parse(bytes, &crate::conflict::ParseOptions::default());
    let versions = Versions::of(bytes, Some(&parsed).filter(|p| !p.is_clean()));
    let (schema, detection) = versions.schema(rel_path, text, schemas)?;
    let versions = versions
        .versions
        .iter()
        .map(|v| {
            let doc = v.text();
            let matches = section_matches(doc, &v.outline, schema)
                .into_iter()
                .map(|mut m| {
                    m.span = m.span.map(|s| v.span_to_file(s));
                    m
                })
                .collect();
            (v.side, matches)
        })
        .collect();
    Some(Explanation {
        schema: schema.name().to_owned(),
        detection,
        versions,
    })
}

/// Why a document found by its content is checked against `schema`, and what a warning means.
fn why_checked(schema: &Schema, detection: &Detection) -> String {
    let name = schema.name();
    if detection.strong {
        format!("checked as `{name}` because {}", detection.reason())
    } else {
        format!(
            "checked as `{name}` because {}: a warning, as that is thin evidence; a `files` glob \
             for `{name}` in mergemark.toml makes it an error",
            detection.reason()
        )
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
    if !Versions::may_have_schema(text, rel_path, schemas) {
        return None;
    }
    Versions::of(bytes, parsed)
        .schema(rel_path, text, schemas)
        .map(|(schema, _)| schema.name().to_owned())
}
