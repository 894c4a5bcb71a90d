//! The working-tree scope: walk each root in parallel (the `ignore` walker) and scan every file.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use ignore::WalkState;

use super::{
    describe_io_error, describe_walk_error, examine, lock, worth_examining, CheckSettings,
    Collected, Configs, Examined,
};
use crate::lint::NoEvidence;
use crate::lint::{FileContext, Prefilter};
use crate::markdown::is_markdown_path;
use crate::report::PathMessage;
use crate::source::evidence::{Handle, MergeSource, RepoEvidence};
use crate::source::git;
use crate::source::worktree::{read_entry, slash_path, FileRead, Root, SkipReason};

pub(super) fn walk_root(
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
            .map_or(crate::conflict::DEFAULT_MARKER_SIZE, |r| {
                r.min_marker_size()
            })
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
            repo: std::cell::OnceCell::new(),
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
    repo: std::cell::OnceCell<Option<git2::Repository>>,
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
            Ok(FileRead::Skipped(SkipReason::TooLarge(size))) => {
                lock(self.collected).errors.push(PathMessage {
                    path: name,
                    message: SkipReason::TooLarge(size).to_string(),
                });
                return;
            }
            Ok(FileRead::Skipped(reason)) => {
                let worth_a_note = match reason {
                    SkipReason::NotRegular => true,
                    SkipReason::Binary | SkipReason::NotAFile | SkipReason::TooLarge(_) => explicit,
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
        let markdown = is_markdown_path(entry.path());
        let may_have_markers = self.prefilter.may_match(bytes);
        if !worth_examining(may_have_markers, markdown) {
            return;
        }
        let config = {
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
            self.configs.for_dir(dir, self.base)
        };
        let evidence = match (self.root.repo.as_deref(), rel) {
            (Some(context), Some(rel)) => Some(
                RepoEvidence::new(
                    Handle::Lazy {
                        cell: &self.repo,
                        context,
                    },
                    rel,
                    self.is_unmerged(rel),
                )
                .from_merge(MergeSource::InProgress),
            ),
            _ => None,
        };
        let file = Examined {
            bytes,
            name,
            origin: None,
            may_have_markers,
            markdown,
        };
        let report = examine(file, &config, self.settings, || {
            self.context(entry.path(), rel, evidence.as_ref())
        });
        match report {
            Ok(Some(report)) => lock(self.collected).files.push(report),
            Ok(None) => {}
            Err(error) => lock(self.collected).errors.push(error),
        }
    }

    fn is_unmerged(&self, rel: &Path) -> bool {
        self.root.repo.as_deref().is_some_and(|context| {
            !context.unmerged.is_empty() && context.unmerged.contains(slash_path(rel).as_bytes())
        })
    }

    fn context<'e>(
        &'e self,
        path: &Path,
        rel: Option<&Path>,
        evidence: Option<&'e RepoEvidence<'e>>,
    ) -> FileContext<'e> {
        let markdown = is_markdown_path(path);
        let (Some(repo_context), Some(rel), Some(evidence)) =
            (self.root.repo.as_deref(), rel, evidence)
        else {
            return FileContext {
                marker_size: self
                    .settings
                    .marker_size
                    .unwrap_or(crate::conflict::DEFAULT_MARKER_SIZE),
                markdown,
                unmerged: false,
                evidence: &NoEvidence,
                other_sizes: &[],
            };
        };
        let marker_size = match self.settings.marker_size {
            Some(size) => size,
            None => self
                .repo
                .get_or_init(|| repo_context.open())
                .as_ref()
                .map_or(crate::conflict::DEFAULT_MARKER_SIZE, |repo| {
                    git::marker_size(repo, rel)
                }),
        };
        FileContext {
            marker_size,
            markdown,
            unmerged: self.is_unmerged(rel),
            evidence,
            // `--marker-size` says what to look for; otherwise any size Git may have used.
            other_sizes: if self.settings.marker_size.is_some() {
                &[]
            } else {
                &repo_context.marker_sizes
            },
        }
    }
}
