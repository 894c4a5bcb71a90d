//! One marker line, read exactly as Git reads it (`merge-ll.c: is_conflict_marker_line`), plus the
//! Jujutsu marker characters.
//!
//! A marker is a run of one marker character at column 1, followed by the end of the line or by
//! whitespace. The run's length is returned and judged by the parser, because the length that counts
//! depends on the path's `conflict-marker-size` and on the block the line sits in.

/// What a run of one character at column 1 means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum MarkerKind {
    /// `<<<<<<<`: opens a conflict, labelled with the ours side (Jujutsu: `conflict 1 of 2`).
    Start = b'<',
    /// `|||||||`: opens the base section (diff3, zdiff3).
    Base = b'|',
    /// `=======`: separates ours (or base) from theirs; never labelled.
    Separator = b'=',
    /// `>>>>>>>`: closes a conflict, labelled with the theirs side.
    End = b'>',
    /// Jujutsu `%%%%%%%`: a diff section (lines prefixed with ` `, `-`, `+`).
    JjDiff = b'%',
    /// Jujutsu `+++++++`: a snapshot of one side.
    JjSide = b'+',
    /// Jujutsu `-------`: a snapshot of the base.
    JjBase = b'-',
    /// Jujutsu `\\\\\\\`: continues the label of the marker before it.
    JjNote = b'\\',
}

impl MarkerKind {
    /// The kind a line starting with `byte` could be, if any.
    #[must_use]
    pub const fn from_byte(byte: u8) -> Option<Self> {
        Some(match byte {
            b'<' => Self::Start,
            b'|' => Self::Base,
            b'=' => Self::Separator,
            b'>' => Self::End,
            b'%' => Self::JjDiff,
            b'+' => Self::JjSide,
            b'-' => Self::JjBase,
            b'\\' => Self::JjNote,
            _ => return None,
        })
    }

    /// The marker character.
    #[must_use]
    pub const fn byte(self) -> u8 {
        self as u8
    }

    /// Whether this kind belongs only to Jujutsu's dialect.
    #[must_use]
    pub const fn is_jj(self) -> bool {
        matches!(
            self,
            Self::JjDiff | Self::JjSide | Self::JjBase | Self::JjNote
        )
    }
}

/// A marker-shaped line: its kind, the length of its run, and where its label lies in the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkerShape {
    /// Which marker.
    pub kind: MarkerKind,
    /// Length of the run of marker characters.
    pub len: usize,
    /// Byte range of the label within the line (after the single space), if there is one.
    pub label: Option<(usize, usize)>,
}

/// Read `line` (without its `\n`, and without a `\r` before it) as a marker line.
///
/// Git's rule: the run is followed by the end of the line or by whitespace. For `<`, `>`, `|` and the
/// Jujutsu markers the whitespace must be a space (`|` also takes a tab, as Git's reader does), and
/// what follows it is the label. `=======` never carries a label; trailing whitespace is allowed.
#[must_use]
pub fn parse_marker_line(line: &[u8]) -> Option<MarkerShape> {
    let first = *line.first()?;
    let kind = MarkerKind::from_byte(first)?;
    let len = line.iter().take_while(|&&b| b == first).count();
    let rest = &line[len..];
    let label = match rest.first() {
        None => None,
        Some(b' ') => Some(len + 1),
        Some(b'\t') if matches!(kind, MarkerKind::Base | MarkerKind::Separator) => Some(len + 1),
        Some(b'\x0b' | b'\x0c' | b'\r') if kind == MarkerKind::Separator => Some(len + 1),
        Some(_) => return None,
    };
    let label = match (kind, label) {
        (MarkerKind::Separator, Some(_)) => {
            // Git's reader accepts `======= anything`; Git never writes it. Keep no label.
            None
        }
        (_, Some(from)) if from < line.len() => Some((from, line.len())),
        _ => None,
    };
    Some(MarkerShape { kind, len, label })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(line: &str) -> Option<(MarkerKind, usize, Option<&str>)> {
        parse_marker_line(line.as_bytes())
            .map(|s| (s.kind, s.len, s.label.map(|(a, b)| &line[a..b])))
    }

    #[test]
    fn git_markers_with_and_without_labels() {
        assert_eq!(
            shape("<<<<<<< HEAD"),
            Some((MarkerKind::Start, 7, Some("HEAD")))
        );
        assert_eq!(shape("<<<<<<<"), Some((MarkerKind::Start, 7, None)));
        assert_eq!(
            shape("||||||| merged common ancestors"),
            Some((MarkerKind::Base, 7, Some("merged common ancestors")))
        );
        assert_eq!(shape("======="), Some((MarkerKind::Separator, 7, None)));
        assert_eq!(shape("=======  "), Some((MarkerKind::Separator, 7, None)));
        assert_eq!(
            shape(">>>>>>> 651f2a047 (remove extra line)"),
            Some((MarkerKind::End, 7, Some("651f2a047 (remove extra line)")))
        );
        assert_eq!(
            shape("<<<<<<<<< HEAD"),
            Some((MarkerKind::Start, 9, Some("HEAD")))
        );
    }

    #[test]
    fn not_markers() {
        assert_eq!(shape("<<<<<<<not-a-label"), None);
        assert_eq!(shape(">>>>>>>quote"), None);
        assert_eq!(shape("<<<<<<<\tHEAD"), None);
        assert_eq!(shape(" <<<<<<< HEAD"), None);
        assert_eq!(
            shape("> > > > > > > quote"),
            Some((MarkerKind::End, 1, Some("> > > > > > quote")))
        );
        assert_eq!(shape("Some content <<<<<<< HEAD"), None);
        assert_eq!(shape(""), None);
    }
}
