//! Files named on the command line, as a pre-commit hook names every staged file: read by a few
//! threads that take them in turn. A walker per file started its own threads and read the ignore
//! files above it, for every file: 2,000 named files took 2.6 s on two threads, 0.3 s on one.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::open_dir::OpenDir;
use super::scanner::{names_base, LastDir, Reached, Scanner};
use super::worktree::Root;
use super::{Sink, Worker, Workspace};

/// Read the files given (roots that are not directories), as a walk reads the file it starts
/// from.
pub(super) fn read_named_files<S: Sink>(
    files: &[&Root],
    workspace: &Workspace,
    sink: &S,
    reached: &Reached,
) {
    if files.is_empty() {
        return;
    }
    let threads = match workspace.walk.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
    .min(files.len());
    let next = AtomicUsize::new(0);
    let read = || {
        let mut worker = sink.worker();
        let mut state = ThreadState::default();
        while let Some(root) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
            state.read(root, workspace, &mut worker, reached);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(read);
        }
        read();
    });
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
    fn read(
        &mut self,
        root: &Root,
        workspace: &Workspace,
        worker: &mut impl Worker,
        reached: &Reached,
    ) {
        let base = names_base(root);
        let mut scanner = Scanner::new(root, workspace, &base, worker, reached);
        if workspace.walk.force_exclude {
            scanner.cli_exclude = workspace.cli_exclude(&base);
        }
        std::mem::swap(&mut scanner.buffer, &mut self.buffer);
        std::mem::swap(&mut scanner.open_dir, &mut self.open_dir);
        std::mem::swap(&mut scanner.last_dir, &mut self.last_dir);
        scanner.visit_named_file();
        std::mem::swap(&mut scanner.buffer, &mut self.buffer);
        std::mem::swap(&mut scanner.open_dir, &mut self.open_dir);
        std::mem::swap(&mut scanner.last_dir, &mut self.last_dir);
    }
}
