//! Suppression comments: `<!-- mergemark-disable RULE... -->`, `<!-- mergemark-enable RULE... -->`,
//! `<!-- mergemark-disable-next-line RULE... -->` and `<!-- mergemark-disable-file RULE... -->`
//! (anywhere in the file, for all of it, as markdownlint's and rumdl's); no rule names: every
//! rule. In files whose comments are lines (AsciiDoc), `// mergemark-disable-next-line RULE...`
//! and the others too.
//!
//! They are read from clean text only: a comment inside a conflict side is one version of the file
//! and suppresses nothing. A name that is no rule suppresses nothing and is reported
//! (`unknown-rule-in-comment`): a misspelt suppression would otherwise fail silently.

use std::sync::LazyLock;

use regex::bytes::Regex;

use crate::diagnostic::Rule;
use crate::span::{LineIndex, Span};

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"<!--\s*mergemark-(disable-next-line|disable-file|disable|enable)((?:[\s,]+[^\s,]+?)*?)[\s,]*-->",
    )
    .expect("the directive pattern is valid")
});

/// The same directive as an AsciiDoc line comment (`// mergemark-disable-next-line ...`): a
/// whole line. In Markdown it is text, and the comment filter drops it.
static LINE_DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^[ \t]*//[ \t]*mergemark-(disable-next-line|disable-file|disable|enable)((?:[ \t,]+[^\s,]+)*)[ \t,]*\r?$",
    )
    .expect("the line directive pattern is valid")
});

/// One name in a directive's list: anything between spaces and commas, judged as `--select`
/// judges its names (a rule, `prefix-*`, `all`), so that a misspelling is reported, not read
/// as no directive at all.
static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\s,]+").expect("the name pattern is valid"));

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Disable,
    Enable,
    DisableNextLine,
    DisableFile,
}

#[derive(Clone, Debug)]
struct Directive {
    /// 0-based line of the comment.
    line: usize,
    action: Action,
    /// The rules it names, one bit each (in `Rule::ALL` order); every bit: every rule.
    rules: u32,
}

/// The suppression directives of one file, ready to answer in logarithmic time (a file of
/// thousands of comments and thousands of findings stays linear).
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    /// `disable` and `enable` directives, in file order.
    ranges: Vec<Directive>,
    /// `after[i]`: the rules disabled once the first `i` of `ranges` have applied.
    after: Vec<u32>,
    /// `disable-next-line` directives, by the line they cover.
    next_line: std::collections::HashMap<usize, u32>,
    /// The rules a `disable-file` directive turns off everywhere.
    whole_file: u32,
    /// Names in directives that are no rule: where each is, and the name.
    pub unknown: Vec<(Span, String)>,
}

/// The bit of `rule` in a directive's rule set.
fn bit(rule: Rule) -> u32 {
    Rule::ALL
        .iter()
        .position(|r| *r == rule)
        .map_or(0, |i| 1 << i)
}

impl Suppressions {
    /// Collect the directives found in the clean-text `spans` of `input`; with `comments` (a
    /// Markdown file's real HTML comments, by where they start), only those that are one of them:
    /// a directive shown as code or written as text is an example, not an instruction.
    #[must_use]
    pub fn collect(
        input: &[u8],
        spans: impl IntoIterator<Item = Span>,
        comments: Option<&[usize]>,
        index: &LineIndex,
    ) -> Self {
        let mut directives = Vec::new();
        let mut unknown = Vec::new();
        for span in spans {
            let text = span.slice(input);
            if memchr::memmem::find(text, b"mergemark-").is_none() {
                continue;
            }
            let all = DIRECTIVE
                .captures_iter(text)
                .chain(LINE_DIRECTIVE.captures_iter(text));
            for caps in all {
                let whole = caps.get(0).expect("group 0 always matches");
                let at = span.start + whole.start();
                if comments.is_some_and(|starts| starts.binary_search(&at).is_err()) {
                    continue;
                }
                let action = match &caps[1] {
                    b"disable" => Action::Disable,
                    b"enable" => Action::Enable,
                    b"disable-file" => Action::DisableFile,
                    _ => Action::DisableNextLine,
                };
                let list = caps.get(2).expect("the names group always takes part");
                let names = NAME
                    .find_iter(list.as_bytes())
                    .map(|m| (span.start + list.start() + m.start(), m.as_bytes()));
                let mut any = false;
                let mut rules = 0;
                // `-- why` ends the names (ESLint's way to give a reason).
                for (start, name) in names.take_while(|(_, name)| *name != b"--") {
                    any = true;
                    let name = String::from_utf8_lossy(name);
                    match crate::selection::Selector::parse(&name) {
                        Ok(selector) => {
                            rules |= selector.rules().iter().fold(0, |bits, &r| bits | bit(r));
                        }
                        // Unknown names select nothing rather than everything.
                        Err(_) => {
                            unknown.push((Span::new(start, start + name.len()), name.into_owned()))
                        }
                    }
                }
                if !any {
                    rules = u32::MAX;
                }
                directives.push(Directive {
                    line: index.line_of(at),
                    action,
                    rules,
                });
            }
        }
        let mut suppressions = Self::from_directives(directives);
        suppressions.unknown = unknown;
        suppressions
    }

    fn from_directives(directives: Vec<Directive>) -> Self {
        let mut next_line = std::collections::HashMap::new();
        let mut ranges = Vec::new();
        let mut whole_file = 0;
        for directive in directives {
            match directive.action {
                Action::DisableNextLine => {
                    *next_line.entry(directive.line + 1).or_insert(0) |= directive.rules;
                }
                Action::DisableFile => whole_file |= directive.rules,
                Action::Disable | Action::Enable => ranges.push(directive),
            }
        }
        let mut after = vec![0];
        let mut disabled = 0;
        for directive in &ranges {
            match directive.action {
                Action::Disable => disabled |= directive.rules,
                _ => disabled &= !directive.rules,
            }
            after.push(disabled);
        }
        Self {
            ranges,
            after,
            next_line,
            whole_file,
            unknown: Vec::new(),
        }
    }

    /// Whether `rule` is suppressed for a finding that starts on 0-based `line`: the directives
    /// of earlier lines apply in file order, and a `disable` on the line itself too (a finding on
    /// the comment's own line is a whole-file one: missing sections are reported on line 1).
    #[must_use]
    pub fn is_suppressed(&self, rule: Rule, line: usize) -> bool {
        let bit = bit(rule);
        if self.whole_file & bit != 0 {
            return true;
        }
        if self
            .next_line
            .get(&line)
            .is_some_and(|rules| rules & bit != 0)
        {
            return true;
        }
        let earlier = self.ranges.partition_point(|d| d.line < line);
        let mut disabled = self.after[earlier];
        for directive in self.ranges[earlier..].iter().take_while(|d| d.line == line) {
            if directive.action == Action::Disable {
                disabled |= directive.rules;
            }
        }
        disabled & bit != 0
    }

    /// Whether the file has any directive.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty() && self.next_line.is_empty() && self.whole_file == 0
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
            None,
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

    #[test]
    fn disable_file_applies_everywhere_wherever_it_is() {
        let s = suppressions("a\nb\n<!-- mergemark-disable-file mojibake -->\nc\n");
        assert!(!s.is_empty());
        for line in 0..5 {
            assert!(s.is_suppressed(Rule::Mojibake, line));
            assert!(!s.is_suppressed(Rule::ConflictMarker, line));
        }
        let s = suppressions("x\n// mergemark-disable-file\n");
        assert!(s.is_suppressed(Rule::ConflictMarker, 0));
        // `disable-file` is not `disable` with a rule called `-file`.
        let s = suppressions("<!-- mergemark-disable-file -->\n");
        assert!(s.unknown.is_empty());
    }

    #[test]
    fn unknown_names_are_kept_with_their_place() {
        let text = "x\n<!-- mergemark-disable mojibake, conflict-markers nope -->\n";
        let s = suppressions(text);
        let names: Vec<(&str, &str)> = s
            .unknown
            .iter()
            .map(|(span, name)| (&text[span.start..span.end], name.as_str()))
            .collect();
        assert_eq!(
            names,
            [("conflict-markers", "conflict-markers"), ("nope", "nope")]
        );
        assert!(s.is_suppressed(Rule::Mojibake, 2));
    }

    /// The indexed answer is the file-order fold of every directive, for random directive lists
    /// (several on one line included).
    #[test]
    fn indexed_answers_equal_the_plain_fold() {
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % n
        };
        for _ in 0..300 {
            let mut directives = Vec::new();
            let mut line = 0;
            for _ in 0..next(12) {
                line += usize::try_from(next(3)).expect("small");
                let action = [Action::Disable, Action::Enable, Action::DisableNextLine]
                    [usize::try_from(next(3)).expect("small")];
                let rules = [
                    u32::MAX,
                    bit(Rule::ConflictMarker),
                    bit(Rule::MissingSection),
                ][usize::try_from(next(3)).expect("small")];
                directives.push(Directive {
                    line,
                    action,
                    rules,
                });
            }
            let plain = |rule: Rule, at: usize| {
                let mut disabled = false;
                for d in &directives {
                    if d.rules & bit(rule) == 0 {
                        continue;
                    }
                    match d.action {
                        Action::Disable if d.line <= at => disabled = true,
                        Action::Enable if d.line < at => disabled = false,
                        Action::DisableNextLine if d.line + 1 == at => return true,
                        _ => {}
                    }
                }
                disabled
            };
            let indexed = Suppressions::from_directives(directives.clone());
            for at in 0..line + 3 {
                for rule in [Rule::ConflictMarker, Rule::MissingSection, Rule::Mojibake] {
                    assert_eq!(
                        indexed.is_suppressed(rule, at),
                        plain(rule, at),
                        "{directives:?} {rule:?} {at}"
                    );
                }
            }
        }
    }
}
