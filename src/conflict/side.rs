//! One side of a conflicted file as a whole document, with a map from its offsets back to the file,
//! so a finding in the ours-document points at the ours lines on disk.

use super::{Block, Chunk, ConflictedText, Dialect, MarkerKind, SectionKind, Side};
use crate::span::Span;

/// The text one side would leave if it won every conflict, nested ones included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideText {
    /// The document's bytes.
    pub bytes: Vec<u8>,
    /// `(document offset, file offset)` at the start of each copied piece, in order.
    pieces: Vec<(usize, usize)>,
}

impl SideText {
    /// An empty document.
    pub(super) fn empty() -> SideText {
        SideText {
            bytes: Vec::new(),
            pieces: Vec::new(),
        }
    }

    fn push(&mut self, input: &[u8], span: Span) {
        if span.is_empty() {
            return;
        }
        self.pieces.push((self.bytes.len(), span.start));
        self.bytes.extend_from_slice(span.slice(input));
    }

    /// The file offset of document offset `offset`. An offset at the very end maps to the end of
    /// the last piece.
    #[must_use]
    pub fn to_file(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|&(doc, _)| doc <= offset);
        match index.checked_sub(1) {
            Some(i) => {
                let (doc, file) = self.pieces[i];
                file + (offset - doc)
            }
            None => self.pieces.first().map_or(offset, |&(_, file)| file),
        }
    }

    /// A document span as a file span. A span that crosses from one piece into another (text
    /// around a conflict) is cut at the end of its first piece.
    #[must_use]
    pub fn span_to_file(&self, span: Span) -> Span {
        let start = self.to_file(span.start);
        let index = self.pieces.partition_point(|&(doc, _)| doc <= span.start);
        let piece_end = self
            .pieces
            .get(index)
            .map_or(self.bytes.len(), |&(next_doc, _)| next_doc);
        let end = if span.end <= piece_end {
            self.to_file(span.end.max(span.start))
        } else {
            start + (piece_end - span.start)
        };
        Span::new(start, end.max(start))
    }
}

impl ConflictedText {
    /// The document `side` would leave; `None` when a block has no such side (no base in the
    /// merge style).
    ///
    /// Lone markers in clean text (anomalies) are left out, so the document holds no marker line.
    #[must_use]
    pub fn side_text(&self, input: &[u8], side: Side) -> Option<SideText> {
        let mut out = SideText {
            bytes: Vec::with_capacity(input.len()),
            pieces: Vec::new(),
        };
        let mut anomalies = self.anomalies.iter().map(|a| a.line).peekable();
        for chunk in &self.chunks {
            match chunk {
                Chunk::Text(span) if self.omitted_anomalies > 0 => {
                    // Not every lone marker was recorded: recognise them by their shape.
                    self.push_without_lone_markers(&mut out, input, *span);
                }
                Chunk::Text(span) => {
                    let mut at = span.start;
                    while let Some(line) = anomalies.next_if(|l| l.start < span.end) {
                        out.push(input, Span::new(at, line.start.max(at)));
                        at = line.end.max(at);
                    }
                    out.push(input, Span::new(at, span.end.max(at)));
                }
                Chunk::Block(block) => push_side(&mut out, input, block, side)?,
            }
        }
        Some(out)
    }

    /// Copy the clean text `span` without its `<`, `|` and `>` marker lines of the file's length.
    fn push_without_lone_markers(&self, out: &mut SideText, input: &[u8], span: Span) {
        let mut at = span.start;
        let mut line_start = span.start;
        for line in span.slice(input).split_inclusive(|&b| b == b'\n') {
            let line_span = Span::new(line_start, line_start + line.len());
            line_start = line_span.end;
            let content = line.strip_suffix(b"\n").unwrap_or(line);
            let content = content.strip_suffix(b"\r").unwrap_or(content);
            let content = if line_span.start == 0 {
                content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content)
            } else {
                content
            };
            let lone = super::parse_marker_line(content).is_some_and(|shape| {
                shape.len == self.marker_size
                    && matches!(
                        shape.kind,
                        MarkerKind::Start | MarkerKind::End | MarkerKind::Base
                    )
            });
            if lone {
                out.push(input, Span::new(at, line_span.start));
                at = line_span.end;
            }
        }
        out.push(input, Span::new(at, span.end));
    }
}

fn push_side(out: &mut SideText, input: &[u8], block: &Block, side: Side) -> Option<()> {
    let section = if block.dialect == Dialect::Git {
        block.side(side)?
    } else {
        return push_jj_side(out, input, block, side);
    };
    let mut at = section.body.start;
    for inner in &section.nested {
        out.push(input, Span::new(at, inner.span.start));
        push_side(out, input, inner, side)?;
        at = inner.span.end;
    }
    out.push(input, Span::new(at, section.body.end));
    Some(())
}

/// Jujutsu sections: snapshots are copied; a diff section keeps its context lines and the `+`
/// lines (a side) or `-` lines (the base), without their one-character prefix.
impl Block {
    /// The section of a Jujutsu block that holds `side`: a literal `+++++++` side, a `-------`
    /// base, or a `%%%%%%%` diff that holds both a side and the base (ours is the first side,
    /// theirs the last).
    #[must_use]
    pub fn jj_section(&self, side: Side) -> Option<&super::Section> {
        let wanted = |kind: SectionKind| match side {
            Side::Base => matches!(kind, SectionKind::JjBase | SectionKind::JjDiff),
            Side::Ours | Side::Theirs => matches!(kind, SectionKind::JjSide | SectionKind::JjDiff),
        };
        let mut candidates = self.sections.iter().filter(|s| wanted(s.kind));
        if side == Side::Theirs {
            candidates.next_back()
        } else {
            candidates.next()
        }
    }
}

pub(super) fn push_jj_side(
    out: &mut SideText,
    input: &[u8],
    block: &Block,
    side: Side,
) -> Option<()> {
    let section = block.jj_section(side)?;
    if section.kind != SectionKind::JjDiff {
        out.push(input, section.body);
        return Some(());
    }
    let keep = if side == Side::Base { b'-' } else { b'+' };
    let mut at = section.body.start;
    for line in section.body.slice(input).split_inclusive(|&b| b == b'\n') {
        let span = Span::new(at, at + line.len());
        match line.first() {
            Some(&b) if b == b' ' || b == keep => out.push(input, Span::new(at + 1, span.end)),
            Some(b'\n' | b'\r') => out.push(input, span),
            _ => {}
        }
        at = span.end;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{parse, ParseOptions};

    #[test]
    fn sides_map_back_to_the_file() {
        let input = b"top\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> x\nend\n";
        let parsed = parse(input, &ParseOptions::default());
        let ours = parsed.side_text(input, Side::Ours).expect("ours");
        assert_eq!(ours.bytes, b"top\nours\nend\n");
        let theirs = parsed.side_text(input, Side::Theirs).expect("theirs");
        assert_eq!(theirs.bytes, b"top\ntheirs\nend\n");
        // "theirs" starts at document offset 4 and at file offset 30.
        assert_eq!(theirs.to_file(4), 30);
        assert_eq!(&input[theirs.to_file(11)..theirs.to_file(11) + 3], b"end");
        assert!(parsed.side_text(input, Side::Base).is_none());
    }

    #[test]
    fn lone_markers_are_left_out() {
        let input = b"a\n>>>>>>> gone\nb\n||||||| base\n";
        let parsed = parse(input, &ParseOptions::default());
        assert_eq!(parsed.anomalies.len(), 2);
        assert_eq!(
            parsed.side_text(input, Side::Ours).expect("ours").bytes,
            b"a\nb\n"
        );
    }

    #[test]
    fn nested_blocks_take_the_same_side() {
        let input = b"<<<<<<< a\n<<<<<<< b\nx\n=======\ny\n>>>>>>> b\n=======\nz\n>>>>>>> a\n";
        let parsed = parse(input, &ParseOptions::default());
        assert_eq!(
            parsed.side_text(input, Side::Ours).expect("ours").bytes,
            b"x\n"
        );
        assert_eq!(
            parsed.side_text(input, Side::Theirs).expect("theirs").bytes,
            b"z\n"
        );
    }

    #[test]
    fn jujutsu_diff_sections_are_applied() {
        let input = b"<<<<<<< conflict 1 of 1\n%%%%%%% diff\n apple\n-grape\n+grapefruit\n+++++++ side\napple\norange\n>>>>>>> conflict 1 of 1 ends\n";
        let parsed = parse(input, &ParseOptions::default());
        assert_eq!(
            parsed.side_text(input, Side::Ours).expect("ours").bytes,
            b"apple\ngrapefruit\n"
        );
        assert_eq!(
            parsed.side_text(input, Side::Base).expect("base").bytes,
            b"apple\ngrape\n"
        );
        assert_eq!(
            parsed.side_text(input, Side::Theirs).expect("theirs").bytes,
            b"apple\norange\n"
        );
    }
}
