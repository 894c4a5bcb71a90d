//! Opening walked files relative to their directory. The walk hands a thread the files of one
//! directory together; holding that directory open and opening each file by its name (`openat`)
//! makes the kernel look up one name per file instead of every component of its path, which was a
//! tenth of the CPU time of a walk over small files (`perf`: `__d_lookup_rcu`, `link_path_walk`).
//!
//! The directory's file system also tells whether a `read` shorter than asked is the end of a
//! file: it is on the local disk and memory file systems of Linux, which fill a read of a regular
//! file up to its end; it need not be on FUSE, NFS, 9p or SMB, where reading goes on until a
//! `read` returns 0 (one more system call per file).

use std::fs::File;
use std::io;
use std::path::Path;

/// The directory a walker thread last opened a file in, kept open.
#[derive(Default)]
pub struct OpenDir {
    #[cfg(unix)]
    last: Option<Held>,
}

/// A held directory: its path, its descriptor, and whether its file system fills reads.
#[cfg(unix)]
struct Held {
    path: Vec<u8>,
    fd: std::os::fd::OwnedFd,
    fills_reads: bool,
}

/// A file opened for reading, and whether a `read` of it that returns less than asked is its end.
pub struct Opened {
    pub file: File,
    pub short_read_is_end: bool,
}

impl OpenDir {
    /// Open the file at `path` for reading, as `File::open` would.
    ///
    /// # Errors
    /// When the file cannot be opened.
    pub fn open(&mut self, path: &Path) -> io::Result<Opened> {
        #[cfg(unix)]
        if let Some(opened) = self.open_in_dir(path) {
            return opened;
        }
        File::open(path).map(|file| Opened {
            file,
            short_read_is_end: false,
        })
    }

    /// Open `path` by its name in its (held) directory; `None` when the path has no directory
    /// part or the directory cannot be held open (then the whole path is opened).
    #[cfg(unix)]
    fn open_in_dir(&mut self, path: &Path) -> Option<io::Result<Opened>> {
        use rustix::fs::{Mode, OFlags};
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;

        let bytes = path.as_os_str().as_bytes();
        let cut = bytes.iter().rposition(|&b| b == b'/')?;
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
            let fills_reads = fills_reads(&fd);
            self.last = Some(Held {
                path: dir.to_vec(),
                fd,
                fills_reads,
            });
        }
        let held = self.last.as_ref()?;
        let flags = OFlags::RDONLY | OFlags::CLOEXEC;
        Some(
            rustix::fs::openat(&held.fd, OsStr::from_bytes(name), flags, Mode::empty())
                .map(|fd| Opened {
                    file: File::from(fd),
                    short_read_is_end: held.fills_reads,
                })
                .map_err(io::Error::from),
        )
    }
}

/// Whether the file system of the directory `fd` fills every `read` of a regular file up to its
/// end (Linux's local disk and memory file systems, by their magic numbers).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn fills_reads(fd: &std::os::fd::OwnedFd) -> bool {
    const FILLING: [u64; 6] = [
        0xEF53,      // ext2, ext3, ext4
        0x5846_5342, // xfs
        0x9123_683E, // btrfs
        0x0102_1994, // tmpfs
        0x794C_7630, // overlayfs
        0xF2F5_2010, // f2fs
    ];
    rustix::fs::fstatfs(fd).is_ok_and(|stat| {
        // `f_type` is signed on some targets; the magic numbers fit in 32 bits.
        #[allow(clippy::cast_sign_loss, clippy::unnecessary_cast)]
        let kind = (stat.f_type as u64) & 0xFFFF_FFFF;
        FILLING.contains(&kind)
    })
}

/// Elsewhere, every file system is taken to return short reads before the end.
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
fn fills_reads(_: &std::os::fd::OwnedFd) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn read(opener: &mut OpenDir, path: &Path) -> io::Result<String> {
        let mut text = String::new();
        opener.open(path)?.file.read_to_string(&mut text)?;
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
        // A relative path without a directory part opens from the working directory (and its
        // reads are read to a 0).
        assert_eq!(
            opener
                .open(Path::new("Cargo.toml"))
                .map(|opened| opened.short_read_is_end)
                .map_err(|e| e.kind()),
            Ok(false)
        );
    }
}
