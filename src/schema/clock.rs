//! Times, dates and durations as postmortems write them: `09:45`, `9:45 AM`, `14:15pm`,
//! `2024-07-15 09:45 UTC`, `2025-03-04T14:10:00Z`, `08:10 PST`, `14:10 +01:00`, `**10:15**`;
//! `2 hours 30 minutes`, `1.5 hours`, `90 min`, `2h30m`, `3 days`, `45 seconds`, `two hours`.
//!
//! Zones: `Z`, `UTC`/`GMT` (with `+5`, `-03:30`), numeric offsets, and the common names in
//! [`ZONES`]. Names that mean several zones (`IST`: India, Ireland or Israel; `CST`: US Central or
//! China; `BST`: British Summer or Bangladesh; `AST`, `ET`, `PT`, ...) are ambiguous: a time in one
//! is compared with nothing in another zone.

mod duration;
mod parts;
mod stated;

use std::sync::LazyLock;

use regex::Regex;

pub use duration::describe_minutes;
#[cfg(test)]
pub use duration::duration_minutes;
use parts::{time_parts, TimeParts};
pub use stated::{stated_duration, states_a_time_of_day, Stated};

/// A point in time in minutes: `day * 1440 + minute of day` on the clock it was written in, where
/// `day` comes from a date when one is written (and is 0 otherwise), and the zone of that clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment {
    /// Minutes since an arbitrary epoch, on the written clock.
    pub minutes: i64,
    /// Whether a date was written.
    pub dated: bool,
    /// The zone written after the time.
    pub zone: Zone,
}

/// The zone of a written time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Zone {
    /// None written.
    Unwritten,
    /// An offset east of UTC, in minutes.
    Offset(i64),
    /// A name that means several zones.
    Ambiguous,
}

impl Moment {
    /// The minutes in UTC, when the zone says.
    #[must_use]
    pub fn utc_minutes(self) -> Option<i64> {
        match self.zone {
            Zone::Offset(offset) => Some(self.minutes - offset),
            Zone::Unwritten | Zone::Ambiguous => None,
        }
    }
}

/// Common zone names and their offsets east of UTC in minutes (`None`: the name means several),
/// by name.
pub const ZONES: &[(&str, Option<i64>)] = &[
    ("AEDT", Some(660)),
    ("AEST", Some(600)),
    ("AKDT", Some(-480)),
    ("AKST", Some(-540)),
    ("AST", None),
    ("BST", None),
    ("CDT", Some(-300)),
    ("CEST", Some(120)),
    ("CET", Some(60)),
    ("CST", None),
    ("CT", None),
    ("EDT", Some(-240)),
    ("EEST", Some(180)),
    ("EET", Some(120)),
    ("EST", Some(-300)),
    ("ET", None),
    ("GMT", Some(0)),
    ("HKT", Some(480)),
    ("HST", Some(-600)),
    ("IST", None),
    ("JST", Some(540)),
    ("KST", Some(540)),
    ("MDT", Some(-360)),
    ("MSK", Some(180)),
    ("MST", Some(-420)),
    ("MT", None),
    ("NZDT", Some(780)),
    ("NZST", Some(720)),
    ("PDT", Some(-420)),
    ("PST", Some(-480)),
    ("PT", None),
    ("SGT", Some(480)),
    ("UTC", Some(0)),
    ("WEST", Some(60)),
    ("WET", Some(0)),
    ("Z", Some(0)),
];

/// A time as the postmortem facts write it. [`first_time`] finds and reads its matches by hand,
/// as the tests hold it to (`parts`): the regex itself is compiled only by them.
#[cfg_attr(not(test), allow(dead_code))]
const TIME: &str = r"(?:([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ ,]+|T)|\b)([0-9]{1,2})(?::([0-9]{2}))?(?::[0-9]{2}(?:\.[0-9]+)?)?\s*(?:([AaPp])\.?[Mm]\b\.?)?(?:\s*\(?(Z\b|[+-][0-9]{2}:?[0-9]{2}\b|[A-Z]{1,5}(?:[+-][0-9]{1,2}(?::?[0-9]{2})?)?\b))?";

#[cfg(test)]
static ANY_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(TIME).expect("the time pattern is valid"));
/// The zone a captured zone word names, if it is one: `Z`, a numeric offset, a name of
/// [`ZONES`], or `UTC`/`GMT` with an offset.
fn zone(word: &str) -> Option<Zone> {
    let offset = |sign: &str, digits: &str| -> Option<i64> {
        let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i64>().ok()?, 0),
            3 | 4 => {
                let split = digits.len() - 2;
                (digits[..split].parse().ok()?, digits[split..].parse().ok()?)
            }
            _ => return None,
        };
        let minutes = h * 60 + m;
        (h <= 14 && m < 60).then_some(if sign == "-" { -minutes } else { minutes })
    };
    if let Some(rest) = word.strip_prefix('+').or_else(|| word.strip_prefix('-')) {
        return offset(&word[..1], rest).map(Zone::Offset);
    }
    for base in ["UTC", "GMT"] {
        if let Some(rest) = word.strip_prefix(base).filter(|r| !r.is_empty()) {
            // Typeset text writes a minus sign (U+2212) or an en dash for `-`.
            let first = rest.chars().next().unwrap_or('+');
            let sign = match first {
                '\u{2212}' | '\u{2013}' => "-",
                c if c.is_ascii() => &rest[..1],
                _ => return None,
            };
            return offset(sign, &rest[first.len_utf8()..]).map(Zone::Offset);
        }
    }
    named_zone(word.as_bytes())
}

/// The zone of a name of [`ZONES`] (`UTC`, `PST`), if `name` is one.
fn named_zone(name: &[u8]) -> Option<Zone> {
    let key = zone_key(name)?;
    ZONES_BY_KEY
        .binary_search_by_key(&key, |&(k, _)| k)
        .ok()
        .map(|i| ZONES_BY_KEY[i].1.map_or(Zone::Ambiguous, Zone::Offset))
}

/// [`ZONES`] by [`zone_key`], sorted (at compile time): a zone is read on every timeline entry,
/// and one integer comparison a step costs less than comparing strings.
static ZONES_BY_KEY: [(u64, Option<i64>); ZONES.len()] = {
    let mut zones = [(0, None); ZONES.len()];
    let mut i = 0;
    while i < ZONES.len() {
        let (name, offset) = ZONES[i];
        let key = match zone_key(name.as_bytes()) {
            Some(key) => key,
            None => panic!("a zone name has one to four letters"),
        };
        // Insertion sort: the table is small, and this runs once, when compiling.
        let mut at = i;
        while at > 0 && zones[at - 1].0 > key {
            zones[at] = zones[at - 1];
            at -= 1;
        }
        zones[at] = (key, offset);
        i += 1;
    }
    zones
};

/// A name of one to four bytes as one number: its length, then its bytes.
const fn zone_key(name: &[u8]) -> Option<u64> {
    if name.is_empty() || name.len() > 4 {
        return None;
    }
    let mut key = name.len() as u64;
    let mut i = 0;
    while i < name.len() {
        key = key << 8 | name[i] as u64;
        i += 1;
    }
    Some(key)
}

/// Whether `text` starts, after spaces and a parenthesis, with a zone (`UTC`, `(CET)`, `+01:00`,
/// `GMT+1`): what makes a clock before it a time of day.
fn starts_with_zone(text: &str) -> bool {
    let rest = text.trim_start().trim_start_matches('(').trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | ':' | '\u{2212}')))
        .unwrap_or(rest.len());
    let word = &rest[..end];
    // `EST.` is `estimated`; of the names in lower case, only `utc` and `gmt` are no words.
    let estimated = word.eq_ignore_ascii_case("est") && rest[end..].starts_with('.');
    let unmistakable = word
        .get(..3)
        .is_some_and(|base| base.eq_ignore_ascii_case("utc") || base.eq_ignore_ascii_case("gmt"));
    let known =
        zone(word).is_some() || (unmistakable && zone(&word.to_ascii_uppercase()).is_some());
    end > 0 && !estimated && known
}

/// The zone a duration's label names in parentheses (`Duration (UTC):`), as written.
fn label_zone(label: &str) -> Option<&str> {
    let open = label.find('(')?;
    let inside = label[open + 1..].split(')').next()?.trim();
    zone(inside).map(|_| inside)
}

/// The moment a match of [`TIME`] tells, if it is a time (not a bare number).
fn moment(parts: TimeParts<'_>) -> Option<Moment> {
    let hour: i64 = parts.hour.parse().ok()?;
    let minute = match parts.minute {
        Some(m) => Some(m.parse::<i64>().ok()?),
        None => None,
    };
    if minute.is_none() && parts.meridiem.is_none() {
        return None; // a bare number is not a time
    }
    let day = match parts.date {
        Some((y, m, d)) => Some(days_from_civil(
            y.parse().ok()?,
            m.parse().ok()?,
            d.parse().ok()?,
        )),
        None => None,
    };
    let zone = parts.zone.and_then(zone).unwrap_or(Zone::Unwritten);
    to_moment(day, hour, minute.unwrap_or(0), parts.meridiem).map(|m| Moment { zone, ..m })
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The time a timeline entry starts with, if the line starts with one: after an optional list
/// marker, task box, HTML tags and emphasis, an optional `YYYY-MM-DD` date, then `H:MM`, `HH:MM:SS`
/// or `H am`. Hand-written: it runs on every line of a timeline.
#[must_use]
pub fn entry_time(line: &str) -> Option<Moment> {
    let mut rest = line.trim_start().as_bytes();
    // List marker: `-`, `+`, `*` and a space, or `12.` / `12)` and a space.
    if let [b'-' | b'+' | b'*', b' ' | b'\t', tail @ ..] = rest {
        rest = tail;
    } else {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0
            && matches!(rest.get(digits), Some(b'.' | b')'))
            && matches!(rest.get(digits + 1), Some(b' '))
        {
            rest = &rest[digits + 2..];
        }
    }
    rest = trim_spaces(rest);
    if let [b'[', b' ' | b'x' | b'X', b']', tail @ ..] = rest {
        rest = trim_spaces(tail);
    }
    while rest.first() == Some(&b'<') {
        let end = memchr::memchr(b'>', rest)?;
        rest = trim_spaces(&rest[end + 1..]);
    }
    while let [b'*' | b'_' | b'`' | b'[', tail @ ..] = rest {
        rest = tail;
    }
    rest = trim_spaces(rest);
    let (day, rest) = match parse_date(rest) {
        Some((day, tail)) => (Some(day), trim_date_gap(tail)),
        None => (None, rest),
    };
    let (hour, rest) = number(rest, 2)?;
    let mut seconds = false;
    let (minute, rest) = match rest {
        [b':', tail @ ..] => {
            let (m, tail) = number(tail, 2)?;
            let tail = match tail {
                [b':', more @ ..] => number(more, 2).map_or(tail, |(_, t)| {
                    seconds = true;
                    t
                }),
                _ => tail,
            };
            (Some(m), tail)
        }
        _ => (None, rest),
    };
    let after = trim_spaces(rest);
    let meridiem = match after {
        [a @ (b'a' | b'A' | b'p' | b'P'), b'.', b'm' | b'M', ..]
        | [a @ (b'a' | b'A' | b'p' | b'P'), b'm' | b'M', ..] => Some(a.to_ascii_lowercase()),
        _ => None,
    };
    if minute.is_none() && meridiem.is_none() {
        return None; // a bare number is not a time
    }
    // A zone after the time (and its meridiem): `14:05 UTC`, `2:00 PM EST`, `09:00+02:00`.
    let after = match meridiem {
        // The meridiem itself (`pm`, `p.m.`), not a zone written straight after it (`p.m.BST`).
        Some(_) => {
            let dots = |at: usize| usize::from(after.get(at) == Some(&b'.'));
            let skip = 1 + dots(1);
            let skip = skip + 1 + dots(skip + 1);
            trim_spaces(&after[skip..])
        }
        None => after,
    };
    let zone = entry_zone(after, seconds);
    to_moment(day, hour, minute.unwrap_or(0), meridiem).map(|m| Moment { zone, ..m })
}

/// The zone written after an entry's time (`after`: what follows the time and its meridiem), if
/// any; `seconds` tells whether the time had seconds.
fn entry_zone(after: &[u8], seconds: bool) -> Zone {
    let mut len = after
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b':'))
        .count();
    // `UTC−5`: typeset text writes a minus sign or an en dash for the offset's `-`.
    if len > 0 && after[..len].iter().all(u8::is_ascii_alphabetic) {
        let dash = ["\u{2212}", "\u{2013}"]
            .iter()
            .find(|d| after[len..].starts_with(d.as_bytes()))
            .map_or(0, |d| d.len());
        if dash > 0 && after.get(len + dash).is_some_and(u8::is_ascii_digit) {
            len += dash;
            len += after[len..]
                .iter()
                .take_while(|b| b.is_ascii_digit() || **b == b':')
                .count();
        }
    }
    let word = &after[..len];
    // A name, as most entries write one (`UTC`, `PST`): what [`zone`] reads it as, without its
    // offsets' reading (a name of letters has none: `UTCX` is no zone either way).
    if word.iter().all(u8::is_ascii_alphabetic) {
        return named_zone(word).unwrap_or(Zone::Unwritten);
    }
    // `10:00-10:15` is a range, not an offset: a `-` offset is read after seconds only
    // (`09:00:00-05:00`).
    let range = word.first() == Some(&b'-') && !seconds;
    std::str::from_utf8(word)
        .ok()
        .filter(|w| !w.is_empty() && !range)
        .and_then(|w| zone(w.trim_end_matches(':')))
        .unwrap_or(Zone::Unwritten)
}

/// What a line that is only a date says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateLine {
    /// The day it names, in minutes at its start.
    Day(i64),
    /// A day that cannot be placed (`Day 2`, `20/07/2023`): the next one after the entries
    /// before it.
    Next,
}

/// What a line that is only a date says (`### 2023-07-19`, `## May 14`, `**15 May 2025**`,
/// `### 2023-07-19 (Wednesday)`, `### Wed 19 July`, `### Day 2`); a date without a year is in
/// `year`.
#[must_use]
pub fn date_line(line: &str, year: i64) -> Option<DateLine> {
    // A date line is short and holds a figure: most lines are neither.
    if line.len() > 60 || !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let text = line
        .trim()
        .trim_start_matches('#')
        .trim_start_matches(['-', '*', '+'])
        .trim()
        .trim_matches(['*', '_', ':', ' '])
        .trim();
    // Without a parenthesis, a weekday or a zone: `2023-07-19 (Wednesday)`, `Wed 19 July`.
    let text = PARENTHESES.replace_all(text, " ");
    let mut words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.first().is_some_and(|w| is_weekday(w)) {
        words.remove(0);
    }
    if words.len() > 1 && words.last().is_some_and(|w| zone(w).is_some()) {
        words.pop();
    }
    if let [only] = words.as_slice() {
        if let Some((day, rest)) = parse_date(only.as_bytes()) {
            return rest.is_empty().then_some(DateLine::Day(day * 1440));
        }
    }
    let words: Vec<&str> = words.iter().map(|w| w.trim_end_matches('.')).collect();
    let day_of = |w: &str| {
        w.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=31).contains(d))
    };
    let (m, d, y) = match words.as_slice() {
        [a, b] | [a, b, _] if month(a).is_some() => (month(a)?, day_of(b)?, words.get(2)),
        [a, b] | [a, b, _] if month(b).is_some() => (month(b)?, day_of(a)?, words.get(2)),
        [day, n] if day.eq_ignore_ascii_case("day") && n.parse::<u16>().is_ok() => {
            return Some(DateLine::Next)
        }
        [numeric] if NUMERIC_DATE.is_match(numeric) => return Some(DateLine::Next),
        _ => return None,
    };
    let y = match y {
        Some(y) => y.parse().ok()?,
        None => year,
    };
    Some(DateLine::Day(days_from_civil(y, m, d) * 1440))
}

/// The month a word names (`May`, `sept`, `December`).
fn month(word: &str) -> Option<i64> {
    let word = word.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| word.len() >= 3 && m.starts_with(&word))
        .and_then(|i| i64::try_from(i + 1).ok())
}

fn is_weekday(word: &str) -> bool {
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    word.len() >= 3
        && [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]
        .iter()
        .any(|d| d.starts_with(&word))
}

static PARENTHESES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\([^)]*\)").expect("the parentheses pattern is valid"));

/// `20/07/2023`, `07.20.2023`, `2023/07/20`: a date, but which day and month is not told.
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}|[0-9]{4}[/.][0-9]{1,2}[/.][0-9]{1,2})$")
        .expect("the numeric date pattern is valid")
});

/// Compile the duration regex every checked document needs (see [`super::warm_up`]).
pub(super) fn warm_up() {
    duration::warm_up();
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn trim_spaces(bytes: &[u8]) -> &[u8] {
    let n = bytes
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    &bytes[n..]
}

fn trim_date_gap(bytes: &[u8]) -> &[u8] {
    let n = bytes
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'T' | b','))
        .count();
    &bytes[n..]
}

/// Up to `max` digits (at least one) and what follows.
fn number(bytes: &[u8], max: usize) -> Option<(i64, &[u8])> {
    let n = bytes
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if n == 0 || bytes.get(n).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let value = bytes[..n]
        .iter()
        .fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'));
    Some((value, &bytes[n..]))
}

/// `YYYY-MM-DD` at the start of `bytes`: days since 1970-01-01 and the rest.
fn parse_date(bytes: &[u8]) -> Option<(i64, &[u8])> {
    if bytes.len() < 10 || bytes[4] != b'-' || !bytes[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let (y, rest) = number(bytes, 4)?;
    let (m, rest) = number(rest.strip_prefix(b"-")?, 2)?;
    let (d, rest) = number(rest.strip_prefix(b"-")?, 2)?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| (days_from_civil(y, m, d), rest))
}

fn to_moment(day: Option<i64>, hour: i64, minute: i64, meridiem: Option<u8>) -> Option<Moment> {
    if minute > 59 || hour > 23 {
        return None;
    }
    // `14:15pm` is written too: a 24-hour time makes the meridiem redundant.
    let meridiem = meridiem.filter(|_| (1..=12).contains(&hour));
    let hour = match meridiem {
        Some(b'p') if hour != 12 => hour + 12,
        Some(b'a') if hour == 12 => 0,
        _ => hour,
    };
    Some(Moment {
        minutes: day.unwrap_or(0) * 1440 + hour * 60 + minute,
        dated: day.is_some(),
        zone: Zone::Unwritten,
    })
}

/// The first time written in `text`: the first match of [`TIME`] that reads as one, found and
/// read by hand (see [`parts`]).
#[must_use]
pub fn first_time(text: &str) -> Option<Moment> {
    let mut from = 0;
    while let Some(at) = parts::next_time_start(text, from) {
        // A match starts there, so it reads (the tests hold both to the regex).
        let parts = time_parts(text, at)?;
        if let Some(moment) = moment(parts) {
            return Some(moment);
        }
        from = parts.end;
    }
    None
}

#[cfg(test)]
mod tests;
