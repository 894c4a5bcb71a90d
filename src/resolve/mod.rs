//! Resolving conflicts: the pure core (a parse and a strategy in, the new bytes out) and the atomic
//! writer. Nothing here drops a byte the user did not choose to drop: a block a strategy cannot
//! resolve is written back exactly as it was.

pub mod candidate;
pub mod command;
pub mod diff;
pub mod diff_command;
pub mod known_base;
pub mod prompt;
pub mod sections;
pub mod write;

use similar::{capture_diff_slices, Algorithm, DiffOp};

use crate::conflict::{Block, ConflictedText, Side};
use crate::span::Span;
use known_base::ThreeWay;
use sections::MarkerStyle;

/// How to resolve every conflict block of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Take our side (`git merge-file --ours`).
    Ours,
    /// Take their side (`git merge-file --theirs`).
    Theirs,
    /// Take the base, where the markers carry one (diff3, zdiff3); other blocks stay.
    Base,
    /// Ours then theirs (`git merge-file --union`): in the merge style, lines both sides share are
    /// written once; with a base section, both sides whole, as Git does.
    Union,
    /// Only what needs no judgement: both sides equal, one side unchanged from the base, sides
    /// that differ only in whitespace or line endings, and, where a base is known, a merge section
    /// by section (only sections both sides changed stay in conflict). Everything else stays.
    Auto,
}

/// The outcome for one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The file's new bytes.
    pub bytes: Vec<u8>,
    /// Blocks resolved.
    pub resolved: usize,
    /// Blocks left as they were (and broken markers, which only a person can settle).
    pub remaining: usize,
}

/// Apply `strategy` to every top-level block of `input`.
#[must_use]
pub fn apply(input: &[u8], parsed: &ConflictedText, strategy: Strategy) -> Resolution {
    apply_with(input, parsed, strategy, &[])
}

/// [`apply`], with bases recovered from Git for blocks whose markers carry none (see
/// [`known_base`]): `base` and `auto` then work on those stretches as on diff3 blocks.
#[must_use]
pub fn apply_with(
    input: &[u8],
    parsed: &ConflictedText,
    strategy: Strategy,
    known: &[ThreeWay],
) -> Resolution {
    let blocks: Vec<&Block> = parsed.blocks().collect();
    let mut covered = vec![false; blocks.len()];
    // Replacements in the file, as (span, new text); what no replacement covers stays as it is.
    let mut edits: Vec<(Span, Vec<u8>)> = Vec::new();
    let (mut resolved, mut remaining) = (0, parsed.anomalies.len());
    for unit in known {
        let Some(first) = blocks.get(unit.blocks.start) else {
            continue;
        };
        if let Some((text, left)) = settle(unit, strategy, &MarkerStyle::of(input, first)) {
            covered[unit.blocks.clone()]
                .iter_mut()
                .for_each(|c| *c = true);
            if left == 0 {
                resolved += unit.blocks.len();
            } else {
                remaining += left;
            }
            edits.push((unit.span, text));
        }
    }
    for (block, _) in blocks.iter().zip(&covered).filter(|(_, &c)| !c) {
        if let Some(text) = resolve_block(input, block, strategy) {
            edits.push((block.span, text));
            resolved += 1;
        } else if let Some((text, left)) = (strategy == Strategy::Auto && block.problems.is_empty())
            .then(|| sections::merge(input, block))
            .flatten()
        {
            // Merged section by section; sections changed on both sides stay in conflict.
            edits.push((block.span, text));
            if left == 0 {
                resolved += 1;
            } else {
                remaining += left;
            }
        } else {
            remaining += 1;
        }
    }
    edits.sort_by_key(|(span, _)| span.start);
    let mut bytes = Vec::with_capacity(input.len());
    let mut at = 0;
    for (span, text) in edits {
        bytes.extend_from_slice(&input[at..span.start]);
        bytes.extend_from_slice(&text);
        at = span.end;
    }
    bytes.extend_from_slice(&input[at..]);
    Resolution {
        bytes,
        resolved,
        remaining,
    }
}

/// A stretch with a recovered base, under `strategy`: its new text and the conflicts left in it,
/// or `None` when the strategy does not use the base (ours, theirs and union are exact already).
fn settle(unit: &ThreeWay, strategy: Strategy, style: &MarkerStyle) -> Option<(Vec<u8>, usize)> {
    match strategy {
        Strategy::Base => Some((unit.base.clone(), 0)),
        Strategy::Auto => trivial(
            unit.ours.clone(),
            unit.theirs.clone(),
            Some(unit.base.clone()),
        )
        .map(|text| (text, 0))
        .or_else(|| sections::merge_texts(&unit.ours, &unit.base, &unit.theirs, style)),
        Strategy::Ours | Strategy::Theirs | Strategy::Union => None,
    }
}

/// The resolved text of one block, or `None` when the strategy leaves it alone.
fn resolve_block(input: &[u8], block: &Block, strategy: Strategy) -> Option<Vec<u8>> {
    if !block.problems.is_empty() {
        return None; // a broken block's sides are not trustworthy
    }
    let side = |s: Side| block.side_bytes(input, s).map(|b| b.into_owned());
    match strategy {
        Strategy::Ours => side(Side::Ours),
        Strategy::Theirs => side(Side::Theirs),
        Strategy::Base => side(Side::Base),
        // Git splits a conflict where the sides share lines only in the plain merge style; with
        // a base section (diff3, zdiff3) its --union writes both sides whole.
        Strategy::Union if block.side(Side::Base).is_some() => {
            Some([side(Side::Ours)?, side(Side::Theirs)?].concat())
        }
        Strategy::Union => Some(union(&side(Side::Ours)?, &side(Side::Theirs)?)),
        Strategy::Auto => trivial(side(Side::Ours)?, side(Side::Theirs)?, side(Side::Base)),
    }
}

/// Ours then theirs, with the lines both sides share written once, in order: what Git's
/// `--union` writes after it has split a conflict where the sides agree.
#[must_use]
pub fn union(ours: &[u8], theirs: &[u8]) -> Vec<u8> {
    let ours_lines: Vec<&[u8]> = ours.split_inclusive(|&b| b == b'\n').collect();
    let theirs_lines: Vec<&[u8]> = theirs.split_inclusive(|&b| b == b'\n').collect();
    let mut out = Vec::with_capacity(ours.len() + theirs.len());
    for op in capture_diff_slices(Algorithm::Myers, &ours_lines, &theirs_lines) {
        match op {
            DiffOp::Equal { old_index, len, .. }
            | DiffOp::Delete {
                old_index,
                old_len: len,
                ..
            } => {
                ours_lines[old_index..old_index + len]
                    .iter()
                    .for_each(|l| out.extend_from_slice(l));
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                theirs_lines[new_index..new_index + new_len]
                    .iter()
                    .for_each(|l| out.extend_from_slice(l));
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                ours_lines[old_index..old_index + old_len]
                    .iter()
                    .for_each(|l| out.extend_from_slice(l));
                theirs_lines[new_index..new_index + new_len]
                    .iter()
                    .for_each(|l| out.extend_from_slice(l));
            }
        }
    }
    out
}

/// The resolutions that need no judgement.
fn trivial(ours: Vec<u8>, theirs: Vec<u8>, base: Option<Vec<u8>>) -> Option<Vec<u8>> {
    if ours == theirs {
        return Some(ours);
    }
    if let Some(base) = base {
        if ours == base {
            return Some(theirs);
        }
        if theirs == base {
            return Some(ours);
        }
    }
    let squeeze = |b: &[u8]| {
        b.iter()
            .copied()
            .filter(|c| !c.is_ascii_whitespace())
            .collect::<Vec<u8>>()
    };
    // Only whitespace or line endings differ: keep ours, the version the branch already has.
    (squeeze(&ours) == squeeze(&theirs)).then_some(ours)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{parse, ParseOptions};

    fn run(text: &str, strategy: Strategy) -> (String, usize, usize) {
        let parsed = parse(text.as_bytes(), &ParseOptions::default());
        let r = apply(text.as_bytes(), &parsed, strategy);
        (
            String::from_utf8(r.bytes).expect("UTF-8"),
            r.resolved,
            r.remaining,
        )
    }

    const MERGE: &str = "top\n<<<<<<< HEAD\nsame\nours\n=======\nsame\ntheirs\n>>>>>>> b\nend\n";

    #[test]
    fn sides_and_union() {
        assert_eq!(
            run(MERGE, Strategy::Ours),
            ("top\nsame\nours\nend\n".into(), 1, 0)
        );
        assert_eq!(
            run(MERGE, Strategy::Theirs),
            ("top\nsame\ntheirs\nend\n".into(), 1, 0)
        );
        assert_eq!(
            run(MERGE, Strategy::Union),
            ("top\nsame\nours\ntheirs\nend\n".into(), 1, 0)
        );
        // No base in the merge style: the block stays, byte for byte.
        assert_eq!(run(MERGE, Strategy::Base), (MERGE.into(), 0, 1));
    }

    #[test]
    fn union_with_a_base_keeps_both_sides_whole() {
        let diff3 =
            "<<<<<<< HEAD\nsame\nours\n||||||| base\nold\n=======\nsame\ntheirs\n>>>>>>> b\n";
        assert_eq!(
            run(diff3, Strategy::Union),
            ("same\nours\nsame\ntheirs\n".into(), 1, 0)
        );
    }

    #[test]
    fn auto_takes_only_trivial_resolutions() {
        let one_side_changed = "<<<<<<< HEAD\nold\n||||||| base\nold\n=======\nnew\n>>>>>>> b\n";
        assert_eq!(
            run(one_side_changed, Strategy::Auto),
            ("new\n".into(), 1, 0)
        );
        let whitespace = "<<<<<<< HEAD\na  b\n=======\na b\n>>>>>>> x\n";
        assert_eq!(run(whitespace, Strategy::Auto), ("a  b\n".into(), 1, 0));
        assert_eq!(run(MERGE, Strategy::Auto), (MERGE.into(), 0, 1));
    }

    #[test]
    fn a_jujutsu_block_with_only_base_sections_is_left_alone() {
        // Found by the conflict_parse fuzz target: such a block has no side to take (Jujutsu
        // writes at least two), so `ours` leaves it and the ours reconstruction does not exist.
        let text = "a\n<<<<<<< conflict 1 of 1\n-------\nbase\n-------\nother\n>>>>>>> end\n";
        let parsed = parse(text.as_bytes(), &ParseOptions::default());
        let block = parsed.blocks().next().expect("a block");
        assert_eq!(block.dialect, crate::conflict::Dialect::Jujutsu);
        assert!(parsed.choose(text.as_bytes(), Side::Ours).is_none());
        assert_eq!(run(text, Strategy::Ours), (text.into(), 0, 1));
        assert_eq!(run(text, Strategy::Auto), (text.into(), 0, 1));
    }

    #[test]
    fn broken_markers_are_left_alone_and_counted() {
        let text = "a\n>>>>>>> gone\n<<<<<<< HEAD\nx\n>>>>>>> y\n";
        assert_eq!(run(text, Strategy::Ours), (text.into(), 0, 2));
    }
}
