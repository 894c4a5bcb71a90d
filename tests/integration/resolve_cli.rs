//! `mergemark resolve --strategy`: writing, preserving bytes, exit codes, refusals.

use crate::harness::Test;

const CRLF_BOM: &[u8] = b"\xEF\xBB\xBF# Doc\r\n<<<<<<< HEAD\r\nours\r\n=======\r\ntheirs\r\n>>>>>>> topic\r\nlast line, no newline";

#[test]
fn writes_in_place_keeping_bom_line_endings_final_newline_and_mode() {
    let test = Test::new().write("doc.md", CRLF_BOM);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            test.path().join("doc.md"),
            std::fs::Permissions::from_mode(0o600),
        )
        .expect("chmod");
    }
    let out = test
        .run_with(&["resolve", "--strategy", "theirs", "--backup", "doc.md"])
        .status(0);
    assert_eq!(out.stderr, "mergemark: doc.md: 1 resolved, 0 remaining\n");
    let written = std::fs::read(test.path().join("doc.md")).expect("read");
    assert_eq!(
        written,
        b"\xEF\xBB\xBF# Doc\r\ntheirs\r\nlast line, no newline"
    );
    assert_eq!(
        std::fs::read(test.path().join("doc.md.orig")).expect("backup"),
        CRLF_BOM
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(test.path().join("doc.md"))
            .expect("meta")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Nothing left over in the directory but the file and its backup.
    let mut names: Vec<String> = std::fs::read_dir(test.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["doc.md", "doc.md.orig"]);
    // Now clean: check agrees.
    test.run_with(&["check", "doc.md"]).status(0);
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let test = Test::new().write("doc.md", "a\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> t\nb\n");
    let out = test
        .run_with(&["resolve", "--strategy", "ours", "--dry-run", "doc.md"])
        .status(0);
    assert!(
        out.stdout.starts_with("--- a/doc.md\n+++ b/doc.md\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("-<<<<<<< HEAD\n"), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "a\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> t\nb\n"
    );
}

#[test]
fn auto_leaves_what_needs_judgement_and_exits_one() {
    let text =
        "<<<<<<< HEAD\nsame\n=======\nsame\n>>>>>>> t\n\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> t\n";
    let test = Test::new().write("doc.md", text);
    let out = test
        .run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(1);
    assert_eq!(out.stderr, "mergemark: doc.md: 1 resolved, 1 remaining\n");
    let written = std::fs::read_to_string(test.path().join("doc.md")).expect("read");
    assert_eq!(written, "same\n\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> t\n");
}

#[test]
fn refusals_are_errors_and_the_other_files_are_still_resolved() {
    let test = Test::new()
        .write("good.md", "<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> t\n")
        .write("dir/keep.md", "k\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink("good.md", test.path().join("link.md")).expect("symlink");
    let out = test
        .run_with(&[
            "resolve",
            "--strategy",
            "ours",
            "missing.md",
            "dir",
            "link.md",
            "good.md",
        ])
        .status(2);
    assert!(
        out.stderr
            .contains("mergemark: error: missing.md: no such file or directory"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("mergemark: error: dir: not a regular file"),
        "{}",
        out.stderr
    );
    #[cfg(unix)]
    assert!(
        out.stderr
            .contains("mergemark: error: link.md: is a symbolic link"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(test.path().join("good.md")).expect("read"),
        "x\n"
    );
    // Without a strategy there is nothing to do yet: a usage error.
    test.run_with(&["resolve", "good.md"]).status(2);
}

#[test]
fn add_stages_resolved_files_and_never_files_with_markers() {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("a.md", b"one\n");
    git.write("b.md", b"one\n");
    git.commit_all("base");
    git.ok(&["checkout", "-q", "-b", "topic"]);
    git.write("a.md", b"theirs\n");
    git.write("b.md", b"theirs\n");
    git.commit_all("theirs");
    git.ok(&["checkout", "-q", "main"]);
    git.write("a.md", b"ours\n");
    git.write("b.md", b"ours b\n");
    git.commit_all("ours");
    git.status(&["merge", "-q", "topic"]);
    let unmerged = |git: &crate::harness::Git<'_>| {
        String::from_utf8(git.ok(&["ls-files", "-u"])).expect("UTF-8")
    };
    assert!(unmerged(&git).contains("a.md") && unmerged(&git).contains("b.md"));

    test.run_with(&["resolve", "--strategy", "ours", "--add", "a.md"])
        .status(0);
    let after = unmerged(&git);
    assert!(!after.contains("a.md"), "{after}");
    assert!(after.contains("b.md"), "{after}");
    assert_eq!(git.ok(&["show", ":0:a.md"]), b"ours\n");

    // auto cannot settle b.md: the file keeps its markers and is not staged.
    let out = test
        .run_with(&["resolve", "--strategy", "auto", "--add", "b.md"])
        .status(1);
    assert!(
        out.stderr.contains("b.md: not staged: conflicts remain"),
        "{}",
        out.stderr
    );
    assert!(unmerged(&git).contains("b.md"));
}

#[test]
fn diff_json_gives_hunks_as_data() {
    let test = Test::new()
        .write(
            "doc.md",
            "top\n<<<<<<< HEAD\nthe quick fox\n=======\nthe slow fox\n>>>>>>> topic\n",
        )
        .write("clean.md", "nothing here\n");
    let out = test.run_with(&["diff", "--format", "json"]).status(1);
    let json = out.json();
    assert_eq!(json["version"], 1);
    assert_eq!(json["files"].as_array().map(Vec::len), Some(1));
    let region = &json["files"][0]["regions"][0];
    assert_eq!(
        (region["start_line"].as_u64(), region["end_line"].as_u64()),
        (Some(2), Some(6))
    );
    let pair = &region["pairs"][0];
    assert_eq!(
        (pair["from"].as_str(), pair["to"].as_str()),
        (Some("ours"), Some("theirs"))
    );
    assert_eq!(pair["lines"][0]["tag"], "delete");
    assert_eq!(pair["lines"][0]["old_line"], 3);
    assert_eq!(pair["lines"][0]["emphasis"], serde_json::json!([[4, 9]]));
    assert_eq!(pair["lines"][1]["new_line"], 5);
    Test::new()
        .write("a.md", "clean\n")
        .args(["diff"])
        .run()
        .status(0);
}

#[test]
fn auto_merges_section_by_section_when_a_base_is_known() {
    let base = "## A\na\n## B\nb\n## C\nc\n## D\nd\n";
    let ours = "## A\na1\n## B\nb\n## C\nc\n## D\nd\n";
    let theirs = "## A\na\n## B\nb\n## C\nc1\n## D\nd\n";
    let block = |ours: &str, theirs: &str| {
        format!("# Doc\n<<<<<<< HEAD\n{ours}||||||| base\n{base}=======\n{theirs}>>>>>>> topic\n")
    };
    let test = Test::new().write("clean.md", block(ours, theirs));
    test.run_with(&["resolve", "--strategy", "auto", "clean.md"])
        .status(0);
    assert_eq!(
        std::fs::read_to_string(test.path().join("clean.md")).expect("read"),
        "# Doc\n## A\na1\n## B\nb\n## C\nc1\n## D\nd\n"
    );

    // Both sides changed section B: only B stays in conflict, the rest merges.
    let ours_b = ours.replace("b\n", "b-ours\n");
    let theirs_b = theirs.replace("b\n", "b-theirs\n");
    let test = Test::new().write("both.md", block(&ours_b, &theirs_b));
    let out = test
        .run_with(&["resolve", "--strategy", "auto", "both.md"])
        .status(1);
    assert_eq!(out.stderr, "mergemark: both.md: 0 resolved, 1 remaining\n");
    let text = std::fs::read_to_string(test.path().join("both.md")).expect("read");
    assert_eq!(
        text,
        "# Doc\n## A\na1\n<<<<<<< HEAD\n## B\nb-ours\n||||||| base\n## B\nb\n=======\n## B\nb-theirs\n>>>>>>> topic\n## C\nc1\n## D\nd\n"
    );
    // What is left is a well-formed conflict that check reports.
    let out = test
        .run_with(&["check", "--format", "json", "both.md"])
        .status(1);
    assert_eq!(out.findings()[0].1, "conflict-marker");
}

/// Run `mergemark resolve --interactive doc.md` in `test` with `keys` on stdin.
fn interactive(test: &Test, keys: &str, editor: Option<&str>) -> (i32, String, String) {
    use std::io::Write as _;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"));
    command
        .current_dir(test.path())
        .args(["resolve", "--interactive", "doc.md"])
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(editor) = editor {
        command.env("EDITOR", editor);
    }
    let mut child = command.spawn().expect("spawning mergemark");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(keys.as_bytes())
        .expect("writing keys");
    let output = child.wait_with_output().expect("waiting");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const TWO: &str = "# Doc\n<<<<<<< HEAD\none ours\n=======\none theirs\n>>>>>>> t\nmid\n<<<<<<< HEAD\ntwo ours\n=======\ntwo theirs\n>>>>>>> t\n";

#[test]
fn interactive_choices_undo_and_confirmation() {
    let test = Test::new().write("doc.md", TWO);
    // theirs, then undo, then ours, ours; confirm.
    let (code, stdout, stderr) = interactive(&test, "t\nz\no\nt\ny\n", None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("undone: region 1 is open again"),
        "{stdout}"
    );
    assert!(stdout.contains("[o] ours: no schema"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "# Doc\none ours\nmid\ntwo theirs\n"
    );
}

#[test]
fn interactive_quit_end_of_input_and_refusal_write_nothing() {
    for keys in ["q\n", "o\n", "o\no\nn\n"] {
        let test = Test::new().write("doc.md", TWO);
        let (code, stdout, _) = interactive(&test, keys, None);
        assert_eq!(code, 1, "{keys:?}: {stdout}");
        assert_eq!(
            std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
            TWO,
            "{keys:?}"
        );
    }
}

#[test]
fn interactive_skip_keeps_the_conflict_and_edit_uses_the_editor() {
    let test = Test::new().write("doc.md", TWO);
    let (code, stdout, stderr) = interactive(
        &test,
        "k\ne\ny\n",
        Some("sed -i -e '/^[<=>]/d' -e 's/two/2/'"),
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "# Doc\n<<<<<<< HEAD\none ours\n=======\none theirs\n>>>>>>> t\nmid\n2 ours\n2 theirs\n"
    );
    assert!(stderr.contains("written, 1 remaining"), "{stderr}");
}
