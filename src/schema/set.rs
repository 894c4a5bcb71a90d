//! The schemas in force for a run, and which one a document gets.

use aho_corasick::AhoCorasick;

use super::detect::{fold, with_folded};
use super::{Detection, Schema};
use crate::markdown::outline::Outline;

/// Custom schemas from the configuration, then the built-in postmortem schema.
#[derive(Debug, Default)]
pub struct SchemaSet {
    schemas: Vec<Entry>,
    /// Directory of the configuration file, relative to the repository root (`""`: the root), so
    /// globs are relative to the file that declares them.
    base: String,
}

impl SchemaSet {
    /// `custom` schemas first (in configuration order), then the built-in one unless disabled.
    #[must_use]
    pub fn new(custom: Vec<Schema>, builtin: bool) -> Self {
        let mut schemas: Vec<Schema> = custom;
        if builtin {
            schemas.push(Schema::postmortem());
        }
        Self {
            schemas: schemas.into_iter().map(Entry::new).collect(),
            base: String::new(),
        }
    }

    /// Make globs relative to `base` (a `/`-separated directory relative to the repository root).
    #[must_use]
    pub fn with_base(mut self, base: String) -> Self {
        self.base = base.trim_end_matches('/').to_owned();
        self
    }

    /// The schemas, in the order they are tried.
    pub fn iter(&self) -> impl Iterator<Item = &Schema> {
        self.schemas.iter().map(|e| &e.schema)
    }

    /// Whether no schema is in force.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }

    /// The schema named by a glob for `rel_path`, if any.
    #[must_use]
    pub fn by_path(&self, rel_path: &str) -> Option<&Schema> {
        let rel = if self.base.is_empty() {
            rel_path
        } else {
            rel_path.strip_prefix(&self.base)?.strip_prefix('/')?
        };
        self.iter().find(|s| s.matches_path(rel))
    }

    /// Schemas that could detect a document at `rel_path` with this text: its path says so, or
    /// the cheap prefilter finds a heading line with one of the schema's words.
    pub fn candidates<'s: 'q, 'q>(
        &'s self,
        rel_path: &'q str,
        text: &'q str,
    ) -> impl Iterator<Item = &'s Schema> + 'q {
        self.schemas
            .iter()
            .filter(|entry| entry.detected)
            .filter(move |entry| {
                (entry.path_words.as_ref()).is_some_and(|w| path_holds_word(rel_path, w))
                    || (entry.prefilter.as_ref()).is_some_and(|p| heading_holds_word(p, text))
            })
            .map(|entry| &entry.schema)
    }

    /// The schema for a document and why: by glob, else the first that detects it in any of
    /// `versions` (the sides of a conflicted file: text and outline), on the strongest evidence
    /// any of them gives.
    #[must_use]
    pub fn select(
        &self,
        rel_path: &str,
        text: &str,
        versions: &[(&str, &Outline)],
    ) -> Option<(&Schema, Detection)> {
        if let Some(schema) = self.by_path(rel_path) {
            return Some((schema, Detection::by_glob()));
        }
        self.candidates(rel_path, text).find_map(|schema| {
            versions
                .iter()
                .filter_map(|(text, outline)| schema.detect(rel_path, text, outline))
                .max_by_key(Detection::weight)
                .map(|d| (schema, d))
        })
    }
}

/// A schema with what is computed once to gate documents cheaply.
#[derive(Debug)]
struct Entry {
    schema: Schema,
    /// Whether documents are detected for it (a `detect` table and no globs).
    detected: bool,
    prefilter: Option<AhoCorasick>,
    /// The detection words folded as paths are folded (lower case, `_` and `-` as spaces).
    path_words: Option<AhoCorasick>,
}

impl Entry {
    fn new(schema: Schema) -> Self {
        let detected = schema.spec.detect.as_ref().filter(|_| !schema.has_globs());
        Self {
            detected: detected.is_some(),
            prefilter: detected.and_then(|_| prefilter(&schema)),
            path_words: detected.and_then(|d| {
                AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                    .prefilter(false)
                    .build(d.words.iter().map(|w| fold(w)))
                    .ok()
            }),
            schema,
        }
    }
}

/// Whether `path`, folded as [`fold`] folds, contains one of `words` (the detection words,
/// folded). Runs for every file of a walk, so an ASCII path (nearly all) is folded on the stack.
fn path_holds_word(path: &str, words: &AhoCorasick) -> bool {
    with_folded(path, |folded| words.is_match(folded))
}

/// The schema's detection words and section names as an ASCII-case-insensitive Aho-Corasick
/// automaton: documents whose headings hold none of them are never outlined for detection.
///
/// A contiguous NFA, as for the path words: it is built before the first file is read, and a DFA
/// took 2 M more instructions to build (a tenth of an empty run's) to search a heading line no
/// faster (measured over 10,000 postmortems).
fn prefilter(schema: &Schema) -> Option<AhoCorasick> {
    let detect = schema.spec.detect.as_ref()?;
    let mut words: Vec<String> = detect.words.iter().map(|w| w.to_lowercase()).collect();
    if detect.min_sections.is_some() {
        for section in &schema.spec.sections {
            words.extend(
                std::iter::once(&section.title)
                    .chain(&section.aliases)
                    .map(|t| t.to_lowercase()),
            );
        }
    }
    words.sort();
    words.dedup();
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .prefilter(false)
        .build(&words)
        .ok()
}

/// Whether a heading-like line (`#` or `<hN` after up to three spaces) holds one of `words`.
///
/// Heading lines are found with `memchr` (a `#` or `<` at the start of a line is rare in prose);
/// only those short lines are searched for the words.
fn heading_holds_word(words: &AhoCorasick, text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut checked_until = 0;
    memchr::memchr2_iter(b'#', b'<', bytes).any(|at| {
        // Cheapest tests first: `<` must open `<hN`, and the mark must start its line.
        if at < checked_until
            || (bytes[at] == b'<' && !matches!(bytes.get(at + 1), Some(b'h' | b'H')))
        {
            return false;
        }
        let indent = bytes[..at]
            .iter()
            .rev()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if indent > 3 || (at > indent && bytes[at - indent - 1] != b'\n') {
            return false;
        }
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        checked_until = end;
        words.is_match(&bytes[at..end])
    })
}

#[cfg(test)]
mod tests {
    use super::{fold, path_holds_word};
    use aho_corasick::AhoCorasick;
    use proptest::prelude::*;

    proptest! {
        /// The copy-free comparison says what folding the path and searching it says.
        #[test]
        fn path_words_as_folded(path in "[a-zA-Z_ /.É-]{0,24}|[a-z_/-]{250,270}", word in "[a-z _-]{1,6}") {
            let word = fold(&word);
            let slow = fold(&path).contains(word.as_str());
            let words = AhoCorasick::new([&word]).unwrap();
            prop_assert_eq!(path_holds_word(&path, &words), slow);
        }
    }

    #[test]
    fn path_words_examples() {
        let words = AhoCorasick::new([fold("post-mortem"), fold("incident")]).unwrap();
        assert!(path_holds_word("docs/2024_Post_Mortem.md", &words));
        assert!(path_holds_word("INCIDENTS/a.md", &words));
        assert!(path_holds_word("Störungen/incident.md", &words));
        assert!(!path_holds_word("docs/postmortem.md", &words));
    }
}
