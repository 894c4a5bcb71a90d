//! The interactive session for one file.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The interactive session for one file; returns how many conflicts remain in it.
pub(super) fn interactive(
    file: &File<'_>,
    add: bool,
    out: &mut dyn Write,
) -> Result<usize, FileError> {
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
