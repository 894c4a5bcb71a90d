//! Timeline entries on one running clock (dates, midnight, zones), and when the timeline says the
//! outage began and ended: what a reader checks a stated duration against when the summary gives
//! no start and end.
//!
//! The start is the entry that says so (`Problem starts`, `<START OF OUTAGE>`), else the first
//! entry; the end is the first entry after it that says the service came back (`restored`,
//! `resolved`, `back to normal`, `issue goes away`, `<END OF OUTAGE>`). Without an end that says
//! so there is no span: a timeline's last entry is often a follow-up, not the recovery.

use std::sync::LazyLock;

use regex::Regex;
use regex_automata::meta;

use crate::markdown::outline::{BlockKind, Outline};
use crate::schema::clock::{date_line, entry_time, DateLine, Moment, Zone};
use crate::schema::fact_regex::compile_without_prefilter;
use crate::span::Span;

/// Whether an entry says the outage ended: an end word (`restored`, `back to normal`) not
/// hedged just before it (`not resolved`, `partially restored`, `expected to be resolved`, `still
/// not back to normal`).
fn says_it_ended(entry: &str) -> bool {
    END.find_iter(entry).any(|found| {
        let before = entry[..found.start()].to_ascii_lowercase();
        let words: Vec<&str> = before.split_whitespace().rev().take(4).collect();
        !words.iter().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
            HEDGES.contains(&w) || w.ends_with("n't")
        })
    })
}

/// Words that, just before an end word, say it did not (yet, fully) happen.
const HEDGES: &[&str] = &[
    "not",
    "never",
    "partially",
    "partly",
    "almost",
    "nearly",
    "mostly",
    "expected",
    "expect",
    "hoped",
    "hope",
    "until",
    "before",
    "still",
    "yet",
    "if",
    "once",
    "when",
    "whether",
];

/// A timeline section, read for its outage when asked.
#[derive(Clone, Copy)]
pub(super) struct Timeline<'t> {
    /// The document.
    pub(super) text: &'t str,
    /// Its outline.
    pub(super) outline: &'t Outline,
    /// The timeline section's body.
    pub(super) body: Span,
}

impl Timeline<'_> {
    /// The outage it tells, if its entries say when it ended.
    pub(super) fn outage(&self) -> Option<Outage> {
        from_timeline(self.text, self.outline, self.body)
    }
}

/// The outage as the timeline tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Outage {
    /// End minus start, in minutes.
    pub(super) minutes: i64,
    /// The start entry's line, trimmed.
    pub(super) start: String,
    /// The end entry's line, trimmed.
    pub(super) end: String,
}

static START: LazyLock<meta::Regex> = LazyLock::new(|| {
    compile_without_prefilter(
        r"(?i)\b(?:(?:outage|incident|problem|issue|downtime|impact)\s+(?:starts|started|begins|began)|start\s+of\s+(?:the\s+)?outage|outage\s+(?:begins|started)|(?:began|started)\s+(?:failing|to\s+fail)|went\s+down|stopped\s+(?:working|serving|responding))\b",
    )
    .expect("valid regex")
});

static END: LazyLock<meta::Regex> = LazyLock::new(|| {
    compile_without_prefilter(
        r"(?i)\b(?:restored|resolved|recovered|back\s+to\s+normal|back\s+online|goes\s+away|went\s+away|end\s+of\s+(?:the\s+)?outage|outage\s+end(?:s|ed))\b",
    )
    .expect("valid regex")
});

/// A line of a timeline that says when: an entry that starts with a time, or a line that is only
/// a date (`### 2023-07-19`, `## May 14`), which moves the entries after it to that day.
#[derive(Clone, Copy, Debug)]
pub(super) struct When<'t> {
    /// The line, without its terminator.
    pub(super) span: Span,
    /// The line, trimmed.
    pub(super) line: &'t str,
    /// Its moment (a date line's is the start of its day).
    pub(super) moment: Moment,
    /// Whether it is an entry (else a date line).
    pub(super) entry: bool,
    /// Whether it is a date line for a day that cannot be placed (`Day 2`): the next day.
    pub(super) next_day: bool,
    /// The line and the lines after it that go on with it (not blank, not saying when): what
    /// start and end words are looked for in (`<START OF` / `OUTAGE>`).
    pub(super) wrapped: &'t str,
}

/// The lines of the timeline body `body` that say when, outside code blocks.
pub(super) fn timeline_lines<'t>(text: &'t str, outline: &Outline, body: Span) -> Vec<When<'t>> {
    let code: Vec<Span> = outline.spans_of(BlockKind::Code);
    let mut found: Vec<When> = Vec::with_capacity(16);
    // The day of the last date read; none until one is written.
    let mut last: Option<i64> = None;
    let mut offset = body.start;
    let mut continues = false;
    // The next `<` (for a `<br>`), looked for past each line that has one: most timelines have
    // none, and a search per line cost more than the line's reading.
    let bytes = &text.as_bytes()[..body.end];
    let next_tag = |from: usize| memchr::memchr(b'<', &bytes[from..]).map(|i| from + i);
    let mut tag = next_tag(body.start);
    for raw in crate::text::lines_with_ends(&text[body.start..body.end]) {
        let at = offset;
        offset += raw.len();
        let has_tag = tag.is_some_and(|tag| tag < offset);
        if has_tag {
            tag = next_tag(offset);
        }
        if crate::span::any_holds(&code, at) {
            continues = false;
            continue;
        }
        // `<br>` breaks a line as a line end does (entries joined by it in one paragraph).
        let split;
        let single = [(0, raw)];
        let parts: &[(usize, &str)] = if has_tag {
            split = pieces(raw);
            &split
        } else {
            &single
        };
        for &(from, piece) in parts {
            let line = piece.trim();
            let start = at + from + (piece.len() - piece.trim_start().len());
            let span = Span::new(start, start + line.len());
            let ahead = || first_written_date(code.as_slice(), text, Span::new(at, body.end));
            match when(line, &mut last, ahead) {
                Some((moment, entry, next_day)) => {
                    found.push(When {
                        span,
                        line,
                        moment,
                        entry,
                        next_day,
                        wrapped: line,
                    });
                    continues = true;
                }
                None if continues && !line.is_empty() => {
                    if let Some(last) = found.last_mut() {
                        last.wrapped = &text[last.span.start..span.end];
                    }
                }
                None => continues = false,
            }
        }
    }
    found
}

/// What a timeline line says about when: an entry's moment, or a date line's day (`false`).
/// `last` is the day of the last date read (none yet), for dates written without a year; `ahead`
/// gives the first day written with its year after this line, asked only for a date without a
/// year before any date is read.
fn when(
    line: &str,
    last: &mut Option<i64>,
    ahead: impl FnOnce() -> Option<i64>,
) -> Option<(Moment, bool, bool)> {
    // Entries may be headings (`### 2022-06-02 10:00 - Problem starts`) or table rows
    // (`| 10:05 | paged |`).
    if let Some(moment) = entry_time(line.trim_start_matches(['#', '|'])) {
        if moment.dated {
            *last = Some(moment.minutes - moment.minutes.rem_euclid(1440));
        }
        return Some((moment, true, false));
    }
    let read = match (*last, date_line(line, YEAR_UNKNOWN)?) {
        // Without a year, and none read yet: the year that puts it nearest the first date
        // written after it (`Dec 31` over `2025-01-01` is in 2024, `Jan 1` over `2024-12-31` in
        // 2025).
        (None, DateLine::Day(day)) if !has_year(line, day) => match ahead() {
            Some(next) => (-1..=1)
                .filter_map(|step| date_line(line, year_of(next) + step))
                .min_by_key(|read| match read {
                    DateLine::Day(day) => (day - next).abs(),
                    DateLine::Next => i64::MAX,
                })?,
            None => DateLine::Day(day),
        },
        // Without a year, after a date: in that date's year, or the next when that would put
        // it half a year or more back (`Jan 1` after `Dec 31`).
        (Some(last), DateLine::Day(day)) if !has_year(line, day) => {
            match date_line(line, year_of(last))? {
                DateLine::Day(day) if last - day >= HALF_YEAR => {
                    date_line(line, year_of(last) + 1)?
                }
                read => read,
            }
        }
        (_, read) => read,
    };
    let (minutes, next_day) = match read {
        DateLine::Day(minutes) => {
            *last = Some(minutes);
            (minutes, false)
        }
        DateLine::Next => (0, true),
    };
    let moment = Moment {
        minutes,
        dated: !next_day,
        zone: Zone::Unwritten,
    };
    Some((moment, false, next_day))
}

/// The zone `next` writes, if it is an entry that writes one.
fn zone_ahead(next: Option<&(Moment, bool, bool)>) -> Option<i64> {
    match next {
        Some(&(
            Moment {
                zone: Zone::Offset(offset),
                ..
            },
            _,
            true,
        )) => Some(offset),
        _ => None,
    }
}

/// The year a date without one is put in when no other year is known (not a leap year: most
/// years have no `Feb 29` between `Feb 28` and `Mar 1`).
const YEAR_UNKNOWN: i64 = 2001;
/// Half a year, in minutes.
const HALF_YEAR: i64 = 183 * 1440;

/// Whether the date line `line`, read as the day `day` with [`YEAR_UNKNOWN`] for a missing year,
/// writes its year (reading it with another year for a missing one gives the same day).
fn has_year(line: &str, day: i64) -> bool {
    date_line(line, YEAR_UNKNOWN + 1) == Some(DateLine::Day(day))
}

/// The first day written with its year in `text`'s `span` (an entry's date or a date line's),
/// outside the `code` blocks, in minutes at its start.
fn first_written_date(code: &[Span], text: &str, span: Span) -> Option<i64> {
    let mut offset = span.start;
    crate::text::lines_with_ends(&text[span.start..span.end]).find_map(|raw| {
        let at = offset;
        offset += raw.len();
        if crate::span::any_holds(code, at) {
            return None;
        }
        let line = raw.trim();
        if let Some(moment) = entry_time(line.trim_start_matches(['#', '|'])) {
            return moment
                .dated
                .then(|| moment.minutes - moment.minutes.rem_euclid(1440));
        }
        match date_line(line, YEAR_UNKNOWN)? {
            DateLine::Day(day) if has_year(line, day) => Some(day),
            _ => None,
        }
    })
}

/// The pieces of a line between `<br>` tags, each with its offset in the line.
fn pieces(raw: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(tag) = BREAK.find_at(raw, from) {
        found.push((from, &raw[from..tag.start()]));
        from = tag.end();
    }
    found.push((from, &raw[from..]));
    found
}

static BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").expect("valid regex"));

/// The year of a moment (minutes since 1970-01-01): the year part of Howard Hinnant's
/// `civil_from_days`.
fn year_of(minutes: i64) -> i64 {
    let z = minutes.div_euclid(1440) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    yoe + era * 400 + i64::from(mp >= 10)
}

/// The outage in the timeline section whose body is `body`, if its entries say when it ended.
pub(super) fn from_timeline(text: &str, outline: &Outline, body: Span) -> Option<Outage> {
    let lines = timeline_lines(text, outline, body);
    let clock = on_one_clock(lines.iter().map(|w| (w.moment, w.next_day, w.entry)))?;
    let entries: Vec<(i64, &When)> = clock
        .into_iter()
        .map(|(at, _)| at)
        .zip(&lines)
        .filter(|(_, w)| w.entry)
        .collect();
    let start = entries
        .iter()
        .position(|(_, w)| START.is_match(w.wrapped))
        .unwrap_or(0);
    let (start_at, start_line) = (entries.get(start)?.0, entries[start].1.line);
    let (end_at, end) = *entries[start + 1..]
        .iter()
        .find(|(_, w)| says_it_ended(w.wrapped))?;
    let end_line = end.line;
    Some(Outage {
        minutes: end_at - start_at,
        start: start_line.to_owned(),
        end: end_line.to_owned(),
    })
}

/// Each moment on one running clock, in minutes (UTC where a zone is written), with the zone it
/// was read in; `None` when a zone name means several zones (the order cannot be told). Each item
/// is a moment, whether it is a day that cannot be placed (the next one), and whether it is an
/// entry (else a date line).
/// - An entry without a zone is on the zone written last; a date line is a day in the zone its
///   first entry is read in.
/// - An undated time is on the day of the last date, or the next day when it is more than 12
///   hours before the entry above (`11:50 PM` then `12:10 AM`); written in another zone than the
///   entry above (both written), within the day after it (`00:30 CET` then `23:50 UTC` is twenty
///   minutes, `11:05 UTC` then `23:45 EST` 17 hours 40), even under a date line.
/// - Undated entries before the first date lead up to it: the last of them is placed in the 24
///   hours before the first entry from that date on.
pub(super) fn on_one_clock(
    moments: impl Iterator<Item = (Moment, bool, bool)>,
) -> Option<Vec<(i64, i64)>> {
    let mut day = 0i64;
    let mut zone = 0i64;
    let mut previous: Option<(i64, i64)> = None;
    // The zone the item before wrote, if it is an entry that wrote one.
    let mut previous_written: Option<i64> = None;
    let mut clock = Vec::with_capacity(moments.size_hint().0);
    // Where the first date is, and where the first entry from there on is.
    let (mut first_dated, mut anchor) = (None, None);
    let mut moments = moments.peekable();
    while let Some((moment, next_day, entry)) = moments.next() {
        let written = match moment.zone {
            Zone::Ambiguous => return None,
            Zone::Offset(offset) => {
                zone = offset;
                Some(offset)
            }
            Zone::Unwritten => None,
        };
        // A date line is a day in the zone its first entry is read in.
        let own = if entry {
            zone
        } else {
            zone_ahead(moments.peek()).unwrap_or(zone)
        };
        let at = if next_day {
            // The day after the previous entry's, on its clock.
            if let Some((p, _)) = previous {
                day = (p + own).div_euclid(1440) * 1440 + 1440;
            }
            day - own
        } else if moment.dated {
            first_dated.get_or_insert(clock.len());
            day = moment.minutes - moment.minutes.rem_euclid(1440);
            moment.minutes - own
        } else {
            let mut at = day + moment.minutes - zone;
            if previous.is_some_and(|(p, _)| p - at >= 12 * 60) {
                day += 1440;
                at += 1440;
            } else if written.is_some_and(|z| previous_written.is_some_and(|p| p != z))
                && previous.is_some_and(|(p, _)| at - p >= 1440)
            {
                day -= 1440;
                at -= 1440;
            }
            at
        };
        if first_dated.is_some() && entry {
            anchor.get_or_insert(at);
        }
        previous_written = written.filter(|_| entry);
        previous = Some((at, own));
        clock.push((at, own));
    }
    // The entries before the first date were placed from day 0: move them, together, to the
    // day that puts the last of them at or before the first entry that follows (or the date).
    if let Some(first) = first_dated.filter(|&first| first > 0) {
        let anchor = anchor.unwrap_or(clock[first].0);
        let shift = (anchor - clock[first - 1].0).div_euclid(1440) * 1440;
        clock[..first].iter_mut().for_each(|(at, _)| *at += shift);
    }
    Some(clock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::outline::build;

    fn outage(text: &str) -> Option<Outage> {
        from_timeline(text, &build(text), Span::new(0, text.len()))
    }

    #[test]
    fn from_the_start_that_is_said_or_the_first_entry_to_the_recovery() {
        let found = outage("- 10:00 AM: users report errors\n- 10:30 AM: restart\n- 11:00 AM: service restored\n- 11:15 AM: users told\n")
            .expect("an outage");
        assert_eq!(found.minutes, 60);
        assert_eq!(found.end, "- 11:00 AM: service restored");
        // Hedged end words do not end it.
        let hedged = "- 10:00 UTC: outage started\n- 10:30 UTC: issue not resolved by restart\n\
            - 10:40 UTC: we expected it to be resolved within minutes\n- 11:00 UTC: service \
            partially restored\n- 11:10 UTC: DNS still not back to normal\n- 12:00 UTC: fully \
            restored\n";
        assert_eq!(outage(hedged).expect("an outage").minutes, 120);
        let found = outage("### 2022-06-02 09:00 - deploy\n\n### 10:00 - Problem starts\n\n### 21:24 - issue goes away\n")
            .expect("an outage");
        assert_eq!(found.minutes, 11 * 60 + 24);
        // A day that cannot be placed is the next one.
        let found =
            outage("### Day 1\n\n- 16:00 outage started\n\n### Day 2\n\n- 09:00 resolved\n")
                .expect("an outage");
        assert_eq!(found.minutes, 17 * 60);
        // Table rows are entries.
        let found = outage("| Time | Event |\n|---|---|\n| 10:00 | outage started |\n| 10:45 | service restored |\n")
            .expect("an outage");
        assert_eq!(found.minutes, 45);
        // Past midnight, and on the day a date line names.
        let found = outage("- 23:30 outage started\n- 00:15 back to normal\n").expect("an outage");
        assert_eq!(found.minutes, 45);
        let found =
            outage("## May 12\n\n### 20:15 outage started\n\n## May 14\n\n### 09:15 AM resolved\n")
                .expect("an outage");
        assert_eq!(found.minutes, 37 * 60);
        // Zones: 14:10 UTC to 08:10 PST is two hours.
        let found =
            outage("- 14:10 UTC outage started\n- 08:10 PST resolved\n").expect("an outage");
        assert_eq!(found.minutes, 120);
        // A name that means several zones: no clock, no outage.
        assert_eq!(
            outage("- 14:10 IST outage started\n- 16:10 IST resolved\n"),
            None
        );
    }

    /// Whether the timeline `text` is out of order, as the timeline-order check reads it.
    fn out_of_order(text: &str) -> bool {
        let lines = timeline_lines(text, &build(text), Span::new(0, text.len()));
        let mut findings = Vec::new();
        super::super::checks::timeline_order("Timeline", &lines, &mut findings);
        !findings.is_empty()
    }

    /// Entries without a date before the first dated one lead up to it: the last of them is in
    /// the 24 hours before the first entry from there on, on one clock across zones (not on
    /// 1970-01-01: `10:00` then `2024-05-01 12:00` is two hours, not 19,844 days).
    #[test]
    fn undated_entries_before_the_first_date_lead_up_to_it() {
        let minutes = |text: &str| outage(text).expect("an outage").minutes;
        let text =
            "- 10:00 UTC: outage started\n- 11:00 UTC: paged\n- 2024-05-01 12:00 UTC: restored\n";
        assert_eq!(minutes(text), 120);
        assert!(!out_of_order(text));
        assert_eq!(
            minutes("- 23:00 UTC: outage started\n- 2024-05-02 01:00 UTC: restored\n"),
            120
        );
        assert_eq!(
            minutes("- 09:00 PST: outage started\n- 2024-05-01 18:30 UTC: restored\n"),
            90
        );
        // The dated entry's zone puts it on the next day in UTC: 01:00 UTC to 02:00 UTC.
        let text =
            "- 01:00 UTC: outage started\n- 01:30 UTC: alert\n- 2024-05-01 7:00 PM PDT: restored\n";
        assert_eq!(minutes(text), 60);
        let text =
            "- 22:15 EST: outage started\n- 01:55 EST: alert\n- 2024-05-02 00:15 AEST: restored\n";
        assert_eq!(minutes(text), 11 * 60);
        assert!(!out_of_order(text));
        // Past midnight before the first date, and still before it.
        let text = "- 22:00 UTC: outage started\n- 23:00 UTC: alert\n- 01:00 UTC: paged\n\
            - 2024-05-01 21:00 UTC: restored\n";
        assert_eq!(minutes(text), 23 * 60);
        assert!(!out_of_order(text));
        // A date line is a day, not a moment: the entries before it lead up to its first entry.
        let text = "- 15:30 UTC: outage started\n### 2024-05-25\n- 16:00 UTC: looking\n\
            - 17:05 UTC: restored\n";
        assert_eq!(minutes(text), 95);
        // A date line without a year, before any year is written: the year of the first date
        // written after it (the year before, for a day later in the year than that date).
        let text = "- 23:00 UTC: outage started\n### May 1\n- 00:30 UTC: alert\n\
            - 2024-05-01 01:00 UTC: restored\n";
        assert_eq!(minutes(text), 120);
        let text =
            "### April 30\n\n- 23:00 UTC: outage started\n- 2024-05-01 01:00 UTC: restored\n";
        assert_eq!(minutes(text), 120);
        let text = "### Dec 31\n\n- 23:50 UTC: outage started\n- 2025-01-01 00:20 UTC: restored\n";
        assert_eq!(minutes(text), 30);
        assert!(!out_of_order(text));
        // Listed before a dated entry is before it: the day before, the next morning.
        assert!(!out_of_order(
            "- 10:00 UTC: a\n- 11:00 UTC: b\n- 2024-05-03 09:00 UTC: c\n"
        ));
        assert!(!out_of_order(
            "- 23:59 UTC: a\n- 2024-05-01 12:00 UTC: b\n- 2024-05-01 13:00 UTC: c\n"
        ));
    }

    /// Second review: undated entries that step back across zones, a date line after entries of
    /// its own day in a zone behind UTC, a yearless date line at a year's start or end.
    #[test]
    fn zones_and_years_around_the_first_date() {
        let minutes = |text: &str| outage(text).expect("an outage").minutes;
        // 00:30 CET is 23:30 UTC the day before: twenty minutes before 23:50 UTC, not a day.
        let text = "- 00:30 CET: outage started\n- 23:50 UTC: escalated\n\
            - 2024-05-02 00:30 UTC: service restored\n";
        assert_eq!(minutes(text), 60);
        let text = "- 9:00 AM JST: outage started\n- 8:30 PM EDT: escalated\n\
            - 2024-05-01 9:00 PM EDT: service restored\n";
        assert_eq!(minutes(text), 60);
        let text = "- 2024-05-02 00:30 CET: outage started\n- 23:50 UTC: escalated\n\
            - 00:30 UTC: service restored\n";
        assert_eq!(minutes(text), 60);
        // In one zone a long gap stays forward, and across zones one of less than a day.
        assert_eq!(
            minutes("- 01:00 UTC: outage started\n- 14:00 UTC: service restored\n"),
            780
        );
        let text = "- 11:05 UTC: outage started\n- 23:45 EST: service restored\n";
        assert_eq!(minutes(text), 17 * 60 + 40);
        assert!(!out_of_order(text));
        // A date line after evening entries of its own day, in a zone behind UTC.
        let text = "- 7:00 PM PST: outage started\n- 9:00 PM PST: investigating\n### 2024-12-09\n\
            - 11:00 PM PST: service restored\n";
        assert_eq!(minutes(text), 240);
        assert!(!out_of_order(text));
        // A yearless Jan 1 before 2024-01-01 (a leap year) is that day, not a year before.
        let text = "- 22:00 UTC: outage started\n### Jan 1\n- 00:10 UTC: investigating\n\
            - 2024-01-01 00:30 UTC: service restored\n";
        assert_eq!(minutes(text), 150);
        // Yearless date lines across a year's end go forward.
        let text =
            "### Dec 31\n- 23:00 UTC: outage started\n### Jan 1\n- 01:00 UTC: service restored\n\
            - 2025-01-01 09:00 UTC: postmortem scheduled\n";
        assert_eq!(minutes(text), 120);
        assert!(!out_of_order(text));
        // The nearest year to the first date written: Jan 1 before 2024-12-31 is 2025.
        let text =
            "### Jan 1\n- 8:00 AM JST: outage started\n- 2024-12-31 23:30 UTC: service restored\n";
        assert_eq!(minutes(text), 30);
    }

    /// Third review: the zone rule is for two entries with zones written, not for an entry after
    /// a date line; and no day is added between `Feb 28` and `Mar 1` without a year.
    #[test]
    fn a_date_line_keeps_the_entries_after_it_on_its_day() {
        let minutes = |text: &str| outage(text).expect("an outage").minutes;
        for entry in [
            "14:00 CET",
            "22:10 JST",
            "11:40 PST",
            "08:00 EST",
            "13:30 UTC",
        ] {
            let text = format!("### 2024-03-05\n- {entry}: outage started\n");
            assert!(!out_of_order(&text), "{entry}");
        }
        let text = "### 2024-12-31\n- 22:00 JST: outage started\n### 2025-01-01\n\
            - 09:30 JST: service restored\n";
        assert_eq!(minutes(text), 11 * 60 + 30);
        assert!(!out_of_order(text));
        let text = "- 2023-01-11 13:15 UTC: outage started\n### 2023-01-11\n\
            - 11:00 UTC-3: service restored\n";
        assert_eq!(minutes(text), 45);
        assert!(!out_of_order(text));
        let text =
            "### Feb 28\n- 22:00 UTC: outage started\n### Mar 1\n- 02:00 UTC: service restored\n";
        assert_eq!(minutes(text), 4 * 60);
        // A date line is a day in the zone its entries write: early morning in Sydney is still
        // the day before in UTC.
        assert!(!out_of_order(
            "### 2024-12-09\n- 2:15 AM AEST: outage started\n"
        ));
        let text = "- 17:30 EST: outage started\n**January 31**\n- 04:45 UTC: service restored\n";
        assert!(!out_of_order(text));
        assert_eq!(minutes(text), 6 * 60 + 15);
        // Fourth review: a date line and the entry right after it are in one zone, the zone that
        // entry is read in (the one written above, when it writes none).
        let text = "### 2024-06-25\n- 08:20 CEST: outage started\n### 2024-06-26\n- 00:25: paged\n\
            - 10:20 CET: service restored\n";
        assert!(!out_of_order(text));
        assert_eq!(minutes(text), 27 * 60);
        let text =
            "### 2025-01-01\n- 6:40 PM JST: outage started\n### 2025-01-02\n- 1:50 AM: paged\n\
            - 5:00 AM EST: service restored\n";
        assert_eq!(minutes(text), 24 * 60 + 20);
    }

    #[test]
    fn no_recovery_said_no_outage() {
        assert_eq!(outage("- 10:00 alert\n- 11:00 fix deployed\n"), None);
        assert_eq!(outage("```\n- 10:00 alert\n- 11:00 resolved\n```\n"), None);
    }
}
