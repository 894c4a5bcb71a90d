//! Suppression comments: `<!-- mergemark-disable RULE... -->`, `<!-- mergemark-enable RULE... -->`
//! and `<!-- mergemark-disable-next-line RULE... -->` (no rule names: every rule).
//!
//! They are read from clean text only: a comment inside a conflict side is one version of the file
//! and suppresses nothing.

use std::sync::LazyLock;

use regex::bytes::Regex;

use crate::diagnostic::Rule;
use crate::span::{LineIndex, Span};

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"<!--\s*mergemark-(disable-next-line|disable|enable)((?:[\s,]+[a-z][a-z0-9-]*)*)\s*-->",
    )
    .expect("the directive pattern is valid")
});

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Disable,
    Enable,
    DisableNextLine,
}

#[derive(Clone, Debug)]
struct Directive {
    /// 0-based line of the comment.
    line: usize,
    action: Action,
    /// `None`: every rule.
    rules: Option<Vec<Rule>>,
}

/// The suppression directives of one file.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    directives: Vec<Directive>,
}

impl Suppressions {
    /// Collect the directives found in the clean-text `spans` of `input`, except those that lie in
    /// `shown` (code a document shows: a directive there is an example, not an instruction).
    #[must_use]
    pub fn collect(
        input: &[u8],
        spans: impl IntoIterator<Item = Span>,
        shown: &[Span],
        index: &LineIndex,
    ) -> Self {
        let mut directives = Vec::new();
        for span in spans {
            let text = span.slice(input);
            if memchr::memmem::find(text, b"mergemark-").is_none() {
                continue;
            }
            for caps in DIRECTIVE.captures_iter(text) {
                let whole = caps.get(0).expect("group 0 always matches");
                let at = span.start + whole.start();
                if shown.iter().any(|code| code.start <= at && at < code.end) {
                    continue;
                }
                let action = match &caps[1] {
                    b"disable" => Action::Disable,
                    b"enable" => Action::Enable,
                    _ => Action::DisableNextLine,
                };
                let names: Vec<&[u8]> = caps[2]
                    .split(|b| b.is_ascii_whitespace() || *b == b',')
                    .filter(|n| !n.is_empty())
                    .collect();
                let rules = if names.is_empty() {
                    None
                } else {
                    // Unknown names select nothing rather than everything.
                    Some(
                        names
                            .iter()
                            .filter_map(|n| std::str::from_utf8(n).ok().and_then(Rule::from_name))
                            .collect(),
                    )
                };
                directives.push(Directive {
                    line: index.line_of(at),
                    action,
                    rules,
                });
            }
        }
        Self { directives }
    }

    /// Whether `rule` is suppressed for a finding that starts on 0-based `line`.
    #[must_use]
    pub fn is_suppressed(&self, rule: Rule, line: usize) -> bool {
        let mut disabled = false;
        for directive in &self.directives {
            let applies = directive
                .rules
                .as_ref()
                .is_none_or(|rules| rules.contains(&rule));
            if !applies {
                continue;
            }
            match directive.action {
                // A finding on the comment's own line is a whole-file one (missing sections are
                // reported on line 1): a `disable` there covers it.
                Action::Disable if directive.line <= line => disabled = true,
                Action::Enable if directive.line < line => disabled = false,
                Action::DisableNextLine if directive.line + 1 == line => return true,
                _ => {}
            }
        }
        disabled
    }

    /// Whether the file has any directive.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suppressions(text: &str) -> Suppressions {
        let bytes = text.as_bytes();
        Suppressions::collect(
            bytes,
            [Span::new(0, bytes.len())],
            &[],
            &LineIndex::new(bytes),
        )
    }

    #[test]
    fn next_line_applies_to_one_line() {
        let s = suppressions("<!-- mergemark-disable-next-line conflict-marker -->\nx\ny\n");
        assert!(s.is_suppressed(Rule::ConflictMarker, 1));
        assert!(!s.is_suppressed(Rule::ConflictMarker, 2));
        assert!(!s.is_suppressed(Rule::BrokenConflict, 1));
    }

    #[test]
    fn disable_until_enable_and_all_rules() {
        let s = suppressions("<!-- mergemark-disable -->\na\n<!-- mergemark-enable -->\nb\n");
        assert!(s.is_suppressed(Rule::BrokenConflict, 1));
        assert!(!s.is_suppressed(Rule::BrokenConflict, 3));
    }

    #[test]
    fn unknown_rule_suppresses_nothing() {
        let s = suppressions("<!-- mergemark-disable missing-section -->\n# T\n");
        assert!(s.is_suppressed(Rule::MissingSection, 0));
        assert!(!s.is_suppressed(Rule::ConflictMarker, 0));
        let s = suppressions("<!-- mergemark-disable no-such-rule -->\na\n");
        assert!(!s.is_suppressed(Rule::ConflictMarker, 1));
    }
}
