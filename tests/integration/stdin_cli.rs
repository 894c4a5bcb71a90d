//! `check -` and `--stdin-filename` (editors and pipes), and `diff -`.

use crate::harness::{Output, Test};

const BLOCK: &str = "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\n";

/// Run mergemark in `test`'s directory (or `sub` of it) with `input` on stdin.
pub fn run_stdin(test: &Test, sub: &str, args: &[&str], input: impl AsRef<[u8]>) -> Output {
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(test.path().join(sub))
        .args(args)
        .write_stdin(input.as_ref().to_vec())
        .output()
        .expect("running mergemark");
    Output {
        code: output.status.code().expect("mergemark exits normally"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    }
}

#[test]
fn a_dash_checks_the_text_on_stdin_as_markdown() {
    let test = Test::new().write("on-disk.md", BLOCK);
    let out = run_stdin(&test, "", &["check", "-"], format!("intro\n{BLOCK}")).status(1);
    assert_eq!(
        out.stdout,
        "<stdin>:2:1: error[conflict-marker] unresolved merge conflict between `HEAD` (ours) and `t` (theirs)\n"
    );
    let out = run_stdin(&test, "", &["check", "--format", "json", "-"], "clean\n").status(0);
    assert_eq!(out.json()["files_checked"], 1, "only stdin is read");
    // Markdown by default: a marker in a fence is an example.
    let out = run_stdin(&test, "", &["check", "-"], format!("```\n{BLOCK}```\n")).status(0);
    assert!(
        out.stdout.contains("conflict-marker-in-code"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_stdin_filename_decides_name_configuration_and_schema() {
    let test = Test::new().write(
        "mergemark.toml",
        "postmortem = false\n\n[[schema]]\nname = \"runbook\"\nfiles = [\"runbooks/*.md\"]\n\n[[schema.section]]\ntitle = \"Steps\"\n\n[per-file-rules]\n\"*.txt\" = { conflict-marker = \"warning\" }\n",
    );
    test.git().init();
    std::fs::create_dir_all(test.path().join("docs")).expect("mkdir");
    let text = "# Restart\n\nSome words.\n";
    // The path selects the schema (it need not exist, nor its directory).
    let out = run_stdin(
        &test,
        "",
        &["check", "--stdin-filename", "runbooks/restart.md"],
        text,
    )
    .status(1);
    assert!(
        out.stdout
            .starts_with("runbooks/restart.md:1:1: error[missing-section] missing section `Steps`"),
        "{}",
        out.stdout
    );
    let out = run_stdin(
        &test,
        "",
        &["check", "-", "--stdin-filename", "other.md"],
        text,
    )
    .status(0);
    assert_eq!(out.stdout, "");
    // Named as it opens from the current directory (as a walked file is); its levels apply.
    let out = run_stdin(
        &test,
        "docs",
        &["check", "-", "--stdin-filename", "notes.txt"],
        BLOCK,
    )
    .status(0);
    assert!(
        out.stdout
            .starts_with("notes.txt:1:1: warning[conflict-marker]"),
        "{}",
        out.stdout
    );
    // Not Markdown by its name: a fence is no code block.
    let out = run_stdin(
        &test,
        "",
        &["check", "--stdin-filename", "a.rst"],
        format!("```\n{BLOCK}```\n"),
    )
    .status(1);
    assert!(
        out.stdout.contains("error[conflict-marker]"),
        "{}",
        out.stdout
    );
}

#[test]
fn force_exclude_skips_an_excluded_stdin_filename() {
    let test = Test::new().write("mergemark.toml", "exclude = [\"vendor\"]\n");
    test.git().init();
    let args = ["check", "--stdin-filename", "vendor/x.md"];
    run_stdin(&test, "", &args, BLOCK).status(1);
    let out = run_stdin(
        &test,
        "",
        &[&args[..], &["--force-exclude"]].concat(),
        BLOCK,
    )
    .status(0);
    assert_eq!(out.stdout, "");
}

#[test]
fn stdin_is_used_alone() {
    let test = Test::new().write("a.md", BLOCK);
    let out = run_stdin(
        &test,
        "",
        &["check", "--stdin-filename", "x.md", "a.md"],
        BLOCK,
    )
    .status(2);
    assert!(out.stderr.contains("--stdin-filename"), "{}", out.stderr);
    let out = run_stdin(&test, "", &["check", "-", "--staged"], BLOCK).status(2);
    assert!(out.stderr.contains("no Git scope"), "{}", out.stderr);
    let out = run_stdin(&test, "", &["check", "--stdin-filename", "."], BLOCK).status(2);
    assert!(out.stderr.contains("is a directory"), "{}", out.stderr);
}

#[test]
fn diff_reads_stdin_too() {
    let test = Test::new();
    let out = run_stdin(&test, "", &["diff", "-"], BLOCK).status(1);
    assert!(
        out.stdout
            .starts_with("<stdin>:1-5: ours `HEAD` -> theirs `t`"),
        "{}",
        out.stdout
    );
    run_stdin(&test, "", &["diff", "-"], "clean\n").status(0);
    // Among other PATHs, `-` is a file of that name, as for check (it was a usage error).
    let test = test.write("-", BLOCK).write("a.md", "clean\n");
    let out = run_stdin(&test, "", &["diff", "-", "a.md"], "").status(1);
    assert!(out.stdout.starts_with("-:1-5: ours"), "{}", out.stdout);
}

/// Hostile review: text on stdin skipped the reading rules files get (UTF-16 was not decoded,
/// so its conflict was missed; a NUL byte was read as text; --max-filesize was not applied), and
/// `-` among other PATHs (pre-commit passing a file named `-`) read stdin instead of the file.
#[test]
fn stdin_is_read_as_a_file_is() {
    let test = Test::new().write("a.md", BLOCK).write("-", BLOCK);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(BLOCK.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let out = run_stdin(&test, "", &["check", "-"], utf16).status(1);
    assert!(
        out.stdout.contains("<stdin>:1:1: error[conflict-marker]"),
        "{}",
        out.stdout
    );
    let out = run_stdin(&test, "", &["check", "-"], "a\0b\0c\0\0\0x").status(0);
    assert!(
        out.stderr.contains("skipped <stdin>: binary"),
        "{}",
        out.stderr
    );
    let out = run_stdin(&test, "", &["check", "--max-filesize", "10", "-"], BLOCK).status(2);
    assert!(
        out.stderr.contains("<stdin>: not checked"),
        "{}",
        out.stderr
    );
    let out = run_stdin(&test, "", &["check", "-", "a.md"], "").status(1);
    assert_eq!(
        out.stdout
            .lines()
            .map(|l| l.split(':').next().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["-", "a.md"]
    );
}

/// Hostile review: `..` below a directory that does not exist was kept in the name, so the
/// configuration and schema of the path it leads to did not apply; an excluded unmerged path
/// given as --stdin-filename with --force-exclude was skipped.
#[test]
fn a_stdin_filename_is_read_through_dot_dot_and_unmerged_paths_are_always_checked() {
    let test = Test::new().write(
        "mergemark.toml",
        "exclude = [\"legacy\"]\n\n[per-file-rules]\n\"docs/**\" = { conflict-marker = \"warning\" }\n",
    );
    test.git().init();
    let out = run_stdin(
        &test,
        "",
        &["check", "--stdin-filename", "nope/deeper/../../docs/x.md"],
        BLOCK,
    )
    .status(0);
    assert!(
        out.stdout
            .starts_with("docs/x.md:1:1: warning[conflict-marker]"),
        "{}",
        out.stdout
    );
    let merge = crate::harness::stopped_merge(Some("ours\n"), Some("theirs\n"));
    let merge = merge.write("mergemark.toml", "exclude = [\"a.md\"]\n");
    let out = run_stdin(
        &merge,
        "",
        &["check", "--force-exclude", "--stdin-filename", "a.md"],
        "text\n",
    )
    .status(1);
    assert!(out.stdout.contains("unmerged-path"), "{}", out.stdout);
}
