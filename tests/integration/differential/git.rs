//! What Git says: its merges, where its blocks really are, what its strategies write, and how its
//! own reader reads a file; and the matching of mergemark's output against them.

use std::path::Path;
use std::process::Command;

use mergemark::resolve::Strategy;

use super::cases::{Case, Style};

/// `git merge-file -p` on the case with `size`-character markers and `extra` flags: (exit code,
/// output). Git's exit code is its number of conflicts (at most 127).
pub fn git_merge(dir: &Path, case: &Case, size: usize, extra: Option<&str>) -> (i32, Vec<u8>) {
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
pub enum Piece {
    Text(Vec<u8>),
    Block {
        ours: Vec<u8>,
        base: Vec<u8>,
        theirs: Vec<u8>,
    },
}

pub const SAFE: usize = 60;

/// Read Git's output written with 60-character markers, which no generated line can imitate.
pub fn read_safe(bytes: &[u8]) -> Vec<Piece> {
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
pub fn raw_blocks(real: &[u8], pieces: &[Piece], case: &Case) -> Vec<Vec<u8>> {
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
pub fn git_resolutions(
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
pub fn matches(
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

/// Git's own reading of a conflicted file (rerere's grammar, `is_cmarker`): `<`, an optional `|`
/// only right after ours, `=` after ours or the base, `>` after theirs; anything else inside a
/// block (a nested start, a marker out of order, no end) and there is no reading. Each block's
/// raw bytes and the sides a strategy takes, as the markers show them.
pub fn git_reading(real: &[u8], size: usize) -> Option<(Vec<Piece>, Vec<Vec<u8>>)> {
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
pub fn shown_resolutions(pieces: &[Piece], strategy: Strategy) -> Vec<Vec<u8>> {
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
