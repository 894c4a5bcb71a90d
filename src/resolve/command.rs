//! `mergemark resolve --strategy ...`: the non-interactive resolver (the shell around
//! [`super::apply`]): read, resolve, then print (`--stdout`), show a diff (`--dry-run`) or write
//! atomically.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use similar::TextDiff;

use super::eligible::Hold;
use super::known_base::{align, ThreeWay};
use super::write::replace_file;
use super::{resolve, Facts, Strategy};
use crate::conflict::{parse, ParseOptions, DEFAULT_MARKER_SIZE};
use crate::lint::{classify, Evidence, FileContext, NoEvidence};
use crate::markdown::is_markdown_path;
use crate::report::exit;
use crate::source::evidence::{Handle, MergeSource, RepoEvidence};
use crate::source::git;
use crate::source::worktree::BINARY_PROBE;
use crate::text::escape_for_display;

/// What to do with the resolved bytes.
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
    /// Ask, region by region (keys from stdin), then write atomically after confirmation.
    Interactive {
        /// Stage the file (git2) once no conflict remains in it.
        add: bool,
    },
}

/// Resolve every path; returns the exit status: 0 no conflict remains, 1 some remain, 2 an error.
pub fn run(
    paths: &[PathBuf],
    strategy: Strategy,
    output: Output,
    marker_size: Option<usize>,
) -> i32 {
    let mut status = exit::CLEAN;
    let mut out = io::stdout().lock();
    for path in paths {
        match resolve_path(path, strategy, output, marker_size, &mut out) {
            Ok(0) => {}
            Ok(_) => status = status.max(exit::FINDINGS),
            Err(message) => {
                eprintln!(
                    "mergemark: error: {}: {message}",
                    escape_for_display(path.as_os_str().as_encoded_bytes())
                );
                status = exit::ERROR;
            }
        }
    }
    status
}

/// Resolve one file; returns how many conflicts remain in it.
fn resolve_path(
    path: &Path,
    strategy: Strategy,
    output: Output,
    marker_size: Option<usize>,
    out: &mut dyn Write,
) -> Result<usize, String> {
    let original = read_text(path)?;
    let name = escape_for_display(path.as_os_str().as_encoded_bytes());
    // The file's repository, opened once: marker size, evidence, configuration boundary, staging.
    let repo = match path.canonicalize() {
        Ok(absolute) => git::open_for(&absolute)?,
        Err(_) => None,
    };
    if let Some(reason) = deleted_by_a_side(repo.as_ref(), strategy) {
        // The unmerged path is what `check` reports: one conflict remains.
        eprintln!("mergemark: {name}: {reason}; left as it is");
        eprintln!("mergemark: {name}: 0 resolved, 1 remaining");
        return Ok(1);
    }
    let size = marker_size.unwrap_or_else(|| {
        repo.as_ref()
            .map_or(DEFAULT_MARKER_SIZE, |r| git::marker_size(&r.repo, &r.rel))
    });
    let parsed = parse(&original, &ParseOptions { marker_size: size });
    let evidence = repo.as_ref().map(|r| {
        RepoEvidence::new(Handle::Open(&r.repo), &r.rel, r.is_unmerged())
            .from_merge(MergeSource::InProgress)
    });
    let file = File {
        path,
        repo: repo.as_ref(),
        name: &name,
        original: &original,
        parsed: &parsed,
        context: FileContext {
            marker_size: size,
            markdown: is_markdown_path(path),
            unmerged: evidence.as_ref().is_some_and(RepoEvidence::unmerged),
            evidence: evidence
                .as_ref()
                .map_or(&NoEvidence as &dyn Evidence, |e| e as &dyn Evidence),
            other_sizes: &[],
        },
    };
    if let Output::Interactive { add } = output {
        return interactive(&file, add, out);
    }
    // Only `base` and `auto` use a recovered base; the other strategies are exact without one.
    let known = if matches!(strategy, Strategy::Base | Strategy::Auto) {
        known_bases(file.repo, &original, &parsed)
    } else {
        Vec::new()
    };
    let facts = Facts {
        context: file.context,
        known: &known,
    };
    let result = resolve(&original, &parsed, strategy, &facts);
    deliver(&file, &result, output, out)?;
    Ok(result.remaining + result.undecided)
}

/// The file's bytes, when it is a regular file whose markers can be read.
fn read_text(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| describe(&e))?;
    if meta.file_type().is_symlink() {
        return Err("is a symbolic link; resolve the file it points to instead".to_owned());
    }
    if !meta.is_file() {
        return Err("not a regular file".to_owned());
    }
    let bytes = std::fs::read(path).map_err(|e| describe(&e))?;
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some() {
        // UTF-16 text too (`working-tree-encoding`): its markers are not ours to read.
        return Err(
            "a NUL byte in its first 8000 bytes (binary, or UTF-16 text): its markers cannot be \
             read; nothing written, nothing staged"
                .to_owned(),
        );
    }
    Ok(bytes)
}

/// Why a modify/delete conflict is not the strategy's to settle: the file on disk is the side
/// that kept it, so only taking that side is taking the file; anything else means deleting it or
/// combining with nothing, which `git rm` and `git add` say plainly.
fn deleted_by_a_side(repo: Option<&git::FileRepo>, strategy: Strategy) -> Option<String> {
    use crate::conflict::Side;
    let gone = repo?.deleted_side()?;
    let kept = match gone {
        Side::Ours => Side::Theirs,
        Side::Theirs => Side::Ours,
        Side::Base => return None,
    };
    let chosen = match strategy {
        Strategy::Ours => Some(Side::Ours),
        Strategy::Theirs => Some(Side::Theirs),
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
    result: &super::Resolution,
    output: Output,
    out: &mut dyn Write,
) -> Result<(), String> {
    let name = file.name;
    let verb = if matches!(output, Output::Write { .. }) {
        ""
    } else {
        "would be "
    };
    // A closed pipe (`resolve --stdout | head`) is the reader's choice, not a failure.
    let printed = |written: io::Result<()>| match written {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(describe(&error)),
        _ => Ok(()),
    };
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
        Output::Interactive { .. } => unreachable!("the interactive resolver writes itself"),
        Output::Write { backup, add } => {
            if result.bytes != file.original {
                write_file(file.path, file.original, &result.bytes, backup)?;
            }
            if add && result.remaining + result.undecided == 0 {
                stage(file.repo, &result.bytes, &file.context)?;
            } else if add {
                eprintln!("mergemark: {name}: not staged: conflicts remain");
            }
        }
    }
    for (index, hold) in &result.held {
        if *hold != Hold::NotThisMergesConflict {
            eprintln!(
                "mergemark: {name}: conflict {} left as it is: {}",
                index + 1,
                hold.reason()
            );
        }
    }
    report_undecided(name, result.undecided);
    eprintln!(
        "mergemark: {name}: {} {verb}resolved, {} remaining",
        result.resolved,
        result.remaining + result.undecided
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
    eprintln!(
        "mergemark: {name}: {what}: without the merge's versions an example cannot be told from a \
         conflict (resolve by hand, or where the merge is in progress)"
    );
}

/// Bases for the blocks whose markers carry none, recovered from the repository (the index
/// stages of an unmerged path, or the commits the labels name) and kept only where the working
/// file still reads exactly as Git's merge of them.
pub(super) fn known_bases(
    repo: Option<&git::FileRepo>,
    input: &[u8],
    parsed: &crate::conflict::ConflictedText,
) -> Vec<ThreeWay> {
    let Some(repo) = repo else {
        return Vec::new();
    };
    let Some(first) = parsed
        .blocks()
        .find(|b| b.side(crate::conflict::Side::Base).is_none())
    else {
        return Vec::new();
    };
    let label = |span: Option<crate::span::Span>| span.map(|s| s.slice(input));
    let Some(mut reference) =
        git::diff3_reference(repo, label(first.start.label), label(first.end.label))
    else {
        return Vec::new();
    };
    // A checkout with `core.autocrlf` writes CRLF where the blobs hold LF.
    if first.start.line.slice(input).ends_with(b"\r\n") && !reference.contains(&b'\r') {
        reference = reference
            .split_inclusive(|&b| b == b'\n')
            .flat_map(|line| match line.strip_suffix(b"\n") {
                Some(body) => [body, b"\r\n"].concat(),
                None => line.to_vec(),
            })
            .collect();
    }
    align(input, parsed, &reference)
}

/// One file being resolved, as read.
struct File<'a> {
    path: &'a Path,
    repo: Option<&'a git::FileRepo>,
    name: &'a str,
    original: &'a [u8],
    parsed: &'a crate::conflict::ConflictedText,
    context: FileContext<'a>,
}

/// The interactive session for one file; returns how many conflicts remain in it.
fn interactive(file: &File<'_>, add: bool, out: &mut dyn Write) -> Result<usize, String> {
    let schemas = schemas_for(file.path, file.repo.map(|r| r.workdir.as_path()));
    let editor = std::env::var("VISUAL")
        .ok()
        .or_else(|| std::env::var("EDITOR").ok());
    let roles = classify(file.original, file.parsed, &file.context);
    let conflicted = super::prompt::Conflicted {
        input: file.original,
        parsed: file.parsed,
        name: file.name,
        schemas: &schemas,
        known: &known_bases(file.repo, file.original, file.parsed),
        holds: &super::eligible::holds(
            file.original,
            file.parsed,
            &roles,
            file.context.evidence.stages(),
        ),
        stages: file.context.evidence.stages(),
    };
    let stdin = io::stdin();
    let outcome = super::prompt::run(conflicted, editor.as_deref(), &mut stdin.lock(), out)
        .map_err(|e| describe(&e))?;
    // Conflicts left, and examples that no merged version shows to be examples.
    let remaining_in = |bytes: &[u8]| {
        let parsed = parse(
            bytes,
            &ParseOptions {
                marker_size: file.context.marker_size,
            },
        );
        let classified = classify(bytes, &parsed, &file.context);
        (classified.conflicts(&parsed), classified.undecided)
    };
    match outcome {
        super::prompt::Outcome::Quit => {
            let (remaining, undecided) = remaining_in(file.original);
            Ok(remaining + undecided)
        }
        super::prompt::Outcome::Write(bytes) => {
            if bytes != file.original {
                replace_file(file.path, file.original, &bytes, false).map_err(|e| e.to_string())?;
            }
            let (remaining, undecided) = remaining_in(&bytes);
            report_undecided(file.name, undecided);
            let remaining = remaining + undecided;
            eprintln!("mergemark: {}: written, {remaining} remaining", file.name);
            if add && remaining == 0 {
                stage(file.repo, &bytes, &file.context)?;
            } else if add {
                eprintln!("mergemark: {}: not staged: conflicts remain", file.name);
            }
            Ok(remaining)
        }
    }
}

/// The schemas for a file: the nearest mergemark.toml up to its repository root (`stop`), or the
/// built-in one.
fn schemas_for(path: &Path, stop: Option<&Path>) -> crate::schema::SchemaSet {
    path.canonicalize()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .and_then(|dir| crate::config::discover(&dir, stop))
        .and_then(|file| crate::config::load(&file).ok())
        .map_or_else(
            || crate::schema::SchemaSet::new(Vec::new(), true),
            |s| s.schemas,
        )
}

/// Stage the file (whose content is now `bytes`) in its repository's index: the stage-0 entry
/// replaces the unmerged stages 1/2/3. Checked again here, on the bytes written, as `check
/// --staged` will read them once staged (no longer unmerged, with the marker size the index's
/// attributes give) and as `check` reads the working tree: nothing either would flag as a
/// conflict is ever staged.
fn stage(
    repo: Option<&git::FileRepo>,
    bytes: &[u8],
    context: &FileContext<'_>,
) -> Result<(), String> {
    let repo = repo.ok_or_else(|| {
        "not staged: the file is not inside a Git repository's working tree".to_owned()
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
            return Err(format!(
                "not staged: conflict markers of {marker_size} characters remain (the size `check` \
                 reads for this path)"
            ));
        }
    }
    let not_staged = |e: git2::Error| format!("not staged: {}", e.message());
    let mut index =
        crate::source::repo::index(&repo.repo).map_err(|e| format!("not staged: {e}"))?;
    if crate::source::repo::is_in_memory(&index) {
        return Err(
            "not staged: the index is a split or sparse index, which mergemark reads but does not \
             write; stage the file with `git add`"
                .to_owned(),
        );
    }
    index.add_path(&repo.rel).map_err(not_staged)?;
    index.write().map_err(not_staged)
}

/// Replace the file atomically, and tell what the write noticed: temporary files a killed run
/// left (named, never removed), and other hard links that keep the old content.
fn write_file(path: &Path, original: &[u8], new: &[u8], backup: bool) -> Result<(), String> {
    let written = replace_file(path, original, new, backup).map_err(|e| e.to_string())?;
    let name = escape_for_display(path.as_os_str().as_encoded_bytes());
    for stale in &written.stale_temporaries {
        eprintln!(
            "mergemark: note: {} looks left behind by a mergemark run that was killed; \
             delete it if you do not need it (mergemark removes no file it cannot prove it wrote)",
            escape_for_display(stale.as_os_str().as_encoded_bytes())
        );
    }
    if written.other_links > 0 {
        eprintln!(
            "mergemark: warning: {name} had {} other hard link(s); they keep the old content \
             (the file was replaced, as `git checkout` and `sed -i` replace files)",
            written.other_links
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
