//! Where a Markdown file's lines are literal text, not structure: code (fenced or indented, at
//! the top or in a list item), HTML (a comment, a `<details>` block), front matter. A `# comment`
//! there is no heading and a `- x` no list item, so the merges that read headings and items (the
//! section merge, the precise merge) stay out. Pure.

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::span::Span;
use crate::text::utf8_same_offsets;

/// Whether the conflict at `span` of `input` touches literal text in any of `versions` (the
/// block's sides): each is put in the block's place and the text read as a document, since the
/// markers themselves break containers (a fence in a list item ends at a marker line in column
/// one).
#[must_use]
pub fn touches_literal_text(input: &[u8], span: Span, versions: &[&[u8]]) -> bool {
    versions.iter().any(|version| {
        let mut text = Vec::with_capacity(input.len() - span.len() + version.len());
        text.extend_from_slice(&input[..span.start]);
        text.extend_from_slice(version);
        text.extend_from_slice(&input[span.end..]);
        let region = Span::new(span.start, span.start + version.len());
        literal_spans(&text).iter().any(|literal| {
            if region.is_empty() {
                literal.start < region.start && region.start < literal.end
            } else {
                literal.start < region.end && region.start < literal.end
            }
        })
    })
}

/// The literal parts of a Markdown text: code blocks, HTML blocks, comments (also inline ones,
/// which may span lines), and front matter (YAML `---` or TOML `+++`).
fn literal_spans(text: &[u8]) -> Vec<Span> {
    let text = utf8_same_offsets(text);
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    Parser::new_ext(&text, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                Some(Span::new(range.start, range.end))
            }
            // Inline HTML only when it is a comment (which may span lines): a `<br/>` in a table
            // row hides nothing.
            Event::InlineHtml(html) if html.starts_with("<!--") => {
                Some(Span::new(range.start, range.end))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `needle` of `text`, as a conflict's one version, touches literal text.
    fn literal(text: &str, needle: &str) -> bool {
        let start = text.find(needle).expect("needle");
        let span = Span::new(start, start + needle.len());
        touches_literal_text(text.as_bytes(), span, &[needle.as_bytes()])
    }

    #[test]
    fn code_comments_html_and_front_matter_are_literal() {
        let text = "---\ntitle: x\n# c\n---\n\n# Doc\n\n```py\n# retry\nx = 1\n```\n\n<!--\n# hidden\n-->\n\n\
                    1. Steps:\n\n   ```yaml\n   - build\n   - test\n   ```\n\nText:\n\n    - indented\n    - code\n\n\
                    <details>\n\n- inside\n\n</details>\n\n# Real\n- item\n\n| a | b<br/>c |\n";
        for inside in [
            "# c\n",
            "# retry\nx = 1\n",
            "# hidden\n",
            "   - build\n",
            "    - indented\n",
        ] {
            assert!(literal(text, inside), "{inside:?}");
        }
        for plain in ["# Doc\n", "# Real\n- item\n", "| a | b<br/>c |\n"] {
            assert!(!literal(text, plain), "{plain:?}");
        }
    }

    #[test]
    fn an_insertion_point_inside_code_is_literal() {
        let text = "```\na\nb\n```\n";
        let at = text.find("b\n").expect("b");
        assert!(touches_literal_text(
            text.as_bytes(),
            Span::new(at, at),
            &[b""]
        ));
        assert!(!touches_literal_text(
            text.as_bytes(),
            Span::new(0, 0),
            &[b""]
        ));
    }
}
