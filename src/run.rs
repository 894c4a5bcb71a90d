//! The testable entry point: arguments in, exit status out (casey/just's `run`). Every command
//! returns `Result<Exit, Error>`; the error is printed here, once.

use std::ffi::OsString;

use crate::cli::{Cli, Command};
use crate::commands::{self, say, Error, Exit, Level};

/// Run mergemark with `args` (the program name first) and return the exit status.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    // Help and usage errors wrap where human output does: COLUMNS, the terminal, else 80.
    let command = <Cli as clap::CommandFactory>::command().term_width(crate::terminal::width());
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|matches| <Cli as clap::FromArgMatches>::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                Exit::Failed.code()
            } else {
                Exit::Clean.code()
            };
        }
    };
    // Objects are read, never trusted for anything but their text: skip re-hashing each one on
    // read (as `git` itself does), which is a tenth of a small `check --staged`.
    git2::opts::strict_hash_verification(false);
    match dispatch(cli) {
        Ok(exit) => exit.code(),
        Err(error) => {
            say(Level::Error, &error.to_string());
            Exit::Failed.code()
        }
    }
}

fn dispatch(cli: Cli) -> Result<Exit, Error> {
    match cli.command {
        Command::Check(args) => commands::check::run(&args, cli.color),
        Command::Diff(args) => commands::diff::run(&args, cli.color),
        Command::Resolve(args) => commands::resolve::run(&args),
        Command::Schema(command) => commands::schema::run(&command),
        Command::Rules => commands::rules::list(),
        Command::Explain { rule } => commands::rules::explain(&rule),
        Command::Hook(command) => commands::hook::run(&command),
        Command::Merge(args) => commands::merge::run(&args),
        Command::Driver(command) => commands::driver::run(&command),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "mergemark", &mut out);
            commands::print(&String::from_utf8_lossy(&out))
        }
        Command::Man { dir } => commands::man::run(dir.as_deref()),
    }
}
