//! `mergemark diff [PATH...]`: show what each side of every conflict changed. Files are read
//! through the same sources as `check` (the same walk and flags, the same Git scopes, the same
//! settings and marker sizes); only files with conflicts are shown.

use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;

use serde::Serialize;

use super::check::workspace;
use super::{finish, say, say_problems, use_color, Error, Exit, Level};
use crate::cli::{ColorChoice, DiffArgs, DiffFormat};
use crate::conflict::{parse, ParseOptions, Side};
use crate::report::Origin;
use crate::resolve::diff::{region_diffs, region_diffs_with, RegionDiff};
use crate::resolve::known_base::known_bases;
use crate::source::workspace::guard;
use crate::source::{read_all, GitScope, Scope, Sink, Subject, Worker};
use crate::text::escape_for_display;

/// One file's regions.
#[derive(Serialize)]
struct FileDiff {
    path: String,
    /// When the index lists the path as unmerged: how `git status` says it (a modify/delete or
    /// binary conflict has no regions to show, and is still a conflict).
    #[serde(skip_serializing_if = "Option::is_none")]
    unmerged: Option<&'static str>,
    regions: Vec<RegionDiff>,
}

/// Show the diffs: exit 0 when no conflict was found, 1 when some were shown, 2 on errors.
///
/// # Errors
/// When the output cannot be written.
pub fn run(args: &DiffArgs, color: ColorChoice) -> Result<Exit, Error> {
    let stdin = super::reads_stdin(&args.paths);
    let scope = match (&args.rev, args.staged) {
        _ if stdin && (args.staged || args.rev.is_some()) => {
            return Err(Error::Usage(
                "`-` reads one file's text from stdin: no --staged or --rev".to_owned(),
            ))
        }
        _ if stdin => Scope::Stdin {
            path: None,
            bytes: super::read_stdin()?,
        },
        (Some(rev), _) => Scope::Git(GitScope::Rev(rev.clone())),
        (None, true) => Scope::Git(GitScope::Staged { all: false }),
        (None, false) => Scope::Worktree,
    };
    let workspace = workspace(&args.walk, &args.settings);
    let sink = DiffSink {
        verbose: args.settings.verbose,
        files: Mutex::new(Vec::new()),
    };
    read_all(&scope, &super::source_paths(&args.paths), &workspace, &sink);
    let problems = workspace.take_problems();
    say_problems(&problems.errors, &problems.skipped);
    let mut files = sink.files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let status = if !problems.errors.is_empty() {
        Exit::Failed
    } else if files.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    };
    let color = use_color(color, io::stdout().is_terminal());
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = if args.format == DiffFormat::Json {
        serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "files": files }))
            .map_err(io::Error::from)
            .and_then(|text| writeln!(out, "{}", crate::text::escape_json_hidden_controls(text)))
    } else {
        files.iter().try_for_each(|f| render(&mut out, f, color))
    }
    .and_then(|()| out.flush());
    finish(written, status, "diff")
}

/// Collects the files with conflicts.
struct DiffSink {
    verbose: bool,
    files: Mutex<Vec<FileDiff>>,
}

impl Sink for DiffSink {
    type Worker<'s> = &'s DiffSink;

    fn worker(&self) -> &Self {
        self
    }
}

impl Worker for &DiffSink {
    fn take(&mut self, subject: Subject<'_>) {
        if self.verbose {
            say(Level::Info, &subject.describe());
        }
        let shown = diff_subject(&subject);
        // The settings in force are read for the files `check` reads them for (Markdown files,
        // and files with something to report): a broken configuration is the same error here.
        if subject.markdown || shown.is_some() {
            subject.facts.settings();
        }
        if let Some(file) = shown {
            guard(&self.files).push(file);
        }
    }
}

/// The regions of one file, when it holds conflicts; bases Git knows are used for blocks whose
/// markers carry none.
fn diff_subject(subject: &Subject<'_>) -> Option<FileDiff> {
    let unmerged = subject.unmerged.filter(|_| subject.origin == Origin::Own);
    let regions = if subject.content_in_scope {
        regions(subject)
    } else {
        Vec::new()
    };
    if regions.is_empty() && unmerged.is_none() {
        return None;
    }
    let path = match subject.origin.label() {
        Some(label) => format!("{} ({label})", subject.name),
        None => subject.name.clone(),
    };
    Some(FileDiff {
        path,
        unmerged,
        regions,
    })
}

/// The conflict regions in the subject's bytes, read as `check` reads them.
fn regions(subject: &Subject<'_>) -> Vec<RegionDiff> {
    let bytes = subject.bytes;
    // `check`'s prefilter: a run of `<`, `>` or `|` as long as any marker Git may have written.
    if !crate::lint::Prefilter::new(subject.facts.min_marker_size()).may_match(bytes) {
        return Vec::new();
    }
    let context = subject.context();
    let mut parsed = parse(
        bytes,
        &ParseOptions {
            marker_size: context.marker_size,
        },
    );
    // Conflicts `check` reports in markers of another size Git may have written (after the
    // attribute changed) are shown as well, read at that size.
    if parsed.blocks().next().is_none() {
        if let Some((size, _)) = crate::lint::other_size_conflicts(bytes, &parsed, &context).first()
        {
            parsed = parse(bytes, &ParseOptions { marker_size: *size });
        }
    }
    let mut regions = region_diffs(bytes, &parsed);
    if regions.iter().any(|r| r.pairs.len() == 1) {
        let known = known_bases(bytes, &parsed, &|ours, theirs| {
            subject.facts.reference(ours, theirs)
        });
        if !known.is_empty() {
            regions = region_diffs_with(bytes, &parsed, &known);
        }
    }
    regions.extend(lone_markers(bytes, &parsed, &context));
    regions.sort_by_key(|r| r.start_line);
    regions
}

/// The lone markers `check` reports (not examples in code blocks), as regions with no sides.
fn lone_markers(
    bytes: &[u8],
    parsed: &crate::conflict::ConflictedText,
    context: &crate::lint::FileContext<'_>,
) -> Vec<RegionDiff> {
    if parsed.anomalies.is_empty() {
        return Vec::new();
    }
    let roles = crate::lint::classify(bytes, parsed, context);
    crate::lint::reported_lone_markers(bytes, parsed, &roles)
        .into_iter()
        .map(|(line, why)| RegionDiff {
            start_line: line,
            end_line: line,
            unreadable: Some(why),
            pairs: Vec::new(),
        })
        .collect()
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const EMPHASIS: &str = "\x1b[1;7m";
const RESET: &str = "\x1b[0m";

fn render(out: &mut dyn Write, file: &FileDiff, color: bool) -> io::Result<()> {
    let path = escape_for_display(file.path.as_bytes());
    if let (Some(how), true) = (file.unmerged, file.regions.is_empty()) {
        writeln!(
            out,
            "{path}: unmerged in the index ({how}); no conflict regions in the file to show\n"
        )?;
    }
    for region in &file.regions {
        if let Some(why) = &region.unreadable {
            writeln!(
                out,
                "{path}:{}-{}: sides not shown: {}\n",
                region.start_line,
                region.end_line,
                escape_for_display(why.as_bytes())
            )?;
        }
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
