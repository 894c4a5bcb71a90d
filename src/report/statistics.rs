//! `check --statistics`: how many findings each rule has, most first (ruff's `--statistics`).
//! A table for people; with `--format json`, `[{"rule","severity","count","files"}]`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::Report;
use crate::diagnostic::{Rule, Severity};

/// One line of the table.
#[derive(Debug, PartialEq, Eq, Serialize)]
struct RuleCount {
    rule: Rule,
    severity: Severity,
    /// Findings of the rule at that severity.
    count: usize,
    /// Files with at least one of them.
    files: usize,
}

/// Count the report's findings by rule and severity, most first, then in rule order.
fn counts(report: &Report) -> Vec<RuleCount> {
    let mut by_rule: BTreeMap<(Rule, Severity), (usize, usize)> = BTreeMap::new();
    for file in &report.files {
        let mut seen: Vec<(Rule, Severity)> = Vec::new();
        for listed in &file.findings {
            let key = (listed.finding.rule, listed.finding.severity);
            let entry = by_rule.entry(key).or_default();
            entry.0 += listed.finding.counts;
            if !seen.contains(&key) {
                seen.push(key);
                entry.1 += 1;
            }
        }
    }
    let mut counts: Vec<RuleCount> = by_rule
        .into_iter()
        .map(|((rule, severity), (count, files))| RuleCount {
            rule,
            severity,
            count,
            files,
        })
        .collect();
    counts.sort_by_key(|c| std::cmp::Reverse(c.count));
    counts
}

/// Write the counts: a table, or JSON.
///
/// # Errors
/// When writing fails.
pub fn emit(report: &Report, out: &mut dyn Write, json: bool) -> io::Result<()> {
    let counts = counts(report);
    if json {
        serde_json::to_writer_pretty(&mut *out, &counts)?;
        return writeln!(out);
    }
    let width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    let name_width = counts
        .iter()
        .map(|c| c.rule.name().len())
        .max()
        .unwrap_or(0);
    for c in &counts {
        writeln!(
            out,
            "{:>width$}  {:<name_width$}  {:<7}  in {} file{}",
            c.count,
            c.rule.name(),
            c.severity.to_string(),
            c.files,
            if c.files == 1 { "" } else { "s" },
        )?;
    }
    Ok(())
}
