//! A just-style test builder around the `mergemark` binary, and a hermetic `git` runner.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A temporary directory, files in it, and a `mergemark` invocation.
#[must_use]
pub struct Test {
    dir: TempDir,
    args: Vec<OsString>,
    cwd: PathBuf,
}

/// What a run printed and returned.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("creating a temporary directory");
        let cwd = dir.path().to_path_buf();
        Self {
            dir,
            args: Vec::new(),
            cwd,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write `contents` to `path` (relative to the test directory), creating parents.
    pub fn write(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a path inside the test directory"))
            .expect("creating parent directories");
        std::fs::write(full, contents).expect("writing a test file");
        self
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I: IntoIterator<Item = A>, A: Into<OsString>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Run from `sub` (relative to the test directory) instead of its root.
    pub fn current_dir(mut self, sub: &str) -> Self {
        self.cwd = self.dir.path().join(sub);
        self
    }

    pub fn git(&self) -> Git<'_> {
        Git {
            dir: self.dir.path(),
        }
    }

    pub fn run(&self) -> Output {
        run_mergemark(&self.cwd, &self.args)
    }

    /// Run with these arguments instead of the ones added so far.
    pub fn run_with(&self, args: &[&str]) -> Output {
        run_mergemark(&self.cwd, &args.iter().map(Into::into).collect::<Vec<_>>())
    }

    /// Run with these arguments from `sub` (relative to the test directory).
    pub fn run_in(&self, sub: &str, args: &[&str]) -> Output {
        let args: Vec<OsString> = args.iter().map(Into::into).collect();
        run_mergemark(&self.dir.path().join(sub), &args)
    }

    /// The findings of `check --format json ARGS`, which must exit with `status`.
    #[track_caller]
    pub fn check_findings(&self, args: &[&str], status: i32) -> Vec<(String, String, u64, u64)> {
        let mut full = vec!["check", "--format", "json"];
        full.extend(args);
        self.run_with(&full).status(status).findings()
    }

    /// The rules of [`Test::check_findings`], in order.
    #[track_caller]
    pub fn check_rules(&self, args: &[&str], status: i32) -> Vec<String> {
        self.check_findings(args, status)
            .into_iter()
            .map(|(_, rule, _, _)| rule)
            .collect()
    }
}

pub fn run_mergemark(cwd: &Path, args: &[OsString]) -> Output {
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_mergemark"))
        .current_dir(cwd)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        // Text for people wraps at COLUMNS: tests see the default, 80.
        .env_remove("COLUMNS")
        .output()
        .expect("running mergemark");
    Output {
        code: output.status.code().expect("mergemark exits normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

impl Output {
    #[track_caller]
    pub fn status(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit status\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// `(path, rule, line, end_line)` of each finding in the JSON output.
    #[track_caller]
    pub fn findings(&self) -> Vec<(String, String, u64, u64)> {
        self.json()["findings"]
            .as_array()
            .expect("findings is an array")
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().expect("path").to_owned(),
                    f["rule"].as_str().expect("rule").to_owned(),
                    f["line"].as_u64().expect("line"),
                    f["end_line"].as_u64().expect("end_line"),
                )
            })
            .collect()
    }
}

/// One file of [`Git::merge_topic`]: its path, then its base, ours and theirs contents.
pub type MergedFile<'a> = (&'a str, &'a [u8], &'a [u8], &'a [u8]);

/// `git` in one directory, isolated from the machine's and user's configuration.
pub struct Git<'a> {
    pub dir: &'a Path,
}

impl Git<'_> {
    fn command(&self) -> Command {
        let mut command = Command::new("git");
        command
            .current_dir(self.dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env("GIT_AUTHOR_DATE", "2025-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2025-01-01T00:00:00Z");
        command
    }

    /// Run git with this `PATH` (a hook then finds only the programs on it); returns the exit
    /// status and stdout followed by stderr.
    pub fn run_with_path(&self, args: &[&str], path: &str) -> (i32, String) {
        let output = self
            .command()
            .env("PATH", path)
            .args(args)
            .output()
            .expect("running git");
        (
            output.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        )
    }

    /// [`Self::run_with_path`], with `input` on stdin (`git add -p` answers).
    pub fn run_with_input(&self, args: &[&str], path: &str, input: &str) -> (i32, String) {
        use std::io::Write as _;
        let mut child = self
            .command()
            .env("PATH", path)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("running git");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("writing to git");
        let output = child.wait_with_output().expect("waiting for git");
        (
            output.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        )
    }

    /// Run git; panic unless it succeeds. Returns stdout bytes.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> Vec<u8> {
        let output = self.command().args(args).output().expect("running git");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    /// Run git and return its exit code and stdout, whatever the outcome.
    pub fn status(&self, args: &[&str]) -> (i32, Vec<u8>) {
        let output = self.command().args(args).output().expect("running git");
        (output.status.code().unwrap_or(-1), output.stdout)
    }

    pub fn init(&self) {
        self.ok(&["init", "-q", "-b", "main"]);
        self.ok(&["config", "core.autocrlf", "false"]);
    }

    pub fn write(&self, path: &str, contents: &[u8]) {
        let full = self.dir.join(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("creating directories");
        std::fs::write(full, contents).expect("writing a file");
    }

    pub fn commit_all(&self, message: &str) {
        self.ok(&["add", "-A"]);
        self.ok(&["commit", "-q", "-m", message]);
    }

    /// Commit `(path, base)` for every file, commit `theirs` on a `topic` branch and `ours` on
    /// `main`, then merge `topic` into `main`; returns `git merge`'s exit status (nonzero when it
    /// stopped on conflicts).
    pub fn merge_topic(&self, files: &[MergedFile<'_>]) -> i32 {
        // Which version of each file: 0 base, 1 ours, 2 theirs.
        let commit = |version: usize, message: &str| {
            for (path, base, ours, theirs) in files {
                self.write(path, [base, ours, theirs][version]);
            }
            self.commit_all(message);
        };
        commit(0, "base");
        self.ok(&["checkout", "-q", "-b", "topic"]);
        commit(2, "theirs");
        self.ok(&["checkout", "-q", "main"]);
        commit(1, "ours");
        self.status(&["merge", "-q", "topic"]).0
    }

    /// `git merge-file -p` on the index stages of `path`, labelled `HEAD`, `base` and `topic`
    /// as `git merge` labels them, with `flags`: (exit status, output).
    pub fn merge_file_on_stages(&self, path: &str, flags: &[&str]) -> (i32, Vec<u8>) {
        let dir = tempfile::tempdir().expect("a directory for the stages");
        let files: Vec<String> = [(2, "ours"), (1, "base"), (3, "theirs")]
            .iter()
            .map(|(stage, name)| {
                let file = dir.path().join(name);
                std::fs::write(&file, self.ok(&["show", &format!(":{stage}:{path}")]))
                    .expect("writing a stage");
                file.to_string_lossy().into_owned()
            })
            .collect();
        let mut args = vec![
            "merge-file",
            "-p",
            "-L",
            "HEAD",
            "-L",
            "base",
            "-L",
            "topic",
        ];
        args.extend(flags);
        args.extend(files.iter().map(String::as_str));
        self.status(&args)
    }

    pub fn rev_parse(&self, rev: &str) -> String {
        String::from_utf8(self.ok(&["rev-parse", rev]))
            .expect("UTF-8")
            .trim()
            .to_owned()
    }
}

/// Run `mergemark resolve --interactive doc.md` in `test` with `keys` on stdin.
pub fn run_interactive(test: &Test, keys: &str, editor: Option<&str>) -> (i32, String, String) {
    let out = test.run_with_keys(&["resolve", "--interactive", "doc.md"], keys, editor);
    (out.code, out.stdout, out.stderr)
}

impl Test {
    /// Run with `args` and `keys` on stdin (the interactive resolver), from the current directory
    /// set, with `editor` as `$EDITOR` (none by default).
    pub fn run_with_keys(&self, args: &[&str], keys: &str, editor: Option<&str>) -> Output {
        use std::io::Write as _;
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mergemark"));
        command
            .current_dir(&self.cwd)
            .args(args)
            .env_remove("VISUAL")
            .env_remove("EDITOR")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        if let Some(editor) = editor {
            command.env("EDITOR", editor);
        }
        let mut child = command.spawn().expect("spawning mergemark");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(keys.as_bytes())
            .expect("writing keys");
        let output = child.wait_with_output().expect("waiting");
        Output {
            code: output.status.code().expect("an exit code"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// A repository whose merge of `topic` stopped on `a.md` (base `l1 l2 l3`): `ours` and `theirs`
/// are the sides' texts, `None` for a side that deleted it.
pub fn stopped_merge(ours: Option<&str>, theirs: Option<&str>) -> Test {
    let test = Test::new();
    let git = test.git();
    git.init();
    git.write("a.md", b"l1\nl2\nl3\n");
    git.commit_all("base");
    git.ok(&["checkout", "-q", "-b", "topic"]);
    match theirs {
        Some(text) => git.write("a.md", text.as_bytes()),
        None => {
            git.ok(&["rm", "-q", "a.md"]);
        }
    }
    git.ok(&["commit", "-q", "-a", "-m", "theirs", "--allow-empty"]);
    git.ok(&["checkout", "-q", "main"]);
    match ours {
        Some(text) => git.write("a.md", text.as_bytes()),
        None => {
            git.ok(&["rm", "-q", "a.md"]);
        }
    }
    git.ok(&["commit", "-q", "-a", "-m", "ours", "--allow-empty"]);
    let (code, _) = git.status(&["merge", "-q", "topic"]);
    assert_ne!(code, 0);
    test
}
