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
use crate::lint::{FileContext, KnownStages, Stages};
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
                &format!("{}: {why}; the file is left as it was", shown(args)),
            );
            return Ok(Exit::Findings);
        }
        Err(_) => {
            say(
                Level::Warning,
                &format!(
                    "{}: internal error in the merge driver; Git's own merge is written instead",
                    shown(args)
                ),
            );
            match git_merge(
                args,
                &base,
                &ours,
                &theirs,
                configured_style(),
                Diff::Default,
            ) {
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
    let (git_out, clean) = git_merge(args, base, ours, theirs, style, Diff::Default)?;
    if clean {
        // `git merge` lines the versions up with the histogram diff, libgit2 with Myers': a
        // clean merge is taken only when it does not depend on that choice (patience, the
        // histogram diff's ancestor, and the minimal diff merge it to the same bytes).
        for diff in [Diff::Patience, Diff::Minimal] {
            let (other, other_clean) = git_merge(args, base, ours, theirs, style, diff)?;
            if !other_clean {
                return Ok((other, Exit::Findings));
            }
            if other != git_out {
                return Ok((
                    whole_file_conflict(args, base, ours, theirs, style),
                    Exit::Findings,
                ));
            }
        }
        return Ok((git_out, Exit::Clean));
    }
    // The rules need the base of every conflict: merge again in the diff3 style to read them.
    let (diff3, _) = git_merge(args, base, ours, theirs, Style::Diff3, Diff::Default)?;
    let marker_size = marker_size(args);
    let parsed = parse(&diff3, &ParseOptions { marker_size });
    let ends_in_a_conflict = parsed.blocks().any(|b| b.span.end == diff3.len());
    // The three versions are known: examples the versions already held are told from conflicts
    // as for an unmerged path in a repository.
    let evidence = KnownStages(Stages {
        base: Some(base.to_vec()),
        ours: Some(ours.to_vec()),
        theirs: Some(theirs.to_vec()),
    });
    let context = FileContext {
        marker_size,
        markdown: args
            .path
            .as_deref()
            .is_none_or(|p| crate::markdown::is_markdown_path(Path::new(p))),
        unmerged: true,
        evidence: &evidence,
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
        let mut bytes = result.bytes;
        if ends_in_a_conflict && !final_newline(&mut bytes, [base, ours, theirs]) {
            return Ok((git_out, Exit::Findings));
        }
        Ok((bytes, Exit::Clean))
    } else {
        Ok((git_out, Exit::Findings))
    }
}

/// Give a merge whose end a rule settled the final newline the three versions call for: Git's
/// markers end every side with one, so the conflicted text does not say. Merged as one bit: the
/// side that changed it from the base wins, when the other side's last line is the base's (else
/// the newline and the other side's end are one conflict: `false`, left to a person).
fn final_newline(bytes: &mut Vec<u8>, [base, ours, theirs]: [&[u8]; 3]) -> bool {
    let ends = |v: &[u8]| v.is_empty() || v.ends_with(b"\n");
    let last_line = |v: &[u8]| -> Vec<u8> {
        let v = v.strip_suffix(b"\n").unwrap_or(v);
        let v = v.strip_suffix(b"\r").unwrap_or(v);
        v.rsplit(|&b| b == b'\n')
            .next()
            .unwrap_or_default()
            .to_vec()
    };
    let other = if ends(ours) != ends(base) {
        Some(theirs)
    } else if ends(theirs) != ends(base) {
        Some(ours)
    } else {
        None
    };
    if other.is_some_and(|other| last_line(other) != last_line(base)) {
        return false;
    }
    let wanted = if ends(ours) == ends(base) {
        ends(theirs)
    } else {
        ends(ours)
    };
    if wanted && !bytes.is_empty() && !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    } else if !wanted && bytes.ends_with(b"\n") {
        bytes.pop();
        let cr_in_a_version = [ours, theirs, base].iter().any(|v| v.ends_with(b"\r"));
        if bytes.ends_with(b"\r") && !cr_in_a_version {
            bytes.pop();
        }
    }
    true
}

/// What messages call the file: its path in the repository (`%P`), else the file Git handed over.
fn shown(args: &MergeArgs) -> String {
    args.path
        .clone()
        .unwrap_or_else(|| args.ours.display().to_string())
}

/// The marker size Git asked for (`%L`), or 7.
fn marker_size(args: &MergeArgs) -> usize {
    args.marker_size.map_or(DEFAULT_MARKER_SIZE, usize::from)
}

/// The line put before every version to learn whether a merge is empty (see [`git_merge`]).
const FRAME: &[u8] = b"mergemark\n";

/// How libgit2 lines the versions up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Diff {
    /// Myers' diff, as `git merge-file`.
    Default,
    /// The patience diff.
    Patience,
    /// Myers' diff, minimal.
    Minimal,
}

/// The whole file as one conflict, in `style`: for the rare merge whose clean result depends on
/// how the lines are lined up (a person decides, with every version in view).
fn whole_file_conflict(
    args: &MergeArgs,
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    style: Style,
) -> Vec<u8> {
    let marker = |c: u8| vec![c; marker_size(args)];
    let labels = labels(args);
    let mut out = Vec::new();
    let mut section = |c: u8, label: &str, text: &[u8]| {
        out.extend(marker(c));
        if !label.is_empty() {
            out.push(b' ');
            out.extend(label.as_bytes());
        }
        out.push(b'\n');
        out.extend_from_slice(text);
        if !text.is_empty() && !text.ends_with(b"\n") {
            out.push(b'\n');
        }
    };
    section(b'<', &labels.0, ours);
    if style != Style::Merge {
        section(b'|', &labels.1, base);
    }
    section(b'=', "", theirs);
    out.extend(marker(b'>'));
    out.push(b' ');
    out.extend(labels.2.as_bytes());
    out.push(b'\n');
    out
}

/// The labels Git gave (`-L %X -L %S -L %Y`: ours, base, theirs), else `ours`, `base`,
/// `theirs`. A Git older than 2.44 passes the placeholders as they are: no label then.
fn labels(args: &MergeArgs) -> (String, String, String) {
    let label = |i: usize, default: &str| {
        args.labels
            .get(i)
            .filter(|l| !matches!(l.as_str(), "%X" | "%S" | "%Y"))
            .cloned()
            .unwrap_or_else(|| default.to_owned())
    };
    (label(0, "ours"), label(1, "base"), label(2, "theirs"))
}

/// libgit2's three-way merge of the texts in `style`, with Git's labels and marker size: the
/// merged bytes and whether they are free of conflicts.
fn git_merge(
    args: &MergeArgs,
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    style: Style,
    diff: Diff,
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
    let path = args.path.as_deref().unwrap_or("file");
    let entry = |bytes: &[u8]| -> Result<git2::IndexEntry, String> {
        Ok(index_entry(repo.blob(bytes).map_err(failed)?, path))
    };
    let (base_entry, ours_entry, theirs_entry) = (entry(base)?, entry(ours)?, entry(theirs)?);
    // libgit2 drops the label of a version that is empty; so it writes markers longer than any
    // line's run, and they are written again at Git's size, with every label (see [`relabel`]).
    let unmistakable = unmistakable_marker_size(args, [base, ours, theirs]);
    let mut options = git2::MergeFileOptions::new();
    let (our_label, base_label, their_label) = labels(args);
    options
        .our_label(our_label)
        .ancestor_label(base_label)
        .their_label(their_label)
        .marker_size(u16::try_from(unmistakable).unwrap_or(u16::MAX))
        .patience(diff == Diff::Patience)
        .minimal(diff == Diff::Minimal);
    match style {
        Style::Merge => options.style_standard(true),
        Style::Diff3 => options.style_diff3(true),
        Style::Zdiff3 => options.style_zdiff3(true),
    };
    // git2 reads an empty result through a null pointer (undefined: a debug build aborts). A
    // merge can only come out empty when neither side adds a line to the base; then the same
    // merge with one line put before all three (which changes nothing else: Git's diff trims a
    // common prefix first) says whether it is clean and empty.
    if crate::source::git::could_merge_to_nothing(base, ours, theirs) {
        let framed = |text: &[u8]| entry(&[FRAME, text].concat());
        let merged = repo
            .merge_file_from_index(
                &framed(base)?,
                &framed(ours)?,
                &framed(theirs)?,
                Some(&mut options),
            )
            .map_err(failed)?;
        if merged.is_automergeable() && merged.content() == FRAME {
            return Ok((Vec::new(), true));
        }
    }
    let merged = repo
        .merge_file_from_index(&base_entry, &ours_entry, &theirs_entry, Some(&mut options))
        .map_err(failed)?;
    let labelled = relabel(
        merged.content(),
        unmistakable,
        marker_size(args),
        &labels(args),
    );
    Ok((labelled, merged.is_automergeable()))
}

/// An index entry for the blob `id` at `path`: what libgit2's file merge takes.
fn index_entry(id: git2::Oid, path: &str) -> git2::IndexEntry {
    git2::IndexEntry {
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
        path: path.as_bytes().to_vec(),
    }
}

/// A marker size longer than any run of one character that starts a line of the versions (and
/// than Git's): markers of this size cannot be taken for a line of text.
fn unmistakable_marker_size(args: &MergeArgs, versions: [&[u8]; 3]) -> usize {
    versions
        .iter()
        .flat_map(|text| text.split(|&b| b == b'\n'))
        .map(|line| {
            let first = line.first().copied();
            line.iter().take_while(|&&b| Some(b) == first).count()
        })
        .max()
        .unwrap_or(0)
        .max(marker_size(args))
        + 1
}

/// `merged`, written with `long` markers, with Git's `size` markers instead and each labelled.
fn relabel(merged: &[u8], long: usize, size: usize, labels: &(String, String, String)) -> Vec<u8> {
    let mut out = Vec::with_capacity(merged.len());
    for line in merged.split_inclusive(|&b| b == b'\n') {
        let marker = [b'<', b'|', b'=', b'>'].into_iter().find(|&c| {
            line.len() >= long
                && line[..long].iter().all(|&b| b == c)
                && matches!(line.get(long), None | Some(b' ' | b'\r' | b'\n'))
        });
        let Some(c) = marker else {
            out.extend_from_slice(line);
            continue;
        };
        let rest = &line[long..];
        out.extend(std::iter::repeat_n(c, size));
        let ending = rest.len() - rest.trim_ascii_end().len();
        let label = match c {
            b'<' => labels.0.as_str(),
            b'|' => labels.1.as_str(),
            b'>' => labels.2.as_str(),
            _ => "",
        };
        if rest.trim_ascii_end().is_empty() && !label.is_empty() {
            out.push(b' ');
            out.extend(label.as_bytes());
            out.extend_from_slice(&rest[rest.len() - ending..]);
        } else {
            out.extend_from_slice(rest);
        }
    }
    out
}

/// `merge.conflictStyle`: from `git -c` (Git hands those to the driver in
/// `GIT_CONFIG_PARAMETERS`), else the repository Git runs the driver in (with the user's and the
/// system's configuration); the merge style when unset or unknown.
fn configured_style() -> Style {
    let from_command_line = std::env::var("GIT_CONFIG_PARAMETERS")
        .ok()
        .and_then(|p| command_line_value(&p, "merge.conflictstyle"));
    let name = from_command_line.or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|dir| crate::source::repo::open(&dir).ok().flatten())
            .and_then(|repo| repo.config().ok())
            .or_else(|| git2::Config::open_default().ok())
            .and_then(|c| c.get_string("merge.conflictStyle").ok())
    });
    match name.as_deref() {
        Some("diff3") => Style::Diff3,
        Some("zdiff3") => Style::Zdiff3,
        _ => Style::Merge,
    }
}

/// The last value of `key` (lower case) in `GIT_CONFIG_PARAMETERS`: Git's quoted list of
/// `'key=value'` (older Git) or `'key'='value'` items.
fn command_line_value(parameters: &str, key: &str) -> Option<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut chars = parameters.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => quoted = !quoted,
            '\\' if !quoted => {
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.iter().rev().find_map(|w| {
        let (k, v) = w.split_once('=')?;
        (k.to_ascii_lowercase() == key).then(|| v.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::command_line_value;

    #[test]
    fn reads_git_dash_c_values_both_ways_git_writes_them() {
        let key = "merge.conflictstyle";
        assert_eq!(
            command_line_value("'merge.conflictStyle'='diff3'", key).as_deref(),
            Some("diff3")
        );
        assert_eq!(
            command_line_value("'core.x=1' 'merge.conflictstyle=zdiff3'", key).as_deref(),
            Some("zdiff3")
        );
        assert_eq!(command_line_value("'core.x'='1'", key), None);
    }
}
