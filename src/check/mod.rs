//! `mergemark check`: one worker, [`check_subject`], applied to every subject a scope yields
//! (see [`crate::source`]); the findings are collected into a [`Report`].
//!
//! Per-file failures never stop the run: they are recorded as errors and the run goes on
//! (ripgrep's rule). Only files with findings keep anything, and only what the format renders.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::diagnostic::{Finding, Rule, Severity};
use crate::lint::{check_file, FileContext, Prefilter};
use crate::report::Rendering;
use crate::report::{About, FileFix, FileReport, Origin, PathMessage, Report};
use crate::schema::SchemaSet;
use crate::selection::{Choice, Selection};
use crate::source::workspace::guard;
use crate::source::{read_all, Scope, Sink, Subject, Worker, Workspace};
use crate::span::Span;

mod fixing;
mod progress;

/// What `check` does with the fixes its findings carry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FixMode {
    /// Report them.
    #[default]
    Off,
    /// `--fix`: apply them and write the file (stdin: keep the fixed text for stdout).
    Write,
    /// `--diff`: keep them as a unified diff; write nothing.
    Diff,
}

/// Settings for one `check` run, already validated (what to read lives in the [`Workspace`]).
#[derive(Debug)]
pub struct CheckSettings {
    /// Which version of the files to check.
    pub scope: Scope,
    /// Paths to check (files or directories); in the Git scopes, they limit the listed files.
    pub paths: Vec<std::path::PathBuf>,
    /// Render each file's findings for the output format while it is checked (the human format's
    /// snippets need its bytes at hand).
    pub rendering: Option<Rendering>,
    /// `--strict`: every warning is an error (applied before anything is rendered).
    pub strict: bool,
    /// `--verbose`: say for each file read the settings that apply.
    pub verbose: bool,
    /// `--select`, `--extend-select`, `--ignore`: which rules are reported.
    pub selection: Selection,
    /// `--fix` or `--diff`.
    pub fix: FixMode,
    /// The current directory (canonical), when output names files relative to it (the human
    /// and concise formats).
    pub cwd: Option<std::path::PathBuf>,
    /// Draw a progress line on stderr when the scan takes more than about a second (the caller
    /// sets it when stderr is a terminal).
    pub progress: bool,
}

/// What checking one file gave.
#[derive(Debug)]
pub enum FileOutcome {
    /// Nothing to report.
    Clean,
    /// Findings.
    Findings(FileReport),
    /// Checking it failed (a bug, reported for that file).
    Failed(PathMessage),
}

/// Check every file the settings' scope names, as the workspace says to read them.
#[must_use]
pub fn check(settings: &CheckSettings, workspace: &Workspace) -> Report {
    let sink = CheckSink {
        settings,
        workspace,
        files: Mutex::new(Vec::new()),
        fixes: Mutex::new(Vec::new()),
        findings: AtomicUsize::new(0),
    };
    progress::with_progress(
        settings.progress,
        || workspace.files_read(),
        || sink.findings.load(Ordering::Relaxed),
        || read_all(&settings.scope, &settings.paths, workspace, &sink),
    );
    let problems = workspace.take_problems();
    let mut report = Report {
        files_checked: workspace.files_read(),
        files: sink.files.into_inner().unwrap_or_default(),
        fixes: sink.fixes.into_inner().unwrap_or_default(),
        errors: problems.errors,
        skipped: problems.skipped,
    };
    report.sort();
    report
}

/// Collects what the workers find.
struct CheckSink<'a> {
    settings: &'a CheckSettings,
    workspace: &'a Workspace,
    files: Mutex<Vec<FileReport>>,
    fixes: Mutex<Vec<FileFix>>,
    findings: AtomicUsize,
}

impl Sink for CheckSink<'_> {
    type Worker<'s>
        = CheckWorker<'s>
    where
        Self: 's;

    fn worker(&self) -> CheckWorker<'_> {
        CheckWorker {
            sink: self,
            prefilter: None,
        }
    }
}

/// One thread's checker: its prefilter, built once per marker size.
struct CheckWorker<'a> {
    sink: &'a CheckSink<'a>,
    prefilter: Option<(usize, Prefilter)>,
}

impl Worker for CheckWorker<'_> {
    fn take(&mut self, subject: Subject<'_>) {
        if self.sink.settings.verbose {
            crate::report::say(crate::report::Level::Info, &subject.describe());
        }
        let size = subject.facts.min_marker_size();
        let prefilter = match &mut self.prefilter {
            Some((built_for, prefilter)) if *built_for == size => prefilter,
            slot => &mut slot.insert((size, Prefilter::new(size))).1,
        };
        let outcome = if self.sink.settings.fix == FixMode::Off {
            check_subject(&subject, prefilter, self.sink.settings)
        } else {
            let (outcome, fix) = fixing::check_and_fix(&subject, prefilter, self.sink.settings);
            if let Some(mut fix) = fix {
                if let Some(reason) = fix.error.take() {
                    let path = About::Path(fix.path.clone());
                    self.sink
                        .workspace
                        .error(path, format!("not fixed: {reason}"));
                }
                guard(&self.sink.fixes).push(fix);
            }
            outcome
        };
        match outcome {
            FileOutcome::Clean => {}
            FileOutcome::Findings(report) => {
                self.sink
                    .findings
                    .fetch_add(report.findings.len(), Ordering::Relaxed);
                guard(&self.sink.files).push(report);
            }
            // An internal error on one file is that file's error, and the run goes on.
            FileOutcome::Failed(error) => self.sink.workspace.error(error.path, error.message),
        }
    }
}

/// Check one subject: the conflict rules when the prefilter saw a marker-like run, the document
/// rules (with the settings' schemas) for Markdown, the unmerged-path finding for a path the
/// index lists as unmerged, then the configured rule levels and `--strict`.
#[must_use]
pub fn check_subject(
    subject: &Subject<'_>,
    prefilter: &Prefilter,
    settings: &CheckSettings,
) -> FileOutcome {
    match subject_findings(subject, prefilter, settings) {
        Ok(findings) => outcome(subject, subject.bytes, findings, settings),
        Err(error) => FileOutcome::Failed(error),
    }
}

/// The report of `findings` in `bytes` (the subject's, or its text after fixes).
fn outcome(
    subject: &Subject<'_>,
    bytes: &[u8],
    findings: Vec<Finding>,
    settings: &CheckSettings,
) -> FileOutcome {
    if findings.is_empty() {
        return FileOutcome::Clean;
    }
    FileOutcome::Findings(FileReport::new(
        subject.name.clone(),
        settings.cwd.as_deref().and_then(|cwd| subject.shown(cwd)),
        subject.place(),
        subject.origin.clone(),
        bytes,
        findings,
        settings.rendering,
    ))
}

/// Every finding of the subject, at the levels its settings and the selection give.
fn subject_findings(
    subject: &Subject<'_>,
    prefilter: &Prefilter,
    settings: &CheckSettings,
) -> Result<Vec<Finding>, PathMessage> {
    let mut findings = content_findings(subject, prefilter, &settings.selection)?;
    if let (Some(how), Origin::Own) = (subject.unmerged, &subject.origin) {
        findings.insert(0, unmerged_finding(subject.bytes, how));
    }
    if findings.is_empty() {
        return Ok(findings);
    }
    let in_force = subject.facts.settings();
    let levels = in_force.settings.levels_for(&subject.name);
    if settings.selection.is_default() {
        levels.apply(&mut findings);
    } else {
        crate::selection::apply(&settings.selection, &levels, &mut findings);
    }
    if settings.strict {
        for finding in &mut findings {
            finding.severity = Severity::Error;
        }
    }
    // A fix is offered only where `--fix` can make it: the working tree's (or stdin's) own text.
    if subject.decoded || matches!(settings.scope, Scope::Git(_)) {
        for finding in &mut findings {
            finding.fix = None;
        }
    }
    Ok(findings)
}

/// The findings in the subject's bytes (none when they are not the scope's to check). A panic
/// while checking becomes that file's error: a bug on one file must not end the run.
fn content_findings(
    subject: &Subject<'_>,
    prefilter: &Prefilter,
    selection: &Selection,
) -> Result<Vec<Finding>, PathMessage> {
    if !subject.content_in_scope {
        return Ok(Vec::new());
    }
    let may_have_markers = prefilter.may_match(subject.bytes);
    if !may_have_markers && !subject.markdown {
        return Ok(Vec::new());
    }
    // The Git facts (an attribute look-up) are asked only of files with marker-like runs.
    let context = if may_have_markers {
        subject.context()
    } else {
        FileContext {
            markdown: subject.markdown,
            ..FileContext::default()
        }
    };
    // A run that reports no schema rule (`--select 'conflict-*'`) does not check documents
    // against their schema.
    let schema_rules = selection.is_default()
        || Rule::ALL
            .iter()
            .any(|&r| r.needs_schema() && selection.choice(r) != Choice::Ignored);
    let in_force = (subject.markdown && schema_rules).then(|| subject.facts.settings());
    let empty = SchemaSet::default();
    let schemas = in_force.as_ref().map_or(&empty, |s| &s.settings.schemas);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_file(
            subject.bytes,
            &context,
            &subject.name,
            schemas,
            may_have_markers,
        )
    }))
    .map_err(|payload| {
        let reason = payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        PathMessage {
            path: About::Path(subject.name.clone()),
            message: format!(
                "internal error while checking this file ({reason}); please report it with the \
                 file"
            ),
        }
    })
}

/// `unmerged-path`: on the first line of the file (no snippet when it is gone or binary).
fn unmerged_finding(bytes: &[u8], how: &str) -> Finding {
    let first_line = memchr::memchr(b'\n', bytes).map_or(bytes.len(), |i| i + 1);
    Finding::new(
        Rule::UnmergedPath,
        Span::new(0, first_line),
        format!(
            "unmerged in the index ({how}): a merge, rebase or cherry-pick stopped on this path"
        ),
    )
    .with_help(
        "resolve the conflict (`mergemark resolve`), then `git add` the file (or `git rm` it); \
         until then Git refuses to commit",
    )
}
