//! The history issue: one open issue per repository, found by a hidden marker at the start
//! of its body (as the sticky PR comment is). It is created when `history check` finds an
//! unacknowledged regression and none is open, updated when one is open, and never closed
//! by perfgate. Failures to post are warnings ([`NotPosted`]); the check's exit code stands.

use serde::Deserialize;
use serde_json::json;

use super::api::{Api, ApiError, Method};
use super::comment::{NotPosted, Posted};
use super::context::{self, GitHubEnv};
use super::retry::RetryPolicy;
use crate::error::InputError;

/// Most pages of open issues read while looking for the marker (100 a page).
const MAX_PAGES: usize = 20;

/// What to post and where.
#[derive(Debug, Clone)]
pub struct IssueSettings {
    /// `--repo owner/name` (else `GITHUB_REPOSITORY`).
    pub repo: Option<String>,
    /// The hidden marker the body starts with.
    pub marker: String,
    /// Title of a new or updated issue.
    pub title: String,
    /// Whether there is something to report: without it no issue is created (an open one
    /// is still updated, so it shows the regression as acknowledged or gone).
    pub open_if_missing: bool,
    /// How hard to retry.
    pub retry: RetryPolicy,
}

#[derive(Debug, Deserialize)]
struct Issue {
    number: u64,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    title: String,
    html_url: String,
    #[serde(default)]
    pull_request: Option<serde_json::Value>,
}

/// Creates or updates the marked issue with `body` (which must start with the marker).
/// `Ok(Ok(None))`: nothing to report and no issue open.
pub fn upsert_issue(
    body: &str,
    settings: &IssueSettings,
    env: &GitHubEnv,
) -> Result<Result<Option<Posted>, NotPosted>, InputError> {
    // The resolver wants a pull request; issues are addressed by number below instead.
    let target = match context::resolve(settings.repo.as_deref(), Some(1), env)? {
        Ok(target) => target,
        Err(missing) => return Ok(Err(NotPosted::Missing(missing))),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| InputError::flag("--issue", format!("cannot start the runtime: {e}")))?;
    Ok(runtime.block_on(async {
        let api = Api::new(&target, settings.retry).map_err(NotPosted::Api)?;
        let base = format!("/repos/{}/{}/issues", target.repo.owner, target.repo.name);
        let existing = find_marked(&api, &base, &settings.marker)
            .await
            .map_err(NotPosted::Api)?;
        let payload = json!({ "title": settings.title, "body": body });
        match existing {
            Some(issue) if issue.body.as_deref() == Some(body) && issue.title == settings.title => {
                Ok(Some(Posted::Unchanged {
                    url: issue.html_url,
                }))
            }
            Some(issue) => {
                let path = format!("{base}/{}", issue.number);
                api.send(Method::Patch, &path, Some(&payload))
                    .await
                    .map_err(NotPosted::Api)?;
                Ok(Some(Posted::Updated {
                    url: issue.html_url,
                }))
            }
            None if settings.open_if_missing => {
                let reply = api
                    .send(Method::Post, &base, Some(&payload))
                    .await
                    .map_err(NotPosted::Api)?;
                let url = serde_json::from_str::<serde_json::Value>(&reply.body)
                    .ok()
                    .and_then(|v| v.get("html_url")?.as_str().map(str::to_string))
                    .unwrap_or_default();
                Ok(Some(Posted::Created { url }))
            }
            None => Ok(None),
        }
    }))
}

/// The first open issue (not pull request) whose body starts with `marker`.
async fn find_marked(api: &Api, base: &str, marker: &str) -> Result<Option<Issue>, ApiError> {
    let mut url = Some(format!("{base}?state=open&per_page=100"));
    let mut pages = 0;
    while let Some(page_url) = url.take() {
        pages += 1;
        let reply = api.send(Method::Get, &page_url, None).await?;
        let issues: Vec<Issue> =
            serde_json::from_str(&reply.body).map_err(|e| ApiError::Status {
                status: 200,
                method: Method::Get,
                url: page_url.clone(),
                message: format!("unexpected listing: {e}"),
            })?;
        if let Some(found) = issues.into_iter().find(|i| {
            i.pull_request.is_none()
                && i.body
                    .as_deref()
                    .is_some_and(|b| b.trim_start().starts_with(marker))
        }) {
            return Ok(Some(found));
        }
        if pages < MAX_PAGES {
            url = reply.next_page;
        }
    }
    Ok(None)
}
