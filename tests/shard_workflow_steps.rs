//! A dry run of the `gate` job ("merge and gate") of .github/workflows/perfgate-sharded.yml
//! with the job's own `run:` scripts, read from the workflow file and executed by bash as
//! the runner would (`bash --noprofile --norc -eo pipefail`), against the local GitHub API
//! stand-in of the comment tests (wiremock). The `uses:` steps are played by the test: the
//! checkout holds the baseline, the artifacts are the binary and the shard files. First push:
//! one comment created; second push (a regression): the same comment updated in place, and
//! the job fails with perfgate's exit code 1.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use support::shard::{bless, run, split, suite_names};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const WORKFLOW: &str = include_str!("../.github/workflows/perfgate-sharded.yml");
const LIST: &str = "/repos/octo/repo/issues/7/comments";
const MARKER: &str = "<!-- perfgate:perfgate -->";

/// One step of a job: its name and its `run:` script (`None` for a `uses:` step).
#[derive(Debug)]
struct Step {
    name: String,
    run: Option<String>,
}

/// The steps of job `job` of a workflow, read from its text: each `- ` item of the job's
/// `steps:` list, with its `name:` and its `run:` (one line, or a `|` block de-indented).
fn job_steps(workflow: &str, job: &str) -> Vec<Step> {
    let lines: Vec<&str> = workflow.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let start = lines
        .iter()
        .position(|l| *l == format!("  {job}:"))
        .unwrap_or_else(|| panic!("no job {job}"));
    let end = (start + 1..lines.len())
        .find(|&i| indent(lines[i]) == 2 && !lines[i].trim().is_empty())
        .unwrap_or(lines.len());
    let mut steps: Vec<Step> = Vec::new();
    let mut i = start;
    while i < end {
        let line = lines[i];
        let body = line.trim_start();
        if indent(line) == 6 && body.starts_with("- ") {
            steps.push(Step {
                name: String::new(),
                run: None,
            });
        }
        let key = body.trim_start_matches("- ");
        let key_indent = indent(line) + (body.len() - key.len());
        if let Some(step) = steps.last_mut() {
            if let Some(name) = key.strip_prefix("name: ") {
                step.name = name.to_string();
            } else if key == "run: |" {
                let block: Vec<&str> = lines[i + 1..end]
                    .iter()
                    .take_while(|l| l.trim().is_empty() || indent(l) > key_indent)
                    .copied()
                    .collect();
                let cut = block
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .map_or(0, |l| indent(l));
                let script: Vec<&str> = block.iter().map(|l| l.get(cut..).unwrap_or("")).collect();
                step.run = Some(script.join("\n") + "\n");
                i += block.len();
            } else if let Some(command) = key.strip_prefix("run: ") {
                step.run = Some(format!("{command}\n"));
            }
        }
        i += 1;
    }
    steps
}

/// The runner's environment for one push: workspace, outputs, step summary, event, API.
struct Runner {
    workspace: PathBuf,
    env: Vec<(String, String)>,
}

impl Runner {
    /// A workspace as after checkout and the download steps: `baselines/NAME.json`,
    /// `bin/perfgate`, `shards/*.json`.
    fn new(dir: &Path, baseline: &Path, shards: &[PathBuf], api: &str) -> Runner {
        let workspace = dir.join("workspace");
        let name = WORKFLOW
            .lines()
            .find_map(|l| l.strip_prefix("  PERFGATE_BASELINE: "))
            .expect("workflow env PERFGATE_BASELINE");
        for sub in ["baselines", "bin", "shards"] {
            std::fs::create_dir_all(workspace.join(sub)).unwrap();
        }
        std::fs::copy(baseline, workspace.join(format!("baselines/{name}.json"))).unwrap();
        std::os::unix::fs::symlink(
            env!("CARGO_BIN_EXE_perfgate"),
            workspace.join("bin/perfgate"),
        )
        .unwrap();
        for shard in shards {
            let to = workspace.join("shards").join(shard.file_name().unwrap());
            std::fs::copy(shard, to).unwrap();
        }
        let event = dir.join("event.json");
        let payload = json!({"pull_request": {"number": 7}, "number": 7});
        std::fs::write(&event, payload.to_string()).unwrap();
        let path = |p: PathBuf| p.display().to_string();
        let env = vec![
            ("PERFGATE_BASELINE".into(), name.to_string()),
            ("GITHUB_ACTIONS".into(), "true".into()),
            ("GITHUB_OUTPUT".into(), path(dir.join("output.txt"))),
            ("GITHUB_STEP_SUMMARY".into(), path(dir.join("summary.md"))),
            ("GITHUB_EVENT_NAME".into(), "pull_request".into()),
            ("GITHUB_EVENT_PATH".into(), path(event)),
            ("GITHUB_REPOSITORY".into(), "octo/repo".into()),
            ("GITHUB_API_URL".into(), api.to_string()),
        ];
        Runner { workspace, env }
    }

    /// The value of `key` written to `$GITHUB_OUTPUT` so far.
    fn output(&self, key: &str) -> Option<String> {
        let file = &self.env.iter().find(|(k, _)| k == "GITHUB_OUTPUT")?.1;
        let text = std::fs::read_to_string(file).ok()?;
        text.lines()
            .rev()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .map(str::to_string)
    }

    /// Runs one step's script with the step's `env:` (given here, as the expressions would
    /// evaluate) and returns its exit code.
    fn run(&self, step: &Step, step_env: &[(&str, &str)]) -> i32 {
        let script = step.run.as_ref().expect("a run step");
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(&self.workspace)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap())
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(step_env.iter().copied())
            .output()
            .unwrap();
        eprintln!(
            "step {:?}: {:?}\n{}{}",
            step.name,
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out.status.code().expect("exited")
    }

    /// The gate job's run steps in order, their `if:` conditions as they evaluate for a
    /// same-repository pull request; returns the job's result (the last failing step's
    /// exit code, or 0).
    fn gate_job(&self, steps: &[Step]) -> i32 {
        let find = |name: &str| {
            steps
                .iter()
                .find(|s| s.name == name)
                .unwrap_or_else(|| panic!("step {name:?} in the gate job"))
        };
        assert_eq!(
            self.run(find("Merge and gate"), &[]),
            0,
            "the step keeps the code"
        );
        let code = self.output("exit-code").expect("exit-code output");
        if self.workspace.join("results.json").exists() {
            assert_eq!(self.run(find("Report"), &[]), 0);
        }
        let remember = find("Remember the pull request number");
        assert_eq!(self.run(remember, &[("PR_NUMBER", "7")]), 0);
        if self.workspace.join("verdict.json").exists() {
            let comment = find("Post or update the PR comment");
            let env = [
                ("GITHUB_TOKEN", "ghp_FAKE0123456789abcdefSECRET"),
                ("REPORT_URL", "https://github.com/octo/repo/actions/runs/1"),
            ];
            assert_eq!(self.run(comment, &env), 0, "comment posted");
        }
        if code != "0" {
            let fail = find("Fail on regression or bad input");
            return self.run(fail, &[("CODE", &code)]);
        }
        0
    }
}

fn comment(id: u64, body: &str) -> Value {
    json!({
        "id": id,
        "body": body,
        "html_url": format!("https://github.com/octo/repo/pull/7#issuecomment-{id}"),
    })
}

#[test]
fn the_workflow_file_has_the_gate_steps_this_test_runs() {
    let steps = job_steps(WORKFLOW, "gate");
    let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
    for name in [
        "Merge and gate",
        "Report",
        "Remember the pull request number",
        "Post or update the PR comment",
        "Fail on regression or bad input",
    ] {
        assert!(names.contains(&name), "{name:?} in {names:?}");
    }
    let merge = steps.iter().find(|s| s.name == "Merge and gate").unwrap();
    let script = merge.run.as_deref().unwrap();
    assert!(script.starts_with("chmod +x bin/perfgate\n"), "{script}");
    assert!(script.contains("bin/perfgate merge shards/*.json --out results.json"));
}

#[test]
fn sharded_workflow_gate_job_creates_one_comment_then_updates_it_in_place() {
    let steps = job_steps(WORKFLOW, "gate");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start());
    let dir = tempfile::tempdir().unwrap();
    let names = suite_names();
    let baseline = bless(dir.path(), &names);

    // First push: no comment yet → one POST.
    rt.block_on(
        Mock::given(method("GET"))
            .and(path(LIST))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server),
    );
    rt.block_on(
        Mock::given(method("POST"))
            .and(path(LIST))
            .respond_with(ResponseTemplate::new(201).set_body_json(comment(99, "x")))
            .expect(1)
            .mount(&server),
    );
    let push1 = tempfile::tempdir().unwrap();
    let shards = split(push1.path(), &run(&names, 11, None), 3);
    let runner = Runner::new(push1.path(), &baseline, &shards, &server.uri());
    assert_eq!(runner.gate_job(&steps), 0, "unchanged code passes");
    assert_eq!(runner.output("exit-code").as_deref(), Some("0"));
    let summary = std::fs::read_to_string(push1.path().join("summary.md")).unwrap();
    assert!(
        summary.contains(&format!("in {} benchmarks", names.len())),
        "{summary}"
    );
    for file in [
        "results.json",
        "verdict.json",
        "report.html",
        "pr-number.txt",
    ] {
        assert!(
            runner.workspace.join(file).exists(),
            "{file} for the artifact"
        );
    }
    let first = rt.block_on(server.received_requests()).unwrap();
    let methods: Vec<String> = first.iter().map(|r| r.method.to_string()).collect();
    assert_eq!(methods, ["GET", "POST"]);
    let body: Value = serde_json::from_slice(&first[1].body).unwrap();
    let body = body["body"].as_str().unwrap().to_string();
    assert!(body.starts_with(MARKER), "{body}");
    assert!(
        body.contains("actions/runs/1"),
        "links the run page: {body}"
    );

    // Second push (a regression): the listing holds the comment → one PATCH, no POST.
    rt.block_on(
        Mock::given(method("GET"))
            .and(path(LIST))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!([comment(5, "unrelated"), comment(99, &body)])),
            )
            .mount(&server),
    );
    rt.block_on(
        Mock::given(method("PATCH"))
            .and(path("/repos/octo/repo/issues/comments/99"))
            .respond_with(ResponseTemplate::new(200).set_body_json(comment(99, "y")))
            .expect(1)
            .mount(&server),
    );
    let push2 = tempfile::tempdir().unwrap();
    let slow = run(&names, 12, Some(("gelu/100000", 1.3)));
    let shards = split(push2.path(), &slow, 3);
    let runner = Runner::new(push2.path(), &baseline, &shards, &server.uri());
    assert_eq!(
        runner.gate_job(&steps),
        1,
        "the job fails with perfgate's code"
    );
    let all = rt.block_on(server.received_requests()).unwrap();
    let methods: Vec<String> = all.iter().map(|r| r.method.to_string()).collect();
    assert_eq!(methods, ["GET", "POST", "GET", "PATCH"]);
    let patched: Value = serde_json::from_slice(&all[3].body).unwrap();
    let patched = patched["body"].as_str().unwrap();
    assert!(patched.starts_with(MARKER));
    assert!(patched.contains("gelu/100000") && patched.contains("regression"));
    // wiremock checks the `expect`ed counts (one POST, one PATCH) when the server drops.
}

#[test]
fn a_missing_shard_fails_the_gate_job_with_exit_2_and_posts_nothing() {
    let steps = job_steps(WORKFLOW, "gate");
    let dir = tempfile::tempdir().unwrap();
    let names = suite_names();
    let baseline = bless(dir.path(), &names);
    let shards = split(dir.path(), &run(&names, 11, None), 3);
    // No API stand-in: a request would fail the comment step.
    let runner = Runner::new(dir.path(), &baseline, &shards[..2], "http://127.0.0.1:9");
    assert_eq!(runner.gate_job(&steps), 2);
    assert!(!runner.workspace.join("verdict.json").exists());
}
