//! Git attributes as Git reads them for conflict markers: which `conflict-marker-size` a file
//! has, which sizes any attribute file of a repository sets (the prefilter's smallest size), and
//! the attribute lines libgit2 would read apart from Git.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use git2::{AttrCheckFlags, Repository};
use regex::bytes::Regex;

use super::repo;
use crate::conflict::DEFAULT_MARKER_SIZE;

static MARKER_SIZE_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"conflict-marker-size=(\S+)").expect("the attribute pattern is valid")
});

/// The smallest marker size set by the attribute files the repository uses (tracked
/// `.gitattributes`, the top-level one, `info/attributes`, the global file), or 7.
///
/// Only the prefilter depends on this: the size of each file that holds marker-like runs is asked of
/// git2 directly, so an untracked `.gitattributes` is honoured too, unless it sets a size below 7.
pub(super) fn scan_attribute_sources(
    repo: &Repository,
    attribute_files: &[(Vec<u8>, git2::Oid)],
    workdir: &Path,
) -> (Vec<usize>, Vec<(PathBuf, String)>) {
    // `info/attributes` is the common directory's: a linked worktree shares it.
    let mut files: Vec<PathBuf> = vec![repo.commondir().join("info").join("attributes")];
    if let Ok(config) = repo.config() {
        if let Ok(path) = config.get_path("core.attributesFile") {
            files.push(path);
        }
    }
    if let Some(home) = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
    {
        files.push(home.join("git").join("attributes"));
    }
    files.push(workdir.join(".gitattributes"));
    // libgit2's system attribute file (Git's `$(prefix)/etc/gitattributes`).
    files.push(PathBuf::from("/etc/gitattributes"));
    let mut sizes = vec![DEFAULT_MARKER_SIZE];
    for (path, id) in attribute_files {
        if let Ok(rel) = std::str::from_utf8(path) {
            files.push(workdir.join(rel));
        }
        // The staged version too: what `--staged` reads attributes from, whatever the
        // working tree's copy says now.
        if let Ok(blob) = repo.find_blob(*id) {
            sizes.extend(sizes_set_in(blob.content()));
        }
    }
    let mut texts = Vec::new();
    for file in files {
        if let Ok(bytes) = std::fs::read(&file) {
            sizes.extend(sizes_set_in(&bytes));
            texts.push((file, bytes));
        }
    }
    sizes.sort_unstable();
    sizes.dedup();
    // A size is set somewhere: any line Git and libgit2 read apart may be where (a macro can
    // carry it to a quoted pattern).
    let mut problems = Vec::new();
    if sizes.len() > 1
        || texts
            .iter()
            .any(|(_, t)| memchr::memmem::find(t, b"conflict-marker-size").is_some())
    {
        for (file, bytes) in &texts {
            problems.extend(
                misread_attribute_lines(bytes)
                    .into_iter()
                    .map(|problem| (file.clone(), problem)),
            );
        }
    }
    (sizes, problems)
}

/// The `conflict-marker-size` values an attribute file sets, read as Git reads them.
#[must_use]
pub fn sizes_set_in(attributes: &[u8]) -> Vec<usize> {
    MARKER_SIZE_ATTR
        .captures_iter(attributes)
        .map(|caps| marker_size_from_value(&String::from_utf8_lossy(&caps[1])))
        .collect()
}

/// The lines of an attribute file that libgit2, which reads attributes for mergemark, does not
/// read as Git does: Git ignores a line of 2048 bytes or more, and reads a pattern in double
/// quotes with C escapes. In a repository that sets a `conflict-marker-size` (directly, or through
/// a macro such a line may name), mergemark could then look for markers of another size than Git
/// writes, so the run says so (exit 2) rather than guess.
fn misread_attribute_lines(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter_map(|(i, line)| {
            let number = i + 1;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            // Git's ATTR_MAX_LINE_LENGTH: a line of 2048 bytes or more is ignored.
            if line.len() >= 2048 {
                Some(format!(
                    "line {number} is 2048 bytes or longer: Git ignores it, mergemark's attribute \
                     reader does not, and a conflict-marker-size is set in this repository; \
                     shorten it"
                ))
            } else if line.trim_ascii_start().starts_with(b"\"") {
                Some(format!(
                    "line {number} has a quoted pattern, which mergemark's attribute reader \
                     (libgit2) does not read as Git does, and a conflict-marker-size is set in \
                     this repository; write the pattern without quotes"
                ))
            } else {
                None
            }
        })
        .collect()
}

/// Whether a `.gitattributes` in the working tree on the way from `workdir` to the file `rel`
/// (its directory and each above it, tracked or not) mentions `conflict-marker-size`. With
/// [`RepoContext::sizes_unset`], a file none of them sets a size for has size 7, and libgit2 need
/// not read the whole index to say so.
#[must_use]
pub fn chain_sets_size(workdir: &Path, rel: &Path) -> bool {
    rel.ancestors().skip(1).any(|dir| {
        std::fs::read(workdir.join(dir).join(".gitattributes"))
            .is_ok_and(|bytes| memchr::memmem::find(&bytes, b"conflict-marker-size").is_some())
    })
}

/// The `conflict-marker-size` of `rel_path` (repository-relative), read as Git reads it.
#[must_use]
pub fn marker_size(repo: &Repository, rel_path: &Path) -> usize {
    marker_size_from(repo, rel_path, AttrCheckFlags::FILE_THEN_INDEX)
}

/// The `conflict-marker-size` of `rel_path` with the attributes read from `flags`' sources (the
/// index alone for staged content), read as Git reads it, or 7.
#[must_use]
pub fn marker_size_from(repo: &Repository, rel_path: &Path, flags: AttrCheckFlags) -> usize {
    // Handles are opened without the index; attributes read from it need the one Git reads
    // (a split or sparse index is installed by `repo::index`).
    let _ = repo::index(repo);
    repo.get_attr(rel_path, "conflict-marker-size", flags)
        .ok()
        .flatten()
        .map_or(DEFAULT_MARKER_SIZE, marker_size_from_value)
}

/// A `conflict-marker-size` value read exactly as Git reads it (`ll_merge_marker_size`): C's
/// `atoi` (leading whitespace and a sign skipped, digits up to the first other character, an
/// out-of-range value saturated as `strtol` does, then cut to a 32-bit `int`), and 7 unless the
/// result is positive. So `9abc` is 9, `-3`, `0` and `junk` are 7, and `4294967303` is 7 too:
/// Git writes 7-character markers for it, and so this reads them.
#[must_use]
pub fn marker_size_from_value(value: &str) -> usize {
    let bytes = value.as_bytes();
    let mut at = bytes
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .count();
    let negative = match bytes.get(at) {
        Some(b'-') => {
            at += 1;
            true
        }
        Some(b'+') => {
            at += 1;
            false
        }
        _ => false,
    };
    // strtol's `long` is 64 bits here (as on every platform Git's tests run on but Windows).
    let limit = i128::from(i64::MAX) + 1;
    let mut magnitude: i128 = 0;
    for digit in bytes[at..].iter().take_while(|b| b.is_ascii_digit()) {
        magnitude = (magnitude * 10 + i128::from(digit - b'0')).min(limit + 1);
    }
    let long: i64 = if negative {
        i64::try_from(-magnitude).unwrap_or(i64::MIN)
    } else {
        i64::try_from(magnitude).unwrap_or(i64::MAX)
    };
    // The cast to `int` keeps the low 32 bits, as C does on two's-complement machines.
    #[allow(clippy::cast_possible_truncation)]
    let int = long as i32;
    usize::try_from(int)
        .ok()
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_MARKER_SIZE)
}

#[cfg(test)]
mod tests {
    use super::marker_size_from_value as size;

    #[test]
    fn attribute_lines_git_reads_otherwise_are_named() {
        let long = format!("*.md conflict-marker-size=12 {}\n", "x".repeat(2100));
        let text =
            format!("*.txt conflict-marker-size=9\n\"a b.md\" conflict-marker-size=12\n{long}");
        let problems = super::misread_attribute_lines(text.as_bytes());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("line 2 ") && problems[0].contains("quoted"));
        assert!(problems[1].starts_with("line 3 ") && problems[1].contains("2048"));
    }

    #[test]
    fn marker_sizes_read_as_git_reads_them() {
        for (value, expected) in [
            ("9", 9),
            ("  9", 9),
            ("+9", 9),
            ("9abc", 9),
            ("09", 9),
            ("0", 7),
            ("-3", 7),
            ("", 7),
            ("junk", 7),
            ("[internal]__TRUE__", 7),
            ("2147483647", 2_147_483_647),
            ("2147483648", 7),
            ("4294967303", 7),
            ("4294967305", 9),
            ("-4294967287", 9),
            ("99999999999999999999", 7),
            ("-99999999999999999999", 7),
        ] {
            assert_eq!(size(value), expected, "{value:?}");
        }
    }
}
