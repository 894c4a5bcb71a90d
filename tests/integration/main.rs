//! Integration tests: the `mergemark` binary on temporary trees and real Git repositories.

mod architecture;
mod bad_input;
mod check_cli;
mod ci_formats;
mod differential;
mod document_cli;
mod documents;
mod driver;
mod fixtures_tree;
mod git_differential;
mod harness;
mod hooks;
mod index_formats;
mod known_base;
mod line_merge;
mod merge_rules;
mod one_road;
mod output_snapshots;
mod parity;
mod promises;
mod properties;
mod resolve_cli;
mod scopes;
mod sides;
mod staged_oracle;
mod terminal;
