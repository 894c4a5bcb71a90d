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
//! `MERGEMARK_DIFF_CASES=20000 cargo test --release --test integration differential -- --nocapture`
//! (`MERGEMARK_DIFF_SEED` moves the seeds; a failure prints the seed and the three inputs).

use std::path::Path;
use std::process::Command;

use mergemark::conflict::{parse, ParseOptions};
use mergemark::lint::{check_bytes, FileContext, KnownStages, Stages};
use mergemark::resolve::{resolve, Facts, Strategy};

/// A deterministic generator (SplitMix64): the same seed gives the same case everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("small")
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "alpha",
    "beta",
    "gamma",
    "delta",
    "",
    "",
    "shared line",
    "- item a",
    "- item b",
    "# Heading",
    "## Part",
    "| col | col |",
    "> quote",
    "Title",
    "1. step",
    "text",
];
const UNDERLINES: &[&str] = &["=======", "-------", "===", "---", "========"];
const FENCES: &[&str] = &["```", "~~~", "```text"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Merge,
    Diff3,
    Zdiff3,
}

impl Style {
    fn flag(self) -> Option<&'static str> {
        match self {
            Self::Merge => None,
            Self::Diff3 => Some("--diff3"),
            Self::Zdiff3 => Some("--zdiff3"),
        }
    }
}

/// One generated case: three versions and how Git is asked to merge them.
#[derive(Debug)]
struct Case {
    style: Style,
    size: usize,
    markdown: bool,
    versions: [Vec<u8>; 3],
}

fn line(rng: &mut Rng, size: usize, hostile: bool) -> String {
    if hostile && rng.chance(30) {
        let marker = rng.pick(&["<", "|", "=", ">", "%", "+", "-", "\\"]);
        let len = [size.saturating_sub(1).max(1), size, size, size + 1, 7][rng.below(5)];
        let label = if marker == "=" {
            rng.pick(&["", "", " "])
        } else {
            rng.pick(&["", " HEAD", " x", " conflict 1 of 1"])
        };
        return format!("{}{label}", marker.repeat(len));
    }
    match rng.below(10) {
        0 => rng.pick(UNDERLINES).to_owned(),
        1 => rng.pick(FENCES).to_owned(),
        _ => rng.pick(WORDS).to_owned(),
    }
}

fn edit(rng: &mut Rng, base: &[String], size: usize, hostile: bool) -> Vec<String> {
    let mut lines = base.to_vec();
    for _ in 0..rng.below(4) {
        let at = rng.below(lines.len() + 1);
        match rng.below(3) {
            0 if at < lines.len() => {
                lines.remove(at);
            }
            1 if at < lines.len() => lines[at] = line(rng, size, hostile),
            _ => lines.insert(at, line(rng, size, hostile)),
        }
    }
    lines
}

fn render(rng: &mut Rng, lines: &[String], eol: usize, final_newline: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    for (i, line) in lines.iter().enumerate() {
        out.extend_from_slice(line.as_bytes());
        if i + 1 == lines.len() && !final_newline {
            break;
        }
        let crlf = match eol {
            0 => false,
            1 => true,
            _ => rng.chance(50),
        };
        out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    }
    out
}

fn generate(seed: u64, style: Style) -> Case {
    let mut rng = Rng(seed ^ 0x5EED_0000_0000_0000);
    let size = if rng.chance(50) { 7 } else { 1 + rng.below(20) };
    let hostile = rng.chance(50);
    let base: Vec<String> = (0..rng.below(12))
        .map(|_| line(&mut rng, size, hostile))
        .collect();
    let ours = edit(&mut rng, &base, size, hostile);
    let theirs = edit(&mut rng, &base, size, hostile);
    let eol = [0, 0, 0, 1, 2][rng.below(5)];
    let bom = rng.chance(10);
    let mut version = |lines: &[String]| {
        let final_newline = !rng.chance(20);
        render(&mut rng, lines, eol, final_newline, bom)
    };
    let versions = [version(&base), version(&ours), version(&theirs)];
    Case {
        style,
        size,
        markdown: rng.chance(50),
        versions,
    }
}

/// `git merge-file -p` on the case with `size`-character markers and `extra` flags: (exit code,
/// output). Git's exit code is its number of conflicts (at most 127).
fn git_merge(dir: &Path, case: &Case, size: usize, extra: Option<&str>) -> (i32, Vec<u8>) {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(["merge-file", "-p", &format!("--marker-size={size}")]);
    command.args(case.style.flag());
    command.args(extra);
    command.args([
        "-L", "ours", "-L", "base", "-L", "theirs", "ours", "base", "theirs",
    ]);
    let output = command.output().expect("running git merge-file");
    (output.status.code().unwrap_or(-1), output.stdout)
}

/// One piece of Git's merge, as the 60-character markers show it.
#[derive(Debug)]
enum Piece {
    Text(Vec<u8>),
    Block {
        ours: Vec<u8>,
        base: Vec<u8>,
        theirs: Vec<u8>,
    },
}

const SAFE: usize = 60;

/// Read Git's output written with 60-character markers, which no generated line can imitate.
fn read_safe(bytes: &[u8]) -> Vec<Piece> {
    let run = |c: u8| vec![c; SAFE];
    let mut pieces = Vec::new();
    let mut text = Vec::new();
    let (mut ours, mut base, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    let mut state = 0; // 0 text, 1 ours, 2 base, 3 theirs
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let starts = |c: u8| line.starts_with(&run(c));
        match state {
            0 if starts(b'<') => {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
                state = 1;
            }
            1 if starts(b'|') => state = 2,
            1 | 2 if starts(b'=') => state = 3,
            3 if starts(b'>') => {
                pieces.push(Piece::Block {
                    ours: std::mem::take(&mut ours),
                    base: std::mem::take(&mut base),
                    theirs: std::mem::take(&mut theirs),
                });
                state = 0;
            }
            0 => text.extend_from_slice(line),
            1 => ours.extend_from_slice(line),
            2 => base.extend_from_slice(line),
            _ => theirs.extend_from_slice(line),
        }
    }
    assert_eq!(state, 0, "the 60-character markers are balanced");
    pieces.push(Piece::Text(text));
    pieces
}

/// Where Git's blocks lie in the real output (`size`-character markers): each block's raw bytes.
fn raw_blocks(real: &[u8], pieces: &[Piece], case: &Case) -> Vec<Vec<u8>> {
    let mut pos = 0;
    let mut raws = Vec::new();
    let take_line = |pos: &mut usize, marker: u8| {
        let end = real[*pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(real.len(), |i| *pos + i + 1);
        assert!(
            real[*pos..].starts_with(&vec![marker; case.size]),
            "{case:?}: a {} marker line expected",
            char::from(marker)
        );
        *pos = end;
    };
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                assert!(real[pos..].starts_with(text), "{case:?}: text moved");
                pos += text.len();
            }
            Piece::Block { ours, base, theirs } => {
                let start = pos;
                take_line(&mut pos, b'<');
                pos += ours.len();
                if case.style != Style::Merge {
                    take_line(&mut pos, b'|');
                    pos += base.len();
                }
                take_line(&mut pos, b'=');
                pos += theirs.len();
                take_line(&mut pos, b'>');
                raws.push(real[start..pos].to_vec());
            }
        }
    }
    assert_eq!(
        pos,
        real.len(),
        "{case:?}: all of the output is accounted for"
    );
    raws
}

/// What Git's `--ours/--theirs/--union` output holds for each block, found by walking it with the
/// text pieces (the last block, when it ends the file, takes the rest: Git drops a newline it
/// had to add to show the markers).
fn git_resolutions(
    output: &[u8],
    pieces: &[Piece],
    pick: impl Fn(&[u8], &[u8]) -> Vec<u8>,
) -> Option<Vec<Vec<u8>>> {
    let mut pos = 0;
    let mut out = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(text) => {
                if !output[pos..].starts_with(text) {
                    return None;
                }
                pos += text.len();
            }
            Piece::Block { ours, theirs, .. } => {
                let last = pieces[i + 1..]
                    .iter()
                    .all(|p| matches!(p, Piece::Text(t) if t.is_empty()));
                let chosen = if last {
                    output[pos..].to_vec()
                } else {
                    pick(ours, theirs)
                };
                if !output[pos..].starts_with(&chosen) {
                    return None;
                }
                pos += chosen.len();
                out.push(chosen);
            }
        }
    }
    (pos == output.len()).then_some(out)
}

/// Whether `got` is the text pieces with each block either `resolved[i]` or `raw[i]` left as it
/// was; returns how many blocks were replaced, and how many were left though they differ.
fn matches(
    got: &[u8],
    pieces: &[Piece],
    resolved: &[Vec<u8>],
    raw: &[Vec<u8>],
) -> Option<(usize, usize)> {
    fn walk(
        got: &[u8],
        pieces: &[Piece],
        k: usize,
        resolved: &[Vec<u8>],
        raw: &[Vec<u8>],
    ) -> Option<(usize, usize)> {
        let Some((piece, rest)) = pieces.split_first() else {
            return got.is_empty().then_some((0, 0));
        };
        match piece {
            Piece::Text(text) => walk(got.strip_prefix(text.as_slice())?, rest, k, resolved, raw),
            Piece::Block { .. } => {
                let replaced = got
                    .strip_prefix(resolved[k].as_slice())
                    .and_then(|g| walk(g, rest, k + 1, resolved, raw))
                    .map(|(r, l)| (r + 1, l));
                replaced.or_else(|| {
                    let left = usize::from(raw[k] != resolved[k]);
                    got.strip_prefix(raw[k].as_slice())
                        .and_then(|g| walk(g, rest, k + 1, resolved, raw))
                        .map(|(r, l)| (r, l + left))
                })
            }
        }
    }
    walk(got, pieces, 0, resolved, raw)
}

/// A line Git's reader (or mergemark's) could take for a marker of `size`: a run of exactly `size`
/// of `<`, `|`, `=` or `>` at the start of a line, then the end of the line or whitespace; or a
/// longer `<` run (mergemark reads those as a nested or Jujutsu block's start when one follows).
fn could_be_a_marker(line: &[u8], size: usize) -> bool {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let Some(&c) = line.first() else { return false };
    let run = line.iter().take_while(|&&b| b == c).count();
    let ends = line.get(run).is_none_or(|b| b.is_ascii_whitespace());
    b"<|=>".contains(&c) && ends && (run == size || (c == b'<' && run > size))
}

/// Git's own reading of a conflicted file (rerere's grammar, `is_cmarker`): `<`, an optional `|`
/// only right after ours, `=` after ours or the base, `>` after theirs; anything else inside a
/// block (a nested start, a marker out of order, no end) and there is no reading. Each block's
/// raw bytes and the sides a strategy takes, as the markers show them.
fn git_reading(real: &[u8], size: usize) -> Option<(Vec<Piece>, Vec<Vec<u8>>)> {
    let marker = |line: &[u8], c: u8| {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        line.len() >= size
            && line[..size].iter().all(|&b| b == c)
            && line.get(size).is_none_or(|b| b.is_ascii_whitespace())
    };
    let mut pieces = Vec::new();
    let mut raws = Vec::new();
    let mut text = Vec::new();
    let (mut ours, mut base, mut theirs, mut raw) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut state = 0; // 0 text, 1 ours, 2 base, 3 theirs
    for (i, line) in real.split_inclusive(|&b| b == b'\n').enumerate() {
        let bare = if i == 0 {
            line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
        } else {
            line
        };
        if state != 0 {
            raw.extend_from_slice(line);
        }
        match state {
            0 if marker(bare, b'<') => {
                if bare.len() != line.len() {
                    text.extend_from_slice(&line[..line.len() - bare.len()]);
                }
                pieces.push(Piece::Text(std::mem::take(&mut text)));
                raw.extend_from_slice(bare);
                state = 1;
            }
            0 => text.extend_from_slice(line),
            _ if marker(line, b'<') => return None,
            1 if marker(line, b'|') => state = 2,
            1 | 2 if marker(line, b'=') => state = 3,
            3 if marker(line, b'>') => {
                pieces.push(Piece::Block {
                    ours: std::mem::take(&mut ours),
                    base: std::mem::take(&mut base),
                    theirs: std::mem::take(&mut theirs),
                });
                raws.push(std::mem::take(&mut raw));
                state = 0;
            }
            _ if [b'|', b'=', b'>'].iter().any(|&c| marker(line, c)) => return None,
            1 => ours.extend_from_slice(line),
            2 => base.extend_from_slice(line),
            _ => theirs.extend_from_slice(line),
        }
    }
    if state != 0 {
        return None;
    }
    pieces.push(Piece::Text(text));
    Some((pieces, raws))
}

/// The sides a strategy takes from each block of `pieces`, as the markers show them.
fn shown_resolutions(pieces: &[Piece], strategy: Strategy) -> Vec<Vec<u8>> {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Block { ours, theirs, .. } => Some(match strategy {
                Strategy::Ours => ours.clone(),
                Strategy::Theirs => theirs.clone(),
                _ => [ours.as_slice(), theirs.as_slice()].concat(),
            }),
            Piece::Text(_) => None,
        })
        .collect()
}

fn holds_marker_like_lines(bytes: &[u8], size: usize) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .any(|l| could_be_a_marker(l, size))
}

fn holds_fences(bytes: &[u8]) -> bool {
    bytes.split(|&b| b == b'\n').any(|l| {
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        l.starts_with(b"```") || l.starts_with(b"~~~")
    })
}

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

fn run_case(
    dir: &Path,
    case: &Case,
    through_binary: bool,
    tally: &mut Tally,
) -> Result<(), String> {
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
    let options = ParseOptions {
        marker_size: case.size,
    };
    let parsed = parse(&real, &options);
    let reading = git_reading(&real, case.size);
    if !ambiguous && (parsed.blocks().count() != blocks || parsed.lone_markers() != 0) {
        return Err(format!(
            "mergemark reads {} blocks and {} lone markers where Git wrote {blocks} blocks",
            parsed.blocks().count(),
            parsed.lone_markers()
        ));
    }
    let [base, ours, theirs] = case.versions.clone();
    let evidence = KnownStages(Stages {
        base: Some(base),
        ours: Some(ours),
        theirs: Some(theirs),
    });
    // As during a merge (the index holds the versions), and as a file read alone.
    let with_stages = FileContext {
        marker_size: case.size,
        markdown: case.markdown,
        unmerged: true,
        evidence: &evidence,
    };
    let alone = FileContext {
        marker_size: case.size,
        markdown: case.markdown,
        ..FileContext::default()
    };
    for (strategy, flag) in STRATEGIES {
        let (_, expected) = git_merge(dir, case, case.size, Some(flag));
        let pick = |o: &[u8], t: &[u8]| match strategy {
            Strategy::Ours => o.to_vec(),
            Strategy::Theirs => t.to_vec(),
            _ => [o, t].concat(),
        };
        let exact = git_resolutions(&expected, &pieces, pick)
            .ok_or_else(|| format!("harness: {flag} output does not follow the pieces"))?;
        // Read alone, the file shows every side ending in a line terminator.
        let shown = shown_resolutions(&pieces, strategy);
        for (mode, context, resolutions) in [
            ("with the index stages", &with_stages, &exact),
            ("read alone", &alone, &shown),
        ] {
            let result = resolve(
                &real,
                &parsed,
                strategy,
                &Facts {
                    context: *context,
                    known: &[],
                },
            );
            let label = format!("{flag} {mode}");
            // Read alone, a file whose lines may be markers means what Git's own reader reads in
            // it: that reading is as good as the merge's (only the versions can tell them apart).
            let by_reading = || {
                let (pieces, raws) = reading.as_ref()?;
                matches(
                    &result.bytes,
                    pieces,
                    &shown_resolutions(pieces, strategy),
                    raws,
                )
            };
            let read_alone_ambiguous = ambiguous && mode == "read alone";
            let Some((replaced, left)) = matches(&result.bytes, &pieces, resolutions, &raw)
                .or_else(|| read_alone_ambiguous.then(by_reading).flatten())
            else {
                return Err(format!(
                    "{label}: the output is not Git's bytes with blocks left as they were\n\
                     got:      {:?}\nexpected: {:?}",
                    String::from_utf8_lossy(&result.bytes),
                    String::from_utf8_lossy(&expected)
                ));
            };
            tally.left += left;
            let may_leave =
                ambiguous || (case.markdown && mode == "read alone" && holds_fences(&real));
            if left > 0 && !may_leave {
                return Err(format!(
                    "{label}: {left} block(s) left though nothing could be misread"
                ));
            }
            if replaced != result.resolved && !ambiguous {
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
            if mode == "with the index stages" && !ambiguous && result.bytes != expected {
                return Err(format!("{label}: not Git's bytes"));
            }
        }
        if through_binary {
            binary_agrees(dir, case, strategy, &real, &alone)?;
        }
    }
    // A file with no conflict (Git's own clean results) is left as it is.
    for (_, flag) in STRATEGIES {
        let (_, clean) = git_merge(dir, case, case.size, Some(flag));
        let parsed = parse(&clean, &options);
        if check_count(&clean, &alone) == 0 {
            for (strategy, _) in STRATEGIES {
                let result = resolve(
                    &clean,
                    &parsed,
                    strategy,
                    &Facts {
                        context: alone,
                        known: &[],
                    },
                );
                if result.bytes != clean {
                    return Err(format!(
                        "{flag} output, no conflict in it, changed by {strategy:?}"
                    ));
                }
            }
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
    let expected_code = i32::from(library.remaining > 0);
    if out.status.code() != Some(expected_code) {
        return Err(format!(
            "binary {strategy_name}: exit {:?}",
            out.status.code()
        ));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.contains(&format!(", {} remaining", library.remaining)) {
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

fn run_style(style: Style) {
    let cases: u64 = std::env::var("MERGEMARK_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let first: u64 = std::env::var("MERGEMARK_DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
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
