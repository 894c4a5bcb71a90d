//! GitHub Actions workflow commands: one `::error` / `::warning` line per finding, which the
//! runner turns into annotations on the pull request's diff.
//!
//! Values are escaped as the runner's toolkit does (`%`, CR and LF everywhere; `:` and `,` also
//! in properties), after control characters from the file are made visible, so no file can
//! inject a command of its own or write escape sequences to the log.

use std::io::{self, Write};

use super::Report;
use crate::diagnostic::Severity;
use crate::text::escape_for_display;

/// Write one workflow command per finding, and one per file that could not be read.
///
/// # Errors
/// When writing fails.
pub fn emit(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        for (finding, position) in file.located() {
            let (start, end) = (position.start, position.end);
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut message = finding.display_message().into_owned();
            if let Some(origin) = file.origin.label() {
                message = format!("{message} (in {origin})");
            }
            writeln!(
                out,
                "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
                property(&file.path),
                start.line,
                end.line,
                start.column,
                end.column.max(1),
                property(&format!("mergemark {}", finding.rule)),
                data(&message),
            )?;
        }
    }
    for error in &report.errors {
        writeln!(
            out,
            "::error file={},title={}::{}",
            property(error.path.as_str()),
            property("mergemark could not check this file"),
            data(&error.message),
        )?;
    }
    Ok(())
}

/// A message: `%`, CR and LF percent-encoded; other control characters shown as escapes.
#[must_use]
pub fn data(text: &str) -> String {
    let visible = visible(text);
    visible
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`file=`, `title=`): as [`data`], and `:` and `,` too.
#[must_use]
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Control characters other than CR and LF (which the encoding handles) made visible.
fn visible(text: &str) -> String {
    text.split_inclusive(['\r', '\n'])
        .map(|piece| {
            let (body, end) = piece
                .strip_suffix(['\r', '\n'])
                .map_or((piece, ""), |body| (body, &piece[body.len()..]));
            format!("{}{end}", escape_for_display(body.as_bytes()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(data("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
        assert_eq!(property("dir,x/a:b%c\n.md"), "dir%2Cx/a%3Ab%25c%0A.md");
        // A file name cannot end the command early or start one of its own.
        assert_eq!(property("x.md::error::pwned"), "x.md%3A%3Aerror%3A%3Apwned");
        // Escape sequences never reach the log.
        let message = data("label \u{1b}]0;title\u{7} \u{1b}[2J");
        assert!(!message.contains('\u{1b}'), "{message}");
    }
}
