//! The schema language, as written in `mergemark.toml` (and in the built-in `postmortem.toml`).
//! Plain serde data: unknown keys are errors, names are kebab-case.

use serde::{Deserialize, Serialize};

/// One document schema.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SchemaSpec {
    /// Name used in findings (`"schema": "postmortem"`).
    pub name: String,
    /// What the schema is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Globs (relative to the repository root) of the files this schema applies to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// How to recognise documents of this kind when no glob names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect: Option<DetectSpec>,
    /// Whether sections must come in the order listed (a warning when not).
    #[serde(default = "yes")]
    pub ordered: bool,
    /// Markdownlint MD043-style heading structure: `"## Title"` entries, `"*"` (zero or more
    /// other headings), `"+"` (one or more), `"?"` (exactly one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headings: Option<Vec<String>>,
    /// Whether `headings` compares titles case-sensitively (markdownlint's `match_case`).
    #[serde(default)]
    pub match_case: bool,
    /// Consistency checks to run: `duration`, `timeline-order`, `placeholders`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckName>,
    /// Sections, in their expected order.
    #[serde(default, rename = "section", skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionSpec>,
}

/// How a document is recognised without a glob.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DetectSpec {
    /// Words that, in the path or the first heading, mark a document of this kind.
    #[serde(default)]
    pub words: Vec<String>,
    /// A document with at least this many of the schema's sections as headings is one too.
    #[serde(default)]
    pub min_sections: Option<usize>,
}

/// A named consistency check.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CheckName {
    /// The stated duration equals end minus start.
    Duration,
    /// Timeline entries are in chronological order.
    TimelineOrder,
    /// No placeholders (`TBD`, `TODO:`, `XX:XX`, `<insert ...>`, `lorem ipsum`, `[link]`).
    Placeholders,
}

/// One section a document must (or may) have.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SectionSpec {
    /// The canonical title, as reported in findings.
    pub title: String,
    /// Other accepted titles (compared case-, punctuation- and decoration-insensitively).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// What the section is about, as head words or short phrases (`cause`, `what happened`,
    /// `next steps`): a heading holding every word of one (in any form: `Causes`, `caused`) names
    /// the section when no title or alias does. The weakest match: a heading goes to the section
    /// it matches best, and a concept never beats a title or an alias.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<String>,
    /// A regular expression a heading's text may match instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Required heading level (1-6); any level when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// Whether a document without it gets `missing-section`.
    #[serde(default = "yes")]
    pub required: bool,
    /// Whether the section may appear more than once.
    #[serde(default)]
    pub repeatable: bool,
    /// Whether an empty section gets `empty-section`.
    #[serde(default = "yes")]
    pub non_empty: bool,
    /// At least this many list items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_list_items: Option<usize>,
    /// At least one `- [ ]` task item.
    #[serde(default)]
    pub task_list: bool,
    /// At least this many entries (list items or lines) that start with a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamped_entries: Option<usize>,
    /// Word count range `[min, max]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<[usize; 2]>,
    /// Example content shown in messages about this section (`- 09:45 UTC: alert fired`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Facts the section must state.
    #[serde(default, rename = "fact", skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactSpec>,
}

/// A fact a section must contain, found by a regular expression.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FactSpec {
    /// What the fact is, as named in `incomplete-section`.
    pub name: String,
    /// A regular expression (Rust `regex` syntax, linear time) that finds it.
    pub pattern: String,
    /// An example that would satisfy it, shown in the message.
    pub example: String,
}

const fn yes() -> bool {
    true
}
