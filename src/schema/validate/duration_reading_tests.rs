//! Durations written in ways the first readings missed: numbers in words past twelve, a decimal
//! comma, a time of day where the length goes, and a unit or zone in the label.

use super::duration_tests::{mismatches, mismatches_of};

/// The one finding for `duration` (after `- Duration: `), which must be a mismatch saying `says`.
fn says(duration: &str, says: &str) {
    let found = mismatches(duration);
    assert_eq!(found.len(), 1, "{duration}: {found:?}");
    assert_eq!(found[0].0, "duration-mismatch", "{duration}: {found:?}");
    assert!(
        found[0].1.contains(&format!("says {says} but")),
        "{duration}: {}",
        found[0].1
    );
}

/// `ninety minutes` states the hour and a half (it gave `incomplete-section`), and
/// `forty-five minutes` is not `five minutes`.
#[test]
fn numbers_in_words_past_twelve_are_read_whole() {
    for agrees in [
        "ninety minutes",
        "Ninety minutes",
        "eighty-nine minutes",
        "ninety-one minutes",
        "ninety one minutes",
        "one hour and thirty minutes",
        "an hour and thirty minutes",
    ] {
        assert_eq!(mismatches(agrees), [], "{agrees}");
    }
    assert_eq!(mismatches_of("- The outage lasted ninety minutes."), []);
    says("forty-five minutes", "45 minutes");
    says("forty five minutes", "45 minutes");
    says("fourteen hours", "14 hours");
    says("twenty minutes", "20 minutes");
    says("thirty-six hours", "1 day 12 hours");
    // Not a number: a word that ends like one.
    let found = mismatches("often minutes");
    assert!(
        found.iter().all(|(rule, _)| *rule == "incomplete-section"),
        "{found:?}"
    );
}

/// `1,5 hours` is an hour and a half, as much of Europe writes it (it read `5 hours`); a comma
/// before three digits still groups thousands.
#[test]
fn a_decimal_comma_is_a_decimal_point() {
    assert_eq!(mismatches("1,5 hours"), []);
    assert_eq!(mismatches("1,5h"), []);
    assert_eq!(mismatches("ca. 1,50 Stunden / 1,5 hours"), []);
    says("2,5 hours", "2 hours 30 minutes");
    says("1,500 minutes", "1 day 1 hour");
    // A list of lengths is not a decimal.
    says("2 days, 3 hours", "2 days 3 hours");
}

/// `Duration: 14:10 UTC` is a time of day, not 14 hours 10 minutes: the line is not compared
/// (the pattern that finds the line cannot tell a zone from a word such as `TOTAL`). An hour unit
/// or a word in capitals after a length keeps it one.
#[test]
fn a_time_of_day_with_its_zone_is_not_a_length() {
    for time in [
        "14:10 UTC",
        "14:10 GMT",
        "9:30 PST",
        "14:10 CET (deploy)",
        "14:10 (UTC)",
        "14:10 +01:00",
    ] {
        // Not compared; said to be missing where the pattern sees no duration (`9:30 PST`: a
        // `P` after a clock may start `PM`).
        let not_compared = |found: Vec<(&str, String)>| {
            found.iter().all(|(rule, _)| *rule == "incomplete-section")
        };
        assert!(not_compared(mismatches(time)), "{time}");
        let labelled = format!("- Duration (UTC): {}", &time[..time.find(' ').unwrap()]);
        assert!(not_compared(mismatches_of(&labelled)), "{labelled}");
    }
    // Capitals that are no zone: a length, as before (the review found `2:30 TOTAL` said to be
    // missing).
    says("2:30 TOTAL", "2 hours 30 minutes");
    says("2:30 DOWNTIME", "2 hours 30 minutes");
    assert_eq!(mismatches("1:30 TOTAL"), []);
    for length in [
        "1:30 HRS",
        "1:30 Hours",
        "1:30 H",
        "1:30 (approx.)",
        "1:30 Total",
    ] {
        assert_eq!(mismatches(length), [], "{length}");
    }
    says("3:00 Hours", "3 hours");
}

/// A zone or a unit in parentheses after the label (`Duration (UTC): 14:10 → 15:40`,
/// `Duration (minutes): 90`) states the duration (both gave `incomplete-section`); a bare number
/// is read in the label's unit.
#[test]
fn a_zone_or_unit_in_the_label_states_the_duration() {
    for agrees in [
        "- Duration (UTC): 14:10 → 15:40",
        "- Duration (UTC): 14:10-15:40",
        "- Duration (minutes): 90",
        "- Duration (min): 90",
        "- Duration (in minutes): 90",
        "- Duration in minutes: 90",
        "- Duration (hours): 1.5",
        "- **Duration (minutes):** 90",
        "| Duration (minutes) | 90 |",
        "- Duration (minutes): ~90",
        "- Duration (approx.): 1 hour 30 minutes",
    ] {
        assert_eq!(mismatches_of(agrees), [], "{agrees}");
    }
    for (wrong, says) in [
        ("- Duration (minutes): 120", "2 hours"),
        ("- Duration (hours): 3", "3 hours"),
        ("- Duration (UTC): 14:10 → 16:40", "2 hours 30 minutes"),
        ("| Duration (minutes) | 45 |", "45 minutes"),
    ] {
        let found = mismatches_of(wrong);
        assert_eq!(found.len(), 1, "{wrong}: {found:?}");
        assert_eq!(found[0].0, "duration-mismatch", "{wrong}: {found:?}");
        assert!(
            found[0].1.contains(&format!("says {says} but")),
            "{wrong}: {found:?}"
        );
    }
}

/// A hostile review of the readings above.
#[test]
fn review_of_the_readings() {
    // A unit in the label with more after the number, or a range: read, not passed over.
    for (wrong, says) in [
        ("- Duration (minutes): 120 total", "2 hours"),
        ("- Duration in hours: 2 or so", "2 hours"),
        ("- **Duration (hours):** 2 approx", "2 hours"),
        ("- Duration (hours): 2-3", "2 hours to 3 hours"),
        (
            "- Duration (minutes): 100-120",
            "1 hour 40 minutes to 2 hours",
        ),
        ("- Duration (seconds): 9000", "2 hours 30 minutes"),
    ] {
        let found = mismatches_of(wrong);
        assert_eq!(found.len(), 1, "{wrong}: {found:?}");
        assert!(
            found[0].1.contains(&format!("says {says} but")),
            "{wrong}: {found:?}"
        );
    }
    assert_eq!(mismatches_of("- Duration (seconds): 5400"), []);
    assert_eq!(mismatches_of("- Duration (hours): 1-2"), []);
    // A time where the label's unit asks for a number: no length, as before.
    let found = mismatches_of("- Duration (minutes): 14:10 UTC");
    assert!(
        found.iter().all(|(rule, _)| *rule != "duration-mismatch"),
        "{found:?}"
    );
    // Decimal commas in ranges, with a leading zero, and beside a point.
    for agrees in [
        "1,5 - 2 hours",
        "1,4 - 1,6 hours",
        "85,5-95,5 minutes",
        "0,0625 days",
        "5.400,0 seconds",
    ] {
        assert_eq!(mismatches(agrees), [], "{agrees}");
    }
    says("0,500 hours", "30 minutes");
    // Numbers in words: ranges, dashes, short units.
    for agrees in [
        "eighty to ninety-five minutes",
        "one to two hours",
        "ninety mins",
        "ninety min",
        "one and a half hrs",
        "ninety\u{2011}one minutes",
    ] {
        assert_eq!(mismatches(agrees), [], "{agrees}");
    }
    says("forty\u{2013}five minutes", "45 minutes");
    says("fourteen hrs", "14 hours");
    // The label's zone is the start's when it writes none.
    assert_eq!(mismatches_of("- Duration (UTC): 14:10 → 16:40 CET"), []);
    assert_eq!(mismatches_of("- Duration (CET): 15:10 → 15:40 UTC"), []);
}

/// A second review: a zone in lower case is a zone (`14:10 utc` read 14 hours 10 minutes), and a
/// footnote or a full stop after a labelled number does not hide it.
#[test]
fn second_review_of_the_readings() {
    for time in ["14:10 utc", "14:10 gmt", "14:10 Utc"] {
        let found = mismatches(time);
        assert!(
            found.iter().all(|(rule, _)| *rule == "incomplete-section"),
            "{time}: {found:?}"
        );
    }
    // `est` in lower case is `estimated`: a length.
    says("2:30 est", "2 hours 30 minutes");
    for agrees in [
        "- Duration (minutes): 90[^1]",
        "- Duration (minutes): 90 [^1]",
        "- Duration (minutes): 90 <sup>1</sup>",
        "| Duration (minutes) | 90. |",
    ] {
        assert_eq!(mismatches_of(agrees), [], "{agrees}");
    }
    let found = mismatches_of("- Duration (minutes): 120[^1]");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "duration-mismatch", "{found:?}");
}
