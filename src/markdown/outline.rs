//! The section outline of one Markdown text: headings with their levels, titles and spans, and the
//! blocks inside each section's body. Built from pulldown-cmark's offset iterator with the GFM
//! extensions on; front matter is skipped.
//!
//! A fence that says it holds Markdown (no info string, `markdown` or `md`) and never closes is
//! read as Markdown: CommonMark runs it to the end of the document as code, but its author (often
//! pasting a generated answer) meant the document, and a reader sees its headings.
//!
//! The text must not hold conflict markers: `=======` would become a setext underline and
//! `>>>>>>>` a block quote. Callers give it one side of a conflicted file at a time.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::span::Span;

mod plain;

/// How a heading is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadingKind {
    /// `## Title` or a setext underline.
    Markdown,
    /// A raw HTML `<h2>Title</h2>`.
    Html,
}

/// One heading and the section it opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// 1 to 6.
    pub level: u8,
    /// The title with inline markup stripped.
    pub title: String,
    /// How it is written.
    pub kind: HeadingKind,
    /// The heading's own lines.
    pub heading: Span,
    /// From the end of the heading to the next heading of the same or a higher level.
    pub body: Span,
    /// The nearest enclosing section (a heading of a lower level before it).
    pub parent: Option<usize>,
}

/// The kinds of block recorded in an outline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph.
    Paragraph,
    /// A bullet or ordered list.
    List,
    /// A list item; `task` is `Some(checked)` for `- [ ]` / `- [x]` items.
    Item {
        /// Whether it is a task item, and whether it is checked.
        task: Option<bool>,
    },
    /// A fenced or indented code block.
    Code,
    /// A GFM table.
    Table,
    /// A block quote.
    Quote,
    /// An HTML block.
    Html,
}

/// A block and the section it lies in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Where it is.
    pub span: Span,
    /// Index of the innermost section containing it.
    pub section: Option<usize>,
}

/// Headings and blocks of a text, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    /// Sections in document order.
    pub sections: Vec<Section>,
    /// Blocks in document order (nested ones after their container).
    pub blocks: Vec<Block>,
    /// Front matter, if the text starts with some.
    pub front_matter: Option<Span>,
}

static HTML_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<h([1-6])\b[^>]*>(.*?)</h([1-6])\s*>")
        .expect("the HTML heading pattern is valid")
});
static HTML_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").expect("the tag pattern is valid"));

/// The GFM options mergemark parses with.
#[must_use]
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// Build the outline of `text`: read a line at a time when it is plain Markdown (most reports
/// are, and that costs a fraction of a full parse), else parsed in full.
#[must_use]
pub fn build(text: &str) -> Outline {
    plain::build(text).unwrap_or_else(|| parse(text))
}

/// The outline of `text` from pulldown-cmark's full parse, never the line reading: what
/// [`build`] must equal (the fuzz target and the tests hold the two together).
#[must_use]
pub fn parse(text: &str) -> Outline {
    let (outline, unclosed) = build_once(text);
    match unclosed {
        // The opening line blanked to spaces: every offset stays where it was.
        Some(opener) => {
            let mut read = String::with_capacity(text.len());
            read.push_str(&text[..opener.start]);
            read.extend(std::iter::repeat_n(' ', opener.len()));
            read.push_str(&text[opener.end..]);
            build_once(&read).0
        }
        None => outline,
    }
}

/// The outline, and the opening line (without its terminator) of a Markdown fence that runs to
/// the end of the text unclosed.
fn build_once(text: &str) -> (Outline, Option<Span>) {
    // Sized for a typical document (a block every 100 bytes or so): fewer regrowths.
    let mut outline = Outline {
        sections: Vec::with_capacity(16),
        blocks: Vec::with_capacity(text.len() / 64 + 8),
        front_matter: None,
    };
    let mut unclosed = None;
    let mut heading: Option<(u8, usize, String)> = None;
    let mut open_items: Vec<usize> = Vec::new();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let span = Span::new(range.start, range.end);
        match event {
            Event::Start(Tag::MetadataBlock(_)) => outline.front_matter = Some(span),
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_number(level), range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, title)) = heading.take() {
                    outline.sections.push(Section {
                        level,
                        title: title.trim().to_owned(),
                        kind: HeadingKind::Markdown,
                        heading: Span::new(start, range.end),
                        body: Span::default(),
                        parent: None,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::InlineHtml(_) | Event::SoftBreak | Event::HardBreak if heading.is_some() => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push(' ');
                }
            }
            Event::Start(Tag::Paragraph) => outline.push_block(BlockKind::Paragraph, span),
            Event::Start(Tag::List(_)) => outline.push_block(BlockKind::List, span),
            Event::Start(Tag::Item) => {
                open_items.push(outline.blocks.len());
                outline.push_block(BlockKind::Item { task: None }, span);
            }
            Event::End(TagEnd::Item) => {
                open_items.pop();
            }
            Event::TaskListMarker(checked) => {
                if let Some(&item) = open_items.last() {
                    outline.blocks[item].kind = BlockKind::Item {
                        task: Some(checked),
                    };
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                outline.push_block(BlockKind::Code, span);
                if let CodeBlockKind::Fenced(info) = kind {
                    unclosed = unclosed_markdown_fence(text, span, &info);
                }
            }
            Event::Start(Tag::Table(_)) => outline.push_block(BlockKind::Table, span),
            Event::Start(Tag::BlockQuote(_)) => outline.push_block(BlockKind::Quote, span),
            Event::Start(Tag::HtmlBlock) => {
                outline.push_block(BlockKind::Html, span);
                outline.html_headings(text, span);
            }
            _ => {}
        }
    }
    outline.sections.sort_by_key(|s| s.heading.start);
    outline.link_sections(text.len());
    (outline, unclosed)
}

/// The opening line (from its start, without its terminator) of the fenced block at `span` when
/// it says it holds Markdown, holds something, and runs to the end of `text` without a closing
/// fence.
fn unclosed_markdown_fence(text: &str, span: Span, info: &str) -> Option<Span> {
    let language = info.split_whitespace().next().unwrap_or("");
    if !matches!(
        language.to_ascii_lowercase().as_str(),
        "" | "markdown" | "md"
    ) || !text[span.end..].trim().is_empty()
    {
        return None;
    }
    let block = &text[span.start..span.end];
    let opener_len = block.find('\n').unwrap_or(block.len());
    // Nothing in it to read: an empty code block, as CommonMark says.
    if block[opener_len..].trim().is_empty() {
        return None;
    }
    let opener = block[..opener_len].trim_start_matches([' ', '>']);
    let fence = opener.chars().next()?;
    let width = opener.chars().take_while(|&c| c == fence).count();
    let last = block[opener_len..]
        .trim_end()
        .lines()
        .last()
        .unwrap_or("")
        .trim();
    let closes = last.len() >= width && last.chars().all(|c| c == fence);
    // The whole line: a list marker or `>` left before the fence would start a block of its own,
    // or underline the line above as a heading.
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    (!closes).then(|| Span::new(line_start, span.start + opener_len))
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

impl Outline {
    fn push_block(&mut self, kind: BlockKind, span: Span) {
        self.blocks.push(Block {
            kind,
            span,
            section: None,
        });
    }

    /// Raw `<hN>` headings inside an HTML block count as headings.
    fn html_headings(&mut self, text: &str, block: Span) {
        let html = &text[block.start..block.end];
        for caps in HTML_HEADING.captures_iter(html) {
            let whole = caps.get(0).expect("group 0 always matches");
            let level = caps[1].parse::<u8>().unwrap_or(1);
            let title = HTML_TAG.replace_all(&caps[2], " ");
            let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
            self.sections.push(Section {
                level,
                title,
                kind: HeadingKind::Html,
                heading: Span::new(block.start + whole.start(), block.start + whole.end()),
                body: Span::default(),
                parent: None,
            });
        }
    }

    /// Compute bodies and parents, and which section each block lies in.
    fn link_sections(&mut self, len: usize) {
        let mut stack: Vec<usize> = Vec::new();
        for i in 0..self.sections.len() {
            let level = self.sections[i].level;
            while stack
                .last()
                .is_some_and(|&j| self.sections[j].level >= level)
            {
                stack.pop();
            }
            self.sections[i].parent = stack.last().copied();
            stack.push(i);
            let end = self.sections[i + 1..]
                .iter()
                .find(|s| s.level <= level)
                .map_or(len, |s| s.heading.start);
            let start = self.sections[i].heading.end.min(end);
            self.sections[i].body = Span::new(start, end);
        }
        let starts: Vec<usize> = self.sections.iter().map(|s| s.heading.start).collect();
        for block in &mut self.blocks {
            block.section = starts
                .partition_point(|&s| s <= block.span.start)
                .checked_sub(1);
        }
    }

    /// Spans of the blocks of `kind` (code blocks, HTML blocks, ...), in order.
    #[must_use]
    pub fn spans_of(&self, kind: BlockKind) -> Vec<Span> {
        self.blocks
            .iter()
            .filter(|b| b.kind == kind)
            .map(|b| b.span)
            .collect()
    }

    /// Blocks that lie inside `span`.
    pub fn blocks_in(&self, span: Span) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(move |b| span.contains(b.span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_markdown_fence_is_read_as_markdown() {
        let titles = |text: &str| -> Vec<String> {
            build(text).sections.into_iter().map(|s| s.title).collect()
        };
        let body = "# Report\n\n## Timeline\n\n- 10:00 down\n";
        // Unclosed, saying it holds Markdown (or nothing): its headings count, where they are.
        for opener in ["```markdown\n", "```md\n", "```\n", "~~~~ Markdown\n"] {
            let text = format!("Here it is:\n\n{opener}{body}");
            assert_eq!(titles(&text), ["Report", "Timeline"], "{opener:?}");
            let outline = build(&text);
            assert_eq!(
                &text[outline.sections[1].heading.start..][..11],
                "## Timeline"
            );
        }
        // Opened in a list item under a line of text: the marker left alone would underline the
        // text as a heading; with nothing after it, it is an empty code block (a hostile review).
        for opener in ["- ```\n", "1. ```md\n", "> ```\n"] {
            let text = format!("Timeline\n{opener}  # Report\n");
            assert_eq!(titles(&text), ["Report"], "{opener:?}");
            assert!(
                titles(&format!("Timeline\n{opener}")).is_empty(),
                "{opener:?}"
            );
        }
        let items = build("Add tests\n1. ```\n").spans_of(BlockKind::Item { task: None });
        assert_eq!(items.len(), 1);
        // Closed, or another language: code, as CommonMark says.
        assert!(titles(&format!("```markdown\n{body}```\n\nafter\n")).is_empty());
        assert!(titles(&format!("```bash\n{body}")).is_empty());
    }

    #[test]
    fn sections_levels_bodies_and_parents() {
        let text = "---\ntitle: x\n---\n# Title\n\nintro\n\n## A *one*\n\n- [ ] task\n- item\n\n### A.1\n\ntext\n\n## B\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let outline = build(text);
        let titles: Vec<(&str, u8, Option<usize>)> = outline
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.level, s.parent))
            .collect();
        assert_eq!(
            titles,
            [
                ("Title", 1, None),
                ("A one", 2, Some(0)),
                ("A.1", 3, Some(1)),
                ("B", 2, Some(0))
            ]
        );
        assert!(outline.front_matter.is_some());
        let a = &outline.sections[1];
        assert!(text[a.body.start..a.body.end].contains("### A.1"));
        assert!(!text[a.body.start..a.body.end].contains("## B"));
        assert!(outline
            .blocks
            .iter()
            .any(|b| b.kind == BlockKind::Item { task: Some(false) }));
        assert!(outline
            .blocks
            .iter()
            .any(|b| b.kind == BlockKind::Table && b.section == Some(3)));
    }

    #[test]
    fn html_and_setext_headings() {
        let text = "Setext\n======\n\n<h3>Timeline</h3>\n\ntext\n";
        let outline = build(text);
        let titles: Vec<(&str, u8, HeadingKind)> = outline
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.level, s.kind))
            .collect();
        assert_eq!(
            titles,
            [
                ("Setext", 1, HeadingKind::Markdown),
                ("Timeline", 3, HeadingKind::Html)
            ]
        );
    }
}
