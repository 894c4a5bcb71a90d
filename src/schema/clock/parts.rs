//! The groups of [`super::TIME`] for one of its matches, read by hand: the regex finds where times
//! are (its search is fast), but its capture groups cost four times the search, and they are asked
//! for on every start and end line of every postmortem. The reading makes the regex's choices in
//! the regex's order (greedy repetitions, alternatives left to right, backing off where a word
//! boundary fails), so it gives the groups the regex would; a property test holds it to that.

/// The groups of one match of [`super::TIME`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct TimeParts<'t> {
    /// Year, month and day, when a `YYYY-MM-DD` date comes first.
    pub(super) date: Option<(&'t str, &'t str, &'t str)>,
    pub(super) hour: &'t str,
    pub(super) minute: Option<&'t str>,
    /// `a` or `p`, as written.
    pub(super) meridiem: Option<u8>,
    pub(super) zone: Option<&'t str>,
    /// Where the match ends (the next one starts no earlier).
    pub(super) end: usize,
}

/// Where the next match of [`super::TIME`] starts, at `from` or after: at an ASCII digit that
/// starts a `YYYY-MM-DD` date and an hour, or that follows no word character (`\b`). Found by
/// hand as [`time_parts`] reads by hand: a time is looked for in every start and end line.
pub(super) fn next_time_start(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    (from..bytes.len()).find(|&at| {
        bytes[at].is_ascii_digit()
            && (date(bytes, at).is_some()
                || !text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(regex_syntax::is_word_character))
    })
}

/// The groups of the match of [`super::TIME`] that starts at `at` in `text` (`None` only if no
/// match starts there).
pub(super) fn time_parts(text: &str, at: usize) -> Option<TimeParts<'_>> {
    let bytes = text.as_bytes();
    let (date, hour_at) = match date(bytes, at) {
        Some((ymd, after)) => (Some(ymd), after),
        None => (None, at),
    };
    let date = date.map(|(y, m, d)| (&text[y.0..y.1], &text[m.0..m.1], &text[d.0..d.1]));
    let hour_end = hour_at + digits(bytes, hour_at, 2);
    if hour_end == hour_at {
        return None;
    }
    let mut at = hour_end;
    let minute = two_digits_after_colon(bytes, at).map(|end| {
        let minute = &text[at + 1..end];
        at = end;
        minute
    });
    if let Some(end) = two_digits_after_colon(bytes, at) {
        at = end;
        if bytes.get(at) == Some(&b'.') && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
            at += 1 + digits(bytes, at + 1, usize::MAX);
        }
    }
    at = skip_white_space(text, at);
    let meridiem = meridiem(text, at).map(|(letter, end)| {
        at = end;
        letter
    });
    let zone = zone(text, skip_white_space(text, at));
    Some(TimeParts {
        date,
        hour: &text[hour_at..hour_end],
        minute,
        meridiem,
        zone: zone.map(|(start, end)| &text[start..end]),
        end: zone.map_or(at, |(_, end)| end),
    })
}

type Range = (usize, usize);

/// `([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ ,]+|T)` at `at`, followed by the hour's digit (else
/// the regex takes its other branch): the three ranges and where the hour starts.
fn date(bytes: &[u8], at: usize) -> Option<((Range, Range, Range), usize)> {
    if digits(bytes, at, 4) != 4 || bytes.get(at + 4) != Some(&b'-') {
        return None;
    }
    let month = (at + 5, at + 5 + digits(bytes, at + 5, 2));
    if month.0 == month.1 || bytes.get(month.1) != Some(&b'-') {
        return None;
    }
    let day = (month.1 + 1, month.1 + 1 + digits(bytes, month.1 + 1, 2));
    if day.0 == day.1 {
        return None;
    }
    let gap = bytes[day.1..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b',')
        .count();
    let hour_at = match gap {
        0 if bytes.get(day.1) == Some(&b'T') => day.1 + 1,
        0 => return None,
        _ => day.1 + gap,
    };
    bytes
        .get(hour_at)
        .is_some_and(u8::is_ascii_digit)
        .then_some((((at, at + 4), month, day), hour_at))
}

/// How many ASCII digits (up to `max`) start at `at`.
fn digits(bytes: &[u8], at: usize, max: usize) -> usize {
    bytes
        .get(at..)
        .unwrap_or_default()
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_digit())
        .count()
}

/// `:[0-9]{2}` at `at`: where it ends.
fn two_digits_after_colon(bytes: &[u8], at: usize) -> Option<usize> {
    (bytes.get(at) == Some(&b':') && digits(bytes, at + 1, 2) == 2).then_some(at + 3)
}

/// `\s*` from `at`: where it ends.
fn skip_white_space(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    at + (rest.len() - rest.trim_start().len())
}

/// `\b` at `at`, after a word character: no word character follows.
fn word_ends(text: &str, at: usize) -> bool {
    !text[at..]
        .chars()
        .next()
        .is_some_and(regex_syntax::is_word_character)
}

/// `([AaPp])\.?[Mm]\b\.?` at `at`: the letter, lower case, and where it ends.
fn meridiem(text: &str, at: usize) -> Option<(u8, usize)> {
    let bytes = text.as_bytes();
    let letter = bytes.get(at).copied()?.to_ascii_lowercase();
    if letter != b'a' && letter != b'p' {
        return None;
    }
    let m = if bytes.get(at + 1) == Some(&b'.') {
        at + 2
    } else {
        at + 1
    };
    if !bytes.get(m).is_some_and(|b| b.eq_ignore_ascii_case(&b'm')) || !word_ends(text, m + 1) {
        return None;
    }
    let end = if bytes.get(m + 1) == Some(&b'.') {
        m + 2
    } else {
        m + 1
    };
    Some((letter, end))
}

/// `\(?(Z\b|[+-][0-9]{2}:?[0-9]{2}\b|[A-Z]{1,5}(?:[+-][0-9]{1,2}(?::?[0-9]{2})?)?\b)` at `at`
/// (after the group's `\s*`): the zone word's range.
fn zone(text: &str, at: usize) -> Option<Range> {
    let bytes = text.as_bytes();
    let at = if bytes.get(at) == Some(&b'(') {
        at + 1
    } else {
        at
    };
    let ends_at = |end: usize| word_ends(text, end).then_some((at, end));
    match bytes.get(at)? {
        b'Z' if word_ends(text, at + 1) => Some((at, at + 1)),
        b'+' | b'-' => {
            if digits(bytes, at + 1, 2) != 2 {
                return None;
            }
            let colon = at + 3;
            let with_colon = (bytes.get(colon) == Some(&b':') && digits(bytes, colon + 1, 2) == 2)
                .then(|| ends_at(colon + 3))
                .flatten();
            with_colon.or_else(|| (digits(bytes, colon, 2) == 2).then(|| ends_at(colon + 2))?)
        }
        _ => {
            let letters = bytes[at..]
                .iter()
                .take(5)
                .take_while(|b| b.is_ascii_uppercase())
                .count();
            (1..=letters)
                .rev()
                .find_map(|n| name_with_offset(text, at + n).map(|end| (at, end)))
        }
    }
}

/// After a zone name (ending at `at`): `(?:[+-][0-9]{1,2}(?::?[0-9]{2})?)?\b`, tried in the
/// regex's order; where the zone word ends.
fn name_with_offset(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if matches!(bytes.get(at), Some(b'+' | b'-')) {
        let most = digits(bytes, at + 1, 2);
        for hours in (1..=most).rev() {
            let after = at + 1 + hours;
            let colon = (bytes.get(after) == Some(&b':') && digits(bytes, after + 1, 2) == 2)
                .then_some(after + 3);
            let plain = (digits(bytes, after, 2) == 2).then_some(after + 2);
            for end in [colon, plain, Some(after)].into_iter().flatten() {
                if word_ends(text, end) {
                    return Some(end);
                }
            }
        }
    }
    word_ends(text, at).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::super::ANY_TIME;
    use super::*;
    use proptest::prelude::*;

    /// The groups as the regex captures them.
    fn by_regex(text: &str, at: usize) -> Option<TimeParts<'_>> {
        let caps = ANY_TIME.captures_at(text, at)?;
        let get = |i: usize| caps.get(i).map(|m| m.as_str());
        Some(TimeParts {
            date: get(1).map(|y| (y, get(2).unwrap_or(""), get(3).unwrap_or(""))),
            hour: get(4)?,
            minute: get(5),
            meridiem: get(6).map(|m| m.as_bytes()[0].to_ascii_lowercase()),
            zone: get(7),
            end: caps.get(0)?.end(),
        })
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            Just("0"),
            Just("1"),
            Just("2"),
            Just("9"),
            Just("12"),
            Just("2025"),
            Just("-"),
            Just(":"),
            Just(":30"),
            Just("."),
            Just(","),
            Just(" "),
            Just("\t"),
            Just("\u{a0}"),
            Just("T"),
            Just("Z"),
            Just("A"),
            Just("a"),
            Just("P"),
            Just("p"),
            Just("M"),
            Just("m"),
            Just("am"),
            Just("P.M."),
            Just("+"),
            Just("+05:30"),
            Just("-0800"),
            Just("("),
            Just("UTC"),
            Just("GMT+5"),
            Just("PST"),
            Just("ABCDEF"),
            Just("é"),
            Just("\u{663}"),
            Just("_"),
            Just("x"),
            Just("\n"),
            Just("2025-05-14 "),
            Just("2025-05-14T"),
        ]
    }

    proptest! {
        /// At every place the regex finds a time, the hand reading gives its capture groups.
        #[test]
        fn parts_are_the_regex_captures(pieces in proptest::collection::vec(piece(), 0..14)) {
            let text: String = pieces.concat();
            for found in ANY_TIME.find_iter(&text) {
                prop_assert_eq!(
                    time_parts(&text, found.start()),
                    by_regex(&text, found.start()),
                    "{:?} at {}", text, found.start()
                );
            }
        }
    }

    proptest! {
        /// The matches found by hand are the regex's, one after another.
        #[test]
        fn starts_and_ends_are_the_regex_matches(
            pieces in proptest::collection::vec(piece(), 0..14)
        ) {
            let text: String = pieces.concat();
            let mut by_hand = Vec::new();
            let mut from = 0;
            while let Some(at) = next_time_start(&text, from) {
                let end = time_parts(&text, at).map_or(usize::MAX, |p| p.end);
                by_hand.push((at, end));
                if end == usize::MAX {
                    break;
                }
                from = end;
            }
            let by_regex: Vec<(usize, usize)> =
                ANY_TIME.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            prop_assert_eq!(by_hand, by_regex, "{:?}", text);
            let first = ANY_TIME
                .find_iter(&text)
                .find_map(|found| super::super::moment(time_parts(&text, found.start())?));
            prop_assert_eq!(super::super::first_time(&text), first, "{:?}", text);
        }
    }

    #[test]
    fn written_times() {
        let parts = |text: &'static str| time_parts(text, 0).expect("a time");
        let p = parts("2025-03-04T14:10:00.5+05:30 rest");
        assert_eq!(p.date, Some(("2025", "03", "04")));
        assert_eq!(
            (p.hour, p.minute, p.zone),
            ("14", Some("10"), Some("+05:30"))
        );
        let p = parts("9:45 a.m. (PST)");
        assert_eq!((p.hour, p.meridiem, p.zone), ("9", Some(b'a'), Some("PST")));
        // A zone name backs off until a word ends: `UTC+123` is `UTC+1` and `23`.
        assert_eq!(parts("10:00 UTC+123").zone, Some("UTC+123"));
        assert_eq!(parts("10:00 ABCDEF").zone, None);
    }
}
