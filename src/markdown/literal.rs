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
        regions_touching_literal_text(input, &[(span, [Some(version), None, None])])[0]
    })
}

/// For each of `regions` (conflicts of `input`: their spans, in order, and the versions that can
/// stand in each: ours, base, theirs), whether a version touches literal text there. One read of
/// the file per version (each region's version in its place), not one per region.
#[must_use]
pub fn regions_touching_literal_text(
    input: &[u8],
    regions: &[(Span, [Option<&[u8]>; 3])],
) -> Vec<bool> {
    let mut touched = vec![false; regions.len()];
    for k in 0..3 {
        let mut text = Vec::with_capacity(input.len());
        let mut placed = Vec::with_capacity(regions.len());
        let mut at = 0;
        for (span, versions) in regions {
            let Some(version) = versions[k].or(versions[0]) else {
                placed.push(None);
                continue;
            };
            text.extend_from_slice(&input[at..span.start]);
            let start = text.len();
            text.extend_from_slice(version);
            placed.push(Some(Span::new(start, text.len())));
            at = span.end;
        }
        text.extend_from_slice(&input[at..]);
        let literal = literal_spans(&text);
        for (i, region) in placed.iter().enumerate() {
            let Some(region) = region else { continue };
            touched[i] |= literal.iter().any(|l| {
                if region.is_empty() {
                    l.start < region.start && region.start < l.end
                } else {
                    l.start < region.end && region.start < l.end
                }
            });
        }
    }
    touched
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
