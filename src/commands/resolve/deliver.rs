//! What a strategy's result becomes: printed, previewed, or written atomically and staged; and what
//! is said about it.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Print, preview or write the result (and stage it with `--add`), then say what was left and why.
pub(super) fn deliver(
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
pub(super) fn report_undecided(name: &str, undecided: usize) {
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

/// Stage the file (whose content is now `bytes`) in its repository's index: the stage-0 entry
/// replaces the unmerged stages 1/2/3. Checked again here, on the bytes written, as `check
/// --staged` will read them once staged (no longer unmerged, with the marker size the index's
/// attributes give) and as `check` reads the working tree: nothing either would flag as a
/// conflict is ever staged.
pub(super) fn stage(
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
pub(super) fn write_file(
    path: &Path,
    original: &[u8],
    new: &[u8],
    backup: bool,
) -> Result<(), FileError> {
    let written = replace_file(path, original, new, backup)?;
    crate::report::say_written(path, &written);
    Ok(())
}
