//! Whether a document *is* one of a schema's kind, and on what evidence.
//!
//! A document that talks about postmortems is not a postmortem: a how-to, a template full of
//! placeholders and instructions, or the text of an assignment fail every section check while
//! being what they should be. So a schema applies by content only on evidence:
//!
//! - **strong**: at least `min-sections` of its sections are there (as headings or label lines),
//!   and the document names its kind (a detection word in the path or title) or tells clock
//!   times: findings keep their levels;
//! - **weak**: a detection word (a word of its own, plural or not) in the path or the title and
//!   at least one section, a title that says the word over 40 words of headed text, or two
//!   sections: findings are warnings (a configured `files` glob makes it strong);
//! - **none**: no section at all, or the document reads as a guide or template about the kind: a
//!   guide word in a title or file name that tells of no event, a blank in its title or three in
//!   its text, or instruction phrases ("this section should include") and guide headings
//!   ("Requirements"): two when it tells no clock times, four otherwise (six outweigh them).

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::LazyLock;

use regex::Regex;
use regex_automata::meta;

use super::fact_regex::{compile_without_prefilter, CaselessPrefixes};
use super::title::FnvBuild;
use super::{validate, Schema};
use crate::markdown::outline::Outline;
use crate::schema::clock::entry_time;

/// Why a schema applies to a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// A `files` glob of the configuration names the path.
    Glob,
    /// This many of the schema's sections (of `of`) are in the document.
    Sections {
        /// Sections found.
        found: usize,
        /// Sections the schema has.
        of: usize,
    },
    /// A detection word in the path (or the title), with this many sections found.
    Word {
        /// The word.
        word: String,
        /// Whether it is in the title (else the path).
        in_title: bool,
        /// Sections found.
        found: usize,
    },
}

/// A schema's claim on a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    /// What it rests on.
    pub evidence: Evidence,
    /// Whether findings keep their levels (else they are warnings).
    pub strong: bool,
}

impl Detection {
    /// A glob's claim: strong.
    #[must_use]
    pub fn by_glob() -> Self {
        Self {
            evidence: Evidence::Glob,
            strong: true,
        }
    }

    /// How strong the claim is, to choose among a conflicted file's versions: strong first,
    /// then the most sections found.
    #[must_use]
    pub fn weight(&self) -> (bool, usize) {
        let found = match &self.evidence {
            Evidence::Glob => usize::MAX,
            Evidence::Sections { found, .. } | Evidence::Word { found, .. } => *found,
        };
        (self.strong, found)
    }

    /// The reason, as a clause: "a glob in the configuration names it".
    #[must_use]
    pub fn reason(&self) -> String {
        let sections = |n: usize| match n {
            0 => "headings of its own".to_owned(),
            1 => "one of the sections".to_owned(),
            n => format!("{n} of the sections"),
        };
        match &self.evidence {
            Evidence::Glob => "a `files` glob in the configuration names it".to_owned(),
            Evidence::Sections { found, of } => {
                format!("{found} of its {of} sections are in this file")
            }
            Evidence::Word {
                word,
                in_title,
                found,
            } => format!(
                "its {} says `{word}` and it has {}",
                if *in_title { "title" } else { "path" },
                sections(*found)
            ),
        }
    }
}

impl Schema {
    /// Whether a document at `rel_path` with this text and outline is one of this schema's kind
    /// (see the module documentation), and on what evidence.
    #[must_use]
    pub fn detect(&self, rel_path: &str, text: &str, outline: &Outline) -> Option<Detection> {
        self.spec.detect.as_ref()?;
        let found = validate::sections_found(text, outline, self);
        self.detect_counted(rel_path, text, outline, found)
    }

    /// [`Schema::detect`], given how many of the schema's sections the document has (as
    /// validation counted them).
    #[must_use]
    pub fn detect_counted(
        &self,
        rel_path: &str,
        text: &str,
        outline: &Outline,
        found: usize,
    ) -> Option<Detection> {
        let detect = self.spec.detect.as_ref()?;
        if found == 0 && outline.sections.len() < 2 {
            return None;
        }
        // Counted once, when first asked: most documents never need it.
        let times = std::cell::LazyCell::new(|| concrete_times(text));
        let of = self.spec.sections.len();
        // Asked at most once, and only when the sections alone do not decide.
        let word = std::cell::LazyCell::new(|| {
            let title = title(text, outline);
            let said = |place: &str| {
                with_folded(place, |place| {
                    detect
                        .words
                        .iter()
                        .zip(&self.detect_words)
                        .find(|(_, folded)| says_word(place, folded))
                        .map(|(word, _)| word.clone())
                })
            };
            said(title)
                .map(|w| (w, true))
                .or_else(|| said(rel_path).map(|w| (w, false)))
        });
        // Enough sections make a report when it says what it is or tells when things happened:
        // an RFC with a summary, a `why`, a roadmap timeline and next steps is not one.
        let strong =
            detect.min_sections.is_some_and(|min| found >= min) && (word.is_some() || *times >= 2);
        // A title that names the kind, over a document with headings and text of its own (40
        // words), counts without a section of the schema: a report too incomplete to have any is
        // still one; a page with a title and a link is not.
        let structured =
            || outline.sections.len() >= 2 && text.split_whitespace().nth(39).is_some();
        let evidence = if strong {
            Evidence::Sections { found, of }
        } else if let Some((word, in_title)) = (*word)
            .clone()
            .filter(|(_, in_title)| found >= 1 || (*in_title && structured()))
        {
            Evidence::Word {
                word,
                in_title,
                found,
            }
        } else if found >= 2 {
            Evidence::Sections { found, of }
        } else {
            return None;
        };
        // Asked last, of a document with evidence: the guide's tests compile regexes and read
        // the whole text, which a README with one "Summary" heading should not pay for.
        if reads_as_guide(rel_path, text, outline, &times) {
            return None;
        }
        Some(Detection { evidence, strong })
    }
}

/// Lower case, `_` and `-` as spaces: `0x19-postmortem` says `postmortem`, `post_mortem` says
/// `post mortem`.
pub(super) fn fold(text: &str) -> String {
    text.to_lowercase().replace(['_', '-'], " ")
}

/// `f` of `text` as [`fold`] folds it; an ASCII text (nearly every title and path) is folded on
/// the stack: every walked path and the title of every document with evidence are folded.
pub(super) fn with_folded<T>(text: &str, f: impl FnOnce(&str) -> T) -> T {
    let mut stack = [0u8; 256];
    if !text.is_ascii() || text.len() > stack.len() {
        return f(&fold(text));
    }
    for (to, &from) in stack.iter_mut().zip(text.as_bytes()) {
        *to = match from {
            b'_' | b'-' => b' ',
            b => b.to_ascii_lowercase(),
        };
    }
    f(std::str::from_utf8(&stack[..text.len()]).expect("ASCII stays ASCII"))
}

/// Whether `place` (folded) says `word` (folded) as a word of its own, plural or not:
/// `incident reports/` says `incident report`, `incident reporting` does not.
fn says_word(place: &str, word: &str) -> bool {
    let bytes = place.as_bytes();
    place.match_indices(word).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let rest = &place[at + word.len()..];
        let rest = rest
            .strip_prefix("es")
            .or_else(|| rest.strip_prefix('s'))
            .unwrap_or(rest);
        !before.is_some_and(|b| b.is_ascii_alphabetic())
            && !rest.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
    })
}

/// The document's title: its first heading, else its first line of text.
fn title<'t>(text: &'t str, outline: &'t Outline) -> &'t str {
    if let Some(first) = outline.sections.first() {
        return &first.title;
    }
    let body = outline
        .front_matter
        .map_or(text, |f| &text[f.end.min(text.len())..]);
    body.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// Words that make a title or a file name a guide's: `How to write a postmortem`,
/// `postmortem-template.md`.
static GUIDE_TITLE: LazyLock<meta::Regex> = LazyLock::new(|| {
    compile_without_prefilter(
        r"(?i)\b(?:how[ _-]?(?:to|we)|guides?|guidelines|templates?|writing|tips|checklists?|best[ _-]practices?|list of|requirements|culture|instructions|tutorials?|handbook|playbook|samples?|examples?|format|structure|primer|anatomy|boilerplate|skeleton|form|process|policy|101)\b",
    )
    .expect("valid regex")
});

/// Words that tell of an event: a title with one is a report's, whatever else it says.
static EVENT: LazyLock<meta::Regex> = LazyLock::new(|| {
    compile_without_prefilter(
        r"(?i)\b(?:outages?|down|downtime|fail(?:ed|s|ure|ures|ing)?|broke|broken|errors?|degrad(?:ed|ation)|slow(?:down|ness)?|crash(?:ed|es)?|unavailable|breach|leak(?:ed)?|lost|stalled|expired)\b",
    )
    .expect("valid regex")
});

/// A one-word blank in a title: `# Incident: [Title]`.
static TITLE_BLANK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[[A-Za-z][A-Za-z ]{2,40}\](?:[^(\[:]|$)").expect("valid regex"));

/// The most heading titles a thread remembers the [`GUIDE_HEADING`] verdict of, and the longest.
const GUIDE_VERDICTS: usize = 4096;
const GUIDE_VERDICT_TITLE: usize = 128;

thread_local! {
    /// Whether a heading title is a guide's, by title: the documents of a tree share most of
    /// their headings, and a title is tested more cheaply by looking it up than by the regex.
    static GUIDE_HEADINGS: RefCell<HashMap<Box<str>, bool, FnvBuild>> = RefCell::default();
}

/// Whether the heading title `title` is one a guide or an assignment has ([`GUIDE_HEADING`]).
fn is_guide_heading(title: &str) -> bool {
    if title.len() > GUIDE_VERDICT_TITLE {
        return GUIDE_HEADING.is_match(title);
    }
    GUIDE_HEADINGS.with_borrow_mut(|known| {
        if let Some(&guide) = known.get(title) {
            return guide;
        }
        let guide = GUIDE_HEADING.is_match(title);
        if known.len() == GUIDE_VERDICTS {
            known.clear();
        }
        known.insert(title.into(), guide);
        guide
    })
}

/// Headings a guide or an assignment has and a report does not.
static GUIDE_HEADING: LazyLock<meta::Regex> = LazyLock::new(|| {
    compile_without_prefilter(
        r"(?i)\b(?:how[ -]to|guidelines?|templates?|tips|requirements|instructions|resources|questions to|checklists?|best practices)\b",
    )
    .expect("valid regex")
});

/// Phrases that tell the reader what to write ("this section should include", "you should",
/// "describe what"), then blanks written as patterns (`YYYY-MM-DD`, `hh:mm`). Literal words
/// with their capitals spelt out (not `(?i)`), so that its matches start with fixed prefixes:
/// searched for where those start (see [`CaselessPrefixes`]), a pass that costs little beside
/// the outline.
static PHRASES: LazyLock<CaselessPrefixes> =
    LazyLock::new(|| CaselessPrefixes::new(PHRASE_PATTERN).expect("valid regex"));

/// The pattern of [`PHRASES`].
const PHRASE_PATTERN: &str = concat!(
    r"\b(?:[Mm]ust|[Ss]hould|[Ww]ill|[Mm]ight|[Mm]ay|[Cc]an) ",
    r"(?:contain|include|describe|list|outline|explain)\b",
    r"|\b[Yy]ou (?:should|will|must|need|can)\b",
    r"|\b[Dd]escribe (?:the|what|how|any)\b",
    r"|\b[Ee]xplain (?:the|what|how|why)\b",
    r"|\b[Tt]his (?:section|part|guide|template|page)\b",
    r"|\b[Mm]ake sure\b|\b[Ff]ill (?:in|out)\b|\b[Rr]eplace (?:this|the)\b",
    r"|\b[Ww]rite (?:a|an|your|the)\b|\b[Ee]xplain in\b|\b[Ll]ist (?:the|what|all|each)\b",
    r"|\b(?:YYYY-MM-DD|yyyy-mm-dd|HH:MM|hh:mm|XX:XX|xx:xx)\b",
);

/// How many [`PLACEHOLDER`] matches `text` holds, up to `cap`. Most documents have no place where
/// one could start: they are told so by a pass over `{`, `[` and `<`, not by the regex (whose
/// search stopped at every task box and link of a document).
fn placeholders(text: &str, cap: usize) -> usize {
    if !may_hold_placeholder(text.as_bytes()) {
        return 0;
    }
    PLACEHOLDER.find_iter(text).take(cap).count()
}

/// Whether a [`PLACEHOLDER`] match may start somewhere in `bytes`: at `{{`, `{` before a capital,
/// `` `[ ``, `<insert`, or a `[` before a word of letters, a space and a letter or parenthesis
/// (`[Date and time]`; not `[ ]`, `[x]` or `[link](...)`).
fn may_hold_placeholder(bytes: &[u8]) -> bool {
    memchr::memchr3_iter(b'{', b'[', b'<', bytes).any(|at| {
        let rest = &bytes[at + 1..];
        match bytes[at] {
            b'{' => rest
                .first()
                .is_some_and(|&b| b == b'{' || b.is_ascii_uppercase()),
            b'<' => rest.starts_with(b"insert"),
            _ => {
                let letters = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                (at > 0 && bytes[at - 1] == b'`')
                    || (letters > 0
                        && rest.get(letters) == Some(&b' ')
                        && rest
                            .get(letters + 1)
                            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'(' || b == b')'))
            }
        }
    })
}

/// Blanks for the writer to fill: `{{ date }}`, `{Incident Title}`, `[Date and time]`,
/// `` `[start time]` ``, `<insert ...>` (`YYYY-MM-DD` and `hh:mm` are in [`PHRASES`]).
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\{\{[^}\n]*\}\}|\{[A-Z][^{}\n]{2,40}\}|`\[[^\]\n]+\]`|\[(?:[A-Z][a-z]+|[a-z]+)(?: [A-Za-z()]+){1,6}\](?:[^(\[:]|$)|<insert[^>\n]*>",
    )
    .expect("valid regex")
});

/// How many instruction phrases and written-out blanks `text` holds, each counted up to `cap`.
fn phrases(text: &str, cap: usize) -> (usize, usize) {
    let (mut said, mut blanks) = (0, 0);
    PHRASES.for_each_match(text, |found| {
        if found.contains([':', '-']) {
            blanks += 1;
        } else {
            said += 1;
        }
        said < cap || blanks < cap
    });
    (said.min(cap), blanks.min(cap))
}

/// Whether the document is a guide, template or assignment about its kind rather than one;
/// `times` is how many lines tell a clock time (up to 2), counted when first asked.
fn reads_as_guide(
    rel_path: &str,
    text: &str,
    outline: &Outline,
    times: &impl Deref<Target = usize>,
) -> bool {
    let file_name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let title = title(text, outline);
    let raw_title = raw_title(text, outline);
    // Blanks in the title (`# Incident: [Title]`, `<insert title>`), or three in the text (a
    // report may have left one or two behind: `placeholder-text` reports those).
    let (said, blanks) = phrases(text, 4);
    if PLACEHOLDER.is_match(raw_title)
        || TITLE_BLANK.is_match(raw_title)
        || phrases(raw_title, 1).1 > 0
        || blanks + placeholders(text, 3) >= 3
    {
        return true;
    }
    // A guide word in the title or file name, or instructions, make a guide of a document that
    // tells no times of its own; a report's timeline outweighs a service called `template` or
    // an action item that says `you should`.
    let guide_headings = outline
        .sections
        .iter()
        .skip(1)
        .filter(|s| is_guide_heading(&s.title))
        .count();
    if guide_headings + said >= 4 {
        return **times < 2 || guide_headings + said >= 6;
    }
    // A guide word names a guide unless the title (or file name) tells of an event: `Outage of
    // the style guide site` and `template-engine-outage.md` are reports.
    let guide_title = (names_a_guide(title, false) && !EVENT.is_match(title))
        || (names_a_guide(file_name, true) && !EVENT.is_match(file_name));
    guide_title || (guide_headings + said >= 2 && **times < 2)
}

/// Whether a title or a file name has a guide word ([`GUIDE_TITLE`]). `101` is one in a title
/// (`Postmortems 101`), not as a number: in a file name (`incident-101.md`) or after the word for
/// what it numbers (`Incident 101`, `INC #101`).
fn names_a_guide(name: &str, file_name: bool) -> bool {
    // Most names have none; only a name with one is searched for where.
    GUIDE_TITLE.is_match(name)
        && GUIDE_TITLE.find_iter(name).any(|found| {
            if &name[found.range()] != "101" {
                return true;
            }
            let before = name[..found.start()].trim_end_matches(|c: char| !c.is_alphanumeric());
            let word = before
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            let numbered = [
                "incident", "inc", "issue", "ticket", "case", "report", "outage", "no",
            ]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w));
            !file_name
                && !numbered
                && name[..found.start()]
                    .trim_end()
                    .ends_with(char::is_alphabetic)
        })
}

/// The title's line as written (inline HTML and brackets kept), else the title.
fn raw_title<'t>(text: &'t str, outline: &'t Outline) -> &'t str {
    outline.sections.first().map_or_else(
        || title(text, outline),
        |s| &text[s.heading.start..s.heading.end],
    )
}

/// How many lines start with a clock time (timeline entries, table rows, headings), up to 2.
fn concrete_times(text: &str) -> usize {
    text.lines()
        // A time has digits: most lines of prose are passed over without being read for one.
        .filter(|line| line.bytes().any(|b| b.is_ascii_digit()))
        .filter(|line| entry_time(line.trim_start().trim_start_matches(['#', '|'])).is_some())
        .take(2)
        .count()
}

#[cfg(test)]
mod tests;
