//! Regression tests for the broken promises of issue 11, each reproduced through the binary
//! against real Git: a resolver that lost sides, claimed "0 remaining" over nested markers,
//! rewrote documentation examples, or disagreed with Git's bytes; a check that a marker-size
//! attribute or a code fence could fool.

use crate::harness::{run_interactive, stopped_merge, Git, Test};

fn read(test: &Test, path: &str) -> String {
    std::fs::read_to_string(test.path().join(path)).expect("read")
}

/// `git merge-file -p FLAG` on the index stages of `path` (`FLAG` may be empty).
fn merge_file_on_stages(git: &Git<'_>, path: &str, flag: &str) -> String {
    let flags: &[&str] = if flag.is_empty() { &[] } else { &[flag] };
    String::from_utf8(git.merge_file_on_stages(path, flags).1).expect("UTF-8")
}

#[test]
fn a_git_side_starting_with_a_jujutsu_looking_line_is_never_lost() {
    for first in ["%%%%%%%", "+++++++", "-------", "\\\\\\\\\\\\\\"] {
        let text = format!("top\n<<<<<<< HEAD\n{first}\nours\n=======\ntheirs\n>>>>>>> b\nend\n");
        let test = Test::new().write("doc.md", &text);
        let out = test
            .run_with(&["resolve", "--strategy", "ours", "doc.md"])
            .status(0);
        assert_eq!(
            read(&test, "doc.md"),
            format!("top\n{first}\nours\nend\n"),
            "{out:?}"
        );
        let test = Test::new().write("doc.md", &text);
        test.run_with(&["resolve", "--strategy", "theirs", "doc.md"])
            .status(0);
        assert_eq!(read(&test, "doc.md"), "top\ntheirs\nend\n");
        // check reads it as Git's block too.
        let out = test.write("again.md", &text);
        let found = out
            .run_with(&["check", "--format", "json", "again.md"])
            .status(1);
        assert_eq!(found.findings()[0].1, "conflict-marker");
    }
}

#[test]
fn nested_conflicts_are_never_counted_as_resolved_nor_staged() {
    // A recursive merge's longer inner markers in ours, and a same-length nesting in theirs.
    let recursive =
        "<<<<<<< HEAD\n<<<<<<<<< a\nx\n=========\ny\n>>>>>>>>> b\n=======\nz\n>>>>>>> t\n";
    let nested_theirs =
        "<<<<<<< HEAD\na\n=======\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> x\n>>>>>>> y\n";
    for (text, strategy) in [
        (recursive, "ours"),
        (recursive, "union"),
        (recursive, "auto"),
        (recursive, "base"),
        (nested_theirs, "theirs"),
        (nested_theirs, "union"),
    ] {
        let test = Test::new();
        test.git().init();
        test.git().write("doc.md", text.as_bytes());
        test.git().commit_all("committed with markers");
        let out = test
            .run_with(&["resolve", "--strategy", strategy, "--add", "doc.md"])
            .status(1);
        assert!(
            out.stderr.contains("0 resolved, 1 remaining"),
            "{strategy}: {}",
            out.stderr
        );
        assert_eq!(read(&test, "doc.md"), text, "{strategy}");
        // Nothing was staged: the index still holds the committed blob.
        let staged = test.git().ok(&["diff", "--cached", "--name-only"]);
        assert!(staged.is_empty(), "{strategy}");
    }
}

#[test]
fn resolve_leaves_documentation_examples_and_equals_git_on_the_stages() {
    let example =
        "```text\n<<<<<<< HEAD\nexample ours\n=======\nexample theirs\n>>>>>>> feature-x\n```\n";
    let version = |intro: &str| format!("# Guide\n\n{intro}\n\n{example}\nClosing line.\n");
    let test = Test::new();
    let git = test.git();
    git.init();
    let code = git.merge_topic(&[(
        "doc.md",
        version("Intro.").as_bytes(),
        version("Intro from ours.").as_bytes(),
        version("Intro from theirs.").as_bytes(),
    )]);
    assert_ne!(code, 0);
    for (strategy, flag) in [
        ("ours", "--ours"),
        ("theirs", "--theirs"),
        ("union", "--union"),
    ] {
        let out = test
            .run_with(&["resolve", "--strategy", strategy, "--stdout", "doc.md"])
            .status(0);
        assert_eq!(
            out.stdout,
            merge_file_on_stages(&git, "doc.md", flag),
            "{strategy}"
        );
        assert!(
            out.stdout.contains(example),
            "{strategy}: the example is kept"
        );
    }
    // The interactive resolver offers the one real conflict only.
    let (code, stdout, stderr) = run_interactive(&test, "o\ny\n", None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("region 1/2"), "{stdout}");
    assert!(!stdout.contains("region 2/2"), "{stdout}");
    assert_eq!(read(&test, "doc.md"), version("Intro from ours."));
    // Staged as it is, the example is a warning, not an error.
    git.ok(&["add", "doc.md"]);
    let out = test
        .run_with(&["check", "--staged", "--all", "--format", "json"])
        .status(0);
    assert_eq!(out.findings()[0].1, "conflict-marker-in-code");
    // And in the merge commit: both parents held the example.
    git.ok(&["commit", "-q", "-m", "merged"]);
    let out = test
        .run_with(&["check", "--rev", "HEAD", "--format", "json"])
        .status(0);
    assert_eq!(out.findings()[0].1, "conflict-marker-in-code");
}

#[test]
fn a_marker_size_git_reads_as_seven_cannot_hide_committed_conflicts() {
    // Git reads conflict-marker-size with atoi into an int: these values all mean 7.
    for value in [
        "4294967303",
        "2147483648",
        "-9",
        "0",
        "junk",
        "99999999999999999999",
    ] {
        let test = Test::new();
        let git = test.git();
        git.init();
        git.write(
            ".gitattributes",
            format!("*.md conflict-marker-size={value}\n").as_bytes(),
        );
        let code = git.merge_topic(&[("doc.md", b"a\nb\nc\n", b"a\nours\nc\n", b"a\ntheirs\nc\n")]);
        assert_ne!(code, 0);
        // Git wrote 7-character markers...
        assert!(
            read(&test, "doc.md").contains("\n<<<<<<< HEAD\n"),
            "{value}"
        );
        git.ok(&["add", "doc.md"]);
        // ...which `git diff --check` flags as conflict markers.
        let (check_code, _) = git.status(&["diff", "--cached", "--check"]);
        assert_ne!(check_code, 0, "{value}");
        let out = test.run_with(&["check", "--format", "json"]).status(1);
        assert_eq!(out.findings()[0].1, "conflict-marker", "{value}");
        test.run_with(&["check", "--staged"]).status(1);
        git.ok(&["commit", "-q", "-m", "committed with markers"]);
        test.run_with(&["check", "--rev", "HEAD"]).status(1);
    }
    // And a value Git reads as 9 (the low 32 bits of 2^32 + 9) means 9 here too.
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write(".gitattributes", b"*.md conflict-marker-size=4294967305\n");
    let code = git.merge_topic(&[("doc.md", b"a\nb\nc\n", b"a\nours\nc\n", b"a\ntheirs\nc\n")]);
    assert_ne!(code, 0);
    assert!(read(&test, "doc.md").contains("\n<<<<<<<<< HEAD\n"));
    let out = test.run_with(&["check", "--format", "json"]).status(1);
    assert_eq!(out.findings()[1].1, "conflict-marker");
}

#[test]
fn union_is_gits_union_in_the_merge_style() {
    let test = Test::new();
    let git = test.git();
    git.init();
    let code = git.merge_topic(&[("doc.md", b"x\n", b"a\nc\nd\n", b"b\nc\ne\n")]);
    assert_ne!(code, 0);
    let out = test
        .run_with(&["resolve", "--strategy", "union", "--stdout", "doc.md"])
        .status(0);
    assert_eq!(out.stdout, "a\nc\nd\nb\nc\ne\n");
    assert_eq!(out.stdout, merge_file_on_stages(&git, "doc.md", "--union"));
}

#[test]
fn a_block_with_two_separators_is_reported_and_left_alone() {
    // Ours holds a setext heading (`T` / `=======`): which line separates the sides is unknown.
    let text = "<<<<<<< HEAD\nT\n=======\nmore\n=======\ntheirs\n>>>>>>> b\n";
    for strategy in ["ours", "theirs", "union", "auto"] {
        let test = Test::new().write("doc.md", text);
        let out = test
            .run_with(&["resolve", "--strategy", strategy, "doc.md"])
            .status(1);
        assert_eq!(read(&test, "doc.md"), text, "{strategy}");
        assert!(
            out.stderr.contains("0 resolved, 1 remaining"),
            "{}",
            out.stderr
        );
    }
    let test = Test::new().write("doc.md", text);
    let out = test.run_with(&["check", "--format", "concise"]).status(1);
    assert!(
        out.stdout.contains("error[broken-conflict]")
            && out.stdout.contains("two ======= separators"),
        "{}",
        out.stdout
    );
}

/// A merge whose conflict lies inside a fenced code sample both sides edited.
fn conflict_in_a_code_sample(test: &Test) {
    let version = |line: &str| format!("# Setup\n\n```sh\n{line}\nnpm run build\n```\n");
    let code = test.git().merge_topic(&[(
        "doc.md",
        version("npm install a").as_bytes(),
        version("npm install a b").as_bytes(),
        version("npm install a c").as_bytes(),
    )]);
    assert_ne!(code, 0);
}

#[test]
fn a_real_conflict_in_a_code_block_is_an_error_once_added_and_committed() {
    let test = Test::new();
    test.git().init();
    conflict_in_a_code_sample(&test);
    // `git add` marks it resolved; its label names the branch being merged: it is real.
    test.git().ok(&["add", "doc.md"]);
    let rules = |args: &[&str], status| test.check_rules(args, status);
    assert_eq!(rules(&[], 1), ["conflict-marker"]);
    assert_eq!(rules(&["--staged"], 1), ["conflict-marker"]);
    test.git()
        .ok(&["commit", "-q", "-m", "merged with markers"]);
    assert_eq!(rules(&["--rev", "HEAD"], 1), ["conflict-marker"]);
    // Even once the branch is gone, a conflict with the same labels elsewhere in the file says
    // the one in the code block is real too.
    test.git().ok(&["branch", "-D", "topic"]);
    let text = read(&test, "doc.md");
    let prose = "<<<<<<< HEAD\nintro a\n=======\nintro b\n>>>>>>> topic\n";
    std::fs::write(test.path().join("doc.md"), format!("{prose}{text}")).expect("write");
    assert_eq!(rules(&[], 1), ["conflict-marker", "conflict-marker"]);
    // A documentation example with labels nobody knows stays an example.
    std::fs::write(
        test.path().join("doc.md"),
        text.replace(">>>>>>> topic", ">>>>>>> feature-x"),
    )
    .expect("write");
    assert_eq!(rules(&[], 0), ["conflict-marker-in-code"]);
}

#[test]
fn changed_since_reports_the_markers_of_an_unmerged_file() {
    let test = Test::new();
    test.git().init();
    conflict_in_a_code_sample(&test);
    let out = test
        .run_with(&["check", "--changed-since", "main", "--format", "json"])
        .status(1);
    let rules: Vec<String> = out.findings().into_iter().map(|f| f.1).collect();
    assert_eq!(rules, ["unmerged-path", "conflict-marker"]);
}

#[cfg(unix)]
#[test]
fn resolve_keeps_owner_and_group_and_warns_about_hard_links() {
    use std::os::unix::fs::MetadataExt;
    let text = "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> t\n";
    let test = Test::new().write("doc.md", text);
    let path = test.path().join("doc.md");
    // As root (these tests run as root in CI), give the file another owner first.
    if std::os::unix::fs::chown(&path, Some(12_345), Some(23_456)).is_ok() {
        test.run_with(&["resolve", "--strategy", "ours", "doc.md"])
            .status(0);
        let meta = std::fs::metadata(&path).expect("meta");
        assert_eq!((meta.uid(), meta.gid()), (12_345, 23_456));
        assert_eq!(read(&test, "doc.md"), "ours\n");
    }
    let test = Test::new().write("doc.md", text);
    std::fs::hard_link(test.path().join("doc.md"), test.path().join("link.md")).expect("link");
    let out = test
        .run_with(&["resolve", "--strategy", "ours", "doc.md"])
        .status(0);
    assert!(
        out.stderr.contains("1 other hard link(s)"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_users_own_file_named_like_a_temporary_is_never_removed() {
    let text = "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> t\n";
    let test = Test::new()
        .write("doc.md", text)
        .write(".mergemark-999999999-notes.tmp", "mine");
    let out = test
        .run_with(&["resolve", "--strategy", "ours", "doc.md"])
        .status(0);
    assert_eq!(read(&test, ".mergemark-999999999-notes.tmp"), "mine");
    assert!(
        out.stderr.contains(".mergemark-999999999-notes.tmp"),
        "{}",
        out.stderr
    );
}

#[test]
fn hidden_and_reordering_controls_never_reach_the_output_raw() {
    // A label with a right-to-left override and a C1 control, and a file name with one.
    let text = "<<<<<<< HEAD\u{202E}evil\nours\n=======\ntheirs\n>>>>>>> t\u{85}x\n";
    let test = Test::new().write("a\u{202E}dm.md", text);
    for format in ["concise", "json", "sarif", "github", "human"] {
        let out = test.run_with(&["check", "--format", format, "."]).status(1);
        for raw in ['\u{202E}', '\u{85}'] {
            assert!(!out.stdout.contains(raw), "{format}: {}", out.stdout);
        }
    }
    let out = test.run_with(&["check", "--format", "json", "."]).status(1);
    // JSON escapes them, so the values are intact for a reader.
    assert_eq!(out.findings()[0].0, "a\u{202E}dm.md");
}

#[test]
fn rev_and_commits_work_in_a_bare_repository() {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("doc.md", b"<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n");
    git.commit_all("committed with markers");
    git.ok(&["clone", "-q", "--bare", ".", "bare.git"]);
    let bare = test.path().join("bare.git");
    let run = |args: &[&str]| {
        crate::harness::run_mergemark(&bare, &args.iter().map(Into::into).collect::<Vec<_>>())
    };
    let out = run(&["check", "--rev", "HEAD", "--format", "json"]).status(1);
    assert_eq!(out.findings()[0].0, "doc.md");
    run(&["check", "--commits", "HEAD", "--format", "json"]).status(1);
    run(&["check", "--rev", "HEAD", "doc.md"]).status(1);
    run(&["check", "--rev", "HEAD", "other"]).status(2);
}

#[test]
fn the_interactive_resolver_stages_with_add() {
    let test = Test::new();
    let git = test.git();
    git.init();
    let code = git.merge_topic(&[("doc.md", b"a\nb\nc\n", b"a\nours\nc\n", b"a\ntheirs\nc\n")]);
    assert_ne!(code, 0);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"));
    let output = {
        use std::io::Write as _;
        let mut child = command
            .current_dir(test.path())
            .args(["resolve", "--interactive", "--add", "doc.md"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"t\ny\n")
            .expect("keys");
        child.wait_with_output().expect("wait")
    };
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(read(&test, "doc.md"), "a\ntheirs\nc\n");
    let stages = String::from_utf8(git.ok(&["ls-files", "-s", "doc.md"])).expect("UTF-8");
    assert!(stages.contains(" 0\tdoc.md"), "staged: {stages}");
}

#[test]
fn a_revert_in_progress_tells_a_code_block_conflict_is_real() {
    // `git revert` labels its sides `HEAD` and `parent of abc1234 (...)`: no branch to name. The
    // revert in progress (REVERT_HEAD) says which versions were combined; neither held the block.
    let test = Test::new();
    let git = test.git();
    git.init();
    let doc = |line: &str| format!("# Setup\n\n```sh\n{line}\nnpm run build\n```\n");
    git.write("doc.md", doc("npm install a").as_bytes());
    git.commit_all("base");
    git.write("doc.md", doc("npm install b").as_bytes());
    git.commit_all("b");
    let reverted = git.rev_parse("HEAD");
    git.write("doc.md", doc("npm install c").as_bytes());
    git.commit_all("c");
    let (code, _) = git.status(&["revert", "--no-edit", &reverted]);
    assert_ne!(code, 0, "the revert stops on a conflict");
    git.ok(&["add", "doc.md"]);
    let out = test
        .run_with(&["check", "--staged", "--format", "json"])
        .status(1);
    assert_eq!(out.findings()[0].1, "conflict-marker");
}

/// A repository stopped on a conflict in `a.md`, built by `setup` on each branch.
fn stages(test: &Test) -> String {
    String::from_utf8(test.git().ok(&["ls-files", "-s", "a.md"])).expect("UTF-8")
}

#[test]
fn a_modify_delete_conflict_is_left_unless_the_strategy_keeps_the_file() {
    // Found by a hostile user: `--strategy theirs --add` staged ours when theirs deleted the file.
    let test = stopped_merge(Some("l1\nO\nl3\n"), None);
    for strategy in ["theirs", "union", "auto"] {
        let out = test
            .run_with(&["resolve", "--strategy", strategy, "--add", "a.md"])
            .status(1);
        assert!(
            out.stderr.contains("theirs deleted this file"),
            "{}",
            out.stderr
        );
        // The count agrees with the exit status (a hostile user saw "0 remaining" beside exit 1).
        assert!(
            out.stderr.ends_with("0 resolved, 1 remaining\n"),
            "{}",
            out.stderr
        );
        assert!(stages(&test).contains(" 2\ta.md"), "still unmerged");
    }
    // Ours kept it, and the file on disk is ours: taking ours is keeping it.
    test.run_with(&["resolve", "--strategy", "ours", "--add", "a.md"])
        .status(0);
    assert!(stages(&test).contains(" 0\ta.md"));
}

#[test]
fn add_never_stages_markers_check_would_read_at_another_size() {
    // Found by a hostile user: `--marker-size 12` (or an untracked `.gitattributes` of size 12)
    // saw no conflict in Git's 7-character markers, and staged them.
    let test = stopped_merge(Some("l1\nO\nl3\n"), Some("l1\nT\nl3\n"));
    let out = test
        .run_with(&[
            "resolve",
            "--strategy",
            "ours",
            "--marker-size",
            "12",
            "--add",
            "a.md",
        ])
        .status(2);
    assert!(out.stderr.contains("not staged"), "{}", out.stderr);
    assert!(stages(&test).contains(" 2\ta.md"), "still unmerged");
    test.git()
        .write(".gitattributes", b"*.md conflict-marker-size=12\n");
    // Git's 7-character markers are conflicts `check` reports (in markers of another size than
    // the attribute's): left, counted remaining (exit 1), and so never staged.
    let out = test
        .run_with(&["resolve", "--strategy", "ours", "--add", "a.md"])
        .status(1);
    assert!(out.stderr.contains("not staged"), "{}", out.stderr);
    assert!(stages(&test).contains(" 2\ta.md"), "still unmerged");
}

#[test]
fn a_utf16_file_is_refused_not_staged() {
    // Found by a hostile user: with working-tree-encoding=UTF-16LE the markers were invisible, and
    // `--add` staged the raw UTF-16 bytes, markers and all.
    let utf16 =
        |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let text = "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n";
    let test = Test::new().write("a.md", utf16(text));
    let out = test
        .run_with(&["resolve", "--strategy", "ours", "--add", "a.md"])
        .status(2);
    assert!(out.stderr.contains("binary, or UTF-16"), "{}", out.stderr);
    assert_eq!(
        std::fs::read(test.path().join("a.md")).expect("read"),
        utf16(text)
    );
}

#[test]
fn previews_never_send_the_files_control_characters_to_the_terminal() {
    let text = "<<<<<<< o\u{1b}]0;PWNED\u{7}\na\u{1b}[2J\u{202e}q\u{9b}\n=======\nb\n>>>>>>> t\n";
    let test = Test::new().write("s.md", text);
    let out = test
        .run_with(&["resolve", "--strategy", "ours", "--dry-run", "s.md"])
        .status(0);
    for raw in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
        assert!(!out.stdout.contains(raw), "{:?}", out.stdout);
    }
    assert!(
        out.stdout.contains("-<<<<<<< o?]0;PWNED?"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_block_of_thousands_of_sections_is_reported_briefly() {
    // Found by a hostile user: one label per marker line made the human format quadratic, and
    // one clause per extra separator made a message megabytes long.
    let mut text = String::from("<<<<<<< a\n");
    for _ in 0..20_000 {
        text.push_str("x\n=======\n");
    }
    text.push_str(">>>>>>> b\n");
    let test = Test::new().write("seps.md", text);
    let out = test
        .run_with(&["check", "--format", "concise", "seps.md"])
        .status(1);
    assert!(out.stdout.len() < 400, "{}", out.stdout);
    let out = test
        .run_with(&["check", "--format", "human", "--color", "never", "seps.md"])
        .status(1);
    assert!(out.stdout.lines().count() < 80, "{}", out.stdout);
    // A Jujutsu block of thousands of diff sections: a label each made the snippet quadratic.
    let mut jj = String::from("<<<<<<< conflict 1 of 1\n");
    for _ in 0..5_000 {
        jj.push_str("%%%%%%% d\n-a\n+b\n");
    }
    jj.push_str("+++++++ side\nc\n>>>>>>> conflict 1 of 1 ends\n");
    let test = test.write("jj.md", jj);
    let out = test
        .run_with(&["check", "--format", "human", "--color", "never", "jj.md"])
        .status(1);
    assert!(
        out.stdout.lines().count() < 120,
        "{} lines",
        out.stdout.lines().count()
    );
}

#[test]
fn attribute_lines_git_reads_otherwise_stop_the_run() {
    // Found by a hostile user: a quoted pattern (Git reads it, libgit2 does not) hid 12-character
    // markers; a line over 2048 bytes (Git ignores it, libgit2 does not) hid 7-character ones.
    for attributes in [
        "\"a.md\" conflict-marker-size=12\n".to_owned(),
        // Through a macro, too.
        "\"a.md\" big\n[attr]big conflict-marker-size=12\n".to_owned(),
        // 2048 bytes exactly: Git ignores it already.
        format!("*.md conflict-marker-size=12{}\n", " ".repeat(2048 - 28)),
    ] {
        let test = Test::new();
        let git = test.git();
        git.init();
        git.write(".gitattributes", attributes.as_bytes());
        git.write("a.md", b"# A\n");
        git.commit_all("start");
        for args in [&["check"][..], &["check", "--staged", "--all"][..]] {
            let out = test.run_with(args).status(2);
            assert!(
                out.stderr.contains(".gitattributes: line 1 "),
                "{}",
                out.stderr
            );
        }
    }
}

#[test]
fn a_stash_pop_conflict_in_a_code_block_is_real_while_the_stash_is_there() {
    let test = Test::new();
    let git = test.git();
    git.init();
    let doc = |line: &str| format!("# Setup\n\n```sh\n{line}\n```\n");
    git.write("doc.md", doc("npm install a").as_bytes());
    git.commit_all("base");
    git.write("doc.md", doc("npm install b").as_bytes());
    git.ok(&["stash", "-q"]);
    git.write("doc.md", doc("npm install c").as_bytes());
    git.commit_all("c");
    let (code, _) = git.status(&["stash", "pop", "-q"]);
    assert_ne!(code, 0, "the pop stops on a conflict");
    git.ok(&["add", "doc.md"]);
    let out = test
        .run_with(&["check", "--staged", "--format", "json"])
        .status(1);
    assert_eq!(out.findings()[0].1, "conflict-marker");
}

#[test]
fn markers_of_the_size_git_used_are_found_after_the_attribute_changed() {
    // Found by a hostile user: a merge that brings in `conflict-marker-size=12` is written by Git
    // with 7-character markers (the attributes before the merge); reading size 12 afterwards,
    // every check passed them.
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("a.md", b"l1\nl2\nl3\n");
    git.commit_all("base");
    git.ok(&["checkout", "-q", "-b", "side"]);
    git.write("a.md", b"l1\nTHEIRS\nl3\n");
    git.write(".gitattributes", b"*.md conflict-marker-size=12\n");
    git.commit_all("theirs, and attributes");
    git.ok(&["checkout", "-q", "main"]);
    git.write("a.md", b"l1\nOURS\nl3\n");
    git.commit_all("ours");
    let base = git.rev_parse("HEAD~1");
    let (code, _) = git.status(&["merge", "-q", "side"]);
    assert_ne!(code, 0);
    assert!(read(&test, "a.md").contains("\n<<<<<<< HEAD\n"));
    git.ok(&["add", "a.md"]);
    let rules = |args: &[&str]| test.check_rules(args, 1);
    assert_eq!(rules(&[]), ["conflict-marker"]);
    assert_eq!(rules(&["--staged"]), ["conflict-marker"]);
    git.ok(&["commit", "-q", "-m", "merged with markers"]);
    assert_eq!(rules(&["--rev", "HEAD"]), ["conflict-marker"]);
    assert_eq!(
        rules(&["--commits", &format!("{base}..HEAD")]),
        ["conflict-marker"]
    );
    // A bare clone reads the commit's own attributes.
    git.ok(&["clone", "-q", "--bare", ".", "bare.git"]);
    let bare = test.path().join("bare.git");
    let out = crate::harness::run_mergemark(
        &bare,
        &["check", "--rev", "HEAD", "--format", "json"].map(Into::into),
    )
    .status(1);
    assert_eq!(out.findings()[0].1, "conflict-marker");
}

#[test]
fn commits_ranges_never_check_nothing_silently() {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("a.md", b"<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n");
    git.commit_all("markers");
    // A start that names nothing (a typo, a branch CI never fetched) is an error, not 0 files.
    let out = test
        .run_with(&["check", "--commits", "origin/mian..HEAD"])
        .status(2);
    assert!(
        out.stderr.contains("`origin/mian` names nothing"),
        "{}",
        out.stderr
    );
    // A tip that names no commit (a tag of a tree, which a push may carry) has nothing to check.
    let tree = git.rev_parse("HEAD^{tree}");
    git.ok(&["tag", "tree-tag", &tree]);
    test.run_with(&["check", "--commits", "tree-tag"]).status(0);
}

#[test]
fn a_git_scope_path_that_names_nothing_is_an_error() {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("a.md", b"# A\n");
    git.commit_all("start");
    for scope in [&["--staged", "--all"][..], &["--rev", "HEAD"][..]] {
        let mut args = vec!["check"];
        args.extend(scope);
        args.push("*.md");
        let out = test.run_with(&args).status(2);
        assert!(
            out.stderr.contains("*.md: no such file or directory"),
            "{}",
            out.stderr
        );
    }
    // A path the index lists, or one on disk, is fine.
    test.run_with(&["check", "--staged", "--all", "a.md"])
        .status(0);
}

#[test]
fn resolve_to_a_closed_pipe_is_not_an_error() {
    let text = format!(
        "<<<<<<< a\n{}=======\ny\n>>>>>>> b\n",
        "x\n".repeat(200_000)
    );
    let test = Test::new().write("big.md", text);
    let status = std::process::Command::new("bash")
        .current_dir(test.path())
        .arg("-c")
        .arg("\"$0\" resolve --strategy ours --stdout big.md | head -1 >/dev/null; exit ${PIPESTATUS[0]}")
        .arg(env!("CARGO_BIN_EXE_mergemark"))
        .status()
        .expect("sh");
    assert!(status.success());
    let out = test
        .run_with(&["resolve", "--strategy", "ours", "--stdout", "big.md"])
        .status(0);
    assert!(out.stdout.starts_with("x\n"));
}

#[test]
fn the_readme_ci_workflow_catches_a_conflict_committed_in_a_code_block() {
    // Found by a hostile user: a feature branch merged `main` and committed a conflict inside a
    // code sample; CI (a clone with `origin/main` only, and a merge of the pull request on top)
    // called it an example: `main` named nothing there, and the merge on top held it from a parent.
    let dev = Test::new();
    let git = dev.git();
    git.init();
    let readme = |line: &str| format!("# Build\n\n```sh\n{line}\n```\n");
    git.write("README.md", readme("make build").as_bytes());
    git.commit_all("init");
    git.ok(&["checkout", "-q", "-b", "feature"]);
    git.write("README.md", readme("make build --feature").as_bytes());
    git.commit_all("feature");
    git.ok(&["checkout", "-q", "main"]);
    git.write("README.md", readme("make build --fast").as_bytes());
    git.commit_all("fast");
    git.ok(&["checkout", "-q", "feature"]);
    let (code, _) = git.status(&["merge", "-q", "main"]);
    assert_ne!(code, 0);
    git.ok(&["add", "README.md"]);
    git.ok(&["commit", "-q", "-m", "Merge branch 'main' into feature"]);
    // CI: fetch into refs/remotes/origin/*, merge the pull request into main, detached.
    let ci = Test::new();
    let cgit = ci.git();
    cgit.init();
    let source = dev.path().to_string_lossy().into_owned();
    cgit.ok(&[
        "fetch",
        "-q",
        &source,
        "+refs/heads/*:refs/remotes/origin/*",
    ]);
    cgit.ok(&["checkout", "-q", "--detach", "origin/main"]);
    cgit.ok(&["merge", "-q", "--no-ff", "--no-edit", "origin/feature"]);
    for args in [
        &[
            "check",
            "--changed-since",
            "origin/main",
            "--format",
            "json",
        ][..],
        &["check", "--rev", "HEAD", "--format", "json"][..],
        &[
            "check",
            "--commits",
            "origin/main..HEAD",
            "--format",
            "json",
        ][..],
    ] {
        let out = ci.run_with(args).status(1);
        assert_eq!(out.findings()[0].1, "conflict-marker", "{args:?}");
    }
}

#[cfg(unix)]
#[test]
fn changed_since_opens_files_whose_names_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("a.md", b"# A\n");
    git.commit_all("start");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(
        test.path().join(name),
        "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n",
    )
    .expect("write");
    let out = test
        .run_with(&["check", "--changed-since", "main", "--format", "json"])
        .status(1);
    assert_eq!(out.findings()[0].1, "conflict-marker");
}

#[test]
fn resolve_never_calls_a_file_clean_while_markers_it_cannot_judge_remain() {
    // `git merge-file` output outside any repository: the conflict sits in a code sample, and
    // with no merge to compare against nothing tells it from a documentation example.
    let text = "# Setup\n\n```sh\nnpm ci\n<<<<<<< ours.md\nnpm install a b\n||||||| base.md\n\
                npm install a\n=======\nnpm install a c\n>>>>>>> theirs.md\nnpm run build\n```\n";
    let test = Test::new().write("doc.md", text);
    for strategy in ["ours", "theirs", "union", "base", "auto"] {
        let out = test
            .run_with(&["resolve", "--strategy", strategy, "--stdout", "doc.md"])
            .status(1);
        assert_eq!(out.stdout, text, "{strategy}: left byte for byte");
        assert!(
            out.stderr
                .contains("1 set of markers in a code block left as it is"),
            "{strategy}: {}",
            out.stderr
        );
        assert!(
            out.stderr.ends_with("0 would be resolved, 1 remaining\n"),
            "{strategy}: {}",
            out.stderr
        );
    }
    test.run_with(&["resolve", "--strategy", "ours", "doc.md"])
        .status(1);
    assert_eq!(read(&test, "doc.md"), text);
    // `check` still reads it as an example (a warning): nothing says it is real.
    let out = test
        .run_with(&["check", "--format", "json", "doc.md"])
        .status(0);
    assert_eq!(out.findings()[0].1, "conflict-marker-in-code");
}

/// `text` as Git writes a `working-tree-encoding=UTF-16` file: a byte order mark, little-endian.
fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn markers_git_wrote_into_a_utf16_working_tree_file_are_found() {
    // Found by a hostile user: Git merges such a file as text and writes its markers in UTF-16;
    // the working-tree scopes took the file for binary and passed.
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write(
        ".gitattributes",
        b"*.md text working-tree-encoding=UTF-16\n",
    );
    let code = git.merge_topic(&[(
        "f.md",
        &utf16("a\nb\nc\n"),
        &utf16("a\nours\nc\n"),
        &utf16("a\ntheirs\nc\n"),
    )]);
    assert_ne!(code, 0);
    let written = std::fs::read(test.path().join("f.md")).expect("read");
    assert_eq!(&written[..2], [0xFF, 0xFE], "Git wrote UTF-16");
    let rules = |args: &[&str]| {
        test.check_findings(args, 1)
            .into_iter()
            .map(|(_, rule, line, _)| (rule, line))
            .collect::<Vec<_>>()
    };
    let conflict = ("conflict-marker".to_owned(), 2);
    assert!(rules(&[]).contains(&conflict));
    assert!(rules(&["f.md"]).contains(&conflict));
    git.ok(&["add", "f.md"]);
    git.ok(&["commit", "-q", "--no-verify", "-m", "merged with markers"]);
    for args in [
        &[][..],
        &["f.md"],
        &["--changed-since", "HEAD~1"],
        &["--rev", "HEAD"],
    ] {
        assert_eq!(rules(args), std::slice::from_ref(&conflict), "{args:?}");
    }
    // A file committed as UTF-16 bytes (no attribute) is read the same way from history.
    std::fs::remove_file(test.path().join(".gitattributes")).expect("remove");
    git.write(
        "g.md",
        &utf16("<<<<<<< HEAD\na\n=======\nb\n>>>>>>> topic\n"),
    );
    git.commit_all("utf-16 bytes");
    assert!(rules(&["--rev", "HEAD"]).contains(&("conflict-marker".to_owned(), 1)));
    // Binary data stays skipped.
    git.write("h.md", b"\x00\x01\x02<<<<<<< x\n\x00\x00");
    test.run_with(&["check", "h.md"]).status(0);
}

/// Found by the differential harness once sides add marker-like runs (`MERGEMARK_DIFF_SEED=3850`,
/// merge style, 5,000 cases): at marker size 1, a Jujutsu-looking `<<<<<<< conflict 1 of 1` line
/// of a side's text and a side's own `> x` line make mergemark read Git's block as ending early;
/// `--strategy ours` then leaves Git's end marker behind and reports 0 remaining. Present before
/// issue 12 too; open.
#[test]

fn a_jujutsu_looking_side_line_at_size_one_does_not_end_gits_block_early() {
    let base = "```\ngamma\n<<<<<<< conflict 1 of 1\n- HEAD\n-- conflict 1 of 1\n1. step\nTitle";
    let ours = "```\ngamma\n<<<<<<< conflict 1 of 1\n- HEAD\n> z\n=\n-- conflict 1 of 1\n1. step\n- item a\nTitle\n";
    let theirs =
        "```\ngamma\n<<<<<<< conflict 1 of 1\n- HEAD\n-- conflict 1 of 1\n1. step\nTitle\n> x\n";
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write(".gitattributes", b"*.md conflict-marker-size=1\n");
    assert_ne!(
        git.merge_topic(&[(
            "doc.md",
            base.as_bytes(),
            ours.as_bytes(),
            theirs.as_bytes()
        )]),
        0
    );
    let expected = merge_file_on_stages(&git, "doc.md", "--ours");
    let out = test.run_with(&["resolve", "--strategy", "ours", "--stdout", "doc.md"]);
    assert!(
        out.stdout == expected || (out.code == 1 && out.stdout == read(&test, "doc.md")),
        "{out:?}"
    );
}
