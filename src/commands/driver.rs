//! `mergemark driver install|uninstall [--global]`: make Git call `mergemark merge` for Markdown
//! files (`merge.mergemark.driver` in the Git configuration, `*.md merge=mergemark` in the
//! attributes), or stop it. Only lines and keys mergemark wrote are removed.

use std::path::{Path, PathBuf};

use super::{say, Error, Exit, Level};
use crate::cli::DriverCommand;

/// The driver's name in the Git configuration, as `install` writes it.
const NAME: &str = "mergemark: Markdown merge";

/// The attribute line that sends Markdown files to the driver.
const ATTRIBUTE: &str = "*.md merge=mergemark";

/// The driver's arguments after the program: Git's placeholders (`%X %S %Y`, the labels, need
/// Git 2.44; an older Git passes them as they are and the driver labels the markers itself).
/// `-P=%P` keeps a path that starts with `-` a value.
const DRIVER_ARGUMENTS: &str = " merge %O %A %B --marker-size %L -P=%P -L %X -L %S -L %Y";

/// Run `driver install` or `driver uninstall`.
///
/// # Errors
/// When the configuration or the attributes file cannot be read or written.
pub fn run(command: &DriverCommand) -> Result<Exit, Error> {
    let (install, global) = match command {
        DriverCommand::Install { global } => (true, *global),
        DriverCommand::Uninstall { global } => (false, *global),
    };
    let (mut config, attributes) = place(global).map_err(Error::Usage)?;
    let failed = |e: git2::Error| Error::Usage(e.message().to_owned());
    let current = config.get_string("merge.mergemark.driver").ok();
    let ours = |value: &str| value.contains(DRIVER_ARGUMENTS);
    if let Some(value) = current.as_deref().filter(|v| !ours(v)) {
        return Err(Error::Usage(format!(
            "merge.mergemark.driver is set to `{value}`, not mergemark's: left as it is (unset it to \
             {} mergemark's)",
            if install { "install" } else { "uninstall" }
        )));
    }
    if install {
        let binary = std::env::current_exe()
            .map_err(|e| Error::Usage(format!("cannot tell where mergemark is: {e}")))?;
        let quoted = binary.display().to_string().replace('\'', r"'\''");
        // A name of the user's own is kept.
        if config.get_string("merge.mergemark.name").is_err() {
            config
                .set_str("merge.mergemark.name", NAME)
                .map_err(failed)?;
        }
        config
            .set_str(
                "merge.mergemark.driver",
                &format!("'{quoted}'{DRIVER_ARGUMENTS}"),
            )
            .map_err(failed)?;
        add_line(&attributes)?;
        say(
            Level::Info,
            &format!(
                "Git now merges Markdown files with mergemark (`{ATTRIBUTE}` in {})",
                attributes.display()
            ),
        );
    } else {
        let own_name = config
            .get_string("merge.mergemark.name")
            .is_ok_and(|n| n == NAME);
        let keys: &[&str] = if own_name {
            &["merge.mergemark.name", "merge.mergemark.driver"]
        } else {
            &["merge.mergemark.driver"]
        };
        for key in keys {
            match config.remove(key) {
                Ok(()) => {}
                Err(e) if e.code() == git2::ErrorCode::NotFound => {}
                Err(e) => return Err(failed(e)),
            }
        }
        remove_line(&attributes)?;
        say(Level::Info, "Git merges Markdown files its own way again");
    }
    Ok(Exit::Clean)
}

/// The configuration to write and the attributes file: the repository's (its `.gitattributes`
/// at the top of the working tree), or the user's (`core.attributesFile`, else
/// `~/.config/git/attributes`).
fn place(global: bool) -> Result<(git2::Config, PathBuf), String> {
    if global {
        let config = git2::Config::open_default()
            .and_then(|c| c.open_level(git2::ConfigLevel::Global))
            .or_else(|_| {
                let path = git2::Config::find_global()?;
                git2::Config::open(&path)
            })
            .map_err(|e| format!("the global Git configuration: {}", e.message()))?;
        let attributes = config
            .get_path("core.attributesFile")
            .ok()
            .or_else(|| {
                // An empty XDG_CONFIG_HOME counts as unset, as Git reads it.
                let base = std::env::var_os("XDG_CONFIG_HOME")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
                    .or_else(|| {
                        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config"))
                    })?;
                Some(base.join("git").join("attributes"))
            })
            .ok_or("no home directory for the global attributes file")?;
        return Ok((config, attributes));
    }
    let here = std::env::current_dir().map_err(|e| e.to_string())?;
    let repo = crate::source::repo::open(&here)?.ok_or_else(|| {
        format!(
            "{} is not in a Git repository (or use --global)",
            here.display()
        )
    })?;
    let workdir = repo
        .workdir()
        .ok_or("a bare repository has no working tree for .gitattributes (use --global)")?
        .to_path_buf();
    let config = repo
        .config()
        .and_then(|c| c.open_level(git2::ConfigLevel::Local))
        .map_err(|e| format!("the repository's configuration: {}", e.message()))?;
    Ok((config, workdir.join(".gitattributes")))
}

/// Append the attribute line unless the file has it.
fn add_line(file: &Path) -> Result<(), Error> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    if text.lines().any(|l| l.trim() == ATTRIBUTE) {
        return Ok(());
    }
    let mut new = text;
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    new.push_str(ATTRIBUTE);
    new.push('\n');
    write(file, &new)
}

/// Remove the attribute line, and nothing else.
fn remove_line(file: &Path) -> Result<(), Error> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Ok(());
    };
    let kept: String = text
        .split_inclusive('\n')
        .filter(|l| l.trim() != ATTRIBUTE)
        .collect();
    if kept != text {
        write(file, &kept)?;
    }
    Ok(())
}

fn write(file: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::File {
            path: dir.display().to_string(),
            message: super::describe_io(&e),
        })?;
    }
    std::fs::write(file, text).map_err(|e| Error::File {
        path: file.display().to_string(),
        message: super::describe_io(&e),
    })
}
