//! mergemark: a merge-conflict-aware Markdown linter and resolver.
//!
//! Data flow (a pure core in the middle, I/O at the edges):
//!
//! ```text
//! source (worktree walk, Git attributes) -> bytes
//!   -> conflict::parse        clean text + blocks + anomalies (bytes in, values out)
//!   -> markdown::fences       fenced code blocks, to tell examples from real conflicts
//!   -> lint::check_bytes      findings with byte spans, suppressions applied
//!   -> report::{human, concise, json}   one emitter per output format
//! ```

pub mod check;
pub mod cli;
pub mod config;
pub mod conflict;
pub mod diagnostic;
pub mod document;
pub mod lint;
pub mod markdown;
pub mod mojibake;
pub mod report;
pub mod resolve;
mod run;
pub mod schema;
pub mod source;
pub mod span;
pub mod suppress;
pub mod text;

pub use run::run;
