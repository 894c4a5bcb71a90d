//! `check --fix` and `--diff` for one subject: check it, apply the safe fixes its findings carry
//! ([`crate::fix`]), check the new text again (a fix may make room for another), and then write
//! the file through `resolve`'s atomic writer, keep the text for stdout, or keep the diff. What
//! is reported is what the file holds afterwards.

use std::borrow::Cow;

use super::{outcome, subject_findings, CheckSettings, FileOutcome, FixMode};
use crate::diagnostic::Finding;
use crate::fix;
use crate::lint::Prefilter;
use crate::report::{FileFix, PathMessage};
use crate::source::{Scope, Subject};

/// Rounds of fixing and checking again, for a file with more fixable findings of a rule than a
/// check lists (each round fixes those listed).
const MAX_ROUNDS: usize = 64;

/// The subject's report after its fixes, and what was fixed (`None`: nothing was fixable).
pub(super) fn check_and_fix(
    subject: &Subject<'_>,
    prefilter: &Prefilter,
    settings: &CheckSettings,
) -> (FileOutcome, Option<FileFix>) {
    let findings = match subject_findings(subject, prefilter, settings) {
        Ok(findings) => findings,
        Err(error) => return (FileOutcome::Failed(error), None),
    };
    if !findings.iter().any(|f| f.fix.is_some()) {
        return (outcome(subject, subject.bytes, findings, settings), None);
    }
    let mut record = FileFix {
        path: subject.name.clone(),
        ..FileFix::default()
    };
    let fixed = match fix_rounds(subject, prefilter, settings, &findings, &mut record) {
        Ok(fixed) => fixed,
        Err(error) => return (FileOutcome::Failed(error), None),
    };
    let Some((bytes, remaining)) = fixed else {
        return (
            outcome(subject, subject.bytes, findings, settings),
            Some(record),
        );
    };
    let file = subject
        .file
        .filter(|_| !matches!(settings.scope, Scope::Stdin { .. }));
    match (settings.fix, file) {
        (FixMode::Diff, _) => {
            // Named as it opens from here: `patch -p1` applies it where it was made.
            let name = settings
                .cwd
                .as_deref()
                .and_then(|cwd| subject.shown_bytes(cwd));
            let name = name.as_deref().unwrap_or(subject.name.as_bytes());
            record.diff = Some(fix::unified_diff(name, subject.bytes, &bytes));
            (
                outcome(subject, subject.bytes, findings, settings),
                Some(record),
            )
        }
        (_, Some(path)) => match write(path, subject.bytes, &bytes) {
            Ok(()) => (outcome(subject, &bytes, remaining, settings), Some(record)),
            Err(reason) => {
                record.applied.clear();
                record.error = Some(reason);
                (
                    outcome(subject, subject.bytes, findings, settings),
                    Some(record),
                )
            }
        },
        (_, None) => {
            let report = outcome(subject, &bytes, remaining, settings);
            record.text = Some(bytes.into_owned());
            (report, Some(record))
        }
    }
}

/// A text after fixes, and its findings.
type FixedText<'b> = (Cow<'b, [u8]>, Vec<Finding>);

/// The text after every fix that applies, and its findings; `None` when none applied (the
/// record says why, if a reason stopped them). One round fixes what the check lists; another
/// follows only when a rule had more findings than it lists, and never edits text a round wrote.
fn fix_rounds<'b>(
    subject: &'b Subject<'_>,
    prefilter: &Prefilter,
    settings: &CheckSettings,
    findings: &[Finding],
    record: &mut FileFix,
) -> Result<Option<FixedText<'b>>, PathMessage> {
    let mut bytes: Cow<[u8]> = Cow::Borrowed(subject.bytes);
    let mut now: Cow<[Finding]> = Cow::Borrowed(findings);
    let mut fresh: Vec<crate::span::Span> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let capped = now.iter().any(|f| f.counts > 1 && f.rule.fixable());
        match fix::apply(&bytes, &now, &fresh) {
            Ok(Some(fixed)) => {
                let again =
                    subject_findings(&subject.with_bytes(&fixed.bytes), prefilter, settings)?;
                record.applied.extend(fixed.applied.iter().copied());
                fresh = fresh.iter().map(|&span| fixed.map(span)).collect();
                fresh.extend(fixed.edits.iter().map(|&(_, new)| new));
                bytes = Cow::Owned(fixed.bytes);
                now = Cow::Owned(again);
                if !capped {
                    break;
                }
            }
            Ok(None) => break,
            Err(reason) => {
                record.not_fixed = Some(reason.to_string());
                break;
            }
        }
    }
    Ok((!record.applied.is_empty()).then(|| (bytes, now.into_owned())))
}

/// Replace the file with its fixed text, atomically, keeping its mode and owner; a file that is
/// not the text that was checked (changed since), a symbolic link or a read-only file is left
/// alone.
fn write(path: &std::path::Path, checked: &[u8], fixed: &[u8]) -> Result<(), String> {
    use crate::resolve::write::{replace_file, WriteError};
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read it again: {e}"))?;
    if meta.file_type().is_symlink() {
        return Err("it is a symbolic link; fix the file it points to".to_owned());
    }
    // A read-only file says "do not change me" (ruff and rumdl leave it too).
    if meta.permissions().readonly() {
        return Err("it is read-only".to_owned());
    }
    let written = replace_file(path, checked, fixed, false).map_err(|e| match e {
        WriteError::Changed { .. } => "it changed while it was checked".to_owned(),
        other => other.to_string(),
    })?;
    crate::report::say_written(path, &written);
    Ok(())
}
