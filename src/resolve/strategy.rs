//! The non-interactive strategies: each takes one kind of candidate (or, for `auto`, the first of
//! two that applies) and never judges.

use super::candidate::{Candidate, CandidateKind};

/// How to resolve every conflict block of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Take our side (`git merge-file --ours`).
    Ours,
    /// Take their side (`git merge-file --theirs`).
    Theirs,
    /// Take the base, where the markers carry one (diff3, zdiff3); other blocks stay.
    Base,
    /// Ours then theirs, both whole (`git merge-file --union`, in every conflict style).
    Union,
    /// Only what needs no judgement: both sides equal, one side unchanged from the base, sides
    /// that differ only in trailing whitespace or line endings, and, where a base is known, the
    /// precise merge's rules (see `resolve::merge`), then a merge section by section (only
    /// sections both sides changed stay in conflict). Everything else stays.
    Auto,
}

impl Strategy {
    /// The kinds of candidate it takes, in order of preference.
    #[must_use]
    pub fn kinds(self) -> &'static [CandidateKind] {
        match self {
            Strategy::Ours => &[CandidateKind::Ours],
            Strategy::Theirs => &[CandidateKind::Theirs],
            Strategy::Base => &[CandidateKind::Base],
            Strategy::Union => &[CandidateKind::OursThenTheirs],
            Strategy::Auto => &[
                CandidateKind::Trivial,
                CandidateKind::LineMerge,
                CandidateKind::Sections,
            ],
        }
    }

    /// The candidate it takes from `candidates`: the first of its [`kinds`](Self::kinds) there,
    /// never one that takes a side holding a conflict of its own. `None`: the block stays.
    #[must_use]
    pub fn pick(self, candidates: &[Candidate]) -> Option<&Candidate> {
        self.kinds().iter().find_map(|&kind| {
            candidates
                .iter()
                .find(|c| c.kind == kind && !c.takes_nested)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(kind: CandidateKind, text: &str, takes_nested: bool) -> Candidate {
        Candidate {
            kind,
            text: text.into(),
            conflicts: 0,
            takes_nested,
            rules: Vec::new(),
        }
    }

    #[test]
    fn each_strategy_takes_its_kind() {
        let list = [
            candidate(CandidateKind::Ours, "o", false),
            candidate(CandidateKind::Theirs, "t", false),
            candidate(CandidateKind::OursThenTheirs, "ot", false),
            candidate(CandidateKind::Sections, "s", false),
        ];
        let text = |s: Strategy| s.pick(&list).map(|c| c.text.clone());
        assert_eq!(text(Strategy::Ours), Some(b"o".to_vec()));
        assert_eq!(text(Strategy::Theirs), Some(b"t".to_vec()));
        assert_eq!(text(Strategy::Union), Some(b"ot".to_vec()));
        // No base offered: the block stays.
        assert_eq!(text(Strategy::Base), None);
        // No trivial resolution: the section merge.
        assert_eq!(text(Strategy::Auto), Some(b"s".to_vec()));
    }

    #[test]
    fn auto_prefers_the_trivial_resolution_and_nothing_takes_a_nested_conflict() {
        let list = [
            candidate(CandidateKind::Ours, "o", true),
            candidate(CandidateKind::Sections, "s", false),
            candidate(CandidateKind::Trivial, "a", false),
        ];
        assert_eq!(Strategy::Ours.pick(&list), None);
        assert_eq!(
            Strategy::Auto.pick(&list).map(|c| c.kind),
            Some(CandidateKind::Trivial)
        );
        let nested_trivial = [
            candidate(CandidateKind::Trivial, "a", true),
            candidate(CandidateKind::Sections, "s", false),
        ];
        assert_eq!(
            Strategy::Auto.pick(&nested_trivial).map(|c| c.kind),
            Some(CandidateKind::Sections)
        );
    }
}
