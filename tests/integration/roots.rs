//! Several paths given in one run: files of one name under two roots, a file reached through
//! several spellings (a directory and a file in it, a symbolic link, `x/..`), named files read by
//! several threads. A file is checked once, under the spelling that checks it as its directory
//! walk would, and never left out because one spelling of it is.

use std::os::unix::fs::symlink;

use crate::harness::Test;

const BLOCK: &str = "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n";

/// `check --format concise` over `paths`.
fn concise(test: &Test, paths: &[&str]) -> crate::harness::Output {
    let mut args = vec!["check", "--format", "concise"];
    args.extend(paths);
    test.run_with(&args)
}

/// The `path:line` of each concise finding.
fn places(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| l.split(':').take(2).collect::<Vec<_>>().join(":"))
        .collect()
}

/// Two directories given (or two repositories) may hold files of the same relative name: each
/// file's findings stay its own, under its own name, and both files are counted.
#[test]
fn files_of_one_name_under_two_roots_are_reported_apart() {
    let one = format!("one\n{BLOCK}");
    let two = format!("two\nmore\n{BLOCK}");
    for in_repositories in [false, true] {
        let test = Test::new().write("a/x.md", &one).write("b/x.md", &two);
        if in_repositories {
            for dir in ["a", "b"] {
                let path = test.path().join(dir);
                crate::harness::Git { dir: &path }.init();
            }
        }
        let out = test
            .run_with(&["check", "--format", "concise", "a", "b"])
            .status(1);
        let lines: Vec<&str> = out
            .stdout
            .lines()
            .map(|l| &l[..l.find(": ").unwrap()])
            .collect();
        assert_eq!(lines, ["a/x.md:2:1", "b/x.md:3:1"], "{}", out.stdout);
        let out = test.run_with(&["check", "--format", "human", "a", "b"]);
        assert!(out.stdout.contains("in 2 files"), "{}", out.stdout);
        let json = test
            .run_with(&["check", "--format", "json", "a", "b"])
            .json();
        let lines: Vec<u64> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [2, 3]);
    }
}

/// A file reached through several paths given (a directory and a file in it, a directory twice,
/// a directory inside another) is checked once: one finding, one file counted.
#[test]
fn a_file_reached_through_several_paths_given_is_checked_once() {
    for in_repository in [false, true] {
        let test = Test::new()
            .write("docs/sub/a.md", BLOCK)
            .write("docs/b.md", BLOCK);
        if in_repository {
            test.git().init();
        }
        let json = test
            .run_with(&[
                "check",
                "--format",
                "json",
                "docs",
                "docs/sub",
                "docs/sub/a.md",
                "docs",
                "./docs/b.md",
            ])
            .status(1)
            .json();
        assert_eq!(json["files_checked"], 2, "{json}");
        assert_eq!(json["findings"].as_array().unwrap().len(), 2, "{json}");
    }
}

/// Files named on the command line (as a pre-commit hook names them) are read by several
/// threads: the output is the one a single thread gives, notes and errors included.
#[test]
fn named_files_read_by_several_threads_report_as_one_thread_does() {
    let mut test = Test::new()
        .write("zeros.md", vec![0u8; 64])
        .write("bad.md", b"\xff\xfe\x00broken".as_slice());
    let mut names = vec![
        "zeros.md".to_owned(),
        "gone.md".to_owned(),
        "bad.md".to_owned(),
    ];
    for i in 0..40 {
        let name = format!("d{}/f{i}.md", i % 3);
        let text = if i % 4 == 0 {
            format!("x\n{BLOCK}")
        } else {
            "clean\n".to_owned()
        };
        test = test.write(&name, text);
        names.push(name);
    }
    let run = |threads: &str| {
        let mut args = vec!["check", "--format", "json", "-j", threads];
        args.extend(names.iter().map(String::as_str));
        let out = test.run_with(&args).status(2);
        (out.stdout, out.stderr)
    };
    let one = run("1");
    assert!(one.0.contains("\"files_checked\": 40"), "{}", one.0);
    for threads in ["2", "3", "8"] {
        assert_eq!(run(threads), one);
    }
}

/// With `--force-exclude`, a file named twice (through a symbolic link) is checked when one
/// spelling is not excluded, whichever comes first.
#[test]
fn an_excluded_spelling_does_not_hide_one_that_is_not() {
    let test = Test::new().write("vendor/doc.md", format!("# T\n\n{BLOCK}"));
    symlink("vendor", test.path().join("docs")).expect("symlink");
    for order in [
        ["vendor/doc.md", "docs/doc.md"],
        ["docs/doc.md", "vendor/doc.md"],
    ] {
        let mut args = vec![
            "check",
            "--format",
            "concise",
            "--force-exclude",
            "--exclude",
            "vendor",
        ];
        args.extend(order);
        let out = test.run_with(&args).status(1);
        assert_eq!(places(&out.stdout), ["docs/doc.md:3"], "{order:?}");
    }
}

/// A file named through a symbolic link beside its real path (or its directory) is checked, and
/// fixed, under its real path.
#[test]
fn a_symbolic_link_beside_the_real_path_is_not_the_spelling_fixed() {
    let mojibake = "# Notes\n\nIt\u{e2}\u{20ac}\u{2122}s fine.\n";
    for args in [
        &["d", "lm.md"][..],
        &["lm.md", "d"],
        &["lm.md", "d/m.md"],
        &[".", "lm.md"],
    ] {
        let test = Test::new().write("d/m.md", mojibake);
        symlink("d/m.md", test.path().join("lm.md")).expect("symlink");
        let mut all = vec!["check", "--fix"];
        all.extend(args);
        let out = test.run_with(&all);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        let fixed = std::fs::read_to_string(test.path().join("d/m.md")).unwrap();
        assert_eq!(fixed, "# Notes\n\nIt\u{2019}s fine.\n", "{args:?}");
    }
}

/// Outside a repository, naming a file or directory inside a directory given does not take the
/// settings of that directory's configuration away from it.
#[test]
fn a_path_inside_a_directory_given_keeps_the_directory_walks_settings() {
    let test = Test::new()
        .write(
            "mergemark.toml",
            "[rules]\nconflict-marker-in-code = \"error\"\n",
        )
        .write(
            "docs/tut.md",
            format!("# Git tutorial\n\n```\n{BLOCK}```\n"),
        );
    for extra in ["docs/tut.md", "docs", "./docs/../docs"] {
        for args in [[".", extra], [extra, "."]] {
            let out = concise(&test, &args).status(1);
            assert_eq!(out.stdout.lines().count(), 1, "{args:?}: {}", out.stdout);
            assert!(
                out.stdout.starts_with("docs/tut.md:4:1: error"),
                "{args:?}: {}",
                out.stdout
            );
        }
    }
}

/// A directory reached through `symlink/..` is named as the walk from `.` names it.
#[test]
fn a_directory_reached_through_a_link_and_dot_dot_is_named_by_its_walk() {
    let test = Test::new()
        .write("d/m.md", format!("inner\n{BLOCK}"))
        .write("m.md", "top\n")
        .write("d/sub/s.md", format!("s\n{BLOCK}"));
    symlink("d/sub", test.path().join("x")).expect("symlink");
    let out = test
        .run_with(&["check", "--format", "concise", ".", "x/.."])
        .status(1);
    assert_eq!(places(&out.stdout), ["d/m.md:2", "d/sub/s.md:2"]);
}

/// A repository inside the directory walked, named too, is read with its own settings (its
/// conflict-marker size), once.
#[test]
fn a_repository_named_inside_a_walked_one_is_read_with_its_own() {
    let nine = "<<<<<<<<< HEAD\nours\n=========\ntheirs\n>>>>>>>>> topic\n";
    let test = Test::new()
        .write("top.md", "clean\n")
        .write("sub/inner/.gitattributes", "*.md conflict-marker-size=9\n")
        .write("sub/inner/doc.md", format!("x\n{nine}"));
    test.git().init();
    let inner = test.path().join("sub/inner");
    crate::harness::Git { dir: &inner }.init();
    for args in [[".", "sub/inner"], ["sub/inner", "."]] {
        let out = concise(&test, &args).status(1);
        assert_eq!(places(&out.stdout), ["sub/inner/doc.md:2"], "{args:?}");
        assert!(
            out.stdout.contains("error[conflict-marker]"),
            "{}",
            out.stdout
        );
    }
}

/// A file or directory of a nested repository, named beside a walked outer directory, is checked
/// with the nested repository's settings, as it is named alone: the outer walk's configuration
/// (which turns the conflict rule off) does not reach it.
#[test]
fn a_nested_repositorys_path_named_beside_an_outer_walk_keeps_its_own_settings() {
    let test = Test::new()
        .write("mergemark.toml", "[rules]\nconflict-marker = \"off\"\n")
        .write("d/x.md", "hi\n")
        .write("d/n/c.md", BLOCK)
        .write("d/n/sub/c2.md", BLOCK);
    test.git().init();
    let inner = test.path().join("d/n");
    crate::harness::Git { dir: &inner }.init();
    for args in [
        ["d/n/c.md", "d"],
        ["d", "d/n/c.md"],
        ["d/n/sub", "d"],
        ["d", "d/n/sub"],
    ] {
        let out = concise(&test, &args).status(1);
        assert_eq!(out.stdout.lines().count(), 1, "{args:?}: {}", out.stdout);
        assert!(
            out.stdout.contains("error[conflict-marker]"),
            "{args:?}: {}",
            out.stdout
        );
    }
}

/// A directory given twice, once through a symbolic link, is walked under its real spelling.
#[test]
fn a_directory_and_a_link_to_it_are_walked_under_the_real_path() {
    let test = Test::new().write("d/a.md", format!("x\n{BLOCK}"));
    symlink("d", test.path().join("dl")).expect("symlink");
    for args in [["dl", "d"], ["d", "dl"]] {
        let out = concise(&test, &args).status(1);
        assert_eq!(places(&out.stdout), ["d/a.md:2"], "{args:?}");
    }
}

/// A file the walk passes over (a merge backup beside its original) or does not read (binary) is
/// still checked, or noted, when it is named beside the directory: named, it is checked as any
/// file.
#[test]
fn a_named_file_the_walk_passes_over_is_still_checked() {
    let test = Test::new()
        .write("doc.md", "clean\n")
        .write("doc.md.orig", format!("x\n{BLOCK}"))
        .write("z.md", b"\0\0bin".as_slice());
    for args in [[".", "doc.md.orig"], ["doc.md.orig", "."]] {
        let out = concise(&test, &args).status(1);
        assert_eq!(places(&out.stdout), ["doc.md.orig:2"], "{args:?}");
    }
    let out = test
        .run_with(&["check", "--format", "concise", ".", "z.md"])
        .status(0);
    assert!(
        out.stderr.contains("skipped z.md: binary file"),
        "{}",
        out.stderr
    );
}
