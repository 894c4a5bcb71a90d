//! List items, table rows and sections as units of a merge: what kind of item a line is, what a
//! sorted list is sorted by, an item's link, whether two lines are the same entry, a heading's
//! level. Pure.

use std::collections::HashMap;

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

/// What the links of a region point to: inline targets, and reference links (`[text][label]`,
/// `[text][]`) through the definitions (`[label]: target`) the region and its neighbours hold.
pub(super) struct Links {
    definitions: HashMap<String, String>,
}

impl Links {
    /// The definitions among `lines`.
    pub(super) fn new<'a>(lines: impl Iterator<Item = &'a str>) -> Self {
        let definitions = lines
            .filter_map(|line| {
                let rest = line.trim_start().strip_prefix('[')?;
                let (label, rest) = rest.split_once("]:")?;
                let target = rest.split_whitespace().next()?;
                Some((label.to_lowercase(), normalize(target)))
            })
            .collect();
        Links { definitions }
    }

    /// The target of the first link on `line`, the same however it is written (`<...>`, a
    /// title after it, the case of its letters, a trailing slash, by reference).
    pub(super) fn target(&self, line: &str) -> Option<String> {
        if let Some(at) = line.find("](") {
            let inline = line[at + 2..].trim_start();
            let target = match inline.strip_prefix('<') {
                Some(angled) => angled.split('>').next()?,
                None => inline.split([' ', ')']).next()?,
            };
            return Some(normalize(target));
        }
        let at = line.find("][")?;
        let label = line[at + 2..].split(']').next()?;
        let label = if label.is_empty() {
            // `[text][]`: the text is the label.
            line[..at].rsplit('[').next()?
        } else {
            label
        };
        let label = label.to_lowercase();
        Some(
            self.definitions
                .get(&label)
                .cloned()
                .unwrap_or_else(|| format!("[{label}]")),
        )
    }

    /// Whether two item lines are the same entry: the same link target, or the same text.
    pub(super) fn same_entry(&self, a: &str, b: &str) -> bool {
        let target = self.target(a);
        (target.is_some() && target == self.target(b)) || sort_key(a) == sort_key(b)
    }
}

/// A link target as the same place reads however it is written: without `<...>`, letter case,
/// `http(s)://`, `www.`, a fragment (`#readme`; a link to a fragment of this page keeps it), a
/// trailing slash or `.git`.
fn normalize(target: &str) -> String {
    let target = target
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_lowercase();
    let mut rest = target.as_str();
    for scheme in ["https://", "http://"] {
        rest = rest.strip_prefix(scheme).unwrap_or(rest);
    }
    rest = rest.strip_prefix("www.").unwrap_or(rest);
    if !rest.starts_with('#') {
        rest = rest.split('#').next().unwrap_or(rest);
    }
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    rest.trim_end_matches('/').to_owned()
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
    links: &Links,
) -> Option<Vec<&'a str>> {
    let kind = item_kind(ours.first()?)?;
    // A numbered list is a sequence of steps, not a sorted list: where a new step goes is a
    // choice, and its number too.
    if kind.1 == '1' {
        return None;
    }
    let of_kind = |l: &&str| item_kind(l) == Some(kind);
    if !ours
        .iter()
        .chain(theirs)
        .all(|l| of_kind(l) && !delimiter_row(l))
    {
        return None;
    }
    let mut previous: Vec<&str> = before
        .iter()
        .rev()
        .take_while(|l| of_kind(l) && !delimiter_row(l))
        .copied()
        .collect();
    // Rows are a table's only under its header: pipes in a paragraph are prose.
    if kind.1 == '|' && !table_above(before) {
        return None;
    }
    previous.reverse();
    let next: Vec<&str> = after.iter().take_while(|l| of_kind(l)).copied().collect();
    if previous.len() + next.len() < MIN_LIST {
        return None;
    }
    if ours
        .iter()
        .any(|o| theirs.iter().any(|t| links.same_entry(o, t)))
    {
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
    sort_key(&visible_heading_text(line))
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
            // Headings written otherwise (a setext underline, an HTML heading) may be of any
            // level: the outline cannot be told.
            if setext_underline(line) || html_heading(line) {
                return None;
            }
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
    // Two sections with one anchor (`<a id="x">`, or the one made of a heading's text) break
    // the links to it.
    let mut anchors: Vec<String> = mine
        .iter()
        .chain(&others)
        .flat_map(|section| anchors_of(section[0]))
        .collect();
    let new_anchors = anchors.len();
    anchors.extend(
        before
            .iter()
            .chain(after)
            .filter(|l| heading_level(l).is_some())
            .flat_map(|l| anchors_of(l)),
    );
    if (0..new_anchors).any(|i| anchors[i + 1..].contains(&anchors[i])) {
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

/// Whether `line` is a table's delimiter row (`| --- | :-: |`).
pub(super) fn delimiter_row(line: &str) -> bool {
    let row = line.trim();
    row.starts_with('|')
        && row.contains('-')
        && row
            .split('|')
            .all(|cell| cell.trim().chars().all(|c| matches!(c, '-' | ':')))
}

/// Whether the rows just above the end of `before` (nearest last) sit under a table's header: a
/// delimiter row ends the run of rows going up.
pub(super) fn table_above(before: &[&str]) -> bool {
    before
        .iter()
        .rev()
        .take_while(|l| item_kind(l).is_some_and(|k| k.1 == '|'))
        .any(|l| delimiter_row(l))
}

/// The anchors a heading line makes: those it names in inline HTML (`id="x"`, `name="x"`) or
/// an attribute (`{#x}`), and the one made of its text (lower case, spaces as `-`, punctuation
/// dropped, as GitHub makes it).
fn anchors_of(line: &str) -> Vec<String> {
    let mut anchors = Vec::new();
    for (open, close) in [("id=\"", '"'), ("name=\"", '"'), ("{#", '}')] {
        let mut rest = line;
        while let Some(at) = rest.find(open) {
            rest = &rest[at + open.len()..];
            if let Some(end) = rest.find(close) {
                anchors.push(rest[..end].to_lowercase());
                rest = &rest[end..];
            }
        }
    }
    let text = visible_heading_text(line);
    let slug: String = text
        .trim()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .flat_map(char::to_lowercase)
        .map(|c| if c == ' ' { '-' } else { c })
        .collect();
    if !slug.is_empty() {
        anchors.push(slug);
    }
    anchors
}

/// A heading line's text without its `#` run, inline HTML and `{#...}` attributes.
fn visible_heading_text(line: &str) -> String {
    let text = line.trim().trim_start_matches('#');
    let text = text.split("{#").next().unwrap_or(text);
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
    visible
}

/// Whether `line` is a setext heading's underline (a run of `=` or `-`, up to three spaces in).
fn setext_underline(line: &str) -> bool {
    let body = line.trim_end();
    let indent = body.len() - body.trim_start().len();
    let body = body.trim_start();
    indent <= 3
        && !body.is_empty()
        && (body.chars().all(|c| c == '=') || body.chars().all(|c| c == '-'))
}

/// Whether `line` holds an HTML heading (`<h1>` to `<h6>`).
fn html_heading(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    (1..=6).any(|n| lower.contains(&format!("<h{n}")))
}
