//! What each rule checks, why, an example and the fix: `mergemark rules`, `mergemark explain`,
//! and the rule descriptions of the SARIF output all read from here. The text itself is written
//! in the rule table of [`crate::diagnostic`], beside each rule's name and default severity.

use crate::diagnostic::Rule;
pub use crate::diagnostic::RuleDoc;

/// The documentation of `rule` (written beside the rule, in `crate::diagnostic`'s rule table).
#[must_use]
pub const fn doc(rule: Rule) -> RuleDoc {
    rule.doc()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::{self, Settings};
    use crate::lint::{check_file, FileContext, Prefilter};

    #[test]
    fn every_rule_is_documented() {
        for rule in Rule::ALL {
            let doc = doc(*rule);
            assert!(doc.summary.ends_with('.'), "{rule}");
            assert!(!doc.description.is_empty() && !doc.example.is_empty() && !doc.fix.is_empty());
        }
    }

    /// What an example needs besides its text to show its rule.
    enum Setting {
        /// Nothing: it is the text of a Markdown file named `postmortem.md` (so the built-in
        /// schema applies), checked with the default configuration.
        Postmortem,
        /// The same file, checked with this `mergemark.toml`.
        Configured(&'static str),
        /// No file's bytes show it, for this reason.
        NotFromBytes(&'static str),
    }

    /// Every rule's example is a Markdown file unless listed here: a new rule gets no exemption
    /// by default.
    fn setting(rule: Rule) -> Setting {
        match rule {
            Rule::UnmergedPath => Setting::NotFromBytes(
                "reported from the Git index's conflict stages whatever the file holds; the \
                 integration tests (scopes, promises) stop real merges on a path",
            ),
            Rule::HeadingStructure => Setting::Configured(
                "[[schema]]\nname = \"titled\"\nfiles = [\"*.md\"]\n\
                 headings = [\"# Title\", \"## Summary\"]\n",
            ),
            _ => Setting::Postmortem,
        }
    }

    /// The example's bytes: the docs show a byte that is not UTF-8 as `\xHH`.
    fn example_bytes(example: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(example.len());
        let mut rest = example.as_bytes();
        while let Some((&first, tail)) = rest.split_first() {
            let escaped = (first == b'\\' && tail.first() == Some(&b'x'))
                .then(|| tail.get(1..3))
                .flatten()
                .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
            match escaped {
                Some(byte) => {
                    bytes.push(byte);
                    rest = &tail[3..];
                }
                None => {
                    bytes.push(first);
                    rest = tail;
                }
            }
        }
        bytes
    }

    /// The rules the real pipeline (prefilter, `check_file`, configured levels) reports for
    /// `bytes` as the Markdown file `postmortem.md`.
    fn rules_found(bytes: &[u8], settings: &Settings) -> Vec<Rule> {
        findings(bytes, settings).iter().map(|f| f.rule).collect()
    }

    /// The findings the real pipeline reports for `bytes` as `postmortem.md`.
    fn findings(bytes: &[u8], settings: &Settings) -> Vec<crate::diagnostic::Finding> {
        let context = FileContext {
            markdown: true,
            ..FileContext::default()
        };
        let may_have_markers = Prefilter::new(context.marker_size).may_match(bytes);
        let mut findings = check_file(
            bytes,
            &context,
            "postmortem.md",
            &settings.schemas,
            may_have_markers,
        );
        settings.levels.apply(&mut findings);
        findings
    }

    #[test]
    fn every_example_shows_its_rule() {
        let mut wrong = Vec::new();
        for &rule in Rule::ALL {
            let example = example_bytes(doc(rule).example);
            let settings = match setting(rule) {
                Setting::Postmortem => Settings::builtin(),
                Setting::Configured(toml) => config::parse(toml, Path::new("mergemark.toml"))
                    .unwrap_or_else(|e| panic!("{rule}'s configuration: {e:?}")),
                Setting::NotFromBytes(reason) => {
                    // An exemption that no longer holds is dropped, not kept out of habit.
                    let found = rules_found(&example, &Settings::builtin());
                    assert!(
                        !found.contains(&rule),
                        "{rule} is exempt ({reason}), yet its example shows it"
                    );
                    continue;
                }
            };
            let found = rules_found(&example, &settings);
            if !found.contains(&rule) {
                wrong.push(format!("{rule}: its example shows {found:?}"));
            }
            // A fixable rule's example is fixed by `check --fix`; no other rule offers a fix.
            let fixed = findings(&example, &settings)
                .iter()
                .any(|f| f.rule == rule && f.fix.is_some());
            if fixed != rule.fixable() {
                wrong.push(format!(
                    "{rule}: says fixable {}, its example has a fix: {fixed}",
                    rule.fixable()
                ));
            }
            // A rule that claims not to need a schema shows without one (a run that selects
            // none of the schema rules checks documents without their schema).
            let unschemed = Settings {
                schemas: crate::schema::SchemaSet::default(),
                levels: settings.levels,
                paths: settings.paths,
            };
            if !rule.needs_schema() && !rules_found(&example, &unschemed).contains(&rule) {
                wrong.push(format!(
                    "{rule}: needs a schema to show, yet says it does not"
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "examples that do not show their rule: {wrong:#?}"
        );
    }

    #[test]
    fn escaped_bytes_are_read_back() {
        assert_eq!(example_bytes(r"caf\xe9 \x \\x41"), b"caf\xe9 \\x \\A");
    }
}
