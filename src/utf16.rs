//! UTF-16 text read as UTF-8. Git writes conflict markers into a file whose
//! `working-tree-encoding` is UTF-16 (it merges the UTF-8 it keeps in the index, then encodes the
//! result), so such a file is text with markers, not the binary file its NUL bytes suggest.

/// The UTF-8 text of `bytes` when they are UTF-16 text: a byte order mark says which order, or,
/// without one, the NUL bytes of ASCII characters all fall on the same side of each pair. Binary
/// data is refused: it must decode whole (even length, no lone surrogate) to text with no control
/// characters but tab, line feed, form feed and carriage return.
#[must_use]
pub fn to_utf8(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    // Decoding starts with the byte order, which refuses most binary files: no allocation first.
    let decoded = decode(bytes)?;
    let mut text = String::with_capacity(bytes.len());
    for c in decoded {
        let c = c.ok().filter(|&c| is_text(c))?;
        text.push(c);
    }
    Some(text.into_bytes())
}

/// Whether a file that starts with `first` (its first bytes, at least [`BINARY_PROBE`] of them
/// when the file is that long) may be UTF-16 text: a byte order, and those bytes decoding to text.
/// A file that is not is binary without reading the rest of it (as ripgrep stops at a NUL).
///
/// [`BINARY_PROBE`]: crate::text::BINARY_PROBE
#[must_use]
pub fn could_be(first: &[u8]) -> bool {
    let probe = &first[..first.len().min(crate::text::BINARY_PROBE) & !1];
    let Some(decoded) = decode(probe) else {
        return false;
    };
    let mut decoded = decoded.peekable();
    while let Some(c) = decoded.next() {
        // The probe may end inside a surrogate pair: the last unit is not judged.
        if decoded.peek().is_none() {
            break;
        }
        if !c.is_ok_and(is_text) {
            return false;
        }
    }
    true
}

/// The characters of `bytes` read as UTF-16 in the order its mark, or its NUL bytes, say.
fn decode(
    bytes: &[u8],
) -> Option<impl Iterator<Item = Result<char, std::char::DecodeUtf16Error>> + '_> {
    let (little_endian, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => (order_without_mark(bytes)?, bytes),
    };
    let units = body.chunks_exact(2).map(move |pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    Some(char::decode_utf16(units))
}

/// A character text holds: no control characters but tab, line feed, form feed and carriage
/// return.
fn is_text(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}')
}

/// The byte order of unmarked UTF-16 text, from where its NUL bytes fall in the first pairs:
/// all on odd offsets is little-endian ASCII, all on even ones big-endian; anything else (NUL
/// bytes on both sides, or none) is not taken for UTF-16.
fn order_without_mark(bytes: &[u8]) -> Option<bool> {
    let probe = &bytes[..bytes.len().min(crate::text::BINARY_PROBE & !1)];
    let (mut even, mut odd) = (false, false);
    // Binary data has NUL bytes on both sides within its first few bytes: a walk meets many
    // binary files, and need not look at the rest of their probe.
    for block in probe.chunks(64) {
        for pair in block.chunks_exact(2) {
            even |= pair[0] == 0;
            odd |= pair[1] == 0;
        }
        if even && odd {
            return None;
        }
    }
    match (even, odd) {
        (false, true) => Some(true),
        (true, false) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::to_utf8;

    fn le(text: &str, mark: bool) -> Vec<u8> {
        let mut out = if mark { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    fn be(text: &str, mark: bool) -> Vec<u8> {
        let mut out = if mark { vec![0xFE, 0xFF] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        out
    }

    #[test]
    fn utf16_text_in_either_order_with_or_without_a_mark() {
        let text = "<<<<<<< HEAD\r\nÉté ✓ 💪\n=======\n\tb\n>>>>>>> topic\n";
        for bytes in [
            le(text, true),
            le(text, false),
            be(text, true),
            be(text, false),
        ] {
            assert_eq!(to_utf8(&bytes).as_deref(), Some(text.as_bytes()));
        }
    }

    /// Whatever decodes whole may be UTF-16 by its first bytes, at every cut of them.
    #[test]
    fn text_could_be_utf16_by_any_prefix() {
        let text = "<<<<<<< HEAD\r\nÉté ✓ 💪\n".repeat(400);
        for bytes in [le(&text, true), be(&text, false)] {
            assert!(to_utf8(&bytes).is_some());
            for cut in [2, 3, 7, 8, 100, 7999, 8000, 8001, bytes.len()] {
                assert!(super::could_be(&bytes[..cut.min(bytes.len())]), "cut {cut}");
            }
        }
        assert!(!super::could_be(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00"));
        assert!(!super::could_be(&le("a\u{1}b", true)));
    }

    proptest::proptest! {
        /// The byte order stops at the first block with NUL bytes on both sides, and says what
        /// counting the NUL bytes of the whole probe says.
        #[test]
        fn the_order_is_what_counting_every_nul_says(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![3 => proptest::prelude::Just(0u8), 1 => 1u8..=255],
                0..300,
            ),
            text in 0usize..300,
        ) {
            // A run of text (no NUL byte) first, so that the other side's NUL comes late.
            let mut bytes = bytes;
            for (i, b) in bytes.iter_mut().enumerate().take(text) {
                if i % 2 == 0 && *b == 0 {
                    *b = b'a';
                }
            }
            let (mut even, mut odd) = (0usize, 0usize);
            for pair in bytes.chunks_exact(2) {
                even += usize::from(pair[0] == 0);
                odd += usize::from(pair[1] == 0);
            }
            let counted = match (even, odd) {
                (0, n) if n > 0 => Some(true),
                (n, 0) if n > 0 => Some(false),
                _ => None,
            };
            proptest::prop_assert_eq!(super::order_without_mark(&bytes), counted);
        }
    }

    #[test]
    fn binary_data_is_not_text() {
        // NUL bytes on both sides of the pairs, a control character, a lone surrogate, odd length.
        assert_eq!(to_utf8(b"\x00\x01\x00\x00ab"), None);
        assert_eq!(to_utf8(&le("a\u{1}b", true)), None);
        assert_eq!(to_utf8(&[0xFF, 0xFE, 0x00, 0xD8, b'a', 0]), None);
        assert_eq!(to_utf8(&[0xFF, 0xFE, b'a', 0, b'b']), None);
        // PNG-like header: no consistent NUL side.
        assert_eq!(to_utf8(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), None);
    }
}
