//! Bases for conflicts whose markers carry none (Git's default merge style), recovered from what
//! Git still knows: the index stages 1/2/3 of an unmerged path, or the commits the labels name.
//!
//! The shell asks git2 to merge those three versions again in the diff3 style (the *reference*);
//! this module, pure, then lines the reference's regions up with the working file's blocks and
//! keeps only exact matches. A region is trusted only when the stretch of the working file it
//! accounts for reads, side by side, exactly as the reference: with ours chosen it is the
//! reference's ours, with theirs chosen its theirs. A block edited by hand, a file merged with
//! another diff algorithm, or blobs that are not the ones the markers came from simply match
//! nothing, and then no base is known: a wrong base would silently drop one side's change.

use std::ops::Range;

use crate::conflict::{parse, Block, Chunk, ConflictedText, Dialect, ParseOptions, Side};
use crate::span::Span;

pub use crate::conflict::REFERENCE_MARKER_SIZE;

/// How many reference regions past the expected one a block is compared with before it is given
/// up (Git and git2 may cut a merge into regions differently; the matching stays linear).
const LOOKAHEAD: usize = 4;

/// A stretch of the working file that one reference region accounts for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreeWay {
    /// Whole lines of the working file: the block(s), plus the lines both sides share that Git's
    /// merge style moved out of the conflict (they lie in the clean text around it).
    pub span: Span,
    /// The top-level blocks it covers (indices in file order).
    pub blocks: Range<usize>,
    /// The common ancestor's text for the stretch.
    pub base: Vec<u8>,
    /// Ours for the whole stretch.
    pub ours: Vec<u8>,
    /// Theirs for the whole stretch.
    pub theirs: Vec<u8>,
}

impl ThreeWay {
    /// The base of the one block it covers, for that block alone (what the interactive resolver
    /// offers per region): the stretch's base without the shared lines around the block, when
    /// the base holds them too.
    #[must_use]
    pub fn block_base(&self, block: &Block) -> Option<&[u8]> {
        if self.blocks.len() != 1 || block.span.start < self.span.start {
            return None;
        }
        let prefix = block.span.start - self.span.start;
        let suffix = self.span.end.checked_sub(block.span.end)?;
        let (ours, base) = (&self.ours, &self.base);
        (base.len() >= prefix + suffix
            && base[..prefix] == ours[..prefix]
            && base[base.len() - suffix..] == ours[ours.len() - suffix..])
            .then(|| &base[prefix..base.len() - suffix])
    }
}

/// Line the reference's regions up with the working file's blocks; see the module docs.
///
/// Only plain Git blocks without a base section and without structural problems take part.
#[must_use]
pub fn align(input: &[u8], parsed: &ConflictedText, reference: &[u8]) -> Vec<ThreeWay> {
    let reference_parse = parse(
        reference,
        &ParseOptions {
            marker_size: REFERENCE_MARKER_SIZE,
        },
    );
    let regions: Vec<Triple> = reference_parse
        .blocks()
        .filter_map(|b| Triple::of(reference, b))
        .collect();
    let blocks = working_blocks(input, parsed);
    let mut found = Vec::new();
    let (mut next_region, mut k, mut claimed) = (0, 0, 0);
    while k < blocks.len() {
        let hit = (next_region..regions.len().min(next_region + LOOKAHEAD))
            .find_map(|r| match_at(input, &blocks, k, &regions[r], claimed).map(|unit| (r, unit)));
        match hit {
            Some((r, unit)) => {
                next_region = r + 1;
                k = unit.blocks.end;
                claimed = unit.span.end;
                found.push(unit);
            }
            None => k += 1,
        }
    }
    found
}

/// One reference region's three texts.
struct Triple {
    base: Vec<u8>,
    ours: Vec<u8>,
    theirs: Vec<u8>,
}

impl Triple {
    fn of(reference: &[u8], block: &Block) -> Option<Self> {
        if !block.problems.is_empty() {
            return None;
        }
        let side = |s: Side| block.side_bytes(reference, s).map(|b| b.into_owned());
        Some(Self {
            base: side(Side::Base)?,
            ours: side(Side::Ours)?,
            theirs: side(Side::Theirs)?,
        })
    }
}

/// A working-file block with the clean text on either side of it.
struct WorkingBlock<'a> {
    /// `None` for blocks that cannot take part (a base of their own, Jujutsu, broken).
    sides: Option<(&'a [u8], &'a [u8])>,
    span: Span,
    before: Span,
    after: Span,
}

fn working_blocks<'a>(input: &'a [u8], parsed: &'a ConflictedText) -> Vec<WorkingBlock<'a>> {
    let mut out = Vec::new();
    let mut before = Span::new(0, 0);
    let chunks = &parsed.chunks;
    for (i, chunk) in chunks.iter().enumerate() {
        match chunk {
            Chunk::Text(span) => before = *span,
            Chunk::Block(block) => {
                if before.end != block.span.start {
                    before = Span::new(block.span.start, block.span.start);
                }
                let after = match chunks.get(i + 1) {
                    Some(Chunk::Text(span)) => *span,
                    _ => Span::new(block.span.end, block.span.end),
                };
                let eligible = block.dialect == Dialect::Git
                    && block.problems.is_empty()
                    && block.side(Side::Base).is_none();
                let body = |s: Side| block.side(s).map(|section| section.body.slice(input));
                out.push(WorkingBlock {
                    sides: if eligible {
                        body(Side::Ours).zip(body(Side::Theirs))
                    } else {
                        None
                    },
                    span: block.span,
                    before,
                    after,
                });
            }
        }
    }
    out
}

/// The stretch starting at block `k` that `region` accounts for, if any: blocks `k..k+n` with the
/// text between them, preceded by a shared prefix and followed by a shared suffix that the clean
/// text around them holds (and that no earlier stretch, ending at `claimed`, has taken).
fn match_at(
    input: &[u8],
    blocks: &[WorkingBlock<'_>],
    k: usize,
    region: &Triple,
    claimed: usize,
) -> Option<ThreeWay> {
    let mut inner_ours = Vec::new();
    let mut inner_theirs = Vec::new();
    let first = &blocks[k];
    for n in 1..=blocks.len() - k {
        let current = &blocks[k + n - 1];
        let (ours, theirs) = current.sides?;
        if n > 1 {
            // The clean text between the previous block and this one belongs to both sides.
            let between = current.before.slice(input);
            inner_ours.extend_from_slice(between);
            inner_theirs.extend_from_slice(between);
        }
        inner_ours.extend_from_slice(ours);
        inner_theirs.extend_from_slice(theirs);
        if inner_ours.len() > region.ours.len() || inner_theirs.len() > region.theirs.len() {
            return None;
        }
        if let Some((prefix, suffix)) = frame(region, &inner_ours, &inner_theirs) {
            // The shared prefix must end the clean text before the first block (whole lines, not
            // taken by an earlier stretch), the shared suffix begin the text after the last.
            let fits = first.before.len() >= prefix && current.after.len() >= suffix && {
                let (start, end) = (first.span.start - prefix, current.span.end + suffix);
                start >= claimed
                    && (start == 0 || input[start - 1] == b'\n')
                    && input[start..first.span.start] == region.ours[..prefix]
                    && input[current.span.end..end] == region.ours[region.ours.len() - suffix..]
            };
            if fits {
                return Some(ThreeWay {
                    span: Span::new(first.span.start - prefix, current.span.end + suffix),
                    blocks: k..k + n,
                    base: region.base.clone(),
                    ours: region.ours.clone(),
                    theirs: region.theirs.clone(),
                });
            }
        }
    }
    None
}

/// The lengths of the prefix and suffix that, around `inner_ours` / `inner_theirs`, make up the
/// region's ours and theirs exactly (the same prefix and suffix on both sides); the shortest
/// prefix at a line boundary wins.
fn frame(region: &Triple, inner_ours: &[u8], inner_theirs: &[u8]) -> Option<(usize, usize)> {
    let (ours, theirs) = (&region.ours, &region.theirs);
    let extra = ours.len() - inner_ours.len();
    if theirs.len() - inner_theirs.len() != extra {
        return None;
    }
    (0..=extra)
        .filter(|&p| p == 0 || ours[p - 1] == b'\n')
        .find(|&p| {
            let s = extra - p;
            ours[p..p + inner_ours.len()] == *inner_ours
                && theirs[p..p + inner_theirs.len()] == *inner_theirs
                && ours[..p] == theirs[..p]
                && ours[ours.len() - s..] == theirs[theirs.len() - s..]
        })
        .map(|p| (p, extra - p))
}

/// Git's three versions of a file merged again in the diff3 style with
/// [`REFERENCE_MARKER_SIZE`] markers, asked by the labels of its first block (the shell reads
/// them from the index stages or the commits the labels name).
pub type Reference<'a> = &'a dyn Fn(Option<&[u8]>, Option<&[u8]>) -> Option<Vec<u8>>;

/// Bases for the blocks whose markers carry none, from Git's reference merge of the file's three
/// versions, kept only where the working file still reads exactly as Git's merge of them.
#[must_use]
pub fn known_bases(
    input: &[u8],
    parsed: &ConflictedText,
    reference: Reference<'_>,
) -> Vec<ThreeWay> {
    let Some(first) = parsed
        .blocks()
        .find(|b| b.side(crate::conflict::Side::Base).is_none())
    else {
        return Vec::new();
    };
    let label = |span: Option<Span>| span.map(|s| s.slice(input));
    let Some(mut reference) = reference(label(first.start.label), label(first.end.label)) else {
        return Vec::new();
    };
    // A checkout with `core.autocrlf` writes CRLF where the blobs hold LF.
    if first.start.line.slice(input).ends_with(b"\r\n") && !reference.contains(&b'\r') {
        reference = reference
            .split_inclusive(|&b| b == b'\n')
            .flat_map(|line| match line.strip_suffix(b"\n") {
                Some(body) => [body, b"\r\n"].concat(),
                None => line.to_vec(),
            })
            .collect();
    }
    align(input, parsed, &reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(ours: &str, base: &str, theirs: &str) -> String {
        let m = |c: char| c.to_string().repeat(REFERENCE_MARKER_SIZE);
        format!(
            "top\n{} ours\n{ours}{} base\n{base}{}\n{theirs}{} theirs\nend\n",
            m('<'),
            m('|'),
            m('='),
            m('>')
        )
    }

    fn run(working: &str, reference: &str) -> Vec<ThreeWay> {
        let parsed = parse(working.as_bytes(), &ParseOptions::default());
        align(working.as_bytes(), &parsed, reference.as_bytes())
    }

    #[test]
    fn a_block_as_git_wrote_it_gets_the_base() {
        let working = "top\n<<<<<<< HEAD\nx1\n=======\nx2\n>>>>>>> b\nend\n";
        let found = run(working, &reference("x1\n", "x\n", "x2\n"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].base, b"x\n");
        assert_eq!(found[0].blocks, 0..1);
        assert_eq!(
            found[0].span.slice(working.as_bytes()),
            &working.as_bytes()[4..41]
        );
    }

    #[test]
    fn shared_lines_moved_out_of_the_conflict_are_part_of_the_stretch() {
        // Git's merge style moves the line both sides added ("same") out of the block.
        let working = "top\nsame\n<<<<<<< HEAD\nx1\n=======\nx2\n>>>>>>> b\nend\n";
        let found = run(working, &reference("same\nx1\n", "x\n", "same\nx2\n"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.start, 4);
        // The base does not hold the shared line: no base for the block alone.
        assert!(found[0].block_base(first_block(working)).is_none());
        let found = run(working, &reference("same\nx1\n", "same\nx\n", "same\nx2\n"));
        assert_eq!(found[0].block_base(first_block(working)), Some(&b"x\n"[..]));
    }

    #[test]
    fn a_region_split_in_two_blocks_is_one_stretch() {
        let working = "top\n<<<<<<< HEAD\na1\n=======\na2\n>>>>>>> b\nmid\n<<<<<<< HEAD\nc1\n=======\nc2\n>>>>>>> b\nend\n";
        let found = run(
            working,
            &reference("a1\nmid\nc1\n", "a\nb\nc\n", "a2\nmid\nc2\n"),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].blocks, 0..2);
    }

    #[test]
    fn a_block_edited_by_hand_gets_nothing() {
        let working = "top\n<<<<<<< HEAD\nx1 edited\n=======\nx2\n>>>>>>> b\nend\n";
        assert!(run(working, &reference("x1\n", "x\n", "x2\n")).is_empty());
        // Nor does a block whose surroundings do not hold the shared prefix.
        let working = "top\n<<<<<<< HEAD\nx1\n=======\nx2\n>>>>>>> b\nend\n";
        assert!(run(working, &reference("same\nx1\n", "x\n", "same\nx2\n")).is_empty());
    }

    fn first_block(working: &str) -> &'static Block {
        let parsed = Box::leak(Box::new(parse(
            working.as_bytes(),
            &ParseOptions::default(),
        )));
        parsed.blocks().next().expect("a block")
    }
}
