//! Where file bytes come from. For now the working tree (a parallel `ignore` walk) with Git
//! context (the `conflict-marker-size` attribute and the unmerged paths) read through git2.

pub mod evidence;
pub mod git;
pub mod paths;
pub mod repo;
pub mod scope;
pub mod worktree;
