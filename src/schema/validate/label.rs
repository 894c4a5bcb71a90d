//! Whose duration a line states, by its label: the outage's (`Duration:`, `Outage duration:`),
//! or something else's (`Data loss duration:`), which the duration check holds to the outage's
//! start and end only when the summary states no other.

/// How plainly a duration line names the outage's duration, least first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum LabelRank {
    /// A label that names something else: `Data loss duration:`, `Duration (detection):`.
    Other,
    /// No label with `duration` in it: `The outage lasted 2 hours`.
    Unlabelled,
    /// A duration of the outage, qualified: `Checkout outage duration:`, `Customer impact
    /// duration:`, `Duration of the incident:`.
    Outage,
    /// `Duration:` alone, or with words that say how it was measured: `Total duration:`,
    /// `Duration (approx.):`, `| Duration |`.
    Bare,
}

/// Words beside `duration` that say how it was told, not whose it is.
const HOW: [&str; 34] = [
    "the",
    "of",
    "a",
    "an",
    "in",
    "total",
    "overall",
    "actual",
    "final",
    "measured",
    "approx",
    "approximate",
    "approximately",
    "estimated",
    "est",
    "utc",
    "gmt",
    "hh",
    "mm",
    "ss",
    "h",
    "m",
    "hour",
    "hours",
    "hr",
    "hrs",
    "minute",
    "minutes",
    "min",
    "mins",
    "second",
    "seconds",
    "secs",
    "days",
];

/// Words that make a qualified duration the outage's own.
const OUTAGE: [&str; 14] = [
    "outage",
    "outages",
    "incident",
    "downtime",
    "impact",
    "disruption",
    "unavailability",
    "event",
    "service",
    "customer",
    "customers",
    "user",
    "users",
    "window",
];

/// The rank of the label of the line a duration is stated on at `at`: the words before the
/// line's first colon, or a table row's first cell (without an allocation: it is asked of every
/// summary).
pub(super) fn label_rank(text: &str, at: usize) -> LabelRank {
    let bytes = text.as_bytes();
    let (line_start, line_end) = crate::text::line_bounds(bytes, at);
    // Most often the line starts with the label itself: `- Duration:`, `**Duration:**`.
    let word_at = at
        + bytes[at..line_end]
            .iter()
            .take_while(|&&b| b == b'_')
            .count();
    let bare = text
        .get(word_at..word_at + 8)
        .is_some_and(|w| w.eq_ignore_ascii_case("duration"))
        && !bytes[line_start..at].iter().any(u8::is_ascii_alphanumeric)
        && bytes[word_at + 8..line_end]
            .iter()
            .find(|&&b| !matches!(b, b'*' | b'_'))
            == Some(&b':');
    if bare {
        return LabelRank::Bare;
    }
    let Some(label) = label(&text[line_start..line_end]) else {
        return LabelRank::Unlabelled;
    };
    let (mut said, mut outage, mut other) = (false, false, false);
    for_each_word(label, |word, in_parentheses| {
        let is = |words: &[&str]| words.iter().any(|w| word.eq_ignore_ascii_case(w));
        let how = is(&HOW) || (in_parentheses && is_zone(word));
        if word.eq_ignore_ascii_case("duration") {
            said = true;
        } else if is(&OUTAGE) {
            outage = true;
        } else if !how {
            other = true;
        }
    });
    match (said, outage, other) {
        (false, _, _) => LabelRank::Unlabelled,
        (true, true, _) => LabelRank::Outage,
        (true, false, false) => LabelRank::Bare,
        (true, false, true) => LabelRank::Other,
    }
}

/// Each word of `label` (a run of ASCII letters), with whether it is in parentheses.
fn for_each_word(label: &str, mut each: impl FnMut(&str, bool)) {
    let mut depth = 0u32;
    let mut start = None;
    for (at, c) in label
        .char_indices()
        .chain(std::iter::once((label.len(), ' ')))
    {
        if c.is_ascii_alphabetic() {
            start.get_or_insert(at);
            continue;
        }
        if let Some(from) = start.take() {
            each(&label[from..at], depth > 0);
        }
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
}

/// Whether `word` may be a time zone's name (`PST`, `CEST`): two to five capitals.
fn is_zone(word: &str) -> bool {
    (2..=5).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// A line's label: a table row's first cell (`| Duration | 2 hours |`), else what comes before
/// its first colon.
fn label(line: &str) -> Option<&str> {
    if let Some(row) = line.trim_start().strip_prefix('|') {
        return row.split('|').next();
    }
    line.find(':').map(|colon| &line[..colon])
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
        for bare in [
            "- Duration: 2 hours",
            "**Duration:** 2 hours",
            "- __Duration__: 2 hours",
            "Duration (approx.): 2 hours",
            "Total Duration: 2 hours",
            "Approx. duration: 2 hours",
            "| Duration | 2 hours |",
            "Duration (PST): 3 hours",
            "Duration in hours: 3 hours",
        ] {
            assert_eq!(rank(bare), LabelRank::Bare, "{bare}");
        }
        for outage in [
            "Outage duration: 2 hours",
            "Checkout outage duration: 2 hours",
            "Duration of the incident: 2 hours",
            "Customer impact duration: 40 minutes",
        ] {
            assert_eq!(rank(outage), LabelRank::Outage, "{outage}");
        }
        for other in [
            "- Data loss duration: 5 minutes",
            "Duration of data loss: 5 minutes",
            "- _Duration_ (data loss): 5 minutes",
            "Detection duration (p50): 4 minutes",
            "- MTTR duration: 4 minutes",
            "| Data loss duration | 5 minutes |",
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
