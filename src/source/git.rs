//! What Git knows about a path, read with git2 (never by running `git`).
//!
//! Only two facts matter to the scanner: a path's `conflict-marker-size` attribute and whether the
//! index lists it as unmerged. Attribute look-ups cost a few syscalls each, so they are made only for
//! files that hold marker-like runs; [`RepoContext::min_marker_size`] tells the prefilter how short a
//! run any attribute in the repository could make meaningful.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use git2::{AttrCheckFlags, Repository};
use regex::bytes::Regex;

use crate::conflict::DEFAULT_MARKER_SIZE;

/// Facts about one repository, shared by all walker threads.
#[derive(Debug)]
pub struct RepoContext {
    /// The working directory, canonicalised.
    pub workdir: PathBuf,
    /// The `.git` directory, for opening per-thread handles.
    pub git_dir: PathBuf,
    /// The smallest `conflict-marker-size` any attribute source could assign (7 if none is smaller).
    pub min_marker_size: usize,
    /// Repository-relative paths (`/`-separated bytes) that the index lists as unmerged.
    pub unmerged: HashSet<Vec<u8>>,
}

static MARKER_SIZE_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"conflict-marker-size=(\d+)").expect("the attribute pattern is valid")
});

impl RepoContext {
    /// The repository containing `path`, if any (bare repositories have no working tree to check).
    #[must_use]
    pub fn discover(path: &Path) -> Option<Self> {
        let repo = Repository::discover(path).ok()?;
        let workdir = repo.workdir()?.canonicalize().ok()?;
        let git_dir = repo.path().to_path_buf();
        let min_marker_size = scan_attribute_sources(&repo, &workdir);
        let unmerged = unmerged_paths(&repo);
        Some(Self {
            workdir,
            git_dir,
            min_marker_size,
            unmerged,
        })
    }

    /// A handle for one thread (git2 repositories are not `Sync`).
    #[must_use]
    pub fn open(&self) -> Option<Repository> {
        Repository::open(&self.git_dir).ok()
    }
}

/// The smallest marker size set by the attribute files the repository uses (tracked
/// `.gitattributes`, the top-level one, `info/attributes`, the global file), or 7.
///
/// Only the prefilter depends on this: the size of each file that holds marker-like runs is asked of
/// git2 directly, so an untracked `.gitattributes` is honoured too, unless it sets a size below 7.
fn scan_attribute_sources(repo: &Repository, workdir: &Path) -> usize {
    let mut files: Vec<PathBuf> = vec![repo.path().join("info").join("attributes")];
    if let Ok(config) = repo.config() {
        if let Ok(path) = config.get_path("core.attributesFile") {
            files.push(path);
        }
    }
    if let Some(home) = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
    {
        files.push(home.join("git").join("attributes"));
    }
    files.push(workdir.join(".gitattributes"));
    if let Ok(index) = repo.index() {
        for entry in index.iter() {
            if entry.path.ends_with(b".gitattributes") {
                if let Ok(rel) = std::str::from_utf8(&entry.path) {
                    files.push(workdir.join(rel));
                }
            }
        }
    }
    let mut min = DEFAULT_MARKER_SIZE;
    for file in files {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for caps in MARKER_SIZE_ATTR.captures_iter(&bytes) {
            if let Some(n) = std::str::from_utf8(&caps[1])
                .ok()
                .and_then(|s| s.parse::<usize>().ok())
            {
                if n > 0 {
                    min = min.min(n);
                }
            }
        }
    }
    min
}

fn unmerged_paths(repo: &Repository) -> HashSet<Vec<u8>> {
    let mut paths = HashSet::new();
    let Ok(index) = repo.index() else {
        return paths;
    };
    if !index.has_conflicts() {
        return paths;
    }
    if let Ok(conflicts) = index.conflicts() {
        for conflict in conflicts.flatten() {
            for entry in [conflict.our, conflict.their, conflict.ancestor]
                .into_iter()
                .flatten()
            {
                paths.insert(entry.path);
            }
        }
    }
    paths
}

/// A single file's repository, opened without reading any attribute file or the index (what
/// [`RepoContext::discover`] does once per walked root would be wasted per file).
pub struct FileRepo {
    /// The repository.
    pub repo: Repository,
    /// Its working directory, canonicalised.
    pub workdir: PathBuf,
    /// The file's path relative to `workdir`.
    pub rel: PathBuf,
}

/// The repository holding the file at `absolute` (a canonical path), if any.
#[must_use]
pub fn open_for(absolute: &Path) -> Option<FileRepo> {
    let repo = Repository::discover(absolute.parent()?).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let rel = absolute.strip_prefix(&workdir).ok()?.to_path_buf();
    Some(FileRepo { repo, workdir, rel })
}

/// The `conflict-marker-size` of `rel_path` (repository-relative), or 7.
///
/// Git warns about and ignores values that are not positive integers; so does this.
#[must_use]
pub fn marker_size(repo: &Repository, rel_path: &Path) -> usize {
    repo.get_attr(
        rel_path,
        "conflict-marker-size",
        AttrCheckFlags::FILE_THEN_INDEX,
    )
    .ok()
    .flatten()
    .and_then(|v| v.trim().parse::<usize>().ok())
    .filter(|&n| n > 0)
    .unwrap_or(DEFAULT_MARKER_SIZE)
}
