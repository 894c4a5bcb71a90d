//! The cases: a seeded generator of three versions of a file, from a vocabulary that fools
//! readers.

/// A deterministic generator (SplitMix64): the same seed gives the same case everywhere.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
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
pub enum Style {
    Merge,
    Diff3,
    Zdiff3,
}

impl Style {
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Self::Merge => None,
            Self::Diff3 => Some("--diff3"),
            Self::Zdiff3 => Some("--zdiff3"),
        }
    }
}

/// One generated case: three versions and how Git is asked to merge them.
#[derive(Debug)]
pub struct Case {
    pub style: Style,
    /// The marker size Git is asked to write (and mergemark to read).
    pub size: usize,
    /// Whether the file is read as Markdown (code fences count).
    pub markdown: bool,
    /// Base, ours, theirs.
    pub versions: [Vec<u8>; 3],
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

/// A run of lines a side adds that, beside the other side's, reads as markers of the case's
/// size: a start with a label and text, or an end, a separator and text (two sides adding these
/// at one place look like a conflict nested in Git's block).
fn fragment(rng: &mut Rng, size: usize) -> Vec<String> {
    let run = |c: &str| c.repeat(size);
    let mut lines = match rng.below(3) {
        0 => vec![format!("{} z", run("<"))],
        1 => vec![format!("{} z", run(">")), run("=")],
        _ => vec![run("="), format!("{} z", run(">"))],
    };
    lines.push(rng.pick(WORDS).to_owned());
    lines
}

fn edit(rng: &mut Rng, base: &[String], size: usize, hostile: bool) -> Vec<String> {
    let mut lines = base.to_vec();
    for _ in 0..rng.below(4) {
        let at = rng.below(lines.len() + 1);
        match rng.below(if hostile { 4 } else { 3 }) {
            0 if at < lines.len() => {
                lines.remove(at);
            }
            1 if at < lines.len() => lines[at] = line(rng, size, hostile),
            3 => {
                let added = fragment(rng, size);
                lines.splice(at..at, added);
            }
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

pub fn generate(seed: u64, style: Style) -> Case {
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

/// A line Git's reader (or mergemark's) could take for a marker of `size`: a run of exactly `size`
/// of `<`, `|`, `=` or `>` at the start of a line, then the end of the line or whitespace; or a
/// longer `<` run (mergemark reads those as a nested or Jujutsu block's start when one follows).
pub fn could_be_a_marker(line: &[u8], size: usize) -> bool {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let Some(&c) = line.first() else { return false };
    let run = line.iter().take_while(|&&b| b == c).count();
    let ends = line.get(run).is_none_or(|b| b.is_ascii_whitespace());
    b"<|=>".contains(&c) && ends && (run == size || (c == b'<' && run > size))
}

pub fn holds_marker_like_lines(bytes: &[u8], size: usize) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .any(|l| could_be_a_marker(l, size))
}

pub fn holds_fences(bytes: &[u8]) -> bool {
    bytes.split(|&b| b == b'\n').any(|l| {
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        l.starts_with(b"```") || l.starts_with(b"~~~")
    })
}
