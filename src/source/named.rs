//! Files named on the command line, as a pre-commit hook names every staged file: read by a few
//! threads that take them in turn. A walker per file started its own threads and read the ignore
//! files above it, for every file: 2,000 named files took 2.6 s on two threads, 0.3 s on one.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::open_dir::OpenDir;
use super::scanner::{names_base, Given, LastDir, Reached, Scanner};
use super::worktree::Root;
use super::{Sink, Worker, Workspace};

/// Read the files given (roots that are not directories), as a walk reads the file it starts
/// from; of the spellings of one file, the first that is not left out (see [`Given`]), unless a
/// walk took it.
pub(super) fn read_named_files<S: Sink>(
    files: &[&Root],
    workspace: &Workspace,
    sink: &S,
    reached: &Reached,
    given: Option<&Given>,
) {
    let groups = spellings(files, given);
    if groups.is_empty() {
        return;
    }
    let threads = match workspace.walk.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
    .min(groups.len());
    let next = AtomicUsize::new(0);
    let read = || {
        let mut worker = sink.worker();
        let mut state = ThreadState::default();
        while let Some(group) = groups.get(next.fetch_add(1, Ordering::Relaxed)) {
            for root in group {
                if state.read(root, workspace, &mut worker, reached) {
                    break;
                }
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(read);
        }
        read();
    });
}

/// The files given, each file's spellings together (in the order given, a symbolic link last:
/// a fix is not written through one), less the files a walk took.
fn spellings<'r>(files: &[&'r Root], given: Option<&Given>) -> Vec<Vec<&'r Root>> {
    let Some(given) = given else {
        return files.iter().map(|&root| vec![root]).collect();
    };
    let mut groups: Vec<Vec<&Root>> = Vec::new();
    let mut by_file: HashMap<&OsStr, usize> = HashMap::new();
    for &root in files {
        let canonical = root.canonical.as_os_str();
        if given.is_taken(canonical) {
            continue;
        }
        match by_file.get(canonical) {
            Some(&at) => groups[at].push(root),
            None => {
                by_file.insert(canonical, groups.len());
                groups.push(vec![root]);
            }
        }
    }
    for group in groups.iter_mut().filter(|g| g.len() > 1) {
        group.sort_by_key(|root| root.path.is_symlink());
    }
    groups
}

/// What one thread keeps from file to file: its read buffer, the directory it last opened a
/// file in, and that directory's settings.
#[derive(Default)]
struct ThreadState {
    buffer: Vec<u8>,
    open_dir: OpenDir,
    last_dir: LastDir,
}

impl ThreadState {
    /// Read `root`; false when it is left out.
    fn read(
        &mut self,
        root: &Root,
        workspace: &Workspace,
        worker: &mut impl Worker,
        reached: &Reached,
    ) -> bool {
        let base = names_base(root);
        let mut scanner = Scanner::new(root, workspace, &base, worker, reached);
        if workspace.walk.force_exclude {
            scanner.cli_exclude = workspace.cli_exclude(&base);
        }
        std::mem::swap(&mut scanner.buffer, &mut self.buffer);
        std::mem::swap(&mut scanner.open_dir, &mut self.open_dir);
        std::mem::swap(&mut scanner.last_dir, &mut self.last_dir);
        let taken = scanner.visit_named_file();
        std::mem::swap(&mut scanner.buffer, &mut self.buffer);
        std::mem::swap(&mut scanner.open_dir, &mut self.open_dir);
        std::mem::swap(&mut scanner.last_dir, &mut self.last_dir);
        taken
    }
}
