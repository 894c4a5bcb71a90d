//! Opening a repository and reading its index the way Git would in the same place.
//!
//! Inside a hook Git describes the repository with environment variables: `git commit -a` runs
//! `pre-commit` with `GIT_INDEX_FILE` naming a temporary index (what will be committed), a linked
//! worktree with `GIT_DIR`; `GIT_WORK_TREE` and `GIT_COMMON_DIR` may be set too. They are honoured
//! for the repository they describe (the one around the current directory, or `GIT_DIR`'s), and
//! for no other repository a walk may meet.
//!
//! libgit2 reads neither a split index (`git update-index --split-index`) nor a sparse one
//! (`index.sparse`). Those are read with `gix-index` and handed to libgit2 as an in-memory index
//! (sparse directories expanded from their trees), so every scope sees the same entries Git does;
//! an index neither can read is an error that names it, never an empty index.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use git2::{ErrorCode, Repository, RepositoryOpenFlags};

/// The environment variables through which Git describes a repository to a hook.
const GIT_ENVIRONMENT: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
];

/// The `.git` directory (canonical) of the repository Git's environment describes, when any of
/// its variables is set.
fn environment_git_dir() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        if !GIT_ENVIRONMENT
            .iter()
            .any(|name| std::env::var_os(name).is_some())
        {
            return None;
        }
        let repo = open_from_environment()?;
        repo.path().canonicalize().ok()
    })
    .as_deref()
}

/// `git2::Repository::discover` opens the `.git` directory it finds, which loses where a `.git`
/// file (`git init --separate-git-dir`, a submodule) pointed from: the work tree then comes out as
/// the git directory's parent. Opening from the start path keeps it.
fn discover(start: &Path) -> Result<Repository, git2::Error> {
    Repository::open_ext(
        start,
        RepositoryOpenFlags::empty(),
        &[] as &[&std::ffi::OsStr],
    )
}

/// The repository Git's environment describes, with its work tree where Git puts it:
/// `GIT_WORK_TREE` even for a bare repository (the "dotfiles" set-up: `git --git-dir=~/.dotfiles
/// --work-tree=~`), which libgit2 leaves bare; and with `GIT_DIR` alone (Git sets it for hooks of a
/// repository made with `--separate-git-dir`), the current directory unless `core.worktree` says
/// otherwise, where libgit2 would take the git directory's parent.
fn open_from_environment() -> Option<Repository> {
    let repo = Repository::open_from_env().ok()?;
    let work_tree = std::env::var_os("GIT_WORK_TREE").map(PathBuf::from);
    let configured = repo
        .config()
        .ok()
        .is_some_and(|c| c.get_entry("core.worktree").is_ok());
    let cwd_is_top = std::env::var_os("GIT_DIR").is_some()
        && work_tree.is_none()
        && !configured
        && !repo.is_worktree()
        && !repo.is_bare();
    if let Some(work_tree) = work_tree.filter(|_| repo.is_bare()) {
        repo.set_workdir(&work_tree, false).ok()?;
    } else if cwd_is_top {
        repo.set_workdir(&std::env::current_dir().ok()?, false)
            .ok()?;
    }
    Some(repo)
}

fn same_dir(a: &Path, b: &Path) -> bool {
    a == b
        || a.canonicalize()
            .is_ok_and(|a| b.canonicalize().is_ok_and(|b| a == b))
}

/// The repository holding `start` (a file or directory), with Git's environment applied when it
/// describes this repository. `Ok(None)` outside any repository; an error when there is one that
/// cannot be opened (its message says why).
///
/// # Errors
/// When a repository exists but cannot be opened (ownership, a broken `.git`, ...).
pub fn open(start: &Path) -> Result<Option<Repository>, String> {
    if let Some(env_dir) = environment_git_dir() {
        if let Some(repo) = open_from_environment() {
            let holds_start = match repo.workdir() {
                Some(workdir) => start
                    .canonicalize()
                    .ok()
                    .zip(workdir.canonicalize().ok())
                    .is_some_and(|(start, workdir)| start.starts_with(workdir)),
                None => true,
            };
            let discovered_is_env = discover(start)
                .ok()
                .is_some_and(|r| same_dir(r.path(), env_dir));
            if holds_start || discovered_is_env {
                return Ok(Some(repo));
            }
        }
    }
    match discover(start) {
        Ok(repo) => Ok(Some(repo)),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(format!(
            "cannot open the Git repository here: {}",
            e.message()
        )),
    }
}

/// The index file libgit2 reads for `repo`: `GIT_INDEX_FILE` when the environment describes this
/// repository, else `index` in its `.git` directory.
pub(super) fn index_file(repo: &Repository) -> PathBuf {
    let from_env = environment_git_dir().is_some_and(|dir| same_dir(repo.path(), dir));
    match std::env::var_os("GIT_INDEX_FILE") {
        Some(file) if from_env => PathBuf::from(file),
        _ => repo.path().join("index"),
    }
}

/// The repository's index. A split or sparse index, which libgit2 cannot read, is read with
/// `gix-index` and installed as the repository's (in-memory) index, so later git2 calls that read
/// the index (diffs, attributes) see it too.
///
/// # Errors
/// When neither reader can read it; the message names the file and both reasons.
pub fn index(repo: &Repository) -> Result<git2::Index, String> {
    let first = match repo.index() {
        Ok(index) => return Ok(index),
        Err(e) => e,
    };
    let path = index_file(repo);
    let mut index = read_with_gix(repo, &path).map_err(|second| {
        format!(
            "cannot read the index {}: {} ({second})",
            path.display(),
            first.message()
        )
    })?;
    repo.set_index(&mut index)
        .map_err(|e| e.message().to_owned())?;
    repo.index().map_err(|e| e.message().to_owned())
}

/// Whether `index` lives only in memory (read by `gix-index`): it cannot be written back.
#[must_use]
pub fn is_in_memory(index: &git2::Index) -> bool {
    index.path().is_none()
}

/// Read `path` with `gix-index` (split indexes joined with their shared index, sparse directory
/// entries expanded from their trees) into an in-memory git2 index.
fn read_with_gix(repo: &Repository, path: &Path) -> Result<git2::Index, String> {
    let file = gix_index::File::at(
        path,
        gix_index::hash::Kind::Sha1,
        true,
        gix_index::decode::Options::default(),
    )
    .map_err(|e| e.to_string())?;
    let mut index = git2::Index::new().map_err(|e| e.message().to_owned())?;
    for entry in file.entries() {
        let path = entry.path(&file);
        let id = git2::Oid::from_bytes(entry.id.as_bytes()).map_err(|e| e.message().to_owned())?;
        let stage = entry.stage_raw();
        if entry.mode == gix_index::entry::Mode::DIR {
            add_tree(repo, &mut index, path.as_ref(), id)?;
            continue;
        }
        let add = index_entry(path.to_vec(), entry.mode.bits(), id, stage, entry.stat.size);
        index.add(&add).map_err(|e| e.message().to_owned())?;
    }
    Ok(index)
}

/// Every blob under the tree `id`, as stage-0 entries under `prefix` (a sparse directory entry,
/// whose path ends in `/`).
fn add_tree(
    repo: &Repository,
    index: &mut git2::Index,
    prefix: &[u8],
    id: git2::Oid,
) -> Result<(), String> {
    let tree = repo.find_tree(id).map_err(|e| e.message().to_owned())?;
    let mut entries = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            let mut path = prefix.to_vec();
            path.extend_from_slice(dir.as_bytes());
            path.extend_from_slice(entry.name_bytes());
            let mode = u32::try_from(entry.filemode()).unwrap_or(0o100_644);
            entries.push(index_entry(path, mode, entry.id(), 0, 0));
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(|e| e.message().to_owned())?;
    for entry in entries {
        index.add(&entry).map_err(|e| e.message().to_owned())?;
    }
    Ok(())
}

fn index_entry(path: Vec<u8>, mode: u32, id: git2::Oid, stage: u32, size: u32) -> git2::IndexEntry {
    let name_length = u16::try_from(path.len().min(0xfff)).unwrap_or(0xfff);
    let stage_bits = u16::try_from((stage & 0x3) << 12).unwrap_or(0);
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: size,
        id,
        flags: stage_bits | name_length,
        flags_extended: 0,
        path,
    }
}
