//! The result of a run, and one emitter per output format.
//!
//! Emitters take the whole [`Report`] (not one file at a time), so formats that need the full picture
//! (JSON's single document, the human summary) are no special case.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use serde::Serialize;

use crate::diagnostic::{Finding, Severity};
use crate::span::{LineCol, LineIndex};

/// Everything one `check` run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Text files read and scanned.
    pub files_checked: usize,
    /// Files with findings, sorted by path.
    pub files: Vec<FileReport>,
    /// Paths that could not be read (exit 2), sorted by path.
    pub errors: Vec<PathMessage>,
    /// Paths skipped on purpose (too large, not a regular file, binary when named explicitly).
    pub skipped: Vec<PathMessage>,
}

/// The findings of one file, with where they are, and its bytes when snippets will be rendered.
#[derive(Debug)]
pub struct FileReport {
    /// Repository-relative (or root-relative) path, `/`-separated.
    pub path: String,
    /// Where the bytes came from when that is not the path itself: `index stage 2 (ours)`.
    pub origin: Option<String>,
    /// The human format's snippets of the findings, rendered while the file's bytes were at hand
    /// (empty for the other formats): a run keeps no file's bytes after its check, so its memory
    /// follows the largest file, not the files with findings.
    pub rendered: String,
    /// Findings, in file order.
    pub findings: Vec<Finding>,
    /// Where each finding is (parallel to `findings`), computed while the bytes were at hand.
    pub positions: Vec<Position>,
}

/// A finding's place in its file, for the formats that print positions rather than snippets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// First character.
    pub start: LineCol,
    /// One past the last character (the end of its last line, terminator excluded).
    pub end: LineCol,
    /// A hash of the trimmed text of the finding's first line: SARIF keys fingerprints on it, so
    /// a finding keeps its identity when lines are added above it.
    pub line_hash: u64,
}

impl FileReport {
    /// A report for `findings` in `bytes`; with `human`, their snippets are rendered now.
    #[must_use]
    pub fn new(
        path: String,
        origin: Option<String>,
        bytes: &[u8],
        findings: Vec<Finding>,
        human: Option<human::HumanOptions>,
    ) -> Self {
        let index = LineIndex::new(bytes);
        let positions = findings
            .iter()
            .map(|f| position(&index, bytes, f))
            .collect();
        let mut report = Self {
            path,
            origin,
            rendered: String::new(),
            findings,
            positions,
        };
        if let Some(options) = human {
            report.rendered = render(&report.display_name(), bytes, &report.findings, options);
        }
        report
    }

    /// Put `finding` first, its position computed from `bytes` (the file it is about).
    pub fn insert_first(
        &mut self,
        finding: Finding,
        bytes: &[u8],
        human: Option<human::HumanOptions>,
    ) {
        let index = LineIndex::new(bytes);
        self.positions.insert(0, position(&index, bytes, &finding));
        if let Some(options) = human {
            let first = render(
                &self.display_name(),
                bytes,
                std::slice::from_ref(&finding),
                options,
            );
            self.rendered.insert_str(0, &first);
        }
        self.findings.insert(0, finding);
    }

    /// Findings with their positions.
    pub fn located(&self) -> impl Iterator<Item = (&Finding, &Position)> {
        self.findings.iter().zip(&self.positions)
    }
    /// The path as text output names it, with the origin when the bytes are not the path's own
    /// (`doc.md (index stage 2 (ours))`); control characters escaped.
    #[must_use]
    pub fn display_name(&self) -> String {
        let path = crate::text::escape_for_display(self.path.as_bytes());
        match &self.origin {
            Some(origin) => format!("{path} ({origin})"),
            None => path,
        }
    }
}

/// Snippets, or the message alone should miette fail (never silently nothing).
fn render(name: &str, bytes: &[u8], findings: &[Finding], options: human::HumanOptions) -> String {
    human::render_findings(name, bytes, findings, options).unwrap_or_else(|error| {
        findings
            .iter()
            .map(|f| {
                format!(
                    "{name}: {}[{}] {} ({error})\n\n",
                    f.severity, f.rule, f.message
                )
            })
            .collect()
    })
}

fn position(index: &LineIndex<'_>, bytes: &[u8], finding: &Finding) -> Position {
    let (start, end) = index.range(bytes, finding.span);
    Position {
        start,
        end,
        line_hash: fnv1a(line_text(bytes, finding.span.start)),
    }
}

/// The text of the line holding `offset`, trimmed.
fn line_text(source: &[u8], offset: usize) -> &[u8] {
    let start = source[..offset.min(source.len())]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &source[start..]).map_or(source.len(), |i| start + i);
    source[start..end].trim_ascii()
}

/// FNV-1a, 64 bits: stable across platforms and Rust versions (unlike `DefaultHasher`).
#[must_use]
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A path and a sentence about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathMessage {
    /// The path, as findings name paths.
    pub path: String,
    /// What happened.
    pub message: String,
}

/// Process exit statuses.
pub mod exit {
    /// Nothing at error severity.
    pub const CLEAN: i32 = 0;
    /// At least one finding at error severity.
    pub const FINDINGS: i32 = 1;
    /// A usage error, or a file that could not be read.
    pub const ERROR: i32 = 2;
}

impl Report {
    /// Put files and messages in a stable order (the walk is parallel).
    pub fn sort(&mut self) {
        self.files
            .sort_by(|a, b| (&a.path, &a.origin).cmp(&(&b.path, &b.origin)));
        self.errors.sort_by(|a, b| a.path.cmp(&b.path));
        self.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    }

    /// Number of findings at `severity`.
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.findings)
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The exit status this report calls for.
    #[must_use]
    pub fn exit_code(&self) -> i32 {
        if !self.errors.is_empty() {
            exit::ERROR
        } else if self.count(Severity::Error) > 0 {
            exit::FINDINGS
        } else {
            exit::CLEAN
        }
    }
}

/// One line summing up the run, for the human format.
#[must_use]
pub fn summary(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let checked = plural(report.files_checked, "file");
    if errors + warnings == 0 {
        return format!("No conflicts found ({checked} checked).");
    }
    let with_findings = report
        .files
        .iter()
        .filter(|f| !f.findings.is_empty())
        .count();
    format!(
        "Found {} and {} in {} ({checked} checked).",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(with_findings, "file"),
    )
}
