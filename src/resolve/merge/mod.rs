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

use items::{
    blank, delimiter_row, descents, item_kind, sort_key, sorted_insertions, sorted_sections,
    table_above, Links,
};

/// A rule that settled part of a region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Both sides made the same change: kept once.
    SameChange,
    /// Both sides added items at the same place of a sorted list or table: all kept, sorted.
    SortedInsertions,
    /// Both sides added sections at the same place of a document whose sections are sorted by
    /// their headings: all kept, sorted.
    SortedSections,
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
            Rule::SortedSections => "sorted-sections",
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
    let links = Links::new(
        [&base, &ours, &theirs]
            .into_iter()
            .flatten()
            .chain(around.before)
            .chain(around.after)
            .copied(),
    );
    let merged = contained(&base, &mine, &others, &theirs, around)
        .or_else(|| contained(&base, &others, &mine, &ours, around))
        .map(|lines| (lines, vec![Rule::ContainedChange]))
        .or_else(|| line_merge(&base, &ours, &theirs, &mine, &others, around, &links))?;
    let (lines, mut rules) = merged;
    if adds_a_duplicate_entry(&base, &ours, &theirs, &lines, &links)
        || adds_an_entry_already_listed(&base, &mine, &others, around, &links)
        || moves_a_line(&base, &mine)
        || moves_a_line(&base, &others)
        || holds_a_line_more_often(&ours, &theirs, &lines)
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
/// inside the other's, its new lines among the other's in order; lines edited one for one
/// compared where they stand), `bigger`'s further changes take out no line with text (put fewer
/// back than they took) and no blank line, and bring no line the file already holds around the
/// region (moved text).
fn contained<'a>(
    base: &[&str],
    smaller: &[Change<'_>],
    bigger: &[Change<'_>],
    bigger_lines: &[&'a str],
    around: Around<'_>,
) -> Option<Vec<&'a str>> {
    // A deletion is part only of a deletion: deleting a line the other side edited is a
    // conflict of its own (delete/modify).
    let inside = |c: &Change<'_>, d: &Change<'_>| {
        let deletion = |x: &Change<'_>| x.lines.is_empty() && !x.is_insertion();
        // Lines edited one for one on both sides are compared where they stand: ours' edit of
        // the second line is not theirs' edit of the first that happens to read the same.
        let one_for_one = |x: &Change<'_>| !x.is_insertion() && x.end - x.start == x.lines.len();
        let same_lines = || {
            if one_for_one(c) && one_for_one(d) {
                c.lines[..] == d.lines[c.start - d.start..c.end - d.start]
            } else if c.is_insertion() && !d.is_insertion() {
                // Lines put before or after the other's replaced lines are there only in the
                // same place: at the start of its new lines, or at their end.
                (c.start == d.start && d.lines.starts_with(&c.lines))
                    || (c.start == d.end && d.lines.ends_with(&c.lines))
            } else {
                subsequence(&c.lines, &d.lines)
            }
        };
        d.start <= c.start && c.end <= d.end && (!deletion(c) || deletion(d)) && same_lines()
    };
    // Each change of a side stands apart from the next (neighbouring ones are one), in order: the
    // one of the bigger's that can hold a change of the smaller starts last at or before it.
    let holder = |c: &Change<'_>| -> Option<usize> {
        let after = bigger.partition_point(|d| d.start <= c.start);
        (after.saturating_sub(2)..after)
            .rev()
            .find(|&i| inside(c, &bigger[i]))
    };
    let holders: Vec<Option<usize>> = smaller.iter().map(holder).collect();
    let all_inside = holders.iter().all(Option::is_some);
    // And one line of the bigger side stands for one line of the smaller only: the smaller's
    // changes inside one of the bigger's, their lines together, are among its lines in order.
    let mut inner: Vec<Vec<&str>> = vec![Vec::new(); bigger.len()];
    for (c, holder) in smaller.iter().zip(&holders) {
        if let Some(i) = holder {
            inner[*i].extend(c.lines.iter().copied());
        }
    }
    let one_to_one = all_inside
        && bigger
            .iter()
            .zip(&inner)
            .all(|(d, inner)| subsequence(inner, &d.lines));
    // Lines the bigger side took out beyond the smaller's changes, with fewer put back: lines with
    // text, or blank lines (a blank line is never edited, only taken out: it separates blocks).
    let deletes_more = bigger.iter().any(|d| {
        let uncovered = |keep: &dyn Fn(&str) -> bool| {
            (d.start..d.end)
                .filter(|&i| keep(base[i]) && !smaller.iter().any(|c| c.start <= i && i < c.end))
                .count()
        };
        let count =
            |lines: &[&str], keep: &dyn Fn(&str) -> bool| lines.iter().filter(|l| keep(l)).count();
        let text = |l: &str| !blank(l);
        let space = |l: &str| blank(l);
        (uncovered(&text) > 0 && count(&d.lines, &text) < count(&base[d.start..d.end], &text))
            || uncovered(&space) > count(&d.lines, &space)
    });
    // The bigger side's further lines already in the file around: text it moved, which the
    // other side may have moved (or kept) too.
    let moved = bigger.iter().flat_map(|d| &d.lines).any(|line| {
        !blank(line)
            && !smaller.iter().any(|c| c.lines.contains(line))
            && around.before.iter().chain(around.after).any(|l| l == line)
    });
    (all_inside && one_to_one && !deletes_more && !moved && smaller != bigger)
        .then(|| bigger_lines.to_vec())
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
    links: &Links,
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
                    if let Some(lines) =
                        sorted_insertions(&change.lines, &next.lines, &before, &after, links)
                    {
                        out.extend(lines);
                        rules.push(Rule::SortedInsertions);
                    } else {
                        out.extend(sorted_sections(
                            &change.lines,
                            &next.lines,
                            &before,
                            &after,
                        )?);
                        rules.push(Rule::SortedSections);
                    }
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
        if !items_are_clear(base, &all, (ours, theirs), &out, around, links) {
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
    (ours, theirs): (&[&str], &[&str]),
    merged: &[&str],
    around: Around<'_>,
    links: &Links,
) -> bool {
    let rows_in_a_table = rows_stand_in_tables(base, all, around);
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
        let kept = |a: &&str, b: &&str| links.same_entry(a, b) && item_kind(a) == item_kind(b);
        old.is_empty()
            || (old.len() == c.lines.len() && old.iter().zip(&c.lines).all(|(a, b)| kept(a, b)))
            || old.iter().all(|l| blank(l))
    });
    // A run of items rewritten one way (a link style, a name) on one side: the other side's new
    // items are kept as they are only when the rewrite has nothing to do in them.
    let rewrite_misses_new_items = all.iter().any(|(c, side)| {
        let old = &base[c.start..c.end];
        if old.len() < SWEEP || old.len() != c.lines.len() {
            return false;
        }
        let Some(rewrite) = items::Rewrite::of(old, &c.lines) else {
            return false;
        };
        all.iter()
            .filter(|(d, other)| other != side && d.start == d.end)
            .flat_map(|(d, _)| &d.lines)
            .any(|line| rewrite.would_change(line))
    });
    let mut starting_at: std::collections::HashMap<usize, Vec<(&Change<'_>, bool)>> =
        std::collections::HashMap::new();
    for (c, side) in all {
        starting_at.entry(c.start).or_default().push((c, *side));
    }
    let crowded = all.iter().any(|(a, a_ours)| {
        starting_at.get(&a.end).is_some_and(|next| {
            next.iter()
                .any(|(b, b_ours)| a_ours != b_ours && a.adds_text(base) && b.adds_text(base))
        })
    });
    let keys = |lines: &[&str]| {
        tally(
            lines
                .iter()
                .filter(|l| item_kind(l).is_some())
                .map(|l| sort_key(l)),
        )
    };
    let twice = more_often(&keys(merged), &[&keys(ours), &keys(theirs)]);
    let less_sorted = descents(merged) > descents(ours).max(descents(theirs));
    // A step added to or taken out of a numbered list moves the numbers after it.
    let steps_move = all.iter().any(|(c, _)| {
        let numbered = |l: &&&str| item_kind(l).is_some_and(|k| k.1 == '1');
        let old = base[c.start..c.end].iter().filter(numbered).count();
        let new = c.lines.iter().filter(numbered).count();
        old != new
    });
    items_only
        && rows_in_a_table
        && same_entries
        && !rewrite_misses_new_items
        && !crowded
        && !twice
        && !less_sorted
        && !steps_move
}

/// Whether every table row a change touches stands under a table's header (pipes in a paragraph
/// are prose), and no change writes a delimiter row.
fn rows_stand_in_tables(base: &[&str], all: &[(&Change<'_>, bool)], around: Around<'_>) -> bool {
    let row = |l: &&str| item_kind(l).is_some_and(|k| k.1 == '|');
    if !all
        .iter()
        .any(|(c, _)| base[c.start..c.end].iter().chain(&c.lines).any(row))
    {
        return true;
    }
    // Per base position, whether the rows just above it sit under a table's header: one pass.
    let mut under_header = Vec::with_capacity(base.len() + 1);
    under_header.push(table_above(around.before));
    for (i, line) in base.iter().enumerate() {
        let above = if row(line) {
            under_header[i] || delimiter_row(line)
        } else {
            false
        };
        under_header.push(above);
    }
    all.iter().all(|(c, _)| {
        let touches_rows = base[c.start..c.end].iter().chain(&c.lines).any(row);
        !touches_rows || (under_header[c.start] && !c.lines.iter().any(|l| delimiter_row(l)))
    })
}

/// A run of this many items rewritten the same way is a sweeping edit.
const SWEEP: usize = 3;

/// Whether the merge holds an entry (a link target) more often than base, ours and theirs do:
/// the same entry added or moved by both sides, worded differently.
fn adds_a_duplicate_entry(
    base: &[&str],
    ours: &[&str],
    theirs: &[&str],
    merged: &[&str],
    links: &Links,
) -> bool {
    let targets = |lines: &[&str]| tally(lines.iter().filter_map(|l| links.target(l)));
    more_often(
        &targets(merged),
        &[&targets(base), &targets(ours), &targets(theirs)],
    )
}

/// Whether a side wrote an item whose link target is already listed: in the list around the
/// region, or on a base line of the region the same change did not replace (an edited item keeps
/// its target). The same entry twice, or moved, is for a person to sort out. (Titles repeat in
/// real lists, the same book in two editions say; targets do not.)
fn adds_an_entry_already_listed(
    base: &[&str],
    mine: &[Change<'_>],
    others: &[Change<'_>],
    around: Around<'_>,
    links: &Links,
) -> bool {
    let list = |lines: &mut dyn Iterator<Item = &&str>| -> Vec<String> {
        lines
            .take_while(|l| item_kind(l).is_some())
            .filter_map(|l| links.target(l))
            .collect()
    };
    let mut around_list = list(&mut around.before.iter().rev());
    around_list.extend(list(&mut around.after.iter()));
    let targets = |lines: &[&str]| -> Vec<String> {
        lines
            .iter()
            .filter(|l| item_kind(l).is_some())
            .filter_map(|l| links.target(l))
            .collect()
    };
    let around_list: std::collections::HashSet<String> = around_list.into_iter().collect();
    let in_base = tally(targets(base));
    mine.iter().chain(others).any(|c| {
        let replaced = targets(&base[c.start..c.end]);
        targets(&c.lines).into_iter().any(|t| {
            // Listed elsewhere in the base: more often than on the lines the change replaced.
            let elsewhere = in_base.get(&t).copied().unwrap_or(0)
                > replaced.iter().filter(|r| **r == t).count();
            around_list.contains(&t) || (!replaced.contains(&t) && elsewhere)
        })
    })
}

/// Whether a side moved a line: it writes, in one place, a line (not blank) that the base holds
/// in another (a move, or a copy; a table's delimiter row or a `***` break too): a person follows
/// moves, a line merge does not.
fn moves_a_line(base: &[&str], side: &[Change<'_>]) -> bool {
    let in_base: std::collections::HashSet<&str> = base.iter().copied().collect();
    side.iter().any(|c| {
        let replaced = &base[c.start..c.end];
        c.lines
            .iter()
            .any(|line| !blank(line) && !replaced.contains(line) && in_base.contains(line))
    })
}

/// Whether the merge holds a line (not blank) more often than either side does: the same line
/// written twice (a line moved by both sides, say).
fn holds_a_line_more_often(ours: &[&str], theirs: &[&str], merged: &[&str]) -> bool {
    fn lines<'a>(lines: &[&'a str]) -> std::collections::HashMap<&'a str, usize> {
        tally(lines.iter().copied().filter(|l| !blank(l)))
    }
    more_often(&lines(merged), &[&lines(ours), &lines(theirs)])
}

/// How many times each key comes.
fn tally<K: std::hash::Hash + Eq>(
    keys: impl IntoIterator<Item = K>,
) -> std::collections::HashMap<K, usize> {
    let mut counts = std::collections::HashMap::new();
    for key in keys {
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

/// Whether `merged` holds some key more often than any of `versions` does.
fn more_often<K: std::hash::Hash + Eq>(
    merged: &std::collections::HashMap<K, usize>,
    versions: &[&std::collections::HashMap<K, usize>],
) -> bool {
    merged.iter().any(|(key, n)| {
        *n > versions
            .iter()
            .map(|v| v.get(key).copied().unwrap_or(0))
            .max()
            .unwrap_or(0)
    })
}

/// Whether `line` is a one-line list item or table row: what the lines around a region are
/// followed through, to the ends of the list they are in.
#[must_use]
pub fn is_item(line: &str) -> bool {
    item_kind(line).is_some()
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
mod tests;
