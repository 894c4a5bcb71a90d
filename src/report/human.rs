//! The terminal format: rustc-style snippets rendered by miette, with a label on each marker line,
//! and a summary line.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::{summary, Report};
use crate::diagnostic::{Finding, Severity};
use crate::span::Span;
use crate::text::terminal_safe_same_offsets;

/// Rendering options.
#[derive(Clone, Copy, Debug)]
pub struct HumanOptions {
    /// Use ANSI colours.
    pub color: bool,
}

/// Write every finding as a snippet, then the summary line.
///
/// # Errors
/// When writing fails.
pub fn emit(report: &Report, out: &mut dyn Write, options: HumanOptions) -> io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(120);
    for file in &report.files {
        let path = file.display_name();
        let source = NamedSource::new(path, terminal_safe_same_offsets(&file.source));
        for finding in &file.findings {
            let diagnostic = FindingDiagnostic {
                finding,
                bytes: &file.source,
                source: &source,
            };
            let mut rendered = String::new();
            handler
                .render_report(&mut rendered, &diagnostic)
                .map_err(|e| io::Error::other(format!("rendering a diagnostic failed: {e}")))?;
            writeln!(out, "{rendered}")?;
        }
    }
    writeln!(out, "{}", summary(report))
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    bytes: &'a [u8],
    source: &'a NamedSource<String>,
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
        f.write_str(&self.finding.display_message())
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
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
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
                        Some(l.text.clone()),
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
