//! What each side of a conflict changed: for every region, ours against theirs (and the base
//! against each side when the markers carry one), line by line with word-level emphasis. Pure:
//! the parse in, values out; rendering lives in the command.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::conflict::{Block, ConflictedText, Dialect, SectionKind, Side};
use crate::span::LineIndex;
use crate::text::escape_for_display;

/// The diffs of one conflict region.
#[derive(Clone, Debug, Serialize)]
pub struct RegionDiff {
    /// 1-based line of the start marker.
    pub start_line: usize,
    /// 1-based line of the end marker.
    pub end_line: usize,
    /// Ours, then base against ours and base against theirs when there is a base.
    /// Why the sides are not shown, when the block's structure does not say which line is whose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    pub pairs: Vec<PairDiff>,
}

/// One side against another.
#[derive(Clone, Debug, Serialize)]
pub struct PairDiff {
    /// The old side.
    pub from: Side,
    /// The new side.
    pub to: Side,
    /// The old side's label (`HEAD`), if written.
    pub from_label: Option<String>,
    /// The new side's label, if written.
    pub to_label: Option<String>,
    /// Every line of both sides, in diff order.
    pub lines: Vec<DiffLine>,
}

/// Where a line of a diff is: in both sides, only in the old one, or only in the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    /// In both sides (`equal` in JSON).
    Equal,
    /// Only in `from` (`delete`).
    Delete,
    /// Only in `to` (`insert`).
    Insert,
}

impl Tag {
    /// The name JSON gives it: `equal`, `delete` or `insert`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Tag::Equal => "equal",
            Tag::Delete => "delete",
            Tag::Insert => "insert",
        }
    }
}

impl From<ChangeTag> for Tag {
    fn from(tag: ChangeTag) -> Self {
        match tag {
            ChangeTag::Equal => Tag::Equal,
            ChangeTag::Delete => Tag::Delete,
            ChangeTag::Insert => Tag::Insert,
        }
    }
}

/// One line of a diff.
#[derive(Clone, Debug, Serialize)]
pub struct DiffLine {
    /// In both sides, only in `from` or only in `to`.
    pub tag: Tag,
    /// 1-based line in the file on disk, in the old side.
    pub old_line: Option<usize>,
    /// 1-based line in the file on disk, in the new side.
    pub new_line: Option<usize>,
    /// The text, without its line ending; control characters escaped.
    pub text: String,
    /// Character ranges `[start, end)` of the words that changed within the line.
    pub emphasis: Vec<(usize, usize)>,
}

/// The diffs of every top-level region of `input`.
#[must_use]
pub fn region_diffs(input: &[u8], parsed: &ConflictedText) -> Vec<RegionDiff> {
    let index = LineIndex::new(input);
    parsed
        .blocks()
        .map(|block| {
            let (start, end) = index.range(input, block.span);
            if !block.is_sound() {
                // Sides that cannot be told apart are not shown as if they could.
                return RegionDiff {
                    start_line: start.line,
                    end_line: end.line,
                    unreadable: Some(crate::lint::describe_problems(block)),
                    pairs: Vec::new(),
                };
            }
            let mut pairs = vec![pair(input, &index, block, Side::Ours, Side::Theirs)];
            if block.side_bytes(input, Side::Base).is_some() {
                pairs.push(pair(input, &index, block, Side::Base, Side::Ours));
                pairs.push(pair(input, &index, block, Side::Base, Side::Theirs));
            }
            RegionDiff {
                start_line: start.line,
                end_line: end.line,
                unreadable: None,
                pairs: pairs.into_iter().flatten().collect(),
            }
        })
        .collect()
}

fn label(input: &[u8], block: &Block, side: Side) -> Option<String> {
    let marker = match (block.dialect, side) {
        // Jujutsu labels each section (`Contents of side #2`); its end marker names the conflict.
        (Dialect::Jujutsu, _) => block.jj_section(side).and_then(|s| s.marker),
        (Dialect::Git, Side::Ours) => Some(block.start),
        (Dialect::Git, Side::Theirs) => Some(block.end),
        (Dialect::Git, Side::Base) => block.side(Side::Base).and_then(|s| s.marker),
    }?;
    marker.label.map(|l| escape_for_display(l.slice(input)))
}

/// A side's text and the file line of its first line (none for a side rebuilt from a Jujutsu
/// diff section, whose lines are not the file's as they are).
fn side_text<'a>(
    input: &'a [u8],
    index: &LineIndex,
    block: &Block,
    side: Side,
) -> Option<(std::borrow::Cow<'a, [u8]>, Option<usize>)> {
    let text = block.side_bytes(input, side)?;
    let section = match block.dialect {
        Dialect::Git => block.side(side),
        Dialect::Jujutsu => block
            .jj_section(side)
            .filter(|s| s.kind != SectionKind::JjDiff),
    };
    Some((text, section.map(|s| index.line_of(s.body.start) + 1)))
}

fn pair(input: &[u8], index: &LineIndex, block: &Block, from: Side, to: Side) -> Option<PairDiff> {
    let (old, old_first) = side_text(input, index, block, from)?;
    let (new, new_first) = side_text(input, index, block, to)?;
    Some(pair_texts(
        (&old, old_first),
        (&new, new_first),
        (from, label(input, block, from)),
        (to, label(input, block, to)),
    ))
}

fn pair_texts(
    (old, old_first): (&[u8], Option<usize>),
    (new, new_first): (&[u8], Option<usize>),
    (from, from_label): (Side, Option<String>),
    (to, to_label): (Side, Option<String>),
) -> PairDiff {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
    let mut lines = Vec::new();
    for op in diff.ops() {
        for change in diff.iter_inline_changes(op) {
            let mut text = String::new();
            let mut emphasis = Vec::new();
            for (emphasized, value) in change.iter_strings_lossy() {
                let value = value.trim_end_matches(['\n', '\r']);
                let start = text.chars().count();
                text.push_str(&escape_for_display(value.as_bytes()));
                if emphasized && change.tag() != ChangeTag::Equal {
                    emphasis.push((start, text.chars().count()));
                }
            }
            lines.push(DiffLine {
                tag: change.tag().into(),
                old_line: change
                    .old_index()
                    .and_then(|i| old_first.map(|first| first + i)),
                new_line: change
                    .new_index()
                    .and_then(|i| new_first.map(|first| first + i)),
                text,
                emphasis,
            });
        }
    }
    PairDiff {
        from,
        to,
        from_label,
        to_label,
        lines,
    }
}

/// [`region_diffs`], with the base recovered from Git for blocks whose markers carry none: such a
/// region also shows what each side changed from that base (base lines have no file line).
#[must_use]
pub fn region_diffs_with(
    input: &[u8],
    parsed: &ConflictedText,
    known: &[super::known_base::ThreeWay],
) -> Vec<RegionDiff> {
    let index = LineIndex::new(input);
    let mut regions = region_diffs(input, parsed);
    for (i, (block, region)) in parsed.blocks().zip(&mut regions).enumerate() {
        if region.unreadable.is_some() {
            continue;
        }
        let Some(base) = known
            .iter()
            .find(|unit| unit.blocks.contains(&i))
            .and_then(|unit| unit.block_base(block))
        else {
            continue;
        };
        for to in [Side::Ours, Side::Theirs] {
            if let Some(section) = block.side(to) {
                region.pairs.push(pair_texts(
                    (base, None),
                    (
                        section.body.slice(input),
                        Some(index.line_of(section.body.start) + 1),
                    ),
                    (Side::Base, Some("base (from Git)".to_owned())),
                    (to, label(input, block, to)),
                ));
            }
        }
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{parse, ParseOptions};

    #[test]
    fn sides_are_diffed_with_file_lines_and_word_emphasis() {
        let input =
            b"top\n<<<<<<< HEAD\nsame\nthe quick fox\n=======\nsame\nthe slow fox\n>>>>>>> topic\n";
        let parsed = parse(input, &ParseOptions::default());
        let diffs = region_diffs(input, &parsed);
        assert_eq!((diffs[0].start_line, diffs[0].end_line), (2, 8));
        let pair = &diffs[0].pairs[0];
        assert_eq!(
            (pair.from_label.as_deref(), pair.to_label.as_deref()),
            (Some("HEAD"), Some("topic"))
        );
        let summary: Vec<(Tag, Option<usize>, Option<usize>, &str)> = pair
            .lines
            .iter()
            .map(|l| (l.tag, l.old_line, l.new_line, l.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (Tag::Equal, Some(3), Some(6), "same"),
                (Tag::Delete, Some(4), None, "the quick fox"),
                (Tag::Insert, None, Some(7), "the slow fox"),
            ]
        );
        // JSON keeps the names it always had.
        let json: Vec<String> = pair
            .lines
            .iter()
            .map(|l| serde_json::to_string(&l.tag).expect("serialises"))
            .collect();
        assert_eq!(json, ["\"equal\"", "\"delete\"", "\"insert\""]);
        let deleted = &pair.lines[1];
        let words: Vec<String> = deleted
            .emphasis
            .iter()
            .map(|&(a, b)| deleted.text.chars().skip(a).take(b - a).collect())
            .collect();
        assert_eq!(words, ["quick"]);
    }

    #[test]
    fn a_base_adds_two_pairs() {
        let input = b"<<<<<<< a\nx\n||||||| base\nb\n=======\ny\n>>>>>>> c\n";
        let parsed = parse(input, &ParseOptions::default());
        let pairs = &region_diffs(input, &parsed)[0].pairs;
        let sides: Vec<(Side, Side)> = pairs.iter().map(|p| (p.from, p.to)).collect();
        assert_eq!(
            sides,
            [
                (Side::Ours, Side::Theirs),
                (Side::Base, Side::Ours),
                (Side::Base, Side::Theirs)
            ]
        );
        assert_eq!(pairs[1].from_label.as_deref(), Some("base"));
    }
}
