//! Mojibake: UTF-8 text that was decoded as Windows-1252 (or Latin-1) and encoded again, so `💪`
//! became `ðŸ’ª` and `’` became `â€™`. Found by re-encoding runs of suspicious characters as
//! Windows-1252 bytes and checking that they form valid multi-byte UTF-8.

use crate::span::Span;

/// One garbled run and what it was meant to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mojibake {
    /// Byte span of the garbled text.
    pub span: Span,
    /// The repaired text.
    pub repaired: String,
}

/// The Windows-1252 byte for `c`, or the Latin-1 byte for the five code points Windows-1252 leaves
/// undefined (some tools decode those as C1 controls).
fn cp1252_byte(c: char) -> Option<u8> {
    let byte = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        c if ('\u{80}'..='\u{FF}').contains(&c) => c as u32 as u8,
        _ => return None,
    };
    Some(byte)
}

/// Length of the UTF-8 sequence a lead byte starts (2 to 4), if it is a lead byte.
fn sequence_len(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// Every garbled run in `text`.
#[must_use]
pub fn find(text: &str) -> Vec<Mojibake> {
    let mut found: Vec<Mojibake> = Vec::new();
    // Every garbled sequence starts with a lead character U+00C2..U+00F4, encoded as C3 82..C3
    // B4, and holds no other: only where a C3 byte is can one start.
    let mut end = 0;
    for at in memchr::memchr_iter(0xC3, text.as_bytes()) {
        if at < end {
            continue;
        }
        let mut chars = [(0, '\0'); 4];
        let mut read = 0;
        for (slot, c) in chars.iter_mut().zip(text[at..].char_indices()) {
            *slot = c;
            read += 1;
        }
        let Some((len, decoded)) = decode_at(&chars[..read]) else {
            continue;
        };
        let (last_offset, last) = chars[len - 1];
        let next = at + last_offset + last.len_utf8();
        match found.last_mut() {
            // A run goes on where the sequence before it ended.
            Some(run) if run.span.end == at => {
                run.span = Span::new(run.span.start, next);
                run.repaired.push(decoded);
            }
            _ => found.push(Mojibake {
                span: Span::new(at, next),
                repaired: decoded.to_string(),
            }),
        }
        end = next;
    }
    found.retain(|m| plausible(text, m));
    found
}

/// Whether a garbled run is more likely mojibake than text as written. A run of one two-byte
/// sequence whose lead is a letter or sign that ends words in European text is text as written:
/// Greek, Cyrillic, Hebrew and Arabic words garble into runs of several sequences (`Ð¿Ñ€Ð¸`),
/// while `3×—`, `SØ’s`, `Ð’s` are a sign or a capital and the punctuation after it; a lone
/// `Ä`, `Å`, `Î` or `Ï` sequence (Polish and Czech letters, a Greek letter used as a symbol)
/// counts only where no capital comes right before it (`wÅ‚asny`, `Î± = 0.05`, not `SKÅ”`).
fn plausible(text: &str, found: &Mojibake) -> bool {
    let garbled = &text[found.span.start..found.span.end];
    let mut chars = garbled.chars();
    let (Some(lead), Some(_), None) = (chars.next(), chars.next(), chars.next()) else {
        return true;
    };
    match lead {
        'Ð' | 'Ñ' | '×' | 'Ø' | 'Ù' => false,
        'Ä' | 'Å' | 'Î' | 'Ï' => !text[..found.span.start]
            .chars()
            .next_back()
            .is_some_and(char::is_uppercase),
        _ => true,
    }
}

/// If the characters at the start of `chars` are one garbled UTF-8 sequence, its length in
/// characters and the character it encodes.
fn decode_at(chars: &[(usize, char)]) -> Option<(usize, char)> {
    let lead = cp1252_byte(chars.first()?.1)?;
    let len = sequence_len(lead)?;
    if chars.len() < len {
        return None;
    }
    let mut bytes = [0u8; 4];
    bytes[0] = lead;
    for (k, &(_, c)) in chars[1..len].iter().enumerate() {
        let b = cp1252_byte(c)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        bytes[k + 1] = b;
    }
    if len == 2 && !common_two_byte_lead(lead) {
        return None;
    }
    let decoded = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    (!decoded.is_control()).then_some((len, decoded))
}

/// Whether a two-byte sequence with this lead byte encodes text of a script people write in
/// (Latin-1 and Latin Extended-A, Greek, Cyrillic, Hebrew, Arabic): what real mojibake of two
/// bytes repairs to. The other leads are letters such as `ß` and `É` whose sequences would repair
/// to IPA, combining marks, Armenian, Syriac or N'Ko: `Spaß“`, `«ÉTÉ»` and `JOSÉ’s` are German
/// and French as written, not mojibake.
const fn common_two_byte_lead(lead: u8) -> bool {
    matches!(lead, 0xC2..=0xC5 | 0xCE..=0xD1 | 0xD7..=0xD9)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reading [`find`] is held to: every character tried in turn.
    fn find_char_by_char(text: &str) -> Vec<Mojibake> {
        let mut found = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        let mut run: Option<(usize, String)> = None;
        while i < chars.len() {
            if let Some((len, decoded)) = decode_at(&chars[i..]) {
                let start = chars[i].0;
                let entry = run.get_or_insert_with(|| (start, String::new()));
                entry.1.push(decoded);
                i += len;
                continue;
            }
            if let Some((start, repaired)) = run.take() {
                found.push(Mojibake {
                    span: Span::new(start, chars[i].0),
                    repaired,
                });
            }
            i += 1;
        }
        if let Some((start, repaired)) = run {
            found.push(Mojibake {
                span: Span::new(start, text.len()),
                repaired,
            });
        }
        found.retain(|m| plausible(text, m));
        found
    }

    proptest! {
        /// Garbled and real characters side by side, in runs and apart, at the text's ends.
        #[test]
        fn found_where_a_char_by_char_reading_finds_it(
            pieces in proptest::collection::vec(
                proptest::sample::select(&[
                    "ðŸ’ª", "â€™", "Ã©", "Ã", "Â", "Ã¼", "â€", "Ã\u{a0}", "ï»¿", "é", "ü", "Ã ",
                    "’", "€", "ƒ", "â", "x", " ", "\n", "Ã©Ã¨", "ðŸ", "Ã¢â‚¬â„¢", "\u{80}", "Â·",
                ][..]),
                0..24,
            )
        ) {
            let text = pieces.concat();
            prop_assert_eq!(find(&text), find_char_by_char(&text));
        }
    }

    #[test]
    fn emoji_and_punctuation() {
        let text = "resilient! ðŸ’ª and donâ€™t";
        let found = find(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].repaired, "💪");
        assert_eq!(&text[found[0].span.start..found[0].span.end], "ðŸ’ª");
        assert_eq!(found[1].repaired, "’");
        assert_eq!(find("cafÃ©")[0].repaired, "é");
    }

    #[test]
    fn real_accents_are_left_alone() {
        assert!(find("café, naïve, Ångström, Ça va, à la").is_empty());
        assert!(find("plain ascii").is_empty());
        // A letter ending a word, then a quote, an ellipsis or a no-break space.
        for text in [
            "Viel Spaß“ beim Lesen",
            "Le thème «ÉTÉ» commence",
            "JOSÉ’s car",
            "Gruß\u{a0}Peter",
            "STRAßE…",
            "Throughput rose 3×—latency did not",
            "In SØ’s office",
            "5 ×’s",
            "”SKÅ”",
            "Ø–",
            "the Ð’s",
        ] {
            assert!(find(text).is_empty(), "{text}");
        }
        // Two-byte mojibake of the scripts people write is still found.
        for (text, repaired) in [
            ("cafÃ©", "é"),
            ("Ã\u{a0}", "à"),
            ("Â©", "©"),
            ("wÅ‚asny", "ł"),
            ("Ð¿Ñ€Ð¸", "при"),
            ("Î±", "α"),
        ] {
            assert_eq!(find(text)[0].repaired, repaired, "{text}");
        }
    }
}
