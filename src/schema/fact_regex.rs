//! A fact's regex, with a word prefilter for the facts said in words.
//!
//! A fact such as `(?i)\b(?:resolved|fixed|restored|...)\b` gives the regex engine no literal to
//! search for: its words in every mix of cases are too many for its vectorised search, so its
//! automaton reads every byte (about 600 MB/s), and a fact stated at the end of a long section
//! costs the whole section. When every match of a pattern starts with one of a few words of three
//! letters or more (ASCII case aside), those words are looked for in an ASCII-lowercased copy of
//! the text (Teddy, several GB/s), and the pattern is tried, anchored, where one starts. This
//! is done from the first byte: reading even the first 256 bytes the plain way cost more than
//! copying, lowercasing and searching the whole section (1.2 against 0.5 µs a document for the
//! three such facts of the built-in schema), as the automaton's `\b` is slow.
//!
//! The pattern is compiled once, as the meta regex `regex::Regex` is built on (with its
//! configuration): the anchored and bounded searches need it, and a second compile of the same
//! pattern cost a millisecond of every run's start. It is compiled without the engine's literal
//! prefilter, which pays off on long stretches without a match: a fact is looked for in one
//! section at a time, a few KB, and is mostly stated near its start. For a fact with a word
//! search, the words stand in for it. For the built-in facts without one (duration, end time,
//! impact), its literals are digits or words as common as `to`: building it took up to a
//! millisecond a fact, every run, and searching was slower with it (over 10,000 postmortems,
//! 7 M instructions to compile and 7 M to search, of 1,690 M). A text outside ASCII is searched
//! with the prefilter all the same (see `Compiled::outside_ascii`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use aho_corasick::packed;
use regex_automata::util::syntax;
use regex_automata::{meta, Anchored, Input, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

use super::title::FnvBuild;

/// The fewest letters a word may have: shorter ones start too many words to be worth looking for.
const MIN_WORD: usize = 3;
/// The most words Teddy searches for at once.
const MAX_WORDS: usize = 64;
/// The most places the pattern is tried, anchored, before it is searched for from there.
const MAX_TRIES: usize = 16;
/// The largest lowercased copy a thread keeps for the next text.
const KEPT_COPY: usize = 1 << 20;

/// A fact's regex; clones share what is compiled.
#[derive(Clone, Debug)]
pub struct FactRegex {
    pattern: Arc<str>,
    compiled: Arc<OnceLock<Compiled>>,
}

#[derive(Debug)]
struct Compiled {
    regex: CachedRegex,
    words: Option<WordSearch>,
    /// The pattern with the engine's prefilter, for the plain searches of a text outside ASCII
    /// (compiled when one first comes): the automaton gives up at the first such byte when the
    /// pattern has a `\b`, and the slower engine it hands over to then read the rest of the text
    /// (a section of French prose took twice as long); the prefilter keeps that to where a match
    /// may start.
    outside_ascii: OnceLock<CachedRegex>,
}

/// The words every match starts with.
#[derive(Debug)]
struct WordSearch {
    words: packed::Searcher,
    /// Characters outside ASCII that the pattern takes for a letter of a word (the Kelvin sign
    /// for `k`, the long `ſ` for `s`): a text with one is searched the plain way.
    folds: Vec<memchr::memmem::Finder<'static>>,
}

thread_local! {
    /// The lowercased copy of the text being searched, reused.
    static LOWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// `pattern` compiled as `regex::Regex::new` compiles it, but without a literal prefilter, or the
/// text of the error it gives. Also for the built-in regexes matched against a few words (a
/// title, a heading, a timeline entry): for a pattern of many words in any case, building the
/// prefilter took up to a millisecond, every run, and it saves nothing on a few words.
pub(super) fn compile_without_prefilter(pattern: &str) -> Result<meta::Regex, String> {
    compile(pattern, false)
}

/// `pattern` compiled as `regex::Regex::new` compiles it, with a literal prefilter if `prefilter`
/// and the engine finds one worth it.
fn compile(pattern: &str, prefilter: bool) -> Result<meta::Regex, String> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(10 * (1 << 20)))
        .hybrid_cache_capacity(2 * (1 << 20))
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .auto_prefilter(prefilter);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().utf8(true))
        .build(pattern)
        .map_err(|error| match (error.size_limit(), error.syntax_error()) {
            (Some(limit), _) => format!("Compiled regex exceeds size limit of {limit} bytes."),
            (None, Some(syntax)) => syntax.to_string(),
            (None, None) => error.to_string(),
        })
}

impl Compiled {
    fn new(pattern: &str) -> Result<Self, String> {
        let words = WordSearch::new(pattern);
        Ok(Self {
            regex: CachedRegex::new(compile_without_prefilter(pattern)?),
            words,
            outside_ascii: OnceLock::new(),
        })
    }
}

impl FactRegex {
    /// The regex to search `text` with the plain way (no word search).
    fn plain(&self, text: &str) -> &CachedRegex {
        let compiled = self.compiled();
        if text.is_ascii() {
            return &compiled.regex;
        }
        compiled.outside_ascii.get_or_init(|| {
            CachedRegex::new(
                compile(&self.pattern, true).expect("it compiled without the prefilter"),
            )
        })
    }
}

impl FactRegex {
    /// Compile `pattern` now.
    ///
    /// # Errors
    /// The regex crate's message when the pattern is invalid or too large.
    pub fn eager(pattern: &str) -> Result<Self, String> {
        let fact = Self::deferred(pattern);
        let _ = fact.compiled.set(Compiled::new(pattern)?);
        Ok(fact)
    }

    /// Compile `pattern` on first use: only for the built-in schema, whose every pattern the
    /// tests compile.
    #[must_use]
    pub fn deferred(pattern: &str) -> Self {
        Self {
            pattern: Arc::from(pattern),
            compiled: Arc::default(),
        }
    }

    /// Compile it now, if it is not yet.
    pub fn force(&self) {
        let _ = self.compiled();
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            Compiled::new(&self.pattern).expect("the built-in schema's patterns compile (tested)")
        })
    }

    /// Whether the fact is stated in `text`.
    #[must_use]
    pub fn is_match(&self, text: &str) -> bool {
        let compiled = self.compiled();
        match &compiled.words {
            Some(words) if !words.folds_in(text) => words.is_match(&compiled.regex, text),
            _ => Want::Any
                .search(self.plain(text), &Input::new(text))
                .is_some(),
        }
    }

    /// Whether `other` is a copy of it (copies share what they compile).
    #[cfg(test)]
    pub(super) fn shares(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.compiled, &other.compiled)
    }

    /// Where the fact is first stated in `text` (the leftmost-first match, as `regex` finds it).
    #[must_use]
    pub fn find(&self, text: &str) -> Option<Range<usize>> {
        // Not by the words: a try where a word starts may read to the end of its line, and a
        // line of nothing but those words (or one the automaton gives up on, outside ASCII) cost
        // each try a pass, against one pass here.
        Want::First.search(self.plain(text), &Input::new(text))
    }
}

impl WordSearch {
    /// The word search of `pattern`, if every match of it starts with one of a few words.
    fn new(pattern: &str) -> Option<Self> {
        let hir = regex_syntax::parse(pattern).ok()?;
        let mut folds = Vec::new();
        let mut starts: Vec<Vec<u8>> = starts(&hir, &mut folds)?
            .into_iter()
            .map(|(word, _)| word)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        if starts.is_empty() || starts.iter().any(|w| w.len() < MIN_WORD) {
            return None;
        }
        let words = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&starts)
            .build()?;
        folds.sort_unstable();
        folds.dedup();
        Some(Self {
            words,
            folds: folds
                .iter()
                .map(|c| memchr::memmem::Finder::new(c.to_string().as_bytes()).into_owned())
                .collect(),
        })
    }

    /// Whether `regex` matches `text` (which holds none of the folds).
    fn is_match(&self, regex: &CachedRegex, text: &str) -> bool {
        self.is_match_counted(regex, text).0
    }

    /// Whether the text holds a character the pattern folds to a letter of a word: the words are
    /// not looked for in it.
    fn folds_in(&self, text: &str) -> bool {
        // The folds are outside ASCII: most texts hold nothing but ASCII.
        !text.is_ascii()
            && self
                .folds
                .iter()
                .any(|fold| fold.find(text.as_bytes()).is_some())
    }

    /// [`WordSearch::is_match`], and how many times the pattern was tried where a word starts.
    fn is_match_counted(&self, regex: &CachedRegex, text: &str) -> (bool, usize) {
        with_lowercase(text, |lower| self.try_words(regex, text, lower))
    }

    /// Try the pattern where the words start in `lower` (`text`, lowercased).
    fn try_words(&self, regex: &CachedRegex, text: &str, lower: &[u8]) -> (bool, usize) {
        let mut at = 0;
        let mut tries = 0;
        while let Some(word) = self.words.find_in(lower, (at..lower.len()).into()) {
            let here = Input::new(text).range(word.start()..);
            tries += 1;
            if tries > MAX_TRIES {
                // Each try may read to the end of its line: past a few, one search from here
                // (every match starts at a word, and none started at the words before).
                return (Want::Any.search(regex, &here).is_some(), tries);
            }
            if Want::Any
                .search(regex, &here.anchored(Anchored::Yes))
                .is_some()
            {
                return (true, tries);
            }
            at = word.start() + 1;
        }
        (false, tries)
    }
}

/// A regex searched for only where its matches may start: where one of the literal prefixes the
/// regex engine would look for begins, ASCII case aside, in a lowercased copy of the text. A
/// pattern that spells its words in both cases (`[Mm]ust`) has half as many prefixes lowercased,
/// and up to 32 of them Teddy looks for 32 bytes a step instead of 16 (the detection's
/// instruction phrases over 10,000 postmortems: 85 M instructions the engine's way, 72 M this
/// way). For patterns whose every match is a few bytes or more.
#[derive(Debug)]
pub(super) struct CaselessPrefixes {
    regex: CachedRegex,
    starts: packed::Searcher,
}

impl CaselessPrefixes {
    /// # Errors
    /// When the pattern is invalid, may match an empty string, or its matches start with no
    /// fixed prefixes (or too many for one search).
    pub(super) fn new(pattern: &str) -> Result<Self, String> {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};

        let hir = regex_syntax::parse(pattern).map_err(|error| error.to_string())?;
        if hir.properties().minimum_len().unwrap_or(0) == 0 {
            return Err("a match may be empty".to_owned());
        }
        let mut prefixes = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
        prefixes.optimize_for_prefix_by_preference();
        let mut starts: Vec<Vec<u8>> = prefixes
            .literals()
            .ok_or("its matches start with no fixed prefix")?
            .iter()
            .map(|literal| literal.as_bytes().to_ascii_lowercase())
            .collect();
        starts.sort_unstable();
        starts.dedup();
        if starts.is_empty() || starts.iter().any(Vec::is_empty) {
            return Err("its matches start with no fixed prefix".to_owned());
        }
        let starts = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&starts)
            .build()
            .ok_or("too many prefixes")?;
        Ok(Self {
            regex: CachedRegex::new(compile_without_prefilter(pattern)?),
            starts,
        })
    }

    /// Each match in `text`, leftmost-first and without overlaps (as `Regex::find_iter` finds
    /// them), given to `each` until it says to stop (`false`). `each` must not search with a
    /// fact regex: the thread's lowercased copy is in use.
    pub(super) fn for_each_match(&self, text: &str, mut each: impl FnMut(&str) -> bool) {
        with_lowercase(text, |lower| {
            let mut at = 0;
            while let Some(start) = self.starts.find_in(lower, (at..lower.len()).into()) {
                let here = Input::new(text)
                    .range(start.start()..)
                    .anchored(Anchored::Yes);
                match Want::First.search(&self.regex, &here) {
                    Some(found) => {
                        if !each(&text[found.clone()]) {
                            return;
                        }
                        at = found.end;
                    }
                    None => at = start.start() + 1,
                }
            }
        });
    }
}

/// What a search is for.
#[derive(Clone, Copy)]
enum Want {
    /// Whether there is a match: the search stops at the first end it meets.
    Any,
    /// The leftmost-first match, whole.
    First,
}

impl Want {
    /// Search `input`; with [`Want::Any`], the range is empty, at the end of the match found.
    fn search(self, regex: &CachedRegex, input: &Input<'_>) -> Option<Range<usize>> {
        regex.with_cache(|regex, cache| match self {
            Self::Any => regex
                .search_half_with(cache, &input.clone().earliest(true))
                .map(|end| end.offset()..end.offset()),
            Self::First => regex.search_with(cache, input).map(|m| m.range()),
        })
    }
}

/// A regex searched with the thread's own cache for it. The regex's pool hands its cache at once
/// to the first thread that searches, but every other thread takes a lock for one on each search:
/// that was 1.2% of a two-thread check of 10,000 postmortems.
#[derive(Debug)]
struct CachedRegex {
    regex: meta::Regex,
    /// Which of the thread's caches is its.
    id: usize,
}

thread_local! {
    /// The thread's search caches, by [`CachedRegex::id`]. As many as the regexes it searched
    /// with that are still alive: a schema's facts are searched in turn for every document, so a
    /// thread that kept fewer would build one at nearly every search.
    static CACHES: RefCell<HashMap<usize, meta::Cache, FnvBuild>> = RefCell::default();
}

#[cfg(test)]
thread_local! {
    /// How many caches this thread has built.
    static BUILT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl CachedRegex {
    fn new(regex: meta::Regex) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        Self {
            regex,
            id: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Run `search` with the regex and the thread's cache for it.
    fn with_cache<T>(&self, search: impl FnOnce(&meta::Regex, &mut meta::Cache) -> T) -> T {
        CACHES.with_borrow_mut(|caches| {
            let cache = caches.entry(self.id).or_insert_with(|| {
                #[cfg(test)]
                BUILT.set(BUILT.get() + 1);
                self.regex.create_cache()
            });
            search(&self.regex, cache)
        })
    }

    /// How many caches this thread has built.
    #[cfg(test)]
    pub(super) fn built() -> usize {
        BUILT.get()
    }
}

impl Drop for CachedRegex {
    /// Drop this thread's cache for it (other threads drop theirs when they end).
    fn drop(&mut self) {
        let _ = CACHES.try_with(|caches| {
            if let Ok(mut caches) = caches.try_borrow_mut() {
                caches.remove(&self.id);
            }
        });
    }
}

/// Run `f` on `text` lowercased (ASCII letters only), in a copy the thread reuses.
fn with_lowercase<T>(text: &str, f: impl FnOnce(&[u8]) -> T) -> T {
    LOWER.with_borrow_mut(|lower| {
        lower.clear();
        lower.extend_from_slice(text.as_bytes());
        lower.make_ascii_lowercase();
        let found = f(lower);
        // A thread keeps the copy for the next text only while it is small.
        if lower.capacity() > KEPT_COPY {
            *lower = Vec::new();
        }
        found
    })
}

/// A start of a match, lowercased, and whether it is the whole of what it stands for (so what
/// follows in a sequence may be added to it).
type Start = (Vec<u8>, bool);

/// The starts of every match of `hir` (ASCII letters lowercased), as far as they are fixed
/// strings of ASCII; `None` when there would be too many. Characters outside ASCII that a class
/// takes for an ASCII letter go to `folds`.
fn starts(hir: &Hir, folds: &mut Vec<char>) -> Option<Vec<Start>> {
    let stop = || Some(vec![(Vec::new(), false)]);
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![(Vec::new(), true)]),
        HirKind::Literal(literal) if literal.0.is_ascii() => {
            Some(vec![(literal.0.to_ascii_lowercase(), true)])
        }
        HirKind::Literal(_) => stop(),
        HirKind::Class(class) => match one_letter(class, folds) {
            Some(byte) => Some(vec![(vec![byte], true)]),
            None => stop(),
        },
        HirKind::Capture(capture) => starts(&capture.sub, folds),
        HirKind::Repetition(repetition) if repetition.min == 0 => stop(),
        HirKind::Repetition(repetition) => Some(
            starts(&repetition.sub, folds)?
                .into_iter()
                .map(|(word, _)| (word, false))
                .collect(),
        ),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(starts(branch, folds)?);
                if all.len() > MAX_WORDS {
                    return None;
                }
            }
            Some(all)
        }
        HirKind::Concat(parts) => {
            let mut so_far: Vec<Start> = vec![(Vec::new(), true)];
            for part in parts {
                if so_far.iter().all(|(_, whole)| !whole) {
                    break;
                }
                let next = starts(part, folds)?;
                let mut longer = Vec::new();
                for (word, whole) in so_far {
                    if !whole {
                        longer.push((word, false));
                        continue;
                    }
                    for (more, more_whole) in &next {
                        longer.push(([word.as_slice(), more].concat(), *more_whole));
                    }
                }
                if longer.len() > MAX_WORDS {
                    return None;
                }
                so_far = longer;
            }
            Some(so_far)
        }
    }
}

/// The one byte `class` stands for, lowercased: an ASCII letter in both cases (with the
/// characters outside ASCII that case folding adds to `k` and `s`, noted in `folds`), or one
/// ASCII character.
fn one_letter(class: &Class, folds: &mut Vec<char>) -> Option<u8> {
    let Class::Unicode(class) = class else {
        return None;
    };
    let mut ascii = Vec::new();
    let mut outside = Vec::new();
    for range in class.ranges() {
        if u32::from(range.end()) - u32::from(range.start()) > 2 {
            return None;
        }
        for c in range.start()..=range.end() {
            if c.is_ascii() {
                ascii.push(c as u8);
            } else {
                outside.push(c);
            }
        }
    }
    let byte = match ascii[..] {
        [one] if outside.is_empty() => one.to_ascii_lowercase(),
        [upper, lower] if upper.is_ascii_uppercase() && lower == upper.to_ascii_lowercase() => {
            lower
        }
        _ => return None,
    };
    let folded = |c: char| match c {
        '\u{212A}' => byte == b'k',
        '\u{17F}' => byte == b's',
        _ => false,
    };
    if !outside.iter().all(|&c| folded(c)) {
        return None;
    }
    folds.extend(outside);
    Some(byte)
}

#[cfg(test)]
mod tests;
