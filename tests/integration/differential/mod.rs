//! The standing differential harness: random three-way texts merged by the real `git merge-file`
//! in all three conflict styles, compared with what mergemark reads and resolves.
//!
//! Each case draws lines from a small vocabulary (so conflicts happen) that includes what fools
//! readers: marker-like lines of every dialect and of lengths around the marker size, setext
//! underlines, code fences; CRLF, mixed line ends, a BOM, files without a final newline; marker
//! sizes 1 to 20. The oracle is Git:
//!
//! - the same merge with 60-character markers (which no vocabulary line can imitate) tells where
//!   Git's blocks really are and what each side holds;
//! - `git merge-file --ours/--theirs/--union` say what each strategy must write;
//! - mergemark's output must be, block by block, Git's bytes or the block left exactly as it was,
//!   and a block may be left only when the file holds a line that could be read as a marker (of
//!   the file's size) or, for a Markdown file read without the index stages, a code fence; the
//!   text around the blocks never changes; what `resolve` reports left is what `check` finds.
//! - where nothing could be misread, mergemark finds exactly Git's number of conflicts, and a file
//!   with no conflict is left as it is by every strategy.
//!
//! `cargo test` runs a few hundred seeded cases per style. For a long run:
//! `MERGEMARK_DIFF_CASES=20000 cargo test --release --test integration differential::random -- --nocapture`
//! (`MERGEMARK_DIFF_SEED` moves the seeds; a failure prints the seed and the three inputs).

pub mod cases;
mod driver;
mod git;

use std::path::Path;
use std::process::Command;

use mergemark::conflict::{parse, ConflictedText, ParseOptions};
use mergemark::lint::{check_bytes, FileContext, KnownStages, Stages};
use mergemark::resolve::{resolve, Facts, Strategy};

use cases::{generate, holds_fences, holds_marker_like_lines, Case, Style};
use git::{
    git_merge, git_reading, git_resolutions, matches, raw_blocks, read_safe, shown_resolutions,
    Piece, SAFE,
};

/// Conflict-level findings `check` reports for `bytes`.
fn check_count(bytes: &[u8], context: &FileContext<'_>) -> usize {
    check_bytes(bytes, context)
        .iter()
        .filter(|f| matches!(f.rule.name(), "conflict-marker" | "broken-conflict"))
        .count()
}

const STRATEGIES: [(Strategy, &str); 3] = [
    (Strategy::Ours, "--ours"),
    (Strategy::Theirs, "--theirs"),
    (Strategy::Union, "--union"),
];

/// What a run covered, to show the cases were not vacuous.
#[derive(Default)]
struct Tally {
    conflicted: usize,
    strict: usize,
    blocks: usize,
    left: usize,
}

/// One case merged by Git, and read by mergemark.
struct Merged {
    /// The conflicted file Git wrote with the case's marker size.
    real: Vec<u8>,
    /// Git's pieces, from the same merge with 60-character markers.
    pieces: Vec<Piece>,
    /// Each of Git's blocks as the real file shows it.
    raw: Vec<Vec<u8>>,
    /// How Git's own reader reads the real file, if it can.
    reading: Option<(Vec<Piece>, Vec<Vec<u8>>)>,
    /// mergemark's parse of the real file.
    parsed: ConflictedText,
    /// Some version holds a line that could be read as a marker of the case's size.
    ambiguous: bool,
}

/// Merge the case with Git twice (its marker size, then 60), and check that mergemark reads
/// Git's blocks wherever no line could be misread.
fn merge(dir: &Path, case: &Case, tally: &mut Tally) -> Result<Merged, String> {
    for (name, bytes) in ["base", "ours", "theirs"].iter().zip(&case.versions) {
        std::fs::write(dir.join(name), bytes).expect("writing a version");
    }
    let (conflicts, real) = git_merge(dir, case, case.size, None);
    if !(0..=127).contains(&conflicts) {
        return Err(format!("git merge-file failed ({conflicts})"));
    }
    let (safe_conflicts, safe) = git_merge(dir, case, SAFE, None);
    if safe_conflicts != conflicts {
        return Err("the marker size changed Git's merge".to_owned());
    }
    let pieces = read_safe(&safe);
    let blocks = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Block { .. }))
        .count();
    if usize::try_from(conflicts).ok() != Some(blocks.min(127)) {
        return Err(format!(
            "harness: {blocks} blocks read, git says {conflicts}"
        ));
    }
    let raw = raw_blocks(&real, &pieces, case);
    let ambiguous = case
        .versions
        .iter()
        .any(|v| holds_marker_like_lines(v, case.size));
    tally.conflicted += usize::from(blocks > 0);
    tally.strict += usize::from(blocks > 0 && !ambiguous);
    tally.blocks += blocks;
    let parsed = parse(
        &real,
        &ParseOptions {
            marker_size: case.size,
        },
    );
    if !ambiguous && (parsed.blocks().count() != blocks || parsed.lone_markers() != 0) {
        return Err(format!(
            "mergemark reads {} blocks and {} lone markers where Git wrote {blocks} blocks",
            parsed.blocks().count(),
            parsed.lone_markers()
        ));
    }
    Ok(Merged {
        reading: git_reading(&real, case.size),
        real,
        pieces,
        raw,
        parsed,
        ambiguous,
    })
}

/// How a strategy is asked: with the index stages (as during a merge), or on the file alone.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    WithStages,
    Alone,
}

/// `strategy` in `mode` against Git's `expected` output: block by block Git's bytes or the block
/// left (only where that is allowed), the text around untouched, the counts honest.
fn check_strategy(
    merged: &Merged,
    case: &Case,
    (strategy, flag): (Strategy, &str),
    (mode, context): (Mode, &FileContext<'_>),
    expected: &[u8],
    tally: &mut Tally,
) -> Result<(), String> {
    let pick = |o: &[u8], t: &[u8]| match strategy {
        Strategy::Ours => o.to_vec(),
        Strategy::Theirs => t.to_vec(),
        _ => [o, t].concat(),
    };
    let resolutions = match mode {
        Mode::WithStages => git_resolutions(expected, &merged.pieces, pick)
            .ok_or_else(|| format!("harness: {flag} output does not follow the pieces"))?,
        // Read alone, the file shows every side ending in a line terminator.
        Mode::Alone => shown_resolutions(&merged.pieces, strategy),
    };
    let facts = Facts {
        context: *context,
        known: &[],
    };
    let result = resolve(&merged.real, &merged.parsed, strategy, &facts);
    let label = format!(
        "{flag} {}",
        if mode == Mode::Alone {
            "read alone"
        } else {
            "with the index stages"
        }
    );
    // Read alone, a file whose lines may be markers means what Git's own reader reads in it:
    // that reading is as good as the merge's (only the versions can tell them apart).
    let by_reading = || {
        let (pieces, raws) = merged.reading.as_ref()?;
        matches(
            &result.bytes,
            pieces,
            &shown_resolutions(pieces, strategy),
            raws,
        )
    };
    let reading_allowed = merged.ambiguous && mode == Mode::Alone;
    let Some((replaced, left)) = matches(&result.bytes, &merged.pieces, &resolutions, &merged.raw)
        .or_else(|| reading_allowed.then(by_reading).flatten())
    else {
        return Err(format!(
            "{label}: the output is not Git's bytes with blocks left as they were\n\
             got:      {:?}\nexpected: {:?}",
            String::from_utf8_lossy(&result.bytes),
            String::from_utf8_lossy(expected)
        ));
    };
    tally.left += left;
    let may_leave =
        merged.ambiguous || (case.markdown && mode == Mode::Alone && holds_fences(&merged.real));
    if left > 0 && !may_leave {
        return Err(format!(
            "{label}: {left} block(s) left though nothing could be misread"
        ));
    }
    if replaced != result.resolved && !merged.ambiguous {
        return Err(format!(
            "{label}: {replaced} replaced, {} reported",
            result.resolved
        ));
    }
    let found = check_count(&result.bytes, context);
    if found != result.remaining {
        return Err(format!(
            "{label}: {} reported remaining, check finds {found}",
            result.remaining
        ));
    }
    if mode == Mode::WithStages && !merged.ambiguous && result.bytes != expected {
        return Err(format!("{label}: not Git's bytes"));
    }
    Ok(())
}

/// A file with no conflict in it (Git's own resolved outputs) is left as it is by every strategy.
fn check_identity(output: &[u8], flag: &str, alone: &FileContext<'_>) -> Result<(), String> {
    if check_count(output, alone) > 0 {
        return Ok(());
    }
    let parsed = parse(
        output,
        &ParseOptions {
            marker_size: alone.marker_size,
        },
    );
    for (strategy, _) in STRATEGIES {
        let facts = Facts {
            context: *alone,
            known: &[],
        };
        if resolve(output, &parsed, strategy, &facts).bytes != output {
            return Err(format!(
                "{flag} output, no conflict in it, changed by {strategy:?}"
            ));
        }
    }
    Ok(())
}

fn run_case(
    dir: &Path,
    case: &Case,
    through_binary: bool,
    tally: &mut Tally,
) -> Result<(), String> {
    let merged = merge(dir, case, tally)?;
    let [base, ours, theirs] = case.versions.clone();
    let evidence = KnownStages(Stages {
        base: Some(base),
        ours: Some(ours),
        theirs: Some(theirs),
    });
    let with_stages = FileContext {
        marker_size: case.size,
        markdown: case.markdown,
        unmerged: true,
        evidence: &evidence,
        ..FileContext::default()
    };
    let alone = FileContext {
        marker_size: case.size,
        markdown: case.markdown,
        ..FileContext::default()
    };
    for (strategy, flag) in STRATEGIES {
        let (_, expected) = git_merge(dir, case, case.size, Some(flag));
        for mode in [(Mode::WithStages, &with_stages), (Mode::Alone, &alone)] {
            check_strategy(&merged, case, (strategy, flag), mode, &expected, tally)?;
        }
        check_identity(&expected, flag, &alone)?;
        if through_binary {
            binary_agrees(dir, case, strategy, &merged.real, &alone)?;
        }
    }
    Ok(())
}

/// The binary on the file alone equals the library, and `check` on its output finds what it
/// reported remaining.
fn binary_agrees(
    dir: &Path,
    case: &Case,
    strategy: Strategy,
    real: &[u8],
    alone: &FileContext<'_>,
) -> Result<(), String> {
    let name = if case.markdown { "doc.md" } else { "doc.txt" };
    std::fs::write(dir.join(name), real).expect("writing the conflicted file");
    let size = case.size.to_string();
    let strategy_name = match strategy {
        Strategy::Ours => "ours",
        Strategy::Theirs => "theirs",
        _ => "union",
    };
    let out = Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(dir)
        .args([
            "resolve",
            "--strategy",
            strategy_name,
            "--stdout",
            "--marker-size",
            &size,
            name,
        ])
        .output()
        .expect("running mergemark");
    let parsed = parse(
        real,
        &ParseOptions {
            marker_size: case.size,
        },
    );
    let library = resolve(
        real,
        &parsed,
        strategy,
        &Facts {
            context: *alone,
            known: &[],
        },
    );
    if out.stdout != library.bytes {
        return Err(format!("binary {strategy_name}: differs from the library"));
    }
    // Markers left in code blocks that no merged version shows to be examples keep the file from
    // being reported clean: the binary counts them as remaining, and exits so.
    let left = library.remaining + library.undecided;
    let expected_code = i32::from(left > 0);
    if out.status.code() != Some(expected_code) {
        return Err(format!(
            "binary {strategy_name}: exit {:?}",
            out.status.code()
        ));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.contains(&format!(", {left} remaining")) {
        return Err(format!("binary {strategy_name}: {stderr}"));
    }
    std::fs::write(dir.join(name), &out.stdout).expect("writing the result");
    let check = Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(dir)
        .args([
            "check",
            "--format",
            "json",
            "--no-config",
            "--marker-size",
            &size,
            name,
        ])
        .output()
        .expect("running mergemark check");
    let json: serde_json::Value =
        serde_json::from_slice(&check.stdout).map_err(|e| e.to_string())?;
    let found = json["findings"].as_array().map_or(0, |f| {
        f.iter()
            .filter(|f| {
                matches!(
                    f["rule"].as_str(),
                    Some("conflict-marker" | "broken-conflict")
                )
            })
            .count()
    });
    if found != library.remaining {
        return Err(format!(
            "binary {strategy_name}: {} remaining reported, check finds {found}",
            library.remaining
        ));
    }
    Ok(())
}

/// The seeds a generated run covers: `cases` of them (or the number in `{prefix}_CASES`) from
/// 0 (or `{prefix}_SEED`): the knob for long runs and for replaying one failure.
pub fn seeds(prefix: &str, cases: u64) -> std::ops::Range<u64> {
    let knob = |name: &str| {
        std::env::var(format!("{prefix}_{name}"))
            .ok()
            .and_then(|v| v.parse().ok())
    };
    let first = knob("SEED").unwrap_or(0);
    first..first + knob("CASES").unwrap_or(cases)
}

fn run_style(style: Style) {
    let seeds = seeds("MERGEMARK_DIFF", 150);
    let (first, cases) = (seeds.start, seeds.end - seeds.start);
    let dir = tempfile::tempdir().expect("a directory");
    let mut failures = Vec::new();
    let mut tally = Tally::default();
    for seed in first..first + cases {
        let case = generate(seed, style);
        // Every 16th case also goes through the binary (a process per strategy and check).
        if let Err(message) = run_case(dir.path(), &case, seed % 16 == 0, &mut tally) {
            failures.push(format!(
                "seed {seed} ({style:?}, marker size {}, markdown {}): {message}\n  base:   {:?}\n  ours:   {:?}\n  theirs: {:?}",
                case.size,
                case.markdown,
                String::from_utf8_lossy(&case.versions[0]),
                String::from_utf8_lossy(&case.versions[1]),
                String::from_utf8_lossy(&case.versions[2]),
            ));
            if failures.len() >= 5 {
                break;
            }
        }
    }
    eprintln!(
        "differential {style:?}: {cases} cases from seed {first}: {} conflicted ({} with nothing \
         marker-like, checked byte for byte), {} blocks, {} left by a strategy where allowed; \
         {} failed",
        tally.conflicted,
        tally.strict,
        tally.blocks,
        tally.left,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatch(es) against git (rerun one with MERGEMARK_DIFF_SEED=N MERGEMARK_DIFF_CASES=1):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn random_merges_in_the_merge_style_agree_with_git() {
    run_style(Style::Merge);
}

#[test]
fn random_merges_in_the_diff3_style_agree_with_git() {
    run_style(Style::Diff3);
}

#[test]
fn random_merges_in_the_zdiff3_style_agree_with_git() {
    run_style(Style::Zdiff3);
}
