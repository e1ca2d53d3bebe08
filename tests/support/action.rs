//! What the action tests share: reading action.yml and a workflow's perfgate step (just
//! enough YAML for these two files), a project in a git repository, and running the
//! action's scripts as the runner would, against the local GitHub API stand-in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The action's metadata, from the repository root.
pub const ACTION: &str = include_str!("../../action.yml");

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Strips one level of quotes from a YAML scalar.
fn scalar(v: &str) -> String {
    let v = v.trim();
    let quoted = v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')));
    if quoted {
        v[1..v.len() - 1].to_string()
    } else {
        v.to_string()
    }
}

/// The block of lines indented deeper than `lines[at]`, after it.
fn block<'a>(lines: &[&'a str], at: usize) -> Vec<&'a str> {
    let base = indent(lines[at]);
    lines[at + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) > base)
        .copied()
        .collect()
}

/// `key: value` pairs directly under `lines[at]` (one level deeper).
fn mapping(lines: &[&str], at: usize) -> BTreeMap<String, String> {
    let body = block(lines, at);
    let Some(first) = body.iter().find(|l| !l.trim().is_empty()) else {
        return BTreeMap::new();
    };
    let level = indent(first);
    body.iter()
        .filter(|l| indent(l) == level && !l.trim_start().starts_with('#'))
        .filter_map(|l| l.trim().split_once(':'))
        .map(|(k, v)| (k.to_string(), scalar(v)))
        .collect()
}

/// The action's inputs and their defaults.
pub fn action_defaults() -> BTreeMap<String, String> {
    let lines: Vec<&str> = ACTION.lines().collect();
    let start = lines.iter().position(|l| *l == "inputs:").expect("inputs:");
    let body = block(&lines, start);
    let mut out = BTreeMap::new();
    for (i, line) in body.iter().enumerate() {
        if indent(line) == 2 && line.trim_end().ends_with(':') {
            let name = line.trim().trim_end_matches(':').to_string();
            let props = mapping(&body, i);
            out.insert(name, props.get("default").cloned().unwrap_or_default());
        }
    }
    out
}

/// The composite step named `name`: its `env:` mapping and its `run:` line.
pub fn action_step(name: &str) -> (BTreeMap<String, String>, String) {
    let lines: Vec<&str> = ACTION.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == format!("- name: {name}"))
        .unwrap_or_else(|| panic!("step {name:?} in action.yml"));
    let step = block(&lines, at);
    let env_at = step.iter().position(|l| l.trim() == "env:");
    let env = env_at.map(|i| mapping(&step, i)).unwrap_or_default();
    let run = step
        .iter()
        .find_map(|l| l.trim().strip_prefix("run: "))
        .expect("a run: line")
        .to_string();
    (env, run)
}

/// The step of `workflow` that uses the perfgate action: its `uses:` and its `with:` inputs.
pub fn perfgate_step(workflow: &str) -> (String, BTreeMap<String, String>) {
    let lines: Vec<&str> = workflow.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim().starts_with("- uses: ") && l.contains("perfgate@"))
        .expect("a `uses: …perfgate@…` step");
    let uses = lines[at].trim().trim_start_matches("- uses: ").to_string();
    let step = block(&lines, at);
    let with = step
        .iter()
        .position(|l| l.trim() == "with:")
        .map(|i| mapping(&step, i))
        .unwrap_or_default();
    (uses, with)
}

/// Evaluates one `env:` value of action.yml for a pull request: `${{ inputs.x }}` and
/// `${{ inputs.x || github.event.pull_request.base.sha }}`; other expressions → `other`.
pub fn evaluate(
    expr: &str,
    inputs: &BTreeMap<String, String>,
    base_sha: &str,
    other: &str,
) -> String {
    let Some(inner) = expr
        .strip_prefix("${{ ")
        .and_then(|e| e.strip_suffix(" }}"))
    else {
        return expr.to_string();
    };
    let mut alternatives = inner.split(" || ");
    let first = alternatives.next().unwrap();
    let Some(input) = first.strip_prefix("inputs.") else {
        return other.to_string();
    };
    let value = inputs.get(input).cloned().unwrap_or_default();
    match alternatives.next() {
        Some("github.event.pull_request.base.sha") if value.is_empty() => base_sha.to_string(),
        _ => value,
    }
}

/// Runs `git` in `dir`, panicking on failure; returns stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Commits everything in `dir` and returns the commit's SHA.
pub fn commit_all(dir: &Path, message: &str) -> String {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

/// The runner of one job: workspace (the checkout), runner temp, outputs, event, API.
pub struct Runner {
    /// The checkout.
    pub workspace: PathBuf,
    /// Variables every step sees.
    pub env: Vec<(String, String)>,
    /// `$GITHUB_OUTPUT`.
    pub output_file: PathBuf,
    /// `$GITHUB_STEP_SUMMARY`.
    pub summary_file: PathBuf,
}

impl Runner {
    /// A runner for pull request 7 of octo/repo, with its files under `dir`.
    pub fn new(workspace: &Path, dir: &Path, api: &str) -> Runner {
        let event = dir.join("event.json");
        std::fs::write(&event, r#"{"pull_request": {"number": 7}, "number": 7}"#).unwrap();
        let temp = dir.join("runner-temp");
        std::fs::create_dir_all(&temp).unwrap();
        let output_file = dir.join("output.txt");
        let summary_file = dir.join("summary.md");
        let s = |p: &Path| p.display().to_string();
        let mut env = vec![
            ("PATH".into(), std::env::var("PATH").unwrap()),
            ("GITHUB_ACTIONS".into(), "true".into()),
            (
                "GITHUB_ACTION_PATH".into(),
                env!("CARGO_MANIFEST_DIR").into(),
            ),
            ("GITHUB_OUTPUT".into(), s(&output_file)),
            ("GITHUB_STEP_SUMMARY".into(), s(&summary_file)),
            ("GITHUB_EVENT_NAME".into(), "pull_request".into()),
            ("GITHUB_EVENT_PATH".into(), s(&event)),
            ("GITHUB_REPOSITORY".into(), "octo/repo".into()),
            ("GITHUB_API_URL".into(), api.into()),
            ("RUNNER_TEMP".into(), s(&temp)),
        ];
        for key in ["HOME", "RUSTUP_HOME", "CARGO_HOME", "RUSTUP_TOOLCHAIN"] {
            if let Ok(v) = std::env::var(key) {
                env.push((key.into(), v));
            }
        }
        Runner {
            workspace: workspace.to_path_buf(),
            env,
            output_file,
            summary_file,
        }
    }

    /// The last value of `key` written to `$GITHUB_OUTPUT`.
    pub fn output(&self, key: &str) -> Option<String> {
        let text = std::fs::read_to_string(&self.output_file).ok()?;
        text.lines()
            .rev()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .map(str::to_string)
    }

    /// Runs a composite step's `run:` line with its env, as the runner would
    /// (`bash --noprofile --norc -eo pipefail`); returns the exit code and the output.
    pub fn run(&self, run: &str, step_env: &BTreeMap<String, String>) -> (i32, String) {
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", run])
            .current_dir(&self.workspace)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(step_env.iter())
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("step {run:?}: {:?}\n{text}", out.status);
        (out.status.code().expect("exited"), text)
    }

    /// The action as a workflow step with these `with:` inputs: the install step (with
    /// `perfgate-bin` set to this build, as the release binary would be) and the gate step.
    /// Returns the gate step's exit code.
    pub fn action(&self, with: &BTreeMap<String, String>, base_sha: &str) -> i32 {
        let mut inputs = action_defaults();
        for (k, v) in with {
            assert!(
                inputs.contains_key(k),
                "input {k:?} is not an input of action.yml"
            );
            inputs.insert(k.clone(), v.clone());
        }
        inputs.insert("perfgate-bin".into(), env!("CARGO_BIN_EXE_perfgate").into());
        let (env, run) = action_step("Install perfgate");
        let env = env
            .iter()
            .map(|(k, v)| (k.clone(), evaluate(v, &inputs, base_sha, "")))
            .collect();
        assert_eq!(self.run(&run, &env).0, 0, "install step");
        let bin = self.output("bin").expect("install writes bin");
        let (env, run) = action_step("Gate");
        let mut env: BTreeMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.clone(), evaluate(v, &inputs, base_sha, "")))
            .collect();
        env.insert("PERFGATE".into(), bin);
        env.insert(
            "GITHUB_TOKEN".into(),
            "ghp_FAKE0123456789abcdefSECRET".into(),
        );
        env.insert(
            "REPORT_URL".into(),
            "https://github.com/octo/repo/actions/runs/1".into(),
        );
        let (code, text) = self.run(&run, &env);
        assert!(
            !text.contains("SECRET"),
            "the token never appears in output"
        );
        code
    }
}
