//! `check --fix` and `check --diff`: the safe fixes applied (or shown) exactly, written
//! atomically keeping every other byte, mode, BOM and line endings; never in a conflicted file,
//! never in text that is not UTF-8, never for a finding the run does not report.

use std::path::Path;

use crate::harness::Test;
use crate::stdin_cli::run_stdin;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/fixes")
            .join(name),
    )
    .expect("reading a fixture")
}

fn read(test: &Test, path: &str) -> Vec<u8> {
    std::fs::read(test.path().join(path)).expect("reading a test file")
}

const MOJIBAKE: &str = "We\u{e2}\u{20ac}\u{2122}re back";

#[test]
fn fix_writes_the_fixture_as_expected_and_reports_what_is_left() {
    let test = Test::new().write("incident.md", fixture("incident.md"));
    let file = test.path().join("incident.md");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let out = test
        .run_with(&["check", "--fix", "--format", "concise", "incident.md"])
        .status(1);
    assert_eq!(read(&test, "incident.md"), fixture("incident.fixed.md"));
    // Only what the fixes could not settle is reported, at the places of the new text.
    assert_eq!(
        out.stdout
            .lines()
            .map(|l| l.split(' ').next().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["incident.md:16:1:", "incident.md:16:1:"],
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("error[incomplete-section]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("fixed 3 findings in 1 file (section-not-heading: 2, mojibake: 1)"),
        "{}",
        out.stderr
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    // Nothing is left to fix: the second run changes nothing and says nothing about fixes.
    let again = test.run_with(&["check", "--fix", "incident.md"]).status(1);
    assert!(!again.stderr.contains("fixed"), "{}", again.stderr);
    assert_eq!(read(&test, "incident.md"), fixture("incident.fixed.md"));
}

#[test]
fn diff_prints_the_fixes_writes_nothing_and_exits_1_when_there_are_any() {
    let test = Test::new().write("incident.md", fixture("incident.md"));
    let out = test.run_with(&["check", "--diff", "incident.md"]).status(1);
    assert_eq!(read(&test, "incident.md"), fixture("incident.md"));
    assert!(
        out.stdout
            .starts_with("--- a/incident.md\n+++ b/incident.md\n@@ "),
        "{}",
        out.stdout
    );
    let changed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| {
            (l.starts_with('-') || l.starts_with('+'))
                && !l.starts_with("---")
                && !l.starts_with("+++")
        })
        .collect();
    assert_eq!(
        changed,
        [
            "-**Timeline:**",
            "+## Timeline",
            "-Root Cause and Resolution",
            "-The gateway\u{e2}\u{20ac}\u{2122}s certificate was renewed by hand last year and nobody owned its renewal.",
            "+## Root Cause and Resolution",
            "+The gateway\u{2019}s certificate was renewed by hand last year and nobody owned its renewal.",
        ]
    );
    assert!(
        out.stdout.contains("\n+## Timeline\r\n"),
        "the file's line endings"
    );
    assert!(
        out.stderr.contains("would fix 3 findings in 1 file"),
        "{}",
        out.stderr
    );
    // Applying the diff gives what --fix writes.
    test.run_with(&["check", "--fix", "incident.md"]).status(1);
    let out = test.run_with(&["check", "--diff", "incident.md"]).status(0);
    assert_eq!(out.stdout, "");
    // --exit-zero: the diff is printed, the exit is 0.
    let test = Test::new().write("a.md", format!("{MOJIBAKE}\n"));
    let out = test
        .run_with(&["check", "--diff", "--exit-zero", "."])
        .status(0);
    assert!(out.stdout.contains("+We\u{2019}re back"), "{}", out.stdout);
}

#[test]
fn a_conflicted_file_is_never_fixed() {
    let text =
        format!("{MOJIBAKE}\n\n<<<<<<< HEAD\n{MOJIBAKE}, ours\n=======\ntheirs\n>>>>>>> topic\n");
    let test = Test::new().write("notes.md", &text);
    let out = test.run_with(&["check", "--fix", "notes.md"]).status(1);
    assert_eq!(read(&test, "notes.md"), text.as_bytes());
    assert!(
        out.stderr
            .contains("notes.md: fixable findings not fixed: it has unresolved conflicts"),
        "{}",
        out.stderr
    );
    let out = test.run_with(&["check", "--diff", "notes.md"]).status(0);
    assert_eq!(out.stdout, "");
}

#[test]
fn text_that_is_not_utf8_or_is_utf16_is_never_fixed_nor_offered() {
    // Latin-1 text beside a sequence that would be mojibake in UTF-8.
    let mut latin1 = b"caf\xe9\n".to_vec();
    latin1.extend_from_slice(MOJIBAKE.as_bytes());
    let mut utf16 = vec![0xff, 0xfe];
    for unit in format!("{MOJIBAKE}\n").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let test = Test::new()
        .write("latin1.md", &latin1)
        .write("utf16.md", &utf16);
    // The UTF-16 file's mojibake is reported, and no fix is offered for it anywhere.
    assert_eq!(test.check_rules(&["utf16.md"], 0), ["mojibake"]);
    let human = test
        .run_with(&["check", "--format", "human", "utf16.md"])
        .status(0);
    assert!(!human.stdout.contains("fixable"), "{}", human.stdout);
    assert_eq!(
        test.run_with(&["check", "--diff", "."]).status(0).stdout,
        ""
    );
    test.run_with(&["check", "--fix", "."]).status(0);
    assert_eq!(read(&test, "latin1.md"), latin1);
    assert_eq!(read(&test, "utf16.md"), utf16);
    // On stdin, the text comes back as it came: not transcoded.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .args(["check", "--fix", "-"])
        .stdin(std::fs::File::open(test.path().join("utf16.md")).expect("open"))
        .output()
        .expect("mergemark");
    assert_eq!(out.stdout, utf16);
}

#[test]
fn only_a_label_alone_at_the_start_of_its_block_becomes_a_heading() {
    let doc = "# Outage\n\n## Issue Summary\n- Duration: 1 hour\n- Start Time: 2025-01-01 10:00 UTC\n\
        - End Time: 2025-01-01 11:00 UTC\n- Impact: all users\n- Root Cause: a bad deploy\n\n\
        We looked at it together.\nTimeline\n- 10:00 UTC: deploy\n- 10:10 UTC: alert\n- 11:00 UTC: rollback\n\n\
        **Root cause:** a bad deploy\n\n\
        ## Corrective and Preventative Measures\n- [ ] Review deploys\n";
    let test = Test::new().write("postmortem.md", doc);
    let before = test.check_rules(&["postmortem.md"], 1);
    assert!(
        before
            .iter()
            .filter(|r| *r == "section-not-heading")
            .count()
            == 2,
        "{before:?}"
    );
    test.run_with(&["check", "--fix", "postmortem.md"]);
    assert_eq!(
        read(&test, "postmortem.md"),
        doc.as_bytes(),
        "nothing is fixable"
    );
}

#[test]
fn findings_the_run_does_not_report_are_not_fixed() {
    let text = format!("{MOJIBAKE}\n");
    let test = Test::new()
        .write("ignored.md", &text)
        .write(
            "suppressed.md",
            format!("<!-- mergemark-disable-file mojibake -->\n{text}"),
        )
        .write("off/a.md", &text)
        .write("off/mergemark.toml", "[rules]\nmojibake = \"off\"\n");
    test.run_with(&["check", "--fix", "--ignore", "mojibake", "ignored.md"])
        .status(0);
    test.run_with(&["check", "--fix", "suppressed.md", "off"])
        .status(0);
    assert_eq!(read(&test, "ignored.md"), text.as_bytes());
    assert_eq!(read(&test, "off/a.md"), text.as_bytes());
    assert!(String::from_utf8(read(&test, "suppressed.md"))
        .expect("UTF-8")
        .ends_with(&text));
}

#[test]
fn fix_on_stdin_prints_the_fixed_text_and_the_findings_on_stderr() {
    // A file of that name exists: it is only the name, never written.
    let test = Test::new().write("incident.md", "on disk\n");
    let input = fixture("incident.md");
    let out = run_stdin(
        &test,
        "",
        &[
            "check",
            "--fix",
            "--format",
            "concise",
            "--stdin-filename",
            "incident.md",
        ],
        &input,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stdout.as_bytes(), fixture("incident.fixed.md"));
    assert_eq!(read(&test, "incident.md"), b"on disk\n");
    assert!(
        out.stderr
            .contains("incident.md:16:1: error[incomplete-section]"),
        "{}",
        out.stderr
    );
    // Nothing to fix: the text comes back as it was.
    let out = run_stdin(&test, "", &["check", "--fix", "-"], "plain text\n");
    assert_eq!((out.code, out.stdout.as_str()), (0, "plain text\n"));
    // --diff on stdin names the file.
    let out = run_stdin(
        &test,
        "",
        &["check", "--diff", "--stdin-filename", "x.md"],
        format!("{MOJIBAKE}\n"),
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.starts_with("--- a/x.md\n+++ b/x.md\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn fixes_take_no_git_scope_nor_statistics() {
    let test = Test::new().write("a.md", "a\n");
    test.git().init();
    for args in [
        &["check", "--fix", "--staged"][..],
        &["check", "--diff", "--rev", "HEAD"],
        &["check", "--fix", "--diff"],
        &["check", "--fix", "--statistics"],
    ] {
        test.run_with(args).status(2);
    }
}

#[test]
fn a_heading_an_html_block_swallowed_gets_a_blank_line_when_that_ends_the_block() {
    let doc = "# Outage\n\n## Issue Summary\n- Duration: 1 hour\n- Start Time: 2025-01-01 10:00 UTC\n\
        - End Time: 2025-01-01 11:00 UTC\n- Impact: 5% of users\n- Root Cause: a bad deploy\n\n\
        <div align=\"center\">\n## Timeline\n- 10:00 UTC: deploy\n- 10:10 UTC: alert\n- 11:00 UTC: rollback\n</div>\n\n\
        ## Root Cause and Resolution\nCause: a bad deploy. Resolution: rolled back.\n\n\
        ## Corrective and Preventative Measures\n- [ ] Review deploys\n";
    // A comment runs on past a blank line: nothing to do there but close it.
    let commented = doc
        .replace("<div align=\"center\">", "<!-- a note")
        .replace("</div>", "-->");
    let test = Test::new()
        .write("div.md", doc)
        .write("comment.md", &commented);
    assert_eq!(
        test.check_rules(&["div.md", "comment.md"], 0),
        ["section-not-heading", "section-not-heading"]
    );
    test.run_with(&["check", "--fix", "div.md", "comment.md"])
        .status(0);
    assert_eq!(
        read(&test, "div.md"),
        doc.replace("<div align=\"center\">\n", "<div align=\"center\">\n\n")
            .as_bytes()
    );
    assert_eq!(read(&test, "comment.md"), commented.as_bytes());
    assert!(test.check_rules(&["div.md"], 0).is_empty());
}

/// Found by review: German and French punctuation after a letter was taken for mojibake and
/// "fixed" into N'Ko and IPA letters, and a repair made a new one with its neighbour.
#[test]
fn fixes_change_only_what_was_reported() {
    let text = "# Notes\n\nWir w\u{fc}nschen \u{201e}Viel Spa\u{df}\u{201c}. Le th\u{e8}me \u{ab}\u{c9}T\u{c9}\u{bb}. \
        JOS\u{c9}\u{2019}s car. Gru\u{df}\u{a0}Peter.\n\nThe CAF\u{c9}\u{e2}\u{20ac}\u{2122}s menu. \
        Stra\u{df}\u{e2}\u{20ac}\u{153}e\n";
    let test = Test::new().write("de.md", text);
    assert_eq!(test.check_rules(&["de.md"], 0), ["mojibake", "mojibake"]);
    let out = test.run_with(&["check", "--fix", "de.md"]).status(0);
    assert!(out.stderr.contains("fixed 2 findings"), "{}", out.stderr);
    let expected = text
        .replace("\u{e2}\u{20ac}\u{2122}", "\u{2019}")
        .replace("\u{e2}\u{20ac}\u{153}", "\u{201c}");
    assert_eq!(read(&test, "de.md"), expected.as_bytes());
    assert!(test.check_rules(&["de.md"], 0).is_empty());
}

/// Found by review: more fixable findings of a rule than a check lists (1,000) took a run each
/// thousand.
#[test]
fn every_finding_is_fixed_however_many() {
    let text = format!("# Many\n\n{}", "caf\u{c3}\u{a9} x\n".repeat(2500));
    let test = Test::new().write("many.md", &text);
    let out = test
        .run_with(&["check", "--fix", "-q", "many.md"])
        .status(0);
    assert_eq!(out.stdout, "");
    assert_eq!(
        read(&test, "many.md"),
        text.replace("\u{c3}\u{a9}", "\u{e9}").as_bytes()
    );
    assert_eq!(
        test.run_with(&["check", "--diff", "many.md"])
            .status(0)
            .stdout,
        ""
    );
}

/// Found by review: a label made a heading turned the indented list after it into a code block,
/// and lost a trailing `#` to the heading's closing sequence; a label on a first line after a
/// byte order mark was not fixed.
#[test]
fn a_label_becomes_a_heading_only_where_the_text_reads_the_same() {
    let indented = "# Outage\n\n**Timeline:**\n    - 08:05 UTC: stopped\n    - 08:40 UTC: ticket\n";
    let hashed = "# Outage\n\nTimeline ##\n- 08:05 UTC: stopped\n";
    let bom =
        "\u{feff}**Timeline:**\n- 08:05 UTC: stopped\n- 08:40 UTC: ticket\n- 09:10 UTC: fixed\n";
    let test = Test::new()
        .write("indented/postmortem.md", indented)
        .write("hashed/postmortem.md", hashed)
        .write("bom/postmortem.md", bom);
    test.run_with(&["check", "--fix", "."]);
    assert_eq!(read(&test, "indented/postmortem.md"), indented.as_bytes());
    assert_eq!(read(&test, "hashed/postmortem.md"), hashed.as_bytes());
    assert_eq!(
        read(&test, "bom/postmortem.md"),
        bom.replace("**Timeline:**", "## Timeline").as_bytes()
    );
}

/// Found by review: mojibake in a link's destination, an autolink, HTML or front matter was
/// "fixed", changing what it points to.
#[test]
fn only_prose_is_repaired() {
    let garbled = "caf\u{c3}\u{a9}";
    let text = format!(
        "---\ntitle: {garbled}\n---\n\n# T\n\nA {garbled} [{garbled}](https://e.com/{garbled}) \
         <https://e.com/{garbled}> <span title=\"{garbled}\">x</span>\n\n<div>{garbled}</div>\n"
    );
    let test = Test::new().write("links.md", &text);
    test.run_with(&["check", "--fix", "links.md"]).status(0);
    let fixed = text.replacen(
        &format!("A {garbled} [{garbled}]"),
        "A caf\u{e9} [caf\u{e9}]",
        1,
    );
    assert_eq!(read(&test, "links.md"), fixed.as_bytes());
}

/// Found by review: a read-only file was rewritten; a conflict shown as an example in a code
/// block stopped every fix of the file.
#[test]
fn read_only_files_are_left_and_examples_do_not_stop_fixes() {
    let text = format!("{MOJIBAKE}\n");
    let example = format!("{MOJIBAKE}\n\n```\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\n```\n");
    let test = Test::new()
        .write("ro.md", &text)
        .write("tutorial.md", &example);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = test.path().join("ro.md");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        let out = test.run_with(&["check", "--fix", "ro.md"]).status(2);
        assert!(
            out.stderr.contains("ro.md: not fixed: it is read-only"),
            "{}",
            out.stderr
        );
        assert_eq!(read(&test, "ro.md"), text.as_bytes());
    }
    test.run_with(&["check", "--fix", "tutorial.md"]).status(0);
    assert!(String::from_utf8(read(&test, "tutorial.md"))
        .expect("UTF-8")
        .starts_with("We\u{2019}re back\n"));
}

/// Found by review: `--diff` named files from the repository's root or the directory given, so
/// `patch -p1` could not apply it where it was run; a name with a space needs a tab after it.
#[test]
fn diff_names_files_as_they_open_from_here() {
    let test = Test::new()
        .write("d/e/x.md", format!("{MOJIBAKE}\n"))
        .write("d/sp ace.md", format!("{MOJIBAKE}\n"));
    let out = test.run_with(&["check", "--diff", "d"]).status(1);
    let headers: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("--- ") || l.starts_with("+++ "))
        .collect();
    assert_eq!(
        headers,
        [
            "--- a/d/e/x.md",
            "+++ b/d/e/x.md",
            "--- a/d/sp ace.md\t",
            "+++ b/d/sp ace.md\t"
        ]
    );
}

/// Found by the second review: a sign or a capital before punctuation (`3×—`, `SØ’s`) was taken
/// for mojibake and "fixed" into Hebrew and Arabic; mojibake in a bare URL, which GitHub links,
/// was repaired; a label made a heading turned the line after it into a list, a reference
/// definition or HTML.
#[test]
fn second_review_cases_are_left_as_written() {
    let signs = "# Perf\n\nThroughput rose 3\u{d7}\u{2014}latency did not.\n\nIn S\u{d8}\u{2019}s office.\n";
    let url = "# Menu\n\nSee https://example.com/caf\u{c3}\u{a9}/menu or www.caf\u{c3}\u{a9}.example today.\n";
    let test = Test::new()
        .write("signs.md", signs)
        .write("url.md", url)
        .write(
            "list/postmortem.md",
            "# Outage\n\n**Timeline:**\n2. 08:05 UTC: stopped\n",
        )
        .write(
            "reference/postmortem.md",
            "# Outage\n\n**Timeline:**\n[pager]: https://example.com/pager\n",
        )
        .write(
            "html/postmortem.md",
            "# Outage\n\n**Timeline:**\n<my-tag>\n",
        );
    assert!(test.check_rules(&["signs.md"], 0).is_empty());
    assert_eq!(test.check_rules(&["url.md"], 0), ["mojibake", "mojibake"]);
    test.run_with(&["check", "--fix", "."]);
    assert_eq!(read(&test, "signs.md"), signs.as_bytes());
    assert_eq!(read(&test, "url.md"), url.as_bytes());
    for dir in ["list", "reference", "html"] {
        let path = format!("{dir}/postmortem.md");
        assert!(
            String::from_utf8(read(&test, &path))
                .expect("UTF-8")
                .contains("**Timeline:**"),
            "{dir}"
        );
    }
}

/// Found by review: `--diff` wrote a name that is not UTF-8 with replacement characters, a C1
/// control as the octal of its code point and a right-to-left override raw, so `patch` and
/// `git apply` found no such file (and the header could read backwards). Names are quoted as
/// `git diff` quotes them: every byte outside printable ASCII in octal.
#[cfg(unix)]
#[test]
fn diff_names_are_quoted_byte_for_byte_as_git_quotes_them() {
    use std::os::unix::ffi::OsStrExt;
    let test = Test::new()
        .write("rtl\u{202e}dm.md", format!("{MOJIBAKE}\n"))
        .write("c1\u{85}.md", format!("{MOJIBAKE}\n"))
        .write("caf\u{e9} x.md", format!("{MOJIBAKE}\n"));
    let raw = std::ffi::OsStr::from_bytes(b"m\xff.md");
    std::fs::write(test.path().join(raw), format!("{MOJIBAKE}\n")).expect("write");
    let out = test.run_with(&["check", "--diff", "."]).status(1);
    let mut headers: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("--- "))
        .collect();
    headers.sort_unstable();
    assert_eq!(
        headers,
        [
            "--- \"a/c1\\302\\205.md\"",
            "--- \"a/caf\\303\\251 x.md\"\t",
            "--- \"a/m\\377.md\"",
            "--- \"a/rtl\\342\\200\\256dm.md\"",
        ]
    );
    let patch = test.path().join("fixes.patch");
    std::fs::write(&patch, &out.stdout).expect("write the patch");
    let applied = std::process::Command::new("git")
        .args(["apply", "--unsafe-paths", "-p1"])
        .arg(&patch)
        .current_dir(test.path())
        .output()
        .expect("git runs");
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    std::fs::remove_file(&patch).expect("remove the patch");
    test.run_with(&["check", "--select", "mojibake", "."])
        .status(0);
}

/// Git is the oracle for names: generated file names (controls, quotes, backslashes, spaces, DEL,
/// UTF-8 and stray high bytes) get the same `---`/`+++` headers from `check --diff` as from
/// `git diff` after `check --fix`. Seeded; `MERGEMARK_DIFFERENTIAL_NAMES` sets how many names.
#[cfg(unix)]
#[test]
fn diff_headers_name_files_as_git_diff_does() {
    use std::os::unix::ffi::OsStrExt;
    let count: usize = std::env::var("MERGEMARK_DIFFERENTIAL_NAMES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let pieces: &[&[u8]] = &[
        b"a",
        b"Z",
        b" ",
        b"\"",
        b"\\",
        b"\t",
        b"\x01",
        b"\x1b",
        b"\x7f",
        b"\xff",
        b"\x80",
        "é".as_bytes(),
        "\u{202e}".as_bytes(),
        "\u{85}".as_bytes(),
        b"%",
        b"#",
        b"'",
    ];
    let test = Test::new();
    let git = test.git();
    git.init();
    let mut seed: u64 = 0x5eed;
    let mut next = |below: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        usize::try_from(seed >> 33).expect("fits") % below
    };
    for n in 0..count {
        let mut name = format!("n{n}").into_bytes();
        for _ in 0..1 + next(5) {
            name.extend_from_slice(pieces[next(pieces.len())]);
        }
        name.extend_from_slice(b".md");
        let path = test.path().join(std::ffi::OsStr::from_bytes(&name));
        std::fs::write(path, format!("{MOJIBAKE}\n")).expect("write");
    }
    git.commit_all("names");
    let headers = |text: &[u8]| -> Vec<String> {
        let mut found: Vec<String> = String::from_utf8_lossy(text)
            .lines()
            .filter(|l| l.starts_with("--- ") || l.starts_with("+++ "))
            .map(str::to_owned)
            .collect();
        found.sort_unstable();
        found
    };
    let ours = test.run_with(&["check", "--diff", "."]).status(1);
    test.run_with(&["check", "--fix", "."]);
    let theirs = git.ok(&["-c", "core.quotePath=true", "diff"]);
    assert_eq!(headers(ours.stdout.as_bytes()), headers(&theirs));
    assert_eq!(headers(&theirs).len(), 2 * count);
}
