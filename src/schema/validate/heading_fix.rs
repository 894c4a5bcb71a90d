//! The fix for `section-not-heading`: make the label line a heading, in the author's words.
//!
//! Only where nothing else can change: the line holds the label alone (emphasis and a trailing
//! colon aside), starts at the margin (an indented line may belong to a list item), and opens
//! its block (after a blank line, a heading or the start), so that turning it into a heading
//! splits no paragraph. A heading line swallowed by an HTML block gets the blank line that ends
//! the block, when the block is of a kind a blank line ends.

use crate::fix::Edit;
use crate::markdown::outline::{BlockKind, Outline};
use crate::span::Span;

/// The edit that turns the label line at `marker` (the trimmed line) into a heading of `level`.
pub(super) fn edit(text: &str, outline: &Outline, marker: Span, level: u8) -> Option<Edit> {
    let line_start = match text[..marker.start].rfind('\n') {
        Some(i) => i + 1,
        // The first line starts after a byte order mark.
        None if text.starts_with('\u{feff}') => '\u{feff}'.len_utf8(),
        None => 0,
    };
    let label = text.get(marker.start..marker.end)?;
    if label.starts_with('#') {
        return blank_line_before(text, outline, line_start);
    }
    if line_start != marker.start
        || !opens_block(&text[..line_start])
        || !next_line_stays(&text[marker.end..])
    {
        return None;
    }
    let words = label_words(label)?;
    Some(Edit {
        span: marker,
        replacement: format!("{} {words}", "#".repeat(usize::from(level.clamp(1, 6)))),
    })
}

/// The words of a label line: `**Root cause:**`, `__Timeline__`, `Impact:` and `*Summary*` give
/// `Root cause`, `Timeline`, `Impact`, `Summary`; `None` when anything else is on the line
/// (`**Cause:** a bad deploy`) or emphasis is left inside.
fn label_words(label: &str) -> Option<&str> {
    let mut words = label.trim();
    words = words.strip_suffix(':').unwrap_or(words).trim_end();
    for wrap in ["**", "__", "*", "_"] {
        if let Some(inner) = words
            .strip_prefix(wrap)
            .and_then(|rest| rest.strip_suffix(wrap))
        {
            words = inner.trim();
            break;
        }
    }
    words = words.strip_suffix(':').unwrap_or(words).trim_end();
    let plain = !words.is_empty()
        && !words.contains(['*', '_', ':', '`', '<', '[', '\\', '#'])
        && !words.starts_with(['>', '|', '-', '+', '='])
        && !is_ordered_list_item(words);
    plain.then_some(words)
}

/// `1. Timeline`, `2) Impact`: a list item, whose list a heading would break.
fn is_ordered_list_item(words: &str) -> bool {
    let digits = words.len() - words.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0
        && words[digits..].starts_with(['.', ')'])
        && words[digits + 1..].starts_with([' ', '\t'])
}

/// Whether the line after the label (`rest` starts at the label's end) reads the same after a
/// heading. Inside the paragraph it continued the text; after a heading it starts a block, so it
/// must not be one that cannot interrupt a paragraph: indented four columns or a tab (code), an
/// ordered list item (`2. ...`), a link reference definition (`[x]: url`), HTML (`<tag>`).
fn next_line_stays(rest: &str) -> bool {
    let Some(newline) = rest.find('\n') else {
        return true;
    };
    let next = &rest[newline + 1..];
    let next = &next[..next.find('\n').unwrap_or(next.len())];
    let next = next.strip_suffix('\r').unwrap_or(next);
    if next.trim().is_empty() {
        return true;
    }
    let text = next.trim_start();
    let indented = next.starts_with('\t') || next.starts_with("    ");
    let reference = text.starts_with('[') && text.contains("]:");
    !(indented || is_ordered_list_item(text) || reference || text.starts_with('<'))
}

/// Whether a line after `before` starts a block: `before` is empty or ends with a blank line or
/// an ATX heading line.
fn opens_block(before: &str) -> bool {
    let Some(rest) = before.strip_suffix('\n') else {
        return before.is_empty() || before == "\u{feff}";
    };
    let rest = rest.strip_suffix('\r').unwrap_or(rest);
    let previous = &rest[rest.rfind('\n').map_or(0, |i| i + 1)..];
    let previous = previous.trim();
    previous.is_empty() || previous.starts_with('#')
}

/// A blank line before `line_start`, ending the HTML block that swallowed the heading there, if
/// a blank line ends that block (CommonMark's kinds 6 and 7; comments, `<pre>`, `<script>` and
/// the like run on past blank lines).
fn blank_line_before(text: &str, outline: &Outline, line_start: usize) -> Option<Edit> {
    let block = outline
        .spans_of(BlockKind::Html)
        .into_iter()
        .find(|b| b.start < line_start && line_start < b.end)?;
    let opening = text[block.start..].trim_start().to_ascii_lowercase();
    let runs_past_blank_lines = ["<!", "<?", "<script", "<pre", "<style", "<textarea"]
        .iter()
        .any(|kind| opening.starts_with(kind));
    if runs_past_blank_lines {
        return None;
    }
    let eol = if text[..line_start].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Some(Edit {
        span: Span::new(line_start, line_start),
        replacement: eol.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_words_are_the_label_alone() {
        for (line, words) in [
            ("**Root cause:**", Some("Root cause")),
            ("**Root cause**:", Some("Root cause")),
            ("__Timeline__", Some("Timeline")),
            ("Impact:", Some("Impact")),
            ("*Summary*", Some("Summary")),
            ("Lessons Learned", Some("Lessons Learned")),
            ("**Cause:** a bad deploy", None),
            ("**Cause** and *effect*", None),
            ("Cause: deploy", None),
            ("**`Timeline`**", None),
            ("****", None),
            ("Timeline ##", None),
            ("**Timeline #**", None),
            ("1. Timeline", None),
            ("10) Timeline", None),
            ("2025 Timeline", Some("2025 Timeline")),
        ] {
            assert_eq!(label_words(line), words, "{line}");
        }
    }

    #[test]
    fn a_line_indented_after_the_label_keeps_the_label() {
        assert!(next_line_stays("\n- 08:05 UTC: x\n"));
        assert!(next_line_stays("\n   - 08:05 UTC: x\n"));
        assert!(next_line_stays("\n\n    code after a blank line\n"));
        assert!(next_line_stays(""));
        assert!(!next_line_stays("\n    - 08:05 UTC: x\n"));
        assert!(!next_line_stays("\r\n\t- 08:05 UTC: x\r\n"));
        assert!(!next_line_stays("\n2. 08:05 UTC: x\n"));
        assert!(!next_line_stays("\n[pager]: https://example.com/pager\n"));
        assert!(!next_line_stays("\n<my-tag>\n"));
        assert!(next_line_stays("\nThe queue stalled.\n"));
    }

    #[test]
    fn a_label_line_inside_a_paragraph_is_left_alone() {
        assert!(opens_block(""));
        assert!(opens_block("\u{feff}"));
        assert!(opens_block("text\n\n"));
        assert!(opens_block("text\r\n  \r\n"));
        assert!(opens_block("# Title\n"));
        assert!(!opens_block("some text\n"));
        assert!(!opens_block("some text\r\n"));
    }
}
