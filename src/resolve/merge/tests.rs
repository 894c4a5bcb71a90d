//! The precise merge's rules, each with cases where it must fire and where it must not.

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
    let base = "| k | v |\n| --- | :-: |\n| a | 1 |\n| b | 2 |\n| d | 4 |\n";
    let ours = "| k | v |\n| --- | :-: |\n| a | 1 |\n| b | 20 |\n| d | 4 |\n";
    let theirs = "| k | v |\n| --- | :-: |\n| a | 1 |\n| b | 2 |\n| d | 4 |\n| e | 5 |\n";
    assert_eq!(
        merged(base, ours, theirs).map(|m| m.0),
        Some("| k | v |\n| --- | :-: |\n| a | 1 |\n| b | 20 |\n| d | 4 |\n| e | 5 |\n".to_owned())
    );
    // The same rows with no header: a paragraph with pipes, prose.
    let bare = |s: &str| s.replacen("| k | v |\n| --- | :-: |\n", "", 1);
    assert_eq!(merged(&bare(base), &bare(ours), &bare(theirs)), None);
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
    let base = "| k | v |\n| --- | :-: |\n| a | 1 |\n| d | 4 |\n| e | 5 |\n";
    let ours = "| k | v |\n| --- | :-: |\n| a | 1 |\n| c | 3 |\n| d | 4 |\n| e | 5 |\n";
    let theirs = "| k | v |\n| --- | :-: |\n| a | 1 |\n| b | 2 |\n| d | 4 |\n| e | 5 |\n";
    assert_eq!(
        list(base, ours, theirs),
        Some(
            "| k | v |\n| --- | :-: |\n| a | 1 |\n| b | 2 |\n| c | 3 |\n| d | 4 |\n| e | 5 |\n"
                .to_owned()
        )
    );
    // Pipes in a paragraph (no header, no delimiter row) are prose, not a table.
    let bare = |s: &str| s.replacen("| k | v |\n| --- | :-: |\n", "", 1);
    assert_eq!(list(&bare(base), &bare(ours), &bare(theirs)), None);
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
    // Both fixed the first item; theirs also fixed the second.
    let base = "- [A](a) typo\n- [B](b) typo\n- [C](c)\n";
    let ours = "- [A](a) fixed\n- [B](b) typo\n- [C](c)\n";
    let theirs = "- [A](a) fixed\n- [B](b) fixed\n- [C](c)\n";
    assert_eq!(
        merged(base, ours, theirs),
        Some((theirs.to_owned(), vec![Rule::ContainedChange]))
    );
    // Ours added one item, theirs the same and another.
    assert_eq!(
        merged("- a\n", "- a\n- b\n", "- a\n- b\n- c\n").map(|m| m.0),
        Some("- a\n- b\n- c\n".to_owned())
    );
    // Both added a section, theirs a second one too.
    let base = "# Books\n\n";
    let ours = "# Books\n\n## Go\n\n- [Go](g)\n\n";
    let theirs = "# Books\n\n## Go\n\n- [Go](g)\n\n## Rust\n\n- [Rust](r)\n\n";
    assert_eq!(
        merged(base, ours, theirs).map(|m| m.0),
        Some(theirs.to_owned())
    );
}

#[test]
fn a_contained_change_that_moved_text_is_left() {
    // Theirs' further change brings a line the file already holds just after the region: text
    // moved (which ours may have kept where it was), for a person.
    let after = ["moved paragraph\n", "end\n"];
    let around = Around {
        before: &[],
        after: &after,
    };
    let (base, ours, theirs) = ("a\nb\n", "A\nb\n", "A\nmoved paragraph\nb\n");
    assert!(merge_region(base, ours, theirs, around).is_none());
    // Prose otherwise: both fixed the first line, theirs also the second.
    assert_eq!(
        merged("a\nb\nc\n", "A\nb\nc\n", "A\nB\nc\n").map(|m| m.0),
        Some("A\nB\nc\n".to_owned())
    );
}

#[test]
fn a_contained_change_whose_other_side_deletes_more_is_left() {
    // Theirs also deleted an item ours kept: that deletion is for a person to agree to.
    assert_eq!(
        merged("- a\n- b\n- c\n", "- A\n- b\n- c\n", "- A\n- c\n"),
        None
    );
    // Or a blank line (a blank line is never edited, only taken out).
    assert_eq!(
        merged(
            "## R\n\n- [x](x)\n",
            "## R\n- [y](y)\n- [x](x)\n",
            "## R\n\n- [y](y)\n- [x](x)\n"
        )
        .map(|m| m.0),
        None
    );
    // An item deleted on one side and edited on the other is not part of the edit.
    assert_eq!(merged("- a\n- b\n", "- b\n", "- A\n- b\n"), None);
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
fn a_sweeping_edit_merges_with_new_items_it_has_nothing_to_do_in() {
    // Theirs moved every link to https; ours added an item that already has it.
    let base = "- [a](http://a)\n- [b](http://b)\n- [c](http://c)\n";
    let theirs = "- [a](https://a)\n- [b](https://b)\n- [c](https://c)\n";
    let ours = "- [a](http://a)\n- [b](http://b)\n- [c](http://c)\n- [d](https://d)\n";
    assert_eq!(
        merged(base, ours, theirs).map(|m| m.0),
        Some("- [a](https://a)\n- [b](https://b)\n- [c](https://c)\n- [d](https://d)\n".to_owned())
    );
    // The same, with an item the rewrite would change: left.
    let ours = "- [a](http://a)\n- [b](http://b)\n- [c](http://c)\n- [d](http://d)\n";
    assert_eq!(merged(base, ours, theirs), None);
    // Ours credited every item to its author by name; theirs added another author's item.
    let base = "- [a](a) - Kim\n- [b](b) - Kim\n- [c](c) - Kim\n";
    let ours = "- [a](a) - Kim Lee\n- [b](b) - Kim Lee\n- [c](c) - Kim Lee\n";
    let theirs = "- [a](a) - Kim\n- [b](b) - Kim\n- [c](c) - Kim\n- [d](d) - Ann\n";
    assert_eq!(
        merged(base, ours, theirs).map(|m| m.0),
        Some(
            "- [a](a) - Kim Lee\n- [b](b) - Kim Lee\n- [c](c) - Kim Lee\n- [d](d) - Ann\n"
                .to_owned()
        )
    );
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

/// The file's lines around a region at the end of `before`.
fn sections(before: &str, ours: &str, theirs: &str, after: &str) -> Option<Merged> {
    let before: Vec<&str> = before.split_inclusive('\n').collect();
    let after: Vec<&str> = after.split_inclusive('\n').collect();
    let around = Around {
        before: &before,
        after: &after,
    };
    merge_region("", ours, theirs, around)
}

const BEFORE: &str = "# Books\n\n## <a id=\"a\"></a>Ada\n\n- [x](x)\n\n## C\n\n- [y](y)\n\n";
const AFTER: &str = "## Python\n\n- [p](p)\n\n## Rust\n\n- [r](r)\n";

#[test]
fn sections_both_sides_add_to_a_sorted_document_are_kept_in_order() {
    let ours = "## Java\n\n- [j](j)\n\n";
    let theirs = "## Go\n\n- [g](g)\n\n### Tools\n\n- [t](t)\n\n## Lua\n\n- [l](l)\n\n";
    let out = sections(BEFORE, ours, theirs, AFTER).expect("merged");
    assert_eq!(
        out.text,
        "## Go\n\n- [g](g)\n\n### Tools\n\n- [t](t)\n\n## Java\n\n- [j](j)\n\n## Lua\n\n- [l](l)\n\n"
    );
    assert_eq!(out.rules, vec![Rule::SortedSections]);
}

#[test]
fn sections_that_are_not_clear_are_left() {
    let go = "## Go\n\n- [g](g)\n\n";
    // The document's sections are not sorted.
    assert!(sections("## Zig\n\n## Ada\n\n", go, "## Java\n\n", "## C\n\n").is_none());
    // Both added a section with the same heading.
    assert!(sections(BEFORE, go, "## Go\n\n- [other](o)\n\n", AFTER).is_none());
    // A section that holds a heading of a higher level, or one out of the sorted place.
    assert!(sections(BEFORE, go, "## Java\n\n# Part\n\n", AFTER).is_none());
    assert!(sections(BEFORE, go, "## Zig\n\n", AFTER).is_none());
    // A side that does not end its section with a blank line.
    assert!(sections(BEFORE, go, "## Java\n- [j](j)\n", AFTER).is_none());
    // Two new sections with one anchor.
    assert!(sections(
        BEFORE,
        "## <a id=\"x\"></a>Go\n\n",
        "## <a id=\"x\"></a>Java\n\n",
        AFTER
    )
    .is_none());
    // Too few sections around to tell an order.
    assert!(sections("# Books\n\n", go, "## Java\n\n", "").is_none());
}

proptest::proptest! {
    /// Any three texts: no panic (lines of list items, headings, tables, links, blank lines and
    /// characters of several bytes, where the rules slice text).
    #[test]
    fn any_three_texts_merge_or_not_without_panicking(
        versions in proptest::collection::vec(
            proptest::collection::vec(
                proptest::sample::select(vec![
                    "- [Å](http://a)\n", "- [Å](https://a)\n", "* b é\n", "| c | ü |\n",
                    "## Ça\n", "## Ça va\n", "\n", "1. x\n", "prose ✓\n", "- [d](d) - é\n",
                    "  - nested\n", "- [d](d)\n", "#\n", "- \n", "|\n", "-\t\n",
                ]),
                0..8,
            ),
            3,
        ),
        around in proptest::collection::vec(
            proptest::sample::select(vec!["- [a](a)\n", "## Z\n", "\n", "- z\n"]),
            0..6,
        ),
    ) {
        let text = |i: usize| versions[i].concat();
        let around = Around { before: &around, after: &around };
        let _ = merge_region(&text(0), &text(1), &text(2), around);
    }
}

/// Found by a hostile read: the same entry, its link written another way.
#[test]
fn the_same_entry_linked_another_way_is_left() {
    let base = "- [Apple](https://x/apple)\n- [Banana](https://x/banana)\n- [Cherry](https://x/cherry)\n- [Grape](https://x/grape)\n\n[b]: https://x/b\n";
    let ours = base.replace(
        "- [Banana](https://x/banana)\n",
        "- [Banana](https://x/banana)\n- [Bilberry](https://x/b)\n",
    );
    for written in [
        "- [Blueberry](<https://x/b>)",
        "- [Blueberry](https://x/b \"title\")",
        "- [Blueberry][b]",
        "- [Blueberry](HTTPS://X/b/)",
    ] {
        let theirs = base.replace(
            "- [Banana](https://x/banana)\n",
            &format!("- [Banana](https://x/banana)\n{written}\n"),
        );
        assert_eq!(merged(base, &ours, &theirs), None, "{written}");
    }
    // Two reference links with one label are one entry too.
    let ours = base.replace(
        "- [Banana](https://x/banana)\n",
        "- [Banana](https://x/banana)\n- [Bilberry][b]\n",
    );
    let theirs = base.replace(
        "- [Banana](https://x/banana)\n",
        "- [Banana](https://x/banana)\n- [Blueberry][b]\n",
    );
    assert_eq!(merged(base, &ours, &theirs), None);
}

/// Found by a hostile read: an item added with the link of one the region already lists.
#[test]
fn an_item_added_with_a_link_already_listed_is_left() {
    let base =
        "- [Apple](https://x/apple)\n- [Banana](https://x/banana)\n- [Cherry](https://x/cherry)\n";
    let ours = "- [Apple](https://x/apple)\n- [Banana](https://x/banana) yellow\n- [Cherry](https://x/cherry)\n";
    for added in [
        "- [Blueberry](https://x/banana)\n",
        "- [Banana](https://x/banana)\n",
    ] {
        let theirs = format!("- [Apple](https://x/apple)\n- [Banana](https://x/banana)\n{added}- [Cherry](https://x/cherry)\n");
        assert_eq!(merged(base, ours, &theirs), None, "{added}");
    }
}

/// Found by a hostile read: edits that read the same are compared where they stand.
#[test]
fn an_edit_of_another_line_that_reads_the_same_is_not_contained() {
    let base = "- apple\n- banana\n- cherry\n- grape\n";
    let ours = "- apple\n- kiwi\n- cherry\n- grape\n";
    let theirs = "- kiwi\n- lemon\n- cherry\n- grape\n";
    assert_eq!(merged(base, ours, theirs), None);
}

/// Found by a hostile read: a numbered list is a sequence of steps, not a sorted list.
#[test]
fn steps_added_to_a_numbered_list_are_left() {
    let base = "1. Build the image\n2. Push to registry\n3. Restart pods\n";
    let ours = format!("{base}4. Verify health checks\n");
    let theirs = format!("{base}4. Tag the release\n");
    assert_eq!(merged(base, &ours, &theirs), None);
    // A step added on one side while the other edits another step: the numbers move.
    let ours = "1. Build the image\n2. Check\n3. Push to registry\n4. Restart pods\n";
    let theirs = "1. Build the image\n2. Push to registry\n3. Restart all pods\n";
    assert_eq!(merged(base, ours, theirs), None);
}

/// Found by a hostile read: headings written as setext underlines or HTML, and anchors.
#[test]
fn sections_with_headings_of_unknown_level_or_one_anchor_are_left() {
    let before = [
        "# Doc\n",
        "\n",
        "## Alpha\n",
        "\n",
        "A.\n",
        "\n",
        "## Beta\n",
        "\n",
        "B.\n",
        "\n",
        "## Gamma\n",
        "\n",
        "G.\n",
        "\n",
    ];
    let after = ["## Zeta\n", "\n", "Z.\n"];
    let around = Around {
        before: &before,
        after: &after,
    };
    let theirs = "## Usage\n\nU.\n\n";
    for ours in [
        "## Install\n\nI.\n\nAppendix\n===\n\n",
        "## Install\n\n<h1>Main</h1>\n\n",
    ] {
        assert!(merge_region("", ours, theirs, around).is_none(), "{ours}");
    }
    // An anchor named like another heading's text.
    assert!(merge_region(
        "",
        "## Install\n\nI.\n\n",
        "## <a id=\"install\"></a>Kit\n\nK.\n\n",
        around
    )
    .is_none());
    // Without those, the same sections merge.
    assert!(merge_region("", "## Install\n\nI.\n\n", theirs, around).is_some());
}

/// Found by a third hostile read: a move is a delete and an insert to a line merge; a person
/// follows it.
#[test]
fn moved_lines_are_left() {
    // Both sides move the same line, in opposite directions: it would be there twice.
    let base = "# T\n\nOne.\nTwo.\nThree.\nFour.\n";
    assert_eq!(
        merged(
            base,
            "# T\n\nTwo.\nOne.\nThree.\nFour.\n",
            "# T\n\nOne.\nThree.\nTwo.\nFour.\n"
        ),
        None
    );
    // One side deletes a line the other moves: the deletion would be lost.
    let base = "# T\n\nOne.\nTwo.\nThree.\n";
    assert_eq!(
        merged(base, "# T\n\nOne.\nThree.\n", "# T\n\nTwo.\nOne.\nThree.\n"),
        None
    );
    // The same with list items and table rows.
    let base = "- one\n- two\n- three\n- four\n";
    assert_eq!(
        merged(
            base,
            "- two\n- one\n- three\n- four\n",
            "- one\n- three\n- two\n- four\n"
        ),
        None
    );
}

/// Found by a third hostile read: the same line put in two places is not contained.
#[test]
fn an_insertion_placed_otherwise_is_not_contained() {
    let base = "# T\n\nAlpha beta.\nGamma delta.\nEps zeta.\n";
    let ours = "# T\n\nAlpha beta.\nNote.\nGamma delta.\nEps zeta.\n";
    let theirs = "# T\n\nAlpha beta.\nGamma DELTA.\nNote.\nEps zeta.\n";
    assert_eq!(merged(base, ours, theirs), None);
}

/// Found by a third hostile read: one site under another scheme, `www.`, `.git` or a fragment.
#[test]
fn the_same_site_linked_another_way_is_one_entry() {
    let base = "- [Alpha](https://alpha.io) - a.\n- [Delta](https://delta.io) - d.\n- [Gamma](https://gamma.io) - g.\n- [Zeta](https://zeta.io) - z.\n";
    for (mine, other) in [
        (
            "- [Beta](http://beta.io) - b.",
            "- [beta.io](https://beta.io) - b.",
        ),
        (
            "- [Beta](https://beta.io)",
            "- [Beta tool](https://www.beta.io)",
        ),
        (
            "- [Beta](https://github.com/foo/beta)",
            "- [Beta tool](https://github.com/foo/beta.git)",
        ),
        (
            "- [Beta](https://github.com/foo/beta)",
            "- [Beta tool](https://github.com/foo/beta#readme)",
        ),
    ] {
        let insert = |item: &str| base.replace("- [Delta", &format!("{item}\n- [Delta"));
        assert_eq!(
            merged(base, &insert(mine), &insert(other)),
            None,
            "{mine} / {other}"
        );
    }
}

/// Found by the property test (seed 7481): two lines of one side stood for one of the other's.
#[test]
fn two_insertions_are_not_contained_in_one_line() {
    let base = "- [C](c)\n- [Dart](d)\n- [Elm](e)\n- [Fortran](f)\n";
    let ours = "- [C](c)\n- [Dart](https://d)\n- [Elm](e)\nSome prose.\n";
    let theirs = "- [C](c)\n- [Dart](d)\n- [Elm](e)\nSome prose.\n- [Fortran](f)\nSome prose.\n";
    assert_eq!(merged(base, ours, theirs), None);
}

/// Found by a fourth hostile read: lines without letters move too (a delimiter row, a break).
#[test]
fn moved_lines_without_letters_are_left() {
    let base = "| name | value |\n| --- | --- |\n";
    assert_eq!(
        merged(
            base,
            "| --- | --- |\n| name | value |\n",
            "| name | value |\n"
        ),
        None
    );
    let base = "one\n***\nthree\n";
    assert_eq!(merged(base, "***\none\nthree\n", "one\nthree\n"), None);
    // The same break added by both sides at two places: the merge would hold it twice.
    let base = "- [a](a)\n- [b](b)\n- [c](c)\n";
    let ours = "- [a](a)\n***\n- [b](b) new\n- [c](c)\n";
    let theirs = "- [a](a)\n- [b](b)\n***\n- [c](c)\n";
    assert_eq!(merged(base, ours, theirs), None);
}
