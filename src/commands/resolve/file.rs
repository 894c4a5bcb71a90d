//! One file being resolved, as read: what it knows of its conflicts and its repository.

#[allow(clippy::wildcard_imports)]
use super::*;

/// One file being resolved, as read.
pub(super) struct File<'a> {
    pub(super) path: &'a Path,
    pub(super) repo: Option<&'a FileRepo>,
    /// The path as given, escaped: what messages call it.
    pub(super) name: &'a str,
    pub(super) original: &'a [u8],
    pub(super) parsed: &'a crate::conflict::ConflictedText,
    pub(super) context: FileContext<'a>,
    /// The file as `check` sees it: its repository-relative name (schema globs match it) and
    /// the settings in force.
    pub(super) subject: &'a Subject<'a>,
    /// `--verbose`: say what settled each region.
    pub(super) verbose: bool,
}

impl File<'_> {
    /// Bases Git knows for the blocks whose markers carry none.
    pub(super) fn known_bases(&self) -> Vec<ThreeWay> {
        known_bases(self.original, self.parsed, &|ours, theirs| {
            self.subject.facts.reference(ours, theirs)
        })
    }

    /// The conflicts `check` reports in `bytes` in markers of another size than the file's own
    /// (Git wrote them under other attributes): said, left as they are, and counted.
    pub(super) fn left_at_other_sizes(&self, bytes: &[u8]) -> usize {
        let context = FileContext {
            other_sizes: self.subject.facts.other_sizes(),
            ..self.context
        };
        let parsed = parse(
            bytes,
            &ParseOptions {
                marker_size: context.marker_size,
            },
        );
        let found = crate::lint::other_size_conflicts(bytes, &parsed, &context);
        let mut sizes: Vec<usize> = found.iter().map(|(size, _)| *size).collect();
        sizes.dedup();
        for size in sizes {
            let count = found.iter().filter(|(s, _)| *s == size).count();
            say(
                Level::Info,
                &format!(
                    "{}: {count} conflict{} in {size}-character markers left as {}: this path's \
                     conflict-marker-size is {} (Git wrote them under other attributes); resolve \
                     them with --marker-size {size}",
                    self.name,
                    if count == 1 { "" } else { "s" },
                    if count == 1 { "it is" } else { "they are" },
                    context.marker_size
                ),
            );
        }
        found.len()
    }

    /// What ours and theirs mean when Git's labels or state say it is not a plain merge: in a
    /// rebase ours is the branch being rebased onto, in `git stash pop` theirs is the stash.
    pub(super) fn explain_sides(&self) {
        let first = self.parsed.blocks().next();
        let label = |span: Option<crate::span::Span>| {
            span.map(|s| String::from_utf8_lossy(s.slice(self.original)).into_owned())
        };
        let (ours, theirs) =
            first.map_or((None, None), |b| (label(b.start.label), label(b.end.label)));
        let rebasing = self.repo.is_some_and(|r| {
            let git = r.repo.path();
            git.join("rebase-merge").exists() || git.join("rebase-apply").exists()
        });
        let note = if ours.as_deref() == Some("Updated upstream")
            || theirs.as_deref() == Some("Stashed changes")
        {
            "ours is the branch as it is now (`Updated upstream`), theirs your stashed changes"
        } else if rebasing {
            "a rebase is in progress: ours is the branch being rebased onto, theirs your commit \
             being replayed"
        } else {
            return;
        };
        say(Level::Note, &format!("{}: {note}", self.name));
    }

    /// How `check` reads the file's blocks and lone markers.
    pub(super) fn roles(&self) -> crate::lint::Classification {
        classify(self.original, self.parsed, &self.context)
    }

    /// Say, for each lone marker `check` reports (a start never closed, an end or base with no
    /// block), that it is left as it is: no strategy or key resolves one, a person does.
    pub(super) fn report_lone_markers(&self, roles: &crate::lint::Classification) {
        for (line, why) in crate::lint::reported_lone_markers(self.original, self.parsed, roles) {
            say(
                Level::Info,
                &format!(
                    "{}: line {line}: {why}; left as it is (resolve it by hand)",
                    self.name
                ),
            );
        }
    }

    /// The settings in force for the file.
    pub(super) fn settings(&self) -> Arc<InForce> {
        self.subject.facts.settings()
    }
}
