//! Section schemas: which sections a kind of document must have and what each must say.
//!
//! [`SchemaSpec`] is the serde data users write; [`Schema`] is the compiled form (regexes, title
//! keys, globs) that [`validate`] runs. The built-in `postmortem` schema is the TOML file next to
//! this module, parsed with the same types.

mod clock;
mod compile;
mod detect;
mod fact_regex;
mod headings;
mod lazy_regex;
mod named;
mod set;
mod spec;
mod title;
mod validate;

use std::sync::LazyLock;

use compile::CompiledSection;
pub use compile::{MatchedBy, TitleMatch};
use fact_regex::FactRegex;
use globset::GlobSet;
use lazy_regex::LazyRegex;
use named::Naming;

pub use detect::{Detection, Evidence};
pub use set::SchemaSet;
pub use spec::{CheckName, DetectSpec, FactSpec, SchemaSpec, SectionSpec};
pub use title::TitleKey;
pub use validate::{section_matches, validate, SchemaFinding, SectionMatch, Sections};

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
#[derive(Clone, Debug)]
pub struct Schema {
    /// What it was compiled from.
    pub spec: SchemaSpec,
    sections: Vec<CompiledSection>,
    files: Option<GlobSet>,
    headings: Option<Vec<headings::Expected>>,
    /// Finds lines that could name a section (they hold a word of some title or alias): the
    /// pseudo-heading scan builds title keys only for those.
    anchor: Option<LazyRegex>,
    /// The detection words, folded as the places they are looked for in are.
    detect_words: Vec<String>,
    /// Which compile it came from (its copies share it): what a thread remembers of how titles
    /// name its sections is kept under it (see `named`).
    id: u64,
}

/// One section of a schema as written and as compiled, always together: the checks read both,
/// and never index one list by another's positions.
#[derive(Clone, Copy, Debug)]
struct Section<'s> {
    /// Its place in the schema's order.
    index: usize,
    spec: &'s SectionSpec,
    compiled: &'s CompiledSection,
}

impl<'s> Section<'s> {
    /// How a heading titled `title` names the section, whatever its level (see
    /// [`Self::takes_level`]): 4 the pattern or the canonical title, 3 an alias, 2 a title with a
    /// couple of extra words, 1 a concept, 0 no match. `key` is `TitleKey::new(title)`.
    fn heading_naming(self, title: &str, key: &TitleKey) -> Naming {
        if self
            .compiled
            .pattern
            .as_ref()
            .is_some_and(|p| p.is_match(title))
        {
            return Naming::PATTERN;
        }
        self.compiled.naming(key, 2, true)
    }

    /// Whether a heading at `level` may name the section at all (its `level`, if it has one).
    fn takes_level(self, level: u8) -> bool {
        self.spec.level.is_none_or(|l| l == level)
    }

    /// Each fact the section must state, with its regex.
    fn facts(self) -> impl Iterator<Item = (&'s FactSpec, &'s FactRegex)> {
        self.spec.facts.iter().zip(&self.compiled.facts)
    }
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

/// The built-in schema, compiled once per process: its copies share their regexes.
static BUILTIN: LazyLock<Schema> = LazyLock::new(|| {
    compile::compile(postmortem_spec(), "postmortem.", true).expect("the built-in schema compiles")
});

/// Start compiling the regexes every checked document needs on a thread of its own, once per
/// process, in the reverse of the order the checks first ask for them (those only some documents
/// need compile when first asked). They take about 10 ms to compile, and a thread that needs one
/// another thread is compiling waits for it: the walker threads meet the same patterns in the same
/// order and would otherwise take turns compiling them while the other waits. Called when a
/// schema first applies to a document (by glob, or detected): a README whose heading only looks
/// like a postmortem's costs detection's few patterns, not the checks' (most of a real tree's
/// Markdown is never checked against a schema).
pub fn warm_up() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        // A thread that cannot be started only loses the head start.
        let _ = std::thread::Builder::new()
            .name("mergemark-warm-up".to_owned())
            .spawn(|| {
                validate::warm_up();
                clock::warm_up();
                for section in BUILTIN.sections.iter().rev() {
                    section.facts.iter().rev().for_each(FactRegex::force);
                }
            });
    });
}

impl Schema {
    /// Compile `spec`: build its regexes and globs.
    ///
    /// # Errors
    /// When a pattern, glob or heading entry is invalid.
    pub fn compile(spec: SchemaSpec, key_prefix: &str) -> Result<Self, SchemaError> {
        compile::compile(spec, key_prefix, false)
    }

    /// The built-in postmortem schema.
    ///
    /// # Panics
    /// Never: the built-in file is checked by the tests.
    #[must_use]
    pub fn postmortem() -> Self {
        BUILTIN.clone()
    }

    /// Whether `line` may name one of the sections (holds a word of a title or alias; patterns
    /// make every line a candidate).
    fn may_name_section(&self, line: &str) -> bool {
        self.sections.iter().any(|s| s.pattern.is_some())
            || self.anchor.as_ref().is_none_or(|a| a.is_match(line))
    }

    /// Its sections, in the schema's order.
    fn sections(&self) -> impl Iterator<Item = Section<'_>> {
        self.spec
            .sections
            .iter()
            .zip(&self.sections)
            .enumerate()
            .map(|(index, (spec, compiled))| Section {
                index,
                spec,
                compiled,
            })
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_warm_up_compiles_compiles_and_is_shared() {
        // On the warm-up thread a bad pattern would panic out of sight of the checks: compile
        // each here.
        validate::warm_up();
        clock::warm_up();
        let (one, other) = (Schema::postmortem(), Schema::postmortem());
        let facts = |s: &Schema| {
            s.sections
                .iter()
                .flat_map(|c| c.facts.clone())
                .collect::<Vec<_>>()
        };
        for (a, b) in facts(&one).iter().zip(&facts(&other)) {
            a.force();
            // Copies of the built-in schema share what was compiled.
            assert!(a.shares(b));
        }
    }

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
    fn bad_patterns_name_their_key() {
        let mut spec = postmortem_spec();
        spec.sections[1].pattern = Some("(".to_owned());
        let error = Schema::compile(spec, "schema[0].").expect_err("a bad regex");
        assert_eq!(error.key, "schema[0].section[1].pattern");
    }
}
