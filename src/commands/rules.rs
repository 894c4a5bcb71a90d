//! `mergemark rules` and `mergemark explain RULE`: the rule registry, as text.

use super::{print, Error, Exit};
use crate::diagnostic::Rule;
use crate::text::escape_for_display;

/// `mergemark rules`: name, default severity, summary.
///
/// # Errors
/// When the output cannot be written.
pub fn list() -> Result<Exit, Error> {
    let width = Rule::ALL.iter().map(|r| r.name().len()).max().unwrap_or(0);
    // The summaries wrap at the terminal's width, under their column.
    let indent = " ".repeat(width + 2 + 7 + 2);
    // Too narrow to leave the summaries room (20 columns): they run on instead.
    let columns = crate::terminal::width();
    let columns = if columns < indent.len() + 20 {
        usize::MAX
    } else {
        columns
    };
    let options = textwrap::Options::new(columns).subsequent_indent(&indent);
    let table: String = Rule::ALL
        .iter()
        .map(|rule| {
            let row = format!(
                "{:width$}  {:7}  {}",
                rule.name(),
                rule.default_severity().to_string(),
                crate::rule_docs::doc(*rule).summary
            );
            textwrap::fill(&row, &options) + "\n"
        })
        .collect();
    print(&table)
}

/// `mergemark explain RULE`.
///
/// # Errors
/// When no rule has that name, or the output cannot be written.
pub fn explain(name: &str) -> Result<Exit, Error> {
    let rule = Rule::from_name(name).ok_or_else(|| {
        Error::Usage(format!(
            "no rule named `{}`{} (`mergemark rules` lists them)",
            escape_for_display(name.as_bytes()),
            crate::selection::suggestion(name, Rule::ALL.iter().map(|r| r.name()))
        ))
    })?;
    let doc = crate::rule_docs::doc(rule);
    let indent = |text: &str| {
        text.lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    };
    let text = format!(
        "{name} (default: {severity})\n\n{summary}\n\n{description}\n\nExample:\n\n{example}\nFix: {fix}\n\nFixable by `mergemark check --fix`: {fixable}\n\n\
         Change its level in mergemark.toml:\n\n    [rules]\n    {name} = \"error\"   # or \"warning\", \"off\"\n",
        name = rule.name(),
        severity = rule.default_severity(),
        summary = doc.summary,
        description = doc.description,
        example = indent(doc.example),
        fix = doc.fix,
        fixable = if rule.fixable() { "yes" } else { "no" },
    );
    // Prose wraps at the terminal's width; the example and the configuration keep their lines.
    let width = crate::terminal::width();
    let wrapped: String = text
        .lines()
        .map(|line| {
            if line.starts_with("    ") {
                format!("{line}\n")
            } else {
                textwrap::fill(line, width) + "\n"
            }
        })
        .collect();
    print(&wrapped)
}
