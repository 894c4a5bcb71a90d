//! Markdown structure. For now: which byte ranges are fenced code blocks, so that conflict
//! markers shown as examples in documentation are told apart from real conflicts.

mod fence;
pub mod outline;

pub use fence::{fenced_code_blocks, is_fence_line, FencedBlock};

/// File extensions treated as Markdown.
pub const EXTENSIONS: &[&str] = &[
    "md", "markdown", "mdown", "mkdn", "mkd", "mdwn", "mdtxt", "mdtext", "mdx", "rmd", "qmd",
];

/// Whether `path` names a Markdown file, by extension (case-insensitive).
#[must_use]
pub fn is_markdown_path(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|m| e.eq_ignore_ascii_case(m)))
}
