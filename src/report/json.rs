//! One JSON document per run. The shape is a contract: fields may be added, never renamed.
//!
//! `{"version":1,"files_checked":N,"findings":[{"path","rule","severity","line","column",
//! "end_line","end_column","message",...}],"errors":[{"path","message"}]}`; lines and columns are
//! 1-based, end columns exclusive, columns counted in characters.

use std::io::{self, Write};

use serde::Serialize;

use super::{PathMessage, Report};
use crate::conflict::Side;
use crate::diagnostic::{Rule, Severity};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files_checked: usize,
    findings: Vec<JsonFinding<'a>>,
    errors: &'a [PathMessage],
    skipped: &'a [PathMessage],
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    /// Where the bytes came from when not the path itself (`index stage 2 (ours)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<String>,
    rule: Rule,
    severity: Severity,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
    /// `ours`, `theirs` or `base` for a finding about one side of a conflicted file.
    side: Option<Side>,
    schema: Option<&'a str>,
    section: Option<&'a str>,
    suggestion: Option<&'a str>,
    /// Byte offsets of the finding in the file, end exclusive.
    byte_start: usize,
    byte_end: usize,
}

/// Write the report as one JSON document and a newline.
///
/// # Errors
/// When writing fails.
pub fn emit(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut findings = Vec::new();
    for file in &report.files {
        for (finding, position) in file.located() {
            let (start, end) = (position.start, position.end);
            findings.push(JsonFinding {
                path: &file.path,
                origin: file.origin.label(),
                rule: finding.rule,
                severity: finding.severity,
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                message: &finding.message,
                help: finding.help.as_deref(),
                side: finding.side,
                schema: finding.schema.as_deref(),
                section: finding.section.as_deref(),
                suggestion: finding.suggestion.as_deref(),
                byte_start: finding.span.start,
                byte_end: finding.span.end,
            });
        }
    }
    let document = Document {
        version: 1,
        files_checked: report.files_checked,
        findings,
        errors: &report.errors,
        skipped: &report.skipped,
    };
    let text = serde_json::to_string_pretty(&document).map_err(io::Error::from)?;
    out.write_all(crate::text::escape_json_hidden_controls(text).as_bytes())?;
    writeln!(out)
}
