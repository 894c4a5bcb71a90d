//! How a stated duration is read as a careful reader reads it: a range of lengths is held to the
//! times only when they fall outside it, and a window of clock times written where the length
//! goes is its length, not an `h:mm` length.

use super::tests::COMPLETE;
use super::validate;
use crate::markdown::outline::build;
use crate::schema::Schema;

/// The duration findings of `COMPLETE` (14:10 to 15:40 UTC, an hour and a half) with this
/// duration, and their messages.
pub(super) fn mismatches(duration: &str) -> Vec<(&'static str, String)> {
    mismatches_of(&format!("- Duration: {duration}"))
}

/// The duration findings of `COMPLETE` with its summary's duration, start and end lines
/// replaced, and their messages.
fn summary(duration: &str, start: &str, end: &str) -> Vec<(&'static str, String)> {
    let text = COMPLETE
        .replace("- Duration: 1 hour 30 minutes", duration)
        .replace("- Start Time: 2025-03-04 14:10 UTC", start)
        .replace("- End Time: 2025-03-04 15:40 UTC", end);
    assert!(text.contains(duration), "{duration}");
    validate(&text, &build(&text), &Schema::postmortem())
        .into_iter()
        .filter(|f| matches!(f.rule.name(), "duration-mismatch" | "incomplete-section"))
        .map(|f| (f.rule.name(), f.message))
        .collect()
}

/// The check runs on this document: a plainly wrong length is reported.
#[test]
fn a_wrong_length_is_reported_here() {
    let found = mismatches("3 hours");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "duration-mismatch");
}

/// `85-95 minutes` holds the hour and a half; `2-3 hours` does not, and the message says the
/// range as written, not one end of it (it said `95 minutes` for `90-95 minutes`).
#[test]
fn a_range_of_lengths_holds_the_times_when_they_fall_inside_it() {
    for inside in [
        "85-95 minutes",
        "about 1-2 hours",
        "1.5 - 2 hours",
        "80 to 100 min",
        "90–95 minutes",
    ] {
        assert_eq!(mismatches(inside), [], "{inside}");
    }
    let found = mismatches("2-3 hours");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "duration-mismatch");
    assert!(
        found[0]
            .1
            .contains("says 2 hours to 3 hours but start to end is 1 hour 30 minutes"),
        "{}",
        found[0].1
    );
    // Not a range: a date before the length, or a larger number first.
    assert_eq!(mismatches("2025-03-04 - 1 hour 30 minutes"), []);
    assert_eq!(mismatches("3-2 hours").len(), 1);
}

/// `Duration: 14:10-15:40 UTC` is the outage's window: an hour and a half, not `14 hours 10
/// minutes`; so is `from 14:10 till 15:40 UTC` (which was not taken for a duration at all).
#[test]
fn a_window_of_clock_times_is_read_as_its_length() {
    for window in [
        "14:10-15:40 UTC",
        "14:10 - 15:40",
        "14:10 to 15:40 UTC",
        "from 14:10 till 15:40 UTC",
        "14:10 through 15:40 UTC",
        "14:10–15:40 UTC",
        "2:10 PM to 3:40 PM",
    ] {
        assert_eq!(mismatches(window), [], "{window}");
    }
    // A window that disagrees with the start and end is reported, with its length.
    let found = mismatches("14:10-16:10 UTC");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .1
            .contains("says 2 hours but start to end is 1 hour 30 minutes"),
        "{}",
        found[0].1
    );
    // A clock on one side only, or zones that cannot be compared, cannot be read with
    // confidence: nothing is said.
    for unreadable in ["11:30 - 1:15 PM", "14:10 PST - 17:40 IST"] {
        let found = mismatches(unreadable);
        assert!(
            found.iter().all(|(rule, _)| *rule != "duration-mismatch"),
            "{unreadable}: {found:?}"
        );
    }
    // `Duration: 01:30` is still an hour and a half.
    assert_eq!(mismatches("01:30"), []);
}

/// A window across midnight: `23:10-00:40` is an hour and a half.
#[test]
fn a_window_across_midnight_is_read_forward() {
    let text = COMPLETE
        .replace(
            "- Duration: 1 hour 30 minutes",
            "- Duration: 23:10-00:40 UTC",
        )
        .replace("2025-03-04 14:10 UTC", "2025-03-04 23:10 UTC")
        .replace("2025-03-04 15:40 UTC", "2025-03-05 00:40 UTC");
    let found: Vec<&str> = validate(&text, &build(&text), &Schema::postmortem())
        .into_iter()
        .map(|f| f.rule.name())
        .filter(|r| *r == "duration-mismatch")
        .collect();
    assert_eq!(found, Vec::<&str>::new());
}

/// The start and end a duration is held to are their own lines: a window on the duration's line
/// (`Duration: 14:10 to 15:40 UTC`) matches the end's pattern too, and was held to itself
/// whatever the End line said (a review found it).
#[test]
fn a_window_is_held_to_the_start_and_end_lines_not_to_itself() {
    let start = "- Start Time: 2025-03-04 14:10 UTC";
    for duration in [
        "- Duration: 14:10 to 15:40 UTC",
        "- Duration: 14:10 until 15:40 UTC",
        "- Duration: 14:10 UTC to 15:40 UTC",
        "- Duration: from 14:10 till 15:40 UTC",
    ] {
        let found = summary(duration, start, "- End Time: 2025-03-04 17:40 UTC");
        assert_eq!(found.len(), 1, "{duration}: {found:?}");
        assert!(
            found[0]
                .1
                .contains("says 1 hour 30 minutes but start to end is 3 hours 30 minutes"),
            "{duration}: {}",
            found[0].1
        );
        assert_eq!(
            summary(duration, start, "- End Time: 2025-03-04 15:40 UTC"),
            [],
            "{duration}"
        );
    }
    // A start and end written on the duration's line before it are its own statement of them.
    assert_eq!(
        summary(
            "- From 14:10 to 15:40 UTC (duration: 90 minutes)",
            "- Began: see above",
            "- Over: see above"
        )
        .iter()
        .filter(|(rule, _)| *rule == "duration-mismatch")
        .count(),
        0
    );
}

/// `11:30 - 1:15`: on a 12-hour clock an hour and three quarters, on a 24-hour one nearly 14
/// hours; with no AM or PM written it cannot be told, and nothing is said (it said `13 hours 45
/// minutes`).
#[test]
fn a_window_that_may_be_on_a_12_hour_clock_states_nothing() {
    let found = summary(
        "- Duration: 11:30 - 1:15",
        "- Start Time: 2025-03-04 11:30 AM PST",
        "- End Time: 2025-03-04 1:15 PM PST",
    );
    assert!(
        found.iter().all(|(rule, _)| *rule != "duration-mismatch"),
        "{found:?}"
    );
}

/// `**Duration:** 14:10-15:40 UTC` and `**Duration:** 1:30`: a bold label states the duration
/// as a plain one does (both gave `incomplete-section`).
#[test]
fn a_bold_label_states_a_clock_duration() {
    for duration in ["- **Duration:** 14:10-15:40 UTC", "- **Duration:** 1:30"] {
        assert_eq!(
            summary(
                duration,
                "- Start Time: 2025-03-04 14:10 UTC",
                "- End Time: 2025-03-04 15:40 UTC"
            ),
            [],
            "{duration}"
        );
    }
    let found = summary(
        "- **Duration:** 14:10-17:40 UTC",
        "- Start Time: 2025-03-04 14:10 UTC",
        "- End Time: 2025-03-04 15:40 UTC",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "duration-mismatch");
}

/// The same document without its start and end lines and with its duration's value on the line
/// after a bold label: not taken for a stated duration (the label swallowed the line break and
/// the duration was stated but never compared), so the summary lacks it, as before.
#[test]
fn a_bold_label_does_not_reach_the_next_line() {
    let found = summary(
        "- **Duration:**\n  14:10-17:40 UTC",
        "- Start Time: 2025-03-04 14:10 UTC",
        "- End Time: 2025-03-04 15:40 UTC",
    );
    assert!(
        found
            .iter()
            .any(|(rule, message)| *rule == "incomplete-section" && message.contains("duration")),
        "{found:?}"
    );
}

/// A start and end written on the duration's line, before or after a length, are still its
/// start and end (only a window's own times are not held to it).
#[test]
fn times_beside_a_length_on_its_line_are_held_to_it() {
    for line in [
        "- From 14:10 UTC to 17:40 UTC (duration: 90 minutes)",
        "- Duration: 90 minutes, from 14:10 UTC to 17:40 UTC",
    ] {
        let found = summary(line, "", "");
        assert!(
            found
                .iter()
                .any(|(rule, message)| *rule == "duration-mismatch"
                    && message.contains("start to end is 3 hours 30 minutes")),
            "{line}: {found:?}"
        );
    }
}

/// `__Duration:__`, `_Duration_:` and `*Duration*:` label the duration as `**Duration:**` does:
/// the underscore is a word character, so `\bduration\b` did not see the word, and the summary
/// was said to lack its duration.
#[test]
fn an_underscored_or_italic_label_states_the_duration() {
    for duration in [
        "- __Duration:__ 1 hour 30 minutes",
        "- _Duration_: 1 hour 30 minutes",
        "- __Duration__: 90 minutes",
        "- *Duration*: 1:30",
        "- __Duration:__ 1:30",
        "- _Duration:_ 14:10-15:40 UTC",
    ] {
        assert_eq!(mismatches_of(duration), [], "{duration}");
    }
    let found = mismatches_of("- __Duration:__ 3 hours");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "duration-mismatch");
}

/// `14:10 → 15:40 UTC` and `14:10 -> 15:40` are windows, as `14:10 - 15:40` is (the arrow's
/// window was read as a clock length of 14 hours 10 minutes).
#[test]
fn an_arrow_between_two_times_is_a_window() {
    for window in ["14:10 → 15:40 UTC", "14:10 -> 15:40 UTC", "14:10→15:40 UTC"] {
        assert_eq!(mismatches(window), [], "{window}");
    }
    let found = mismatches("14:10 → 17:40 UTC");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .1
            .contains("says 3 hours 30 minutes but start to end is 1 hour 30 minutes"),
        "{}",
        found[0].1
    );
}

/// `Duration: 01:30:00` is an hour and a half written with its seconds (it was not taken for a
/// duration at all, and the summary was said to lack one).
#[test]
fn a_clock_length_with_seconds_is_a_duration() {
    for duration in ["01:30:00", "1:30:00", "1:30:00 hours"] {
        assert_eq!(mismatches(duration), [], "{duration}");
    }
    let found = mismatches("03:00:00");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("says 3 hours but"), "{}", found[0].1);
    // Two times with seconds are a window.
    assert_eq!(mismatches("14:10:00 - 15:40:00 UTC"), []);
}

/// A duration of something else (`Data loss duration: 5 minutes`) written before the outage's
/// own (`Duration: 1 hour 30 minutes`) is not the one held to the start and end.
#[test]
fn the_outages_own_duration_wins_over_a_qualified_one() {
    for lines in [
        "- Data loss duration: 5 minutes\n- Duration: 1 hour 30 minutes",
        "- Duration of data loss: 5 minutes\n- Duration: 1 hour 30 minutes",
        "- Duration of data loss: 5 minutes\n- Outage duration: 1 hour 30 minutes",
        "- Detection duration: 4 minutes\n- Total duration: 90 minutes",
        "- Duration: 1 hour 30 minutes\n- Data loss duration: 5 minutes",
    ] {
        assert_eq!(mismatches_of(lines), [], "{lines}");
    }
    let found = mismatches_of("- Data loss duration: 5 minutes\n- Duration: 3 hours");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("says 3 hours but"), "{}", found[0].1);
    // A note of how it was measured, in parentheses, does not make a label someone else's.
    let found = mismatches_of("- Duration (approx.): 3 hours");
    assert_eq!(found.len(), 1, "{found:?}");
}

/// The duration findings of `COMPLETE` with its duration line replaced by `lines`.
pub(super) fn mismatches_of(lines: &str) -> Vec<(&'static str, String)> {
    summary(
        lines,
        "- Start Time: 2025-03-04 14:10 UTC",
        "- End Time: 2025-03-04 15:40 UTC",
    )
}

/// A window with a length after it that disagrees (`14:10-15:40 UTC (about 3 hours)`) says two
/// things: the length is held to the start and end, and the disagreement is reported (the window
/// alone was read, and nothing was said).
#[test]
fn a_length_after_a_window_that_disagrees_is_reported() {
    let found = mismatches("14:10-15:40 UTC (about 3 hours)");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .1
            .contains("says 3 hours but start to end is 1 hour 30 minutes"),
        "{}",
        found[0].1
    );
    for agreeing in [
        "14:10-15:40 UTC (90 minutes)",
        "14:10-15:40 UTC (1.5 hours)",
        "14:10-15:40 UTC, about 85-95 minutes",
    ] {
        assert_eq!(mismatches(agreeing), [], "{agreeing}");
    }
}

/// A length among other words after a window is not another statement of it: `5 minutes of
/// full downtime` is part of the outage.
#[test]
fn a_length_among_other_words_after_a_window_is_not_its_length() {
    for window in [
        "14:10-15:40 UTC; 5 minutes of full downtime",
        "14:10-15:40 UTC, with 3 hours of cleanup after",
    ] {
        assert_eq!(mismatches(window), [], "{window}");
    }
}

/// What the review of the label change found: a time of day with seconds is not a length; a
/// qualifier in parentheses names something else; a table row's first cell is its label; an
/// outage's qualified duration still wins over something else's; more arrows; an emphasised
/// value; the finding starts at the word, not at the `_` before it.
#[test]
fn review_of_the_label_change() {
    // `14:10:00 UTC` is a time, not 14 hours 10 minutes: the summary states no duration.
    let found = mismatches("14:10:00 UTC");
    assert!(
        found.len() == 1 && found[0].0 == "incomplete-section",
        "{found:?}"
    );
    assert_eq!(
        mismatches_of("- Duration (data loss): 5 minutes\n- Duration: 90 minutes"),
        []
    );
    assert_eq!(
        mismatches_of("- _Duration_ (data loss): 5 minutes\n- Duration: 90 minutes"),
        []
    );
    assert_eq!(
        mismatches_of("| Data loss duration | 5 minutes |\n| Duration | 1 hour 30 minutes |"),
        []
    );
    assert_eq!(
        mismatches_of("- Data loss duration: 5 minutes\n- Checkout outage duration: 90 minutes"),
        []
    );
    assert_eq!(
        mismatches_of("- Customer impact duration: 40 minutes\n- Duration: 90 minutes"),
        []
    );
    // Alone, a duration of something else is still held to the start and end (as before).
    assert_eq!(
        mismatches_of("- Checkout outage duration: 2 hours").len(),
        1
    );
    assert_eq!(mismatches_of("- Data loss duration: 5 minutes").len(), 1);
    for window in [
        "14:10 => 15:40 UTC",
        "14:10 --> 15:40 UTC",
        "14:10 ⟶ 15:40 UTC",
        "14:10:00Z - 15:40:00Z",
        "2:10:00 PM - 3:40:00 PM",
        "**1:30:00**",
        "**1:30**",
    ] {
        assert_eq!(mismatches(window), [], "{window}");
    }
    let text = COMPLETE.replace("- Duration: 1 hour 30 minutes", "- __Duration:__ 2 hours");
    let found = validate(&text, &build(&text), &Schema::postmortem());
    let mismatch = found
        .iter()
        .find(|f| f.rule.name() == "duration-mismatch")
        .expect("a mismatch");
    assert!(
        text[mismatch.span.start..].starts_with("Duration"),
        "{mismatch:?}"
    );
}

/// What the second review found: a window that disagrees with the times is reported even when
/// the length after it agrees; a zone or unit in the label keeps it plain; a few seconds are a
/// length; the outage's
/// duration is found after many others; underscores around the value.
#[test]
fn second_review_of_the_label_change() {
    for line in [
        "14:10-16:40 UTC (90 minutes)",
        "14:10 → 16:40 UTC (1 hour 30 minutes)",
    ] {
        let found = mismatches(line);
        assert_eq!(found.len(), 1, "{line}: {found:?}");
        assert!(
            found[0].1.contains("says 2 hours 30 minutes"),
            "{}",
            found[0].1
        );
    }
    for lines in [
        "- Duration (PST): 3 hours\n- Outage duration: 1 hour 30 minutes",
        "- Duration in hours: 3 hours\n- Outage duration: 1 hour 30 minutes",
    ] {
        assert_eq!(mismatches_of(lines).len(), 1, "{lines}");
    }
    assert_eq!(mismatches("00:00:10").len(), 1);
    let phases: String = (1..=12)
        .map(|n| format!("- Phase {n} duration: {n} minutes\n"))
        .collect();
    assert_eq!(
        mismatches_of(&format!("{phases}- Total duration: 1 hour 30 minutes")),
        []
    );
    for value in [
        "_1 hour 30 minutes_",
        "__1 hour 30 minutes__",
        "_1:30_",
        "__1:30__",
    ] {
        assert_eq!(mismatches(value), [], "{value}");
    }
}

/// What the fixes for the second review broke, found by running its cases again: an AM/PM window
/// with an arrow states the duration (as one with a hyphen does); fractional seconds on a length;
/// a capitalised qualifier outside parentheses (`MTTR`) is not a zone.
#[test]
fn third_look_at_the_label_change() {
    for window in [
        "2:10 PM → 3:40 PM",
        "11:30 PM → 1:00 AM",
        "01:30:00.5",
        "1:30:00.000",
    ] {
        let found = summary(
            &format!("- Duration: {window}"),
            "- Start Time: 2025-03-04 2:10 PM UTC",
            "- End Time: 2025-03-04 3:40 PM UTC",
        );
        assert!(
            found.iter().all(|(rule, _)| *rule != "incomplete-section"),
            "{window}: {found:?}"
        );
    }
    assert_eq!(
        mismatches_of("- MTTR duration: 4 minutes\n- Duration: 90 minutes"),
        []
    );
}

/// What the third review found: a 12-hour window with an arrow after the label is measured (it
/// stated the duration but was never compared); two times with an arrow elsewhere do not state
/// the duration (as before the arrows came); a `Duration:` under a subsection of its own
/// (`### Detection`) does not outrank the summary's own; `2 hours total` after a window is a
/// length.
#[test]
fn third_review_of_the_label_change() {
    let found = mismatches("2:10 PM → 4:40 PM UTC");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.contains("says 2 hours 30 minutes"),
        "{}",
        found[0].1
    );
    assert_eq!(mismatches("2:10 PM → 3:40 PM UTC"), []);
    let found = mismatches("2:10 PM - 4:40 PM UTC");
    assert_eq!(found.len(), 1, "{found:?}");
    for line in [
        "- Deploy: 14:05 → 14:10 UTC",
        "- Impact window: 14:10 → 16:40 UTC",
    ] {
        let found = mismatches_of(line);
        assert!(
            found.iter().any(|(rule, _)| *rule == "incomplete-section"),
            "{line}: {found:?}"
        );
    }
    for lines in [
        "- Outage duration: 1 hour 30 minutes\n\n### Detection\n- Duration: 4 minutes",
        "- Outage duration: 1 hour 30 minutes\n\n**Detection**\n- Duration: 4 minutes",
    ] {
        let found = summary(
            lines,
            "- Start Time: 2025-03-04 14:10 UTC",
            "- End Time: 2025-03-04 15:40 UTC",
        );
        assert!(
            found.iter().all(|(rule, _)| *rule != "duration-mismatch"),
            "{lines}: {found:?}"
        );
    }
    for total in [
        "14:10 → 15:40 UTC; 2 hours total",
        "14:10-15:40 UTC (2 hours total)",
    ] {
        assert_eq!(mismatches(total).len(), 1, "{total}");
    }
}
