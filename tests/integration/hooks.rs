//! `mergemark hook install|uninstall`, exercised by real `git commit`s.

use crate::harness::Test;

/// `git` with a PATH that holds no `mergemark`, so the hook falls back to the binary that
/// installed it (as under a graphical client); returns (status, stdout + stderr).
fn git(test: &Test, args: &[&str]) -> (i32, String) {
    test.git()
        .run_with_path(args, "/usr/local/bin:/usr/bin:/bin")
}

fn repo() -> Test {
    let test = Test::new();
    test.git().init();
    test
}

#[test]
fn the_pre_commit_hook_blocks_markers_and_lets_clean_commits_through() {
    let test = repo();
    let out = test.run_with(&["hook", "install"]).status(0);
    assert!(out.stderr.contains("installed"), "{}", out.stderr);
    let hook = test.path().join(".git/hooks/pre-commit");
    assert!(hook.is_file());

    std::fs::write(
        test.path().join("doc.md"),
        "# Doc\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n",
    )
    .expect("write");
    git(&test, &["add", "doc.md"]);
    let (code, output) = git(&test, &["commit", "-q", "-m", "with markers"]);
    assert_ne!(code, 0, "{output}");
    assert!(
        output.contains("doc.md:2:1: error[conflict-marker]"),
        "{output}"
    );
    // Nothing was committed.
    assert_ne!(git(&test, &["rev-parse", "--verify", "HEAD"]).0, 0);

    // Fixed in the working tree but not staged: still blocked (the hook checks the index).
    std::fs::write(test.path().join("doc.md"), "# Doc\nours\n").expect("write");
    assert_ne!(git(&test, &["commit", "-q", "-m", "still staged"]).0, 0);
    git(&test, &["add", "doc.md"]);
    let (code, output) = git(&test, &["commit", "-q", "-m", "clean"]);
    assert_eq!(code, 0, "{output}");
}

#[test]
fn a_foreign_hook_is_kept_unless_forced_and_restored_on_uninstall() {
    let test = repo();
    let hook = test.path().join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().expect("hooks dir")).expect("mkdir");
    std::fs::write(&hook, "#!/bin/sh\necho theirs\n").expect("write");
    let out = test.run_with(&["hook", "install"]).status(2);
    assert!(
        out.stderr.contains("was not written by mergemark"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&hook).expect("read"),
        "#!/bin/sh\necho theirs\n"
    );

    let out = test.run_with(&["hook", "install", "--force"]).status(0);
    assert!(
        out.stderr.contains("pre-commit.mergemark-backup"),
        "{}",
        out.stderr
    );
    assert!(std::fs::read_to_string(&hook)
        .expect("read")
        .contains("mergemark"));
    // Installing again updates mergemark's own hook without complaint.
    test.run_with(&["hook", "install"]).status(0);

    test.run_with(&["hook", "uninstall"]).status(0);
    assert_eq!(
        std::fs::read_to_string(&hook).expect("read"),
        "#!/bin/sh\necho theirs\n"
    );
    // The previous hook is not mergemark's: uninstall leaves it.
    test.run_with(&["hook", "uninstall"]).status(2);
    assert!(hook.is_file());
}

#[test]
fn hooks_path_is_honoured_and_other_hooks_can_be_installed() {
    let test = repo();
    git(&test, &["config", "core.hooksPath", "ci/hooks"]);
    test.run_with(&["hook", "install", "--hook", "pre-merge-commit"])
        .status(0);
    let hook = test.path().join("ci/hooks/pre-merge-commit");
    let text = std::fs::read_to_string(&hook).expect("the hook is in core.hooksPath");
    assert!(text.contains("check --staged"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hook).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
    }
    test.run_with(&["hook", "install", "--hook", "pre-push"])
        .status(0);
    assert!(
        std::fs::read_to_string(test.path().join("ci/hooks/pre-push"))
            .expect("read")
            .contains("check --rev")
    );
    test.run_with(&["hook", "uninstall", "--hook", "pre-merge-commit"])
        .status(0);
    assert!(!hook.exists());
}

#[test]
fn the_pre_push_hook_checks_the_commits_being_pushed() {
    let test = repo();
    let remote = tempfile::tempdir().expect("a remote");
    let (code, out) = git(
        &test,
        &["init", "-q", "--bare", &remote.path().to_string_lossy()],
    );
    assert_eq!(code, 0, "{out}");
    git(
        &test,
        &["remote", "add", "origin", &remote.path().to_string_lossy()],
    );
    std::fs::write(test.path().join("doc.md"), "# Doc\n").expect("write");
    git(&test, &["add", "."]);
    git(&test, &["commit", "-q", "-m", "clean"]);
    test.run_with(&["hook", "install", "--hook", "pre-push"])
        .status(0);
    let (code, out) = git(&test, &["push", "-q", "origin", "HEAD:refs/heads/main"]);
    assert_eq!(code, 0, "{out}");
    std::fs::write(
        test.path().join("doc.md"),
        "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n",
    )
    .expect("write");
    git(&test, &["commit", "-q", "-a", "-m", "markers"]);
    let (code, out) = git(&test, &["push", "-q", "origin", "HEAD:refs/heads/main"]);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("error[conflict-marker]"), "{out}");
}
