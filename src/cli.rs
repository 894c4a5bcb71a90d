//! The command line, as clap sees it. Raw flags only; [`crate::run`] turns them into settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::selection::Selector;

/// Keep Markdown documents in Git repositories honest: find unresolved merge conflicts.
#[derive(Debug, Parser)]
#[command(name = "mergemark", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// When to use colour: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find unresolved conflict markers and check documents against their schema (exit 0: no
    /// finding at error level, warnings allowed; 1: findings at error level; 2: usage error or
    /// a file that could not be read).
    Check(CheckArgs),
    /// Show what each side of every conflict changed (exit 0 no conflict, 1 conflicts shown).
    Diff(DiffArgs),
    /// Resolve conflicts with a strategy (exit 0 none remain, 1 some remain, 2 errors).
    Resolve(ResolveArgs),
    /// Show the document schemas: `schema list`, `schema show postmortem`.
    #[command(subcommand)]
    Schema(SchemaCommand),
    /// List every rule with its default severity.
    Rules,
    /// Explain a rule: what it checks, why, an example, and how to fix it.
    Explain {
        /// The rule's name (`mergemark rules` lists them; shells complete it).
        #[arg(value_parser = rule_names())]
        rule: String,
    },
    /// Install or remove the Git hook that runs `mergemark check --staged`.
    #[command(subcommand)]
    Hook(HookCommand),

    /// A Git merge driver: merge BASE, OURS and THEIRS into OURS (exit 0 clean, 1 conflicts
    /// left), settling what `resolve --strategy auto` settles. `mergemark driver install` sets it
    /// up.
    Merge(MergeArgs),

    /// Make Git merge Markdown files with `mergemark merge`, or stop it.
    #[command(subcommand)]
    Driver(DriverCommand),
    /// Print a shell completion script: `mergemark completions bash > ...`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to stdout: `mergemark man > mergemark.1`; with --dir, write
    /// a page per command and mergemark.toml.5 there.
    Man {
        /// Write every page into this directory instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// `mergemark hook ...`.
#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write a hook script that runs `mergemark check --staged` (honours core.hooksPath).
    Install {
        /// Which hook.
        #[arg(long, value_enum, default_value_t = HookKind::PreCommit)]
        hook: HookKind,
        /// Replace a hook mergemark did not write (kept as `<hook>.mergemark-backup`).
        #[arg(long)]
        force: bool,
    },
    /// Remove the hook, only if mergemark wrote it (a backup it kept is put back).
    Uninstall {
        /// Which hook.
        #[arg(long, value_enum, default_value_t = HookKind::PreCommit)]
        hook: HookKind,
    },
}

/// The hooks mergemark can install.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HookKind {
    /// Before a commit is recorded.
    PreCommit,
    /// Before a merge commit is recorded (a merge without conflicts).
    PreMergeCommit,
    /// Before a push.
    PrePush,
}

impl HookKind {
    /// The hook's file name.
    #[must_use]
    pub const fn file_name(self) -> &'static str {
        match self {
            Self::PreCommit => "pre-commit",
            Self::PreMergeCommit => "pre-merge-commit",
            Self::PrePush => "pre-push",
        }
    }
}

/// `mergemark schema ...`.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// List the schemas in force here (configured ones, then the built-in one).
    List {
        /// Which configuration applies.
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Say which schema each file gets and why, and which heading stands for each section and
    /// why (title, alias, concept or label line).
    Match {
        /// The Markdown files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// `human` or `json`.
        #[arg(long, default_value = "human", value_parser = ["human", "json"])]
        format: String,
        /// Which configuration applies.
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Print a schema as TOML, ready to copy into mergemark.toml and adapt.
    Show {
        /// The schema's name (`postmortem` is built in).
        name: String,
        /// Which configuration applies.
        #[command(flatten)]
        config: ConfigArgs,
    },
}

/// `mergemark merge`: Git's `%O %A %B` and the rest of a driver's placeholders.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The common ancestor's version (`%O`).
    pub base: PathBuf,
    /// Our version (`%A`); the result is written here.
    pub ours: PathBuf,
    /// Their version (`%B`).
    pub theirs: PathBuf,
    /// Labels for the markers, in `git merge-file` order: ours, base, theirs (`%X`, `%S`, `%Y`).
    #[arg(short = 'L', long = "label", value_name = "LABEL", num_args = 1, allow_hyphen_values = true, action = clap::ArgAction::Append)]
    pub labels: Vec<String>,
    /// The path in the repository (`%P`).
    #[arg(short = 'P', long, value_name = "PATH", allow_hyphen_values = true)]
    pub path: Option<String>,
    /// Conflict marker size (`%L`).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub marker_size: Option<u16>,
}

/// `mergemark driver`.
#[derive(Debug, Subcommand)]
pub enum DriverCommand {
    /// Set `merge.mergemark.driver` and add `*.md merge=mergemark` to `.gitattributes`.
    Install {
        /// In the user's Git configuration and attributes file, for every repository.
        #[arg(long)]
        global: bool,
    },
    /// Remove what `install` wrote.
    Uninstall {
        /// From the user's Git configuration and attributes file.
        #[arg(long)]
        global: bool,
    },
}

/// `--config FILE` or `--no-config`, for the commands that read no files.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this configuration file instead of looking for mergemark.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Use no configuration file (the built-in postmortem schema only).
    #[arg(long)]
    pub no_config: bool,
}

/// `mergemark check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to check [default: .]; `-` alone reads the text of one file from
    /// stdin (write `./-` for a file named `-`).
    pub paths: Vec<PathBuf>,

    /// The path the text read from stdin is checked as (its configuration, schema, attributes
    /// and name in the output); it need not exist. Implies `-` when no PATH is given.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Output format [default: human on a terminal, concise otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Check what the next commit would contain: the index's staged blobs (of files that differ
    /// from HEAD), not the working tree. PATHs limit the files.
    #[arg(long, conflicts_with_all = ["rev", "changed_since"], help_heading = "Scope")]
    pub staged: bool,

    /// With --staged: every index entry, not only those that differ from HEAD.
    #[arg(long, requires = "staged", help_heading = "Scope")]
    pub all: bool,

    /// Check every file of a commit's tree (e.g. HEAD, a tag, origin/main).
    #[arg(
        long,
        value_name = "REV",
        conflicts_with = "changed_since",
        help_heading = "Scope"
    )]
    pub rev: Option<String>,

    /// Check only the working-tree files changed since the merge base of REV and HEAD (a pull
    /// request's files).
    #[arg(long, value_name = "REV", help_heading = "Scope")]
    pub changed_since: Option<String>,

    /// Check every commit of a range, each on the files it changed: `A..B` (commits of B not in
    /// A), or `B` (commits of B that no remote-tracking branch has: what a push would add).
    #[arg(
        long,
        value_name = "RANGE",
        conflicts_with_all = ["staged", "rev", "changed_since"],
        help_heading = "Scope"
    )]
    pub commits: Option<String>,

    /// With --commits B: the commits of B that this remote's tracking branches lack (the remote a
    /// push goes to), instead of every remote's.
    #[arg(
        long,
        value_name = "NAME",
        requires = "commits",
        help_heading = "Scope"
    )]
    pub remote: Option<String>,

    /// Turn every warning into an error (exit 1 on any finding).
    #[arg(long)]
    pub strict: bool,

    /// Report only these rules: names, prefixes ending in `*` (`conflict-*`) or `all`; comma
    /// separated or repeated. Named rules run even where the configuration turns them off.
    #[arg(long, value_name = "RULES", value_delimiter = ',', value_parser = Selector::parse, help_heading = "Rules")]
    pub select: Option<Vec<Selector>>,

    /// Report these rules too, on top of --select or the configuration.
    #[arg(long, value_name = "RULES", value_delimiter = ',', value_parser = Selector::parse, help_heading = "Rules")]
    pub extend_select: Vec<Selector>,

    /// Do not report these rules (the most specific selector wins; between equals, ignore).
    #[arg(long, value_name = "RULES", value_delimiter = ',', value_parser = Selector::parse, help_heading = "Rules")]
    pub ignore: Vec<Selector>,

    /// Exit 0 even when findings at error level are reported (files that cannot be read still
    /// exit 2).
    #[arg(long, help_heading = "Output")]
    pub exit_zero: bool,

    /// Print the findings and nothing else: no summary line, no notes about skipped files
    /// (errors are still said on stderr).
    #[arg(short, long, help_heading = "Output", conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print how many findings each rule has instead of the findings (a table; JSON with
    /// --format json).
    #[arg(long, help_heading = "Output")]
    pub statistics: bool,

    /// Apply the safe fixes (mojibake, section-not-heading) to the files, each written
    /// atomically, and report what is left. With `-`: print the fixed text on stdout and the
    /// findings on stderr.
    #[arg(
        long,
        conflicts_with_all = ["staged", "rev", "changed_since", "commits", "statistics"],
        help_heading = "Fixes"
    )]
    pub fix: bool,

    /// Print the fixes as a unified diff instead of the findings, and write nothing; exit 1 when
    /// there is any.
    #[arg(
        long,
        conflicts_with_all = ["fix", "staged", "rev", "changed_since", "commits", "statistics"],
        help_heading = "Fixes"
    )]
    pub diff: bool,

    /// How directories are walked and which files are read.
    #[command(flatten)]
    pub walk: WalkArgs,

    /// Which settings apply.
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// How directories are walked and which files are read (`check` and `diff` alike).
#[derive(Debug, Args)]
pub struct WalkArgs {
    /// Also read hidden files and directories (.git is always skipped).
    #[arg(long)]
    pub hidden: bool,

    /// Do not honour .gitignore, .ignore and Git's exclude files.
    #[arg(long)]
    pub no_ignore: bool,

    /// Follow symbolic links.
    #[arg(short = 'L', long)]
    pub follow: bool,

    /// Skip files larger than this (bytes, or with a K, M or G suffix).
    #[arg(long, default_value = "64M", value_parser = parse_size)]
    pub max_filesize: u64,

    /// Worker threads (0: one per CPU).
    #[arg(short = 'j', long, default_value_t = 0)]
    pub threads: usize,

    /// Leave out files and directories matching GLOB, on top of the configuration's `exclude`: a
    /// name anywhere (`node_modules`, `*.gen.md`) or a path from the current directory
    /// (`docs/old/**`). Repeat it for more (a comma belongs to the glob: `{a,b}.md`).
    #[arg(long, value_name = "GLOB", value_parser = parse_exclude)]
    pub exclude: Vec<String>,

    /// Leave out excluded paths even when they are named on the command line (as pre-commit
    /// names every file).
    #[arg(long)]
    pub force_exclude: bool,
}

/// One `--exclude` pattern, checked now so that a bad one is a usage error.
fn parse_exclude(text: &str) -> Result<String, String> {
    crate::path_rules::PathPatterns::new([text])
        .map(|_| text.to_owned())
        .map_err(|(_, message)| message)
}

/// Which settings apply to each file (`check`, `diff` and `resolve` alike).
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Marker length for every file, instead of each path's conflict-marker-size attribute.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub marker_size: Option<u16>,

    /// Use this configuration file instead of looking for mergemark.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Use no configuration file (the built-in postmortem schema only).
    #[arg(long)]
    pub no_config: bool,

    /// Say on stderr, for each file read, the marker size, the schema and the configuration
    /// that apply.
    #[arg(short, long)]
    pub verbose: bool,
}

/// `mergemark diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Files and directories; `-` reads the text of one file from stdin.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// The conflicts in the index's staged blobs (what the next commit would hold). PATHs limit
    /// the files.
    #[arg(long, conflicts_with = "rev")]
    pub staged: bool,

    /// The conflicts in a commit's tree.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,

    /// How directories are walked and which files are read.
    #[command(flatten)]
    pub walk: WalkArgs,

    /// Which settings apply.
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// `diff` output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Unified-diff-like text with file line numbers and word emphasis.
    Human,
    /// The hunks as data.
    Json,
}

/// `mergemark resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Files to resolve [default: the paths the index lists as unmerged, as `git mergetool`].
    pub paths: Vec<PathBuf>,

    /// How to resolve every conflict: ours, theirs, base, union (ours then theirs, as `git
    /// merge-file --union`), or auto (only resolutions that need no judgement; the rest stay
    /// conflicts).
    #[arg(long, value_enum)]
    pub strategy: Option<StrategyArg>,

    /// Ask region by region even when stdin is not a terminal (keys are read from stdin).
    /// Without --strategy on a terminal, this is the default.
    #[arg(long, conflicts_with_all = ["strategy", "dry_run", "stdout", "backup"])]
    pub interactive: bool,

    /// Print a unified diff of what would change; write nothing.
    #[arg(long, conflicts_with = "stdout")]
    pub dry_run: bool,

    /// Print the resolved file instead of writing it (one PATH only).
    #[arg(long)]
    pub stdout: bool,

    /// Keep the original as PATH.orig.
    #[arg(long, conflicts_with_all = ["dry_run", "stdout"])]
    pub backup: bool,

    /// Stage each file once no conflict remains in it (never a file that still has markers).
    #[arg(long, conflicts_with_all = ["dry_run", "stdout"])]
    pub add: bool,

    /// Report format on stdout: human (lines on stderr only), or json (each file: what settled
    /// each conflict, by which rule, what was left and why).
    #[arg(long, value_enum, default_value_t = ResolveFormat::Human, conflicts_with_all = ["dry_run", "stdout", "interactive"])]
    pub format: ResolveFormat,

    /// Which settings apply.
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// `resolve --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ResolveFormat {
    /// Lines for people, on stderr.
    Human,
    /// One JSON document on stdout.
    Json,
}

/// Resolution strategies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    /// Our side of every conflict.
    Ours,
    /// Their side of every conflict.
    Theirs,
    /// The base, where the markers carry one.
    Base,
    /// Ours then theirs, both whole (as `git merge-file --union`).
    Union,
    /// Only trivial resolutions.
    Auto,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Snippets with labels on the marker lines, and a summary.
    Human,
    /// `path:line:col: severity[rule] message`, one per line.
    Concise,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other static-analysis dashboards).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...`), shown as annotations.
    Github,
}

/// Colour choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set (CLICOLOR_FORCE forces it).
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The rules' names, as the values `explain` takes (so that shells complete them).
fn rule_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        crate::diagnostic::Rule::ALL
            .iter()
            .map(|r| clap::builder::PossibleValue::new(r.name())),
    )
}

/// Parse `64M`, `1G`, `512K` or a plain number of bytes.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, multiplier) = match text.char_indices().last() {
        Some((i, 'K' | 'k')) => (&text[..i], 1u64 << 10),
        Some((i, 'M' | 'm')) => (&text[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&text[..i], 1 << 30),
        _ => (text, 1),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
        .ok_or_else(|| format!("`{text}` is not a size (use bytes, or a number with K, M or G)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("10"), Ok(10));
        assert_eq!(parse_size("2k"), Ok(2048));
        assert!(parse_size("x").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
