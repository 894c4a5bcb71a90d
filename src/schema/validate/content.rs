//! What a located section must hold: content, facts, timestamped entries, list items, tasks, a
//! number of words, and a duration that agrees with its times.

use super::checks::{duration, is_read_by_duration, timeline_order};
use super::outage::{timeline_lines, Timeline, When};
use super::{requirement_hint, Located, SchemaFinding};
use crate::diagnostic::Rule;
use crate::markdown::outline::{BlockKind, Outline};
use crate::schema::clock::states_a_time_of_day;
use crate::schema::fact_regex::FactRegex;
use crate::schema::CheckName;
use crate::span::Span;

/// Check the section `found`, whose body is `body`, against its spec; `checks` are the schema's
/// consistency checks, `timeline` the outage as the timeline tells it.
pub(super) fn check_section(
    text: &str,
    outline: &Outline,
    checks: &[CheckName],
    (found, body): (Located, Span),
    timeline: Option<&Timeline>,
    findings: &mut Vec<SchemaFinding>,
) {
    let section = Body {
        text,
        outline,
        found,
        span: body,
    };
    let spec = found.section.spec;
    if !section.has_content() {
        if spec.non_empty {
            section.report(
                findings,
                Rule::EmptySection,
                format!(
                    "section `{}` is empty: add {}",
                    spec.title,
                    requirement_hint(spec).unwrap_or_else(|| "some content".to_owned())
                ),
            );
        }
        return;
    }
    let duration_check = checks.contains(&CheckName::Duration);
    let stated = section.facts(duration_check, findings);
    if let Some(wanted) = spec.timestamped_entries {
        let lines = section.timeline_lines();
        section.entry_count(lines.iter().filter(|w| w.entry).count(), wanted, findings);
        if checks.contains(&CheckName::TimelineOrder) {
            timeline_order(&spec.title, &lines, findings);
        }
    }
    section.lists(findings);
    section.word_count(findings);
    if duration_check {
        duration(text, found.section, body, &stated, timeline, findings);
    }
}

/// A located section and its body, in its document.
struct Body<'a> {
    text: &'a str,
    outline: &'a Outline,
    found: Located<'a>,
    span: Span,
}

impl Body<'_> {
    /// Record a finding about the section, at its heading.
    fn report(&self, findings: &mut Vec<SchemaFinding>, rule: Rule, message: String) {
        findings.push(SchemaFinding {
            rule,
            span: self.found.marker,
            message,
            section: Some(self.found.section.spec.title.clone()),
            suggestion: None,
            tentative: false,
            fix: None,
        });
    }

    fn body_text(&self) -> &str {
        &self.text[self.span.start..self.span.end]
    }

    /// Whether the body holds anything but blank lines and subheadings.
    fn has_content(&self) -> bool {
        let mut at = self.span.start;
        for heading in self
            .outline
            .sections
            .iter()
            .filter(|s| self.span.contains(s.heading))
        {
            if has_text(&self.text[at..heading.heading.start]) {
                return true;
            }
            at = heading.heading.end;
        }
        has_text(&self.text[at..self.span.end])
    }

    /// Each fact the section must state and does not. With `keep`, where the facts the duration
    /// check reads are stated, in the spec's order (`None` for the others; nothing without
    /// `keep`): searched once, here.
    fn facts(&self, keep: bool, findings: &mut Vec<SchemaFinding>) -> Vec<Option<Span>> {
        let section = self.found.section;
        let mut stated = Vec::with_capacity(if keep { section.spec.facts.len() } else { 0 });
        for (fact, pattern) in section.facts() {
            let found = if keep && is_read_by_duration(&fact.name) {
                let found = pattern
                    .find(self.body_text())
                    .map(|m| Span::new(self.span.start + m.start, self.span.start + m.end))
                    .filter(|found| !self.only_a_time_of_day(&fact.name, *found, pattern));
                stated.push(found);
                found.is_some()
            } else {
                if keep {
                    stated.push(None);
                }
                pattern.is_match(self.body_text())
            };
            if !found {
                self.report(
                    findings,
                    Rule::IncompleteSection,
                    format!(
                        "section `{}` does not state the {}: add e.g. `{}`",
                        section.spec.title, fact.name, fact.example
                    ),
                );
            }
        }
        stated
    }

    /// Whether the duration, first stated at `found`, is a time of day (`Duration: 14:10 UTC`)
    /// stated nowhere else in the section: the section does not state it.
    fn only_a_time_of_day(&self, name: &str, found: Span, pattern: &FactRegex) -> bool {
        if !name.starts_with("duration") {
            return false;
        }
        let line_end = self.text[found.start..self.span.end]
            .find('\n')
            .map_or(self.span.end, |i| found.start + i);
        states_a_time_of_day(&self.text[found.start..line_end])
            && !pattern.is_match(&self.text[line_end..self.span.end])
    }

    /// The body's lines that say when (entries that start with a time: list items, lines, or
    /// headings such as `### 14:05`; and date lines), outside code blocks.
    fn timeline_lines(&self) -> Vec<When<'_>> {
        timeline_lines(self.text, self.outline, self.span)
    }

    /// Too few timestamped entries: `found` of the `wanted`.
    fn entry_count(&self, found: usize, wanted: usize, findings: &mut Vec<SchemaFinding>) {
        if found >= wanted {
            return;
        }
        let spec = self.found.section.spec;
        self.report(
            findings,
            Rule::IncompleteSection,
            format!(
                "section `{}` has {found} {} with a time; at least {wanted} needed, \
                 e.g. `{}`",
                spec.title,
                if found == 1 {
                    "entry that starts"
                } else {
                    "entries that start"
                },
                spec.example.as_deref().unwrap_or("- 09:45 UTC: ...")
            ),
        );
    }

    /// Too few list items, or no task list where one is wanted.
    fn lists(&self, findings: &mut Vec<SchemaFinding>) {
        let spec = self.found.section.spec;
        let (items, tasks) = self.list_items();
        if let Some(min) = spec.min_list_items.filter(|&min| items < min) {
            self.report(
                findings,
                Rule::IncompleteSection,
                format!(
                    "section `{}` has {items} list item{}; at least {min} needed, e.g. `{}`",
                    spec.title,
                    if items == 1 { "" } else { "s" },
                    spec.example.as_deref().unwrap_or("- ...")
                ),
            );
        }
        if spec.task_list && tasks == 0 {
            self.report(
                findings,
                Rule::IncompleteSection,
                format!(
                    "section `{}` has no task list: add items such as `{}`",
                    spec.title,
                    spec.example.as_deref().unwrap_or("- [ ] ...")
                ),
            );
        }
    }

    /// How many list items the body holds, and how many of them are tasks.
    fn list_items(&self) -> (usize, usize) {
        let (mut items, mut tasks) = (0, 0);
        for block in self.outline.blocks_in(self.span) {
            match block.kind {
                BlockKind::Item { task } => {
                    items += 1;
                    tasks += usize::from(task.is_some());
                }
                // Lists written in raw HTML count too.
                BlockKind::Html => {
                    items += self.text[block.span.start..block.span.end]
                        .matches("<li")
                        .count();
                }
                _ => {}
            }
        }
        (items, tasks)
    }

    /// A word count outside the spec's range.
    fn word_count(&self, findings: &mut Vec<SchemaFinding>) {
        let spec = self.found.section.spec;
        let Some([min, max]) = spec.words else {
            return;
        };
        let words = self.body_text().split_whitespace().count();
        if words < min || words > max {
            self.report(
                findings,
                Rule::IncompleteSection,
                format!(
                    "section `{}` has {words} words; between {min} and {max} wanted",
                    spec.title
                ),
            );
        }
    }
}

/// Whether `text` holds anything but white space.
fn has_text(text: &str) -> bool {
    text.chars().any(|c| !c.is_whitespace())
}
