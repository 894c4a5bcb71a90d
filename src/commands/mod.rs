//! The commands: each turns its parsed arguments into settings, runs the core through the
//! sources, and returns an [`Exit`] or an [`Error`]; [`crate::run`] prints the error and maps both
//! to the process status, in one place (casey/just's shape). Messages about single files that do
//! not stop a run (a broken configuration, an unreadable file) go through [`say`], so every
//! command words and escapes them alike.

pub mod check;
pub mod diff;
pub mod driver;
mod fixes;
pub mod hook;
pub mod man;
pub mod merge;
pub mod resolve;
pub mod rules;
pub mod schema;
pub mod schema_match;

use std::io::{self, Write};

use crate::report::PathMessage;
pub use crate::report::{say, Exit, Level};
use crate::source::worktree::WalkOptions;
use crate::text::escape_for_display;

/// Why a command could not do its work at all.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
    /// Writing the output failed (a closed pipe is not a failure: see [`finish`]).
    #[error("writing the {what} failed: {source}")]
    Output {
        /// What was being written.
        what: &'static str,
        /// Why it failed.
        source: io::Error,
    },
    /// A file named on the command line, or a configuration, could not be used.
    #[error("{}: {message}", escape_for_display(.path.as_bytes()))]
    File {
        /// The file, as output names files.
        path: String,
        /// Why.
        message: String,
    },
}

/// The status for output that was written, or not: a closed pipe (`mergemark check | head`) is
/// the reader's choice and keeps `status`; any other write error is an error.
///
/// # Errors
/// When writing failed for another reason than a closed pipe.
pub fn finish(written: io::Result<()>, status: Exit, what: &'static str) -> Result<Exit, Error> {
    match reader_closed_is_fine(written) {
        Ok(()) => Ok(status),
        Err(source) => Err(Error::Output { what, source }),
    }
}

/// A write to a reader that went away (`| head`) counts as done: the one place that says so.
///
/// # Errors
/// Any other write error.
pub fn reader_closed_is_fine(written: io::Result<()>) -> io::Result<()> {
    match written {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Write `text` to stdout.
///
/// # Errors
/// As [`finish`].
pub fn print(text: &str) -> Result<Exit, Error> {
    finish(
        io::stdout().lock().write_all(text.as_bytes()),
        Exit::Clean,
        "output",
    )
}

/// Whether the PATHs ask for the text on stdin: `-` alone (`check -`, `diff -`).
#[must_use]
pub fn reads_stdin(paths: &[std::path::PathBuf]) -> bool {
    matches!(paths, [only] if only.as_os_str() == "-")
}

/// The PATHs as the sources take them: `.` for none, and `-` among others a file of that name
/// (pre-commit passes every file's name; the walker would read stdin for `-`).
#[must_use]
pub fn source_paths(paths: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    if paths.is_empty() {
        return vec![".".into()];
    }
    paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                "./-".into()
            } else {
                p.clone()
            }
        })
        .collect()
}

/// Everything on standard input (`check -`, `diff -`).
///
/// # Errors
/// When it cannot be read.
pub fn read_stdin() -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| Error::File {
            path: "-".to_owned(),
            message: format!("cannot read stdin: {}", describe_io(&e)),
        })?;
    Ok(bytes)
}

/// A sentence for an I/O error.
#[must_use]
pub fn describe_io(error: &io::Error) -> String {
    crate::source::workspace::describe_io_error(error)
}

/// Print the errors and skip notes a source recorded (stderr, so stdout stays the output).
pub fn say_problems(errors: &[PathMessage], skipped: &[PathMessage]) {
    for error in errors {
        say(Level::Error, &path_message(error));
    }
    for note in skipped {
        say(
            Level::Note,
            &format!(
                "skipped {}: {}",
                escape_for_display(note.path.as_str().as_bytes()),
                escape_for_display(note.message.as_bytes())
            ),
        );
    }
}

fn path_message(message: &PathMessage) -> String {
    format!(
        "{}: {}",
        escape_for_display(message.path.as_str().as_bytes()),
        escape_for_display(message.message.as_bytes())
    )
}

/// The walk options the `check` and `diff` flags give (`-j` made sane: more threads than a few
/// per CPU only contend, so N is capped at four per CPU, at least 8; 0 stays "one per CPU").
#[must_use]
pub fn walk_options(walk: &crate::cli::WalkArgs) -> WalkOptions {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    WalkOptions {
        hidden: walk.hidden,
        no_ignore: walk.no_ignore,
        follow: walk.follow,
        threads: walk.threads.min((4 * cpus).max(8)),
        max_filesize: walk.max_filesize,
        // Each pattern was checked as the command line was read.
        exclude: crate::path_rules::PathPatterns::new(walk.exclude.iter().map(String::as_str))
            .unwrap_or_default(),
        force_exclude: walk.force_exclude,
    }
}

/// `--color`, `NO_COLOR` and `CLICOLOR_FORCE`, in that order of precedence.
#[must_use]
pub fn use_color(choice: crate::cli::ColorChoice, is_terminal: bool) -> bool {
    use crate::cli::ColorChoice;
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => is_terminal && !set("NO_COLOR"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thread_counts_are_capped_at_a_few_per_cpu() {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        let walk = |threads| crate::cli::WalkArgs {
            hidden: false,
            no_ignore: false,
            follow: false,
            max_filesize: 1,
            threads,
            exclude: Vec::new(),
            force_exclude: false,
        };
        assert_eq!(
            super::walk_options(&walk(0)).threads,
            0,
            "0 means one per CPU"
        );
        assert_eq!(super::walk_options(&walk(1)).threads, 1);
        assert_eq!(super::walk_options(&walk(5000)).threads, (4 * cpus).max(8));
    }
}
