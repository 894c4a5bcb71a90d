//! Paths left out: `exclude` / `extend-exclude` in `mergemark.toml`, `--exclude`,
//! `--force-exclude`, and `[per-file-rules]` levels by pattern.

use crate::harness::Test;

const BLOCK: &str = "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\n";

fn tree(config: &str) -> Test {
    let mut test = Test::new().write("mergemark.toml", config);
    for path in [
        "a.md",
        "docs/new.md",
        "docs/legacy/old.md",
        "node_modules/pkg/README.md",
        "web/node_modules/x.md",
        "sub/api.gen.md",
        "sub/keep.md",
        "notes.txt",
    ] {
        test = test.write(path, BLOCK);
    }
    test
}

fn paths(test: &Test, args: &[&str], status: i32) -> Vec<String> {
    test.check_findings(args, status)
        .into_iter()
        .map(|(path, _, _, _)| path)
        .collect()
}

#[test]
fn configured_patterns_leave_out_names_anywhere_and_paths_from_the_configuration() {
    let test =
        tree("exclude = [\"node_modules\", \"/docs/legacy\"]\nextend-exclude = [\"*.gen.md\"]\n");
    assert_eq!(
        paths(&test, &[], 1),
        ["a.md", "docs/new.md", "notes.txt", "sub/keep.md"]
    );
    let json = test
        .run_with(&["check", "--format", "json"])
        .status(1)
        .json();
    assert_eq!(json["files_checked"], 5, "left-out files are not read");
}

#[test]
fn a_configuration_in_a_subdirectory_excludes_below_itself_only() {
    let test = tree("").write("docs/mergemark.toml", "exclude = [\"/legacy\"]\n");
    assert_eq!(
        paths(&test, &[], 1),
        [
            "a.md",
            "docs/new.md",
            "node_modules/pkg/README.md",
            "notes.txt",
            "sub/api.gen.md",
            "sub/keep.md",
            "web/node_modules/x.md"
        ]
    );
}

#[test]
fn a_left_out_directory_is_not_walked() {
    // A symbolic link loop, which a walk that follows links reports, in a directory left out.
    let with_loop = |config: &str| {
        let test = tree(config);
        let dir = test.path().join("loops");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::os::unix::fs::symlink("..", dir.join("up")).expect("symlink");
        test
    };
    let out = with_loop("").run_with(&["check", "--follow"]).status(2);
    assert!(out.stderr.contains("loops/up"), "{}", out.stderr);
    let out = with_loop("exclude = [\"loops\"]\n")
        .run_with(&["check", "--follow"])
        .status(1);
    assert_eq!(out.stderr, "", "nothing under loops/ is looked at");
}

#[test]
fn exclude_on_the_command_line_is_relative_to_the_current_directory() {
    let test = tree("");
    assert_eq!(
        paths(
            &test,
            &[
                "--exclude",
                "docs/**",
                "--exclude",
                "*.gen.md",
                "--exclude",
                "node_modules"
            ],
            1
        ),
        ["a.md", "notes.txt", "sub/keep.md"]
    );
    let from_sub = test.current_dir("sub");
    assert_eq!(
        paths(&from_sub, &["--exclude", "keep.md", ".."], 1),
        [
            "a.md",
            "docs/legacy/old.md",
            "docs/new.md",
            "node_modules/pkg/README.md",
            "notes.txt",
            "sub/api.gen.md",
            "web/node_modules/x.md"
        ]
    );
    let out = Test::new()
        .run_with(&["check", "--exclude", "bad["])
        .status(2);
    assert!(out.stderr.contains("--exclude"), "{}", out.stderr);
}

#[test]
fn a_file_named_on_the_command_line_is_checked_unless_force_exclude() {
    let test = tree("exclude = [\"/docs/legacy\"]\n");
    // In a repository, its root's configuration is found from a file named inside it.
    test.git().init();
    assert_eq!(
        paths(&test, &["docs/legacy/old.md"], 1),
        ["docs/legacy/old.md"]
    );
    assert!(paths(
        &test,
        &["--force-exclude", "docs/legacy/old.md", "docs/legacy"],
        0
    )
    .is_empty());
    assert_eq!(
        paths(&test, &["--force-exclude", "docs/legacy/old.md", "a.md"], 1),
        ["a.md"]
    );
}

#[test]
fn the_git_scopes_leave_out_what_the_configuration_excludes() {
    let test = tree("exclude = [\"node_modules\", \"docs\"]\n");
    test.git().init();
    test.git().ok(&["add", "-A"]);
    assert_eq!(
        paths(&test, &["--staged"], 1),
        ["a.md", "notes.txt", "sub/api.gen.md", "sub/keep.md"]
    );
    test.git().commit_all("all");
    assert_eq!(
        paths(&test, &["--rev", "HEAD", "--exclude", "sub"], 1),
        ["a.md", "notes.txt"]
    );
}

#[test]
fn per_file_rules_set_levels_for_the_paths_they_match() {
    let test = tree(
        "[rules]\nconflict-marker = \"warning\"\n\n[per-file-rules]\n\"docs/legacy/*\" = { conflict-marker = \"off\" }\n\"docs/**\" = { conflict-marker = \"error\" }\n\"*.txt\" = { conflict-marker = \"off\" }\n\"/web/**\" = { conflict-marker = \"off\" }\n\"web/*\" = { conflict-marker = \"error\" }\n",
    );
    let out = test.run_with(&["check", "--format", "json"]).status(1);
    let found: Vec<(String, String)> = out.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_owned(),
                f["severity"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expect = |p: &str, s: &str| (p.to_owned(), s.to_owned());
    assert_eq!(
        found,
        [
            // A later pattern wins where both match.
            expect("a.md", "warning"),
            expect("docs/legacy/old.md", "error"),
            expect("docs/new.md", "error"),
            expect("node_modules/pkg/README.md", "warning"),
            expect("sub/api.gen.md", "warning"),
            expect("sub/keep.md", "warning"),
            expect("web/node_modules/x.md", "error"),
        ]
    );
}

#[test]
fn bad_patterns_and_rule_names_are_configuration_errors_with_their_line() {
    let out = tree("postmortem = true\nextend-exclude = [\"ok\", \"bad[\"]\n")
        .run_with(&["check"])
        .status(2);
    assert!(
        out.stderr
            .contains("mergemark.toml: line 2: `extend-exclude[1]`"),
        "{}",
        out.stderr
    );
    let out = tree("[per-file-rules]\n\"docs/**\" = { mojibak = \"off\" }\n")
        .run_with(&["check"])
        .status(2);
    assert!(
        out.stderr.contains(
            "mergemark.toml: line 2: `per-file-rules.\"docs/**\".mojibak`: no rule by that name; did you mean `mojibake`?"
        ),
        "{}",
        out.stderr
    );
}

/// Hostile review: a directory named on the command line lost its contents to a pattern that
/// named it or a directory above it (`check --exclude docs/legacy docs/legacy/deep` checked 0
/// files); it is walked, as ruff walks it, and its contents are judged by their own names.
#[test]
fn a_directory_named_on_the_command_line_is_walked_whatever_it_is_called() {
    let test = tree("");
    test.git().init();
    let test = test.write("docs/legacy/deep/b.md", BLOCK);
    assert_eq!(
        paths(&test, &["--exclude", "docs/legacy", "docs/legacy/deep"], 1),
        ["docs/legacy/deep/b.md"]
    );
    assert!(paths(
        &test,
        &[
            "--exclude",
            "docs/legacy",
            "--force-exclude",
            "docs/legacy/deep"
        ],
        0
    )
    .is_empty());
    // Its contents are still judged by their own names.
    assert_eq!(
        paths(&test, &["--exclude", "b.md", "docs/legacy"], 1),
        ["docs/legacy/old.md"]
    );
    // The same in a Git scope.
    test.git().ok(&["add", "-A"]);
    assert_eq!(
        paths(
            &test,
            &[
                "--staged",
                "--exclude",
                "docs/legacy",
                "docs/legacy/deep",
                "docs/legacy/old.md"
            ],
            1
        ),
        ["docs/legacy/deep/b.md", "docs/legacy/old.md"]
    );
    assert!(paths(
        &test,
        &[
            "--staged",
            "--exclude",
            "docs/legacy",
            "--force-exclude",
            "docs/legacy/deep",
            "docs/legacy/old.md"
        ],
        0
    )
    .is_empty());
}

/// Hostile review: excluding an unmerged path hid its `unmerged-path` error.
#[test]
fn an_unmerged_path_is_reported_even_when_excluded() {
    let test = crate::harness::stopped_merge(Some("ours\n"), Some("theirs\n"));
    let rules = |args: &[&str]| test.check_rules(args, 1);
    let unmerged = rules(&[]);
    assert!(
        unmerged.contains(&"unmerged-path".to_owned()),
        "{unmerged:?}"
    );
    assert!(rules(&["--exclude", "*.md"]).contains(&"unmerged-path".to_owned()));
    assert!(rules(&["--staged", "--exclude", "*.md"]).contains(&"unmerged-path".to_owned()));
}

#[test]
fn a_comma_belongs_to_the_exclude_glob() {
    let test = tree("");
    assert_eq!(
        paths(
            &test,
            &[
                "--exclude",
                "{a,notes}.*",
                "--exclude",
                "docs",
                "--exclude",
                "*modules",
                "--exclude",
                "sub"
            ],
            0
        ),
        Vec::<String>::new()
    );
}

/// Hostile review: the line of an unknown rule in an inline table was taken from a comment that
/// happened to hold `name = `.
#[test]
fn a_configuration_error_names_the_line_that_sets_the_key() {
    let out =
        tree("# bogus = 1\n[per-file-rules]\n\"c/**\" = { mojibake = \"off\", bogus = \"off\" }\n")
            .run_with(&["check"])
            .status(2);
    assert!(
        out.stderr
            .contains("mergemark.toml: line 3: `per-file-rules.\"c/**\".bogus`"),
        "{}",
        out.stderr
    );
}

/// Every problem of a configuration file is said in one run, each with its line, and a near miss
/// with a suggestion (it was the first problem only).
#[test]
fn every_configuration_error_is_said_in_one_run() {
    let said = |config: &str| -> Vec<String> {
        let out = tree(config).run_with(&["check"]).status(2);
        out.stderr
            .lines()
            .filter(|l| l.contains("mergemark.toml"))
            .map(str::to_owned)
            .collect()
    };
    let expect = |said: &[String], parts: &[&str]| {
        assert_eq!(said.len(), parts.len(), "{said:#?}");
        for (line, part) in said.iter().zip(parts) {
            assert!(line.contains(part), "{line} lacks {part}");
        }
    };
    let first = said("postmortm = true\nexclude = [\"a[\"]\n[rules]\nmojibak = \"off\"\n");
    expect(
        &first,
        &[
            "line 1: unknown field `postmortm`",
            "line 2: `exclude[0]`",
            "line 4: `rules.mojibak`",
        ],
    );
    assert!(
        first[0].ends_with("did you mean `postmortem`?"),
        "{}",
        first[0]
    );
    expect(
        &said("exclude = [\"a[\"]\n[rules]\nmojibak = \"off\"\nconflict-markr = \"error\"\n"),
        &[
            "line 1: `exclude[0]`",
            "line 3: `rules.mojibak`",
            "line 4: `rules.conflict-markr`",
        ],
    );
}

/// Hostile review: with `--force-exclude`, a directory given as `.` or `sub/.` was looked in for
/// its configuration by the name `.`'s parent directory held (the current directory's files),
/// then read from the directory above: a spurious error, or the configuration lost for the walk.
#[test]
fn a_root_spelt_with_a_trailing_dot_keeps_its_configuration_under_force_exclude() {
    let test = Test::new()
        .write("mergemark.toml", "[rules]\nconflict-marker = \"warning\"\n")
        .write("sub/c.md", BLOCK);
    test.git().init();
    for (cwd, root) in [
        (".", "."),
        (".", "./"),
        (".", "sub/."),
        ("sub", "."),
        ("sub", "../sub/."),
    ] {
        let output = test
            .run_in(
                cwd,
                &["check", "--format", "concise", "--force-exclude", root],
            )
            .status(0);
        assert!(
            output.stdout.contains("warning[conflict-marker]"),
            "{root} in {cwd}: {}",
            output.stdout
        );
    }
}

/// Hostile review: with `--force-exclude`, a directory root that is a symbolic link was looked in
/// for its configuration in the directory holding the link, and the file then read from the
/// directory holding its target: the target's configuration lost, or a spurious error for one
/// beside the link.
#[cfg(unix)]
#[test]
fn a_symlinked_root_keeps_its_configuration_under_force_exclude() {
    let beside_target = Test::new()
        .write(
            "a/mergemark.toml",
            "[rules]\nconflict-marker = \"warning\"\n",
        )
        .write("a/b/m.md", BLOCK);
    let beside_link = Test::new()
        .write("a/b/m.md", BLOCK)
        .write("d/mergemark.toml", "[rules]\n");
    for (test, status, rule) in [
        (beside_target, 0, "warning[conflict-marker]"),
        (beside_link, 1, "error[conflict-marker]"),
    ] {
        test.git().init();
        std::fs::create_dir_all(test.path().join("d")).expect("a directory");
        std::os::unix::fs::symlink("../a/b", test.path().join("d/la")).expect("a link");
        for root in ["d/la", "./d/la"] {
            let output = test
                .run_with(&["check", "--format", "concise", "--force-exclude", root])
                .status(status);
            assert!(output.stdout.contains(rule), "{root}: {}", output.stdout);
        }
    }
}
