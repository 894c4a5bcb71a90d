//! Which rules a run reports: `--select`, `--extend-select` and `--ignore` (ruff's flags), read
//! against the rule names. A selector is a rule's name, a prefix ending in `*` (`conflict-*`), or
//! `all`. As in ruff, the most specific selector naming a rule decides for it (a name over a
//! prefix, a longer prefix over a shorter one, any of them over `all`); between an equally
//! specific select and ignore, ignore wins. Without `--select` every rule is selected, as by a
//! bare `all`.
//!
//! A rule named by `--select` or `--extend-select` (by name or prefix; `all` names none) runs
//! even where the configuration turned it `off`: the command line is the later word (ruff's
//! order too). A configured level still sets its severity.

use crate::diagnostic::{Finding, Rule, RuleLevels};

/// One selector as written: a rule name, `prefix-*`, or `all`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    /// The rules it names.
    rules: Vec<Rule>,
    /// How specific it is: `all` 0, a prefix its length + 1, a name `usize::MAX`.
    specificity: usize,
}

impl Selector {
    /// The rules it names.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Read one selector.
    ///
    /// # Errors
    /// When it names no rule: the message says so and suggests the nearest name.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") || text == "*" {
            return Ok(Self {
                rules: Rule::ALL.to_vec(),
                specificity: 0,
            });
        }
        if let Some(prefix) = text.strip_suffix('*').filter(|p| !p.is_empty()) {
            let rules: Vec<Rule> = Rule::ALL
                .iter()
                .copied()
                .filter(|r| r.name().starts_with(prefix))
                .collect();
            if rules.is_empty() {
                return Err(format!(
                    "`{text}` matches no rule{}",
                    suggestion(prefix, Rule::ALL.iter().map(|r| r.name()))
                ));
            }
            return Ok(Self {
                rules,
                specificity: prefix.len() + 1,
            });
        }
        match Rule::from_name(text) {
            Some(rule) => Ok(Self {
                rules: vec![rule],
                specificity: usize::MAX,
            }),
            None => Err(format!(
                "`{text}` is not a rule{}",
                suggestion(text, Rule::ALL.iter().map(|r| r.name()))
            )),
        }
    }
}

/// The selection a command line makes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// `--select` (replaces the default `all`), or `None`.
    pub select: Option<Vec<Selector>>,
    /// `--extend-select`: added to the selection.
    pub extend_select: Vec<Selector>,
    /// `--ignore`: taken from it.
    pub ignore: Vec<Selector>,
}

/// What the selection says of one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Not reported.
    Ignored,
    /// Reported unless the configuration turns it off (selected by default).
    Default,
    /// Named on the command line: reported even where the configuration turns it off.
    Named,
}

impl Selection {
    /// Whether the command line selects anything at all (no flags: every rule as configured).
    #[must_use]
    pub fn is_default(&self) -> bool {
        self.select.is_none() && self.extend_select.is_empty() && self.ignore.is_empty()
    }

    /// What the selection says of `rule`.
    #[must_use]
    pub fn choice(&self, rule: Rule) -> Choice {
        let best = |selectors: &[Selector]| {
            selectors
                .iter()
                .filter(|s| s.rules.contains(&rule))
                .map(|s| s.specificity)
                .max()
        };
        let selected = match &self.select {
            Some(select) => best(select).max(best(&self.extend_select)),
            None => best(&self.extend_select),
        };
        let ignored = best(&self.ignore);
        match (selected, ignored) {
            (Some(s), Some(i)) if i >= s => Choice::Ignored,
            // `all` selects; it names no rule in particular.
            (Some(0), _) => Choice::Default,
            (Some(_), _) => Choice::Named,
            (None, Some(_)) => Choice::Ignored,
            (None, None) if self.select.is_some() => Choice::Ignored,
            (None, None) => Choice::Default,
        }
    }

    /// Whether any of `rules` may be reported.
    #[must_use]
    pub fn any_of(&self, rules: &[Rule]) -> bool {
        rules.iter().any(|&r| self.choice(r) != Choice::Ignored)
    }
}

/// Drop the findings of rules the selection leaves out; the others take their configured level
/// (a rule named on the command line that the configuration turns off keeps the severity its
/// check gave, as if unconfigured: `off` is no severity, and a check may lower its rule's default
/// on thin evidence).
pub fn apply(selection: &Selection, levels: &RuleLevels, findings: &mut Vec<Finding>) {
    findings.retain_mut(|finding| match selection.choice(finding.rule) {
        Choice::Ignored => false,
        Choice::Default => levels.apply_one(finding),
        Choice::Named => {
            // Off or not, a named rule's finding stays; a configured severity still applies.
            let _configured = levels.apply_one(finding);
            true
        }
    });
}

/// Read a comma-separated list of selectors (the flags may also be repeated).
///
/// # Errors
/// When one names no rule.
pub fn parse_list(text: &str) -> Result<Vec<Selector>, String> {
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(Selector::parse)
        .collect()
}

/// `; did you mean `x`?` for the candidate nearest `text`, when one is near (the edit distance
/// clap uses for subcommands: a Jaro similarity above 0.7).
#[must_use]
pub fn suggestion<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(text, candidates).map_or_else(String::new, |c| format!("; did you mean `{c}`?"))
}

/// The candidate nearest `text`, when one is near enough to be a slip of the hand.
#[must_use]
pub fn nearest<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro(text, c), c))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(select: Option<&str>, extend: &str, ignore: &str) -> Selection {
        Selection {
            select: select.map(|s| parse_list(s).expect("valid")),
            extend_select: parse_list(extend).expect("valid"),
            ignore: parse_list(ignore).expect("valid"),
        }
    }

    fn reported(selection: &Selection) -> Vec<&'static str> {
        Rule::ALL
            .iter()
            .filter(|&&r| selection.choice(r) != Choice::Ignored)
            .map(|r| r.name())
            .collect()
    }

    #[test]
    fn no_flags_select_every_rule_by_default() {
        let none = Selection::default();
        assert!(none.is_default());
        assert!(Rule::ALL.iter().all(|&r| none.choice(r) == Choice::Default));
    }

    #[test]
    fn select_replaces_and_extend_select_adds() {
        let only = selection(Some("conflict-*"), "", "");
        assert_eq!(
            reported(&only),
            ["conflict-marker", "conflict-marker-in-code"]
        );
        assert_eq!(only.choice(Rule::ConflictMarker), Choice::Named);
        let more = selection(Some("conflict-*"), "mojibake,broken-conflict", "");
        assert_eq!(
            reported(&more),
            [
                "conflict-marker",
                "broken-conflict",
                "conflict-marker-in-code",
                "mojibake"
            ]
        );
        // Without --select, --extend-select names rules on top of the default.
        let extended = selection(None, "mojibake", "");
        assert_eq!(extended.choice(Rule::Mojibake), Choice::Named);
        assert_eq!(extended.choice(Rule::ConflictMarker), Choice::Default);
    }

    #[test]
    fn the_most_specific_selector_decides_and_ignore_wins_a_tie() {
        let s = selection(Some("conflict-marker"), "", "conflict-*");
        assert_eq!(reported(&s), ["conflict-marker"]);
        let s = selection(Some("conflict-*"), "", "conflict-marker-in-code");
        assert_eq!(reported(&s), ["conflict-marker"]);
        let s = selection(Some("mojibake"), "", "mojibake");
        assert!(reported(&s).is_empty());
        let s = selection(Some("all"), "", "conflict-marker-*");
        assert!(!reported(&s).contains(&"conflict-marker-in-code"));
        assert!(reported(&s).contains(&"conflict-marker"));
        let s = selection(None, "", "all");
        assert!(reported(&s).is_empty());
    }

    #[test]
    fn unknown_selectors_are_errors_with_a_suggestion() {
        assert_eq!(
            Selector::parse("conflict-markers"),
            Err("`conflict-markers` is not a rule; did you mean `conflict-marker`?".to_owned())
        );
        assert_eq!(
            Selector::parse("schema-*"),
            Err("`schema-*` matches no rule".to_owned())
        );
        assert_eq!(
            Selector::parse("mojibak"),
            Err("`mojibak` is not a rule; did you mean `mojibake`?".to_owned())
        );
        assert!(Selector::parse("ALL").is_ok());
        assert!(parse_list("conflict-marker, mojibake,").is_ok());
    }
}
