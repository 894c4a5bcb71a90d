//! `mergemark check`: walk the roots in parallel, scan each file, collect a [`Report`].
//!
//! Per-file failures never stop the run: they are recorded as errors and the walk goes on
//! (ripgrep's rule). Only files with findings keep their bytes, for rendering snippets.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, PoisonError};

use crate::config::{self, Settings};
use crate::diagnostic::Severity;
use crate::lint::{check_file, FileContext};
use crate::report::human::HumanOptions;
use crate::report::{FileReport, PathMessage, Report};
use crate::schema::SchemaSet;
use crate::source::git::RepoContext;
use crate::source::worktree::{slash_path, Root, WalkOptions};

mod listed;
mod progress;
mod unmerged;
mod walk;

/// Which version of the files to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The working tree (the default).
    Worktree,
    /// What the next commit would contain: the index's stage-0 blobs that differ from HEAD
    /// (every one with `all`).
    Staged {
        /// Every index entry, not only the ones that differ from HEAD.
        all: bool,
    },
    /// Every file of a commit's tree.
    Rev(String),
    /// The working-tree files changed since the merge base of this revision and HEAD.
    ChangedSince(String),
    /// Each commit of a range (`A..B`, or `B` less what remote-tracking branches have: those of
    /// `remote` when given), on the files it changed.
    Commits {
        /// `A..B` or `B`.
        range: String,
        /// The remote whose tracking branches count.
        remote: Option<String>,
    },
}

/// Settings for one `check` run, already validated.
#[derive(Debug)]
pub struct CheckSettings {
    /// Which version of the files to check.
    pub scope: Scope,
    /// Paths to check (files or directories); in the Git scopes, they limit the listed files.
    pub paths: Vec<PathBuf>,
    /// How to walk directories.
    pub walk: WalkOptions,
    /// Use this marker size for every file instead of the `conflict-marker-size` attribute.
    pub marker_size: Option<usize>,
    /// Where the configuration comes from.
    pub config: ConfigChoice,
    /// Render the human format's snippets (while each file's bytes are at hand).
    pub human: Option<HumanOptions>,
    /// `--strict`: every warning is an error (applied before anything is rendered).
    pub strict: bool,
    /// Draw a progress line on stderr when the scan takes more than about a second (the caller
    /// sets it when stderr is a terminal).
    pub progress: bool,
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
pub(super) struct Collected {
    files: Vec<FileReport>,
    errors: Vec<PathMessage>,
    skipped: Vec<PathMessage>,
}

/// Check every file under `settings.paths`, in the settings' scope.
#[must_use]
pub fn check(settings: &CheckSettings) -> Report {
    let collected = Mutex::new(Collected::default());
    let files_checked = AtomicUsize::new(0);
    let configs = Configs::new(&settings.config, &collected);
    progress::with_progress(
        settings.progress,
        &files_checked,
        &collected,
        || match &settings.scope {
            Scope::Worktree => {
                let mut roots = Vec::new();
                for path in &settings.paths {
                    match Root::new(path) {
                        Ok(root) => {
                            report_attribute_problems(root.repo.as_deref(), &collected);
                            if let Some(error) = &root.repo_error {
                                lock(&collected).errors.push(PathMessage {
                                    path: slash_path(path),
                                    message: format!(
                                        "{error}; its files are checked without Git's \
                                         attributes and unmerged paths"
                                    ),
                                });
                            }
                            walk::walk_root(&root, settings, &configs, &collected, &files_checked);
                            roots.push(root);
                        }
                        Err(error) => lock(&collected).errors.push(PathMessage {
                            path: slash_path(path),
                            message: describe_io_error(&error),
                        }),
                    }
                }
                unmerged::report_for_roots(&roots, &configs, settings, &collected);
            }
            scope => listed::check_scope(scope, settings, &configs, &collected, &files_checked),
        },
    );
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

/// Attribute lines Git and mergemark would read apart, as errors (each once per run).
pub(super) fn report_attribute_problems(
    context: Option<&RepoContext>,
    collected: &Mutex<Collected>,
) {
    let Some(context) = context else {
        return;
    };
    let mut collected = lock(collected);
    for (file, message) in &context.attribute_problems {
        let path = file
            .strip_prefix(&context.workdir)
            .map_or_else(|_| slash_path(file), slash_path);
        if !collected
            .errors
            .iter()
            .any(|e| e.path == path && &e.message == message)
        {
            collected.errors.push(PathMessage {
                path,
                message: message.clone(),
            });
        }
    }
}

/// Whether a file needs more than the prefilter: marker-like runs, or a Markdown document.
pub(super) const fn worth_examining(may_have_markers: bool, markdown: bool) -> bool {
    may_have_markers || markdown
}

/// One file's bytes and what is known of it before it is checked.
pub(super) struct Examined<'b> {
    /// The bytes.
    pub bytes: &'b [u8],
    /// The name findings give it.
    pub name: String,
    /// Which version of the path the bytes are, when not the path's own (`commit abc1234`).
    pub origin: Option<String>,
    /// The prefilter saw a marker-like run.
    pub may_have_markers: bool,
    /// A Markdown file.
    pub markdown: bool,
}

/// Scan one file's bytes: the conflict rules when the prefilter saw a marker-like run, the
/// document rules (with the configuration's schemas) for Markdown, then the configured rule
/// levels and `--strict`. `context` is asked only when needed (it costs an attribute look-up).
/// `None` when nothing was found; an error when checking the file panicked (a bug, reported for
/// that file).
pub(super) fn examine<'e>(
    file: Examined<'_>,
    config: &Settings,
    settings: &CheckSettings,
    context: impl FnOnce() -> FileContext<'e>,
) -> Result<Option<FileReport>, PathMessage> {
    let Examined {
        bytes,
        name,
        origin,
        may_have_markers,
        markdown,
    } = file;
    if !worth_examining(may_have_markers, markdown) {
        return Ok(None);
    }
    let context = if may_have_markers {
        context()
    } else {
        FileContext {
            markdown,
            ..FileContext::default()
        }
    };
    let empty = SchemaSet::default();
    let schemas = if markdown { &config.schemas } else { &empty };
    // A bug on one file must not end the run for all the others: it becomes that file's error.
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_file(bytes, &context, &name, schemas, may_have_markers)
    }));
    let mut findings = match checked {
        Ok(findings) => findings,
        Err(payload) => {
            let reason = payload
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return Err(PathMessage {
                path: name,
                message: format!(
                    "internal error while checking this file ({reason}); please report it \
                     with the file"
                ),
            });
        }
    };
    config.levels.apply(&mut findings);
    apply_strict(settings, &mut findings);
    Ok((!findings.is_empty())
        .then(|| FileReport::new(name, origin, bytes, findings, settings.human)))
}

/// `--strict`: every warning becomes an error.
pub(super) fn apply_strict(settings: &CheckSettings, findings: &mut [crate::diagnostic::Finding]) {
    if settings.strict {
        for finding in findings {
            finding.severity = Severity::Error;
        }
    }
}

pub(super) fn lock(collected: &Mutex<Collected>) -> std::sync::MutexGuard<'_, Collected> {
    collected
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Finds the configuration for each directory: `--config`, `--no-config`, or the nearest
/// `mergemark.toml` walking up to the repository root (outside a repository, to the directory
/// given). Files and directories are looked up once; a broken file is reported once (exit 2) and
/// the built-in schema is used in its place.
pub(super) struct Configs<'a> {
    choice: &'a ConfigChoice,
    collected: &'a Mutex<Collected>,
    builtin: Arc<Settings>,
    by_file: Mutex<HashMap<PathBuf, Arc<Settings>>>,
    by_dir: Mutex<HashMap<PathBuf, Arc<Settings>>>,
}

impl<'a> Configs<'a> {
    fn new(choice: &'a ConfigChoice, collected: &'a Mutex<Collected>) -> Self {
        Self {
            choice,
            collected,
            builtin: Arc::new(Settings::builtin()),
            by_file: Mutex::new(HashMap::new()),
            by_dir: Mutex::new(HashMap::new()),
        }
    }

    /// The schemas for files in `dir` (absolute), named relative to `base` (the repository root,
    /// or the directory given outside a repository).
    fn for_dir(&self, dir: &Path, base: &Path) -> Arc<Settings> {
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

    fn remember(&self, dir: &Path, set: &Arc<Settings>) {
        self.by_dir
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(dir.to_path_buf(), Arc::clone(set));
    }

    fn load(&self, file: &Path, base: &Path) -> Arc<Settings> {
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
            Ok(settings) => {
                // Globs are relative to the directory of the file that declares them.
                let dir = key
                    .parent()
                    .and_then(|d| d.strip_prefix(base).ok())
                    .map(slash_path);
                Arc::new(Settings {
                    schemas: settings.schemas.with_base(dir.unwrap_or_default()),
                    levels: settings.levels,
                })
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

pub(super) fn describe_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

/// The path an `ignore` error is about, and a sentence for it.
pub(super) fn describe_walk_error(error: &ignore::Error) -> (Option<PathBuf>, String) {
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
