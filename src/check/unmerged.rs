//! `unmerged-path`: every path the index lists as unmerged is an error in every scope, straight
//! from the index (milliseconds, where finding them by scanning files would take a tree walk),
//! even when its markers were deleted by hand or the file is binary.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::listed::Job;
use super::{lock, CheckSettings, Collected, Configs};
use crate::diagnostic::{Finding, Rule, RuleLevels};
use crate::report::FileReport;
use crate::source::git::RepoContext;
use crate::source::scope::{self, Content, Listed, Unmerged};
use crate::source::worktree::{read_file, FileRead, Root};
use crate::span::Span;

/// Unmerged paths under the walked roots (each repository once).
pub(super) fn report_for_roots(
    roots: &[Root],
    configs: &Configs<'_>,
    settings: &CheckSettings,
    collected: &Mutex<Collected>,
) {
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for root in roots {
        let Some(context) = root.repo.as_deref() else {
            continue;
        };
        if context.unmerged.is_empty() || !seen.insert(context.workdir.clone()) {
            continue;
        }
        let Some(repo) = context.open() else {
            continue;
        };
        let in_scope = |path: &str| roots.iter().any(|r| r.covers(&context.workdir, path));
        report_for_repo(
            context, &repo, &in_scope, None, configs, settings, collected,
        );
    }
}

/// Unmerged paths of one repository for which `in_scope` holds. With `stages` (the staged scope),
/// the ours and theirs stage blobs are checked too, as what the merge is about to combine.
pub(super) fn report_for_repo(
    context: &RepoContext,
    repo: &git2::Repository,
    in_scope: &dyn Fn(&str) -> bool,
    stages: Option<&Job<'_>>,
    configs: &Configs<'_>,
    settings: &CheckSettings,
    collected: &Mutex<Collected>,
) {
    if context.unmerged.is_empty() {
        return;
    }
    let prefilter = stages.map(Job::prefilter);
    for entry in scope::unmerged(repo) {
        if !in_scope(&entry.path) {
            continue;
        }
        let file = context.workdir.join(&entry.path);
        let config = configs.for_dir(file.parent().unwrap_or(&context.workdir), &context.workdir);
        add_finding(
            &context.workdir,
            &entry,
            &config.levels,
            settings,
            collected,
        );
        if let (Some(job), Some(prefilter)) = (stages, &prefilter) {
            let mut buffer = Vec::new();
            for (id, origin) in [
                (entry.ours, "index stage 2 (ours)"),
                (entry.theirs, "index stage 3 (theirs)"),
            ] {
                if let Some(id) = id {
                    let item = Listed {
                        path: entry.path.clone(),
                        raw: entry.path.clone().into_bytes(),
                        content: Content::Blob(id),
                        origin: Some(origin.to_owned()),
                        commit: None,
                    };
                    job.check_one(repo, prefilter, &item, &mut buffer);
                }
            }
        }
    }
}

/// The finding, on the first line of the working-tree file (no snippet when it is gone or binary),
/// joined to the file's other findings when it has some.
fn add_finding(
    workdir: &Path,
    entry: &Unmerged,
    levels: &RuleLevels,
    settings: &CheckSettings,
    collected: &Mutex<Collected>,
) {
    // Read before taking the lock; a file that is gone or binary gets the finding without text.
    let mut bytes = Vec::new();
    if !matches!(
        read_file(&workdir.join(&entry.path), 64 << 20, &mut bytes),
        Ok(FileRead::Text)
    ) {
        bytes.clear();
    }
    let first_line = memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1);
    let finding = Finding::new(
        Rule::UnmergedPath,
        Span::new(0, first_line),
        format!(
            "unmerged in the index ({}): a merge, rebase or cherry-pick stopped on this path",
            entry.describe()
        ),
    )
    .with_help(
        "resolve the conflict (`mergemark resolve`), then `git add` the file (or `git rm` it); \
         until then Git refuses to commit",
    );
    let mut findings = vec![finding];
    levels.apply(&mut findings);
    super::apply_strict(settings, &mut findings);
    let Some(finding) = findings.pop() else {
        return; // turned off in the configuration
    };
    let mut collected = lock(collected);
    let existing = collected
        .files
        .iter_mut()
        .find(|f| f.path == entry.path && f.origin.is_none());
    match existing {
        Some(file) => file.insert_first(finding, &bytes, settings.human),
        None => collected.files.push(FileReport::new(
            entry.path.clone(),
            None,
            &bytes,
            vec![finding],
            settings.human,
        )),
    }
}
