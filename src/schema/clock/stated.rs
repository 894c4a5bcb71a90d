//! What a duration line states, read as a careful reader reads it: a range of lengths
//! (`85-95 minutes`, `1.5 - 2 hours`) is taken whole, and a window of clock times written where
//! the length goes (`Duration: 14:10-15:40 UTC`, `Duration: from 14:10 till 15:40`) is the
//! window's length, not an `h:mm` length of 14 hours.

use std::sync::LazyLock;

use regex::Regex;

use super::duration::{
    self, clock_length, describe_minutes, duration_label, number, read_length, writes_clock, Length,
};
use super::{first_time, label_zone, Moment, Zone};

/// A stated length: one, or a range (`low < high`) any length in which agrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stated {
    /// The shortest length it allows, in minutes.
    pub low: i64,
    /// The longest.
    pub high: i64,
    /// Whether it was written as a window of two clock times, which state a start and an end
    /// of their own.
    pub window: bool,
    /// A length written after the window that disagrees with it (`14:10-15:40 UTC (about 3
    /// hours)`): the line says both, and both are held to the times.
    pub also: Option<(i64, i64)>,
}

impl Stated {
    /// One length.
    #[must_use]
    pub fn exactly(minutes: i64) -> Self {
        Self {
            low: minutes,
            high: minutes,
            window: false,
            also: None,
        }
    }

    /// The length of a window of two clock times.
    fn window(minutes: i64) -> Self {
        Self {
            window: true,
            ..Self::exactly(minutes)
        }
    }

    /// What is held to `actual`: this, or the length written after its window when this agrees
    /// with `actual` (to the minute) and that does not.
    #[must_use]
    pub fn held_to(self, actual: i64) -> Self {
        let agrees = |s: Self| s.nearest(actual).abs_diff(actual) <= 1;
        match self.also {
            Some((low, high)) if agrees(self) => {
                let also = Self {
                    low,
                    high,
                    ..Self::exactly(low)
                };
                if agrees(also) {
                    self
                } else {
                    also
                }
            }
            _ => self,
        }
    }

    /// The length it allows nearest to `actual`: what `actual` is compared with.
    #[must_use]
    pub fn nearest(self, actual: i64) -> i64 {
        actual.clamp(self.low, self.high)
    }

    /// As people write it: `1 hour 30 minutes`, `2 hours to 3 hours`.
    #[must_use]
    pub fn describe(self) -> String {
        if self.low == self.high {
            describe_minutes(self.low)
        } else {
            format!(
                "{} to {}",
                describe_minutes(self.low),
                describe_minutes(self.high)
            )
        }
    }
}

impl From<Length> for Stated {
    fn from(length: Length) -> Self {
        match length {
            Length::One(minutes) => Self::exactly(minutes),
            Length::Range(low, high) => Self {
                low,
                high,
                ..Self::exactly(low)
            },
        }
    }
}

/// `Duration: 14:10-15:40 UTC`: the label, an optional `from`, a clock time (with its meridiem
/// and zone, if written), a range word or dash, the second clock time, and the rest of the line.
static WINDOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        duration_label!(),
        r"(?i:from\s+)?",
        r"([0-9]{1,2}:[0-5][0-9](?::[0-5][0-9])?(?:\s*(?i:[ap]\.?m\.?))?(?:\s*[A-Z]{1,5}\b)?)",
        r"\s*(?:-->|->|—>|–>|=>|→|⟶|➝|➔|⇒|-|–|—|(?i:\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b))\s*",
        r"([0-9]{1,2}:[0-5][0-9](?::[0-5][0-9])?\b)(.*)",
    ))
    .expect("the window pattern is valid")
});

/// The length `text` (a duration line from its fact's match) states: the parts of its first
/// duration added up, a clock length (`Duration: 01:30`), a range of lengths or a window of
/// clock times. `None` where it states none, or a window that cannot be read with confidence
/// (see [`window_length`] and [`says_hours`]): silence, not a guess a finding would rest on.
#[must_use]
pub fn stated_duration(text: &str) -> Option<Stated> {
    // `__Duration:__ _1 hour 30 minutes_`: underscores are emphasis here, and the patterns' `\b`
    // sees no word beside one.
    let unemphasised;
    let text = if text.contains('_') {
        unemphasised = text.replace('_', "");
        unemphasised.as_str()
    } else {
        text
    };
    let clock = writes_clock(text);
    if clock {
        if let Some(window) = WINDOW.captures(text) {
            // `1:25 to 1:35 hours` is a range of lengths, `14:10 - 15:40 hrs` two times written
            // the military way: which, cannot be told.
            if says_hours(&window[3]) {
                return None;
            }
            // The label's zone (`Duration (UTC): 14:10 → 16:40 CET`) is that of a time without one.
            let zone = label_zone(&text[..window.get(1)?.start()]);
            let zoned = |time: &str, after: &str| match zone {
                Some(zone)
                    if first_time(&format!("{time}{after}"))
                        .is_some_and(|m| m.zone == Zone::Unwritten) =>
                {
                    format!("{time} {zone}{after}")
                }
                _ => format!("{time}{after}"),
            };
            let length = window_length(&zoned(&window[1], ""), &zoned(&window[2], &window[3]))?;
            // `14:10-15:40 UTC (about 3 hours)` says two things: when they disagree, both are
            // held to the times.
            let also = only_a_length(&window[3])
                .filter(|said| said.nearest(length).abs_diff(length) > 1)
                .map(|said| (said.low, said.high));
            return Some(Stated {
                also,
                ..Stated::window(length)
            });
        }
    }
    if let Some(length) = clock.then(|| clock_length(text)).flatten() {
        return length.map(Stated::exactly);
    }
    if let Some(stated) = in_the_labels_unit(text) {
        return Some(stated);
    }
    read_length(text).map(Stated::from)
}

/// `Duration (minutes): 90`, `| Duration (hours) | 1.5 |`, `Duration in minutes: 90 total`,
/// `Duration (hours): 2-3`: a number or a range after a label that names their unit.
fn in_the_labels_unit(text: &str) -> Option<Stated> {
    static UNIT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"^[\W_]*(?i:duration)\s*(?i:\(\s*(?:in\s+)?",
            r"(days?|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\s*\)",
            r"|in\s+(days|hours|hrs|minutes|mins|seconds|secs))",
            r"(?:\*\*?|__?)?\s*[:|]\s*(?:\*\*?|__?)?\s*",
            r"(?i:~|≈|about\s+|approx\.?\s*|approximately\s+|ca\.?\s*)?",
            "(",
            number!(),
            r"(?:\s*(?:-|–|—|to)\s*",
            number!(),
            r")?)",
            // Then nothing, or a note: not a word (`90 services`), a time (`14:10`), a date.
            r"(?:\s*$|\s*\.\s*(?:$|\|)|\s*[(|*_~\[<]|\s*[,;]\s|\s*[-–—]\s",
            r"|\s*(?i:total|overall|approx(?:imately|\.)?|about|roughly|or\s+so|in\s+total|estimated",
            r"|d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\b)",
        ))
        .expect("the unit label pattern is valid")
    });
    if !text.contains('(') && !text.contains(" in ") {
        return None;
    }
    let c = UNIT_LABEL.captures(text)?;
    let unit = c.get(1).or_else(|| c.get(2))?.as_str();
    let (number, rest) = (&c[3], &text[c.get(3)?.end()..]);
    // `14:10`: a time, not a number of the label's unit.
    if rest.starts_with(':') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let length = if starts_with_unit(rest) {
        read_length(&text[c.get(3)?.start()..])
    } else {
        read_length(&format!("{number} {unit}{rest}"))
    };
    length.map(Stated::from)
}

/// Whether `text` starts, after spaces, with a unit of time (`minutes`, `h`, `Hrs`).
fn starts_with_unit(text: &str) -> bool {
    let text = text.trim_start();
    let word = &text[..text
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(text.len())];
    [
        "d", "day", "days", "h", "hr", "hrs", "hour", "hours", "m", "min", "mins", "minute",
        "minutes", "s", "sec", "secs", "second", "seconds",
    ]
    .iter()
    .any(|unit| word.eq_ignore_ascii_case(unit))
}

/// Whether a duration line states a time of day where the length goes (`Duration: 14:10 UTC`,
/// `Duration (UTC): 14:10`), and so no duration: the pattern that finds the line cannot tell a
/// zone from a word such as `TOTAL`.
#[must_use]
pub fn states_a_time_of_day(line: &str) -> bool {
    let line = if line.contains('_') {
        std::borrow::Cow::Owned(line.replace('_', ""))
    } else {
        std::borrow::Cow::Borrowed(line)
    };
    writes_clock(&line) && !WINDOW.is_match(&line) && duration::states_a_time_of_day(&line)
}

/// What follows a window when it is a length and nothing else (`(about 3 hours)`, `, 90 min`),
/// after the window's zone: its reading. Not a length among other words (`; 5 minutes of full
/// downtime` is part of the window, not another statement of it).
fn only_a_length(after: &str) -> Option<Stated> {
    static LENGTH_ONLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"^\s*(?:[A-Z]{1,5}\b)?\s*[(,;:=–—-]?\s*",
            r"(?i:(?:about|approx(?:imately|\.)?|roughly|around|~|≈|lasting|for)\s*)?",
            r"((?i:[0-9]+(?:\.[0-9]+)?\s*(?:(?:-|–|to)\s*[0-9]+(?:\.[0-9]+)?\s*)?",
            r"(?:days?|hours?|hrs?|minutes?|mins?|h|m|d)\b[\s,]*(?:and\s+)?)+)",
            r"(?i:(?:in\s+)?total|overall)?\s*\)?\s*\.?\s*$",
        ))
        .expect("the length pattern is valid")
    });
    if !after.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    read_length(LENGTH_ONLY.captures(after)?.get(1)?.as_str()).map(Stated::from)
}

/// The minutes from the clock time at the start of `from` to the one at the start of `to`, the
/// next day when it is earlier. `None` when the two may not be times of day: no meridiem, no zone
/// and hours from 1 to 12 (`1:25-1:35` may be a range of lengths; `11:30 - 1:15` 1 h 45 on a
/// 12-hour clock or 13 h 45 on a 24-hour one).
fn window_length(from: &str, to: &str) -> Option<i64> {
    let meridiem = has_meridiem(from);
    if meridiem != has_meridiem(to) {
        return None;
    }
    let (start, end) = (first_time(from)?, first_time(to)?);
    let (start_at, end_at) = comparable_minutes(start, end)?;
    let twelve_hour = |m: Moment| (60..13 * 60).contains(&m.minutes.rem_euclid(1440));
    let unzoned = start.zone == Zone::Unwritten && end.zone == Zone::Unwritten;
    if !meridiem && unzoned && twelve_hour(start) && twelve_hour(end) {
        return None;
    }
    let length = (end_at - start_at).rem_euclid(1440);
    (length > 0).then_some(length)
}

/// Whether what follows a window's second clock says hours (`1:25 to 1:35 hours`, `15:40 hrs`).
fn says_hours(after: &str) -> bool {
    let after = after.trim_start();
    let word = &after[..after
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(after.len())];
    ["h", "hr", "hrs", "hour", "hours"]
        .iter()
        .any(|unit| word.eq_ignore_ascii_case(unit))
}

/// A window's two times in minutes on one clock: as written when their zones agree (an ambiguous
/// name on both sides is one zone) or only one is written (`14:10-15:40 UTC`), in UTC when both
/// are known; `None` otherwise. (The timeline's `on_one_clock` places a run of entries across
/// days, and gives up on any ambiguous name.)
fn comparable_minutes(start: Moment, end: Moment) -> Option<(i64, i64)> {
    match (start.zone, end.zone) {
        (a, b) if a == b => Some((start.minutes, end.minutes)),
        (Zone::Unwritten, _) | (_, Zone::Unwritten) => Some((start.minutes, end.minutes)),
        _ => Some((start.utc_minutes()?, end.utc_minutes()?)),
    }
}

/// Whether the clock time at the start of `time` has `AM` or `PM` after it (`a.m.` too).
fn has_meridiem(time: &str) -> bool {
    let rest = time
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ':')
        .trim_start()
        .as_bytes();
    matches!(
        rest,
        [b'a' | b'A' | b'p' | b'P', b'm' | b'M', ..]
            | [b'a' | b'A' | b'p' | b'P', b'.', b'm' | b'M', ..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::clock::duration_minutes;

    fn stated(text: &str) -> Option<(i64, i64)> {
        stated_duration(text).map(|s| (s.low, s.high))
    }

    #[test]
    fn ranges_windows_and_single_lengths() {
        assert_eq!(stated("Duration: 1 hour 30 minutes"), Some((90, 90)));
        assert_eq!(stated("Duration: 85-95 minutes"), Some((85, 95)));
        assert_eq!(stated("Duration: 1.5 - 2 hours"), Some((90, 120)));
        assert_eq!(stated("Duration: 80 to 100 min"), Some((80, 100)));
        assert_eq!(stated("Duration: 3-2 hours"), Some((120, 120)));
        assert_eq!(stated("Duration: 2025-03-01 - 2 hours"), Some((120, 120)));
        // A range joined to more parts is not read as one: the parts add up, as before.
        assert_eq!(stated("Duration: 1-2 hours 30 minutes"), Some((150, 150)));
        assert_eq!(stated("Duration: 01:30"), Some((90, 90)));
        assert_eq!(stated("Duration: 14:10-15:40 UTC"), Some((90, 90)));
        assert_eq!(stated("duration - from 14:10 till 15:40"), Some((90, 90)));
        assert_eq!(stated("Duration: 2:10 PM to 3:40 PM EST"), Some((90, 90)));
        assert_eq!(stated("Duration: 23:10 - 00:40 UTC"), Some((90, 90)));
        assert_eq!(stated("Duration: 14:10 PST - 17:40 EST"), Some((30, 30)));
        assert_eq!(stated("Duration: 11:30 - 1:15 PM"), None);
        assert_eq!(stated("Duration: 14:10 PST - 17:40 IST"), None);
        assert_eq!(stated("Duration: 14:10 - 14:10"), None);
        // Lengths or military times: not read (it read as `10 minutes`, before as 1 h 25).
        assert_eq!(stated("Duration: 1:25 to 1:35 hours"), None);
        assert_eq!(stated("Duration: 14:10 - 15:40 hrs"), None);
        // No meridiem, no zone, hours up to 12: a 12-hour clock or lengths.
        assert_eq!(stated("Duration: 11:30 - 1:15"), None);
        assert_eq!(stated("Duration: 1:25-1:35"), None);
        assert_eq!(stated("Duration: 9:10 - 10:40 UTC"), Some((90, 90)));
        // A bold label, its value on the next line: not read across the line.
        assert_eq!(stated("**Duration:**\n14:10-15:40 UTC"), None);
        assert_eq!(stated("**Duration**: 01:30"), Some((90, 90)));
        assert_eq!(stated("**Duration:** 14:10-15:40 UTC"), Some((90, 90)));
        assert_eq!(stated("Duration: 9:10 a.m. - 10:40 a.m."), Some((90, 90)));
        assert_eq!(stated("Duration: 11:30 AM - 1:15 PM"), Some((105, 105)));
        // Underscores, arrows and seconds.
        assert_eq!(stated("__Duration:__ 01:30:00"), Some((90, 90)));
        assert_eq!(stated("_Duration_: 14:10 → 15:40 UTC"), Some((90, 90)));
        assert_eq!(stated("Duration: 14:10 -> 15:40 UTC"), Some((90, 90)));
        assert_eq!(stated("Duration: 14:10:30 - 15:40:10 UTC"), Some((90, 90)));
        assert_eq!(stated("Duration: 00:59:40"), Some((60, 60)));
        assert_eq!(stated("Duration: _1 hour 30 minutes_"), Some((90, 90)));
        assert_eq!(stated("Duration: __1:30__"), Some((90, 90)));
        assert_eq!(stated("Duration: 00:00:10"), Some((1, 1)));
        assert_eq!(stated("Duration: 14:10:00.000Z"), None);
        assert_eq!(stated("nothing said"), None);
    }

    #[test]
    fn a_range_reads_as_the_single_length_did_at_its_high_end() {
        for text in [
            "85-95 minutes",
            "1.5 - 2 hours",
            "2 to 3 days",
            "an hour",
            "90 min",
        ] {
            assert_eq!(
                stated_duration(text).map(|s| s.high),
                duration_minutes(text),
                "{text}"
            );
        }
    }

    #[test]
    fn described() {
        assert_eq!(Stated::exactly(90).describe(), "1 hour 30 minutes");
        assert_eq!(
            Stated {
                low: 120,
                high: 180,
                window: false,
                also: None,
            }
            .describe(),
            "2 hours to 3 hours"
        );
        let range = Stated {
            low: 85,
            high: 95,
            window: false,
            also: None,
        };
        assert_eq!((range.nearest(90), range.nearest(120)), (90, 95));
    }
}
