//! mergemark: a merge-conflict-aware Markdown linter and resolver.
//!
//! A pure core (bytes in, values out) inside an imperative shell (files, Git, the terminal). Every
//! command takes the same road for every file:
//!
//! ```text
//! cli            the command line, as clap sees it
//! run            arguments -> commands::* -> Result<Exit, Error>; errors printed once, here
//! commands/      check, diff, resolve, schema, rules, hook: flags -> settings -> output
//!   |
//! source/        where bytes come from, and what is known of them
//!   workspace      settings in force per file (config discovery, errors, glob bases), marker
//!                  size override, walk options: one answer for every command
//!   walk, listed   the working tree (parallel walk) or what Git lists (index, commit, range,
//!                  unmerged stages) -> Subject { name, bytes, origin, unmerged, facts }
//!   git, evidence, repo, scope, paths, worktree   git2 reads, attribute sizes, reading files
//!   |  Subject, one per file, handed to the command's Sink/Worker
//! check/         check_subject: the one worker of `check` -> FileReport (findings as data)
//! lint           check_file: conflict parse + classification + document checks + suppressions
//!   conflict/      parse (never fails, renders back byte for byte), sides, marker kinds
//!   markdown/      fences, outline;  lint/classify  examples vs real conflicts
//!   document       encoding, mojibake and the section schema on each side of a conflict
//!   schema/        compile (config -> Schema), validate (locate, content, checks), SchemaSet
//! report/        Report -> human | concise | json | sarif | github (one emitter per format)
//! resolve/       parse -> candidates -> evaluate (schema verdicts) -> choose; known_base
//!                (bases Git knows), eligible (what may be resolved), prompt (interactive),
//!                write (atomic replacement keeping mode, owner, line endings)
//! diagnostic     the rule table (names, default levels, docs) and findings
//! ```
//!
//! Nothing in the core imports the shell (a test reads the module graph and fails on any import
//! circle).

pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod conflict;
pub mod diagnostic;
pub mod document;
pub mod fix;
pub mod lint;
pub mod markdown;
pub mod mojibake;
pub mod path_rules;
pub mod report;
pub mod resolve;
pub mod rule_docs;
mod run;
pub mod schema;
pub mod selection;
pub mod source;
pub mod span;
pub mod suppress;
pub mod terminal;
pub mod text;
pub mod utf16;

pub use run::run;
