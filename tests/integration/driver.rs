//! `mergemark merge` as a Git merge driver, installed with `mergemark driver install` and run by
//! a real `git merge`.

use crate::harness::Test;

/// A repository with the driver installed, `doc.md` committed as `base`, `theirs` on `topic`
/// and `ours` on `main`, merged: `git merge`'s exit code.
fn merge_with_driver(test: &Test, name: &str, base: &[u8], ours: &[u8], theirs: &[u8]) -> i32 {
    merge_with_driver_and(test, &[], name, base, ours, theirs)
}

/// As [`merge_with_driver`], with `git_options` (`-c key=value`) on the `git merge`.
fn merge_with_driver_and(
    test: &Test,
    git_options: &[&str],
    name: &str,
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
) -> i32 {
    let git = test.git();
    git.init();
    let out = test.run_with(&["driver", "install"]);
    assert_eq!(out.code, 0, "{out:?}");
    git.write(name, base);
    git.commit_all("base");
    git.ok(&["checkout", "-q", "-b", "topic"]);
    git.write(name, theirs);
    git.commit_all("theirs");
    git.ok(&["checkout", "-q", "main"]);
    git.write(name, ours);
    git.commit_all("ours");
    let mut args = git_options.to_vec();
    args.extend(["merge", "-q", "topic"]);
    git.status(&args).0
}

const SORTED: &[u8] = b"# Fruit\n\n- [Apple](https://a.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n";
const SORTED_OURS: &[u8] = b"# Fruit\n\n- [Apple](https://a.example)\n- [Banana](https://b.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n";
const SORTED_THEIRS: &[u8] = b"# Fruit\n\n- [Apple](https://a.example)\n- [Cherry](https://c.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n";
const SORTED_MERGED: &[u8] = b"# Fruit\n\n- [Apple](https://a.example)\n- [Banana](https://b.example)\n- [Cherry](https://c.example)\n- [Melon](https://m.example)\n- [Zucchini](https://z.example)\n";

#[test]
fn items_both_sides_added_to_a_sorted_list_merge_cleanly() {
    let test = Test::new();
    let code = merge_with_driver(&test, "doc.md", SORTED, SORTED_OURS, SORTED_THEIRS);
    assert_eq!(code, 0, "git merge succeeds");
    assert_eq!(read(&test, "doc.md"), SORTED_MERGED);
    let unmerged = test.git().ok(&["ls-files", "-u"]);
    assert!(
        unmerged.is_empty(),
        "{}",
        String::from_utf8_lossy(&unmerged)
    );
}

#[test]
fn a_path_that_starts_with_a_dash_is_merged_too() {
    let test = Test::new();
    let code = merge_with_driver(&test, "-dash.md", SORTED, SORTED_OURS, SORTED_THEIRS);
    assert_eq!(code, 0, "git merge succeeds");
    assert_eq!(read(&test, "-dash.md"), SORTED_MERGED);
}

#[test]
fn items_both_sides_added_to_an_unsorted_list_stay_in_conflict_with_gits_labels() {
    let test = Test::new();
    let base = b"- Zebra\n- Apple\n- Mango\n";
    let code = merge_with_driver(
        &test,
        "doc.md",
        base,
        b"- Zebra\n- Kiwi\n- Apple\n- Mango\n",
        b"- Zebra\n- Fig\n- Apple\n- Mango\n",
    );
    assert_ne!(code, 0);
    assert_eq!(
        String::from_utf8(read(&test, "doc.md")).expect("UTF-8"),
        "- Zebra\n<<<<<<< HEAD\n- Kiwi\n=======\n- Fig\n>>>>>>> topic\n- Apple\n- Mango\n"
    );
}

#[test]
fn the_conflict_style_of_git_dash_c_is_honoured() {
    let test = Test::new();
    let code = merge_with_driver_and(
        &test,
        &["-c", "merge.conflictStyle=diff3"],
        "doc.md",
        b"a\nx\nz\n",
        b"a\nours\nz\n",
        b"a\ntheirs\nz\n",
    );
    assert_ne!(code, 0);
    let text = String::from_utf8(read(&test, "doc.md")).expect("UTF-8");
    assert!(text.contains("\n||||||| "), "{text}");
}

#[test]
fn install_leaves_a_driver_of_the_users_own_alone() {
    let test = Test::new();
    test.git().init();
    test.git()
        .ok(&["config", "merge.mergemark.driver", "my-own-tool %O %A %B"]);
    let out = test.run_with(&["driver", "install"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("not mergemark's"), "{}", out.stderr);
    let driver = test.git().ok(&["config", "merge.mergemark.driver"]);
    assert_eq!(driver, b"my-own-tool %O %A %B\n");
    assert!(!test.path().join(".gitattributes").exists());
}

fn read(test: &Test, name: &str) -> Vec<u8> {
    std::fs::read(test.path().join(name)).expect("read")
}

#[test]
fn install_writes_the_driver_and_the_attribute_and_uninstall_removes_them() {
    let test = Test::new().write(".gitattributes", "*.png binary\n");
    test.git().init();
    test.run_with(&["driver", "install"]).status(0);
    test.run_with(&["driver", "install"]).status(0);
    let attributes = String::from_utf8(read(&test, ".gitattributes")).expect("UTF-8");
    assert_eq!(attributes, "*.png binary\n*.md merge=mergemark\n", "once");
    let driver =
        String::from_utf8(test.git().ok(&["config", "merge.mergemark.driver"])).expect("UTF-8");
    assert!(driver.contains("merge %O %A %B"), "{driver}");
    test.run_with(&["driver", "uninstall"]).status(0);
    assert_eq!(read(&test, ".gitattributes"), b"*.png binary\n");
    assert_ne!(
        test.git().status(&["config", "merge.mergemark.driver"]).0,
        0
    );
}

#[test]
fn what_auto_settles_merges_cleanly() {
    // Both sides changed the line; theirs only added trailing whitespace to it.
    let test = Test::new();
    let code = merge_with_driver(
        &test,
        "doc.md",
        b"# T\n\nold\n",
        b"# T\n\nnew\n",
        b"# T\n\nnew  \t\n",
    );
    assert_eq!(code, 0, "merged by the driver");
    assert_eq!(read(&test, "doc.md"), b"# T\n\nnew\n");
}

#[test]
fn a_genuine_conflict_is_left_with_gits_markers_and_labels() {
    let test = Test::new();
    test.git().init();
    test.git().ok(&["config", "merge.conflictStyle", "diff3"]);
    let code = merge_with_driver(
        &test,
        "doc.md",
        b"a\nx\nz\n",
        b"a\nours\nz\n",
        b"a\ntheirs\nz\n",
    );
    assert_ne!(code, 0);
    let text = String::from_utf8(read(&test, "doc.md")).expect("UTF-8");
    assert!(
        text.starts_with("a\n<<<<<<< HEAD\nours\n||||||| ")
            && text.contains("\nx\n=======\ntheirs\n>>>>>>> topic\nz\n"),
        "{text}"
    );
}

#[test]
fn binary_and_non_utf8_files_fall_back_safely() {
    for (name, base, ours, theirs) in [
        ("bin.md", &b"a\x00\n"[..], &b"b\x00\n"[..], &b"c\x00\n"[..]),
        (
            "latin.md",
            &b"caf\xe9\n"[..],
            &b"caf\xe9 ours\n"[..],
            &b"caf\xe9 theirs\n"[..],
        ),
    ] {
        let test = Test::new();
        let code = merge_with_driver(&test, name, base, ours, theirs);
        assert_ne!(code, 0, "{name}: left for a person");
        let (status, _) = test.git().status(&["ls-files", "-u", name]);
        assert_eq!(status, 0);
        let unmerged = String::from_utf8(test.git().ok(&["ls-files", "-u", name])).expect("UTF-8");
        assert!(
            unmerged.contains(" 3\t"),
            "{name} stays unmerged: {unmerged}"
        );
    }
}

#[test]
fn a_merge_at_the_end_of_a_file_without_a_final_newline_keeps_it_that_way() {
    // Found by a hostile read: the driver added a newline no version had.
    let test = Test::new();
    let code = merge_with_driver(
        &test,
        "doc.md",
        b"- apple\n- cherry\n- grape\n- melon",
        b"- apple\n- cherry\n- grape\n- melon\n- peach",
        b"- apple\n- cherry\n- grape\n- melon\n- pear",
    );
    assert_eq!(code, 0, "merged by the driver");
    assert_eq!(
        read(&test, "doc.md"),
        b"- apple\n- cherry\n- grape\n- melon\n- peach\n- pear"
    );
    // One side adds the final newline while the other adds a last line: which line ends the
    // file, and how, is one conflict; left as Git leaves it.
    let test = Test::new();
    let code = merge_with_driver(
        &test,
        "doc.md",
        b"- apple\n- cherry\n- grape\n- melon",
        b"- apple\n- cherry\n- grape\n- melon\n- peach",
        b"- apple\n- cherry\n- grape\n- melon\n- pear\n",
    );
    assert_ne!(code, 0, "left for a person");
    assert!(String::from_utf8(read(&test, "doc.md"))
        .expect("UTF-8")
        .contains("<<<<<<< HEAD\n"));
}

/// A merge that comes out empty (a side deleted everything): git2 reads an empty
/// result through a null pointer, which a debug build aborts on (found by CI's debug build).
#[test]
fn a_merge_that_comes_out_empty_is_written_empty() {
    for (base, ours, theirs, clean) in [
        ("a\nb\n", "", "a\nb\n", true),
        ("", "", "", true),
        ("a\n", "", "", true),
        ("a\n", "", "a\nb\n", false),
    ] {
        let test = Test::new()
            .write("base", base)
            .write("ours", ours)
            .write("theirs", theirs);
        let out = test.run_with(&["merge", "base", "ours", "theirs", "-P", "doc.md"]);
        assert_eq!(
            out.code,
            if clean { 0 } else { 1 },
            "{base:?} {ours:?} {theirs:?}: {out:?}"
        );
        if clean {
            assert_eq!(read(&test, "ours"), b"");
        }
    }
}
