//! The testable entry point: arguments in, exit status out (casey/just's `run`).

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};

use clap::Parser;

use crate::check::{check, CheckSettings, ConfigChoice, Scope};
use crate::cli::{
    CheckArgs, Cli, ColorChoice, Command, DiffFormat, Format, ResolveArgs, SchemaCommand,
    StrategyArg,
};
use crate::diagnostic::Rule;
use crate::report::{self, exit, Report};
use crate::source::worktree::WalkOptions;
use crate::text::escape_for_display;

/// Run mergemark with `args` (the program name first) and return the exit status.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                exit::ERROR
            } else {
                exit::CLEAN
            };
        }
    };
    // Objects are read, never trusted for anything but their text: skip re-hashing each one on
    // read (as `git` itself does), which is a tenth of a small `check --staged`.
    git2::opts::strict_hash_verification(false);
    match cli.command {
        Command::Check(args) => run_check(&args, cli.color),
        Command::Schema(command) => run_schema(&command),
        Command::Resolve(args) => run_resolve(&args),
        Command::Diff(args) => crate::resolve::diff_command::run(
            &args.paths,
            match (&args.rev, args.staged) {
                (Some(rev), _) => crate::resolve::diff_command::Source::Rev(rev.clone()),
                (None, true) => crate::resolve::diff_command::Source::Staged,
                (None, false) => crate::resolve::diff_command::Source::Worktree,
            },
            args.format == DiffFormat::Json,
            use_color(cli.color, io::stdout().is_terminal()),
        ),
        Command::Rules => print_out(&rules_table()),
        Command::Explain { rule } => match Rule::from_name(&rule) {
            Some(rule) => print_out(&explain(rule)),
            None => {
                eprintln!(
                    "mergemark: error: no rule named `{}` (`mergemark rules` lists them)",
                    escape_for_display(rule.as_bytes())
                );
                exit::ERROR
            }
        },
        Command::Hook(command) => crate::hook::run(&command),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "mergemark", &mut out);
            print_out(&String::from_utf8_lossy(&out))
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out) {
                Ok(()) => print_out(&String::from_utf8_lossy(&out)),
                Err(error) => {
                    eprintln!("mergemark: error: {error}");
                    exit::ERROR
                }
            }
        }
    }
}

/// Write `text` to stdout; a closed pipe is not an error.
fn print_out(text: &str) -> i32 {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => exit::CLEAN,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => exit::CLEAN,
        Err(error) => {
            eprintln!("mergemark: error: {error}");
            exit::ERROR
        }
    }
}

/// `mergemark rules`: name, default severity, summary.
fn rules_table() -> String {
    let width = Rule::ALL.iter().map(|r| r.name().len()).max().unwrap_or(0);
    Rule::ALL
        .iter()
        .map(|rule| {
            format!(
                "{:width$}  {:7}  {}\n",
                rule.name(),
                rule.default_severity().to_string(),
                crate::rule_docs::doc(*rule).summary
            )
        })
        .collect()
}

/// `mergemark explain RULE`.
fn explain(rule: Rule) -> String {
    let doc = crate::rule_docs::doc(rule);
    let indent = |text: &str| {
        text.lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    };
    format!(
        "{name} (default: {severity})\n\n{summary}\n\n{description}\n\nExample:\n\n{example}\nFix: {fix}\n\n\
         Change its level in mergemark.toml:\n\n    [rules]\n    {name} = \"error\"   # or \"warning\", \"off\"\n",
        name = rule.name(),
        severity = rule.default_severity(),
        summary = doc.summary,
        description = doc.description,
        example = indent(doc.example),
        fix = doc.fix,
    )
}

fn run_resolve(args: &ResolveArgs) -> i32 {
    use crate::resolve::{command, Strategy};
    let interactive = args.interactive
        || (args.strategy.is_none() && io::stdin().is_terminal() && io::stdout().is_terminal());
    if interactive {
        return command::run(
            &args.paths,
            Strategy::Auto,
            command::Output::Interactive { add: args.add },
            args.marker_size.map(usize::from),
        );
    }
    let Some(strategy) = args.strategy else {
        eprintln!(
            "mergemark: error: choose a --strategy (ours, theirs, base, union, auto), or run on a \
             terminal (or with --interactive) to choose region by region"
        );
        return exit::ERROR;
    };
    let strategy = match strategy {
        StrategyArg::Ours => Strategy::Ours,
        StrategyArg::Theirs => Strategy::Theirs,
        StrategyArg::Base => Strategy::Base,
        StrategyArg::Union => Strategy::Union,
        StrategyArg::Auto => Strategy::Auto,
    };
    let output = if args.stdout {
        command::Output::Stdout
    } else if args.dry_run {
        command::Output::DryRun
    } else {
        command::Output::Write {
            backup: args.backup,
            add: args.add,
        }
    };
    command::run(
        &args.paths,
        strategy,
        output,
        args.marker_size.map(usize::from),
    )
}

fn run_schema(command: &SchemaCommand) -> i32 {
    let (SchemaCommand::List { config } | SchemaCommand::Show { config, .. }) = command;
    let file = config.clone().or_else(|| {
        let here = std::env::current_dir().ok()?;
        let stop = crate::source::repo::open(&here)
            .ok()
            .flatten()
            .and_then(|r| r.workdir().and_then(|w| w.canonicalize().ok()));
        crate::config::discover(&here.canonicalize().ok()?, stop.as_deref())
    });
    let schemas = match file.as_deref().map(crate::config::load) {
        None => crate::schema::SchemaSet::new(Vec::new(), true),
        Some(Ok(settings)) => settings.schemas,
        Some(Err(error)) => {
            eprintln!(
                "mergemark: error: {}",
                escape_for_display(error.to_string().as_bytes())
            );
            return exit::ERROR;
        }
    };
    let mut out = io::stdout().lock();
    let written = match command {
        SchemaCommand::List { .. } => schemas.iter().try_for_each(|s| {
            // Names and descriptions come from a configuration file: escaped, as file text is.
            writeln!(
                out,
                "{}\t{}",
                escape_for_display(s.name().as_bytes()),
                escape_for_display(s.spec.description.as_deref().unwrap_or("").as_bytes())
            )
        }),
        SchemaCommand::Show { name, .. } => match schemas.iter().find(|s| s.name() == name) {
            // The built-in schema as written, comments and all.
            Some(schema) if schema.spec == crate::schema::postmortem_spec() => {
                out.write_all(crate::schema::POSTMORTEM_TOML.as_bytes())
            }
            Some(schema) => {
                let tables = crate::schema::SchemaTables {
                    schema: vec![schema.spec.clone()],
                };
                toml::to_string(&tables)
                    .map_err(io::Error::other)
                    .and_then(|text| out.write_all(text.as_bytes()))
            }
            None if name == "postmortem" => {
                out.write_all(crate::schema::POSTMORTEM_TOML.as_bytes())
            }
            None => {
                let known: Vec<String> = schemas
                    .iter()
                    .map(|s| escape_for_display(s.name().as_bytes()))
                    .collect();
                eprintln!(
                    "mergemark: error: no schema named `{}` (known: {})",
                    escape_for_display(name.as_bytes()),
                    known.join(", ")
                );
                return exit::ERROR;
            }
        },
    };
    match written {
        Ok(()) => exit::CLEAN,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => exit::CLEAN,
        Err(error) => {
            eprintln!("mergemark: error: {error}");
            exit::ERROR
        }
    }
}

fn run_check(args: &CheckArgs, color: ColorChoice) -> i32 {
    let scope = if args.staged {
        Scope::Staged { all: args.all }
    } else if let Some(rev) = &args.rev {
        Scope::Rev(rev.clone())
    } else if let Some(rev) = &args.changed_since {
        Scope::ChangedSince(rev.clone())
    } else if let Some(range) = &args.commits {
        Scope::Commits {
            range: range.clone(),
            remote: args.remote.clone(),
        }
    } else {
        Scope::Worktree
    };
    let stdout = io::stdout();
    let is_terminal = stdout.is_terminal();
    let format = args.format.unwrap_or(if is_terminal {
        Format::Human
    } else {
        Format::Concise
    });
    let settings = CheckSettings {
        scope,
        paths: args.paths.clone(),
        walk: WalkOptions {
            hidden: args.hidden,
            no_ignore: args.no_ignore,
            follow: args.follow,
            threads: clamp_threads(args.threads),
            max_filesize: args.max_filesize,
        },
        marker_size: args.marker_size.map(usize::from),
        config: match (&args.config, args.no_config) {
            (_, true) => ConfigChoice::None,
            (Some(file), false) => ConfigChoice::File(file.clone()),
            (None, false) => ConfigChoice::Discover,
        },
        progress: io::stderr().is_terminal(),
        human: (format == Format::Human).then_some(report::human::HumanOptions {
            color: use_color(color, is_terminal),
        }),
        strict: args.strict,
    };
    let report = check(&settings);
    let mut out = io::BufWriter::new(stdout.lock());
    if format != Format::Json {
        print_messages(&report);
    }
    let written = match format {
        Format::Human => report::human::emit(
            &report,
            &mut out,
            report::human::HumanOptions {
                color: use_color(color, is_terminal),
            },
        ),
        Format::Concise => report::concise::emit(&report, &mut out),
        Format::Json => report::json::emit(&report, &mut out),
        Format::Sarif => report::sarif::emit(&report, &mut out),
        Format::Github => report::github::emit(&report, &mut out),
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => report.exit_code(),
        // A closed pipe (`mergemark check | head`) is the reader's choice, not a failure.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => report.exit_code(),
        Err(error) => {
            eprintln!("mergemark: error: writing the report failed: {error}");
            exit::ERROR
        }
    }
}

/// `-j N` made sane: more threads than a few per CPU only contend (5,000 of them took minutes to
/// start and stop), so N is capped at four per CPU (at least 8); 0 stays "one per CPU".
fn clamp_threads(requested: usize) -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    requested.min((4 * cpus).max(8))
}

/// Errors and skip notes go to stderr, so stdout stays the findings alone.
fn print_messages(report: &Report) {
    let mut err = io::stderr().lock();
    for error in &report.errors {
        let _ = writeln!(
            err,
            "mergemark: error: {}: {}",
            escape_for_display(error.path.as_bytes()),
            escape_for_display(error.message.as_bytes())
        );
    }
    for note in &report.skipped {
        let _ = writeln!(
            err,
            "mergemark: note: skipped {}: {}",
            escape_for_display(note.path.as_bytes()),
            escape_for_display(note.message.as_bytes())
        );
    }
}

/// `--color`, `NO_COLOR` and `CLICOLOR_FORCE`, in that order of precedence.
fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => is_terminal && !set("NO_COLOR"),
    }
}

#[cfg(test)]
mod tests {
    use super::clamp_threads;

    #[test]
    fn thread_counts_are_capped_at_a_few_per_cpu() {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        assert_eq!(clamp_threads(0), 0, "0 means one per CPU");
        assert_eq!(clamp_threads(1), 1);
        assert_eq!(clamp_threads(5000), (4 * cpus).max(8));
    }
}
