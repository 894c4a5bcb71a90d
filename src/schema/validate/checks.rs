//! The consistency checks a schema can ask for (duration against start and end, timeline order,
//! placeholders), the duplicate-section check, and the MD043-style heading structure. Pure: spans
//! in the document's offsets.

use std::sync::LazyLock;

use regex::Regex;

use super::label::{label_rank, LabelRank};
use super::outage::{on_one_clock, Outage, Timeline, When};
use super::{Located, Placement, SchemaFinding};
use crate::diagnostic::Rule;
use crate::markdown::outline::{BlockKind, Outline};
use crate::schema::clock::{describe_minutes, first_time, stated_duration, Stated, Zone};
use crate::schema::fact_regex::FactRegex;
use crate::schema::headings::{self, Mismatch};
use crate::schema::Section;
use crate::span::Span;

///
/// Three searches, each with a cheap gate, rather than one regex: a `[` alternative would stop the
/// one regex at every link of every document.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bTBD\b|\bTODO:|\b[Xx]{2}:[Xx]{2}\b|<insert[^>\n]*>|(?i:lorem ipsum)")
        .expect("the placeholder pattern is valid")
});

/// `[link]` not followed by a target, and a link with an empty target (`[text]()`).
static PLACEHOLDER_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[link\](?:[^(]|$)|\[[^\]\n]+\]\(\s*\)").expect("the link pattern is valid")
});

/// Compile the placeholder regex every checked document needs (see [`crate::schema::warm_up`]).
pub(super) fn warm_up() {
    LazyLock::force(&PLACEHOLDER);
}

/// Where placeholders are, in order and without overlaps, as the single regex
/// `PLACEHOLDER|PLACEHOLDER_LINK` would find them: the earlier of the two next matches, then on
/// from its end.
fn placeholder_matches(text: &str) -> Vec<regex::Match<'_>> {
    let bytes = text.as_bytes();
    // A link placeholder needs `[link]`, or `](` with nothing but blanks before a `)`: both end
    // a `]`, found in one pass. A blank outside ASCII (a no-break space) is left to the regex.
    let links = memchr::memchr_iter(b']', bytes).any(|at| {
        let rest = &bytes[at + 1..];
        let empty_target = rest.first() == Some(&b'(')
            && rest[1..]
                .iter()
                .find(|&&b| !(b.is_ascii_whitespace() || b == 0x0b))
                .is_some_and(|&b| b == b')' || !b.is_ascii());
        empty_target || bytes[..=at].ends_with(b"[link]")
    });
    let mut found = Vec::new();
    let mut at = 0;
    let (mut word, mut link) = (None::<regex::Match>, None::<regex::Match>);
    loop {
        // Each search is redone only when the match it had is behind the position.
        if word.is_none_or(|m| m.start() < at) {
            word = PLACEHOLDER.find_at(text, at);
        }
        if links && link.is_none_or(|m| m.start() < at) {
            link = PLACEHOLDER_LINK.find_at(text, at);
        }
        let next = match (word, link) {
            (Some(w), Some(l)) if l.start() < w.start() => l,
            (Some(w), _) => w,
            (None, Some(l)) => l,
            (None, None) => break,
        };
        at = next.end();
        found.push(next);
    }
    found
}

/// The stated duration against the timeline's outage, with its looser tolerance.
fn timeline_duration(
    section: Section,
    span: Span,
    stated: Stated,
    outage: &Outage,
    findings: &mut Vec<SchemaFinding>,
) {
    let stated = stated.held_to(outage.minutes);
    let nearest = stated.nearest(outage.minutes);
    let off = (outage.minutes - nearest).abs();
    if outage.minutes < 0 || off <= 15 || off * 5 <= nearest {
        return;
    }
    findings.push(SchemaFinding {
        rule: Rule::DurationMismatch,
        span,
        message: format!(
            "the duration says {} but the timeline runs {} from `{}` to `{}`; make them agree",
            stated.describe(),
            describe_minutes(outage.minutes),
            outage.start,
            outage.end
        ),
        section: Some(section.spec.title.clone()),
        suggestion: Some(format!("Duration: {}", describe_minutes(outage.minutes))),
        tentative: true,
        fix: None,
    });
}

/// A section that is not repeatable, written twice: the same title at the same level as the
/// heading that was taken (a split such as `Root Cause` + `Resolution`, or subsections, are fine).
pub(super) fn duplicates(text: &str, placements: &[Placement], findings: &mut Vec<SchemaFinding>) {
    for placement in placements {
        let spec = placement.section.spec;
        let Some(found) = placement.found.filter(|f| f.heading && !spec.repeatable) else {
            continue;
        };
        let Some(taken) = placement.headings.iter().find(|h| h.span == found.marker) else {
            continue;
        };
        for other in &placement.headings {
            if other.span != found.marker
                && other.level == found.level
                && other.named.key == taken.named.key
            {
                let line = text[..found.marker.start].matches('\n').count() + 1;
                findings.push(SchemaFinding {
                    rule: Rule::DuplicateSection,
                    span: other.span,
                    message: format!(
                        "section `{}` appears again (first at line {line}); merge the two, or make the section `repeatable = true` in the schema",
                        spec.title
                    ),
                    section: Some(spec.title.clone()),
                    suggestion: None,
                    tentative: false,
                    fix: None,
                });
            }
        }
    }
}

/// Entries out of chronological order (dates, midnight and zones read as the duration reads
/// them; a zone name that means several zones leaves the order untold).
pub(super) fn timeline_order(section: &str, lines: &[When], findings: &mut Vec<SchemaFinding>) {
    let Some(clock) = on_one_clock(lines.iter().map(|w| (w.moment, w.next_day, w.entry))) else {
        return;
    };
    for (i, window) in clock.windows(2).enumerate() {
        let (line, previous) = (lines[i + 1], lines[i]);
        // A date line naming the day the entries have reached (past midnight) is no step back:
        // days are compared in the zone the date line is read in.
        let ((at, zone), (before, _)) = (window[1], window[0]);
        let back = if line.entry {
            at < before
        } else {
            (at + zone).div_euclid(1440) < (before + zone).div_euclid(1440)
        };
        if back {
            findings.push(SchemaFinding {
                rule: Rule::TimelineOrder,
                span: line.span,
                message: format!(
                    "timeline entry `{}` comes after `{}`; list entries in chronological order",
                    line.line, previous.line
                ),
                section: Some(section.to_owned()),
                suggestion: None,
                tentative: false,
                fix: None,
            });
            return;
        }
    }
}

/// Whether the duration check reads the fact named `name`: the section's duration, start and end.
pub(super) fn is_read_by_duration(name: &str) -> bool {
    ["duration", "start", "end"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// Where the section states the first fact whose name starts with `prefix`, as the whole rest of
/// its line (`Duration: 1 hour 30 minutes` may match lazily at `1 hour`); `stated` holds where
/// each fact matched, in the spec's order.
fn stated_line<'t>(
    text: &'t str,
    section: Section,
    body: Span,
    stated: &[Option<Span>],
    prefix: &str,
) -> Option<(Span, &'t str)> {
    let (_, found) = section
        .spec
        .facts
        .iter()
        .zip(stated)
        .find(|(f, _)| f.name.starts_with(prefix))?;
    // `__Duration:__`: the match takes the `_` before the word along (`\b` does not see the
    // word after it); the finding starts at the word, as after `**`.
    let found = (*found)?.start;
    let start = found
        + text[found..body.end]
            .bytes()
            .take_while(|&b| b == b'_')
            .count();
    let end = text[start..body.end]
        .find('\n')
        .map_or(body.end, |i| start + i);
    Some((Span::new(start, end), &text[start..end]))
}

/// The line that states the outage's own duration, from the first duration line (`first`) on: a
/// duration of something else (`Data loss duration: 5 minutes`, `Duration of data loss: ...`)
/// gives way to a later line labelled plainly (`Duration:`, `Outage duration:`), then to one
/// without a label (`It lasted 2 hours`); among equals, the first; the first when there is no
/// better one (see [`LabelRank`]).
fn outage_duration<'t>(
    text: &'t str,
    section: Section,
    body: Span,
    first: (Span, &'t str),
) -> (Span, &'t str) {
    /// The most further duration lines looked at.
    const LOOKED_AT: usize = 32;
    let mut best = (label_rank(text, first.0.start), first);
    let pattern = fact_pattern(section, "duration");
    let mut from = first.0.end;
    if best.0 == LabelRank::Bare {
        return first;
    }
    // Not past a subsection's heading (`### Detection`, `**Detection**`): a `Duration:` under one
    // is that part's, not the outage's.
    let end = part_end(text, from, body.end);
    for _ in 0..LOOKED_AT {
        let Some(pattern) = pattern.filter(|_| best.0 < LabelRank::Bare) else {
            break;
        };
        let Some(found) = pattern.find(&text[from..end]) else {
            break;
        };
        let start = from + found.start;
        let line_end = text[start..end].find('\n').map_or(end, |i| start + i);
        let rank = label_rank(text, start);
        if rank > best.0 {
            best = (rank, (Span::new(start, line_end), &text[start..line_end]));
        }
        from = line_end;
    }
    best.1
}

/// The pattern of the section's first fact whose name starts with `prefix`.
fn fact_pattern<'s>(section: Section<'s>, prefix: &str) -> Option<&'s FactRegex> {
    section
        .facts()
        .find(|(fact, _)| fact.name.starts_with(prefix))
        .map(|(_, pattern)| pattern)
}

/// Where the part of a section that starts at `from` ends: at the next line that heads a
/// subsection (`### Detection`, a line of bold alone: `**Detection**`), else at `end`.
fn part_end(text: &str, from: usize, end: usize) -> usize {
    let mut at = from;
    for line in text[from..end].split_inclusive('\n') {
        let trimmed = line.trim();
        let bold_alone = trimmed.len() > 4
            && ((trimmed.starts_with("**") && trimmed.ends_with("**"))
                || (trimmed.starts_with("__") && trimmed.ends_with("__")));
        if at > from && (trimmed.starts_with('#') || bold_alone) {
            return at;
        }
        at += line.len();
    }
    end
}

/// Where the section states the start or end (the fact named by `prefix`, first stated at
/// `found`) that a window stated as the duration at `window` (`Duration: 14:10 to 15:40 UTC`,
/// whose end matches the end's pattern too) is held to: not inside the window, which would be
/// held to itself, but the fact's next statement after it.
fn held_line<'t>(
    text: &'t str,
    section: Section,
    body: Span,
    found: (Span, &'t str),
    prefix: &str,
    window: Option<Span>,
) -> Option<&'t str> {
    let (span, line) = found;
    let Some(duration) = window.filter(|w| (w.start..w.end).contains(&span.start)) else {
        return Some(line);
    };
    let pattern = fact_pattern(section, prefix)?;
    let from = duration.end.min(body.end);
    let start = from + pattern.find(&text[from..body.end])?.start;
    let end = text[start..body.end]
        .find('\n')
        .map_or(body.end, |i| start + i);
    Some(&text[start..end])
}

/// The stated duration against end minus start: the summary's start and end, else the outage as
/// the timeline tells it (`timeline`), which is read more loosely (its first entry may be a
/// report, not the start): a mismatch there is one of more than a quarter hour and a fifth.
/// `stated` is where the section states the facts the duration check reads, in the spec's order.
pub(super) fn duration(
    text: &str,
    section: Section,
    body: Span,
    stated: &[Option<Span>],
    timeline: Option<&Timeline>,
    findings: &mut Vec<SchemaFinding>,
) {
    let find = |prefix: &str| stated_line(text, section, body, stated, prefix);
    let Some((span, stated)) =
        find("duration").map(|first| outage_duration(text, section, body, first))
    else {
        return;
    };
    let Some(stated) = stated_duration(stated) else {
        return;
    };
    let window = stated.window.then_some(span);
    let held = |prefix: &str| held_line(text, section, body, find(prefix)?, prefix, window);
    let times = held("start")
        .and_then(first_time)
        .zip(held("end").and_then(first_time));
    let Some((start, end)) = times else {
        if let Some(outage) = timeline.and_then(Timeline::outage) {
            timeline_duration(section, span, stated, &outage, findings);
        }
        return;
    };
    // Two clocks: compared in UTC when both zones are known; when only one is, or a zone name
    // means several, what was meant cannot be told, and nothing is reported.
    let (start_at, end_at, in_utc) = match (start.utc_minutes(), end.utc_minutes()) {
        (Some(s), Some(e)) => (s, e, start.zone != end.zone),
        _ if start.zone == Zone::Unwritten && end.zone == Zone::Unwritten => {
            (start.minutes, end.minutes, false)
        }
        _ => return,
    };
    let mut actual = if start.dated == end.dated {
        end_at - start_at
    } else {
        end_at.rem_euclid(1440) - start_at.rem_euclid(1440)
    };
    if actual < 0 && !(start.dated && end.dated) {
        actual += 1440;
    }
    // A range of lengths agrees with any length in it: the times are held to the nearest.
    let said = stated.held_to(actual);
    let stated = said.nearest(actual);
    // Without both dates, start and end may be whole days apart: `24 hours` from 10:00 to
    // 10:00, `2 days 15 hours` from Friday 18:00 to Monday 09:00.
    let off = actual.saturating_sub(stated).rem_euclid(1440);
    if !(start.dated && end.dated) && stated >= 1440 && (off <= 1 || off >= 1439) {
        return;
    }
    let zones = if in_utc {
        " (their zones compared in UTC)"
    } else {
        ""
    };
    if actual < 0 {
        // Both dated, the end first: the times are wrong, and no duration agrees with them.
        let message = format!(
            "the end is {} before the start{zones}; correct the start or end time",
            describe_minutes(actual.saturating_neg()),
        );
        findings.push(mismatch(section, span, message, None));
    } else if actual.saturating_sub(stated).saturating_abs() > 1 {
        let agreed = describe_minutes(actual);
        let message = format!(
            "the duration says {} but start to end is {agreed}{zones}; make them agree, e.g. \
             `Duration: {agreed}`",
            said.describe(),
        );
        findings.push(mismatch(
            section,
            span,
            message,
            Some(format!("Duration: {agreed}")),
        ));
    }
}

/// A `duration-mismatch` finding about `section`'s stated duration at `span`.
fn mismatch(
    section: Section,
    span: Span,
    message: String,
    suggestion: Option<String>,
) -> SchemaFinding {
    SchemaFinding {
        rule: Rule::DurationMismatch,
        span,
        message,
        section: Some(section.spec.title.clone()),
        suggestion,
        tentative: false,
        fix: None,
    }
}

pub(super) fn placeholders(
    text: &str,
    outline: &Outline,
    order: &[Located],
    findings: &mut Vec<SchemaFinding>,
) {
    let code: Vec<Span> = outline.spans_of(BlockKind::Code);
    for m in placeholder_matches(text) {
        // `[link]` is matched with the character after it (to tell it from a link): quoted
        // without it. The other matches end where the placeholder does.
        let len = if m.as_str().starts_with("[link]") && !m.as_str()[6..].starts_with('(') {
            "[link]".len()
        } else {
            m.len()
        };
        let span = Span::new(m.start(), m.start() + len);
        if code.iter().any(|c| c.contains(span)) {
            continue;
        }
        let section = order
            .iter()
            .rev()
            .find(|l| l.marker.start <= span.start)
            .map(|l| l.section.spec.title.clone());
        findings.push(SchemaFinding {
            rule: Rule::PlaceholderText,
            span,
            message: format!(
                "placeholder `{}` left in the text: replace it with the real content",
                &text[span.start..span.end]
            ),
            section,
            suggestion: None,
            tentative: false,
            fix: None,
        });
    }
}

pub(super) fn heading_structure(
    text: &str,
    outline: &Outline,
    list: &[headings::Expected],
    match_case: bool,
    findings: &mut Vec<SchemaFinding>,
) {
    match headings::check(list, outline, match_case) {
        None => {}
        Some(Mismatch::Unexpected {
            index,
            expected,
            actual,
        }) => findings.push(SchemaFinding {
            rule: Rule::HeadingStructure,
            span: outline.sections[index].heading,
            message: format!("expected heading `{expected}`, found `{actual}`"),
            section: None,
            suggestion: (expected != "[None]").then_some(expected),
            tentative: false,
            fix: None,
        }),
        // markdownlint reports a missing tail on the file's last line (the empty one after a
        // final newline): an empty span at the very end.
        Some(Mismatch::MissingAtEnd { expected }) => findings.push(SchemaFinding {
            rule: Rule::HeadingStructure,
            span: Span::new(text.len(), text.len()),
            message: format!(
                "the document ends before heading `{expected}` of the required structure"
            ),
            section: None,
            suggestion: None,
            tentative: false,
            fix: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A link whose target is only blanks outside ASCII (a no-break space, an em space, an
    /// ideographic space) or a line tabulation is empty, as the pattern's `\s` says (the cheap
    /// test before the link search took only ASCII's blanks but the line tabulation for blanks,
    /// and skipped the search).
    #[test]
    fn a_link_target_of_other_blanks_is_empty() {
        for (text, link) in [
            ("see [the runbook](\u{a0}) now", "[the runbook](\u{a0})"),
            ("see [the runbook](\u{b}) now", "[the runbook](\u{b})"),
            ("see [x](\u{2003}\u{3000}) now", "[x](\u{2003}\u{3000})"),
            ("see [x]( \u{85}) now", "[x]( \u{85})"),
        ] {
            let found: Vec<&str> = placeholder_matches(text)
                .iter()
                .map(regex::Match::as_str)
                .collect();
            assert_eq!(found, [link], "{text:?}");
        }
    }

    proptest! {
        /// The split search finds what the one regex it replaced found, where it found it.
        #[test]
        fn placeholders_are_found_as_by_one_regex(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("TBD"), Just("TODO:"), Just("xX:Xx"), Just("<insert a date>"),
                    Just("LoReM iPsUm"), Just("[link]"), Just("[link]("), Just("[text]()"),
                    Just("[a [b]( )"), Just("]("), Just(")"), Just("["), Just("]"), Just(" "),
                    Just("\n"), Just("x"), Just("é"), Just("<insert"), Just(">"), Just(":"),
                    Just("\u{a0}"), Just("\u{b}"), Just("[x]("),
                ],
                0..24,
            )
        ) {
            let text: String = pieces.concat();
            let one = Regex::new(r"\bTBD\b|\bTODO:|\b[Xx]{2}:[Xx]{2}\b|<insert[^>\n]*>|(?i:lorem ipsum)|\[link\](?:[^(]|$)|\[[^\]\n]+\]\(\s*\)")
                .expect("valid");
            let expected: Vec<(usize, usize)> =
                one.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            let found: Vec<(usize, usize)> =
                placeholder_matches(&text).iter().map(|m| (m.start(), m.end())).collect();
            prop_assert_eq!(found, expected, "{:?}", text);
        }
    }
}
