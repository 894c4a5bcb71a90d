//! Byte spans and the line index that turns them into line/column pairs.
//!
//! Everything inside the core stores byte offsets; only emitters convert them to lines and columns,
//! through one [`LineIndex`] built per file (ruff's `TextRange` / `LineIndex` split).

use serde::Serialize;

/// A half-open byte range `start..end` into one file's bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `start <= end` is the caller's invariant.
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Self { start, end }
    }

    /// Number of bytes covered.
    #[must_use]
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The bytes of `text` that this span covers.
    #[must_use]
    pub fn slice(self, text: &[u8]) -> &[u8] {
        &text[self.start..self.end]
    }

    /// Whether `other` lies wholly inside this span.
    #[must_use]
    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Whether one of `spans` (in order, none overlapping another: a document's code blocks, its
/// headings) holds `offset`. A binary search: the checks ask it of every line, and a scan of
/// every span made a document of 40,000 one-line code blocks take seconds.
#[must_use]
pub fn any_holds(spans: &[Span], offset: usize) -> bool {
    let after = spans.partition_point(|s| s.start <= offset);
    after > 0 && offset < spans[after - 1].end
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start, span.len()).into()
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Line starts, for turning byte offsets into 1-based lines and columns.
///
/// Lines end at `\n` only (as in Git); a `\r` before it belongs to the line. Columns count Unicode
/// scalar values (invalid UTF-8 bytes count one each), and a UTF-8 BOM at the start of the file is
/// not a column, so a marker right after a BOM is reported at column 1.
///
/// Only every 32nd line start (and the first after every 16 KiB) is kept, with its line number;
/// a look-up counts the newlines from the nearest one with `memchr`. A file of millions of short
/// lines then costs a few percent of its size, not eight bytes a line, and a look-up still reads
/// at most 32 lines or 16 KiB.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a [u8],
    /// `(offset of a line start, its 0-based line)`, increasing; the first is `(0, 0)`.
    marks: Vec<(usize, usize)>,
    /// Number of line starts (newlines + 1).
    starts: usize,
    bom: bool,
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Every how many lines a line start is kept.
const MARK_LINES: usize = 32;
/// Every how many bytes at least one line start is kept (long lines).
const MARK_BYTES: usize = 16 << 10;

impl<'a> LineIndex<'a> {
    /// Index the line starts of `text`.
    #[must_use]
    pub fn new(text: &'a [u8]) -> Self {
        let mut marks = Vec::with_capacity(text.len() / (MARK_LINES * 40) + 1);
        marks.push((0, 0));
        let mut line = 0;
        let mut last = 0;
        for newline in memchr::memchr_iter(b'\n', text) {
            line += 1;
            let start = newline + 1;
            if line % MARK_LINES == 0 || start - last >= MARK_BYTES {
                marks.push((start, line));
                last = start;
            }
        }
        Self {
            text,
            marks,
            starts: line + 1,
            bom: text.starts_with(BOM),
        }
    }

    /// Number of lines; a final line without a terminator counts, an empty one after a final `\n`
    /// does not.
    #[must_use]
    pub fn line_count(&self, text: &[u8]) -> usize {
        if text.is_empty() || text.ends_with(b"\n") {
            self.starts - 1
        } else {
            self.starts
        }
    }

    /// 0-based line containing `offset`.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let (mark, line) = self.marks[self.marks.partition_point(|&(o, _)| o <= offset) - 1];
        line + memchr::memchr_iter(b'\n', &self.text[mark..offset]).count()
    }

    /// Byte offset where 0-based `line` starts.
    ///
    /// # Panics
    /// When the text has no such line.
    #[must_use]
    pub fn line_start(&self, line: usize) -> usize {
        assert!(line < self.starts, "line {line} is past the end");
        let (mark, from) = self.marks[self.marks.partition_point(|&(_, l)| l <= line) - 1];
        if line == from {
            return mark;
        }
        memchr::memchr_iter(b'\n', &self.text[mark..])
            .nth(line - from - 1)
            .map_or(self.text.len(), |newline| mark + newline + 1)
    }

    /// 1-based line and column of `offset` in `text`.
    #[must_use]
    pub fn line_col(&self, text: &[u8], offset: usize) -> LineCol {
        let line = self.line_of(offset);
        let mut start = self.line_start(line);
        if line == 0 && self.bom && offset >= BOM.len() {
            start = BOM.len();
        }
        let column = count_chars(&text[start..offset.min(text.len())]) + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Start and exclusive end positions of `span`. A span that ends with a line terminator ends
    /// on that line, after its last character, not at column 1 of the next line.
    #[must_use]
    pub fn range(&self, text: &[u8], span: Span) -> (LineCol, LineCol) {
        let start = self.line_col(text, span.start);
        (start, self.line_col(text, shown_end(text, span)))
    }
}

/// Where a span is shown to end: before the line terminator it ends with, if any.
fn shown_end(text: &[u8], span: Span) -> usize {
    let mut end = span.end;
    if end > span.start && text.get(end - 1) == Some(&b'\n') {
        end -= 1;
        if end > span.start && text.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
    }
    end
}

/// Positions of spans asked for in file order: the last position found is kept, and one further
/// on the same line is counted from it. A line index finds a line and counts its column from the
/// line's start, which costs the line's length each time: a 9 MB line with a thousand findings
/// took seconds.
pub struct Positions<'a> {
    index: LineIndex<'a>,
    /// The last offset asked for, its 0-based line and its 1-based column.
    last: Option<(usize, usize, usize)>,
    /// Bytes read to find positions (for the tests).
    #[cfg(test)]
    read: usize,
}

impl<'a> Positions<'a> {
    /// Positions in `text`.
    #[must_use]
    pub fn new(text: &'a [u8]) -> Self {
        Self {
            index: LineIndex::new(text),
            last: None,
            #[cfg(test)]
            read: 0,
        }
    }

    /// 1-based line and column of `offset`, as [`LineIndex::line_col`] says.
    pub fn line_col(&mut self, offset: usize) -> LineCol {
        let text = self.index.text;
        let offset = offset.min(text.len());
        let found = match self.last {
            // On the same line, further on (and past a byte order mark, which is no column).
            Some((at, line, column))
                if at <= offset
                    && !(line == 0 && self.index.bom && at < BOM.len())
                    && memchr::memchr(b'\n', &text[at..offset]).is_none() =>
            {
                #[cfg(test)]
                {
                    self.read += offset - at;
                }
                LineCol {
                    line: line + 1,
                    column: column + count_chars(&text[at..offset]),
                }
            }
            _ => {
                #[cfg(test)]
                {
                    self.read += offset - self.index.line_start(self.index.line_of(offset));
                }
                self.index.line_col(text, offset)
            }
        };
        self.last = Some((offset, found.line - 1, found.column));
        found
    }

    /// Start and exclusive end positions of `span`, as [`LineIndex::range`] says.
    pub fn range(&mut self, span: Span) -> (LineCol, LineCol) {
        let start = self.line_col(span.start);
        (start, self.line_col(shown_end(self.index.text, span)))
    }
}

/// Count characters, treating each byte that is not a UTF-8 continuation byte as one character.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The binary search says what a scan of every span says.
        #[test]
        fn any_holds_is_a_scan(
            gaps in prop::collection::vec((0usize..4, 0usize..4), 0..12),
            offset in 0usize..60,
        ) {
            let mut spans = Vec::new();
            let mut at = 0;
            for (gap, len) in gaps {
                spans.push(Span::new(at + gap, at + gap + len));
                at += gap + len;
            }
            let scan = spans.iter().any(|s| s.start <= offset && offset < s.end);
            prop_assert_eq!(any_holds(&spans, offset), scan, "{:?} {}", spans, offset);
        }
    }

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = b"ab\ncd\r\nef";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 4), LineCol { line: 2, column: 2 });
        assert_eq!(index.line_col(text, 8), LineCol { line: 3, column: 2 });
        assert_eq!(index.line_count(text), 3);
        assert_eq!(LineIndex::new(b"a\n").line_count(b"a\n"), 1);
    }

    #[test]
    fn span_ending_in_newline_ends_on_its_own_line() {
        let text = b"<<<<<<< a\r\nx\n";
        let index = LineIndex::new(text);
        let (start, end) = index.range(text, Span::new(0, 11));
        assert_eq!(
            (start.line, start.column, end.line, end.column),
            (1, 1, 1, 10)
        );
    }

    #[test]
    fn a_sparse_index_finds_every_line() {
        // Short lines, long lines and an unterminated last line, across many marks.
        let mut text = Vec::new();
        for i in 0..2000 {
            text.extend(std::iter::repeat_n(b'x', i * 37 % 90));
            if i % 500 == 0 {
                text.extend(std::iter::repeat_n(b'y', 40_000));
            }
            text.push(b'\n');
        }
        text.extend_from_slice(b"last");
        let index = LineIndex::new(&text);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', &text).map(|i| i + 1))
            .collect();
        assert_eq!(index.line_count(&text), starts.len());
        for (line, &start) in starts.iter().enumerate() {
            assert_eq!(index.line_start(line), start, "line {line}");
            assert_eq!(index.line_of(start), line);
            let end = starts.get(line + 1).map_or(text.len(), |&s| s - 1);
            assert_eq!(index.line_of(end), line);
        }
    }

    proptest::proptest! {
        /// Positions asked for in any order say what the line index says.
        #[test]
        fn positions_say_what_the_index_says(
            pieces in proptest::collection::vec(
                proptest::sample::select(&["a", "é", "\n", "\r\n", "\u{feff}", "xyz", "\u{1F4AA}"][..]),
                0..60,
            ),
            spans in proptest::collection::vec((0usize..200, 0usize..20), 0..12),
            sorted in proptest::bool::ANY,
        ) {
            let text = pieces.concat();
            let text = text.as_bytes();
            let index = LineIndex::new(text);
            let mut positions = Positions::new(text);
            let mut spans: Vec<Span> = spans
                .into_iter()
                .map(|(start, len)| {
                    let start = start.min(text.len());
                    Span::new(start, (start + len).min(text.len()))
                })
                .collect();
            if sorted {
                spans.sort();
            }
            for span in spans {
                proptest::prop_assert_eq!(positions.range(span), index.range(text, span));
            }
        }
    }

    /// A thousand findings along one long line read the line about once, not once each.
    #[test]
    fn positions_along_one_long_line_read_it_once() {
        let text = "x".repeat(100_000);
        let mut positions = Positions::new(text.as_bytes());
        for start in (0..100_000).step_by(100) {
            let _ = positions.range(Span::new(start, start + 5));
        }
        assert!(
            positions.read <= 2 * text.len(),
            "{} bytes read",
            positions.read
        );
    }

    #[test]
    fn bom_is_not_a_column_and_multibyte_counts_once() {
        let text = "\u{feff}é<\n".as_bytes();
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 3), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 5), LineCol { line: 1, column: 2 });
    }
}
