//! What each block and lone marker of a file is: a conflict someone must settle, or text that only
//! shows markers (an example in a fenced code block, a side's own content). `check` reports by this
//! and `resolve` touches only what it calls a conflict, so the two can never disagree.
//!
//! A block inside one closed fenced code block of a Markdown file is an example unless something
//! says it is real:
//! - the versions a merge combined are known (the index stages of an unmerged path, the two heads
//!   of a merge in progress, the parents of a merge commit being checked) and none of them held
//!   the block's text: the merge wrote it (an unmerged path without stages: every block is real);
//! - a label names a commit or branch the repository knows (`HEAD` does not count: every
//!   repository knows it and every example uses it): a version that held the block only says this
//!   merge did not write it, and a conflict committed earlier is one still;
//! - its labels are those of a real conflict elsewhere in the same file.

use std::collections::HashSet;

use memchr::memmem;

use super::FileContext;
use crate::conflict::{Block, ConflictedText, Side};
use crate::markdown::{fenced_code_blocks, FencedBlock};
use crate::span::Span;

/// What the repository can tell about a file (the shell answers; the rules stay pure).
pub trait Evidence {
    /// Whether a marker's label name (`topic`, `origin/main`, `abc1234`: see [`label_name`])
    /// names a commit or branch the repository knows.
    fn names_known_commit(&self, name: &[u8]) -> bool;

    /// What the index holds for an unmerged path (nothing for another path).
    fn stages(&self) -> &Stages;

    /// The versions of the file a merge combined, when the file comes from one the repository
    /// knows (a merge in progress, a merge commit being checked); nothing otherwise. Asked only
    /// when a block sits in a code block.
    fn merge_versions(&self) -> &Stages {
        &Stages::NONE
    }
}

/// The versions the index holds for an unmerged path: stage 1 (the base), 2 (ours), 3 (theirs);
/// a stage is missing for add/add and modify/delete conflicts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stages {
    /// Stage 1, the common ancestor.
    pub base: Option<Vec<u8>>,
    /// Stage 2, ours.
    pub ours: Option<Vec<u8>>,
    /// Stage 3, theirs.
    pub theirs: Option<Vec<u8>>,
}

impl Stages {
    /// No stage.
    pub const NONE: Stages = Stages {
        base: None,
        ours: None,
        theirs: None,
    };

    /// The texts present.
    pub fn texts(&self) -> impl Iterator<Item = &[u8]> {
        [&self.base, &self.ours, &self.theirs]
            .into_iter()
            .flatten()
            .map(Vec::as_slice)
    }
}

/// No repository: nothing is known.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoEvidence;

impl Evidence for NoEvidence {
    fn names_known_commit(&self, _name: &[u8]) -> bool {
        false
    }

    fn stages(&self) -> &Stages {
        &Stages::NONE
    }
}

/// The versions of a merge known without a repository (a merge driver's `%O %A %B`, a test's
/// three files): stages, and no label names anything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownStages(pub Stages);

impl Evidence for KnownStages {
    fn names_known_commit(&self, _name: &[u8]) -> bool {
        false
    }

    fn stages(&self) -> &Stages {
        &self.0
    }
}

/// The role of one top-level block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockRole {
    /// The fenced code block it is shown in, when it is an example.
    pub example_in: Option<Span>,
    /// Its bytes are text one of the merged versions (an index stage) already held: the merge did
    /// not write it, so `resolve` leaves it as Git's `merge-file` does.
    pub from_stage: bool,
}

impl BlockRole {
    /// Whether this is a conflict the merge being resolved wrote (not an example, not a side's
    /// own text): the only kind of block `resolve` may replace.
    #[must_use]
    pub const fn is_resolvable_conflict(self) -> bool {
        self.example_in.is_none() && !self.from_stage
    }
}

/// The roles of a file's top-level blocks and lone markers, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Classification {
    /// One per top-level block.
    pub blocks: Vec<BlockRole>,
    /// One per recorded anomaly: the fence it is shown in, when it is an example.
    pub anomalies: Vec<Option<Span>>,
    /// How many of the examples (blocks and lone markers) are examples only because nothing could
    /// say otherwise: no merged version was known (no repository, no merge). `check` reports them
    /// as warnings; `resolve` leaves them but does not call the file free of conflicts.
    pub undecided: usize,
}

impl Classification {
    /// Number of findings at conflict level (real blocks and lone markers, examples left out),
    /// the unrecorded lone markers of `parsed` included.
    #[must_use]
    pub fn conflicts(&self, parsed: &ConflictedText) -> usize {
        self.blocks
            .iter()
            .filter(|r| r.example_in.is_none())
            .count()
            + self.anomalies.iter().filter(|f| f.is_none()).count()
            + parsed.omitted_anomalies
    }
}

/// Classify every block and lone marker of `bytes` (parsed as `parsed`).
#[must_use]
pub fn classify(
    bytes: &[u8],
    parsed: &ConflictedText,
    context: &FileContext<'_>,
) -> Classification {
    if parsed.is_clean() {
        return Classification::default();
    }
    let reader = Reader::new(bytes, parsed, context);
    let blocks: Vec<&Block> = parsed.blocks().collect();
    let mut roles: Vec<BlockRole> = blocks
        .iter()
        .map(|block| {
            let text = block.span.slice(bytes);
            let fence = reader
                .fence_of(&[block.span])
                .filter(|f| !sides_close(f, bytes, block));
            BlockRole {
                example_in: fence
                    .filter(|_| reader.shown_here(text, Some(block)))
                    .map(|f| f.span),
                from_stage: context.unmerged && reader.stages.holds(text),
            }
        })
        .collect();
    // A fenced block with the labels of a real conflict of the same file is real too.
    let real_labels: HashSet<LabelPair<'_>> = blocks
        .iter()
        .zip(&roles)
        .filter(|(_, role)| role.example_in.is_none())
        .map(|(block, _)| label_pair(bytes, block))
        .collect();
    if !real_labels.is_empty() {
        for (block, role) in blocks.iter().zip(roles.iter_mut()) {
            if role.example_in.is_some() && real_labels.contains(&label_pair(bytes, block)) {
                role.example_in = None;
            }
        }
    }
    let anomalies = parsed
        .anomalies
        .iter()
        .map(|anomaly| {
            let mut spans = vec![anomaly.line];
            spans.extend(&anomaly.related);
            let fence = reader.fence_of(&spans)?;
            reader
                .shown_here(fence.content.slice(bytes), None)
                .then_some(fence.span)
        })
        .collect::<Vec<_>>();
    let examples = roles.iter().filter(|r| r.example_in.is_some()).count()
        + anomalies.iter().filter(|a| a.is_some()).count();
    let undecided = if examples > 0 && !reader.versions_known() {
        examples
    } else {
        0
    };
    Classification {
        blocks: roles,
        anomalies,
        undecided,
    }
}

/// What the classification reads a file with: its code fences, and the versions that say what
/// the merge wrote.
struct Reader<'a> {
    bytes: &'a [u8],
    context: &'a FileContext<'a>,
    marker_size: usize,
    /// The index stages of an unmerged path.
    stages: StageIndex<'a>,
    /// The closed fenced code blocks of a Markdown file, in order.
    fences: Vec<FencedBlock>,
    /// The versions of a merge the file comes from, read only when a block sits in a fence.
    merged: std::cell::OnceCell<StageIndex<'a>>,
}

/// Where the first line that looks like a fence (three or more backticks or tildes, at most
/// three spaces in, after block quote and list markers) is neither a fence of `fences` nor a line
/// inside one: `usize::MAX` when there is none.
fn first_unread_fence_line(bytes: &[u8], fences: &[FencedBlock]) -> usize {
    if memmem::find(bytes, b"```").is_none() && memmem::find(bytes, b"~~~").is_none() {
        return usize::MAX;
    }
    let mut at = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let start = at;
        at += line.len();
        let body = line
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t' | b'>'))
            .map_or(&[][..], |i| &line[i..]);
        let run = |c: u8| body.iter().take_while(|&&b| b == c).count() >= 3;
        if !(run(b'`') || run(b'~')) {
            continue;
        }
        let read = fences.iter().any(|f| {
            f.span.start <= start && (start < f.span.end || (start == f.span.end && !f.closed))
        });
        if !read {
            return start;
        }
    }
    usize::MAX
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], parsed: &ConflictedText, context: &'a FileContext<'a>) -> Self {
        let stages = if context.unmerged {
            StageIndex::new(context.evidence.stages(), parsed.marker_size)
        } else {
            StageIndex::default()
        };
        // In an unmerged file, only text a merged version already held can be an example; with
        // no stages to tell, every block is real (as before anything was known).
        let fences = if context.markdown && (!context.unmerged || !stages.is_empty()) {
            let all = fenced_code_blocks(bytes);
            // Past a line a person reads as a fence but CommonMark does not (a backtick in a
            // backtick fence's info string, say), the reading of every later fence is out of
            // step: those give no example.
            let unsure = first_unread_fence_line(bytes, &all);
            all.into_iter()
                .filter(|f| f.closed && f.span.end <= unsure)
                .collect()
        } else if context.asciidoc && (!context.unmerged || !stages.is_empty()) {
            crate::markdown::asciidoc_literal_blocks(bytes)
                .into_iter()
                .filter(|f| f.closed)
                .collect()
        } else {
            Vec::new()
        };
        Self {
            bytes,
            context,
            marker_size: parsed.marker_size,
            stages,
            fences,
            merged: std::cell::OnceCell::new(),
        }
    }

    /// The fence that holds all of `spans` between its fence lines, if any.
    fn fence_of(&self, spans: &[Span]) -> Option<&FencedBlock> {
        let first = spans.iter().map(|s| s.start).min()?;
        let last = spans.iter().map(|s| s.end).max()?;
        // Code blocks are leaves, in file order, never overlapping: only the last one starting at
        // or before `first` can hold the span.
        let candidate = self
            .fences
            .partition_point(|f| f.content.start <= first)
            .checked_sub(1)?;
        let fence = &self.fences[candidate];
        fence
            .content
            .contains(Span::new(first, last))
            .then_some(fence)
    }

    /// The versions that say what the merge wrote: the stages of an unmerged path, or those of
    /// the merge the file comes from.
    fn versions(&self) -> &StageIndex<'a> {
        if self.context.unmerged {
            &self.stages
        } else {
            self.merged.get_or_init(|| {
                StageIndex::new(self.context.evidence.merge_versions(), self.marker_size)
            })
        }
    }

    /// Whether any merged version is known (else an example is one only for want of evidence).
    fn versions_known(&self) -> bool {
        !self.versions().is_empty()
    }

    /// Whether `text` (a fenced block's, or a fence's content) is shown rather than a conflict:
    /// no merged version held it means the merge wrote it (real); a version that held it only
    /// says this merge did not write it (a conflict committed earlier is still one), so then, as
    /// with no versions known, no label may name a commit.
    fn shown_here(&self, text: &[u8], block: Option<&Block>) -> bool {
        let versions = self.versions();
        if !versions.is_empty() && !versions.holds(text) {
            return false;
        }
        block.is_none_or(|block| !labels_name_known_commits(self.bytes, block, self.context))
    }
}

/// A block's ours and theirs labels.
type LabelPair<'a> = (Option<&'a [u8]>, Option<&'a [u8]>);

fn label_pair<'a>(bytes: &'a [u8], block: &Block) -> LabelPair<'a> {
    (
        block.start.label.map(|l| l.slice(bytes)),
        block.end.label.map(|l| l.slice(bytes)),
    )
}

/// Whether a label of `block` (ours, base or theirs) names a commit or branch the repository
/// knows, `HEAD` aside.
fn labels_name_known_commits(bytes: &[u8], block: &Block, context: &FileContext<'_>) -> bool {
    let base = block
        .side(Side::Base)
        .and_then(|s| s.marker)
        .and_then(|m| m.label);
    [block.start.label, base, block.end.label]
        .into_iter()
        .flatten()
        .map(|span| span.slice(bytes))
        .filter_map(label_name)
        .any(|name| context.evidence.names_known_commit(name))
}

/// The commit or branch a label names: its first word (`abc1234 (subject)`, `parent of abc1234
/// (subject)`), without a `:path` suffix (`topic:docs/a.md`); `refs/stash` for the label `git
/// stash` gives the stashed side; `None` for `HEAD` and for what cannot be a name.
#[must_use]
pub fn label_name(label: &[u8]) -> Option<&[u8]> {
    if label == b"Stashed changes" {
        return Some(b"refs/stash");
    }
    // `git revert` labels the side it takes back to `parent of abc1234 (subject)`.
    let label = label.strip_prefix(b"parent of ").unwrap_or(label);
    let word = label.split(|b| b.is_ascii_whitespace()).next()?;
    let name = word.split(|&b| b == b':').next()?;
    let plausible = !name.is_empty()
        && name != b"HEAD"
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"/._-+@".contains(&b));
    plausible.then_some(name)
}

/// Whether a line inside the block's sections may end the fence around it: then the conflict may
/// change the document's structure and is not surely a literal example inside one code block.
fn sides_close(fence: &FencedBlock, bytes: &[u8], block: &Block) -> bool {
    block.sections.iter().any(|s| {
        s.body
            .slice(bytes)
            .split(|&b| b == b'\n')
            .any(|line| fence.may_be_ended_by(line.strip_suffix(b"\r").unwrap_or(line)))
    })
}

/// The index stages of an unmerged path, searchable for a block's text. Only blocks whose start
/// line some stage holds are searched for, so a file of many blocks costs one pass per stage.
#[derive(Default)]
struct StageIndex<'a> {
    texts: Vec<&'a [u8]>,
    start_lines: HashSet<&'a [u8]>,
}

impl<'a> StageIndex<'a> {
    fn new(stages: &'a Stages, marker_size: usize) -> Self {
        let texts: Vec<&[u8]> = stages.texts().collect();
        let mut start_lines = HashSet::new();
        for text in &texts {
            for line in text.split(|&b| b == b'\n') {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if line.len() >= marker_size && line[..marker_size].iter().all(|&b| b == b'<') {
                    start_lines.insert(line);
                }
            }
        }
        Self { texts, start_lines }
    }

    fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Whether a stage holds `text` verbatim (or with LF line ends, for a checkout that turned
    /// them into CRLF).
    fn holds(&self, text: &[u8]) -> bool {
        if text.first() == Some(&b'<') {
            let first = text.split(|&b| b == b'\n').next().unwrap_or_default();
            let first = first.strip_suffix(b"\r").unwrap_or(first);
            if !self.start_lines.contains(first) {
                return false;
            }
        }
        let lf: Option<Vec<u8>> = memmem::find(text, b"\r\n").is_some().then(|| {
            let mut out = Vec::with_capacity(text.len());
            for line in text.split_inclusive(|&b| b == b'\n') {
                match line.strip_suffix(b"\r\n") {
                    Some(body) => {
                        out.extend_from_slice(body);
                        out.push(b'\n');
                    }
                    None => out.extend_from_slice(line),
                }
            }
            out
        });
        self.texts.iter().any(|stage| {
            memmem::find(stage, text).is_some()
                || lf
                    .as_deref()
                    .is_some_and(|lf| memmem::find(stage, lf).is_some())
        })
    }
}
