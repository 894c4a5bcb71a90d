//! Regression tests for what a hostile read of the one-road restructuring (issue 12) found:
//! places where `check`, `diff` and `resolve` still read a file differently.

use crate::harness::Test;

const SMALL: &str = "# T\n\n<<< HEAD\nours\n===\ntheirs\n>>> topic\n";

fn repo() -> Test {
    let test = Test::new();
    test.git().init();
    test
}

#[test]
fn a_staged_conflict_is_found_at_the_index_attributes_size_whatever_the_working_tree_says() {
    let test = repo()
        .write(".gitattributes", "*.md conflict-marker-size=3\n")
        .write("doc.md", "# x\n");
    let git = test.git();
    git.commit_all("init");
    let test = test.write("doc.md", SMALL);
    test.git().ok(&["add", "doc.md"]);
    for unstaged in ["", "*.md conflict-marker-size=9\n"] {
        std::fs::write(test.path().join(".gitattributes"), unstaged).expect("write");
        let out = test.run_with(&["check", "--staged", "--format", "json"]);
        assert_eq!(out.code, 1, "the hook must stop it: {out:?}");
        assert_eq!(out.findings()[0].1, "conflict-marker");
        let diff = test.run_with(&["diff", "--staged"]);
        assert_eq!(diff.code, 1, "{diff:?}");
    }
}
