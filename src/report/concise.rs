//! `path:line:col: severity[rule] message`, one finding a line: for editors' error parsers and grep.

use std::io::{self, Write};

use super::Report;
use crate::span::LineIndex;

/// Write one line per finding.
///
/// # Errors
/// When writing fails.
pub fn emit(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        let index = LineIndex::new(&file.source);
        let path = file.display_name();
        for finding in &file.findings {
            let start = index.line_col(&file.source, finding.span.start);
            writeln!(
                out,
                "{path}:{}:{}: {}[{}] {}",
                start.line,
                start.column,
                finding.severity,
                finding.rule,
                finding.display_message()
            )?;
        }
    }
    Ok(())
}
