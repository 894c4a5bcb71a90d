//! Section schemas: which sections a kind of document must have and what each must say.
//!
//! [`SchemaSpec`] is the serde data users write; [`Schema`] is the compiled form (regexes, title
//! keys, globs) that [`validate`] runs. The built-in `postmortem` schema is the TOML file next to
//! this module, parsed with the same types.

mod checks;
mod clock;
mod headings;
mod lazy_regex;
mod set;
mod spec;
mod title;
mod validate;

use globset::{Glob, GlobSet, GlobSetBuilder};
use lazy_regex::LazyRegex;

pub use set::SchemaSet;
pub use spec::{CheckName, DetectSpec, FactSpec, SchemaSpec, SectionSpec};
pub use title::TitleKey;
pub use validate::{validate, SchemaFinding};

use crate::markdown::outline::Outline;

/// The built-in postmortem schema, as written.
pub const POSTMORTEM_TOML: &str = include_str!("postmortem.toml");

/// Schemas in configuration-file form (`[[schema]]` tables), as `schema show` prints them.
#[derive(Debug, serde::Deserialize, serde::Serialize)]
pub struct SchemaTables {
    /// The schemas.
    pub schema: Vec<SchemaSpec>,
}

/// The built-in postmortem schema's definition.
///
/// # Panics
/// Never: the built-in file is checked by the tests.
#[must_use]
pub fn postmortem_spec() -> SchemaSpec {
    let tables: SchemaTables = toml::from_str(POSTMORTEM_TOML).expect("the built-in schema parses");
    tables
        .schema
        .into_iter()
        .next()
        .expect("the built-in file holds one schema")
}

/// A schema ready to run.
#[derive(Debug)]
pub struct Schema {
    /// What it was compiled from.
    pub spec: SchemaSpec,
    sections: Vec<CompiledSection>,
    files: Option<GlobSet>,
    headings: Option<Vec<headings::Expected>>,
    /// Finds lines that could name a section (they hold a word of some title or alias): the
    /// pseudo-heading scan builds title keys only for those.
    anchor: Option<LazyRegex>,
}

#[derive(Debug)]
struct CompiledSection {
    canonical: TitleKey,
    aliases: Vec<TitleKey>,
    pattern: Option<LazyRegex>,
    facts: Vec<LazyRegex>,
}

/// A problem in a schema definition, naming the key at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct SchemaError {
    /// Dotted path of the offending key, e.g. `schema[0].section[1].pattern`.
    pub key: String,
    /// What is wrong with it.
    pub message: String,
}

impl Schema {
    /// Compile `spec`: build its regexes and globs.
    ///
    /// # Errors
    /// When a pattern, glob or heading entry is invalid.
    pub fn compile(spec: SchemaSpec, key_prefix: &str) -> Result<Self, SchemaError> {
        Self::compile_with(spec, key_prefix, false)
    }

    /// [`Self::compile`]; with `defer`, regexes compile on first use (the built-in schema).
    fn compile_with(spec: SchemaSpec, key_prefix: &str, defer: bool) -> Result<Self, SchemaError> {
        let regex = |pattern: &str| {
            if defer {
                Ok(LazyRegex::deferred(pattern))
            } else {
                LazyRegex::eager(pattern)
            }
        };
        let error = |key: String, message: String| SchemaError {
            key: format!("{key_prefix}{key}"),
            message,
        };
        let mut sections = Vec::with_capacity(spec.sections.len());
        for (i, section) in spec.sections.iter().enumerate() {
            let pattern = match &section.pattern {
                Some(p) => Some(
                    regex(p).map_err(|e| error(format!("section[{i}].pattern"), first_line(&e)))?,
                ),
                None => None,
            };
            let mut facts = Vec::with_capacity(section.facts.len());
            for (j, fact) in section.facts.iter().enumerate() {
                facts.push(regex(&fact.pattern).map_err(|e| {
                    error(format!("section[{i}].fact[{j}].pattern"), first_line(&e))
                })?);
            }
            if let Some(level) = section.level {
                if !(1..=6).contains(&level) {
                    return Err(error(
                        format!("section[{i}].level"),
                        format!("{level} is not a heading level (1 to 6)"),
                    ));
                }
            }
            if let Some([min, max]) = section.words {
                if min > max {
                    return Err(error(
                        format!("section[{i}].words"),
                        format!("[{min}, {max}]: the minimum is above the maximum"),
                    ));
                }
            }
            sections.push(CompiledSection {
                canonical: TitleKey::new(&section.title),
                aliases: section.aliases.iter().map(|a| TitleKey::new(a)).collect(),
                pattern,
                facts,
            });
        }
        let files = if spec.files.is_empty() {
            None
        } else {
            let mut builder = GlobSetBuilder::new();
            for (i, glob) in spec.files.iter().enumerate() {
                builder.add(
                    Glob::new(glob)
                        .map_err(|e| error(format!("files[{i}]"), e.kind().to_string()))?,
                );
            }
            Some(
                builder
                    .build()
                    .map_err(|e| error("files".to_owned(), e.to_string()))?,
            )
        };
        let headings = match &spec.headings {
            Some(list) => Some(
                list.iter()
                    .enumerate()
                    .map(|(i, h)| {
                        headings::Expected::parse(h).map_err(|m| error(format!("headings[{i}]"), m))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        let mut words: Vec<String> = spec
            .sections
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
        let anchor = if words.is_empty() {
            None
        } else {
            regex(&format!("(?i){}", words.join("|"))).ok()
        };
        Ok(Self {
            spec,
            sections,
            files,
            headings,
            anchor,
        })
    }

    /// The built-in postmortem schema.
    ///
    /// # Panics
    /// Never: the built-in file is checked by the tests.
    #[must_use]
    pub fn postmortem() -> Self {
        Self::compile_with(postmortem_spec(), "postmortem.", true)
            .expect("the built-in schema compiles")
    }

    /// Whether `line` may name one of the sections (holds a word of a title or alias; patterns
    /// make every line a candidate).
    fn may_name_section(&self, line: &str) -> bool {
        self.sections.iter().any(|s| s.pattern.is_some())
            || self.anchor.as_ref().is_none_or(|a| a.is_match(line))
    }

    /// The schema's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// Whether the schema's globs name `rel_path`.
    #[must_use]
    pub fn matches_path(&self, rel_path: &str) -> bool {
        self.files.as_ref().is_some_and(|g| g.is_match(rel_path))
    }

    /// Whether the schema has globs (then detection by content is not used).
    #[must_use]
    pub fn has_globs(&self) -> bool {
        self.files.is_some()
    }

    /// Whether a document at `rel_path` with this outline looks like one of this schema's kind:
    /// a detection word in its path or first heading, or enough of its sections as headings.
    #[must_use]
    pub fn detects(&self, rel_path: &str, outline: &Outline) -> bool {
        let Some(detect) = &self.spec.detect else {
            return false;
        };
        let path = rel_path.to_lowercase().replace(['_', '-'], " ");
        let first_heading = outline
            .sections
            .first()
            .map(|s| s.title.to_lowercase().replace(['_', '-'], " "));
        let says = |text: &str| {
            detect
                .words
                .iter()
                .any(|w| text.contains(&w.to_lowercase().replace(['_', '-'], " ")))
        };
        if says(&path) || first_heading.as_deref().is_some_and(says) {
            return true;
        }
        detect.min_sections.is_some_and(|min| {
            // Only headings that hold a title word can match; each gets its key once.
            let keyed: Vec<(&crate::markdown::outline::Section, TitleKey)> = outline
                .sections
                .iter()
                .filter(|h| self.may_name_section(&h.title))
                .map(|h| (h, TitleKey::new(&h.title)))
                .collect();
            let found = (0..self.sections.len())
                .filter(|&i| {
                    keyed
                        .iter()
                        .any(|(h, key)| self.heading_score(i, &h.title, key, h.level) > 0)
                })
                .count();
            found >= min
        })
    }

    /// How well a heading titled `title` at `level` matches section `index`: 4 canonical title,
    /// 3 an alias, 2 a title with a couple of extra words, 0 no match.
    /// `key` is `TitleKey::new(title)`, computed once per heading by the caller.
    fn heading_score(&self, index: usize, title: &str, key: &TitleKey, level: u8) -> u8 {
        let spec = &self.spec.sections[index];
        if spec.level.is_some_and(|l| l != level) {
            return 0;
        }
        let compiled = &self.sections[index];
        if compiled.pattern.as_ref().is_some_and(|p| p.is_match(title)) {
            return 4;
        }
        score_key(compiled, key, 2)
    }
}

fn score_key(section: &CompiledSection, key: &TitleKey, extra: usize) -> u8 {
    let canonical = match key.score(&section.canonical, extra) {
        3 => 4,
        s => s,
    };
    section
        .aliases
        .iter()
        .map(|a| key.score(a, extra))
        .max()
        .unwrap_or(0)
        .max(canonical)
}

fn first_line(error: &regex::Error) -> String {
    // The regex crate's messages span several lines with a caret diagram; keep the reason.
    let text = error.to_string();
    text.lines()
        .filter(|l| l.starts_with("error:"))
        .map(|l| l.trim_start_matches("error: ").to_owned())
        .next()
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_compiles_and_round_trips() {
        // Every pattern of the built-in schema compiles (it is compiled lazily in use).
        Schema::compile(postmortem_spec(), "postmortem.").expect("every built-in pattern compiles");
        let schema = Schema::postmortem();
        assert_eq!(schema.name(), "postmortem");
        assert_eq!(schema.spec.sections.len(), 4);
        let dumped = toml::to_string(&SchemaTables {
            schema: vec![schema.spec.clone()],
        })
        .expect("serialises");
        let again: SchemaTables = toml::from_str(&dumped).expect("parses again");
        assert_eq!(again.schema, [schema.spec]);
        // The built-in file is a valid configuration file as it is.
        crate::config::parse(POSTMORTEM_TOML, std::path::Path::new("postmortem.toml"))
            .expect("valid config");
    }

    #[test]
    fn detection_by_path_heading_or_sections() {
        let schema = Schema::postmortem();
        let outline = |t: &str| crate::markdown::outline::build(t);
        assert!(schema.detects("0x19-postmortem/README.md", &outline("# Hi\n")));
        assert!(schema.detects("README.md", &outline("## 0x19-postmortem\n")));
        assert!(schema.detects("README.md", &outline("## Issue Summary\n\n## Timeline\n")));
        assert!(!schema.detects("README.md", &outline("# Install\n\n## Timeline\n")));
    }

    #[test]
    fn bad_patterns_name_their_key() {
        let mut spec = postmortem_spec();
        spec.sections[1].pattern = Some("(".to_owned());
        let error = Schema::compile(spec, "schema[0].").expect_err("a bad regex");
        assert_eq!(error.key, "schema[0].section[1].pattern");
    }
}
