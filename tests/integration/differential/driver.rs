//! The merge driver against the real `git merge-file` (Myers' diff, as libgit2's): on generated
//! three-way texts in every style and marker size, `mergemark merge` writes Git's bytes, or a
//! conflict where Git merged (a merge that depends on how the lines are lined up is left to a
//! person), or, where Git conflicts and every conflict is one `resolve --strategy auto` settles,
//! exactly what `auto` makes of Git's diff3 output. Never a clean result Git would not write.

use std::path::Path;
use std::process::Command;

use super::cases::{generate, Style};

fn driver(dir: &Path, style: Style, size: usize) -> (i32, Vec<u8>) {
    std::fs::copy(dir.join("ours"), dir.join("result")).expect("copying ours");
    let style_name = match style {
        Style::Merge => "merge",
        Style::Diff3 => "diff3",
        Style::Zdiff3 => "zdiff3",
    };
    let output = Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env(
            "GIT_CONFIG_PARAMETERS",
            format!("'merge.conflictstyle={style_name}'"),
        )
        .args([
            "merge", "base", "result", "theirs", "-L", "ours", "-L", "base", "-L", "theirs",
        ])
        .arg(format!("--marker-size={size}"))
        .output()
        .expect("running mergemark merge");
    let code = output.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        code,
        std::fs::read(dir.join("result")).expect("reading the result"),
    )
}

fn git(dir: &Path, flags: &[&str], size: usize) -> (i32, Vec<u8>) {
    let output = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(["merge-file", "-p", &format!("--marker-size={size}")])
        .args(flags)
        .args([
            "-L", "ours", "-L", "base", "-L", "theirs", "ours", "base", "theirs",
        ])
        .output()
        .expect("running git merge-file");
    (output.status.code().unwrap_or(-1), output.stdout)
}

fn auto(dir: &Path, diff3: &[u8], size: usize) -> (i32, Vec<u8>) {
    std::fs::write(dir.join("conflicted.txt"), diff3).expect("writing");
    let output = Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(dir)
        .args(["resolve", "--strategy", "auto", "--stdout", "--no-config"])
        .arg(format!("--marker-size={size}"))
        .arg("conflicted.txt")
        .output()
        .expect("running resolve");
    (output.status.code().unwrap_or(-1), output.stdout)
}

fn check(dir: &Path, seed: u64, style: Style) -> Result<(), String> {
    let case = generate(seed, style);
    for (name, bytes) in ["base", "ours", "theirs"].iter().zip(&case.versions) {
        std::fs::write(dir.join(name), bytes).expect("writing a version");
    }
    let size = case.size;
    let (ours_code, ours_out) = driver(dir, style, size);
    let (git_code, git_out) = git(
        dir,
        &case.style.flag().into_iter().collect::<Vec<_>>(),
        size,
    );
    match (git_code, ours_code) {
        (0, 0) if ours_out != git_out => Err("both clean, other bytes".into()),
        (0, _) | (_, 1) if ours_code == 1 && git_code != 0 && ours_out != git_out => {
            Err("both in conflict, other bytes".into())
        }
        (g, 0) if g != 0 => {
            let (_, diff3) = git(dir, &["--diff3"], size);
            let (auto_code, settled) = auto(dir, &diff3, size);
            // The driver knows the three versions (which lacked a final newline, which examples
            // they held); `auto` on Git's conflicted text alone does not: the same result up to
            // the final newline, or a merge that drops nothing.
            let trim = |b: &[u8]| b.strip_suffix(b"\n").unwrap_or(b).to_vec();
            let same = auto_code == 0 && trim(&settled) == trim(&ours_out);
            if !same {
                drops_nothing(&case.versions, &ours_out).map_err(|why| {
                    format!("clean where Git conflicts, auto exit {auto_code}, and {why}")
                })?;
            }
            final_newline_as_merged(&case.versions, &ours_out)
        }
        _ => Ok(()),
    }
    .map_err(|why: String| {
        format!(
            "{why}\n  mergemark: {:?}\n  git:       {:?}",
            String::from_utf8_lossy(&ours_out),
            String::from_utf8_lossy(&git_out)
        )
    })
}

/// The lines of `text` without their terminators, counted.
fn line_counts(text: &[u8]) -> std::collections::HashMap<Vec<u8>, usize> {
    let mut counts = std::collections::HashMap::new();
    for line in text.split_inclusive(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        *counts.entry(line.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// Every line a side added (as often as the side that added it more has it) and every line all
/// three kept is in `merged`, and nothing in it comes from neither side.
fn drops_nothing(versions: &[Vec<u8>; 3], merged: &[u8]) -> Result<(), String> {
    let [b, o, t] = [&versions[0], &versions[1], &versions[2]].map(|v| line_counts(v));
    let m = line_counts(merged);
    let get =
        |c: &std::collections::HashMap<Vec<u8>, usize>, l: &Vec<u8>| c.get(l).copied().unwrap_or(0);
    for line in o.keys().chain(t.keys()) {
        let added = get(&o, line)
            .saturating_sub(get(&b, line))
            .max(get(&t, line).saturating_sub(get(&b, line)));
        let kept = get(&b, line).min(get(&o, line)).min(get(&t, line));
        if get(&m, line) < kept + added {
            return Err(format!("{:?} dropped", String::from_utf8_lossy(line)));
        }
    }
    match m.keys().find(|l| get(&o, l) == 0 && get(&t, l) == 0) {
        Some(line) => Err(format!(
            "{:?} from neither side",
            String::from_utf8_lossy(line)
        )),
        None => Ok(()),
    }
}

/// A clean merge ends with a newline when the side that changed that from the base says so.
fn final_newline_as_merged(versions: &[Vec<u8>; 3], merged: &[u8]) -> Result<(), String> {
    let ends = |v: &[u8]| v.is_empty() || v.ends_with(b"\n");
    let [base, ours, theirs] = [&versions[0], &versions[1], &versions[2]];
    let wanted = if ends(ours) == ends(base) {
        ends(theirs)
    } else {
        ends(ours)
    };
    if merged.is_empty() || ends(merged) == wanted {
        Ok(())
    } else {
        Err(format!(
            "final newline {} where the versions say {wanted}",
            ends(merged)
        ))
    }
}

fn run_style(style: Style) {
    let seeds = super::seeds("MERGEMARK_DIFF", 100);
    let dir = tempfile::tempdir().expect("a directory");
    let mut failures = Vec::new();
    for seed in seeds {
        if let Err(message) = check(dir.path(), seed, style) {
            let case = generate(seed, style);
            failures.push(format!(
                "seed {seed} ({style:?}, marker size {}): {message}\n  base:   {:?}\n  ours:   {:?}\n  theirs: {:?}",
                case.size,
                String::from_utf8_lossy(&case.versions[0]),
                String::from_utf8_lossy(&case.versions[1]),
                String::from_utf8_lossy(&case.versions[2]),
            ));
            if failures.len() >= 3 {
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "the merge driver against git merge-file:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_driver_writes_gits_merge_in_the_merge_style() {
    run_style(Style::Merge);
}

#[test]
fn the_driver_writes_gits_merge_in_the_diff3_style() {
    run_style(Style::Diff3);
}

#[test]
fn the_driver_writes_gits_merge_in_the_zdiff3_style() {
    run_style(Style::Zdiff3);
}
