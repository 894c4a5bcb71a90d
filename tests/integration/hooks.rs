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

const MARKERS: &str = "# Doc\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n";

fn write(test: &Test, path: &str, text: &str) {
    let full = test.path().join(path);
    std::fs::create_dir_all(full.parent().expect("a parent")).expect("mkdir");
    std::fs::write(full, text).expect("write");
}

/// A repository with the pre-commit hook and two committed clean files.
fn repo_with_hook() -> Test {
    let test = repo();
    write(&test, "doc.md", "# Doc\nclean\n");
    write(&test, "other.md", "# Other\n");
    git(&test, &["add", "."]);
    let (code, out) = git(&test, &["commit", "-q", "-m", "start"]);
    assert_eq!(code, 0, "{out}");
    test.run_with(&["hook", "install"]).status(0);
    test
}

/// `git commit ARGS`: (exit status, output); the commit count tells whether it happened.
fn commit(test: &Test, args: &[&str]) -> (i32, String) {
    let mut full = vec!["commit", "-q"];
    full.extend(args);
    git(test, &full)
}

fn head(test: &Test) -> String {
    git(test, &["rev-parse", "HEAD"]).1
}

#[test]
fn every_form_of_git_commit_is_stopped_when_what_it_commits_holds_markers() {
    // `-a`: Git runs the hook on a temporary index (GIT_INDEX_FILE) holding the working tree.
    let test = repo_with_hook();
    write(&test, "doc.md", MARKERS);
    let before = head(&test);
    let (code, out) = commit(&test, &["-a", "-m", "all"]);
    assert_ne!(code, 0, "-a: {out}");
    assert!(out.contains("doc.md:2:1: error[conflict-marker]"), "{out}");
    assert_eq!(head(&test), before);

    // `git commit -m x doc.md` (--only): a temporary index of HEAD plus that path.
    let (code, out) = commit(&test, &["-m", "only", "doc.md"]);
    assert_ne!(code, 0, "paths: {out}");
    let (code, out) = commit(&test, &["--only", "-m", "only", "doc.md"]);
    assert_ne!(code, 0, "--only: {out}");
    // ...while committing only a clean path passes, even with markers elsewhere in the tree.
    write(&test, "other.md", "# Other\nmore\n");
    let (code, out) = commit(&test, &["-m", "other only", "other.md"]);
    assert_eq!(code, 0, "a clean path: {out}");

    // `--include`: the index plus the paths.
    let (code, out) = commit(&test, &["--include", "-m", "include", "doc.md"]);
    assert_ne!(code, 0, "--include: {out}");

    // `--amend` with the markers staged.
    git(&test, &["add", "doc.md"]);
    let before = head(&test);
    let (code, out) = commit(&test, &["--amend", "-m", "amend"]);
    assert_ne!(code, 0, "--amend: {out}");
    assert_eq!(head(&test), before);

    // Fixed: every form passes again.
    write(&test, "doc.md", "# Doc\nresolved\n");
    let (code, out) = commit(&test, &["-a", "-m", "fixed"]);
    assert_eq!(code, 0, "{out}");
    write(&test, "doc.md", "# Doc\nresolved again\n");
    let (code, out) = commit(&test, &["-m", "only", "doc.md"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = commit(&test, &["--amend", "-m", "amended"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn after_git_add_p_the_hook_judges_what_was_staged() {
    let test = repo_with_hook();
    // Two hunks: a clean edit at the top, markers at the bottom.
    let base: String = (1..=20).map(|i| format!("line {i}\n")).collect();
    write(&test, "doc.md", &base);
    git(&test, &["add", "doc.md"]);
    commit(&test, &["-m", "twenty lines"]);
    let edited = base.replace("line 1\n", "line one\n")
        + "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n";
    write(&test, "doc.md", &edited);
    // Stage only the first hunk: what would be committed is clean.
    let (code, out) = test.git().run_with_input(
        &["add", "-p", "doc.md"],
        "/usr/local/bin:/usr/bin:/bin",
        "y\nn\n",
    );
    assert_eq!(code, 0, "{out}");
    let (code, out) = commit(&test, &["-m", "first hunk"]);
    assert_eq!(code, 0, "the staged hunk is clean: {out}");
    // Stage the markers' hunk too: blocked.
    let (code, out) = test.git().run_with_input(
        &["add", "-p", "doc.md"],
        "/usr/local/bin:/usr/bin:/bin",
        "y\n",
    );
    assert_eq!(code, 0, "{out}");
    let (code, out) = commit(&test, &["-m", "markers"]);
    assert_ne!(code, 0, "{out}");
}

#[test]
fn the_hook_reads_a_linked_worktrees_index() {
    // In a linked worktree Git sets GIT_DIR (and GIT_INDEX_FILE) for the hook.
    let test = repo_with_hook();
    let (code, out) = git(&test, &["worktree", "add", "-q", "wt"]);
    assert_eq!(code, 0, "{out}");
    write(&test, "wt/doc.md", MARKERS);
    let wt = crate::harness::Git {
        dir: &test.path().join("wt"),
    };
    let (code, out) = wt.run_with_path(
        &["commit", "-q", "-a", "-m", "markers"],
        "/usr/local/bin:/usr/bin:/bin",
    );
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("doc.md:2:1: error[conflict-marker]"), "{out}");
    write(&test, "wt/doc.md", "# Doc\nclean in the worktree\n");
    let (code, out) = wt.run_with_path(
        &["commit", "-q", "-a", "-m", "clean"],
        "/usr/local/bin:/usr/bin:/bin",
    );
    assert_eq!(code, 0, "{out}");
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
            .contains("check --commits")
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

    // Every commit being pushed is checked, not only the tip: markers added in one commit and
    // removed in the next still stop the push (the history would hold them).
    std::fs::write(test.path().join("doc.md"), "# Doc\nresolved\n").expect("write");
    git(&test, &["commit", "-q", "-a", "-m", "resolved"]);
    let (code, out) = git(&test, &["push", "-q", "origin", "HEAD:refs/heads/main"]);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("(commit "), "{out}");

    // A new branch: only the commits no remote-tracking branch has are checked.
    git(&test, &["reset", "-q", "--hard", "HEAD~2"]);
    git(&test, &["fetch", "-q", "origin"]);
    std::fs::write(test.path().join("new.md"), "# New\n").expect("write");
    git(&test, &["add", "new.md"]);
    git(&test, &["commit", "-q", "-m", "new"]);
    let (code, out) = git(&test, &["push", "-q", "origin", "HEAD:refs/heads/feature"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_hook_works_in_a_submodule() {
    // A submodule's `.git` is a file pointing into the superproject's `.git/modules`.
    let library = repo_with_hook();
    let test = repo();
    write(&test, "README.md", "# Super\n");
    git(&test, &["add", "."]);
    git(&test, &["commit", "-q", "-m", "super"]);
    let (code, out) = git(
        &test,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            &library.path().to_string_lossy(),
            "lib",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let sub = crate::harness::Git {
        dir: &test.path().join("lib"),
    };
    let path = "/usr/local/bin:/usr/bin:/bin";
    let out = crate::harness::run_mergemark(
        &test.path().join("lib"),
        &["hook", "install"].map(Into::into),
    )
    .status(0);
    assert!(
        out.stderr.contains(".git/modules/lib/hooks/pre-commit"),
        "{}",
        out.stderr
    );
    write(&test, "lib/doc.md", MARKERS);
    let (code, out) = sub.run_with_path(&["commit", "-q", "-a", "-m", "markers"], path);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("doc.md:2:1: error[conflict-marker]"), "{out}");
    write(&test, "lib/doc.md", "# Doc\nclean in the submodule\n");
    let (code, out) = sub.run_with_path(&["commit", "-q", "-a", "-m", "clean"], path);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_hook_works_with_a_separate_git_dir() {
    // `git init --separate-git-dir`: `.git` is a file, and Git runs hooks with GIT_DIR set and the
    // work tree as the current directory.
    let outer = Test::new();
    let dir = outer.path().join("work");
    let git_dir = outer.path().join("store.git");
    let (code, out) = git(
        &outer,
        &[
            "init",
            "-q",
            "-b",
            "main",
            "--separate-git-dir",
            &git_dir.to_string_lossy(),
            &dir.to_string_lossy(),
        ],
    );
    assert_eq!(code, 0, "{out}");
    let work = crate::harness::Git { dir: &dir };
    let path = "/usr/local/bin:/usr/bin:/bin";
    std::fs::write(dir.join("a.md"), "# A\n").expect("write");
    work.run_with_path(&["add", "."], path);
    let (code, out) = work.run_with_path(&["commit", "-q", "-m", "init"], path);
    assert_eq!(code, 0, "{out}");
    crate::harness::run_mergemark(&dir, &["hook", "install"].map(Into::into)).status(0);
    std::fs::write(dir.join("a.md"), MARKERS).expect("write");
    let (code, out) = work.run_with_path(&["commit", "-q", "-a", "-m", "markers"], path);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("a.md:2:1: error[conflict-marker]"), "{out}");
    // Outside a hook too, paths are the work tree's own.
    let out =
        crate::harness::run_mergemark(&dir, &["check", "--format", "concise"].map(Into::into))
            .status(1);
    assert!(out.stdout.starts_with("a.md:2:1:"), "{}", out.stdout);
}

#[test]
fn the_hook_works_for_a_bare_repository_with_a_work_tree() {
    // The "dotfiles" set-up: a bare repository used with --work-tree.
    let outer = Test::new();
    let git_dir = outer.path().join("dots.git");
    let home = outer.path().join("home");
    std::fs::create_dir_all(&home).expect("mkdir");
    let (code, out) = git(
        &outer,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            &git_dir.to_string_lossy(),
        ],
    );
    assert_eq!(code, 0, "{out}");
    let work = crate::harness::Git { dir: &home };
    let path = "/usr/local/bin:/usr/bin:/bin";
    let dots = |args: &[&str]| {
        let mut full = vec![
            "--git-dir".to_owned(),
            git_dir.to_string_lossy().into_owned(),
            "--work-tree".to_owned(),
            home.to_string_lossy().into_owned(),
        ];
        full.extend(args.iter().map(|a| (*a).to_owned()));
        let full: Vec<&str> = full.iter().map(String::as_str).collect();
        work.run_with_path(&full, path)
    };
    std::fs::write(home.join("a.md"), "# A\n").expect("write");
    dots(&["add", "a.md"]);
    assert_eq!(dots(&["commit", "-q", "-m", "init"]).0, 0);
    let mut install = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"));
    let status = install
        .current_dir(&home)
        .env("GIT_DIR", &git_dir)
        .args(["hook", "install"])
        .status()
        .expect("install");
    assert!(status.success());
    std::fs::write(home.join("a.md"), "# A\nmore\n").expect("write");
    dots(&["add", "a.md"]);
    let (code, out) = dots(&["commit", "-q", "-m", "clean"]);
    assert_eq!(code, 0, "a clean commit passes: {out}");
    std::fs::write(home.join("a.md"), MARKERS).expect("write");
    dots(&["add", "a.md"]);
    let (code, out) = dots(&["commit", "-q", "-m", "markers"]);
    assert_ne!(code, 0, "{out}");
}

#[test]
fn a_hooks_path_under_home_is_where_the_hook_goes() {
    let test = repo_with_hook();
    git(&test, &["config", "core.hooksPath", "~/my-hooks"]);
    // The harness's git runs with HOME = the test directory; so does this install.
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(test.path())
        .env("HOME", test.path())
        .args(["hook", "install"])
        .status()
        .expect("install");
    assert!(status.success());
    assert!(test.path().join("my-hooks/pre-commit").is_file());
    write(&test, "doc.md", MARKERS);
    let (code, out) = commit(&test, &["-a", "-m", "markers"]);
    assert_ne!(code, 0, "{out}");
}

#[test]
fn pre_push_to_another_remote_checks_what_that_remote_lacks() {
    // A commit with markers that origin already has (pushed before the hook) still goes through
    // the check when pushed to a remote that lacks it.
    let test = repo();
    let origin = tempfile::tempdir().expect("origin");
    let backup = tempfile::tempdir().expect("backup");
    for (name, dir) in [("origin", &origin), ("backup", &backup)] {
        let path = dir.path().to_string_lossy().into_owned();
        assert_eq!(
            git(&test, &["init", "-q", "--bare", "-b", "main", &path]).0,
            0
        );
        git(&test, &["remote", "add", name, &path]);
    }
    write(&test, "doc.md", "# Doc\n");
    git(&test, &["add", "."]);
    commit(&test, &["-m", "clean"]);
    write(&test, "doc.md", MARKERS);
    commit(&test, &["-a", "-m", "markers"]);
    write(&test, "doc.md", "# Doc\nfixed\n");
    commit(&test, &["-a", "-m", "fixed"]);
    assert_eq!(git(&test, &["push", "-q", "origin", "main"]).0, 0);
    test.run_with(&["hook", "install", "--hook", "pre-push"])
        .status(0);
    let (code, out) = git(&test, &["push", "-q", "backup", "main"]);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("error[conflict-marker]"), "{out}");
}

#[test]
fn a_hooks_path_from_git_config_global_is_followed() {
    // Found by a hostile user: with GIT_CONFIG_GLOBAL naming the global file (as CI images do),
    // libgit2 read ~/.gitconfig instead and the hook went where Git never looks.
    let test = repo_with_hook();
    std::fs::remove_file(test.path().join(".git/hooks/pre-commit")).expect("remove");
    let global = test.path().join("global.gitconfig");
    std::fs::write(&global, "[core]\n\thooksPath = ci-hooks\n").expect("write");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(test.path())
        .env("GIT_CONFIG_GLOBAL", &global)
        .args(["hook", "install"])
        .status()
        .expect("install");
    assert!(status.success());
    assert!(test.path().join("ci-hooks/pre-commit").is_file());
}

/// The hooks `.pre-commit-hooks.yaml` declares: `(id, args after the entry, file types)`, read
/// from the file itself (its simple shape: one `key: value` per line).
fn declared_hooks() -> Vec<(String, Vec<String>, String)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .expect("the hooks file");
    let mut hooks = Vec::new();
    let value = |line: &str, key: &str| {
        line.trim()
            .trim_start_matches("- ")
            .strip_prefix(key)
            .map(|v| v.trim().to_owned())
    };
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if let Some(id) = value(line, "id:") {
            hooks.push((id, Vec::new(), String::new()));
        } else if let (Some(args), Some(hook)) = (value(line, "args:"), hooks.last_mut()) {
            hook.1 = args
                .trim_matches(['[', ']'])
                .split(", ")
                .map(|a| a.trim_matches('"').to_owned())
                .collect();
        } else if let Some(entry) = value(line, "entry:") {
            assert_eq!(entry, "mergemark check", "{line}");
        } else if let (Some(types), Some(hook)) = (value(line, "types:"), hooks.last_mut()) {
            hook.2 = types;
        }
    }
    hooks
}

#[test]
fn the_declared_pre_commit_hooks_do_what_their_names_say() {
    let hooks = declared_hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| h.0.as_str()).collect();
    assert_eq!(ids, ["mergemark-conflicts", "mergemark"]);
    let block = "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\n";
    // A postmortem with sections missing: schema findings, no conflict.
    let guide =
        "# Postmortem: queue stalled\n\n## Issue Summary\n- Duration: 30 minutes\n- Impact: 12% of jobs were late\n";
    let test = Test::new()
        .write("config.yml", format!("key: 1\n{block}"))
        .write("incident.md", guide)
        .write("half.txt", "text\n>>>>>>> gone\n");
    let run = |args: &[String], files: &[&str]| {
        let mut all: Vec<&str> = vec!["check"];
        all.extend(args.iter().map(String::as_str));
        all.extend(files);
        let out = test.run_with(&all);
        (out.code, out.stdout)
    };
    let (conflicts, markdown) = (&hooks[0], &hooks[1]);
    assert_eq!(
        (conflicts.2.as_str(), markdown.2.as_str()),
        ("[text]", "[markdown]")
    );
    // The conflict hook: every text file, conflict rules only.
    let (code, out) = run(&conflicts.1, &["config.yml", "incident.md", "half.txt"]);
    assert_eq!(code, 1, "{out}");
    let rules: Vec<&str> = out
        .lines()
        .map(|l| {
            l.split('[')
                .nth(1)
                .unwrap_or("")
                .split(']')
                .next()
                .unwrap_or("")
        })
        .collect();
    assert_eq!(rules, ["conflict-marker", "broken-conflict"], "{out}");
    assert_eq!(run(&conflicts.1, &["incident.md"]).0, 0);
    // The document hook reports the guide's schema findings.
    let (_, out) = run(&markdown.1, &["incident.md"]);
    assert!(
        out.contains("incident.md:1:1: warning[missing-section]"),
        "{out}"
    );
}
