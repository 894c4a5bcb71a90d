//! One thread's reading of the working tree: a walker thread's (or a named file's) state, what
//! it does with each file it is handed, and what is known of a working-tree file.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkState;

use super::evidence::{Handle, LazyRepo, MergeSource, RepoEvidence};
use super::git;
use super::open_dir::OpenDir;
use super::paths::{given_name, last_separator, slash_path};
use super::workspace::{describe_io_error, guard};
use super::worktree::{read_entry, read_regular_file, FileRead, Root, SkipReason};
use super::{FileFacts, InForce, Subject, Worker, Workspace};
use crate::config;
use crate::conflict::DEFAULT_MARKER_SIZE;
use crate::lint::{Evidence, NoEvidence};
use crate::markdown::is_markdown_name;
use crate::path_rules::CwdRules;
use crate::report::{About, Origin};

/// Unmerged paths the walk reached, per repository (so the ones it did not are read after it).
pub(super) type Reached = Mutex<HashSet<(PathBuf, Vec<u8>)>>;
/// The paths given in a run of several, made absolute, with the working directory of the
/// repository each lies in; and which of them have been taken. A file reached through several
/// spellings is read once: by the walk of a directory given that meets it in the same
/// repository (its spelling, configuration and name are the walk's, and a fix is not written
/// through a symbolic link), else by the first of its spellings that is not left out.
pub(super) struct Given {
    roots: HashMap<OsString, Option<PathBuf>>,
    taken: Mutex<HashSet<OsString>>,
}

impl Given {
    pub(super) fn new(roots: &[Root]) -> Self {
        let roots = roots
            .iter()
            .map(|r| {
                let repo = r.repo.as_ref().map(|c| c.workdir.clone());
                (r.canonical.clone().into_os_string(), repo)
            })
            .collect();
        Self {
            roots,
            taken: Mutex::default(),
        }
    }

    /// Take the path given at `canonical`; false when it was taken already.
    pub(super) fn take(&self, canonical: &OsStr) -> bool {
        guard(&self.taken).insert(canonical.to_owned())
    }

    /// Whether the path given at `canonical` was taken.
    pub(super) fn is_taken(&self, canonical: &OsStr) -> bool {
        guard(&self.taken).contains(canonical)
    }

    /// Whether the entry at `walked` of the walk of `root` is a path given, and where.
    fn meets(&self, root: &Root, walked: &Path) -> Meeting {
        let absolute = root.absolute(walked);
        match self.roots.get(absolute.as_os_str()) {
            None => Meeting::NotGiven,
            Some(repo) if repo.as_deref() != root.repo.as_ref().map(|c| c.workdir.as_path()) => {
                Meeting::Elsewhere
            }
            Some(_) => Meeting::Given(absolute.into_os_string()),
        }
    }
}

/// What a walk meets at an entry, as to the paths given.
enum Meeting {
    /// A path not given.
    NotGiven,
    /// A path given in another repository: it is read as given, with its own settings.
    Elsewhere,
    /// A path given in the walk's repository (made absolute): the walk takes it when it reads it
    /// (a file) or goes into it (a directory), as its spelling would.
    Given(OsString),
}

/// One walker thread's state: its worker, its read buffer, its own git2 handle (opened on first
/// need).
pub(super) struct Scanner<'a, W> {
    root: &'a Root,
    workspace: &'a Workspace,
    base: &'a Path,
    min_marker_size: usize,
    worker: W,
    /// Reused for every file this thread reads.
    pub(super) buffer: Vec<u8>,
    /// This thread's handle on the root's repository, if it lies in one.
    repo: Option<LazyRepo<'a>>,
    reached: &'a Reached,
    /// The settings of the directory this thread last read a file in.
    pub(super) last_dir: LastDir,
    /// That directory, held open to open its files by name.
    pub(super) open_dir: OpenDir,
    /// The paths given, when there are several: a walk takes those below it.
    pub(super) given: Option<&'a Given>,
    /// `--exclude`, when given.
    pub(super) cli_exclude: Option<CwdRules>,
}

/// The settings of one walked directory, kept by a walker thread: the walk hands a thread the
/// files of a directory together, so asking the workspace once per directory, not per file,
/// spares a path join, a lock and a hash per file.
#[derive(Default)]
pub(super) struct LastDir(std::cell::RefCell<Option<(Vec<u8>, Arc<InForce>)>>);

impl LastDir {
    /// The settings for the walked file `walked`: its directory's, remembered or asked now.
    fn get_or(&self, walked: &Path, settings: impl FnOnce() -> Arc<InForce>) -> Arc<InForce> {
        // The directory as the bytes before the last separator, not by path components: the
        // walker writes a directory the same way for each of its files.
        let bytes = walked.as_os_str().as_encoded_bytes();
        let dir = &bytes[..last_separator(walked).unwrap_or(0)];
        if let Some((last, in_force)) = &*self.0.borrow() {
            if last == dir {
                return Arc::clone(in_force);
            }
        }
        let in_force = settings();
        *self.0.borrow_mut() = Some((dir.to_vec(), Arc::clone(&in_force)));
        in_force
    }
}

impl<'a, W: Worker> Scanner<'a, W> {
    /// A thread's state for reading the files under `root`, named relative to `base`.
    pub(super) fn new(
        root: &'a Root,
        workspace: &'a Workspace,
        base: &'a Path,
        worker: W,
        reached: &'a Reached,
    ) -> Self {
        let min_marker_size = workspace.marker_size(|| {
            root.repo
                .as_ref()
                .map_or(DEFAULT_MARKER_SIZE, |r| r.min_marker_size())
        });
        Self {
            cli_exclude: None,
            root,
            workspace,
            base,
            min_marker_size,
            worker,
            buffer: Vec::new(),
            repo: root.repo.as_deref().map(LazyRepo::new),
            reached,
            last_dir: LastDir::default(),
            open_dir: OpenDir::default(),
            given: None,
        }
    }

    pub(super) fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> WalkState {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let (path, message) = describe_walk_error(&error);
                let path =
                    path.map_or_else(|| slash_path(&self.root.path), |p| self.root.name(&p).0);
                // The root itself is named as given (a name relative to it is empty).
                let path = if path.is_empty() {
                    given_name(&self.root.path)
                } else {
                    path
                };
                self.workspace.error(About::Path(path), message);
                return WalkState::Continue;
            }
        };
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        // A path named on the command line is checked unless --force-exclude (ruff's rule).
        let named = entry.depth() == 0;
        if (!named || self.workspace.walk.force_exclude) && self.excluded(entry.path(), named) {
            return WalkState::Skip;
        }
        let meeting = match self.given {
            Some(given) if !named => given.meets(self.root, entry.path()),
            _ => Meeting::NotGiven,
        };
        let given = match meeting {
            Meeting::Elsewhere => return WalkState::Skip,
            Meeting::Given(absolute) => Some(absolute),
            Meeting::NotGiven => None,
        };
        // A merge backup the walk passes over is left to its spelling given (named, it is
        // checked); a directory gone into or a file read is the walk's.
        if !named && super::paths::is_merge_backup(entry.path()) && !self.tracked(&entry) {
            return WalkState::Continue;
        }
        if let (Some(paths), Some(absolute)) = (self.given, &given) {
            paths.take(absolute);
        }
        if is_dir {
            return WalkState::Continue;
        }
        let (name, rel) = self.root.name(entry.path());
        let mut buffer = std::mem::take(&mut self.buffer);
        let read = read_entry(
            &entry,
            self.workspace.walk.max_filesize,
            &mut buffer,
            &mut self.open_dir,
        );
        // A path given is noted when it is not read (binary), as its spelling would be.
        if let Some(decoded) = self.readable(read, &name, named || given.is_some()) {
            let markdown = is_markdown_name(entry.file_name());
            self.take(
                entry.path(),
                markdown,
                name,
                rel.as_deref(),
                &buffer,
                decoded,
            );
        }
        self.buffer = buffer;
        WalkState::Continue
    }

    /// A file given on the command line, as a walk treats the file it starts from: checked unless
    /// `--force-exclude` leaves it out, a note when it is not read (binary, not a regular file).
    /// Returns whether it was taken (not left out).
    pub(super) fn visit_named_file(&mut self) -> bool {
        let path = self.root.path.as_path();
        if self.workspace.walk.force_exclude && self.excluded(path, true) {
            return false;
        }
        let (name, rel) = self.root.name(path);
        let mut buffer = std::mem::take(&mut self.buffer);
        let read = if self.root.is_file {
            read_regular_file(
                path,
                self.workspace.walk.max_filesize,
                &mut buffer,
                &mut self.open_dir,
            )
        } else {
            Ok(FileRead::Skipped(SkipReason::NotRegular))
        };
        if let Some(decoded) = self.readable(read, &name, true) {
            let markdown = path.file_name().is_some_and(is_markdown_name);
            self.take(path, markdown, name, rel.as_deref(), &buffer, decoded);
        }
        self.buffer = buffer;
        true
    }

    /// Whether the index tracks the walked file (asked of merge backups only: a committed one is
    /// checked like any file).
    fn tracked(&self, entry: &ignore::DirEntry) -> bool {
        let Some(rel) = self.root.name(entry.path()).1 else {
            return false;
        };
        let index = self
            .repo
            .as_ref()
            .and_then(LazyRepo::get)
            .and_then(|repo| super::repo::index(repo).ok());
        index.is_some_and(|index| index.get_path(&rel, 0).is_some())
    }

    /// Whether the configuration in force (or `--exclude`) leaves out the walked file or
    /// directory: a directory left out is not walked.
    fn excluded(&mut self, walked: &Path, named: bool) -> bool {
        let open_dir = &mut self.open_dir;
        let in_force = self.last_dir.get_or(walked, || {
            let dir = self.root.absolute_dir(walked);
            let dir = dir.as_deref().unwrap_or(self.base);
            // The walked entry's own directory is looked in by name, held open; a directory
            // above it (met first when it had no file) by its path, and so is the directory of a
            // root named on the command line: its spelling's directory need not be its own (a
            // symbolic link, a final `.`).
            let mut in_dir = |probed: &Path| {
                if !named && probed.as_os_str() == dir.as_os_str() {
                    config::in_dir_by(probed, |name| {
                        (open_dir.is_file_beside(walked, name))
                            .unwrap_or_else(|| probed.join(name).is_file())
                    })
                } else {
                    config::in_dir(probed)
                }
            };
            self.workspace
                .settings_for_dir_by(dir, self.base, &mut in_dir)
        });
        let cli = self.cli_exclude.as_ref();
        if in_force.settings.paths.exclude.is_empty() && cli.is_none() {
            return false;
        }
        let name = self.root.name(walked).0;
        // The directories above were judged as the walk went in (or were named): only the
        // entry's own name and path are judged, so a directory named on the command line is
        // walked whatever it or a directory above it is called.
        let from = if named {
            0
        } else {
            name.rfind('/').map_or(0, |i| i + 1)
        };
        Workspace::excluded(&in_force, cli, &name, from)
    }

    /// Whether the file was read as text (`Some(decoded)`: whether from UTF-16); otherwise why
    /// not is recorded: an error when what was not read may hide a conflict, a note when the path
    /// was named or is not a regular file.
    fn readable(
        &self,
        read: std::io::Result<FileRead>,
        name: &str,
        explicit: bool,
    ) -> Option<bool> {
        let workspace = self.workspace;
        match read {
            Ok(read @ (FileRead::Text | FileRead::Decoded)) => {
                workspace.count_read();
                Some(read == FileRead::Decoded)
            }
            Ok(FileRead::Skipped(reason @ SkipReason::TooLarge(_))) => {
                workspace.error(About::Path(name.to_owned()), reason.to_string());
                None
            }
            Ok(FileRead::Skipped(reason)) => {
                if reason == SkipReason::NotRegular || explicit {
                    workspace.skipped(name.to_owned(), reason.to_string());
                }
                None
            }
            Err(error) => {
                workspace.error(About::Path(name.to_owned()), describe_io_error(&error));
                None
            }
        }
    }

    fn take(
        &mut self,
        walked: &Path,
        markdown: bool,
        name: String,
        rel: Option<&Path>,
        bytes: &[u8],
        decoded: bool,
    ) {
        let context = self.root.repo.as_deref();
        let unmerged = match (context, rel) {
            (Some(context), Some(rel)) if !context.unmerged.is_empty() => {
                let key = slash_path(rel).into_bytes();
                let found = context.unmerged.get(&key).copied();
                if found.is_some() {
                    guard(self.reached).insert((context.workdir.clone(), key));
                }
                found
            }
            _ => None,
        };
        let place = Place::Walked {
            root: self.root,
            walked,
            base: self.base,
            last_dir: &self.last_dir,
        };
        let facts = WorktreeFacts::new(
            self.workspace,
            place,
            self.min_marker_size,
            self.repo.as_ref(),
            rel,
            unmerged.is_some(),
        );
        self.worker.take(Subject {
            name,
            bytes,
            origin: Origin::Own,
            unmerged,
            content_in_scope: true,
            markdown,
            facts: &facts,
            file: Some(walked),
            decoded,
        });
    }
}

/// What is known of a working-tree file: its settings (looked up on first ask) and its
/// repository's attributes and index (through a handle the thread opens on first need).
pub(super) struct WorktreeFacts<'a> {
    workspace: &'a Workspace,
    /// Where the file is, to find its settings.
    place: Place<'a>,
    settings: OnceCell<Arc<InForce>>,
    min_marker_size: usize,
    /// The repository and the path in it, when the file lies in one.
    repo: Option<(&'a LazyRepo<'a>, &'a Path)>,
    marker_size: OnceCell<usize>,
    evidence: Option<RepoEvidence<'a>>,
}

/// Where a working-tree file is, as its settings are looked up: a walked path under a root (made
/// absolute only when asked), or an absolute path.
pub(super) enum Place<'a> {
    /// A path the walker gave, under `root`.
    Walked {
        root: &'a Root,
        walked: &'a Path,
        /// The repository root, or the directory given.
        base: &'a Path,
        last_dir: &'a LastDir,
    },
    /// An absolute path, under `base`.
    Absolute { file: &'a Path, base: &'a Path },
}

impl<'a> WorktreeFacts<'a> {
    pub(super) fn new(
        workspace: &'a Workspace,
        place: Place<'a>,
        min_marker_size: usize,
        repo: Option<&'a LazyRepo<'a>>,
        rel: Option<&'a Path>,
        unmerged: bool,
    ) -> Self {
        let repo = repo.zip(rel);
        let evidence = repo.map(|(repo, rel)| {
            RepoEvidence::new(Handle::Lazy(repo), rel, unmerged).from_merge(MergeSource::InProgress)
        });
        Self {
            workspace,
            place,
            settings: OnceCell::new(),
            min_marker_size,
            repo,
            marker_size: OnceCell::new(),
            evidence,
        }
    }
}

impl FileFacts for WorktreeFacts<'_> {
    fn settings(&self) -> Arc<InForce> {
        let in_force = self.settings.get_or_init(|| match self.place {
            Place::Walked {
                root,
                walked,
                base,
                last_dir,
            } => last_dir.get_or(walked, || {
                self.workspace
                    .settings_for_file(&root.absolute(walked), base)
            }),
            Place::Absolute { file, base } => self.workspace.settings_for_file(file, base),
        });
        Arc::clone(in_force)
    }

    fn min_marker_size(&self) -> usize {
        self.min_marker_size
    }

    fn marker_size(&self) -> usize {
        *self.marker_size.get_or_init(|| {
            self.workspace.marker_size(|| {
                self.repo
                    .and_then(|(repo, rel)| {
                        let context = repo.context();
                        if context.sizes_unset() && !git::chain_sets_size(&context.workdir, rel) {
                            return Some(DEFAULT_MARKER_SIZE);
                        }
                        Some(git::marker_size(repo.get()?, rel))
                    })
                    .unwrap_or(DEFAULT_MARKER_SIZE)
            })
        })
    }

    fn other_sizes(&self) -> &[usize] {
        match (self.workspace.marker_size, self.repo) {
            // `--marker-size` says what to look for; otherwise any size Git may have used.
            (None, Some((repo, _))) => &repo.context().marker_sizes,
            _ => &[],
        }
    }

    fn evidence(&self) -> &dyn Evidence {
        match &self.evidence {
            Some(evidence) => evidence,
            None => &NoEvidence,
        }
    }

    fn reference(&self, ours_label: Option<&[u8]>, theirs_label: Option<&[u8]>) -> Option<Vec<u8>> {
        let (repo, rel) = self.repo?;
        git::diff3_reference(repo.get()?, rel, ours_label, theirs_label)
    }
}

/// The path an `ignore` error is about, and a sentence for it.
fn describe_walk_error(error: &ignore::Error) -> (Option<PathBuf>, String) {
    match error {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), describe_walk_error(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe_walk_error(err)
        }
        ignore::Error::Loop { ancestor, child } => (
            Some(child.clone()),
            format!("symbolic link loop: points back to {}", ancestor.display()),
        ),
        ignore::Error::Io(io) => (None, describe_io_error(io)),
        other => (None, other.to_string()),
    }
}

/// The directory a root's names are relative to: its repository's, else the directory given
/// (a file's own).
pub(super) fn names_base(root: &Root) -> PathBuf {
    root.repo.as_deref().map_or_else(
        || {
            if root.is_dir {
                return root.canonical.clone();
            }
            root.canonical
                .parent()
                .map_or_else(|| root.canonical.clone(), Path::to_path_buf)
        },
        |c| c.workdir.clone(),
    )
}
