//! `mergemark man [--dir DIR]`: the manual. On stdout, `mergemark(1)`; with `--dir`, a page per
//! command (`mergemark-check.1`, ...) as the main page's SEE ALSO promises, and
//! `mergemark.toml.5`, the configuration file. The command pages come from the clap definition
//! (clap_mangen), so they cannot drift from `--help`; each gains the exit status.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;
use clap_mangen::Man;

use super::{finish, Error, Exit};
use crate::cli::Cli;

/// The exit status, as every page says it.
const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Nothing at error level was found (warnings are allowed; \fB\-\-exit\-zero\fR makes findings at error level exit 0 too).
.TP
\fB1\fR
At least one finding at error level (\fBresolve\fR and \fBmerge\fR: conflicts remain).
.TP
\fB2\fR
A usage error, a configuration error, or a file that could not be read; every other file is still checked and reported.
"#;

/// `mergemark.toml(5)`.
const CONFIG_PAGE: &str = r#".TH mergemark.toml 5 "" "mergemark" "File Formats"
.SH NAME
mergemark.toml \- mergemark configuration
.SH DESCRIPTION
\fBmergemark\fR reads the nearest \fBmergemark.toml\fR or \fB.mergemark.toml\fR from each checked file's directory up to its repository root (\fB\-\-config\fR names one file, \fB\-\-no\-config\fR reads none).
Configuration is data only: nothing in it is run.
An unknown key, rule name or level, or an invalid pattern or glob, is an error naming the file, the line and the key (exit 2); the built\-in settings stand in for that file.
.SH KEYS
.TP
\fBpostmortem\fR = \fItrue\fR|\fIfalse\fR
Whether the built\-in postmortem schema applies (default true).
.TP
\fB[[schema]]\fR
A custom schema: \fBname\fR, \fBfiles\fR (globs relative to this file's directory), and \fB[[schema.section]]\fR tables (\fBtitle\fR, \fBaliases\fR, \fBpattern\fR, \fBmin\-list\-items\fR, ...).
\fBmergemark schema show postmortem\fR prints the built\-in one in this form.
.TP
\fB[rules]\fR
Rule name = \fIerror\fR|\fIwarning\fR|\fIoff\fR: the level of each rule (\fBmergemark rules\fR lists them).
.TP
\fBexclude\fR, \fBextend\-exclude\fR = [\fIglob\fR, ...]
Files and directories left out: a pattern without a \fB/\fR names a file or directory anywhere below this file's directory, one with a \fB/\fR a path from it.
A directory left out is not walked; a path named on the command line is checked unless \fB\-\-force\-exclude\fR.
.TP
\fB[per\-file\-rules]\fR
\fIglob\fR = { \fIrule\fR = \fIlevel\fR, ... }: levels for the paths a pattern matches, after \fB[rules]\fR, in the file's order (a later pattern wins).
.SH EXAMPLE
.nf
exclude = ["node_modules", "/docs/legacy"]

[rules]
placeholder\-text = "off"

[per\-file\-rules]
"templates/**" = { missing\-section = "off" }
.fi
.SH "SEE ALSO"
\fBmergemark\fR(1), \fBmergemark\-check\fR(1)
"#;

/// Print `mergemark(1)`, or write every page into `dir`.
///
/// # Errors
/// When a page cannot be written.
pub fn run(dir: Option<&Path>) -> Result<Exit, Error> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let Some(dir) = dir else {
        let written = page(&command).and_then(|text| std::io::stdout().lock().write_all(&text));
        return finish(written, Exit::Clean, "manual");
    };
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| write_pages(&command, dir))
        .and_then(|()| std::fs::write(dir.join("mergemark.toml.5"), CONFIG_PAGE));
    written.map_err(|e| Error::File {
        path: crate::source::paths::slash_path(dir),
        message: format!("cannot write the manual pages: {}", super::describe_io(&e)),
    })?;
    Ok(Exit::Clean)
}

/// `command`'s page and its subcommands', into `dir`.
fn write_pages(command: &clap::Command, dir: &Path) -> std::io::Result<()> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir)?;
    }
    let name = Man::new(command.clone()).get_filename();
    std::fs::write(dir.join(name), page(command)?)
}

/// One page: clap_mangen's sections, then the exit status.
fn page(command: &clap::Command) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    Man::new(command.clone()).render(&mut out)?;
    out.extend_from_slice(EXIT_STATUS.as_bytes());
    Ok(out)
}
