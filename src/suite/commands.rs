//! Command benchmarks: the suite file `perfgate.toml` of a project being gated. The serde
//! structs below are its schema; each `[[bench]]` is a command whose every run is one
//! sample (one process: wall time from spawn to exit, user/system time, max RSS).
//!
//! ```toml
//! build = ["cargo", "build", "--release"]   # optional; once per side by `perfgate ab`
//! build_timeout_s = 3600                      # optional; default 3600
//!
//! [[bench]]
//! name = "compress/xz-9"
//! command = ["xz", "-9", "-c", "-k", "data.bin"]   # argv, run directly
//! setup = "head -c 2000000 /dev/urandom > data.bin"   # once, before the first run (sh -c)
//! prepare = "rm -f data.bin.xz"                     # before every run, not timed (sh -c)
//! cleanup = "rm -f data.bin"                        # once, after the last run (sh -c)
//! cwd = "bench"                                     # relative to perfgate.toml
//! env = { LC_ALL = "C" }
//! warmup_runs = 1
//! timeout_s = 30.0
//!
//! [[bench]]
//! name = "pipeline"
//! command = "sort data.txt | uniq -c > /dev/null"  # a string needs shell = true
//! shell = true
//! ```

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::error::InputError;

/// Default suite file name, looked for in the working directory.
pub const SUITE_FILE: &str = "perfgate.toml";

/// Default time limit of one run.
pub const DEFAULT_TIMEOUT_S: f64 = 600.0;

/// Default time limit of the `build` command.
pub const DEFAULT_BUILD_TIMEOUT_S: f64 = 3600.0;

/// The suite file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuite {
    #[serde(default)]
    build: Option<toml::Spanned<RawCommand>>,
    #[serde(default)]
    build_timeout_s: Option<f64>,
    #[serde(default)]
    bench: Vec<toml::Spanned<RawBench>>,
}

/// One `[[bench]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBench {
    name: String,
    command: RawCommand,
    #[serde(default)]
    shell: bool,
    #[serde(default)]
    setup: Option<String>,
    #[serde(default)]
    prepare: Option<String>,
    #[serde(default)]
    cleanup: Option<String>,
    #[serde(default)]
    cwd: Option<PathBuf>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    warmup_runs: u32,
    #[serde(default)]
    timeout_s: Option<f64>,
}

/// `command`: an argv list, or a string for `sh -c`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawCommand {
    Argv(Vec<String>),
    Line(String),
}

/// A validated command benchmark.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandBench {
    /// Unique name.
    pub name: String,
    /// Group: the part of the name before the first `/`.
    pub group: String,
    /// The program and its arguments (`sh -c LINE` for shell commands).
    pub argv: Vec<String>,
    /// Run once before the first run, through `sh -c`.
    pub setup: Option<String>,
    /// Run before every run (warm-up runs too), not timed, through `sh -c`.
    pub prepare: Option<String>,
    /// Run once after the last run, through `sh -c`.
    pub cleanup: Option<String>,
    /// Working directory (the suite file's directory when not set).
    pub cwd: PathBuf,
    /// Extra environment variables.
    pub env: BTreeMap<String, String>,
    /// Untimed runs before the first sample.
    pub warmup_runs: u32,
    /// Time limit of one run; the process group is killed beyond it.
    pub timeout: Duration,
}

impl CommandBench {
    /// What `perfgate list` shows for it: the command line.
    pub fn description(&self) -> String {
        match self.argv.as_slice() {
            [sh, c, line] if sh == "sh" && c == "-c" => line.clone(),
            argv => argv.join(" "),
        }
    }
}

/// A suite file: its path and its benchmarks in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandSuite {
    /// Where it was read from.
    pub path: PathBuf,
    /// The benchmarks.
    pub benches: Vec<CommandBench>,
    /// The `build` command, run by `perfgate ab` once per side before measuring.
    pub build: Option<BuildCommand>,
}

/// The suite's top-level `build`: an argv list, or a string run through `sh -c`.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildCommand {
    /// The program and its arguments (`sh -c LINE` for a string).
    pub argv: Vec<String>,
    /// Where it runs: the suite file's directory.
    pub cwd: PathBuf,
    /// Time limit; the process group is killed beyond it.
    pub timeout: Duration,
}

impl BuildCommand {
    /// The command line, for messages.
    pub fn description(&self) -> String {
        match self.argv.as_slice() {
            [sh, c, line] if sh == "sh" && c == "-c" => line.clone(),
            argv => argv.join(" "),
        }
    }
}

/// Reads and validates a suite file.
pub fn load_suite(path: &Path) -> Result<CommandSuite, InputError> {
    let bytes = crate::error::read_file(path)?;
    parse_suite(&bytes, path)
}

/// Parses and validates the bytes of a suite file; errors name `path`, the line and the
/// key. Relative `cwd`s are resolved against `path`'s directory.
pub fn parse_suite(bytes: &[u8], path: &Path) -> Result<CommandSuite, InputError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| InputError::file(path, format!("not UTF-8 text: {e}")))?;
    let line_of = |offset: usize| {
        text.as_bytes()[..offset.min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    };
    let raw: RawSuite = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(s.start));
        let message = e.message().trim();
        // A type error points at the value and does not name its key: name it.
        match e.span().and_then(|s| key_before(text, s.start)) {
            Some(key) => InputError::file(path, format!("line {line}: key `{key}`: {message}")),
            None => InputError::file(path, format!("line {line}: {message}")),
        }
    })?;
    let build = match raw.build {
        None => None,
        Some(spanned) => {
            let line = line_of(spanned.span().start);
            let fail =
                |cause: &str| InputError::file(path, format!("line {line}: key `build`: {cause}"));
            let argv = match spanned.into_inner() {
                RawCommand::Argv(argv) if argv.first().is_some_and(|p| !p.is_empty()) => argv,
                RawCommand::Argv(_) => return Err(fail("the argv list is empty")),
                RawCommand::Line(l) if !l.trim().is_empty() => {
                    vec!["sh".to_string(), "-c".to_string(), l]
                }
                RawCommand::Line(_) => return Err(fail("empty")),
            };
            Some(argv)
        }
    };
    let build_timeout_s = raw.build_timeout_s.unwrap_or(DEFAULT_BUILD_TIMEOUT_S);
    if !(build_timeout_s.is_finite() && build_timeout_s > 0.0 && build_timeout_s <= 86_400.0) {
        return Err(InputError::file(
            path,
            "key `build_timeout_s`: must be a number of seconds in (0, 86400]",
        ));
    }
    if raw.bench.is_empty() {
        return Err(InputError::file(
            path,
            "no [[bench]] entries (each needs at least `name` and `command`)",
        ));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut seen = HashSet::new();
    let mut benches = Vec::new();
    for spanned in raw.bench {
        let line = line_of(spanned.span().start);
        let fail = |key: &str, cause: &str| {
            InputError::file(path, format!("line {line}: [[bench]] key `{key}`: {cause}"))
        };
        let b = spanned.into_inner();
        if b.name.trim().is_empty() {
            return Err(fail("name", "empty"));
        }
        if !seen.insert(b.name.clone()) {
            return Err(fail("name", &format!("{:?} is used twice", b.name)));
        }
        let argv = match (b.command, b.shell) {
            (RawCommand::Argv(argv), false) if argv.first().is_some_and(|p| !p.is_empty()) => argv,
            (RawCommand::Argv(_), false) => {
                return Err(fail("command", "the argv list is empty"));
            }
            (RawCommand::Argv(_), true) => {
                return Err(fail("command", "shell = true takes a string, not a list"));
            }
            (RawCommand::Line(line), true) if !line.trim().is_empty() => {
                vec!["sh".to_string(), "-c".to_string(), line]
            }
            (RawCommand::Line(_), true) => return Err(fail("command", "empty")),
            (RawCommand::Line(_), false) => {
                return Err(fail(
                    "command",
                    "a string is run through `sh -c` only with `shell = true`; \
                     otherwise give the argv as a list",
                ));
            }
        };
        let timeout_s = b.timeout_s.unwrap_or(DEFAULT_TIMEOUT_S);
        if !(timeout_s.is_finite() && timeout_s > 0.0 && timeout_s <= 86_400.0) {
            return Err(fail(
                "timeout_s",
                "must be a number of seconds in (0, 86400]",
            ));
        }
        let cwd = match b.cwd {
            Some(c) if c.is_absolute() => c,
            Some(c) => dir.join(c),
            None => dir.to_path_buf(),
        };
        benches.push(CommandBench {
            group: b.name.split('/').next().unwrap_or_default().to_string(),
            name: b.name,
            argv,
            setup: b.setup,
            prepare: b.prepare,
            cleanup: b.cleanup,
            cwd,
            env: b.env,
            warmup_runs: b.warmup_runs,
            timeout: Duration::from_secs_f64(timeout_s),
        });
    }
    Ok(CommandSuite {
        path: path.to_path_buf(),
        benches,
        build: build.map(|argv| BuildCommand {
            argv,
            cwd: dir.to_path_buf(),
            timeout: Duration::from_secs_f64(build_timeout_s),
        }),
    })
}

/// The key of the `key = value` whose value starts at `offset`, when the line says so.
fn key_before(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[')).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<CommandSuite, InputError> {
        parse_suite(text.as_bytes(), Path::new("dir/perfgate.toml"))
    }

    #[test]
    fn argv_and_shell_commands() {
        let s = parse(
            r#"
[[bench]]
name = "a/x"
command = ["echo", "hi"]
env = { K = "v" }
warmup_runs = 2
timeout_s = 1.5
cwd = "sub"

[[bench]]
name = "b"
command = "echo hi | cat"
shell = true
"#,
        )
        .unwrap();
        let a = &s.benches[0];
        assert_eq!((a.name.as_str(), a.group.as_str()), ("a/x", "a"));
        assert_eq!(a.argv, ["echo", "hi"]);
        assert_eq!(a.cwd, Path::new("dir/sub"));
        assert_eq!(a.timeout, Duration::from_millis(1500));
        assert_eq!(a.warmup_runs, 2);
        assert_eq!(a.env["K"], "v");
        assert_eq!(s.benches[1].argv, ["sh", "-c", "echo hi | cat"]);
        assert_eq!(s.benches[1].description(), "echo hi | cat");
        assert_eq!(s.benches[1].cwd, Path::new("dir"));
        assert_eq!(s.benches[1].timeout, Duration::from_secs(600));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let cases = [
            (
                "[[bench]]\nname = \"a\"\ncommand = \"x\"\n",
                "line 1: [[bench]] key `command`",
            ),
            (
                "[[bench]]\nname = \"a\"\ncommand = []\n",
                "key `command`: the argv list is empty",
            ),
            (
                "[[bench]]\nname = \"a\"\ncommand = [\"x\"]\n\n[[bench]]\nname = \"a\"\ncommand = [\"y\"]\n",
                "line 5: [[bench]] key `name`",
            ),
            (
                "[[bench]]\nname = \"a\"\ncommand = [\"x\"]\ntimeout_s = -1\n",
                "key `timeout_s`",
            ),
            (
                "[[bench]]\nname = \"a\"\ncommand = [\"x\"]\nwarmup = 1\n",
                "line 4: unknown field `warmup`",
            ),
            ("[[bench]]\nname = \"a\"\n", "missing field `command`"),
            ("x = 1\n", "unknown field `x`"),
            (
                "[[bench]]\nname = \"a\"\ncommand = [\"x\"]\ntimeout_s = \"soon\"\n",
                "line 4: key `timeout_s`: invalid type: string \"soon\"",
            ),
            (
                "[[bench]]\nname = \"a\"\ncommand = [\"x\"]\nenv = { K = 1 }\n",
                "line 4: key `env`: invalid type: integer",
            ),
            (
                "build = []\n[[bench]]\nname = \"a\"\ncommand = [\"x\"]\n",
                "line 1: key `build`: the argv list is empty",
            ),
            (
                "build = \"make\"\nbuild_timeout_s = 0\n[[bench]]\nname = \"a\"\ncommand = [\"x\"]\n",
                "key `build_timeout_s`",
            ),
            ("", "no [[bench]] entries"),
        ];
        for (text, want) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(
                err.starts_with("dir/perfgate.toml: ") && err.contains(want),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn build_is_an_argv_or_a_shell_line_run_in_the_suite_directory() {
        let bench = "[[bench]]\nname = \"a\"\ncommand = [\"x\"]\n";
        let s = parse(&format!("build = [\"cargo\", \"build\"]\n{bench}")).unwrap();
        let build = s.build.unwrap();
        assert_eq!(build.argv, ["cargo", "build"]);
        assert_eq!(build.cwd, Path::new("dir"));
        assert_eq!(build.timeout, Duration::from_secs(3600));
        let s = parse(&format!(
            "build = \"make -j2 && ls\"\nbuild_timeout_s = 60\n{bench}"
        ))
        .unwrap();
        let build = s.build.unwrap();
        assert_eq!(build.argv, ["sh", "-c", "make -j2 && ls"]);
        assert_eq!(build.description(), "make -j2 && ls");
        assert_eq!(build.timeout, Duration::from_secs(60));
        assert!(parse(bench).unwrap().build.is_none());
    }
}
