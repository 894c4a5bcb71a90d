//! `resolve --format json`: per file, what settled each conflict (the kind of resolution and the
//! merge rules), what was left and why, and what remains.

use serde::Serialize;

use crate::resolve::eligible::Hold;
use crate::resolve::merge::Rule;
use crate::resolve::Resolution;

/// One file's record.
#[derive(Debug, Serialize)]
pub(super) struct FileRecord {
    /// The path as given.
    path: String,
    /// Blocks replaced.
    resolved: usize,
    /// Conflicts left, as `check` counts them.
    remaining: usize,
    /// Whether the file was written.
    written: bool,
    /// The conflicts, in order.
    conflicts: Vec<ConflictRecord>,
    /// Why the file could not be resolved, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// One top-level conflict.
#[derive(Debug, Serialize)]
struct ConflictRecord {
    /// Its number in the file, from 1.
    conflict: usize,
    /// The kind of resolution that settled it (`trivial`, `line-merge`, `ours`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    settled_by: Option<&'static str>,
    /// The merge rules that made it (a line merge's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rules: Vec<Rule>,
    /// Why it was left, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    left: Option<String>,
}

impl FileRecord {
    /// The record of `result` for the file called `path`.
    pub(super) fn of(path: &str, result: &Resolution, written: bool) -> Self {
        let mut conflicts: Vec<ConflictRecord> = result
            .settled
            .iter()
            .map(|(index, kind, rules)| ConflictRecord {
                conflict: index + 1,
                settled_by: Some(kind.name()),
                rules: rules.clone(),
                left: None,
            })
            .chain(
                result
                    .held
                    .iter()
                    .filter(|(_, hold)| *hold != Hold::NotThisMergesConflict)
                    .map(|(index, hold)| ConflictRecord {
                        conflict: index + 1,
                        settled_by: None,
                        rules: Vec::new(),
                        left: Some(hold.reason().to_owned()),
                    }),
            )
            .collect();
        conflicts.sort_by_key(|c| c.conflict);
        FileRecord {
            path: path.to_owned(),
            resolved: result.resolved,
            remaining: result.remaining + result.undecided,
            written,
            conflicts,
            error: None,
        }
    }

    /// The record of a modify/delete conflict the strategy does not settle (`reason`).
    pub(super) fn left_whole(path: &str, reason: String) -> Self {
        FileRecord {
            path: path.to_owned(),
            resolved: 0,
            remaining: 1,
            written: false,
            conflicts: vec![ConflictRecord {
                conflict: 1,
                settled_by: None,
                rules: Vec::new(),
                left: Some(reason),
            }],
            error: None,
        }
    }

    /// The record of a file that could not be resolved.
    pub(super) fn failed(path: &str, error: String) -> Self {
        FileRecord {
            path: path.to_owned(),
            resolved: 0,
            remaining: 0,
            written: false,
            conflicts: Vec::new(),
            error: Some(error),
        }
    }
}

/// The whole run's report.
#[derive(Debug, Serialize)]
pub(super) struct Report<'a> {
    /// Every file, in the order given.
    pub(super) files: &'a [FileRecord],
}
