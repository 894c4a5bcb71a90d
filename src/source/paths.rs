//! Path arithmetic every source shares: `/`-separated names, repository-relative paths, and
//! whether a path lies under another. No I/O beyond finding what exists.

use std::path::{Component, Path, PathBuf};

/// A path with `/` separators, without a leading `./`; absolute paths stay as they are.
#[must_use]
pub fn slash_path(path: &Path) -> String {
    if path.is_absolute() {
        return path.to_string_lossy().into_owned();
    }
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The nearest ancestor of `path` (itself included) that exists.
#[must_use]
pub fn nearest_existing(path: &Path) -> PathBuf {
    path.ancestors()
        .find(|p| p.exists())
        .map_or_else(|| path.to_path_buf(), Path::to_path_buf)
}

/// `path` (absolute) relative to `workdir`, `/`-separated (`""` for the root itself); `None`
/// outside. Works for paths that no longer exist in the working tree (a file only in `--rev`).
#[must_use]
pub fn repo_relative(path: &Path, workdir: &Path) -> Option<String> {
    let existing = nearest_existing(path);
    let rest = path.strip_prefix(&existing).unwrap_or(Path::new(""));
    let mut absolute = existing.canonicalize().ok()?;
    for component in rest.components() {
        match component {
            Component::ParentDir => {
                absolute.pop();
            }
            Component::Normal(part) => absolute.push(part),
            _ => {}
        }
    }
    let rel = absolute.strip_prefix(workdir).ok()?;
    Some(slash_path(rel))
}

/// Whether the repository-relative `path` lies under one of `filters` (repository-relative
/// directories or files; `""` is the whole repository).
#[must_use]
pub fn within(filters: &[String], path: &str) -> bool {
    filters.iter().any(|f| {
        f.is_empty()
            || path == f
            || path
                .strip_prefix(f.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}
