//! The one place that says, for any file any command reads, which settings are in force: the
//! configuration found for it (discovered once per directory, loaded once per file, a broken one
//! reported once and replaced by the built-in schema), its glob base, the marker size override,
//! and how directories are walked. `check`, `diff` and `resolve` all ask here, so they cannot
//! disagree about a file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::paths::slash_path;
use super::worktree::WalkOptions;
use crate::config::{self, Settings};
use crate::path_rules::{CwdRules, PathRules};
use crate::report::{About, PathMessage};

/// `--config FILE`, `--no-config`, or the nearest `mergemark.toml` of each file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigChoice {
    /// Look for `mergemark.toml` / `.mergemark.toml` from each file's directory up to its
    /// repository root (outside a repository, up to the directory given).
    Discover,
    /// Use this file for every path.
    File(PathBuf),
    /// No configuration: the built-in schema only.
    None,
}

/// The settings in force for one file, and where they come from.
#[derive(Debug)]
pub struct InForce {
    /// Schemas (globs already relative to the file that declares them) and rule levels.
    pub settings: Settings,
    /// The configuration file, named as findings name files; `None` for the built-in settings.
    pub file: Option<String>,
}

/// Settings kept by the base names are relative to, then by path.
type ByBase = HashMap<PathBuf, HashMap<PathBuf, Arc<InForce>>>;

/// Settings kept by directory, spelt as bytes and hashed fast: a walk asks once per directory,
/// and a path hashed component by component with SipHash was a per-cent of a walk of a large
/// tree. Two spellings of one directory are two entries that agree.
type ByDir = HashMap<Box<[u8]>, Arc<InForce>, foldhash::fast::RandomState>;

/// What a run was told and has learned, shared by every thread of it.
pub struct Workspace {
    config: ConfigChoice,
    /// `--marker-size`: look for markers of this size in every file, whatever the attributes say.
    pub marker_size: Option<usize>,
    /// How directories are walked and which files are read.
    pub walk: WalkOptions,
    builtin: Arc<InForce>,
    /// Configuration files read, by the base their names are relative to, then by file: the
    /// same file is read apart for two bases (a nested repository's files, walked from the
    /// outer repository and named on their own), as its globs and name are relative to it.
    by_file: Mutex<ByBase>,
    /// Configuration files that could not be read (each reported once).
    broken: Mutex<HashSet<PathBuf>>,
    /// The settings of each directory, by base then directory: discovery stops at the base, so
    /// one directory has other settings under another base (a run has one base or a few).
    by_dir: Mutex<Vec<(PathBuf, ByDir)>>,
    problems: Mutex<Problems>,
    files_read: AtomicUsize,
}

/// Paths that could not be read or checked (errors, exit 2), and paths skipped on purpose.
#[derive(Debug, Default)]
pub struct Problems {
    /// Errors: the run exits 2.
    pub errors: Vec<PathMessage>,
    /// Notes: skipped on purpose.
    pub skipped: Vec<PathMessage>,
}

impl Workspace {
    /// A workspace for one run.
    #[must_use]
    pub fn new(config: ConfigChoice, marker_size: Option<usize>, walk: WalkOptions) -> Self {
        let workspace = Self {
            config,
            marker_size,
            walk,
            builtin: Arc::new(InForce {
                settings: Settings::builtin(),
                file: None,
            }),
            by_file: Mutex::default(),
            broken: Mutex::default(),
            by_dir: Mutex::default(),
            problems: Mutex::new(Problems::default()),
            files_read: AtomicUsize::new(0),
        };
        if let ConfigChoice::File(file) = &workspace.config {
            workspace.validate(file);
        }
        workspace
    }

    /// A file named by `--config` is read now: a broken or missing one is an error of every run
    /// that names it, whatever files the run reads (the built-in settings stand in for it).
    fn validate(&self, file: &Path) {
        if let Err(errors) = config::load(file) {
            let key = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
            for error in &errors {
                self.error(About::Path(slash_path(file)), describe_config_error(error));
            }
            guard(&self.broken).insert(key);
        }
    }

    /// The settings for the file at `file` (absolute), whose names are relative to `base` (the
    /// repository root, or the directory given outside a repository).
    pub fn settings_for_file(&self, file: &Path, base: &Path) -> Arc<InForce> {
        self.settings_for_dir(file.parent().unwrap_or(base), base)
    }

    /// The settings for files in `dir` (absolute), named relative to `base`.
    pub fn settings_for_dir(&self, dir: &Path, base: &Path) -> Arc<InForce> {
        self.settings_for_dir_by(dir, base, &mut config::in_dir)
    }

    /// [`Workspace::settings_for_dir`], finding a directory's configuration file with `in_dir`
    /// (a walk looks in the directory it holds open).
    pub fn settings_for_dir_by(
        &self,
        dir: &Path,
        base: &Path,
        in_dir: &mut dyn FnMut(&Path) -> Option<PathBuf>,
    ) -> Arc<InForce> {
        let file = match &self.config {
            ConfigChoice::None => return Arc::clone(&self.builtin),
            ConfigChoice::File(file) => file.clone(),
            ConfigChoice::Discover => {
                if let Some(found) = self.remembered(dir, base) {
                    return found;
                }
                // Look in this directory only and take the parent's (remembered) settings
                // otherwise, so that each directory of a walk is looked at once, not once per
                // directory below it (as `config::discover` would).
                let in_force = match in_dir(dir) {
                    Some(file) => self.load(&file, base),
                    None => match dir.parent() {
                        Some(parent) if dir != base && dir.starts_with(base) => {
                            self.settings_for_dir_by(parent, base, in_dir)
                        }
                        _ => Arc::clone(&self.builtin),
                    },
                };
                self.remember(dir, base, &in_force);
                return in_force;
            }
        };
        let in_force = self.load(&file, base);
        self.remember(dir, base, &in_force);
        in_force
    }

    fn remembered(&self, dir: &Path, base: &Path) -> Option<Arc<InForce>> {
        let by_base = guard(&self.by_dir);
        let (_, by_dir) = by_base.iter().find(|(b, _)| b == base)?;
        by_dir.get(dir.as_os_str().as_encoded_bytes()).cloned()
    }

    fn remember(&self, dir: &Path, base: &Path, in_force: &Arc<InForce>) {
        let mut by_base = guard(&self.by_dir);
        let at = match by_base.iter().position(|(b, _)| b == base) {
            Some(at) => at,
            None => {
                by_base.push((base.to_path_buf(), ByDir::default()));
                by_base.len() - 1
            }
        };
        by_base[at].1.insert(
            dir.as_os_str().as_encoded_bytes().into(),
            Arc::clone(in_force),
        );
    }

    /// Load `file` once; a broken one is an error (once) and the built-in settings stand in.
    fn load(&self, file: &Path, base: &Path) -> Arc<InForce> {
        let key = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
        if guard(&self.broken).contains(&key) {
            return Arc::clone(&self.builtin);
        }
        let mut cache = guard(&self.by_file);
        let cache = cache.entry(base.to_path_buf()).or_default();
        if let Some(in_force) = cache.get(&key) {
            return Arc::clone(in_force);
        }
        // Name the file like findings name files: relative to the base when inside it.
        let name = key
            .strip_prefix(base)
            .map_or_else(|_| slash_path(file), slash_path);
        let in_force = match config::load(file) {
            Ok(settings) => {
                // Globs are relative to the directory of the file that declares them.
                let dir = key
                    .parent()
                    .and_then(|d| d.strip_prefix(base).ok())
                    .map(slash_path);
                let dir = dir.unwrap_or_default();
                Arc::new(InForce {
                    settings: Settings {
                        schemas: settings.schemas.with_base(dir.clone()),
                        levels: settings.levels,
                        paths: PathRules {
                            base: dir,
                            ..settings.paths
                        },
                    },
                    file: Some(name),
                })
            }
            Err(errors) => {
                for error in &errors {
                    self.error(About::Path(name.clone()), describe_config_error(error));
                }
                guard(&self.broken).insert(key);
                return Arc::clone(&self.builtin);
            }
        };
        cache.insert(key, Arc::clone(&in_force));
        in_force
    }

    /// `--exclude`'s patterns for names relative to `base`, when any were given.
    #[must_use]
    pub fn cli_exclude(&self, base: &Path) -> Option<CwdRules> {
        (!self.walk.exclude.is_empty()).then(|| {
            let cwd = std::env::current_dir()
                .and_then(|d| d.canonicalize())
                .unwrap_or_default();
            PathRules::from_cwd(&self.walk.exclude, base, &cwd)
        })
    }

    /// Whether the file or directory `name` is left out by the configuration in force for it
    /// (`in_force`) or by `--exclude` (`cli`, from [`Workspace::cli_exclude`]), judging its part
    /// from byte `from` on (what comes before was named on the command line or judged already).
    #[must_use]
    pub fn excluded(in_force: &InForce, cli: Option<&CwdRules>, name: &str, from: usize) -> bool {
        in_force.settings.paths.excludes(name, from) || cli.is_some_and(|c| c.excludes(name, from))
    }

    /// Record an error (the run will exit 2), once.
    pub fn error(&self, about: About, message: String) {
        let mut problems = guard(&self.problems);
        if !problems
            .errors
            .iter()
            .any(|e| e.path == about && e.message == message)
        {
            problems.errors.push(PathMessage {
                path: about,
                message,
            });
        }
    }

    /// Record a path skipped on purpose.
    pub fn skipped(&self, path: String, message: String) {
        guard(&self.problems).skipped.push(PathMessage {
            path: About::Path(path),
            message,
        });
    }

    /// Count one file read.
    pub fn count_read(&self) {
        self.files_read.fetch_add(1, Ordering::Relaxed);
    }

    /// Files read so far.
    #[must_use]
    pub fn files_read(&self) -> usize {
        self.files_read.load(Ordering::Relaxed)
    }

    /// The problems recorded so far, taken out.
    #[must_use]
    pub fn take_problems(&self) -> Problems {
        std::mem::take(&mut *guard(&self.problems))
    }

    /// The marker size to look for in a file: `--marker-size`, else what `attribute` says.
    pub fn marker_size(&self, attribute: impl FnOnce() -> usize) -> usize {
        self.marker_size.unwrap_or_else(attribute)
    }
}

/// A configuration error as the line under the file's name says it.
fn describe_config_error(error: &config::ConfigError) -> String {
    match error.line {
        Some(line) => format!("line {line}: {}", error.message),
        None => error.message.clone(),
    }
}

/// A lock that a panicking thread did not spoil (its data is still whole: each is one push).
pub fn guard<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A sentence for an I/O error, as the other tools say it.
#[must_use]
pub fn describe_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}
