//! SARIF 2.1.0, the static-analysis exchange format GitHub code scanning (and most dashboards)
//! accept: one run, the rules with their documentation, one result per finding with a
//! repository-relative location and a fingerprint that survives unrelated edits.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{fnv1a, Report};
use crate::diagnostic::{Rule, Severity};
use crate::rule_docs;

/// Write the report as one SARIF log.
///
/// # Errors
/// When writing fails.
pub fn emit(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let text = serde_json::to_string_pretty(&log(report)).map_err(io::Error::from)?;
    out.write_all(crate::text::escape_json_hidden_controls(text).as_bytes())?;
    writeln!(out)
}

const fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rules() -> Vec<Value> {
    Rule::ALL
        .iter()
        .map(|rule| {
            let doc = rule_docs::doc(*rule);
            json!({
                "id": rule.name(),
                "name": rule.name(),
                "shortDescription": { "text": doc.summary },
                "fullDescription": { "text": doc.description },
                "help": {
                    "text": format!("{}\n\nExample:\n{}\nFix: {}", doc.description, doc.example, doc.fix),
                    "markdown": format!(
                        "{}\n\nExample:\n\n```\n{}```\n\n**Fix:** {}",
                        doc.description, doc.example, doc.fix
                    ),
                },
                "defaultConfiguration": { "level": level(rule.default_severity()) },
            })
        })
        .collect()
}

/// The SARIF log as a JSON value.
#[must_use]
pub fn log(report: &Report) -> Value {
    let mut results = Vec::new();
    for file in &report.files {
        // Occurrences of the same (rule, line text) in a file, to tell repeated lines apart.
        let mut seen: Vec<(Rule, u64)> = Vec::new();
        for (finding, position) in file.located() {
            let (start, end) = (position.start, position.end);
            let line_hash = position.line_hash;
            let occurrence = seen
                .iter()
                .filter(|(r, h)| *r == finding.rule && *h == line_hash)
                .count();
            seen.push((finding.rule, line_hash));
            let mut message = finding.display_message().into_owned();
            if let Some(origin) = file.origin.label() {
                message = format!("{message} (in {origin})");
            }
            if let Some(help) = &finding.help {
                message = format!("{message}. Help: {help}");
            }
            let rule_index = Rule::ALL.iter().position(|r| *r == finding.rule);
            results.push(json!({
                "ruleId": finding.rule.name(),
                "ruleIndex": rule_index,
                "level": level(finding.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&file.path) },
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column.max(1),
                        },
                    },
                }],
                "partialFingerprints": {
                    "mergemark/v1": format!(
                        "{:016x}:{occurrence}",
                        fnv1a(format!("{}\0{}\0{line_hash:x}", finding.rule, file.path).as_bytes())
                    ),
                },
            }));
        }
    }
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|error| {
            json!({
                "level": "error",
                "message": { "text": format!("{}: {}", error.path, error.message) },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "mergemark",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules(),
                },
            },
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// A repository-relative path as a URI reference: `/`-separated, with the characters a URI
/// cannot hold percent-encoded (RFC 3986 keeps unreserved characters and `/`).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("docs/a b#1%.md"), "docs/a%20b%231%25.md");
        assert_eq!(uri("café.md"), "caf%C3%A9.md");
    }

    #[test]
    fn fingerprint_hash_is_fnv1a() {
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    }
}
