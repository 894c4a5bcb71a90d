//! The index read as Git reads it, for every scope's unmerged paths and attribute files, and the
//! staged scope's hot path: what the next commit changes, at the cost of the change rather than of
//! the repository.
//!
//! libgit2 verifies the index checksum on every read and diffs the index against HEAD by
//! inflating every tree. Git does neither: it skips the checksum and uses the index's cache-tree
//! (`TREE` extension), whose valid directories carry the id of the tree they would write; a
//! directory whose id is HEAD's is unchanged, entries and all. This does the same with
//! `gix-index` (which also reads split and sparse indexes), asking git2 only for the HEAD trees of
//! directories that changed. A sparse index (whose directory entries hide files) is left to
//! libgit2's road, which expands it.

use std::collections::HashMap;
use std::ops::Range;

use git2::{ObjectType, Oid, Repository};
use gix_index::extension::Tree as CacheTree;

use super::scope::{is_file_mode, Content, Listed, Unmerged};
use crate::report::Origin;

/// The index as Git reads it for a commit: no checksum verification.
///
/// # Errors
/// When the index file cannot be read or decoded; the message names the file.
pub fn read_index(repo: &Repository) -> Result<gix_index::File, String> {
    let path = super::repo::index_file(repo);
    gix_index::File::at(
        &path,
        gix_index::hash::Kind::Sha1,
        true,
        gix_index::decode::Options::default(),
    )
    .map_err(|e| format!("cannot read the index {}: {e}", path.display()))
}

/// The stage-0 files of `index` that differ from HEAD's tree (`head`; every file when there is no
/// HEAD), the ones Git would list with `git diff --cached`, deletions aside.
///
/// # Errors
/// When a tree HEAD names cannot be read.
pub fn changes(
    repo: &Repository,
    index: &gix_index::File,
    head: Option<&git2::Tree<'_>>,
) -> Result<Vec<Listed>, String> {
    let mut walk = Walk {
        repo,
        index,
        listed: Vec::new(),
    };
    let root = index.tree();
    let unchanged = root.is_some_and(|c| {
        c.num_entries.is_some() && head.is_some_and(|h| h.id().as_bytes() == c.id.as_bytes())
    });
    if !unchanged {
        walk.directory(b"", 0..index.entries().len(), root, head)?;
    }
    Ok(walk.listed)
}

struct Walk<'a> {
    repo: &'a Repository,
    index: &'a gix_index::File,
    listed: Vec<Listed>,
}

impl<'a> Walk<'a> {
    fn path(&self, at: usize) -> &[u8] {
        self.index.entries()[at].path(self.index)
    }

    /// Compare the entries in `range` (all under `prefix`, `""` or ending in `/`) with `head`,
    /// the tree HEAD has there (if any), skipping each subdirectory the cache-tree says is
    /// unchanged.
    fn directory(
        &mut self,
        prefix: &[u8],
        range: Range<usize>,
        cache: Option<&CacheTree>,
        head: Option<&git2::Tree<'_>>,
    ) -> Result<(), String> {
        let mut at = range.start;
        while at < range.end {
            let path = self.path(at).to_owned();
            let rest = &path[prefix.len()..];
            match memchr::memchr(b'/', rest) {
                Some(slash) => {
                    let name = &rest[..slash];
                    let below = &path[..prefix.len() + slash + 1];
                    let end = at
                        + self.index.entries()[at..range.end]
                            .partition_point(|e| e.path(self.index).starts_with(below));
                    let cache = cache.and_then(|c| c.children.iter().find(|t| *t.name == *name));
                    let head_id = tree_id(head, name);
                    let unchanged = cache.is_some_and(|c| {
                        c.num_entries.is_some()
                            && head_id.is_some_and(|h| h.as_bytes() == c.id.as_bytes())
                    });
                    if !unchanged {
                        let head = self.subtree(head_id)?;
                        self.directory(below, at..end, cache, head.as_ref())?;
                    }
                    at = end;
                }
                None => {
                    self.entry(at, &path, rest, head)?;
                    at += 1;
                }
            }
        }
        Ok(())
    }

    /// HEAD's tree `id`, read only when the walk goes into it.
    fn subtree(&self, id: Option<Oid>) -> Result<Option<git2::Tree<'a>>, String> {
        let repo: &'a Repository = self.repo;
        id.map(|id| repo.find_tree(id))
            .transpose()
            .map_err(|e| e.message().to_owned())
    }

    /// One entry directly in the directory `head` is HEAD's tree of: listed when it is a
    /// stage-0 file whose blob or mode differs.
    fn entry(
        &mut self,
        at: usize,
        path: &[u8],
        name: &[u8],
        head: Option<&git2::Tree<'_>>,
    ) -> Result<(), String> {
        let entry = &self.index.entries()[at];
        if entry.stage_raw() != 0 {
            return Ok(());
        }
        let id = oid(&entry.id)?;
        let mode = entry.mode.bits();
        let same = head
            .and_then(|h| h.get_name_bytes(name))
            .is_some_and(|h| h.id() == id && u32::try_from(h.filemode()).ok() == Some(mode));
        if !same && is_file_mode(mode) {
            self.listed.push(listed(path.to_vec(), id));
        }
        Ok(())
    }
}

/// The id of the tree named `name` in `head`, if it holds one.
fn tree_id(head: Option<&git2::Tree<'_>>, name: &[u8]) -> Option<Oid> {
    head.and_then(|h| h.get_name_bytes(name))
        .filter(|e| e.kind() == Some(ObjectType::Tree))
        .map(|e| e.id())
}

fn listed(raw: Vec<u8>, id: Oid) -> Listed {
    Listed {
        path: String::from_utf8_lossy(&raw).into_owned(),
        raw,
        content: Content::Blob(id),
        origin: Origin::Own,
        commit: None,
    }
}

fn oid(id: &gix_index::hash::ObjectId) -> Result<Oid, String> {
    Oid::from_bytes(id.as_bytes()).map_err(|e| e.message().to_owned())
}

/// Every stage-0 file of `index` (the staged scope with `--all`, or before the first commit).
///
/// # Errors
/// When an entry's id is not a SHA-1.
pub fn all_files(index: &gix_index::File) -> Result<Vec<Listed>, String> {
    let mut files = Vec::new();
    for entry in index.entries() {
        if entry.stage_raw() == 0 && is_file_mode(entry.mode.bits()) {
            files.push(listed(entry.path(index).to_vec(), oid(&entry.id)?));
        }
    }
    Ok(files)
}

/// The unmerged paths of `index`, with their stages, sorted by path.
#[must_use]
pub fn unmerged(index: &gix_index::File) -> Vec<Unmerged> {
    let mut by_path: HashMap<&[u8], Unmerged> = HashMap::new();
    for entry in index.entries().iter().filter(|e| e.stage_raw() != 0) {
        let path = entry.path(index);
        let Ok(id) = oid(&entry.id) else { continue };
        let slot = by_path.entry(path).or_insert_with(|| Unmerged {
            path: String::from_utf8_lossy(path).into_owned(),
            raw: path.to_vec(),
            base: None,
            ours: None,
            theirs: None,
        });
        match entry.stage_raw() {
            1 => slot.base = Some(id),
            2 => slot.ours = Some(id),
            _ => slot.theirs = Some(id),
        }
    }
    let mut list: Vec<Unmerged> = by_path.into_values().collect();
    list.sort_by(|a, b| a.path.cmp(&b.path));
    list
}

/// The unmerged paths of `index` as Git stores them (bytes, whatever their encoding), each with
/// how `git status` describes its conflict.
#[must_use]
pub fn unmerged_paths(index: &gix_index::File) -> HashMap<Vec<u8>, &'static str> {
    unmerged(index)
        .into_iter()
        .map(|u| {
            let how = u.describe();
            (u.raw, how)
        })
        .collect()
}

/// The tracked `.gitattributes` files of `index` (entries of any stage): their paths and blobs.
#[must_use]
pub fn attribute_files(index: &gix_index::File) -> Vec<(Vec<u8>, Oid)> {
    index
        .entries()
        .iter()
        .filter(|e| e.path(index).ends_with(b".gitattributes"))
        .filter_map(|e| Some((e.path(index).to_vec(), oid(&e.id).ok()?)))
        .collect()
}
