//! The resolver on a real (pseudo-)terminal, driven through util-linux `script`: with no
//! strategy and no paths, `mergemark resolve --add` asks region by region about every unmerged
//! path, shows what each side changed from the base, and stages what it wrote.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::harness::Test;

#[test]
fn on_a_terminal_resolve_asks_about_the_unmerged_paths_and_stages_them() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: util-linux `script` (a pseudo-terminal) is not installed");
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
    let binary = env!("CARGO_BIN_EXE_mergemark").replace('\'', r"'\''");
    let mut child = Command::new("script")
        .args([
            "-q",
            "-e",
            "-c",
            &format!("'{binary}' resolve --add"),
            "/dev/null",
        ])
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
        .write_all(b"t\ny\n")
        .expect("keys");
    let out = child.wait_with_output().expect("wait");
    let screen = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert_eq!(out.status.code(), Some(0), "{screen}");
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
