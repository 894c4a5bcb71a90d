//! `check --fix` and `check --diff`: the edits that some findings carry, applied to a file's
//! bytes (pure: bytes and findings in, bytes out; the shell writes them with `resolve`'s atomic
//! writer).
//!
//! A fix is made only where it cannot change what the author meant: an edit replaces exactly the
//! bytes its finding is about, edits that touch each other are left for a later round, and a file
//! with an unresolved conflict is not fixed at all (which side's text stays is a person's choice,
//! and `resolve` must still see the bytes Git wrote). Text that is not UTF-8 is never edited.

pub use crate::diagnostic::Edit;
use crate::diagnostic::{Finding, Rule};
use crate::span::Span;

/// A file's bytes with fixes applied.
#[derive(Debug, PartialEq, Eq)]
pub struct Fixed {
    /// The new bytes.
    pub bytes: Vec<u8>,
    /// The rule of each fix applied.
    pub applied: Vec<Rule>,
    /// Each edit made: its span in the old bytes, and where its text is in the new.
    pub edits: Vec<(Span, Span)>,
}

impl Fixed {
    /// Where `span` of the old bytes (touching no edit) is in the new bytes.
    #[must_use]
    pub fn map(&self, span: Span) -> Span {
        let mut shift: isize = 0;
        for (old, new) in &self.edits {
            if old.end <= span.start {
                shift += new.len() as isize - old.len() as isize;
            }
        }
        let moved = |at: usize| at.saturating_add_signed(shift);
        Span::new(moved(span.start), moved(span.end))
    }
}

/// Why a file with fixable findings was not fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotFixed {
    /// It has an unresolved conflict (markers, a half-deleted block, an unmerged path).
    Conflicted,
    /// It is not valid UTF-8.
    NotUtf8,
}

impl std::fmt::Display for NotFixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Conflicted => "it has unresolved conflicts: resolve them first",
            Self::NotUtf8 => "it is not UTF-8",
        })
    }
}

/// Whether a finding says the file is not settled: its text is not the author's last word.
fn unsettled(finding: &Finding) -> bool {
    finding.side.is_some()
        || matches!(
            finding.rule,
            // A conflict shown in a code block is an example (documentation about Git).
            Rule::ConflictMarker | Rule::BrokenConflict | Rule::UnmergedPath | Rule::NotUtf8
        )
}

/// How many of a file's findings `--fix` would fix (none in a file that is not settled).
pub fn fixable<'a>(findings: impl Iterator<Item = &'a Finding> + Clone) -> usize {
    if findings.clone().any(unsettled) {
        return 0;
    }
    findings.filter(|f| f.fix.is_some()).count()
}

/// Apply the fixes of `findings` to `bytes`: `Ok(None)` when none applies. An edit that
/// overlaps or touches `fresh` (text an earlier round wrote) is not made: a repair must not make
/// a new one out of itself and its neighbour. An edit inside another is folded into it when the
/// outer one's text holds the inner one's old text once (a label with mojibake made a heading,
/// repaired); otherwise the inner one waits.
///
/// # Errors
/// When the file has fixable findings but must not be edited ([`NotFixed`]).
pub fn apply(
    bytes: &[u8],
    findings: &[Finding],
    fresh: &[Span],
) -> Result<Option<Fixed>, NotFixed> {
    let mut edits: Vec<(&Edit, Rule)> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref().map(|edit| (edit, f.rule)))
        .collect();
    if edits.is_empty() {
        return Ok(None);
    }
    if findings.iter().any(unsettled) {
        return Err(NotFixed::Conflicted);
    }
    if std::str::from_utf8(bytes).is_err() {
        return Err(NotFixed::NotUtf8);
    }
    edits.sort_by_key(|(edit, rule)| (edit.span.start, edit.span.end, *rule));
    let mut chosen: Vec<(Span, String, Vec<Rule>)> = Vec::new();
    for (edit, rule) in edits {
        let Span { start, end } = edit.span;
        let touches_fresh = fresh.iter().any(|f| start <= f.end && f.start <= end);
        if touches_fresh || end > bytes.len() || start > end {
            continue;
        }
        match chosen.last_mut() {
            Some((outer, text, rules)) if start < outer.end => {
                let old = String::from_utf8_lossy(&bytes[start..end]);
                let inside = outer.start <= start && end <= outer.end;
                if inside && !old.is_empty() && text.matches(old.as_ref()).count() == 1 {
                    *text = text.replacen(old.as_ref(), &edit.replacement, 1);
                    rules.push(rule);
                }
            }
            _ => chosen.push((edit.span, edit.replacement.clone(), vec![rule])),
        }
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut applied = Vec::new();
    let mut made = Vec::new();
    let mut done = 0;
    for (span, text, rules) in chosen {
        out.extend_from_slice(&bytes[done..span.start]);
        let at = out.len();
        out.extend_from_slice(text.as_bytes());
        made.push((span, Span::new(at, out.len())));
        done = span.end;
        applied.extend(rules);
    }
    out.extend_from_slice(&bytes[done..]);
    Ok((!applied.is_empty() && out != bytes).then_some(Fixed {
        bytes: out,
        applied,
        edits: made,
    }))
}

/// The change from `old` to `new` as a unified diff (`--- a/NAME`, `+++ b/NAME`, three lines of
/// context), as `git diff` prints one: `name` is the file system's bytes, quoted as Git quotes
/// them (see [`header_name`]).
#[must_use]
pub fn unified_diff(name: &[u8], old: &[u8], new: &[u8]) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&header_name("a/", name), &header_name("b/", name))
        .to_string()
}

/// `prefix` and `name` as `git diff` writes them in a header (its `core.quotePath` default): a
/// name with a control character, a byte outside ASCII, `"` or `\` is quoted, C escapes for
/// the usual controls and octal for every other such byte (so a name that is not UTF-8, and a
/// right-to-left override, reach `patch` and `git apply` as the file system's bytes); a header
/// with a space ends with a tab (so `patch` reads the name whole).
fn header_name(prefix: &str, name: &[u8]) -> String {
    let path: Vec<u8> = prefix.bytes().chain(name.iter().copied()).collect();
    let plain = |b: u8| matches!(b, b' '..=b'~') && b != b'"' && b != b'\\';
    let mut out = if path.iter().all(|&b| plain(b)) {
        String::from_utf8_lossy(&path).into_owned()
    } else {
        let mut quoted = String::from("\"");
        for &b in &path {
            match b {
                b'"' => quoted.push_str("\\\""),
                b'\\' => quoted.push_str("\\\\"),
                0x07 => quoted.push_str("\\a"),
                0x08 => quoted.push_str("\\b"),
                b'\t' => quoted.push_str("\\t"),
                b'\n' => quoted.push_str("\\n"),
                0x0b => quoted.push_str("\\v"),
                0x0c => quoted.push_str("\\f"),
                b'\r' => quoted.push_str("\\r"),
                b if plain(b) => quoted.push(char::from(b)),
                b => quoted.push_str(&format!("\\{b:03o}")),
            }
        }
        quoted.push('"');
        quoted
    };
    if out.contains(' ') {
        out.push('\t');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixing(rule: Rule, start: usize, end: usize, replacement: &str) -> Finding {
        let mut finding = Finding::new(rule, Span::new(start, end), String::new());
        finding.fix = Some(Edit {
            span: Span::new(start, end),
            replacement: replacement.to_owned(),
        });
        finding
    }

    #[test]
    fn edits_apply_in_order_and_keep_every_other_byte() {
        let text = b"We\xc3\xa2\xe2\x82\xac\xe2\x84\xa2re\r\n**Timeline**\r\n";
        let findings = [
            fixing(Rule::SectionNotHeading, 14, 26, "## Timeline"),
            fixing(Rule::Mojibake, 2, 10, "\u{2019}"),
        ];
        let fixed = apply(text, &findings, &[]).unwrap().unwrap();
        assert_eq!(
            String::from_utf8(fixed.bytes).unwrap(),
            "We\u{2019}re\r\n## Timeline\r\n"
        );
        assert_eq!(fixed.applied, [Rule::Mojibake, Rule::SectionNotHeading]);
    }

    #[test]
    fn overlapping_edits_wait_and_inner_ones_fold_into_their_outer_one() {
        let findings = [
            fixing(Rule::Mojibake, 0, 4, "x"),
            fixing(Rule::Mojibake, 2, 6, "y"),
            fixing(Rule::Mojibake, 4, 5, "z"),
        ];
        let fixed = apply(b"abcdefgh", &findings, &[]).unwrap().unwrap();
        assert_eq!(fixed.bytes, b"xzfgh");
        assert_eq!(fixed.applied.len(), 2);
        assert_eq!(fixed.map(Span::new(6, 8)), Span::new(3, 5));
        // A label with mojibake, made a heading: both fixes at once.
        let text = "**Caf\u{c3}\u{a9}**\n";
        let findings = [
            fixing(Rule::SectionNotHeading, 0, 11, "## Caf\u{c3}\u{a9}"),
            fixing(Rule::Mojibake, 5, 9, "\u{e9}"),
        ];
        let fixed = apply(text.as_bytes(), &findings, &[]).unwrap().unwrap();
        assert_eq!(fixed.bytes, "## Caf\u{e9}\n".as_bytes());
        assert_eq!(fixed.applied, [Rule::SectionNotHeading, Rule::Mojibake]);
    }

    #[test]
    fn text_an_earlier_round_wrote_is_not_edited_again() {
        let findings = [
            fixing(Rule::Mojibake, 2, 4, "x"),
            fixing(Rule::Mojibake, 6, 7, "y"),
        ];
        let fixed = apply(b"abcdefgh", &findings, &[Span::new(4, 5)])
            .unwrap()
            .unwrap();
        assert_eq!(fixed.bytes, b"abcdefyh");
    }

    #[test]
    fn a_conflicted_file_or_one_not_utf8_is_never_edited() {
        let fix = fixing(Rule::Mojibake, 0, 1, "x");
        let marker = Finding::new(Rule::ConflictMarker, Span::new(2, 3), String::new());
        assert_eq!(
            apply(b"ab<<<", &[fix.clone(), marker], &[]),
            Err(NotFixed::Conflicted)
        );
        let mut on_a_side = fix.clone();
        on_a_side.side = Some(crate::conflict::Side::Ours);
        assert_eq!(apply(b"ab", &[on_a_side], &[]), Err(NotFixed::Conflicted));
        assert_eq!(apply(b"a\xe9", &[fix], &[]), Err(NotFixed::NotUtf8));
        let plain = Finding::new(Rule::Mojibake, Span::new(0, 1), String::new());
        assert_eq!(apply(b"a\xe9", &[plain], &[]), Ok(None));
    }

    #[test]
    fn diff_headers_are_quoted_as_git_quotes_them() {
        assert_eq!(header_name("a/", b"docs/x.md"), "a/docs/x.md");
        assert_eq!(header_name("a/", b"sp ace/x.md"), "a/sp ace/x.md\t");
        assert_eq!(header_name("b/", b"t\tab\".md"), "\"b/t\\tab\\\".md\"");
        assert_eq!(
            header_name("b/", b"\x7f\xff \\.md"),
            "\"b/\\177\\377 \\\\.md\"\t"
        );
    }

    #[test]
    fn the_diff_names_both_sides_and_says_a_missing_final_newline() {
        let diff = unified_diff(b"docs/a.md", b"one\ntwo", b"one\n2");
        assert_eq!(
            diff,
            "--- a/docs/a.md\n+++ b/docs/a.md\n@@ -1,2 +1,2 @@\n one\n-two\n\\ No newline at end \
             of file\n+2\n\\ No newline at end of file\n"
        );
    }
}
