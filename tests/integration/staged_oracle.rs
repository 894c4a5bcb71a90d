//! The staged scope's file list against Git's own (`git diff --cached`), on generated histories:
//! files added, edited (some to the same bytes), removed, made executable and staged in part, in
//! nested directories whose names sort around `/` (`a-b`, `a.b`, `a/b`), with the index's
//! cache-tree partly valid, valid for the index but not HEAD (`write-tree`, `reset --soft`), and
//! some indexes split. Every file holds a conflict block, so the
//! files `check --staged` reports are exactly the files it listed.
//!
//! `MERGEMARK_STAGED_CASES` sets the number of cases (default 6), `MERGEMARK_STAGED_SEED` the
//! first seed.

use std::collections::BTreeSet;

use crate::differential::{cases::Rng, seeds};
use crate::harness::Test;

const DIRS: &[&str] = &["", "a/", "a-b/", "a.b/", "a/b/", "a/b/c/", "z/", "z/a-b/"];
const NAMES: &[&str] = &["x.md", "y.md", "a", "a-b.md", "a.md", "b.txt"];

fn content(rng: &mut Rng) -> Vec<u8> {
    format!(
        "# Note {}\n\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n",
        rng.below(4)
    )
    .into_bytes()
}

fn paths() -> Vec<String> {
    DIRS.iter()
        .flat_map(|d| NAMES.iter().map(move |n| format!("{d}{n}")))
        // A file and a directory cannot share a name.
        .filter(|p| !DIRS.iter().any(|d| d.strip_suffix('/') == Some(p)))
        .collect()
}

fn git_list(test: &Test) -> BTreeSet<String> {
    let out = test.git().ok(&[
        "diff",
        "--cached",
        "--name-only",
        "--no-renames",
        "--diff-filter=AMT",
    ]);
    String::from_utf8(out)
        .expect("UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn our_list(test: &Test) -> BTreeSet<String> {
    let out = test.run_with(&["check", "--staged", "--format", "json"]);
    out.findings()
        .into_iter()
        .filter(|(_, rule, _, _)| rule == "conflict-marker")
        .map(|(path, _, _, _)| path)
        .collect()
}

#[test]
fn the_staged_files_are_the_files_git_diff_cached_lists() {
    let all = paths();
    for seed in seeds("MERGEMARK_STAGED", 6) {
        let mut rng = Rng(seed);
        let test = Test::new();
        let git = test.git();
        git.init();
        let mut tracked: Vec<&String> = all.iter().filter(|_| rng.below(3) > 0).collect();
        for path in &tracked {
            git.write(path, &content(&mut rng));
        }
        git.commit_all("base");
        for round in 0..3 {
            for path in &all {
                match rng.below(8) {
                    0 | 1 => git.write(path, &content(&mut rng)),
                    2 if tracked.contains(&path) => {
                        let _ = std::fs::remove_file(test.path().join(path));
                    }
                    _ => {}
                }
            }
            // Stage a part: whole directories, single files, or everything.
            match rng.below(3) {
                0 => {
                    git.ok(&["add", "-A"]);
                }
                1 => {
                    let _ = git.status(&["add", "-A", DIRS[1 + rng.below(DIRS.len() - 1)]]);
                }
                _ => {
                    for path in all.iter().filter(|_| rng.below(2) == 0) {
                        let _ = git.status(&["add", "-A", "--", path]);
                    }
                }
            }
            if rng.below(3) == 0 {
                let path = &all[rng.below(all.len())];
                let _ = git.status(&["update-index", "--chmod=+x", "--", path]);
            }
            if round == 0 && rng.below(2) == 0 {
                git.ok(&["update-index", "--split-index"]);
            }
            // A cache-tree valid for what is staged, not for HEAD: as `git write-tree` or a
            // commit taken back with `git reset --soft` leave it.
            if rng.below(2) == 0 {
                git.ok(&["write-tree"]);
            }
            if rng.below(3) == 0 {
                git.ok(&["commit", "-q", "--allow-empty", "-m", "undone"]);
                git.ok(&["reset", "-q", "--soft", "HEAD~1"]);
            }
            let expected = git_list(&test);
            assert_eq!(our_list(&test), expected, "seed {seed}, round {round}");
            if rng.below(2) == 0 {
                git.ok(&["commit", "-q", "--allow-empty", "-m", "step"]);
                tracked = all
                    .iter()
                    .filter(|p| test.path().join(p).exists())
                    .collect();
            }
        }
    }
}
