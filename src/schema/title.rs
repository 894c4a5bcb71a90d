//! Comparing section titles the way people write them: case, punctuation, numbering, emoji,
//! parentheticals, trailing colons and stop words do not matter; `preventive` is `preventative`;
//! words are reduced to a light stem (`Causes`, `caused` and `cause` are one word; `happened` is
//! `happen`), so a concept such as `what happened` or `fix` is found in `What Happened?` and
//! `How I Fixed It`.

use std::hash::{BuildHasherDefault, Hasher};

/// A title reduced to its content words, each kept as a 64-bit hash of its stem (sorted, without
/// repeats): keys are built for every heading of every document, and comparing hashes needs no
/// string per word.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TitleKey {
    words: Vec<u64>,
    /// One bit per word (by a hash of it): a key whose bits are not all in another's cannot be a
    /// subset of it, which rules out most comparisons without touching a string.
    mask: u64,
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "the", "of", "for", "to", "in", "on", "our", "s",
];

/// A hasher for maps keyed by titles: a title is a few words, which the default hasher spends
/// more on than a lookup saves.
pub(super) type FnvBuild = BuildHasherDefault<Fnv>;

/// FNV-1a's offset basis and prime (64-bit).
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a, for [`FnvBuild`].
pub(super) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(FNV_OFFSET)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }
}

impl TitleKey {
    /// The key of `title`. Built in one pass over its characters, word by word: a key is made for
    /// every heading of every document checked.
    #[must_use]
    pub fn new(title: &str) -> Self {
        let mut words = Words {
            hashes: Vec::with_capacity(8),
            ..Words::default()
        };
        let mut word = String::with_capacity(title.len());
        let mut depth = 0usize;
        for c in title.chars() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ if depth > 0 => {}
                '&' => {
                    words.end(&mut word);
                    words.take("and");
                }
                c if c.is_ascii_alphanumeric() => word.push(c.to_ascii_lowercase()),
                c if c.is_alphanumeric() => word.extend(c.to_lowercase()),
                _ => words.end(&mut word),
            }
        }
        words.end(&mut word);
        words.finish()
    }

    /// Whether every word of this key is in `other`'s (both sorted).
    fn is_subset_of(&self, other: &TitleKey) -> bool {
        self.words
            .iter()
            .all(|w| other.words.binary_search(w).is_ok())
    }

    /// Whether `other` may be a subset of this key (no false "no").
    fn may_hold(&self, other: &TitleKey) -> bool {
        self.may_hold_mask(other.mask)
    }

    /// Whether a key whose word mask is `mask` may be a subset of this key (no false "no").
    #[must_use]
    pub fn may_hold_mask(&self, mask: u64) -> bool {
        mask & !self.mask == 0
    }

    /// One bit per word, by a hash of it (see [`TitleKey::may_hold_mask`]).
    #[must_use]
    pub fn mask(&self) -> u64 {
        self.mask
    }

    /// Whether the title has no content words.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether every word of `concept` is in the title (a concept is a head word or a short phrase
    /// such as `next steps`; the title may say more).
    #[must_use]
    pub fn holds(&self, concept: &TitleKey) -> bool {
        !concept.words.is_empty() && self.may_hold(concept) && concept.is_subset_of(self)
    }

    /// How many words the title has.
    #[must_use]
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// How well a heading with this key matches `wanted`: 3 for the same words, 2 when the heading
    /// adds at most `extra` words, 0 otherwise.
    #[must_use]
    pub fn score(&self, wanted: &TitleKey, extra: usize) -> u8 {
        if wanted.words.is_empty() || !self.may_hold(wanted) {
            0
        } else if self.words == wanted.words {
            3
        } else if wanted.is_subset_of(self) && self.words.len() - wanted.words.len() <= extra {
            2
        } else {
            0
        }
    }
}

/// The words of a title as [`TitleKey::new`] meets them, turned into stem hashes: leading
/// numbering dropped ("2. Timeline", "II Timeline", "Step 3: ..."), but not a title's only word;
/// compounds written as one word or split by a stop word made one (`followups` is `follow up`,
/// `to do` is `todo`); stop words and numbers left out.
#[derive(Default)]
struct Words {
    hashes: Vec<u64>,
    /// Past the leading numbering.
    numbered: bool,
    /// The last numbering word seen while still in the leading numbering: dropped when another
    /// word follows, kept when the title ends.
    numbering: Option<String>,
    /// Whether the last word was `to` (which `do` joins).
    after_to: bool,
}

impl Words {
    /// The word in `word` is complete: take it, and empty `word`.
    fn end(&mut self, word: &mut String) {
        if !word.is_empty() {
            self.take(word);
            word.clear();
        }
    }

    fn take(&mut self, word: &str) {
        if self.numbered {
            return self.numbered(word);
        }
        if is_numbering(word) {
            let held = self.numbering.get_or_insert_with(String::new);
            held.clear();
            held.push_str(word);
            return;
        }
        self.numbering = None;
        self.numbered(word);
    }

    /// A word past the leading numbering.
    fn numbered(&mut self, word: &str) {
        self.numbered = true;
        match word {
            "do" | "dos" if self.after_to => self.content("todo"),
            "followup" | "followups" => {
                self.content("follow");
                self.content("up");
            }
            _ => self.content(word),
        }
        self.after_to = word == "to";
    }

    /// A word of the title as compared: kept unless it is a stop word or a number.
    fn content(&mut self, word: &str) {
        if !STOP_WORDS.contains(&word) && !word.chars().all(|c| c.is_ascii_digit()) {
            let (root, ending) = stem(word);
            self.hashes.push(hash(root, ending));
        }
    }

    fn finish(mut self) -> TitleKey {
        if let Some(last) = self.numbering.take() {
            self.numbered(&last);
        }
        let mut words = self.hashes;
        words.sort_unstable();
        words.dedup();
        let mask = words.iter().fold(0, |mask, &w| mask | (1 << (w % 64)));
        TitleKey { words, mask }
    }
}

/// A stem's 64-bit hash (FNV-1a over its root and ending, as if one string).
fn hash(root: &str, ending: &str) -> u64 {
    root.bytes().chain(ending.bytes()).fold(FNV_OFFSET, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

fn is_numbering(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit())
        || matches!(
            word,
            "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "step" | "part" | "section"
        )
}

/// A light stem: a few synonyms made one word, then plural, `-ing` and `-ed` endings and a final
/// `e` dropped, so the forms of a word meet (`causes`, `caused`, `cause` -> `caus`).
/// A light stem, as a root of the word and an ending to add (`studies` -> `stud` + `y`).
fn stem(word: &str) -> (&str, &'static str) {
    let word = match word {
        "preventive" | "prevention" | "preventative" => "preventative",
        "corrections" | "correction" | "corrective" => "corrective",
        "chronological" | "chronology" => "chronology",
        "learnt" | "learned" | "learnings" | "learning" => "learn",
        "tl" | "tldr" => "tldr",
        "ups" => "up",
        "todos" => "todo",
        "timezone" | "times" => return ("", ""),
        other => other,
    };
    let chars = word.chars().count();
    let mut stem = word;
    if chars > 5 && stem.ends_with("ies") {
        return (&stem[..stem.len() - 3], "y");
    }
    if chars > 3
        && stem.ends_with('s')
        && !stem.ends_with("ss")
        && !stem.ends_with("is")
        && !stem.ends_with("us")
    {
        stem = &stem[..stem.len() - 1];
    } else if chars > 5 && stem.ends_with("ing") {
        stem = &stem[..stem.len() - 3];
    } else if chars > 4 && stem.ends_with("ed") {
        stem = &stem[..stem.len() - 2];
    }
    if stem.chars().count() > 3 && stem.ends_with('e') {
        stem = &stem[..stem.len() - 1];
    }
    (stem, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The key as first written: the title rewritten as text, split, then each rule in turn.
    fn key_in_steps(title: &str) -> TitleKey {
        let mut text = String::with_capacity(title.len());
        let mut depth = 0usize;
        for c in title.chars() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ if depth > 0 => {}
                '&' => text.push_str(" and "),
                c if c.is_ascii_alphanumeric() => text.push(c.to_ascii_lowercase()),
                c if c.is_alphanumeric() => text.extend(c.to_lowercase()),
                _ => text.push(' '),
            }
        }
        let mut words: Vec<&str> = text.split_whitespace().collect();
        while words.first().is_some_and(|w| is_numbering(w)) && words.len() > 1 {
            words.remove(0);
        }
        let mut joined: Vec<&str> = Vec::with_capacity(words.len());
        for word in words {
            match (joined.last(), word) {
                (Some(&"to"), "do" | "dos") => *joined.last_mut().expect("a word") = "todo",
                (_, "followup" | "followups") => joined.extend(["follow", "up"]),
                _ => joined.push(word),
            }
        }
        let mut words: Vec<u64> = joined
            .into_iter()
            .filter(|w| !STOP_WORDS.contains(w) && !w.chars().all(|c| c.is_ascii_digit()))
            .map(|w| {
                let (root, ending) = stem(w);
                hash(root, ending)
            })
            .collect();
        words.sort_unstable();
        words.dedup();
        let mask = words.iter().fold(0, |mask, &w| mask | (1 << (w % 64)));
        TitleKey { words, mask }
    }

    proptest! {
        /// The one-pass key is the key of the rules applied one after another.
        #[test]
        fn one_pass_key_is_the_stepwise_key(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("to"), Just("To"), Just("do"), Just("dos"), Just("followup"),
                    Just("Followups"), Just("follow"), Just("2."), Just("II"), Just("step"),
                    Just("3"), Just("("), Just(")"), Just("["), Just("]"), Just("&"), Just(" "),
                    Just("-"), Just(":"), Just("Timeline"), Just("Causes"), Just("the"), Just("é"),
                    Just("İ"), Just("ẞ"), Just("🚨"), Just("summary"), Just("a"), Just("ii"),
                ],
                0..12,
            )
        ) {
            let title: String = pieces.concat();
            prop_assert_eq!(TitleKey::new(&title), key_in_steps(&title), "{:?}", title);
        }
    }

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

    #[test]
    fn concepts_are_found_in_any_form_of_their_words() {
        let holds =
            |title: &str, concept: &str| TitleKey::new(title).holds(&TitleKey::new(concept));
        assert!(holds("What Happened?", "what happened"));
        assert!(holds("How I Fixed It", "fix"));
        assert!(holds("Why did this happen?", "why"));
        assert!(holds("Causes", "cause"));
        assert!(holds("What caused it", "cause"));
        assert!(holds("Lessons Learnt", "lessons"));
        assert!(holds("TL;DR", "tldr"));
        assert!(holds("Next steps", "next step"));
        assert!(holds("Follow-up improvements", "follow up"));
        assert!(holds("Follow-ups", "follow up"));
        assert!(holds("Followups", "follow up"));
        assert!(holds("To-do", "todo"));
        assert!(holds("To do list", "todo"));
        assert!(!holds("Next", "next steps"));
        assert!(!holds("Installation", "action"));
        assert!(!holds("Anything", ""));
    }
}
