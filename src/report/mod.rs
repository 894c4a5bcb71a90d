//! The result of a run, and one emitter per output format.
//!
//! Emitters take the whole [`Report`] (not one file at a time), so formats that need the full picture
//! (JSON's single document, the human summary) are no special case.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod statistics;

use std::io::Write as _;

use serde::Serialize;

use crate::diagnostic::{Finding, Rule, Severity};
use crate::span::{LineCol, Positions};

/// What a worker writes out for a file while it checks it, so the report is written after the
/// checks without reading every finding again on one thread (whose caches hold none of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rendering {
    /// The human format's snippets.
    Human(human::HumanOptions),
    /// The concise format's lines, with or without colour.
    Concise {
        /// Use ANSI colours.
        color: bool,
    },
}

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
    /// What `--fix` or `--diff` did, or would do, to each file with fixable findings, by path.
    pub fixes: Vec<FileFix>,
}

/// What `check --fix` or `--diff` did to one file (or would do).
#[derive(Debug, Default)]
pub struct FileFix {
    /// The path as the report names it.
    pub path: String,
    /// The rule of each fix applied (or, with `--diff`, that would be).
    pub applied: Vec<crate::diagnostic::Rule>,
    /// `--diff`: the change as a unified diff.
    pub diff: Option<String>,
    /// The fixed text when it has no file to go to (stdin).
    pub text: Option<Vec<u8>>,
    /// Why fixable findings were not fixed (the file is left as it was, and that is fine).
    pub not_fixed: Option<String>,
    /// Why the fixed text could not be written (an error: the run exits 2).
    pub error: Option<String>,
}

/// The findings of one file, with where they are, and its bytes when snippets will be rendered.
#[derive(Debug, Default)]
pub struct FileReport {
    /// Repository-relative (or root-relative) path, `/`-separated.
    pub path: String,
    /// Which version of the path the bytes are.
    pub origin: Origin,
    /// The file on disk the path names (`None` where it has none): two roots may hold files of
    /// one relative name (two directories outside a repository, two repositories), and their
    /// reports must stay apart.
    pub place: Option<std::path::PathBuf>,
    /// The findings as the human format's snippets or the concise format's lines, rendered while
    /// the file was checked (empty for the other formats): a run keeps no file's bytes after its
    /// check, so its memory follows the largest file, not the files with findings.
    pub rendered: String,
    /// How human and concise output name it: relative to the current directory (`None`: as
    /// `path`). JSON, SARIF and GitHub keep `path`, which does not depend on where one stands.
    pub shown: Option<String>,
    /// Findings with where they are, in file order; positions are computed while the bytes are
    /// at hand.
    pub findings: Vec<Located>,
}

/// A finding and its place in the file.
#[derive(Debug)]
pub struct Located {
    /// The finding.
    pub finding: Finding,
    /// Where it is.
    pub position: Position,
}

/// Which version of a path a report's bytes are, when a scope reads more than one.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// The path's own bytes in the scope checked (the working tree, the staged blob, the commit
    /// `--rev` names).
    #[default]
    Own,
    /// The version one of several commits holds (`--commits`): its short id.
    Commit(String),
    /// An index stage of an unmerged path: what the merge is about to combine.
    Stage(Stage),
}

/// The two index stages that hold the sides of an unmerged path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Stage 2: the branch being merged into.
    Ours,
    /// Stage 3: the branch being merged.
    Theirs,
}

impl Origin {
    /// How output names the version, when it is not the path's own.
    #[must_use]
    pub fn label(&self) -> Option<String> {
        match self {
            Self::Own => None,
            Self::Commit(short) => Some(format!("commit {short}")),
            Self::Stage(Stage::Ours) => Some("index stage 2 (ours)".to_owned()),
            Self::Stage(Stage::Theirs) => Some("index stage 3 (theirs)".to_owned()),
        }
    }
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
    /// A report for `findings` in `bytes`, rendered now as `rendering` says.
    #[must_use]
    pub fn new(
        path: String,
        shown: Option<String>,
        place: Option<std::path::PathBuf>,
        origin: Origin,
        bytes: &[u8],
        findings: Vec<Finding>,
        rendering: Option<Rendering>,
    ) -> Self {
        let mut positions = Positions::new(bytes);
        let mut line_hashes = LineHashes::new(bytes);
        let mut report = Self {
            path,
            shown,
            origin,
            place,
            rendered: String::new(),
            findings: Vec::new(),
        };
        if let Some(Rendering::Human(options)) = rendering {
            report.rendered = render(&report.display_name(), bytes, &findings, options);
        }
        report.findings = findings
            .into_iter()
            .map(|finding| {
                let (start, end) = positions.range(finding.span);
                let line_hash = line_hashes.at(finding.span.start);
                Located {
                    position: Position {
                        start,
                        end,
                        line_hash,
                    },
                    finding,
                }
            })
            .collect();
        if let Some(Rendering::Concise { color }) = rendering {
            report.rendered = concise::render(&report, color);
        }
        report
    }

    /// Whether the first finding is of `rule`.
    #[must_use]
    pub fn leads_with(&self, rule: Rule) -> bool {
        self.findings
            .first()
            .is_some_and(|l| l.finding.rule == rule)
    }

    /// Findings with their positions.
    pub fn located(&self) -> impl Iterator<Item = (&Finding, &Position)> {
        self.findings.iter().map(|l| (&l.finding, &l.position))
    }

    /// The path as text output names it, with the origin when the bytes are not the path's own
    /// (`doc.md (index stage 2 (ours))`); control characters escaped.
    #[must_use]
    pub fn display_name(&self) -> String {
        let name = self.shown.as_deref().unwrap_or(&self.path);
        let path = crate::text::escape_str(name).into_owned();
        match self.origin.label() {
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

/// The hashes of the trimmed text of findings' lines, asked for in file order: a line is read and
/// hashed once for all its findings (a thousand findings on a 9 MB line read it a thousand
/// times).
struct LineHashes<'b> {
    bytes: &'b [u8],
    /// The last line hashed: where it starts, where its terminator is, its hash.
    last: Option<(usize, usize, u64)>,
    /// How many lines were hashed (for the tests).
    #[cfg(test)]
    hashed: usize,
}

impl<'b> LineHashes<'b> {
    fn new(bytes: &'b [u8]) -> Self {
        Self {
            bytes,
            last: None,
            #[cfg(test)]
            hashed: 0,
        }
    }

    /// The hash of the line holding `offset`.
    fn at(&mut self, offset: usize) -> u64 {
        let offset = offset.min(self.bytes.len());
        let same_line = |&(start, end, _): &(usize, usize, u64)| start <= offset && offset <= end;
        if let Some((_, _, hash)) = self.last.filter(same_line) {
            return hash;
        }
        let (start, end) = crate::text::line_bounds(self.bytes, offset);
        let hash = fnv1a(self.bytes[start..end].trim_ascii());
        self.last = Some((start, end, hash));
        #[cfg(test)]
        {
            self.hashed += 1;
        }
        hash
    }
}

/// FNV-1a, 64 bits: stable across platforms and Rust versions (unlike `DefaultHasher`).
#[must_use]
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A path (or a scope option) and a sentence about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathMessage {
    /// What it is about, as findings name paths.
    pub path: About,
    /// What happened.
    pub message: String,
}

/// What an error or a note is about: a file, or a scope as a whole (`--staged` when there is
/// no repository).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    /// A path, named as findings name paths.
    Path(String),
    /// A scope option, as the command line spells it.
    Scope(&'static str),
}

impl About {
    /// As output prints it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Path(path) => path,
            Self::Scope(flag) => flag,
        }
    }
}

impl std::fmt::Display for About {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for About {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// How serious a message on stderr is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `mergemark: error: …` (the run will exit 2).
    Error,
    /// `mergemark: warning: …`.
    Warning,
    /// `mergemark: note: …`.
    Note,
    /// `mergemark: …`: what was done.
    Info,
}

/// What an atomic write noticed, said on stderr: temporary files a killed run left (named, never
/// removed), and other hard links that keep the old content.
pub fn say_written(path: &std::path::Path, written: &crate::resolve::write::Written) {
    use crate::text::escape_for_display;
    for stale in &written.stale_temporaries {
        say(
            Level::Note,
            &format!(
                "{} looks left behind by a mergemark run that was killed; delete it if you do not \
                 need it (mergemark removes no file it cannot prove it wrote)",
                escape_for_display(stale.as_os_str().as_encoded_bytes())
            ),
        );
    }
    if written.other_links > 0 {
        say(
            Level::Warning,
            &format!(
                "{} had {} other hard link(s); they keep the old content (the file was replaced, \
                 as `git checkout` and `sed -i` replace files)",
                escape_for_display(path.as_os_str().as_encoded_bytes()),
                written.other_links
            ),
        );
    }
}

/// Print one message on stderr (the one place every command's messages are worded); file text
/// in it is escaped by the caller.
pub fn say(level: Level, text: &str) {
    let prefix = match level {
        Level::Error => "error: ",
        Level::Warning => "warning: ",
        Level::Note => "note: ",
        Level::Info => "",
    };
    let _ = writeln!(std::io::stderr().lock(), "mergemark: {prefix}{text}");
}

/// How a command ended, as the process status says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// 0: nothing at error level.
    Clean,
    /// 1: findings at error level (conflicts left, for `resolve` and `diff`).
    Findings,
    /// 2: a usage error, or a file that could not be read, checked or written.
    Failed,
}

impl Exit {
    /// The process status.
    #[must_use]
    pub const fn code(self) -> i32 {
        match self {
            Self::Clean => 0,
            Self::Findings => 1,
            Self::Failed => 2,
        }
    }
}

impl Report {
    /// Put files and messages in a stable order (the walk is parallel); reports about the same
    /// file and version become one.
    pub fn sort(&mut self) {
        self.files
            .sort_by(|a, b| (&a.path, &a.place, &a.origin).cmp(&(&b.path, &b.place, &b.origin)));
        // Merged in place: a second vector of every report, moved into, cost a copy of all of them
        // and the freeing of the first, after the checks, on one thread.
        self.files.dedup_by(|file, last| {
            if last.path != file.path || last.place != file.place || last.origin != file.origin {
                return false;
            }
            // A path both listed and unmerged: the unmerged-path finding goes first.
            let (file, earlier) = (std::mem::take(file), std::mem::take(last));
            let (mut first, second) = if file.leads_with(Rule::UnmergedPath) {
                (file, earlier)
            } else {
                (earlier, file)
            };
            first.rendered.push_str(&second.rendered);
            first.findings.extend(second.findings);
            *last = first;
            true
        });
        self.errors
            .sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
        self.skipped
            .sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
        self.fixes.sort_by(|a, b| a.path.cmp(&b.path));
    }

    /// Number of findings at `severity`.
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.findings)
            .filter(|f| f.finding.severity == severity)
            .count()
    }

    /// The exit status this report calls for.
    #[must_use]
    pub fn exit(&self) -> Exit {
        if !self.errors.is_empty() {
            Exit::Failed
        } else if self.count(Severity::Error) > 0 {
            Exit::Findings
        } else {
            Exit::Clean
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
    let fixable: usize = report
        .files
        .iter()
        .map(|f| crate::fix::fixable(f.findings.iter().map(|l| &l.finding)))
        .sum();
    let fixable = if fixable == 0 {
        String::new()
    } else {
        format!(" {fixable} fixable with `mergemark check --fix`.")
    };
    format!(
        "Found {} and {} in {} ({checked} checked).{fixable}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(with_findings, "file"),
    )
}

#[cfg(test)]
mod tests {
    use super::{fnv1a, LineHashes};

    /// The hash of the trimmed line holding `offset`, read afresh.
    fn line_hash(text: &[u8], offset: usize) -> u64 {
        let offset = offset.min(text.len());
        let start = text[..offset]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = text[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |i| start + i);
        fnv1a(text[start..end].trim_ascii())
    }

    proptest::proptest! {
        /// Whatever the order of the offsets, each line's hash is that of its trimmed text.
        #[test]
        fn line_hashes_are_those_of_the_lines(
            pieces in proptest::collection::vec(
                proptest::sample::select(&["a", " ", "\n", "\r\n", "é", "bc"][..]),
                0..40,
            ),
            offsets in proptest::collection::vec(0usize..120, 0..16),
        ) {
            let text = pieces.concat();
            let mut hashes = LineHashes::new(text.as_bytes());
            for offset in offsets {
                proptest::prop_assert_eq!(hashes.at(offset), line_hash(text.as_bytes(), offset));
            }
        }
    }

    /// A thousand findings on one long line hash it once.
    #[test]
    fn a_long_line_is_hashed_once_for_all_its_findings() {
        let text = "word ".repeat(20_000) + "\nnext\n";
        let mut hashes = LineHashes::new(text.as_bytes());
        for offset in (0..100_000).step_by(100) {
            assert_eq!(hashes.at(offset), line_hash(text.as_bytes(), offset));
        }
        assert_eq!(hashes.hashed, 1);
    }
}
