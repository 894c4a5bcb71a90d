//! `mergemark resolve`: read each file, resolve it (parse -> candidates -> evaluate -> choose, in
//! [`crate::resolve`]) by a strategy or interactively, then print (`--stdout`), preview
//! (`--dry-run`) or write atomically (and stage with `--add`). A file is seen as `check` sees it:
//! the same name, settings, marker size and Git facts (see [`crate::source::walk::named_file`]).

mod deliver;
mod file;
mod interactive;
mod report;

use deliver::{deliver, report_undecided, stage};
use file::File;
use interactive::interactive;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use similar::TextDiff;

use super::check::config_choice;
use super::{reader_closed_is_fine, say, say_problems, Error, Exit, Level};
use crate::cli::{ResolveArgs, ResolveFormat, StrategyArg};
use crate::conflict::{parse, ParseOptions, DEFAULT_MARKER_SIZE};
use crate::lint::{classify, FileContext};
use crate::resolve::eligible::Hold;
use crate::resolve::known_base::{known_bases, ThreeWay};
use crate::resolve::session::{Conflicted, Outcome};
use crate::resolve::write::replace_file;
use crate::resolve::{resolve, Facts, Resolution, Strategy};
use crate::source::git::{self, FileRepo};
use crate::source::{walk::named_file, InForce, Subject, Workspace};
use crate::text::escape_for_display;
use std::sync::Arc;

/// How to resolve: by a strategy, with what to do with the result, or region by region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every block by one strategy.
    Strategy(Strategy, Output),
    /// Ask, region by region (keys from stdin), then write atomically after confirmation.
    Interactive {
        /// Stage the file (git2) once no conflict remains in it.
        add: bool,
    },
}

/// What to do with a strategy's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// Replace the file (atomically).
    Write {
        /// Keep `path.orig`.
        backup: bool,
        /// Stage the file (git2) once no conflict remains in it.
        add: bool,
    },
    /// Print a unified diff; write nothing.
    DryRun,
    /// Print the resolved file; write nothing.
    Stdout,
}

/// Run `resolve`: exit 0 when no conflict remains, 1 when some do, 2 when a file failed.
///
/// # Errors
/// When the flags ask for nothing that can be done.
pub fn run(args: &ResolveArgs) -> Result<Exit, Error> {
    let mode = mode(args)?;
    let workspace = Workspace::new(
        config_choice(&args.settings),
        args.settings.marker_size.map(usize::from),
        crate::source::worktree::WalkOptions::default(),
    );
    let mut status = Exit::Clean;
    let mut out = io::stdout().lock();
    let paths = if args.paths.is_empty() {
        unmerged_paths()?
    } else {
        args.paths.clone()
    };
    // Files printed one after another could not be told apart (nor split back).
    if matches!(mode, Mode::Strategy(_, Output::Stdout)) && paths.len() > 1 {
        return Err(Error::Usage(format!(
            "--stdout prints one file, and {} were given (or are unmerged): name one PATH, or use \
             --dry-run to see what would change in each",
            paths.len()
        )));
    }
    let mut records = Vec::new();
    for path in &paths {
        let name = escape_for_display(path.as_os_str().as_encoded_bytes());
        match resolve_path(
            path,
            &name,
            mode,
            &workspace,
            args.settings.verbose,
            &mut out,
            &mut records,
        ) {
            Ok(0) => {}
            Ok(_) => status = status.max(Exit::Findings),
            Err(message) => {
                say(Level::Error, &format!("{name}: {message}"));
                records.push(report::FileRecord::failed(&name, message.to_string()));
                status = Exit::Failed;
            }
        }
        let problems = workspace.take_problems();
        if !problems.errors.is_empty() {
            status = Exit::Failed;
        }
        say_problems(&problems.errors, &problems.skipped);
    }
    if args.format == ResolveFormat::Json {
        let report = report::Report { files: &records };
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Error::Usage(format!("the JSON report: {e}")))?;
        reader_closed_is_fine(writeln!(out, "{text}"))
            .map_err(|e| Error::Usage(format!("writing the report: {e}")))?;
    }
    Ok(status)
}

/// With no paths given: the paths the index of the current directory's repository lists as
/// unmerged (those still in the working tree), as `git mergetool` takes them.
fn unmerged_paths() -> Result<Vec<PathBuf>, Error> {
    let here = std::env::current_dir().map_err(|e| Error::Usage(e.to_string()))?;
    let repo = crate::source::repo::open(&here)
        .map_err(Error::Usage)?
        .ok_or_else(|| {
            Error::Usage(
                "no files given, and not in a Git repository whose unmerged paths could be \
                 resolved"
                    .to_owned(),
            )
        })?;
    let workdir = repo
        .workdir()
        .and_then(|w| w.canonicalize().ok())
        .ok_or_else(|| {
            Error::Usage("no files given, and the repository has no working tree".to_owned())
        })?;
    let here = here.canonicalize().unwrap_or(here);
    let paths: Vec<PathBuf> = crate::source::scope::unmerged(&repo)
        .into_iter()
        .map(|u| workdir.join(u.fs_path()))
        .filter(|p| p.exists())
        .map(|p| match p.strip_prefix(&here) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => p,
        })
        .collect();
    if paths.is_empty() {
        say(Level::Info, "no unmerged paths to resolve");
    }
    Ok(paths)
}

/// The mode the flags ask for.
fn mode(args: &ResolveArgs) -> Result<Mode, Error> {
    let interactive = args.interactive
        || (args.strategy.is_none() && io::stdin().is_terminal() && io::stdout().is_terminal());
    if interactive {
        return Ok(Mode::Interactive { add: args.add });
    }
    let strategy =
        match args.strategy {
            None => return Err(Error::Usage(
                "choose a --strategy (ours, theirs, base, union, auto), or run on a terminal (or \
                 with --interactive) to choose region by region"
                    .to_owned(),
            )),
            Some(StrategyArg::Ours) => Strategy::Ours,
            Some(StrategyArg::Theirs) => Strategy::Theirs,
            Some(StrategyArg::Base) => Strategy::Base,
            Some(StrategyArg::Union) => Strategy::Union,
            Some(StrategyArg::Auto) => Strategy::Auto,
        };
    let output = if args.stdout {
        Output::Stdout
    } else if args.dry_run {
        Output::DryRun
    } else {
        Output::Write {
            backup: args.backup,
            add: args.add,
        }
    };
    Ok(Mode::Strategy(strategy, output))
}

/// Why one file could not be resolved (the run goes on with the others, and exits 2).
#[derive(Debug, thiserror::Error)]
enum FileError {
    /// It could not be read or inspected.
    #[error("{}", describe(.0))]
    Read(io::Error),
    /// A symbolic link: replacing it would replace the link, not the file.
    #[error("is a symbolic link; resolve the file it points to instead")]
    Symlink,
    /// A directory, FIFO, socket or device.
    #[error("not a regular file")]
    NotRegular,
    /// Binary or UTF-16: its markers are not lines mergemark can rewrite.
    #[error(
        "a NUL byte in its first 8000 bytes (binary, or UTF-16 text): its markers cannot be read; \
         nothing written, nothing staged"
    )]
    Binary,
    /// Its repository could not be opened.
    #[error("{0}")]
    Repository(String),
    /// Writing the result failed; the file is as it was.
    #[error(transparent)]
    Write(#[from] crate::resolve::write::WriteError),
    /// The terminal or stdout failed.
    #[error("{}", describe(.0))]
    Output(io::Error),
    /// Written, but not staged.
    #[error("not staged: {0}")]
    NotStaged(String),
}

/// Resolve one file; returns how many conflicts remain in it.
fn resolve_path(
    path: &Path,
    name: &str,
    mode: Mode,
    workspace: &Workspace,
    verbose: bool,
    out: &mut dyn Write,
    records: &mut Vec<report::FileRecord>,
) -> Result<usize, FileError> {
    let original = read_text(path)?;
    // The file's repository, opened once: evidence, staging, and the side a deletion took.
    let repo = match path.canonicalize() {
        Ok(absolute) => git::open_for(&absolute).map_err(FileError::Repository)?,
        Err(_) => None,
    };
    let strategy = match mode {
        Mode::Strategy(strategy, _) => Some(strategy),
        Mode::Interactive { .. } => None,
    };
    if let Some(reason) = deleted_by_a_side(repo.as_ref(), strategy) {
        // The unmerged path is what `check` reports: one conflict remains.
        say(Level::Info, &format!("{name}: {reason}; left as it is"));
        records.push(report::FileRecord::left_whole(name, reason));
        let verb = match mode {
            Mode::Strategy(_, Output::DryRun | Output::Stdout) => "would be ",
            _ => "",
        };
        say(
            Level::Info,
            &format!("{name}: 0 {verb}resolved, 1 remaining"),
        );
        return Ok(1);
    }
    named_file(path, &original, workspace, |subject| {
        if verbose {
            say(Level::Info, &subject.describe());
        }
        let context = FileContext {
            // `resolve` replaces markers of the file's own size only.
            other_sizes: &[],
            ..subject.context()
        };
        let parsed = parse(
            &original,
            &ParseOptions {
                marker_size: context.marker_size,
            },
        );
        let file = File {
            path,
            repo: repo.as_ref(),
            name,
            original: &original,
            parsed: &parsed,
            context,
            subject: &subject,
            verbose,
        };
        match mode {
            Mode::Interactive { add } => interactive(&file, add, out),
            Mode::Strategy(strategy, output) => {
                // Only `base` and `auto` use a recovered base; the others are exact without one.
                let known = if matches!(strategy, Strategy::Base | Strategy::Auto) {
                    file.known_bases()
                } else {
                    Vec::new()
                };
                let facts = Facts {
                    context: file.context,
                    known: &known,
                };
                let mut result = resolve(&original, &parsed, strategy, &facts);
                // Conflicts in markers of another size stay, and count as `check` counts them.
                result.remaining += file.left_at_other_sizes(&result.bytes);
                deliver(&file, &result, output, out)?;
                let written = matches!(output, Output::Write { .. }) && result.bytes != original;
                records.push(report::FileRecord::of(name, &result, written));
                Ok(result.remaining + result.undecided)
            }
        }
    })
    .map_err(FileError::Read)?
}

/// The file's bytes, when it is a regular file whose markers can be read.
fn read_text(path: &Path) -> Result<Vec<u8>, FileError> {
    let meta = std::fs::symlink_metadata(path).map_err(FileError::Read)?;
    if meta.file_type().is_symlink() {
        return Err(FileError::Symlink);
    }
    if !meta.is_file() {
        return Err(FileError::NotRegular);
    }
    let bytes = std::fs::read(path).map_err(FileError::Read)?;
    if crate::text::looks_binary(&bytes) {
        // UTF-16 text too (`working-tree-encoding`): its markers are not ours to read.
        return Err(FileError::Binary);
    }
    Ok(bytes)
}

/// Why a modify/delete conflict is not the strategy's to settle: the file on disk is the side
/// that kept it, so only taking that side is taking the file; anything else means deleting it or
/// combining with nothing, which `git rm` and `git add` say plainly.
fn deleted_by_a_side(repo: Option<&FileRepo>, strategy: Option<Strategy>) -> Option<String> {
    use crate::conflict::Side;
    let gone = repo?.deleted_side()?;
    let kept = match gone {
        Side::Ours => Side::Theirs,
        Side::Theirs => Side::Ours,
        Side::Base => return None,
    };
    let chosen = match strategy {
        Some(Strategy::Ours) => Some(Side::Ours),
        Some(Strategy::Theirs) => Some(Side::Theirs),
        _ => None,
    };
    (chosen != Some(kept)).then(|| {
        format!(
            "{} deleted this file and the other side changed it: keep it with `git add`, or \
             delete it with `git rm`",
            gone.name()
        )
    })
}

fn describe(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}
