//! The resolutions of one conflict region. Pure.
//!
//! [`generate`] is the one place the ways to resolve a block are made: the strategies pick from
//! its candidates by kind, the interactive resolver offers them (without duplicates) to people.

use std::borrow::Cow;

use similar::{capture_diff_slices, Algorithm, DiffOp};

use crate::conflict::{Block, Side};
use crate::lint::Stages;

use super::known_base::ThreeWay;
use super::sections;

/// What a candidate is: which sides it takes, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CandidateKind {
    /// Our side.
    Ours,
    /// Their side.
    Theirs,
    /// The base: from the markers (diff3, zdiff3), or recovered from Git.
    Base,
    /// Ours then theirs, both whole (`git merge-file --union`).
    OursThenTheirs,
    /// Theirs then ours, both whole.
    TheirsThenOurs,
    /// Ours then theirs, with the lines both sides share written once.
    Union,
    /// The resolution that needs no judgement, when there is one (see [`trivial`]).
    Trivial,
    /// The section-aware merge (see [`sections`]); sections changed on both sides stay in
    /// conflict.
    Sections,
    /// The precise merge of the block's three versions (see [`super::merge`]): the same change
    /// once, items added to a sorted list, edits of different items, a change contained in the
    /// other side's.
    LineMerge,
}

impl CandidateKind {
    /// Its name in machine-readable output and `--verbose`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            CandidateKind::Ours => "ours",
            CandidateKind::Theirs => "theirs",
            CandidateKind::Base => "base",
            CandidateKind::OursThenTheirs => "ours-then-theirs",
            CandidateKind::TheirsThenOurs => "theirs-then-ours",
            CandidateKind::Union => "union",
            CandidateKind::Trivial => "trivial",
            CandidateKind::Sections => "sections",
            CandidateKind::LineMerge => "line-merge",
        }
    }

    /// Every kind, in the order [`generate`] makes them (and the prompt lists them before ranking).
    pub const ALL: [CandidateKind; 9] = [
        CandidateKind::Ours,
        CandidateKind::Theirs,
        CandidateKind::Base,
        CandidateKind::OursThenTheirs,
        CandidateKind::TheirsThenOurs,
        CandidateKind::Union,
        CandidateKind::Trivial,
        CandidateKind::Sections,
        CandidateKind::LineMerge,
    ];
}

/// One way to resolve a region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// What it is.
    pub kind: CandidateKind,
    /// The text that replaces the region.
    pub text: Vec<u8>,
    /// Conflicts the text still holds (a section merge may leave some).
    pub conflicts: usize,
    /// Whether it takes a side that holds a conflict of its own (a nested block): then its text
    /// is not free of conflicts, and no strategy takes it (people may still choose it).
    pub takes_nested: bool,
    /// The merge rules that made it (a line merge's; empty for the other kinds).
    pub rules: Vec<super::merge::Rule>,
}

/// The candidates of `kinds` for `block`, in the order of [`CandidateKind::ALL`]; `known_base`,
/// recovered from Git, stands in for a base the markers do not carry. A kind that does not apply
/// (no base, no second side, sections that do not line up) is left out; duplicates are kept, so
/// each kind is there when it applies. Asking only for some `kinds` spares the work of the others
/// (the union's line diff, the section merge).
#[must_use]
pub fn generate(
    input: &[u8],
    block: &Block,
    known_base: Option<&[u8]>,
    kinds: &[CandidateKind],
    literal: bool,
) -> Vec<Candidate> {
    let side = |s: Side| block.side_bytes(input, s).map(Cow::into_owned);
    let nested = |s: Side| {
        block
            .side(s)
            .is_some_and(|section| !section.nested.is_empty())
    };
    let (ours, theirs) = (side(Side::Ours), side(Side::Theirs));
    let base = side(Side::Base).or_else(|| known_base.map(<[u8]>::to_vec));
    let both = ours.as_deref().zip(theirs.as_deref());
    let sides_nested = nested(Side::Ours) || nested(Side::Theirs);
    // Headings and items mean nothing in code, a comment or the front matter (`literal`).
    let literal = || literal;
    let mut list = Vec::new();
    for kind in CandidateKind::ALL.into_iter().filter(|k| kinds.contains(k)) {
        let mut rules = Vec::new();
        let (text, conflicts, takes_nested) = match kind {
            CandidateKind::Ours => (ours.clone(), 0, nested(Side::Ours)),
            CandidateKind::Theirs => (theirs.clone(), 0, nested(Side::Theirs)),
            CandidateKind::Base => (base.clone(), 0, nested(Side::Base)),
            CandidateKind::OursThenTheirs => (both.map(|(o, t)| [o, t].concat()), 0, sides_nested),
            CandidateKind::TheirsThenOurs => (both.map(|(o, t)| [t, o].concat()), 0, sides_nested),
            CandidateKind::Union => (both.map(|(o, t)| union(o, t)), 0, sides_nested),
            CandidateKind::Trivial => {
                // A base holding a conflict of its own is no base to compare with.
                let reference = base.as_deref().filter(|_| !nested(Side::Base));
                let text = both.and_then(|(o, t)| trivial(o, t, reference));
                (text, 0, sides_nested)
            }
            CandidateKind::Sections => {
                let style = sections::MarkerStyle::of(input, block);
                let merged = both
                    .zip(base.as_deref())
                    .filter(|_| !literal())
                    .and_then(|((o, t), b)| sections::merge_texts(o, b, t, &style));
                match merged {
                    Some((text, left)) => (Some(text), left, false),
                    None => (None, 0, false),
                }
            }
            CandidateKind::LineMerge => {
                let (before, after) = neighbours(input, block.span);
                let around = super::merge::Around {
                    before: &before,
                    after: &after,
                };
                let utf8 = |b: &[u8]| std::str::from_utf8(b).ok().map(str::to_owned);
                let merged = both
                    .zip(base.as_deref())
                    .filter(|_| !sides_nested && !nested(Side::Base) && !literal())
                    .and_then(|((o, t), b)| {
                        let (o, b, t) = (utf8(o)?, utf8(b)?, utf8(t)?);
                        super::merge::merge_region(&b, &o, &t, around)
                    });
                let text = merged.map(|m| {
                    rules = m.rules;
                    m.text.into_bytes()
                });
                (text, 0, false)
            }
        };
        if let Some(text) = text {
            list.push(Candidate {
                kind,
                text,
                conflicts,
                takes_nested,
                rules,
            });
        }
    }
    list
}

/// Per top-level block of `parsed`, whether it touches literal text (code, HTML, front matter) in
/// one of its versions: where the merges that read headings and items stay out.
#[must_use]
pub fn literal_blocks(input: &[u8], parsed: &crate::conflict::ConflictedText) -> Vec<bool> {
    type Versions<'a> = [Option<Cow<'a, [u8]>>; 3];
    let sides: Vec<(crate::span::Span, Versions<'_>)> = parsed
        .blocks()
        .map(|b| {
            (
                b.span,
                [Side::Ours, Side::Base, Side::Theirs].map(|s| b.side_bytes(input, s)),
            )
        })
        .collect();
    let regions: Vec<(crate::span::Span, [Option<&[u8]>; 3])> = sides
        .iter()
        .map(|(span, v)| (*span, [v[0].as_deref(), v[1].as_deref(), v[2].as_deref()]))
        .collect();
    crate::markdown::literal::regions_touching_literal_text(input, &regions)
}

/// The file's lines just before and just after `block`, as far as [`AROUND`] lines (a list the
/// block is part of goes on there); each side stops at a line that is not UTF-8.
fn neighbours(input: &[u8], span: crate::span::Span) -> (Vec<&str>, Vec<&str>) {
    fn utf8(line: &[u8]) -> Option<&str> {
        std::str::from_utf8(line).ok()
    }
    // Nearest first on both sides, so a line that is not UTF-8 ends each side where it is; past
    // AROUND lines, only as far as the list or table they are in goes on (its order, its header).
    fn side<'a>(lines: impl Iterator<Item = &'a [u8]>) -> Vec<&'a str> {
        lines
            .map_while(utf8)
            .enumerate()
            .take_while(|(i, line)| *i < AROUND || super::merge::is_item(line))
            .map(|(_, line)| line)
            .collect()
    }
    let mut before = side(input[..span.start].split_inclusive(|&b| b == b'\n').rev());
    before.reverse();
    let after = side(input[span.end..].split_inclusive(|&b| b == b'\n'));
    (before, after)
}

/// How many lines around a block a list rule looks at.
const AROUND: usize = 200;

/// The candidates of `kinds` for a stretch whose base was recovered from Git (see
/// [`super::known_base`]), which may cover several blocks and the lines Git moved out of them:
/// the base, the trivial resolution, the precise merge and the section-aware merge (written in
/// `style`). Ours,
/// theirs and the union need no base: they are made block by block, exactly as the markers say.
#[must_use]
pub fn for_stretch(
    input: &[u8],
    unit: &ThreeWay,
    style: &sections::MarkerStyle,
    kinds: &[CandidateKind],
    literal: bool,
) -> Vec<Candidate> {
    let (ours, base, theirs) = (&unit.ours, &unit.base, &unit.theirs);
    let mut list = Vec::new();
    for kind in CandidateKind::ALL.into_iter().filter(|k| kinds.contains(k)) {
        let mut rules = Vec::new();
        let made = match kind {
            CandidateKind::Base => Some((base.clone(), 0)),
            CandidateKind::Trivial => trivial(ours, theirs, Some(base)).map(|text| (text, 0)),
            CandidateKind::Sections if !literal => sections::merge_texts(ours, base, theirs, style),
            CandidateKind::LineMerge if !literal => {
                let (before, after) = neighbours(input, unit.span);
                let around = super::merge::Around {
                    before: &before,
                    after: &after,
                };
                let utf8 = |b: &[u8]| std::str::from_utf8(b).ok().map(str::to_owned);
                let (o, b, t) = (utf8(ours), utf8(base), utf8(theirs));
                o.zip(b).zip(t).and_then(|((o, b), t)| {
                    let merged = super::merge::merge_region(&b, &o, &t, around)?;
                    rules = merged.rules;
                    Some((merged.text.into_bytes(), 0))
                })
            }
            _ => None,
        };
        if let Some((text, conflicts)) = made {
            list.push(Candidate {
                kind,
                text,
                conflicts,
                takes_nested: false,
                rules,
            });
        }
    }
    list
}

/// The candidates worth offering for `block`: every kind that applies (see [`generate`]), each
/// text once (the first kind that makes it). A block without both sides (a Jujutsu block of
/// bases only) offers nothing.
#[must_use]
pub fn candidates(
    input: &[u8],
    block: &Block,
    known_base: Option<&[u8]>,
    literal: bool,
) -> Vec<Candidate> {
    let mut list = generate(input, block, known_base, &CandidateKind::ALL, literal);
    let has = |list: &[Candidate], kind| list.iter().any(|c: &Candidate| c.kind == kind);
    if !(has(&list, CandidateKind::Ours) && has(&list, CandidateKind::Theirs)) {
        return Vec::new();
    }
    let mut seen: Vec<Vec<u8>> = Vec::new();
    list.retain(|c| {
        let fresh = !seen.contains(&c.text);
        seen.push(c.text.clone());
        fresh
    });
    list
}

/// `candidate` for a block that ends the file, with the final newline each version had (Git's
/// markers end every side with one): a side, and the second side of both orders, as `git
/// merge-file` writes them from the index stages. Without stages, the file is all there is.
#[must_use]
pub fn ending_the_file(
    mut candidate: Candidate,
    input: &[u8],
    block: &Block,
    stages: &Stages,
) -> Candidate {
    let side = |s: Side| block.side_bytes(input, s);
    let restore = |text: &[u8], version: &Option<Vec<u8>>| {
        restore_final_newline(text.to_vec(), version.as_deref())
    };
    let both = || side(Side::Ours).zip(side(Side::Theirs));
    candidate.text = match candidate.kind {
        CandidateKind::Ours => restore(&candidate.text, &stages.ours),
        CandidateKind::Theirs => restore(&candidate.text, &stages.theirs),
        CandidateKind::Base => restore(&candidate.text, &stages.base),
        CandidateKind::OursThenTheirs => match both() {
            Some((o, t)) => [o.to_vec(), restore(&t, &stages.theirs)].concat(),
            None => candidate.text,
        },
        CandidateKind::TheirsThenOurs => match both() {
            Some((o, t)) => [t.to_vec(), restore(&o, &stages.ours)].concat(),
            None => candidate.text,
        },
        // Both sides' lines: the final newline only when a side had one.
        CandidateKind::LineMerge => {
            let lacks = |v: &Option<Vec<u8>>| {
                v.as_deref()
                    .is_some_and(|v| !v.is_empty() && !v.ends_with(b"\n"))
            };
            if lacks(&stages.ours) && lacks(&stages.theirs) {
                // Cut where the version the last line comes from ends without one.
                let from_ours = restore(&candidate.text, &stages.ours);
                if from_ours.len() < candidate.text.len() {
                    from_ours
                } else {
                    restore(&candidate.text, &stages.theirs)
                }
            } else {
                candidate.text
            }
        }
        CandidateKind::Union | CandidateKind::Trivial | CandidateKind::Sections => candidate.text,
    };
    candidate
}

/// `text` (a side as the markers show it, so ending in a line terminator) without that final
/// terminator when `version`, the file it came from, ends with the same line and no terminator.
pub(super) fn restore_final_newline(mut text: Vec<u8>, version: Option<&[u8]>) -> Vec<u8> {
    let Some(version) = version else {
        return text;
    };
    if version.is_empty() || version.ends_with(b"\n") {
        return text;
    }
    let cut = if text.ends_with(b"\r\n") {
        2
    } else if text.ends_with(b"\n") {
        1
    } else {
        return text;
    };
    let body = &text[..text.len() - cut];
    let last_line = body
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(body, |i| &body[i + 1..]);
    if version.ends_with(last_line) && !last_line.is_empty() {
        text.truncate(text.len() - cut);
    }
    text
}

/// Ours then theirs, with the lines both sides share written once, in order (an interactive
/// candidate; Git's `--union` keeps both sides whole).
#[must_use]
pub fn union(ours: &[u8], theirs: &[u8]) -> Vec<u8> {
    let ours_lines: Vec<&[u8]> = ours.split_inclusive(|&b| b == b'\n').collect();
    let theirs_lines: Vec<&[u8]> = theirs.split_inclusive(|&b| b == b'\n').collect();
    let mut out = Vec::with_capacity(ours.len() + theirs.len());
    let mut take = |lines: &[&[u8]]| lines.iter().for_each(|l| out.extend_from_slice(l));
    for op in capture_diff_slices(Algorithm::Myers, &ours_lines, &theirs_lines) {
        match op {
            DiffOp::Equal { old_index, len, .. }
            | DiffOp::Delete {
                old_index,
                old_len: len,
                ..
            } => take(&ours_lines[old_index..old_index + len]),
            DiffOp::Insert {
                new_index, new_len, ..
            } => take(&theirs_lines[new_index..new_index + new_len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                take(&ours_lines[old_index..old_index + old_len]);
                take(&theirs_lines[new_index..new_index + new_len]);
            }
        }
    }
    out
}

/// The resolution that needs no judgement, if there is one: both sides equal, one side unchanged
/// from `base`, or sides that differ only in trailing whitespace or line endings (then ours).
#[must_use]
pub fn trivial(ours: &[u8], theirs: &[u8], base: Option<&[u8]>) -> Option<Vec<u8>> {
    if ours == theirs {
        return Some(ours.to_vec());
    }
    if let Some(base) = base {
        if ours == base {
            return Some(theirs.to_vec());
        }
        if theirs == base {
            return Some(ours.to_vec());
        }
    }
    // Only trailing whitespace or line endings differ: keep ours, the version the branch already
    // has. (Whitespace inside a line, indentation and blank lines all mean something in Markdown:
    // `foo bar` is not `foobar`, four spaces make a code block; and a line that ends in two
    // spaces is a hard line break, so whether it does counts too: `foo \t ` is a soft break.)
    let lines = |b: &[u8]| -> Vec<(Vec<u8>, bool)> {
        b.split_inclusive(|&c| c == b'\n')
            .map(|line| {
                let line = line.strip_suffix(b"\n").unwrap_or(line);
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let trailing = &line[line.trim_ascii_end().len()..];
                let hard_break = line.ends_with(b"  ");
                (line[..line.len() - trailing.len()].to_vec(), hard_break)
            })
            .collect()
    };
    (lines(ours) == lines(theirs)).then(|| ours.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{parse, ParseOptions};

    #[test]
    fn candidates_without_duplicates() {
        let input = b"<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> t\n";
        let parsed = parse(input, &ParseOptions::default());
        let block = parsed.blocks().next().expect("a block");
        let kinds: Vec<CandidateKind> = candidates(input, block, None, false)
            .iter()
            .map(|c| c.kind)
            .collect();
        // The union of two different single lines is ours then theirs: offered once.
        assert_eq!(
            kinds,
            [
                CandidateKind::Ours,
                CandidateKind::Theirs,
                CandidateKind::OursThenTheirs,
                CandidateKind::TheirsThenOurs
            ]
        );
    }
}
