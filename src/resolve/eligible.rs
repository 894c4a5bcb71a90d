//! Which blocks a resolver may replace at all. A block is touched only when the file can be read
//! one way only around it; everything else is left byte for byte, and counted as remaining.

use crate::conflict::{AnomalyKind, Block, ConflictedText, Dialect, Side};
use crate::lint::{BlockRole, Classification, Stages};

/// Why a block is left as it is (for messages, and so tests can say which rule held).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// An example in a fenced code block, or text a merged version already held.
    NotThisMergesConflict,
    /// A structural problem (no separator, a second separator, a misplaced base marker, a Git
    /// marker in a Jujutsu block).
    Broken,
    /// A lone marker inside it: an inner block never closed.
    LoneMarkerInside,
    /// A lone end or base marker between it and the next block: it may have ended early, at a
    /// side's own marker-like line.
    MayHaveEndedEarly,
    /// Other blocks of the file have no base section, or the merged versions (the index stages)
    /// hold its ours side with the `|||||||` line in it: that line may be a side's own line
    /// rather than a base marker.
    StylesDisagree,
    /// It follows a start marker that never ends: it may belong to that conflict.
    AfterUnclosedStart,
    /// One of its marker lines is a line of a merged version's own text (the index stages): it
    /// may be that text, not a marker Git wrote.
    MarkerIsText,
    /// So many lone markers that not all were recorded.
    TooManyLoneMarkers,
    /// A Jujutsu conflict of more than two sides: `ours`, `theirs` and `union` would each drop one.
    ManySides,
    /// The side the strategy takes holds a conflict of its own (nested markers).
    SideHoldsConflict,
    /// `base` was asked for, and neither the markers nor Git know the base.
    NoBase,
    /// A conflict of the same marker size inside it, and no merged version to say whether those
    /// markers are Git's or a side's own lines (which would move where the sides end).
    NestedAlike,
    /// `auto` was asked for, and none of its rules settles the block.
    NeedsJudgement,
    /// Another conflict of the file is broken or a marker stands alone: the file's markers do
    /// not read one way only, so no block of it is trusted (fix that one first).
    FileIsBroken,
}

/// For each top-level block of `input`, `None` when it may be resolved, or why it is held.
/// `stages` are the merged versions when the index still holds them.
#[must_use]
pub fn holds(
    input: &[u8],
    parsed: &ConflictedText,
    roles: &Classification,
    stages: &Stages,
) -> Vec<Option<Hold>> {
    let blocks: Vec<&Block> = parsed.blocks().collect();
    let git_blocks = || {
        blocks
            .iter()
            .filter(|b| b.dialect == Dialect::Git && b.problems.is_empty())
    };
    let with_base = git_blocks()
        .filter(|b| b.side(Side::Base).is_some())
        .count();
    let styles_disagree = with_base > 0 && with_base < git_blocks().count();
    let first_unclosed = parsed
        .anomalies
        .iter()
        .find(|a| a.kind == AnomalyKind::Unterminated)
        .map_or(usize::MAX, |a| a.line.start);
    // A broken block or a lone marker that is a real conflict (not an example in a code block)
    // means some marker-like line of the file is not what it seems, and nothing says which: the
    // blocks around it may be a side's own lines read as markers, or end early.
    let file_is_broken = blocks
        .iter()
        .zip(&roles.blocks)
        .any(|(b, role)| !b.is_sound() && role.example_in.is_none())
        || roles.anomalies.iter().any(Option::is_none);
    let file = WholeFile {
        styles_disagree,
        first_unclosed,
        file_is_broken,
        omitted_anomalies: parsed.omitted_anomalies,
        version_markers: MarkerLines::of(input, stages, parsed.marker_size),
    };
    let mut lone = parsed.anomalies.iter().peekable();
    blocks
        .iter()
        .enumerate()
        .map(|(i, block)| {
            let next_start = blocks.get(i + 1).map_or(usize::MAX, |b| b.span.start);
            // Lone markers before this block are behind us.
            while lone.next_if(|a| a.line.end <= block.span.start).is_some() {}
            let inside = lone
                .clone()
                .take_while(|a| a.line.start < block.span.end)
                .next()
                .is_some();
            let after = lone
                .clone()
                .skip_while(|a| a.line.start < block.span.end)
                .take_while(|a| a.line.start < next_start)
                .any(|a| matches!(a.kind, AnomalyKind::OrphanEnd | AnomalyKind::OrphanBase));
            let role = roles.blocks.get(i).copied().unwrap_or_default();
            let around = Around { inside, after };
            file.hold(input, block, role, around, stages)
        })
        .collect()
}

/// What holds for every block of a file: decided once, before the blocks are judged.
struct WholeFile<'a> {
    /// Some Git blocks carry a base and others do not: the file mixes conflict styles.
    styles_disagree: bool,
    /// Where the first start marker that never closes is (`usize::MAX`: none).
    first_unclosed: usize,
    /// A broken block or a lone marker that is a real conflict lies somewhere in the file.
    file_is_broken: bool,
    /// Lone markers past the parser's limit.
    omitted_anomalies: usize,
    /// Marker lines the merged versions hold as text of their own.
    version_markers: MarkerLines<'a>,
}

/// Lone markers near one block.
#[derive(Clone, Copy)]
struct Around {
    /// A lone marker lies inside the block.
    inside: bool,
    /// A lone end or base marker follows it before the next block.
    after: bool,
}

impl WholeFile<'_> {
    /// Why `block` is held, if it is; the first reason that applies, most certain first.
    fn hold(
        &self,
        input: &[u8],
        block: &Block,
        role: BlockRole,
        around: Around,
        stages: &Stages,
    ) -> Option<Hold> {
        if !role.is_resolvable_conflict() {
            Some(Hold::NotThisMergesConflict)
        } else if !block.is_sound() {
            Some(Hold::Broken)
        } else if self.omitted_anomalies > 0 {
            Some(Hold::TooManyLoneMarkers)
        } else if block.dialect == Dialect::Jujutsu && jujutsu_sides(block) != 2 {
            Some(Hold::ManySides)
        } else if around.inside {
            Some(Hold::LoneMarkerInside)
        } else if self.first_unclosed < block.span.start {
            Some(Hold::AfterUnclosedStart)
        } else if around.after {
            Some(Hold::MayHaveEndedEarly)
        } else if self.file_is_broken {
            Some(Hold::FileIsBroken)
        } else if every_marker_line(block)
            .iter()
            .any(|m| self.version_markers.holds(m.line.slice(input)))
        {
            Some(Hold::MarkerIsText)
        } else if stages.texts().next().is_none() && nests_alike(block) {
            Some(Hold::NestedAlike)
        } else if block.dialect == Dialect::Git
            && block.side(Side::Base).is_some()
            && (self.styles_disagree || reads_as_merge_style(input, block, stages))
        {
            Some(Hold::StylesDisagree)
        } else {
            None
        }
    }
}

/// Whether a conflict of the block's own marker size lies inside it. Git nests a recursive merge's
/// conflicts in longer markers; same-size markers inside a block may be a side's own lines.
fn nests_alike(block: &Block) -> bool {
    block
        .sections
        .iter()
        .flat_map(|s| &s.nested)
        .any(|inner| inner.marker_len == block.marker_len || nests_alike(inner))
}

/// The marker lines of `block` and of the conflicts nested in its sides: a nested block whose
/// markers the merged versions hold as text is a side's own lines, read as a conflict.
fn every_marker_line(block: &Block) -> Vec<&crate::conflict::Marker> {
    let mut lines: Vec<&crate::conflict::Marker> = block.marker_lines().collect();
    for nested in block.sections.iter().flat_map(|s| &s.nested) {
        lines.extend(every_marker_line(nested));
    }
    lines
}

/// The start, base and end marker lines (of the file's marker length) that the merged versions
/// hold as text of their own, loose: not part of a sound block of that version that the working
/// file still holds whole (a documentation example, say, which the file shows as it is). Only such
/// a line can make the merge's text look like a block Git never wrote; `=======` lines are left
/// out (a loose separator cannot frame a block, and a second one in a block is already a problem).
struct MarkerLines<'a>(std::collections::HashSet<&'a [u8]>);

impl<'a> MarkerLines<'a> {
    fn of(input: &[u8], stages: &'a Stages, size: usize) -> Self {
        use crate::conflict::{parse, Chunk, MarkerKind, ParseOptions};
        let mut lines = std::collections::HashSet::new();
        for text in stages.texts() {
            let parsed = parse(text, &ParseOptions { marker_size: size });
            if parsed.is_clean() {
                continue;
            }
            let whole_in_file = |block: &Block| {
                block.is_sound() && memchr::memmem::find(input, block.span.slice(text)).is_some()
            };
            for chunk in &parsed.chunks {
                let span = match chunk {
                    Chunk::Block(block) if whole_in_file(block) => continue,
                    Chunk::Block(block) => block.span,
                    Chunk::Text(span) => *span,
                };
                for line in span.slice(text).split(|&b| b == b'\n') {
                    let line = trim_line(line);
                    let marker = crate::conflict::parse_marker_line(line).is_some_and(|shape| {
                        shape.len == size
                            && matches!(
                                shape.kind,
                                MarkerKind::Start | MarkerKind::End | MarkerKind::Base
                            )
                    });
                    if marker {
                        lines.insert(line);
                    }
                }
            }
        }
        Self(lines)
    }

    /// Whether `line` (a marker line of the file, terminator included) is one of them.
    fn holds(&self, line: &[u8]) -> bool {
        !self.0.is_empty() && self.0.contains(trim_line(line))
    }
}

/// A line without its terminator (and without a BOM before it, for the first line).
fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Whether the merged versions say a block read with a base section is a merge-style block
/// whose ours side holds a `|||||||`-like line: ours holds everything from the start marker to
/// the separator, and theirs its side. (Git writes a base marker only in the diff3 styles, and
/// then every side is its version's text; a `|||||||` line in ours is read as the base marker by
/// Git's own reader too, and only the versions can tell.)
fn reads_as_merge_style(input: &[u8], block: &Block, stages: &Stages) -> bool {
    let (Some(ours), Some(theirs)) = (stages.ours.as_deref(), stages.theirs.as_deref()) else {
        return false;
    };
    let (Some(first), Some(separator)) = (block.sections.first(), block.side(Side::Theirs)) else {
        return false;
    };
    let Some(separator_line) = separator.marker.map(|m| m.line) else {
        return false;
    };
    let whole_ours = &input[first.body.start..separator_line.start];
    holds_side(ours, whole_ours) && holds_side(theirs, separator.body.slice(input))
}

/// Whether `version` holds `side` (a side as the markers show it) as lines: verbatim, or with
/// its last line's terminator added by Git (the version ended without one there), or with LF
/// line ends where the working file has CRLF (a checkout with `core.autocrlf`).
fn holds_side(version: &[u8], side: &[u8]) -> bool {
    let lf: Vec<u8>;
    let side = if memchr::memmem::find(side, b"\r\n").is_some() && !version.contains(&b'\r') {
        lf = side
            .split_inclusive(|&b| b == b'\n')
            .flat_map(|line| match line.strip_suffix(b"\r\n") {
                Some(body) => [body, b"\n"].concat(),
                None => line.to_vec(),
            })
            .collect();
        &lf[..]
    } else {
        side
    };
    if side.is_empty() || memchr::memmem::find(version, side).is_some() {
        return true;
    }
    let unterminated = side
        .strip_suffix(b"\n")
        .map(|s| s.strip_suffix(b"\r").unwrap_or(s));
    unterminated.is_some_and(|body| version.ends_with(body))
}

/// The sides of a Jujutsu block: snapshots and diffs (each diff leads to one side).
fn jujutsu_sides(block: &Block) -> usize {
    use crate::conflict::SectionKind;
    block
        .sections
        .iter()
        .filter(|s| matches!(s.kind, SectionKind::JjSide | SectionKind::JjDiff))
        .count()
}

impl Hold {
    /// Why, in a few words.
    #[must_use]
    pub const fn reason(self) -> &'static str {
        match self {
            Self::NotThisMergesConflict => {
                "an example in a code block, or text one side already held"
            }
            Self::Broken => "its markers are broken or ambiguous",
            Self::LoneMarkerInside => "it holds a conflict that never ends",
            Self::MayHaveEndedEarly => {
                "a lone end marker follows it, so it may end at a side's own line"
            }
            Self::StylesDisagree => "its base marker may be a line of its ours side",
            Self::AfterUnclosedStart => "it follows a conflict start marker that never ends",
            Self::MarkerIsText => {
                "one of its marker lines is a line of a merged version's own text"
            }
            Self::TooManyLoneMarkers => "the file has too many lone markers to read safely",
            Self::ManySides => "a conflict of more than two sides: each strategy would drop one",
            Self::NestedAlike => {
                "a conflict of the same marker size lies inside it, and without the merge's \
                 versions its markers may be a side's own lines"
            }
            Self::NoBase => {
                "its markers carry no base and Git no longer knows it (the diff3 conflict style \
                 writes one: git config merge.conflictStyle diff3)"
            }
            Self::NeedsJudgement => {
                "both sides changed the same lines: no rule settles that without a person"
            }
            Self::SideHoldsConflict => {
                "the side it would take holds a conflict of its own (nested markers); resolve \
                 that one first, or choose by hand"
            }
            Self::FileIsBroken => {
                "another conflict of the file is broken, so its markers may not be what they seem"
            }
        }
    }
}
