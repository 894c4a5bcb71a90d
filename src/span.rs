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

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start, span.len()).into()
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Offsets of line starts, for turning byte offsets into 1-based lines and columns.
///
/// Lines end at `\n` only (as in Git); a `\r` before it belongs to the line. Columns count Unicode
/// scalar values (invalid UTF-8 bytes count one each), and a UTF-8 BOM at the start of the file is
/// not a column, so a marker right after a BOM is reported at column 1.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
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

impl LineIndex {
    /// Index the line starts of `text`.
    #[must_use]
    pub fn new(text: &[u8]) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
        Self {
            line_starts,
            bom: text.starts_with(BOM),
        }
    }

    /// Number of lines; a final line without a terminator counts, an empty one after a final `\n`
    /// does not.
    #[must_use]
    pub fn line_count(&self, text: &[u8]) -> usize {
        let n = self.line_starts.len();
        if text.is_empty() || text.ends_with(b"\n") {
            n - 1
        } else {
            n
        }
    }

    /// 0-based line containing `offset`.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based `line` starts.
    #[must_use]
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line]
    }

    /// 1-based line and column of `offset` in `text`.
    #[must_use]
    pub fn line_col(&self, text: &[u8], offset: usize) -> LineCol {
        let line = self.line_of(offset);
        let mut start = self.line_starts[line];
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
        let mut end = span.end;
        if end > span.start && text.get(end - 1) == Some(&b'\n') {
            end -= 1;
            if end > span.start && text.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        (start, self.line_col(text, end))
    }
}

/// Count characters, treating each byte that is not a UTF-8 continuation byte as one character.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn bom_is_not_a_column_and_multibyte_counts_once() {
        let text = "\u{feff}é<\n".as_bytes();
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 3), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 5), LineCol { line: 1, column: 2 });
    }
}
