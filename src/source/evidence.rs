//! The repository's answers to what the conflict rules ask about one file (see
//! [`crate::lint::Evidence`]): do its labels name commits or branches it knows, and what do the
//! index stages of an unmerged path hold. Asked only for the few blocks that need them (examples
//! in fenced code blocks, unmerged files), and each answer read once.

use std::cell::OnceCell;
use std::path::Path;

use git2::Repository;

use super::git::RepoContext;
use super::repo;
use crate::lint::{Evidence, Stages};

/// A repository handle that is already open, or opened on first need.
#[derive(Clone, Copy)]
pub enum Handle<'a> {
    /// Open.
    Open(&'a Repository),
    /// Opened on first use (one per walker thread).
    Lazy(&'a LazyRepo<'a>),
}

impl<'a> Handle<'a> {
    /// The repository, if it can be opened.
    #[must_use]
    pub fn get(self) -> Option<&'a Repository> {
        match self {
            Self::Open(repo) => Some(repo),
            Self::Lazy(lazy) => lazy.get(),
        }
    }
}

/// A handle on a repository that a thread opens only when some file first asks for one (most
/// files never do: only those with marker-like runs need an attribute or the index).
pub struct LazyRepo<'a> {
    context: &'a RepoContext,
    /// Empty until asked; then the handle, or `None` if it could not be opened (not tried again).
    opened: OnceCell<Option<Repository>>,
}

impl<'a> LazyRepo<'a> {
    /// A handle on `context`'s repository, not opened yet.
    #[must_use]
    pub const fn new(context: &'a RepoContext) -> Self {
        Self {
            context,
            opened: OnceCell::new(),
        }
    }

    /// What is known of the repository without opening it.
    #[must_use]
    pub const fn context(&self) -> &'a RepoContext {
        self.context
    }

    /// The repository, opened now if this is the first ask; `None` if it cannot be opened.
    #[must_use]
    pub fn get(&self) -> Option<&Repository> {
        self.opened.get_or_init(|| self.context.open()).as_ref()
    }
}

/// Which merge a file's bytes may come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeSource {
    /// None looked for.
    None,
    /// A merge in progress (`MERGE_HEAD`): the working tree and the index.
    InProgress,
    /// The tree of this commit (a merge commit, if it has two parents).
    Commit(git2::Oid),
}

/// What one repository knows about one of its files.
pub struct RepoEvidence<'a> {
    repo: Handle<'a>,
    rel: &'a Path,
    unmerged: bool,
    merge: MergeSource,
    stages: OnceCell<Stages>,
    merge_versions: OnceCell<Stages>,
}

impl<'a> RepoEvidence<'a> {
    /// The evidence for `rel` (repository-relative), unmerged or not.
    #[must_use]
    pub fn new(repo: Handle<'a>, rel: &'a Path, unmerged: bool) -> Self {
        Self {
            repo,
            rel,
            unmerged,
            merge: MergeSource::None,
            stages: OnceCell::new(),
            merge_versions: OnceCell::new(),
        }
    }

    /// The same, for bytes that may come from `merge`.
    #[must_use]
    pub fn from_merge(mut self, merge: MergeSource) -> Self {
        self.merge = merge;
        self
    }
}

impl RepoEvidence<'_> {
    /// Whether the path is unmerged.
    #[must_use]
    pub const fn unmerged(&self) -> bool {
        self.unmerged
    }
}

impl Evidence for RepoEvidence<'_> {
    fn names_known_commit(&self, name: &[u8]) -> bool {
        let (Some(repo), Ok(name)) = (self.repo.get(), std::str::from_utf8(name)) else {
            return false;
        };
        names_known_commit(repo, name)
    }

    fn merge_versions(&self) -> &Stages {
        self.merge_versions.get_or_init(|| {
            self.repo
                .get()
                .and_then(|repo| read_merge_versions(repo, self.rel, self.merge))
                .unwrap_or_default()
        })
    }

    fn stages(&self) -> &Stages {
        self.stages.get_or_init(|| {
            if !self.unmerged {
                return Stages::default();
            }
            self.repo
                .get()
                .map(|repo| read_stages(repo, self.rel))
                .unwrap_or_default()
        })
    }
}

/// The texts of the index stages 1, 2 and 3 of `rel`, those present.
#[must_use]
pub fn read_stages(repo: &Repository, rel: &Path) -> Stages {
    let Ok(index) = repo::index(repo) else {
        return Stages::default();
    };
    let text = |stage| {
        index
            .get_path(rel, stage)
            .and_then(|entry| repo.find_blob(entry.id).ok())
            .map(|blob| blob.content().to_vec())
    };
    Stages {
        base: text(1),
        ours: text(2),
        theirs: text(3),
    }
}

/// The file in the two heads of the merge it may come from, and in their merge base: a merge
/// commit's first two parents (a merge in progress: see [`in_progress_versions`]). `None` when
/// there is no such merge or neither head holds the file.
fn read_merge_versions(repo: &Repository, rel: &Path, merge: MergeSource) -> Option<Stages> {
    let (ours, theirs) = match merge {
        MergeSource::None => return None,
        MergeSource::InProgress => return in_progress_versions(repo, rel),
        MergeSource::Commit(id) => {
            let commit = repo.find_commit(id).ok()?;
            (commit.parent(0).ok()?, commit.parent(1).ok()?)
        }
    };
    let text = |commit: &git2::Commit<'_>| -> Option<Vec<u8>> {
        let entry = commit.tree().ok()?.get_path(rel).ok()?;
        Some(repo.find_blob(entry.id()).ok()?.content().to_vec())
    };
    let base = repo
        .merge_base(ours.id(), theirs.id())
        .ok()
        .and_then(|id| repo.find_commit(id).ok());
    let versions = Stages {
        base: base.as_ref().and_then(text),
        ours: text(&ours),
        theirs: text(&theirs),
    };
    (versions.ours.is_some() || versions.theirs.is_some()).then_some(versions)
}

/// The versions an operation in progress combines: a merge (`MERGE_HEAD` into `HEAD`), a
/// cherry-pick or a rebase step (the commit applied onto `HEAD`, its parent the base), a revert
/// (the commit's changes taken back: its parent onto `HEAD`, the commit the base).
fn in_progress_versions(repo: &Repository, rel: &Path) -> Option<Stages> {
    let head = repo.head().ok()?.peel_to_commit().ok()?;
    let commit = |name: &str| repo.find_reference(name).ok()?.peel_to_commit().ok();
    let text = |commit: &git2::Commit<'_>| -> Option<Vec<u8>> {
        let entry = commit.tree().ok()?.get_path(rel).ok()?;
        Some(repo.find_blob(entry.id()).ok()?.content().to_vec())
    };
    let versions = if let Some(theirs) = commit("MERGE_HEAD") {
        let base = repo
            .merge_base(head.id(), theirs.id())
            .ok()
            .and_then(|id| repo.find_commit(id).ok());
        Stages {
            base: base.as_ref().and_then(text),
            ours: text(&head),
            theirs: text(&theirs),
        }
    } else if let Some(applied) = commit("CHERRY_PICK_HEAD").or_else(|| commit("REBASE_HEAD")) {
        Stages {
            base: applied.parent(0).ok().as_ref().and_then(text),
            ours: text(&head),
            theirs: text(&applied),
        }
    } else if let Some(reverted) = commit("REVERT_HEAD") {
        Stages {
            base: text(&reverted),
            ours: text(&head),
            theirs: reverted.parent(0).ok().as_ref().and_then(text),
        }
    } else {
        return None;
    };
    (versions.ours.is_some() || versions.theirs.is_some()).then_some(versions)
}

/// Whether `name` is a commit id (7 to 40 hexadecimal digits) of a commit in `repo`, or the short
/// name of one of its branches, remote-tracking branches or tags, or of a branch of one of its
/// remotes.
#[must_use]
pub fn names_known_commit(repo: &Repository, name: &str) -> bool {
    if (7..=40).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        return repo
            .revparse_single(name)
            .and_then(|object| object.peel_to_commit())
            .is_ok();
    }
    ["refs/heads/", "refs/remotes/", "refs/tags/"]
        .iter()
        .any(|prefix| repo.find_reference(&format!("{prefix}{name}")).is_ok())
        || (name.starts_with("refs/") && repo.find_reference(name).is_ok())
        // A branch a clone knows only as a remote's (`main` as `origin/main` in CI).
        || repo
            .references_glob(&format!("refs/remotes/*/{name}"))
            .is_ok_and(|mut refs| refs.next().is_some())
}
