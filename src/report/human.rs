//! The terminal format: rustc-style snippets rendered by miette, with a label on each marker line,
//! and a summary line.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{summary, Report};
use crate::diagnostic::{Finding, Severity};
use crate::span::{LineIndex, Span};
use crate::text::{escape_for_display, terminal_safe_same_offsets};

/// Rendering options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HumanOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Columns to wrap messages at ([`crate::terminal::width`]).
    pub width: usize,
}

/// Write every file's snippets (rendered while it was checked), then the summary line.
///
/// # Errors
/// When writing fails.
pub fn emit(report: &Report, out: &mut dyn Write, options: HumanOptions) -> io::Result<()> {
    emit_findings(report, out)?;
    writeln!(out, "{}", textwrap::fill(&summary(report), options.width))
}

/// Write every file's snippets, without the summary line (`--quiet`).
///
/// # Errors
/// When writing fails.
pub fn emit_findings(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        out.write_all(file.rendered.as_bytes())?;
    }
    Ok(())
}

/// The snippets of `findings` in `bytes` (the file named `name`), one after another, each
/// followed by a blank line. Made by the worker that checked the file, while its bytes are at
/// hand, so a run keeps no file's bytes after its check.
///
/// # Errors
/// When miette cannot render a finding (a bug).
pub fn render_findings(
    name: &str,
    bytes: &[u8],
    findings: &[Finding],
    options: HumanOptions,
) -> io::Result<String> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(options.width);
    let source = IndexedSource {
        name: name.to_owned(),
        text: terminal_safe_same_offsets(bytes),
        index: LineIndex::new(bytes),
    };
    let mut rendered = String::new();
    for finding in findings {
        let diagnostic = FindingDiagnostic {
            finding,
            bytes,
            source: &source,
        };
        handler
            .render_report(&mut rendered, &diagnostic)
            .map_err(|e| io::Error::other(format!("rendering a diagnostic failed: {e}")))?;
        rendered.push('\n');
    }
    Ok(rendered)
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    bytes: &'a [u8],
    source: &'a IndexedSource<'a>,
}

/// A file's text for miette, read through our line index. miette's own sources find a span's
/// lines by scanning from the start of the file for every diagnostic, which is quadratic on a file
/// with 100,000 findings; this one hands miette only the few lines around the span, so each
/// snippet costs the same wherever it is in the file.
struct IndexedSource<'a> {
    name: String,
    /// The text with control characters made harmless (same byte offsets as the file).
    text: std::borrow::Cow<'a, str>,
    /// The lines of the file (the same as the text's).
    index: LineIndex<'a>,
}

impl SourceCode for IndexedSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let bytes = self.text.as_bytes();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > bytes.len() {
            return Err(MietteError::OutOfBounds);
        }
        if let Some(part) = self.long_line_part(span, context_lines_before) {
            return Ok(Box::new(part));
        }
        // Whole lines around the span, one more on each side than the context asks for.
        let lines = self.index.line_count(bytes).max(1);
        let (start_line, end_line) = (self.index.line_of(start), self.index.line_of(end));
        let mut first = start_line.saturating_sub(context_lines_before + 1);
        let mut past = (end_line + context_lines_after + 2).min(lines);
        // A context line too long to show is left out, with the lines beyond it.
        let line_len = |line: usize| {
            let next = if line + 1 < lines {
                self.index.line_start(line + 1)
            } else {
                bytes.len()
            };
            next - self.index.line_start(line)
        };
        if let Some(long) = (first..start_line).rev().find(|&l| line_len(l) > LONG_LINE) {
            first = long + 1;
        }
        if let Some(long) = (end_line + 1..past).find(|&l| line_len(l) > LONG_LINE) {
            past = long;
        }
        let window_start = self.index.line_start(first);
        let window_end = if past < lines {
            self.index.line_start(past)
        } else {
            bytes.len()
        };
        let window = &bytes[window_start..window_end];
        let inner = SourceSpan::new((start - window_start).into(), span.len());
        let contents = window.read_span(&inner, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            SourceSpan::new(
                (contents.span().offset() + window_start).into(),
                contents.span().len(),
            ),
            contents.line() + first,
            contents.column(),
            contents.line_count() + first,
        )))
    }
}

/// A line longer than this is shown in part: around the span, [`SHOWN_AROUND`] bytes each side.
const LONG_LINE: usize = 2_000;
const SHOWN_AROUND: usize = 100;

impl IndexedSource<'_> {
    /// When `span` starts or ends on a line longer than [`LONG_LINE`], the part of its lines
    /// around it alone, with no context lines: miette prints the lines it is given whole, for
    /// every finding.
    fn long_line_part(&self, span: &SourceSpan, context: usize) -> Option<MietteSpanContents<'_>> {
        let bytes = self.text.as_bytes();
        let (start, end) = (span.offset(), span.offset() + span.len());
        let line = self.index.line_of(start);
        let line_start = self.index.line_start(line);
        let line_end =
            |at: usize| memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let end_line_start = memchr::memrchr(b'\n', &bytes[..end]).map_or(0, |i| i + 1);
        if line_end(start) - line_start <= LONG_LINE && line_end(end) - end_line_start <= LONG_LINE
        {
            return None;
        }
        // From the span itself when no context is asked for (as miette's own sources do).
        let mut from = if context == 0 {
            start
        } else {
            start.saturating_sub(SHOWN_AROUND).max(line_start)
        };
        while !self.text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (end + SHOWN_AROUND).min(line_end(end));
        while !self.text.is_char_boundary(to) {
            to += 1;
        }
        // A part that ends in a carriage return would end a line early for miette (its gutter
        // would name the line before).
        while to > end && bytes[to - 1] == b'\r' {
            to -= 1;
        }
        let newlines = memchr::memchr_iter(b'\n', &bytes[from..to]).count();
        Some(MietteSpanContents::new_named(
            self.name.clone(),
            &bytes[from..to],
            SourceSpan::new(from.into(), to - from),
            line,
            from - line_start,
            line + newlines + 1,
        ))
    }
}

impl FindingDiagnostic<'_> {
    /// Whether the bytes for the snippet are at hand (every span lies inside them).
    fn has_text(&self) -> bool {
        let len = self.bytes.len();
        self.finding.span.end <= len && self.finding.labels.iter().all(|l| l.span.end <= len)
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("finding", self.finding)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape_for_display(
            self.finding.display_message().as_bytes(),
        ))
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.finding.rule.name()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.finding
            .help
            .as_deref()
            .map(|h| Box::new(escape_for_display(h.as_bytes())) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.has_text().then_some(self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.has_text() {
            return None; // a report made without its bytes: the message alone
        }
        let labels: Vec<LabeledSpan> = if self.finding.labels.is_empty() {
            vec![LabeledSpan::new_with_span(
                None,
                without_eol(self.bytes, self.finding.span),
            )]
        } else {
            self.finding
                .labels
                .iter()
                .map(|l| {
                    LabeledSpan::new_with_span(
                        Some(escape_for_display(l.text.as_bytes())),
                        without_eol(self.bytes, l.span),
                    )
                })
                .collect()
        };
        Some(Box::new(labels.into_iter()))
    }
}

/// A line span without its terminator: miette draws labels under characters, not line breaks.
fn without_eol(bytes: &[u8], span: Span) -> Span {
    let span = Span::new(span.start.min(bytes.len()), span.end.min(bytes.len()));
    let mut end = span.end;
    while end > span.start && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    Span::new(span.start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The human snippet of a mojibake finding on the first `Ã©` in `text`.
    fn snippet_of_mojibake(text: &str) -> String {
        let at = text.find("Ã©").expect("the mojibake");
        let finding = Finding::new(
            crate::diagnostic::Rule::Mojibake,
            Span::new(at, at + 4),
            "garbled".to_owned(),
        );
        let options = HumanOptions {
            color: false,
            width: 80,
        };
        render_findings("doc.md", text.as_bytes(), &[finding], options).expect("rendered")
    }

    /// A snippet on a very long line shows the part of the line around the finding, not the whole
    /// line for every finding (a thousand findings on a 9 MB line printed gigabytes in 2 minutes),
    /// and says where it is.
    #[test]
    fn a_snippet_on_a_very_long_line_shows_the_part_around_it() {
        let long = "a".repeat(50_000);
        let shown = snippet_of_mojibake(&format!(
            "# Title\n\n{long}cafÃ© and more{}\n",
            " b".repeat(50_000)
        ));
        assert!(shown.len() < 2_000, "{} bytes", shown.len());
        assert!(shown.contains("cafÃ© and more"), "{shown}");
        assert!(shown.contains("doc.md:3:50004"), "{shown}");
        // A finding on a short line next to a long one does not show the long one as context.
        let shown = snippet_of_mojibake(&format!("# Title\n{long}\nshort cafÃ© line\n{long}\n"));
        assert!(shown.len() < 2_000, "{} bytes", shown.len());
        assert!(
            shown.contains("short cafÃ© line") && shown.contains("doc.md:3:10"),
            "{shown}"
        );
        // The gutter names the line the header names, whatever ends the line.
        for ending in ["\n", "\r\n", "\r", ""] {
            let shown =
                snippet_of_mojibake(&format!("# Title\r\n\r\n{} cafÃ© {ending}", &long[..3_000]));
            assert!(
                shown.contains("doc.md:3:3005") && shown.contains(" 3 │"),
                "{ending:?}: {shown}"
            );
        }
    }

    /// The windowed source hands miette exactly what miette's own source would, for spans at the
    /// start, middle and end of a file, with and without context lines.
    #[test]
    fn indexed_source_reads_what_miette_would() {
        let text = "first\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> t\nmiddle\n\nlast line";
        let source = IndexedSource {
            name: "doc.md".to_owned(),
            text: text.into(),
            index: LineIndex::new(text.as_bytes()),
        };
        let whole = text.as_bytes();
        for (offset, len) in [(0, 5), (6, 12), (20, 4), (6, 45), (56, 0), (57, 9), (65, 1)] {
            for context in [0, 1, 2] {
                let span = SourceSpan::new(offset.into(), len);
                let ours = source
                    .read_span(&span, context, context)
                    .expect("in bounds");
                let theirs = whole.read_span(&span, context, context).expect("in bounds");
                let key = (offset, len, context);
                assert_eq!(ours.data(), theirs.data(), "{key:?}");
                assert_eq!(ours.span(), theirs.span(), "{key:?}");
                assert_eq!(ours.line(), theirs.line(), "{key:?}");
                assert_eq!(ours.column(), theirs.column(), "{key:?}");
                assert_eq!(ours.line_count(), theirs.line_count(), "{key:?}");
            }
        }
        assert!(source
            .read_span(&SourceSpan::new(64.into(), 5), 1, 1)
            .is_err());
    }
}
