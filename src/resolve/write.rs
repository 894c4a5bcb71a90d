//! Writing a resolved file without ever leaving a half-written one: a temporary file in the same
//! directory, `fsync`, the original's permissions, then `rename` over it (atomic on POSIX), then
//! `fsync` of the directory. The bytes written are the file's own bytes with the conflict blocks
//! replaced, so line endings, BOM and the final newline are kept as they were.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file was not written. Nothing was changed on disk in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The path is a symbolic link (writing through it could change a file elsewhere).
    #[error("{}: is a symbolic link; resolve the file it points to instead", path.display())]
    Symlink {
        /// The path.
        path: PathBuf,
    },
    /// The path is not a regular file.
    #[error("{}: not a regular file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The file changed between reading and writing.
    #[error("{}: changed on disk since it was read; nothing written, run again", path.display())]
    Changed {
        /// The path.
        path: PathBuf,
    },
    /// `--backup` would overwrite a file already there.
    #[error("{}: the backup {} already exists; move it away first; nothing written", path.display(), backup.display())]
    BackupExists {
        /// The path.
        path: PathBuf,
        /// The backup's path.
        backup: PathBuf,
    },
    /// The new file could not be given the original's owner and group (writing as another user
    /// who may not change them): writing would change who owns the file.
    #[error(
        "{}: owned by uid {uid}, gid {gid}, which this user cannot give the new file; nothing written",
        path.display()
    )]
    Owner {
        /// The path.
        path: PathBuf,
        /// The original owner.
        uid: u32,
        /// The original group.
        gid: u32,
    },
    /// An I/O failure while preparing or writing.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a write noticed, for the caller to tell the user.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Temporary files of mergemark runs that were killed, left in the directory (never removed:
    /// a name is no proof that mergemark wrote the file).
    pub stale_temporaries: Vec<PathBuf>,
    /// Other names (hard links) the original had: they still show the old content, since an
    /// atomic write replaces the file rather than its content.
    pub other_links: u64,
}

/// Replace `path`, whose content was `original` when read, with `new`; with `backup`, keep the
/// original as `path.orig` first. The new file keeps the original's permissions, owner and group.
///
/// # Errors
/// When the path is a symlink or not a file, changed since it was read, its owner cannot be kept,
/// or any step fails; the original file is then untouched (a failed temporary file is removed).
pub fn replace_file(
    path: &Path,
    original: &[u8],
    new: &[u8],
    backup: bool,
) -> Result<Written, WriteError> {
    let meta = fs::symlink_metadata(path).map_err(io(path))?;
    if meta.file_type().is_symlink() {
        return Err(WriteError::Symlink {
            path: path.to_path_buf(),
        });
    }
    if !meta.is_file() {
        return Err(WriteError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    if fs::read(path).map_err(io(path))? != original {
        return Err(WriteError::Changed {
            path: path.to_path_buf(),
        });
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let written = Written {
        stale_temporaries: stale_temporaries(&dir),
        other_links: links(&meta).saturating_sub(1),
    };
    if backup {
        let mut orig = path.as_os_str().to_owned();
        orig.push(".orig");
        let orig = PathBuf::from(orig);
        // Never over a file of the same name (a user's, or one `git mergetool` left).
        if fs::symlink_metadata(&orig).is_ok() {
            return Err(WriteError::BackupExists {
                path: path.to_path_buf(),
                backup: orig,
            });
        }
        write_atomically(&dir, &orig, original, &meta)?;
    }
    write_atomically(&dir, path, new, &meta)?;
    Ok(written)
}

#[cfg(unix)]
fn links(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_meta: &fs::Metadata) -> u64 {
    1
}

/// Temporary files are named `.mergemark-<pid>-<random>.tmp`: the process id tells a later run
/// whether the writer is gone.
const TEMP_PREFIX: &str = ".mergemark-";

/// The temporary files in `dir` that a killed run seems to have left (named as ours, whose process
/// no longer runs; where `/proc` cannot tell, those older than a day). They are reported, never
/// removed: a user's own file may carry such a name.
#[must_use]
pub fn stale_temporaries(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let proc_fs = Path::new("/proc/self").exists();
    let mut stale = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TEMP_PREFIX))
            .filter(|n| n.ends_with(".tmp"))
            .and_then(|n| n.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let gone = if proc_fs {
            pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists()
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600)
        };
        if gone && entry.file_type().is_ok_and(|t| t.is_file()) {
            stale.push(entry.path());
        }
    }
    stale.sort();
    stale
}

fn write_atomically(
    dir: &Path,
    path: &Path,
    bytes: &[u8],
    like: &fs::Metadata,
) -> Result<(), WriteError> {
    write_atomically_with(dir, path, bytes, like, |file, bytes| file.write_all(bytes))
}

/// The atomic write with the byte-writing step given, so tests can make it fail part-way (a
/// full disk) and check that the original is untouched and no temporary file is left.
fn write_atomically_with(
    dir: &Path,
    path: &Path,
    bytes: &[u8],
    like: &fs::Metadata,
    write: impl FnOnce(&mut fs::File, &[u8]) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    // `.mergemark-*.tmp` in the same directory: a crash can leave one behind, never a torn file.
    // On an error the temporary file is removed when `temp` is dropped.
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io(path))?;
    write(temp.as_file_mut(), bytes).map_err(io(path))?;
    temp.as_file().sync_all().map_err(io(path))?;
    keep_owner(temp.as_file(), path, like)?;
    fs::set_permissions(temp.path(), like.permissions()).map_err(io(path))?;
    temp.persist(path).map_err(|e| WriteError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    // Make the rename itself durable.
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Give `file` the owner and group of `like` (the original), as `chown` allows: root may give any,
/// a user only its own uid and a group it belongs to. When the result would differ from the
/// original, nothing is written.
#[cfg(unix)]
fn keep_owner(file: &fs::File, path: &Path, like: &fs::Metadata) -> Result<(), WriteError> {
    use std::os::unix::fs::MetadataExt;
    let (uid, gid) = (like.uid(), like.gid());
    let current = file.metadata().map_err(io(path))?;
    if (current.uid(), current.gid()) == (uid, gid) {
        return Ok(());
    }
    if std::os::unix::fs::fchown(file, Some(uid), Some(gid)).is_ok() {
        return Ok(());
    }
    Err(WriteError::Owner {
        path: path.to_path_buf(),
        uid,
        gid,
    })
}

#[cfg(not(unix))]
fn keep_owner(_file: &fs::File, _path: &Path, _like: &fs::Metadata) -> Result<(), WriteError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_keeping_mode_and_refuses_changed_files() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("a.md");
        fs::write(&path, b"old\r\n").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        replace_file(&path, b"old\r\n", b"new\r\n", true).expect("replaced");
        assert_eq!(fs::read(&path).expect("read"), b"new\r\n");
        assert_eq!(
            fs::read(dir.path().join("a.md.orig")).expect("backup"),
            b"old\r\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        let error = replace_file(&path, b"old\r\n", b"x", false).expect_err("changed since read");
        assert!(matches!(error, WriteError::Changed { .. }));
        assert_eq!(fs::read(&path).expect("read"), b"new\r\n");
        // No temporary file is left behind.
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn a_backup_never_overwrites_a_file() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("a.md");
        fs::write(&path, b"old").expect("write");
        fs::write(dir.path().join("a.md.orig"), b"precious").expect("write");
        let error = replace_file(&path, b"old", b"new", true).expect_err("refused");
        assert!(matches!(error, WriteError::BackupExists { .. }), "{error}");
        assert_eq!(fs::read(&path).expect("read"), b"old");
        assert_eq!(
            fs::read(dir.path().join("a.md.orig")).expect("read"),
            b"precious"
        );
    }

    #[test]
    fn a_failing_write_leaves_the_original_and_no_temporary_file() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("a.md");
        fs::write(&path, b"original\n").expect("write");
        let like = fs::metadata(&path).expect("meta");
        // The disk fills up after 4 bytes.
        let result =
            write_atomically_with(dir.path(), &path, b"replacement\n", &like, |file, bytes| {
                file.write_all(&bytes[..4])?;
                Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left on device",
                ))
            });
        assert!(matches!(result, Err(WriteError::Io { .. })));
        assert!(result
            .expect_err("failed")
            .to_string()
            .contains("no space left on device"));
        assert_eq!(fs::read(&path).expect("read"), b"original\n");
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.md"]);
    }

    #[test]
    fn a_failing_rename_leaves_the_original_and_no_temporary_file() {
        let dir = tempfile::tempdir().expect("a directory");
        // Renaming a file over a non-empty directory fails (EISDIR / ENOTEMPTY): a real failure
        // at the last step.
        let target = dir.path().join("target");
        fs::create_dir(&target).expect("mkdir");
        fs::write(target.join("inside.md"), b"kept\n").expect("write");
        let like = fs::metadata(&target).expect("meta");
        let result = write_atomically(dir.path(), &target, b"new\n", &like);
        assert!(matches!(result, Err(WriteError::Io { .. })), "{result:?}");
        assert_eq!(fs::read(target.join("inside.md")).expect("read"), b"kept\n");
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["target"]);
    }

    #[test]
    fn stale_temporaries_are_reported_never_removed() {
        let dir = tempfile::tempdir().expect("a directory");
        // pid 0 never names a user process: a run that was killed, or a user's file so named.
        let stale = dir.path().join(".mergemark-0-abc123.tmp");
        let mine = dir
            .path()
            .join(format!(".mergemark-{}-x.tmp", std::process::id()));
        let other = dir.path().join(".mergemark-notes.tmp");
        for path in [&stale, &mine, &other] {
            fs::write(path, b"partial").expect("write");
        }
        assert_eq!(stale_temporaries(dir.path()), std::slice::from_ref(&stale));
        let target = dir.path().join("a.md");
        fs::write(&target, b"old").expect("write");
        let written = replace_file(&target, b"old", b"new", false).expect("written");
        assert_eq!(written.stale_temporaries, std::slice::from_ref(&stale));
        assert!(stale.exists() && mine.exists() && other.exists());
    }

    #[cfg(unix)]
    #[test]
    fn hard_links_are_counted_for_the_caller() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("a.md");
        fs::write(&path, b"old").expect("write");
        fs::hard_link(&path, dir.path().join("b.md")).expect("link");
        let written = replace_file(&path, b"old", b"new", false).expect("written");
        assert_eq!(written.other_links, 1);
        assert_eq!(fs::read(dir.path().join("b.md")).expect("read"), b"old");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks() {
        let dir = tempfile::tempdir().expect("a directory");
        let target = dir.path().join("t.md");
        fs::write(&target, b"x").expect("write");
        let link = dir.path().join("l.md");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        assert!(matches!(
            replace_file(&link, b"x", b"y", false),
            Err(WriteError::Symlink { .. })
        ));
        assert_eq!(fs::read(&target).expect("read"), b"x");
    }
}
