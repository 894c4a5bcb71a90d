//! The conflict rules, applied to one file's bytes: pure, no I/O.
//!
//! `conflict::parse` finds the structure; this module decides what each block and anomaly means in
//! its file (a real conflict, a broken one, or an example shown in a fenced code block), writes the
//! messages (in `describe`), and applies suppression comments.

use std::sync::LazyLock;

use memchr::memmem;

use crate::conflict::{self, Anomaly, Block, Chunk, ConflictedText, ParseOptions};
use crate::diagnostic::{Finding, Rule};
use crate::document::check_document;
use crate::schema::SchemaSet;
use crate::span::{LineIndex, Span};
use crate::suppress::Suppressions;

mod classify;
mod describe;

pub use classify::{
    classify, label_name, BlockRole, Classification, Evidence, KnownStages, NoEvidence, Stages,
};
pub use describe::describe_problems;

/// The lone markers `check` reports as conflicts (a start never closed, an end or base with no
/// block; not examples in code blocks), each with its 1-based line and what `check` says of it.
#[must_use]
pub fn reported_lone_markers(
    bytes: &[u8],
    parsed: &ConflictedText,
    roles: &Classification,
) -> Vec<(usize, String)> {
    let index = crate::span::LineIndex::new(bytes);
    parsed
        .anomalies
        .iter()
        .zip(&roles.anomalies)
        .filter(|(_, role)| role.is_none())
        .map(|(anomaly, _)| {
            let line = index.line_of(anomaly.line.start) + 1;
            (line, anomaly_finding(bytes, anomaly, false).message)
        })
        .collect()
}
use describe::{anomaly_finding, block_finding};

/// What the linter needs to know about a file besides its bytes.
#[derive(Clone, Copy)]
pub struct FileContext<'a> {
    /// The path's `conflict-marker-size`.
    pub marker_size: usize,
    /// Whether the file is Markdown (fenced examples are recognised only there).
    pub markdown: bool,
    /// Whether the file is AsciiDoc (its listing and literal blocks hold examples as fences do).
    pub asciidoc: bool,
    /// Whether Git lists the path as unmerged: then a block is an example only when a merged
    /// version (an index stage) already held it.
    pub unmerged: bool,
    /// What the repository knows about the file's labels and stages.
    pub evidence: &'a dyn Evidence,
    /// Other marker sizes Git may have written this file's markers with (the sizes the
    /// repository's attributes set, and Git's default 7): an attribute can change after the merge
    /// that wrote them. Complete conflicts of those sizes are reported too.
    pub other_sizes: &'a [usize],
}

impl std::fmt::Debug for FileContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileContext")
            .field("marker_size", &self.marker_size)
            .field("markdown", &self.markdown)
            .field("unmerged", &self.unmerged)
            .finish_non_exhaustive()
    }
}

impl Default for FileContext<'_> {
    fn default() -> Self {
        Self {
            marker_size: conflict::DEFAULT_MARKER_SIZE,
            markdown: false,
            asciidoc: false,
            unmerged: false,
            evidence: &NoEvidence,
            other_sizes: &[],
        }
    }
}

/// How many findings of one rule a file reports one by one; the rest are counted in one more
/// finding, so a pathological file costs little memory and its report stays readable.
pub const MAX_FINDINGS_PER_RULE: usize = 1000;

/// A cheap whole-buffer test that rules out files with no marker line that could be reported.
///
/// Every finding involves a `<`, `|` or `>` run of at least `size` at the start of a line, so a
/// file without one needs no parse. One vectorised pass looks for the three bytes; the first one
/// on a line decides it (a run there, or nothing on this line can start one), and the search goes
/// on from the next line. Prose with few of them costs one pass. Text full of them (HTML, tables,
/// quotes) would cost two searches a line: past [`LINES_BY_BYTE`] such lines, the runs themselves
/// are looked for, each a SIMD `memmem` search whose needle is the run alone (its pair filter
/// keys on two marker bytes, which prose rarely has side by side).
#[derive(Debug)]
pub struct Prefilter {
    size: usize,
    runs: [memmem::Finder<'static>; 3],
}

/// How many lines holding `<`, `>` or `|` the prefilter looks at one by one.
const LINES_BY_BYTE: usize = 8;

impl Prefilter {
    /// A prefilter for runs of at least `min_size` characters.
    #[must_use]
    pub fn new(min_size: usize) -> Self {
        let size = min_size.max(1);
        let run = |c: u8| memmem::Finder::new(&vec![c; size]).into_owned();
        Self {
            size,
            runs: [run(b'<'), run(b'>'), run(b'|')],
        }
    }

    /// Whether `bytes` may hold a reportable marker line.
    #[must_use]
    pub fn may_match(&self, bytes: &[u8]) -> bool {
        self.may_match_by_byte(bytes, LINES_BY_BYTE)
    }

    /// [`Prefilter::may_match`], with the first `lines` lines that hold one of the bytes looked at
    /// one by one.
    fn may_match_by_byte(&self, bytes: &[u8], lines: usize) -> bool {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        // Always at the start of a line; the byte found is the first of the three on its line.
        let mut line = 0;
        for _ in 0..lines {
            let Some(found) = memchr::memchr3(b'<', b'>', b'|', &body[line..]) else {
                return false;
            };
            let start = line + found;
            if (start == 0 || body[start - 1] == b'\n')
                && body[start..]
                    .get(..self.size)
                    .is_some_and(|run| run.iter().all(|&b| b == body[start]))
            {
                return true;
            }
            match memchr::memchr(b'\n', &body[start..]) {
                Some(end) => line = start + end + 1,
                None => return false,
            }
        }
        self.has_line_start_run(&body[line..])
    }

    /// Whether `text` (which starts a line) has a run at the start of one of its lines.
    fn has_line_start_run(&self, text: &[u8]) -> bool {
        self.runs.iter().any(|run| {
            let mut at = 0;
            while let Some(found) = run.find(&text[at..]) {
                let start = at + found;
                if start == 0 || text[start - 1] == b'\n' {
                    return true;
                }
                // Mid-line: skip the rest of this run (`<<<<<<<<<<` in prose).
                at = start
                    + text[start..]
                        .iter()
                        .take_while(|&&b| b == text[start])
                        .count();
            }
            false
        })
    }
}

/// Parse `bytes` and report every conflict finding, suppressions applied (no document checks:
/// [`check_file`] runs everything).
#[must_use]
pub fn check_bytes(bytes: &[u8], context: &FileContext<'_>) -> Vec<Finding> {
    let parsed = conflict::parse(
        bytes,
        &ParseOptions {
            marker_size: context.marker_size,
        },
    );
    let mut pending = conflict_findings(bytes, &parsed, context);
    pending.extend(other_size_findings(bytes, &parsed, context));
    written(bytes, Some(&parsed), context.markdown, pending)
}

/// Every check of one file: conflict markers (when the prefilter saw marker-like runs), and for
/// Markdown files the document checks on each side. Suppression comments apply to all of them.
#[must_use]
pub fn check_file(
    bytes: &[u8],
    context: &FileContext<'_>,
    rel_path: &str,
    schemas: &SchemaSet,
    may_have_markers: bool,
) -> Vec<Finding> {
    let parsed = may_have_markers.then(|| {
        conflict::parse(
            bytes,
            &ParseOptions {
                marker_size: context.marker_size,
            },
        )
    });
    let mut pending = match &parsed {
        Some(parsed) => {
            let mut pending = conflict_findings(bytes, parsed, context);
            pending.extend(other_size_findings(bytes, parsed, context));
            pending
        }
        None => Vec::new(),
    };
    if context.markdown {
        pending.extend(
            check_document(bytes, parsed.as_ref(), rel_path, schemas)
                .into_iter()
                .map(Pending::ready),
        );
    }
    let omitted = parsed.as_ref().map_or(0, |p| p.omitted_anomalies);
    // A file without findings may still name an unknown rule in a suppression comment.
    if pending.is_empty() && omitted == 0 && !says_mergemark(bytes) {
        return Vec::new();
    }
    written(bytes, parsed.as_ref(), context.markdown, pending)
}

/// A finding known by its rule and place, written out only if it is listed: a file with 100,000
/// conflicts costs a few bytes for each beyond the first [`MAX_FINDINGS_PER_RULE`] of a rule.
struct Pending<'p> {
    rule: Rule,
    span: Span,
    /// The fenced code block it is shown in (a suppression comment before it covers it).
    fence: Option<Span>,
    what: Source<'p>,
}

enum Source<'p> {
    Block(&'p Block),
    Anomaly(&'p Anomaly),
    Ready(Box<Finding>),
}

impl<'p> Pending<'p> {
    fn ready(finding: Finding) -> Self {
        Self {
            rule: finding.rule,
            span: finding.span,
            fence: None,
            what: Source::Ready(Box::new(finding)),
        }
    }

    fn write(self, bytes: &[u8]) -> Finding {
        let shown = self.fence.is_some();
        match self.what {
            Source::Block(block) => block_finding(bytes, block, shown),
            Source::Anomaly(anomaly) => anomaly_finding(bytes, anomaly, shown),
            Source::Ready(finding) => *finding,
        }
    }
}

/// Each conflict finding of the file, pending.
fn conflict_findings<'p>(
    bytes: &[u8],
    parsed: &'p ConflictedText,
    context: &FileContext<'_>,
) -> Vec<Pending<'p>> {
    if parsed.is_clean() {
        return Vec::new();
    }
    let roles = classify(bytes, parsed, context);
    let mut pending = Vec::new();
    for (block, role) in parsed.blocks().zip(&roles.blocks) {
        pending.push(Pending {
            rule: block_rule(block, role.example_in.is_some()),
            span: block.span,
            fence: role.example_in,
            what: Source::Block(block),
        });
    }
    for (anomaly, fence) in parsed.anomalies.iter().zip(&roles.anomalies) {
        pending.push(Pending {
            rule: if fence.is_some() {
                Rule::ConflictMarkerInCode
            } else {
                Rule::BrokenConflict
            },
            span: anomaly.line,
            fence: *fence,
            what: Source::Anomaly(anomaly),
        });
    }
    pending
}

/// Complete, well-formed conflicts in markers of another size Git may have used for the file
/// (`context.other_sizes`), where the file's own size finds no block: after a merge that changed
/// `conflict-marker-size`, Git's markers follow the attributes of the merge, not today's.
fn other_size_findings<'p>(
    bytes: &[u8],
    parsed: &ConflictedText,
    context: &FileContext<'_>,
) -> Vec<Pending<'p>> {
    other_size_conflicts(bytes, parsed, context)
        .into_iter()
        .map(|(size, block)| {
            let mut finding = block_finding(bytes, &block, false);
            finding.message = format!(
                "{} (in {size}-character markers, though this path's conflict-marker-size is {}: \
                 Git wrote them under other attributes)",
                finding.message, context.marker_size
            );
            Pending::ready(finding)
        })
        .collect()
}

/// The conflicts `check` reports in markers of another size than the file's own (see
/// [`other_size_findings`]), each with its size: what `resolve` leaves, and counts as remaining.
#[must_use]
pub fn other_size_conflicts(
    bytes: &[u8],
    parsed: &ConflictedText,
    context: &FileContext<'_>,
) -> Vec<(usize, conflict::Block)> {
    let mut found = Vec::new();
    for &size in context.other_sizes {
        if size == context.marker_size {
            continue;
        }
        let other = conflict::parse(bytes, &ParseOptions { marker_size: size });
        if other.blocks().next().is_none() {
            continue;
        }
        let at_size = FileContext {
            marker_size: size,
            ..*context
        };
        let roles = classify(bytes, &other, &at_size);
        for (block, role) in other.blocks().zip(&roles.blocks) {
            let overlaps = parsed
                .blocks()
                .any(|b| b.span.start < block.span.end && block.span.start < b.span.end);
            if block.is_sound() && role.example_in.is_none() && !overlaps {
                found.push((size, block.clone()));
            }
        }
    }
    found
}

/// The findings as listed: suppressions applied, in file order, the first
/// [`MAX_FINDINGS_PER_RULE`] of each rule written out and one more per rule saying how many are
/// not listed (placed at the first left out). `parsed`'s unrecorded lone markers (past the
/// parser's limit) count as more `broken-conflict` findings.
fn written(
    bytes: &[u8],
    parsed: Option<&ConflictedText>,
    markdown: bool,
    pending: Vec<Pending<'_>>,
) -> Vec<Finding> {
    let mut pending = suppress(bytes, parsed, markdown, pending);
    pending.sort_by_key(|p| (p.span.start, p.span.end, p.rule));
    let mut counts: std::collections::BTreeMap<Rule, (usize, Option<Span>)> =
        std::collections::BTreeMap::new();
    let mut kept: Vec<Finding> = Vec::with_capacity(pending.len().min(4 * MAX_FINDINGS_PER_RULE));
    for item in pending {
        let (seen, first_left_out) = counts.entry(item.rule).or_insert((0, None));
        *seen += 1;
        if *seen <= MAX_FINDINGS_PER_RULE {
            kept.push(item.write(bytes));
        } else if first_left_out.is_none() {
            *first_left_out = Some(item.span);
        }
    }
    let unrecorded = parsed.map_or(0, |p| p.omitted_anomalies);
    if unrecorded > 0 {
        let last = kept
            .iter()
            .rev()
            .find(|f| f.rule == Rule::BrokenConflict)
            .map(|f| f.span);
        let entry = counts.entry(Rule::BrokenConflict).or_insert((0, None));
        entry.0 += unrecorded;
        if entry.1.is_none() {
            entry.1 = last;
        }
    }
    for (rule, (seen, at)) in counts {
        if seen <= MAX_FINDINGS_PER_RULE {
            continue;
        }
        let more = seen - MAX_FINDINGS_PER_RULE;
        kept.push(
            Finding::new(
                rule,
                at.unwrap_or_default(),
                format!(
                    "{more} more `{rule}` finding{} in this file, not listed (a file lists the \
                     first {MAX_FINDINGS_PER_RULE} of each rule)",
                    if more == 1 { "" } else { "s" }
                ),
            )
            .with_help("fix the findings listed, then run again to see the rest")
            .counting(more),
        );
    }
    kept.sort_by_key(|f| (f.span.start, f.span.end, f.rule));
    kept
}

/// Whether `bytes` say `mergemark-`, as every suppression comment does. The searcher is built
/// once: a one-off search builds its own each time, for every file without findings.
fn says_mergemark(bytes: &[u8]) -> bool {
    static WORD: LazyLock<memmem::Finder> = LazyLock::new(|| memmem::Finder::new(b"mergemark-"));
    WORD.find(bytes).is_some()
}

/// Drop suppressed findings. Directives are read from clean text only, and in a Markdown file only
/// from the HTML comments the document holds (a directive shown as code, escaped, or in a link
/// title is no directive); a file without the word `mergemark-` has none, and costs no line index.
fn suppress<'p>(
    bytes: &[u8],
    parsed: Option<&ConflictedText>,
    markdown: bool,
    pending: Vec<Pending<'p>>,
) -> Vec<Pending<'p>> {
    if !says_mergemark(bytes) {
        return pending;
    }
    let comments =
        markdown.then(|| crate::markdown::comment_starts(&crate::text::utf8_same_offsets(bytes)));
    let index = LineIndex::new(bytes);
    let whole = [Span::new(0, bytes.len())];
    let suppressions = match parsed {
        Some(parsed) => Suppressions::collect(
            bytes,
            parsed.chunks.iter().filter_map(|c| match c {
                Chunk::Text(span) => Some(*span),
                Chunk::Block(_) => None,
            }),
            comments.as_deref(),
            &index,
        ),
        None => Suppressions::collect(bytes, whole, comments.as_deref(), &index),
    };
    let unknown = suppressions.unknown.iter().map(|(span, name)| {
        Pending::ready(
            Finding::new(
                Rule::UnknownRuleInComment,
                *span,
                format!(
                    "`{name}` is not a rule, so this comment suppresses nothing for it{}",
                    crate::selection::suggestion(name, Rule::ALL.iter().map(|r| r.name()))
                ),
            )
            .with_help("`mergemark rules` lists the rules' names"),
        )
    });
    let unknown: Vec<Pending<'p>> = unknown.collect();
    if suppressions.is_empty() {
        return pending.into_iter().chain(unknown).collect();
    }
    // The warning about a comment's names can be suppressed like any other.
    pending
        .into_iter()
        .chain(unknown)
        .filter(|p| {
            let suppressed_at =
                |offset: usize| suppressions.is_suppressed(p.rule, index.line_of(offset));
            !(suppressed_at(p.span.start)
                || p.fence.is_some_and(|fence| suppressed_at(fence.start)))
        })
        .collect()
}

/// The rule a block's finding is reported under.
fn block_rule(block: &Block, shown: bool) -> Rule {
    if shown {
        Rule::ConflictMarkerInCode
    } else if !block.problems.is_empty() {
        Rule::BrokenConflict
    } else {
        Rule::ConflictMarker
    }
}

#[cfg(test)]
mod tests;
