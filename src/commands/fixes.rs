//! What `check --fix` and `check --diff` say: the diffs, how many fixes, and why a file with
//! fixable findings was left as it was.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{finish, say_problems, Error, Exit};
use crate::diagnostic::Rule;
use crate::report::{say, Level, Report};
use crate::text::escape_for_display;

/// `--diff`: every file's fixes as a unified diff on stdout, in path order; exit 1 when there is
/// any (0 with `--exit-zero`), 2 when a file could not be read.
///
/// # Errors
/// When stdout cannot be written.
pub(super) fn emit_diffs(report: &Report, quiet: bool, exit_zero: bool) -> Result<Exit, Error> {
    say_problems(&report.errors, if quiet { &[] } else { &report.skipped });
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = report
        .fixes
        .iter()
        .filter_map(|fix| fix.diff.as_deref())
        .try_for_each(|diff| out.write_all(diff.as_bytes()))
        .and_then(|()| out.flush());
    say_counts(report, quiet, "would fix");
    let any = report.fixes.iter().any(|fix| fix.diff.is_some());
    let exit = if !report.errors.is_empty() {
        Exit::Failed
    } else if any && !exit_zero {
        Exit::Findings
    } else {
        Exit::Clean
    };
    finish(written, exit, "diff")
}

/// One line of counts, "fixed" or "would fix" (none when nothing was), and a note for each
/// file with fixable findings that was left alone.
pub(super) fn say_counts(report: &Report, quiet: bool, verb: &str) {
    for fix in &report.fixes {
        if let Some(reason) = &fix.not_fixed {
            say(
                Level::Note,
                &format!(
                    "{}: fixable findings not fixed: {reason}",
                    escape_for_display(fix.path.as_bytes())
                ),
            );
        }
    }
    let mut by_rule: BTreeMap<Rule, usize> = BTreeMap::new();
    let mut files = 0;
    for fix in report.fixes.iter().filter(|fix| !fix.applied.is_empty()) {
        files += 1;
        for rule in &fix.applied {
            *by_rule.entry(*rule).or_default() += 1;
        }
    }
    let total: usize = by_rule.values().sum();
    if quiet || total == 0 {
        return;
    }
    let rules: Vec<String> = by_rule
        .iter()
        .map(|(rule, n)| format!("{rule}: {n}"))
        .collect();
    let detail = if rules.is_empty() {
        String::new()
    } else {
        format!(" ({})", rules.join(", "))
    };
    say(
        Level::Info,
        &format!(
            "{verb} {total} finding{} in {files} file{}{detail}",
            plural(total),
            plural(files)
        ),
    );
}

const fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
