//! `mergemark schema match PATH...`: which schema each file gets and on what evidence, and which
//! heading (or label line) stands for each section and why. The answer to "why does it say my
//! Timeline is missing?" without reading the matcher.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{finish, Error, Exit};
use crate::conflict::Side;
use crate::document::{explain, Explanation};
use crate::report::{say, Level};
use crate::source::Workspace;
use crate::text::escape_for_display;

/// The JSON document: `{"version": 1, "files": [...]}`.
#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: &'a [FileMatch],
    /// Files that could not be read: `{"path", "message"}`, as `check` reports them.
    errors: &'a [PathError],
}

#[derive(Serialize)]
struct PathError {
    path: String,
    message: String,
}

/// One file's answer, as JSON writes it.
#[derive(Serialize)]
struct FileMatch {
    path: String,
    /// The schema's name (`null`: no schema applies).
    schema: Option<String>,
    /// Why it applies.
    detected_by: Option<String>,
    /// Whether findings keep their levels (`false`: warnings, on thin evidence).
    strong: bool,
    versions: Vec<VersionMatch>,
}

#[derive(Serialize)]
struct VersionMatch {
    /// `ours`, `theirs`, `base`; `null` for a file without conflicts.
    side: Option<Side>,
    sections: Vec<SectionAt>,
}

#[derive(Serialize)]
struct SectionAt {
    section: String,
    /// 1-based line of the heading or label line (`null`: missing).
    line: Option<usize>,
    /// The line as written.
    text: Option<String>,
    heading: bool,
    /// `title`, ``alias `...` ``, `the words of ..., and a few more`, ``concept `...` ``, `label line`.
    matched_by: Option<String>,
}

/// Run `schema match`.
///
/// # Errors
/// When the output cannot be written.
pub fn run(
    paths: &[PathBuf],
    json: bool,
    workspace: &Workspace,
    here: &Path,
    base: &Path,
) -> Result<Exit, Error> {
    let mut status = Exit::Clean;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let absolute = here.join(path);
        let bytes = match std::fs::read(&absolute) {
            Ok(bytes) => bytes,
            Err(error) => {
                say(Level::Error, &format!("{}: {error}", path.display()));
                errors.push(PathError {
                    path: path.to_string_lossy().into_owned(),
                    message: error.to_string(),
                });
                status = Exit::Failed;
                continue;
            }
        };
        let absolute = absolute.canonicalize().unwrap_or(absolute);
        let rel = absolute.strip_prefix(base).map_or_else(
            |_| path.to_string_lossy().into_owned(),
            |p| p.to_string_lossy().replace('\\', "/"),
        );
        let dir = absolute.parent().unwrap_or(base);
        let in_force = workspace.settings_for_dir(dir, base);
        let found = explain(&bytes, &rel, &in_force.settings.schemas);
        files.push(file_match(
            path.to_string_lossy().into_owned(),
            &bytes,
            found,
        ));
    }
    let mut out = io::stdout().lock();
    let written = if json {
        serde_json::to_writer_pretty(
            &mut out,
            &Output {
                version: 1,
                files: &files,
                errors: &errors,
            },
        )
        .map_err(io::Error::other)
        .and_then(|()| writeln!(out))
    } else {
        files.iter().try_for_each(|f| human(&mut out, f))
    };
    finish(written, status, "output")
}

fn file_match(path: String, bytes: &[u8], found: Option<Explanation>) -> FileMatch {
    let Some(found) = found else {
        return FileMatch {
            path,
            schema: None,
            detected_by: None,
            strong: false,
            versions: Vec::new(),
        };
    };
    let line_of = |at: usize| {
        bytes[..at.min(bytes.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    };
    let versions = found
        .versions
        .into_iter()
        .map(|(side, sections)| VersionMatch {
            side,
            sections: sections
                .into_iter()
                .map(|m| SectionAt {
                    line: m.span.map(|s| line_of(s.start)),
                    text: m.span.map(|s| {
                        let end = s.end.min(bytes.len());
                        escape_for_display(bytes[s.start.min(end)..end].trim_ascii())
                    }),
                    section: m.section,
                    heading: m.heading,
                    matched_by: m.matched_by,
                })
                .collect(),
        })
        .collect();
    FileMatch {
        path,
        schema: Some(found.schema),
        detected_by: Some(found.detection.reason()),
        strong: found.detection.strong,
        versions,
    }
}

fn human(out: &mut dyn Write, file: &FileMatch) -> io::Result<()> {
    let path = escape_for_display(file.path.as_bytes());
    let (Some(schema), Some(why)) = (&file.schema, &file.detected_by) else {
        return writeln!(out, "{path}: no schema");
    };
    let strength = if file.strong {
        ""
    } else {
        " (thin evidence: its findings are warnings)"
    };
    writeln!(out, "{path}: {schema}, because {why}{strength}")?;
    let width = file
        .versions
        .iter()
        .flat_map(|v| &v.sections)
        .map(|s| s.section.chars().count())
        .max()
        .unwrap_or(0);
    for version in &file.versions {
        let indent = if let Some(side) = version.side {
            writeln!(out, "  {} side:", side.name())?;
            "    "
        } else {
            "  "
        };
        for s in &version.sections {
            match (&s.line, &s.text, &s.matched_by) {
                (Some(line), Some(text), Some(by)) => writeln!(
                    out,
                    "{indent}{:width$}  line {line}: `{text}`, by {by}",
                    s.section
                )?,
                _ => writeln!(out, "{indent}{:width$}  missing", s.section)?,
            }
        }
    }
    Ok(())
}
