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

impl Severity {
    /// How output names it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
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

    /// Take every level `other` sets (it wins where both set one).
    pub fn extend(&mut self, other: &Self) {
        self.0.extend(other.0.iter().map(|(r, l)| (*r, *l)));
    }

    /// Apply the levels: findings of rules turned off are dropped, the others take their rule's
    /// configured severity.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        if self.0.is_empty() {
            return;
        }
        findings.retain_mut(|finding| self.apply_one(finding));
    }

    /// Give `finding` its rule's configured severity; `false` when its rule is turned off.
    pub fn apply_one(&self, finding: &mut Finding) -> bool {
        match self.0.get(&finding.rule) {
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
        }
    }
}

/// Declares every rule in one table: the [`Rule`] enum, [`Rule::ALL`], each rule's name, default
/// severity and documentation all come from one entry, so a rule cannot be half-added (an entry
/// missing a part does not match the macro and fails to compile).
macro_rules! rules {
    ($(
        $(#[$meta:meta])*
        $rule:ident {
            name: $name:literal,
            severity: $severity:ident,
            summary: $summary:literal,
            description: $description:literal,
            example: $example:literal,
            fix: $fix:literal $(,)?
        }
    )+) => {
        /// Every rule mergemark knows, by stable name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($(#[$meta])* $rule,)+
        }

        impl Rule {
            /// All rules, in documentation order.
            pub const ALL: &'static [Rule] = &[$(Rule::$rule),+];

            /// The rule's stable name, used in output, configuration and suppression comments.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$rule => $name,)+
                }
            }

            /// Severity unless configured otherwise.
            #[must_use]
            pub const fn default_severity(self) -> Severity {
                match self {
                    $(Self::$rule => Severity::$severity,)+
                }
            }

            /// Whether `check --fix` can fix its findings (some of them: the docs say which).
            #[must_use]
            pub const fn fixable(self) -> bool {
                matches!(self, Self::Mojibake | Self::SectionNotHeading)
            }

            /// What the rule checks, why, an example and the fix (public as
            /// [`RuleDoc`]).
            pub(crate) const fn doc(self) -> RuleDoc {
                match self {
                    $(Self::$rule => RuleDoc {
                        summary: $summary,
                        description: $description,
                        example: $example,
                        fix: $fix,
                    },)+
                }
            }
        }
    };
}

// Every rule, in documentation order. `mergemark rules`, `mergemark explain`, the SARIF rule
// descriptions and the configuration's rule names all read from here. Each example must show its
// rule when checked (`rule_docs`'s tests run them).
rules! {
    /// A complete, well-formed conflict block.
    ConflictMarker {
        name: "conflict-marker",
        severity: Error,
        summary: "An unresolved merge conflict: a complete block from <<<<<<< to >>>>>>>.",
        description: "Git writes conflict markers into a file when a merge, rebase or \
            cherry-pick cannot combine two changes. Committed, they break rendering and hide \
            which version is right. Every style Git writes is recognised (merge, diff3, \
            zdiff3), with the path's conflict-marker-size attribute; a marker-like line inside \
            a fenced code block of a Markdown document is an example, not a conflict (see \
            conflict-marker-in-code), unless Git lists the path as unmerged.",
        example: "<<<<<<< HEAD\nDuration: 2 hours\n=======\nDuration: 90 minutes\n>>>>>>> fix-times\n",
        fix: "Choose what the document should say and delete the marker lines: \
            `mergemark resolve PATH` walks the conflicts with both sides, their differences \
            and the schema's verdict on each choice; `mergemark resolve --strategy ours` \
            (or theirs, union, auto) settles them all at once.",
    }

    /// Lone, out-of-order or unterminated markers: a conflict half resolved by hand.
    BrokenConflict {
        name: "broken-conflict",
        severity: Error,
        summary: "A half-resolved conflict: a lone, unterminated or out-of-order marker.",
        description: "A start marker that never ends, an end or base marker with no start, a \
            block without its ======= separator, or a base marker after the separator. These \
            are what is left when a conflict was resolved by hand and a marker line was \
            forgotten; the text around them may mix both sides.",
        example: "Timeline\n- 10:02 alert fired\n>>>>>>> origin/main\n",
        fix: "Read the lines around the marker, make sure only the intended version remains, \
            and delete the marker line.",
    }

    /// A conflict block or marker shown inside a fenced code block (documentation about Git).
    ConflictMarkerInCode {
        name: "conflict-marker-in-code",
        severity: Warning,
        summary: "A conflict block or marker shown inside a fenced code block.",
        description: "Documentation about Git shows conflict markers on purpose, inside \
            fenced code blocks. mergemark reports them as a warning rather than an error, so \
            a real conflict that happens to sit in a fence (a merge of two code samples) is \
            still visible. When Git lists the path as unmerged, every block is a real \
            conflict-marker error instead.",
        example: "```text\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n```\n",
        fix: "Nothing, if it is an example: silence it with \
            `<!-- mergemark-disable-next-line conflict-marker-in-code -->` before the fence, or \
            set `conflict-marker-in-code = \"off\"` under [rules]. If it is a real conflict, \
            resolve it.",
    }

    /// The index lists the path as unmerged (a merge, rebase or cherry-pick stopped on it).
    UnmergedPath {
        name: "unmerged-path",
        severity: Error,
        summary: "The Git index lists the path as unmerged.",
        description: "A merge, rebase, cherry-pick or revert stopped on this path and it has \
            not been marked resolved: the index still holds its stages 1/2/3. This is \
            reported in every scope, straight from the index, even when the markers were \
            deleted by hand or the file is binary; Git refuses to commit until it is settled.",
        example: "$ git merge topic\nCONFLICT (content): Merge conflict in postmortem.md\n",
        fix: "Resolve the file (`mergemark resolve postmortem.md`), then `git add` it \
            (`mergemark resolve --add` does both), or `git rm` it to accept a deletion.",
    }

    /// A required section is absent.
    MissingSection {
        name: "missing-section",
        severity: Error,
        summary: "A section the document's schema requires is absent.",
        description: "Documents with a schema (the built-in incident postmortem, or one in \
            mergemark.toml) must have each required section, under a heading. Section titles \
            match without regard to case, numbering, punctuation or emoji.",
        example: "# Checkout outage\n## Timeline\n- 09:40 UTC: deploy\n",
        fix: "Add the section under a heading (the message names it and what it must say); \
            `mergemark schema show postmortem` prints the whole schema.",
    }

    /// A section has no content.
    EmptySection {
        name: "empty-section",
        severity: Error,
        summary: "A required section has a heading but no content.",
        description: "A heading with nothing under it but blank lines (or only \
            subheadings) passes a glance but tells the reader nothing.",
        example: "## Root Cause and Resolution\n\n## Corrective and Preventative Measures\n",
        fix: "Write the section, or remove the document from the schema's files if it is \
            not that kind of document.",
    }

    /// A section lacks a fact it must state.
    IncompleteSection {
        name: "incomplete-section",
        severity: Error,
        summary: "A section lacks a fact its schema requires.",
        description: "A schema can require facts in a section (a duration, start and end \
            times with a time zone, the impact, the root cause), a number of timestamped \
            entries, or a number of list items. Each missing one is a finding, naming what \
            is expected with an example.",
        example: "## Issue Summary\nThe checkout page was slow.\n",
        fix: "Add what the message names, e.g. `Duration: 2 hours 30 minutes` or \
            `Start: 2024-03-01 09:40 UTC`.",
    }

    /// Sections are out of the schema's order.
    SectionOrder {
        name: "section-order",
        severity: Warning,
        summary: "Sections are not in the schema's order.",
        description: "Readers of many documents of one kind find things faster when the \
            sections come in the same order.",
        example: "## Timeline\n...\n## Issue Summary\n...\n",
        fix: "Move the section to where the schema puts it.",
    }

    /// A section that is not repeatable appears twice.
    DuplicateSection {
        name: "duplicate-section",
        severity: Warning,
        summary: "A section that is not repeatable appears twice.",
        description: "Often a leftover of a merge in which both sides added the same section.",
        example: "## Timeline\n- 09:40 UTC: deploy\n## Timeline\n- 09:41 UTC: alert\n",
        fix: "Merge the two sections into one.",
    }

    /// The stated duration disagrees with start and end times.
    DurationMismatch {
        name: "duration-mismatch",
        severity: Error,
        summary: "The stated duration disagrees with the start and end times.",
        description: "When a summary states a duration and both a start and an end time, \
            they must agree (within a minute). A mismatch usually means one was edited and \
            the other forgotten, or a merge took one from each side.",
        example: "## Issue Summary\nDuration: 45 minutes\nStart: 09:40 UTC\nEnd: 11:10 UTC\n",
        fix: "Correct whichever is wrong; the message shows the duration the times give.",
    }

    /// Timeline entries are not in chronological order.
    TimelineOrder {
        name: "timeline-order",
        severity: Error,
        summary: "Timeline entries are not in chronological order.",
        description: "Entries of a timestamped section must not go back in time (a change of \
            day is recognised when times wrap past midnight or dates are given).",
        example: "## Timeline\n- 10:15 UTC: rollback\n- 09:40 UTC: deploy\n",
        fix: "Reorder the entries, or correct the time that is wrong.",
    }

    /// A placeholder (`TBD`, `TODO:`, `XX:XX`, ...) is left in the text.
    PlaceholderText {
        name: "placeholder-text",
        severity: Warning,
        summary: "A placeholder (TBD, TODO:, XX:XX, ...) is left in the text.",
        description: "Templates leave placeholders that are easy to miss in review.",
        example: "## Root cause\nTBD\n",
        fix: "Replace the placeholder with the real content.",
    }

    /// A section is named by a bold or plain line instead of a heading.
    SectionNotHeading {
        name: "section-not-heading",
        severity: Warning,
        summary: "A section is named by a bold or plain line instead of a heading.",
        description: "A line like **Timeline** looks like a heading but is not one: tables of \
            contents, anchors and outline tools do not see it, and the schema cannot find the \
            section.",
        example: "**Timeline**\n- 09:40 UTC: deploy\n",
        fix: "Make it a heading: `## Timeline`. `mergemark check --fix` does it, in the label's \
            own words, where the line holds the label alone at the start of its block; a heading \
            an HTML block swallowed gets the blank line that ends the block.",
    }

    /// The headings depart from a required structure (markdownlint MD043 syntax).
    HeadingStructure {
        name: "heading-structure",
        severity: Error,
        summary: "The headings depart from a required structure (markdownlint MD043).",
        description: "A schema can require an exact list of headings, in markdownlint's MD043 \
            syntax (`*` any number of headings, `+` at least one, `?` exactly one).",
        example: "# Title\n## Details\n(where the schema requires `# Title`, `## Summary`)\n",
        fix: "Rename, add or move headings to follow the structure the message shows.",
    }

    /// UTF-8 text decoded as Windows-1252 and encoded again (`â€™` for `’`).
    Mojibake {
        name: "mojibake",
        severity: Warning,
        summary: "UTF-8 text decoded as Windows-1252 and encoded again.",
        description: "Copying between tools with the wrong encoding turns ’ into â€™ and 💪 \
            into ðŸ’ª. Only sequences that cannot be intended text are reported; inline code \
            is left alone.",
        example: "Weâ€™re back\n",
        fix: "Replace the sequence with the suggestion (the text it was); `mergemark check \
            --fix` does it (not in code, nor in a file with unresolved conflicts).",
    }

    /// A Markdown file that is not valid UTF-8.
    NotUtf8 {
        name: "not-utf8",
        severity: Warning,
        summary: "A Markdown file that is not valid UTF-8.",
        description: "Markdown tools, renderers and this checker expect UTF-8; other \
            encodings render as replacement characters. Conflict markers are still found \
            (they are ASCII).",
        example: "(a file saved as Latin-1: caf\\xe9)\n",
        fix: "Convert the file to UTF-8 (e.g. `iconv -f latin1 -t utf-8`); `check --fix` never \
            does: only you know which encoding it was written in.",
    }

    /// A suppression comment names a rule that does not exist.
    UnknownRuleInComment {
        name: "unknown-rule-in-comment",
        severity: Warning,
        summary: "A suppression comment names a rule that does not exist.",
        description: "`<!-- mergemark-disable conflict-markers -->` suppresses nothing: the \
            rule is `conflict-marker`. A misspelt name would otherwise hide nothing and say \
            nothing, and the finding it was meant for would surprise its author later (or \
            a rule renamed would quietly stop being suppressed).",
        example: "<!-- mergemark-disable-next-line conflict-markers -->\n",
        fix: "Write the rule's name as `mergemark rules` lists it (the message suggests the \
            nearest one), or remove it from the comment.",
    }
}

impl Rule {
    /// The rule with this name, if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// Whether only a document schema reports it: a run that selects none of these need not
    /// check documents against their schema at all (`rule_docs`'s tests hold the others to it).
    #[must_use]
    pub const fn needs_schema(self) -> bool {
        matches!(
            self,
            Self::MissingSection
                | Self::EmptySection
                | Self::IncompleteSection
                | Self::SectionOrder
                | Self::DuplicateSection
                | Self::DurationMismatch
                | Self::TimelineOrder
                | Self::PlaceholderText
                | Self::SectionNotHeading
                | Self::HeadingStructure
        )
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

/// A fix: replace the bytes of `span` with `replacement` (see [`crate::fix`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Byte offsets in the file.
    pub span: Span,
    /// The new text (empty: delete).
    pub replacement: String,
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
    /// The edit that fixes it, for the rules that can be fixed safely (`check --fix`).
    pub fix: Option<Edit>,
    /// How many findings of its rule it stands for: 1, or for the line that counts the findings
    /// a file does not list, that count (`--statistics` adds them up).
    pub counts: usize,
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
            fix: None,
            counts: 1,
        }
    }

    /// The finding that stands for `count` findings of its rule a file does not list.
    #[must_use]
    pub const fn counting(mut self, count: usize) -> Self {
        self.counts = count;
        self
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

/// The documentation of one rule.
#[derive(Clone, Copy, Debug)]
pub struct RuleDoc {
    /// One line: what it finds.
    pub summary: &'static str,
    /// What it checks and why it matters.
    pub description: &'static str,
    /// A document that triggers it.
    pub example: &'static str,
    /// How to make it go away (the right way).
    pub fix: &'static str,
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
        // `ALL` and the matches come from one table; two rules may still share a name by mistake.
        assert_eq!(names.len(), Rule::ALL.len());
        assert!(names.iter().all(|n| n
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')));
    }
}
