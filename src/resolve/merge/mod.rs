//! A precise line merge of one conflict's three versions (ours, base, theirs), for `auto`, the
//! merge driver and the interactive resolver: each rule below settles a kind of region a person
//! settles without thinking, and anything else is left in conflict. Pure: texts in, a text and
//! the rules that settled it out.
//!
//! Git conflicts whenever both sides' changes touch, even on neighbouring lines. Inside the
//! block these rules look closer, at lines, and at list items and table rows as units:
//! - [`Rule::SameChange`]: both sides made the same change (inserted the same lines at the same
//!   place, say): kept once.
//! - [`Rule::SortedInsertions`]: both sides added different items at the same place of a list or
//!   table whose items are sorted: all are kept, in that order. Never when an item of one side is
//!   an entry of the other's worded again (the same link target or the same text), nor when the
//!   list around them is not sorted (then the order is a person's choice).
//! - [`Rule::ItemEdits`]: the sides changed different items of a list or table (neighbouring ones
//!   included): both changes are kept, when every changed line is an item, an edited item stays
//!   the same entry, the merge lists no entry twice and is no less sorted than either side.
//! - [`Rule::ContainedChange`]: one side's changes are all part of the other's (both fixed a
//!   line, one also fixed the next): the other side, unless its further changes delete text.
//!
//! Measured on real Markdown merges (see the README), changes of prose on both sides, lines that
//! only one side changed beyond whitespace, and both sides adding next to each other are not
//! settled well enough by any rule: they are left.

mod items;

use similar::{capture_diff_slices, Algorithm, DiffOp};

use items::{blank, descents, item_kind, link_target, same_entry, sort_key, sorted_insertions};

/// A rule that settled part of a region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Both sides made the same change: kept once.
    SameChange,
    /// Both sides added items at the same place of a sorted list or table: all kept, sorted.
    SortedInsertions,
    /// The sides changed different items of a list or table: both changes kept.
    ItemEdits,
    /// One side's changes are all part of the other's: the other side.
    ContainedChange,
}

impl Rule {
    /// Its name in machine-readable output and `--verbose`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Rule::SameChange => "same-change",
            Rule::SortedInsertions => "sorted-insertions",
            Rule::ItemEdits => "item-edits",
            Rule::ContainedChange => "contained-change",
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
#[derive(Clone, Debug, PartialEq, Eq)]
struct Change<'a> {
    start: usize,
    end: usize,
    lines: Vec<&'a str>,
}

impl Change<'_> {
    fn is_insertion(&self) -> bool {
        self.start == self.end
    }

    /// Whether it brings lines with text that take no base line's place.
    fn adds_text(&self, base: &[&str]) -> bool {
        let new = self.lines.iter().filter(|l| !blank(l)).count();
        let old = base[self.start..self.end]
            .iter()
            .filter(|l| !blank(l))
            .count();
        new > old
    }
}

/// The file's lines around a region: a list a [`Rule::SortedInsertions`] checks goes on there.
#[derive(Clone, Copy, Debug, Default)]
pub struct Around<'a> {
    /// The lines just before the region, in file order (nearest last).
    pub before: &'a [&'a str],
    /// The lines just after it, in file order (nearest first).
    pub after: &'a [&'a str],
}

/// Merge one region, `around` it the file's lines. `None` when no rule settles it all: some
/// change of one side meets a change of the other that no rule settles, or only one side changed
/// anything (then Git's own rules, or none, apply).
#[must_use]
pub fn merge_region(base: &str, ours: &str, theirs: &str, around: Around<'_>) -> Option<Merged> {
    let (base, ours, theirs) = (lines(base), lines(ours), lines(theirs));
    if [&base, &ours, &theirs]
        .iter()
        .any(|lines| lines.last().is_some_and(|l| !l.ends_with('\n')))
    {
        return None; // a region that ends the file without a newline: leave it to Git's rules
    }
    let mine = changes(&base, &ours);
    let others = changes(&base, &theirs);
    if mine.is_empty() || others.is_empty() {
        return None;
    }
    let merged = contained(&base, &mine, &others, &theirs)
        .or_else(|| contained(&base, &others, &mine, &ours))
        .map(|lines| (lines, vec![Rule::ContainedChange]))
        .or_else(|| line_merge(&base, &ours, &theirs, &mine, &others, around))?;
    let (lines, mut rules) = merged;
    if adds_a_duplicate_entry(&base, &ours, &theirs, &lines)
        || adds_an_entry_listed_around(&mine, &others, around)
    {
        return None;
    }
    rules.sort_unstable();
    rules.dedup();
    Some(Merged {
        text: lines.concat(),
        rules,
    })
}

/// `bigger`'s lines when every change of `smaller` is part of one of `bigger`'s (its base lines
/// inside the other's, its new lines among the other's in order) and `bigger`'s further changes
/// take out no line with text (put fewer back than they took).
fn contained<'a>(
    base: &[&str],
    smaller: &[Change<'_>],
    bigger: &[Change<'_>],
    bigger_lines: &[&'a str],
) -> Option<Vec<&'a str>> {
    // A deletion is part only of a deletion: deleting a line the other side edited is a
    // conflict of its own (delete/modify).
    let inside = |c: &Change<'_>, d: &Change<'_>| {
        let deletion = |x: &Change<'_>| x.lines.is_empty() && !x.is_insertion();
        d.start <= c.start
            && c.end <= d.end
            && subsequence(&c.lines, &d.lines)
            && (!deletion(c) || deletion(d))
    };
    let all_inside = smaller.iter().all(|c| bigger.iter().any(|d| inside(c, d)));
    // Lines with text the bigger side took out beyond the smaller's changes, with fewer put back.
    let deletes_more = bigger.iter().any(|d| {
        let uncovered = (d.start..d.end)
            .filter(|&i| !blank(base[i]) && !smaller.iter().any(|c| c.start <= i && i < c.end))
            .count();
        let old = base[d.start..d.end].iter().filter(|l| !blank(l)).count();
        let new = d.lines.iter().filter(|l| !blank(l)).count();
        uncovered > 0 && new < old
    });
    (all_inside && !deletes_more && smaller != bigger).then(|| bigger_lines.to_vec())
}

/// Whether `short` is `long` with some lines left out.
fn subsequence(short: &[&str], long: &[&str]) -> bool {
    let mut rest = long.iter();
    short.iter().all(|s| rest.any(|l| l == s))
}

/// Both sides' changes applied to the base, where none meets another but by a rule; the sides'
/// changes to different lines only when [`items_are_clear`] says so.
fn line_merge<'a>(
    base: &[&'a str],
    ours: &[&'a str],
    theirs: &[&'a str],
    mine: &[Change<'a>],
    others: &[Change<'a>],
    around: Around<'_>,
) -> Option<(Vec<&'a str>, Vec<Rule>)> {
    let mut all: Vec<(&Change<'a>, bool)> = mine
        .iter()
        .map(|c| (c, true))
        .chain(others.iter().map(|c| (c, false)))
        .collect();
    all.sort_by_key(|(c, ours)| (c.start, c.end, !*ours));
    let mut out: Vec<&'a str> = Vec::new();
    let mut rules = Vec::new();
    let mut edited = (false, false);
    let (mut at, mut i) = (0, 0);
    while i < all.len() {
        let (change, side) = all[i];
        if change.start < at {
            return None; // overlaps what was just settled
        }
        out.extend_from_slice(&base[at..change.start]);
        match all.get(i + 1) {
            Some((next, _)) if meets(change, next) => {
                if change == *next {
                    out.extend_from_slice(&change.lines);
                    rules.push(Rule::SameChange);
                } else if change.is_insertion() && next.is_insertion() {
                    let before: Vec<&str> = around.before.iter().chain(&out).copied().collect();
                    let after: Vec<&str> = base[change.end..]
                        .iter()
                        .chain(around.after)
                        .copied()
                        .collect();
                    out.extend(sorted_insertions(
                        &change.lines,
                        &next.lines,
                        &before,
                        &after,
                    )?);
                    rules.push(Rule::SortedInsertions);
                } else {
                    return None;
                }
                at = change.end.max(next.end);
                i += 2;
            }
            _ => {
                out.extend_from_slice(&change.lines);
                if side {
                    edited.0 = true;
                } else {
                    edited.1 = true;
                }
                at = change.end;
                i += 1;
            }
        }
    }
    out.extend_from_slice(&base[at..]);
    if edited.0 && edited.1 {
        if !items_are_clear(base, &all, ours, theirs, &out) {
            return None;
        }
        rules.push(Rule::ItemEdits);
    }
    Some((out, rules))
}

/// Whether keeping both sides' changes to different lines is what a person does without a second
/// look: every changed line is a list item or table row (or blank), an edited item stays the same
/// entry, no run of lines is rewritten ([`SWEEP`]), changes of both sides that touch do not both
/// add text (their order would be a choice), and the merge lists no entry more often, nor is it
/// less sorted, than either side.
fn items_are_clear(
    base: &[&str],
    all: &[(&Change<'_>, bool)],
    ours: &[&str],
    theirs: &[&str],
    merged: &[&str],
) -> bool {
    let items_only = all.iter().all(|(c, _)| {
        base[c.start..c.end]
            .iter()
            .chain(&c.lines)
            .all(|l| blank(l) || item_kind(l).is_some())
    });
    // An edited item stays the same entry at the same place in the outline; an entry deleted
    // next to the other side's changes is for a person to confirm.
    let same_entries = all.iter().all(|(c, _)| {
        let old = &base[c.start..c.end];
        let kept = |a: &&str, b: &&str| same_entry(a, b) && item_kind(a) == item_kind(b);
        old.is_empty()
            || (old.len() == c.lines.len()
                && old.len() < SWEEP
                && old.iter().zip(&c.lines).all(|(a, b)| kept(a, b)))
            || old.iter().all(|l| blank(l))
    });
    let crowded = all.iter().any(|(a, a_ours)| {
        all.iter().any(|(b, b_ours)| {
            a_ours != b_ours && a.end == b.start && a.adds_text(base) && b.adds_text(base)
        })
    });
    let counts = |lines: &[&str]| {
        let mut counts = std::collections::HashMap::new();
        for line in lines.iter().filter(|l| item_kind(l).is_some()) {
            *counts.entry(sort_key(line)).or_insert(0usize) += 1;
        }
        counts
    };
    let (o, t) = (counts(ours), counts(theirs));
    let twice = counts(merged).into_iter().any(|(key, n)| {
        n > o
            .get(&key)
            .copied()
            .unwrap_or(0)
            .max(t.get(&key).copied().unwrap_or(0))
    });
    let less_sorted = descents(merged) > descents(ours).max(descents(theirs));
    items_only && same_entries && !crowded && !twice && !less_sorted
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

/// Whether a side added an item whose link target the list around the region already holds: the
/// same entry twice, or moved, which is for a person to sort out. (Titles repeat in real lists,
/// the same book in two editions say; targets do not.)
fn adds_an_entry_listed_around(
    mine: &[Change<'_>],
    others: &[Change<'_>],
    around: Around<'_>,
) -> bool {
    let list = |lines: &mut dyn Iterator<Item = &&str>| -> Vec<String> {
        lines
            .take_while(|l| item_kind(l).is_some())
            .map(|l| (*l).to_owned())
            .collect()
    };
    let mut listed = list(&mut around.before.iter().rev());
    listed.extend(list(&mut around.after.iter()));
    mine.iter()
        .chain(others)
        .flat_map(|c| &c.lines)
        .filter(|l| item_kind(l).is_some())
        .filter_map(|l| link_target(l))
        .any(|target| listed.iter().any(|l| link_target(l) == Some(target)))
}

/// A text's lines, terminators included.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Whether two changes (sorted by start) touch the same base lines, or both insert at one place.
fn meets(a: &Change<'_>, b: &Change<'_>) -> bool {
    if a.is_insertion() && b.is_insertion() {
        return a.start == b.start;
    }
    // An insertion inside the other's replaced lines, or overlapping replacements.
    (a.start < b.end && b.start < a.end)
        || (b.is_insertion() && a.start < b.start && b.start < a.end)
        || (a.is_insertion() && b.start < a.start && a.start < b.end)
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
        merge_region(base, ours, theirs, Around::default()).map(|m| (m.text, m.rules))
    }

    #[test]
    fn neighbouring_item_edits_are_both_kept() {
        let base = "- [A](a) - old.\n- [B](b) - old.\n- [C](c)\n";
        let ours = "- [A](a) - new.\n- [B](b) - old.\n- [C](c)\n";
        let theirs = "- [A](a) - old.\n- [B](b) - new.\n- [C](c)\n";
        assert_eq!(
            merged(base, ours, theirs),
            Some((
                "- [A](a) - new.\n- [B](b) - new.\n- [C](c)\n".to_owned(),
                vec![Rule::ItemEdits]
            ))
        );
        // A table: one side edits a row, the other adds one further down.
        let base = "| a | 1 |\n| b | 2 |\n| d | 4 |\n";
        let ours = "| a | 1 |\n| b | 20 |\n| d | 4 |\n";
        let theirs = "| a | 1 |\n| b | 2 |\n| d | 4 |\n| e | 5 |\n";
        assert_eq!(
            merged(base, ours, theirs).map(|m| m.0),
            Some("| a | 1 |\n| b | 20 |\n| d | 4 |\n| e | 5 |\n".to_owned())
        );
    }

    #[test]
    fn item_edits_that_are_not_clear_are_left() {
        // An item replaced by another entry (other link, other text) next to the other side's
        // edit: the person may have meant one instead of the other.
        let base = "- [A](a)\n- [B](b)\n- [C](c)\n";
        let ours = "- [A](a) - more.\n- [B](b)\n- [C](c)\n";
        let theirs = "- [A](a)\n- [Q](q)\n- [C](c)\n";
        assert_eq!(merged(base, ours, theirs), None);
        // Both sides add next to each other (one after B, one replacing the blank after it).
        let base = "- [A](a)\n- [B](b)\n\n";
        let ours = "- [A](a)\n- [B](b)\n- [C](c)\n";
        let theirs = "- [A](a)\n- [B](b)\n- [D](d)\n\n";
        assert_eq!(merged(base, ours, theirs), None);
        // The merge would be less sorted than either side: ours renamed an entry past the one
        // theirs added after it.
        let base = "- [Apple](a)\n- [Mango](m)\n- [Zebra](z)\n";
        let ours = "- [Apple](a)\n- [Orange](m)\n- [Zebra](z)\n";
        let theirs = "- [Apple](a)\n- [Mango](m)\n- [Nectarine](n)\n- [Zebra](z)\n";
        assert_eq!(merged(base, ours, theirs), None);
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
        merge_region(base, ours, theirs, Around::default()).map(|m| m.text)
    }

    #[test]
    fn items_both_sides_add_to_a_sorted_list_are_kept_in_order() {
        let base = "- [Apple](https://a.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n";
        let ours = "- [Apple](https://a.example)\n- [Banana](https://b.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n";
        let theirs = "- [Apple](https://a.example)\n- [Cherry](https://c.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n";
        let out = merge_region(base, ours, theirs, Around::default()).expect("merged");
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
        let out = merge_region(base, "- a\n- b\n", "- a\n- c\n", around);
        assert_eq!(out.map(|m| m.text), Some("- a\n- b\n- c\n".to_owned()));
    }

    #[test]
    fn neighbouring_edits_of_prose_are_left() {
        assert_eq!(merged("a\nb\nc\n", "A\nb\nc\n", "a\nB\nc\n"), None);
    }

    #[test]
    fn a_change_contained_in_the_others_takes_the_other_side() {
        // Both fixed the first line; theirs also fixed the second.
        assert_eq!(
            merged("a\nb\nc\n", "A\nb\nc\n", "A\nB\nc\n"),
            Some(("A\nB\nc\n".to_owned(), vec![Rule::ContainedChange]))
        );
        // A line deleted on one side and edited on the other is not part of the edit.
        assert_eq!(merged("a\nb\n", "b\n", "A\nb\n"), None);
        // Ours added one item, theirs the same and another.
        assert_eq!(
            merged("- a\n", "- a\n- b\n", "- a\n- b\n- c\n").map(|m| m.0),
            Some("- a\n- b\n- c\n".to_owned())
        );
    }

    #[test]
    fn a_contained_change_whose_other_side_deletes_more_is_left() {
        // Theirs also deleted a line ours kept: that deletion is for a person to agree to.
        assert_eq!(merged("a\nb\nc\n", "A\nb\nc\n", "A\nc\n"), None);
        // Only one side changed anything beyond the other: Git's business, not a rule's.
        assert_eq!(merged("a\nb\n", "a\nb\n", "a\nB\n"), None);
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
