//! Walking the working tree the way ripgrep does (the `ignore` crate: `.gitignore`, `.ignore`,
//! hidden files, parallel), reading each regular file whole, and never opening anything else.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::{DirEntry, WalkBuilder};

use super::git::{Discovered, RepoContext};
use super::open_dir::OpenDir;
use super::paths::is_clean_slash_path;
pub use super::paths::slash_path;
use crate::text::{looks_binary, BINARY_PROBE};

/// How to walk.
#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// Also walk hidden files and directories (`.git` is always skipped).
    pub hidden: bool,
    /// Ignore `.gitignore`, `.ignore` and Git's exclude files.
    pub no_ignore: bool,
    /// Follow symbolic links.
    pub follow: bool,
    /// Worker threads; 0 picks the number of CPUs.
    pub threads: usize,
    /// Text files larger than this are not read (an error); binary ones are skipped.
    pub max_filesize: u64,
    /// `--exclude`: paths left out, relative to the current directory.
    pub exclude: crate::path_rules::PathPatterns,
    /// `--force-exclude`: leave out excluded paths even when named on the command line.
    pub force_exclude: bool,
}

impl Default for WalkOptions {
    /// What the command line's defaults give: ignore files honoured, hidden files skipped,
    /// 64 MiB.
    fn default() -> Self {
        Self {
            hidden: false,
            no_ignore: false,
            follow: false,
            threads: 0,
            max_filesize: 64 << 20,
            exclude: crate::path_rules::PathPatterns::default(),
            force_exclude: false,
        }
    }
}

/// One path given on the command line, with what is needed to name the files under it.
#[derive(Debug, Clone)]
pub struct Root {
    /// The path as given.
    pub path: PathBuf,
    /// The path made absolute, symbolic links resolved.
    pub canonical: PathBuf,
    /// Whether it is a directory.
    pub is_dir: bool,
    /// Whether it is a regular file (through a symbolic link: the user meant the target).
    pub is_file: bool,
    /// The repository it lies in, if any.
    pub repo: Option<Arc<RepoContext>>,
    /// Why the repository it lies in could not be read (its files are still checked, without
    /// Git's facts: the run reports this and exits 2).
    pub repo_error: Option<String>,
    /// Its path relative to the repository's working directory.
    pub(super) prefix_in_repo: Option<PathBuf>,
    /// `path` as text, and `prefix_in_repo` `/`-separated, for naming walked files without path
    /// arithmetic (see [`Root::name`]).
    pub(super) path_text: Option<String>,
    pub(super) prefix_text: Option<String>,
}

impl Root {
    /// Look at a command-line path: is it a directory, which repository holds it.
    ///
    /// # Errors
    /// When the path does not exist or cannot be inspected.
    pub fn new(path: &Path) -> io::Result<Self> {
        Self::among(path, &mut Discovered::default())
    }

    /// [`Root::new`], reusing the repository contexts earlier roots found (`known`).
    ///
    /// # Errors
    /// As [`Root::new`].
    pub fn among(path: &Path, known: &mut Discovered) -> io::Result<Self> {
        let meta = std::fs::metadata(path)?;
        let canonical = path.canonicalize()?;
        let dir = if meta.is_dir() {
            &canonical
        } else {
            canonical.parent().unwrap_or(&canonical)
        };
        let (repo, repo_error) = match RepoContext::discover_among(dir, known) {
            Ok(repo) => (repo, None),
            Err(error) => (None, Some(error)),
        };
        let prefix_in_repo = repo.as_ref().and_then(|r| {
            canonical
                .strip_prefix(&r.workdir)
                .ok()
                .map(Path::to_path_buf)
        });
        let repo = if prefix_in_repo.is_some() { repo } else { None };
        Ok(Self {
            path: path.to_path_buf(),
            canonical,
            is_dir: meta.is_dir(),
            is_file: meta.is_file(),
            repo,
            repo_error,
            path_text: path.to_str().map(str::to_owned),
            prefix_text: prefix_in_repo.as_deref().map(slash_path),
            prefix_in_repo,
        })
    }

    /// The walked path made absolute (under the root's canonical path), as settings are found.
    #[must_use]
    pub fn absolute(&self, walked: &Path) -> PathBuf {
        let rest = walked.strip_prefix(&self.path).unwrap_or(Path::new(""));
        if rest.as_os_str().is_empty() {
            self.canonical.clone()
        } else {
            self.canonical.join(rest)
        }
    }

    /// How a walked path is named in output, and its repository-relative path if in a repository.
    ///
    /// Inside a repository: relative to its root, so that every scope and every machine output
    /// names a file the same way. Outside: relative to the directory given, or as given for a file.
    #[must_use]
    pub fn name(&self, walked: &Path) -> (String, Option<PathBuf>) {
        self.name_as_text(walked)
            .unwrap_or_else(|| self.name_by_components(walked))
    }

    /// [`Root::name`] for the common case, a clean UTF-8 path the walker built under a directory
    /// root, by string slicing: this runs for every walked file, and path components are slow.
    fn name_as_text(&self, walked: &Path) -> Option<(String, Option<PathBuf>)> {
        let rest = self.rest_as_text(walked)?;
        Some(match self.prefix_text.as_deref() {
            Some("") => (rest.to_owned(), Some(PathBuf::from(rest))),
            Some(prefix) => {
                let mut name = String::with_capacity(prefix.len() + 1 + rest.len());
                name.push_str(prefix);
                name.push('/');
                name.push_str(rest);
                let rel = PathBuf::from(&name);
                (name, Some(rel))
            }
            None => (rest.to_owned(), None),
        })
    }

    /// The part of `walked` below a directory root, when the walk wrote it as clean UTF-8
    /// (`/`-separated, no `.` or empty segment) after the root's path as given.
    fn rest_as_text<'w>(&self, walked: &'w Path) -> Option<&'w str> {
        let root = self.path_text.as_deref().filter(|_| self.is_dir)?;
        let rest = walked.to_str()?.strip_prefix(root)?;
        let rest = if root.ends_with('/') {
            rest
        } else {
            rest.strip_prefix('/')?
        };
        (!rest.is_empty() && is_clean_slash_path(rest)).then_some(rest)
    }

    /// The directory of the walked entry `walked`, made absolute: the parent of
    /// [`Root::absolute`]'s path, by string slicing in the common case (as [`Root::name`]), as
    /// settings are found once per directory walked.
    #[must_use]
    pub fn absolute_dir(&self, walked: &Path) -> Option<PathBuf> {
        let Some(rest) = self.rest_as_text(walked) else {
            return self.absolute(walked).parent().map(Path::to_path_buf);
        };
        let Some(cut) = rest.rfind('/') else {
            return Some(self.canonical.clone());
        };
        let mut dir = self.canonical.clone().into_os_string();
        if !dir.as_encoded_bytes().ends_with(b"/") {
            dir.push("/");
        }
        dir.push(&rest[..cut]);
        Some(PathBuf::from(dir))
    }

    fn name_by_components(&self, walked: &Path) -> (String, Option<PathBuf>) {
        let rest = walked.strip_prefix(&self.path).unwrap_or(walked);
        match &self.prefix_in_repo {
            Some(prefix) => {
                let rel = if self.is_dir {
                    prefix.join(rest)
                } else {
                    prefix.clone()
                };
                (slash_path(&rel), Some(rel))
            }
            None if self.is_dir => (slash_path(rest), None),
            None => (slash_path(&self.path), None),
        }
    }

    /// Whether the repository-relative `path` of the repository at `workdir` lies under this root.
    #[must_use]
    pub fn covers(&self, workdir: &Path, path: &str) -> bool {
        let (Some(repo), Some(prefix)) = (&self.repo, &self.prefix_in_repo) else {
            return false;
        };
        if repo.workdir != workdir {
            return false;
        }
        let prefix = slash_path(prefix);
        if !self.is_dir {
            return path == prefix;
        }
        prefix.is_empty()
            || path == prefix
            || path
                .strip_prefix(prefix.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// A parallel walker over this root.
    #[must_use]
    pub fn walker(&self, options: &WalkOptions) -> ignore::WalkParallel {
        let mut builder = WalkBuilder::new(&self.path);
        builder
            .hidden(!options.hidden)
            .ignore(!options.no_ignore)
            .git_ignore(!options.no_ignore)
            .git_exclude(!options.no_ignore)
            .git_global(!options.no_ignore)
            .parents(!options.no_ignore)
            .follow_links(options.follow)
            .threads(options.threads)
            .filter_entry(|entry| entry.file_name() != ".git");
        builder.build_parallel()
    }
}

/// What reading one walked entry gave.
#[derive(Debug, PartialEq, Eq)]
pub enum FileRead {
    /// A regular text file; its bytes are in the buffer passed in.
    Text,
    /// UTF-16 text, decoded to UTF-8 in the buffer passed in (not the file's own bytes).
    Decoded,
    /// Not read, on purpose.
    Skipped(SkipReason),
}

/// Why a file was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// A NUL byte in the first 8000 bytes (Git's own test for binary content).
    Binary,
    /// A text file larger than `--max-filesize`: not checked, which is an error.
    TooLarge(u64),
    /// A FIFO, socket or device: opening it could block or have effects.
    NotRegular,
    /// A directory or a symbolic link that is not followed.
    NotAFile,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Binary => f.write_str("binary file (NUL byte in its first 8000 bytes)"),
            Self::TooLarge(size) => write!(
                f,
                "not checked: a text file larger than --max-filesize ({size} bytes), which may \
                 hide a conflict; raise --max-filesize to check it"
            ),
            Self::NotRegular => {
                f.write_str("not a regular file (FIFO, socket or device); not opened")
            }
            Self::NotAFile => f.write_str("not a file"),
        }
    }
}

/// A file over the size limit: binary (skipped like any binary file) or text too large to check
/// (an error: what is not read may hide a conflict), told by its first bytes alone.
fn too_large(file: File, size: u64, buffer: &mut Vec<u8>) -> io::Result<FileRead> {
    file.take(BINARY_PROBE as u64).read_to_end(buffer)?;
    Ok(FileRead::Skipped(probe_large(buffer, size)))
}

/// `too_large` on the first bytes of a file of `size` bytes.
#[must_use]
pub fn probe_large(first_bytes: &[u8], size: u64) -> SkipReason {
    // UTF-16 text has NUL bytes too, and is text too large to check.
    if looks_binary(first_bytes) && !crate::utf16::could_be(first_bytes) {
        SkipReason::Binary
    } else {
        SkipReason::TooLarge(size)
    }
}

/// Read a walked entry into `buffer` if it is a regular file, without ever opening anything else.
///
/// # Errors
/// When the file cannot be opened or read.
pub fn read_entry(
    entry: &DirEntry,
    max_filesize: u64,
    buffer: &mut Vec<u8>,
    opener: &mut OpenDir,
) -> io::Result<FileRead> {
    let file_type = if entry.depth() == 0 {
        // A path named on the command line: look through symlinks, as the user meant the target.
        Some(std::fs::metadata(entry.path())?.file_type())
    } else {
        entry.file_type()
    };
    let Some(file_type) = file_type else {
        return Ok(FileRead::Skipped(SkipReason::NotAFile));
    };
    if file_type.is_dir() || file_type.is_symlink() {
        return Ok(FileRead::Skipped(SkipReason::NotAFile));
    }
    if !file_type.is_file() {
        return Ok(FileRead::Skipped(SkipReason::NotRegular));
    }
    read_regular_file(entry.path(), max_filesize, buffer, opener)
}

/// The size of the first `read` of a walked file: most documentation files fit.
const FIRST_READ: usize = 16 << 10;

thread_local! {
    /// Where [`read_regular_file`] makes its first `read`.
    static FIRST_BLOCK: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Read a file the walk already knows is regular: a small one (up to 1 MiB, most files) with no
/// `stat`, its size coming from the reads; a larger one as [`read_file`] does.
///
/// # Errors
/// When the file cannot be opened or read.
pub fn read_regular_file(
    path: &Path,
    max_filesize: u64,
    buffer: &mut Vec<u8>,
    opener: &mut OpenDir,
) -> io::Result<FileRead> {
    const SMALL: u64 = 1 << 20;
    buffer.clear();
    let limit = SMALL.min(max_filesize);
    let mut file = opener.open(path)?;
    if read_start(&mut file, limit, buffer)? {
        return Ok(FileRead::Skipped(SkipReason::Binary));
    }
    if buffer.len() as u64 > limit {
        drop(file);
        return read_file(path, max_filesize, buffer);
    }
    Ok(text_or_binary(buffer))
}

/// Read `reader` into `buffer` up to `limit` bytes and one more (to tell a file over the limit);
/// `true` when its first block already shows a binary file, whose rest is not read.
///
/// The first `read` goes to a scratch block that stays initialised for the thread's life (a fresh
/// one would be zeroed for every file, which cost more than the read). Reading goes on until a
/// `read` returns 0: a shorter `read` than asked is not the end of a file on every file system
/// (FUSE, NFS, 9p and SMB may return less), and a file's file system need not be its
/// directory's (a symlink or a bind mount may lead to another).
fn read_start(reader: &mut impl Read, limit: u64, buffer: &mut Vec<u8>) -> io::Result<bool> {
    let first = usize::try_from(limit + 1).map_or(FIRST_READ, |l| l.min(FIRST_READ));
    let got = FIRST_BLOCK.with_borrow_mut(|block| {
        block.resize(FIRST_READ, 0);
        let got = loop {
            match reader.read(&mut block[..first]) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                result => break result,
            }
        }?;
        buffer.extend_from_slice(&block[..got]);
        io::Result::Ok(got)
    })?;
    if got == 0 {
        return Ok(false);
    }
    // A binary file is known by its first bytes.
    if got == first && looks_binary(buffer) && !crate::utf16::could_be(buffer) {
        return Ok(true);
    }
    reader.take(limit + 1 - got as u64).read_to_end(buffer)?;
    Ok(false)
}

/// Read a regular file whole into `buffer` (cleared first; reusing one buffer per thread spares an
/// allocation and fresh pages per file), skipping it when it is too large or binary.
///
/// # Errors
/// When the file cannot be opened or read.
pub fn read_file(path: &Path, max_filesize: u64, buffer: &mut Vec<u8>) -> io::Result<FileRead> {
    buffer.clear();
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(FileRead::Skipped(SkipReason::NotRegular));
    }
    if meta.len() > max_filesize {
        return too_large(file, meta.len(), buffer);
    }
    buffer.reserve(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    // A file may grow while it is read: never read past the limit.
    (&file)
        .take(max_filesize.saturating_add(1))
        .read_to_end(buffer)?;
    if buffer.len() as u64 > max_filesize {
        let size = buffer.len() as u64;
        buffer.truncate(BINARY_PROBE);
        return Ok(FileRead::Skipped(probe_large(buffer, size)));
    }
    Ok(text_or_binary(buffer))
}

/// Text, or a skipped binary file: UTF-16 text (a `working-tree-encoding` checkout) is checked
/// as the UTF-8 Git merged, in `buffer`.
pub(super) fn text_or_binary(buffer: &mut Vec<u8>) -> FileRead {
    if !looks_binary(buffer) {
        return FileRead::Text;
    }
    match crate::utf16::to_utf8(buffer) {
        Some(text) => {
            *buffer = text;
            FileRead::Decoded
        }
        None => FileRead::Skipped(SkipReason::Binary),
    }
}

#[cfg(test)]
mod tests {
    use super::{read_file, read_regular_file, read_start, FileRead, OpenDir, Root, SkipReason};
    use std::io::Read;
    use std::path::Path;

    /// A file system that returns at most a few bytes per `read` (as FUSE, NFS or 9p may).
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(out.len()).min(4093);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// UTF-16 text over the size limit is text not checked (an error), not a binary file.
    #[test]
    fn utf16_text_over_the_limit_is_too_large_not_binary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("u16.md");
        let text = "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n".repeat(1000);
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        std::fs::write(&path, &bytes).unwrap();
        for max in [100, 20 << 10] {
            let mut buffer = Vec::new();
            let read = read_regular_file(&path, max, &mut buffer, &mut OpenDir::default()).unwrap();
            assert!(
                matches!(read, FileRead::Skipped(SkipReason::TooLarge(_))),
                "{read:?}"
            );
            let read = read_file(&path, max, &mut buffer).unwrap();
            assert!(
                matches!(read, FileRead::Skipped(SkipReason::TooLarge(_))),
                "{read:?}"
            );
        }
    }

    /// A file reached through a symlink (or a bind mount) may lie on a file system that returns
    /// short reads although its directory's does not: it is read to the end all the same.
    /// (`/proc/self/smaps` returns a page or so per read; found by a hostile review, where a
    /// conflict in a FUSE file behind a symlink on ext4 went unreported.)
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_behind_a_symlink_is_read_to_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("smaps.md");
        std::os::unix::fs::symlink("/proc/self/smaps", &link).unwrap();
        let mut buffer = Vec::new();
        let read = read_regular_file(&link, 1 << 20, &mut buffer, &mut OpenDir::default()).unwrap();
        assert!(
            matches!(read, FileRead::Text | FileRead::Decoded),
            "{read:?}"
        );
        // Far more than one read's worth: each mapping takes some twenty lines.
        assert!(buffer.len() > 16 << 10, "{} bytes", buffer.len());
    }

    /// A short `read` is not the end of the file: everything is read, conflicts at the end too.
    #[test]
    fn short_reads_are_read_on() {
        for size in [0, 1, 4093, 4094, 16 << 10, 40_000, (1 << 20) + 5] {
            let text: Vec<u8> = (0..size).map(|i| b"ab\n<"[i % 4]).collect();
            let mut buffer = Vec::new();
            let binary = read_start(&mut Trickle(&text), 1 << 20, &mut buffer).unwrap();
            assert!(!binary);
            assert_eq!(buffer.len(), size.min((1 << 20) + 1), "size {size}");
            assert_eq!(buffer[..], text[..buffer.len()]);
        }
    }

    /// Naming by text gives what naming by path components gives, inside a repository and out,
    /// for roots written every way a user writes them.
    #[test]
    fn names_by_text_as_by_components() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("sub/deep")).unwrap();
        git2::Repository::init(&repo).unwrap();
        std::fs::create_dir_all(dir.path().join("plain/x")).unwrap();
        let roots = [
            repo.clone(),
            repo.join("sub"),
            repo.join("sub/"),
            repo.join("sub/./deep"),
            dir.path().join("plain"),
            dir.path().join("plain/"),
        ];
        for root_path in roots {
            let root = Root::new(&root_path).unwrap();
            let walked_under = |rest: &str| root_path.join(rest);
            for rest in [
                "a.md",
                "deep/b c.md",
                "x/./y.md",
                "ü/ß.md",
                "d/e/f.md",
                "x//y.md",
            ] {
                let walked = walked_under(rest);
                assert_eq!(
                    root.name(&walked),
                    root.name_by_components(&walked),
                    "{} under {}",
                    rest,
                    root_path.display()
                );
                let dir = root.absolute(&walked).parent().map(Path::to_path_buf);
                assert_eq!(root.absolute_dir(&walked), dir, "{rest}");
            }
            let other = Path::new("elsewhere/z.md");
            assert_eq!(root.name(other), root.name_by_components(other));
            let dir = root.absolute(other).parent().map(Path::to_path_buf);
            assert_eq!(root.absolute_dir(other), dir);
        }
    }

    /// The one-`read` path gives what the `stat`-first path gives, at every size around its
    /// buffer and limits.
    #[test]
    fn one_read_agrees_with_stat_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        let sizes = [
            0,
            1,
            9,
            10,
            11,
            16 << 10,
            (16 << 10) + 1,
            (16 << 10) - 1,
            1 << 20,
        ];
        for size in sizes.into_iter().chain([(1 << 20) + 1, 3 << 20]) {
            for pattern in [&b"ab\n<"[..], b"\x00\x01\x02\x00\xff"] {
                let text: Vec<u8> = (0..size).map(|i| pattern[i % pattern.len()]).collect();
                std::fs::write(&path, &text).unwrap();
                for max in [10, 16 << 10, 2 << 20, 64 << 20] {
                    let (mut fast, mut slow) = (vec![7; 3], Vec::new());
                    let a =
                        read_regular_file(&path, max, &mut fast, &mut OpenDir::default()).unwrap();
                    let b = read_file(&path, max, &mut slow).unwrap();
                    let same = match (&a, &b) {
                        (FileRead::Text, FileRead::Text)
                        | (FileRead::Decoded, FileRead::Decoded) => fast == slow && fast == text,
                        (FileRead::Skipped(x), FileRead::Skipped(y)) => x == y,
                        _ => false,
                    };
                    assert!(same, "size {size}, max {max}: {a:?} vs {b:?}");
                    if size as u64 > max && pattern[0] != 0 {
                        assert!(matches!(a, FileRead::Skipped(SkipReason::TooLarge(_))));
                    }
                }
            }
        }
    }
}
