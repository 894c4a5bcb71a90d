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
