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

#[test]
fn markers_of_another_size_than_the_attribute_are_remaining_for_resolve_and_shown_by_diff() {
    let text = "<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n";
    let test = repo()
        .write(".gitattributes", "*.md conflict-marker-size=12\n")
        .write("d.md", text);
    let check = test.run_with(&["check", "--format", "json"]);
    assert_eq!(check.code, 1, "{check:?}");
    let diff = test.run_with(&["diff"]);
    assert_eq!(diff.code, 1, "diff shows what check reports: {diff:?}");
    assert!(diff.stdout.contains("d.md:1-5"), "{}", diff.stdout);
    for strategy in ["ours", "theirs", "union", "auto"] {
        let out = test.run_with(&["resolve", "--strategy", strategy, "d.md"]);
        assert_eq!(
            out.code, 1,
            "{strategy}: a conflict check reports remains: {out:?}"
        );
        assert!(
            out.stderr.contains("0 resolved, 1 remaining")
                && out.stderr.contains("--marker-size 7"),
            "{}",
            out.stderr
        );
        assert_eq!(
            std::fs::read_to_string(test.path().join("d.md")).expect("read"),
            text
        );
    }
    // Told the size, it resolves them.
    test.run_with(&[
        "resolve",
        "--strategy",
        "ours",
        "--marker-size",
        "7",
        "d.md",
    ])
    .status(0);
    assert_eq!(
        std::fs::read_to_string(test.path().join("d.md")).expect("read"),
        "x\n"
    );
}

#[test]
fn a_broken_or_missing_configuration_is_an_error_of_diff_as_of_check() {
    let conflict = "<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n";
    let test = repo()
        .write("c/x.md", conflict)
        .write("c/mergemark.toml", "bogus = 1\n");
    for args in [
        &["check"][..],
        &["diff"],
        &["resolve", "--strategy", "ours", "--dry-run", "c/x.md"],
    ] {
        let out = test.run_with(args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(
            out.stderr.contains("c/mergemark.toml"),
            "{args:?}: {}",
            out.stderr
        );
    }
    for config in ["/nonexistent/mergemark.toml", "/tmp"] {
        for command in ["check", "diff"] {
            let out = test.run_with(&[command, "--config", config]);
            assert_eq!(out.code, 2, "{command} --config {config}: {out:?}");
            assert!(out.stderr.contains(config), "{}", out.stderr);
        }
    }
}

#[test]
fn diff_shows_unmerged_paths_check_reports_even_without_regions() {
    let test = crate::harness::stopped_merge(Some("l1\nO\nl3\n"), None);
    for args in [&["diff"][..], &["diff", "--staged"]] {
        let out = test.run_with(args);
        assert_eq!(out.code, 1, "{args:?}: {out:?}");
        assert!(
            out.stdout
                .contains("a.md: unmerged in the index (deleted by them)"),
            "{args:?}: {}",
            out.stdout
        );
    }
    let json = test.run_with(&["diff", "--format", "json"]).json();
    assert_eq!(json["files"][0]["unmerged"], "deleted by them", "{json}");
}

#[test]
fn a_preview_of_a_modify_delete_conflict_says_would_be() {
    let test = crate::harness::stopped_merge(Some("l1\nO\nl3\n"), None);
    let out = test.run_with(&["resolve", "--strategy", "theirs", "--dry-run", "a.md"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("a.md: 0 would be resolved, 1 remaining"),
        "{}",
        out.stderr
    );
}

#[test]
fn diff_does_not_show_sides_a_block_cannot_tell_apart() {
    // Ours wrote a setext underline: Git's block then holds two separators.
    let test =
        crate::harness::stopped_merge(Some("Title\n=======\nOURS\n"), Some("l1\nTHEIRS\nl3\n"));
    let check = test.run_with(&["check", "--format", "json", "a.md"]);
    assert_eq!(check.code, 1, "{check:?}");
    assert!(
        check.findings().iter().any(|f| f.1 == "broken-conflict"),
        "{}",
        check.stdout
    );
    let diff = test.run_with(&["diff", "a.md"]);
    assert_eq!(diff.code, 1, "{diff:?}");
    assert!(
        diff.stdout.contains("sides not shown") && !diff.stdout.contains("OURS"),
        "{}",
        diff.stdout
    );
}

#[test]
fn a_path_with_a_newline_keeps_the_base_git_knows() {
    let name = "new\nline.md";
    let test = repo();
    let git = test.git();
    assert_ne!(
        git.merge_topic(&[(name, b"a\nb\nc\n", b"a\nO\nc\n", b"a\nT\nc\n")]),
        0
    );
    let out = test.run_with(&["resolve", "--strategy", "base", "--stdout", name]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "a\nb\nc\n"), "{out:?}");
    let diff = test.run_with(&["diff", name]);
    assert!(diff.stdout.contains("base (from Git)"), "{}", diff.stdout);
}

#[test]
fn a_side_whose_own_lines_look_like_a_nested_conflict_is_never_taken_apart() {
    // Ours adds `<<<<<<< z` / `A`, theirs `>>>>>>> z` / `=======` / `B`: Git's block then reads
    // as a nested conflict in ours, and theirs as `B` alone.
    let test = repo();
    let git = test.git();
    assert_ne!(
        git.merge_topic(&[(
            "doc.md",
            b"intro\n",
            b"<<<<<<< z\nA\n",
            b">>>>>>> z\n=======\nB\n"
        )]),
        0
    );
    let before = std::fs::read(test.path().join("doc.md")).expect("read");
    for strategy in ["ours", "theirs", "union", "auto"] {
        let out = test.run_with(&["resolve", "--strategy", strategy, "--add", "doc.md"]);
        assert_eq!(out.code, 1, "{strategy}: {out:?}");
        assert!(
            out.stderr.contains("left as it is"),
            "{strategy}: {}",
            out.stderr
        );
        assert_eq!(
            std::fs::read(test.path().join("doc.md")).expect("read"),
            before
        );
    }
    let stages = String::from_utf8(git.ok(&["ls-files", "-s", "doc.md"])).expect("UTF-8");
    assert!(stages.contains(" 3\tdoc.md"), "still unmerged: {stages}");
}

#[test]
fn a_block_left_because_its_side_holds_a_conflict_says_so() {
    let text = "<<<<<<< HEAD\n<<<<<<<<< a\nx\n=========\ny\n>>>>>>>>> b\n=======\nz\n>>>>>>> t\n";
    let test = Test::new().write("doc.md", text);
    let out = test.run_with(&["resolve", "--strategy", "ours", "--stdout", "doc.md"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("conflict 1 left as it is: the side it would take holds a conflict"),
        "{}",
        out.stderr
    );
}

#[test]
fn diff_shows_a_jujutsu_conflict_as_its_sides_read() {
    let text = "x\n<<<<<<< Conflict 1 of 1\n%%%%%%% Changes from base to side #1\n-a\n+b\n+++++++ Contents of side #2\nc\n>>>>>>> Conflict 1 of 1 ends\n";
    let test = Test::new().write("j.md", text);
    let out = test.run_with(&["diff", "j.md"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains(
            "j.md:2-8: ours `Changes from base to side #1` -> theirs `Contents of side #2`\n-          | b\n+        7 | c\n"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn diff_names_the_lone_markers_check_reports() {
    let test = Test::new()
        .write("x.md", "a\n<<<<<<< HEAD\nours\n")
        .write("y.md", "b\n>>>>>>> topic\n");
    let check = test.run_with(&["check", "--format", "json", "."]);
    assert_eq!(check.code, 1);
    let diff = test.run_with(&["diff", "--format", "json", "."]);
    assert_eq!(diff.code, 1, "{diff:?}");
    let json = diff.json();
    let files: Vec<&str> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("a path"))
        .collect();
    assert_eq!(files, ["x.md", "y.md"], "{json}");
    assert!(json["files"][1]["regions"][0]["unreadable"]
        .as_str()
        .is_some_and(|why| why.contains("has no start marker")));
}

#[test]
fn an_empty_visual_leaves_editor_in_charge() {
    use std::io::Write as _;
    let test = Test::new().write("doc.md", "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\n");
    let editor = test.path().join("ed.sh");
    std::fs::write(&editor, "#!/bin/sh\nprintf 'mine\\n' > \"$1\"\n").expect("write");
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .expect("chmod");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(test.path())
        .args(["resolve", "--interactive", "doc.md"])
        .env("VISUAL", "")
        .env("EDITOR", &editor)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"e\ny\n")
        .expect("keys");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "mine\n"
    );
}

#[test]
fn resolve_says_it_leaves_a_lone_marker() {
    let test = Test::new().write("lone.md", "a\n<<<<<<< HEAD\nb\n");
    let out = test.run_with(&["resolve", "--strategy", "ours", "--stdout", "lone.md"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("lone.md: line 2: conflict start marker `<<<<<<< HEAD` is never closed"),
        "{}",
        out.stderr
    );
    let interactive = test.run_with_keys(&["resolve", "--interactive", "lone.md"], "q\n", None);
    assert!(
        interactive.stderr.contains("line 2:"),
        "{}",
        interactive.stderr
    );
}

#[test]
fn resolve_without_paths_takes_the_unmerged_paths() {
    let test = crate::harness::stopped_merge(Some("l1\nO\nl3\n"), Some("l1\nT\nl3\n"));
    let out = test.run_with(&["resolve", "--strategy", "theirs"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        std::fs::read_to_string(test.path().join("a.md")).expect("read"),
        "l1\nT\nl3\n"
    );
    // Nothing unmerged left to resolve: said, and clean.
    let clean = Test::new();
    clean.git().init();
    let out = clean.run_with(&["resolve", "--strategy", "ours"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("no unmerged paths"), "{}", out.stderr);
    // Outside a repository, paths are needed.
    let outside = Test::new();
    assert_eq!(outside.run_with(&["resolve", "--strategy", "ours"]).code, 2);
}

#[test]
fn base_says_why_it_cannot_be_used() {
    let test = Test::new().write("doc.md", "<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> t\n");
    let out = test.run_with(&["resolve", "--strategy", "base", "--stdout", "doc.md"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("conflict 1 left as it is: its markers carry no base"),
        "{}",
        out.stderr
    );
}

#[test]
fn read_alone_a_block_nesting_markers_of_its_own_size_is_left() {
    // Found by the differential harness once it generated sides that add marker-like runs: Git's
    // block around ours `<<<<<<< z`/`A` and theirs `>>>>>>> z`/`=======`/`B`, read with no
    // merge to ask, looks like a nested conflict in ours and `B` alone in theirs.
    let text = "<<<<<<< HEAD\n<<<<<<< z\nA\n=======\n>>>>>>> z\n=======\nB\n>>>>>>> topic\n";
    let test = Test::new().write("doc.md", text);
    for strategy in ["ours", "theirs", "union", "base", "auto"] {
        let out = test.run_with(&["resolve", "--strategy", strategy, "--stdout", "doc.md"]);
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (1, text),
            "{strategy}: {out:?}"
        );
        assert!(
            out.stderr.contains("left as it is"),
            "{strategy}: {}",
            out.stderr
        );
    }
}
