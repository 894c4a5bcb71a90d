//! The files a Git scope names, listed with git2 from the index, a commit's tree, or a diff: what
//! the next commit would contain (`--staged`), a commit's whole tree (`--rev`), and the files a
//! pull request touches (`--changed-since`). Listing is cheap; reading happens in the checker.

use std::path::PathBuf;

use git2::{Delta, DiffOptions, ObjectType, Oid, Repository};

pub use super::paths::{nearest_existing, repo_relative, within};

/// Git's file modes for what can hold text: regular and executable files. Symbolic links (their
/// blob is a target path) and submodules (a commit id) are not documents.
pub(super) fn is_file_mode(mode: u32) -> bool {
    matches!(mode, 0o100_644 | 0o100_755 | 0o100_664)
}

/// Where a listed file's bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// A blob in the object database (the index, a commit).
    Blob(Oid),
    /// The file in the working tree.
    Worktree,
}

/// One file a scope names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Repository-relative, `/`-separated (invalid UTF-8 replaced, for names in output).
    pub path: String,
    /// The path's bytes as Git stores them (to open it, whatever its encoding).
    pub raw: Vec<u8>,
    /// Where to read it.
    pub content: Content,
    /// Which version of the path it is, when that is not the path's own in the scope (`commit
    /// abc1234`, `index stage 2 (ours)`).
    pub origin: crate::report::Origin,
    /// The commit whose tree holds it (`--commits`), when that is not the scope's own.
    pub commit: Option<Oid>,
}

impl Listed {
    /// The path as the file system names it, relative to the working tree.
    #[must_use]
    pub fn fs_path(&self) -> PathBuf {
        Self::fs_path_of(&self.raw, &self.path)
    }

    /// A path as the file system names it: its bytes on Unix, its text elsewhere.
    pub(super) fn fs_path_of(raw: &[u8], text: &str) -> PathBuf {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let _ = text;
            PathBuf::from(std::ffi::OsStr::from_bytes(raw))
        }
        #[cfg(not(unix))]
        {
            let _ = raw;
            PathBuf::from(text)
        }
    }
}

/// What the next commit would contain: the stage-0 entries of the index that differ from HEAD
/// (every stage-0 entry with `all`, or when there is no commit yet). Unmerged paths are not
/// listed here: [`unmerged`] reports them.
///
/// # Errors
/// When the index or HEAD's tree cannot be read.
pub fn staged(repo: &Repository, all: bool) -> Result<Vec<Listed>, git2::Error> {
    let index = repo.index()?;
    let head_tree = match repo.head() {
        Ok(head) => Some(head.peel_to_tree()?),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            None
        }
        Err(e) => return Err(e),
    };
    if all || head_tree.is_none() {
        return Ok(index
            .iter()
            .filter(|e| (e.flags >> 12) & 0x3 == 0 && is_file_mode(e.mode))
            .map(|e| Listed {
                path: String::from_utf8_lossy(&e.path).into_owned(),
                raw: e.path.clone(),
                content: Content::Blob(e.id),
                origin: crate::report::Origin::Own,
                commit: None,
            })
            .collect());
    }
    let diff = repo.diff_tree_to_index(head_tree.as_ref(), Some(&index), None)?;
    Ok(changed_files(&diff, Content::Blob))
}

/// Every file of the tree of `rev` (a commit, tag or tree).
///
/// # Errors
/// When `rev` names nothing, or nothing with a tree.
pub fn rev(repo: &Repository, rev: &str) -> Result<Vec<Listed>, String> {
    let tree = repo
        .revparse_single(rev)
        .and_then(|object| object.peel_to_tree())
        .map_err(|e| format!("`{rev}` does not name a commit or tree: {}", e.message()))?;
    let mut listed = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(ObjectType::Blob)
            && is_file_mode(u32::try_from(entry.filemode()).unwrap_or(0))
        {
            listed.push(Listed {
                path: format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes())),
                raw: [dir.as_bytes(), entry.name_bytes()].concat(),
                content: Content::Blob(entry.id()),
                origin: crate::report::Origin::Own,
                commit: None,
            });
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(|e| e.message().to_owned())?;
    Ok(listed)
}

/// The files changed between the merge base of `rev` and HEAD, and the working tree (index
/// included, untracked files that are not ignored too): what a pull request from here touches.
/// They are read from the working tree.
///
/// # Errors
/// When `rev` or HEAD names no commit, or they share no history.
pub fn changed_since(repo: &Repository, rev: &str) -> Result<Vec<Listed>, String> {
    let upstream = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| format!("`{rev}` does not name a commit: {}", e.message()))?;
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|e| format!("HEAD names no commit: {}", e.message()))?;
    let base = repo
        .merge_base(upstream.id(), head.id())
        .and_then(|id| repo.find_commit(id))
        .map_err(|e| format!("`{rev}` and HEAD share no history: {}", e.message()))?;
    let tree = base.tree().map_err(|e| e.message().to_owned())?;
    let mut options = DiffOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_typechange(true);
    let diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))
        .map_err(|e| e.message().to_owned())?;
    Ok(changed_files(&diff, |_| Content::Worktree))
}

/// Every commit of `range` (`A..B`: the commits of B that A lacks; `B`: the commits of B that no
/// remote-tracking branch has, or none of `remote`'s: what pushing B there adds), newest first,
/// each with the files it changed from its first parent (every file for a root commit), read from
/// the commit.
///
/// # Errors
/// When the range names nothing, or the history cannot be walked.
pub fn commits(
    repo: &Repository,
    range: &str,
    remote: Option<&str>,
) -> Result<Vec<Listed>, String> {
    let mut walk = repo.revwalk().map_err(|e| e.message().to_owned())?;
    // What the range's tip names: a commit, or (a tag of a blob or tree, which a push may carry)
    // no commit at all, so nothing to check.
    let tip = |rev: &str| -> Result<Option<Oid>, String> {
        let object = repo
            .revparse_single(rev)
            .map_err(|e| format!("`{rev}` names nothing here: {}", e.message()))?;
        Ok(object.peel_to_commit().ok().map(|c| c.id()))
    };
    let (to, from) = match range.split_once("..") {
        Some((from, to)) if !from.is_empty() && !to.is_empty() && !to.starts_with('.') => {
            (to, Some(from))
        }
        Some(_) => return Err(format!("`{range}` is not a range: use A..B, or one commit")),
        None => (range, None),
    };
    let Some(to) = tip(to)? else {
        return Ok(Vec::new());
    };
    walk.push(to).map_err(|e| e.message().to_owned())?;
    match from.map(tip) {
        Some(Ok(Some(from))) => walk.hide(from).map_err(|e| e.message().to_owned())?,
        Some(Ok(None)) => {}
        // The other end is not here: in a push over a history never fetched (`--remote`, as the
        // hook passes it), what the remote's tracking branches lack includes every commit the
        // push adds; otherwise a typo would check nothing, so it is an error.
        Some(Err(error)) => match remote {
            Some(_) => hide_remote_branches(repo, &mut walk, remote)?,
            None => return Err(format!("{error} (the start of `{range}`)")),
        },
        None => hide_remote_branches(repo, &mut walk, remote)?,
    }
    let mut listed = Vec::new();
    for id in walk {
        let commit = id
            .and_then(|id| repo.find_commit(id))
            .map_err(|e| e.message().to_owned())?;
        let tree = commit.tree().map_err(|e| e.message().to_owned())?;
        let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
        let diff = repo
            .diff_tree_to_tree(parent.as_ref(), Some(&tree), None)
            .map_err(|e| e.message().to_owned())?;
        let short = commit
            .as_object()
            .short_id()
            .ok()
            .and_then(|s| s.as_str().map(str::to_owned))
            .unwrap_or_else(|| commit.id().to_string());
        for mut file in changed_files(&diff, Content::Blob) {
            file.origin = crate::report::Origin::Commit(short.clone());
            file.commit = Some(commit.id());
            listed.push(file);
        }
    }
    Ok(listed)
}

fn hide_remote_branches(
    repo: &Repository,
    walk: &mut git2::Revwalk<'_>,
    remote: Option<&str>,
) -> Result<(), String> {
    let glob = match remote {
        Some(remote) => format!("refs/remotes/{remote}/*"),
        None => "refs/remotes/*".to_owned(),
    };
    let references = repo
        .references_glob(&glob)
        .map_err(|e| e.message().to_owned())?;
    for reference in references.flatten() {
        if let Ok(commit) = reference.peel_to_commit() {
            walk.hide(commit.id()).map_err(|e| e.message().to_owned())?;
        }
    }
    Ok(())
}

/// The new side of every delta that leaves a file behind (not deletions). An unmerged path has no
/// blob of its own: it is listed when its bytes come from the working tree (which holds the
/// conflicted file); the staged scope reports unmerged paths from the index instead.
fn changed_files(diff: &git2::Diff<'_>, content: impl Fn(Oid) -> Content) -> Vec<Listed> {
    diff.deltas()
        .filter(|d| d.status() != Delta::Deleted)
        .filter(|d| {
            d.status() != Delta::Conflicted
                || matches!(content(d.new_file().id()), Content::Worktree)
        })
        .filter_map(|d| {
            let file = d.new_file();
            let mode = u32::from(file.mode());
            let path = file.path_bytes()?;
            let listed =
                is_file_mode(mode) || matches!(d.status(), Delta::Untracked | Delta::Conflicted);
            listed.then(|| Listed {
                path: String::from_utf8_lossy(path).into_owned(),
                raw: path.to_vec(),
                content: content(file.id()),
                origin: crate::report::Origin::Own,
                commit: None,
            })
        })
        .collect()
}

/// An unmerged index entry: which of the three stages the index holds for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmerged {
    /// Repository-relative, `/`-separated (invalid UTF-8 replaced, for names in output).
    pub path: String,
    /// The path's bytes as Git stores them (to open it, whatever its encoding).
    pub raw: Vec<u8>,
    /// Stage 1 (the common ancestor), if present.
    pub base: Option<Oid>,
    /// Stage 2 (ours), if present.
    pub ours: Option<Oid>,
    /// Stage 3 (theirs), if present.
    pub theirs: Option<Oid>,
}

impl Unmerged {
    /// The path as the file system names it, relative to the working tree.
    #[must_use]
    pub fn fs_path(&self) -> PathBuf {
        Listed::fs_path_of(&self.raw, &self.path)
    }

    /// How `git status` describes the conflict.
    #[must_use]
    pub fn describe(&self) -> &'static str {
        describe_conflict(
            self.base.is_some(),
            self.ours.is_some(),
            self.theirs.is_some(),
        )
    }
}

/// How `git status` describes a conflict whose index holds these stages (base, ours, theirs).
#[must_use]
pub const fn describe_conflict(base: bool, ours: bool, theirs: bool) -> &'static str {
    match (base, ours, theirs) {
        (true, true, true) => "both modified",
        (false, true, true) => "both added",
        (true, false, true) => "deleted by us",
        (true, true, false) => "deleted by them",
        (false, true, false) => "added by us",
        (false, false, true) => "added by them",
        (true, false, false) => "both deleted",
        (false, false, false) => "unmerged",
    }
}

/// The unmerged paths of the index, straight from it (no tree scan): during a merge, rebase,
/// cherry-pick or revert that stopped on conflicts.
#[must_use]
pub fn unmerged(repo: &Repository) -> Vec<Unmerged> {
    let Ok(index) = repo.index() else {
        return Vec::new();
    };
    if !index.has_conflicts() {
        return Vec::new();
    }
    let Ok(conflicts) = index.conflicts() else {
        return Vec::new();
    };
    let mut list: Vec<Unmerged> = conflicts
        .flatten()
        .filter_map(|c| {
            let raw = [&c.our, &c.their, &c.ancestor]
                .into_iter()
                .flatten()
                .next()
                .map(|e| e.path.clone())?;
            Some(Unmerged {
                path: String::from_utf8_lossy(&raw).into_owned(),
                raw,
                base: c.ancestor.map(|e| e.id),
                ours: c.our.map(|e| e.id),
                theirs: c.their.map(|e| e.id),
            })
        })
        .collect();
    list.sort_by(|a, b| a.path.cmp(&b.path));
    list
}
