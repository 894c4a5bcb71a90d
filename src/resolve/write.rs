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

/// Replace `path`, whose content was `original` when read, with `new`; with `backup`, keep the
/// original as `path.orig` first.
///
/// # Errors
/// When the path is a symlink or not a file, changed since it was read, or any step fails; the
/// original file is then untouched (a failed temporary file is removed).
pub fn replace_file(
    path: &Path,
    original: &[u8],
    new: &[u8],
    backup: bool,
) -> Result<(), WriteError> {
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
    if backup {
        let mut orig = path.as_os_str().to_owned();
        orig.push(".orig");
        write_atomically(&dir, Path::new(&orig), original, &meta.permissions())?;
    }
    write_atomically(&dir, path, new, &meta.permissions())
}

fn write_atomically(
    dir: &Path,
    path: &Path,
    bytes: &[u8],
    permissions: &fs::Permissions,
) -> Result<(), WriteError> {
    write_atomically_with(dir, path, bytes, permissions, |file, bytes| {
        file.write_all(bytes)
    })
}

/// The atomic write with the byte-writing step given, so tests can make it fail part-way (a
/// full disk) and check that the original is untouched and no temporary file is left.
fn write_atomically_with(
    dir: &Path,
    path: &Path,
    bytes: &[u8],
    permissions: &fs::Permissions,
    write: impl FnOnce(&mut fs::File, &[u8]) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    // `.mergemark-*.tmp` in the same directory: a crash can leave one behind, never a torn file.
    // On an error the temporary file is removed when `temp` is dropped.
    let mut temp = tempfile::Builder::new()
        .prefix(".mergemark-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io(path))?;
    write(temp.as_file_mut(), bytes).map_err(io(path))?;
    temp.as_file().sync_all().map_err(io(path))?;
    fs::set_permissions(temp.path(), permissions.clone()).map_err(io(path))?;
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
    fn a_failing_write_leaves_the_original_and_no_temporary_file() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("a.md");
        fs::write(&path, b"original\n").expect("write");
        let permissions = fs::metadata(&path).expect("meta").permissions();
        // The disk fills up after 4 bytes.
        let result = write_atomically_with(
            dir.path(),
            &path,
            b"replacement\n",
            &permissions,
            |file, bytes| {
                file.write_all(&bytes[..4])?;
                Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left on device",
                ))
            },
        );
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
