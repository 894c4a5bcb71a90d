//! mergemark: a merge-conflict-aware Markdown linter and resolver.
//!
//! Data flow (a pure core in the middle, I/O at the edges):
//!
//! ```text
//! source (worktree walk, Git attributes, unmerged paths) -> bytes
//!   -> conflict::parse          clean text + blocks + anomalies (bytes in, values out)
//!   -> markdown::{fences, outline}, conflict::side   examples vs real conflicts; one document per side
//!   -> schema::validate, mojibake   section schemas on each side, mapped back to file lines
//!   -> lint::check_file         every finding of a file, suppressions applied
//!   -> report::{human, concise, json}   one emitter per output format
//! resolve: parse -> candidates / strategies (pure) -> prompt -> atomic write (+ git2 staging)
//! ```

pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod conflict;
pub mod diagnostic;
pub mod document;
pub mod lint;
pub mod markdown;
pub mod mojibake;
pub mod report;
pub mod resolve;
pub mod rule_docs;
mod run;
pub mod schema;
pub mod source;
pub mod span;
pub mod suppress;
pub mod text;
pub mod utf16;

pub use run::run;
