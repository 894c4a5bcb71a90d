//! Text from standard input (`check -`, `diff -`): read as a file's bytes are, and checked as
//! the file `--stdin-filename` names would be (which need not exist), or as `<stdin>`.

use std::io;
use std::path::Path;

use super::paths::given_name;
use super::paths::slash_path;
use super::scanner::{names_base, Place, WorktreeFacts};
use super::walk::named_root;
use super::workspace::describe_io_error;
use super::worktree::{text_or_binary, FileRead, Root, SkipReason};
use super::{Sink, Subject, Worker, Workspace};
use crate::conflict::DEFAULT_MARKER_SIZE;
use crate::report::{About, Origin};

/// The name text from standard input gets without `--stdin-filename`.
pub const STDIN_NAME: &str = "<stdin>";

/// Check text read from standard input as the file `path` would be checked (named, configured
/// and attributed as that file; it need not exist), or as a Markdown file in the current
/// directory named `<stdin>`. With `--force-exclude`, a path the configuration leaves out is not
/// checked (as ruff does).
pub(super) fn stdin<S: Sink>(path: Option<&Path>, bytes: &[u8], workspace: &Workspace, sink: &S) {
    // Read as a file's bytes are: too large is an error, UTF-16 is decoded, binary is skipped.
    let name = path.map_or_else(|| STDIN_NAME.to_owned(), given_name);
    let size = bytes.len() as u64;
    if size > workspace.walk.max_filesize {
        return workspace.error(About::Path(name), SkipReason::TooLarge(size).to_string());
    }
    let mut text = bytes.to_vec();
    let read = text_or_binary(&mut text);
    if let FileRead::Skipped(reason) = read {
        return workspace.skipped(name, reason.to_string());
    }
    let decoded = read == FileRead::Decoded;
    let bytes = text.as_slice();
    let mut worker = sink.worker();
    let Some(path) = path else {
        let cwd = std::env::current_dir()
            .and_then(|d| d.canonicalize())
            .unwrap_or_default();
        let file = cwd.join(STDIN_NAME);
        let place = Place::Absolute {
            file: &file,
            base: &cwd,
        };
        let size = workspace.marker_size(|| DEFAULT_MARKER_SIZE);
        let facts = WorktreeFacts::new(workspace, place, size, None, None, false);
        workspace.count_read();
        return worker.take(Subject {
            name: STDIN_NAME.to_owned(),
            bytes,
            origin: Origin::Own,
            unmerged: None,
            content_in_scope: true,
            markdown: true,
            facts: &facts,
            file: None,
            decoded,
        });
    };
    let result = root_for_name(path).and_then(|root| {
        let base = names_base(&root);
        named_root(root, path, bytes, workspace, |mut subject| {
            // The file only names the text (`--fix` never writes it: the scope is stdin's).
            subject.decoded = decoded;
            // An unmerged path is reported whatever the exclusions say.
            let excluded = workspace.walk.force_exclude
                && subject.unmerged.is_none()
                && Workspace::excluded(
                    &subject.facts.settings(),
                    workspace.cli_exclude(&base).as_ref(),
                    &subject.name,
                    0,
                );
            if !excluded {
                workspace.count_read();
                worker.take(subject);
            }
        })
    });
    if let Err(error) = result {
        workspace.error(
            About::Path(given_name(path)),
            format!("--stdin-filename: {}", describe_io_error(&error)),
        );
    }
}

/// A root for a file that need not exist (`--stdin-filename`): named and configured as it
/// would be, from its directory, which must exist.
///
/// # Errors
/// When its directory cannot be inspected.
fn root_for_name(path: &Path) -> io::Result<Root> {
    if path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is a directory",
        ));
    }
    if path.exists() {
        return Root::new(path);
    }
    if path.file_name().is_none() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "names no file"));
    }
    // The nearest directory on the path that exists, and the rest of the path below it.
    let mut existing = path;
    let canonical = loop {
        existing = match existing.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if existing.is_dir() {
            // What does not exist cannot be resolved: `..` below it is read as written.
            let rest = path.strip_prefix(existing).unwrap_or(path);
            let mut canonical = existing.canonicalize()?;
            for component in rest.components() {
                match component {
                    std::path::Component::ParentDir => {
                        canonical.pop();
                    }
                    std::path::Component::Normal(name) => canonical.push(name),
                    _ => {}
                }
            }
            break canonical;
        }
        if existing == Path::new(".") {
            return Err(io::Error::from(io::ErrorKind::NotFound));
        }
    };
    let dir = Root::new(existing)?;
    let prefix_in_repo = dir.repo.as_ref().and_then(|r| {
        canonical
            .strip_prefix(&r.workdir)
            .ok()
            .map(Path::to_path_buf)
    });
    Ok(Root {
        path: path.to_path_buf(),
        canonical,
        is_dir: false,
        is_file: true,
        repo: dir.repo,
        repo_error: dir.repo_error,
        path_text: path.to_str().map(str::to_owned),
        prefix_text: prefix_in_repo.as_deref().map(slash_path),
        prefix_in_repo,
    })
}
