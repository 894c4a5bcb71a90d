//! `path:line:col: severity[rule] message`, one finding a line: for editors' error parsers and grep.

use std::io::{self, Write};

use super::Report;
use crate::diagnostic::Severity;
use crate::text::escape_str;

/// Write one line per finding; with `color`, the place bold and the severity red or yellow (as
/// ruff's concise output), the text otherwise the same.
///
/// # Errors
/// When writing fails.
pub fn emit(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let (bold, red, yellow, reset) = if color {
        ("\x1b[1m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    for file in &report.files {
        let path = file.display_name();
        for (finding, position) in file.located() {
            let start = position.start;
            let tint = match finding.severity {
                Severity::Error => red,
                Severity::Warning => yellow,
            };
            writeln!(
                out,
                "{bold}{path}:{}:{}:{reset} {tint}{}{reset}[{}] {}",
                start.line,
                start.column,
                finding.severity,
                finding.rule,
                escape_str(&finding.display_message())
            )?;
        }
    }
    Ok(())
}
