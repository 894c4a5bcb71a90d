//! Path arithmetic every source shares: `/`-separated names, repository-relative paths, and
//! whether a path lies under another. No I/O beyond finding what exists.

use std::path::{Component, Path, PathBuf};

/// A path with `/` separators, without a leading `./`; absolute paths stay as they are.
#[must_use]
pub fn slash_path(path: &Path) -> String {
    if path.is_absolute() {
        return path.to_string_lossy().into_owned();
    }
    // The common case, for every walked file: already a clean `/`-separated UTF-8 path.
    if let Some(text) = path.to_str().filter(|t| is_clean_slash_path(t)) {
        return text.to_owned();
    }
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where the last separator of a walked path is: what comes before it is the path of the file's
/// directory as the walker wrote it (the same bytes for every file of one directory), what
/// follows, the file's name. `None` for a path without a separator.
pub(super) fn last_separator(path: &Path) -> Option<usize> {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .rposition(|&b| std::path::is_separator(char::from(b)))
}

/// Whether `text` is what [`slash_path`] would make of it: no `.` or empty segment, no trailing
/// `/`, and `/` the only separator.
pub(super) fn is_clean_slash_path(text: &str) -> bool {
    if text.is_empty() {
        return true;
    }
    if std::path::MAIN_SEPARATOR != '/' {
        return false;
    }
    // Segment by segment between the `/`s `memchr` finds (every walked file's name is asked).
    let bytes = text.as_bytes();
    let mut start = 0;
    for end in memchr::memchr_iter(b'/', bytes).chain(std::iter::once(bytes.len())) {
        let segment = &bytes[start..end];
        if segment.is_empty() || segment == b"." {
            return false;
        }
        start = end + 1;
    }
    true
}

/// `path` as it opens from `cwd` (absolute, canonical), for people to read: a relative path as
/// it was given (without `./`), an absolute one relative to `cwd` (`../` where it lies beside
/// it); absolute when the two share nothing but the root.
#[must_use]
pub fn shown_from(cwd: &Path, path: &Path) -> String {
    let shown = shown_path(cwd, path);
    // `.` (the current directory itself) is a name `slash_path` drops.
    if shown.as_os_str() == "." {
        return ".".to_owned();
    }
    slash_path(&shown)
}

/// The bytes of the name [`shown_from`] gives, as the file system has them (a name that is not
/// UTF-8 keeps its bytes): what a patch must name.
#[must_use]
pub fn shown_bytes(cwd: &Path, path: &Path) -> Vec<u8> {
    let shown = shown_path(cwd, path);
    #[cfg(unix)]
    return std::os::unix::ffi::OsStrExt::as_bytes(shown.as_os_str()).to_vec();
    #[cfg(not(unix))]
    return slash_path(&shown).into_bytes();
}

/// The path [`shown_from`] names.
fn shown_path(cwd: &Path, path: &Path) -> PathBuf {
    if path.is_relative() {
        // `a/../b` read lexically (a name `--stdin-filename` gives need not exist).
        let mut parts: Vec<Component> = Vec::new();
        for component in path.components() {
            match component {
                Component::CurDir => {}
                Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        return parts.iter().collect();
    }
    let mut base = cwd;
    let mut up = 0;
    loop {
        if let Ok(rest) = path.strip_prefix(base) {
            let mut shown: PathBuf = std::iter::repeat_n(Component::ParentDir, up).collect();
            shown.push(rest);
            if shown.as_os_str().is_empty() {
                shown.push(".");
            }
            return shown;
        }
        match base.parent() {
            // The root alone in common: the absolute path says it better.
            Some(parent) if parent.parent().is_some() => {
                base = parent;
                up += 1;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Whether `path` is a merge backup: `X.orig` beside `X` (what `resolve --backup` and `git
/// mergetool` keep). It holds the conflict it backs up, on purpose: a walk passes over it (named,
/// tracked, staged or committed, it is checked like any file).
pub fn is_merge_backup(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    let Some(original) = bytes.strip_suffix(b".orig") else {
        return false;
    };
    #[cfg(unix)]
    let original = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(original);
    #[cfg(not(unix))]
    let original = std::ffi::OsStr::new(std::str::from_utf8(original).unwrap_or_default());
    !original.is_empty() && std::fs::symlink_metadata(original).is_ok_and(|m| !m.is_dir())
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

/// A path given on the command line as errors name it: `.` stays `.` (its `/`-separated form is
/// empty, which would print as `error: : ...`).
pub fn given_name(path: &Path) -> String {
    match slash_path(path) {
        name if name.is_empty() => ".".to_owned(),
        name => name,
    }
}

#[cfg(test)]
mod tests {
    use super::slash_path;
    use proptest::prelude::*;
    use std::path::{Component, Path};

    /// What `slash_path` meant before its fast path: components joined with `/`.
    fn by_components(path: &Path) -> String {
        path.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    proptest! {
        /// The segment scan says what splitting at every `/` says.
        #[test]
        fn a_clean_slash_path_is_what_splitting_says(text in "[a./é]{0,12}") {
            let split = text.is_empty()
                || (!text.ends_with('/')
                    && text.split('/').all(|segment| !segment.is_empty() && segment != "."));
            prop_assert_eq!(super::is_clean_slash_path(&text), split);
        }
    }

    #[test]
    fn paths_are_shown_as_they_open_from_the_current_directory() {
        let cwd = Path::new("/repo/docs/guides");
        for (path, shown) in [
            ("./a.md", "a.md"),
            ("../x/a.md", "../x/a.md"),
            ("nope/deeper/../../docs/x.md", "docs/x.md"),
            ("a/../../b.md", "../b.md"),
            ("/repo/docs/guides/a.md", "a.md"),
            ("/repo/docs/guides", "."),
            ("/repo/docs/b.md", "../b.md"),
            ("/repo/README.md", "../../README.md"),
            ("/repo", "../.."),
            ("/elsewhere/c.md", "/elsewhere/c.md"),
        ] {
            assert_eq!(super::shown_from(cwd, Path::new(path)), shown, "{path}");
        }
    }

    proptest! {
        #[test]
        fn fast_path_agrees_with_components(text in "[a./]{0,12}") {
            let path = Path::new(&text);
            prop_assume!(!path.is_absolute());
            prop_assert_eq!(slash_path(path), by_components(path));
        }
    }
}
