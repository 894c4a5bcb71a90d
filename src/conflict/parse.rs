//! The block parser: a line state machine over bytes with a stack of open blocks.
//!
//! Rules (Git's, plus what real files hold):
//! - a run of exactly `marker_size` marker characters at column 1 is a marker anywhere;
//! - inside an open block, a longer `<` run opens a nested block (recursive merges write longer
//!   markers inside shorter ones), and so does a same-length one (files that conflicted twice);
//! - `|`, `=`, `>` (and Jujutsu's `%`, `+`, `-`, `\`) belong to the innermost open block whose marker
//!   length they match; blocks opened inside it that are still open are unterminated;
//! - outside any block, `=======` is text (a setext underline), while `|||||||` and `>>>>>>>` are
//!   anomalies (half-deleted conflicts);
//! - a top-level `<` run longer than `marker_size` opens a block only with Jujutsu's
//!   `conflict N of M` label (Jujutsu lengthens markers when the content holds marker-like lines);
//! - the dialect comes from the block's structure, never from a side's first line: only a block
//!   whose start label reads `conflict N of M` takes Jujutsu's `%`, `+`, `-`, `\` markers, and a
//!   Git block (`<`, `|`, `=`, `>`) reads them as content. What cannot be split one way only (a
//!   second separator, a Git marker inside a Jujutsu block) is a [`BlockProblem`]: reported, and
//!   never resolved.

use memchr::memchr;

use super::marker::{parse_marker_line, MarkerKind};
use super::{
    Anomaly, AnomalyKind, Block, BlockProblem, Chunk, ConflictedText, Dialect, Marker, Section,
    SectionKind,
};
use crate::span::Span;

/// Git's `DEFAULT_CONFLICT_MARKER_SIZE`.
pub const DEFAULT_MARKER_SIZE: usize = 7;

/// How many lone markers a parse records one by one; beyond that it only counts them
/// ([`ConflictedText::omitted_anomalies`]), so a file of millions of stray `>>>>>>>` lines costs
/// memory for this many, not for each.
pub const MAX_RECORDED_ANOMALIES: usize = 10_000;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How to read markers in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// The path's `conflict-marker-size` (7 unless a gitattribute says otherwise).
    pub marker_size: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            marker_size: DEFAULT_MARKER_SIZE,
        }
    }
}

/// Parse `input` into clean text, conflict blocks and anomalies. Never fails.
#[must_use]
pub fn parse(input: &[u8], options: &ParseOptions) -> ConflictedText {
    let mut parser = Parser {
        input,
        size: options.marker_size.max(1),
        stack: Vec::new(),
        chunks: Vec::new(),
        anomalies: Vec::new(),
        omitted_anomalies: 0,
        text_start: 0,
        loose_separator: None,
        pending: Vec::new(),
    };
    let mut pos = 0;
    while pos < input.len() {
        let line_end = memchr(b'\n', &input[pos..]).map_or(input.len(), |i| pos + i + 1);
        // Only lines starting with a marker character can matter: test the first byte before
        // anything else (the BOM can only precede the first line).
        let content_start = if pos == 0 && input.starts_with(BOM) {
            BOM.len()
        } else {
            pos
        };
        if content_start < line_end && MarkerKind::from_byte(input[content_start]).is_some() {
            parser.line(Span::new(pos, line_end), content_start);
        }
        pos = line_end;
    }
    parser.finish()
}

struct OpenBlock {
    start: Marker,
    marker_len: usize,
    dialect: Option<Dialect>,
    jj_label: bool,
    sections: Vec<Section>,
    current: Section,
    problems: Vec<BlockProblem>,
}

impl OpenBlock {
    fn body_is_empty(&self, line: Span) -> bool {
        self.current.body.start == line.start
    }

    /// Whether a marker of `kind` (of this block's length) is this block's marker rather than
    /// content. Only a block labelled `conflict N of M` takes Jujutsu markers (a Git side may start
    /// with `+++++++` or `%%%%%%%`: that is text); a Jujutsu block does not take `|` or `=`.
    fn accepts(&self, kind: MarkerKind, line: Span) -> bool {
        match kind {
            MarkerKind::Start => false,
            MarkerKind::End => true,
            MarkerKind::Base | MarkerKind::Separator => self.dialect != Some(Dialect::Jujutsu),
            MarkerKind::JjDiff | MarkerKind::JjSide | MarkerKind::JjBase => {
                self.jj_label
                    && (self.dialect == Some(Dialect::Jujutsu)
                        || (self.dialect.is_none() && self.body_is_empty(line)))
            }
            MarkerKind::JjNote => {
                self.jj_label && self.dialect != Some(Dialect::Git) && self.body_is_empty(line)
            }
        }
    }

    /// Note a problem; the first of each kind is enough to leave the block alone (a block of
    /// 50,000 separators reports one, not 50,000).
    fn problem(&mut self, problem: BlockProblem) {
        let kind = std::mem::discriminant(&problem);
        if !self
            .problems
            .iter()
            .any(|p| std::mem::discriminant(p) == kind)
        {
            self.problems.push(problem);
        }
    }

    fn begin_section(&mut self, kind: SectionKind, marker: Marker) {
        let next = Section {
            kind,
            marker: Some(marker),
            notes: Vec::new(),
            body: Span::new(marker.line.end, marker.line.end),
            nested: Vec::new(),
        };
        let mut done = std::mem::replace(&mut self.current, next);
        done.body.end = marker.line.start;
        self.sections.push(done);
    }

    fn close(mut self, end: Marker, input: &[u8]) -> Block {
        self.current.body.end = end.line.start;
        self.sections.push(self.current);
        let dialect = self.dialect.unwrap_or(Dialect::Git);
        if dialect == Dialect::Git && !self.sections.iter().any(|s| s.kind == SectionKind::Theirs) {
            self.problems.push(BlockProblem::MissingSeparator);
        }
        if dialect == Dialect::Jujutsu {
            self.problems
                .extend(jujutsu_problems(&self.sections, input));
        }
        Block {
            span: Span::new(self.start.line.start, end.line.end),
            marker_len: self.marker_len,
            dialect,
            start: self.start,
            sections: self.sections,
            end,
            problems: self.problems,
        }
    }

    /// Marker lines other than the start, for reporting an unterminated block.
    fn inner_marker_lines(&self) -> Vec<Span> {
        self.sections
            .iter()
            .chain(std::iter::once(&self.current))
            .filter_map(|s| s.marker.map(|m| m.line))
            .collect()
    }

    fn into_nested(self) -> impl Iterator<Item = Block> {
        self.sections
            .into_iter()
            .chain(std::iter::once(self.current))
            .flat_map(|s| s.nested)
    }
}

struct Parser<'a> {
    input: &'a [u8],
    size: usize,
    stack: Vec<OpenBlock>,
    chunks: Vec<Chunk>,
    anomalies: Vec<Anomaly>,
    /// Lone markers beyond [`MAX_RECORDED_ANOMALIES`], counted only.
    omitted_anomalies: usize,
    /// Start of the clean text not yet emitted as a chunk.
    text_start: usize,
    /// The last top-level `=======` since the last block: a possible separator of a block whose
    /// start marker was deleted.
    loose_separator: Option<Span>,
    /// Markers of the file's size that no open block takes, seen while the only block open at the
    /// top is a Jujutsu-labelled start longer than the file's size: lone markers if that start
    /// never closes (then it was text, and they were at the top level all along).
    pending: Vec<Marker>,
}

impl Parser<'_> {
    fn line(&mut self, line: Span, content_start: usize) {
        let mut content = &self.input[content_start..line.end];
        if let Some(rest) = content.strip_suffix(b"\n") {
            content = rest.strip_suffix(b"\r").unwrap_or(rest);
        }
        let Some(shape) = parse_marker_line(content) else {
            return;
        };
        let marker = Marker {
            kind: shape.kind,
            line: Span::new(content_start, line.end),
            label: shape
                .label
                .map(|(a, b)| Span::new(content_start + a, content_start + b)),
        };
        if shape.kind == MarkerKind::Start {
            self.start(marker, shape.len);
            return;
        }
        let Some(index) = self.stack.iter().rposition(|b| b.marker_len == shape.len) else {
            if shape.len == self.size {
                if self.stack.is_empty() {
                    self.loose_marker(marker);
                } else if self.stack[0].marker_len != self.size {
                    self.pending.push(marker);
                }
            }
            return;
        };
        if !self.stack[index].accepts(marker.kind, marker.line) {
            // A Git marker of this length inside a Jujutsu block: Jujutsu lengthens its markers
            // when a side holds such a line, so the block cannot be read one way only.
            let block = &mut self.stack[index];
            if matches!(marker.kind, MarkerKind::Base | MarkerKind::Separator)
                && block.dialect == Some(Dialect::Jujutsu)
            {
                block.problem(BlockProblem::ForeignMarker { line: marker.line });
            }
            return;
        }
        while self.stack.len() > index + 1 {
            let inner = self.stack.pop().expect("stack is longer than index + 1");
            self.unterminated(inner);
        }
        self.apply(marker);
    }

    fn start(&mut self, marker: Marker, len: usize) {
        let jj_label = marker
            .label
            .is_some_and(|l| is_jj_label(l.slice(self.input)));
        let opens = if self.stack.is_empty() {
            len == self.size || (len > self.size && jj_label)
        } else {
            len >= self.size
        };
        if !opens {
            return;
        }
        if self.stack.len() >= super::MAX_NESTING {
            if !self
                .anomalies
                .iter()
                .any(|a| a.kind == AnomalyKind::TooDeep)
            {
                self.record(Anomaly {
                    kind: AnomalyKind::TooDeep,
                    line: marker.line,
                    related: Vec::new(),
                });
            }
            return;
        }
        self.stack.push(OpenBlock {
            start: marker,
            marker_len: len,
            dialect: None,
            jj_label,
            sections: Vec::new(),
            current: Section {
                kind: SectionKind::Ours,
                marker: None,
                notes: Vec::new(),
                body: Span::new(marker.line.end, marker.line.end),
                nested: Vec::new(),
            },
            problems: Vec::new(),
        });
    }

    fn loose_marker(&mut self, marker: Marker) {
        let kind = match marker.kind {
            MarkerKind::End => AnomalyKind::OrphanEnd,
            MarkerKind::Base => AnomalyKind::OrphanBase,
            MarkerKind::Separator => {
                self.loose_separator = Some(marker.line);
                return;
            }
            _ => return,
        };
        let related = if kind == AnomalyKind::OrphanEnd {
            self.loose_separator.take().into_iter().collect()
        } else {
            Vec::new()
        };
        self.record(Anomaly {
            kind,
            line: marker.line,
            related,
        });
    }

    /// Keep `anomaly`, or only count it once [`MAX_RECORDED_ANOMALIES`] are kept.
    fn record(&mut self, anomaly: Anomaly) {
        if self.anomalies.len() < MAX_RECORDED_ANOMALIES {
            self.anomalies.push(anomaly);
        } else {
            self.omitted_anomalies += 1;
        }
    }

    /// Apply a marker to the innermost open block, which has accepted it.
    fn apply(&mut self, marker: Marker) {
        let block = self
            .stack
            .last_mut()
            .expect("apply is called with an open block");
        let state = block.current.kind;
        match marker.kind {
            MarkerKind::End => {
                let block = self
                    .stack
                    .pop()
                    .expect("checked above")
                    .close(marker, self.input);
                self.emit(block);
                if self.stack.is_empty() {
                    // The Jujutsu start closed: the markers it held were its content.
                    self.pending.clear();
                }
            }
            MarkerKind::Base => {
                if block.dialect.is_none() && state == SectionKind::Ours {
                    block.dialect = Some(Dialect::Git);
                    block.begin_section(SectionKind::Base, marker);
                } else {
                    block.problem(BlockProblem::BaseOutOfOrder { line: marker.line });
                }
            }
            MarkerKind::Separator => {
                if state == SectionKind::Theirs {
                    // A second separator: either one could be a side's own line (a setext
                    // underline), so the block cannot be split safely.
                    block.problem(BlockProblem::ExtraSeparator { line: marker.line });
                } else {
                    block.dialect = Some(Dialect::Git);
                    block.begin_section(SectionKind::Theirs, marker);
                }
            }
            MarkerKind::JjDiff | MarkerKind::JjSide | MarkerKind::JjBase => {
                block.dialect = Some(Dialect::Jujutsu);
                let kind = match marker.kind {
                    MarkerKind::JjDiff => SectionKind::JjDiff,
                    MarkerKind::JjSide => SectionKind::JjSide,
                    _ => SectionKind::JjBase,
                };
                block.begin_section(kind, marker);
            }
            MarkerKind::JjNote => {
                block.current.notes.push(marker);
                block.current.body = Span::new(marker.line.end, marker.line.end);
            }
            MarkerKind::Start => unreachable!("start markers are handled by Parser::start"),
        }
    }

    /// Place a closed block: top-level blocks become chunks, nested ones join their parent.
    fn emit(&mut self, block: Block) {
        if let Some(parent) = self.stack.last_mut() {
            parent.current.nested.push(block);
        } else {
            self.push_top_level(block);
            self.loose_separator = None;
        }
    }

    fn push_top_level(&mut self, block: Block) {
        if block.span.start > self.text_start {
            self.chunks
                .push(Chunk::Text(Span::new(self.text_start, block.span.start)));
        }
        self.text_start = block.span.end;
        self.chunks.push(Chunk::Block(block));
    }

    /// Report a block that never ended; the complete blocks inside it move to its parent (or to
    /// the top level), since its own markers no longer frame them. Only a start marker of the
    /// file's own length is a lone marker: a longer run that nothing closes (read as a nested or
    /// Jujutsu opener on the chance that its block follows) is a line of text after all.
    fn unterminated(&mut self, block: OpenBlock) {
        if block.marker_len == self.size {
            self.record(Anomaly {
                kind: AnomalyKind::Unterminated,
                line: block.start.line,
                related: block.inner_marker_lines(),
            });
        }
        let nested: Vec<Block> = block.into_nested().collect();
        if let Some(parent) = self.stack.last_mut() {
            parent.current.nested.extend(nested);
        } else {
            // A longer Jujutsu-looking start that never closed was text: the markers of the file's
            // size it seemed to hold were lone markers at the top level, in file order with the
            // blocks it held.
            let pending = std::mem::take(&mut self.pending);
            let mut blocks = nested.into_iter().peekable();
            for marker in pending {
                while let Some(inner) = blocks.next_if(|b| b.span.start < marker.line.start) {
                    self.push_top_level(inner);
                }
                self.loose_marker(marker);
            }
            for inner in blocks {
                self.push_top_level(inner);
            }
        }
    }

    fn finish(mut self) -> ConflictedText {
        while let Some(block) = self.stack.pop() {
            self.unterminated(block);
        }
        if self.text_start < self.input.len() {
            self.chunks
                .push(Chunk::Text(Span::new(self.text_start, self.input.len())));
        }
        self.anomalies.sort_by_key(|a| a.line.start);
        ConflictedText {
            chunks: self.chunks,
            anomalies: self.anomalies,
            omitted_anomalies: self.omitted_anomalies,
            marker_size: self.size,
        }
    }
}

/// Jujutsu's own rules for a block: one more side than bases, and diff sections made of context,
/// removed and added lines only.
fn jujutsu_problems(sections: &[Section], input: &[u8]) -> Vec<BlockProblem> {
    let mut problems = Vec::new();
    let (mut sides, mut bases) = (0, 0);
    for section in sections {
        match section.kind {
            SectionKind::JjDiff => (sides, bases) = (sides + 1, bases + 1),
            SectionKind::JjSide => sides += 1,
            SectionKind::JjBase => bases += 1,
            _ => {}
        }
    }
    if bases == 0 || sides != bases + 1 {
        problems.push(BlockProblem::UnbalancedJujutsu);
    }
    for section in sections.iter().filter(|s| s.kind == SectionKind::JjDiff) {
        let mut at = section.body.start;
        for line in section.body.slice(input).split_inclusive(|&b| b == b'\n') {
            if !matches!(line.first(), Some(b' ' | b'+' | b'-' | b'\n' | b'\r')) {
                problems.push(BlockProblem::JujutsuDiffLine {
                    line: Span::new(at, at + line.len()),
                });
                return problems;
            }
            at += line.len();
        }
    }
    problems
}

/// Jujutsu labels its start markers `conflict N of M` (older releases: `Conflict N of M`).
fn is_jj_label(label: &[u8]) -> bool {
    let Some(rest) = label
        .strip_prefix(b"conflict ")
        .or_else(|| label.strip_prefix(b"Conflict "))
    else {
        return false;
    };
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let n = digits(rest);
    n > 0
        && rest[n..]
            .strip_prefix(b" of ")
            .is_some_and(|m| digits(m) > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jujutsu_looking_start_that_never_closes_leaves_the_lone_markers_it_seemed_to_hold() {
        // Marker size 1: the long `conflict 1 of 1` start is read as Jujutsu's on the chance its
        // block follows; it never closes, so `> z` and `> topic` were lone end markers all along,
        // around Git's block, in file order.
        let input = b"<<<<<<< conflict 1 of 1\n> z\n< HEAD\na\n=\nb\n> x\n> topic\n";
        let parsed = parse(input, &ParseOptions { marker_size: 1 });
        let lone: Vec<&[u8]> = parsed
            .anomalies
            .iter()
            .map(|a| a.line.slice(input))
            .collect();
        assert_eq!(lone, [&b"> z\n"[..], b"> topic\n"]);
        let blocks: Vec<Span> = parsed.blocks().map(|b| b.span).collect();
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].slice(input), b"< HEAD\na\n=\nb\n> x\n");
        // The same lines inside a Jujutsu block that does close are its content.
        let closed = b"<<<<<<< conflict 1 of 1\n%%%%%%% diff\n> z\n+++++++ side\nq\n>>>>>>> conflict 1 of 1 ends\n";
        let parsed = parse(closed, &ParseOptions { marker_size: 1 });
        assert!(parsed.anomalies.is_empty(), "{:?}", parsed.anomalies);
    }
}
