//! The Git scopes (`--staged`, `--rev`, `--changed-since`, `--commits`): the files Git lists,
//! read from the object database or the working tree, in parallel with one git2 handle per
//! thread; then the unmerged paths under the paths given (their index stages, in `--staged`, as
//! what the merge is about to combine).

use std::cell::OnceCell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use git2::{AttrCheckFlags, Repository};

use super::evidence::{Handle, LazyRepo, MergeSource, RepoEvidence};
use super::git::{self, RepoContext};
use super::paths::slash_path;
use super::scanner::{Place, WorktreeFacts};
use super::scope::{self, Content, Listed};
use super::staged;
use super::walk::report_attribute_problems;
use super::workspace::{describe_io_error, guard};
use super::worktree::{probe_large, read_file, FileRead, SkipReason};
use super::{FileFacts, GitScope, Sink, Subject, Worker, Workspace};
use crate::lint::Evidence;
use crate::markdown::is_markdown_path;
use crate::report::{About, Origin, Stage};
use crate::text::{looks_binary, BINARY_PROBE};

/// Read what `scope` lists, limited to `paths`.
pub(super) fn read_listed<S: Sink>(
    scope: &GitScope,
    paths: &[PathBuf],
    workspace: &Workspace,
    sink: &S,
) {
    let flag = scope.flag();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let (context, repo, staged_index) = match open_scope_repository(scope, paths, &cwd) {
        Ok(found) => found,
        Err(message) => return workspace.error(About::Scope(flag), message),
    };
    report_attribute_problems(Some(&context), workspace);
    let given = path_filters(&context, paths, &cwd, workspace);
    let filters: Vec<String> = given.iter().map(|(_, rel)| rel.clone()).collect();
    let listed = match scope {
        GitScope::Staged { all } => match &staged_index {
            Some(index) => staged_files(&repo, index, *all),
            None => scope::staged(&repo, *all).map_err(|e| e.message().to_owned()),
        },
        GitScope::Rev(rev) => scope::rev(&repo, rev),
        GitScope::ChangedSince(rev) => scope::changed_since(&repo, rev),
        GitScope::Commits { range, remote } => scope::commits(&repo, range, remote.as_deref()),
    };
    let mut listed: Vec<Listed> = match listed {
        Ok(listed) => listed
            .into_iter()
            .filter(|l| scope::within(&filters, &l.path))
            .collect(),
        Err(message) => return workspace.error(About::Scope(flag), message),
    };
    // A path that names nothing, on disk or in what the scope lists, is a typo (or an unexpanded
    // glob): an error, as in the working-tree scope, not a check of nothing.
    for (path, rel) in &given {
        let listed_there = listed
            .iter()
            .any(|l| scope::within(std::slice::from_ref(rel), &l.path));
        if !listed_there && !cwd.join(path).exists() && !context.unmerged_under(rel) {
            workspace.error(
                About::Path(slash_path(path)),
                format!("no such file or directory, here or in {flag}'s files"),
            );
        }
    }
    let unmerged = staged_index
        .as_ref()
        .map_or_else(|| scope::unmerged(&repo), staged::unmerged);
    let unmerged: Vec<scope::Unmerged> = unmerged
        .into_iter()
        .filter(|u| scope::within(&filters, &u.path))
        .collect();
    if matches!(scope, GitScope::Staged { .. }) {
        listed.extend(unmerged.iter().flat_map(stage_blobs));
    }
    let job = Job {
        context: &context,
        workspace,
        attributes: match scope {
            // What the next commit holds is judged by the attributes it holds.
            GitScope::Staged { .. } => AttrCheckFlags::INDEX_ONLY,
            GitScope::Rev(_) | GitScope::Commits { .. } => AttrCheckFlags::INDEX_THEN_FILE,
            GitScope::ChangedSince(_) => AttrCheckFlags::FILE_THEN_INDEX,
        },
        commit: match scope {
            GitScope::Rev(rev) => repo
                .revparse_single(rev)
                .and_then(|o| o.peel_to_commit())
                .ok()
                .map(|c| c.id()),
            _ => None,
        },
        sizes: marker_sizes(&repo, &context, &listed),
        reached: Mutex::default(),
        cli_exclude: workspace.cli_exclude(&context.workdir),
        named: filters.clone(),
    };
    job.run(&repo, &listed, sink);
    job.unmerged_not_reached(&unmerged, scope, sink);
}

/// The ours and theirs stage blobs of an unmerged path, as listed files of their own.
fn stage_blobs(entry: &scope::Unmerged) -> impl Iterator<Item = Listed> + '_ {
    [(entry.ours, Stage::Ours), (entry.theirs, Stage::Theirs)]
        .into_iter()
        .filter_map(|(id, stage)| {
            Some(Listed {
                path: entry.path.clone(),
                raw: entry.raw.clone(),
                content: Content::Blob(id?),
                origin: Origin::Stage(stage),
                commit: None,
            })
        })
}

/// The repository a Git scope reads (a bare one too, for the scopes that read only history),
/// found from the first path (or the current directory).
fn open_scope_repository(
    scope: &GitScope,
    paths: &[PathBuf],
    cwd: &Path,
) -> Result<(RepoContext, Repository, Option<gix_index::File>), String> {
    let start = paths
        .first()
        .map(|p| scope::nearest_existing(&cwd.join(p)))
        .unwrap_or_else(|| cwd.to_path_buf());
    let history_only = matches!(scope, GitScope::Rev(_) | GitScope::Commits { .. });
    if matches!(scope, GitScope::Staged { .. }) {
        if let Some(found) = RepoContext::discover_staged(&start)? {
            return Ok(found);
        }
    }
    let found = if history_only {
        RepoContext::discover_history(&start)?
    } else {
        let found = RepoContext::discover_with_handle(&start)?;
        // `--changed-since` diffs with the index through libgit2: give the handle the index Git
        // reads (a split or sparse one too), not the one libgit2 would fail on.
        if let Some((_, repo)) = &found {
            crate::source::repo::index(repo)?;
        }
        found
    };
    found
        .map(|(context, repo)| (context, repo, None))
        .ok_or_else(|| {
            if history_only {
                format!("{} is not in a Git repository", start.display())
            } else {
                format!(
                    "{} needs a Git repository with a working tree, and {} is not in one",
                    scope.flag(),
                    start.display()
                )
            }
        })
}

/// What the next commit changes (every staged file with `all`, or before the first commit), from
/// the index `gix-index` read.
fn staged_files(
    repo: &Repository,
    index: &gix_index::File,
    all: bool,
) -> Result<Vec<Listed>, String> {
    let head = match repo.head() {
        Ok(head) => Some(head.peel_to_tree().map_err(|e| e.message().to_owned())?),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            None
        }
        Err(e) => return Err(e.message().to_owned()),
    };
    match head {
        Some(head) if !all => staged::changes(repo, index, Some(&head)),
        _ => staged::all_files(index),
    }
}

/// The paths given, repository-relative: the files a scope lists are limited to them. A path
/// outside the repository is an error for that path.
fn path_filters<'p>(
    context: &RepoContext,
    paths: &'p [PathBuf],
    cwd: &Path,
    workspace: &Workspace,
) -> Vec<(&'p Path, String)> {
    let mut filters = Vec::new();
    for path in paths {
        if context.bare {
            // No working tree to be relative to: paths are the repository's own.
            filters.push((path.as_path(), slash_path(path)));
            continue;
        }
        match scope::repo_relative(&cwd.join(path), &context.workdir) {
            Some(rel) => filters.push((path.as_path(), rel)),
            None => workspace.error(
                About::Path(slash_path(path)),
                "outside the repository".to_owned(),
            ),
        }
    }
    filters
}

/// The marker sizes Git may have written the listed files with: the repository's, and those the
/// `.gitattributes` blobs among them set (a commit's own attributes, in a bare repository too).
fn marker_sizes(repo: &Repository, context: &RepoContext, listed: &[Listed]) -> Vec<usize> {
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
fn probe_blob(repo: &Repository, id: git2::Oid, size: u64) -> SkipReason {
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
        Some(filled) => probe_large(&first[..filled], size),
        None => SkipReason::TooLarge(size),
    }
}

/// Up to this many files are read on the calling thread.
const FEW: usize = 64;

/// What each reading thread shares.
struct Job<'a> {
    context: &'a RepoContext,
    workspace: &'a Workspace,
    attributes: AttrCheckFlags,
    /// The commit whose tree `--rev` reads.
    commit: Option<git2::Oid>,
    /// The marker sizes Git may have used: the repository's attribute sizes, and for history the
    /// sizes the listed trees' own `.gitattributes` set.
    sizes: Vec<usize>,
    /// Unmerged paths read as listed files (so the ones that were not are read after).
    reached: Mutex<HashSet<Vec<u8>>>,
    /// `--exclude`, when given.
    cli_exclude: Option<crate::path_rules::CwdRules>,
    /// The PATHs given, repository-relative (what they name is judged by the part below them).
    named: Vec<String>,
}

impl Job<'_> {
    /// The `conflict-marker-size` of `rel`: 7 without a look-up when the files that could set it
    /// for this scope's attributes set none (so a commit's check never has libgit2 read the whole
    /// index), else asked of git2.
    fn marker_size(&self, repo: &Repository, rel: &Path) -> usize {
        let unset = self.attributes == AttrCheckFlags::INDEX_ONLY
            && self.context.sizes_unset()
            && self.sizes == [crate::conflict::DEFAULT_MARKER_SIZE];
        if unset {
            crate::conflict::DEFAULT_MARKER_SIZE
        } else {
            git::marker_size_from(repo, rel, self.attributes)
        }
    }

    /// Read every listed file: on this thread with `repo` when there are few (a commit's handful:
    /// another handle would load the index again), else in parallel, one handle per thread.
    fn run<S: Sink>(&self, repo: &Repository, listed: &[Listed], sink: &S) {
        if listed.len() <= FEW {
            let (mut worker, mut buffer) = (sink.worker(), Vec::new());
            for item in listed {
                self.read_one(repo, item, &mut buffer, &mut worker);
            }
            return;
        }
        let next = AtomicUsize::new(0);
        let threads = match self.workspace.walk.threads {
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
                    let (mut worker, mut buffer) = (sink.worker(), Vec::new());
                    while let Some(item) = listed.get(next.fetch_add(1, Ordering::Relaxed)) {
                        self.read_one(&repo, item, &mut buffer, &mut worker);
                    }
                });
            }
        });
    }

    /// Read one listed file and hand it over.
    fn read_one(
        &self,
        repo: &Repository,
        item: &Listed,
        buffer: &mut Vec<u8>,
        worker: &mut impl Worker,
    ) {
        // The scope lists its files: what the configuration or --exclude leaves out is left out.
        if self.excluded(&item.path) {
            return;
        }
        let blob;
        let bytes: &[u8] = match item.content {
            Content::Blob(id) => {
                blob = match self.read_blob(repo, item, id) {
                    Some(blob) => blob,
                    None => return,
                };
                let content = blob.content();
                if looks_binary(content) {
                    // UTF-16 text committed as it is: read as the worktree file would be.
                    let Some(text) = crate::utf16::to_utf8(content) else {
                        return;
                    };
                    *buffer = text;
                    buffer
                } else {
                    content
                }
            }
            Content::Worktree => {
                let file = self.context.workdir.join(item.fs_path());
                match read_file(&file, self.workspace.walk.max_filesize, buffer) {
                    Ok(FileRead::Text | FileRead::Decoded) => buffer,
                    Ok(FileRead::Skipped(SkipReason::Binary | SkipReason::NotAFile)) => return,
                    Ok(FileRead::Skipped(reason @ SkipReason::TooLarge(_))) => {
                        return self.error(item, reason.to_string())
                    }
                    Ok(FileRead::Skipped(reason)) => {
                        return self
                            .workspace
                            .skipped(item.path.clone(), reason.to_string())
                    }
                    Err(e) => return self.error(item, describe_io_error(&e)),
                }
            }
        };
        self.workspace.count_read();
        let unmerged = self.context.unmerged.get(&item.raw).copied();
        if unmerged.is_some() && item.origin == Origin::Own {
            guard(&self.reached).insert(item.raw.clone());
        }
        let rel = Path::new(&item.path);
        let merge = match item.commit.or(self.commit) {
            Some(id) => MergeSource::Commit(id),
            None => MergeSource::InProgress,
        };
        let facts = ListedFacts {
            job: self,
            repo,
            rel,
            marker_size: OnceCell::new(),
            settings: OnceCell::new(),
            evidence: RepoEvidence::new(Handle::Open(repo), rel, unmerged.is_some())
                .from_merge(merge),
        };
        worker.take(Subject {
            name: item.path.clone(),
            bytes,
            origin: item.origin.clone(),
            unmerged,
            content_in_scope: true,
            markdown: is_markdown_path(rel),
            facts: &facts,
            file: None,
            decoded: false,
        });
    }

    /// A blob within the size limit; a larger one is an error unless binary.
    fn read_blob<'r>(
        &self,
        repo: &'r Repository,
        item: &Listed,
        id: git2::Oid,
    ) -> Option<git2::Blob<'r>> {
        match repo.odb().and_then(|odb| odb.read_header(id)) {
            Ok((size, _)) if size as u64 > self.workspace.walk.max_filesize => {
                match probe_blob(repo, id, size as u64) {
                    SkipReason::Binary => {}
                    reason => self.error(item, reason.to_string()),
                }
                return None;
            }
            Ok(_) => {}
            Err(e) => {
                self.error(item, e.message().to_owned());
                return None;
            }
        }
        repo.find_blob(id)
            .map_err(|e| self.error(item, e.message().to_owned()))
            .ok()
    }

    /// The settings for a repository-relative path (its configuration is found in the working
    /// tree).
    /// Whether the configuration or `--exclude` leaves out the listed file `name`, judging the
    /// part of it below the PATH that names it (a file named itself is checked unless
    /// `--force-exclude`, as in the working tree).
    fn excluded(&self, name: &str) -> bool {
        let named = self
            .named
            .iter()
            .filter(|n| n.is_empty() || name == n.as_str() || name.starts_with(&format!("{n}/")))
            .map(String::len)
            .max();
        let force = self.workspace.walk.force_exclude;
        let from = match named {
            Some(len) if len == name.len() && !force => return false,
            Some(len) if len > 0 && len < name.len() && !force => len + 1,
            _ => 0,
        };
        let in_force = self.settings_for(Path::new(name));
        Workspace::excluded(&in_force, self.cli_exclude.as_ref(), name, from)
    }

    fn settings_for(&self, rel: &Path) -> std::sync::Arc<super::InForce> {
        let workdir = &self.context.workdir;
        self.workspace
            .settings_for_file(&workdir.join(rel), workdir)
    }

    fn error(&self, item: &Listed, message: String) {
        self.workspace
            .error(About::Path(item.path.clone()), message);
    }

    /// The unmerged paths no listed file stood for: each gets its finding, on its working file
    /// when there is one. A scope that lists the working tree checks that file whole; the others
    /// (`--staged`, `--rev`, `--commits`) do not hold it, and read it only for the place.
    fn unmerged_not_reached<S: Sink>(
        &self,
        unmerged: &[scope::Unmerged],
        scope: &GitScope,
        sink: &S,
    ) {
        let reached = guard(&self.reached).clone();
        let mut worker = sink.worker();
        let repo = LazyRepo::new(self.context);
        for entry in unmerged {
            // An unmerged path is always reported, excluded or not: Git will not commit it.
            if reached.contains(entry.path.as_bytes()) || self.context.bare {
                continue;
            }
            let rel = entry.fs_path();
            let file = self.context.workdir.join(&rel);
            let mut bytes = Vec::new();
            if !matches!(
                read_file(&file, self.workspace.walk.max_filesize, &mut bytes),
                Ok(FileRead::Text | FileRead::Decoded)
            ) {
                bytes.clear();
            }
            let min_size = self
                .workspace
                .marker_size(|| self.context.min_marker_size());
            let workdir = &self.context.workdir;
            let place = Place::Absolute {
                file: &file,
                base: workdir,
            };
            let facts = WorktreeFacts::new(
                self.workspace,
                place,
                min_size,
                Some(&repo),
                Some(&rel),
                true,
            );
            worker.take(Subject {
                name: entry.path.clone(),
                bytes: &bytes,
                origin: Origin::Own,
                unmerged: Some(entry.describe()),
                content_in_scope: matches!(scope, GitScope::ChangedSince(_)),
                markdown: is_markdown_path(&rel),
                facts: &facts,
                file: Some(&file),
                decoded: false,
            });
        }
    }
}

/// A listed file's Git facts: the attributes the scope reads them from, and the sizes its
/// listed trees may have been written with.
struct ListedFacts<'a> {
    job: &'a Job<'a>,
    repo: &'a Repository,
    rel: &'a Path,
    marker_size: OnceCell<usize>,
    settings: OnceCell<std::sync::Arc<super::InForce>>,
    evidence: RepoEvidence<'a>,
}

impl FileFacts for ListedFacts<'_> {
    fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    fn settings(&self) -> std::sync::Arc<super::InForce> {
        std::sync::Arc::clone(
            self.settings
                .get_or_init(|| self.job.settings_for(self.rel)),
        )
    }

    fn min_marker_size(&self) -> usize {
        let job = self.job;
        job.workspace.marker_size(|| {
            job.sizes
                .first()
                .copied()
                .unwrap_or(job.context.min_marker_size())
        })
    }

    fn marker_size(&self) -> usize {
        *self.marker_size.get_or_init(|| {
            self.job
                .workspace
                .marker_size(|| self.job.marker_size(self.repo, self.rel))
        })
    }

    fn other_sizes(&self) -> &[usize] {
        // `--marker-size` says what to look for; otherwise any size Git may have used.
        if self.job.workspace.marker_size.is_some() {
            &[]
        } else {
            &self.job.sizes
        }
    }

    fn evidence(&self) -> &dyn Evidence {
        &self.evidence
    }
}
