//! The Git scopes of `check` (`--staged`, `--rev`, `--changed-since`) and `unmerged-path`, on real
//! repositories made with the `git` binary.

use crate::harness::Test;

const CONFLICT: &str = "# Notes\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n";

fn repo() -> Test {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("clean.md", b"# Clean\n");
    git.write("docs/other.md", b"# Other\n");
    git.commit_all("start");
    test
}

/// `(path, rule)` of each finding of `check --format json ARGS`.
fn found(test: &Test, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let out = test.run_with(&all);
    assert!(out.code < 2, "{}", out.stderr);
    out.findings()
        .into_iter()
        .map(|(path, rule, _, _)| (path, rule))
        .collect()
}

fn pair(path: &str, rule: &str) -> (String, String) {
    (path.to_owned(), rule.to_owned())
}

#[test]
fn staged_sees_the_index_not_the_working_tree() {
    let test = repo();
    let git = test.git();
    // Staged with markers, then fixed in the working tree only.
    git.write("staged.md", CONFLICT.as_bytes());
    git.ok(&["add", "staged.md"]);
    git.write("staged.md", b"# Notes\nfixed\n");
    // Markers only in the working tree.
    git.write("clean.md", CONFLICT.as_bytes());
    assert_eq!(
        found(&test, &["--staged"]),
        [pair("staged.md", "conflict-marker")]
    );
    assert_eq!(found(&test, &[]), [pair("clean.md", "conflict-marker")]);
    // The blob is read from the object database: even a deleted working file is checked.
    std::fs::remove_file(test.path().join("staged.md")).expect("remove");
    assert_eq!(
        found(&test, &["--staged"]),
        [pair("staged.md", "conflict-marker")]
    );
}

#[test]
fn staged_all_checks_every_index_entry_and_paths_limit_the_files() {
    let test = repo();
    let git = test.git();
    git.write("docs/committed.md", CONFLICT.as_bytes());
    git.commit_all("markers committed");
    git.write("docs/new.md", CONFLICT.as_bytes());
    git.write("top.md", CONFLICT.as_bytes());
    git.ok(&["add", "."]);
    // Only what differs from HEAD...
    assert_eq!(
        found(&test, &["--staged"]),
        [
            pair("docs/new.md", "conflict-marker"),
            pair("top.md", "conflict-marker")
        ]
    );
    // ...or everything, and the paths pre-commit passes limit it.
    assert_eq!(
        found(&test, &["--staged", "--all", "docs"]),
        [
            pair("docs/committed.md", "conflict-marker"),
            pair("docs/new.md", "conflict-marker")
        ]
    );
    assert_eq!(
        found(&test, &["--staged", "top.md"]),
        [pair("top.md", "conflict-marker")]
    );
    // From a subdirectory, paths are relative to it and findings name repository paths.
    let out = crate::harness::run_mergemark(
        &test.path().join("docs"),
        &["check", "--staged", "--format", "json", "new.md"].map(Into::into),
    );
    assert!(
        out.stdout.contains("\"path\": \"docs/new.md\""),
        "{}",
        out.stdout
    );
}

#[test]
fn staged_honours_the_staged_marker_size_attribute() {
    let test = repo();
    let git = test.git();
    git.write(".gitattributes", b"*.md conflict-marker-size=9\n");
    git.write(
        "long.md",
        b"<<<<<<<<< HEAD\nours\n=========\ntheirs\n>>>>>>>>> topic\n",
    );
    git.ok(&["add", "."]);
    assert_eq!(
        found(&test, &["--staged"]),
        [pair("long.md", "conflict-marker")]
    );
}

#[test]
fn rev_finds_markers_committed_in_history() {
    let test = repo();
    let git = test.git();
    git.write("clean.md", CONFLICT.as_bytes());
    git.commit_all("committed with markers");
    git.write("clean.md", b"# Clean\nfixed\n");
    git.commit_all("fixed");
    // The working tree and HEAD are clean; the commit before is not.
    assert_eq!(found(&test, &[]), []);
    assert_eq!(found(&test, &["--rev", "HEAD"]), []);
    assert_eq!(
        found(&test, &["--rev", "HEAD~1"]),
        [pair("clean.md", "conflict-marker")]
    );
    let out = test
        .run_with(&["check", "--rev", "no-such-branch"])
        .status(2);
    assert!(
        out.stderr
            .contains("--rev: `no-such-branch` does not name a commit or tree"),
        "{}",
        out.stderr
    );
}

#[test]
fn changed_since_limits_the_check_to_the_files_a_branch_changed() {
    let test = repo();
    let git = test.git();
    git.write("old.md", CONFLICT.as_bytes());
    git.commit_all("old markers on main");
    git.ok(&["checkout", "-q", "-b", "feature"]);
    git.write("new.md", CONFLICT.as_bytes());
    git.commit_all("feature adds markers");
    git.write("untracked.md", CONFLICT.as_bytes());
    git.write("docs/other.md", b"# Other\nedited, clean\n");
    assert_eq!(
        found(&test, &["--changed-since", "main"]),
        [
            pair("new.md", "conflict-marker"),
            pair("untracked.md", "conflict-marker")
        ]
    );
    // The whole tree still has the old file.
    assert!(found(&test, &[]).contains(&pair("old.md", "conflict-marker")));
}

/// A merge stopped on `doc.md` (text) and `blob.bin` (binary).
fn merge_in_progress() -> Test {
    let test = repo();
    let code = test.git().merge_topic(&[
        (
            "doc.md",
            b"# Doc\nbase\n",
            b"# Doc\nours\n",
            b"# Doc\ntheirs\n",
        ),
        ("blob.bin", b"\0base", b"\0ours", b"\0theirs"),
    ]);
    assert_ne!(code, 0);
    test
}

#[test]
fn unmerged_paths_are_errors_in_every_scope() {
    let test = merge_in_progress();
    let expected = [
        pair("blob.bin", "unmerged-path"),
        pair("doc.md", "unmerged-path"),
        pair("doc.md", "conflict-marker"),
    ];
    assert_eq!(found(&test, &[]), expected);
    assert_eq!(found(&test, &["--staged"]), expected[..2]);
    assert_eq!(found(&test, &["--rev", "HEAD"]), expected[..2]);
    // Markers deleted by hand but not added: still unmerged.
    std::fs::write(test.path().join("doc.md"), "# Doc\nours\n").expect("write");
    assert_eq!(found(&test, &[]), expected[..2]);
    let out = test
        .run_with(&["check", "--format", "concise", "doc.md"])
        .status(1);
    assert_eq!(
        out.stdout,
        "doc.md:1:1: error[unmerged-path] unmerged in the index (both modified): a merge, rebase \
         or cherry-pick stopped on this path\n"
    );
    // `git add` settles it.
    test.git().ok(&["add", "doc.md", "blob.bin"]);
    assert_eq!(found(&test, &[]), []);
}

#[test]
fn staged_checks_the_stages_of_an_unmerged_path() {
    let test = repo();
    // Theirs committed markers of its own.
    let code = test.git().merge_topic(&[(
        "doc.md",
        b"# Doc\nbase\n",
        b"# Doc\nours\n",
        CONFLICT.as_bytes(),
    )]);
    assert_ne!(code, 0);
    let out = test
        .run_with(&["check", "--staged", "--format", "json"])
        .status(1);
    let origins: Vec<(String, String)> = out.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["origin"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    assert!(
        origins.contains(&(
            "conflict-marker".to_owned(),
            "index stage 3 (theirs)".to_owned()
        )),
        "{origins:?}"
    );
    assert_eq!(origins[0], ("unmerged-path".to_owned(), "-".to_owned()));
}

#[test]
fn git_scopes_outside_a_repository_are_usage_errors() {
    let test = Test::new().write("a.md", CONFLICT);
    let out = test.run_with(&["check", "--staged"]).status(2);
    assert!(
        out.stderr.contains("--staged needs a Git repository"),
        "{}",
        out.stderr
    );
}

#[test]
fn diff_reads_the_same_scopes() {
    let test = repo();
    let git = test.git();
    git.write("committed.md", CONFLICT.as_bytes());
    git.commit_all("markers committed");
    git.write("committed.md", b"# Notes\nfixed\n");
    git.write("staged.md", CONFLICT.as_bytes());
    git.ok(&["add", "staged.md"]);
    let paths = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["diff", "--format", "json"];
        all.extend(args);
        let out = test.run_with(&all);
        assert!(out.code < 2, "{}", out.stderr);
        out.json()["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| f["path"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(paths(&["--staged"]), ["staged.md"]);
    assert_eq!(paths(&["--rev", "HEAD"]), ["committed.md"]);
    assert_eq!(paths(&["--rev", "HEAD", "docs"]), Vec::<String>::new());
}
