//! `mergemark check`: walk the roots in parallel, scan each file, collect a [`Report`].
//!
//! Per-file failures never stop the run: they are recorded as errors and the walk goes on
//! (ripgrep's rule). Only files with findings keep their bytes, for rendering snippets.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::WalkState;

use crate::config;
use crate::lint::{check_file, FileContext, Prefilter};
use crate::markdown::is_markdown_path;
use crate::report::{FileReport, PathMessage, Report};
use crate::schema::SchemaSet;
use crate::source::git::{self, RepoContext};
use crate::source::worktree::{read_entry, slash_path, FileRead, Root, SkipReason, WalkOptions};

/// Settings for one `check` run, already validated.
#[derive(Debug)]
pub struct CheckSettings {
    /// Paths to check (files or directories).
    pub paths: Vec<PathBuf>,
    /// How to walk directories.
    pub walk: WalkOptions,
    /// Use this marker size for every file instead of the `conflict-marker-size` attribute.
    pub marker_size: Option<usize>,
    /// Where the configuration comes from.
    pub config: ConfigChoice,
}

/// `--config FILE`, `--no-config`, or the nearest `mergemark.toml` of each checked path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigChoice {
    /// Look for `mergemark.toml` / `.mergemark.toml` from each path up to its repository root.
    Discover,
    /// Use this file for every path.
    File(PathBuf),
    /// No configuration: the built-in schema only.
    None,
}

#[derive(Default)]
struct Collected {
    files: Vec<FileReport>,
    errors: Vec<PathMessage>,
    skipped: Vec<PathMessage>,
}

/// Check every file under `settings.paths`.
#[must_use]
pub fn check(settings: &CheckSettings) -> Report {
    let collected = Mutex::new(Collected::default());
    let files_checked = AtomicUsize::new(0);
    let configs = Configs::new(&settings.config, &collected);
    for path in &settings.paths {
        match Root::new(path) {
            Ok(root) => {
                walk_root(&root, settings, &configs, &collected, &files_checked);
            }
            Err(error) => lock(&collected).errors.push(PathMessage {
                path: slash_path(path),
                message: describe_io_error(&error),
            }),
        }
    }
    let collected = collected
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut report = Report {
        files_checked: files_checked.into_inner(),
        files: collected.files,
        errors: collected.errors,
        skipped: collected.skipped,
    };
    report.sort();
    report
}

fn lock(collected: &Mutex<Collected>) -> std::sync::MutexGuard<'_, Collected> {
    collected
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Finds the configuration for each directory: `--config`, `--no-config`, or the nearest
/// `mergemark.toml` walking up to the repository root (outside a repository, to the directory
/// given). Files and directories are looked up once; a broken file is reported once (exit 2) and
/// the built-in schema is used in its place.
struct Configs<'a> {
    choice: &'a ConfigChoice,
    collected: &'a Mutex<Collected>,
    builtin: Arc<SchemaSet>,
    by_file: Mutex<HashMap<PathBuf, Arc<SchemaSet>>>,
    by_dir: Mutex<HashMap<PathBuf, Arc<SchemaSet>>>,
}

impl<'a> Configs<'a> {
    fn new(choice: &'a ConfigChoice, collected: &'a Mutex<Collected>) -> Self {
        Self {
            choice,
            collected,
            builtin: Arc::new(SchemaSet::new(Vec::new(), true)),
            by_file: Mutex::new(HashMap::new()),
            by_dir: Mutex::new(HashMap::new()),
        }
    }

    /// The schemas for files in `dir` (absolute), named relative to `base` (the repository root,
    /// or the directory given outside a repository).
    fn for_dir(&self, dir: &Path, base: &Path) -> Arc<SchemaSet> {
        let file = match self.choice {
            ConfigChoice::None => return Arc::clone(&self.builtin),
            ConfigChoice::File(file) => file.clone(),
            ConfigChoice::Discover => {
                if let Some(found) = self
                    .by_dir
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get(dir)
                {
                    return Arc::clone(found);
                }
                match config::discover(dir, Some(base)) {
                    Some(file) => file,
                    None => {
                        self.remember(dir, &self.builtin);
                        return Arc::clone(&self.builtin);
                    }
                }
            }
        };
        let set = self.load(&file, base);
        self.remember(dir, &set);
        set
    }

    fn remember(&self, dir: &Path, set: &Arc<SchemaSet>) {
        self.by_dir
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(dir.to_path_buf(), Arc::clone(set));
    }

    fn load(&self, file: &Path, base: &Path) -> Arc<SchemaSet> {
        let key = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
        let mut cache = self.by_file.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(set) = cache.get(&key) {
            return Arc::clone(set);
        }
        // Name the file like findings name files: relative to the base when inside it.
        let name = key
            .strip_prefix(base)
            .map_or_else(|_| slash_path(file), slash_path);
        let set = match config::load(file) {
            Ok(set) => {
                // Globs are relative to the directory of the file that declares them.
                let dir = key
                    .parent()
                    .and_then(|d| d.strip_prefix(base).ok())
                    .map(slash_path);
                Arc::new(set.with_base(dir.unwrap_or_default()))
            }
            Err(error) => {
                let message = match error.line {
                    Some(line) => format!("line {line}: {}", error.message),
                    None => error.message.clone(),
                };
                lock(self.collected).errors.push(PathMessage {
                    path: name,
                    message,
                });
                Arc::clone(&self.builtin)
            }
        };
        cache.insert(key, Arc::clone(&set));
        set
    }
}

fn walk_root(
    root: &Root,
    settings: &CheckSettings,
    configs: &Configs<'_>,
    collected: &Mutex<Collected>,
    files_checked: &AtomicUsize,
) {
    // Configuration is found from absolute directories; names are relative to this base.
    let root_abs = root.canonical.clone();
    let base = root.repo.as_ref().map_or_else(
        || {
            if root.is_dir {
                root_abs.clone()
            } else {
                root_abs
                    .parent()
                    .map_or_else(|| root_abs.clone(), Path::to_path_buf)
            }
        },
        |r| r.workdir.clone(),
    );
    let min_size = settings.marker_size.unwrap_or_else(|| {
        root.repo
            .as_ref()
            .map_or(crate::conflict::DEFAULT_MARKER_SIZE, |r| r.min_marker_size)
    });
    root.walker(&settings.walk).run(|| {
        let mut scanner = Scanner {
            root,
            settings,
            configs,
            root_abs: &root_abs,
            base: &base,
            prefilter: Prefilter::new(min_size),
            buffer: Vec::new(),
            repo: None,
            collected,
            files_checked,
        };
        Box::new(move |entry| {
            scanner.visit(entry);
            WalkState::Continue
        })
    });
}

/// One walker thread's state: its own git2 handle (opened on first need) and prefilter.
struct Scanner<'a> {
    root: &'a Root,
    settings: &'a CheckSettings,
    configs: &'a Configs<'a>,
    root_abs: &'a Path,
    base: &'a Path,
    prefilter: Prefilter,
    /// Reused for every file this thread reads.
    buffer: Vec<u8>,
    repo: Option<Option<git2::Repository>>,
    collected: &'a Mutex<Collected>,
    files_checked: &'a AtomicUsize,
}

impl Scanner<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let (path, message) = describe_walk_error(&error);
                let path =
                    path.map_or_else(|| slash_path(&self.root.path), |p| self.root.name(&p).0);
                lock(self.collected)
                    .errors
                    .push(PathMessage { path, message });
                return;
            }
        };
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            return;
        }
        let explicit = entry.depth() == 0;
        let (name, rel) = self.root.name(entry.path());
        let mut buffer = std::mem::take(&mut self.buffer);
        let outcome = read_entry(&entry, self.settings.walk.max_filesize, &mut buffer);
        self.inspect(&entry, name, rel.as_deref(), explicit, outcome, &buffer);
        self.buffer = buffer;
    }

    fn inspect(
        &mut self,
        entry: &ignore::DirEntry,
        name: String,
        rel: Option<&Path>,
        explicit: bool,
        outcome: std::io::Result<FileRead>,
        bytes: &[u8],
    ) {
        match outcome {
            Ok(FileRead::Text) => {}
            Ok(FileRead::Skipped(reason)) => {
                let worth_a_note = match reason {
                    SkipReason::TooLarge(_) | SkipReason::NotRegular => true,
                    SkipReason::Binary | SkipReason::NotAFile => explicit,
                };
                if worth_a_note {
                    lock(self.collected).skipped.push(PathMessage {
                        path: name,
                        message: reason.to_string(),
                    });
                }
                return;
            }
            Err(error) => {
                lock(self.collected).errors.push(PathMessage {
                    path: name,
                    message: describe_io_error(&error),
                });
                return;
            }
        }
        self.files_checked.fetch_add(1, Ordering::Relaxed);
        let may_have_markers = self.prefilter.may_match(bytes);
        let markdown = is_markdown_path(entry.path());
        if !may_have_markers && !markdown {
            return;
        }
        let context = if may_have_markers {
            self.context(entry.path(), rel)
        } else {
            FileContext {
                markdown,
                ..FileContext::default()
            }
        };
        let schemas = if markdown {
            let rest = entry
                .path()
                .strip_prefix(&self.root.path)
                .unwrap_or(Path::new(""));
            let file = if rest.as_os_str().is_empty() {
                self.root_abs.to_path_buf()
            } else {
                self.root_abs.join(rest)
            };
            let dir = file.parent().unwrap_or(self.base);
            Some(self.configs.for_dir(dir, self.base))
        } else {
            None
        };
        let empty = SchemaSet::default();
        let findings = check_file(
            bytes,
            &context,
            &name,
            schemas.as_deref().unwrap_or(&empty),
            may_have_markers,
        );
        if !findings.is_empty() {
            lock(self.collected).files.push(FileReport {
                path: name,
                source: bytes.to_vec(),
                findings,
            });
        }
    }

    fn context(&mut self, path: &Path, rel: Option<&Path>) -> FileContext {
        let markdown = is_markdown_path(path);
        let (Some(repo_context), Some(rel)) = (self.root.repo.as_deref(), rel) else {
            return FileContext {
                marker_size: self
                    .settings
                    .marker_size
                    .unwrap_or(crate::conflict::DEFAULT_MARKER_SIZE),
                markdown,
                unmerged: false,
            };
        };
        let unmerged = !repo_context.unmerged.is_empty()
            && repo_context.unmerged.contains(slash_path(rel).as_bytes());
        let marker_size = match self.settings.marker_size {
            Some(size) => size,
            None => self
                .repo
                .get_or_insert_with(|| repo_context.open())
                .as_ref()
                .map_or(crate::conflict::DEFAULT_MARKER_SIZE, |repo| {
                    git::marker_size(repo, rel)
                }),
        };
        FileContext {
            marker_size,
            markdown,
            unmerged,
        }
    }
}

fn describe_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
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

/// Whether `RepoContext` is usable from the walker threads.
const _: fn() = || {
    fn assert_sync<T: Sync>() {}
    assert_sync::<RepoContext>();
};
