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
    // Each line put together in one reused buffer, numbers by `itoa`: the lines are written
    // after the checks, on one thread, and `write!`'s formatting cost 3,000 instructions a line.
    let mut line: Vec<u8> = Vec::with_capacity(256);
    let mut number = itoa::Buffer::new();
    for file in &report.files {
        let path = file.display_name();
        for (finding, position) in file.located() {
            let start = position.start;
            let tint = match finding.severity {
                Severity::Error => red,
                Severity::Warning => yellow,
            };
            line.clear();
            for piece in [bold, &path, ":", number.format(start.line)] {
                line.extend_from_slice(piece.as_bytes());
            }
            for piece in [":", number.format(start.column), ":", reset, " ", tint] {
                line.extend_from_slice(piece.as_bytes());
            }
            for piece in [
                finding.severity.name(),
                reset,
                "[",
                finding.rule.name(),
                "] ",
            ] {
                line.extend_from_slice(piece.as_bytes());
            }
            line.extend_from_slice(escape_str(&finding.display_message()).as_bytes());
            line.push(b'\n');
            out.write_all(&line)?;
        }
    }
    Ok(())
}
