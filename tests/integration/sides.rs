//! The interactive resolver says what ours and theirs mean when it is not a plain merge.

use crate::harness::Test;

#[test]
fn a_stash_pop_conflict_names_the_stash() {
    let text = "<<<<<<< Updated upstream\nnew\n=======\nmine\n>>>>>>> Stashed changes\n";
    let test = Test::new().write("doc.md", text);
    let out = test.run_with_keys(&["resolve", "--interactive", "doc.md"], "q\n", None);
    assert!(
        out.stderr.contains("theirs your stashed changes"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_rebase_conflict_says_which_side_is_which() {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("doc.md", b"a\nb\n");
    git.commit_all("base");
    git.ok(&["checkout", "-q", "-b", "topic"]);
    git.write("doc.md", b"a\nmine\n");
    git.commit_all("mine");
    git.ok(&["checkout", "-q", "main"]);
    git.write("doc.md", b"a\nupstream\n");
    git.commit_all("upstream");
    git.ok(&["checkout", "-q", "topic"]);
    assert_ne!(git.status(&["rebase", "-q", "main"]).0, 0);
    let out = test.run_with_keys(&["resolve", "--interactive", "doc.md"], "q\n", None);
    assert!(
        out.stderr
            .contains("a rebase is in progress: ours is the branch being rebased onto"),
        "{}",
        out.stderr
    );
    // A plain file says nothing of the kind.
    let plain = Test::new().write("doc.md", "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\n");
    let out = plain.run_with_keys(&["resolve", "--interactive", "doc.md"], "q\n", None);
    assert!(!out.stderr.contains("note:"), "{}", out.stderr);
}
