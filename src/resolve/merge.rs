//! A precise line merge of one conflict's three versions (ours, base, theirs), for `auto`: each
//! rule below settles a kind of region a person settles without thinking, and anything else is
//! left in conflict. Pure: texts in, a text and the rules that settled it out.
//!
//! Git conflicts whenever both sides' changes touch, even on neighbouring lines; inside the block
//! these rules look closer:
//! - [`Rule::DisjointEdits`]: the sides changed different lines (neighbouring ones included):
//!   both changes are kept.
//! - [`Rule::SameInsertion`]: both sides added the same lines at the same place: kept once.
//! - [`Rule::SortedInsertions`]: both sides added different items at the same place of a list or
//!   table whose items are sorted: all are kept, in that order. Never when an item of one side
//!   has the link target or the text of an item of the other (the same entry, worded twice), nor
//!   when the list around them is not sorted (then the order is a person's choice).

use similar::{capture_diff_slices, Algorithm, DiffOp};

/// A rule that settled part of a region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The sides changed different lines: both changes kept.
    DisjointEdits,
    /// Both sides added the same lines at the same place: kept once.
    SameInsertion,
    /// Both sides added items at the same place of a sorted list or table: all kept, sorted.
    SortedInsertions,
}

impl Rule {
    /// Its name in machine-readable output and `--verbose`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Rule::DisjointEdits => "disjoint-edits",
            Rule::SameInsertion => "same-insertion",
            Rule::SortedInsertions => "sorted-insertions",
        }
    }
}

/// The merged text and the rules that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// The region's new text.
    pub text: String,
    /// The rules that settled its parts, in order, each once.
    pub rules: Vec<Rule>,
}

/// One side's change to the base: base lines `start..end` replaced by `lines`.
#[derive(Clone, Debug)]
struct Change<'a> {
    start: usize,
    end: usize,
    lines: Vec<&'a str>,
}

/// The file's lines around a region: a list a [`Rule::SortedInsertions`] checks goes on there.
#[derive(Clone, Copy, Debug, Default)]
pub struct Around<'a> {
    /// The lines just before the region, in file order (nearest last).
    pub before: &'a [&'a str],
    /// The lines just after it, in file order (nearest first).
    pub after: &'a [&'a str],
}

/// Which rules may settle a region. Measured on 502 real Markdown merges, the insertion rules
/// alone were right 9 times and wrong 4 (mostly where the person also edited other lines), and
/// neighbouring edits right 20 times and wrong 29: not yet precise enough for `auto` to take
/// unseen, so only the interactive resolver offers the merge, where a person looks first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rules {
    /// [`Rule::SameInsertion`] and [`Rule::SortedInsertions`].
    Precise,
    /// Those and [`Rule::DisjointEdits`].
    All,
}

/// Merge one region, `around` it the file's lines. `None` when some change of one side meets a
/// change of the other that no rule (of `rules`) settles.
#[must_use]
pub fn merge_region(
    base: &str,
    ours: &str,
    theirs: &str,
    around: Around<'_>,
    rules_allowed: Rules,
) -> Option<Merged> {
    let (base, ours, theirs) = (lines(base), lines(ours), lines(theirs));
    if [&base, &ours, &theirs]
        .iter()
        .any(|lines| lines.last().is_some_and(|l| !l.ends_with('\n')))
    {
        return None; // a region that ends the file without a newline: leave it to Git's rules
    }
    let mine = changes(&base, &ours);
    let others = changes(&base, &theirs);
    let mut all: Vec<(Change<'_>, bool)> = mine
        .into_iter()
        .map(|c| (c, true))
        .chain(others.into_iter().map(|c| (c, false)))
        .collect();
    all.sort_by_key(|(c, ours)| (c.start, c.end, !*ours));
    let mut out: Vec<&str> = Vec::new();
    let mut rules = Vec::new();
    let mut at = 0;
    let mut i = 0;
    while i < all.len() {
        let (change, _) = &all[i];
        if change.start < at {
            return None; // overlaps what was just settled
        }
        out.extend_from_slice(&base[at..change.start]);
        match all.get(i + 1) {
            Some((next, _)) if meets(change, next) => {
                let after: Vec<&str> = base[next.end..]
                    .iter()
                    .chain(around.after)
                    .copied()
                    .collect();
                let before: Vec<&str> = around.before.iter().chain(&out).copied().collect();
                let lines = both_at_once(change, next, &before, &after)?;
                rules.push(lines.1);
                out.extend(lines.0);
                at = change.end.max(next.end);
                i += 2;
                // A third change meeting these two is more than a person settles at a glance.
                if all.get(i).is_some_and(|(c, _)| c.start < at) {
                    return None;
                }
            }
            _ => {
                out.extend_from_slice(&change.lines);
                at = change.end;
                rules.push(Rule::DisjointEdits);
                i += 1;
            }
        }
    }
    out.extend_from_slice(&base[at..]);
    let both_sides = all.iter().any(|(_, ours)| *ours) && all.iter().any(|(_, ours)| !*ours);
    if both_sides && !disjoint_is_clear(&all) {
        return None;
    }
    if both_sides && rules_allowed == Rules::Precise && rules.contains(&Rule::DisjointEdits) {
        return None;
    }
    if adds_a_duplicate_entry(&base, &ours, &theirs, &out) {
        return None;
    }
    rules.sort_unstable();
    rules.dedup();
    // Changes on one side only are Git's own merge, not a rule of ours.
    if all.iter().all(|(_, ours)| *ours) || all.iter().all(|(_, ours)| !*ours) {
        rules.retain(|r| *r != Rule::DisjointEdits);
    }
    Some(Merged {
        text: out.concat(),
        rules,
    })
}

/// Whether keeping both sides' changes is what a person would do without a second look. Not
/// when one side rewrote a run of lines (a sweeping edit the other side's new lines may need
/// too), nor when changes of both sides that touch each add lines (their order is a choice).
fn disjoint_is_clear(all: &[(Change<'_>, bool)]) -> bool {
    let sweeping = |c: &Change<'_>| c.end - c.start >= SWEEP && !c.lines.is_empty();
    let grows = |c: &Change<'_>| c.lines.len() > c.end - c.start;
    let side_sweeps = |ours: bool| all.iter().any(|(c, o)| *o == ours && sweeping(c));
    if side_sweeps(true) || side_sweeps(false) {
        return false;
    }
    // Both sides added lines in one region (not at one place a rule settled): where each side's
    // new lines go relative to the other's is a choice.
    let side_grows = |ours: bool| {
        all.iter().any(|(c, o)| {
            *o == ours && grows(c) && !all.iter().any(|(d, p)| *p != ours && meets(c, d))
        })
    };
    if side_grows(true) && side_grows(false) {
        return false;
    }
    all.iter().all(|(a, a_ours)| {
        all.iter().all(|(b, b_ours)| {
            let touch = a.end == b.start || b.end == a.start;
            // Two insertions at one place met, and a rule settled them (or nothing would).
            let met = meets(a, b);
            a_ours == b_ours || met || !touch || !(grows(a) && grows(b))
        })
    })
}

/// A run of this many replaced lines is a sweeping edit.
const SWEEP: usize = 3;

/// Whether the merge holds an entry (a link target) more often than base, ours and theirs do:
/// the same entry added or moved by both sides, worded differently.
fn adds_a_duplicate_entry(base: &[&str], ours: &[&str], theirs: &[&str], merged: &[&str]) -> bool {
    let count = |lines: &[&str]| {
        let mut counts = std::collections::HashMap::new();
        for target in lines.iter().filter_map(|l| link_target(l)) {
            *counts.entry(target.to_owned()).or_insert(0usize) += 1;
        }
        counts
    };
    let (b, o, t) = (count(base), count(ours), count(theirs));
    count(merged).into_iter().any(|(target, n)| {
        let most = [&b, &o, &t]
            .iter()
            .map(|c| c.get(&target).copied().unwrap_or(0))
            .max()
            .unwrap_or(0);
        n > most
    })
}

/// A text's lines, terminators included.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Whether two changes (sorted by start) touch the same base lines, or both insert at one place.
fn meets(a: &Change<'_>, b: &Change<'_>) -> bool {
    let insertion = |c: &Change<'_>| c.start == c.end;
    if insertion(a) && insertion(b) {
        return a.start == b.start;
    }
    // An insertion inside the other's replaced lines, or overlapping replacements.
    (a.start < b.end && b.start < a.end)
        || (insertion(b) && a.start < b.start && b.start < a.end)
        || (insertion(a) && b.start < a.start && a.start < b.end)
}

/// Two changes that meet: settled only when both are insertions at the same place, the same
/// lines (kept once) or items of a sorted list (kept in order).
fn both_at_once<'a>(
    a: &Change<'a>,
    b: &Change<'a>,
    before: &[&'a str],
    after: &[&'a str],
) -> Option<(Vec<&'a str>, Rule)> {
    if a.start != a.end || b.start != b.end {
        return None;
    }
    if a.lines == b.lines {
        return Some((a.lines.clone(), Rule::SameInsertion));
    }
    sorted_insertions(&a.lines, &b.lines, before, after)
        .map(|lines| (lines, Rule::SortedInsertions))
}

/// Both sides' items, in the list's order, when the whole list around them is sorted and no item
/// of one side is the other's worded twice.
fn sorted_insertions<'a>(
    ours: &[&'a str],
    theirs: &[&'a str],
    before: &[&'a str],
    after: &[&'a str],
) -> Option<Vec<&'a str>> {
    let kind = item_kind(ours.first()?)?;
    let of_kind = |l: &&str| item_kind(l) == Some(kind);
    if !ours.iter().all(of_kind) || !theirs.iter().all(of_kind) {
        return None;
    }
    // The list around them, as far as it goes: its order is the list's, not a guess from two
    // neighbours (at least two items on each side... or one and the list's edge).
    let previous: Vec<&str> = before
        .iter()
        .rev()
        .take_while(|l| of_kind(l))
        .copied()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let next: Vec<&str> = after.iter().take_while(|l| of_kind(l)).copied().collect();
    if previous.is_empty() || next.is_empty() || previous.len() + next.len() < MIN_LIST {
        return None;
    }
    for o in ours {
        for t in theirs {
            let same_target = link_target(o).is_some() && link_target(o) == link_target(t);
            if o == t || same_target || sort_key(o) == sort_key(t) {
                return None;
            }
        }
    }
    let mut merged: Vec<&str> = ours.iter().chain(theirs).copied().collect();
    merged.sort_by_key(|l| sort_key(l));
    let list: Vec<&str> = previous
        .iter()
        .chain(&merged)
        .chain(&next)
        .copied()
        .collect();
    let keys: Vec<String> = list.iter().map(|l| sort_key(l)).collect();
    let sorted = keys.windows(2).all(|w| w[0] < w[1]);
    // Each side's own items kept their order.
    let kept_order = |side: &[&str]| {
        let positions: Vec<usize> = side
            .iter()
            .filter_map(|l| merged.iter().position(|m| m == l))
            .collect();
        positions.windows(2).all(|w| w[0] < w[1])
    };
    (sorted && kept_order(ours) && kept_order(theirs)).then_some(merged)
}

/// A list shorter than this (around the new items) says little about its order.
const MIN_LIST: usize = 3;

/// What kind of single-line list item or table row a line is: its indent and bullet (`- `,
/// `* `, `+ `, or a number followed by `.`/`)`), or a table row (`|`).
fn item_kind(line: &str) -> Option<(usize, char)> {
    let body = line.trim_end_matches(['\n', '\r']);
    let indent = body.len() - body.trim_start().len();
    let rest = body.trim_start();
    let mut chars = rest.chars();
    match chars.next()? {
        c @ ('-' | '*' | '+') if chars.next() == Some(' ') => Some((indent, c)),
        '|' if rest.trim_end().ends_with('|') && rest.len() > 1 => Some((indent, '|')),
        d if d.is_ascii_digit() => {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            let after = &rest[digits..];
            (after.starts_with(". ") || after.starts_with(") ")).then_some((indent, '1'))
        }
        _ => None,
    }
}

/// What a list is sorted by: the item's visible text, without its bullet, link syntax, case or
/// punctuation.
fn sort_key(line: &str) -> String {
    let body = line.trim();
    let body = body
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['-', '*', '+', '.', ')', '|'])
        .trim_start();
    // The text of a leading link (`[Name](url)`), else the line.
    let text = body
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']').map(|(name, _)| name))
        .unwrap_or(body);
    text.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The target of the first link on the line (`[text](target)`), without a trailing slash.
fn link_target(line: &str) -> Option<&str> {
    let start = line.find("](")? + 2;
    let end = line[start..].find(')')? + start;
    Some(line[start..end].trim().trim_end_matches('/'))
}

/// One side's changes to the base, as replaced line ranges.
fn changes<'a>(base: &[&'a str], side: &[&'a str]) -> Vec<Change<'a>> {
    let mut list: Vec<Change<'a>> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, base, side) {
        let (start, end, lines) = match op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index, old_index + old_len, Vec::new()),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (
                old_index,
                old_index,
                side[new_index..new_index + new_len].to_vec(),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index,
                old_index + old_len,
                side[new_index..new_index + new_len].to_vec(),
            ),
        };
        // Neighbouring operations are one change (a delete then an insert at the same place).
        match list.last_mut() {
            Some(last) if last.end == start => {
                last.end = end;
                last.lines.extend(lines);
            }
            _ => list.push(Change { start, end, lines }),
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(base: &str, ours: &str, theirs: &str) -> Option<(String, Vec<Rule>)> {
        merge_region(base, ours, theirs, Around::default(), Rules::All).map(|m| (m.text, m.rules))
    }

    #[test]
    fn neighbouring_edits_are_both_kept() {
        assert_eq!(
            merged("a\nb\nc\n", "A\nb\nc\n", "a\nB\nc\n"),
            Some(("A\nB\nc\n".to_owned(), vec![Rule::DisjointEdits]))
        );
        // One side replaces a line with two, the other edits the next one.
        assert_eq!(
            merged("a\nb\n", "a1\na2\nb\n", "a\nB\n"),
            Some(("a1\na2\nB\n".to_owned(), vec![Rule::DisjointEdits]))
        );
    }

    #[test]
    fn the_same_line_edited_twice_is_left() {
        assert_eq!(merged("a\nb\n", "x\nb\n", "y\nb\n"), None);
        // An insertion between lines the other side replaced.
        assert_eq!(
            merged("a\nb\nc\nd\n", "a\nX\nd\n", "a\nb\nnew\nc\nd\n"),
            None
        );
    }

    #[test]
    fn the_same_insertion_is_kept_once() {
        assert_eq!(
            merged("a\nc\n", "a\nb\nc\n", "a\nb\nc\n").map(|m| m.0),
            Some("a\nb\nc\n".to_owned())
        );
    }

    fn list(base: &str, ours: &str, theirs: &str) -> Option<String> {
        merge_region(base, ours, theirs, Around::default(), Rules::All).map(|m| m.text)
    }

    #[test]
    fn items_both_sides_add_to_a_sorted_list_are_kept_in_order() {
        let base = "- [Apple](https://a.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n";
        let ours = "- [Apple](https://a.example)\n- [Banana](https://b.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n";
        let theirs = "- [Apple](https://a.example)\n- [Cherry](https://c.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n";
        let out =
            merge_region(base, ours, theirs, Around::default(), Rules::Precise).expect("merged");
        assert_eq!(
            out.text,
            "- [Apple](https://a.example)\n- [Banana](https://b.example)\n- [Cherry](https://c.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n"
        );
        assert_eq!(out.rules, vec![Rule::SortedInsertions]);
        // Table rows too.
        let base = "| a | 1 |\n| d | 4 |\n| e | 5 |\n";
        let ours = "| a | 1 |\n| c | 3 |\n| d | 4 |\n| e | 5 |\n";
        let theirs = "| a | 1 |\n| b | 2 |\n| d | 4 |\n| e | 5 |\n";
        assert_eq!(
            list(base, ours, theirs),
            Some("| a | 1 |\n| b | 2 |\n| c | 3 |\n| d | 4 |\n| e | 5 |\n".to_owned())
        );
    }

    #[test]
    fn items_added_to_an_unsorted_list_are_left() {
        let base = "- Zebra\n- Apple\n- Mango\n";
        assert_eq!(
            list(
                base,
                "- Zebra\n- Kiwi\n- Apple\n- Mango\n",
                "- Zebra\n- Fig\n- Apple\n- Mango\n"
            ),
            None
        );
        // Sorted next to the new items, but not further out: the list is not sorted.
        let base = "- q\n- a\n- z\n";
        assert_eq!(
            list(base, "- q\n- a\n- c\n- z\n", "- q\n- a\n- k\n- z\n"),
            None
        );
        // Sorted around them, but one side's items out of order.
        let base = "- a\n- y\n- z\n";
        assert_eq!(
            list(base, "- a\n- m\n- c\n- y\n- z\n", "- a\n- k\n- y\n- z\n"),
            None
        );
    }

    #[test]
    fn an_entry_worded_twice_is_left() {
        let base = "- [A](https://a.example)\n- [Y](https://y.example)\n- [Z](https://z.example)\n";
        let ours = "- [A](https://a.example)\n- [Mango](https://m.example) - fruit.\n- [Y](https://y.example)\n- [Z](https://z.example)\n";
        let theirs = "- [A](https://a.example)\n- [Mango!](https://m.example/) - a fruit.\n- [Y](https://y.example)\n- [Z](https://z.example)\n";
        assert_eq!(list(base, ours, theirs), None, "same link target");
        let theirs = "- [A](https://a.example)\n- [Mango](https://other.example)\n- [Y](https://y.example)\n- [Z](https://z.example)\n";
        assert_eq!(list(base, ours, theirs), None, "same text, other link");
    }

    #[test]
    fn items_at_the_edge_of_a_list_need_the_list_around_them() {
        // Nothing after the insertion point: no list to tell the order by.
        let base = "- a\n";
        assert_eq!(list(base, "- a\n- b\n", "- a\n- c\n"), None);
        // With the list going on after the region (the file's lines), it is sorted.
        let after = ["- d\n", "- e\n", "not an item\n"];
        let around = Around {
            before: &[],
            after: &after,
        };
        let out = merge_region(base, "- a\n- b\n", "- a\n- c\n", around, Rules::Precise);
        assert_eq!(out.map(|m| m.text), Some("- a\n- b\n- c\n".to_owned()));
    }

    #[test]
    fn precise_rules_leave_neighbouring_edits_to_a_person() {
        assert_eq!(
            merge_region(
                "a\nb\nc\n",
                "A\nb\nc\n",
                "a\nB\nc\n",
                Around::default(),
                Rules::Precise
            ),
            None
        );
    }

    #[test]
    fn a_sweeping_edit_on_one_side_is_not_merged_with_the_others_lines() {
        // Theirs rewrote every line (a link style, say); ours added one: the new line may need
        // the rewrite too.
        let base = "- [a](x)\n- [b](y)\n- [c](z)\n";
        let theirs = "- [a](x#r)\n- [b](y#r)\n- [c](z#r)\n";
        let ours = "- [a](x)\n- [b](y)\n- [c](z)\n- [d](w)\n";
        assert_eq!(merged(base, ours, theirs), None);
    }

    #[test]
    fn a_merge_that_would_list_an_entry_twice_is_left() {
        // Ours moved an entry down, theirs reworded it where it was.
        let base = "- [M](m)\nx\ny\n";
        let ours = "x\ny\n- [M](m)\n";
        let theirs = "- [M](m) - reworded\nx\ny\n";
        assert_eq!(merged(base, ours, theirs), None);
    }

    #[test]
    fn prose_inserted_by_both_is_left() {
        assert_eq!(
            list("a\nz\n", "a\nours said\nz\n", "a\ntheirs said\nz\n"),
            None
        );
    }
}
