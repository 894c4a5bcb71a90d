//! The line reading against pulldown-cmark's full parse: wherever it reads a text, the outlines
//! are equal; and it reads what reports are mostly written in.

use proptest::prelude::*;

use super::build;
use crate::markdown::outline::parse;
use crate::markdown::outline::BlockKind;

/// Lines a plain report has, and lines that only look plain (or nearly so).
#[rustfmt::skip]
const LINES: &[&str] = &[
    "", "", "", " ", "   ", "# Title", "## Summary", "### Time line ###", "## A & B", "#",
    "## ", "# foo#", "## x ##  ", "#  # ", "#hashtag", "####### seven", "## **Bold** x",
    "# `code`", "# a <b>c</b>", "## [l](u)", "# a_b_c", "# ~~s~~", "## x \\#", "## A &amp; B",
    "Some text here.", "More words, and **bold** text.", "*emph* start", "**Impact:** big",
    "_under_ score", "-5% drop", "+1 vote", "12:30 UTC: it broke", "1.5 hours", "~5 min",
    "[link](u) x", "[a] b", "[a\\]b](c)", "Title\u{a0}#", "## \u{a0}Lead", "text <b>tag</b>",
    "- item", "- [ ] task", "- [x] done", "- [X] Done", "* star item", "+ plus item",
    "- **Duration:** 2h", "- 12:30 started", "- [link](u)", "-  two spaces", "- [ ]",
    "- [ ]  two", "- [-] odd", "- # heading item", "- > quote item", "- - nested", "-", "- ",
    "1. one", "2. two", "1) p", "3) q", "01. z", "10. ten", "1. [ ] t", "- 1. n", "1. - n",
    "1.", "  continued", "    indented", "  - nested", "   # not", "  **bold cont**", "---",
    "***", "___", "===", "- - -", "--", "= x", "> quote", "<div>", "<!-- c -->", "[ref]: /url",
    "[^1]: note", "\ttab", "text\r", "`code` start", "``two`` y", "```", "```sh", "~~~", "~~~~",
    "````", "``` x ` y", "  ```", "    ```", "```  ", "~~~ md", "\tcode\t", "| a | b |",
    "| - | - |", "|---|---|", "a | b", "--|--", ":-:|:--", "| x |", "|---|", "| 1 | 2 |",
    "| a \\| b |", "| `a|b` | c |", "||", "| - |", "  | - |", "  :--|", "+++", "...",
    "title: x", "a = 1", "- ``` TBD", "1. ```", "* ~~~ X", "- `code` x", "- ``two``", "#\x0cT", "##\x0bT", "-\x0c", "=\x0b", "#\x0c", "- \x0c",
];

/// How a generated text may start: front matter, or what only looks like it.
#[rustfmt::skip]
const STARTS: &[&str] = &[
    "", "", "", "---\n", "+++\n", "---\ntitle: x\n", "---\n\n", "---\na: 1\n---\n",
    "+++\na = 1\n+++\n", "---\na: 1\n...\n", "---\na\n\nb\n---\n", "---\n...\n",
];

/// A line from [`LINES`], or a short run of the bytes Markdown's blocks start with.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(LINES).prop_map(str::to_owned),
        1 => "[-*+#>\\[\\] x1.a_`~<|:!&)=\t]{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(4096)
    ))]

    /// Where the line reading reads a text, its outline is the full parse's.
    #[test]
    fn a_plain_reading_is_the_full_parse(
        start in prop::sample::select(STARTS),
        lines in prop::collection::vec(line(), 1..16),
        final_newline in any::<bool>(),
    ) {
        let mut text = format!("{start}{}", lines.join("\n"));
        if final_newline {
            text.push('\n');
        }
        if let Some(outline) = build(&text) {
            prop_assert_eq!(outline, parse(&text), "{:?}", text);
        }
    }
}

/// A report written the common way is read without the full parse.
#[test]
fn a_plain_report_is_read_a_line_at_a_time() {
    let report = "---\ntitle: Checkout outage\n---\n# Postmortem: checkout outage\n\n\
        ## Summary\n\n| Field | Value |\n| --- | :-: |\n| Severity | 2 |\n\n- **Duration:** 2 hours\n\
        - Impact: 20% of users\nwrapped onto a second line\n\n## Timeline\n\n\
        1. 14:10 UTC: alerts fired\n2. 14:20 UTC: rolled back\n\n\
        [Dashboard](https://example.com) showed the errors.\n\n## Action items\n\n\
        - [ ] add an alert\n\n- [x] fix the config\n\n### `deploy` tool, **v2**\n\n\
        ```sh\n# not a heading\n\tmake deploy\n```\nDone.";
    let outline = build(report).expect("a plain report");
    assert_eq!(outline, parse(report));
    let kinds = |kind| outline.blocks.iter().filter(|b| b.kind == kind).count();
    assert_eq!((kinds(BlockKind::Table), kinds(BlockKind::Code)), (1, 1));
    assert!(outline.front_matter.is_some());
    let titles: Vec<&str> = outline.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Postmortem: checkout outage",
            "Summary",
            "Timeline",
            "Action items",
            "deploy tool, v2"
        ]
    );
}

/// What the line reading leaves to the full parse.
#[test]
fn other_markdown_is_left_to_the_full_parse() {
    for text in [
        "Text\n| a | b |\n| - | - |\n",
        "| a | b |\n| - |\n",
        "```\nnever closed\n",
        "    indented code\n",
        "> quoted\n",
        "<div>\n# not a heading\n</div>\n",
        "- item\n  - nested\n",
        "Title\n=====\n",
        "---\n\ntitle: x\n---\n# Title\n",
        "[ref]: https://example.com\n",
        "[^1]: a note\n",
        "# Title\r\n",
        "-\tTabbed item\n",
        // An item that opens a fence holds code (a hostile review).
        "## Timeline\n\n- ~~~ TBD\n",
        "Add tests\n1. ```\n",
        // Line tabulation and form feed are white space to CommonMark (a hostile review).
        "#\x0cTimeline\n",
        "##\x0bTimeline",
        "Timeline\n-\x0c\n",
        "# Timeline\n#\x0c\n",
        "Text\n2. not a list\n",
        "- item\n\n  second paragraph\n",
    ] {
        assert_eq!(build(text), None, "{text:?}");
    }
}
