//! Markdown structure. For now: which byte ranges are fenced code blocks, so that conflict
//! markers shown as examples in documentation are told apart from real conflicts.

mod asciidoc;
mod fence;
pub mod literal;
pub mod outline;

pub use asciidoc::asciidoc_literal_blocks;
pub use fence::{fenced_code_blocks, FencedBlock};

/// File extensions treated as Markdown.
pub const EXTENSIONS: &[&str] = &[
    "md", "markdown", "mdown", "mkdn", "mkd", "mdwn", "mdtxt", "mdtext", "mdx", "rmd", "qmd",
];

/// Whether `path` names an AsciiDoc file (`.adoc`, `.asciidoc`, `.asc`), by extension.
#[must_use]
pub fn is_asciidoc_path(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["adoc", "asciidoc", "asc"]
            .iter()
            .any(|a| e.eq_ignore_ascii_case(a))
    })
}

/// Whether `path` names a Markdown file, by extension (case-insensitive).
#[must_use]
pub fn is_markdown_path(path: &std::path::Path) -> bool {
    path.file_name().is_some_and(is_markdown_name)
}

/// [`is_markdown_path`] for a file name (what the walker has at hand for every file, without
/// taking a path apart): the extension after its last dot, a leading dot not counting.
#[must_use]
pub fn is_markdown_name(name: &std::ffi::OsStr) -> bool {
    let name = name.as_encoded_bytes();
    match name.iter().rposition(|&b| b == b'.') {
        Some(dot) if dot > 0 => EXTENSIONS
            .iter()
            .any(|m| name[dot + 1..].eq_ignore_ascii_case(m.as_bytes())),
        _ => false,
    }
}

/// The inline code spans and code blocks (fenced and indented) of a Markdown text: text that is
/// shown, not acted on (a suppression comment there is an example of one).
#[must_use]
pub fn code_spans(text: &str) -> Vec<crate::span::Span> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(text, outline::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => {
                Some(crate::span::Span::new(range.start, range.end))
            }
            _ => None,
        })
        .collect()
}

/// The prose of a Markdown text: its text outside code, HTML, link destinations, autolinks and
/// front matter (what a reader reads as words, and a fix may change without changing a target).
#[must_use]
pub fn prose_spans(text: &str) -> Vec<crate::span::Span> {
    use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
    let mut prose = Vec::new();
    // Inside a code block, front matter, or an autolink (whose text is its destination).
    let mut aside = 0usize;
    for (event, range) in Parser::new_ext(text, outline::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::MetadataBlock(_)) => aside += 1,
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => aside += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::MetadataBlock(_)) => {
                aside = aside.saturating_sub(1);
            }
            Event::End(TagEnd::Link) if aside > 0 && text[range.clone()].starts_with('<') => {
                aside -= 1;
            }
            Event::Text(_) if aside == 0 => {
                prose.push(crate::span::Span::new(range.start, range.end));
            }
            _ => {}
        }
    }
    prose
}

/// Where a Markdown text has an HTML comment that the document really holds: an inline HTML
/// event that is the comment, or a comment that starts a line of an HTML block. A comment
/// written as text (escaped `\<!--`), inside a link title or an attribute value, or shown as code
/// is not one.
#[must_use]
pub fn comment_starts(text: &str) -> Vec<usize> {
    use pulldown_cmark::{Event, Parser};
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    for (event, range) in Parser::new_ext(text, outline::options()).into_offset_iter() {
        match event {
            Event::InlineHtml(html) if html.starts_with("<!--") => starts.push(range.start),
            Event::Html(_) => {
                let mut at = range.start;
                for line in bytes[range.clone()].split_inclusive(|&b| b == b'\n') {
                    let indent = line
                        .iter()
                        .take_while(|b| matches!(b, b' ' | b'\t'))
                        .count();
                    if line[indent..].starts_with(b"<!--") {
                        starts.push(at + indent);
                    }
                    at += line.len();
                }
            }
            _ => {}
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::{is_markdown_name, EXTENSIONS};
    use std::path::Path;

    /// The file name's test says what `Path::extension` says.
    #[test]
    fn names_as_paths() {
        for name in [
            "a.md",
            "A.MD",
            ".md",
            "..md",
            "a.",
            "a",
            "x.markdown",
            "a.md.txt",
            "a.b.Md",
        ] {
            let by_path = Path::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.iter().any(|m| e.eq_ignore_ascii_case(m)));
            assert_eq!(is_markdown_name(name.as_ref()), by_path, "{name}");
        }
    }
}
