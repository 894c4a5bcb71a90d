//! Times, dates and durations as postmortems write them: `09:45`, `9:45 AM`, `14:15pm`,
//! `2024-07-15 09:45 UTC`, `**10:15**`; `2 hours 30 minutes`, `1.5 hours`, `90 min`, `2h30m`.

use std::sync::LazyLock;

use regex::Regex;

/// A point in time in minutes: `day * 1440 + minute of day`, where `day` comes from a date when
/// one is written (and is 0 otherwise).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment {
    /// Minutes since an arbitrary epoch.
    pub minutes: i64,
    /// Whether a date was written.
    pub dated: bool,
}

const TIME: &str = r"(?:(\d{4})-(\d{1,2})-(\d{1,2})[ T,]*)?\b(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*(?:([AaPp])\.?[Mm]\b\.?)?";

static ANY_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(TIME).expect("the time pattern is valid"));
static HOURS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d+(?:\.\d+)?)\s*(?:h\b|hours?\b|hrs?\b|h(?:\d))")
        .expect("the hours pattern is valid")
});
static MINUTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d+)\s*(?:m\b|mins?\b|minutes?\b)").expect("the minutes pattern is valid")
});

fn moment(caps: &regex::Captures<'_>) -> Option<Moment> {
    let hour: i64 = caps.get(4)?.as_str().parse().ok()?;
    let minute = match caps.get(5) {
        Some(m) => Some(m.as_str().parse::<i64>().ok()?),
        None => None,
    };
    let meridiem = caps
        .get(6)
        .map(|m| m.as_str().as_bytes()[0].to_ascii_lowercase());
    if minute.is_none() && meridiem.is_none() {
        return None; // a bare number is not a time
    }
    let day = match (caps.get(1), caps.get(2), caps.get(3)) {
        (Some(y), Some(m), Some(d)) => {
            let (y, m, d): (i64, i64, i64) = (
                y.as_str().parse().ok()?,
                m.as_str().parse().ok()?,
                d.as_str().parse().ok()?,
            );
            Some(days_from_civil(y, m, d))
        }
        _ => None,
    };
    to_moment(day, hour, minute.unwrap_or(0), meridiem)
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
    let (minute, rest) = match rest {
        [b':', tail @ ..] => {
            let (m, tail) = number(tail, 2)?;
            let tail = match tail {
                [b':', more @ ..] => number(more, 2).map_or(tail, |(_, t)| t),
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
    to_moment(day, hour, minute.unwrap_or(0), meridiem)
}

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
    })
}

/// The first time written in `text`.
#[must_use]
pub fn first_time(text: &str) -> Option<Moment> {
    ANY_TIME.captures_iter(text).find_map(|caps| moment(&caps))
}

/// A duration in minutes: the hours and minutes written in `text`.
#[must_use]
pub fn duration_minutes(text: &str) -> Option<i64> {
    let hours: f64 = HOURS
        .captures_iter(text)
        .filter_map(|c| c[1].parse::<f64>().ok())
        .sum();
    // Saturating: a duration of 10^30 hours is nonsense to report, not a reason to overflow.
    let minutes: i64 = MINUTES
        .captures_iter(text)
        .filter_map(|c| c[1].parse::<i64>().ok())
        .fold(0, i64::saturating_add);
    #[allow(clippy::cast_possible_truncation)] // float-to-int `as` saturates
    let total = ((hours * 60.0).round() as i64).saturating_add(minutes);
    (total > 0).then_some(total)
}

/// `90` as `1 hour 30 minutes`.
#[must_use]
pub fn describe_minutes(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let plural = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (h, m) {
        (0, m) => plural(m, "minute"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(
            entry_time("+ 09:45 AM: phones rang").map(|m| m.minutes),
            Some(585)
        );
        assert_eq!(
            entry_time("- **12:00 PM**: fixed").map(|m| m.minutes),
            Some(720)
        );
        assert_eq!(
            entry_time("- 14:15pm: logs").map(|m| m.minutes),
            Some(14 * 60 + 15)
        );
        assert_eq!(
            entry_time("* 12:10 AM next day").map(|m| m.minutes),
            Some(10)
        );
        assert!(entry_time("- 2024-07-15 09:45 UTC: x").is_some_and(|m| m.dated));
        assert_eq!(entry_time("Some text 10:00"), None);
        assert_eq!(
            entry_time("<li><strong>10:30 AM:</strong>detected").map(|m| m.minutes),
            Some(630)
        );
        assert_eq!(entry_time("- 2 engineers joined"), None);
        assert_eq!(
            first_time("Start Time: 2024-07-15 09:45 AM PST").map(|m| m.minutes % 1440),
            Some(585)
        );
    }

    #[test]
    fn durations() {
        assert_eq!(
            duration_minutes("Duration: 2 hours 30 minutes (felt long)"),
            Some(150)
        );
        assert_eq!(duration_minutes("lasted 1.5 hours"), Some(90));
        assert_eq!(duration_minutes("90 min"), Some(90));
        assert_eq!(duration_minutes("2h30m"), Some(150));
        assert_eq!(describe_minutes(150), "2 hours 30 minutes");
        // Found by the `document` fuzz target: overflowing numbers saturate instead of panicking.
        let huge = format!("Duration: {} hours 20 minutes", "3".repeat(30));
        assert_eq!(duration_minutes(&huge), Some(i64::MAX));
        let huge = "5000000000000000000 minutes, then 5000000000000000000 minutes";
        assert_eq!(duration_minutes(huge), Some(i64::MAX));
    }
}
