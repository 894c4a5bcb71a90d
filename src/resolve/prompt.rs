//! The interactive resolver's terminal: reads keys, shows the steps of the state machine
//! ([`super::session`]) and runs the editor. The keys' letters live here, and only here. Shown
//! per region: what each side changed and the candidates with their verdicts; at the end, the
//! whole-file verdict and the diff of what will be written, then a question. Nothing is written
//! before the final `y`: quitting, end of input or Ctrl-C (the default signal action ends the
//! process) leave the file as it was.

use std::fmt::Write as _;
use std::io::{self, BufRead, Write};

use similar::TextDiff;

use super::candidate::CandidateKind;
use super::diff::Tag;
use super::eligible::Hold;
pub use super::session::{Conflicted, Outcome};
use super::session::{Key, Next, Note, Session, Step};

/// The `?` help: each entry is wrapped to the terminal's width on its own.
const HELP: &[&str] = &[
    "keys: a candidate's letter picks it (o ours, t theirs, b base, u ours then theirs, U theirs \
     then ours, n union, a trivial, s section-aware merge, m line merge, when offered)",
    "e edit this region in $VISUAL/$EDITOR (markers included; what you save replaces it)",
    "k skip (leave this conflict as it is); z undo the last choice; q quit without writing; ? help",
    "verdicts judge the whole file with the choices so far, later regions taken as ours; \
     candidates are listed best first (fewest schema errors, then fewest conflicts left).",
];

/// The help, each entry wrapped at `width` columns, its following lines indented.
fn help(width: usize) -> String {
    let options = textwrap::Options::new(width).subsequent_indent("      ");
    HELP.iter()
        .map(|entry| textwrap::fill(entry, &options) + "\n")
        .collect()
}

/// Run a session on `file`, reading keys from `keys` and writing to `out`; `editor` is
/// `$VISUAL` / `$EDITOR`, for the edit key.
///
/// # Errors
/// When reading or writing the terminal fails, or the editor does.
pub fn run(
    file: Conflicted<'_>,
    editor: Option<&str>,
    keys: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    let (mut session, mut step) = Session::start(file);
    // On a terminal, long lines are folded to its width (nothing is cut off), prose wrapped.
    let width = std::io::IsTerminal::is_terminal(&io::stdout()).then(crate::terminal::width);
    loop {
        let text = render(
            &session,
            &step,
            width.unwrap_or(crate::terminal::DEFAULT_WIDTH),
        );
        let text = width.map_or_else(|| text.clone(), |width| fold(&text, width));
        out.write_all(text.as_bytes())?;
        out.flush()?;
        step = match step.next {
            Next::Done(outcome) => return Ok(outcome),
            Next::Edit(region) => session.on_edit(edit(editor, &region)?),
            Next::Region(_) => session.on_key(region_key(read_line(keys)?)),
            Next::Confirm { .. } => session.on_key(answer(read_line(keys)?)),
        };
    }
}

/// `text` with every line longer than `width` characters folded: the rest goes on the next
/// lines, indented by four spaces, so a long line neither runs off nor hides any character.
#[must_use]
pub fn fold(text: &str, width: usize) -> String {
    const INDENT: &str = "    ";
    if width <= INDENT.len() + 8 {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let chars: Vec<char> = body.chars().collect();
        if chars.len() <= width {
            out.push_str(line);
            continue;
        }
        out.extend(&chars[..width]);
        for chunk in chars[width..].chunks(width - INDENT.len()) {
            out.push('\n');
            out.push_str(INDENT);
            out.extend(chunk);
        }
        out.push_str(end);
    }
    out
}

/// The next line of input without its surrounding whitespace; `None` at the end of the input.
fn read_line(keys: &mut dyn BufRead) -> io::Result<Option<String>> {
    let mut line = String::new();
    Ok((keys.read_line(&mut line)? > 0).then(|| line.trim().to_owned()))
}

/// The key a line means at a region.
fn region_key(line: Option<String>) -> Key {
    let Some(line) = line else {
        return Key::End;
    };
    match line.as_str() {
        "e" => Key::Edit,
        "k" => Key::Skip,
        "z" => Key::Undo,
        "q" => Key::Quit,
        "?" | "h" => Key::Help,
        typed => CandidateKind::ALL
            .into_iter()
            .find(|&kind| typed.chars().eq([letter(kind)]))
            .map_or(Key::Other(line.clone()), Key::Pick),
    }
}

/// The key a line means as the answer to the final question.
fn answer(line: Option<String>) -> Key {
    match line.as_deref() {
        Some("y" | "Y" | "yes") => Key::Yes,
        Some(other) => Key::Other(other.to_owned()),
        None => Key::End,
    }
}

/// The letter that picks a kind of candidate.
fn letter(kind: CandidateKind) -> char {
    match kind {
        CandidateKind::Ours => 'o',
        CandidateKind::Theirs => 't',
        CandidateKind::Base => 'b',
        CandidateKind::OursThenTheirs => 'u',
        CandidateKind::TheirsThenOurs => 'U',
        CandidateKind::Union => 'n',
        CandidateKind::Trivial => 'a',
        CandidateKind::Sections => 's',
        CandidateKind::LineMerge => 'm',
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
        CandidateKind::LineMerge => "line merge (both sides' changes)",
    }
}

/// A step as the terminal shows it: what is said about the key, the regions passed over, then
/// the next question.
#[must_use]
pub fn render(session: &Session<'_>, step: &Step, width: usize) -> String {
    let mut out = String::new();
    if let Some(note) = &step.note {
        out.push_str(&render_note(note, width));
    }
    let name = session.file().name;
    for &(index, hold) in &step.passed {
        if hold != Hold::NotThisMergesConflict {
            let count = session.regions();
            let reason = hold.reason();
            let _ = writeln!(
                out,
                "\n{name} region {}/{count}: left as it is: {reason}",
                index + 1
            );
        }
    }
    match &step.next {
        Next::Region(index) => out.push_str(&render_region(session, *index)),
        Next::Confirm { result, verdict } => {
            match verdict {
                Some(verdict) => {
                    let _ = writeln!(out, "\nwhole file: {verdict}");
                }
                None => out.push('\n'),
            }
            let old = String::from_utf8_lossy(session.file().input);
            let new = String::from_utf8_lossy(result);
            let diff = TextDiff::from_lines(old.as_ref(), new.as_ref())
                .unified_diff()
                .header(name, name)
                .to_string();
            // The file's control characters never reach the terminal.
            out.push_str(&crate::text::terminal_safe_same_offsets(diff.as_bytes()));
            let _ = write!(out, "write {name}? [y/N]: ");
        }
        Next::Edit(_) | Next::Done(_) => {}
    }
    out
}

fn render_note(note: &Note, width: usize) -> String {
    match note {
        Note::Help => help(width),
        Note::Undone(index) => format!("undone: region {} is open again\n", index + 1),
        Note::NothingToUndo => "nothing to undo\n".to_owned(),
        Note::NoEditor => "no editor: set $VISUAL or $EDITOR\n".to_owned(),
        Note::Unknown(key) => {
            let typed = match key {
                Key::Pick(kind) => letter(*kind).to_string(),
                Key::Other(typed) => typed.clone(),
                Key::Edit => "e".to_owned(),
                Key::Skip => "k".to_owned(),
                Key::Undo => "z".to_owned(),
                Key::Quit => "q".to_owned(),
                Key::Help => "?".to_owned(),
                Key::Yes => "y".to_owned(),
                Key::End => String::new(),
            };
            format!("unknown key `{typed}`; ? for help\n")
        }
        Note::Quit => "quit: nothing written\n".to_owned(),
        Note::EndOfInput => "\nend of input: nothing written\n".to_owned(),
        Note::NothingWritten => "nothing written\n".to_owned(),
    }
}

/// Region `index`: where it is, what ours and theirs changed, the candidates and the question.
fn render_region(session: &Session<'_>, index: usize) -> String {
    let region = session.diff(index);
    let mut out = format!(
        "\n{} region {}/{}: lines {}-{}\n",
        session.file().name,
        index + 1,
        session.regions(),
        region.start_line,
        region.end_line
    );
    // Each pair of versions, labelled: ours against theirs, and where the base is known, what
    // each side changed from it.
    for pair in &region.pairs {
        let side = |side: crate::conflict::Side, label: &Option<String>| match label {
            Some(label) => format!("{} `{label}`", side.name()),
            None => side.name().to_owned(),
        };
        let _ = writeln!(
            out,
            "  {} -> {}:",
            side(pair.from, &pair.from_label),
            side(pair.to, &pair.to_label)
        );
        for line in &pair.lines {
            let sign = match line.tag {
                Tag::Delete => '-',
                Tag::Insert => '+',
                Tag::Equal => ' ',
            };
            let _ = writeln!(out, "  {sign} {}", line.text);
        }
    }
    // Without a base, the base and the merges that need one are not offered: say why.
    if !session.has_base(index) {
        let _ = writeln!(out, "  no base: {}", super::eligible::Hold::NoBase.reason());
    }
    for (candidate, assessment) in session.offered() {
        let left = if candidate.conflicts > 0 {
            format!(", {} conflict(s) left", candidate.conflicts)
        } else {
            String::new()
        };
        // A verdict only when a schema judged the file: "no schema" on every line says nothing.
        let verdict = if assessment.judged {
            format!(": {}", assessment.summary)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  [{}] {}{verdict}{left}",
            letter(candidate.kind),
            name(candidate.kind),
        );
    }
    let letters: String = session
        .offered()
        .iter()
        .map(|(c, _)| letter(c.kind))
        .collect();
    let _ = write!(out, "choose [{letters}ekzq?]: ");
    out
}

/// Open the region (markers included) in `editor`; what is saved replaces it. `None` when no
/// editor is set.
fn edit(editor: Option<&str>, region: &[u8]) -> io::Result<Option<Vec<u8>>> {
    let Some(editor) = editor.filter(|e| !e.trim().is_empty()) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{parse, ParseOptions};
    use crate::schema::SchemaSet;

    #[test]
    fn long_lines_are_folded_to_the_width_and_nothing_is_lost() {
        let text = format!("short\n  - {}\nend", "x".repeat(45));
        let folded = fold(&text, 20);
        let (x16, x13) = ("x".repeat(16), "x".repeat(13));
        assert_eq!(
            folded,
            format!("short\n  - {x16}\n    {x16}\n    {x13}\nend")
        );
        assert!(folded.lines().all(|l| l.chars().count() <= 20));
        let kept: String = folded.lines().map(|l| l.trim_start()).collect();
        assert_eq!(kept.matches('x').count(), 45);
        assert_eq!(fold(&text, 200), text);
    }

    #[test]
    fn lines_are_keys() {
        let key = |line: Option<&str>| region_key(line.map(str::to_owned));
        assert_eq!(key(Some("o")), Key::Pick(CandidateKind::Ours));
        assert_eq!(key(Some("U")), Key::Pick(CandidateKind::TheirsThenOurs));
        assert_eq!(key(Some("h")), Key::Help);
        assert_eq!(key(Some("y")), Key::Other("y".into()));
        assert_eq!(key(Some("oo")), Key::Other("oo".into()));
        assert_eq!(key(None), Key::End);
        assert_eq!(answer(Some("yes".into())), Key::Yes);
        assert_eq!(answer(Some("o".into())), Key::Other("o".into()));
        assert_eq!(answer(None), Key::End);
        // Every kind has its own letter, and the letter reads back as the kind.
        for kind in CandidateKind::ALL {
            assert_eq!(region_key(Some(letter(kind).to_string())), Key::Pick(kind));
        }
    }

    #[test]
    fn a_session_on_the_terminal() {
        let input = b"<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\n";
        let parsed = parse(input, &ParseOptions::default());
        let schemas = SchemaSet::new(Vec::new(), true);
        let file = Conflicted::alone(input, &parsed, "doc.md", &schemas, &[None]);
        let mut out = Vec::new();
        let outcome = run(file, None, &mut &b"x\ne\nt\ny\n"[..], &mut out).expect("runs");
        assert_eq!(outcome, Outcome::Write(b"b\n".to_vec()));
        let region =
            "\ndoc.md region 1/1: lines 1-5\n  ours `HEAD` -> theirs `t`:\n  - a\n  + b\n  \
                      no base: its markers carry no base and Git no longer knows it (the diff3 \
                      conflict style writes one: git config merge.conflictStyle diff3)\n  \
                      [o] ours\n  [t] theirs\n  [u] ours then theirs\n  [U] theirs then \
                      ours\nchoose [otuUekzq?]: ";
        let expected = format!(
            "{region}unknown key `x`; ? for help\n{region}no editor: set $VISUAL or $EDITOR\n\
             {region}\n--- doc.md\n+++ doc.md\n@@ -1,5 +1 @@\n\
             -<<<<<<< HEAD\n-a\n-=======\n b\n->>>>>>> t\nwrite doc.md? [y/N]: "
        );
        assert_eq!(String::from_utf8(out).expect("UTF-8"), expected);
    }
}
