//! Opening walked files relative to their directory. The walk hands a thread the files of one
//! directory together; holding that directory open and opening each file by its name (`openat`)
//! makes the kernel look up one name per file instead of every component of its path, which was a
//! tenth of the CPU time of a walk over small files (`perf`: `__d_lookup_rcu`, `link_path_walk`).

use std::fs::File;
use std::io;
use std::path::Path;

/// The directory a walker thread last opened a file in, kept open.
#[derive(Default)]
pub struct OpenDir {
    #[cfg(unix)]
    last: Option<Held>,
}

/// A held directory: its path and its descriptor.
#[cfg(unix)]
struct Held {
    path: Vec<u8>,
    fd: std::os::fd::OwnedFd,
}

impl OpenDir {
    /// Open the file at `path` for reading, as `File::open` would.
    ///
    /// # Errors
    /// When the file cannot be opened.
    pub fn open(&mut self, path: &Path) -> io::Result<File> {
        #[cfg(unix)]
        if let Some(opened) = self.open_in_dir(path) {
            return opened;
        }
        File::open(path)
    }

    /// Open `path` by its name in its (held) directory; `None` when the path has no directory
    /// part or the directory cannot be held open (then the whole path is opened).
    #[cfg(unix)]
    fn open_in_dir(&mut self, path: &Path) -> Option<io::Result<File>> {
        use rustix::fs::{Mode, OFlags};
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;

        let (dir, name) = split(path)?;
        let held = self.hold(dir)?;
        let flags = OFlags::RDONLY | OFlags::CLOEXEC;
        Some(
            rustix::fs::openat(held, OsStr::from_bytes(name), flags, Mode::empty())
                .map(File::from)
                .map_err(io::Error::from),
        )
    }

    /// Whether `name` is a regular file (following a symbolic link, as `Path::is_file`) in the
    /// directory of the walked entry `walked`. The directory is held as for opening its files
    /// (which come next), so the kernel looks up one name, not every component of the path:
    /// configuration discovery asks this twice of every directory walked. `None` when this cannot
    /// say: `walked` ends in `.` or `..` (its directory is not the text before its last
    /// separator) or has no directory part, or the directory cannot be held open.
    pub fn is_file_beside(&mut self, walked: &Path, name: &str) -> Option<bool> {
        #[cfg(unix)]
        {
            let (dir, _) = split(walked)?;
            let held = self.hold(dir)?;
            Some(
                rustix::fs::statat(held, name, rustix::fs::AtFlags::empty())
                    .is_ok_and(|stat| rustix::fs::FileType::from_raw_mode(stat.st_mode).is_file()),
            )
        }
        #[cfg(not(unix))]
        {
            let _ = (walked, name);
            None
        }
    }

    /// The descriptor of directory `dir` (as the walk spells it), opened unless it is held
    /// already; `None` when it cannot be opened.
    #[cfg(unix)]
    fn hold(&mut self, dir: &[u8]) -> Option<&std::os::fd::OwnedFd> {
        use rustix::fs::{Mode, OFlags};
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;

        if self.last.as_ref().is_none_or(|held| held.path != dir) {
            self.last = None;
            // A handle to look names up in (`O_PATH` where there is one; elsewhere the directory
            // opened for reading, which needs its read permission too).
            #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let fd = rustix::fs::open(OsStr::from_bytes(dir), flags, Mode::empty()).ok()?;
            self.last = Some(Held {
                path: dir.to_vec(),
                fd,
            });
        }
        self.last.as_ref().map(|held| &held.fd)
    }
}

/// A path's directory and name as bytes; `None` without a directory part or a name.
#[cfg(unix)]
fn split(path: &Path) -> Option<(&[u8], &[u8])> {
    use std::os::unix::ffi::OsStrExt;

    let bytes = path.as_os_str().as_bytes();
    let cut = super::paths::last_separator(path)?;
    let name = &bytes[cut + 1..];
    let dir = if cut == 0 { &b"/"[..] } else { &bytes[..cut] };
    // `a/.` and `a/..` are not entries of `a`.
    (!matches!(name, b"" | b"." | b"..")).then_some((dir, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn read(opener: &mut OpenDir, path: &Path) -> io::Result<String> {
        let mut text = String::new();
        opener.open(path)?.read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn opens_what_the_path_names_across_directories_and_forms() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for (sub, text) in [("a", "in a"), ("b", "in b")] {
            std::fs::create_dir(dir.path().join(sub)).expect("a directory");
            std::fs::write(dir.path().join(sub).join("f.md"), text).expect("written");
        }
        std::fs::write(dir.path().join("top.md"), "top").expect("written");
        let mut opener = OpenDir::default();
        // Back and forth between directories, each file is the one its path names.
        for (path, text) in [("a/f.md", "in a"), ("b/f.md", "in b"), ("a/f.md", "in a")] {
            assert_eq!(
                read(&mut opener, &dir.path().join(path)).expect("read"),
                text
            );
        }
        assert_eq!(
            read(&mut opener, &dir.path().join("top.md")).expect("read"),
            "top"
        );
        // The errors of `File::open`: a missing file, a missing directory.
        let missing = read(&mut opener, &dir.path().join("a/none.md")).expect_err("missing");
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        let no_dir = read(&mut opener, &dir.path().join("none/f.md")).expect_err("missing");
        assert_eq!(no_dir.kind(), io::ErrorKind::NotFound);
        // A relative path without a directory part opens from the working directory.
        assert_eq!(
            opener
                .open(Path::new("Cargo.toml"))
                .map(|_| ())
                .map_err(|e| e.kind()),
            Ok(())
        );
    }

    #[test]
    fn a_name_beside_a_walked_entry_is_a_file_as_path_is_file_says() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).expect("a directory");
        std::fs::write(sub.join("mergemark.toml"), "").expect("written");
        std::fs::create_dir(sub.join(".mergemark.toml")).expect("a directory");
        #[cfg(unix)]
        std::os::unix::fs::symlink(sub.join("mergemark.toml"), dir.path().join("link.toml"))
            .expect("a link");
        let mut opener = OpenDir::default();
        let walked = sub.join("f.md");
        for (walked, name) in [
            (&walked, "mergemark.toml"),
            (&walked, ".mergemark.toml"),
            (&walked, "none.toml"),
            (&dir.path().join("g.md"), "link.toml"),
            (&walked, "mergemark.toml"),
        ] {
            let expected = walked.parent().expect("a directory").join(name).is_file();
            assert_eq!(
                opener.is_file_beside(walked, name),
                Some(expected),
                "{name}"
            );
        }
        assert_eq!(opener.is_file_beside(&walked, "mergemark.toml"), Some(true));
        assert_eq!(
            opener.is_file_beside(&walked, ".mergemark.toml"),
            Some(false)
        );
        // What it cannot say: a directory that cannot be held, `.` and `..` (whose directory is
        // not the text before them), a name without a directory part.
        for walked in [
            dir.path().join("none/g.md"),
            sub.join("."),
            sub.join(".."),
            Path::new("f.md").to_path_buf(),
        ] {
            assert_eq!(
                opener.is_file_beside(&walked, "mergemark.toml"),
                None,
                "{walked:?}"
            );
        }
    }
}
