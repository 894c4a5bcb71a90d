//! Comparing section titles the way people write them: case, punctuation, numbering, emoji,
//! parentheticals, trailing colons and stop words do not matter; `preventive` is `preventative`;
//! plurals are singular.

use std::collections::BTreeSet;

/// A title reduced to its content words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TitleKey {
    words: BTreeSet<String>,
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "the", "of", "for", "to", "in", "on", "our", "s",
];

impl TitleKey {
    /// The key of `title`.
    #[must_use]
    pub fn new(title: &str) -> Self {
        let mut text = String::with_capacity(title.len());
        let mut depth = 0usize;
        for c in title.chars() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ if depth > 0 => {}
                '&' => text.push_str(" and "),
                c if c.is_alphanumeric() => text.extend(c.to_lowercase()),
                _ => text.push(' '),
            }
        }
        let mut words: Vec<&str> = text.split_whitespace().collect();
        // Leading numbering: "2. Timeline", "II Timeline", "Step 3: ...".
        while words.first().is_some_and(|w| is_numbering(w)) && words.len() > 1 {
            words.remove(0);
        }
        let words = words
            .into_iter()
            .filter(|w| !STOP_WORDS.contains(w) && !w.chars().all(|c| c.is_ascii_digit()))
            .map(stem)
            .collect();
        Self { words }
    }

    /// Whether the title has no content words.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// How well a heading with this key matches `wanted`: 3 for the same words, 2 when the heading
    /// adds at most `extra` words, 0 otherwise.
    #[must_use]
    pub fn score(&self, wanted: &TitleKey, extra: usize) -> u8 {
        if wanted.words.is_empty() {
            0
        } else if self.words == wanted.words {
            3
        } else if wanted.words.is_subset(&self.words)
            && self.words.len() - wanted.words.len() <= extra
        {
            2
        } else {
            0
        }
    }
}

fn is_numbering(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit())
        || matches!(
            word,
            "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "step" | "part" | "section"
        )
}

fn stem(word: &str) -> String {
    let word = match word {
        "preventive" | "prevention" | "preventative" => "preventative",
        "corrections" | "correction" | "corrective" => "corrective",
        "chronological" | "chronology" => "chronology",
        "timezone" | "times" => return String::new(),
        other => other,
    };
    if word.len() > 4 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("is") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(heading: &str, wanted: &str) -> u8 {
        TitleKey::new(heading).score(&TitleKey::new(wanted), 2)
    }

    #[test]
    fn decorations_do_not_matter() {
        assert_eq!(matches("Issue Summary (For the Execs)", "Issue Summary"), 3);
        assert_eq!(matches("2. Timeline:", "Timeline"), 3);
        assert_eq!(matches("Timeline(all times in UTC)", "Timeline"), 3);
        assert_eq!(
            matches("🚨 Root Cause & Resolution", "Root Cause and Resolution"),
            3
        );
        assert_eq!(
            matches(
                "Corrective and Preventive measures",
                "Corrective and Preventative Measures"
            ),
            3
        );
        assert_eq!(
            matches(
                "Corrective/Preventative measures",
                "Corrective and Preventative Measures"
            ),
            3
        );
        assert_eq!(matches("SUMMARY OF THE INCIDENT", "Incident Summary"), 3);
        assert_eq!(matches("Root Causes", "Root Cause"), 3);
    }

    #[test]
    fn extra_words_score_lower_and_are_bounded() {
        assert_eq!(matches("Timeline of events", "Timeline"), 2);
        assert_eq!(
            matches("The full detailed timeline of everything", "Timeline"),
            0
        );
        assert_eq!(matches("Impact", "Issue Summary"), 0);
    }
}
