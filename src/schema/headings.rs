//! Markdownlint's MD043 (`required-headings`) `headings` list as a shorthand for a document's
//! heading structure: entries like `"## Title"`, plus `"*"` (zero or more other headings), `"+"`
//! (one or more), `"?"` (exactly one).
//!
//! The walk below is markdownlint's own (greedy, one error at most, a missing tail reported at the
//! last line), so a configuration moved over from markdownlint gives the same verdicts.

use crate::markdown::outline::{HeadingKind, Outline};

/// One entry of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// `"## Title"`: a heading of that level and text.
    Heading(String),
    /// `"*"`.
    ZeroOrMore,
    /// `"+"`.
    OneOrMore,
    /// `"?"`.
    One,
}

impl Expected {
    /// Read one entry.
    ///
    /// # Errors
    /// When the entry is neither a wildcard nor `#`-prefixed heading text.
    pub fn parse(entry: &str) -> Result<Self, String> {
        match entry {
            "*" => Ok(Self::ZeroOrMore),
            "+" => Ok(Self::OneOrMore),
            "?" => Ok(Self::One),
            text if text.starts_with('#') && text.trim_start_matches('#').starts_with(' ') => {
                let level = text.len() - text.trim_start_matches('#').len();
                if level > 6 {
                    return Err(format!("`{text}`: a heading has at most 6 `#`"));
                }
                Ok(Self::Heading(text.to_owned()))
            }
            other => Err(format!(
                "`{other}` is not `*`, `+`, `?` or a heading such as `## Title`"
            )),
        }
    }

    fn text(&self) -> &str {
        match self {
            Self::Heading(text) => text,
            Self::ZeroOrMore => "*",
            Self::OneOrMore => "+",
            Self::One => "?",
        }
    }
}

/// Where the structure first departs from the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// Heading `index` of the outline is not the one expected.
    Unexpected {
        /// Index into `outline.sections`.
        index: usize,
        /// What was expected (`[None]` past the end of the list).
        expected: String,
        /// What was found, as `## Text`.
        actual: String,
    },
    /// The document ends before the list does; `expected` is the first entry not seen.
    MissingAtEnd {
        /// The first entry not matched.
        expected: String,
    },
}

/// Walk the document's headings against `list`.
#[must_use]
pub fn check(list: &[Expected], outline: &Outline, match_case: bool) -> Option<Mismatch> {
    let fold = |s: &str| {
        if match_case {
            s.to_owned()
        } else {
            s.to_lowercase()
        }
    };
    let mut i = 0usize;
    let mut match_any = false;
    let mut any_headings = false;
    let next = |i: &mut usize| {
        let entry = list.get(*i).map_or("[None]", Expected::text).to_owned();
        *i += 1;
        entry
    };
    for (index, heading) in outline.sections.iter().enumerate() {
        if heading.kind != HeadingKind::Markdown {
            continue;
        }
        any_headings = true;
        let actual = format!(
            "{} {}",
            "#".repeat(usize::from(heading.level)),
            heading.title
        );
        let expected = next(&mut i);
        match expected.as_str() {
            "*" => {
                let following = next(&mut i);
                if fold(&following) != fold(&actual) {
                    match_any = true;
                    i -= 1;
                }
            }
            "+" => match_any = true,
            "?" => {}
            _ if fold(&expected) == fold(&actual) => match_any = false,
            _ if match_any => i -= 1,
            _ => {
                return Some(Mismatch::Unexpected {
                    index,
                    expected,
                    actual,
                })
            }
        }
    }
    let left = list.len().saturating_sub(i);
    let all_optional = list.iter().all(|e| *e == Expected::ZeroOrMore);
    let tail_missing = left > 1 || (left == 1 && list[i] != Expected::ZeroOrMore);
    (tail_missing && (any_headings || !all_optional)).then(|| Mismatch::MissingAtEnd {
        expected: list[i.min(list.len() - 1)].text().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::outline::build;

    fn run(list: &[&str], text: &str) -> Option<Mismatch> {
        let list: Vec<Expected> = list
            .iter()
            .map(|e| Expected::parse(e).expect("valid"))
            .collect();
        check(&list, &build(text), false)
    }

    const DOC: &str = "# One\n\n## Two\n\n### THREE\n\n## four\n\n## Five\n\n### SiX\n\n#### 7\n";

    #[test]
    fn wildcards() {
        assert_eq!(
            run(
                &["# One", "*", "### Three", "*", "### Six", "*", "#### 7"],
                DOC
            ),
            None
        );
        assert_eq!(
            run(
                &["# One", "*", "### Three", "*", "### FOO", "*", "#### 7"],
                DOC
            ),
            Some(Mismatch::MissingAtEnd {
                expected: "### FOO".to_owned()
            })
        );
        assert_eq!(run(&["+"], DOC), None);
        assert_eq!(run(&["*"], "no headings\n"), None);
        assert_eq!(
            run(&["+"], "no headings\n"),
            Some(Mismatch::MissingAtEnd {
                expected: "+".to_owned()
            })
        );
    }

    #[test]
    fn first_mismatch_is_reported() {
        let found = run(&["# One", "## Two"], "## Two\n");
        assert_eq!(
            found,
            Some(Mismatch::Unexpected {
                index: 0,
                expected: "# One".to_owned(),
                actual: "## Two".to_owned()
            })
        );
        assert!(Expected::parse("Title").is_err());
    }
}
