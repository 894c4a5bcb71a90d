//! Differential tests against the real `git` binary: real merges in temporary repositories, in every
//! conflict style, compared with the index stages and with `git merge-file`.

use mergemark::conflict::{parse, ParseOptions, Side};

use crate::harness::{Git, Test};

#[derive(Clone, Copy, Debug)]
struct Scenario {
    style: &'static str,
    eol: &'static str,
    marker_size: Option<usize>,
    /// Theirs also changes a line nobody else touched, which Git merges cleanly.
    clean_change: bool,
}

fn text(eol: &str, lines: &[&str]) -> Vec<u8> {
    lines
        .iter()
        .flat_map(|l| [l.as_bytes(), eol.as_bytes()].concat())
        .collect()
}

fn versions(scenario: Scenario) -> [Vec<u8>; 3] {
    let base = [
        "# Runbook",
        "",
        "Intro line.",
        "",
        "## Restart",
        "alpha",
        "shared line",
        "",
        "## Logs",
        "beta",
        "",
        "## Escalate",
        "gamma",
        "last line",
    ];
    let mut ours = base.to_vec();
    ours[5] = "alpha (ours)";
    ours.splice(12..13, ["gamma from ours", "common tail"]);
    let mut theirs = base.to_vec();
    theirs[5] = "alpha (theirs)";
    theirs.splice(12..13, ["gamma from theirs", "common tail"]);
    if scenario.clean_change {
        theirs[9] = "beta, changed cleanly by theirs";
    }
    [
        text(scenario.eol, &base),
        text(scenario.eol, &ours),
        text(scenario.eol, &theirs),
    ]
}

/// Build the merge and return the test (for its directory) and the conflicted file's bytes.
fn merged(scenario: Scenario) -> (Test, Vec<u8>) {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.ok(&["config", "merge.conflictStyle", scenario.style]);
    if let Some(size) = scenario.marker_size {
        git.write(
            ".gitattributes",
            format!("*.md conflict-marker-size={size}\n").as_bytes(),
        );
    }
    let [base, ours, theirs] = versions(scenario);
    let code = git.merge_topic(&[("doc.md", &base, &ours, &theirs)]);
    assert_ne!(code, 0, "the merge should conflict");
    let bytes = std::fs::read(test.path().join("doc.md")).expect("reading the merged file");
    (test, bytes)
}

fn stage(git: &Git<'_>, n: u8) -> Vec<u8> {
    git.ok(&["show", &format!(":{n}:doc.md")])
}

/// `git merge-file -p` on the three stages; returns (exit code = number of conflicts, output).
fn merge_file(git: &Git<'_>, scenario: Scenario, extra: &[&str]) -> (i32, Vec<u8>) {
    let size = format!("--marker-size={}", scenario.marker_size.unwrap_or(7));
    let style = format!("--{}", scenario.style);
    let mut flags = vec![size.as_str()];
    if scenario.style != "merge" {
        flags.push(&style);
    }
    flags.extend(extra);
    git.merge_file_on_stages("doc.md", &flags)
}

fn check_scenario(scenario: Scenario) {
    let (test, bytes) = merged(scenario);
    let git = test.git();
    let size = scenario.marker_size.unwrap_or(7);
    let parsed = parse(&bytes, &ParseOptions { marker_size: size });

    // The parse covers the file exactly, and finds as many conflicts as Git reports.
    assert_eq!(
        parsed.render(&bytes),
        bytes,
        "{scenario:?}: render(parse(x)) == x"
    );
    assert!(
        parsed.anomalies.is_empty(),
        "{scenario:?}: {:?}",
        parsed.anomalies
    );
    let (conflicts, _) = merge_file(&git, scenario, &[]);
    let blocks: Vec<_> = parsed.blocks().collect();
    assert_eq!(
        blocks.len() as i32,
        conflicts,
        "{scenario:?}: number of regions"
    );
    for block in &blocks {
        assert_eq!(block.marker_len, size);
        assert_eq!(
            block.start.label.map(|l| l.slice(&bytes)),
            Some(&b"HEAD"[..])
        );
        assert_eq!(
            block.end.label.map(|l| l.slice(&bytes)),
            Some(&b"topic"[..])
        );
        assert_eq!(
            block.side(Side::Base).is_some(),
            scenario.style != "merge",
            "{scenario:?}"
        );
        if scenario.eol == "\r\n" {
            // Git writes CRLF marker lines when both sides use CRLF (t6403).
            assert!(block
                .marker_lines()
                .all(|m| m.line.slice(&bytes).ends_with(b"\r\n")));
        }
    }

    // Taking one side everywhere is what `git merge-file --ours/--theirs` produces.
    let (_, ours) = merge_file(&git, scenario, &["--ours"]);
    let (_, theirs) = merge_file(&git, scenario, &["--theirs"]);
    assert_eq!(
        parsed.choose(&bytes, Side::Ours),
        Some(ours),
        "{scenario:?}: --ours"
    );
    assert_eq!(
        parsed.choose(&bytes, Side::Theirs),
        Some(theirs),
        "{scenario:?}: --theirs"
    );

    // Where the merge left every line intact, the sides are the index stages themselves.
    if !scenario.clean_change {
        assert_eq!(
            parsed.choose(&bytes, Side::Ours),
            Some(stage(&git, 2)),
            "{scenario:?}: :2:"
        );
        assert_eq!(
            parsed.choose(&bytes, Side::Theirs),
            Some(stage(&git, 3)),
            "{scenario:?}: :3:"
        );
        if scenario.style == "diff3" {
            assert_eq!(
                parsed.choose(&bytes, Side::Base),
                Some(stage(&git, 1)),
                "{scenario:?}: :1:"
            );
        }
    }

    // `resolve --strategy X --stdout` writes what `git merge-file -p --X` writes from the stages.
    for (strategy, flag) in [
        ("ours", "--ours"),
        ("theirs", "--theirs"),
        ("union", "--union"),
    ] {
        let (_, expected) = merge_file(&git, scenario, &[flag]);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"))
            .current_dir(test.path())
            .args(["resolve", "--strategy", strategy, "--stdout", "doc.md"])
            .output()
            .expect("running mergemark resolve");
        assert_eq!(out.status.code(), Some(0), "{scenario:?} {strategy}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&expected),
            "{scenario:?}: resolve --strategy {strategy}"
        );
    }

    // The binary reports exactly these regions, with the attribute read through git2.
    let out = test.run_with(&["check", "--format", "json", "."]).status(1);
    // The merge stopped on doc.md: first `unmerged-path` on its first line, then the regions.
    let unmerged = ("doc.md".to_owned(), "unmerged-path".to_owned(), 1, 1);
    let expected: Vec<(String, String, u64, u64)> = std::iter::once(unmerged)
        .chain(blocks.iter().map(|b| {
            let start = line_of(&bytes, b.span.start);
            let end = line_of(&bytes, b.span.end - 1);
            (
                "doc.md".to_owned(),
                "conflict-marker".to_owned(),
                start,
                end,
            )
        }))
        .collect();
    assert_eq!(out.findings(), expected, "{scenario:?}");
}

fn line_of(bytes: &[u8], offset: usize) -> u64 {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

fn all_scenarios(style: &'static str) {
    for eol in ["\n", "\r\n"] {
        for clean_change in [false, true] {
            for marker_size in [None, Some(9)] {
                check_scenario(Scenario {
                    style,
                    eol,
                    marker_size,
                    clean_change,
                });
            }
        }
    }
}

#[test]
fn merge_style_matches_git() {
    all_scenarios("merge");
}

#[test]
fn diff3_style_matches_git() {
    all_scenarios("diff3");
}

#[test]
fn zdiff3_style_matches_git() {
    all_scenarios("zdiff3");
}

#[test]
fn attribute_size_three_is_honoured() {
    check_scenario(Scenario {
        style: "diff3",
        eol: "\n",
        marker_size: Some(3),
        clean_change: true,
    });
}

/// A criss-cross history makes merge-ort merge the two merge bases first; their conflict lands,
/// with longer markers, inside the outer conflict's base section.
#[test]
fn recursive_merge_nests_longer_markers() {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.ok(&["config", "merge.conflictStyle", "diff3"]);
    let write_commit = |content: &str, message: &str| {
        git.write("doc.md", content.as_bytes());
        git.commit_all(message);
    };
    write_commit("1\n2\n3\n", "base");
    git.ok(&["checkout", "-q", "-b", "b1"]);
    write_commit("1\none\n3\n", "c1");
    let c1 = git.rev_parse("HEAD");
    git.ok(&["checkout", "-q", "main"]);
    git.ok(&["checkout", "-q", "-b", "b2"]);
    write_commit("1\ntwo\n3\n", "c2");
    let c2 = git.rev_parse("HEAD");
    git.ok(&["checkout", "-q", "b1"]);
    git.status(&["merge", "-q", &c2]);
    write_commit("1\none-m1\n3\n", "m1");
    git.ok(&["checkout", "-q", "b2"]);
    git.status(&["merge", "-q", &c1]);
    write_commit("1\ntwo-m2\n3\n", "m2");
    let (code, _) = git.status(&["merge", "-q", "b1"]);
    assert_ne!(code, 0);

    let bytes = std::fs::read(test.path().join("doc.md")).expect("reading the merged file");
    let parsed = parse(&bytes, &ParseOptions::default());
    assert_eq!(parsed.render(&bytes), bytes);
    let blocks: Vec<_> = parsed.blocks().collect();
    assert_eq!(blocks.len(), 1);
    assert_eq!(
        blocks[0].nested_count(),
        1,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let base = blocks[0].side(Side::Base).expect("a base section");
    assert_eq!(base.nested[0].marker_len, 9);
    assert_eq!(parsed.choose(&bytes, Side::Ours), Some(stage(&git, 2)));
    assert_eq!(parsed.choose(&bytes, Side::Theirs), Some(stage(&git, 3)));
    // Stage 1 is the virtual merge base, markers and all.
    assert_eq!(parsed.choose(&bytes, Side::Base), Some(stage(&git, 1)));

    let out = test.run_with(&["check", "--format", "json"]).status(1);
    let json = out.json();
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0]["rule"], "unmerged-path");
    assert!(findings[1]["message"]
        .as_str()
        .expect("message")
        .contains("1 nested conflict"));
}

/// A fenced example in a path Git lists as unmerged is a real conflict, not an example.
#[test]
fn unmerged_path_makes_fenced_blocks_errors() {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.merge_topic(&[(
        "doc.md",
        b"# Doc\n\n```sh\nnpm install left-pad\n```\n",
        b"# Doc\n\n```sh\nnpm install center-pad\n```\n",
        b"# Doc\n\n```sh\nnpm install right-pad\n```\n",
    )]);
    let out = test.run_with(&["check", "--format", "json"]).status(1);
    assert_eq!(
        out.findings(),
        [
            ("doc.md".to_owned(), "unmerged-path".to_owned(), 1, 1),
            ("doc.md".to_owned(), "conflict-marker".to_owned(), 4, 8)
        ]
    );

    // The same bytes outside a merge are a shown example: a warning, exit 0.
    let copy = Test::new().write(
        "doc.md",
        std::fs::read(test.path().join("doc.md")).expect("read"),
    );
    let out = copy
        .arg("check")
        .arg("--format")
        .arg("json")
        .run()
        .status(0);
    assert_eq!(
        out.findings(),
        [(
            "doc.md".to_owned(),
            "conflict-marker-in-code".to_owned(),
            4,
            8
        )]
    );
}

/// A real diff3 conflict that spans sections: `resolve --strategy auto` merges it section by
/// section; when both sides change the same section, only that section stays in conflict.
#[test]
fn auto_merges_a_git_conflict_section_by_section() {
    let base = "# Runbook\n\n## A\na\n## B\nb\n## C\nc\n## D\nd\n";
    let ours = base
        .replace("a\n", "a1\n")
        .replace("## B\n", "## B (revised)\n");
    let scenario = |theirs_b: &str| {
        let test = Test::new();
        let git = test.git();
        git.init();
        git.ok(&["config", "merge.conflictStyle", "diff3"]);
        let theirs = base
            .replace("## B\nb\n", &format!("## B (revised)\n{theirs_b}"))
            .replace("c\n", "c1\n");
        let code = git.merge_topic(&[(
            "doc.md",
            base.as_bytes(),
            ours.as_bytes(),
            theirs.as_bytes(),
        )]);
        assert_ne!(code, 0, "git should conflict");
        test
    };

    let test = scenario("b1\n");
    let conflicted = std::fs::read_to_string(test.path().join("doc.md")).expect("read");
    assert!(
        conflicted.contains("<<<<<<< HEAD\na1\n## B (revised)\n"),
        "{conflicted}"
    );
    test.run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(0);
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "# Runbook\n\n## A\na1\n## B (revised)\nb1\n## C\nc1\n## D\nd\n"
    );

    // Ours also changes b: section B stays in conflict, A and C merge. The conflict comes from
    // `git merge-file --diff3` on the three versions.
    let test = Test::new();
    let write = |name: &str, text: &str| {
        std::fs::write(test.path().join(name), text).expect("write");
        name.to_owned()
    };
    let theirs_b = base
        .replace("## B\nb\n", "## B (revised)\nb-theirs\n")
        .replace("c\n", "c1\n");
    let (o, b, t) = (
        write("ours", &ours.replace("b\n", "b-ours\n")),
        write("base", base),
        write("theirs", &theirs_b),
    );
    let args = [
        "merge-file",
        "-p",
        "--diff3",
        "-L",
        "HEAD",
        "-L",
        "base",
        "-L",
        "topic",
        &o,
        &b,
        &t,
    ];
    let (code, merged) = test.git().status(&args);
    assert!(code > 0, "git should conflict");
    std::fs::write(test.path().join("doc.md"), &merged).expect("write");
    let out = test
        .run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(1);
    assert!(out.stderr.ends_with("1 remaining\n"), "{}", out.stderr);
    let text = std::fs::read_to_string(test.path().join("doc.md")).expect("read");
    assert!(
        text.starts_with("# Runbook\n\n## A\na1\n<<<<<<< HEAD\n## B (revised)\nb-ours\n"),
        "{text}"
    );
    assert!(
        text.ends_with(">>>>>>> topic\n## C\nc1\n## D\nd\n"),
        "{text}"
    );
}

/// Issue 5's case: one Git hunk spans sections 1 to 3 (both sides retitle sections 2 and 3 the
/// same way, which chains the hunk); ours edits section 1, theirs section 3. `auto` keeps both
/// edits with no conflict; when both sides also change section 2 differently, only section 2
/// stays in conflict.
#[test]
fn auto_merges_one_git_hunk_spanning_four_sections() {
    let base = "## A\na\n## B\nb\n## C\nc\n## D\nd\n";
    // Both sides change section 2 and retitle section 3 the same way: that chains one Git hunk
    // from section 1 to section 3.
    let retitled = |text: &str| {
        text.replace("## B\nb\n", "## B2\nb2\n")
            .replace("## C\n", "## C2\n")
    };
    let merge = |ours: &str, theirs: &str, hunks: i32| -> Test {
        let test = Test::new();
        for (name, text) in [("ours", ours), ("base", base), ("theirs", theirs)] {
            std::fs::write(test.path().join(name), text).expect("write");
        }
        let args = [
            "merge-file",
            "-p",
            "--diff3",
            "-L",
            "HEAD",
            "-L",
            "base",
            "-L",
            "topic",
            "ours",
            "base",
            "theirs",
        ];
        let (conflicts, merged) = test.git().status(&args);
        assert_eq!(conflicts, hunks, "{}", String::from_utf8_lossy(&merged));
        std::fs::write(test.path().join("doc.md"), merged).expect("write");
        test
    };

    let ours = retitled(base).replace("a\n", "a1\n");
    let theirs = retitled(base).replace("c\n", "c1\n");
    let test = merge(&ours, &theirs, 1);
    let before = std::fs::read_to_string(test.path().join("doc.md")).expect("read");
    assert!(
        before.starts_with("## A\n<<<<<<< HEAD\na1\n## B2\nb2\n## C2\nc\n|||||||"),
        "{before}"
    );
    test.run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(0);
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "## A\na1\n## B2\nb2\n## C2\nc1\n## D\nd\n"
    );

    let test = merge(
        &ours.replace("b2\n", "b-ours\n"),
        &theirs.replace("b2\n", "b-theirs\n"),
        1,
    );
    test.run_with(&["resolve", "--strategy", "auto", "doc.md"])
        .status(1);
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "## A\na1\n<<<<<<< HEAD\n## B2\nb-ours\n||||||| base\n## B\nb\n=======\n## B2\nb-theirs\n>>>>>>> topic\n## C2\nc1\n## D\nd\n"
    );
}
