//! What each rule checks, why, an example and the fix: `mergemark rules`, `mergemark explain`,
//! and the rule descriptions of the SARIF output all read from here. The text itself is written
//! in the rule table of [`crate::diagnostic`], beside each rule's name and default severity.

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

/// The documentation of `rule` (written beside the rule, in `crate::diagnostic`'s rule table).
#[must_use]
pub const fn doc(rule: Rule) -> RuleDoc {
    rule.doc()
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
