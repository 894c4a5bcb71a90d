//! Findings: what a rule found, where, and how bad it is. Findings are data, not errors; every
//! emitter renders the same values.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::span::Span;

/// How much a finding matters. Only errors make `check` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; does not fail the run.
    Warning,
    /// Fails the run.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// A rule's configured level: a severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Report it as an error (fails the run).
    Error,
    /// Report it as a warning.
    Warning,
    /// Do not report it.
    Off,
}

/// Per-rule levels from the configuration's `[rules]` table; rules not named keep their default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleLevels(std::collections::BTreeMap<Rule, Level>);

impl RuleLevels {
    /// Set `rule`'s level.
    pub fn set(&mut self, rule: Rule, level: Level) {
        self.0.insert(rule, level);
    }

    /// Apply the levels: findings of rules turned off are dropped, the others take their rule's
    /// configured severity.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        if self.0.is_empty() {
            return;
        }
        findings.retain_mut(|finding| match self.0.get(&finding.rule) {
            Some(Level::Off) => false,
            Some(Level::Error) => {
                finding.severity = Severity::Error;
                true
            }
            Some(Level::Warning) => {
                finding.severity = Severity::Warning;
                true
            }
            None => true,
        });
    }
}

/// Every rule mergemark knows, by stable name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A complete, well-formed conflict block.
    ConflictMarker,
    /// Lone, out-of-order or unterminated markers: a conflict half resolved by hand.
    BrokenConflict,
    /// A conflict block or marker shown inside a fenced code block (documentation about Git).
    ConflictMarkerInCode,
    /// The index lists the path as unmerged (a merge, rebase or cherry-pick stopped on it).
    UnmergedPath,
    /// A required section is absent.
    MissingSection,
    /// A section has no content.
    EmptySection,
    /// A section lacks a fact it must state.
    IncompleteSection,
    /// Sections are out of the schema's order.
    SectionOrder,
    /// A section that is not repeatable appears twice.
    DuplicateSection,
    /// The stated duration disagrees with start and end times.
    DurationMismatch,
    /// Timeline entries are not in chronological order.
    TimelineOrder,
    /// A placeholder (`TBD`, `TODO:`, `XX:XX`, ...) is left in the text.
    PlaceholderText,
    /// A section is named by a bold or plain line instead of a heading.
    SectionNotHeading,
    /// The headings depart from a required structure (markdownlint MD043 syntax).
    HeadingStructure,
    /// UTF-8 text decoded as Windows-1252 and encoded again (`â€™` for `’`).
    Mojibake,
    /// A Markdown file that is not valid UTF-8.
    NotUtf8,
}

impl Rule {
    /// All rules, in documentation order.
    pub const ALL: &'static [Rule] = &[
        Rule::ConflictMarker,
        Rule::BrokenConflict,
        Rule::ConflictMarkerInCode,
        Rule::UnmergedPath,
        Rule::MissingSection,
        Rule::EmptySection,
        Rule::IncompleteSection,
        Rule::SectionOrder,
        Rule::DuplicateSection,
        Rule::DurationMismatch,
        Rule::TimelineOrder,
        Rule::PlaceholderText,
        Rule::SectionNotHeading,
        Rule::HeadingStructure,
        Rule::Mojibake,
        Rule::NotUtf8,
    ];

    /// The rule's stable name, used in output, configuration and suppression comments.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::ConflictMarker => "conflict-marker",
            Self::BrokenConflict => "broken-conflict",
            Self::ConflictMarkerInCode => "conflict-marker-in-code",
            Self::UnmergedPath => "unmerged-path",
            Self::MissingSection => "missing-section",
            Self::EmptySection => "empty-section",
            Self::IncompleteSection => "incomplete-section",
            Self::SectionOrder => "section-order",
            Self::DuplicateSection => "duplicate-section",
            Self::DurationMismatch => "duration-mismatch",
            Self::TimelineOrder => "timeline-order",
            Self::PlaceholderText => "placeholder-text",
            Self::SectionNotHeading => "section-not-heading",
            Self::HeadingStructure => "heading-structure",
            Self::Mojibake => "mojibake",
            Self::NotUtf8 => "not-utf8",
        }
    }

    /// Severity unless configured otherwise.
    #[must_use]
    pub const fn default_severity(self) -> Severity {
        match self {
            Self::ConflictMarker
            | Self::BrokenConflict
            | Self::UnmergedPath
            | Self::MissingSection
            | Self::EmptySection
            | Self::IncompleteSection
            | Self::DurationMismatch
            | Self::TimelineOrder
            | Self::HeadingStructure => Severity::Error,
            Self::ConflictMarkerInCode
            | Self::SectionOrder
            | Self::DuplicateSection
            | Self::PlaceholderText
            | Self::SectionNotHeading
            | Self::Mojibake
            | Self::NotUtf8 => Severity::Warning,
        }
    }

    /// The rule with this name, if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_listed_once_and_found_by_name() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        for rule in Rule::ALL {
            assert_eq!(Rule::from_name(rule.name()), Some(*rule));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        // A rule missing from ALL is caught by the match in `name` only if it is listed here.
        assert_eq!(Rule::ALL.len(), 16);
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// A secondary location shown with a finding (a marker line of the block, say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What it is (a static phrase for most labels: no allocation per finding).
    pub text: Cow<'static, str>,
}

/// One thing a rule found in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule that found it.
    pub rule: Rule,
    /// How much it matters.
    pub severity: Severity,
    /// The primary location: the whole block, or the offending line (terminator included).
    pub span: Span,
    /// One sentence, saying what is wrong and naming what is involved.
    pub message: String,
    /// Secondary locations for the human renderer.
    pub labels: Vec<Label>,
    /// How to fix it (usually a static sentence).
    pub help: Option<Cow<'static, str>>,
    /// Which version of a conflicted file it is about (`None`: the file as a whole).
    pub side: Option<crate::conflict::Side>,
    /// The schema that found it.
    pub schema: Option<String>,
    /// The schema's canonical name of the section it is about.
    pub section: Option<String>,
    /// Replacement text that would fix it.
    pub suggestion: Option<String>,
}

impl Finding {
    /// A finding at the rule's default severity.
    #[must_use]
    pub fn new(rule: Rule, span: Span, message: String) -> Self {
        Self {
            rule,
            severity: rule.default_severity(),
            span,
            message,
            labels: Vec::new(),
            help: None,
            side: None,
            schema: None,
            section: None,
            suggestion: None,
        }
    }

    /// The message as text output shows it: prefixed with the side it is about.
    #[must_use]
    pub fn display_message(&self) -> std::borrow::Cow<'_, str> {
        match self.side {
            Some(side) => format!("{} side: {}", side.name(), self.message).into(),
            None => self.message.as_str().into(),
        }
    }

    /// Add a secondary label.
    #[must_use]
    pub fn with_label(mut self, span: Span, text: impl Into<Cow<'static, str>>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    /// Set the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }
}
