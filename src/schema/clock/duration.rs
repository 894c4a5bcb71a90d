//! Durations as postmortems write them: `2 hours 30 minutes`, `1.5 hours`, `90 min`, `2h30m`,
//! `3 days`, `45 seconds`, `two hours`, `an hour and a half`, `Duration: 01:30`.

use std::sync::LazyLock;

use regex::Regex;

use super::{label_zone, starts_with_zone};

/// A number in figures: `90`, `1.5`, a decimal comma (`1,5`, as much of Europe writes it),
/// thousands grouped (`1,500`, `5.400,0`); what it is worth, [`figures_value`] tells.
macro_rules! number {
    () => {
        r"[0-9]+(?:[.,][0-9]+)*"
    };
}
pub(super) use number;

/// A number in words, up to ninety-nine: `an`, `twelve`, `fifteen`, `forty-five`, `ninety one`
/// (tens first: `forty-five minutes` is not `five minutes`).
macro_rules! number_in_words {
    () => {
        concat!(
            r"(?:twen|thir|fou?r|fif|six|seven|eigh|nine)ty",
            r"(?:[\s\x{2d}\x{2010}\x{2011}\x{2013}\x{2014}]+",
            r"(?:one|two|three|four|five|six|seven|eight|nine)\b)?",
            r"|(?:thir|four|fif|six|seven|eigh|nine)teen",
            r"|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve",
        )
    };
}

/// One part of a duration: a number and a unit (`2 hours`, `30m`, `1.5 h`, `45 seconds`), or a
/// number in words and a unit (`an hour`, `two days`, `half an hour`, `one and a half hours`,
/// `an hour and a half`).
static DURATION_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(",
        number!(),
        r")\s*(days?|hours?|hrs?|minutes?|mins?|seconds?|secs?|d|h|m|s)\b",
        r"|\b(",
        number_in_words!(),
        r"|half an?)",
        r"(\s+and\s+a\s+half)?\s+(days?|hours?|hrs?|minutes?|mins?)\b(\s+and\s+a\s+half\b)?",
    ))
    .expect("the duration pattern is valid")
});

/// `2h30m`: a unit letter run into the next number, spaced apart before parts are read.
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)([0-9])([dhm])([0-9])").expect("the compact pattern is valid")
});

/// The duration's label at the start of a line, with its emphasis and colon, and the emphasis
/// of the value after it: `Duration: `, `**Duration:** `, `__Duration__: `, `_Duration:_ `,
/// `Duration - `, `Duration: **`, with a zone or unit in parentheses (`Duration (UTC): `,
/// `| Duration (minutes) | `).
macro_rules! duration_label {
    () => {
        concat!(
            r"^[\W_]*(?i:duration)",
            r"(?:\s*\([A-Za-z0-9 .,+:/~-]{1,24}\)(?:(?:\*\*?|__?)?:(?:\*\*?|__?)? ?|\s*\|\s*|\s+)",
            r"|(?:\*\*?|__?)?:(?:\*\*?|__?)? ?|\b\W{0,3})(?:\*\*?|__?)?",
        )
    };
}
pub(super) use duration_label;

/// `Duration: 01:30`: hours and minutes (and seconds: `01:30:00`) written as a clock, right after
/// the label.
static DURATION_CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        duration_label!(),
        r"([0-9]{1,2}):([0-5][0-9])(?:(?:\s*(?i:h|hours?|hrs?)\b|\b)\s*(?:[^0-9\s:apAP]|$)",
        // With seconds, anything but an hour unit or punctuation after makes it a time of day:
        // `14:10:00 UTC`, `2:10:00 PM`.
        r"|:([0-5][0-9])(?:\.[0-9]+)?\s*(?:(?i:h|hours?|hrs?)\b|[^0-9A-Za-z\s:+.-]|\.(?:\s|$)|$))",
    ))
    .expect("the clock duration pattern is valid")
});

/// Compile the duration regex every checked document needs (see [`crate::schema::warm_up`]).
pub(super) fn warm_up() {
    LazyLock::force(&DURATION_PART);
}

/// A duration in minutes: the first one written in `text`, its parts in a row (`2 hours 30
/// minutes`, `1 hour and 30 minutes`, `2h30m`, `an hour and a half`, `3 days`, `45 seconds`,
/// `Duration: 01:30`). Numbers after it (`and the cache took 5 minutes`) are not part of it.
/// The check reads a stated duration with [`super::stated_duration`], which takes a range whole;
/// this is its single length (a range's high end), held to the regexes' reading by the tests.
#[cfg(test)]
#[must_use]
pub fn duration_minutes(text: &str) -> Option<i64> {
    if let Some(clock) = writes_clock(text).then(|| clock_length(text)).flatten() {
        return clock;
    }
    match read_length(text)? {
        Length::One(minutes) | Length::Range(_, minutes) => Some(minutes),
    }
}

/// Whether `text` writes a clock (`9:30`): each clock regex runs only where one is.
pub(super) fn writes_clock(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && (b'0'..=b'5').contains(&w[2]))
}

/// `Duration: 01:30`, hours and minutes written as a clock right after the word: `Some` of its
/// minutes (`None` for none at all) when the text is written so (ask only where
/// [`writes_clock`]).
pub(super) fn clock_length(text: &str) -> Option<Option<i64>> {
    let c = DURATION_CLOCK.captures(text)?;
    if is_time_of_day(text, &c) {
        return Some(None);
    }
    let hours_minutes: Option<(i64, i64)> = c[1].parse().ok().zip(c[2].parse().ok());
    // Seconds count to the nearest minute (`00:59:40` is an hour), and a few are a minute rather
    // than nothing (`00:00:10` against an hour and a half is still a mismatch).
    let seconds = c
        .get(3)
        .map_or(0, |s| s.as_str().parse::<i64>().unwrap_or(0));
    Some(hours_minutes.and_then(|(h, m)| {
        let total = h * 60 + m + i64::from(seconds >= 30);
        match total {
            0 if seconds > 0 => Some(1),
            0 => None,
            total => Some(total),
        }
    }))
}

/// Whether a match of [`DURATION_CLOCK`] is a time of day: a zone after it (`14:10 UTC`,
/// `14:10 (CET)`, `14:10 +01:00`) or in the label (`Duration (UTC): 14:10`); `TOTAL` is no zone.
fn is_time_of_day(text: &str, clock: &regex::Captures<'_>) -> bool {
    let (Some(hours), Some(minutes)) = (clock.get(1), clock.get(2)) else {
        return false;
    };
    clock.get(3).is_none()
        && (starts_with_zone(&text[minutes.end()..])
            || label_zone(&text[..hours.start()]).is_some())
}

/// Whether `text` (a duration line) states a time of day where the length goes
/// (`Duration: 14:10 UTC`): no duration at all (ask only where [`writes_clock`]).
pub(super) fn states_a_time_of_day(text: &str) -> bool {
    DURATION_CLOCK
        .captures(text)
        .is_some_and(|clock| is_time_of_day(text, &clock))
}

/// What the parts of a duration say (see [`read_length`]).
pub(super) enum Length {
    /// One length, in minutes.
    One(i64),
    /// `85-95 minutes`: from the first to the second.
    Range(i64, i64),
}

/// The parts of the first duration written in `text`, added up; a range when the first part has
/// a smaller number and a dash or `to` before it and no other part follows (`85-95 minutes`,
/// `1.5 - 2 hours`). `None` when they come to nothing.
pub(super) fn read_length(text: &str) -> Option<Length> {
    let bytes = text.as_bytes();
    let compact = bytes
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && b"dhmDHM".contains(&w[1]) && w[2].is_ascii_digit());
    let text = if compact {
        COMPACT.replace_all(text, "$1$2 $3")
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let text = text.as_ref();
    let mut minutes = 0.0f64;
    let mut previous_end: Option<usize> = None;
    let mut parts = 0;
    let mut low = None;
    for part in DURATION_PART.find_iter(text) {
        if previous_end.is_some_and(|end| !is_gap(&text[end..part.start()])) {
            break;
        }
        // A number and a unit are read by hand (the regex's groups cost more than its search);
        // numbers in words by the groups.
        let numeric = numeric_part(part.as_str());
        if previous_end.is_none() {
            let per = numeric.map(|(_, per)| per).or_else(|| {
                let captures = DURATION_PART.captures_at(text, part.start())?;
                Some(per_unit(captures.get(5)?.as_str()))
            });
            low = per.and_then(|per| Some(range_start(&text[..part.start()])? * per));
        }
        previous_end = Some(part.end());
        parts += 1;
        minutes += numeric.map_or_else(
            || {
                DURATION_PART
                    .captures_at(text, part.start())
                    .map_or(0.0, |c| part_minutes(&c))
            },
            |(number, per)| number * per,
        );
    }
    let total = whole_minutes(minutes);
    if total <= 0 {
        return None;
    }
    match low.map(whole_minutes) {
        Some(low) if parts == 1 && low > 0 && low < total => Some(Length::Range(low, total)),
        _ => Some(Length::One(total)),
    }
}

/// Minutes rounded to a whole number, saturating: a duration of 10^30 hours is nonsense to
/// report, not a reason to overflow.
#[allow(clippy::cast_possible_truncation)] // float-to-int `as` saturates
fn whole_minutes(minutes: f64) -> i64 {
    minutes.round() as i64
}

/// The number that starts a range ending where `before` ends (`85-`, `1.5 - `, `80 to `), after
/// a space, a bracket or a `~` (not the day of a date: `2025-03-01 - 2 hours`).
fn range_start(before: &str) -> Option<f64> {
    let rest = before.trim_end();
    let rest = ["-", "–", "—", "to", "To", "TO"]
        .iter()
        .find_map(|dash| rest.strip_suffix(dash))?
        .trim_end();
    let number_len = rest
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_digit() || matches!(b, b'.' | b','))
        .count();
    let (head, number) = rest.split_at(rest.len() - number_len);
    let (head, value) = if number.starts_with(|c: char| c.is_ascii_digit()) {
        (head, figures_value(number))
    } else {
        // `eighty to ninety-five minutes`, `one to two hours`: the words of one number, back to
        // the first that is none (`forty five` is one).
        let mut start = rest.len();
        loop {
            let before = rest[..start].trim_end();
            let word_start = before
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_ascii_alphabetic() || is_word_joiner(c))
                .last()
                .map_or(before.len(), |(at, _)| at);
            let word = &before[word_start..];
            let article = word.eq_ignore_ascii_case("a") || word.eq_ignore_ascii_case("an");
            if word.is_empty() || article || word_value(word) <= 0.0 {
                break;
            }
            start = word_start;
        }
        let (head, words) = rest.split_at(start);
        (head, word_value(words))
    };
    let starts_clean = head
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '~'));
    (starts_clean && value > 0.0).then_some(value)
}

/// A hyphen or dash that joins the words of a number (`forty-five`, `forty–five`).
fn is_word_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}')
}

/// Whether `between` may stand between two parts of one duration, as [`DURATION_GAP`] says.
fn is_gap(between: &str) -> bool {
    let rest = between.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    if rest.is_empty() {
        return true;
    }
    rest.get(..3)
        .filter(|word| word.eq_ignore_ascii_case("and"))
        .is_some_and(|_| rest.len() > 3 && rest[3..].trim_start().is_empty())
}

/// The minutes a unit (`hours`, `m`, ...) stands for, by its first letter.
fn per_unit(unit: &str) -> f64 {
    match unit.as_bytes().first().map(u8::to_ascii_lowercase) {
        Some(b'd') => 1440.0,
        Some(b'h') => 60.0,
        Some(b's') => 1.0 / 60.0,
        _ => 1.0,
    }
}

/// The number and the minutes per unit of a match of [`DURATION_PART`] that is a number and a
/// unit (`1.5 hours`): the number is its figures, points and commas (a unit starts with a
/// letter), the unit follows its spaces. `None` for a number in words.
fn numeric_part(part: &str) -> Option<(f64, f64)> {
    if !part.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let figures = part
        .bytes()
        .take_while(|&b| b.is_ascii_digit() || b == b'.' || b == b',')
        .count();
    let (number, unit) = part.split_at(figures);
    Some((figures_value(number), per_unit(unit.trim_start())))
}

/// The value of a number as [`number!`] writes it: a comma before three figures groups
/// thousands, before one or two it is a decimal point.
fn figures_value(number: &str) -> f64 {
    let parse = |n: &str| n.parse::<f64>().unwrap_or(0.0);
    let (points, commas) = number.bytes().fold((0, 0), |(points, commas), b| match b {
        b'.' => (points + 1, commas),
        b',' => (points, commas + 1),
        _ => (points, commas),
    });
    if commas == 0 && points <= 1 {
        return parse(number);
    }
    // Groups of three after a first group of one to three figures, not a lone 0 (`0,500` is a
    // half).
    let grouped = |whole: &str, by: char| {
        let mut groups = whole.split(by);
        let first = groups.next().unwrap_or("");
        first != "0" && first.len() <= 3 && groups.all(|g| g.len() == 3)
    };
    match (points, commas) {
        (0, 1) if !grouped(number, ',') => parse(&number.replace(',', ".")),
        (0, _) if grouped(number, ',') => parse(&number.replace(',', "")),
        (_, 0) if grouped(number, '.') => parse(&number.replace('.', "")),
        // Both: the last is the decimal point, once, after groups of the other (`5.400,0`).
        (1.., 1..) => {
            let (point, group) = if number.rfind('.') > number.rfind(',') {
                ('.', ',')
            } else {
                (',', '.')
            };
            match number.split_once(point) {
                Some((whole, fraction)) if !fraction.contains(point) && grouped(whole, group) => {
                    parse(&format!("{}.{fraction}", whole.replace(group, "")))
                }
                _ => 0.0,
            }
        }
        _ => 0.0,
    }
}

/// The value of a number in words as [`number_in_words!`] writes it (`forty-five`, `ninety one`,
/// `an`); 0 for anything else.
fn word_value(words: &str) -> f64 {
    const ONES: [&str; 19] = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let value = |word: &str| -> Option<usize> {
        let word = word.to_ascii_lowercase();
        let word = if word == "fourty" { "forty" } else { &word };
        if matches!(word, "a" | "an") {
            return Some(1);
        }
        let ones = ONES.iter().position(|w| *w == word).map(|i| i + 1);
        ones.or_else(|| TENS.iter().position(|w| *w == word).map(|i| (i + 2) * 10))
    };
    words
        .split(|c: char| c.is_whitespace() || is_word_joiner(c))
        .filter(|w| !w.is_empty())
        .map(value)
        .sum::<Option<usize>>()
        .map_or(0.0, |n| n as f64)
}

/// The minutes one part of [`DURATION_PART`] says.
fn part_minutes(part: &regex::Captures<'_>) -> f64 {
    let per = per_unit;
    if let (Some(number), Some(unit)) = (part.get(1), part.get(2)) {
        return figures_value(number.as_str()) * per(unit.as_str());
    }
    let number = match part.get(3).map(|w| w.as_str()) {
        Some(w) if w.get(..4).is_some_and(|h| h.eq_ignore_ascii_case("half")) => 0.5,
        Some(w) => word_value(w),
        None => 0.0,
    };
    let half = if part.get(4).is_some() || part.get(6).is_some() {
        0.5
    } else {
        0.0
    };
    (number + half) * part.get(5).map_or(1.0, |u| per(u.as_str()))
}

/// `90` as `1 hour 30 minutes`, `4320` as `3 days`.
#[must_use]
pub fn describe_minutes(minutes: i64) -> String {
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let plural = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let parts: Vec<String> = [(d, "day"), (h, "hour"), (m, "minute")]
        .into_iter()
        .filter(|(n, _)| *n != 0)
        .map(|(n, word)| plural(n, word))
        .collect();
    if parts.is_empty() {
        plural(0, "minute")
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What may stand between two parts of one duration (`2 hours 30 minutes`, `1 hour and 30
    /// minutes`, `2 days, 3 hours`).
    static DURATION_GAP: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^[\s,]*(?:and\s+)?$").expect("the gap pattern is valid"));

    /// The duration as the regexes alone read it: every part by its capture groups, the gaps by
    /// [`DURATION_GAP`].
    fn by_captures(text: &str) -> Option<i64> {
        if let Some(c) = DURATION_CLOCK.captures(text) {
            let (h, m): (i64, i64) = (c[1].parse().ok()?, c[2].parse().ok()?);
            return Some(h * 60 + m).filter(|&t| t > 0);
        }
        let text = COMPACT.replace_all(text, "$1$2 $3");
        let mut minutes = 0.0f64;
        let mut previous_end: Option<usize> = None;
        for part in DURATION_PART.captures_iter(&text) {
            let whole = part.get(0)?;
            if previous_end.is_some_and(|end| !DURATION_GAP.is_match(&text[end..whole.start()])) {
                break;
            }
            previous_end = Some(whole.end());
            minutes += part_minutes(&part);
        }
        #[allow(clippy::cast_possible_truncation)]
        let total = minutes.round() as i64;
        (total > 0).then_some(total)
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            Just("1"),
            Just("2"),
            Just("30"),
            Just("."),
            Just("5"),
            Just(":"),
            Just("01:30"),
            Just("1.5"),
            Just("2."),
            Just("0.25"),
            Just(".5"),
            Just("1.5 hours"),
            Just("2h30"),
            Just(" "),
            Just("\u{a0}"),
            Just(","),
            Just("and"),
            Just("AND "),
            Just(" and a half"),
            Just("h"),
            Just("hours"),
            Just("Hrs"),
            Just("m"),
            Just("min"),
            Just("minutes"),
            Just("d"),
            Just("days"),
            Just("s"),
            Just("secs"),
            Just("\u{17f}"),
            Just("\u{212a}"),
            Just("an"),
            Just("a"),
            Just("two"),
            Just("half an"),
            Just("1,5"),
            Just("1,500"),
            Just("forty"),
            Just("five"),
            Just("Ninety"),
            Just("fourteen"),
            Just("hour"),
            Just("x"),
            Just("é"),
            Just("Duration: "),
            Just("-"),
            Just("\n"),
        ]
    }

    proptest! {
        /// Parts read by hand and gaps told by hand give the duration the regexes give.
        #[test]
        fn the_hand_reading_is_the_regex_reading(
            pieces in proptest::collection::vec(piece(), 0..12)
        ) {
            let text: String = pieces.concat();
            prop_assert_eq!(duration_minutes(&text), by_captures(&text), "{:?}", text);
        }

        #[test]
        fn gaps_are_what_the_gap_regex_says(
            pieces in proptest::collection::vec(
                prop_oneof![Just(" "), Just(","), Just("and"), Just("AnD"), Just("\t"),
                    Just("\u{2003}"), Just("x"), Just("an"), Just("é")],
                0..6,
            )
        ) {
            let text: String = pieces.concat();
            prop_assert_eq!(is_gap(&text), DURATION_GAP.is_match(&text), "{:?}", text);
        }
    }

    #[test]
    fn durations_in_words_with_a_half() {
        assert_eq!(duration_minutes("Duration: an hour and a half"), Some(90));
        assert_eq!(duration_minutes("lasted two days and a half"), Some(3600));
        assert_eq!(duration_minutes("Duration: a day and a half."), Some(2160));
        assert_eq!(duration_minutes("half an hour"), Some(30));
        assert_eq!(
            duration_minutes("Duration: one and a half hours."),
            Some(90)
        );
        assert_eq!(
            duration_minutes("Duration: two and a half hours"),
            Some(150)
        );
    }

    #[test]
    fn a_duration_is_its_first_run_of_parts() {
        assert_eq!(duration_minutes("Duration: 1h30m."), Some(90));
        assert_eq!(duration_minutes("Duration: 01:30."), Some(90));
        // A clock length with its unit run on: an hour and a half (it read `30h`, 1 day 6 hours).
        assert_eq!(duration_minutes("Duration: 1:30h"), Some(90));
        assert_eq!(duration_minutes("Duration: 1:30hrs"), Some(90));
        assert_eq!(duration_minutes("Duration: 1:30 h"), Some(90));
        assert_eq!(duration_minutes("Duration: 2 hours 30 minutes"), Some(150));
        assert_eq!(
            duration_minutes("Duration: 1 hour and 30 minutes"),
            Some(90)
        );
        assert_eq!(duration_minutes("Duration: 2 days, 3 hours"), Some(3060));
        assert_eq!(
            duration_minutes("The outage lasted 1 hour, from 10:00 UTC to 11:00 UTC, and the cache took 5 minutes"),
            Some(60)
        );
        assert_eq!(
            duration_minutes("Duration: 2 hours (the first 30 minutes were partial)"),
            Some(120)
        );
        // A range is not a duration written as a clock.
        assert_eq!(duration_minutes("10:30 AM - 12:00 PM (UTC)"), None);
        assert_eq!(duration_minutes("Duration: 10:30 AM - 12:00 PM"), None);
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
        assert_eq!(duration_minutes("Duration: 3 days"), Some(3 * 1440));
        assert_eq!(duration_minutes("1 day 2 hours"), Some(1560));
        assert_eq!(duration_minutes("90 seconds"), Some(2));
        assert_eq!(duration_minutes("lasted two hours"), Some(120));
        assert_eq!(duration_minutes("half an hour"), Some(30));
        assert_eq!(describe_minutes(3 * 1440 + 5), "3 days 5 minutes");
        // Found by the `document` fuzz target: overflowing numbers saturate instead of panicking.
        let huge = format!("Duration: {} hours 20 minutes", "3".repeat(30));
        assert_eq!(duration_minutes(&huge), Some(i64::MAX));
        let huge = "5000000000000000000 minutes and 5000000000000000000 minutes";
        assert_eq!(duration_minutes(huge), Some(i64::MAX));
    }
}
