//! `mergemark resolve`: read each file, resolve it (parse -> candidates -> evaluate -> choose, in
//! [`crate::resolve`]) by a strategy or interactively, then print (`--stdout`), preview
//! (`--dry-run`) or write atomically (and stage with `--add`). A file is seen as `check` sees it:
//! the same name, settings, marker size and Git facts (see [`crate::source::walk::named_file`]).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use similar::TextDiff;

use super::check::config_choice;
use super::{reader_closed_is_fine, say, say_problems, Error, Exit, Level};
use crate::cli::{ResolveArgs, StrategyArg};
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
    for path in &paths {
        let name = escape_for_display(path.as_os_str().as_encoded_bytes());
        match resolve_path(
            path,
            &name,
            mode,
            &workspace,
            args.settings.verbose,
            &mut out,
        ) {
            Ok(0) => {}
            Ok(_) => status = status.max(Exit::Findings),
            Err(message) => {
                say(Level::Error, &format!("{name}: {message}"));
                status = Exit::Failed;
            }
        }
        let problems = workspace.take_problems();
        if !problems.errors.is_empty() {
            status = Exit::Failed;
        }
        say_problems(&problems.errors, &problems.skipped);
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
        .map(|u| workdir.join(&u.path))
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

/// Print, preview or write the result (and stage it with `--add`), then say what was left and why.
fn deliver(
    file: &File<'_>,
    result: &Resolution,
    output: Output,
    out: &mut dyn Write,
) -> Result<(), FileError> {
    let name = file.name;
    let verb = if matches!(output, Output::Write { .. }) {
        ""
    } else {
        "would be "
    };
    // A closed pipe (`resolve --stdout | head`) is the reader's choice, not a failure.
    let printed =
        |written: io::Result<()>| reader_closed_is_fine(written).map_err(FileError::Output);
    match output {
        Output::Stdout => printed(out.write_all(&result.bytes).and_then(|()| out.flush()))?,
        Output::DryRun => {
            let old = String::from_utf8_lossy(file.original);
            let new = String::from_utf8_lossy(&result.bytes);
            let diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
            let text = diff
                .unified_diff()
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string();
            // A preview for people: the file's control characters are not sent to the terminal.
            let shown = crate::text::terminal_safe_same_offsets(text.as_bytes());
            printed(out.write_all(shown.as_bytes()).and_then(|()| out.flush()))?;
        }
        Output::Write { backup, add } => {
            if result.bytes != file.original {
                write_file(file.path, file.original, &result.bytes, backup)?;
            }
            if add && result.remaining + result.undecided == 0 {
                stage(file.repo, &result.bytes, &file.context)?;
            } else if add {
                say(
                    Level::Info,
                    &format!("{name}: not staged: conflicts remain"),
                );
            }
        }
    }
    for (index, hold) in &result.held {
        if *hold != Hold::NotThisMergesConflict {
            say(
                Level::Info,
                &format!(
                    "{name}: conflict {} left as it is: {}",
                    index + 1,
                    hold.reason()
                ),
            );
        }
    }
    if file.verbose {
        for (index, kind, rules) in &result.settled {
            let rules: Vec<&str> = rules.iter().map(|r| r.name()).collect();
            let by = if rules.is_empty() {
                kind.name().to_owned()
            } else {
                format!("{} ({})", kind.name(), rules.join(", "))
            };
            say(
                Level::Info,
                &format!("{name}: conflict {} settled by {by}", index + 1),
            );
        }
    }
    file.report_lone_markers(&file.roles());
    report_undecided(name, result.undecided);
    say(
        Level::Info,
        &format!(
            "{name}: {} {verb}resolved, {} remaining",
            result.resolved,
            result.remaining + result.undecided
        ),
    );
    Ok(())
}

/// Say why a file whose only markers sit in code blocks is not reported clean: with no merged
/// version known, nothing tells an example in documentation from a conflict in a code sample.
fn report_undecided(name: &str, undecided: usize) {
    let what = match undecided {
        0 => return,
        1 => "1 set of markers in a code block left as it is".to_owned(),
        n => format!("{n} sets of markers in code blocks left as they are"),
    };
    say(
        Level::Info,
        &format!(
            "{name}: {what}: without the merge's versions an example cannot be told from a \
             conflict (resolve by hand, or where the merge is in progress)"
        ),
    );
}

/// One file being resolved, as read.
struct File<'a> {
    path: &'a Path,
    repo: Option<&'a FileRepo>,
    /// The path as given, escaped: what messages call it.
    name: &'a str,
    original: &'a [u8],
    parsed: &'a crate::conflict::ConflictedText,
    context: FileContext<'a>,
    /// The file as `check` sees it: its repository-relative name (schema globs match it) and
    /// the settings in force.
    subject: &'a Subject<'a>,
    /// `--verbose`: say what settled each region.
    verbose: bool,
}

impl File<'_> {
    /// Bases Git knows for the blocks whose markers carry none.
    fn known_bases(&self) -> Vec<ThreeWay> {
        known_bases(self.original, self.parsed, &|ours, theirs| {
            self.subject.facts.reference(ours, theirs)
        })
    }

    /// The conflicts `check` reports in `bytes` in markers of another size than the file's own
    /// (Git wrote them under other attributes): said, left as they are, and counted.
    fn left_at_other_sizes(&self, bytes: &[u8]) -> usize {
        let context = FileContext {
            other_sizes: self.subject.facts.other_sizes(),
            ..self.context
        };
        let parsed = parse(
            bytes,
            &ParseOptions {
                marker_size: context.marker_size,
            },
        );
        let found = crate::lint::other_size_conflicts(bytes, &parsed, &context);
        let mut sizes: Vec<usize> = found.iter().map(|(size, _)| *size).collect();
        sizes.dedup();
        for size in sizes {
            let count = found.iter().filter(|(s, _)| *s == size).count();
            say(
                Level::Info,
                &format!(
                    "{}: {count} conflict{} in {size}-character markers left as {}: this path's \
                     conflict-marker-size is {} (Git wrote them under other attributes); resolve \
                     them with --marker-size {size}",
                    self.name,
                    if count == 1 { "" } else { "s" },
                    if count == 1 { "it is" } else { "they are" },
                    context.marker_size
                ),
            );
        }
        found.len()
    }

    /// What ours and theirs mean when Git's labels or state say it is not a plain merge: in a
    /// rebase ours is the branch being rebased onto, in `git stash pop` theirs is the stash.
    fn explain_sides(&self) {
        let first = self.parsed.blocks().next();
        let label = |span: Option<crate::span::Span>| {
            span.map(|s| String::from_utf8_lossy(s.slice(self.original)).into_owned())
        };
        let (ours, theirs) =
            first.map_or((None, None), |b| (label(b.start.label), label(b.end.label)));
        let rebasing = self.repo.is_some_and(|r| {
            let git = r.repo.path();
            git.join("rebase-merge").exists() || git.join("rebase-apply").exists()
        });
        let note = if ours.as_deref() == Some("Updated upstream")
            || theirs.as_deref() == Some("Stashed changes")
        {
            "ours is the branch as it is now (`Updated upstream`), theirs your stashed changes"
        } else if rebasing {
            "a rebase is in progress: ours is the branch being rebased onto, theirs your commit \
             being replayed"
        } else {
            return;
        };
        say(Level::Note, &format!("{}: {note}", self.name));
    }

    /// How `check` reads the file's blocks and lone markers.
    fn roles(&self) -> crate::lint::Classification {
        classify(self.original, self.parsed, &self.context)
    }

    /// Say, for each lone marker `check` reports (a start never closed, an end or base with no
    /// block), that it is left as it is: no strategy or key resolves one, a person does.
    fn report_lone_markers(&self, roles: &crate::lint::Classification) {
        for (line, why) in crate::lint::reported_lone_markers(self.original, self.parsed, roles) {
            say(
                Level::Info,
                &format!(
                    "{}: line {line}: {why}; left as it is (resolve it by hand)",
                    self.name
                ),
            );
        }
    }

    /// The settings in force for the file.
    fn settings(&self) -> Arc<InForce> {
        self.subject.facts.settings()
    }
}

/// The interactive session for one file; returns how many conflicts remain in it.
fn interactive(file: &File<'_>, add: bool, out: &mut dyn Write) -> Result<usize, FileError> {
    // An empty `$VISUAL` is unset, as shells and Git take it.
    let set = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    // Neither set: `vi`, as Git does, but only with a person at a terminal to use it.
    let editor = set("VISUAL").or_else(|| set("EDITOR")).or_else(|| {
        (io::stdin().is_terminal() && io::stdout().is_terminal()).then(|| "vi".to_owned())
    });
    file.explain_sides();
    let roles = file.roles();
    file.report_lone_markers(&roles);
    let in_force = file.settings();
    let conflicted = Conflicted {
        input: file.original,
        parsed: file.parsed,
        name: file.name,
        path: &file.subject.name,
        schemas: &in_force.settings.schemas,
        known: &file.known_bases(),
        holds: &crate::resolve::eligible::holds(
            file.original,
            file.parsed,
            &roles,
            file.context.evidence.stages(),
        ),
        stages: file.context.evidence.stages(),
    };
    let stdin = io::stdin();
    let outcome =
        crate::resolve::prompt::run(conflicted, editor.as_deref(), &mut stdin.lock(), out)
            .map_err(FileError::Output)?;
    // Conflicts left, and examples that no merged version shows to be examples.
    let remaining_in = |bytes: &[u8]| {
        let parsed = parse(
            bytes,
            &ParseOptions {
                marker_size: file.context.marker_size,
            },
        );
        let classified = classify(bytes, &parsed, &file.context);
        let elsewhere = file.left_at_other_sizes(bytes);
        (
            classified.conflicts(&parsed) + elsewhere,
            classified.undecided,
        )
    };
    match outcome {
        Outcome::Quit => {
            let (remaining, undecided) = remaining_in(file.original);
            Ok(remaining + undecided)
        }
        Outcome::Write(bytes) => {
            if bytes != file.original {
                replace_file(file.path, file.original, &bytes, false)?;
            }
            let (remaining, undecided) = remaining_in(&bytes);
            report_undecided(file.name, undecided);
            let remaining = remaining + undecided;
            say(
                Level::Info,
                &format!("{}: written, {remaining} remaining", file.name),
            );
            if add && remaining == 0 {
                stage(file.repo, &bytes, &file.context)?;
            } else if add {
                say(
                    Level::Info,
                    &format!("{}: not staged: conflicts remain", file.name),
                );
            }
            Ok(remaining)
        }
    }
}

/// Stage the file (whose content is now `bytes`) in its repository's index: the stage-0 entry
/// replaces the unmerged stages 1/2/3. Checked again here, on the bytes written, as `check
/// --staged` will read them once staged (no longer unmerged, with the marker size the index's
/// attributes give) and as `check` reads the working tree: nothing either would flag as a
/// conflict is ever staged.
fn stage(
    repo: Option<&FileRepo>,
    bytes: &[u8],
    context: &FileContext<'_>,
) -> Result<(), FileError> {
    let not_staged = |why: String| FileError::NotStaged(why);
    let repo = repo.ok_or_else(|| {
        not_staged("the file is not inside a Git repository's working tree".to_owned())
    })?;
    let mut sizes = vec![
        context.marker_size,
        git::marker_size(&repo.repo, &repo.rel),
        git::marker_size_from(&repo.repo, &repo.rel, git2::AttrCheckFlags::INDEX_ONLY),
        DEFAULT_MARKER_SIZE,
    ];
    sizes.sort_unstable();
    sizes.dedup();
    for marker_size in sizes {
        let staged = FileContext {
            unmerged: false,
            marker_size,
            ..*context
        };
        let parsed = parse(bytes, &ParseOptions { marker_size });
        if classify(bytes, &parsed, &staged).conflicts(&parsed) > 0 {
            return Err(not_staged(format!(
                "conflict markers of {marker_size} characters remain (the size `check` reads for \
                 this path)"
            )));
        }
    }
    let git_error = |e: git2::Error| not_staged(e.message().to_owned());
    let mut index = crate::source::repo::index(&repo.repo).map_err(not_staged)?;
    if crate::source::repo::is_in_memory(&index) {
        return Err(not_staged(
            "the index is a split or sparse index, which mergemark reads but does not write; \
             stage the file with `git add`"
                .to_owned(),
        ));
    }
    index.add_path(&repo.rel).map_err(git_error)?;
    index.write().map_err(git_error)
}

/// Replace the file atomically, and tell what the write noticed: temporary files a killed run
/// left (named, never removed), and other hard links that keep the old content.
fn write_file(path: &Path, original: &[u8], new: &[u8], backup: bool) -> Result<(), FileError> {
    let written = replace_file(path, original, new, backup)?;
    let name = escape_for_display(path.as_os_str().as_encoded_bytes());
    for stale in &written.stale_temporaries {
        say(
            Level::Note,
            &format!(
                "{} looks left behind by a mergemark run that was killed; delete it if you do not \
                 need it (mergemark removes no file it cannot prove it wrote)",
                escape_for_display(stale.as_os_str().as_encoded_bytes())
            ),
        );
    }
    if written.other_links > 0 {
        say(
            Level::Warning,
            &format!(
                "{name} had {} other hard link(s); they keep the old content (the file was \
                 replaced, as `git checkout` and `sed -i` replace files)",
                written.other_links
            ),
        );
    }
    Ok(())
}

fn describe(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}
