//! Where a Markdown file's lines are literal text, not structure: fenced code, an HTML comment,
//! front matter. A `# comment` there is no heading and a `- x` no list item, so the merges that
//! read headings and items (the section merge, the precise merge) stay out. Pure.

use memchr::memmem;

use super::fenced_code_blocks;
use crate::span::Span;

/// Whether `span` of `input` (a conflict block, say) touches literal text: a fenced code block
/// that overlaps it, an HTML comment open at its start or inside it, or the front matter.
#[must_use]
pub fn touches_literal_text(input: &[u8], span: Span) -> bool {
    let before = &input[..span.start];
    let inside = span.slice(input);
    let comment_open_before = memmem::rfind(before, b"<!--")
        .is_some_and(|open| memmem::find(&before[open..], b"-->").is_none());
    let comment_inside =
        memmem::find(inside, b"<!--").is_some() || memmem::find(inside, b"-->").is_some();
    comment_open_before
        || comment_inside
        || in_front_matter(input, span.start)
        || fenced_code_blocks(input)
            .iter()
            .any(|f| f.span.start < span.end && span.start < f.span.end)
}

/// Whether `at` lies in the front matter: a file that opens with a `---` (YAML) or `+++`
/// (TOML) line, up to the line that closes it.
fn in_front_matter(input: &[u8], at: usize) -> bool {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let first = |fence: &[u8]| {
        input.starts_with(fence) && matches!(input.get(fence.len()), Some(b'\n' | b'\r'))
    };
    let fence: &[u8] = if first(b"---") {
        b"---"
    } else if first(b"+++") {
        b"+++"
    } else {
        return false;
    };
    let mut pos = input
        .iter()
        .position(|&b| b == b'\n')
        .map_or(input.len(), |i| i + 1);
    while pos < input.len() {
        let end = memchr::memchr(b'\n', &input[pos..]).map_or(input.len(), |i| pos + i + 1);
        let line = input[pos..end].trim_ascii_end();
        if line == fence || (fence == b"---" && line == b"...") {
            return at < end;
        }
        pos = end;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(input: &str, needle: &str) -> Span {
        let start = input.find(needle).expect("needle");
        Span::new(start, start + needle.len())
    }

    #[test]
    fn code_comments_and_front_matter_are_literal() {
        let text = "---\ntitle: x\n# c\n---\n\n# Doc\n\n```py\n# retry\nx = 1\n```\n\n<!--\n# hidden\n-->\n\n# Real\n- item\n";
        for literal in ["# c\n", "# retry\nx = 1\n", "# hidden\n"] {
            assert!(
                touches_literal_text(text.as_bytes(), at(text, literal)),
                "{literal:?}"
            );
        }
        for plain in ["# Doc\n", "# Real\n- item\n"] {
            assert!(
                !touches_literal_text(text.as_bytes(), at(text, plain)),
                "{plain:?}"
            );
        }
    }
}
