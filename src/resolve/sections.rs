//! The section-aware merge: a conflict block that carries a base is split at Markdown headings
//! in all three versions and merged section by section, so edits to different sections combine
//! and only a section changed differently on both sides stays in conflict.

use crate::conflict::{Block, Side};
use crate::markdown::outline;

/// One section of a side: its heading line (the key) and its whole text.
struct Piece<'a> {
    key: &'a str,
    text: &'a str,
}

/// Split at every heading; text before the first heading is a piece with an empty key.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let starts: Vec<usize> = outline::build(text)
        .sections
        .iter()
        .map(|s| s.heading.start)
        .collect();
    let mut bounds = vec![0];
    bounds.extend(starts.into_iter().filter(|&s| s > 0));
    bounds.push(text.len());
    bounds
        .windows(2)
        .filter(|w| w[0] < w[1])
        .map(|w| {
            let text = &text[w[0]..w[1]];
            let key = if w[0] == 0 && !text.starts_with('#') {
                ""
            } else {
                text.lines().next().unwrap_or("").trim()
            };
            Piece { key, text }
        })
        .collect()
}

/// The merged text, and how many sections are still in conflict (re-materialised with the
/// block's markers). `None` when the block has no base, a side is not UTF-8, or the three
/// versions do not have the same headings in the same order.
#[must_use]
pub fn merge(input: &[u8], block: &Block) -> Option<(Vec<u8>, usize)> {
    let side = |s: Side| {
        block
            .side_bytes(input, s)
            .and_then(|b| String::from_utf8(b.into_owned()).ok())
    };
    let (ours, base, theirs) = (side(Side::Ours)?, side(Side::Base)?, side(Side::Theirs)?);
    let (o, b, t) = (pieces(&ours), pieces(&base), pieces(&theirs));
    let same_headings = |x: &[Piece<'_>], y: &[Piece<'_>]| {
        x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.key == q.key)
    };
    if !same_headings(&o, &b) || !same_headings(&t, &b) || b.len() < 2 {
        return None;
    }
    let marker = |kind: u8| String::from(char::from(kind)).repeat(block.marker_len);
    let eol = if block.start.line.slice(input).ends_with(b"\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let label = |span: Option<crate::span::Span>| {
        span.map(|s| format!(" {}", String::from_utf8_lossy(s.slice(input))))
            .unwrap_or_default()
    };
    let base_label = label(
        block
            .side(Side::Base)
            .and_then(|s| s.marker)
            .and_then(|m| m.label),
    );
    let mut out = String::with_capacity(ours.len());
    let mut conflicts = 0;
    for ((o, b), t) in o.iter().zip(&b).zip(&t) {
        if o.text == t.text || b.text == t.text {
            out.push_str(o.text);
        } else if b.text == o.text {
            out.push_str(t.text);
        } else {
            conflicts += 1;
            for (run, text, name) in [
                (marker(b'<'), o.text, label(block.start.label)),
                (marker(b'|'), b.text, base_label.clone()),
                (marker(b'='), t.text, String::new()),
            ] {
                out.push_str(&format!("{run}{name}{eol}"));
                out.push_str(text);
                if !text.ends_with('\n') {
                    out.push_str(eol);
                }
            }
            out.push_str(&format!("{}{}{eol}", marker(b'>'), label(block.end.label)));
        }
    }
    Some((out.into_bytes(), conflicts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{parse, ParseOptions};

    fn block(ours: &str, base: &str, theirs: &str) -> String {
        format!("<<<<<<< HEAD\n{ours}||||||| base\n{base}=======\n{theirs}>>>>>>> topic\n")
    }

    const BASE: &str = "## A\na\n## B\nb\n## C\nc\n## D\nd\n";

    fn run(text: &str) -> Option<(String, usize)> {
        let parsed = parse(text.as_bytes(), &ParseOptions::default());
        let b = parsed.blocks().next().expect("a block");
        merge(text.as_bytes(), b).map(|(bytes, n)| (String::from_utf8(bytes).expect("UTF-8"), n))
    }

    #[test]
    fn edits_in_different_sections_combine() {
        let ours = BASE.replace("a\n", "a1\n").replace("b\n", "b2\n");
        let theirs = BASE.replace("c\n", "c1\n").replace("b\n", "b2\n");
        let merged = run(&block(&ours, BASE, &theirs)).expect("merges");
        assert_eq!(
            merged,
            ("## A\na1\n## B\nb2\n## C\nc1\n## D\nd\n".to_owned(), 0)
        );
    }

    #[test]
    fn a_section_both_sides_changed_stays_in_conflict() {
        let ours = BASE.replace("a\n", "a1\n").replace("b\n", "b-ours\n");
        let theirs = BASE.replace("c\n", "c1\n").replace("b\n", "b-theirs\n");
        let (text, conflicts) = run(&block(&ours, BASE, &theirs)).expect("merges");
        assert_eq!(conflicts, 1);
        assert_eq!(
            text,
            "## A\na1\n<<<<<<< HEAD\n## B\nb-ours\n||||||| base\n## B\nb\n=======\n## B\nb-theirs\n>>>>>>> topic\n## C\nc1\n## D\nd\n"
        );
    }

    #[test]
    fn different_headings_are_not_merged() {
        let ours = BASE.replace("## B", "## Bee");
        assert!(run(&block(&ours, BASE, BASE)).is_none());
    }
}
