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

        let bytes = path.as_os_str().as_bytes();
        let cut = super::paths::last_separator(path)?;
        let name = &bytes[cut + 1..];
        let dir = if cut == 0 { &b"/"[..] } else { &bytes[..cut] };
        if name.is_empty() {
            return None;
        }
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
        let held = self.last.as_ref()?;
        let flags = OFlags::RDONLY | OFlags::CLOEXEC;
        Some(
            rustix::fs::openat(&held.fd, OsStr::from_bytes(name), flags, Mode::empty())
                .map(File::from)
                .map_err(io::Error::from),
        )
    }
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
}
