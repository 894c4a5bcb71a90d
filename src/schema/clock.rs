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
static ENTRY_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?:[-+*]\s+|\d+[.)]\s+)?(?:\[[ xX]\]\s*)?(?:<[^>\n]*>\s*)*(?:\*\*|__|\*|_|`)?\s*\[?{TIME}"
    ))
    .expect("the entry pattern is valid")
});
static HOURS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d+(?:\.\d+)?)\s*(?:h\b|hours?\b|hrs?\b|h(?:\d))")
        .expect("the hours pattern is valid")
});
static MINUTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d+)\s*(?:m\b|mins?\b|minutes?\b)").expect("the minutes pattern is valid")
});

fn moment(caps: &regex::Captures<'_>) -> Option<Moment> {
    let hour: i64 = caps.get(4)?.as_str().parse().ok()?;
    let minute: i64 = caps.get(5).map_or(Some(0), |m| m.as_str().parse().ok())?;
    let meridiem = caps.get(6).map(|m| m.as_str().to_ascii_lowercase());
    if caps.get(5).is_none() && meridiem.is_none() {
        return None; // a bare number is not a time
    }
    if minute > 59 || hour > 23 {
        return None;
    }
    // `14:15pm` is written too: a 24-hour time makes the meridiem redundant.
    let meridiem = meridiem.filter(|_| (1..=12).contains(&hour));
    let hour = match meridiem.as_deref() {
        Some("p") if hour != 12 => hour + 12,
        Some("a") if hour == 12 => 0,
        _ => hour,
    };
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
    Some(Moment {
        minutes: day.unwrap_or(0) * 1440 + hour * 60 + minute,
        dated: day.is_some(),
    })
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

/// The time a timeline entry starts with, if the line starts with one.
#[must_use]
pub fn entry_time(line: &str) -> Option<Moment> {
    ENTRY_START.captures(line).and_then(|caps| {
        // Re-index: the entry pattern has the same groups as TIME, shifted by none.
        moment(&caps)
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
    let minutes: i64 = MINUTES
        .captures_iter(text)
        .filter_map(|c| c[1].parse::<i64>().ok())
        .sum();
    #[allow(clippy::cast_possible_truncation)]
    let total = (hours * 60.0).round() as i64 + minutes;
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
    }
}
