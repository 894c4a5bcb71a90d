//! How each heading title names a schema's sections, remembered by the thread that worked it
//! out: the documents of one tree share most of their headings (a team's template), and naming a
//! title (its key, then every section's pattern, title, aliases and concepts) costs a few
//! thousand instructions.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hasher;
use std::rc::Rc;

use super::title::{Fnv, FnvBuild, TitleKey};
use super::Schema;

/// The most titles a thread remembers for one schema. Past them it starts again, so a tree of
/// titles met once (each document's own first heading) does not crowd out the shared ones.
const REMEMBERED: usize = 4096;

/// The longest title a thread remembers, in bytes: a heading is a few words, and remembering
/// thousands of pasted paragraphs would cost more memory than naming them again costs time.
const LONGEST: usize = 256;

/// The most schemas a thread remembers titles for (a run has a few; a test thread may compile
/// many).
const SCHEMAS: usize = 8;

/// How a title names a section, as [`TitleMatch`] says it but by positions in the section, so
/// it can be remembered apart from the section (see [`Schema::title_naming`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Naming {
    pub(super) score: u8,
    pub(super) specificity: usize,
    pub(super) by: Option<NamedBy>,
}

/// [`MatchedBy`] by positions in the section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NamedBy {
    Pattern,
    Title,
    Alias(usize),
    /// The title's words (`None`) or an alias's, with a few more.
    TitleWords(Option<usize>),
    Concept(usize),
}

impl Naming {
    pub(super) const NONE: Self = Self {
        score: 0,
        specificity: 0,
        by: None,
    };

    /// The section's pattern matched.
    pub(super) const PATTERN: Self = Self {
        score: 4,
        specificity: 0,
        by: Some(NamedBy::Pattern),
    };

    pub(super) fn by(score: u8, by: NamedBy) -> Self {
        Self {
            score,
            specificity: 0,
            by: Some(by),
        }
    }
}

/// What a heading title says to one schema.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct TitleNaming {
    /// The title's key.
    pub(super) key: TitleKey,
    /// How it names each section, in the schema's order, whatever the heading's level.
    pub(super) sections: Vec<Naming>,
}

type Titles = HashMap<Box<str>, Rc<TitleNaming>, FnvBuild>;

/// How many titles met once a thread keeps a trace of (their hashes, one slot each).
const MET_ONCE: usize = 1024;

thread_local! {
    /// The titles met, under the id of the schema they were named for.
    static NAMED: RefCell<Vec<(u64, Titles)>> = RefCell::default();
    /// Hashes of titles met once and not remembered, by their hash: a title is remembered when
    /// it comes again. Most documents' first heading is their own (`Postmortem: CDN outage
    /// #12`): remembering each cost an allocation and an insertion, and crowded out the
    /// headings a tree's documents share.
    static MET: RefCell<Vec<u64>> = RefCell::new(vec![0; MET_ONCE]);
}

/// Whether `title` was met before (by the schema `id`), as far as [`MET`] tells; this time
/// is recorded. A slot shared by two titles only delays remembering one of them.
fn met_before(id: u64, title: &str) -> bool {
    let mut hasher = Fnv::default();
    hasher.write_u64(id);
    hasher.write(title.as_bytes());
    let hash = hasher.finish() | 1;
    MET.with_borrow_mut(|met| {
        let slot = &mut met[(hash % MET_ONCE as u64) as usize];
        std::mem::replace(slot, hash) == hash
    })
}

impl Schema {
    /// How `title` names each of the schema's sections, worked out once per thread.
    pub(super) fn title_naming(&self, title: &str) -> Rc<TitleNaming> {
        if title.len() > LONGEST {
            return Rc::new(self.name_title(title));
        }
        let known = NAMED.with_borrow(|schemas| {
            schemas
                .iter()
                .find(|(id, _)| *id == self.id)
                .and_then(|(_, titles)| titles.get(title).cloned())
        });
        if let Some(known) = known {
            return known;
        }
        let named = Rc::new(self.name_title(title));
        if !met_before(self.id, title) {
            return named;
        }
        NAMED.with_borrow_mut(|schemas| {
            let at = match schemas.iter().position(|(id, _)| *id == self.id) {
                Some(at) => at,
                None => {
                    if schemas.len() == SCHEMAS {
                        schemas.remove(0);
                    }
                    schemas.push((self.id, Titles::default()));
                    schemas.len() - 1
                }
            };
            let titles = &mut schemas[at].1;
            if titles.len() == REMEMBERED {
                titles.clear();
            }
            titles.insert(title.into(), Rc::clone(&named));
        });
        named
    }

    /// [`Self::title_naming`], worked out.
    pub(super) fn name_title(&self, title: &str) -> TitleNaming {
        let key = TitleKey::new(title);
        let sections = self
            .sections()
            .map(|section| section.heading_naming(title, &key))
            .collect();
        TitleNaming { key, sections }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A remembered naming is the title's own: the first time, again, past the most titles a
    /// thread remembers, and for two schemas that name the same title differently (each test
    /// runs on a thread of its own).
    #[test]
    fn a_remembered_naming_is_the_titles_own() {
        let builtin = Schema::postmortem();
        let mut spec = crate::schema::postmortem_spec();
        spec.sections.reverse();
        let reversed = Schema::compile(spec, "").expect("compiles");
        let titles: Vec<String> = (0..REMEMBERED + 50)
            .map(|i| {
                format!(
                    "{} step {i} Causes (draft)",
                    ["Timeline", "Root cause"][i % 2]
                )
            })
            .collect();
        for round in 0..2 {
            for title in titles.iter().chain(titles.iter().rev().take(100)) {
                for schema in [&builtin, &reversed] {
                    let named = schema.title_naming(title);
                    assert_eq!(*named, schema.name_title(title), "{round}: {title}");
                    assert_eq!(named.key, TitleKey::new(title));
                }
            }
        }
        assert_ne!(
            builtin.title_naming("Timeline").sections,
            reversed.title_naming("Timeline").sections
        );
        let long = format!("Timeline {}", "of events ".repeat(LONGEST / 10));
        assert_eq!(*builtin.title_naming(&long), builtin.name_title(&long));
        NAMED.with_borrow(|schemas| {
            assert!(schemas
                .iter()
                .all(|(_, titles)| !titles.contains_key(long.as_str())));
            assert_eq!(schemas.len(), 2);
            assert!(schemas.iter().all(|(_, titles)| titles.len() <= REMEMBERED));
        });
    }
}
