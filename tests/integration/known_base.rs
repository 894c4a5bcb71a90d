//! Bases Git still knows for conflicts written in the plain merge style (no base in the markers):
//! the index stages of an unmerged path and the commits the labels name. Real merges with the
//! `git` binary; `resolve` must use such a base only while the file reads as Git wrote it.

use crate::harness::{Git, Test};

const BASE: &str = "## A\na\n## B\nb\n## C\nc\n## D\nd\n";

/// Both sides retitle B and C the same way, which chains one Git hunk from section A to C; ours
/// edits A, theirs edits C (and each side's `b2` is the given text).
fn sides(ours_b: &str, theirs_b: &str) -> (String, String) {
    let retitled = |b: &str| {
        BASE.replace("## B\nb\n", &format!("## B2\n{b}\n"))
            .replace("## C\n", "## C2\n")
    };
    (
        retitled(ours_b).replace("a\n", "a1\n"),
        retitled(theirs_b).replace("c\n", "c1\n"),
    )
}

/// A repository in the middle of a merge of `theirs` into `ours`, in Git's default style.
fn unmerged(ours: &str, theirs: &str) -> Test {
    unmerged_with(ours, theirs, &[])
}

fn unmerged_with(ours: &str, theirs: &str, config: &[(&str, &str)]) -> Test {
    let test = Test::new();
    let git = test.git();
    git.init();
    for (key, value) in config {
        git.ok(&["config", key, value]);
    }
    let code = git.merge_topic(&[(
        "doc.md",
        BASE.as_bytes(),
        ours.as_bytes(),
        theirs.as_bytes(),
    )]);
    assert_ne!(code, 0, "the merge should conflict");
    let text = read(&test);
    assert!(
        text.contains("<<<<<<< HEAD") && !text.contains("|||||||"),
        "{text}"
    );
    test
}

fn read(test: &Test) -> String {
    std::fs::read_to_string(test.path().join("doc.md")).expect("read")
}

fn stage(git: &Git<'_>, n: u8) -> String {
    String::from_utf8(git.ok(&["show", &format!(":{n}:doc.md")])).expect("UTF-8")
}

#[test]
fn auto_merges_with_the_base_from_the_index_stages() {
    let (ours, theirs) = sides("b2", "b2");
    let test = unmerged(&ours, &theirs);
    let out = test
        .run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(0);
    assert_eq!(out.stderr, "mergemark: doc.md: 1 resolved, 0 remaining\n");
    assert_eq!(read(&test), "## A\na1\n## B2\nb2\n## C2\nc1\n## D\nd\n");
}

#[test]
fn a_crlf_checkout_of_lf_blobs_is_matched_too() {
    let (ours, theirs) = sides("b2", "b2");
    let test = unmerged_with(&ours, &theirs, &[("core.autocrlf", "true")]);
    assert!(read(&test).contains("<<<<<<< HEAD\r\n"));
    test.run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(0);
    assert_eq!(
        read(&test),
        "## A\r\na1\r\n## B2\r\nb2\r\n## C2\r\nc1\r\n## D\r\nd\r\n"
    );
}

#[test]
fn base_strategy_gives_stage_one() {
    let (ours, theirs) = sides("b2", "b2");
    let test = unmerged(&ours, &theirs);
    let out = test
        .run_with(&["resolve", "--strategy", "base", "--stdout", "doc.md"])
        .status(0);
    // Every line outside the conflict is unchanged on both sides here, so the whole file is
    // the common ancestor.
    assert_eq!(out.stdout, stage(&test.git(), 1));
}

#[test]
fn only_the_section_both_sides_changed_stays_in_conflict() {
    let (ours, theirs) = sides("b-ours", "b-theirs");
    let test = unmerged(&ours, &theirs);
    test.run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(1);
    assert_eq!(
        read(&test),
        "## A\na1\n<<<<<<< HEAD\n## B2\nb-ours\n|||||||\n## B\nb\n=======\n## B2\nb-theirs\n>>>>>>> topic\n## C2\nc1\n## D\nd\n"
    );
}

#[test]
fn a_block_edited_by_hand_is_not_merged_with_the_stages() {
    let (ours, theirs) = sides("b2", "b2");
    let test = unmerged(&ours, &theirs);
    // Someone started resolving by hand: the stages no longer describe this block.
    let edited = read(&test).replace("a1\n", "a1, reworded by hand\n");
    std::fs::write(test.path().join("doc.md"), &edited).expect("write");
    test.run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(1);
    assert_eq!(read(&test), edited);
}

#[test]
fn shared_lines_git_moved_out_of_the_block_are_merged_too() {
    // Both sides add the same line before their different edits; Git's merge style writes it
    // above the block, so the stretch to merge reaches into the clean text.
    let ours = BASE
        .replace("## A\na\n", "## A\nshared\na1\n")
        .replace("## B\n", "## B2\n");
    let theirs = BASE
        .replace("## A\na\n", "## A\nshared\na\n")
        .replace("## B\n", "## B2\n")
        .replace("b\n", "b1\n");
    let test = unmerged(&ours, &theirs);
    assert!(
        read(&test).contains("shared\n<<<<<<< HEAD\n"),
        "{}",
        read(&test)
    );
    test.run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(0);
    assert_eq!(
        read(&test),
        "## A\nshared\na1\n## B2\nb1\n## C\nc\n## D\nd\n"
    );
}

#[test]
fn a_committed_conflict_uses_the_commits_its_labels_name() {
    // The seed's situation: a file committed with markers whose labels are commit ids.
    let (ours, theirs) = sides("b2", "b2");
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("doc.md", BASE.as_bytes());
    git.commit_all("base");
    git.ok(&["checkout", "-q", "-b", "topic"]);
    git.write("doc.md", theirs.as_bytes());
    git.commit_all("theirs");
    let theirs_id = git.rev_parse("HEAD");
    git.ok(&["checkout", "-q", "main"]);
    git.write("doc.md", ours.as_bytes());
    git.commit_all("ours");
    let ours_id = git.rev_parse("HEAD");
    for (name, text) in [("o", &ours), ("b", &BASE.to_owned()), ("t", &theirs)] {
        std::fs::write(test.path().join(name), text).expect("write");
    }
    let (code, conflicted) = git.status(&[
        "merge-file",
        "-p",
        "-L",
        &ours_id,
        "-L",
        "base",
        "-L",
        &theirs_id,
        "o",
        "b",
        "t",
    ]);
    assert_eq!(code, 1);
    for name in ["o", "b", "t"] {
        std::fs::remove_file(test.path().join(name)).expect("remove");
    }
    git.write("doc.md", &conflicted);
    git.commit_all("committed with markers");
    test.run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(0);
    assert_eq!(read(&test), "## A\na1\n## B2\nb2\n## C2\nc1\n## D\nd\n");

    // Labels that name no commit here (the seed's 22f09c8d... in another clone): nothing known.
    let unknown = String::from_utf8(conflicted)
        .expect("UTF-8")
        .replace(&theirs_id, &"e".repeat(40));
    std::fs::write(test.path().join("doc.md"), &unknown).expect("write");
    test.run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(1);
    assert_eq!(read(&test), unknown);
}

#[test]
fn the_interactive_resolver_offers_the_recovered_base_and_section_merge() {
    let (ours, theirs) = sides("b2", "b2");
    let test = unmerged(&ours, &theirs);
    let (code, stdout, _) = crate::harness::run_interactive(&test, "s\ny\n", None);
    assert!(stdout.contains("[b] base"), "{stdout}");
    assert!(stdout.contains("[s] section-aware merge"), "{stdout}");
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(read(&test), "## A\na1\n## B2\nb2\n## C2\nc1\n## D\nd\n");
}

#[test]
fn diff_shows_what_each_side_changed_from_the_recovered_base() {
    let (ours, theirs) = sides("b2", "b2");
    let test = unmerged(&ours, &theirs);
    let out = test
        .run_with(&["diff", "--format", "json", "doc.md"])
        .status(1);
    let pairs = out.json()["files"][0]["regions"][0]["pairs"].clone();
    let shape: Vec<(String, String, String)> = pairs
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            (
                p["from"].as_str().unwrap_or_default().to_owned(),
                p["to"].as_str().unwrap_or_default().to_owned(),
                p["from_label"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expect =
        |from: &str, to: &str, label: &str| (from.to_owned(), to.to_owned(), label.to_owned());
    assert_eq!(
        shape,
        [
            expect("ours", "theirs", "HEAD"),
            expect("base", "ours", "base (from Git)"),
            expect("base", "theirs", "base (from Git)"),
        ]
    );
    // Base lines are not in the file: they have no line number.
    let first = &pairs[1]["lines"][0];
    assert_eq!(first["tag"], "delete");
    assert!(first["old_line"].is_null());
}
