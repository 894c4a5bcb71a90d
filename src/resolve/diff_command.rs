//! `mergemark diff [PATH...]`: show what each side of every conflict changed. Directories are
//! walked like `check` walks them (ignore files honoured); only files with conflicts are shown.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::diff::{region_diffs, region_diffs_with, RegionDiff};
use crate::conflict::{parse, ParseOptions, Side, DEFAULT_MARKER_SIZE};
use crate::report::exit;
use crate::source::worktree::slash_path;
use crate::text::escape_for_display;

/// One file's regions.
#[derive(Serialize)]
struct FileDiff {
    path: String,
    regions: Vec<RegionDiff>,
}

/// Which version of the files to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The working tree.
    Worktree,
    /// The index's staged blobs that differ from HEAD.
    Staged,
    /// A commit's tree.
    Rev(String),
}

/// Show the diffs; exit 0 when no conflict was found, 1 when some were shown, 2 on errors.
pub fn run(paths: &[PathBuf], source: Source, json: bool, color: bool) -> i32 {
    let mut status = exit::CLEAN;
    let mut files = Vec::new();
    if source != Source::Worktree {
        match from_git(paths, &source) {
            Ok(found) => files = found,
            Err(message) => {
                eprintln!("mergemark: error: {message}");
                status = exit::ERROR;
            }
        }
    }
    for root in paths.iter().filter(|_| source == Source::Worktree) {
        for entry in ignore::WalkBuilder::new(root).build() {
            let entry = match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => entry,
                Ok(_) => continue,
                Err(error) => {
                    eprintln!("mergemark: error: {error}");
                    status = exit::ERROR;
                    continue;
                }
            };
            match diff_file(entry.path()) {
                Ok(Some(file)) => files.push(file),
                Ok(None) => {}
                Err(error) => {
                    eprintln!("mergemark: error: {}: {error}", slash_path(entry.path()));
                    status = exit::ERROR;
                }
            }
        }
    }
    if status == exit::CLEAN && !files.is_empty() {
        status = exit::FINDINGS;
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = if json {
        serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "files": files }))
            .map_err(io::Error::from)
            .and_then(|text| writeln!(out, "{}", crate::text::escape_json_hidden_controls(text)))
    } else {
        files.iter().try_for_each(|f| render(&mut out, f, color))
    }
    .and_then(|()| out.flush());
    match written {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("mergemark: error: writing the diff failed: {error}");
            exit::ERROR
        }
        _ => status,
    }
}

fn diff_file(path: &Path) -> io::Result<Option<FileDiff>> {
    use crate::source::git;
    let bytes = std::fs::read(path)?;
    // The file's repository, opened once and only for files that may hold a conflict: its
    // marker size, and the base Git may know for merge-style conflicts.
    let mut repo = Ok(None);
    let mut size = DEFAULT_MARKER_SIZE;
    let Some(mut file) = diff_bytes(&bytes, slash_path(path), || {
        repo = match path.canonicalize() {
            Ok(absolute) => git::open_for(&absolute),
            Err(_) => Ok(None),
        };
        size = repo
            .as_ref()
            .ok()
            .and_then(Option::as_ref)
            .map_or(DEFAULT_MARKER_SIZE, |r| git::marker_size(&r.repo, &r.rel));
        size
    }) else {
        return Ok(None);
    };
    let repo = repo.map_err(io::Error::other)?;
    if let (Some(repo), true) = (&repo, file.regions.iter().any(|r| r.pairs.len() == 1)) {
        let parsed = parse(&bytes, &ParseOptions { marker_size: size });
        let known = super::command::known_bases(Some(repo), &bytes, &parsed);
        if !known.is_empty() {
            file.regions = region_diffs_with(&bytes, &parsed, &known);
        }
    }
    Ok(Some(file))
}

/// The regions of one file's bytes; `marker_size` is asked only of files that may hold markers.
fn diff_bytes(bytes: &[u8], path: String, marker_size: impl FnOnce() -> usize) -> Option<FileDiff> {
    if memchr::memchr(0, &bytes[..bytes.len().min(8000)]).is_some()
        || memchr::memmem::find(bytes, b"<<<").is_none()
    {
        return None;
    }
    let parsed = parse(
        bytes,
        &ParseOptions {
            marker_size: marker_size(),
        },
    );
    let regions = region_diffs(bytes, &parsed);
    (!regions.is_empty()).then_some(FileDiff { path, regions })
}

/// The diffs of the staged blobs, or of a commit's files, under `paths`.
fn from_git(paths: &[PathBuf], source: &Source) -> Result<Vec<FileDiff>, String> {
    use crate::source::{git, scope};
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let start = paths
        .first()
        .map_or_else(|| cwd.clone(), |p| scope::nearest_existing(&cwd.join(p)));
    let (context, repo) = git::RepoContext::discover_with_handle(&start)?.ok_or_else(|| {
        format!(
            "{} is not in a Git repository with a working tree",
            start.display()
        )
    })?;
    let filters: Vec<String> = paths
        .iter()
        .filter_map(|p| scope::repo_relative(&cwd.join(p), &context.workdir))
        .collect();
    let (listed, flags) = match source {
        Source::Staged => (
            scope::staged(&repo, false).map_err(|e| e.message().to_owned())?,
            git2::AttrCheckFlags::INDEX_ONLY,
        ),
        Source::Rev(rev) => (
            scope::rev(&repo, rev)?,
            git2::AttrCheckFlags::INDEX_THEN_FILE,
        ),
        Source::Worktree => return Ok(Vec::new()),
    };
    let mut files = Vec::new();
    for item in listed.iter().filter(|l| scope::within(&filters, &l.path)) {
        let scope::Content::Blob(id) = item.content else {
            continue;
        };
        let blob = repo
            .find_blob(id)
            .map_err(|e| format!("{}: {}", item.path, e.message()))?;
        let rel = Path::new(&item.path);
        files.extend(diff_bytes(blob.content(), item.path.clone(), || {
            git::marker_size_from(&repo, rel, flags)
        }));
    }
    Ok(files)
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const EMPHASIS: &str = "\x1b[1;7m";
const RESET: &str = "\x1b[0m";

fn render(out: &mut dyn Write, file: &FileDiff, color: bool) -> io::Result<()> {
    let path = escape_for_display(file.path.as_bytes());
    for region in &file.regions {
        for pair in &region.pairs {
            let name = |side: Side, label: &Option<String>| match label {
                Some(l) => format!("{} `{l}`", side.name()),
                None => side.name().to_owned(),
            };
            writeln!(
                out,
                "{path}:{}-{}: {} -> {}",
                region.start_line,
                region.end_line,
                name(pair.from, &pair.from_label),
                name(pair.to, &pair.to_label)
            )?;
            for line in &pair.lines {
                let number =
                    |n: Option<usize>| n.map_or_else(|| "    ".to_owned(), |n| format!("{n:>4}"));
                let (sign, tint) = match line.tag.as_str() {
                    "delete" => ('-', RED),
                    "insert" => ('+', GREEN),
                    _ => (' ', ""),
                };
                let mut text = String::new();
                let chars: Vec<char> = line.text.chars().collect();
                let mut at = 0;
                for &(start, end) in &line.emphasis {
                    text.extend(&chars[at..start]);
                    if color {
                        text.push_str(EMPHASIS);
                        text.extend(&chars[start..end]);
                        text.push_str(RESET);
                        text.push_str(tint);
                    } else {
                        text.extend(&chars[start..end]);
                    }
                    at = end;
                }
                text.extend(&chars[at..]);
                let (open, close) = if color && !tint.is_empty() {
                    (tint, RESET)
                } else {
                    ("", "")
                };
                writeln!(
                    out,
                    "{open}{sign}{} {} | {text}{close}",
                    number(line.old_line),
                    number(line.new_line)
                )?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}
