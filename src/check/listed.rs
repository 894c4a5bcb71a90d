//! The Git scopes (`--staged`, `--rev`, `--changed-since`): the files Git lists, read from the
//! object database or the working tree, checked in parallel with one git2 handle per thread.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use git2::AttrCheckFlags;

use super::{
    examine, lock, unmerged, worth_examining, CheckSettings, Collected, Configs, Examined, Scope,
};
use crate::lint::{FileContext, Prefilter};
use crate::markdown::is_markdown_path;
use crate::report::PathMessage;
use crate::source::evidence::{Handle, MergeSource, RepoEvidence};
use crate::source::git::{self, RepoContext};
use crate::source::scope::{self, Content, Listed};
use crate::source::worktree::{read_file, FileRead, SkipReason};
use crate::text::{looks_binary, BINARY_PROBE};

/// Check what `scope` lists, limited to `settings.paths`.
pub(super) fn check_scope(
    scope: &Scope,
    settings: &CheckSettings,
    configs: &Configs<'_>,
    collected: &Mutex<Collected>,
    files_checked: &AtomicUsize,
) {
    let flag = match scope {
        Scope::Staged { .. } => "--staged",
        Scope::Rev(_) => "--rev",
        Scope::ChangedSince(_) => "--changed-since",
        Scope::Commits { .. } => "--commits",
        Scope::Worktree => unreachable!("the working tree is walked, not listed"),
    };
    let error = |message: String| {
        lock(collected).errors.push(PathMessage {
            path: flag.to_owned(),
            message,
        });
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let (context, repo) = match open_scope_repository(scope, flag, settings, &cwd) {
        Ok(found) => found,
        Err(message) => return error(message),
    };
    super::report_attribute_problems(Some(&context), collected);
    let given = path_filters(&context, settings, &cwd, collected);
    let filters: Vec<String> = given.iter().map(|(_, rel)| rel.clone()).collect();
    let in_scope = |path: &str| scope::within(&filters, path);
    let listed = match scope {
        Scope::Staged { all } => scope::staged(&repo, *all).map_err(|e| e.message().to_owned()),
        Scope::Rev(rev) => scope::rev(&repo, rev),
        Scope::ChangedSince(rev) => scope::changed_since(&repo, rev),
        Scope::Commits { range, remote } => scope::commits(&repo, range, remote.as_deref()),
        Scope::Worktree => unreachable!(),
    };
    let listed: Vec<Listed> = match listed {
        Ok(listed) => listed.into_iter().filter(|l| in_scope(&l.path)).collect(),
        Err(message) => return error(message),
    };
    // A path that names nothing, on disk or in what the scope lists, is a typo (or an unexpanded
    // glob): an error, as in the working-tree scope, not a check of nothing.
    for (path, rel) in &given {
        let listed_there = listed
            .iter()
            .any(|l| scope::within(std::slice::from_ref(rel), &l.path));
        if !listed_there && !cwd.join(path).exists() && !context.unmerged_under(rel) {
            lock(collected).errors.push(PathMessage {
                path: crate::source::worktree::slash_path(path),
                message: format!("no such file or directory, here or in {flag}'s files"),
            });
        }
    }
    let attributes = match scope {
        // What the next commit holds is judged by the attributes it holds.
        Scope::Staged { .. } => AttrCheckFlags::INDEX_ONLY,
        Scope::Rev(_) | Scope::Commits { .. } => AttrCheckFlags::INDEX_THEN_FILE,
        _ => AttrCheckFlags::FILE_THEN_INDEX,
    };
    let commit = match scope {
        Scope::Rev(rev) => repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .ok()
            .map(|c| c.id()),
        _ => None,
    };
    let job = Job {
        context: &context,
        settings,
        configs,
        collected,
        files_checked,
        attributes,
        commit,
        sizes: marker_sizes(&repo, &context, &listed),
    };
    job.run(&repo, &listed);
    unmerged::report_for_repo(
        &context,
        &repo,
        &in_scope,
        matches!(scope, Scope::Staged { .. }).then_some(&job),
        configs,
        settings,
        collected,
    );
}

/// The repository a Git scope reads (a bare one too, for the scopes that read only history),
/// found from the first path (or the current directory).
fn open_scope_repository(
    scope: &Scope,
    flag: &str,
    settings: &CheckSettings,
    cwd: &Path,
) -> Result<(RepoContext, git2::Repository), String> {
    let start = settings
        .paths
        .first()
        .map(|p| scope::nearest_existing(&cwd.join(p)))
        .unwrap_or_else(|| cwd.to_path_buf());
    let history_only = matches!(scope, Scope::Rev(_) | Scope::Commits { .. });
    let found = if history_only {
        RepoContext::discover_history(&start)?
    } else {
        RepoContext::discover_with_handle(&start)?
    };
    found.ok_or_else(|| {
        if history_only {
            format!("{} is not in a Git repository", start.display())
        } else {
            format!(
                "{flag} needs a Git repository with a working tree, and {} is not in one",
                start.display()
            )
        }
    })
}

/// The paths given, repository-relative: the files a scope lists are limited to them. A path
/// outside the repository is an error for that path.
fn path_filters<'p>(
    context: &RepoContext,
    settings: &'p CheckSettings,
    cwd: &Path,
    collected: &Mutex<Collected>,
) -> Vec<(&'p Path, String)> {
    let mut filters = Vec::new();
    for path in &settings.paths {
        if context.bare {
            // No working tree to be relative to: paths are the repository's own.
            filters.push((path.as_path(), crate::source::worktree::slash_path(path)));
            continue;
        }
        match scope::repo_relative(&cwd.join(path), &context.workdir) {
            Some(rel) => filters.push((path.as_path(), rel)),
            None => lock(collected).errors.push(PathMessage {
                path: crate::source::worktree::slash_path(path),
                message: "outside the repository".to_owned(),
            }),
        }
    }
    filters
}

/// The marker sizes Git may have written the listed files with: the repository's, and those the
/// `.gitattributes` blobs among them set (a commit's own attributes, in a bare repository too).
fn marker_sizes(repo: &git2::Repository, context: &RepoContext, listed: &[Listed]) -> Vec<usize> {
    let mut sizes = context.marker_sizes.clone();
    let mut blob_sizes = |id: git2::Oid| {
        if let Ok(blob) = repo.find_blob(id) {
            sizes.extend(git::sizes_set_in(blob.content()));
        }
    };
    for item in listed.iter().filter(|l| l.path.ends_with(".gitattributes")) {
        if let Content::Blob(id) = item.content {
            blob_sizes(id);
        }
    }
    // Each commit `--commits` checks is judged by its own top-level attributes too.
    let mut commits: Vec<git2::Oid> = listed.iter().filter_map(|l| l.commit).collect();
    commits.sort_unstable();
    commits.dedup();
    for id in commits {
        let attributes = repo
            .find_commit(id)
            .and_then(|c| c.tree())
            .and_then(|t| t.get_path(Path::new(".gitattributes")))
            .map(|entry| entry.id());
        if let Ok(id) = attributes {
            blob_sizes(id);
        }
    }
    sizes.sort_unstable();
    sizes.dedup();
    sizes
}

/// A blob over the size limit, told by its first bytes when the object database can stream it
/// (loose objects: what `git add` just wrote); one it cannot is taken for text too large to check.
fn probe_blob(repo: &git2::Repository, id: git2::Oid, size: u64) -> SkipReason {
    let mut first = vec![0; BINARY_PROBE];
    let read = repo.odb().ok().and_then(|odb| {
        let (mut reader, _, _) = odb.reader(id).ok()?;
        let mut filled = 0;
        while filled < first.len() {
            match std::io::Read::read(&mut reader, &mut first[filled..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => filled += n,
            }
        }
        Some(filled)
    });
    match read {
        Some(filled) => crate::source::worktree::probe_large(&first[..filled], size),
        None => SkipReason::TooLarge(size),
    }
}

/// Up to this many files are checked on the calling thread.
const FEW: usize = 64;

/// What each worker thread shares.
pub(super) struct Job<'a> {
    context: &'a RepoContext,
    settings: &'a CheckSettings,
    configs: &'a Configs<'a>,
    collected: &'a Mutex<Collected>,
    files_checked: &'a AtomicUsize,
    attributes: AttrCheckFlags,
    /// The commit whose tree `--rev` checks.
    commit: Option<git2::Oid>,
    /// The marker sizes Git may have used: the repository's attribute sizes, and for history the
    /// sizes the listed trees' own `.gitattributes` set.
    sizes: Vec<usize>,
}

impl Job<'_> {
    /// Check every listed file: on this thread with `repo` when there are few (a commit's handful:
    /// another handle would load the index again), else in parallel, one handle per thread.
    fn run(&self, repo: &git2::Repository, listed: &[Listed]) {
        if listed.len() <= FEW {
            let prefilter = self.prefilter();
            let mut buffer = Vec::new();
            for item in listed {
                self.check_one(repo, &prefilter, item, &mut buffer);
            }
            return;
        }
        let next = AtomicUsize::new(0);
        let threads = match self.settings.walk.threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
        .min(listed.len());
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    let Some(repo) = self.context.open() else {
                        return;
                    };
                    let prefilter = self.prefilter();
                    let mut buffer = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = listed.get(i) else { break };
                        self.check_one(&repo, &prefilter, item, &mut buffer);
                    }
                });
            }
        });
    }

    fn min_marker_size(&self) -> usize {
        self.settings.marker_size.unwrap_or_else(|| {
            self.sizes
                .first()
                .copied()
                .unwrap_or(self.context.min_marker_size())
        })
    }

    /// Read and check one listed file; its `origin` names a blob that is not the path's own
    /// (an index stage of an unmerged path).
    pub(super) fn check_one(
        &self,
        repo: &git2::Repository,
        prefilter: &Prefilter,
        item: &Listed,
        buffer: &mut Vec<u8>,
    ) {
        let skipped = |reason: SkipReason| {
            lock(self.collected).skipped.push(PathMessage {
                path: item.path.clone(),
                message: reason.to_string(),
            });
        };
        let max = self.settings.walk.max_filesize;
        let blob;
        let bytes: &[u8] = match item.content {
            Content::Blob(id) => {
                match repo.odb().and_then(|odb| odb.read_header(id)) {
                    Ok((size, _)) if size as u64 > max => {
                        return match probe_blob(repo, id, size as u64) {
                            SkipReason::Binary => {}
                            reason => self.error(item, &reason.to_string()),
                        };
                    }
                    Ok(_) => {}
                    Err(e) => return self.error(item, e.message()),
                }
                blob = match repo.find_blob(id) {
                    Ok(blob) => blob,
                    Err(e) => return self.error(item, e.message()),
                };
                let content = blob.content();
                if looks_binary(content) {
                    // UTF-16 text committed as it is: read as the worktree file would be.
                    match crate::utf16::to_utf8(content) {
                        Some(text) => {
                            *buffer = text;
                            buffer
                        }
                        None => return,
                    }
                } else {
                    content
                }
            }
            Content::Worktree => {
                match read_file(&self.context.workdir.join(item.fs_path()), max, buffer) {
                    Ok(FileRead::Text) => buffer,
                    Ok(FileRead::Skipped(SkipReason::Binary | SkipReason::NotAFile)) => return,
                    Ok(FileRead::Skipped(reason @ SkipReason::TooLarge(_))) => {
                        return self.error(item, &reason.to_string())
                    }
                    Ok(FileRead::Skipped(reason)) => return skipped(reason),
                    Err(e) => return self.error(item, &super::describe_io_error(&e)),
                }
            }
        };
        self.files_checked.fetch_add(1, Ordering::Relaxed);
        let rel = Path::new(&item.path);
        let (markdown, may_have_markers) = (is_markdown_path(rel), prefilter.may_match(bytes));
        if !worth_examining(may_have_markers, markdown) {
            return;
        }
        let config = self.config_for(rel);
        let unmerged = self.context.unmerged.contains(&item.raw);
        let merge = match item.commit.or(self.commit) {
            Some(id) => MergeSource::Commit(id),
            None => MergeSource::InProgress,
        };
        let evidence = RepoEvidence::new(Handle::Open(repo), rel, unmerged).from_merge(merge);
        let file = Examined {
            bytes,
            name: item.path.clone(),
            origin: item.origin.clone(),
            may_have_markers,
            markdown,
        };
        let report = examine(file, &config, self.settings, || FileContext {
            marker_size: self
                .settings
                .marker_size
                .unwrap_or_else(|| git::marker_size_from(repo, rel, self.attributes)),
            markdown: is_markdown_path(rel),
            unmerged,
            evidence: &evidence,
            // `--marker-size` says what to look for; otherwise any size Git may have used.
            other_sizes: if self.settings.marker_size.is_some() {
                &[]
            } else {
                &self.sizes
            },
        });
        match report {
            Ok(Some(report)) => lock(self.collected).files.push(report),
            Ok(None) => {}
            Err(error) => lock(self.collected).errors.push(error),
        }
    }

    /// The configuration for a repository-relative path (found in the working tree).
    pub(super) fn config_for(&self, rel: &Path) -> std::sync::Arc<crate::config::Settings> {
        let file = self.context.workdir.join(rel);
        let dir = file.parent().unwrap_or(&self.context.workdir);
        self.configs.for_dir(dir, &self.context.workdir)
    }

    fn error(&self, item: &Listed, message: &str) {
        lock(self.collected).errors.push(PathMessage {
            path: item.path.clone(),
            message: message.to_owned(),
        });
    }

    /// A prefilter for this job's marker sizes.
    pub(super) fn prefilter(&self) -> Prefilter {
        Prefilter::new(self.min_marker_size())
    }
}
