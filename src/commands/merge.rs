//! `mergemark merge BASE OURS THEIRS`: a Git merge driver (`merge.<name>.driver`). Git's own
//! three-way merge first (libgit2's, in the style `merge.conflictStyle` asks for, with Git's
//! labels and marker size); what it leaves in conflict is then settled by `resolve --strategy
//! auto`'s rules where they settle every conflict of the file; the result is written to OURS
//! (Git's `%A`). Exit 0: merged cleanly; 1: conflicts left, written as Git writes them.
//!
//! It must never break a merge: on any internal failure the file gets Git's own conflicted
//! output (or is left as it was when even that cannot be made) and the reason goes to stderr.

use std::path::Path;

use super::{say, Error, Exit, Level};
use crate::cli::MergeArgs;
use crate::conflict::{parse, ParseOptions, DEFAULT_MARKER_SIZE};
use crate::lint::FileContext;
use crate::resolve::{resolve, Facts, Strategy};

/// Git's conflict styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Merge,
    Diff3,
    Zdiff3,
}

/// Run the driver.
///
/// # Errors
/// When OURS cannot be written (the merge then stops with Git's own error).
pub fn run(args: &MergeArgs) -> Result<Exit, Error> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| Error::File {
            path: path.display().to_string(),
            message: super::describe_io(&e),
        })
    };
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let merged = std::panic::catch_unwind(|| merge(args, &base, &ours, &theirs));
    let (bytes, exit) = match merged {
        Ok(Ok(done)) => done,
        Ok(Err(why)) => {
            say(
                Level::Warning,
                &format!("{}: {why}; the file is left as it was", args.ours.display()),
            );
            return Ok(Exit::Findings);
        }
        Err(_) => {
            say(
                Level::Warning,
                &format!(
                    "{}: internal error in the merge driver; Git's own merge is written instead",
                    args.ours.display()
                ),
            );
            match git_merge(args, &base, &ours, &theirs, configured_style()) {
                Ok((bytes, _)) => (bytes, Exit::Findings),
                Err(_) => return Ok(Exit::Findings),
            }
        }
    };
    crate::resolve::write::replace_file(&args.ours, &ours, &bytes, false).map_err(|e| {
        Error::File {
            path: args.ours.display().to_string(),
            message: e.to_string(),
        }
    })?;
    Ok(exit)
}

/// Git's merge, then `auto`'s rules on what it left.
fn merge(
    args: &MergeArgs,
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
) -> Result<(Vec<u8>, Exit), String> {
    let style = configured_style();
    let (git_out, clean) = git_merge(args, base, ours, theirs, style)?;
    if clean {
        return Ok((git_out, Exit::Clean));
    }
    // The rules need the base of every conflict: merge again in the diff3 style to read them.
    let (diff3, _) = git_merge(args, base, ours, theirs, Style::Diff3)?;
    let marker_size = marker_size(args);
    let parsed = parse(&diff3, &ParseOptions { marker_size });
    let context = FileContext {
        marker_size,
        markdown: args
            .path
            .as_deref()
            .is_none_or(|p| crate::markdown::is_markdown_path(Path::new(p))),
        ..FileContext::default()
    };
    let result = resolve(
        &diff3,
        &parsed,
        Strategy::Auto,
        &Facts {
            context,
            known: &[],
        },
    );
    if result.remaining + result.undecided == 0 && result.resolved > 0 {
        Ok((result.bytes, Exit::Clean))
    } else {
        Ok((git_out, Exit::Findings))
    }
}

/// The marker size Git asked for (`%L`), or 7.
fn marker_size(args: &MergeArgs) -> usize {
    args.marker_size.map_or(DEFAULT_MARKER_SIZE, usize::from)
}

/// libgit2's three-way merge of the texts in `style`, with Git's labels and marker size: the
/// merged bytes and whether they are free of conflicts.
fn git_merge(
    args: &MergeArgs,
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    style: Style,
) -> Result<(Vec<u8>, bool), String> {
    // libgit2 merges no binary text (it hands back no content at all, which git2 cannot read
    // safely): Git's own rule, a NUL byte in the first 8000 bytes, says which is binary.
    if [base, ours, theirs]
        .iter()
        .any(|b| crate::text::looks_binary(b))
    {
        return Err("a binary file: merged by Git, not by mergemark".to_owned());
    }
    let failed = |e: git2::Error| format!("the merge failed: {}", e.message());
    let odb = git2::Odb::new().map_err(failed)?;
    odb.add_new_mempack_backend(1).map_err(failed)?;
    let repo = git2::Repository::from_odb(odb).map_err(failed)?;
    let entry = |bytes: &[u8]| -> Result<git2::IndexEntry, String> {
        let id = repo.blob(bytes).map_err(failed)?;
        Ok(git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100_644,
            uid: 0,
            gid: 0,
            file_size: 0,
            id,
            flags: 0,
            flags_extended: 0,
            path: args.path.as_deref().unwrap_or("file").as_bytes().to_vec(),
        })
    };
    let (base_entry, ours_entry, theirs_entry) = (entry(base)?, entry(ours)?, entry(theirs)?);
    let mut options = git2::MergeFileOptions::new();
    let label = |i: usize, default: &str| {
        args.labels
            .get(i)
            .cloned()
            .unwrap_or_else(|| default.to_owned())
    };
    options
        .our_label(label(0, "ours"))
        .ancestor_label(label(1, "base"))
        .their_label(label(2, "theirs"))
        .marker_size(u16::try_from(marker_size(args)).unwrap_or(u16::MAX));
    match style {
        Style::Merge => options.style_standard(true),
        Style::Diff3 => options.style_diff3(true),
        Style::Zdiff3 => options.style_zdiff3(true),
    };
    let merged = repo
        .merge_file_from_index(&base_entry, &ours_entry, &theirs_entry, Some(&mut options))
        .map_err(failed)?;
    Ok((merged.content().to_vec(), merged.is_automergeable()))
}

/// `merge.conflictStyle` from the repository Git runs the driver in (else the user's and the
/// system's configuration); the merge style when unset or unknown.
fn configured_style() -> Style {
    let config = std::env::current_dir()
        .ok()
        .and_then(|dir| crate::source::repo::open(&dir).ok().flatten())
        .and_then(|repo| repo.config().ok())
        .or_else(|| git2::Config::open_default().ok());
    match config
        .and_then(|c| c.get_string("merge.conflictStyle").ok())
        .as_deref()
    {
        Some("diff3") => Style::Diff3,
        Some("zdiff3") => Style::Zdiff3,
        _ => Style::Merge,
    }
}
