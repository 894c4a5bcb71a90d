//! AsciiDoc's listing (`----`) and literal (`....`) blocks: where Git's own documentation shows
//! conflict examples, as Markdown shows them in fenced code. (reStructuredText's literal blocks are
//! indented, so markers there never stand in column one and are never read as conflicts.)

use super::FencedBlock;
use crate::span::Span;

/// The delimited listing and literal blocks of an AsciiDoc text, in order: a line of four or more
/// `-` or `.` opens one, the same line closes it (an unclosed one runs to the end, not closed).
#[must_use]
pub fn asciidoc_literal_blocks(bytes: &[u8]) -> Vec<FencedBlock> {
    let delimiter = |line: &[u8]| -> Option<(u8, usize)> {
        let line = line.trim_ascii_end();
        let c = *line.first()?;
        (matches!(c, b'-' | b'.') && line.len() >= 4 && line.iter().all(|&b| b == c))
            .then_some((c, line.len()))
    };
    let mut blocks = Vec::new();
    let mut open: Option<(usize, usize, (u8, usize))> = None;
    let mut at = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let start = at;
        at += line.len();
        match (open, delimiter(line)) {
            (None, Some(d)) => open = Some((start, at, d)),
            (Some((span_start, content_start, d)), Some(closing)) if closing == d => {
                blocks.push(FencedBlock {
                    span: Span::new(span_start, at),
                    content: Span::new(content_start, start),
                    closed: true,
                    opener: (d.0, d.1),
                });
                open = None;
            }
            _ => {}
        }
    }
    if let Some((span_start, content_start, d)) = open {
        blocks.push(FencedBlock {
            span: Span::new(span_start, bytes.len()),
            content: Span::new(content_start, bytes.len()),
            closed: false,
            opener: (d.0, d.1),
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_and_literal_blocks() {
        let text = b"Text\n\n[source]\n----\n<<<<<<< HEAD\n----\n\n....\nx\n....\n------\nopen\n";
        let blocks = asciidoc_literal_blocks(text);
        assert_eq!(blocks.len(), 3);
        assert!(blocks[0].closed && blocks[1].closed && !blocks[2].closed);
        assert_eq!(blocks[0].content.slice(text), b"<<<<<<< HEAD\n");
        assert_eq!(blocks[1].content.slice(text), b"x\n");
    }
}
