//! `mergemark check` through the binary: formats, exit codes, walking, bad input.

use std::io::Read;
use std::process::Stdio;

use crate::harness::Test;

const BLOCK: &str = "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n";

#[test]
fn clean_tree_exits_zero() {
    let out = Test::new()
        .write("README.md", "Title\n=======\n\nText.\n")
        .args(["check", "--format", "human"])
        .run()
        .status(0);
    assert_eq!(out.stdout, "No conflicts found (1 file checked).\n");
}

#[test]
fn json_has_the_documented_shape() {
    let out = Test::new()
        .write("docs/a.md", format!("intro\n{BLOCK}"))
        .write("b.md", "clean\n")
        .args(["check", "--format", "json"])
        .run()
        .status(1);
    let json = out.json();
    assert_eq!(json["version"], 1);
    assert_eq!(json["files_checked"], 2);
    assert_eq!(json["errors"], serde_json::json!([]));
    let finding = &json["findings"][0];
    assert_eq!(finding["path"], "docs/a.md");
    assert_eq!(finding["rule"], "conflict-marker");
    assert_eq!(finding["severity"], "error");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        (finding["end_line"].as_u64(), finding["end_column"].as_u64()),
        (Some(6), Some(14))
    );
    assert_eq!(
        finding["message"],
        "unresolved merge conflict between `HEAD` (ours) and `topic` (theirs)"
    );
}

#[test]
fn concise_is_one_line_per_finding() {
    let out = Test::new()
        .write("a.md", BLOCK)
        .write("b.txt", "x\n>>>>>>> gone\n")
        .args(["check", "--format", "concise"])
        .run()
        .status(1);
    assert_eq!(
        out.stdout,
        "a.md:1:1: error[conflict-marker] unresolved merge conflict between `HEAD` (ours) and `topic` (theirs)\n\
         b.txt:2:1: error[broken-conflict] conflict end marker `>>>>>>> gone` has no start marker (half-deleted conflict?)\n"
    );
}

#[test]
fn default_format_off_a_terminal_is_concise() {
    let out = Test::new()
        .write("a.md", BLOCK)
        .arg("check")
        .run()
        .status(1);
    assert!(
        out.stdout.starts_with("a.md:1:1: error[conflict-marker]"),
        "{}",
        out.stdout
    );
}

#[test]
fn warnings_alone_exit_zero() {
    Test::new()
        .write("a.md", format!("```text\n{BLOCK}```\n"))
        .args(["check"])
        .run()
        .status(0);
}

#[test]
fn nonexistent_path_is_exit_two_and_the_rest_is_still_checked() {
    let out = Test::new()
        .write("a.md", BLOCK)
        .args(["check", "--format", "json", "missing.md", "a.md"])
        .run()
        .status(2);
    let json = out.json();
    assert_eq!(json["errors"][0]["path"], "missing.md");
    assert_eq!(json["errors"][0]["message"], "no such file or directory");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(1));

    let out = Test::new().args(["check", "missing.md"]).run().status(2);
    assert_eq!(
        out.stderr,
        "mergemark: error: missing.md: no such file or directory\n"
    );
}

#[test]
fn usage_error_is_exit_two() {
    let out = Test::new()
        .args(["check", "--format", "yaml"])
        .run()
        .status(2);
    assert!(
        out.stderr.contains("invalid value 'yaml'"),
        "{}",
        out.stderr
    );
    Test::new().args(["--version"]).run().status(0);
}

#[test]
fn ignore_files_hidden_files_and_dot_git_are_respected() {
    let test = Test::new()
        .write(".gitignore", "ignored.md\n")
        .write("ignored.md", BLOCK)
        .write(".hidden/a.md", BLOCK)
        .write("visible.md", BLOCK);
    test.git().init();
    std::fs::write(test.path().join(".git/notes.md"), BLOCK).expect("writing inside .git");
    let paths = |out: crate::harness::Output| -> Vec<String> {
        out.findings().into_iter().map(|f| f.0).collect()
    };
    assert_eq!(
        paths(test.run_with(&["check", "--format", "json"])),
        ["visible.md"]
    );
    assert_eq!(
        paths(test.run_with(&["check", "--format", "json", "--hidden"])),
        [".hidden/a.md", "visible.md"]
    );
    assert_eq!(
        paths(test.run_with(&["check", "--format", "json", "--no-ignore"])),
        ["ignored.md", "visible.md"]
    );
    // A path named explicitly is checked even when ignored.
    assert_eq!(
        paths(test.run_with(&["check", "--format", "json", "ignored.md"])),
        ["ignored.md"]
    );
}

#[test]
fn paths_are_repository_relative_from_a_subdirectory() {
    let test = Test::new()
        .write("docs/guide/a.md", BLOCK)
        .current_dir("docs");
    test.git().init();
    let out = test.run_with(&["check", "--format", "json", "."]).status(1);
    assert_eq!(out.findings()[0].0, "docs/guide/a.md");
}

#[test]
fn outside_a_repository_paths_are_relative_to_the_directory_given() {
    let test = Test::new().write("tree/sub/a.md", BLOCK);
    let out = test
        .run_with(&["check", "--format", "json", "tree"])
        .status(1);
    assert_eq!(out.findings()[0].0, "sub/a.md");
    let out = test
        .run_with(&["check", "--format", "json", "tree/sub/a.md"])
        .status(1);
    assert_eq!(out.findings()[0].0, "tree/sub/a.md");
}

#[test]
fn binary_and_nul_files_are_skipped() {
    let test = Test::new().write("zeros.md", vec![0u8; 4096]).write(
        "image.png",
        [&[0x89, b'P', b'N', b'G', 0, 0][..], BLOCK.as_bytes()].concat(),
    );
    let out = test.run_with(&["check", "--format", "json"]).status(0);
    assert_eq!(out.json()["files_checked"], 0);
    // Named explicitly, a skipped file gets a note saying why.
    let out = test.run_with(&["check", "zeros.md"]).status(0);
    assert_eq!(
        out.stderr,
        "mergemark: note: skipped zeros.md: binary file (NUL byte in its first 8000 bytes)\n"
    );
}

#[test]
fn text_files_over_the_size_limit_are_errors_binary_ones_are_skipped() {
    let mut binary = vec![0u8; 200];
    binary.extend_from_slice(BLOCK.as_bytes());
    let out = Test::new()
        .write("big.md", BLOCK.repeat(10))
        .write("big.bin", binary)
        .write("small.md", BLOCK)
        .args(["check", "--format", "json", "--max-filesize", "100"])
        .run()
        .status(2);
    let json = out.json();
    // What is not read may hide a conflict: an error, and the rest is still checked.
    assert_eq!(json["errors"][0]["path"], "big.md");
    assert_eq!(json["errors"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["skipped"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(1));
}

#[cfg(unix)]
#[test]
fn fifos_are_never_opened_and_symlink_trouble_is_reported() {
    let test = Test::new().write("a.md", BLOCK);
    let status = std::process::Command::new("mkfifo")
        .arg(test.path().join("pipe.md"))
        .status()
        .expect("running mkfifo");
    assert!(status.success());
    std::os::unix::fs::symlink("nowhere.md", test.path().join("dangling.md")).expect("symlink");
    std::fs::create_dir(test.path().join("loop")).expect("mkdir");
    std::os::unix::fs::symlink("..", test.path().join("loop/up")).expect("symlink");

    // Walking: the FIFO gets a note; symlinks are not followed by default.
    let out = test.run_with(&["check", "--format", "json"]).status(1);
    let json = out.json();
    assert_eq!(json["skipped"][0]["path"], "pipe.md");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(1));

    // Following links: the loop and the dangling link are errors, and the file is still checked.
    let out = test
        .run_with(&["check", "--format", "json", "--follow"])
        .status(2);
    let json = out.json();
    let errors: Vec<String> = json["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["path"].as_str().unwrap_or(""),
                e["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        errors.iter().any(|e| e.starts_with("dangling.md: ")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("symbolic link loop")),
        "{errors:?}"
    );
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(1));

    // Named explicitly, a FIFO is still not opened.
    let out = test.run_with(&["check", "pipe.md"]).status(0);
    assert!(
        out.stderr.contains("skipped pipe.md: not a regular file"),
        "{}",
        out.stderr
    );
}

#[test]
fn marker_size_flag_overrides_the_attribute() {
    let nine = "<<<<<<<<< HEAD\na\n=========\nb\n>>>>>>>>> x\n";
    let test = Test::new().write("a.md", nine);
    test.run_with(&["check"]).status(0);
    test.run_with(&["check", "--marker-size", "9"]).status(1);
}

#[test]
fn control_characters_from_files_never_reach_the_terminal() {
    let out = Test::new()
        .write(
            "a.md",
            "<<<<<<< HEAD\x1b]0;pwned\x07\nx\n=======\ny\n>>>>>>> t\x1b[2J\n",
        )
        .args(["check", "--format", "human", "--color", "never"])
        .run()
        .status(1);
    assert!(!out.stdout.contains('\x1b'), "{:?}", out.stdout);
    assert!(!out.stdout.contains('\x07'), "{:?}", out.stdout);
    assert!(
        out.stdout.contains("HEAD\\u{1b}]0;pwned\\u{7}"),
        "{}",
        out.stdout
    );
}

#[test]
fn colour_follows_the_flag() {
    let test = Test::new().write("a.md", BLOCK);
    let plain = test.run_with(&["check", "--format", "human", "--color", "never"]);
    assert!(!plain.stdout.contains('\x1b'));
    let coloured = test.run_with(&["check", "--format", "human", "--color", "always"]);
    assert!(coloured.stdout.contains('\x1b'));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut test = Test::new();
    for i in 0..300 {
        test = test.write(&format!("f{i:03}.md"), BLOCK.repeat(20));
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(test.path())
        .args(["check", "--format", "concise"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning mergemark");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut first = [0u8; 16];
    stdout
        .read_exact(&mut first)
        .expect("reading the first bytes");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("waiting for mergemark");
    assert_eq!(status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// An AsciiDoc file (by its name) shows a conflict example in a listing block: a warning, not
/// an error; the same block in a `.txt` file is a conflict (issue 14).
#[test]
fn asciidoc_listing_blocks_hold_examples() {
    let text = "Example:\n\n----\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n----\n";
    let test = Test::new().write("doc.adoc", text).write("doc.txt", text);
    let out = test.run_with(&["check", "doc.adoc"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("conflict-marker-in-code"),
        "{}",
        out.stdout
    );
    let out = test.run_with(&["check", "doc.txt"]);
    assert_eq!(out.code, 1, "{out:?}");
    // The message names no Markdown fence, and the help gives AsciiDoc's comment, which works.
    let out = test.run_with(&["check", "--format", "json", "doc.adoc"]);
    let json = out.json();
    let finding = &json["findings"][0];
    assert!(finding["message"]
        .as_str()
        .expect("message")
        .starts_with("conflict markers in a code block"));
    assert!(finding["help"]
        .as_str()
        .expect("help")
        .contains("// mergemark-disable-next-line"));
    let quiet = format!("// mergemark-disable-next-line conflict-marker-in-code\n{text}")
        .replace("Example:\n\n", "");
    let test = test.write("quiet.adoc", quiet);
    let out = test.run_with(&["check", "--format", "json", "quiet.adoc"]);
    assert_eq!(
        out.json()["findings"].as_array().map(Vec::len),
        Some(0),
        "{}",
        out.stdout
    );
    // In Markdown, `//` is text: it suppresses nothing.
    let markdown = "// mergemark-disable-next-line\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n";
    test.write("note.md", markdown)
        .run_with(&["check", "note.md"])
        .status(1);
}

/// `--format concise --color always` colours the place and the severity (it had none); without
/// colour the line is unchanged.
#[test]
fn concise_output_is_coloured_when_asked() {
    let test = Test::new().write("a.md", BLOCK);
    let plain = test.run_with(&["check", "--format", "concise"]).status(1);
    assert!(!plain.stdout.contains('\u{1b}'));
    let coloured = test
        .run_with(&["check", "--format", "concise", "--color", "always"])
        .status(1);
    assert_eq!(
        coloured.stdout,
        "\u{1b}[1ma.md:1:1:\u{1b}[0m \u{1b}[1;31merror\u{1b}[0m[conflict-marker] unresolved merge conflict between `HEAD` (ours) and `topic` (theirs)\n"
    );
    let stripped = coloured
        .stdout
        .replace("\u{1b}[1m", "")
        .replace("\u{1b}[1;31m", "")
        .replace("\u{1b}[0m", "");
    assert_eq!(stripped, plain.stdout);
}

/// Human and concise output name files as they open from the current directory (ruff's habit);
/// JSON, SARIF and GitHub annotations keep repository-relative paths, the same from anywhere.
#[test]
fn text_output_names_files_as_they_open_from_the_current_directory() {
    const BLOCK: &str = "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\n";
    let test = Test::new()
        .write("README.md", BLOCK)
        .write("docs/a.md", BLOCK)
        .write("docs/guides/g.md", BLOCK);
    test.git().init();
    test.git().commit_all("conflicts committed");
    let docs = test.path().join("docs");
    let names = |args: &[&str]| -> Vec<String> {
        test.run_in("docs", args)
            .status(1)
            .stdout
            .lines()
            .map(|l| l.split(':').next().unwrap_or("").to_owned())
            .collect()
    };
    let concise = ["check", "--format", "concise"];
    for (extra, expected) in [
        (&[][..], &["a.md", "guides/g.md"][..]),
        (
            &[".."],
            &["../README.md", "../docs/a.md", "../docs/guides/g.md"],
        ),
        (&["./guides"], &["guides/g.md"]),
        (&["--rev", "HEAD"], &["a.md", "guides/g.md"]),
        (
            &["--staged", "--all", ".."],
            &["../README.md", "a.md", "guides/g.md"],
        ),
    ] {
        let args: Vec<&str> = concise.iter().chain(extra).copied().collect();
        let shown = names(&args);
        assert_eq!(shown, expected, "{args:?}");
        for name in &shown {
            assert!(docs.join(name).is_file(), "{name} does not open from docs/");
        }
    }
    // An absolute PATH is shown from here too.
    let absolute = test
        .path()
        .join("docs/guides")
        .to_string_lossy()
        .into_owned();
    assert_eq!(
        names(&["check", "--format", "concise", &absolute]),
        ["guides/g.md"]
    );
    // The human format's snippets name the file alike.
    let human = test
        .run_in("docs/guides", &["check", "--format", "human", "../a.md"])
        .status(1);
    assert!(human.stdout.contains("[../a.md:1:1]"), "{}", human.stdout);
    // Machine formats keep the repository-relative path.
    let json = test
        .run_in("docs", &["check", "--format", "json"])
        .status(1)
        .json();
    assert_eq!(json["findings"][0]["path"], "docs/a.md");
    let github = test
        .run_in("docs", &["check", "--format", "github"])
        .status(1);
    assert!(
        github.stdout.contains("file=docs/a.md,"),
        "{}",
        github.stdout
    );
}

/// Found by review: an unmerged path a Git scope reports was named from the repository's root.
#[test]
fn unmerged_paths_are_named_from_here_in_every_scope() {
    let test = crate::harness::stopped_merge(Some("l1\nours\nl3\n"), Some("l1\ntheirs\nl3\n"));
    std::fs::create_dir_all(test.path().join("sub")).expect("mkdir");
    for scope in [&[][..], &["--staged"], &["--commits", "HEAD~1..HEAD"]] {
        let mut args = vec!["check", "--format", "concise"];
        args.extend(scope);
        args.push("..");
        let out = test.run_in("sub", &args).status(1);
        assert!(
            out.stdout.lines().all(|l| l.starts_with("../a.md")),
            "{scope:?}: {}",
            out.stdout
        );
    }
}
