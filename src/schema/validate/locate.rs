//! Where each schema section is in a document: at its best-matching heading, else at a bold or
//! plain line that names it.

use std::cmp::Reverse;
use std::rc::Rc;

use super::Located;
use crate::markdown::outline::{BlockKind, Outline};
use crate::schema::named::TitleNaming;
use crate::schema::{Schema, Section, TitleKey};
use crate::span::Span;

/// Where one schema section sits in the document.
#[derive(Debug)]
pub(in crate::schema) struct Placement<'s> {
    /// The schema section.
    pub(in crate::schema) section: Section<'s>,
    /// Where it was found, if anywhere.
    pub(in crate::schema) found: Option<Located<'s>>,
    /// Every heading that matched it best of all sections (for the duplicate check).
    pub(in crate::schema) headings: Vec<MatchedHeading>,
}

/// A heading that matched a section.
#[derive(Debug)]
pub(in crate::schema) struct MatchedHeading {
    /// The heading line.
    pub(in crate::schema) span: Span,
    /// Its level.
    pub(in crate::schema) level: u8,
    /// How its title names the sections (its key is what the duplicate check compares).
    pub(in crate::schema) named: Rc<TitleNaming>,
}

impl<'s> Placement<'s> {
    /// Take `candidate` if it matches better than what was found: a higher score, then a higher
    /// heading (among equals, the first).
    fn offer(&mut self, candidate: Located<'s>) {
        let better = self.found.is_none_or(|current| {
            (candidate.score, Reverse(candidate.level)) > (current.score, Reverse(current.level))
        });
        if better {
            self.found = Some(candidate);
        }
    }
}

/// One placement per schema section, each at its best heading: every heading goes to the section
/// it matches best (among equals, the more specific match, then the first in the schema). A
/// concept, the weakest match, is not taken from a heading inside a section another heading
/// names (`### What went wrong` under `## Lessons learned` is part of the lessons, not the
/// cause), from the document's title (a heading above all the others: `# Upgrade caused an
/// outage` is not the cause section), nor from a heading over next to nothing (`## Lessons
/// learned` followed by `nope.`).
pub(super) fn by_headings<'s>(
    text: &str,
    outline: &Outline,
    schema: &'s Schema,
) -> Vec<Placement<'s>> {
    let title = document_title(outline);
    // Which headings name a section (at any strength): their subsections take no concept.
    let mut names_section = vec![false; outline.sections.len()];
    let mut placements: Vec<Placement> = schema
        .sections()
        .map(|section| Placement {
            section,
            found: None,
            headings: Vec::new(),
        })
        .collect();
    for (index, heading) in outline.sections.iter().enumerate() {
        let named = schema.title_naming(&heading.title);
        let concepts = title != Some(index)
            && !heading.parent.is_some_and(|p| names_section[p])
            && has_substance(&text[heading.body.start..heading.body.end]);
        let best = placements
            .iter_mut()
            .map(|p| {
                let found = if p.section.takes_level(heading.level) {
                    p.section.compiled.resolve(named.sections[p.section.index])
                } else {
                    crate::schema::TitleMatch::NONE
                };
                let found = if found.score == 1 && !concepts {
                    crate::schema::TitleMatch::NONE
                } else {
                    found
                };
                (found, p)
            })
            .max_by_key(|(found, p)| (found.rank(), Reverse(p.section.index)));
        let Some((found, placement)) = best.filter(|(found, _)| found.score > 0) else {
            continue;
        };
        names_section[index] = true;
        placement.offer(Located {
            section: placement.section,
            marker: heading.heading,
            heading: true,
            score: found.score,
            level: heading.level,
            by: found.by,
        });
        placement.headings.push(MatchedHeading {
            span: heading.heading,
            level: heading.level,
            named,
        });
    }
    placements
}

/// The index of the document's title: its first heading, when every other heading is below it.
fn document_title(outline: &Outline) -> Option<usize> {
    let (first, rest) = outline.sections.split_first()?;
    rest.iter().all(|s| s.level > first.level).then_some(0)
}

/// Whether a section body says something: two words of text (`A typo.`), not one (`nope.`).
fn has_substance(body: &str) -> bool {
    body.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .nth(1)
        .is_some()
}

/// Place the sections no heading matched at bold lines (`**Timeline:**`) or plain lines
/// (`Timeline`) that name them: for each section, the best such line (among equals, the first).
pub(super) fn by_pseudo_headings<'s>(
    text: &str,
    outline: &Outline,
    schema: &'s Schema,
    placements: &mut [Placement<'s>],
) {
    let lines = LineFilter::new(outline);
    let mut pseudo: Vec<Option<Located>> = vec![None; placements.len()];
    let mut offset = 0;
    for raw in crate::text::lines_with_ends(text) {
        let start = offset;
        offset += raw.len();
        // The first line may start with a byte order mark, which is no part of its text.
        let unmarked = raw.trim_start_matches('\u{feff}');
        let line = unmarked.trim();
        let Some(bold) = lines.may_name_section(line, start) else {
            continue;
        };
        // A section name is a few words; sentences are not worth a title key.
        if line.split_whitespace().nth(8).is_some() || !schema.may_name_section(line) {
            continue;
        }
        let key = TitleKey::new(line);
        let extra = if bold { 2 } else { 0 };
        let best = placements
            .iter()
            .filter(|p| p.found.is_none())
            .map(|p| (p.section, p.section.compiled.title_score(&key, extra)))
            .max_by_key(|&(section, score)| (score, Reverse(section.index)));
        let improves = |section: Section, score: u8| {
            pseudo[section.index].is_none_or(|current: Located| score > current.score)
        };
        if let Some((section, score)) =
            best.filter(|&(s, score)| score >= if bold { 2 } else { 3 } && improves(s, score))
        {
            let content = start + (raw.len() - unmarked.trim_start().len());
            pseudo[section.index] = Some(Located {
                section,
                marker: Span::new(content, content + line.len()),
                heading: false,
                score,
                level: 0,
                by: None,
            });
        }
    }
    for (placement, found) in placements.iter_mut().zip(pseudo) {
        if placement.found.is_none() {
            placement.found = found;
        }
    }
}

/// Which lines may stand for a heading: not in code, not a heading, list item, quote, table row
/// or HTML, unless an HTML block swallowed an ATX heading line.
struct LineFilter {
    /// Code blocks and headings.
    skip: Vec<Span>,
    html: Vec<Span>,
}

impl LineFilter {
    fn new(outline: &Outline) -> Self {
        let mut skip: Vec<Span> = outline
            .spans_of(BlockKind::Code)
            .into_iter()
            .chain(outline.sections.iter().map(|s| s.heading))
            .collect();
        skip.sort_unstable_by_key(|s| s.start);
        Self {
            skip,
            html: outline.spans_of(BlockKind::Html),
        }
    }

    /// Whether `line` (trimmed, starting at offset `start`) may name a section: `Some(bold)`,
    /// with `bold` telling a bold line (or a swallowed heading) from a plain one.
    fn may_name_section(&self, line: &str, start: usize) -> Option<bool> {
        let within = |spans: &[Span]| crate::span::any_holds(spans, start);
        if line.is_empty() || line.len() > 80 || within(&self.skip) {
            return None;
        }
        let bullet = line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ");
        let in_html = within(&self.html);
        // An ATX heading line swallowed by an HTML block that starts above it (no blank line
        // between): CommonMark makes it HTML text, the author meant a heading.
        let swallowed = in_html && line.starts_with('#');
        if bullet
            || line.starts_with('>')
            || line.starts_with('|')
            || (line.starts_with('#') && !swallowed)
            || (in_html && !swallowed)
        {
            return None;
        }
        Some(swallowed || line.starts_with("**") || line.starts_with("__"))
    }
}

/// The heading level to suggest: the one the document's located section headings use most.
pub(super) fn suggested_level(placements: &[Placement]) -> u8 {
    let mut counts = [0usize; 7];
    for found in placements
        .iter()
        .filter_map(|p| p.found)
        .filter(|l| l.heading)
    {
        counts[usize::from(found.level)] += 1;
    }
    (1..=6u8)
        .max_by_key(|&l| (counts[usize::from(l)], Reverse(l)))
        .filter(|&l| counts[usize::from(l)] > 0)
        .unwrap_or(2)
}
