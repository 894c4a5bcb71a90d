//! Paths a configuration leaves out (`exclude`, `extend-exclude`, `--exclude`) and rule levels it
//! sets for some paths only (`[per-file-rules]`), matched as ruff matches its `exclude`: a pattern
//! without a `/` names a file or directory anywhere below the configuration's directory (by its
//! name: `node_modules`, `*.generated.md`), one with a `/` a path from that directory
//! (`docs/legacy/**`, `/CHANGELOG.md`); a directory that matches takes everything in it along.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::diagnostic::RuleLevels;

/// A set of patterns, matched as the module says.
#[derive(Clone, Debug, Default)]
pub struct PathPatterns {
    /// Patterns without a `/`: matched against each name on the path.
    by_name: GlobSet,
    /// Patterns with a `/`: matched against the path and each directory on it.
    by_path: GlobSet,
    /// Whether any pattern was given.
    any: bool,
}

impl PathPatterns {
    /// Compile `patterns`; `key` names them in errors (`exclude[2]`).
    ///
    /// # Errors
    /// When a pattern is not a valid glob: `(index, message)`.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Result<Self, (usize, String)> {
        let (mut by_name, mut by_path) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        let mut any = false;
        for (i, pattern) in patterns.into_iter().enumerate() {
            any = true;
            let trimmed = pattern.trim().trim_end_matches('/');
            let (anchored, text) = match trimmed.strip_prefix('/') {
                Some(rest) => (true, rest),
                None => (
                    trimmed.contains('/'),
                    trimmed.strip_prefix("./").unwrap_or(trimmed),
                ),
            };
            if text.is_empty() {
                return Err((i, format!("`{pattern}` names no path")));
            }
            let glob = glob(text).map_err(|e| (i, e))?;
            if anchored {
                by_path.add(glob);
            } else {
                by_name.add(glob);
            }
        }
        let build = |b: GlobSetBuilder| b.build().map_err(|e| (0, e.to_string()));
        Ok(Self {
            by_name: build(by_name)?,
            by_path: build(by_path)?,
            any,
        })
    }

    /// Whether no pattern was given.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        !self.any
    }

    /// Whether a name on `path` from byte `from` on matches a pattern without a `/` (for a path
    /// that does not lie below the patterns' directory, which only those can name).
    #[must_use]
    pub fn matches_a_name(&self, path: &str, from: usize) -> bool {
        self.any
            && !self.by_name.is_empty()
            && names_from(path, from).any(|n| self.by_name.is_match(n))
    }

    /// Whether `rel` (`/`-separated, relative to the patterns' directory) or a directory on it
    /// matches.
    #[must_use]
    pub fn matches(&self, rel: &str) -> bool {
        self.matches_from(rel, 0)
    }

    /// [`PathPatterns::matches`], judging only the part of `rel` from byte `from` on: the names
    /// there, and the directories on the path that end after it. What comes before was named on
    /// the command line (a directory given is walked whatever it is called), or was judged
    /// already (a walk judges each directory before it goes in).
    #[must_use]
    pub fn matches_from(&self, rel: &str, from: usize) -> bool {
        if !self.any || rel.is_empty() || from >= rel.len() {
            return false;
        }
        self.matches_a_name(rel, from)
            || (!self.by_path.is_empty()
                && (rel
                    .match_indices('/')
                    .any(|(i, _)| i > from && self.by_path.is_match(&rel[..i]))
                    || self.by_path.is_match(rel)))
    }
}

/// The names of `path` that start at or after byte `from`.
fn names_from(path: &str, from: usize) -> impl Iterator<Item = &str> {
    let mut start = 0;
    path.split('/').filter(move |name| {
        let at = start;
        start += name.len() + 1;
        at >= from && !name.is_empty()
    })
}

/// A glob as configurations write them: `*` stays within a name, `**` crosses directories.
fn glob(text: &str) -> Result<Glob, String> {
    GlobBuilder::new(text)
        .literal_separator(true)
        .build()
        .map_err(|e| e.kind().to_string())
}

/// What one configuration says about paths: what it leaves out and the levels it sets for some.
#[derive(Clone, Debug, Default)]
pub struct PathRules {
    /// The configuration's directory, `/`-separated, relative to the names' base ("" for it).
    pub base: String,
    /// `exclude` and `extend-exclude` together.
    pub exclude: PathPatterns,
    /// `[per-file-rules]`: patterns and the levels they set, in the file's order.
    pub per_file: Vec<(PathPatterns, RuleLevels)>,
}

impl PathRules {
    /// `name` relative to the configuration's directory, when it lies below it.
    fn relative<'n>(&self, name: &'n str) -> Option<&'n str> {
        if self.base.is_empty() {
            Some(name)
        } else {
            name.strip_prefix(self.base.as_str())?.strip_prefix('/')
        }
    }

    /// Whether the file or directory `name` (relative to the names' base) is left out, judging
    /// its part from byte `from` on (see [`PathPatterns::matches_from`]).
    #[must_use]
    pub fn excludes(&self, name: &str, from: usize) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let skipped = if self.base.is_empty() {
            0
        } else {
            self.base.len() + 1
        };
        self.relative(name)
            .is_some_and(|r| self.exclude.matches_from(r, from.saturating_sub(skipped)))
    }

    /// `--exclude`'s patterns for names relative to `base`, when the command runs in `cwd` (both
    /// absolute): they are relative to the current directory.
    #[must_use]
    pub fn from_cwd(
        patterns: &PathPatterns,
        base: &std::path::Path,
        cwd: &std::path::Path,
    ) -> CwdRules {
        let slash = |p: &std::path::Path| {
            p.to_str()
                .map(|s| s.replace(std::path::MAIN_SEPARATOR, "/"))
        };
        let place = if let Some(sub) = cwd.strip_prefix(base).ok().and_then(slash) {
            CwdPlace::Below(sub)
        } else if let Some(sub) = base.strip_prefix(cwd).ok().and_then(slash) {
            CwdPlace::Above(sub)
        } else {
            CwdPlace::Elsewhere
        };
        CwdRules {
            patterns: patterns.clone(),
            place,
        }
    }

    /// The per-file levels that apply to `name`, in the file's order (later ones win).
    pub fn levels_for<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s RuleLevels> + 's {
        let rel = self.relative(name);
        self.per_file
            .iter()
            .filter(move |(patterns, _)| rel.is_some_and(|r| patterns.matches(r)))
            .map(|(_, levels)| levels)
    }
}

/// Where the current directory is from the names' base.
#[derive(Clone, Debug)]
enum CwdPlace {
    /// At the base or below it, at this path ("" for the base).
    Below(String),
    /// Above it: the base is this path from the current directory.
    Above(String),
    /// Neither.
    Elsewhere,
}

/// `--exclude`'s patterns, read from the current directory.
#[derive(Clone, Debug)]
pub struct CwdRules {
    patterns: PathPatterns,
    place: CwdPlace,
}

impl CwdRules {
    /// Whether `name` (relative to the names' base) is left out, judging its part from byte
    /// `from` on (see [`PathPatterns::matches_from`]).
    #[must_use]
    pub fn excludes(&self, name: &str, from: usize) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let p = &self.patterns;
        match &self.place {
            CwdPlace::Below(sub) | CwdPlace::Above(sub) if sub.is_empty() => {
                p.matches_from(name, from)
            }
            CwdPlace::Below(sub) => match name
                .strip_prefix(sub.as_str())
                .and_then(|r| r.strip_prefix('/'))
            {
                Some(rel) => p.matches_from(rel, from.saturating_sub(sub.len() + 1)),
                None => p.matches_a_name(name, from),
            },
            CwdPlace::Above(sub) => p.matches_from(&format!("{sub}/{name}"), from + sub.len() + 1),
            CwdPlace::Elsewhere => p.matches_a_name(name, from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(list: &[&str]) -> PathPatterns {
        PathPatterns::new(list.iter().copied()).expect("valid patterns")
    }

    #[test]
    fn a_name_matches_anywhere_and_a_path_from_the_top() {
        let p = patterns(&[
            "node_modules",
            "*.generated.md",
            "docs/legacy/**",
            "/CHANGELOG.md",
        ]);
        for yes in [
            "node_modules",
            "node_modules/a.md",
            "web/node_modules/pkg/README.md",
            "api.generated.md",
            "docs/api.generated.md",
            "docs/legacy/old.md",
            "docs/legacy/deep/er.md",
            "CHANGELOG.md",
        ] {
            assert!(p.matches(yes), "{yes}");
        }
        for no in [
            "node_modules_extra/a.md",
            "generated.md.txt",
            "other/docs/legacy/old.md",
            "docs/legacy.md",
            "sub/CHANGELOG.md",
            "",
        ] {
            assert!(!p.matches(no), "{no}");
        }
    }

    #[test]
    fn only_the_part_after_what_was_named_is_judged() {
        let p = patterns(&["vendor", "docs/legacy"]);
        assert!(p.matches_from("a/vendor/x.md", 0));
        assert!(!p.matches_from("a/vendor/x.md", "a/vendor/".len()));
        assert!(p.matches_from("a/vendor/x.md", "a/".len()));
        assert!(!p.matches_from("docs/legacy/deep/b.md", "docs/legacy/deep/".len()));
        assert!(
            p.matches_from("docs/legacy", "docs/".len()),
            "the directory itself"
        );
        assert!(!p.matches_from("docs/legacy", "docs/legacy".len()));
        assert_eq!(names_from("a/bb/c", 2).collect::<Vec<_>>(), ["bb", "c"]);
        assert_eq!(names_from("a/bb/c", 3).collect::<Vec<_>>(), ["c"]);
    }

    #[test]
    fn a_directory_pattern_takes_its_contents_along() {
        let p = patterns(&["vendor/", "build/out"]);
        assert!(p.matches("vendor/x/y.md"));
        assert!(p.matches("build/out/a.md"));
        assert!(!p.matches("src/build/out/a.md"));
        let star = patterns(&["docs/*"]);
        assert!(star.matches("docs/a.md"));
        assert!(
            star.matches("docs/sub/a.md"),
            "the directory docs/sub matches"
        );
    }

    #[test]
    fn rules_are_relative_to_their_configuration() {
        let rules = PathRules {
            base: "sub".to_owned(),
            exclude: patterns(&["/gen", "*.tmp.md"]),
            per_file: vec![(patterns(&["notes/*.md"]), RuleLevels::default())],
        };
        assert!(rules.excludes("sub/gen/a.md", 0));
        assert!(rules.excludes("sub/x/b.tmp.md", 0));
        assert!(
            !rules.excludes("gen/a.md", 0),
            "outside the configuration's directory"
        );
        assert!(!rules.excludes("subway/gen/a.md", 0));
        // Only the part after what was named is judged.
        assert!(!rules.excludes("sub/gen/a.md", "sub/gen/".len()));
        assert!(rules.excludes("sub/x/gen/b.tmp.md", "sub/x/gen/".len()));
        assert_eq!(rules.levels_for("sub/notes/a.md").count(), 1);
        assert_eq!(rules.levels_for("notes/a.md").count(), 0);
    }

    #[test]
    fn bad_patterns_are_errors_with_their_index() {
        let error = PathPatterns::new(["ok", "bad[", "also"]).expect_err("unclosed class");
        assert_eq!(error.0, 1);
        assert!(PathPatterns::new(["/"]).is_err());
    }
}
