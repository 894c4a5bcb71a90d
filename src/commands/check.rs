//! `mergemark check`: flags to settings, the check through the sources, one emitter per format.

use std::io::{self, IsTerminal, Write};

use super::{finish, say_problems, use_color, walk_options, Error, Exit};
use crate::check::{check, CheckSettings, FixMode};
use crate::cli::{CheckArgs, ColorChoice, Format, SettingsArgs, WalkArgs};
use crate::report::{self, human::HumanOptions, Rendering};
use crate::selection::Selection;
use crate::source::{ConfigChoice, GitScope, Scope, Workspace};

/// Run `check`.
///
/// # Errors
/// When the report cannot be written.
pub fn run(args: &CheckArgs, color: ColorChoice) -> Result<Exit, Error> {
    usage(args)?;
    let stdout = io::stdout();
    let is_terminal = stdout.is_terminal();
    let format = args.format.unwrap_or(if is_terminal {
        Format::Human
    } else {
        Format::Concise
    });
    let human = HumanOptions {
        color: use_color(color, is_terminal),
        width: crate::terminal::width(),
    };
    let settings = CheckSettings {
        scope: scope(args)?,
        paths: super::source_paths(&args.paths),
        progress: io::stderr().is_terminal(),
        // Not for the statistics table, which counts findings instead of listing them.
        rendering: match format {
            _ if args.statistics => None,
            Format::Human => Some(Rendering::Human(human)),
            Format::Concise => Some(Rendering::Concise { color: human.color }),
            Format::Json | Format::Sarif | Format::Github => None,
        },
        strict: args.strict,
        // ruff's habit: text for people names files as they open from here.
        cwd: (args.diff || matches!(format, Format::Human | Format::Concise))
            .then(|| std::env::current_dir().and_then(|d| d.canonicalize()).ok())
            .flatten(),
        fix: if args.fix {
            FixMode::Write
        } else if args.diff {
            FixMode::Diff
        } else {
            FixMode::Off
        },
        verbose: args.settings.verbose,
        selection: Selection {
            select: args.select.clone(),
            extend_select: args.extend_select.clone(),
            ignore: args.ignore.clone(),
        },
    };
    let workspace = workspace(&args.walk, &args.settings);
    let report = check(&settings, &workspace);
    if settings.fix == FixMode::Diff {
        return super::fixes::emit_diffs(&report, args.quiet, args.exit_zero);
    }
    super::fixes::say_counts(&report, args.quiet, "fixed");
    // `check --fix -` prints the fixed text on stdout (an editor's buffer), the findings on stderr.
    let mut out: Box<dyn Write> = match &settings.scope {
        Scope::Stdin { bytes, .. } if settings.fix == FixMode::Write => {
            let text = report.fixes.iter().find_map(|f| f.text.as_deref());
            let mut stdout = stdout.lock();
            let printed = stdout
                .write_all(text.unwrap_or(bytes))
                .and_then(|()| stdout.flush());
            super::reader_closed_is_fine(printed).map_err(|source| Error::Output {
                what: "fixed text",
                source,
            })?;
            Box::new(io::BufWriter::new(io::stderr().lock()))
        }
        _ => Box::new(io::BufWriter::new(stdout.lock())),
    };
    // JSON carries its errors, unless it is the statistics table.
    if format != Format::Json || args.statistics {
        say_problems(
            &report.errors,
            if args.quiet { &[] } else { &report.skipped },
        );
    }
    let written = match format {
        _ if args.statistics => report::statistics::emit(&report, &mut out, format == Format::Json),
        Format::Human if args.quiet => report::human::emit_findings(&report, &mut out),
        Format::Human => report::human::emit(&report, &mut out, human),
        Format::Concise => report::concise::emit(&report, &mut out, human.color),
        Format::Json => report::json::emit(&report, &mut out),
        Format::Sarif => report::sarif::emit(&report, &mut out),
        Format::Github => report::github::emit(&report, &mut out),
    }
    .and_then(|()| out.flush());
    let exit = match report.exit() {
        Exit::Findings if args.exit_zero => Exit::Clean,
        exit => exit,
    };
    // The process ends next: freeing every finding and the workspace's caches one by one would
    // only delay the exit (a few milliseconds on a tree with thousands of findings).
    std::mem::forget(report);
    std::mem::forget(workspace);
    finish(written, exit, "report")
}

/// Flags that cannot go together in ways clap does not say.
fn usage(args: &CheckArgs) -> Result<(), Error> {
    if args.statistics && matches!(args.format, Some(Format::Sarif | Format::Github)) {
        return Err(Error::Usage(
            "--statistics prints a table, or JSON with --format json; not SARIF or GitHub \
             annotations"
                .to_owned(),
        ));
    }
    Ok(())
}

/// The scope the flags ask for.
fn scope(args: &CheckArgs) -> Result<Scope, Error> {
    let stdin =
        super::reads_stdin(&args.paths) || (args.paths.is_empty() && args.stdin_filename.is_some());
    if stdin {
        return stdin_scope(args);
    }
    if args.stdin_filename.is_some() {
        return Err(Error::Usage(
            "--stdin-filename names the text read from stdin: give `-` as the only PATH, or no \
             PATH"
                .to_owned(),
        ));
    }
    let git = if args.staged {
        GitScope::Staged { all: args.all }
    } else if let Some(rev) = &args.rev {
        GitScope::Rev(rev.clone())
    } else if let Some(rev) = &args.changed_since {
        GitScope::ChangedSince(rev.clone())
    } else if let Some(range) = &args.commits {
        GitScope::Commits {
            range: range.clone(),
            remote: args.remote.clone(),
        }
    } else {
        return Ok(Scope::Worktree);
    };
    Ok(Scope::Git(git))
}

/// `check -`: the text on stdin, read now.
fn stdin_scope(args: &CheckArgs) -> Result<Scope, Error> {
    if args.staged || args.rev.is_some() || args.changed_since.is_some() || args.commits.is_some() {
        return Err(Error::Usage(
            "`-` checks the text on stdin: it takes no Git scope (--staged, --rev, \
             --changed-since, --commits)"
                .to_owned(),
        ));
    }
    Ok(Scope::Stdin {
        path: args.stdin_filename.clone(),
        bytes: super::read_stdin()?,
    })
}

/// The workspace the flags describe (`check` and `diff` alike).
#[must_use]
pub fn workspace(walk: &WalkArgs, settings: &SettingsArgs) -> Workspace {
    Workspace::new(
        config_choice(settings),
        settings.marker_size.map(usize::from),
        walk_options(walk),
    )
}

/// `--config FILE`, `--no-config`, or discovery.
#[must_use]
pub fn config_choice(settings: &SettingsArgs) -> ConfigChoice {
    match (&settings.config, settings.no_config) {
        (_, true) => ConfigChoice::None,
        (Some(file), false) => ConfigChoice::File(file.clone()),
        (None, false) => ConfigChoice::Discover,
    }
}
