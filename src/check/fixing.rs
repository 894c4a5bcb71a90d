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
use crate::source::Subject;

/// Rounds of fixing and checking again; fixes do not feed each other for long (each round
/// leaves only the edits that overlapped one made).
const MAX_ROUNDS: usize = 8;

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
    match (settings.fix, subject.file) {
        (FixMode::Diff, _) => {
            record.diff = Some(fix::unified_diff(&subject.name, subject.bytes, &bytes));
            (
                outcome(subject, subject.bytes, findings, settings),
                Some(record),
            )
        }
        (_, Some(path)) => match write(path, subject.bytes, &bytes) {
            Ok(()) => (outcome(subject, &bytes, remaining, settings), Some(record)),
            Err(refused) => {
                record.applied.clear();
                match refused {
                    Refused::Utf16 => {
                        record.not_fixed =
                            Some("it is UTF-16 text; only UTF-8 files are fixed".into());
                    }
                    Refused::Failed(reason) => record.error = Some(reason),
                }
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
/// record says why, if a reason stopped them).
fn fix_rounds<'b>(
    subject: &'b Subject<'_>,
    prefilter: &Prefilter,
    settings: &CheckSettings,
    findings: &[Finding],
    record: &mut FileFix,
) -> Result<Option<FixedText<'b>>, PathMessage> {
    let mut bytes: Cow<[u8]> = Cow::Borrowed(subject.bytes);
    let mut now: Cow<[Finding]> = Cow::Borrowed(findings);
    for _ in 0..MAX_ROUNDS {
        match fix::apply(&bytes, &now) {
            Ok(Some(fixed)) => {
                let again =
                    subject_findings(&subject.with_bytes(&fixed.bytes), prefilter, settings)?;
                record.applied.extend(fixed.applied);
                bytes = Cow::Owned(fixed.bytes);
                now = Cow::Owned(again);
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

/// Why a fixed text was not written.
enum Refused {
    /// The file is UTF-16 (checked decoded): left as it is, which is fine.
    Utf16,
    /// The write failed: an error.
    Failed(String),
}

/// Replace the file with its fixed text, atomically, keeping its mode and owner; a file that is
/// not the text that was checked (changed since, or UTF-16 decoded for the check) is left alone.
fn write(path: &std::path::Path, checked: &[u8], fixed: &[u8]) -> Result<(), Refused> {
    let on_disk =
        std::fs::read(path).map_err(|e| Refused::Failed(format!("cannot read it again: {e}")))?;
    if on_disk != checked {
        return Err(
            if crate::utf16::to_utf8(&on_disk).is_some_and(|text| text == checked) {
                Refused::Utf16
            } else {
                Refused::Failed("it changed while it was checked".to_owned())
            },
        );
    }
    let written = crate::resolve::write::replace_file(path, checked, fixed, false)
        .map_err(|e| Refused::Failed(e.to_string()))?;
    crate::report::say_written(path, &written);
    Ok(())
}
