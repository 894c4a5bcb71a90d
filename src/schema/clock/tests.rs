//! Tests of reading times, dates and zones.

use super::*;

#[test]
fn entries_carry_their_zone() {
    let zone = |line: &str| entry_time(line).map(|m| m.zone);
    assert_eq!(zone("- 14:10 UTC: deploy"), Some(Zone::Offset(0)));
    assert_eq!(zone("- 2:00 PM EST: alert"), Some(Zone::Offset(-300)));
    assert_eq!(zone("- 09:00+02:00 paged"), Some(Zone::Offset(120)));
    assert_eq!(
        zone("- 10:00 AM: users report errors"),
        Some(Zone::Unwritten)
    );
    assert_eq!(zone("- 10:00 - Problem starts"), Some(Zone::Unwritten));
    assert_eq!(zone("- 12:00 IST: page"), Some(Zone::Ambiguous));
    assert_eq!(zone("- 10:00-10:15 UTC: deploy"), Some(Zone::Unwritten));
    assert_eq!(zone("- 09:00:00-05:00 paged"), Some(Zone::Offset(-300)));
}

/// A zone written straight after the meridiem's dots (`5:41 p.m.BST`) is the entry's own: it is
/// not taken for part of the meridiem, and the zone of the entry before does not stand in.
#[test]
fn a_zone_glued_to_the_meridiem_is_read() {
    let zone = |line: &str| entry_time(line).map(|m| m.zone);
    assert_eq!(zone("- 5:41 p.m.BST: restored"), Some(Zone::Ambiguous));
    assert_eq!(zone("- 5:41 p.m.UTC: restored"), Some(Zone::Offset(0)));
    assert_eq!(zone("- 5:41pmUTC: restored"), Some(Zone::Offset(0)));
    assert_eq!(zone("- 5:41 PM. EST: restored"), Some(Zone::Offset(-300)));
    assert_eq!(zone("- 5:41 p.m.: restored"), Some(Zone::Unwritten));
    assert_eq!(zone("- 5:41 pm restored"), Some(Zone::Unwritten));
}

#[test]
fn lines_that_are_only_a_date() {
    let day = |y, m, d| Some(DateLine::Day(days_from_civil(y, m, d) * 1440));
    assert_eq!(date_line("### 2023-07-19", 2001), day(2023, 7, 19));
    assert_eq!(date_line("## May 14", 2025), day(2025, 5, 14));
    assert_eq!(date_line("**15 May 2025**", 2001), day(2025, 5, 15));
    assert_eq!(date_line("July 11, 2025:", 2001), day(2025, 7, 11));
    assert_eq!(
        date_line("### 2023-07-19 (Wednesday)", 2001),
        day(2023, 7, 19)
    );
    assert_eq!(date_line("### 2023-07-19 UTC", 2001), day(2023, 7, 19));
    assert_eq!(date_line("### Wed 19 July", 2023), day(2023, 7, 19));
    assert_eq!(date_line("**Jul 19th:**", 2023), day(2023, 7, 19));
    assert_eq!(date_line("### Day 2", 2001), Some(DateLine::Next));
    assert_eq!(date_line("### 20/07/2023", 2001), Some(DateLine::Next));
    assert_eq!(date_line("### Step 2", 2001), None);
    assert_eq!(date_line("### 2023-07-19 10:00", 2001), None);
    assert_eq!(date_line("May the fourth be with you", 2001), None);
    assert_eq!(date_line("Mar 45", 2001), None);
}

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

proptest::proptest! {
    /// A word of letters after an entry's time is read as a name of [`ZONES`] alone: what
    /// [`zone`] reads it as (its offsets need a sign or a digit).
    #[test]
    fn a_word_of_letters_is_a_zone_by_its_name_alone(word in "[A-Za-z]{0,6}") {
        proptest::prop_assert_eq!(named_zone(word.as_bytes()), zone(&word));
        // (A word from `a` or `p` may start with a meridiem.)
        proptest::prop_assume!(!word.starts_with(['a', 'A', 'p', 'P']));
        let line = format!("- 10:00 {word}: paged");
        proptest::prop_assert_eq!(
            entry_time(&line).map(|m| m.zone),
            Some(zone(&word).unwrap_or(Zone::Unwritten))
        );
    }

    /// Any word, any line: a zone, a date line, an entry time or nothing, never a panic.
    #[test]
    fn reading_times_never_panics(
        pieces in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("UTC"), proptest::strategy::Just("GMT"),
                proptest::strategy::Just("PST"), proptest::strategy::Just("\u{2212}"),
                proptest::strategy::Just("\u{2013}"), proptest::strategy::Just("-"),
                proptest::strategy::Just("+"), proptest::strategy::Just("5"),
                proptest::strategy::Just("05:30"), proptest::strategy::Just(":"),
                proptest::strategy::Just("## "), proptest::strategy::Just("May"),
                proptest::strategy::Just("14"), proptest::strategy::Just(" "),
                proptest::strategy::Just("é"), proptest::strategy::Just("- "),
                proptest::strategy::Just("10"), proptest::strategy::Just("pm"),
                proptest::strategy::Just("Z"), proptest::strategy::Just("2025-05-14"),
            ],
            0..8,
        )
    ) {
        let text: String = pieces.concat();
        let _ = zone(&text);
        let _ = date_line(&text, 2025);
        let _ = entry_time(&text);
        let _ = first_time(&text);
    }
}

/// A timeline entry's zone with a typographic minus is its offset, not `UTC` (the entry
/// reader stopped at the minus sign); a range written with an en dash stays a range.
#[test]
fn entries_with_a_typographic_minus_in_their_zone() {
    let zone = |line: &str| entry_time(line).map(|m| m.zone);
    assert_eq!(zone("- 10:00 UTC\u{2212}5 start"), Some(Zone::Offset(-300)));
    assert_eq!(zone("- 10:00 GMT\u{2013}05:30 x"), Some(Zone::Offset(-330)));
    assert_eq!(zone("- 10:00 UTC-5 start"), Some(Zone::Offset(-300)));
    assert_eq!(zone("- 10:00\u{2013}10:15 x"), Some(Zone::Unwritten));
    assert_eq!(zone("- 10:00 UTC\u{2212} x"), Some(Zone::Offset(0)));
}

/// A zone written with a typographic minus or a dash (`UTC−5`, `UTC–5`) is a zone, not a
/// panic (found by a hostile review: a date line `## May 14 UTC−5` lost the file's findings).
#[test]
fn zones_with_a_typographic_minus() {
    assert_eq!(zone("UTC−5"), Some(Zone::Offset(-300)));
    assert_eq!(zone("GMT–03:30"), Some(Zone::Offset(-210)));
    assert_eq!(zone("UTCé5"), None);
    assert!(date_line("## May 14 UTC−5", 2025).is_some());
}

#[test]
fn zone_names_are_read_and_nothing_else_is() {
    assert!(ZONES.windows(2).all(|w| w[0].0 < w[1].0));
    for (name, offset) in ZONES {
        assert_eq!(
            zone(name),
            Some(offset.map_or(Zone::Ambiguous, Zone::Offset))
        );
    }
    // Near misses: other cases, a letter more or less, a NUL where a shorter name would be.
    for word in [
        "pst", "Pst", "PSTX", "PS", "AEDTX", "\0Z", "Z\0", "\0PST", "", "ZZ", "ESTT", "UT",
    ] {
        assert_eq!(zone(word), None, "{word:?}");
    }
}

#[test]
fn zones() {
    let zone = |t: &str| first_time(t).map(|m| m.zone);
    assert_eq!(zone("Start: 2025-03-04 14:10 UTC"), Some(Zone::Offset(0)));
    assert_eq!(zone("2025-03-04T14:10:00Z"), Some(Zone::Offset(0)));
    assert_eq!(zone("2025-03-04T14:10:00+05:30"), Some(Zone::Offset(330)));
    assert_eq!(zone("14:10 -0800"), Some(Zone::Offset(-480)));
    assert_eq!(zone("8:10 AM PST"), Some(Zone::Offset(-480)));
    assert_eq!(zone("16:10 (CEST)"), Some(Zone::Offset(120)));
    assert_eq!(zone("16:10 UTC+5"), Some(Zone::Offset(300)));
    assert_eq!(zone("16:10 GMT-03:30"), Some(Zone::Offset(-210)));
    // One name, several zones.
    assert_eq!(zone("16:10 IST"), Some(Zone::Ambiguous));
    assert_eq!(zone("16:10 CST"), Some(Zone::Ambiguous));
    // None, or a word that is no zone.
    assert_eq!(zone("16:10"), Some(Zone::Unwritten));
    assert_eq!(zone("16:10 ON CALL"), Some(Zone::Unwritten));
    // The same instant in two zones.
    let utc = |t: &str| first_time(t).and_then(Moment::utc_minutes);
    assert_eq!(utc("2025-03-04 16:10 UTC"), utc("2025-03-04 08:10 PST"));
    assert_eq!(utc("2025-03-04T16:10:00Z"), utc("2025-03-04 17:10 CET"));
}

proptest::proptest! {
    /// A line without an ASCII digit tells no time: detection passes such lines over without
    /// reading them (`concrete_times`).
    #[test]
    fn a_line_without_digits_has_no_entry_time(line in "[^0-9]{0,40}") {
        proptest::prop_assert!(entry_time(&line).is_none(), "{line:?}");
    }

    /// The same over the words a timeline entry is written with.
    #[test]
    fn an_entry_without_digits_has_no_time(
        words in proptest::collection::vec(
            proptest::sample::select(&[
                "- ", "* ", "1. ", "[x] ", "**", "`", "<b>", "</b>", "noon", "midnight", "am",
                "PM", "p.m.", ":", "UTC", "GMT", "+", "−", "–", " ", "#", "|", "Z", "T",
            ][..]),
            0..12,
        )
    ) {
        let line = words.concat();
        proptest::prop_assert!(entry_time(&line).is_none(), "{line:?}");
    }
}
