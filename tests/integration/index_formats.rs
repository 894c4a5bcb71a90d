//! Index files libgit2 cannot read by itself (Git's split index and sparse index): every scope
//! reads them, and an index nobody can read is an error, never a silent pass.

use crate::harness::Test;

/// A repository stopped on a conflict in `in/d.md`, with another directory `out/` beside it.
fn stopped_merge() -> Test {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("in/d.md", b"a\nb\nc\n");
    git.write("out/o.md", b"# Out\n");
    git.write("out/deep/p.md", b"# Deep\n");
    git.commit_all("base");
    git.ok(&["checkout", "-q", "-b", "topic"]);
    git.write("in/d.md", b"a\ntheirs\nc\n");
    git.commit_all("theirs");
    git.ok(&["checkout", "-q", "main"]);
    git.write("in/d.md", b"a\nours\nc\n");
    git.commit_all("ours");
    test
}

fn merge(test: &Test) {
    let (code, _) = test.git().status(&["merge", "-q", "topic"]);
    assert_ne!(code, 0, "the merge stops on in/d.md");
}

/// The rules each scope reports, as `path rule` lines.
fn rules(test: &Test, args: &[&str], status: i32) -> Vec<String> {
    test.check_findings(args, status)
        .into_iter()
        .map(|(path, rule, _, _)| format!("{path} {rule}"))
        .collect()
}

fn every_scope_reads_the_index(test: &Test) {
    // The conflicted working file: its markers and the unmerged entry.
    assert_eq!(
        rules(test, &[], 1),
        ["in/d.md unmerged-path", "in/d.md conflict-marker"]
    );
    // Markers deleted by hand: the index still says unmerged.
    std::fs::write(test.path().join("in/d.md"), "a\nresolved?\nc\n").expect("write");
    assert_eq!(rules(test, &[], 1), ["in/d.md unmerged-path"]);
    assert_eq!(rules(test, &["--staged"], 1), ["in/d.md unmerged-path"]);
    assert_eq!(
        rules(test, &["--changed-since", "main"], 1),
        ["in/d.md unmerged-path"]
    );
    // Resolved and staged: a new staged file with markers is found, the rest is clean.
    test.git().ok(&["add", "in/d.md"]);
    test.git().ok(&["commit", "-q", "-m", "merged"]);
    test.git()
        .write("in/e.md", b"<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n");
    test.git().ok(&["add", "in/e.md"]);
    assert_eq!(rules(test, &["--staged"], 1), ["in/e.md conflict-marker"]);
    assert_eq!(
        rules(test, &["--staged", "--all"], 1),
        ["in/e.md conflict-marker"]
    );
    assert_eq!(rules(test, &["--rev", "HEAD"], 0), Vec::<String>::new());
}

#[test]
fn a_split_index_is_read_in_every_scope() {
    let test = stopped_merge();
    merge(&test);
    test.git().ok(&["update-index", "--split-index"]);
    assert!(std::fs::read_dir(test.path().join(".git"))
        .expect("list")
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("sharedindex.")));
    every_scope_reads_the_index(&test);
}

#[test]
fn a_sparse_index_is_read_in_every_scope() {
    let test = stopped_merge();
    let git = test.git();
    git.ok(&["sparse-checkout", "init", "--cone", "--sparse-index"]);
    git.ok(&["sparse-checkout", "set", "in"]);
    // `out/` is one sparse-directory entry in the index.
    let listing = String::from_utf8(git.ok(&["ls-files", "--sparse", "-s"])).expect("UTF-8");
    assert!(
        listing.contains("040000") && listing.contains("\tout/"),
        "{listing}"
    );
    merge(&test);
    every_scope_reads_the_index(&test);
}

#[test]
fn an_index_nobody_can_read_is_an_error_in_every_scope() {
    let test = stopped_merge();
    merge(&test);
    std::fs::write(
        test.path().join(".git/index"),
        b"DIRC\x00\x00\x00\x09garbage",
    )
    .expect("corrupt");
    for args in [&[][..], &["--staged"][..], &["--changed-since", "main"][..]] {
        let mut full = vec!["check", "--format", "concise"];
        full.extend(args);
        let out = test.run_with(&full).status(2);
        assert!(
            out.stderr.contains("cannot read the index") && out.stderr.contains(".git/index"),
            "{args:?}: {}",
            out.stderr
        );
        // Named, never an empty name (`error: : ...`).
        assert!(!out.stderr.contains("error: :"), "{args:?}: {}", out.stderr);
    }
}

/// A conflict block written with markers of `size` characters.
fn block(size: usize) -> Vec<u8> {
    let run = |c: &str| c.repeat(size);
    format!("{} HEAD\na\n{}\nb\n{} x\n", run("<"), run("="), run(">")).into_bytes()
}

/// A repository with one commit holding `path`.
fn committed(path: &str) -> Test {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write(path, b"ok\n");
    git.commit_all("base");
    test
}

/// A sparse repository: `in/` checked out, `out/` one sparse-directory entry in the index.
fn sparse(files: &[(&str, &[u8])]) -> Test {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("in/a.md", b"ok\n");
    for (path, bytes) in files {
        git.write(path, bytes);
    }
    git.commit_all("base");
    git.ok(&["sparse-checkout", "set", "--cone", "--sparse-index", "in"]);
    test
}

/// `--staged --all` reads the files inside a sparse-directory entry too (found by a hostile
/// review of issue 15: they were skipped).
#[test]
fn staged_all_reads_inside_sparse_directories() {
    let test = sparse(&[("out/c.md", &block(7))]);
    assert_eq!(
        rules(&test, &["--staged", "--all"], 1),
        ["out/c.md conflict-marker"]
    );
}

/// A marker size set by a `.gitattributes` inside a sparse-directory entry holds for `--staged`
/// (found by a hostile review of issue 15: the size was taken for 7).
#[test]
fn staged_marker_size_from_inside_a_sparse_directory() {
    let test = sparse(&[("out/.gitattributes", b"*.md conflict-marker-size=9\n")]);
    let git = test.git();
    git.ok(&["sparse-checkout", "disable"]);
    git.write("out/deep/c.md", &block(9));
    git.commit_all("conflicted");
    git.ok(&["sparse-checkout", "set", "--cone", "--sparse-index", "in"]);
    git.ok(&["reset", "-q", "--soft", "HEAD~1"]);
    assert_eq!(
        rules(&test, &["--staged"], 1),
        ["out/deep/c.md conflict-marker"]
    );
}

/// An untracked `.gitattributes` deep in the working tree sets the marker size of the files
/// below it, though no attribute file the repository tracks mentions one (the look-up libgit2
/// is spared when nothing sets a size must still see it).
#[test]
fn an_untracked_nested_attribute_file_sets_the_marker_size() {
    let test = committed("a.md");
    let git = test.git();
    git.write("deep/er/.gitattributes", b"*.md conflict-marker-size=9\n");
    git.write("deep/er/c.md", &block(9));
    for args in [&["deep/er/c.md"][..], &["deep"][..], &[][..]] {
        assert_eq!(
            rules(&test, args, 1),
            ["deep/er/c.md conflict-marker"],
            "{args:?}"
        );
    }
}

/// A linked worktree reads `info/attributes` from the repository's common directory, as Git does
/// (found by a hostile review of issue 15: the size was taken for 7 there).
#[test]
fn a_linked_worktree_reads_the_shared_info_attributes() {
    let test = committed("doc.md");
    let git = test.git();
    git.write(".git/info/attributes", b"*.md conflict-marker-size=12\n");
    git.ok(&["worktree", "add", "-q", "linked", "-b", "topic"]);
    git.write("linked/doc.md", &block(12));
    let test = test.current_dir("linked");
    for args in [&["doc.md"][..], &[][..]] {
        assert_eq!(
            rules(&test, args, 1),
            ["doc.md conflict-marker"],
            "{args:?}"
        );
    }
}

/// An unmerged path whose name is not UTF-8 is one `resolve` finds (found by a hostile review of
/// issue 15: it said there was nothing to resolve).
#[cfg(unix)]
#[test]
fn an_unmerged_path_not_in_utf8_is_resolved() {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::OsStr::from_bytes(b"n\xffx.md");
    let test = Test::new();
    let git = test.git();
    git.init();
    let write = |text: &str| std::fs::write(test.path().join(name), text).expect("write");
    write("base\n");
    git.commit_all("base");
    git.ok(&["checkout", "-q", "-b", "topic"]);
    write("theirs\n");
    git.commit_all("theirs");
    git.ok(&["checkout", "-q", "main"]);
    write("ours\n");
    git.commit_all("ours");
    merge(&test);
    let out = test.run_with(&["resolve", "--strategy", "ours", "--dry-run"]);
    assert!(
        !out.stdout.contains("no unmerged paths") && !out.stderr.contains("no unmerged paths"),
        "{out:?}"
    );
}
