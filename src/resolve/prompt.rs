//! The interactive resolver: walks the regions in order, shows what each side changed and the
//! candidates with their verdicts, takes one key per region, and at the end shows the whole-file
//! verdict and the diff of what will be written, then asks. Nothing is written before the final
//! `y`: quitting, end of input or Ctrl-C (the default signal action ends the process) leave the
//! file as it was.

use std::io::{self, BufRead, Write};

use similar::TextDiff;

use super::candidate::{candidates, ending_the_file, CandidateKind};
use super::diff::{region_diffs, Tag};
use super::eligible::Hold;
use super::evaluate::{assemble, ranked, Judge};
use super::known_base::ThreeWay;
use crate::conflict::ConflictedText;
use crate::lint::Stages;
use crate::schema::SchemaSet;

/// How an interactive session ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Write these bytes.
    Write(Vec<u8>),
    /// Write nothing.
    Quit,
}

/// Everything the prompt needs about the file.
pub struct Session<'a> {
    /// The file's bytes.
    pub input: &'a [u8],
    /// Its conflict parse.
    pub parsed: &'a ConflictedText,
    /// Its name, for schema selection and messages.
    pub name: &'a str,
    /// The schemas in force.
    pub schemas: &'a SchemaSet,
    /// `$VISUAL` / `$EDITOR`, for the edit key.
    pub editor: Option<String>,
    /// Bases recovered from Git for blocks whose markers carry none.
    pub known: &'a [ThreeWay],
    /// Per block, why it is left as it is (examples, broken or ambiguous blocks): those are not
    /// offered, and stay byte for byte.
    pub holds: &'a [Option<Hold>],
    /// The index stages of an unmerged path: the final newline each version had.
    pub stages: &'a Stages,
}

const HELP: &str = "\
keys: a candidate's letter picks it (o ours, t theirs, b base, u ours then theirs, U theirs then ours,
      n union, a trivial, s section-aware merge, when offered)
      e edit this region in $VISUAL/$EDITOR (markers included; what you save replaces it)
      k skip (leave this conflict as it is)   z undo the last choice   q quit without writing   ? help
verdicts judge the whole file with the choices so far, later regions taken as ours;
candidates are listed best first (fewest schema errors, then fewest conflicts left).
";

/// Run the session, reading keys from `keys` and writing to `out`.
///
/// # Errors
/// When reading or writing the terminal fails.
pub fn run(
    session: &Session<'_>,
    keys: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    let blocks: Vec<_> = session.parsed.blocks().collect();
    let diffs = region_diffs(session.input, session.parsed);
    let mut choices: Vec<Option<Vec<u8>>> = vec![None; blocks.len()];
    let mut index = 0;
    let held = |i: usize| session.holds.get(i).copied().flatten();
    let judge = Judge {
        schemas: session.schemas,
        rel_path: session.name,
    };
    while index < blocks.len() {
        let block = blocks[index];
        if let Some(hold) = held(index) {
            if hold != Hold::NotThisMergesConflict {
                writeln!(
                    out,
                    "\n{} region {}/{}: left as it is: {}",
                    session.name,
                    index + 1,
                    blocks.len(),
                    hold.reason()
                )?;
            }
            choices[index] = None;
            index += 1;
            continue;
        }
        let mut offer = candidates(
            session.input,
            block,
            session
                .known
                .iter()
                .find(|unit| unit.blocks.contains(&index))
                .and_then(|unit| unit.block_base(block)),
        );
        if block.span.end == session.input.len() {
            // The base is offered as the markers show it, final newline included.
            offer = offer
                .into_iter()
                .map(|c| match c.kind {
                    CandidateKind::Base => c,
                    _ => ending_the_file(c, session.input, block, session.stages),
                })
                .collect();
        }
        let offered = ranked(
            session.input,
            session.parsed,
            &choices,
            index,
            offer,
            &judge,
        );
        let region = &diffs[index];
        writeln!(
            out,
            "\n{} region {}/{}: lines {}-{}",
            session.name,
            index + 1,
            blocks.len(),
            region.start_line,
            region.end_line
        )?;
        if let Some(pair) = region.pairs.first() {
            for line in &pair.lines {
                let sign = match line.tag {
                    Tag::Delete => '-',
                    Tag::Insert => '+',
                    Tag::Equal => ' ',
                };
                writeln!(out, "  {sign} {}", line.text)?;
            }
        }
        for (candidate, assessment) in &offered {
            let left = if candidate.conflicts > 0 {
                format!(", {} conflict(s) left", candidate.conflicts)
            } else {
                String::new()
            };
            writeln!(
                out,
                "  [{}] {}: {}{left}",
                key(candidate.kind),
                name(candidate.kind),
                assessment.summary
            )?;
        }
        write!(
            out,
            "choose [{}ekzq?]: ",
            offered.iter().map(|(c, _)| key(c.kind)).collect::<String>()
        )?;
        out.flush()?;
        let mut line = String::new();
        if keys.read_line(&mut line)? == 0 {
            writeln!(out, "\nend of input: nothing written")?;
            return Ok(Outcome::Quit);
        }
        match line.trim() {
            "q" => {
                writeln!(out, "quit: nothing written")?;
                return Ok(Outcome::Quit);
            }
            "?" | "h" => write!(out, "{HELP}")?,
            "k" => {
                choices[index] = None;
                index += 1;
            }
            "z" => match (0..index).rev().find(|&i| held(i).is_none()) {
                Some(previous) => {
                    index = previous;
                    choices[index] = None;
                    writeln!(out, "undone: region {} is open again", index + 1)?;
                }
                None => writeln!(out, "nothing to undo")?,
            },
            "e" => match edit(session, block.span.slice(session.input))? {
                Some(text) => {
                    choices[index] = Some(text);
                    index += 1;
                }
                None => writeln!(out, "no editor: set $VISUAL or $EDITOR")?,
            },
            typed => match offered
                .iter()
                .map(|(c, _)| c)
                .find(|c| key(c.kind).to_string() == typed)
            {
                Some(candidate) => {
                    choices[index] = Some(candidate.text.clone());
                    index += 1;
                }
                None => writeln!(out, "unknown key `{typed}`; ? for help")?,
            },
        }
    }
    let result = assemble(session.input, session.parsed, &choices, usize::MAX, &[]);
    writeln!(out, "\nwhole file: {}", judge.assess(&result).summary)?;
    let old = String::from_utf8_lossy(session.input);
    let new = String::from_utf8_lossy(&result);
    let diff = TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .header(session.name, session.name)
        .to_string();
    // The file's control characters never reach the terminal.
    write!(
        out,
        "{}",
        crate::text::terminal_safe_same_offsets(diff.as_bytes())
    )?;
    write!(out, "write {}? [y/N]: ", session.name)?;
    out.flush()?;
    let mut answer = String::new();
    keys.read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(Outcome::Write(result))
    } else {
        writeln!(out, "nothing written")?;
        Ok(Outcome::Quit)
    }
}

/// The key that picks a kind of candidate.
fn key(kind: CandidateKind) -> char {
    match kind {
        CandidateKind::Ours => 'o',
        CandidateKind::Theirs => 't',
        CandidateKind::Base => 'b',
        CandidateKind::OursThenTheirs => 'u',
        CandidateKind::TheirsThenOurs => 'U',
        CandidateKind::Union => 'n',
        CandidateKind::Trivial => 'a',
        CandidateKind::Sections => 's',
    }
}

/// What a kind of candidate is, for people.
fn name(kind: CandidateKind) -> &'static str {
    match kind {
        CandidateKind::Ours => "ours",
        CandidateKind::Theirs => "theirs",
        CandidateKind::Base => "base",
        CandidateKind::OursThenTheirs => "ours then theirs",
        CandidateKind::TheirsThenOurs => "theirs then ours",
        CandidateKind::Union => "union (shared lines once)",
        CandidateKind::Trivial => "trivial (needs no judgement)",
        CandidateKind::Sections => "section-aware merge",
    }
}

/// Open the region (markers included) in the editor; what is saved replaces it.
fn edit(session: &Session<'_>, region: &[u8]) -> io::Result<Option<Vec<u8>>> {
    let Some(editor) = session.editor.as_deref().filter(|e| !e.trim().is_empty()) else {
        return Ok(None);
    };
    let file = tempfile::Builder::new()
        .prefix("mergemark-region-")
        .suffix(".md")
        .tempfile()?;
    std::fs::write(file.path(), region)?;
    // Through the shell, so `code --wait` and the like work as $EDITOR values do elsewhere.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()?;
    if !status.success() {
        return Err(io::Error::other(format!("the editor exited with {status}")));
    }
    std::fs::read(file.path()).map(Some)
}
