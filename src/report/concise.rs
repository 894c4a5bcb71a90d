//! `path:line:col: severity[rule] message`, one finding a line: for editors' error parsers and grep.

use std::io::{self, Write};

use super::Report;
use crate::text::escape_for_display;

/// Write one line per finding.
///
/// # Errors
/// When writing fails.
pub fn emit(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        let path = file.display_name();
        for (finding, position) in file.located() {
            let start = position.start;
            writeln!(
                out,
                "{path}:{}:{}: {}[{}] {}",
                start.line,
                start.column,
                finding.severity,
                finding.rule,
                escape_for_display(finding.display_message().as_bytes())
            )?;
        }
    }
    Ok(())
}
