//! `mergemark.toml` / `.mergemark.toml`: custom schemas, whether the built-in one applies, and
//! per-rule levels (`[rules] conflict-marker-in-code = "error"`).
//!
//! Found by walking up from each checked path to the repository root (`--config` names one file,
//! `--no-config` disables the search). Configuration is data only: nothing in it is run.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use std::collections::BTreeMap;

use crate::diagnostic::{Level, Rule, RuleLevels};
use crate::path_rules::{PathPatterns, PathRules};
use crate::schema::{Schema, SchemaSet, SchemaSpec};

/// What one configuration file sets.
#[derive(Debug, Default)]
pub struct Settings {
    /// The schemas documents are checked against.
    pub schemas: SchemaSet,
    /// Rule levels that replace the defaults.
    pub levels: RuleLevels,
    /// Paths left out, and levels for some paths only.
    pub paths: PathRules,
}

impl Settings {
    /// The levels for the file `name` (relative to the names' base): `[rules]`, then each
    /// `[per-file-rules]` pattern that matches it, in the file's order.
    #[must_use]
    pub fn levels_for(&self, name: &str) -> std::borrow::Cow<'_, RuleLevels> {
        let mut extra = self.paths.levels_for(name).peekable();
        if extra.peek().is_none() {
            return std::borrow::Cow::Borrowed(&self.levels);
        }
        let mut merged = self.levels.clone();
        extra.for_each(|levels| merged.extend(levels));
        std::borrow::Cow::Owned(merged)
    }

    /// No configuration file: the built-in schema, default levels.
    #[must_use]
    pub fn builtin() -> Self {
        Self {
            schemas: SchemaSet::new(Vec::new(), true),
            levels: RuleLevels::default(),
            paths: PathRules::default(),
        }
    }
}

/// File names looked for in each directory, in this order.
pub const FILE_NAMES: &[&str] = &["mergemark.toml", ".mergemark.toml"];

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    /// Whether the built-in postmortem schema applies (default: yes).
    #[serde(default = "yes")]
    postmortem: bool,
    /// Custom schemas, tried before the built-in one.
    #[serde(default)]
    schema: Vec<SchemaSpec>,
    /// Rule name to level: `error`, `warning` or `off`.
    #[serde(default)]
    rules: BTreeMap<String, Level>,
    /// Files and directories left out (see [`crate::path_rules`]).
    #[serde(default)]
    exclude: Vec<String>,
    /// More of them (ruff's name for adding to a shared `exclude`).
    #[serde(default)]
    extend_exclude: Vec<String>,
    /// Pattern to rule levels for the paths it matches, in the file's order.
    #[serde(default, deserialize_with = "in_order")]
    per_file_rules: Vec<PerFile>,
}

/// One `[per-file-rules]` entry: a path pattern and the rule levels it sets.
type PerFile = (String, BTreeMap<String, Level>);

/// A table's entries in the order the file writes them (later patterns win).
fn in_order<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<PerFile>, D::Error> {
    struct Entries;
    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = Vec<PerFile>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a table of path patterns to tables of rule levels")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = map.next_entry()? {
                entries.push(entry);
            }
            Ok(entries)
        }
    }
    deserializer.deserialize_map(Entries)
}

const fn yes() -> bool {
    true
}

/// A configuration problem: the file, the line (when known) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The configuration file.
    pub path: PathBuf,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// What is wrong, naming the key.
    pub message: String,
}

/// The nearest configuration file for `start` (a directory, or a file's directory), looking in it
/// and its parents up to `stop` (the repository root) inclusive; without `stop`, only in `start`.
#[must_use]
pub fn discover(start: &Path, stop: Option<&Path>) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(current) = dir {
        if let Some(found) = in_dir(current) {
            return Some(found);
        }
        match stop {
            Some(stop) if current != stop && current.starts_with(stop) => dir = current.parent(),
            _ => break,
        }
    }
    None
}

/// The configuration file in `dir` itself, if any.
#[must_use]
pub fn in_dir(dir: &Path) -> Option<PathBuf> {
    in_dir_by(dir, |name| dir.join(name).is_file())
}

/// [`in_dir`], asking `is_file` whether each name is a file in `dir` (a walk asks its open
/// directory).
pub fn in_dir_by(dir: &Path, mut is_file: impl FnMut(&str) -> bool) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .find(|name| is_file(name))
        .map(|name| dir.join(name))
}

/// Load a configuration file into the schemas and levels it defines.
///
/// # Errors
/// When the file cannot be read, is not valid TOML, has unknown keys, or defines an invalid
/// pattern, glob or heading list.
pub fn load(path: &Path) -> Result<Settings, Vec<ConfigError>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![ConfigError {
            path: path.to_path_buf(),
            line: None,
            message: format!("cannot read the configuration: {e}"),
        }]
    })?;
    parse(&text, path)
}

/// Parse configuration text (`path` names it in errors): every problem of the file, not only
/// the first (a user fixes them in one go).
///
/// # Errors
/// As [`load`].
pub fn parse(text: &str, path: &Path) -> Result<Settings, Vec<ConfigError>> {
    let error = |line: Option<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut errors = Vec::new();
    let Some(file) = read_file(text, path, &mut errors) else {
        // Never an unreadable file without a word: the built-in settings would stand in quietly.
        if errors.is_empty() {
            errors.push(error(None, "cannot be read as a configuration".to_owned()));
        }
        return Err(errors);
    };
    let mut schemas = Vec::with_capacity(file.schema.len());
    for (i, spec) in file.schema.into_iter().enumerate() {
        match Schema::compile(spec, &format!("schema[{i}].")) {
            Ok(schema) => schemas.push(schema),
            Err(e) => errors.push(error(
                locate(text, &e.key),
                format!("`{}`: {}", e.key, e.message),
            )),
        }
    }
    let levels = rule_levels(text, path, "rules", file.rules, &mut errors);
    for (key, list) in [
        ("exclude", &file.exclude),
        ("extend-exclude", &file.extend_exclude),
    ] {
        for (n, pattern) in list.iter().enumerate() {
            if let Err((_, message)) = PathPatterns::new([pattern.as_str()]) {
                errors.push(error(
                    key_line(text, key),
                    format!("`{key}[{n}]`: {message}"),
                ));
            }
        }
    }
    let exclude = PathPatterns::new(
        file.exclude
            .iter()
            .chain(&file.extend_exclude)
            .map(String::as_str),
    )
    .unwrap_or_default();
    let mut per_file = Vec::with_capacity(file.per_file_rules.len());
    for (pattern, rules) in file.per_file_rules {
        let key = format!("per-file-rules.\"{pattern}\"");
        let levels = rule_levels(text, path, &key, rules, &mut errors);
        match PathPatterns::new([pattern.as_str()]) {
            Ok(patterns) => per_file.push((patterns, levels)),
            Err((_, message)) => errors.push(error(
                key_line(text, &format!("\"{pattern}\"")),
                format!("`{key}`: {message}"),
            )),
        }
    }
    if !errors.is_empty() {
        // In the file's order, as a reader fixes them.
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    Ok(Settings {
        schemas: SchemaSet::new(schemas, file.postmortem),
        levels,
        paths: PathRules {
            base: String::new(),
            exclude,
            per_file,
        },
    })
}

/// The file as written, every problem reported: the line of each (when it sets a key) is set
/// aside (commented out, so that lines keep their numbers) and the text read again, a few dozen
/// times at most. `None` when it cannot be read even so.
fn read_file(text: &str, path: &Path, errors: &mut Vec<ConfigError>) -> Option<ConfigFile> {
    let mut current = text.to_owned();
    let mut set_aside: Vec<usize> = Vec::new();
    for _ in 0..32 {
        let e = match toml::from_str::<ConfigFile>(&current) {
            // Read with the problem lines set aside, the rest is still checked.
            Ok(file) => return Some(file),
            Err(e) => e,
        };
        let line = e.span().map(|s| line_of(&current, s.start));
        let message = e.message().trim().to_owned();
        let sets_a_key = line
            .and_then(|l| current.lines().nth(l - 1))
            .is_some_and(|l| !l.trim_start().starts_with('[') && l.contains('='));
        // After a line was set aside, an error on a line that sets nothing (the rest of a value
        // written over several lines) is an echo of it, not a problem of the file.
        let echo = !set_aside.is_empty()
            && line
                .and_then(|l| current.lines().nth(l - 1))
                .is_some_and(|l| {
                    let l = l.trim_start();
                    !l.starts_with('[') && !l.contains('=')
                });
        if !echo {
            errors.push(ConfigError {
                path: path.to_path_buf(),
                line,
                message: with_suggestion(message),
            });
        }
        match line {
            Some(l) if sets_a_key && !set_aside.contains(&l) => {
                set_aside.push(l);
                current = current
                    .split_inclusive('\n')
                    .enumerate()
                    .map(|(i, text)| {
                        if i + 1 == l {
                            format!("#{text}")
                        } else {
                            text.to_owned()
                        }
                    })
                    .collect();
            }
            _ => return None,
        }
    }
    None
}

/// serde's "unknown field `x`, expected one of `a`, `b`" (or variant) with the nearest of them
/// suggested.
fn with_suggestion(message: String) -> String {
    let Some(rest) = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))
    else {
        return message;
    };
    let Some((field, expected)) = rest.split_once('`') else {
        return message;
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let hint = crate::selection::suggestion(field, candidates.iter().copied());
    format!("{message}{hint}")
}

/// Rule names to levels, each name checked (`table` names the table in errors).
fn rule_levels(
    text: &str,
    path: &Path,
    table: &str,
    rules: BTreeMap<String, Level>,
    errors: &mut Vec<ConfigError>,
) -> RuleLevels {
    let mut levels = RuleLevels::default();
    for (name, level) in rules {
        match Rule::from_name(&name) {
            Some(rule) => levels.set(rule, level),
            None => errors.push(ConfigError {
                path: path.to_path_buf(),
                line: key_line(text, &name),
                message: format!(
                    "`{table}.{name}`: no rule by that name{} (`mergemark rules` lists them)",
                    crate::selection::suggestion(&name, Rule::ALL.iter().map(|r| r.name()))
                ),
            }),
        }
    }
    levels
}

/// The 1-based line that sets `key` (`key = ...` or `"key" = ...`), if one does; else the
/// first line that sets it in an inline table (`"docs/**" = { key = "off" }`).
fn key_line(text: &str, key: &str) -> Option<usize> {
    let key = key.trim_matches('"');
    let sets = |rest: &str| rest.trim_start_matches('"').trim_start().starts_with('=');
    // Comment lines set nothing; an inline table is a line that starts with a quoted key.
    let lines = || {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim_start().starts_with('#'))
    };
    lines()
        .find(|(_, l)| {
            let l = l.trim_start().trim_start_matches('"');
            l.strip_prefix(key).is_some_and(sets)
        })
        .or_else(|| {
            lines().find(|(_, l)| {
                l.trim_start().starts_with('"')
                    && l.match_indices(key).any(|(i, _)| {
                        let before = l[..i].trim_end();
                        (before.ends_with('{') || before.ends_with(','))
                            && sets(&l[i + key.len()..])
                    })
            })
        })
        .map(|(i, _)| i + 1)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line of the last key of a dotted path like `schema[0].section[1].pattern`: the n-th
/// `[[schema]]` table, its m-th `[[schema.section]]`, then the key.
fn locate(text: &str, key: &str) -> Option<usize> {
    let parts: Vec<&str> = key.split('.').collect();
    let index = |part: &str| -> Option<(String, usize)> {
        let (name, rest) = part.split_once('[')?;
        Some((name.to_owned(), rest.trim_end_matches(']').parse().ok()?))
    };
    let mut from = 0usize;
    let mut table = String::new();
    for (depth, part) in parts[..parts.len().saturating_sub(1)].iter().enumerate() {
        let (name, n) = index(part)?;
        table = if table.is_empty() {
            name
        } else {
            format!("{table}.{name}")
        };
        let header = format!("[[{table}]]");
        let mut seen = 0;
        let mut found = None;
        for (i, line) in text
            .lines()
            .enumerate()
            .skip(if depth == 0 { 0 } else { from + 1 })
        {
            if line.trim() == header {
                if seen == n {
                    found = Some(i);
                    break;
                }
                seen += 1;
            } else if table.contains('.')
                && line.trim() == format!("[[{}]]", table.split('.').next().unwrap_or(""))
            {
                break; // the enclosing table ended
            }
        }
        from = found?;
    }
    let last = parts.last()?;
    let name = last.split('[').next()?;
    text.lines()
        .enumerate()
        .skip(from)
        .find(|(_, line)| line.trim_start().starts_with(name) && line.contains('='))
        .map_or(Some(from + 1), |(i, _)| Some(i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
postmortem = false

[[schema]]
name = "runbook"
files = ["runbooks/*.md"]

[[schema.section]]
title = "Purpose"

[[schema.section]]
title = "Steps"
min-list-items = 2
"#;

    #[test]
    fn parses_custom_schemas() {
        let set = parse(GOOD, Path::new("mergemark.toml"))
            .expect("valid")
            .schemas;
        assert!(set.by_path("runbooks/restart.md").is_some());
        assert!(set.by_path("docs/other.md").is_none());
    }

    #[test]
    fn rule_levels_are_validated() {
        let text =
            format!("{GOOD}\n[rules]\nconflict-marker-in-code = \"error\"\nmojibake = \"off\"\n");
        let settings = parse(&text, Path::new("m.toml")).expect("valid");
        let mut findings = vec![
            crate::diagnostic::Finding::new(
                Rule::ConflictMarkerInCode,
                crate::span::Span::new(0, 1),
                String::new(),
            ),
            crate::diagnostic::Finding::new(
                Rule::Mojibake,
                crate::span::Span::new(0, 1),
                String::new(),
            ),
        ];
        settings.levels.apply(&mut findings);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, crate::diagnostic::Severity::Error);
        let bad = format!("{GOOD}\n[rules]\nconflict-markers = \"error\"\n");
        let error = parse(&bad, Path::new("m.toml")).expect_err("unknown rule")[0].clone();
        assert_eq!(error.line, Some(16));
        assert!(
            error.message.contains("`rules.conflict-markers`"),
            "{}",
            error.message
        );
        let bad = format!("{GOOD}\n[rules]\nmojibake = \"loud\"\n");
        let error = parse(&bad, Path::new("m.toml")).expect_err("unknown level")[0].clone();
        assert!(
            error.message.contains("unknown variant `loud`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn unknown_keys_name_file_line_and_key() {
        let text = GOOD.replace("min-list-items = 2", "min-items = 2");
        let error = parse(&text, Path::new("mergemark.toml")).expect_err("unknown key")[0].clone();
        assert_eq!(error.line, Some(13));
        assert!(
            error.message.contains("unknown field `min-items`"),
            "{}",
            error.message
        );
        assert!(
            error.to_string().starts_with("mergemark.toml:13: "),
            "{error}"
        );
    }

    #[test]
    fn every_problem_of_a_file_is_reported_at_once_with_suggestions() {
        let text = "postmortm = true\n[rules]\nmojibake = \"loud\"\n[[schema]]\nname = \"r\"\nfile = [\"a/*.md\"]\nfiles = [\n  \"b/*.md\",\n]\n";
        let errors = parse(text, Path::new("m.toml")).expect_err("three problems");
        let found: Vec<(Option<usize>, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.split(',').next().unwrap_or("")))
            .collect();
        assert_eq!(
            found,
            [
                (Some(1), "unknown field `postmortm`"),
                (Some(3), "unknown variant `loud`"),
                (Some(6), "unknown field `file`"),
            ]
        );
        assert!(
            errors[0].message.ends_with("did you mean `postmortem`?"),
            "{}",
            errors[0].message
        );
        assert!(
            errors[2].message.ends_with("did you mean `files`?"),
            "{}",
            errors[2].message
        );
        // After deserialising, every rule name and pattern is checked, not only the first.
        let text = "exclude = [\"ok\", \"bad[\"]\n[rules]\nmojibak = \"off\"\nconflict-markers = \"off\"\n";
        let errors = parse(text, Path::new("m.toml")).expect_err("three problems");
        let lines: Vec<Option<usize>> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [Some(1), Some(3), Some(4)], "{errors:?}");
    }

    #[test]
    fn bad_regex_and_glob_name_their_key_and_line() {
        let text = GOOD.replace(
            "title = \"Steps\"",
            "title = \"Steps\"\npattern = \"(unclosed\"",
        );
        let error = parse(&text, Path::new("m.toml")).expect_err("bad regex")[0].clone();
        assert!(
            error.message.starts_with("`schema[0].section[1].pattern`"),
            "{}",
            error.message
        );
        assert_eq!(error.line, Some(13));
        let text = GOOD.replace("runbooks/*.md", "runbooks/[.md");
        let error = parse(&text, Path::new("m.toml")).expect_err("bad glob")[0].clone();
        assert!(
            error.message.starts_with("`schema[0].files[0]`"),
            "{}",
            error.message
        );
        assert_eq!(error.line, Some(6));
    }
}
