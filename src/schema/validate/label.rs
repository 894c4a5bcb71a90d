//! Whose duration a line states, by its label: the outage's (`Duration:`, `Outage duration:`),
//! or something else's (`Data loss duration:`), which the duration check does not hold to the
//! outage's start and end.

/// How plainly a duration line names the outage's duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum LabelRank {
    /// A label that names something else: `Data loss duration:`, `Duration of detection:`.
    Other,
    /// No label before the duration: `The outage lasted 2 hours`.
    Unlabelled,
    /// `Duration:`, or a duration of the outage itself: `Outage duration:`, `Total duration:`,
    /// `Duration of the incident:`, `Duration (approx.):`.
    Plain,
}

/// The rank of the label of the line a duration is stated on at `at`: the words before the
/// line's first colon, emphasis, list marks and parentheses aside (without an allocation: it is
/// asked of every summary).
pub(super) fn label_rank(text: &str, at: usize) -> LabelRank {
    /// Words that say the duration is the outage's own.
    const OUTAGE: [&str; 17] = [
        "duration",
        "outage",
        "incident",
        "downtime",
        "total",
        "overall",
        "impact",
        "event",
        "disruption",
        "service",
        "customer",
        "user",
        "approximate",
        "estimated",
        "the",
        "of",
        "an",
    ];
    let bytes = text.as_bytes();
    let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i);
    // Most often the line starts with the label itself: `- Duration:`, `**Duration:**`.
    let word_at = at
        + bytes[at..line_end]
            .iter()
            .take_while(|&&b| b == b'_')
            .count();
    let plain = text
        .get(word_at..word_at + 8)
        .is_some_and(|w| w.eq_ignore_ascii_case("duration"))
        && !bytes[line_start..at].iter().any(u8::is_ascii_alphanumeric)
        && bytes[word_at + 8..line_end]
            .iter()
            .find(|&&b| !matches!(b, b'*' | b'_'))
            == Some(&b':');
    if plain {
        return LabelRank::Plain;
    }
    let Some(colon) = memchr::memchr(b':', &bytes[line_start..line_end]) else {
        return LabelRank::Unlabelled;
    };
    let label = &text[line_start..line_start + colon];
    let (mut said, mut other, mut depth) = (false, false, 0u32);
    // `Duration (approx.)`: what is in parentheses says how, not whose.
    for word in label.split(|c: char| {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        !c.is_ascii_alphabetic() || depth > 0
    }) {
        if word.is_empty() {
            continue;
        }
        if word.eq_ignore_ascii_case("duration") {
            said = true;
        } else if !OUTAGE.iter().any(|w| word.eq_ignore_ascii_case(w)) {
            other = true;
        }
    }
    match (said, other) {
        (false, _) => LabelRank::Unlabelled,
        (true, false) => LabelRank::Plain,
        (true, true) => LabelRank::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank(line: &str) -> LabelRank {
        let at = line.to_ascii_lowercase().find("duration").unwrap_or(0);
        label_rank(line, at)
    }

    #[test]
    fn labels_are_ranked_by_whose_duration_they_name() {
        for plain in [
            "- Duration: 2 hours",
            "**Duration:** 2 hours",
            "- __Duration__: 2 hours",
            "Outage duration: 2 hours",
            "Duration of the incident: 2 hours",
            "Duration (approx.): 2 hours",
            "Total Duration: 2 hours",
        ] {
            assert_eq!(rank(plain), LabelRank::Plain, "{plain}");
        }
        for other in [
            "- Data loss duration: 5 minutes",
            "Duration of data loss: 5 minutes",
            "Detection duration (p50): 4 minutes",
        ] {
            assert_eq!(rank(other), LabelRank::Other, "{other}");
        }
        for unlabelled in ["The outage lasted 2 hours", "- 14:10 UTC: down for 2 hours"] {
            assert_eq!(
                label_rank(unlabelled, 4),
                LabelRank::Unlabelled,
                "{unlabelled}"
            );
        }
    }
}
