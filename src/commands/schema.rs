//! `mergemark schema list|show|match`: the schemas in force here, found as `check` finds them.

use std::io::{self, Write};

use super::{finish, say_problems, Error, Exit};
use crate::cli::SchemaCommand;
use crate::source::{ConfigChoice, Workspace};
use crate::text::escape_for_display;

/// Run `schema list` or `schema show NAME`.
///
/// # Errors
/// When no schema has that name, or the output cannot be written.
pub fn run(command: &SchemaCommand) -> Result<Exit, Error> {
    let (SchemaCommand::List { config }
    | SchemaCommand::Show { config, .. }
    | SchemaCommand::Match { config, .. }) = command;
    let choice = match (&config.config, config.no_config) {
        (_, true) => ConfigChoice::None,
        (Some(file), false) => ConfigChoice::File(file.clone()),
        (None, false) => ConfigChoice::Discover,
    };
    let workspace = Workspace::new(
        choice,
        None,
        crate::source::worktree::WalkOptions::default(),
    );
    let here = std::env::current_dir().map_err(|e| Error::Usage(e.to_string()))?;
    let here = here.canonicalize().unwrap_or(here);
    // The configuration of the current directory, up to its repository's root, as `check` finds
    // a file's there.
    let base = crate::source::repo::open(&here)
        .ok()
        .flatten()
        .and_then(|r| r.workdir().and_then(|w| w.canonicalize().ok()))
        .unwrap_or_else(|| here.clone());
    let in_force = workspace.settings_for_dir(&here, &base);
    let problems = workspace.take_problems();
    if !problems.errors.is_empty() {
        say_problems(&problems.errors, &problems.skipped);
        return Ok(Exit::Failed);
    }
    if let SchemaCommand::Match { paths, format, .. } = command {
        return super::schema_match::run(paths, format == "json", &workspace, &here, &base);
    }
    let schemas = &in_force.settings.schemas;
    let mut out = io::stdout().lock();
    let written = match command {
        SchemaCommand::Match { .. } => Ok(()),
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
                return Err(Error::Usage(format!(
                    "no schema named `{}` (known: {})",
                    escape_for_display(name.as_bytes()),
                    known.join(", ")
                )));
            }
        },
    };
    finish(written, Exit::Clean, "output")
}
