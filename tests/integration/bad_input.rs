//! The bad-input matrix: each case gets a clear message and the right exit status, and the other
//! files are still checked (`good.md` holds one conflict in every tree here).

use std::process::Command;

use crate::harness::{Output, Test};

const BLOCK: &str = "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n";

fn with_good_file() -> Test {
    Test::new().write("good.md", BLOCK)
}

/// `check --format json` in `test`; asserts the conflict in good.md was still found.
#[track_caller]
fn check(test: &Test, extra: &[&str], status: i32) -> Output {
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    let out = test.run_with(&args).status(status);
    assert!(
        out.findings()
            .iter()
            .any(|(path, rule, _, _)| path == "good.md" && rule == "conflict-marker"),
        "good.md was not checked: {}",
        out.stdout
    );
    out
}

/// `path: message` of each entry of the JSON output's `errors` or `skipped` list.
fn messages(out: &Output, list: &str) -> Vec<String> {
    out.json()[list]
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["path"].as_str().unwrap_or(""),
                e["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Run mergemark in `dir` as an unprivileged user (as root, mode bits do not bind).
#[cfg(unix)]
fn run_unprivileged(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let root = Command::new("id").arg("-u").output().expect("id").stdout == b"0\n";
    let mut command = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        c.arg(env!("CARGO_BIN_EXE_mergemark"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_mergemark"))
    };
    let output = command.current_dir(dir).args(args).output().expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn permission_denied_on_a_file_and_a_directory() {
    use std::os::unix::fs::PermissionsExt;
    let test = with_good_file()
        .write("secret.md", BLOCK)
        .write("locked/inside.md", BLOCK);
    let mode = |path: &str, mode: u32| {
        std::fs::set_permissions(
            test.path().join(path),
            std::fs::Permissions::from_mode(mode),
        )
        .expect("chmod");
    };
    mode("", 0o755);
    mode("good.md", 0o644);
    mode("secret.md", 0o000);
    mode("locked", 0o000);
    let (code, stdout, stderr) = run_unprivileged(test.path(), &["check", "--format", "concise"]);
    mode("locked", 0o755);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.contains("good.md:1:1: error[conflict-marker]"),
        "{stdout}"
    );
    assert!(
        stderr.contains("mergemark: error: secret.md: permission denied"),
        "{stderr}"
    );
    assert!(stderr.contains("locked"), "{stderr}");
    assert!(
        stderr.to_lowercase().contains("permission denied"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn device_files_are_not_read() {
    let test = with_good_file();
    std::os::unix::fs::symlink("/dev/zero", test.path().join("zero.md")).expect("symlink");
    // Named on the command line (followed, as the user meant the target): skipped, not read.
    let out = check(&test, &["good.md", "zero.md"], 1);
    assert_eq!(
        messages(&out, "skipped"),
        ["zero.md: not a regular file (FIFO, socket or device); not opened"]
    );
    let out = test.run_with(&["check", "/dev/null"]).status(0);
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
}

#[test]
fn a_sparse_gigabyte_file_is_skipped_by_size() {
    let test = with_good_file();
    let file = std::fs::File::create(test.path().join("huge.md")).expect("create");
    file.set_len(1 << 30).expect("a sparse 1 GiB file");
    // Its first bytes are NUL: binary, skipped without being read whole.
    let out = check(&test, &[], 1);
    assert_eq!(messages(&out, "skipped"), Vec::<String>::new());
    assert_eq!(messages(&out, "errors"), Vec::<String>::new());
}

#[test]
fn a_text_file_too_large_to_check_is_an_error_in_every_scope() {
    // Found by a hostile user: a staged file over the limit passed the hook with a note.
    let test = with_good_file();
    test.git().init();
    let big = format!("{BLOCK}{}", "a line of text\n".repeat(2000));
    test.git().write("big.md", big.as_bytes());
    test.git().commit_all("big");
    for scope in [&[][..], &["--staged", "--all"][..], &["--rev", "HEAD"][..]] {
        let mut args = vec!["--max-filesize", "1K"];
        args.extend(scope);
        let out = check(&test, &args, 2);
        assert!(
            messages(&out, "errors")
                .iter()
                .any(|e| e
                    .starts_with("big.md: not checked: a text file larger than --max-filesize")),
            "{scope:?}: {}",
            out.stdout
        );
    }
}

#[test]
fn a_ten_megabyte_line_and_one_hundred_thousand_blocks() {
    let long_line = format!("{}\n{BLOCK}", "a".repeat(10 << 20));
    let many = BLOCK.repeat(100_000);
    let test = with_good_file()
        .write("long.md", long_line)
        .write("many.txt", many);
    let out = check(&test, &[], 1);
    let findings = out.findings();
    // A file lists the first 1,000 findings of a rule, and one more that counts the rest.
    assert_eq!(findings.iter().filter(|f| f.0 == "many.txt").count(), 1_001);
    assert!(
        out.stdout
            .contains("99000 more `conflict-marker` findings in this file"),
        "{}",
        out.stdout
    );
    assert_eq!(
        findings
            .iter()
            .filter(|f| f.0 == "long.md")
            .collect::<Vec<_>>(),
        [&("long.md".to_owned(), "conflict-marker".to_owned(), 2, 6)]
    );
}

#[test]
fn deeply_nested_markers_are_capped_not_recursed() {
    let depth = 20_000;
    let text = format!(
        "{}x\n{}",
        "<<<<<<< a\n".repeat(depth),
        "=======\ny\n>>>>>>> b\n".repeat(depth)
    );
    let test = with_good_file().write("deep.md", text);
    let out = check(&test, &[], 1);
    assert!(out.findings().iter().any(|f| f.0 == "deep.md"));
    // And resolving it neither crashes nor changes what it cannot settle.
    test.run_with(&["resolve", "--strategy", "ours", "--stdout", "deep.md"]);
}

#[test]
fn a_corrupt_index_does_not_stop_a_working_tree_check() {
    let test = with_good_file();
    test.git().init();
    test.git().commit_all("start");
    std::fs::write(test.path().join(".git/index"), b"DIRC garbage").expect("corrupt");
    // The files are still checked, but a repository whose index cannot be read may hide unmerged
    // paths: that is an error (exit 2) naming the index, never a silent pass.
    let out = check(&test, &[], 2);
    let errors = messages(&out, "errors");
    assert!(
        errors.len() == 1
            && errors[0].contains("cannot read the index")
            && errors[0].contains(".git/index"),
        "{errors:?}"
    );
    let out = test.run_with(&["check", "--staged"]).status(2);
    assert!(
        out.stderr.contains("mergemark: error: --staged: "),
        "{}",
        out.stderr
    );
}

#[test]
fn a_repository_with_no_commits() {
    let test = with_good_file();
    test.git().init();
    test.git().ok(&["add", "good.md"]);
    // Everything staged is new: --staged checks it.
    check(&test, &["--staged"], 1);
    let out = test.run_with(&["check", "--rev", "HEAD"]).status(2);
    assert!(
        out.stderr.contains("`HEAD` does not name a commit or tree"),
        "{}",
        out.stderr
    );
    let out = test
        .run_with(&["check", "--changed-since", "main"])
        .status(2);
    assert!(out.stderr.contains("--changed-since: "), "{}", out.stderr);
}

#[test]
fn a_bare_repository() {
    let test = with_good_file();
    test.git().ok(&["init", "-q", "--bare", "bare.git"]);
    // Walked as plain files (its objects are compressed, so binary): nothing but good.md found.
    let out = check(&test, &[], 1);
    assert_eq!(out.findings().len(), 1);
    let out = crate::harness::run_mergemark(
        &test.path().join("bare.git"),
        &["check", "--staged"].map(Into::into),
    )
    .status(2);
    assert!(
        out.stderr
            .contains("needs a Git repository with a working tree"),
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn names_with_newlines_and_invalid_utf8_are_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let test = with_good_file();
    let name = std::ffi::OsStr::from_bytes(b"evil\nname\xff.md");
    std::fs::write(test.path().join(name), BLOCK).expect("write");
    let out = test.run_with(&["check", "--format", "concise"]).status(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("evil\\u{a}name\u{fffd}.md:1:1: error[conflict-marker]")),
        "{}",
        out.stdout
    );
    for format in ["github", "human"] {
        let out = test.run_with(&["check", "--format", format]).status(1);
        assert!(
            !out.stdout.contains("evil\nname"),
            "{format}: {}",
            out.stdout
        );
    }
}

#[test]
fn a_catastrophic_looking_pattern_stays_linear() {
    let config = "[[schema]]\nname = \"note\"\nfiles = [\"notes/*.md\"]\n\n[[schema.section]]\ntitle = \"Body\"\n\n[[schema.section.fact]]\nname = \"repeated\"\npattern = \"(a+)+$\"\nexample = \"aaa\"\n";
    let body = format!("# Note\n## Body\n{}!\n", "a".repeat(200_000));
    let test = with_good_file()
        .write("mergemark.toml", config)
        .write("notes/n.md", body);
    // No clock here (no test is a timing test): a backtracking engine would not finish at all,
    // and the suite would hang on this test rather than pass it.
    let out = check(&test, &[], 1);
    assert!(
        out.findings().iter().any(|f| f.0 == "notes/n.md"),
        "{}",
        out.stdout
    );
}

#[test]
fn bad_configuration_is_reported_and_the_rest_still_checked() {
    let test = with_good_file().write("mergemark.toml", "[rules]\nconflict-marker = \"loud\"\n");
    let out = check(&test, &[], 2);
    assert!(
        messages(&out, "errors")
            .iter()
            .any(|e| e.starts_with("mergemark.toml: line 2:")),
        "{:?}",
        messages(&out, "errors")
    );
}

/// Memory follows the largest file, not its number of findings: 400,000 stray end markers
/// (3.2 MB) checked under a 150 MB address-space limit, where keeping a finding per marker needed
/// about 230 MB. Every format; the findings are capped and counted.
#[cfg(unix)]
#[test]
fn stray_markers_by_the_hundred_thousand_fit_in_little_memory() {
    let test = with_good_file().write("stray.md", ">>>>>>>\n".repeat(400_000));
    for format in ["concise", "json", "sarif", "github", "human"] {
        let output = Command::new("sh")
            .current_dir(test.path())
            .arg("-c")
            .arg(format!(
                "ulimit -v 150000; exec \"$0\" check --format {format} stray.md good.md"
            ))
            .arg(env!("CARGO_BIN_EXE_mergemark"))
            .output()
            .expect("running mergemark under ulimit");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains("399000 more `broken-conflict` findings"),
            "{format}"
        );
    }
}

/// Found by review: a pattern that matches empty text (`''`, `a*`) was taken: as a fact it was
/// always stated, as a section pattern it took every heading (a document with `## Owner` was
/// told its `Owner` section was missing). It is a configuration error naming the key.
#[test]
fn a_pattern_that_matches_empty_text_is_a_configuration_error() {
    for (at, pattern, key) in [
        ("fact", "''", "schema[0].section[0].fact[0].pattern"),
        ("fact", "'x*'", "schema[0].section[0].fact[0].pattern"),
        ("section", "''", "schema[0].section[0].pattern"),
    ] {
        let (section_pattern, fact_pattern) = if at == "fact" {
            (String::new(), format!("pattern = {pattern}\n"))
        } else {
            (
                format!("pattern = {pattern}\n"),
                "pattern = 'x'\n".to_owned(),
            )
        };
        let config = format!(
            "[[schema]]\nname = \"rb\"\nfiles = [\"*.md\"]\n\n[[schema.section]]\ntitle = \"Steps\"\n\
             {section_pattern}\n[[schema.section.fact]]\nname = \"a\"\n{fact_pattern}example = \"x\"\n"
        );
        let test = Test::new()
            .write("mergemark.toml", config)
            .write("a.md", "# R\n\n## Steps\n\ntext\n");
        let out = test.run_with(&["check", "."]).status(2);
        assert!(
            out.stderr.contains(key) && out.stderr.contains("matches empty text"),
            "{pattern} at {at}: {}",
            out.stderr
        );
    }
}
