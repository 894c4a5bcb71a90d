//! The interactive resolver as a state machine: keys in, steps out. It walks the regions in
//! order, ranks each one's candidates by their verdicts, takes one key per region, and at the end
//! asks whether to write the whole file. Pure: the prompt ([`super::prompt`]) reads the keys,
//! shows the steps and runs the editor; nothing is written before a final yes.

use super::candidate::{candidates, ending_the_file, Candidate, CandidateKind};
use super::diff::{region_diffs, RegionDiff};
use super::eligible::Hold;
use super::evaluate::{assemble, ranked, Assessment, Judge};
use super::known_base::ThreeWay;
use crate::conflict::{Block, ConflictedText};
use crate::lint::Stages;
use crate::schema::SchemaSet;

/// Everything the resolver knows about the file.
#[derive(Clone, Copy)]
pub struct Conflicted<'a> {
    /// The file's bytes.
    pub input: &'a [u8],
    /// Its conflict parse.
    pub parsed: &'a ConflictedText,
    /// Its name, for messages.
    pub name: &'a str,
    /// Its repository-relative path, as `check` names it: schema globs match this.
    pub path: &'a str,
    /// The schemas in force.
    pub schemas: &'a SchemaSet,
    /// Bases recovered from Git for blocks whose markers carry none.
    pub known: &'a [ThreeWay],
    /// Per block, why it is left as it is (examples, broken or ambiguous blocks): those are not
    /// offered, and stay byte for byte.
    pub holds: &'a [Option<Hold>],
    /// The index stages of an unmerged path: the final newline each version had.
    pub stages: &'a Stages,
}

#[cfg(test)]
impl<'a> Conflicted<'a> {
    /// A file read alone (no base from Git, no index stages), named `name` in messages and
    /// schema globs alike.
    pub(crate) fn alone(
        input: &'a [u8],
        parsed: &'a ConflictedText,
        name: &'a str,
        schemas: &'a SchemaSet,
        holds: &'a [Option<Hold>],
    ) -> Self {
        Self {
            input,
            parsed,
            name,
            path: name,
            schemas,
            known: &[],
            holds,
            stages: &Stages::NONE,
        }
    }
}

/// What a person typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    /// Take a candidate of this kind.
    Pick(CandidateKind),
    /// Edit the region by hand.
    Edit,
    /// Leave the region in conflict.
    Skip,
    /// Reopen the last region decided.
    Undo,
    /// Stop; write nothing.
    Quit,
    /// Explain the keys.
    Help,
    /// Yes: write the file (the answer to the final question).
    Yes,
    /// Anything else, as typed: an unknown key, or no to the final question.
    Other(String),
    /// The input ended.
    End,
}

/// How a session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Write these bytes.
    Write(Vec<u8>),
    /// Write nothing.
    Quit,
}

/// What the machine says about the key it was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// The keys, explained.
    Help,
    /// Region `index` is open again.
    Undone(usize),
    /// No region was decided before this one.
    NothingToUndo,
    /// Editing was asked for, but no editor is set.
    NoEditor,
    /// The key means nothing here (a candidate this region does not offer, or no key at all).
    Unknown(Key),
    /// Quit: nothing written.
    Quit,
    /// The input ended before the last region: nothing written.
    EndOfInput,
    /// The final answer was not yes: nothing written.
    NothingWritten,
}

/// What comes next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Ask for a key for region `index` (its candidates, best first: [`Session::offered`]).
    Region(usize),
    /// Open this text (the current region, markers included) in an editor, and hand what is
    /// saved to [`Session::on_edit`].
    Edit(Vec<u8>),
    /// Ask whether to write `result`, the whole file, which its schema judges `verdict`.
    Confirm {
        /// The file with every choice made.
        result: Vec<u8>,
        /// The whole file's verdict, when a schema judged it.
        verdict: Option<String>,
    },
    /// The session is over.
    Done(Outcome),
}

/// One move of the machine: what to say, the regions passed on the way (left as they are), and
/// what comes next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// About the key just taken.
    pub note: Option<Note>,
    /// Regions passed over because they are left as they are, with why, in order.
    pub passed: Vec<(usize, Hold)>,
    /// What comes next.
    pub next: Next,
}

/// Where the machine is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stage {
    /// Waiting for a key for this region.
    Region(usize),
    /// Waiting for the answer to the final question about this result.
    Confirm(Vec<u8>),
    /// Over.
    Done(Outcome),
}

/// An interactive session over one file.
pub struct Session<'a> {
    file: Conflicted<'a>,
    blocks: Vec<&'a Block>,
    diffs: Vec<RegionDiff>,
    /// The text chosen for each region so far (`None`: left in conflict, or not decided yet).
    choices: Vec<Option<Vec<u8>>>,
    /// Per region, whether it touches literal text (no merge by headings or items there).
    literal: Vec<bool>,
    /// The current region's candidates with their verdicts, best first.
    offered: Vec<(Candidate, Assessment)>,
    stage: Stage,
}

impl<'a> Session<'a> {
    /// Start on `file`: the first step passes the regions left as they are and shows the first
    /// region to decide (or, when there is none, asks about the whole file).
    #[must_use]
    pub fn start(file: Conflicted<'a>) -> (Session<'a>, Step) {
        let blocks: Vec<&Block> = file.parsed.blocks().collect();
        let mut session = Session {
            file,
            diffs: region_diffs(file.input, file.parsed),
            choices: vec![None; blocks.len()],
            literal: super::candidate::literal_blocks(file.input, file.parsed),
            blocks,
            offered: Vec::new(),
            stage: Stage::Region(0),
        };
        let step = session.advance(0, None);
        (session, step)
    }

    /// Take a key.
    pub fn on_key(&mut self, key: Key) -> Step {
        match std::mem::replace(&mut self.stage, Stage::Done(Outcome::Quit)) {
            Stage::Region(index) => self.on_region_key(index, key),
            Stage::Confirm(result) => {
                let (note, outcome) = if key == Key::Yes {
                    (None, Outcome::Write(result))
                } else {
                    (Some(Note::NothingWritten), Outcome::Quit)
                };
                self.finish(note, outcome)
            }
            Stage::Done(outcome) => self.finish(None, outcome),
        }
    }

    /// Take what the editor saved for the current region (`None`: no editor is set).
    pub fn on_edit(&mut self, text: Option<Vec<u8>>) -> Step {
        let Stage::Region(index) = self.stage else {
            return self.repeat(None);
        };
        match text {
            Some(mut text) => {
                // Saved without a final newline: the region still ends its last line, as the
                // end marker line did, or the edit would run into the next line of the file.
                let end = self.blocks[index].end.line.slice(self.file.input);
                if !text.is_empty() && !text.ends_with(b"\n") && end.ends_with(b"\n") {
                    let ending: &[u8] = if end.ends_with(b"\r\n") {
                        b"\r\n"
                    } else {
                        b"\n"
                    };
                    text.extend_from_slice(ending);
                }
                self.choices[index] = Some(text);
                self.advance(index + 1, None)
            }
            None => self.repeat(Some(Note::NoEditor)),
        }
    }

    /// The current region's candidates with their verdicts, best first.
    #[must_use]
    pub fn offered(&self) -> &[(Candidate, Assessment)] {
        &self.offered
    }

    /// Whether region `index` has a base: in its markers, or recovered from Git.
    #[must_use]
    pub fn has_base(&self, index: usize) -> bool {
        let block = self.blocks[index];
        block.side(crate::conflict::Side::Base).is_some()
            || self
                .file
                .known
                .iter()
                .find(|unit| unit.blocks.contains(&index))
                .and_then(|unit| unit.block_base(block))
                .is_some()
    }

    /// The diffs of region `index`.
    #[must_use]
    pub fn diff(&self, index: usize) -> &RegionDiff {
        &self.diffs[index]
    }

    /// How many regions the file has.
    #[must_use]
    pub fn regions(&self) -> usize {
        self.blocks.len()
    }

    /// The file.
    #[must_use]
    pub fn file(&self) -> &Conflicted<'a> {
        &self.file
    }

    fn on_region_key(&mut self, index: usize, key: Key) -> Step {
        self.stage = Stage::Region(index);
        match key {
            Key::Pick(kind) => match self.offered.iter().find(|(c, _)| c.kind == kind) {
                Some((candidate, _)) => {
                    self.choices[index] = Some(candidate.text.clone());
                    self.advance(index + 1, None)
                }
                None => self.repeat(Some(Note::Unknown(key))),
            },
            Key::Edit => Step {
                note: None,
                passed: Vec::new(),
                next: Next::Edit(self.blocks[index].span.slice(self.file.input).to_vec()),
            },
            Key::Skip => {
                self.choices[index] = None;
                self.advance(index + 1, None)
            }
            Key::Undo => match (0..index).rev().find(|&i| self.held(i).is_none()) {
                Some(previous) => {
                    self.choices[previous] = None;
                    self.advance(previous, Some(Note::Undone(previous)))
                }
                None => self.repeat(Some(Note::NothingToUndo)),
            },
            Key::Quit => self.finish(Some(Note::Quit), Outcome::Quit),
            Key::End => self.finish(Some(Note::EndOfInput), Outcome::Quit),
            Key::Help => self.repeat(Some(Note::Help)),
            Key::Yes | Key::Other(_) => self.repeat(Some(Note::Unknown(key))),
        }
    }

    fn held(&self, index: usize) -> Option<Hold> {
        self.file.holds.get(index).copied().flatten()
    }

    /// Move to region `from`, passing the regions left as they are; past the last, ask about the
    /// whole file.
    fn advance(&mut self, from: usize, note: Option<Note>) -> Step {
        let mut passed = Vec::new();
        let mut index = from;
        while let Some(hold) = (index < self.blocks.len())
            .then(|| self.held(index))
            .flatten()
        {
            passed.push((index, hold));
            self.choices[index] = None;
            index += 1;
        }
        let next = if index < self.blocks.len() {
            self.offered = self.offer(index);
            self.stage = Stage::Region(index);
            Next::Region(index)
        } else {
            let file = &self.file;
            let result = assemble(file.input, file.parsed, &self.choices, usize::MAX, &[]);
            let assessment = self.judge().assess(&result);
            let verdict = assessment.judged.then_some(assessment.summary);
            self.stage = Stage::Confirm(result.clone());
            Next::Confirm { result, verdict }
        };
        Step { note, passed, next }
    }

    /// Stay where the machine is, saying `note`.
    fn repeat(&mut self, note: Option<Note>) -> Step {
        let next = match &self.stage {
            Stage::Region(index) => Next::Region(*index),
            Stage::Confirm(result) => {
                let assessment = self.judge().assess(result);
                Next::Confirm {
                    result: result.clone(),
                    verdict: assessment.judged.then_some(assessment.summary),
                }
            }
            Stage::Done(outcome) => Next::Done(outcome.clone()),
        };
        Step {
            note,
            passed: Vec::new(),
            next,
        }
    }

    fn finish(&mut self, note: Option<Note>, outcome: Outcome) -> Step {
        self.stage = Stage::Done(outcome.clone());
        Step {
            note,
            passed: Vec::new(),
            next: Next::Done(outcome),
        }
    }

    fn judge(&self) -> Judge<'a> {
        Judge {
            schemas: self.file.schemas,
            rel_path: self.file.path,
        }
    }

    /// Region `index`'s candidates (with the base Git still knows, and the final newlines of
    /// the versions when it ends the file), judged in the file with the choices so far.
    fn offer(&self, index: usize) -> Vec<(Candidate, Assessment)> {
        let file = &self.file;
        let block = self.blocks[index];
        let known_base = file
            .known
            .iter()
            .find(|unit| unit.blocks.contains(&index))
            .and_then(|unit| unit.block_base(block));
        let mut offer = candidates(file.input, block, known_base, self.literal[index]);
        if block.span.end == file.input.len() {
            // The base is offered as the markers show it, final newline included.
            offer = offer
                .into_iter()
                .map(|c| match c.kind {
                    CandidateKind::Base => c,
                    _ => ending_the_file(c, file.input, block, file.stages),
                })
                .collect();
        }
        let judge = self.judge();
        ranked(file.input, file.parsed, &self.choices, index, offer, &judge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{parse, ParseOptions};

    const TWO: &[u8] = b"# Doc\n<<<<<<< HEAD\none ours\n=======\none theirs\n>>>>>>> t\nmid\n<<<<<<< HEAD\ntwo ours\n=======\ntwo theirs\n>>>>>>> t\n";

    /// Run `keys` through a session on `input` (blocks held as `holds` says), and return every
    /// step, the first one included.
    fn steps(input: &[u8], holds: &[Option<Hold>], keys: Vec<Key>) -> Vec<Step> {
        let parsed = parse(input, &ParseOptions::default());
        let schemas = SchemaSet::new(Vec::new(), true);
        let file = Conflicted::alone(input, &parsed, "doc.md", &schemas, holds);
        let (mut session, first) = Session::start(file);
        let mut all = vec![first];
        for key in keys {
            all.push(session.on_key(key));
        }
        all
    }

    fn nexts(steps: &[Step]) -> Vec<Next> {
        steps.iter().map(|s| s.next.clone()).collect()
    }

    fn confirm(result: &[u8]) -> Next {
        Next::Confirm {
            result: result.to_vec(),
            verdict: None,
        }
    }

    #[test]
    fn an_edit_saved_without_a_final_newline_still_ends_its_line() {
        for (input, ending) in [(TWO.to_vec(), "\n"), (TWO.replace_crlf(), "\r\n")] {
            let parsed = parse(&input, &ParseOptions::default());
            let schemas = SchemaSet::new(Vec::new(), true);
            let file = Conflicted::alone(&input, &parsed, "doc.md", &schemas, &[None, None]);
            let (mut session, _) = Session::start(file);
            session.on_key(Key::Edit);
            session.on_edit(Some(b"mine".to_vec()));
            let Next::Confirm { result, .. } = session.on_key(Key::Pick(CandidateKind::Ours)).next
            else {
                panic!("a confirmation");
            };
            let text = String::from_utf8(result).expect("UTF-8");
            assert!(text.contains(&format!("mine{ending}mid")), "{text:?}");
        }
    }

    trait Crlf {
        fn replace_crlf(&self) -> Vec<u8>;
    }

    impl Crlf for &[u8] {
        fn replace_crlf(&self) -> Vec<u8> {
            String::from_utf8_lossy(self)
                .replace('\n', "\r\n")
                .into_bytes()
        }
    }

    #[test]
    fn choices_undo_and_confirmation() {
        let run = steps(
            TWO,
            &[None, None],
            vec![
                Key::Pick(CandidateKind::Theirs),
                Key::Undo,
                Key::Pick(CandidateKind::Ours),
                Key::Pick(CandidateKind::Theirs),
                Key::Yes,
            ],
        );
        let result = b"# Doc\none ours\nmid\ntwo theirs\n";
        assert_eq!(
            nexts(&run),
            [
                Next::Region(0),
                Next::Region(1),
                Next::Region(0),
                Next::Region(1),
                confirm(result),
                Next::Done(Outcome::Write(result.to_vec())),
            ]
        );
        assert_eq!(run[2].note, Some(Note::Undone(0)));
    }

    #[test]
    fn quitting_and_the_end_of_input_write_nothing() {
        for (keys, note) in [
            (vec![Key::Quit], Note::Quit),
            (vec![Key::End], Note::EndOfInput),
            (vec![Key::Skip, Key::Skip, Key::End], Note::NothingWritten),
            (
                vec![Key::Skip, Key::Skip, Key::Other("n".into())],
                Note::NothingWritten,
            ),
        ] {
            let run = steps(TWO, &[None, None], keys.clone());
            let last = run.last().expect("a step");
            assert_eq!(last.next, Next::Done(Outcome::Quit), "{keys:?}");
            assert_eq!(last.note, Some(note), "{keys:?}");
        }
    }

    #[test]
    fn keys_that_mean_nothing_here_stay_on_the_region() {
        let run = steps(
            TWO,
            &[None, None],
            vec![
                Key::Undo,
                Key::Help,
                Key::Pick(CandidateKind::Base),
                Key::Other("x".into()),
                Key::Yes,
            ],
        );
        assert!(nexts(&run).iter().all(|n| *n == Next::Region(0)));
        let notes: Vec<Option<Note>> = run.iter().map(|s| s.note.clone()).collect();
        assert_eq!(
            notes,
            [
                None,
                Some(Note::NothingToUndo),
                Some(Note::Help),
                // No base in the merge style: `b` is not offered.
                Some(Note::Unknown(Key::Pick(CandidateKind::Base))),
                Some(Note::Unknown(Key::Other("x".into()))),
                Some(Note::Unknown(Key::Yes)),
            ]
        );
    }

    #[test]
    fn skip_then_edit_through_the_editor() {
        let parsed = parse(TWO, &ParseOptions::default());
        let schemas = SchemaSet::new(Vec::new(), false);
        let file = Conflicted::alone(TWO, &parsed, "doc.md", &schemas, &[None, None]);
        let (mut session, _) = Session::start(file);
        assert_eq!(session.on_key(Key::Skip).next, Next::Region(1));
        let region = b"<<<<<<< HEAD\ntwo ours\n=======\ntwo theirs\n>>>>>>> t\n".to_vec();
        assert_eq!(session.on_key(Key::Edit).next, Next::Edit(region));
        // No editor: the region is asked again.
        let none = session.on_edit(None);
        assert_eq!(
            (none.note, none.next),
            (Some(Note::NoEditor), Next::Region(1))
        );
        session.on_key(Key::Edit);
        let saved = session.on_edit(Some(b"2\n".to_vec()));
        let result = b"# Doc\n<<<<<<< HEAD\none ours\n=======\none theirs\n>>>>>>> t\nmid\n2\n";
        assert_eq!(saved.next, confirm(result));
    }

    #[test]
    fn held_regions_are_passed_and_never_reopened() {
        let three = [TWO, b"<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> t\n"].concat();
        let holds = [Some(Hold::Broken), None, Some(Hold::NotThisMergesConflict)];
        let run = steps(
            &three,
            &holds,
            vec![Key::Undo, Key::Pick(CandidateKind::Ours), Key::Undo],
        );
        assert_eq!(run[0].passed, [(0, Hold::Broken)]);
        assert_eq!(run[0].next, Next::Region(1));
        assert_eq!(run[1].note, Some(Note::NothingToUndo));
        assert_eq!(run[2].passed, [(2, Hold::NotThisMergesConflict)]);
        let kept = [
            &b"# Doc\n<<<<<<< HEAD\none ours\n=======\none theirs\n>>>>>>> t\nmid\ntwo ours\n"[..],
            b"<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> t\n",
        ]
        .concat();
        assert_eq!(run[2].next, confirm(&kept));
        // No undo at the final question: any answer but yes writes nothing.
        assert_eq!(run[3].next, Next::Done(Outcome::Quit));
        assert_eq!(run[3].note, Some(Note::NothingWritten));
    }

    #[test]
    fn candidates_are_ranked_by_their_verdicts() {
        let input = include_bytes!("../../fixtures/postmortem/checkout-slowdown.md");
        let parsed = parse(input, &ParseOptions::default());
        let schemas = SchemaSet::new(Vec::new(), true);
        let file = Conflicted::alone(input, &parsed, "checkout-slowdown.md", &schemas, &[None]);
        let (session, first) = Session::start(file);
        assert_eq!(first.next, Next::Region(0));
        let offered: Vec<(CandidateKind, &str)> = session
            .offered()
            .iter()
            .map(|(c, a)| (c.kind, a.summary.as_str()))
            .collect();
        assert_eq!(
            offered.first(),
            Some(&(CandidateKind::Ours, "postmortem complete"))
        );
        assert_eq!(
            offered.last(),
            Some(&(CandidateKind::Theirs, "postmortem: missing Issue Summary, missing Timeline, missing Root Cause and Resolution, missing Corrective and Preventative Measures"))
        );
    }
}
