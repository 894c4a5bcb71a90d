//! `mergemark hook install|uninstall`: a small Git hook script that runs mergemark on what is
//! about to be committed (or pushed). Hooks are found where Git runs them (`core.hooksPath`, else
//! the common `.git/hooks`); a hook mergemark did not write is never replaced without `--force`,
//! and then it is kept as a backup that `uninstall` puts back.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{say, Error, Exit, Level};
use crate::cli::{HookCommand, HookKind};

/// The line that marks a hook as mergemark's own.
const SIGNATURE: &str = "# Installed by mergemark (`mergemark hook install`).";

/// Run a hook command.
///
/// # Errors
/// When the hook cannot be installed or removed.
pub fn run(command: &HookCommand) -> Result<Exit, Error> {
    let done = match command {
        HookCommand::Install { hook, force } => install(*hook, *force),
        HookCommand::Uninstall { hook } => uninstall(*hook),
    }
    .map_err(Error::Usage)?;
    say(Level::Info, &done);
    Ok(Exit::Clean)
}

/// Where Git looks for hooks in the repository containing the current directory.
fn hooks_dir() -> Result<PathBuf, String> {
    let repo = crate::source::repo::open(Path::new("."))?
        .ok_or_else(|| "not inside a Git repository".to_owned())?;
    let configured = configured_hooks_path(&repo);
    Ok(match configured {
        Some(raw) => {
            let path = expand_user(&raw)?;
            // A relative hooksPath is relative to the top of the working tree, where hooks run.
            if path.is_relative() {
                repo.workdir().unwrap_or_else(|| repo.path()).join(path)
            } else {
                path
            }
        }
        None => repo.commondir().join("hooks"),
    })
}

/// `core.hooksPath` as Git finds it: the worktree and repository configuration, then the global
/// file, which `GIT_CONFIG_GLOBAL` names when set (libgit2 would read `~/.gitconfig` anyway),
/// then the XDG and system files.
fn configured_hooks_path(repo: &git2::Repository) -> Option<String> {
    use git2::ConfigLevel;
    const KEY: &str = "core.hooksPath";
    let config = repo.config().ok()?;
    let at = |level| {
        config
            .open_level(level)
            .ok()
            .and_then(|c| c.get_string(KEY).ok())
    };
    let global = match std::env::var_os("GIT_CONFIG_GLOBAL") {
        Some(file) => git2::Config::open(Path::new(&file))
            .ok()
            .and_then(|c| c.get_string(KEY).ok()),
        None => at(ConfigLevel::Global),
    };
    at(ConfigLevel::Worktree)
        .or_else(|| at(ConfigLevel::Local))
        .or(global)
        .or_else(|| at(ConfigLevel::XDG))
        .or_else(|| at(ConfigLevel::System))
}

/// `~/` and `~user/` at the start of a configured path, expanded as Git does (`$HOME`, the user's
/// home in the password database). A path Git would expand but this cannot is an error: a hook
/// written anywhere else would never run.
fn expand_user(raw: &str) -> Result<PathBuf, String> {
    let Some(rest) = raw.strip_prefix('~') else {
        return Ok(PathBuf::from(raw));
    };
    let (user, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let home = if user.is_empty() {
        std::env::var_os("HOME").map(PathBuf::from)
    } else {
        home_of(user)
    };
    home.map(|home| home.join(tail)).ok_or_else(|| {
        format!(
            "core.hooksPath is `{raw}`, and {} cannot be found: Git would look for hooks there",
            if user.is_empty() {
                "$HOME".to_owned()
            } else {
                format!("the home directory of `{user}`")
            }
        )
    })
}

/// `user`'s home directory, from `/etc/passwd`.
fn home_of(user: &str) -> Option<PathBuf> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() >= 6 && fields[0] == user).then(|| PathBuf::from(fields[5]))
    })
}

/// The script for `hook`: mergemark from PATH, or the binary that installed it when PATH has
/// none (graphical Git clients often run hooks with a bare PATH).
#[must_use]
pub fn script(hook: HookKind, binary: &Path) -> String {
    let fallback = shell_quote(&binary.to_string_lossy());
    let check = match hook {
        HookKind::PreCommit | HookKind::PreMergeCommit => {
            "exec \"$MERGEMARK\" check --staged".to_owned()
        }
        // Git passes the remote's name as $1 and `<local ref> <local id> <remote ref> <remote id>`
        // lines: check every commit each line pushes (none for a deletion, whose local id is all
        // zeros): the commits the remote lacks, or for a new branch those none of that remote's
        // tracking branches has.
        HookKind::PrePush => "status=0\n\
             while read -r local_ref local_id remote_ref remote_id; do\n\
             \tcase \"$local_id\" in *[!0]*) ;; *) continue ;; esac\n\
             \tcase \"$remote_id\" in *[!0]*) range=\"$remote_id..$local_id\" ;; *) range=\"$local_id\" ;; esac\n\
             \t\"$MERGEMARK\" check --commits \"$range\" --remote \"$1\" || status=1\n\
             done\n\
             exit $status"
            .to_owned(),
    };
    format!(
        "#!/bin/sh\n{SIGNATURE}\n# `mergemark hook uninstall --hook {name}` removes it.\n\
         MERGEMARK=mergemark\n\
         command -v mergemark >/dev/null 2>&1 || MERGEMARK={fallback}\n\
         {check}\n",
        name = hook.file_name(),
    )
}

/// `text` in single quotes for sh.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains(SIGNATURE))
}

fn backup_path(hook: &Path) -> PathBuf {
    let mut name = hook.as_os_str().to_owned();
    name.push(".mergemark-backup");
    PathBuf::from(name)
}

fn install(hook: HookKind, force: bool) -> Result<String, String> {
    let dir = hooks_dir()?;
    let path = dir.join(hook.file_name());
    let shown = path.display();
    let mut note = String::new();
    if path.exists() && !is_ours(&path) {
        if !force {
            return Err(format!(
                "{shown} exists and was not written by mergemark; use --force to replace it \
                 (it is kept as {})",
                backup_path(&path).display()
            ));
        }
        let backup = backup_path(&path);
        if backup.exists() {
            return Err(format!(
                "{shown} would be backed up to {}, which already exists; move one of them away",
                backup.display()
            ));
        }
        std::fs::rename(&path, &backup)
            .map_err(|e| format!("cannot keep {shown} as {}: {e}", backup.display()))?;
        note = format!(" (the previous hook is kept as {})", backup.display());
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let binary = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("mergemark"));
    write_executable(&path, &script(hook, &binary))
        .map_err(|e| format!("cannot write {shown}: {e}"))?;
    Ok(format!("installed {shown}{note}"))
}

fn uninstall(hook: HookKind) -> Result<String, String> {
    let path = hooks_dir()?.join(hook.file_name());
    let shown = path.display();
    if !path.exists() {
        return Ok(format!("no {} hook installed", hook.file_name()));
    }
    if !is_ours(&path) {
        return Err(format!(
            "{shown} was not written by mergemark; left as it is"
        ));
    }
    std::fs::remove_file(&path).map_err(|e| format!("cannot remove {shown}: {e}"))?;
    let backup = backup_path(&path);
    if backup.exists() {
        std::fs::rename(&backup, &path).map_err(|e| {
            format!(
                "removed {shown}, but cannot put back {}: {e}",
                backup.display()
            )
        })?;
        return Ok(format!(
            "removed mergemark's hook; {shown} is the previous hook again"
        ));
    }
    Ok(format!("removed {shown}"))
}

/// Write atomically (a temporary file beside it, then rename) with mode 0755.
fn write_executable(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::Builder::new()
        .prefix(".mergemark-hook")
        .tempfile_in(dir)?;
    file.write_all(text.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o755))?;
    }
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_paths_expand_home_as_git_does() {
        assert_eq!(expand_user("ci/hooks"), Ok(PathBuf::from("ci/hooks")));
        assert_eq!(expand_user("~root/hooks"), Ok(PathBuf::from("/root/hooks")));
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(expand_user("~/h"), Ok(PathBuf::from(home).join("h")));
        }
        let error = expand_user("~no-such-user-here/hooks").expect_err("unknown user");
        assert!(error.contains("no-such-user-here"), "{error}");
    }

    #[test]
    fn scripts_are_marked_and_quote_the_fallback() {
        let text = script(HookKind::PreCommit, Path::new("/opt/it's here/mergemark"));
        assert!(text.starts_with("#!/bin/sh\n"));
        assert!(text.contains(SIGNATURE));
        assert!(
            text.contains("MERGEMARK='/opt/it'\\''s here/mergemark'"),
            "{text}"
        );
        assert!(text.contains("check --staged"));
        assert!(script(HookKind::PrePush, Path::new("m")).contains("check --commits \"$range\""));
    }
}
