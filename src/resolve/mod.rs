//! Resolving conflicts: the pure core (a parse and a strategy in, the new bytes out) and the atomic
//! writer. Nothing here drops a byte the user did not choose to drop: a block a strategy cannot
//! resolve is written back exactly as it was.
//!
//! Every resolver takes one road: parse, then the candidates for each block ([`candidate`]),
//! then, interactively, their verdicts by the document's schema, then a choice: by a
//! [`Strategy`], or by a person ([`prompt`]).

pub mod candidate;
pub mod diff;
pub mod eligible;
pub mod evaluate;
pub mod known_base;
pub mod merge;
pub mod prompt;
pub mod sections;
pub mod session;
pub mod strategy;
pub mod write;

pub use strategy::Strategy;

use crate::conflict::{parse, Block, ConflictedText, ParseOptions};
use crate::lint::{classify, FileContext};
use crate::span::Span;
use candidate::{ending_the_file, for_stretch, generate, Candidate, CandidateKind};
use eligible::Hold;
use known_base::ThreeWay;
use sections::MarkerStyle;

/// The outcome for one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The file's new bytes.
    pub bytes: Vec<u8>,
    /// Blocks replaced by text free of conflicts.
    pub resolved: usize,
    /// Conflicts left in the new bytes, counted as `check` counts them (real blocks and lone
    /// markers; examples in code blocks are not conflicts).
    pub remaining: usize,
    /// Blocks and lone markers left in code blocks that `check` takes for examples only because
    /// no merged version was known to say otherwise: not conflicts to `check`, but not proof that
    /// none remain either, so the file is not reported clean while they are there.
    pub undecided: usize,
    /// The blocks left as they were and why (by index among the top-level blocks).
    pub held: Vec<(usize, Hold)>,
    /// The blocks replaced, by index, with the kind of resolution and the merge rules that made
    /// it (what `--verbose` and the JSON output say settled each region).
    pub settled: Vec<(usize, candidate::CandidateKind, Vec<merge::Rule>)>,
}

/// What a resolver knows about a file besides its bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Facts<'a> {
    /// How `check` reads the file (marker size, Markdown, unmerged, the repository's evidence):
    /// `resolve` replaces only what `check` calls a conflict.
    pub context: FileContext<'a>,
    /// Bases recovered from Git for blocks whose markers carry none.
    pub known: &'a [ThreeWay],
}

/// Apply `strategy` to every top-level block of `input`, read as plain text with no repository.
#[must_use]
pub fn apply(input: &[u8], parsed: &ConflictedText, strategy: Strategy) -> Resolution {
    apply_with(input, parsed, strategy, &[])
}

/// [`apply`], with bases recovered from Git for blocks whose markers carry none (see
/// [`known_base`]): `base` and `auto` then work on those stretches as on diff3 blocks.
#[must_use]
pub fn apply_with(
    input: &[u8],
    parsed: &ConflictedText,
    strategy: Strategy,
    known: &[ThreeWay],
) -> Resolution {
    let context = FileContext {
        marker_size: parsed.marker_size,
        ..FileContext::default()
    };
    resolve(input, parsed, strategy, &Facts { context, known })
}

/// Resolve `input` (parsed as `parsed`) with `strategy`: only blocks that are this merge's
/// conflicts and can be read one way only are replaced, and only by text that holds no conflict
/// itself; everything else is kept byte for byte. `remaining` is what `check` finds afterwards.
#[must_use]
pub fn resolve(
    input: &[u8],
    parsed: &ConflictedText,
    strategy: Strategy,
    facts: &Facts<'_>,
) -> Resolution {
    let roles = classify(input, parsed, &facts.context);
    let stages = facts.context.evidence.stages();
    let holds = eligible::holds(input, parsed, &roles, stages);
    let blocks: Vec<&Block> = parsed.blocks().collect();
    // The merges that read headings and list items only where those mean something.
    let kinds: Vec<CandidateKind> = strategy
        .kinds()
        .iter()
        .copied()
        .filter(|k| {
            facts.context.markdown
                || !matches!(k, CandidateKind::Sections | CandidateKind::LineMerge)
        })
        .collect();
    let literal = if facts.context.markdown
        && kinds
            .iter()
            .any(|k| matches!(k, CandidateKind::Sections | CandidateKind::LineMerge))
    {
        candidate::literal_blocks(input, parsed)
    } else {
        vec![false; blocks.len()]
    };
    let mut covered = vec![false; blocks.len()];
    let mut nested_held = Vec::new();
    let mut settled_by = Vec::new();
    // Replacements in the file, as (span, new text, blocks it settles); what no replacement
    // covers stays as it is.
    let mut edits: Vec<(Span, Vec<u8>, usize)> = Vec::new();
    for unit in facts.known {
        let Some(first) = blocks.get(unit.blocks.start) else {
            continue;
        };
        if holds[unit.blocks.clone()].iter().any(Option::is_some) {
            continue;
        }
        let touches = literal[unit.blocks.clone()].iter().any(|&l| l);
        let offered = for_stretch(input, unit, &MarkerStyle::of(input, first), &kinds, touches);
        if let Some(chosen) = choose(strategy, &offered, parsed.marker_size) {
            covered[unit.blocks.clone()]
                .iter_mut()
                .for_each(|c| *c = true);
            let settled = if chosen.conflicts == 0 {
                unit.blocks.len()
            } else {
                0
            };
            settled_by.extend(
                unit.blocks
                    .clone()
                    .map(|i| (i, chosen.kind, chosen.rules.clone())),
            );
            edits.push((unit.span, chosen.text.clone(), settled));
        }
    }
    for (i, block) in blocks.iter().enumerate() {
        if covered[i] || holds[i].is_some() {
            continue;
        }
        // What a recovered base did not settle is taken as the markers show it.
        let mut offered = generate(input, block, None, &kinds, literal[i]);
        if block.span.end == input.len() {
            offered = offered
                .into_iter()
                .map(|c| ending_the_file(c, input, block, stages))
                .collect();
        }
        if let Some(chosen) = choose(strategy, &offered, parsed.marker_size) {
            let settled = usize::from(chosen.conflicts == 0);
            settled_by.push((i, chosen.kind, chosen.rules.clone()));
            edits.push((block.span, chosen.text.clone(), settled));
        } else if offered.iter().any(|c| c.takes_nested) {
            nested_held.push((i, Hold::SideHoldsConflict));
        } else if strategy == Strategy::Base
            && !offered.iter().any(|c| c.kind == CandidateKind::Base)
        {
            nested_held.push((i, Hold::NoBase));
        } else if strategy == Strategy::Auto {
            nested_held.push((i, Hold::NeedsJudgement));
        }
    }
    let (bytes, resolved) = splice(input, edits);
    let after = parse(
        &bytes,
        &ParseOptions {
            marker_size: parsed.marker_size,
        },
    );
    let classified = classify(&bytes, &after, &facts.context);
    let remaining = classified.conflicts(&after);
    let mut held: Vec<(usize, Hold)> = holds
        .iter()
        .enumerate()
        .filter_map(|(i, hold)| hold.map(|h| (i, h)))
        .chain(nested_held)
        .collect();
    held.sort_unstable_by_key(|(i, _)| *i);
    Resolution {
        bytes,
        resolved,
        remaining,
        undecided: classified.undecided,
        held,
        settled: settled_by,
    }
}

/// `input` with each `(span, text, blocks settled)` edit made (spans never overlap), and how many
/// blocks the edits settled.
fn splice(input: &[u8], mut edits: Vec<(Span, Vec<u8>, usize)>) -> (Vec<u8>, usize) {
    edits.sort_by_key(|(span, _, _)| span.start);
    let mut bytes = Vec::with_capacity(input.len());
    let mut at = 0;
    let mut resolved = 0;
    for (span, text, settled) in edits {
        bytes.extend_from_slice(&input[at..span.start]);
        bytes.extend_from_slice(&text);
        at = span.end;
        resolved += settled;
    }
    bytes.extend_from_slice(&input[at..]);
    (bytes, resolved)
}

/// The candidate `strategy` picks from `offered`, when its text holds exactly the conflicts it
/// says it leaves (none, or the sections a section merge left) and nothing else marker-like.
fn choose(strategy: Strategy, offered: &[Candidate], marker_size: usize) -> Option<&Candidate> {
    strategy
        .pick(offered)
        .filter(|c| holds_exactly(&c.text, c.conflicts, marker_size))
}

/// Whether `text`, read with the file's markers, holds exactly `blocks` well-formed conflict
/// blocks and nothing else marker-like: a replacement is used only then.
fn holds_exactly(text: &[u8], blocks: usize, marker_size: usize) -> bool {
    let parsed = parse(text, &ParseOptions { marker_size });
    parsed.lone_markers() == 0
        && parsed.blocks().count() == blocks
        && parsed
            .blocks()
            .all(|b| b.problems.is_empty() && b.nested_count() == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{parse, ParseOptions, Side};
    use crate::lint::Stages;

    fn run(text: &str, strategy: Strategy) -> (String, usize, usize) {
        let parsed = parse(text.as_bytes(), &ParseOptions::default());
        let r = apply(text.as_bytes(), &parsed, strategy);
        (
            String::from_utf8(r.bytes).expect("UTF-8"),
            r.resolved,
            r.remaining,
        )
    }

    /// `text`, one block, stays as it is under every strategy that picks a side.
    #[track_caller]
    fn left_by_every_strategy(text: &str) {
        for strategy in [
            Strategy::Ours,
            Strategy::Theirs,
            Strategy::Union,
            Strategy::Auto,
        ] {
            assert_eq!(run(text, strategy), (text.into(), 0, 1), "{strategy:?}");
        }
    }

    const MERGE: &str = "top\n<<<<<<< HEAD\nsame\nours\n=======\nsame\ntheirs\n>>>>>>> b\nend\n";

    #[test]
    fn sides_and_union() {
        assert_eq!(
            run(MERGE, Strategy::Ours),
            ("top\nsame\nours\nend\n".into(), 1, 0)
        );
        assert_eq!(
            run(MERGE, Strategy::Theirs),
            ("top\nsame\ntheirs\nend\n".into(), 1, 0)
        );
        // Both sides whole, as `git merge-file --union` writes them in every style (the shared
        // line is written twice: Git split the conflict where it could already).
        assert_eq!(
            run(MERGE, Strategy::Union),
            ("top\nsame\nours\nsame\ntheirs\nend\n".into(), 1, 0)
        );
        // No base in the merge style: the block stays, byte for byte.
        assert_eq!(run(MERGE, Strategy::Base), (MERGE.into(), 0, 1));
    }

    #[test]
    fn a_side_that_starts_with_a_jujutsu_looking_line_is_git_content() {
        // Issue 11, point 2: these sides were read as Jujutsu sections and lost.
        for first in [
            "%%%%%%%",
            "+++++++",
            "-------",
            "\\\\\\\\\\\\\\",
            "+++++++ x",
        ] {
            let text = format!("<<<<<<< HEAD\n{first}\nours\n=======\ntheirs\n>>>>>>> b\n");
            assert_eq!(
                run(&text, Strategy::Ours),
                (format!("{first}\nours\n"), 1, 0),
                "{first}"
            );
            assert_eq!(run(&text, Strategy::Theirs), ("theirs\n".into(), 1, 0));
        }
    }

    #[test]
    fn nested_conflicts_in_the_chosen_side_leave_the_block() {
        // Issue 11, point 3: a side holding a conflict is not a resolution.
        let recursive =
            "<<<<<<< HEAD\n<<<<<<<<< a\nx\n=========\ny\n>>>>>>>>> b\n=======\nz\n>>>>>>> t\n";
        for strategy in [Strategy::Ours, Strategy::Union, Strategy::Auto] {
            assert_eq!(
                run(recursive, strategy),
                (recursive.into(), 0, 1),
                "{strategy:?}"
            );
        }
        assert_eq!(run(recursive, Strategy::Theirs), ("z\n".into(), 1, 0));
        let same_length =
            "<<<<<<< HEAD\na\n=======\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> x\n>>>>>>> y\n";
        assert_eq!(
            run(same_length, Strategy::Theirs),
            (same_length.into(), 0, 1)
        );
        // Read alone, same-length markers inside a block may be a side's own lines, which would
        // move where the sides end: no side is taken (the differential harness found the case).
        assert_eq!(run(same_length, Strategy::Ours), (same_length.into(), 0, 1));
    }

    #[test]
    fn a_second_separator_leaves_the_block() {
        // Issue 11, point 8: `T` / `=======` in ours is a setext heading or the separator.
        let text = "<<<<<<< HEAD\nT\n=======\nmore\n=======\ntheirs\n>>>>>>> b\n";
        left_by_every_strategy(text);
        let diff3 = "<<<<<<< HEAD\nT\n||||||| b\nx\n=======\ny\n=======\nz\n>>>>>>> b\n";
        assert_eq!(run(diff3, Strategy::Ours), (diff3.into(), 0, 1));
    }

    #[test]
    fn a_lone_end_marker_after_a_block_leaves_it() {
        // Theirs held a `>>>>>>>` line: the block ends there, and Git's end marker is left over.
        let text = "<<<<<<< HEAD\no\n=======\nt1\n>>>>>>>\nt2\n>>>>>>> topic\n";
        assert_eq!(run(text, Strategy::Ours), (text.into(), 0, 2));
    }

    #[test]
    fn blocks_with_a_base_beside_blocks_without_are_left() {
        let text = "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\nmid\n<<<<<<< HEAD\nc\n||||||| x\nd\n=======\ne\n>>>>>>> t\n";
        assert_eq!(
            run(text, Strategy::Ours),
            (
                "a\nmid\n<<<<<<< HEAD\nc\n||||||| x\nd\n=======\ne\n>>>>>>> t\n".into(),
                1,
                1
            )
        );
    }

    #[test]
    fn a_missing_final_newline_comes_back_from_the_stages() {
        let text = b"p\n<<<<<<< o\na\n=======\nb\n>>>>>>> t\n";
        let parsed = parse(text, &ParseOptions::default());
        let stages = Stages {
            base: Some(b"p\nx".to_vec()),
            ours: Some(b"p\na".to_vec()),
            theirs: Some(b"p\nb\n".to_vec()),
        };
        let evidence = crate::lint::KnownStages(stages);
        let facts = Facts {
            context: FileContext {
                unmerged: true,
                evidence: &evidence,
                ..FileContext::default()
            },
            known: &[],
        };
        let bytes = |strategy| resolve(text, &parsed, strategy, &facts).bytes;
        // What `git merge-file -p --ours/--theirs/--union` writes from those three files.
        assert_eq!(bytes(Strategy::Ours), b"p\na");
        assert_eq!(bytes(Strategy::Theirs), b"p\nb\n");
        assert_eq!(bytes(Strategy::Union), b"p\na\nb\n");
        // Union keeps the newline Git added to ours even when theirs is empty.
        let empty_theirs = b"<<<<<<< o\na\n=======\n>>>>>>> t\n";
        let parsed_empty = parse(empty_theirs, &ParseOptions::default());
        let stages = Stages {
            base: Some(b"x\n".to_vec()),
            ours: Some(b"a".to_vec()),
            theirs: Some(Vec::new()),
        };
        let evidence = crate::lint::KnownStages(stages);
        let facts = Facts {
            context: FileContext {
                unmerged: true,
                evidence: &evidence,
                ..FileContext::default()
            },
            known: &[],
        };
        let union = resolve(empty_theirs, &parsed_empty, Strategy::Union, &facts).bytes;
        assert_eq!(union, b"a\n");
        // Without the stages the file is all there is: its sides end in a newline.
        assert_eq!(apply(text, &parsed, Strategy::Ours).bytes, b"p\na\n");
    }

    #[test]
    fn union_with_a_base_keeps_both_sides_whole() {
        let diff3 =
            "<<<<<<< HEAD\nsame\nours\n||||||| base\nold\n=======\nsame\ntheirs\n>>>>>>> b\n";
        assert_eq!(
            run(diff3, Strategy::Union),
            ("same\nours\nsame\ntheirs\n".into(), 1, 0)
        );
    }

    #[test]
    fn auto_takes_only_trivial_resolutions() {
        let one_side_changed = "<<<<<<< HEAD\nold\n||||||| base\nold\n=======\nnew\n>>>>>>> b\n";
        assert_eq!(
            run(one_side_changed, Strategy::Auto),
            ("new\n".into(), 1, 0)
        );
        let trailing = "<<<<<<< HEAD\na b \t\r\n=======\na b\n>>>>>>> x\n";
        assert_eq!(run(trailing, Strategy::Auto), ("a b \t\r\n".into(), 1, 0));
        // Whitespace inside a line, indentation and blank lines are changes: found by a hostile
        // user (`foo bar` / `foobar`, a paragraph / an indented code block).
        for (ours, theirs) in [
            ("foobar", "foo bar"),
            ("rm -rf build", "    rm -rf build"),
            ("a\n", "a\n\n"),
            // A line ending in two spaces is a hard break; one ending in a tab or a single space
            // after them is not (found by a hostile user: `foo \t ` taken for `foo  `).
            ("foo \t ", "foo  "),
            ("foo  \t", "foo  "),
            ("foo", "foo  "),
        ] {
            let text = format!("<<<<<<< HEAD\n{ours}\n=======\n{theirs}\n>>>>>>> x\n");
            assert_eq!(run(&text, Strategy::Auto), (text.clone(), 0, 1), "{ours:?}");
        }
        assert_eq!(run(MERGE, Strategy::Auto), (MERGE.into(), 0, 1));
        let both_hard = "<<<<<<< HEAD\nfoo   \n=======\nfoo  \n>>>>>>> x\n";
        assert_eq!(run(both_hard, Strategy::Auto), ("foo   \n".into(), 1, 0));
    }

    #[test]
    fn a_jujutsu_block_with_only_base_sections_is_left_alone() {
        // Found by the conflict_parse fuzz target: such a block has no side to take (Jujutsu
        // writes at least two), so `ours` leaves it and the ours reconstruction does not exist.
        let text = "a\n<<<<<<< conflict 1 of 1\n-------\nbase\n-------\nother\n>>>>>>> end\n";
        let parsed = parse(text.as_bytes(), &ParseOptions::default());
        let block = parsed.blocks().next().expect("a block");
        assert_eq!(block.dialect, crate::conflict::Dialect::Jujutsu);
        assert!(parsed.choose(text.as_bytes(), Side::Ours).is_none());
        assert_eq!(run(text, Strategy::Ours), (text.into(), 0, 1));
        assert_eq!(run(text, Strategy::Auto), (text.into(), 0, 1));
    }

    #[test]
    fn a_jujutsu_block_with_one_side_is_no_conflict_to_resolve() {
        // Found by the differential harness (seed 19295): text that reads as a Jujutsu block of
        // one side and no base. Jujutsu never writes that; resolving it deleted three lines.
        let text = "a\n<<<<<<< conflict 1 of 1\n+++++++ x\n>>>>>>> x\nb\n";
        let parsed = parse(text.as_bytes(), &ParseOptions::default());
        let block = parsed.blocks().next().expect("a block");
        assert_eq!(
            block.problems,
            [crate::conflict::BlockProblem::UnbalancedJujutsu]
        );
        left_by_every_strategy(text);
    }

    #[test]
    fn a_jujutsu_conflict_of_three_sides_is_left() {
        // Found by a hostile user: union kept sides 1 and 3 and dropped side 2.
        let text = "x\n<<<<<<< Conflict 1 of 1\n%%%%%%% to side #1\n-a\n+b\n%%%%%%% to side #2\n-a\n+q\n+++++++ side #3\nd\n>>>>>>> Conflict 1 of 1 ends\ny\n";
        left_by_every_strategy(text);
        // A diff line without a prefix (typed by hand) leaves no side to rebuild.
        let edited = "<<<<<<< Conflict 1 of 1\n%%%%%%% to side #1\n-a\nKEEP ME\n+b\n+++++++ side #2\nd\n>>>>>>> Conflict 1 of 1 ends\n";
        assert_eq!(run(edited, Strategy::Ours), (edited.into(), 0, 1));
    }

    #[test]
    fn broken_markers_are_left_alone_and_counted() {
        let text = "a\n>>>>>>> gone\n<<<<<<< HEAD\nx\n>>>>>>> y\n";
        assert_eq!(run(text, Strategy::Ours), (text.into(), 0, 2));
    }
}
