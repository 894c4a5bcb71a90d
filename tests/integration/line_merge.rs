//! The precise merge (`m` in the interactive resolver, and `auto`'s after the trivial
//! resolution): neighbouring edits of list items settled, neighbouring edits of prose left.

use crate::harness::Test;

const NEIGHBOURS: &str = "top\n<<<<<<< ours\n- [A](a) new\n- [B](b)\n||||||| base\n- [A](a)\n- [B](b)\n=======\n- [A](a)\n- [B](b) new\n>>>>>>> theirs\nend\n";

const PROSE_NEIGHBOURS: &str =
    "top\n<<<<<<< ours\nA\nb\n||||||| base\na\nb\n=======\na\nB\n>>>>>>> theirs\nend\n";

#[test]
fn the_interactive_resolver_offers_the_line_merge_of_neighbouring_edits() {
    let test = Test::new().write("doc.md", NEIGHBOURS);
    let out = test.run_with_keys(&["resolve", "--interactive", "doc.md"], "m\ny\n", None);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("[m] line merge"), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "top\n- [A](a) new\n- [B](b) new\nend\n"
    );
}

#[test]
fn auto_takes_the_precise_merge_and_says_which_rule() {
    let test = Test::new().write("doc.md", NEIGHBOURS);
    let out = test.run_with(&["resolve", "--strategy", "auto", "--stdout", "-v", "doc.md"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "top\n- [A](a) new\n- [B](b) new\nend\n");
    assert!(
        out.stderr
            .contains("doc.md: conflict 1 settled by line-merge (item-edits)"),
        "{}",
        out.stderr
    );
}

#[test]
fn auto_leaves_neighbouring_edits_of_prose() {
    let test = Test::new().write("doc.md", PROSE_NEIGHBOURS);
    let out = test.run_with(&["resolve", "--strategy", "auto", "--stdout", "doc.md"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stdout, PROSE_NEIGHBOURS);
}

#[test]
fn verbose_says_what_settled_each_region() {
    let text = "<<<<<<< ours\nsame\n||||||| base\nold\n=======\nsame\n>>>>>>> theirs\n";
    let test = Test::new().write("doc.md", text);
    let out = test.run_with(&[
        "resolve",
        "--strategy",
        "auto",
        "--stdout",
        "--verbose",
        "doc.md",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("doc.md: conflict 1 settled by trivial"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_line_merge_adds_no_final_newline_no_version_had() {
    let test = Test::new();
    let git = test.git();
    git.init();
    assert_ne!(
        git.merge_topic(&[(
            "doc.md",
            b"- [a](a)\n- [b](b)\n- [c](c)",
            b"- [a](a)\n- [b](b) B\n- [c](c)",
            b"- [a](a)\n- [b](b)\n- [c](c) C"
        )]),
        0
    );
    let out = test.run_with_keys(&["resolve", "--interactive", "doc.md"], "m\ny\n", None);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        std::fs::read(test.path().join("doc.md")).expect("read"),
        b"- [a](a)\n- [b](b) B\n- [c](c) C"
    );
}

#[test]
fn the_prompt_shows_what_each_side_changed_from_the_base() {
    let test = Test::new().write("doc.md", NEIGHBOURS);
    let out = test.run_with_keys(&["resolve", "--interactive", "doc.md"], "q\n", None);
    for pair in [
        "ours `ours` -> theirs `theirs`:",
        "base `base` -> ours `ours`:\n  - - [A](a)\n  + - [A](a) new\n    - [B](b)\n",
        "base `base` -> theirs `theirs`:\n    - [A](a)\n  - - [B](b)\n  + - [B](b) new\n",
    ] {
        assert!(out.stdout.contains(pair), "{pair:?} in {}", out.stdout);
    }
}

#[test]
fn json_names_what_settled_each_conflict_and_why_others_were_left() {
    let text = format!("{NEIGHBOURS}\n{PROSE_NEIGHBOURS}");
    let test = Test::new().write("doc.md", &text);
    let out = test.run_with(&[
        "resolve",
        "--strategy",
        "auto",
        "--format",
        "json",
        "doc.md",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let file = &report["files"][0];
    assert_eq!(file["path"], "doc.md");
    assert_eq!(file["resolved"], 1);
    assert_eq!(file["remaining"], 1);
    assert_eq!(file["written"], true);
    assert_eq!(file["conflicts"][0]["settled_by"], "line-merge");
    assert_eq!(
        file["conflicts"][0]["rules"],
        serde_json::json!(["item-edits"])
    );
    assert_eq!(file["conflicts"][1]["conflict"], 2);
    assert!(
        file["conflicts"][1]["left"]
            .as_str()
            .is_some_and(|why| why.contains("person")),
        "{}",
        out.stdout
    );
}

/// `auto` in a repository whose merge wrote Git's default style (no base in the markers): the
/// base Git still knows (the index stages) serves the precise merge too.
#[test]
fn auto_merges_a_sorted_list_in_the_default_style_with_the_base_git_knows() {
    let test = Test::new();
    let git = test.git();
    git.init();
    let base = "# L\n\n- apple\n- cherry\n- grape\n- melon\n";
    let ours = "# L\n\n- apple\n- banana\n- cherry\n- grape\n- melon\n";
    let theirs = "# L\n\n- apple\n- blueberry\n- cherry\n- grape\n- melon\n";
    assert_ne!(
        git.merge_topic(&[(
            "list.md",
            base.as_bytes(),
            ours.as_bytes(),
            theirs.as_bytes()
        )]),
        0
    );
    let out = test.run_with(&["resolve", "--strategy", "auto", "-v", "list.md"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        std::fs::read_to_string(test.path().join("list.md")).expect("read"),
        "# L\n\n- apple\n- banana\n- blueberry\n- cherry\n- grape\n- melon\n"
    );
    assert!(out.stderr.contains("sorted-insertions"), "{}", out.stderr);
}

/// In code, a comment, or the front matter, `# x` is no heading and `- x` no item: neither the
/// section merge nor the precise merge settles a conflict there (found by a hostile read).
#[test]
fn nothing_is_merged_by_headings_or_items_in_code_comments_or_front_matter() {
    let cases: [(&str, &str, &str); 3] = [
        (
            "# Deploy\n\n```python\n# retry policy\nRETRIES = 3\n# timeout seconds\nTIMEOUT = 10\n```\n",
            "RETRIES = 3",
            "# timeout seconds\n",
        ),
        (
            "---\ntitle: x\n# comment\ntags: [a]\n---\n\n# Doc\n\ntext\n",
            "title: x",
            "# comment\n",
        ),
        (
            "# Doc\n\n<!--\n# hidden\nfoo\n# hidden2\nbar\n-->\n\ntext\n",
            "foo",
            "# hidden2\n",
        ),
    ];
    for (base, ours_line, theirs_line) in cases {
        let ours = base.replacen(ours_line, "CHANGED = 0", 1);
        let theirs = base.replacen(theirs_line, "# changed too\n", 1);
        for style in ["merge", "diff3"] {
            let test = Test::new();
            let git = test.git();
            git.init();
            git.ok(&["config", "merge.conflictStyle", style]);
            assert_ne!(
                git.merge_topic(&[(
                    "doc.md",
                    base.as_bytes(),
                    ours.as_bytes(),
                    theirs.as_bytes()
                )]),
                0,
                "{base}"
            );
            let before = std::fs::read(test.path().join("doc.md")).expect("read");
            let out = test.run_with(&["resolve", "--strategy", "auto", "doc.md"]);
            assert_eq!(out.code, 1, "{style}: {base}\n{out:?}");
            assert_eq!(
                std::fs::read(test.path().join("doc.md")).expect("read"),
                before
            );
        }
    }
}

/// Found by a hostile read: code in a list item, and indented code, are no lists, even where
/// Git's markers (in column one) would end the list item around them.
#[test]
fn items_added_to_code_in_a_list_item_or_indented_code_are_left() {
    for (base, ours, theirs) in [
        (
            "# CI\n\n1. Add the pipeline:\n\n   ```yaml\n   steps:\n   - build\n   - deploy\n   - test\n   ```\n",
            "   - deploy\n   - package\n",
            "   - deploy\n   - publish\n",
        ),
        (
            "# CI\n\nText:\n\n    - build\n    - deploy\n    - test\n",
            "    - deploy\n    - package\n",
            "    - deploy\n    - publish\n",
        ),
    ] {
        let deploy = if base.contains("```") { "   - deploy\n" } else { "    - deploy\n" };
        let (ours, theirs) = (base.replacen(deploy, ours, 1), base.replacen(deploy, theirs, 1));
        let test = Test::new();
        let git = test.git();
        git.init();
        git.ok(&["config", "merge.conflictStyle", "diff3"]);
        assert_ne!(
            git.merge_topic(&[("doc.md", base.as_bytes(), ours.as_bytes(), theirs.as_bytes())]),
            0
        );
        let out = test.run_with(&["resolve", "--strategy", "auto", "--stdout", "doc.md"]);
        assert_eq!(out.code, 1, "{base}\n{out:?}");
    }
}
