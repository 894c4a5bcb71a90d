use proptest::prelude::*;

use super::{FactRegex, WordSearch};

fn fact(pattern: &str) -> FactRegex {
    FactRegex::eager(pattern).expect("a valid pattern")
}

fn builtin_facts() -> Vec<(String, String)> {
    crate::schema::postmortem_spec()
        .sections
        .iter()
        .flat_map(|s| s.facts.iter().map(|f| (f.name.clone(), f.pattern.clone())))
        .collect()
}

/// Patterns the property runs on: the built-in facts, and shapes of pattern the word search must
/// get right (words that are prefixes of others, case-sensitive words, the Kelvin sign and the
/// long s, a word after an optional part, words in a second branch only).
fn patterns() -> Vec<String> {
    let mut all: Vec<String> = builtin_facts().into_iter().map(|(_, p)| p).collect();
    all.extend(
        [
            r"(?i)\b(?:kill(?:ed)?|stress(?:ed)?)\b",
            r"(?i)(?:ab|abc)d\b",
            r"\b(?:Must|must) do\b",
            r"(?i)\bfix(?:es)?\b|\bpatch",
            r"(?i)\broll(?:ed)?[ -]?back\b",
            r"(?i)\b(?:due to|because)\s+\w+",
            // Words that overlap: `abxy ` has `abx` (no match: a letter follows) and, inside
            // it, `bxy` (a match).
            r"(?i)(?:abx|bxy)\b",
        ]
        .map(str::to_owned),
    );
    all
}

/// Pieces of text near the patterns' words, in many cases and spellings.
const PIECES: &[&str] = &[
    "resolved",
    "RESOLVED",
    "Resolution",
    "reſolved",
    "Killed",
    "\u{212A}illed",
    "killed",
    "fix",
    "fixes",
    "Fixed",
    "prefix",
    "patch",
    "Patched",
    "cause",
    "Because",
    "due to",
    "stress",
    "ſtress",
    "STRESSED",
    "roll back",
    "rolled-back",
    "Rollback",
    "abcd",
    "abd",
    "ABCD",
    "Must do",
    "must do",
    "MUST DO",
    " ",
    " ",
    " ",
    "\n",
    ".",
    "-",
    "é",
    "—",
    "x",
    "1",
    "10:00",
    "started",
    "from",
    "UTC",
    "the service was slow and users waited ",
    "lorem ipsum dolor sit amet, consectetur adipiscing elit ",
    "abx",
    "ABXY",
    "bxy",
    "z",
];

/// Each pattern, compiled once: the plain regex and the fact regex.
static COMPILED: std::sync::LazyLock<Vec<(String, regex::Regex, FactRegex)>> =
    std::sync::LazyLock::new(|| {
        patterns()
            .into_iter()
            .map(|p| (p.clone(), regex::Regex::new(&p).expect("valid"), fact(&p)))
            .collect()
    });

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Whatever the text, the word search says what the regex alone says and finds what it
    /// finds: a few pieces after a neutral start of a few hundred bytes, or from the start.
    #[test]
    fn the_word_search_says_what_the_regex_says(
        neutral_start in any::<bool>(),
        near_misses in 0..2 * super::MAX_TRIES,
        pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..16),
        which in any::<proptest::sample::Index>(),
    ) {
        let (pattern, plain, fact) = which.get(&COMPILED);
        let start = if neutral_start { "users waited. ".repeat(25) } else { String::new() };
        // Words that start no match, enough of them to reach the search that follows the tries.
        let misses = "fixate stressful causeway rollbackx abxyz dueto becausex ".repeat(near_misses);
        let text = start + &misses + &pieces.concat();
        prop_assert_eq!(fact.is_match(&text), plain.is_match(&text), "{:?}", pattern);
        prop_assert_eq!(fact.find(&text), plain.find(&text).map(|m| m.range()), "{:?}", pattern);
    }
}

#[test]
fn facts_said_in_words_get_a_word_search() {
    let searched: Vec<String> = builtin_facts()
        .into_iter()
        .filter(|(_, pattern)| WordSearch::new(pattern).is_some())
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        searched,
        [
            "start time with a time zone",
            "root cause",
            "cause",
            "resolution"
        ]
    );
}

#[test]
fn a_fact_said_late_or_with_a_folded_letter_is_found() {
    let filler = "the service was slow and users waited. ".repeat(25);
    let resolution = fact(
        &builtin_facts()
            .into_iter()
            .find(|(name, _)| name == "resolution")
            .expect("the resolution fact")
            .1,
    );
    assert!(resolution.is_match(&format!("{filler}We RESTARTED the workers.")));
    assert!(resolution.is_match(&format!("{filler}The workers were \u{212A}illed.")));
    assert!(!resolution.is_match(&format!("{filler}Nobody did anything.")));
    assert!(!resolution.is_match(&format!("{filler}A prefixed name.")));
}

/// A pattern that reads on after its word (`[^\n]*?`) is tried where each word starts, and each
/// try may read to the end of the line: on a long line of the word and nothing else, a few tries
/// and then one search from there, not one try per word (a 1 MiB line of `from from ...` would
/// take minutes).
#[test]
fn tries_are_few_on_a_line_of_words() {
    let pattern = r"(?i)\b(?:from|since)\b[^\n]*?\bUTC\b";
    let search = WordSearch::new(pattern).expect("a word search");
    let plain = regex::Regex::new(pattern).expect("valid");
    let regex = super::CachedRegex::new(super::compile_without_prefilter(pattern).expect("valid"));
    for tail in ["", " 10:00 UTC", "\nUTC"] {
        let text = "from ".repeat(2_000) + tail;
        let (found, tries) = search.is_match_counted(&regex, &text);
        assert_eq!(found, plain.is_match(&text), "{tail:?}");
        assert!(tries <= super::MAX_TRIES + 1, "{tries} tries");
    }
}

/// A thread builds one cache per regex and keeps it, however many regexes it searches with in
/// turn (a schema of 65 facts once had each search build a cache, as a thread kept only 64), and
/// each search, here or on another thread, says what the regex alone says.
#[test]
fn a_thread_builds_one_cache_per_regex_and_searches_agree_with_the_regex() {
    let facts: Vec<(FactRegex, regex::Regex)> = (0..100)
        .map(|i| {
            let pattern = format!(r"(?i)\bstep {i}\b|\b{i} ?%");
            (fact(&pattern), regex::Regex::new(&pattern).expect("valid"))
        })
        .collect();
    let text = "we took step 7, then 70 % of step 68 and step 1";
    let check = || {
        let before = super::CachedRegex::built();
        for _ in 0..3 {
            for (fact, plain) in &facts {
                assert_eq!(fact.is_match(text), plain.is_match(text), "{plain}");
                assert_eq!(
                    fact.find(text),
                    plain.find(text).map(|m| m.range()),
                    "{plain}"
                );
            }
        }
        assert_eq!(super::CachedRegex::built() - before, facts.len());
    };
    check();
    std::thread::scope(|s| {
        s.spawn(check);
    });
}

/// A text outside ASCII is searched the plain way with the engine's prefilter (the automaton
/// gives up at the first such byte when the pattern has a `\b`, and without the prefilter the
/// slower engine then read all the rest: French prose before the facts took twice as long).
#[test]
fn a_text_outside_ascii_is_searched_with_the_prefilter() {
    let duration = builtin_facts()
        .into_iter()
        .find(|(name, _)| name == "duration")
        .expect("the duration fact")
        .1;
    let fact = fact(&duration);
    let compiled = fact.compiled();
    assert!(std::ptr::eq(
        fact.plain("Duration: 2 hours"),
        &compiled.regex
    ));
    let french = "Le service était indisponible. Durée : Duration: 2 hours";
    assert!(std::ptr::eq(
        fact.plain(french),
        compiled.outside_ascii.get().expect("compiled for it")
    ));
    assert_eq!(
        fact.find(french),
        regex::Regex::new(&duration)
            .expect("valid")
            .find(french)
            .map(|m| m.range())
    );
}
