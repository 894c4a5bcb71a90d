//! Running a schema over one Markdown document (one side of a conflicted file): pure, spans in
//! the document's own offsets.
//!
//! Each schema section is located at its best-matching heading (or, failing that, at a bold or
//! plain line that names it), and extends to the next located schema section: so a fact may sit
//! in the section, in a subsection, or in an adjacent section of its own (`## Impact`).

mod checks;
mod content;
mod heading_fix;
mod label;
mod locate;
mod outage;

use super::{CheckName, MatchedBy, Schema, Section, SectionSpec};
use crate::diagnostic::Rule;
use crate::markdown::outline::Outline;
use crate::span::Span;
use checks::{duplicates, heading_structure, placeholders};

/// Compile the check regexes every checked document needs (see [`super::warm_up`]).
pub(super) fn warm_up() {
    checks::warm_up();
}

pub(super) use locate::Placement;

/// A schema finding in document offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaFinding {
    /// The rule.
    pub rule: Rule,
    /// Where, in the document.
    pub span: Span,
    /// What is wrong and what would satisfy the schema.
    pub message: String,
    /// The canonical section name, when the finding is about one.
    pub section: Option<String>,
    /// Replacement text that would fix it, when there is one.
    pub suggestion: Option<String>,
    /// The edit that fixes it, when one is safe (`check --fix`).
    pub fix: Option<crate::fix::Edit>,
    /// Whether it rests on a loose reading (the timeline's outage): a warning, whatever the
    /// rule's level.
    pub tentative: bool,
}

/// Where a schema section was found.
#[derive(Clone, Copy, Debug)]
pub(super) struct Located<'s> {
    /// The schema section.
    pub(super) section: Section<'s>,
    /// The heading (or pseudo-heading line, without its terminator).
    pub(super) marker: Span,
    /// Whether the marker is a real heading.
    pub(super) heading: bool,
    /// How well it matched (see `Section::heading_score`).
    pub(super) score: u8,
    /// Heading level (0 for a pseudo-heading).
    pub(super) level: u8,
    /// Why the heading was taken for the section (`None` for a pseudo-heading line).
    pub(super) by: Option<MatchedBy<'s>>,
}

/// Validate `text` (whose outline is `outline`) against `schema`.
#[must_use]
pub fn validate(text: &str, outline: &Outline, schema: &Schema) -> Vec<SchemaFinding> {
    Sections::locate(text, outline, schema).check()
}

/// A document's sections located for a schema: what detection counts, before any section is
/// checked (detection decides whether the checks, which read every body, are worth making).
pub struct Sections<'a> {
    text: &'a str,
    outline: &'a Outline,
    schema: &'a Schema,
    placements: Vec<Placement<'a>>,
}

impl<'a> Sections<'a> {
    /// Find each of `schema`'s sections in the document: headings, then label lines.
    #[must_use]
    pub fn locate(text: &'a str, outline: &'a Outline, schema: &'a Schema) -> Self {
        let mut placements = locate::by_headings(text, outline, schema);
        if placements.iter().any(|p| p.found.is_none()) {
            locate::by_pseudo_headings(text, outline, schema, &mut placements);
        }
        Self {
            text,
            outline,
            schema,
            placements,
        }
    }

    /// How many of the schema's sections the document has.
    #[must_use]
    pub fn found(&self) -> usize {
        self.placements.iter().filter(|p| p.found.is_some()).count()
    }

    /// Every finding of the schema's checks, by position.
    #[must_use]
    pub fn check(self) -> Vec<SchemaFinding> {
        let Self {
            text,
            outline,
            schema,
            placements,
        } = self;
        let mut findings = Vec::new();
        duplicates(text, &placements, &mut findings);
        let level = locate::suggested_level(&placements);
        let mut order: Vec<Located> = Vec::with_capacity(placements.len());
        order.extend(placements.iter().filter_map(|p| p.found));
        order.sort_by_key(|l| l.marker.start);

        // The timeline, read for the outage only when a duration is stated without times.
        let timeline = placements
            .iter()
            .filter(|p| p.section.spec.timestamped_entries.is_some())
            .find_map(|p| p.found)
            .map(|found| outage::Timeline {
                text,
                outline,
                body: extent(text, &order, found),
            });
        for placement in &placements {
            let Some(found) = placement.found else {
                if placement.section.spec.required {
                    findings.push(missing_section(text, placement.section.spec, level));
                }
                continue;
            };
            if !found.heading {
                findings.push(not_a_heading(text, outline, found, level));
            }
            let body = extent(text, &order, found);
            content::check_section(
                text,
                outline,
                &schema.spec.checks,
                (found, body),
                timeline.as_ref(),
                &mut findings,
            );
        }
        if schema.spec.ordered {
            section_order(&schema.spec.sections, &placements, &mut findings);
        }
        if let Some(list) = &schema.headings {
            heading_structure(text, outline, list, schema.spec.match_case, &mut findings);
        }
        if schema.spec.checks.contains(&CheckName::Placeholders) {
            placeholders(text, outline, &order, &mut findings);
        }
        findings.sort_by_key(|f| (f.span.start, f.rule));
        findings
    }
}

/// Where one schema section was found in a document, and why (what `schema match` reports).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SectionMatch {
    /// The section's canonical title.
    pub section: String,
    /// The heading or label line that stands for it, in document offsets (none: missing).
    #[serde(skip)]
    pub span: Option<Span>,
    /// Whether that is a real heading (else a bold or plain label line).
    pub heading: bool,
    /// Why: `title`, ``alias `Summary` ``, ``concept `what happened` ``, `label line`.
    pub matched_by: Option<String>,
}

/// Every section of `schema`, where the document has it and why.
#[must_use]
pub fn section_matches(text: &str, outline: &Outline, schema: &Schema) -> Vec<SectionMatch> {
    let mut placements = locate::by_headings(text, outline, schema);
    if placements.iter().any(|p| p.found.is_none()) {
        locate::by_pseudo_headings(text, outline, schema, &mut placements);
    }
    placements
        .iter()
        .map(|p| SectionMatch {
            section: p.section.spec.title.clone(),
            span: p.found.map(|f| f.marker),
            heading: p.found.is_some_and(|f| f.heading),
            matched_by: p.found.map(|f| match f.by {
                Some(by) => by.to_string(),
                None => "label line".to_owned(),
            }),
        })
        .collect()
}

/// How many of the schema's sections the document has, as headings or label lines (what
/// detection counts).
pub(super) fn sections_found(text: &str, outline: &Outline, schema: &Schema) -> usize {
    section_matches(text, outline, schema)
        .iter()
        .filter(|m| m.span.is_some())
        .count()
}

/// A located section's body: from its marker to the next located section (`order` is every
/// located section by position), or the end of the document.
fn extent(text: &str, order: &[Located], found: Located) -> Span {
    let end = order
        .iter()
        .map(|o| o.marker.start)
        .find(|&s| s > found.marker.start)
        .unwrap_or(text.len());
    Span::new(found.marker.end.min(end), end)
}

/// A required section found nowhere: reported on the document's first line, with the heading to
/// add (at the level the document's other sections use).
fn missing_section(text: &str, spec: &SectionSpec, level: u8) -> SchemaFinding {
    SchemaFinding {
        rule: Rule::MissingSection,
        span: first_line(text),
        message: format!(
            "missing section `{}`: add a heading `{}`{}",
            spec.title,
            heading_for(spec, level),
            requirement_hint(spec)
                .map(|h| format!(" with {h}"))
                .unwrap_or_default()
        ),
        section: Some(spec.title.clone()),
        suggestion: None,
        tentative: false,
        fix: None,
    }
}

/// A section named by a bold or plain line: the heading to write instead.
fn not_a_heading(text: &str, outline: &Outline, found: Located, level: u8) -> SchemaFinding {
    let spec = found.section.spec;
    let written = text[found.marker.start..found.marker.end].trim();
    let heading = heading_for(spec, level);
    let message = if written.starts_with('#') {
        format!(
            "`{written}` is not a heading: the HTML block above it runs on into it; \
             put a blank line before it"
        )
    } else {
        format!(
            "`{written}` names the section `{}` but is not a heading; write `{heading}`",
            spec.title
        )
    };
    SchemaFinding {
        rule: Rule::SectionNotHeading,
        span: found.marker,
        message,
        section: Some(spec.title.clone()),
        fix: heading_fix::edit(text, outline, found.marker, spec.level.unwrap_or(level)),
        suggestion: Some(heading),
        tentative: false,
    }
}

/// The heading that would name the section: at its own level, else at `level`.
fn heading_for(spec: &SectionSpec, level: u8) -> String {
    format!(
        "{} {}",
        "#".repeat(usize::from(spec.level.unwrap_or(level))),
        spec.title
    )
}

/// Each located section that comes before the one located before it in the schema's order.
fn section_order(
    specs: &[SectionSpec],
    placements: &[Placement],
    findings: &mut Vec<SchemaFinding>,
) {
    let mut previous: Option<Located> = None;
    for found in placements.iter().filter_map(|p| p.found) {
        if let Some(prev) = previous.filter(|prev| found.marker.start < prev.marker.start) {
            let expected: Vec<&str> = specs.iter().map(|s| s.title.as_str()).collect();
            findings.push(SchemaFinding {
                rule: Rule::SectionOrder,
                span: found.marker,
                message: format!(
                    "section `{}` comes before `{}`; expected order: {}",
                    found.section.spec.title,
                    prev.section.spec.title,
                    expected.join(", ")
                ),
                section: Some(found.section.spec.title.clone()),
                suggestion: None,
                tentative: false,
                fix: None,
            });
        }
        previous = Some(found);
    }
}

fn first_line(text: &str) -> Span {
    let start = text.len() - text.trim_start().len();
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    Span::new(start, end.max(start))
}

/// What a section needs, as a phrase with an example.
fn requirement_hint(spec: &SectionSpec) -> Option<String> {
    let example =
        |fallback: &str| format!(", e.g. `{}`", spec.example.as_deref().unwrap_or(fallback));
    if let Some(n) = spec.timestamped_entries {
        return Some(format!(
            "at least {n} entries that start with a time{}",
            example("- 09:45 UTC: ...")
        ));
    }
    if let Some(n) = spec.min_list_items {
        let plural = if n == 1 { "" } else { "s" };
        return Some(format!(
            "at least {n} list item{plural}{}",
            example("- ...")
        ));
    }
    if spec.task_list {
        return Some(format!("a task list{}", example("- [ ] ...")));
    }
    if let Some(fact) = spec.facts.first() {
        let names: Vec<&str> = spec.facts.iter().map(|f| f.name.as_str()).collect();
        let listed = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.join(""),
        };
        return Some(format!("the {listed}, e.g. `{}`", fact.example));
    }
    spec.example
        .as_ref()
        .map(|e| format!("content such as `{e}`"))
}

#[cfg(test)]
mod duration_reading_tests;
#[cfg(test)]
mod duration_tests;
#[cfg(test)]
mod tests;
