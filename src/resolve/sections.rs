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

/// How a block writes its markers, for the sections that stay in conflict after a merge.
pub struct MarkerStyle {
    /// Length of the marker runs.
    pub marker_len: usize,
    /// The line terminator of the start marker line.
    pub eol: &'static str,
    /// ` label` after `<<<<<<<` (empty when none).
    pub ours_label: String,
    /// ` label` after `|||||||`.
    pub base_label: String,
    /// ` label` after `>>>>>>>`.
    pub theirs_label: String,
}

impl MarkerStyle {
    /// The style of `block`: its marker length, labels and line terminator.
    #[must_use]
    pub fn of(input: &[u8], block: &Block) -> Self {
        let label = |span: Option<crate::span::Span>| {
            span.map(|s| format!(" {}", String::from_utf8_lossy(s.slice(input))))
                .unwrap_or_default()
        };
        Self {
            marker_len: block.marker_len,
            eol: if block.start.line.slice(input).ends_with(b"\r\n") {
                "\r\n"
            } else {
                "\n"
            },
            ours_label: label(block.start.label),
            base_label: label(
                block
                    .side(Side::Base)
                    .and_then(|s| s.marker)
                    .and_then(|m| m.label),
            ),
            theirs_label: label(block.end.label),
        }
    }
}

/// The merged text, and how many sections are still in conflict (re-materialised with the
/// block's markers). `None` when the block has no base, a side is not UTF-8, or the three
/// versions do not have the same headings in the same order.
#[must_use]
pub fn merge(input: &[u8], block: &Block) -> Option<(Vec<u8>, usize)> {
    let side = |s: Side| block.side_bytes(input, s);
    merge_texts(
        &side(Side::Ours)?,
        &side(Side::Base)?,
        &side(Side::Theirs)?,
        &MarkerStyle::of(input, block),
    )
}

/// [`merge`] on three texts: ours, base and theirs.
#[must_use]
pub fn merge_texts(
    ours: &[u8],
    base: &[u8],
    theirs: &[u8],
    style: &MarkerStyle,
) -> Option<(Vec<u8>, usize)> {
    let utf8 = |b| std::str::from_utf8(b).ok();
    let (ours, base, theirs) = (utf8(ours)?, utf8(base)?, utf8(theirs)?);
    let (o, b, t) = (pieces(ours), pieces(base), pieces(theirs));
    // Sections correspond by position when at least two of the three headings agree (both sides
    // may retitle a section the same way).
    let aligned = o.len() == b.len()
        && t.len() == b.len()
        && o.iter()
            .zip(&b)
            .zip(&t)
            .all(|((o, b), t)| o.key == b.key || t.key == b.key || o.key == t.key);
    if !aligned || b.len() < 2 {
        return None;
    }
    let marker = |kind: u8| String::from(char::from(kind)).repeat(style.marker_len);
    let eol = style.eol;
    let mut out = String::with_capacity(ours.len());
    let mut conflicts = 0;
    for ((o, b), t) in o.iter().zip(&b).zip(&t) {
        if o.text == t.text || b.text == t.text {
            out.push_str(o.text);
        } else if b.text == o.text {
            out.push_str(t.text);
        } else if let Some(merged) =
            super::merge::merge_region(b.text, o.text, t.text, super::merge::Around::default())
        {
            // Both sides changed the section, in ways a precise rule settles (prose both sides
            // changed, even on different lines, is not among them: a person reads it).
            out.push_str(&merged.text);
        } else {
            conflicts += 1;
            for (run, text, name) in [
                (marker(b'<'), o.text, &style.ours_label),
                (marker(b'|'), b.text, &style.base_label),
                (marker(b'='), t.text, &String::new()),
            ] {
                out.push_str(&format!("{run}{name}{eol}"));
                out.push_str(text);
                if !text.ends_with('\n') {
                    out.push_str(eol);
                }
            }
            out.push_str(&format!("{}{}{eol}", marker(b'>'), style.theirs_label));
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
    fn headings_that_disagree_everywhere_are_not_merged() {
        let ours = BASE.replace("## B", "## Bee");
        let theirs = BASE.replace("## B", "## Bea");
        assert!(run(&block(&ours, BASE, &theirs)).is_none());
    }

    #[test]
    fn a_section_retitled_by_both_and_edited_by_one_merges() {
        // What Git leaves when ours edits section A and both retitle B while theirs edits B:
        // ours' change to B is part of theirs (contained-change).
        let ours = "a1\n## B (revised)\nb\n";
        let base = "a\n## B\nb\n";
        let theirs = "a\n## B (revised)\nb1\n";
        let merged = run(&block(ours, base, theirs)).expect("merges");
        assert_eq!(merged, ("a1\n## B (revised)\nb1\n".to_owned(), 0));
    }

    #[test]
    fn neighbouring_prose_edits_in_one_section_stay_in_conflict() {
        // Found by a hostile read: two edits of neighbouring prose lines were merged.
        let base = "# Doc\n\n## Setup\n\nRun the installer as root.\nThen reboot the machine.\n## Usage\n\nUse it.\n";
        let ours = base
            .replace("as root", "as an admin user")
            .replace("## Usage", "## How to use");
        let theirs = base.replace("Then reboot the machine.", "Do not reboot the machine.");
        let (_, conflicts) = run(&block(&ours, base, &theirs)).expect("merges");
        assert_eq!(conflicts, 1);
    }

    #[test]
    fn list_edits_in_one_section_merge_by_the_precise_rules() {
        let base = "## A\n- [x](x) old\n- [y](y) old\n## B\nb\n";
        let ours = "## A\n- [x](x) new\n- [y](y) old\n## B\nb\n";
        let theirs = "## A\n- [x](x) old\n- [y](y) new\n## B\nb\n";
        let merged = run(&block(ours, base, theirs)).expect("merges");
        assert_eq!(
            merged,
            ("## A\n- [x](x) new\n- [y](y) new\n## B\nb\n".to_owned(), 0)
        );
    }
}
