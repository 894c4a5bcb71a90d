//! The resolver on a real (pseudo-)terminal, driven through util-linux `script`: with no
//! strategy and no paths, `mergemark resolve --add` asks region by region about every unmerged
//! path, shows what each side changed from the base, and stages what it wrote.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::harness::Test;

/// Whether util-linux `script` (a pseudo-terminal) is there to drive the binary.
fn have_script() -> bool {
    let there = Command::new("script").arg("--version").output().is_ok();
    if !there {
        eprintln!("skipped: util-linux `script` (a pseudo-terminal) is not installed");
    }
    there
}

/// Run `mergemark ARGS` on a pseudo-terminal in `test`'s directory, typing `keys`: the exit
/// status and what the terminal showed.
fn on_a_terminal(test: &Test, args: &str, keys: &[u8]) -> (Option<i32>, String) {
    let binary = env!("CARGO_BIN_EXE_mergemark").replace('\'', r"'\''");
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &format!("'{binary}' {args}"), "/dev/null"])
        .current_dir(test.path())
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(keys)
        .expect("keys");
    let out = child.wait_with_output().expect("wait");
    let screen = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    (out.status.code(), screen)
}

#[test]
fn on_a_terminal_resolve_asks_about_the_unmerged_paths_and_stages_them() {
    if !have_script() {
        return;
    }
    let test = Test::new();
    let git = test.git();
    git.init();
    git.ok(&["config", "merge.conflictStyle", "diff3"]);
    assert_ne!(
        git.merge_topic(&[("doc.md", b"a\nb\n", b"a\nours\n", b"a\ntheirs\n")]),
        0
    );
    let (code, screen) = on_a_terminal(&test, "resolve --add", b"t\ny\n");
    assert_eq!(code, Some(0), "{screen}");
    for shown in [
        "doc.md region 1/1",
        "base `",
        "-> ours `HEAD`:",
        "-> theirs `topic`:",
        "write doc.md? [y/N]",
    ] {
        assert!(screen.contains(shown), "{shown:?} in {screen}");
    }
    assert_eq!(
        std::fs::read_to_string(test.path().join("doc.md")).expect("read"),
        "a\ntheirs\n"
    );
    let staged = String::from_utf8(git.ok(&["ls-files", "-s", "doc.md"])).expect("UTF-8");
    assert!(
        staged.contains(" 0\tdoc.md") && !staged.contains(" 2\t"),
        "{staged}"
    );
}

#[test]
fn on_a_terminal_each_candidate_names_the_sections_it_would_lose() {
    if !have_script() {
        return;
    }
    let fixture = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/postmortem/checkout-slowdown.md"),
    )
    .expect("the fixture");
    // The complete postmortem (the fixture's first side) as the base; ours fixes a line of the
    // timeline, theirs drops the timeline.
    let base: String = fixture
        .lines()
        .skip(1)
        .take_while(|l| *l != "=======")
        .map(|l| format!("{l}\n"))
        .collect();
    let ours = base.replace("14:14: Latency alert", "14:15: Latency alert");
    let start = base.find("## Timeline").expect("a timeline");
    let end = base.find("## Root Cause").expect("a root cause");
    let theirs = format!("{}{}", &base[..start], &base[end..]);
    let test = Test::new();
    let git = test.git();
    git.init();
    git.ok(&["config", "merge.conflictStyle", "diff3"]);
    assert_ne!(
        git.merge_topic(&[(
            "postmortem.md",
            base.as_bytes(),
            ours.as_bytes(),
            theirs.as_bytes()
        )]),
        0
    );
    let (code, screen) = on_a_terminal(&test, "resolve", b"q\n");
    assert_eq!(code, Some(1), "{screen}");
    for shown in [
        "postmortem.md region 1/1",
        "[o] ours: postmortem complete",
        "theirs: postmortem: missing Timeline",
    ] {
        assert!(screen.contains(shown), "{shown:?} in {screen}");
    }
    assert!(!screen.contains("no schema"), "{screen}");
}

/// Run `mergemark ARGS` on a pseudo-terminal `columns` wide (COLUMNS unset): what it showed.
fn on_a_terminal_of_width(test: &Test, columns: usize, args: &str) -> String {
    let binary = env!("CARGO_BIN_EXE_mergemark").replace('\'', r"'\''");
    let out = Command::new("script")
        .args([
            "-q",
            "-e",
            "-c",
            &format!("stty rows 40 cols {columns}; '{binary}' {args}"),
            "/dev/null",
        ])
        .current_dir(test.path())
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("script");
    String::from_utf8_lossy(&out.stdout).replace('\r', "")
}

/// The longest line, in characters.
fn widest(screen: &str) -> usize {
    screen.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn human_output_and_help_wrap_at_the_terminal_width() {
    if !have_script() {
        return;
    }
    // Short lines of text, long messages (every missing section says what to write).
    let test = Test::new().write(
        "postmortem.md",
        "# Postmortem: the queue stalled\n\nWe lost an hour.\n\n## Timeline\n- 09:00 UTC: stalled\n",
    );
    for columns in [80, 60] {
        let screen = on_a_terminal_of_width(&test, columns, "check --format human postmortem.md");
        assert!(screen.contains("missing section"), "{screen}");
        assert!(widest(&screen) <= columns, "{columns} columns:\n{screen}");
        assert!(
            widest(&screen) > columns - 12,
            "wrapped far short of {columns}:\n{screen}"
        );
        for args in [
            "check --help",
            "--help",
            "rules",
            "explain section-not-heading",
        ] {
            let screen = on_a_terminal_of_width(&test, columns, args);
            assert!(widest(&screen) <= columns, "{args} at {columns}:\n{screen}");
        }
    }
    // COLUMNS wins over the terminal; without either (a pipe), 80.
    let out = test.run_with(&["check", "--format", "human", "postmortem.md"]);
    assert!(
        widest(&out.stdout) <= 80 && widest(&out.stdout) > 68,
        "{}",
        out.stdout
    );
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(test.path())
        .env("COLUMNS", "50")
        .args(["check", "--help"])
        .output()
        .expect("mergemark");
    assert!(widest(&String::from_utf8_lossy(&out.stdout)) <= 50);
}
