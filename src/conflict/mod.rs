//! Conflict markers: parsing a file's bytes into clean text and conflict blocks, and rendering it back.
//!
//! The parse is total (it never fails): lone or misordered markers become [`Anomaly`] values or
//! [`BlockProblem`]s that the linter reports. Every byte of the input lies in exactly one chunk, so
//! [`ConflictedText::render`] gives back the input byte for byte, and later stages (per-side
//! validation, diff, resolve) work from this parse instead of scanning again.

mod marker;
mod parse;
mod render;
mod side;

pub use marker::{parse_marker_line, MarkerKind, MarkerShape};
pub use parse::{parse, ParseOptions, DEFAULT_MARKER_SIZE, MAX_RECORDED_ANOMALIES};

/// The marker length the shell asks git2 to write a reference merge with (the three versions a
/// conflict came from, merged again in the diff3 style): long enough that a document's own
/// marker-like lines (7 to a few dozen characters) are not read as markers.
pub const REFERENCE_MARKER_SIZE: usize = 41;
pub use side::SideText;

use crate::span::Span;

/// A file split into clean text and top-level conflict blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictedText {
    /// Chunks in file order; together they cover the input exactly.
    pub chunks: Vec<Chunk>,
    /// Lone, unterminated and orphaned markers found in clean text, in file order (the first
    /// [`MAX_RECORDED_ANOMALIES`] of them).
    pub anomalies: Vec<Anomaly>,
    /// Lone markers past the first [`MAX_RECORDED_ANOMALIES`]: counted, not kept.
    pub omitted_anomalies: usize,
    /// The marker length the file was read with.
    pub marker_size: usize,
}

/// One piece of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Text outside any conflict block.
    Text(Span),
    /// A conflict block, from its start marker line to its end marker line inclusive.
    Block(Block),
}

/// The marker dialect a block is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Git's layout: `<`, optional `|` base, `=`, `>` (styles merge, diff3, zdiff3).
    Git,
    /// Jujutsu's layout: `<`, then `%` diff / `+` side / `-` base sections, `>`.
    Jujutsu,
}

/// A marker line inside a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Marker {
    /// Which marker.
    pub kind: MarkerKind,
    /// The whole line, including its line terminator.
    pub line: Span,
    /// The label after the marker run, without the terminator.
    pub label: Option<Span>,
}

/// What a section of a block holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// Git: the ours side (after `<<<<<<<`).
    Ours,
    /// Git: the base (after `|||||||`).
    Base,
    /// Git: the theirs side (after `=======`).
    Theirs,
    /// Jujutsu: a diff from base to a side (after `%%%%%%%`).
    JjDiff,
    /// Jujutsu: a snapshot of a side (after `+++++++`).
    JjSide,
    /// Jujutsu: a snapshot of the base (after `-------`).
    JjBase,
}

/// One section of a block: the marker that opened it (none for the first section, which the
/// block's start marker opens), label continuation lines, and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// What the section holds.
    pub kind: SectionKind,
    /// The marker line that opened this section; `None` for the first section.
    pub marker: Option<Marker>,
    /// Jujutsu `\\\\\\\` lines right after the marker, continuing its label.
    pub notes: Vec<Marker>,
    /// The section's content lines.
    pub body: Span,
    /// Complete conflict blocks nested inside the body (recursive merges, re-conflicted files).
    pub nested: Vec<Block>,
}

/// A structural problem inside a block that still has a start and an end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockProblem {
    /// The block ends without an `=======` separator.
    MissingSeparator,
    /// A `|||||||` base marker after the separator, or a second one.
    BaseOutOfOrder {
        /// The misplaced marker line.
        line: Span,
    },
    /// A second `=======` separator: one of the two is a side's own line (a setext underline,
    /// say), and nothing tells which.
    ExtraSeparator {
        /// The second separator line.
        line: Span,
    },
    /// A Git `|||||||` or `=======` of the block's length inside a Jujutsu block, which Jujutsu
    /// never writes (it lengthens its markers instead): the block was edited or is not Jujutsu's.
    ForeignMarker {
        /// The marker line.
        line: Span,
    },
    /// A Jujutsu block whose sections do not make a conflict: Jujutsu writes one more side than
    /// bases, at least two sides (a `%%%%%%%` diff counts as a base and a side).
    UnbalancedJujutsu,
    /// A line of a Jujutsu `%%%%%%%` diff section that is neither context (` `), removed (`-`) nor
    /// added (`+`): edited by hand, so no side can be rebuilt from it.
    JujutsuDiffLine {
        /// The line.
        line: Span,
    },
}

impl BlockProblem {
    /// The marker line the problem is about, if it is one line.
    #[must_use]
    pub const fn line(self) -> Option<Span> {
        match self {
            Self::MissingSeparator | Self::UnbalancedJujutsu => None,
            Self::BaseOutOfOrder { line }
            | Self::ExtraSeparator { line }
            | Self::ForeignMarker { line }
            | Self::JujutsuDiffLine { line } => Some(line),
        }
    }
}

/// A conflict block with its start and end markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// From the start of the `<<<<<<<` line to the end of the `>>>>>>>` line, terminator included.
    pub span: Span,
    /// Length of this block's marker runs.
    pub marker_len: usize,
    /// Git or Jujutsu layout.
    pub dialect: Dialect,
    /// The `<<<<<<<` line.
    pub start: Marker,
    /// Sections in order; the first one begins right after the start marker line.
    pub sections: Vec<Section>,
    /// The `>>>>>>>` line.
    pub end: Marker,
    /// Structural problems; empty for every block Git itself writes.
    pub problems: Vec<BlockProblem>,
}

/// Which version of a conflicted region to take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The version on the branch being merged into (`<<<<<<<`, index stage 2).
    Ours,
    /// The common ancestor (`|||||||`, index stage 1).
    Base,
    /// The version being merged in (`>>>>>>>`, index stage 3).
    Theirs,
}

impl Side {
    /// `ours`, `base` or `theirs`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ours => "ours",
            Self::Base => "base",
            Self::Theirs => "theirs",
        }
    }
}

impl Block {
    /// The first section of `kind`, if any.
    #[must_use]
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// The section holding `side`, for Git blocks; for Jujutsu blocks the first side snapshot is
    /// ours and the last one theirs (diff sections are not a single side and give `None`).
    #[must_use]
    pub fn side(&self, side: Side) -> Option<&Section> {
        match (self.dialect, side) {
            (Dialect::Git, Side::Ours) => self.section(SectionKind::Ours),
            (Dialect::Git, Side::Base) => self.section(SectionKind::Base),
            (Dialect::Git, Side::Theirs) => self.section(SectionKind::Theirs),
            (Dialect::Jujutsu, Side::Ours) => self.section(SectionKind::JjSide),
            (Dialect::Jujutsu, Side::Theirs) => self
                .sections
                .iter()
                .rev()
                .find(|s| s.kind == SectionKind::JjSide),
            (Dialect::Jujutsu, Side::Base) => self.section(SectionKind::JjBase),
        }
    }

    /// Whether this block and every block nested in it have no structural problem.
    #[must_use]
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
            && self
                .sections
                .iter()
                .flat_map(|s| &s.nested)
                .all(Block::is_sound)
    }

    /// Number of blocks nested inside this one, at any depth.
    #[must_use]
    pub fn nested_count(&self) -> usize {
        self.sections
            .iter()
            .flat_map(|s| &s.nested)
            .map(|b| 1 + b.nested_count())
            .sum()
    }

    /// Every marker line of the block (nested blocks excluded), in file order.
    pub fn marker_lines(&self) -> impl Iterator<Item = &Marker> {
        std::iter::once(&self.start)
            .chain(
                self.sections
                    .iter()
                    .flat_map(|s| s.marker.iter().chain(&s.notes)),
            )
            .chain(std::iter::once(&self.end))
    }
}

/// A marker that is not part of a complete block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anomaly {
    /// What is wrong.
    pub kind: AnomalyKind,
    /// The offending marker line, terminator included.
    pub line: Span,
    /// Other marker lines that belong to the same broken structure (e.g. the separator of an
    /// unterminated block).
    pub related: Vec<Span>,
}

/// The kinds of marker that stand outside a complete block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnomalyKind {
    /// A `<<<<<<<` whose block never ends.
    Unterminated,
    /// A `>>>>>>>` with no open block.
    OrphanEnd,
    /// A `|||||||` with no open block.
    OrphanBase,
    /// A start marker nested deeper than [`MAX_NESTING`]; it and any deeper ones are read as text.
    TooDeep,
}

/// How deep blocks may nest. Git nests a level per recursive-merge generation (a handful at most);
/// the limit keeps pathological files from exhausting the stack.
pub const MAX_NESTING: usize = 64;

impl ConflictedText {
    /// Top-level blocks in file order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.chunks.iter().filter_map(|c| match c {
            Chunk::Block(b) => Some(b),
            Chunk::Text(_) => None,
        })
    }

    /// Whether the file has no blocks and no anomalies.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.lone_markers() == 0 && self.blocks().next().is_none()
    }

    /// Number of lone markers (anomalies), the omitted ones included.
    #[must_use]
    pub fn lone_markers(&self) -> usize {
        self.anomalies.len() + self.omitted_anomalies
    }

    /// Number of conflicts a reader must settle: top-level blocks and lone markers.
    #[must_use]
    pub fn conflict_count(&self) -> usize {
        self.blocks().count() + self.lone_markers()
    }
}
