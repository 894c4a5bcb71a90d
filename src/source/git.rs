//! What Git knows about a path, read with git2 (never by running `git`).
//!
//! Only two facts matter to the scanner: a path's `conflict-marker-size` attribute and whether the
//! index lists it as unmerged. Attribute look-ups cost a few syscalls each, so they are made only for
//! files that hold marker-like runs; [`RepoContext::min_marker_size`] tells the prefilter how short a
//! run any attribute in the repository could make meaningful.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::Repository;

use super::attributes::scan_attribute_sources;
pub use super::attributes::{
    chain_sets_size, marker_size, marker_size_from, marker_size_from_value, sizes_set_in,
};
use super::repo;
use crate::conflict::{DEFAULT_MARKER_SIZE, REFERENCE_MARKER_SIZE};

/// Facts about one repository, shared by all walker threads.
#[derive(Debug)]
pub struct RepoContext {
    /// The working directory, canonicalised.
    pub workdir: PathBuf,
    /// The `.git` directory.
    pub git_dir: PathBuf,
    /// Where the repository was found from: per-thread handles are opened the same way (Git's
    /// environment applies to them alike).
    start: PathBuf,
    /// Every `conflict-marker-size` the repository's attribute sources set, and Git's default 7:
    /// the sizes Git may have written a file's markers with (an attribute can change after the
    /// merge that wrote them), sorted.
    pub marker_sizes: Vec<usize>,
    /// Repository-relative paths (`/`-separated bytes) that the index lists as unmerged, with
    /// how `git status` describes each conflict.
    pub unmerged: HashMap<Vec<u8>, &'static str>,
    /// A bare repository (only its history can be checked; `workdir` is its `.git` directory).
    pub bare: bool,
    /// Attribute lines setting `conflict-marker-size` that Git and mergemark would read apart.
    pub attribute_problems: Vec<(PathBuf, String)>,
}

/// The repositories a run's paths lie in, each read once, and the answer for each directory
/// asked: a hook names many files in a few directories, and finding the repository of one opens
/// its configuration files (some forty system calls).
#[derive(Default)]
pub struct Discovered {
    repos: Vec<Arc<RepoContext>>,
    by_dir: HashMap<PathBuf, Result<Option<Arc<RepoContext>>, String>>,
}

impl RepoContext {
    /// The repository containing `path`, if any (bare repositories have no working tree to check).
    ///
    /// # Errors
    /// When a repository is there but cannot be opened, or its index cannot be read.
    pub fn discover(path: &Path) -> Result<Option<Self>, String> {
        Ok(Self::discover_with_handle(path)?.map(|(context, _)| context))
    }

    /// [`Self::discover`], and the handle it opened, whose index is loaded: reuse it rather than
    /// open another (loading a large index, checksum and all, is the main cost of a small check).
    ///
    /// # Errors
    /// As [`Self::discover`].
    pub fn discover_with_handle(path: &Path) -> Result<Option<(Self, Repository)>, String> {
        Self::discover_inner(path, false)
    }

    /// [`Self::discover_with_handle`], a bare repository included (for the scopes that read only
    /// history: `--rev`, `--commits`).
    ///
    /// # Errors
    /// As [`Self::discover`].
    pub fn discover_history(path: &Path) -> Result<Option<(Self, Repository)>, String> {
        Self::discover_inner(path, true)
    }

    fn discover_inner(path: &Path, bare_too: bool) -> Result<Option<(Self, Repository)>, String> {
        match repo::open(path)? {
            Some(repo) => Self::of_open(path, repo, bare_too),
            None => Ok(None),
        }
    }

    /// [`Self::discover`], reusing a context in `known` (the repositories earlier paths of the
    /// run lie in) when `path` lies in the same repository: a hook names several files of one
    /// repository, whose index is then read once.
    ///
    /// # Errors
    /// As [`Self::discover`].
    pub fn discover_among(
        path: &Path,
        known: &mut Discovered,
    ) -> Result<Option<Arc<Self>>, String> {
        if let Some(found) = known.by_dir.get(path) {
            return found.clone();
        }
        let found = Self::discover_new(path, &mut known.repos);
        known.by_dir.insert(path.to_path_buf(), found.clone());
        found
    }

    fn discover_new(path: &Path, known: &mut Vec<Arc<Self>>) -> Result<Option<Arc<Self>>, String> {
        let Some(repo) = repo::open(path)? else {
            return Ok(None);
        };
        if let Some(context) = known.iter().find(|c| c.git_dir == repo.path()) {
            return Ok(Some(Arc::clone(context)));
        }
        let context = Self::of_open(path, repo, false)?.map(|(context, _)| Arc::new(context));
        known.extend(context.iter().cloned());
        Ok(context)
    }

    fn of_open(
        path: &Path,
        repo: Repository,
        bare_too: bool,
    ) -> Result<Option<(Self, Repository)>, String> {
        if repo.workdir().is_none() && bare_too && repo.is_bare() {
            let git_dir = repo.path().to_path_buf();
            let workdir = git_dir.canonicalize().unwrap_or_else(|_| git_dir.clone());
            let context = Self::from_facts(path, &repo, workdir, &IndexFacts::default(), true);
            return Ok(Some((context, repo)));
        }
        let Some(workdir) = repo.workdir().and_then(|w| w.canonicalize().ok()) else {
            return Ok(None);
        };
        let (facts, _) = IndexFacts::read(&repo)?;
        let context = Self::from_facts(path, &repo, workdir, &facts, false);
        Ok(Some((context, repo)))
    }

    /// [`Self::discover_with_handle`], with the index `gix-index` read returned too (see
    /// [`super::staged`]); `None` for an index it does not read alone (sparse, or unreadable),
    /// which libgit2 then read and installed on the handle.
    ///
    /// # Errors
    /// As [`Self::discover`].
    pub fn discover_staged(
        path: &Path,
    ) -> Result<Option<(Self, Repository, Option<gix_index::File>)>, String> {
        let Some(repo) = repo::open(path)? else {
            return Ok(None);
        };
        let Some(workdir) = repo.workdir().and_then(|w| w.canonicalize().ok()) else {
            return Ok(None);
        };
        let (facts, index) = IndexFacts::read(&repo)?;
        let context = Self::from_facts(path, &repo, workdir, &facts, false);
        Ok(Some((context, repo, index)))
    }

    fn from_facts(
        start: &Path,
        repo: &Repository,
        workdir: PathBuf,
        facts: &IndexFacts,
        bare: bool,
    ) -> Self {
        let (marker_sizes, attribute_problems) =
            scan_attribute_sources(repo, &facts.attribute_files, &workdir);
        Self {
            bare,
            workdir,
            git_dir: repo.path().to_path_buf(),
            start: start.to_path_buf(),
            marker_sizes,
            unmerged: facts.unmerged.clone(),
            attribute_problems,
        }
    }

    /// Whether no attribute file this repository reads sets a `conflict-marker-size` (tracked
    /// ones as staged and as in the working tree, the top-level one, `info/attributes`, the
    /// global and the system file): then every file's size is 7 without asking libgit2, which
    /// would read the whole index to answer.
    #[must_use]
    pub fn sizes_unset(&self) -> bool {
        self.marker_sizes == [DEFAULT_MARKER_SIZE] && self.attribute_problems.is_empty()
    }

    /// Whether an unmerged path lies under the repository-relative `rel` (`""`: anywhere).
    #[must_use]
    pub fn unmerged_under(&self, rel: &str) -> bool {
        self.unmerged.keys().any(|path| {
            let path = String::from_utf8_lossy(path);
            super::paths::within(&[rel.to_owned()], &path)
        })
    }

    /// The smallest marker size any file of the repository could have (for the prefilter).
    #[must_use]
    pub fn min_marker_size(&self) -> usize {
        self.marker_sizes
            .first()
            .copied()
            .unwrap_or(DEFAULT_MARKER_SIZE)
    }

    /// A handle for one thread (git2 repositories are not `Sync`), with the same index.
    #[must_use]
    pub fn open(&self) -> Option<Repository> {
        // The index is read when first needed (see `marker_size_from`), not per handle.
        repo::open(&self.start).ok().flatten()
    }
}

/// What a repository's context takes from its index: the tracked attribute files and the
/// unmerged paths.
#[derive(Default)]
struct IndexFacts {
    /// Every `.gitattributes` entry (any stage): path and blob.
    attribute_files: Vec<(Vec<u8>, git2::Oid)>,
    unmerged: HashMap<Vec<u8>, &'static str>,
}

impl IndexFacts {
    /// Read the index as Git does (`gix-index`, no checksum: a cost that grows with the
    /// repository and that Git does not pay), returning it too; a sparse index or one `gix-index`
    /// cannot read alone is read by libgit2 (`repo::index`, which expands a sparse one and names
    /// the file when nothing can read it), and installed on `repo`.
    fn read(repo: &Repository) -> Result<(Self, Option<gix_index::File>), String> {
        match super::staged::read_index(repo) {
            Ok(index) if !index.is_sparse() => {
                let facts = Self {
                    attribute_files: super::staged::attribute_files(&index),
                    unmerged: super::staged::unmerged_paths(&index),
                };
                Ok((facts, Some(index)))
            }
            _ => {
                let index = repo::index(repo)?;
                let attribute_files = index
                    .iter()
                    .filter(|entry| entry.path.ends_with(b".gitattributes"))
                    .map(|entry| (entry.path, entry.id))
                    .collect();
                let facts = Self {
                    attribute_files,
                    unmerged: unmerged_paths(&index),
                };
                Ok((facts, None))
            }
        }
    }
}

/// The unmerged paths of `index`, each with how `git status` describes its conflict.
fn unmerged_paths(index: &git2::Index) -> HashMap<Vec<u8>, &'static str> {
    let mut stages: HashMap<Vec<u8>, [bool; 3]> = HashMap::new();
    if !index.has_conflicts() {
        return HashMap::new();
    }
    for entry in index.iter() {
        let stage = usize::from((entry.flags >> 12) & 0x3);
        if stage != 0 {
            stages.entry(entry.path).or_default()[stage - 1] = true;
        }
    }
    stages
        .into_iter()
        .map(|(path, [base, ours, theirs])| {
            (path, super::scope::describe_conflict(base, ours, theirs))
        })
        .collect()
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
///
/// # Errors
/// When a repository is there but cannot be opened, or its index cannot be read.
pub fn open_for(absolute: &Path) -> Result<Option<FileRepo>, String> {
    let Some(parent) = absolute.parent() else {
        return Ok(None);
    };
    let Some(repo) = repo::open(parent)? else {
        return Ok(None);
    };
    let Some(workdir) = repo.workdir().and_then(|w| w.canonicalize().ok()) else {
        return Ok(None);
    };
    let Ok(rel) = absolute.strip_prefix(&workdir).map(Path::to_path_buf) else {
        return Ok(None);
    };
    repo::index(&repo)?;
    Ok(Some(FileRepo { repo, workdir, rel }))
}

impl FileRepo {
    /// The side that deleted the file, when the index lists it as unmerged with that side's
    /// stage missing (a modify/delete conflict).
    #[must_use]
    pub fn deleted_side(&self) -> Option<crate::conflict::Side> {
        let index = repo::index(&self.repo).ok()?;
        let has = |stage| index.get_path(&self.rel, stage).is_some();
        if !(has(1) || has(2) || has(3)) {
            return None;
        }
        if !has(2) {
            Some(crate::conflict::Side::Ours)
        } else if !has(3) {
            Some(crate::conflict::Side::Theirs)
        } else {
            None
        }
    }

    /// Whether the index lists the file as unmerged.
    #[must_use]
    pub fn is_unmerged(&self) -> bool {
        repo::index(&self.repo)
            .is_ok_and(|index| (1..=3).any(|stage| index.get_path(&self.rel, stage).is_some()))
    }
}

/// Git's three versions of a conflicted file merged again by git2 in the diff3 style, with
/// [`REFERENCE_MARKER_SIZE`] markers: the reference the resolver lines the working file up with.
/// The versions come from the index stages 1/2/3 when the path is unmerged, else from the commits the labels name (`ours_label`, `theirs_label`: the text after
/// the start and end markers) and their merge base, when all three exist and hold the path.
#[must_use]
pub fn diff3_reference(
    repo: &Repository,
    rel: &Path,
    ours_label: Option<&[u8]>,
    theirs_label: Option<&[u8]>,
) -> Option<Vec<u8>> {
    let (base, ours, theirs) = stage_entries(repo, rel)
        .or_else(|| commit_entries(repo, rel, ours_label?, theirs_label?))?;
    // git2 reads an empty merge through a null pointer (undefined; a debug build aborts): a
    // merge that may come out empty gets no reference (its blocks get no base, and stay).
    let text =
        |entry: &git2::IndexEntry| repo.find_blob(entry.id).ok().map(|b| b.content().to_vec());
    if could_merge_to_nothing(&text(&base)?, &text(&ours)?, &text(&theirs)?) {
        return None;
    }
    let mut options = git2::MergeFileOptions::new();
    // Labels of our own: libgit2 would label the markers with the path, and a path may hold a
    // newline, which would break the reference's marker lines.
    options
        .style_diff3(true)
        .marker_size(REFERENCE_MARKER_SIZE as u16)
        .ancestor_label("base")
        .our_label("ours")
        .their_label("theirs");
    let merged = repo
        .merge_file_from_index(&base, &ours, &theirs, Some(&mut options))
        .ok()?;
    Some(merged.content().to_vec())
}

/// Whether a three-way merge of the texts could come out empty: every line of each side is a
/// line of the base (a line a side adds is in the merge, or in a conflict). git2 reads an empty
/// merge result through a null pointer, so such a merge is not read.
#[must_use]
pub fn could_merge_to_nothing(base: &[u8], ours: &[u8], theirs: &[u8]) -> bool {
    let lines = |text: &[u8]| -> std::collections::HashSet<Vec<u8>> {
        text.split_inclusive(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect()
    };
    let base_lines = lines(base);
    lines(ours).is_subset(&base_lines) && lines(theirs).is_subset(&base_lines)
}

type Entries = (git2::IndexEntry, git2::IndexEntry, git2::IndexEntry);

/// Stages 1, 2 and 3 of an unmerged path.
fn stage_entries(repo: &Repository, rel: &Path) -> Option<Entries> {
    let index = repo::index(repo).ok()?;
    let stage = |n| index.get_path(rel, n);
    Some((stage(1)?, stage(2)?, stage(3)?))
}

/// The path in the commits named by two labels and in their merge base. A label is read up to its
/// first space (`abc1234 (subject)` in a rebase) and must name a commit.
fn commit_entries(
    repo: &Repository,
    rel: &Path,
    ours_label: &[u8],
    theirs_label: &[u8],
) -> Option<Entries> {
    let name = |label: &[u8]| -> Option<String> {
        let word = label.split(|&b| b == b' ').next()?;
        std::str::from_utf8(word).ok().map(str::to_owned)
    };
    let commit = |label: &[u8]| {
        repo.revparse_single(&name(label)?)
            .ok()?
            .peel_to_commit()
            .ok()
    };
    let (ours, theirs) = (commit(ours_label)?, commit(theirs_label)?);
    let base = repo
        .find_commit(repo.merge_base(ours.id(), theirs.id()).ok()?)
        .ok()?;
    let entry = |commit: &git2::Commit<'_>| -> Option<git2::IndexEntry> {
        let tree_entry = commit.tree().ok()?.get_path(rel).ok()?;
        (tree_entry.kind() == Some(git2::ObjectType::Blob)).then(|| git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: u32::try_from(tree_entry.filemode()).unwrap_or(0o100_644),
            uid: 0,
            gid: 0,
            file_size: 0,
            id: tree_entry.id(),
            flags: 0,
            flags_extended: 0,
            path: rel.as_os_str().as_encoded_bytes().to_vec(),
        })
    };
    Some((entry(&base)?, entry(&ours)?, entry(&theirs)?))
}
