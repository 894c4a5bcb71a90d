//! The precise merge's rules against Git and against their own promises, on generated lists:
//! random three versions of a Markdown list (items added, reworded, moved to https, deleted,
//! blank lines and prose among them).
//!
//! - Where `git merge-file` merges the three cleanly, the precise merge gives the same text or
//!   nothing (it never merges the same changes differently).
//! - Whatever it merges keeps every line a side added or kept (a contained change: the bigger
//!   side's) and no line both sides deleted: it drops nothing nobody chose to drop.
//!
//! `MERGEMARK_MERGE_CASES` sets the number of cases (default 400), `MERGEMARK_MERGE_SEED` the
//! first seed.

use std::collections::HashMap;
use std::process::Command;

use mergemark::resolve::merge::{merge_region, Around};

use crate::differential::{cases::Rng, seeds};

const NAMES: &[&str] = &[
    "Ada", "Bash", "C", "Dart", "Elm", "Fortran", "Go", "Haskell", "Io", "Java", "Kotlin", "Lua",
    "ML", "Nim", "OCaml", "Perl", "Q", "Rust", "Scala", "Tcl",
];

fn item(name: &str, https: bool, note: &str) -> String {
    let scheme = if https { "https" } else { "http" };
    format!(
        "- [{name}]({scheme}://{}.example){note}\n",
        name.to_lowercase()
    )
}

/// One side's edit of `base`: a few random changes.
fn edit(rng: &mut Rng, base: &[String]) -> Vec<String> {
    let mut lines = base.to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(lines.len() + 1);
        match rng.below(7) {
            0 | 1 => lines.insert(
                at,
                item(NAMES[rng.below(NAMES.len())], rng.below(2) == 0, ""),
            ),
            2 if at < lines.len() => {
                let line = lines[at].trim_end().to_owned();
                lines[at] = format!("{line} - noted.\n");
            }
            3 if at < lines.len() => {
                lines[at] = lines[at].replace("http://", "https://");
            }
            4 if at < lines.len() => {
                lines.remove(at);
            }
            5 => lines.insert(at, "\n".to_owned()),
            _ => lines.insert(at, "Some prose.\n".to_owned()),
        }
    }
    lines
}

fn generate(seed: u64) -> [String; 3] {
    let mut rng = Rng(seed);
    let mut names: Vec<&str> = NAMES.to_vec();
    let start = rng.below(names.len() - 6);
    names = names[start..start + 3 + rng.below(4)].to_vec();
    let base: Vec<String> = names.iter().map(|n| item(n, false, "")).collect();
    let ours = edit(&mut rng, &base);
    let theirs = edit(&mut rng, &base);
    [base.concat(), ours.concat(), theirs.concat()]
}

fn git_merge(dir: &std::path::Path, versions: &[String; 3]) -> (i32, String) {
    for (name, text) in ["base", "ours", "theirs"].iter().zip(versions) {
        std::fs::write(dir.join(name), text).expect("writing");
    }
    let output = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(["merge-file", "-p", "ours", "base", "theirs"])
        .output()
        .expect("git merge-file");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("UTF-8"),
    )
}

/// How many times each line occurs.
fn counts(text: &str) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for line in text.split_inclusive('\n') {
        *counts.entry(line).or_insert(0) += 1;
    }
    counts
}

/// The promise: every line a side added is there (as often as the side that added it more
/// often has it), every line all three kept is there, and nothing comes from neither side.
fn drops_nothing(versions: &[String; 3], merged: &str) -> Result<(), String> {
    let [base, ours, theirs] = versions;
    let (b, o, t, m) = (counts(base), counts(ours), counts(theirs), counts(merged));
    let get = |c: &HashMap<&str, usize>, l: &str| c.get(l).copied().unwrap_or(0);
    for line in o.keys().chain(t.keys()) {
        let added = get(&o, line)
            .saturating_sub(get(&b, line))
            .max(get(&t, line).saturating_sub(get(&b, line)));
        if get(&m, line) < get(&b, line).min(get(&o, line)).min(get(&t, line)) + added {
            return Err(format!("{line:?} dropped"));
        }
    }
    for line in m.keys() {
        if get(&o, line) == 0 && get(&t, line) == 0 {
            return Err(format!("{line:?} was in neither side"));
        }
    }
    Ok(())
}

#[test]
fn the_precise_merge_agrees_with_git_and_drops_nothing() {
    let seeds = seeds("MERGEMARK_MERGE", 400);
    let cases = seeds.end - seeds.start;
    let dir = tempfile::tempdir().expect("a directory");
    let (mut merged_cases, mut clean) = (0, 0);
    for seed in seeds {
        let versions = generate(seed);
        let [base, ours, theirs] = &versions;
        let Some(merged) = merge_region(base, ours, theirs, Around::default()) else {
            continue;
        };
        merged_cases += 1;
        let (code, git) = git_merge(dir.path(), &versions);
        let context = || {
            format!(
                "seed {seed}\nbase:\n{base}ours:\n{ours}theirs:\n{theirs}merged:\n{}",
                merged.text
            )
        };
        if code == 0 {
            clean += 1;
            assert_eq!(merged.text, git, "Git merged otherwise: {}", context());
        }
        if let Err(why) = drops_nothing(&versions, &merged.text) {
            panic!("{why}: {}", context());
        }
    }
    eprintln!("{merged_cases} of {cases} merged, {clean} of them by Git too");
    assert!(
        merged_cases > cases / 20,
        "the generator exercises the rules"
    );
}
