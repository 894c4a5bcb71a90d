//! `path:line:col: severity[rule] message`, one finding a line: for editors' error parsers and grep.

use std::io::{self, Write};

use super::{FileReport, Report};
use crate::diagnostic::Severity;
use crate::text::escape_str;

/// Write one line per finding; with `color`, the place bold and the severity red or yellow (as
/// ruff's concise output), the text otherwise the same. A file's lines rendered while it was
/// checked are written as they are.
///
/// # Errors
/// When writing fails.
pub fn emit(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    for file in &report.files {
        if file.rendered.is_empty() {
            out.write_all(render(file, color).as_bytes())?;
        } else {
            out.write_all(file.rendered.as_bytes())?;
        }
    }
    Ok(())
}

/// The lines of `file`'s findings, numbers by `itoa` (`write!`'s formatting cost 3,000
/// instructions a line).
#[must_use]
pub fn render(file: &FileReport, color: bool) -> String {
    let (bold, red, yellow, reset) = if color {
        ("\x1b[1m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let mut lines = String::new();
    let mut number = itoa::Buffer::new();
    let path = file.display_name();
    for (finding, position) in file.located() {
        let start = position.start;
        let tint = match finding.severity {
            Severity::Error => red,
            Severity::Warning => yellow,
        };
        for piece in [bold, &path, ":", number.format(start.line)] {
            lines.push_str(piece);
        }
        for piece in [":", number.format(start.column), ":", reset, " ", tint] {
            lines.push_str(piece);
        }
        for piece in [
            finding.severity.name(),
            reset,
            "[",
            finding.rule.name(),
            "] ",
        ] {
            lines.push_str(piece);
        }
        lines.push_str(&escape_str(&finding.display_message()));
        lines.push('\n');
    }
    lines
}
