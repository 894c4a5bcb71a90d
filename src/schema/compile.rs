//! Compiling a [`SchemaSpec`] into a [`Schema`]: title keys, regexes, globs and the heading list.
//! Every error names the key at fault, in the order a reader meets the keys.

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::fact_regex::FactRegex;
use super::headings::Expected;
use super::lazy_regex::LazyRegex;
use super::named::{NamedBy, Naming};
use super::{Schema, SchemaError, SchemaSpec, SectionSpec, TitleKey};

/// One section of a schema, compiled: what matching a heading and finding its facts need.
#[derive(Clone, Debug)]
pub(super) struct CompiledSection {
    title: String,
    canonical: TitleKey,
    aliases: Vec<(String, TitleKey)>,
    concepts: Vec<(String, TitleKey)>,
    /// The word masks of the title, aliases and concepts: a heading whose key holds none of them
    /// matches the section in no way, which rules out most sections for most headings at once.
    masks: Vec<u64>,
    pub(super) pattern: Option<LazyRegex>,
    /// One regex for each of the spec's facts, in their order (paired by `Section::facts`).
    pub(super) facts: Vec<FactRegex>,
}

/// Why a heading was taken for a section, as `schema match` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedBy<'s> {
    /// The section's `pattern` matched the heading.
    Pattern,
    /// The canonical title.
    Title,
    /// One of the aliases.
    Alias(&'s str),
    /// The title or an alias, with a few more words (`Timeline of events`).
    TitleWords(&'s str),
    /// A concept of the section (`what happened`).
    Concept(&'s str),
}

impl std::fmt::Display for MatchedBy<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Pattern => write!(f, "pattern"),
            Self::Title => write!(f, "title"),
            Self::Alias(alias) => write!(f, "alias `{alias}`"),
            Self::TitleWords(title) => write!(f, "the words of `{title}`, and a few more"),
            Self::Concept(concept) => write!(f, "concept `{concept}`"),
        }
    }
}

/// How well a title names a section, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TitleMatch<'s> {
    /// 4 the canonical title (or the pattern), 3 an alias, 2 a title or alias with a few more
    /// words, 1 a concept, 0 no match.
    pub score: u8,
    /// Among equal scores, the more specific match wins: the concept with more words.
    pub specificity: usize,
    /// Why.
    pub by: Option<MatchedBy<'s>>,
}

impl TitleMatch<'_> {
    pub(in crate::schema) const NONE: Self = Self {
        score: 0,
        specificity: 0,
        by: None,
    };

    /// The ordering key for choosing between sections: score, then specificity.
    #[must_use]
    pub fn rank(&self) -> (u8, usize) {
        (self.score, self.specificity)
    }
}

impl CompiledSection {
    /// How well a title with key `key` names the section: 4 the canonical title, 3 an alias, 2 a
    /// title with up to `extra` more words; with `concepts`, 1 a concept; 0 not at all.
    pub(super) fn title_match(
        &self,
        key: &TitleKey,
        extra: usize,
        concepts: bool,
    ) -> TitleMatch<'_> {
        self.resolve(self.naming(key, extra, concepts))
    }

    /// [`Self::title_match`], by positions in the section.
    pub(super) fn naming(&self, key: &TitleKey, extra: usize, concepts: bool) -> Naming {
        if !self.masks.iter().any(|&mask| key.may_hold_mask(mask)) {
            return Naming::NONE;
        }
        let canonical = key.score(&self.canonical, extra);
        if canonical == 3 {
            return Naming::by(4, NamedBy::Title);
        }
        let alias = self
            .aliases
            .iter()
            .enumerate()
            .map(|(i, (_, a))| (key.score(a, extra), i))
            // The best; among equals, the first listed.
            .min_by_key(|(score, _)| std::cmp::Reverse(*score))
            .filter(|(score, _)| *score > 0);
        match alias {
            Some((3, i)) => return Naming::by(3, NamedBy::Alias(i)),
            _ if canonical == 2 => return Naming::by(2, NamedBy::TitleWords(None)),
            Some((score, i)) => return Naming::by(score, NamedBy::TitleWords(Some(i))),
            None => {}
        }
        if !concepts {
            return Naming::NONE;
        }
        self.concepts
            .iter()
            .enumerate()
            .filter(|(_, (_, c))| key.holds(c))
            .min_by_key(|(_, (_, c))| std::cmp::Reverse(c.len()))
            .map_or(Naming::NONE, |(i, (_, c))| Naming {
                score: 1,
                specificity: c.len(),
                by: Some(NamedBy::Concept(i)),
            })
    }

    /// What `naming` (of this section) says, with the names it points at.
    pub(super) fn resolve(&self, naming: Naming) -> TitleMatch<'_> {
        TitleMatch {
            score: naming.score,
            specificity: naming.specificity,
            by: naming.by.map(|by| match by {
                NamedBy::Pattern => MatchedBy::Pattern,
                NamedBy::Title => MatchedBy::Title,
                NamedBy::Alias(i) => MatchedBy::Alias(&self.aliases[i].0),
                NamedBy::TitleWords(None) => MatchedBy::TitleWords(&self.title),
                NamedBy::TitleWords(Some(i)) => MatchedBy::TitleWords(&self.aliases[i].0),
                NamedBy::Concept(i) => MatchedBy::Concept(&self.concepts[i].0),
            }),
        }
    }

    /// The score alone (see [`Self::title_match`]).
    pub(super) fn title_score(&self, key: &TitleKey, extra: usize) -> u8 {
        self.title_match(key, extra, false).score
    }
}

/// Compile `spec`, whose keys sit under `key_prefix` in the configuration; with `defer`, regexes
/// compile on first use (the built-in schema, whose patterns the tests compile).
pub(super) fn compile(
    spec: SchemaSpec,
    key_prefix: &str,
    defer: bool,
) -> Result<Schema, SchemaError> {
    let compiler = Compiler { key_prefix, defer };
    let sections = spec
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| compiler.section(i, section))
        .collect::<Result<_, _>>()?;
    let files = compiler.files(&spec.files)?;
    let headings = compiler.headings(spec.headings.as_deref())?;
    let anchor = compiler.anchor(&spec.sections);
    let detect_words = spec
        .detect
        .as_ref()
        .map(|d| d.words.iter().map(|w| super::detect::fold(w)).collect())
        .unwrap_or_default();
    Ok(Schema {
        spec,
        sections,
        files,
        headings,
        anchor,
        detect_words,
        id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
    })
}

/// The id of the next schema compiled.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How one schema is compiled: where its keys sit, and whether regexes wait for first use.
struct Compiler<'p> {
    key_prefix: &'p str,
    defer: bool,
}

impl Compiler<'_> {
    fn error(&self, key: &str, message: String) -> SchemaError {
        SchemaError {
            key: format!("{}{key}", self.key_prefix),
            message,
        }
    }

    /// The regex of `pattern`, written at `key`.
    fn regex(&self, pattern: &str, key: impl FnOnce() -> String) -> Result<LazyRegex, SchemaError> {
        if self.defer {
            return Ok(LazyRegex::deferred(pattern));
        }
        LazyRegex::eager(pattern).map_err(|e| self.error(&key(), first_line(&e.to_string())))
    }

    /// The fact regex of `pattern`, written at `key`.
    fn fact(&self, pattern: &str, key: impl Fn() -> String) -> Result<FactRegex, SchemaError> {
        if self.defer {
            return Ok(FactRegex::deferred(pattern));
        }
        let fact = FactRegex::eager(pattern).map_err(|e| self.error(&key(), first_line(&e)))?;
        if fact.is_match("") {
            return Err(self.error(
                &key(),
                "matches empty text, so every section would state it: write what the text must say"
                    .to_owned(),
            ));
        }
        Ok(fact)
    }

    /// Section `i`: its regexes, then its level and word range.
    fn section(&self, i: usize, section: &SectionSpec) -> Result<CompiledSection, SchemaError> {
        let pattern = section
            .pattern
            .as_deref()
            .map(|p| {
                let key = || format!("section[{i}].pattern");
                let regex = self.regex(p, key)?;
                if !self.defer && regex.is_match("") {
                    return Err(self.error(
                        &key(),
                        "matches empty text, so every heading would name the section: write \
                         what its headings say"
                            .to_owned(),
                    ));
                }
                Ok(regex)
            })
            .transpose()?;
        let facts = section
            .facts
            .iter()
            .enumerate()
            .map(|(j, fact)| self.fact(&fact.pattern, || format!("section[{i}].fact[{j}].pattern")))
            .collect::<Result<_, _>>()?;
        if let Some(level) = section.level.filter(|level| !(1..=6).contains(level)) {
            return Err(self.error(
                &format!("section[{i}].level"),
                format!("{level} is not a heading level (1 to 6)"),
            ));
        }
        if let Some([min, max]) = section.words.filter(|[min, max]| min > max) {
            return Err(self.error(
                &format!("section[{i}].words"),
                format!("[{min}, {max}]: the minimum is above the maximum"),
            ));
        }
        let canonical = TitleKey::new(&section.title);
        let aliases: Vec<(String, TitleKey)> = section
            .aliases
            .iter()
            .map(|a| (a.clone(), TitleKey::new(a)))
            .collect();
        let concepts: Vec<(String, TitleKey)> = section
            .concepts
            .iter()
            .map(|c| (c.clone(), TitleKey::new(c)))
            .collect();
        let masks = std::iter::once(&canonical)
            .chain(aliases.iter().chain(&concepts).map(|(_, key)| key))
            .map(TitleKey::mask)
            .collect();
        Ok(CompiledSection {
            title: section.title.clone(),
            canonical,
            aliases,
            concepts,
            masks,
            pattern,
            facts,
        })
    }

    /// The `files` globs; none when the list is empty (the schema is then found by detection).
    fn files(&self, globs: &[String]) -> Result<Option<GlobSet>, SchemaError> {
        if globs.is_empty() {
            return Ok(None);
        }
        let mut builder = GlobSetBuilder::new();
        for (i, glob) in globs.iter().enumerate() {
            builder.add(
                Glob::new(glob)
                    .map_err(|e| self.error(&format!("files[{i}]"), e.kind().to_string()))?,
            );
        }
        builder
            .build()
            .map(Some)
            .map_err(|e| self.error("files", e.to_string()))
    }

    /// The MD043-style `headings` list, entry by entry.
    fn headings(&self, list: Option<&[String]>) -> Result<Option<Vec<Expected>>, SchemaError> {
        list.map(|list| {
            list.iter()
                .enumerate()
                .map(|(i, entry)| {
                    Expected::parse(entry).map_err(|m| self.error(&format!("headings[{i}]"), m))
                })
                .collect()
        })
        .transpose()
    }

    /// A regex for lines that may name a section: the first six letters of each word of four
    /// letters or more in a title or alias. `None` when no word qualifies (every line may).
    fn anchor(&self, sections: &[SectionSpec]) -> Option<LazyRegex> {
        let mut words: Vec<String> = sections
            .iter()
            .flat_map(|s| std::iter::once(&s.title).chain(&s.aliases))
            .flat_map(|t| {
                t.split(|c: char| !c.is_alphanumeric())
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.len() >= 4)
            .map(|w| regex::escape(&w.chars().take(6).collect::<String>()))
            .collect();
        words.sort();
        words.dedup();
        if words.is_empty() {
            return None;
        }
        self.regex(&format!("(?i){}", words.join("|")), String::new)
            .ok()
    }
}

/// The reason of a regex error: the regex crate's messages span several lines with a caret
/// diagram.
fn first_line(text: &str) -> String {
    text.lines()
        .filter(|l| l.starts_with("error:"))
        .map(|l| l.trim_start_matches("error: ").to_owned())
        .next()
        .unwrap_or_else(|| text.to_owned())
}
