//! The outline of plain Markdown, read a line at a time without a full parse: ATX headings,
//! paragraphs, bullet and numbered lists one level deep whose items are paragraphs (tasks too),
//! fenced code, tables, and front matter. That is most of what reports are written in, and a
//! full parse spends most of its time on what the outline never looks at (the inline markup of
//! every paragraph). A heading with inline markup has its line parsed in full on its own.
//!
//! Anything else gives `None`, and the caller parses the whole text in full: quotes, HTML,
//! nested lists, indented code, setext headings and thematic breaks, link and footnote
//! definitions, indented lines where a block could start, an item that opens a fence, an unclosed
//! fence, tabs outside code, carriage returns, line tabulations and form feeds. Where this reads a
//! text, its outline is the full parse's: a property test and the document fuzz target hold the
//! two together.

use super::{Block, BlockKind, HeadingKind, Outline, Section};
use crate::span::Span;

/// The outline of `text`, when it is plain Markdown (see the module documentation).
pub(super) fn build(text: &str) -> Option<Outline> {
    let bytes = text.as_bytes();
    // Carriage returns, and the white space only CommonMark counts as such (line tabulation,
    // form feed): the lines are read with spaces alone. NUL is read as U+FFFD.
    if memchr::memchr3(b'\r', 0, 0x0b, bytes).is_some() || memchr::memchr(0x0c, bytes).is_some() {
        return None;
    }
    let mut reader = Reader {
        outline: Outline {
            sections: Vec::with_capacity(16),
            blocks: Vec::with_capacity(text.len() / 64 + 8),
            front_matter: None,
        },
        paragraph: None,
        list: None,
        items: Vec::with_capacity(16),
        blank: false,
        fence: None,
        table: None,
        resume: 0,
        tabs: memchr::memchr(b'\t', bytes).is_some(),
        pipes: memchr::memchr(b'|', bytes).is_some(),
    };
    let mut start = reader.front_matter(text)?;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let next = (end + 1).min(bytes.len());
        reader.line(text, Span::new(start, end), next)?;
        start = next.max(reader.resume);
    }
    if reader.fence.is_some() {
        return None;
    }
    reader.close_list();
    let mut outline = reader.outline;
    outline.link_sections(text.len());
    Some(outline)
}

/// An open fenced code block.
struct Fence {
    /// `` ` `` or `~`.
    mark: u8,
    /// How many of them open it.
    len: usize,
    start: usize,
}

/// The open list.
struct List {
    /// The bullet (`-`, `*`, `+`), or the ordered marker's delimiter (`.`, `)`).
    kind: u8,
    start: usize,
    /// The end of its last line, blank lines included.
    end: usize,
    /// A blank line between two items: their paragraphs are blocks of their own.
    loose: bool,
}

/// A list item's marker.
#[derive(Clone, Copy)]
struct Marker {
    /// As [`List::kind`].
    kind: u8,
    /// With the space after it.
    width: usize,
    /// A bullet, or a number 1: it may start a list where a paragraph would go on.
    may_interrupt: bool,
}

/// The list item's marker a line starts with: `- `, `* `, `+ `, or up to nine digits and `.` or
/// `)` with a space.
fn list_marker(bytes: &[u8]) -> Option<Marker> {
    match bytes {
        [kind @ (b'-' | b'*' | b'+'), b' ', ..] => Some(Marker {
            kind: *kind,
            width: 2,
            may_interrupt: true,
        }),
        [b'0'..=b'9', ..] => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match bytes.get(digits..digits + 2) {
                Some([kind @ (b'.' | b')'), b' ']) if digits <= 9 => Some(Marker {
                    kind: *kind,
                    width: digits + 2,
                    may_interrupt: bytes[..digits - 1].iter().all(|&b| b == b'0')
                        && bytes[digits - 1] == b'1',
                }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// An item of the open list.
struct Item {
    start: usize,
    task: Option<bool>,
    /// Its paragraph: the text after the marker (and the task box).
    paragraph: Span,
}

/// The reader's state between lines.
struct Reader {
    outline: Outline,
    /// The open top-level paragraph (its index in the blocks).
    paragraph: Option<usize>,
    list: Option<List>,
    /// The open list's items (kept here, not in the list, to reuse the allocation).
    items: Vec<Item>,
    /// Whether the last line was blank.
    blank: bool,
    fence: Option<Fence>,
    /// The open table (its index in the blocks).
    table: Option<usize>,
    /// Where the next line to read starts, when a line took the one after it (a table's
    /// delimiter row).
    resume: usize,
    /// Whether the text has tabs, and `|` anywhere: lines are looked at for them only then.
    tabs: bool,
    pipes: bool,
}

impl Reader {
    /// Read the line at `line` (without its terminator; the next starts at `next`). `None` when
    /// it is not plain Markdown.
    fn line(&mut self, text: &str, line: Span, next: usize) -> Option<()> {
        let bytes = &text.as_bytes()[line.start..line.end];
        if let Some(fence) = &self.fence {
            if closes_fence(fence, bytes) {
                let span = Span::new(fence.start, line.end);
                self.fence = None;
                self.push_block(BlockKind::Code, span);
            }
            return Some(());
        }
        if self.tabs && memchr::memchr(b'\t', bytes).is_some() {
            return None;
        }
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let Some(&first) = bytes.get(indent) else {
            self.paragraph = None;
            self.table = None;
            if let Some(list) = &mut self.list {
                list.end = next;
            }
            self.blank = true;
            return Some(());
        };
        if let Some(at) = self.table {
            // A row, if it starts like one: anything else ends the table (or may, so the whole
            // text is parsed in full).
            if indent > 0 || !is_plain_row(bytes) {
                return None;
            }
            self.outline.blocks[at].span.end = next;
            return Some(());
        }
        let blank = std::mem::replace(&mut self.blank, false);
        if indent > 0 {
            // Only the rest of a paragraph may be indented: a block started there would be
            // code, nested, or an item's second paragraph.
            if blank || may_start_block(&bytes[indent..]) || delimiter_like(bytes) {
                return None;
            }
            return self.continue_paragraph(next);
        }
        match first {
            b'-' | b'*' | b'_' | b'=' | b'+' if only_rule_marks(bytes) => return None,
            b'#' => {
                if let Some(level) = atx_level(bytes) {
                    return self.heading(text, line, next, level);
                }
            }
            _ => {}
        }
        if let Some(marker) = list_marker(bytes) {
            return self.item(bytes, line.start, next, blank, marker);
        }
        if matches!(first, b'`' | b'~') && self.open_fence(bytes, line.start) {
            return Some(());
        }
        if opens_block(bytes) || delimiter_like(bytes) {
            return None;
        }
        if self.pipes
            && memchr::memchr(b'|', bytes).is_some()
            && self.open_table(text, line, blank)?
        {
            return Some(());
        }
        if !blank && self.continue_paragraph(next).is_some() {
            return Some(());
        }
        self.close_list();
        self.paragraph = Some(self.outline.blocks.len());
        self.push_block(BlockKind::Paragraph, Span::new(line.start, next));
        Some(())
    }

    /// Open a table, if the line at `line` (with a `|`) is its header: the next line is its
    /// delimiter row. `None` when the next line may be one but the table is not plain.
    fn open_table(&mut self, text: &str, line: Span, blank: bool) -> Option<bool> {
        let bytes = text.as_bytes();
        let from = (line.end + 1).min(bytes.len());
        let after = memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i + 1);
        let delimiter = &bytes[from..after];
        let delimiter = delimiter.strip_suffix(b"\n").unwrap_or(delimiter);
        if !delimiter_like(delimiter) {
            return Some(false);
        }
        // A table that would break a paragraph, or whose rows are not plain, is parsed in full.
        let opens = self.paragraph.is_none() && (self.list.is_none() || blank);
        if !opens
            || memchr::memchr(b'|', delimiter).is_none()
            || header_cells(&bytes[line.start..line.end])? != delimiter_cells(delimiter)?
        {
            return None;
        }
        self.close_list();
        self.table = Some(self.outline.blocks.len());
        self.push_block(BlockKind::Table, Span::new(line.start, after));
        self.resume = after;
        Some(true)
    }

    /// Open a fence, if the line (`bytes`, starting at `start`) is one's opening line.
    fn open_fence(&mut self, bytes: &[u8], start: usize) -> bool {
        let mark = bytes[0];
        let len = bytes.iter().take_while(|&&b| b == mark).count();
        // Backticks in a backtick fence's info string make it a code span, not a fence.
        if len < 3 || (mark == b'`' && memchr::memchr(b'`', &bytes[len..]).is_some()) {
            return false;
        }
        self.paragraph = None;
        self.close_list();
        self.fence = Some(Fence { mark, len, start });
        true
    }

    /// Front matter at the start of `text` (`---` ... `---` or `...`, `+++` ... `+++`): where
    /// the text after it starts. `None` when the start may be front matter but is not plainly.
    fn front_matter(&mut self, text: &str) -> Option<usize> {
        let (closers, body): (&[&str], &str) = if let Some(body) = text.strip_prefix("---\n") {
            (&["---", "..."], body)
        } else if let Some(body) = text.strip_prefix("+++\n") {
            (&["+++"], body)
        } else {
            return Some(0);
        };
        // Front matter holds something: a blank or a closing line first makes it something else.
        let first = body.lines().next()?;
        if first.trim().is_empty() || closers.iter().any(|c| first.starts_with(c)) {
            return None;
        }
        let mut at = text.len() - body.len();
        for line in body.split_inclusive('\n') {
            let bare = line.strip_suffix('\n').unwrap_or(line);
            if closers.contains(&bare) {
                self.outline.front_matter = Some(Span::new(0, at + bare.len()));
                return Some(at + line.len());
            }
            if closers.iter().any(|c| bare.starts_with(c)) {
                return None;
            }
            at += line.len();
        }
        None
    }

    /// Add a line to the open paragraph, top-level or an item's.
    fn continue_paragraph(&mut self, next: usize) -> Option<()> {
        if let Some(at) = self.paragraph {
            self.outline.blocks[at].span.end = next;
        } else {
            let list = self.list.as_mut()?;
            list.end = next;
            self.items.last_mut()?.paragraph.end = next;
        }
        Some(())
    }

    fn heading(&mut self, text: &str, line: Span, next: usize, level: usize) -> Option<()> {
        let title = match atx_title(&text[line.start + level..line.end]) {
            Some(title) => title.to_owned(),
            None => parsed_title(&text[line.start..next])?,
        };
        self.paragraph = None;
        self.close_list();
        self.outline.sections.push(Section {
            level: u8::try_from(level).ok()?,
            title,
            kind: HeadingKind::Markdown,
            heading: Span::new(line.start, next),
            body: Span::default(),
            parent: None,
        });
        Some(())
    }

    /// An item's line (`bytes`, starting at `start`); `blank` when a blank line came before.
    fn item(
        &mut self,
        bytes: &[u8],
        start: usize,
        next: usize,
        blank: bool,
        marker: Marker,
    ) -> Option<()> {
        let (task, from) = match &bytes[marker.width..] {
            [b'[', mark @ (b' ' | b'x' | b'X'), b']', b' ', rest @ ..]
                if rest.first().is_some_and(|&b| b != b' ') =>
            {
                (Some(*mark != b' '), marker.width + 4)
            }
            _ => (None, marker.width),
        };
        let content = &bytes[from..];
        if content.first().is_none_or(|&b| b == b' ')
            || opens_block(content)
            || (content[0] == b'#' && atx_level(content).is_some())
            || list_marker(content).is_some()
            // A task box the item does not follow with text (`- [ ]`, `- [x]  two spaces`).
            || (content[0] == b'[' && content.get(2) == Some(&b']'))
            || (matches!(content[0], b'-' | b'*' | b'+') && content.len() == 1)
            // A fence: the item holds code.
            || content.starts_with(b"```")
            || content.starts_with(b"~~~")
        {
            return None;
        }
        // A list that starts at a number other than 1 does not break a paragraph: the line
        // would be the paragraph's.
        let in_paragraph = self.paragraph.is_some() || (self.list.is_some() && !blank);
        match &mut self.list {
            Some(list) if list.kind == marker.kind => list.loose |= blank,
            _ if in_paragraph && !marker.may_interrupt => return None,
            _ => {
                self.close_list();
                self.list = Some(List {
                    kind: marker.kind,
                    start,
                    end: next,
                    loose: false,
                });
            }
        }
        self.paragraph = None;
        if let Some(list) = &mut self.list {
            list.end = next;
        }
        self.items.push(Item {
            start,
            task,
            paragraph: Span::new(start + from, next),
        });
        Some(())
    }

    /// Record the open list and its items (each runs to the next; the last to the list's end).
    fn close_list(&mut self) {
        let Some(list) = self.list.take() else {
            return;
        };
        self.push_block(BlockKind::List, Span::new(list.start, list.end));
        let mut items = std::mem::take(&mut self.items);
        for (i, item) in items.iter().enumerate() {
            let end = items.get(i + 1).map_or(list.end, |next| next.start);
            self.push_block(
                BlockKind::Item { task: item.task },
                Span::new(item.start, end),
            );
            if list.loose {
                self.push_block(BlockKind::Paragraph, item.paragraph);
            }
        }
        items.clear();
        self.items = items;
    }

    fn push_block(&mut self, kind: BlockKind, span: Span) {
        self.outline.blocks.push(Block {
            kind,
            span,
            section: None,
        });
    }
}

/// Whether a line (from its first non-space byte) may start a block other than a paragraph or a
/// bullet item, or a paragraph that is not plain (a link definition, a table row).
fn may_start_block(bytes: &[u8]) -> bool {
    match bytes.first() {
        Some(b'#' | b'>' | b'<' | b'`' | b'~' | b'[' | b'|' | b'-' | b'*' | b'+' | b'_' | b'=') => {
            true
        }
        Some(b'0'..=b'9') => ordered_marker(bytes),
        _ => false,
    }
}

/// Whether a line closes the open fence: up to three spaces, at least as many of its marks, then
/// only spaces.
fn closes_fence(fence: &Fence, bytes: &[u8]) -> bool {
    let indent = bytes.iter().take_while(|&&b| b == b' ').count();
    let rest = &bytes[indent..];
    let len = rest.iter().take_while(|&&b| b == fence.mark).count();
    indent <= 3 && len >= fence.len && rest[len..].iter().all(|&b| b == b' ')
}

/// Whether a line goes on with the open table as a row: it starts like one, and not like
/// another block.
fn is_plain_row(bytes: &[u8]) -> bool {
    matches!(bytes.first(), Some(&b) if b == b'|' || b.is_ascii_alphanumeric())
        && !delimiter_like(bytes)
        && list_marker(bytes).is_none()
        && !ordered_marker(bytes)
}

/// Whether a line may be a table's delimiter row: only `|`, `:`, `-` and spaces, with a `-`.
fn delimiter_like(bytes: &[u8]) -> bool {
    // Asked of most lines: the first byte that cannot be in one ends the test.
    bytes.iter().all(|b| matches!(b, b'|' | b':' | b'-' | b' ')) && bytes.contains(&b'-')
}

/// A row's cells between its pipes (a leading and a trailing one aside), or `None` when the row
/// is not plain (a backslash or a backtick may keep a pipe from dividing cells) or empty.
fn header_cells(bytes: &[u8]) -> Option<usize> {
    if memchr::memchr2(b'\\', b'`', bytes).is_some() {
        return None;
    }
    let row = between_pipes(bytes);
    (!row.trim_ascii().is_empty()).then(|| memchr::memchr_iter(b'|', row).count() + 1)
}

/// A row without its white space and its leading and trailing pipe.
fn between_pipes(bytes: &[u8]) -> &[u8] {
    let row = bytes.trim_ascii();
    let row = row.strip_prefix(b"|").unwrap_or(row);
    row.strip_suffix(b"|").unwrap_or(row)
}

/// A delimiter row's cells, when each is `-`s with an optional `:` at either end.
fn delimiter_cells(bytes: &[u8]) -> Option<usize> {
    let row = between_pipes(bytes);
    let mut cells = 0;
    for cell in row.split(|&b| b == b'|') {
        let cell = cell.trim_ascii();
        let cell = cell.strip_prefix(b":").unwrap_or(cell);
        let cell = cell.strip_suffix(b":").unwrap_or(cell);
        if cell.is_empty() || !cell.iter().all(|&b| b == b'-') {
            return None;
        }
        cells += 1;
    }
    Some(cells)
}

/// Whether a line (from where a block may start) starts a block other than a paragraph, a
/// heading or a bullet item (which the caller tells), or a paragraph that is not plain.
fn opens_block(bytes: &[u8]) -> bool {
    match bytes.first() {
        Some(b'>' | b'<') => true,
        Some(b'[') => may_define(bytes),
        Some(b'0'..=b'9') => ordered_marker(bytes),
        _ => false,
    }
}

/// Whether a line that starts with `[` may define a link or a footnote (`[label]: ...`): a
/// paragraph's first line that starts with a link (`[text](url)`) does not.
fn may_define(bytes: &[u8]) -> bool {
    let Some(close) = memchr::memchr(b']', bytes) else {
        return true;
    };
    memchr::memchr2(b'[', b'\\', &bytes[1..close]).is_some() || bytes.get(close + 1) == Some(&b':')
}

/// Whether a line starts with an ordered list's marker (`1.`, `2)`).
fn ordered_marker(bytes: &[u8]) -> bool {
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    (1..=9).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && bytes.get(digits + 1).is_none_or(|&b| b == b' ')
}

/// Whether a line holds only `-`, `*`, `_`, `=`, `+` and spaces: a thematic break, a setext
/// underline, front matter's fence, or an empty item.
fn only_rule_marks(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|b| matches!(b, b'-' | b'*' | b'_' | b'=' | b'+' | b' '))
}

/// The level of an ATX heading's line.
fn atx_level(bytes: &[u8]) -> Option<usize> {
    let level = bytes.iter().take(7).take_while(|&&b| b == b'#').count();
    ((1..=6).contains(&level) && bytes.get(level).is_none_or(|&b| b == b' ')).then_some(level)
}

/// The title of a heading with inline markup, parsed in full on its own: with no link
/// definitions in the text (they are not plain), its line reads as it does in the text.
fn parsed_title(line: &str) -> Option<String> {
    let (outline, unclosed) = super::build_once(line);
    match (unclosed, outline.front_matter, outline.blocks.is_empty()) {
        (None, None, true) => {}
        _ => return None,
    }
    let mut sections = outline.sections.into_iter();
    match (sections.next(), sections.next()) {
        (Some(only), None) if only.kind == HeadingKind::Markdown => Some(only.title),
        _ => None,
    }
}

/// An ATX heading's title from what follows its `#`s, when it holds no inline markup.
fn atx_title(content: &str) -> Option<&str> {
    let title = content.trim_matches(' ');
    let open = title.trim_end_matches('#');
    let title = if open.is_empty() {
        ""
    } else if open.ends_with(' ') {
        open.trim_end_matches(' ')
    } else {
        title
    };
    let bytes = title.as_bytes();
    let markup = bytes.iter().enumerate().any(|(i, b)| match b {
        b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'<' | b'~' => true,
        b'&' => bytes
            .get(i + 1)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'#'),
        _ => false,
    });
    (!markup).then(|| title.trim())
}

#[cfg(test)]
mod tests;
