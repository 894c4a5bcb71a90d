//! The schemas in force for a run, and which one a document gets.

use aho_corasick::AhoCorasick;

use super::{Detection, Schema};
use crate::markdown::outline::Outline;

/// Custom schemas from the configuration, then the built-in postmortem schema.
#[derive(Debug, Default)]
pub struct SchemaSet {
    schemas: Vec<(Schema, Option<AhoCorasick>)>,
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
            schemas: schemas
                .into_iter()
                .map(|s| {
                    let p = prefilter(&s);
                    (s, p)
                })
                .collect(),
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
        self.schemas.iter().map(|(s, _)| s)
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
        self.schemas
            .iter()
            .map(|(s, _)| s)
            .find(|s| s.matches_path(rel))
    }

    /// Schemas that could detect a document at `rel_path` with this text: its path says so, or
    /// the cheap prefilter finds a heading line with one of the schema's words.
    pub fn candidates<'s: 'q, 'q>(
        &'s self,
        rel_path: &'q str,
        text: &'q str,
    ) -> impl Iterator<Item = &'s Schema> + 'q {
        self.schemas.iter().filter_map(move |(schema, prefilter)| {
            let detect = schema.spec.detect.as_ref()?;
            if schema.has_globs() {
                return None;
            }
            let path = rel_path.to_lowercase().replace(['_', '-'], " ");
            let path_says = detect
                .words
                .iter()
                .any(|w| path.contains(&w.to_lowercase().replace(['_', '-'], " ")));
            (path_says
                || prefilter
                    .as_ref()
                    .is_some_and(|p| heading_holds_word(p, text)))
            .then_some(schema)
        })
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

/// The schema's detection words and section names as an ASCII-case-insensitive Aho-Corasick
/// automaton: documents whose headings hold none of them are never outlined for detection.
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
