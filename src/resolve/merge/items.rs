//! List items, table rows and sections as units of a merge: what kind of item a line is, what a
//! sorted list is sorted by, an item's link, whether two lines are the same entry, a heading's
//! level. Pure.

/// What kind of single-line list item or table row a line is: its indent and bullet (`- `,
/// `* `, `+ `, or a number followed by `.`/`)`), or a table row (`|`).
pub(super) fn item_kind(line: &str) -> Option<(usize, char)> {
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

/// What a list is sorted by: the item's visible text (a table row's first cell), without its
/// bullet, link syntax, case or punctuation.
pub(super) fn sort_key(line: &str) -> String {
    let body = line.trim();
    let body = match body.strip_prefix('|') {
        Some(row) => row.split('|').next().unwrap_or(row),
        None => body,
    };
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
pub(super) fn link_target(line: &str) -> Option<&str> {
    let start = line.find("](")? + 2;
    let end = line[start..].find(')')? + start;
    Some(line[start..end].trim().trim_end_matches('/'))
}

/// Whether two item lines are the same entry: the same link target, or the same text.
pub(super) fn same_entry(a: &str, b: &str) -> bool {
    let target = link_target(a);
    (target.is_some() && target == link_target(b)) || sort_key(a) == sort_key(b)
}

/// How many times the items of `lines` step back in the order of their sort keys.
pub(super) fn descents(lines: &[&str]) -> usize {
    let keys: Vec<String> = lines
        .iter()
        .filter(|l| item_kind(l).is_some())
        .map(|l| sort_key(l))
        .collect();
    keys.windows(2).filter(|w| w[0] > w[1]).count()
}

/// Whether `line` is blank (spaces and the line ending at most).
pub(super) fn blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Both sides' new items, in the list's order, when the list around them (up to its ends) is
/// sorted, it has at least [`MIN_LIST`] items of its own, no item of one side is an entry of
/// the other's worded again, and each side's items keep their own order.
pub(super) fn sorted_insertions<'a>(
    ours: &[&'a str],
    theirs: &[&'a str],
    before: &[&str],
    after: &[&str],
) -> Option<Vec<&'a str>> {
    let kind = item_kind(ours.first()?)?;
    let of_kind = |l: &&str| item_kind(l) == Some(kind);
    if !ours.iter().all(of_kind) || !theirs.iter().all(of_kind) {
        return None;
    }
    let mut previous: Vec<&str> = before
        .iter()
        .rev()
        .take_while(|l| of_kind(l))
        .copied()
        .collect();
    previous.reverse();
    let next: Vec<&str> = after.iter().take_while(|l| of_kind(l)).copied().collect();
    if previous.len() + next.len() < MIN_LIST {
        return None;
    }
    if ours.iter().any(|o| theirs.iter().any(|t| same_entry(o, t))) {
        return None;
    }
    let mut merged: Vec<&str> = ours.iter().chain(theirs).copied().collect();
    merged.sort_by_cached_key(|l| sort_key(l));
    let list: Vec<&str> = previous
        .iter()
        .chain(&merged)
        .chain(&next)
        .copied()
        .collect();
    let kept_order = |side: &[&str]| {
        let positions: Vec<usize> = side
            .iter()
            .filter_map(|l| merged.iter().position(|m| m == l))
            .collect();
        positions.windows(2).all(|w| w[0] < w[1])
    };
    (descents(&list) == 0 && kept_order(ours) && kept_order(theirs)).then_some(merged)
}

/// A list with fewer items of its own than this (around the new ones) says little of its order.
const MIN_LIST: usize = 3;

/// The level of an ATX heading line (`## Title` is 2).
pub(super) fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let after = line.as_bytes().get(hashes).copied();
    ((1..=6).contains(&hashes) && after.is_some_and(|b| b.is_ascii_whitespace())).then_some(hashes)
}

/// What a document's sections are sorted by: the heading's text without inline HTML (an
/// anchor, say), as [`sort_key`] reads it.
fn heading_key(line: &str) -> String {
    let text = line.trim_start().trim_start_matches('#');
    let mut visible = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => visible.push(c),
            _ => {}
        }
    }
    sort_key(&visible)
}

/// Both sides' new sections, in the document's order, when each side inserted whole sections
/// (each starts with a heading of one level, holds no heading of a higher one, and ends with a
/// blank line) at the same place, the sibling sections around them (up to [`SIBLINGS`] on each
/// side, within the parent section) are sorted by their headings, at least [`MIN_LIST`] of them,
/// and no section of one side has the heading of one of the other's.
pub(super) fn sorted_sections<'a>(
    ours: &[&'a str],
    theirs: &[&'a str],
    before: &[&str],
    after: &[&str],
) -> Option<Vec<&'a str>> {
    let level = heading_level(ours.first()?)?;
    let sections = |side: &[&'a str]| -> Option<Vec<Vec<&'a str>>> {
        let mut list: Vec<Vec<&'a str>> = Vec::new();
        for line in side {
            match heading_level(line) {
                Some(l) if l < level => return None,
                Some(l) if l == level => list.push(vec![line]),
                _ => list.last_mut()?.push(line),
            }
        }
        list.iter()
            .all(|s| s.last().is_some_and(|l| blank(l)))
            .then_some(list)
    };
    let (mine, others) = (sections(ours)?, sections(theirs)?);
    let siblings = |lines: &mut dyn Iterator<Item = &&str>| -> Vec<String> {
        lines
            .filter_map(|l| heading_level(l).map(|h| (h, *l)))
            .take_while(|(h, _)| *h >= level)
            .filter(|(h, _)| *h == level)
            .map(|(_, l)| heading_key(l))
            .take(SIBLINGS)
            .collect()
    };
    let mut previous = siblings(&mut before.iter().rev());
    previous.reverse();
    let next = siblings(&mut after.iter());
    if previous.len() + next.len() < MIN_LIST {
        return None;
    }
    let key = |section: &Vec<&str>| heading_key(section[0]);
    if mine.iter().any(|m| others.iter().any(|o| key(m) == key(o))) {
        return None;
    }
    let mut merged: Vec<Vec<&'a str>> = mine.iter().chain(&others).cloned().collect();
    merged.sort_by_cached_key(key);
    let keys: Vec<String> = previous
        .into_iter()
        .chain(merged.iter().map(key))
        .chain(next)
        .collect();
    let in_order = |side: &[Vec<&'a str>]| {
        let at: Vec<usize> = side
            .iter()
            .filter_map(|s| merged.iter().position(|m| m == s))
            .collect();
        at.windows(2).all(|w| w[0] < w[1])
    };
    (keys.windows(2).all(|w| w[0] <= w[1]) && in_order(&mine) && in_order(&others))
        .then(|| merged.concat())
}

/// How many sibling sections on each side of new ones say whether a document's sections are
/// sorted: a document's first sections (an index, an introduction) often stand outside its order.
const SIBLINGS: usize = 5;

/// One rewrite made to every line of a run: the text `removed` between `left` and `right` (the
/// context all lines share, up to [`CONTEXT`] characters) became `added`.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Rewrite {
    left: String,
    removed: String,
    added: String,
    right: String,
}

impl Rewrite {
    /// The rewrite that made each of `new` from `old`, when it is one and the same for all.
    pub(super) fn of(old: &[&str], new: &[&str]) -> Option<Rewrite> {
        let mut parts = old.iter().zip(new).map(|(a, b)| {
            let (a, b) = (a.trim_end(), b.trim_end());
            let prefix = common_prefix(a, b);
            let suffix = common_suffix(&a[prefix..], &b[prefix..]);
            (
                &a[..prefix],
                &a[prefix..a.len() - suffix],
                &b[prefix..b.len() - suffix],
                &a[a.len() - suffix..],
            )
        });
        let (first_left, removed, added, first_right) = parts.next()?;
        let (mut left, mut right) = (first_left.to_owned(), first_right.to_owned());
        for (l, r, a, rt) in parts {
            if r != removed || a != added {
                return None;
            }
            left = left[left.len() - common_suffix(&left, l)..].to_owned();
            right = right[..common_prefix(&right, rt)].to_owned();
        }
        let tail = |s: &str| {
            s.chars()
                .rev()
                .take(CONTEXT)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>()
        };
        let head = |s: &str| s.chars().take(CONTEXT).collect::<String>();
        Some(Rewrite {
            left: tail(&left),
            removed: removed.to_owned(),
            added: added.to_owned(),
            right: head(&right),
        })
    }

    /// Whether the rewrite would change `line`: it holds what the rewrite takes out (in its
    /// context) and not already what it puts in.
    pub(super) fn would_change(&self, line: &str) -> bool {
        let done = format!("{}{}{}", self.left, self.added, self.right);
        let before = format!("{}{}{}", self.left, self.removed, self.right);
        !line.contains(&done) && line.contains(&before)
    }
}

/// How many characters of context around a rewrite place it.
const CONTEXT: usize = 3;

/// The length in bytes of the longest common prefix of `a` and `b`, on a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or_else(|| a.len().min(b.len()), |((i, _), _)| i)
}

/// The length in bytes of the longest common suffix of `a` and `b`, on a character boundary.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum()
}
