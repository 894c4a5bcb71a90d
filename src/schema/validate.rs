//! Running a schema over one Markdown document (one side of a conflicted file): pure, spans in
//! the document's own offsets.
//!
//! Each schema section is located at its best-matching heading (or, failing that, at a bold or
//! plain line that names it), and extends to the next located schema section: so a fact may sit
//! in the section, in a subsection, or in an adjacent section of its own (`## Impact`).

use super::checks::{duplicates, duration, heading_structure, placeholders, timeline_order};
use super::clock::{entry_time, Moment};
use super::{score_key, CheckName, Schema, SectionSpec, TitleKey};
use crate::diagnostic::Rule;
use crate::markdown::outline::{BlockKind, Outline};
use crate::span::Span;

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
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Located {
    /// Index of the schema section.
    pub(super) section: usize,
    /// The heading (or pseudo-heading line, without its terminator).
    pub(super) marker: Span,
    /// Whether the marker is a real heading.
    pub(super) heading: bool,
    /// How well it matched (see `Schema::heading_score`).
    pub(super) score: u8,
    /// Heading level (0 for a pseudo-heading).
    pub(super) level: u8,
}

/// Validate `text` (whose outline is `outline`) against `schema`.
#[must_use]
pub fn validate(text: &str, outline: &Outline, schema: &Schema) -> Vec<SchemaFinding> {
    let mut findings = Vec::new();
    let specs = &schema.spec.sections;
    let (mut located, matches) = locate_headings(outline, schema);
    duplicates(text, schema, &located, &matches, &mut findings);
    if located.iter().any(Option::is_none) {
        locate_pseudo_headings(text, outline, schema, &mut located);
    }
    let level = suggested_level(&located);

    // Extents: from each located section to the next located one.
    let mut order: Vec<Located> = located.iter().flatten().copied().collect();
    order.sort_by_key(|l| l.marker.start);
    let extent = |l: &Located| -> Span {
        let end = order
            .iter()
            .map(|o| o.marker.start)
            .find(|&s| s > l.marker.start)
            .unwrap_or(text.len());
        Span::new(l.marker.end.min(end), end)
    };

    let doc_start = first_line(text);
    for (i, spec) in specs.iter().enumerate() {
        let Some(found) = located[i] else {
            if spec.required {
                findings.push(SchemaFinding {
                    rule: Rule::MissingSection,
                    span: doc_start,
                    message: format!(
                        "missing section `{}`: add a heading `{} {}`{}",
                        spec.title,
                        "#".repeat(usize::from(spec.level.unwrap_or(level))),
                        spec.title,
                        requirement_hint(spec)
                            .map(|h| format!(" with {h}"))
                            .unwrap_or_default()
                    ),
                    section: Some(spec.title.clone()),
                    suggestion: None,
                });
            }
            continue;
        };
        if !found.heading {
            let written = text[found.marker.start..found.marker.end].trim();
            let heading = format!(
                "{} {}",
                "#".repeat(usize::from(spec.level.unwrap_or(level))),
                spec.title
            );
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
            findings.push(SchemaFinding {
                rule: Rule::SectionNotHeading,
                span: found.marker,
                message,
                section: Some(spec.title.clone()),
                suggestion: Some(heading),
            });
        }
        check_section(
            text,
            outline,
            schema,
            i,
            found,
            extent(&found),
            &mut findings,
        );
    }

    if schema.spec.ordered {
        let mut previous: Option<&Located> = None;
        for found in located.iter().flatten() {
            if let Some(prev) = previous {
                if found.marker.start < prev.marker.start {
                    let expected: Vec<&str> = specs.iter().map(|s| s.title.as_str()).collect();
                    findings.push(SchemaFinding {
                        rule: Rule::SectionOrder,
                        span: found.marker,
                        message: format!(
                            "section `{}` comes before `{}`; expected order: {}",
                            specs[found.section].title,
                            specs[prev.section].title,
                            expected.join(", ")
                        ),
                        section: Some(specs[found.section].title.clone()),
                        suggestion: None,
                    });
                }
            }
            previous = Some(found);
        }
    }

    if let Some(list) = &schema.headings {
        heading_structure(text, outline, list, schema.spec.match_case, &mut findings);
    }
    if schema.spec.checks.contains(&CheckName::Placeholders) {
        placeholders(text, outline, specs, &order, &mut findings);
    }
    findings.sort_by_key(|f| (f.span.start, f.rule));
    findings
}

/// The best heading for each section, and every heading each section matched (with its key), for
/// the duplicate check.
pub(super) type Matches = Vec<Vec<(Span, u8, TitleKey)>>;

fn locate_headings(outline: &Outline, schema: &Schema) -> (Vec<Option<Located>>, Matches) {
    let mut located: Vec<Option<Located>> = vec![None; schema.spec.sections.len()];
    let mut matches: Matches = vec![Vec::new(); schema.spec.sections.len()];
    for heading in &outline.sections {
        let key = TitleKey::new(&heading.title);
        let best = (0..schema.spec.sections.len())
            .map(|i| {
                (
                    i,
                    schema.heading_score(i, &heading.title, &key, heading.level),
                )
            })
            .max_by_key(|&(i, score)| (score, std::cmp::Reverse(i)));
        let Some((section, score)) = best.filter(|&(_, s)| s > 0) else {
            continue;
        };
        let candidate = Located {
            section,
            marker: heading.heading,
            heading: true,
            score,
            level: heading.level,
        };
        let better = match located[section] {
            None => true,
            Some(current) => {
                (score, std::cmp::Reverse(heading.level))
                    > (current.score, std::cmp::Reverse(current.level))
            }
        };
        if better {
            located[section] = Some(candidate);
        }
        matches[section].push((heading.heading, heading.level, key));
    }
    (located, matches)
}

/// Bold lines (`**Timeline:**`) and plain lines (`Timeline`) that name a section with no heading.
fn locate_pseudo_headings(
    text: &str,
    outline: &Outline,
    schema: &Schema,
    located: &mut [Option<Located>],
) {
    let skip: Vec<Span> = outline
        .spans_of(BlockKind::Code)
        .into_iter()
        .chain(outline.sections.iter().map(|s| s.heading))
        .collect();
    let html: Vec<Span> = outline.spans_of(BlockKind::Html);
    let mut pseudo: Vec<Option<Located>> = vec![None; located.len()];
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim();
        if line.is_empty()
            || line.len() > 80
            || skip.iter().any(|s| s.start <= start && start < s.end)
        {
            continue;
        }
        let bullet = line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ");
        let in_html = html.iter().any(|s| s.start <= start && start < s.end);
        // An ATX heading line swallowed by an HTML block that starts above it (no blank line
        // between): CommonMark makes it HTML text, the author meant a heading.
        let swallowed = in_html && line.starts_with('#');
        if bullet
            || line.starts_with('>')
            || line.starts_with('|')
            || (line.starts_with('#') && !swallowed)
            || (in_html && !swallowed)
        {
            continue;
        }
        // A section name is a few words; sentences are not worth a title key.
        if line.split_whitespace().nth(8).is_some() || !schema.may_name_section(line) {
            continue;
        }
        let bold = swallowed || line.starts_with("**") || line.starts_with("__");
        let key = TitleKey::new(line);
        let extra = if bold { 2 } else { 0 };
        let best = (0..schema.sections.len())
            .filter(|&i| located[i].is_none())
            .map(|i| (i, score_key(&schema.sections[i], &key, extra)))
            .max_by_key(|&(i, score)| (score, std::cmp::Reverse(i)));
        let improves = |section: usize, score: u8| {
            pseudo[section].is_none_or(|current: Located| score > current.score)
        };
        if let Some((section, score)) =
            best.filter(|&(i, s)| s >= if bold { 2 } else { 3 } && improves(i, s))
        {
            let content = start + (raw.len() - raw.trim_start().len());
            let marker = Span::new(content, content + line.len());
            pseudo[section] = Some(Located {
                section,
                marker,
                heading: false,
                score,
                level: 0,
            });
        }
    }
    // The best line for each section wins; among equals, the first.
    for (slot, found) in located.iter_mut().zip(pseudo) {
        if slot.is_none() {
            *slot = found;
        }
    }
}

/// The heading level to suggest: the one the document's located section headings use most.
fn suggested_level(located: &[Option<Located>]) -> u8 {
    let mut counts = [0usize; 7];
    for found in located.iter().flatten().filter(|l| l.heading) {
        counts[usize::from(found.level)] += 1;
    }
    (1..=6u8)
        .max_by_key(|&l| (counts[usize::from(l)], std::cmp::Reverse(l)))
        .filter(|&l| counts[usize::from(l)] > 0)
        .unwrap_or(2)
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

#[allow(clippy::too_many_lines)]
fn check_section(
    text: &str,
    outline: &Outline,
    schema: &Schema,
    index: usize,
    found: Located,
    body: Span,
    findings: &mut Vec<SchemaFinding>,
) {
    let spec = &schema.spec.sections[index];
    let body_text = &text[body.start..body.end];

    let has_content = {
        let mut rest = String::new();
        let mut at = body.start;
        for heading in outline.sections.iter().filter(|s| body.contains(s.heading)) {
            rest.push_str(&text[at..heading.heading.start]);
            at = heading.heading.end;
        }
        rest.push_str(&text[at..body.end]);
        rest.chars().any(|c| !c.is_whitespace())
    };
    if !has_content {
        if spec.non_empty {
            push(
                findings,
                spec,
                Rule::EmptySection,
                found.marker,
                format!(
                    "section `{}` is empty: add {}",
                    spec.title,
                    requirement_hint(spec).unwrap_or_else(|| "some content".to_owned())
                ),
            );
        }
        return;
    }

    let compiled = &schema.sections[index];
    for (fact, pattern) in spec.facts.iter().zip(&compiled.facts) {
        if !pattern.is_match(body_text) {
            push(
                findings,
                spec,
                Rule::IncompleteSection,
                found.marker,
                format!(
                    "section `{}` does not state the {}: add e.g. `{}`",
                    spec.title, fact.name, fact.example
                ),
            );
        }
    }

    if let Some(wanted) = spec.timestamped_entries {
        let code: Vec<Span> = outline.spans_of(BlockKind::Code);
        let entries: Vec<(Span, Moment)> = lines(text, body)
            .filter(|(span, _)| !code.iter().any(|c| c.contains(*span)))
            .filter_map(|(span, line)| entry_time(line).map(|m| (span, m)))
            .collect();

        if entries.len() < wanted {
            push(findings, spec,
                Rule::IncompleteSection,
                found.marker,
                format!(
                    "section `{}` has {} entr{} that start with a time; at least {wanted} needed, e.g. `{}`",
                    spec.title,
                    entries.len(),
                    if entries.len() == 1 { "y" } else { "ies" },
                    spec.example.as_deref().unwrap_or("- 09:45 UTC: ...")
                ),
            );
        }
        if schema.spec.checks.contains(&CheckName::TimelineOrder) {
            timeline_order(text, &spec.title, &entries, findings);
        }
    }

    let (mut item_count, mut tasks) = (0usize, 0usize);
    for block in outline.blocks_in(body) {
        match block.kind {
            BlockKind::Item { task } => {
                item_count += 1;
                tasks += usize::from(task.is_some());
            }
            // Lists written in raw HTML count too.
            BlockKind::Html => {
                item_count += text[block.span.start..block.span.end]
                    .matches("<li")
                    .count();
            }
            _ => {}
        }
    }
    if let Some(min) = spec.min_list_items {
        if item_count < min {
            push(
                findings,
                spec,
                Rule::IncompleteSection,
                found.marker,
                format!(
                    "section `{}` has {item_count} list item{}; at least {min} needed, e.g. `{}`",
                    spec.title,
                    if item_count == 1 { "" } else { "s" },
                    spec.example.as_deref().unwrap_or("- ...")
                ),
            );
        }
    }
    if spec.task_list && tasks == 0 {
        push(
            findings,
            spec,
            Rule::IncompleteSection,
            found.marker,
            format!(
                "section `{}` has no task list: add items such as `{}`",
                spec.title,
                spec.example.as_deref().unwrap_or("- [ ] ...")
            ),
        );
    }
    if let Some([min, max]) = spec.words {
        let words = body_text.split_whitespace().count();
        if words < min || words > max {
            push(
                findings,
                spec,
                Rule::IncompleteSection,
                found.marker,
                format!(
                    "section `{}` has {words} words; between {min} and {max} wanted",
                    spec.title
                ),
            );
        }
    }
    if schema.spec.checks.contains(&CheckName::Duration) {
        duration(text, spec, compiled, body, findings);
    }
}

/// Record a finding about the section `spec`.
fn push(
    findings: &mut Vec<SchemaFinding>,
    spec: &SectionSpec,
    rule: Rule,
    span: Span,
    message: String,
) {
    findings.push(SchemaFinding {
        rule,
        span,
        message,
        section: Some(spec.title.clone()),
        suggestion: None,
    });
}

/// Lines of `span` with their spans (without terminators).
pub(super) fn lines(text: &str, span: Span) -> impl Iterator<Item = (Span, &str)> {
    let mut offset = span.start;
    text[span.start..span.end]
        .split_inclusive('\n')
        .map(move |raw| {
            let start = offset;
            offset += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            (Span::new(start, start + line.len()), line)
        })
}

#[cfg(test)]
mod tests;
