//! The case catalogue of `spec/conflict-markers.md`, plus the corpus shapes, as unit tests.

use super::*;
use crate::conflict::Dialect;
use crate::diagnostic::Severity;

/// `(rule, first line, last line)` of each finding.
fn verdict(text: &[u8], context: FileContext) -> Vec<(&'static str, usize, usize)> {
    let index = LineIndex::new(text);
    check_bytes(text, &context)
        .iter()
        .map(|f| {
            let (start, end) = index.range(text, f.span);
            (f.rule.name(), start.line, end.line)
        })
        .collect()
}

fn plain(text: &str) -> Vec<(&'static str, usize, usize)> {
    verdict(text.as_bytes(), FileContext::default())
}

fn markdown(text: &str) -> Vec<(&'static str, usize, usize)> {
    verdict(
        text.as_bytes(),
        FileContext {
            markdown: true,
            ..FileContext::default()
        },
    )
}

const BLOCK: &str = "<<<<<<< HEAD\nchild\n=======\nparent\n>>>>>>> branch\n";

#[test]
fn case_01_git_block() {
    assert_eq!(plain(BLOCK), [("conflict-marker", 1, 5)]);
}

#[test]
fn case_02_commented_markers_are_not_markers() {
    assert_eq!(plain("# <<<<<<< HEAD\n# =======\nimport mod\n"), []);
}

#[test]
fn case_04_marker_mid_line() {
    assert_eq!(plain("Some content <<<<<<< HEAD\n"), []);
}

#[test]
fn case_05_lone_base_marker() {
    assert_eq!(plain("Before\n||||||| base\n"), [("broken-conflict", 2, 2)]);
}

#[test]
fn case_06_setext_underline() {
    assert_eq!(markdown("Depends\n=======\n"), []);
}

#[test]
fn case_07_unterminated_block() {
    assert_eq!(
        plain("Before\n<<<<<<< HEAD\nOurs\n=======\n"),
        [("broken-conflict", 2, 2)]
    );
}

#[test]
fn case_08_orphan_end() {
    assert_eq!(
        plain("Some content\n>>>>>>> branch\nMore\n"),
        [("broken-conflict", 2, 2)]
    );
}

#[test]
fn case_09_two_blocks() {
    let text = format!("{BLOCK}between\n{BLOCK}");
    assert_eq!(
        plain(&text),
        [("conflict-marker", 1, 5), ("conflict-marker", 7, 11)]
    );
}

#[test]
fn case_10_crlf() {
    assert_eq!(
        plain(&BLOCK.replace('\n', "\r\n")),
        [("conflict-marker", 1, 5)]
    );
}

#[test]
fn case_11_marker_length_must_match() {
    assert_eq!(plain("a\n======\n"), []);
    assert_eq!(plain("a\n>>>>>>>> x\n"), []);
    let size_8 = FileContext {
        marker_size: 8,
        ..FileContext::default()
    };
    assert_eq!(
        verdict(b"a\n>>>>>>>> x\n", size_8),
        [("broken-conflict", 2, 2)]
    );
    assert_eq!(verdict(BLOCK.as_bytes(), size_8), []);
}

#[test]
fn case_12_attribute_size_nine() {
    let text = "<<<<<<<<< HEAD\na\n=========\nb\n>>>>>>>>> x\n";
    let size_9 = FileContext {
        marker_size: 9,
        ..FileContext::default()
    };
    assert_eq!(
        verdict(text.as_bytes(), size_9),
        [("conflict-marker", 1, 5)]
    );
}

#[test]
fn case_13_indented_markers() {
    assert_eq!(plain(" <<<<<<< HEAD\n    =======\n >>>>>>> b\n"), []);
}

#[test]
fn case_14_reordered_base_is_broken() {
    let good = "<<<<<<< a\nx\n||||||| base\ny\n=======\nz\n>>>>>>> b\n";
    assert_eq!(plain(good), [("conflict-marker", 1, 7)]);
    let reordered = "<<<<<<< a\nx\n=======\nz\n||||||| base\ny\n>>>>>>> b\n";
    assert_eq!(plain(reordered), [("broken-conflict", 1, 7)]);
}

#[test]
fn case_15_setext_title() {
    assert_eq!(markdown("Title\n=======\n\nText\n"), []);
}

#[test]
fn case_16_half_deleted_block() {
    let findings = check_bytes(
        b"=======\ntheirs\n>>>>>>> branch\n",
        &FileContext::default(),
    );
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, Rule::BrokenConflict);
    // The separator left behind is pointed at too.
    assert!(findings[0].labels.iter().any(|l| l.span.start == 0));
}

#[test]
fn case_17_ordinary_markdown() {
    let text = "<<<<<<<not-a-label\n>>>>>>>quote\n<<<<<< HEAD\n> > > > > > > quote\n>>> quote\n";
    assert_eq!(markdown(text), []);
}

#[test]
fn case_18_bom_and_crlf() {
    let text = format!("\u{feff}{}", BLOCK.replace('\n', "\r\n"));
    assert_eq!(plain(&text), [("conflict-marker", 1, 5)]);
}

#[test]
fn case_19_fenced_example_is_a_warning() {
    let text = format!("Git writes:\n\n```text\n{BLOCK}```\n");
    let findings = check_bytes(
        text.as_bytes(),
        &FileContext {
            markdown: true,
            ..FileContext::default()
        },
    );
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, Rule::ConflictMarkerInCode);
    assert_eq!(findings[0].severity, Severity::Warning);
}

#[test]
fn case_20_jujutsu_block() {
    let text = "<<<<<<< conflict 1 of 1\n%%%%%%% diff from base\n-a\n+b\n+++++++ side 2\nc\n>>>>>>> conflict 1 of 1 ends\n";
    assert_eq!(plain(text), [("conflict-marker", 1, 7)]);
}

#[test]
fn case_21_recursive_merge_nesting() {
    let text = "<<<<<<< HEAD\n<<<<<<<<< Temporary merge branch 1\na\n=========\nb\n>>>>>>>>> Temporary merge branch 2\n=======\nc\n>>>>>>> other\n";
    let findings = check_bytes(text.as_bytes(), &FileContext::default());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, Rule::ConflictMarker);
    assert!(
        findings[0].message.contains("1 nested conflict"),
        "{}",
        findings[0].message
    );
}

#[test]
fn case_22_separator_at_eof_without_newline() {
    assert_eq!(markdown("Title\n======="), []);
}

#[test]
fn fenced_example_becomes_real_in_an_unmerged_path() {
    let text = format!("```text\n{BLOCK}```\n");
    let context = FileContext {
        markdown: true,
        unmerged: true,
        ..FileContext::default()
    };
    assert_eq!(
        verdict(text.as_bytes(), context),
        [("conflict-marker", 2, 6)]
    );
}

#[test]
fn fence_in_a_side_makes_it_real() {
    let text = "```sh\n<<<<<<< HEAD\nnpm i a\n```\n=======\nnpm i b\n>>>>>>> x\n```\n";
    assert_eq!(markdown(text), [("conflict-marker", 2, 7)]);
    let opening = "```sh\n<<<<<<< HEAD\n```js\n=======\nb\n>>>>>>> x\n```\n";
    assert_eq!(markdown(opening), [("conflict-marker", 2, 6)]);
}

/// A backtick in a backtick fence's info string: CommonMark reads no fence there, a person
/// does; past it, every fence is read out of step, so a real conflict is never taken for an
/// example (issue 14).
#[test]
fn a_fence_commonmark_rejects_makes_later_fences_unsure() {
    let text = format!(
        "```smart header=\"`Error` objects\"\nlet x = 1;\n```\n\n{BLOCK}\n```js\nlet y = 2;\n```\n"
    );
    let found = markdown(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "conflict-marker");
    // The same document with an opener CommonMark accepts: the conflict is outside any fence.
    let plain = text.replace("```smart header=\"`Error` objects\"", "```smart");
    assert_eq!(markdown(&plain).len(), 1);
}

/// AsciiDoc's listing and literal blocks hold examples as Markdown's fences do (issue 14).
#[test]
fn asciidoc_listing_and_literal_blocks_hold_examples() {
    let asciidoc = |text: &str| {
        verdict(
            text.as_bytes(),
            FileContext {
                asciidoc: true,
                ..FileContext::default()
            },
        )
    };
    for delimiter in ["----", "....", "--------"] {
        let text = format!("Example:\n\n[source]\n{delimiter}\n{BLOCK}{delimiter}\n");
        assert_eq!(
            asciidoc(&text),
            [("conflict-marker-in-code", 5, 9)],
            "{delimiter}"
        );
        // The same text read as plain text: a conflict.
        assert_eq!(plain(&text), [("conflict-marker", 5, 9)]);
    }
    // Outside a block, or in one never closed: a conflict.
    assert_eq!(asciidoc(BLOCK), [("conflict-marker", 1, 5)]);
    assert_eq!(
        asciidoc(&format!("----\n{BLOCK}")),
        [("conflict-marker", 2, 6)]
    );
    // reStructuredText literal blocks are indented: their markers are no markers at all.
    let rst = "Example::\n\n    <<<<<<< HEAD\n    a\n    =======\n    b\n    >>>>>>> x\n";
    assert_eq!(plain(rst), []);
}

#[test]
fn unclosed_fence_makes_it_real() {
    assert_eq!(
        markdown(&format!("```text\n{BLOCK}")),
        [("conflict-marker", 2, 6)]
    );
}

#[test]
fn fences_only_count_in_markdown() {
    assert_eq!(
        plain(&format!("```text\n{BLOCK}```\n")),
        [("conflict-marker", 2, 6)]
    );
}

#[test]
fn lone_marker_in_fence_is_an_example() {
    assert_eq!(
        markdown("```\n>>>>>>> branch\n```\n"),
        [("conflict-marker-in-code", 2, 2)]
    );
}

#[test]
fn missing_separator_is_broken() {
    assert_eq!(
        plain("<<<<<<< HEAD\na\n>>>>>>> b\n"),
        [("broken-conflict", 1, 3)]
    );
}

#[test]
fn unterminated_outer_keeps_complete_inner() {
    let text = format!("<<<<<<< HEAD\nx\n=======\n{BLOCK}");
    assert_eq!(
        plain(&text),
        [("broken-conflict", 1, 1), ("conflict-marker", 4, 8)]
    );
}

#[test]
fn several_unterminated_starts() {
    let text = "a\n<<<<<<< HEAD\nb\n<<<<<<< HEAD\n<<<<<<< HEAD\nc\n";
    assert_eq!(
        plain(text),
        [
            ("broken-conflict", 2, 2),
            ("broken-conflict", 4, 4),
            ("broken-conflict", 5, 5)
        ]
    );
}

#[test]
fn same_length_nesting_in_theirs() {
    let text = format!("<<<<<<< Updated upstream\na\n=======\n{BLOCK}>>>>>>> Stashed changes\n");
    let findings = check_bytes(text.as_bytes(), &FileContext::default());
    assert_eq!(findings.len(), 1);
    assert!(findings[0].message.contains("1 nested"));
}

#[test]
fn setext_underline_inside_a_side_is_content() {
    let text = "<<<<<<< HEAD\nTitle\n-------\n=======\nOther\n-------\n>>>>>>> b\n";
    let parsed = conflict::parse(text.as_bytes(), &ParseOptions::default());
    let block = parsed.blocks().next().expect("one block");
    assert_eq!(block.dialect, Dialect::Git);
    assert_eq!(
        block
            .side(conflict::Side::Ours)
            .map(|s| s.body.slice(text.as_bytes())),
        Some(&b"Title\n-------\n"[..])
    );
    assert_eq!(markdown(text), [("conflict-marker", 1, 7)]);
}

#[test]
fn suppression_comment_in_clean_text() {
    let text = format!("<!-- mergemark-disable-next-line conflict-marker -->\n{BLOCK}");
    assert_eq!(plain(&text), []);
}

#[test]
fn suppression_comment_inside_a_side_suppresses_nothing() {
    let text = "<<<<<<< HEAD\n<!-- mergemark-disable -->\n=======\nb\n>>>>>>> x\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n";
    assert_eq!(
        plain(text),
        [("conflict-marker", 1, 5), ("conflict-marker", 6, 10)]
    );
}

#[test]
fn messages_name_both_labels() {
    let findings = check_bytes(BLOCK.as_bytes(), &FileContext::default());
    assert_eq!(
        findings[0].message,
        "unresolved merge conflict between `HEAD` (ours) and `branch` (theirs)"
    );
}

#[test]
fn prefilter_sees_line_start_runs_only() {
    let filter = Prefilter::new(7);
    assert!(filter.may_match(BLOCK.as_bytes()));
    assert!(filter.may_match(b"\xEF\xBB\xBF>>>>>>> x\n"));
    assert!(filter.may_match(b"a\n|||||||\n"));
    assert!(!filter.may_match(b"a <<<<<<< b\n=======\n"));
    assert!(!filter.may_match(b"Title\n=======\n"));
    // A short run at a line start, then a long one later on the same line, is not a marker line;
    // the next line's is.
    assert!(!filter.may_match(b"| a <<<<<<< b |\n"));
    assert!(filter.may_match(b"| a <<<<<<< b |\n>>>>>>> theirs"));
    assert!(!filter.may_match(b"<<<<<<"));
    assert!(!filter.may_match(b"x\r<<<<<<<\n"));
}

proptest::proptest! {
    /// The prefilter says a file may hold a marker line exactly when one of its lines (after a
    /// byte order mark) starts with a run of `size` `<`, `>` or `|`.
    #[test]
    fn prefilter_is_exactly_a_line_start_run(
        pieces in proptest::collection::vec(
            proptest::sample::select(&[
                "<", ">", "|", "\n", "\r", "a", " ", "=", "<<<", ">>>>", "|||||||", "\u{feff}",
            ][..]),
            0..60,
        ),
        size in 1usize..9,
    ) {
        let text = pieces.concat();
        let body = text.strip_prefix('\u{feff}').unwrap_or(&text).as_bytes();
        let expected = body.split(|&b| b == b'\n').any(|line| {
            line.len() >= size
                && matches!(line[0], b'<' | b'>' | b'|')
                && line[..size].iter().all(|&b| b == line[0])
        });
        let filter = Prefilter::new(size);
        proptest::prop_assert_eq!(filter.may_match(text.as_bytes()), expected);
        // However many lines it looks at one by one before it searches for the runs.
        for lines in 0..4 {
            proptest::prop_assert_eq!(filter.may_match_by_byte(text.as_bytes(), lines), expected);
        }
    }
}

#[test]
fn suppression_before_the_fence_covers_the_example() {
    let text = format!(
        "<!-- mergemark-disable-next-line conflict-marker-in-code -->\n```text\n{BLOCK}```\n"
    );
    assert_eq!(markdown(&text), []);
    // ...but not a real conflict after it.
    let text = format!("<!-- mergemark-disable-next-line conflict-marker-in-code -->\n{BLOCK}");
    assert_eq!(markdown(&text), [("conflict-marker", 2, 6)]);
}

#[test]
fn nesting_is_bounded() {
    let depth = 10_000;
    let text = format!(
        "{}=======\n{}",
        "<<<<<<< HEAD\n".repeat(depth),
        ">>>>>>> x\n".repeat(depth)
    );
    let findings = check_bytes(text.as_bytes(), &FileContext::default());
    let too_deep: Vec<_> = findings
        .iter()
        .filter(|f| f.message.contains("nested more than"))
        .collect();
    assert_eq!(too_deep.len(), 1);
    assert_eq!(
        LineIndex::new(text.as_bytes()).line_of(too_deep[0].span.start),
        conflict::MAX_NESTING
    );
    assert!(findings
        .iter()
        .all(|f| f.severity == crate::diagnostic::Severity::Error));
}

#[test]
fn a_directive_shown_as_code_suppresses_nothing() {
    // Found by a hostile read of the README: a page that explains the comment disabled itself.
    for shown in [
        "```markdown\n<!-- mergemark-disable -->\n```\n",
        "Write `<!-- mergemark-disable -->` to turn it off.\n",
        "    <!-- mergemark-disable -->\n",
    ] {
        let text = format!("# Usage\n\n{shown}\nText.\n\n{BLOCK}");
        let found = markdown(&text);
        assert_eq!(found.len(), 1, "{shown:?}: {found:?}");
        assert_eq!(found[0].0, "conflict-marker");
    }
    // A real comment still works.
    let text = format!("<!-- mergemark-disable -->\n\n{BLOCK}");
    assert_eq!(markdown(&text), []);
}

#[test]
fn code_fences_inside_a_longer_or_other_fence_are_code() {
    // Found by a hostile user: an example of a conflict over code samples, shown in a four-backtick
    // or tilde block, was called real because its sides hold ``` lines.
    let four = "````markdown\n<<<<<<< HEAD\n```js\na()\n```\n=======\n```js\nb()\n```\n>>>>>>> feature\n````\n";
    assert_eq!(markdown(four), [("conflict-marker-in-code", 2, 10)]);
    let tilde = "~~~text\n<<<<<<< HEAD\n```\na\n```\n=======\nb\n>>>>>>> feature\n~~~\n";
    assert_eq!(markdown(tilde), [("conflict-marker-in-code", 2, 8)]);
    // The same character, as long: it may end the fence, so the conflict is real.
    let same = "~~~\n<<<<<<< HEAD\n~~~\na\n=======\nb\n>>>>>>> feature\n~~~\n";
    assert_eq!(markdown(same)[0].0, "conflict-marker");
}

#[test]
fn only_the_documents_own_html_comments_are_directives() {
    // Found by a hostile user: an escaped comment, a link title and an attribute value still
    // silenced a real conflict.
    for text in [
        "To silence it, write \\<!-- mergemark-disable --> in the file.\n",
        "See [the directive](https://example.com \"<!-- mergemark-disable -->\").\n",
        "[d]: https://example.com '<!-- mergemark-disable -->'\n",
        "Click <a title=\"<!-- mergemark-disable -->\" href=\"#\">here</a>.\n",
    ] {
        let file = format!("# Docs\n\n{text}\n{BLOCK}");
        assert_eq!(markdown(&file).len(), 1, "{text:?}");
    }
    // Inline and block comments are directives.
    for text in [
        "Text <!-- mergemark-disable --> more.\n",
        "<div>\n<!-- mergemark-disable -->\n</div>\n",
    ] {
        let file = format!("# Docs\n\n{text}\n{BLOCK}");
        assert_eq!(markdown(&file), [], "{text:?}");
    }
}
