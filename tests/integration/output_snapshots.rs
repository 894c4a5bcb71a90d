//! Snapshots of the human and concise formats (insta): what a person sees must not drift unnoticed.

use crate::fixtures_tree::fixtures_repo;

#[test]
fn human_output() {
    let test = fixtures_repo();
    let out = test.run_with(&[
        "check",
        "--format",
        "human",
        "--color",
        "never",
        "postmortem",
        "conflicts/diff3-style.md",
        "conflicts/orphan-end.md",
        "conflicts/recursive-nested.md",
        "traps/git-tutorial.md",
    ]);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn concise_output() {
    let test = fixtures_repo();
    let out = test.run_with(&["check", "--format", "concise"]);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn diff_output() {
    let test = fixtures_repo();
    let out = test.run_with(&[
        "--color",
        "never",
        "diff",
        "conflicts/diff3-style.md",
        "conflicts/merge-style.md",
        "postmortem",
    ]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stdout);
}
