//! Turning file bytes into text that is safe to show: offsets are kept, invalid UTF-8 and control
//! characters never reach the terminal as they are.

use std::borrow::Cow;
use std::fmt::Write as _;

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

/// Text for a terminal: control characters other than tab, newline and carriage return become
/// `?`, one byte each, so offsets stay valid and a file cannot move the cursor or hide text.
#[must_use]
pub fn terminal_safe_same_offsets(bytes: &[u8]) -> String {
    let text = utf8_same_offsets(bytes);
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                // Multi-byte controls (C1, U+0080..U+009F) are two bytes in UTF-8: keep the width.
                "?".repeat(c.len_utf8())
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A label or path from a file, escaped for one line of output: control characters and invalid
/// UTF-8 are written as `\xNN` / `\u{NN}` escapes.
#[must_use]
pub fn escape_for_display(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
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
    use super::*;

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
}
