//! The working-tree scope: walk each root in parallel (the `ignore` walker), read every file, and
//! hand each to the sink; then the unmerged paths under the roots that the walk did not reach
//! (ignored, hidden, deleted, binary): every one is a subject, so no command misses a conflict Git
//! is holding.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::evidence::LazyRepo;
use super::git::{self, RepoContext};
use super::paths::{given_name, slash_path};
use super::scanner::{names_base, Given, Place, Reached, Scanner, WorktreeFacts};
use super::workspace::describe_io_error;
use super::worktree::{read_file, FileRead, Root};
use super::{FileFacts, Sink, Subject, Worker, Workspace};
use crate::conflict::DEFAULT_MARKER_SIZE;
use crate::markdown::is_markdown_path;
use crate::report::{About, Origin};

/// Walk every root given, then read the unmerged paths under them that the walk did not reach.
/// A file reached through several paths given is read once (see [`Given`]): directories first,
/// outer ones before those inside them, each walk taking the paths given below it in its
/// repository; then the named files no walk took.
pub(super) fn walk<S: Sink>(paths: &[PathBuf], workspace: &Workspace, sink: &S) {
    let reached = Reached::default();
    let mut roots: Vec<Root> = Vec::new();
    let mut repos = git::Discovered::default();
    for path in paths {
        match Root::among(path, &mut repos) {
            Ok(root) => {
                report_attribute_problems(root.repo.as_deref(), workspace);
                if let Some(error) = &root.repo_error {
                    workspace.error(
                        About::Path(given_name(path)),
                        format!(
                            "{error}; its files are checked without Git's attributes and unmerged \
                             paths"
                        ),
                    );
                }
                roots.push(root);
            }
            Err(error) => workspace.error(About::Path(given_name(path)), describe_io_error(&error)),
        }
    }
    let given = (roots.len() > 1).then(|| Given::new(&roots));
    let (mut dirs, files): (Vec<&Root>, Vec<&Root>) = roots.iter().partition(|r| r.is_dir);
    // A directory before the directories in it, so that a walk takes the paths given below it;
    // of the spellings of one directory, the first that is not a symbolic link is walked.
    dirs.sort_by_cached_key(|r| (r.canonical.clone().into_os_string(), r.path.is_symlink()));
    for root in dirs {
        if given
            .as_ref()
            .is_none_or(|g| g.take(root.canonical.as_os_str()))
        {
            walk_root(root, workspace, sink, &reached, given.as_ref());
        }
    }
    super::named::read_named_files(&files, workspace, sink, &reached, given.as_ref());
    unmerged_not_reached(
        &roots,
        workspace,
        sink,
        &reached.into_inner().unwrap_or_default(),
    );
}

/// Attribute lines Git and mergemark would read apart, as errors (each once per run).
pub(super) fn report_attribute_problems(context: Option<&RepoContext>, workspace: &Workspace) {
    for (file, message) in context.iter().flat_map(|c| &c.attribute_problems) {
        let workdir = &context.expect("problems come from a context").workdir;
        let path = file
            .strip_prefix(workdir)
            .map_or_else(|_| slash_path(file), slash_path);
        workspace.error(About::Path(path), message.clone());
    }
}

/// Walk a directory given (taking the paths `given` below it in its repository).
fn walk_root<S: Sink>(
    root: &Root,
    workspace: &Workspace,
    sink: &S,
    reached: &Reached,
    given: Option<&Given>,
) {
    // Configuration is found from absolute directories; names are relative to this base.
    let base = names_base(root);
    let cli_exclude = workspace.cli_exclude(&base);
    root.walker(&workspace.walk).run(|| {
        let mut scanner = Scanner::new(root, workspace, &base, sink.worker(), reached);
        scanner.cli_exclude.clone_from(&cli_exclude);
        scanner.given = given;
        Box::new(move |entry| scanner.visit(entry))
    });
}

/// The unmerged paths under the roots that the walk did not reach (each repository once): read
/// whole when they can be, and checked like any file; when gone, binary or unreadable, a subject
/// without bytes, whose finding needs none.
fn unmerged_not_reached<S: Sink>(
    roots: &[Root],
    workspace: &Workspace,
    sink: &S,
    reached: &HashSet<(PathBuf, Vec<u8>)>,
) {
    let mut seen = HashSet::new();
    let mut worker = sink.worker();
    for context in roots.iter().filter_map(|r| r.repo.as_deref()) {
        if context.unmerged.is_empty() || !seen.insert(context.workdir.clone()) {
            continue;
        }
        let mut paths: Vec<(&Vec<u8>, &&'static str)> = context
            .unmerged
            .iter()
            .filter(|(path, _)| !reached.contains(&(context.workdir.clone(), (*path).clone())))
            .filter(|(path, _)| {
                let path = String::from_utf8_lossy(path);
                roots.iter().any(|r| r.covers(&context.workdir, &path))
            })
            .collect();
        paths.sort();
        let repo = LazyRepo::new(context);
        // An unmerged path is always reported, excluded or not: Git will not commit it.
        for (raw, how) in paths {
            let name = String::from_utf8_lossy(raw).into_owned();
            let rel = super::scope::Listed::fs_path_of(raw, &name);
            let file = context.workdir.join(&rel);
            let mut bytes = Vec::new();
            let decoded = match read_file(&file, workspace.walk.max_filesize, &mut bytes) {
                Ok(read @ (FileRead::Text | FileRead::Decoded)) => {
                    workspace.count_read();
                    read == FileRead::Decoded
                }
                _ => {
                    bytes.clear();
                    false
                }
            };
            let min_size = workspace.marker_size(|| context.min_marker_size());
            let place = Place::Absolute {
                file: &file,
                base: &context.workdir,
            };
            let facts =
                WorktreeFacts::new(workspace, place, min_size, Some(&repo), Some(&rel), true);
            worker.take(Subject {
                name,
                bytes: &bytes,
                origin: Origin::Own,
                unmerged: Some(how),
                content_in_scope: true,
                markdown: is_markdown_path(&rel),
                facts: &facts,
                file: Some(&file),
                decoded,
            });
        }
    }
}

/// One file named on the command line, whose bytes the caller read (`resolve` reads a file whole,
/// as it will write it back), seen as the working-tree walk sees it: the same name, settings and
/// Git facts. `f` gets the subject.
///
/// # Errors
/// When the path cannot be inspected.
pub fn named_file<R>(
    path: &Path,
    bytes: &[u8],
    workspace: &Workspace,
    f: impl FnOnce(Subject<'_>) -> R,
) -> std::io::Result<R> {
    named_root(Root::new(path)?, path, bytes, workspace, f)
}

pub(super) fn named_root<R>(
    root: Root,
    path: &Path,
    bytes: &[u8],
    workspace: &Workspace,
    f: impl FnOnce(Subject<'_>) -> R,
) -> std::io::Result<R> {
    report_attribute_problems(root.repo.as_deref(), workspace);
    if let Some(error) = &root.repo_error {
        workspace.error(About::Path(slash_path(path)), error.clone());
    }
    let (name, rel) = root.name(path);
    let context = root.repo.as_deref();
    let unmerged = context
        .zip(rel.as_deref())
        .and_then(|(c, rel)| c.unmerged.get(slash_path(rel).as_bytes()).copied());
    let base = names_base(&root);
    let min_size =
        workspace.marker_size(|| context.map_or(DEFAULT_MARKER_SIZE, RepoContext::min_marker_size));
    let repo = context.map(LazyRepo::new);
    let place = Place::Absolute {
        file: &root.canonical,
        base: &base,
    };
    let facts = WorktreeFacts::new(
        workspace,
        place,
        min_size,
        repo.as_ref(),
        rel.as_deref(),
        unmerged.is_some(),
    );
    // A file named on the command line always has its settings read: a broken configuration
    // is reported whatever the command goes on to need.
    facts.settings();
    Ok(f(Subject {
        name,
        bytes,
        origin: Origin::Own,
        unmerged,
        content_in_scope: true,
        markdown: is_markdown_path(path),
        facts: &facts,
        file: Some(path),
        decoded: false,
    }))
}
