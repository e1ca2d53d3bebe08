//! Where a comment goes: token, API root, repository and pull request, from GitHub Actions'
//! own variables with command-line flags overriding them. Read once into [`GitHubEnv`] so
//! the resolution is testable without touching the process environment.

use std::fmt;
use std::path::{Path, PathBuf};

use super::token::Token;
use crate::error::InputError;

/// The public GitHub API root, used when `GITHUB_API_URL` is not set.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// What the GitHub Actions environment provides.
#[derive(Debug, Clone, Default)]
pub struct GitHubEnv {
    /// `GITHUB_TOKEN`.
    pub token: Option<Token>,
    /// `GITHUB_REPOSITORY`, `owner/name`.
    pub repository: Option<String>,
    /// `GITHUB_EVENT_PATH`: the JSON payload of the event that started the workflow.
    pub event_path: Option<PathBuf>,
    /// `GITHUB_API_URL`, e.g. `https://ghe.example.com/api/v3` on GitHub Enterprise Server.
    pub api_url: Option<String>,
}

impl GitHubEnv {
    /// Reads the variables from the process environment (empty values count as unset).
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        GitHubEnv {
            token: var("GITHUB_TOKEN").and_then(Token::new),
            repository: var("GITHUB_REPOSITORY"),
            event_path: var("GITHUB_EVENT_PATH").map(PathBuf::from),
            api_url: var("GITHUB_API_URL"),
        }
    }
}

/// A repository, `owner/name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    /// User or organisation.
    pub owner: String,
    /// Repository name.
    pub name: String,
}

impl Repo {
    /// Parses `owner/name`; `source` names the flag or variable for the error.
    pub fn parse(text: &str, source: &str) -> Result<Repo, InputError> {
        let valid = |part: &str| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        match text.split_once('/') {
            Some((owner, name)) if valid(owner) && valid(name) => Ok(Repo {
                owner: owner.to_string(),
                name: name.to_string(),
            }),
            _ => Err(InputError::flag(
                source,
                format!("{text:?} is not a repository of the form owner/name"),
            )),
        }
    }
}

impl fmt::Display for Repo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// Everything needed to post: resolved and validated.
#[derive(Debug, Clone)]
pub struct Target {
    /// API root without a trailing slash.
    pub api_url: String,
    /// The repository.
    pub repo: Repo,
    /// Pull request (issue) number.
    pub pr: u64,
    /// The token.
    pub token: Token,
}

/// Why a comment is not posted although the input is fine: a warning, not an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Missing {
    /// No `GITHUB_TOKEN`.
    #[error(
        "no GITHUB_TOKEN in the environment (pass `GITHUB_TOKEN: ${{{{ github.token }}}}` to the step)"
    )]
    Token,
    /// No repository.
    #[error("no repository: GITHUB_REPOSITORY is not set and --repo was not given")]
    Repo,
    /// No pull request to comment on (e.g. a push build).
    #[error("no pull request: {0}")]
    PullRequest(String),
}

/// Resolves the target from flags (which win) and the environment. `Ok(Err(_))`: the input
/// is valid but there is nothing to post to; `Err(_)`: bad input (exit 2).
pub fn resolve(
    repo_flag: Option<&str>,
    pr_flag: Option<u64>,
    env: &GitHubEnv,
) -> Result<Result<Target, Missing>, InputError> {
    let api_url = api_url(env.api_url.as_deref())?;
    let repo = match (repo_flag, &env.repository) {
        (Some(flag), _) => Some(Repo::parse(flag, "--repo")?),
        (None, Some(var)) => Some(Repo::parse(var, "GITHUB_REPOSITORY")?),
        (None, None) => None,
    };
    if pr_flag == Some(0) {
        return Err(InputError::flag("--pr", "pull request numbers start at 1"));
    }
    let pr = match (pr_flag, &env.event_path) {
        (Some(n), _) => Ok(n),
        (None, Some(path)) => pr_from_event(path)?,
        (None, None) => Err(Missing::PullRequest(
            "GITHUB_EVENT_PATH is not set and --pr was not given".to_string(),
        )),
    };
    let Some(repo) = repo else {
        return Ok(Err(Missing::Repo));
    };
    let pr = match pr {
        Ok(pr) => pr,
        Err(missing) => return Ok(Err(missing)),
    };
    let Some(token) = env.token.clone() else {
        return Ok(Err(Missing::Token));
    };
    Ok(Ok(Target {
        api_url,
        repo,
        pr,
        token,
    }))
}

/// Validates `GITHUB_API_URL` (or the default) and strips a trailing slash.
fn api_url(var: Option<&str>) -> Result<String, InputError> {
    let Some(url) = var else {
        return Ok(DEFAULT_API_URL.to_string());
    };
    let url = url.trim().trim_end_matches('/');
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .and_then(|rest| rest.split('/').next())
        .filter(|host| !host.is_empty());
    let parses = octocrab::Octocrab::builder().base_uri(url).is_ok();
    match host {
        Some(host) if parses && !host.contains(char::is_whitespace) => Ok(url.to_string()),
        _ => Err(InputError::flag(
            "GITHUB_API_URL",
            format!("{url:?} is not an http(s) URL"),
        )),
    }
}

/// The PR number in an event payload: `pull_request.number`, `issue.number`, or the first
/// of `workflow_run.pull_requests` (same-repository PRs only; GitHub leaves it empty for
/// forks, so the fork workflow passes `--pr`).
fn pr_from_event(path: &Path) -> Result<Result<u64, Missing>, InputError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::file(path, format!("GITHUB_EVENT_PATH: cannot read: {e}")))?;
    let event: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| InputError::file(path, format!("GITHUB_EVENT_PATH: not JSON: {e}")))?;
    let number = event
        .pointer("/pull_request/number")
        .or_else(|| event.pointer("/issue/number"))
        .or_else(|| event.pointer("/workflow_run/pull_requests/0/number"))
        .and_then(serde_json::Value::as_u64);
    Ok(number.filter(|&n| n > 0).ok_or_else(|| {
        Missing::PullRequest(
            "the event that started this workflow is not about a pull request (pass --pr N)"
                .to_string(),
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_with(event: Option<&str>) -> (GitHubEnv, Option<tempfile::NamedTempFile>) {
        let file = event.map(|json| {
            let f = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(f.path(), json).unwrap();
            f
        });
        let env = GitHubEnv {
            token: Token::new("t"),
            repository: Some("octo/repo".into()),
            event_path: file.as_ref().map(|f| f.path().to_path_buf()),
            api_url: None,
        };
        (env, file)
    }

    #[test]
    fn pr_number_comes_from_the_pull_request_event() {
        let (env, _f) = env_with(Some(r#"{"pull_request": {"number": 17}}"#));
        let target = resolve(None, None, &env).unwrap().unwrap();
        assert_eq!(target.pr, 17);
        assert_eq!(target.repo.to_string(), "octo/repo");
        assert_eq!(target.api_url, DEFAULT_API_URL);
    }

    #[test]
    fn pr_number_comes_from_an_issue_comment_or_workflow_run_event() {
        let (env, _f) = env_with(Some(r#"{"issue": {"number": 5}}"#));
        assert_eq!(resolve(None, None, &env).unwrap().unwrap().pr, 5);
        let (env, _f) = env_with(Some(
            r#"{"workflow_run": {"pull_requests": [{"number": 9}]}}"#,
        ));
        assert_eq!(resolve(None, None, &env).unwrap().unwrap().pr, 9);
    }

    #[test]
    fn flags_override_the_environment() {
        let (env, _f) = env_with(Some(r#"{"pull_request": {"number": 17}}"#));
        let target = resolve(Some("a/b"), Some(3), &env).unwrap().unwrap();
        assert_eq!((target.repo.to_string(), target.pr), ("a/b".into(), 3));
    }

    #[test]
    fn push_event_is_missing_pr_context_not_an_error() {
        let (env, _f) = env_with(Some(r#"{"ref": "refs/heads/main"}"#));
        let missing = resolve(None, None, &env).unwrap().unwrap_err();
        assert!(matches!(missing, Missing::PullRequest(_)));
    }

    #[test]
    fn missing_token_is_a_warning_not_an_error() {
        let (mut env, _f) = env_with(Some(r#"{"pull_request": {"number": 1}}"#));
        env.token = None;
        assert_eq!(
            resolve(None, None, &env).unwrap().unwrap_err(),
            Missing::Token
        );
    }

    #[test]
    fn bad_repo_flag_is_an_input_error_naming_the_flag() {
        let (env, _f) = env_with(None);
        for bad in ["noslash", "a/b/c", "/b", "a/", "a b/c"] {
            let err = resolve(Some(bad), Some(1), &env).unwrap_err();
            assert!(err.to_string().starts_with("--repo: "), "{bad}: {err}");
        }
    }

    #[test]
    fn bad_api_url_is_an_input_error_and_trailing_slash_is_dropped() {
        let (mut env, _f) = env_with(None);
        env.api_url = Some("ftp://x".into());
        let err = resolve(None, Some(1), &env).unwrap_err();
        assert!(err.to_string().starts_with("GITHUB_API_URL: "));
        env.api_url = Some("https://ghe.example.com/api/v3/".into());
        let target = resolve(None, Some(1), &env).unwrap().unwrap();
        assert_eq!(target.api_url, "https://ghe.example.com/api/v3");
    }

    #[test]
    fn unreadable_event_payload_is_an_input_error_naming_the_file() {
        let (env, f) = env_with(Some("{not json"));
        let err = resolve(None, None, &env).unwrap_err();
        assert!(
            err.to_string()
                .contains(&f.unwrap().path().display().to_string())
        );
    }
}
