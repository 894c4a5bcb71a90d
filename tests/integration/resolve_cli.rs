//! `mergemark resolve --strategy`: writing, preserving bytes, exit codes, refusals.

use crate::harness::{run_interactive, Test};

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
    assert_eq!(
        out.stderr,
        "mergemark: doc.md: conflict 2 left as it is: both sides changed the same lines: no rule \
         settles that without a person\nmergemark: doc.md: 1 resolved, 1 remaining\n"
    );
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

const TWO: &str = "# Doc\n<<<<<<< HEAD\none ours\n=======\none theirs\n>>>>>>> t\nmid\n<<<<<<< HEAD\ntwo ours\n=======\ntwo theirs\n>>>>>>> t\n";

#[test]
fn interactive_choices_undo_and_confirmation() {
    let test = Test::new().write("doc.md", TWO);
    // theirs, then undo, then ours, ours; confirm.
    let (code, stdout, stderr) = run_interactive(&test, "t\nz\no\nt\ny\n", None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("undone: region 1 is open again"),
        "{stdout}"
    );
    assert!(stdout.contains("  [o] ours\n"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "# Doc\none ours\nmid\ntwo theirs\n"
    );
}

#[test]
fn interactive_quit_end_of_input_and_refusal_write_nothing() {
    for keys in ["q\n", "o\n", "o\no\nn\n"] {
        let test = Test::new().write("doc.md", TWO);
        let (code, stdout, _) = run_interactive(&test, keys, None);
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
    let (code, stdout, stderr) = run_interactive(
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

/// Read the child's stdout until `needle` appears (the prompt is waiting for a key).
fn read_until(stdout: &mut std::process::ChildStdout, needle: &str) -> String {
    use std::io::Read as _;
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&seen).contains(needle) {
        assert_eq!(
            stdout.read(&mut byte).expect("reading the prompt"),
            1,
            "prompt ended early: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.push(byte[0]);
    }
    String::from_utf8_lossy(&seen).into_owned()
}

fn spawn_interactive(test: &Test) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(test.path())
        .args(["resolve", "--interactive", "doc.md"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawning mergemark")
}

#[cfg(unix)]
#[test]
fn ctrl_c_at_the_prompt_writes_nothing() {
    let test = Test::new().write("doc.md", TWO);
    let mut child = spawn_interactive(&test);
    let mut stdout = child.stdout.take().expect("stdout");
    read_until(&mut stdout, "choose [");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("running kill");
    assert!(status.success());
    let status = child.wait().expect("waiting");
    assert_eq!(status.code(), None, "ended by the signal");
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        TWO
    );
}

#[test]
fn a_file_changed_before_confirmation_is_not_overwritten() {
    use std::io::Write as _;
    let test = Test::new().write("doc.md", TWO);
    let mut child = spawn_interactive(&test);
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = child.stdout.take().expect("stdout");
    stdin.write_all(b"o\no\n").expect("keys");
    read_until(&mut stdout, "[y/N]");
    std::fs::write(test.path().join("doc.md"), "someone else's edit\n").expect("concurrent edit");
    stdin.write_all(b"y\n").expect("confirm");
    drop(stdin);
    let output = child.wait_with_output().expect("waiting");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("changed on disk since it was read"));
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "someone else's edit\n"
    );
}

/// SIGKILL while a large file is being written: afterwards the file is either the original or
/// the complete result, and nothing else is left but at most a `.mergemark-<pid>-*.tmp` file,
/// which the next run names (and leaves: a user may own a file of that name).
#[cfg(unix)]
#[test]
fn a_kill_during_the_write_leaves_the_original_or_the_result() {
    let lines = 4_000_000;
    let original = format!(
        "<<<<<<< HEAD\n{}=======\n{}>>>>>>> t\n",
        "ours\n".repeat(lines),
        "theirs line\n".repeat(lines)
    );
    let resolved = "theirs line\n".repeat(lines);
    for delay_ms in [5, 60, 200] {
        let test = Test::new().write("big.md", &original);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"))
            .current_dir(test.path())
            .args(["resolve", "--strategy", "theirs", "big.md"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawning mergemark");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read_to_string(test.path().join("big.md")).expect("read");
        assert!(
            now == original || now == resolved,
            "torn file after {delay_ms} ms"
        );
        for entry in std::fs::read_dir(test.path()).expect("list") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            assert!(
                name == "big.md" || (name.starts_with(".mergemark-") && name.ends_with(".tmp")),
                "left behind: {name}"
            );
        }
        // The next run finishes the job, and names what the killed one left without removing
        // it (a name is no proof that mergemark wrote a file).
        let left: Vec<String> = std::fs::read_dir(test.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|name| name != "big.md")
            .collect();
        let out = test.run_with(&["resolve", "--strategy", "theirs", "big.md"]);
        for name in &left {
            assert!(
                out.stderr.contains(name.as_str()) && out.stderr.contains("left behind"),
                "{}",
                out.stderr
            );
            assert!(test.path().join(name).exists(), "{name} was removed");
        }
        assert!(std::fs::read_to_string(test.path().join("big.md")).expect("read") == resolved);
    }
}

/// The seed's shape: no base is known, so `auto` leaves it; `ours` gives the HEAD side byte for
/// byte; interactively, ours is offered first because it validates as a complete postmortem.
#[test]
fn the_seed_shape() {
    let seed = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/postmortem/checkout-slowdown.md"),
    )
    .expect("the fixture");
    let text = String::from_utf8(seed.clone()).expect("UTF-8");
    let head_side: String = text
        .lines()
        .skip(1)
        .take_while(|l| *l != "=======")
        .map(|l| format!("{l}\n"))
        .collect();
    let test = Test::new().write("doc.md", &seed);
    test.run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(1);
    assert_eq!(
        std::fs::read(test.path().join("doc.md")).expect("read"),
        seed
    );
    let out = test
        .run_with(&["resolve", "--strategy", "ours", "--stdout", "doc.md"])
        .status(0);
    assert_eq!(out.stdout, head_side);
    let (_, stdout, _) = run_interactive(&test, "q\n", None);
    let offered: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  [")).collect();
    assert_eq!(
        offered.first().copied(),
        Some("  [o] ours: postmortem complete")
    );
    assert_eq!(
        offered.last().copied(),
        Some("  [t] theirs: postmortem: missing Issue Summary, missing Timeline, missing Root Cause and Resolution, missing Corrective and Preventative Measures")
    );
}

/// A read-only directory: the temporary file cannot be created, so nothing changes. As root,
/// mode bits do not bind, so the binary runs as `nobody` through setpriv.
#[cfg(unix)]
#[test]
fn a_read_only_directory_leaves_the_original() {
    use std::os::unix::fs::PermissionsExt;
    let test = Test::new().write("ro/doc.md", TWO);
    let dir = test.path().join("ro");
    for path in [test.path(), dir.as_path()] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    std::fs::set_permissions(dir.join("doc.md"), std::fs::Permissions::from_mode(0o644))
        .expect("chmod");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .expect("id")
        .stdout
        == b"0\n";
    let mut command = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_mergemark"),
        ]);
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"))
    };
    let output = command
        .current_dir(&dir)
        .args(["resolve", "--strategy", "ours", "doc.md"])
        .output()
        .expect("running mergemark");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("permission denied")
            || String::from_utf8_lossy(&output.stderr).contains("Permission denied")
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("doc.md")).expect("read"),
        TWO
    );
    assert_eq!(std::fs::read_dir(&dir).expect("list").count(), 1);
}

/// `--stdout` with several files ran them together on stdout; it now prints one file only.
#[test]
fn stdout_prints_one_file_and_refuses_several() {
    let block = "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n";
    let test = Test::new().write("a.md", block).write("b.md", block);
    let out = test
        .run_with(&["resolve", "--strategy", "ours", "--stdout", "a.md"])
        .status(0);
    assert_eq!(out.stdout, "ours\n");
    let out = test
        .run_with(&["resolve", "--strategy", "ours", "--stdout", "a.md", "b.md"])
        .status(2);
    assert!(
        out.stderr.contains("--stdout prints one file"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
    // Nothing was written.
    assert_eq!(
        std::fs::read_to_string(test.path().join("b.md")).expect("b.md"),
        block
    );
}

/// The backup `resolve --backup` keeps holds the conflict on purpose: a later walk passes over it
/// (as over any `X.orig` beside `X`, which `git mergetool` keeps too), while naming it, staging
/// it or committing it still gets it checked.
#[test]
fn a_later_check_passes_over_the_backup_but_not_a_staged_one() {
    let test = Test::new()
        .write("doc.md", CRLF_BOM)
        .write("lone.orig", CRLF_BOM);
    test.git().init();
    test.run_with(&["resolve", "--strategy", "theirs", "--backup", "doc.md"])
        .status(0);
    // `lone.orig` backs up nothing: it is checked.
    assert_eq!(
        test.check_findings(&[], 1)
            .into_iter()
            .map(|f| f.0)
            .collect::<Vec<_>>(),
        ["lone.orig"]
    );
    assert_eq!(test.check_rules(&["doc.md.orig"], 1), ["conflict-marker"]);
    test.git().ok(&["add", "doc.md.orig"]);
    assert_eq!(test.check_rules(&["--staged"], 1), ["conflict-marker"]);
}

/// Found by review: a committed `X.orig` (with a conflict) beside `X` passed a working-tree check.
#[test]
fn a_tracked_backup_is_checked() {
    let test = Test::new()
        .write("doc.md", "# Doc\n")
        .write("doc.md.orig", CRLF_BOM)
        .write("docs/x.md", "# X\n")
        .write("docs.orig", CRLF_BOM);
    test.git().init();
    test.git().commit_all("backups committed");
    let mut paths: Vec<String> = test
        .check_findings(&[], 1)
        .into_iter()
        .map(|f| f.0)
        .collect();
    paths.dedup();
    assert_eq!(paths, ["doc.md.orig", "docs.orig"]);
}
