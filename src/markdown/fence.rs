//! Fenced code blocks, found by pulldown-cmark on the raw file.
//!
//! Running the CommonMark parser on the raw bytes is sound for this one question: inside a fence
//! every line is literal, so markers there cannot change where the fence ends; markers outside a
//! fence never open one. pulldown-cmark also handles fences in lists and block quotes.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

use crate::span::Span;
use crate::text::utf8_same_offsets;

/// A fenced code block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FencedBlock {
    /// From the opening fence line to the end of the closing fence line (or of the container that
    /// ended the block).
    pub span: Span,
    /// The lines between the fences.
    pub content: Span,
    /// Whether a closing fence line ends the block (otherwise the file or its container did).
    pub closed: bool,
    /// The opening fence's character (`` ` `` or `~`) and length: what a closing line must match.
    pub opener: (u8, usize),
}

impl FencedBlock {
    /// Whether `line` may end this block for a reader: the same fence character, at least as
    /// many of them, at most three spaces of indentation (with an info string after it, CommonMark
    /// reads it as code, a person may not: unsure, so it counts). A shorter run, or the other
    /// character, is plainly a line of code inside it: a ```` ```js ```` line in a four-backtick or
    /// a tilde block.
    #[must_use]
    pub fn may_be_ended_by(&self, line: &[u8]) -> bool {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        indent <= 3
            && fence_run(&line[indent..])
                .is_some_and(|(ch, len, _)| ch == self.opener.0 && len >= self.opener.1)
    }
}

/// The fenced code blocks of a Markdown text, in order.
#[must_use]
pub fn fenced_code_blocks(bytes: &[u8]) -> Vec<FencedBlock> {
    // Every fence holds three backticks or tildes in a row: without them there is nothing to
    // find, and the Markdown parser (whose tree for a large file costs many times its size) is
    // not run at all.
    if memchr::memmem::find(bytes, b"```").is_none()
        && memchr::memmem::find(bytes, b"~~~").is_none()
    {
        return Vec::new();
    }
    let text = utf8_same_offsets(bytes);
    let mut blocks = Vec::new();
    for (event, range) in Parser::new_ext(&text, Options::empty()).into_offset_iter() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) = event {
            blocks.push(describe(bytes, Span::new(range.start, range.end)));
        }
    }
    blocks
}

fn describe(bytes: &[u8], span: Span) -> FencedBlock {
    let region = span.slice(bytes);
    let first_end = memchr::memchr(b'\n', region).map_or(region.len(), |i| i + 1);
    let opening = fence_run(&region[..first_end]);
    // The last line of the block: strip the final terminator, then find the line start.
    let trimmed = region.strip_suffix(b"\n").unwrap_or(region);
    let last_start = memchr::memrchr(b'\n', trimmed).map_or(0, |i| i + 1);
    let closing = (last_start >= first_end)
        .then(|| fence_run(&region[last_start..]))
        .flatten()
        .filter(|&(ch, len, rest_blank)| {
            opening.is_some_and(|(open_ch, open_len, _)| ch == open_ch && len >= open_len)
                && rest_blank
        });
    let content_end = if closing.is_some() {
        last_start
    } else {
        region.len()
    };
    FencedBlock {
        span,
        content: Span::new(
            span.start + first_end.min(content_end),
            span.start + content_end,
        ),
        closed: closing.is_some(),
        opener: opening.map_or((b'`', 3), |(ch, len, _)| (ch, len)),
    }
}

/// The fence run of a line: its character, its length, and whether only whitespace follows it.
/// Container prefixes (`>` and list indentation) are skipped.
fn fence_run(line: &[u8]) -> Option<(u8, usize, bool)> {
    let start = line
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b'>'))?;
    let ch = line[start];
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = line[start..].iter().take_while(|&&b| b == ch).count();
    if len < 3 {
        return None;
    }
    let rest = &line[start + len..];
    Some((ch, len, rest.iter().all(u8::is_ascii_whitespace)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_and_unclosed_fences() {
        let text = b"a\n```text\n<<<<<<< HEAD\n```\nb\n~~~\nopen\n";
        let blocks = fenced_code_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert!(blocks[0].closed);
        assert_eq!(blocks[0].content.slice(text), b"<<<<<<< HEAD\n");
        assert!(!blocks[1].closed);
        assert_eq!(blocks[1].content.slice(text), b"open\n");
    }

    #[test]
    fn fence_in_a_list_item() {
        let text = b"- item\n\n  ```\n  x\n  ```\n";
        let blocks = fenced_code_blocks(text);
        assert_eq!(blocks.len(), 1);
        assert!(blocks[0].closed);
    }

    #[test]
    fn shorter_closing_run_does_not_close() {
        let blocks = fenced_code_blocks(b"````\nx\n```\n");
        assert_eq!(blocks.len(), 1);
        assert!(!blocks[0].closed);
    }
}
