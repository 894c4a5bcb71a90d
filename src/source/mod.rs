//! Where file bytes come from, and the one road every file takes to a command: a scope (the
//! working tree walked in parallel, or what Git lists: the index, a commit, a range, the index
//! stages of unmerged paths) yields [`Subject`]s, each with the settings in force and its Git
//! facts, to a [`Sink`]: `check` checks them, `diff` diffs them. What is read, how it is named,
//! which settings apply and which marker size is looked for are decided here, once, for every
//! command.

mod attributes;
pub mod evidence;
pub mod git;
mod listed;
mod named;
mod open_dir;
pub mod paths;
pub mod repo;
mod scanner;
pub mod scope;
mod staged;
mod stdin;
pub mod walk;
pub mod workspace;
pub mod worktree;

use std::path::PathBuf;
use std::sync::Arc;

use crate::lint::{Evidence, FileContext};
use crate::report::Origin;
pub use workspace::{ConfigChoice, InForce, Workspace};

/// Which version of the files to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The working tree (the default).
    Worktree,
    /// What Git lists.
    Git(GitScope),
    /// Text read from standard input (`check -`), checked as the file `path` would be (its
    /// configuration, schema and attributes), or as Markdown named `<stdin>` without one.
    Stdin {
        /// `--stdin-filename`.
        path: Option<PathBuf>,
        /// What was read.
        bytes: Vec<u8>,
    },
}

/// The scopes Git lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GitScope {
    /// What the next commit would contain: the index's stage-0 blobs that differ from HEAD
    /// (every one with `all`), and the ours/theirs stages of unmerged paths.
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

impl GitScope {
    /// The option that asks for this scope, as errors about the scope as a whole name it.
    #[must_use]
    pub const fn flag(&self) -> &'static str {
        match self {
            Self::Staged { .. } => "--staged",
            Self::Rev(_) => "--rev",
            Self::ChangedSince(_) => "--changed-since",
            Self::Commits { .. } => "--commits",
        }
    }
}

/// One file's bytes as a scope read them, with everything a command needs to know about them.
pub struct Subject<'a> {
    /// The name output gives it: repository-relative inside a repository (so every scope and
    /// every format names a file alike), else relative to the directory given.
    pub name: String,
    /// The bytes (UTF-16 text already decoded). Empty for an unmerged path whose working file is
    /// gone, binary or unreadable: its finding needs no text.
    pub bytes: &'a [u8],
    /// Which version of the path the bytes are.
    pub origin: Origin,
    /// When the index lists the path as unmerged: how `git status` describes the conflict.
    pub unmerged: Option<&'static str>,
    /// Whether the bytes are the scope's to check. Not so for the working file of an unmerged
    /// path that a Git scope does not hold (`--staged` holds its index stages): it is read only to
    /// show where the unmerged path's finding is.
    pub content_in_scope: bool,
    /// Whether the file is Markdown (by its name).
    pub markdown: bool,
    /// The settings in force and what Git knows of it, asked only when needed.
    pub facts: &'a dyn FileFacts,
    /// The working-tree file the bytes were read from (how text output names it, and what
    /// `check --fix` rewrites in the working-tree scope); the file `--stdin-filename` names;
    /// `None` for Git's blobs and stdin without a name.
    pub file: Option<&'a std::path::Path>,
    /// Whether the bytes were decoded from UTF-16: they are not the file's, and no fix is
    /// offered for them.
    pub decoded: bool,
}

impl<'a> Subject<'a> {
    /// How human output names the file: as it opens from `cwd` (ruff's habit); `None` where the
    /// file has no place on disk (stdin, a blob outside any working tree).
    #[must_use]
    pub fn shown(&self, cwd: &std::path::Path) -> Option<String> {
        if let Some(file) = self.file {
            return Some(paths::shown_from(cwd, file));
        }
        let workdir = self.facts.workdir()?;
        Some(paths::shown_from(cwd, &workdir.join(&self.name)))
    }

    /// The file on disk the name stands for, telling apart files of one name under two roots:
    /// in a repository, its path in the working directory (whichever scope read the bytes, so
    /// that an unmerged path's reports from two scopes meet); elsewhere the file read.
    #[must_use]
    pub fn place(&self) -> Option<PathBuf> {
        match self.facts.workdir() {
            Some(workdir) => Some(workdir.join(&self.name)),
            None => self.file.map(std::path::Path::to_path_buf),
        }
    }

    /// [`Subject::shown`] as the bytes of the file's name (for a patch, whose names must be the
    /// file system's).
    #[must_use]
    pub fn shown_bytes(&self, cwd: &std::path::Path) -> Option<Vec<u8>> {
        if let Some(file) = self.file {
            return Some(paths::shown_bytes(cwd, file));
        }
        let workdir = self.facts.workdir()?;
        Some(paths::shown_bytes(cwd, &workdir.join(&self.name)))
    }

    /// The same file with other bytes (its text after fixes): name, settings and facts alike.
    #[must_use]
    pub fn with_bytes<'b>(&'b self, bytes: &'b [u8]) -> Subject<'b>
    where
        'a: 'b,
    {
        Subject {
            name: self.name.clone(),
            bytes,
            origin: self.origin.clone(),
            unmerged: self.unmerged,
            content_in_scope: self.content_in_scope,
            markdown: self.markdown,
            facts: self.facts,
            file: self.file,
            decoded: self.decoded,
        }
    }
}

impl Subject<'_> {
    /// The context the conflict rules read the file in (asks the attribute look-up).
    #[must_use]
    pub fn context(&self) -> FileContext<'_> {
        FileContext {
            marker_size: self.facts.marker_size(),
            markdown: self.markdown,
            asciidoc: crate::markdown::is_asciidoc_path(std::path::Path::new(&self.name)),
            unmerged: self.unmerged.is_some(),
            evidence: self.facts.evidence(),
            other_sizes: self.facts.other_sizes(),
        }
    }
}

impl Subject<'_> {
    /// What `--verbose` says of a file read: its name (and version), the marker size looked for,
    /// the schema it is checked against and the configuration in force. The same line in every
    /// command, so that they can be seen to agree.
    #[must_use]
    pub fn describe(&self) -> String {
        let size = self.facts.marker_size();
        let settings = self.facts.settings();
        let schema = if self.markdown {
            crate::document::schema_in_force(
                self.bytes,
                size,
                &self.name,
                &settings.settings.schemas,
            )
        } else {
            None
        };
        let name = crate::text::escape_for_display(self.name.as_bytes());
        let version = self
            .origin
            .label()
            .map(|label| format!(" ({label})"))
            .unwrap_or_default();
        format!(
            "read {name}{version}: marker size {size}, schema {}, configuration {}",
            schema.as_deref().map_or_else(
                || "none".to_owned(),
                |s| crate::text::escape_for_display(s.as_bytes())
            ),
            settings.file.as_deref().map_or_else(
                || "built-in".to_owned(),
                |f| crate::text::escape_for_display(f.as_bytes())
            ),
        )
    }
}

/// What the workspace and Git know about one file. Each answer is asked only of the files that
/// need it (settings cost a directory look-up, an attribute look-up costs syscalls, a repository
/// handle costs an index load): most files are read and dropped without any.
pub trait FileFacts {
    /// The settings in force for the file.
    fn settings(&self) -> Arc<InForce>;
    /// The smallest marker size a conflict in this file could have: what a prefilter looks for.
    fn min_marker_size(&self) -> usize;
    /// The marker size to read the file with: `--marker-size`, else its `conflict-marker-size`.
    fn marker_size(&self) -> usize;
    /// Other sizes Git may have written its markers with (none with `--marker-size`).
    fn other_sizes(&self) -> &[usize];
    /// The repository's answers about the file's labels and stages.
    fn evidence(&self) -> &dyn Evidence;
    /// The working tree of the repository the name is relative to, for a file a Git scope
    /// lists (working-tree files are shown by the path they were read from).
    fn workdir(&self) -> Option<&std::path::Path> {
        None
    }
    /// Git's reference merge of the file's three versions (see
    /// [`crate::resolve::known_base::Reference`]), for a working file Git can say it of.
    fn reference(
        &self,
        _ours_label: Option<&[u8]>,
        _theirs_label: Option<&[u8]>,
    ) -> Option<Vec<u8>> {
        None
    }
}

/// What a command does with the subjects: one [`Worker`] per thread.
pub trait Sink: Sync {
    /// A thread's worker.
    type Worker<'s>: Worker
    where
        Self: 's;
    /// Make one.
    fn worker(&self) -> Self::Worker<'_>;
}

/// One thread's share of a command's work.
pub trait Worker: Send {
    /// Take one subject.
    fn take(&mut self, subject: Subject<'_>);
}

/// A worker lent for a while (to a scanner of one named file).
impl<W: Worker + ?Sized> Worker for &mut W {
    fn take(&mut self, subject: Subject<'_>) {
        (**self).take(subject);
    }
}

/// Read every file `scope` names under `paths` and hand each to `sink`; unreadable paths and
/// broken configurations are recorded in `workspace`.
pub fn read_all<S: Sink>(scope: &Scope, paths: &[PathBuf], workspace: &Workspace, sink: &S) {
    match scope {
        Scope::Worktree => walk::walk(paths, workspace, sink),
        Scope::Git(scope) => listed::read_listed(scope, paths, workspace, sink),
        Scope::Stdin { path, bytes } => stdin::stdin(path.as_deref(), bytes, workspace, sink),
    }
}
