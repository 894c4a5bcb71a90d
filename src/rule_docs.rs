//! What each rule checks, why, an example and the fix: `mergemark rules`, `mergemark explain`,
//! and the rule descriptions of the SARIF output all read from here.

use crate::diagnostic::Rule;

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

/// The documentation of `rule`.
#[must_use]
#[allow(clippy::too_many_lines)] // one entry per rule, text only
pub const fn doc(rule: Rule) -> RuleDoc {
    match rule {
        Rule::ConflictMarker => RuleDoc {
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
        },
        Rule::BrokenConflict => RuleDoc {
            summary: "A half-resolved conflict: a lone, unterminated or out-of-order marker.",
            description: "A start marker that never ends, an end or base marker with no start, a \
                block without its ======= separator, or a base marker after the separator. These \
                are what is left when a conflict was resolved by hand and a marker line was \
                forgotten; the text around them may mix both sides.",
            example: "Timeline\n- 10:02 alert fired\n>>>>>>> origin/main\n",
            fix: "Read the lines around the marker, make sure only the intended version remains, \
                and delete the marker line.",
        },
        Rule::ConflictMarkerInCode => RuleDoc {
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
        },
        Rule::UnmergedPath => RuleDoc {
            summary: "The Git index lists the path as unmerged.",
            description: "A merge, rebase, cherry-pick or revert stopped on this path and it has \
                not been marked resolved: the index still holds its stages 1/2/3. This is \
                reported in every scope, straight from the index, even when the markers were \
                deleted by hand or the file is binary; Git refuses to commit until it is settled.",
            example: "$ git merge topic\nCONFLICT (content): Merge conflict in postmortem.md\n",
            fix: "Resolve the file (`mergemark resolve postmortem.md`), then `git add` it \
                (`mergemark resolve --add` does both), or `git rm` it to accept a deletion.",
        },
        Rule::MissingSection => RuleDoc {
            summary: "A section the document's schema requires is absent.",
            description: "Documents with a schema (the built-in incident postmortem, or one in \
                mergemark.toml) must have each required section, under a heading. Section titles \
                match without regard to case, numbering, punctuation or emoji.",
            example: "# Checkout outage\n## Timeline\n- 09:40 UTC: deploy\n",
            fix: "Add the section under a heading (the message names it and what it must say); \
                `mergemark schema show postmortem` prints the whole schema.",
        },
        Rule::EmptySection => RuleDoc {
            summary: "A required section has a heading but no content.",
            description: "A heading with nothing under it but blank lines (or only \
                subheadings) passes a glance but tells the reader nothing.",
            example: "## Root Cause and Resolution\n\n## Corrective and Preventative Measures\n",
            fix: "Write the section, or remove the document from the schema's files if it is \
                not that kind of document.",
        },
        Rule::IncompleteSection => RuleDoc {
            summary: "A section lacks a fact its schema requires.",
            description: "A schema can require facts in a section (a duration, start and end \
                times with a time zone, the impact, the root cause), a number of timestamped \
                entries, or a number of list items. Each missing one is a finding, naming what \
                is expected with an example.",
            example: "## Issue Summary\nThe checkout page was slow.\n",
            fix: "Add what the message names, e.g. `Duration: 2 hours 30 minutes` or \
                `Start: 2024-03-01 09:40 UTC`.",
        },
        Rule::SectionOrder => RuleDoc {
            summary: "Sections are not in the schema's order.",
            description: "Readers of many documents of one kind find things faster when the \
                sections come in the same order.",
            example: "## Timeline\n...\n## Issue Summary\n...\n",
            fix: "Move the section to where the schema puts it.",
        },
        Rule::DuplicateSection => RuleDoc {
            summary: "A section that is not repeatable appears twice.",
            description: "Often a leftover of a merge in which both sides added the same section.",
            example: "## Timeline\n- 09:40 UTC: deploy\n## Timeline\n- 09:41 UTC: alert\n",
            fix: "Merge the two sections into one.",
        },
        Rule::DurationMismatch => RuleDoc {
            summary: "The stated duration disagrees with the start and end times.",
            description: "When a summary states a duration and both a start and an end time, \
                they must agree (within a minute). A mismatch usually means one was edited and \
                the other forgotten, or a merge took one from each side.",
            example: "Duration: 45 minutes\nStart: 09:40 UTC\nEnd: 11:10 UTC\n",
            fix: "Correct whichever is wrong; the message shows the duration the times give.",
        },
        Rule::TimelineOrder => RuleDoc {
            summary: "Timeline entries are not in chronological order.",
            description: "Entries of a timestamped section must not go back in time (a change of \
                day is recognised when times wrap past midnight or dates are given).",
            example: "- 10:15 UTC: rollback\n- 09:40 UTC: deploy\n",
            fix: "Reorder the entries, or correct the time that is wrong.",
        },
        Rule::PlaceholderText => RuleDoc {
            summary: "A placeholder (TBD, TODO:, XX:XX, ...) is left in the text.",
            description: "Templates leave placeholders that are easy to miss in review.",
            example: "Root cause: TBD\n",
            fix: "Replace the placeholder with the real content.",
        },
        Rule::SectionNotHeading => RuleDoc {
            summary: "A section is named by a bold or plain line instead of a heading.",
            description: "A line like **Timeline** looks like a heading but is not one: tables of \
                contents, anchors and outline tools do not see it, and the schema cannot find the \
                section.",
            example: "**Timeline**\n- 09:40 UTC: deploy\n",
            fix: "Make it a heading: `## Timeline`.",
        },
        Rule::HeadingStructure => RuleDoc {
            summary: "The headings depart from a required structure (markdownlint MD043).",
            description: "A schema can require an exact list of headings, in markdownlint's MD043 \
                syntax (`*` any number of headings, `+` at least one, `?` exactly one).",
            example: "# Title\n## Details\n(where the schema requires `# Title`, `## Summary`)\n",
            fix: "Rename, add or move headings to follow the structure the message shows.",
        },
        Rule::Mojibake => RuleDoc {
            summary: "UTF-8 text decoded as Windows-1252 and encoded again.",
            description: "Copying between tools with the wrong encoding turns ’ into â€™ and 💪 \
                into ðŸ’ª. Only sequences that cannot be intended text are reported; inline code \
                is left alone.",
            example: "Weâ€™re back\n",
            fix: "Replace the sequence with the suggestion (the text it was).",
        },
        Rule::NotUtf8 => RuleDoc {
            summary: "A Markdown file that is not valid UTF-8.",
            description: "Markdown tools, renderers and this checker expect UTF-8; other \
                encodings render as replacement characters. Conflict markers are still found \
                (they are ASCII).",
            example: "(a file saved as Latin-1: caf\\xe9)\n",
            fix: "Convert the file to UTF-8 (e.g. `iconv -f latin1 -t utf-8`).",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented() {
        for rule in Rule::ALL {
            let doc = doc(*rule);
            assert!(doc.summary.ends_with('.'), "{rule}");
            assert!(!doc.description.is_empty() && !doc.example.is_empty() && !doc.fix.is_empty());
        }
    }
}
