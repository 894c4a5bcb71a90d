//! Turning file bytes into text that is safe to show: offsets are kept, invalid UTF-8 and control
//! characters never reach the terminal as they are.

use std::borrow::Cow;
use std::fmt::Write as _;

/// How far Git looks for a NUL byte to call a file binary (`buffer_is_binary`).
pub const BINARY_PROBE: usize = 8000;

/// Git's binary heuristic, the one every reader here uses: a NUL byte among the first
/// [`BINARY_PROBE`] bytes.
#[must_use]
pub fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some()
}

/// Where the line holding `offset` starts, and where it ends (its `\n`, or the end).
#[must_use]
pub fn line_bounds(source: &[u8], offset: usize) -> (usize, usize) {
    let start = memchr::memrchr(b'\n', &source[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &source[start..]).map_or(source.len(), |i| start + i);
    (start, end)
}

/// The lines of `text` with their line ends, as `text.split_inclusive('\n')` gives them, found
/// with `memchr`: the schema checks walk the lines of every section of every document.
pub fn lines_with_ends(text: &str) -> impl Iterator<Item = &str> {
    let mut starts = memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1);
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = starts.next().unwrap_or(text.len());
        let line = &text[start..end];
        start = end;
        Some(line)
    })
}

/// `bytes` as a `str` with the same byte offsets: each byte of an invalid UTF-8 sequence becomes
/// `?`, so spans computed on the bytes stay valid on the text.
#[must_use]
pub fn utf8_same_offsets(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len());
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
            }
            Cow::Owned(out)
        }
    }
}

/// Whether `c` must never reach a terminal or a log as it is: control characters (C0, DEL, C1)
/// and the invisible characters that reorder or break text (bidirectional embeddings, overrides
/// and isolates, the directional marks, the line and paragraph separators), with which a file
/// could make a finding read as something else ("Trojan Source").
#[must_use]
pub fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Text for a terminal: hidden controls other than tab, newline and carriage return become `?`,
/// one per byte, so offsets stay valid and a file cannot move the cursor, hide or reorder text.
/// Borrowed when there is nothing to replace (the usual case: no copy of a large file).
#[must_use]
pub fn terminal_safe_same_offsets(bytes: &[u8]) -> Cow<'_, str> {
    let text = utf8_same_offsets(bytes);
    let harmful = |c: char| is_hidden_control(c) && !matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(harmful) {
        return text;
    }
    text.chars()
        .map(|c| {
            if is_hidden_control(c) && !matches!(c, '\t' | '\n' | '\r') {
                // Multi-byte ones (C1 is two bytes in UTF-8, U+202E three): keep the width.
                "?".repeat(c.len_utf8())
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// A JSON text with every hidden control written as a `\uXXXX` escape, as JSON writes the C0
/// controls: the same value for a JSON reader, and nothing raw for a terminal that shows the text.
/// (They can only occur inside strings: JSON's own syntax is ASCII.)
#[must_use]
pub fn escape_json_hidden_controls(json: String) -> String {
    if !json.chars().any(|c| !c.is_ascii() && is_hidden_control(c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if !c.is_ascii() && is_hidden_control(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A label or path from a file, escaped for one line of output: hidden controls (see
/// [`is_hidden_control`]) and invalid UTF-8 are written as `\u{NN}` / `\xNN` escapes.
#[must_use]
pub fn escape_for_display(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => escape_str(text).into_owned(),
        Err(_) => escape_each_char(bytes),
    }
}

/// [`escape_for_display`] of text known to be UTF-8, borrowed when there is nothing to escape
/// (every message and most paths): concise output writes thousands of lines after the checks,
/// on one thread.
#[must_use]
pub fn escape_str(text: &str) -> std::borrow::Cow<'_, str> {
    // Printable ASCII, the common case, has nothing to escape.
    if is_printable_ascii(text.as_bytes()) || !text.chars().any(is_hidden_control) {
        return text.into();
    }
    escape_each_char(text.as_bytes()).into()
}

/// Whether every byte is printable ASCII: 32 bytes at a time without an early exit, which the
/// compiler turns into vector instructions (over the 4,956 concise lines of 10,000 postmortems,
/// 5.0 M instructions a byte at a time, 1.2 M so).
fn is_printable_ascii(bytes: &[u8]) -> bool {
    let printable = |chunk: &[u8]| {
        chunk
            .iter()
            .fold(true, |all, &b| all & matches!(b, b' '..=b'~'))
    };
    let mut chunks = bytes.chunks_exact(32);
    chunks.all(printable) && printable(chunks.remainder())
}

/// [`escape_for_display`], a character at a time.
fn escape_each_char(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if is_hidden_control(c) {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The borrowed fast path escapes exactly what the byte-wise one does.
        #[test]
        fn escape_str_is_the_escape_byte_by_byte(text in "(\\PC|[\\x00-\\x1f\\x7f\u{202e}\u{2066} aé])*") {
            proptest::prop_assert_eq!(
                super::escape_str(&text).into_owned(),
                super::escape_each_char(text.as_bytes())
            );
        }
    }

    #[test]
    fn a_control_anywhere_in_a_long_line_is_escaped() {
        for len in [0, 1, 31, 32, 33, 64, 100] {
            let plain = "a".repeat(len);
            assert!(matches!(
                super::escape_str(&plain),
                std::borrow::Cow::Borrowed(_)
            ));
            for at in 0..len {
                let mut text = plain.clone().into_bytes();
                text[at] = 0x1b;
                let text = String::from_utf8(text).expect("ASCII");
                assert_eq!(
                    super::escape_str(&text).matches("\\u{1b}").count(),
                    1,
                    "{len} {at}"
                );
            }
        }
    }

    #[test]
    fn lines_with_ends_are_split_inclusive() {
        for text in ["", "a", "a\n", "a\nb", "\n\n", "a\r\nb\n\nc", "é\nü"] {
            let expected: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(
                super::lines_with_ends(text).collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
        }
    }

    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The printable-ASCII shortcut says what the escaping loop says, at the edges of the
        /// range too (space, tilde, DEL, controls, high bytes).
        #[test]
        fn escaping_takes_the_shortcut_only_where_it_changes_nothing(
            bytes in proptest::collection::vec(
                prop_oneof![4 => 0x20u8..=0x7e, 1 => any::<u8>(), 1 => Just(0x7fu8), 1 => Just(0x1fu8)],
                0..40,
            )
        ) {
            prop_assert_eq!(escape_for_display(&bytes), escape_each_char(&bytes));
        }
    }

    #[test]
    fn invalid_bytes_keep_offsets() {
        let text = utf8_same_offsets(b"a\xff\xfeb");
        assert_eq!(text, "a??b");
    }

    #[test]
    fn escapes_control_characters() {
        assert_eq!(
            escape_for_display(b"HEAD\x1b[2J\xff"),
            "HEAD\\u{1b}[2J\\xff"
        );
        assert_eq!(terminal_safe_same_offsets(b"a\x1bb\tc"), "a?b\tc");
    }

    #[test]
    fn bidirectional_and_c1_controls_are_escaped_everywhere() {
        let text = "admin\u{202E}gpj.md \u{85}next \u{2066}x\u{2069}";
        assert_eq!(
            escape_for_display(text.as_bytes()),
            "admin\\u{202e}gpj.md \\u{85}next \\u{2066}x\\u{2069}"
        );
        let safe = terminal_safe_same_offsets(text.as_bytes());
        assert_eq!(safe.len(), text.len());
        assert!(safe.chars().all(|c| !is_hidden_control(c)), "{safe}");
        let json = serde_json::to_string(text).expect("JSON");
        let escaped = escape_json_hidden_controls(json);
        assert!(escaped.is_ascii(), "{escaped}");
        assert_eq!(
            serde_json::from_str::<String>(&escaped).expect("still JSON"),
            text
        );
        // Ordinary non-ASCII text is left alone.
        assert_eq!(escape_for_display("café ✓".as_bytes()), "café ✓");
    }
}
