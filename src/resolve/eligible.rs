//! Which blocks a resolver may replace at all. A block is touched only when the file can be read
//! one way only around it; everything else is left byte for byte, and counted as remaining.

use crate::conflict::{AnomalyKind, Block, ConflictedText, Dialect, Side};
use crate::lint::Classification;

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
    /// Other blocks of the file have no base section, so this one's `|||||||` line may be a side's
    /// own line rather than a base marker.
    StylesDisagree,
    /// So many lone markers that not all were recorded.
    TooManyLoneMarkers,
}

/// For each top-level block, `None` when it may be resolved, or why it is held.
#[must_use]
pub fn holds(parsed: &ConflictedText, roles: &Classification) -> Vec<Option<Hold>> {
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
            if !role.is_resolvable_conflict() {
                Some(Hold::NotThisMergesConflict)
            } else if !block.problems.is_empty() {
                Some(Hold::Broken)
            } else if parsed.omitted_anomalies > 0 {
                Some(Hold::TooManyLoneMarkers)
            } else if inside {
                Some(Hold::LoneMarkerInside)
            } else if after {
                Some(Hold::MayHaveEndedEarly)
            } else if styles_disagree
                && block.dialect == Dialect::Git
                && block.side(Side::Base).is_some()
            {
                Some(Hold::StylesDisagree)
            } else {
                None
            }
        })
        .collect()
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
            Self::StylesDisagree => {
                "other blocks have no base, so its base marker may be a side's own line"
            }
            Self::TooManyLoneMarkers => "the file has too many lone markers to read safely",
        }
    }
}
