//! The line merge (`m` in the interactive resolver): offered where both sides changed
//! neighbouring lines, and taken by no strategy (not precise enough to be taken unseen yet).

use crate::harness::Test;

const NEIGHBOURS: &str =
    "top\n<<<<<<< ours\nA\nb\n||||||| base\na\nb\n=======\na\nB\n>>>>>>> theirs\nend\n";

#[test]
fn the_interactive_resolver_offers_the_line_merge_of_neighbouring_edits() {
    let test = Test::new().write("doc.md", NEIGHBOURS);
    let out = test.run_with_keys(&["resolve", "--interactive", "doc.md"], "m\ny\n", None);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("[m] line merge"), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "top\nA\nB\nend\n"
    );
}

#[test]
fn no_strategy_takes_the_line_merge_unseen() {
    let test = Test::new().write("doc.md", NEIGHBOURS);
    let out = test.run_with(&["resolve", "--strategy", "auto", "--stdout", "doc.md"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stdout, NEIGHBOURS);
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
        git.merge_topic(&[("doc.md", b"a\nb\nc", b"a\nB\nc", b"a\nb\nC")]),
        0
    );
    let out = test.run_with_keys(&["resolve", "--interactive", "doc.md"], "m\ny\n", None);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        std::fs::read(test.path().join("doc.md")).expect("read"),
        b"a\nB\nC"
    );
}

#[test]
fn the_prompt_shows_what_each_side_changed_from_the_base() {
    let test = Test::new().write("doc.md", NEIGHBOURS);
    let out = test.run_with_keys(&["resolve", "--interactive", "doc.md"], "q\n", None);
    for pair in [
        "ours `ours` -> theirs `theirs`:",
        "base `base` -> ours `ours`:\n  - a\n  + A\n    b\n",
        "base `base` -> theirs `theirs`:\n    a\n  - b\n  + B\n",
    ] {
        assert!(out.stdout.contains(pair), "{pair:?} in {}", out.stdout);
    }
}
