//! The sticky PR comment: one comment per PR and `--id`, found by a hidden marker, updated
//! on every run and created only when none exists. Posting never decides the verdict: when
//! it cannot happen (fork PR, no token, no PR, GitHub unavailable) the caller gets a
//! [`NotPosted`] to show as a warning and carries on with the gate's exit code.

use serde::Deserialize;
use serde_json::json;

use super::api::{Api, ApiError, Method};
use super::context::{self, GitHubEnv, Missing, Target};
use super::retry::RetryPolicy;
use crate::error::InputError;
use crate::output::markdown::{self, MarkdownOptions};
use crate::verdict::Verdict;

/// GitHub's limit on the body of a comment, in characters.
pub const COMMENT_MAX_CHARS: usize = 65_536;

/// Most pages of comments read while looking for the marker (100 comments a page).
const MAX_PAGES: usize = 100;

/// What to post and where; `repo` and `pr` override the environment.
#[derive(Debug, Clone)]
pub struct CommentSettings {
    /// Id in the marker, for several perfgate jobs in one repository.
    pub id: String,
    /// Link to the HTML report, shown in the comment.
    pub report_url: Option<String>,
    /// `--repo owner/name`.
    pub repo: Option<String>,
    /// `--pr N`.
    pub pr: Option<u64>,
    /// How hard to retry.
    pub retry: RetryPolicy,
}

impl Default for CommentSettings {
    fn default() -> Self {
        CommentSettings {
            id: "perfgate".to_string(),
            report_url: None,
            repo: None,
            pr: None,
            retry: RetryPolicy::default(),
        }
    }
}

/// What happened to the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    /// A new comment was created.
    Created {
        /// Its URL.
        url: String,
    },
    /// The existing comment was updated.
    Updated {
        /// Its URL.
        url: String,
    },
    /// The existing comment already said exactly this.
    Unchanged {
        /// Its URL.
        url: String,
    },
}

/// Why no comment was posted although the input was fine. Shown as a warning.
#[derive(Debug, Clone, thiserror::Error)]
pub enum NotPosted {
    /// Token, repository or pull request is missing.
    #[error("not posting the PR comment: {0}")]
    Missing(#[from] Missing),
    /// The token may not write (a pull request from a fork gets a read-only token).
    #[error(
        "not posting the PR comment: the token may not comment on {repo}#{pr} ({message}). \
         Pull requests from forks get a read-only GITHUB_TOKEN: post with `perfgate comment` \
         from a `workflow_run` workflow instead (see .github/workflows/perfgate-comment.yml)"
    )]
    Forbidden {
        /// The repository.
        repo: String,
        /// The pull request.
        pr: u64,
        /// GitHub's message.
        message: String,
    },
    /// GitHub refused or failed otherwise.
    #[error("could not post the PR comment: {0}")]
    Api(ApiError),
}

/// A comment as the listing returns it.
#[derive(Debug, Deserialize)]
struct IssueComment {
    id: u64,
    #[serde(default)]
    body: Option<String>,
    html_url: String,
}

/// The hidden marker that identifies perfgate's comment for `id`.
pub fn marker(id: &str) -> String {
    format!("<!-- perfgate:{id} -->")
}

/// Checks a comment id: letters, digits, `.`, `_`, `-`, `/`, so the marker stays one
/// harmless HTML comment.
pub fn validate_id(id: &str) -> Result<(), InputError> {
    let ok = !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'));
    if ok {
        Ok(())
    } else {
        Err(InputError::flag(
            "--id",
            format!("{id:?}: use 1 to 100 letters, digits, '.', '_', '-' or '/'"),
        ))
    }
}

/// The full comment body: marker, then the Markdown verdict shortened to GitHub's limit.
pub fn comment_body(verdict: &Verdict, id: &str, report_url: Option<&str>) -> String {
    let marker = marker(id);
    let options = MarkdownOptions {
        report_url: report_url.map(str::to_string),
        ..MarkdownOptions::default()
    };
    let room = COMMENT_MAX_CHARS - markdown::utf16_len(&marker) - 1;
    format!(
        "{marker}\n{}",
        markdown::render_within(verdict, &options, room)
    )
}

/// Posts or updates the sticky verdict comment. `Err(InputError)`: bad input (exit 2);
/// `Ok(Err(NotPosted))`: a warning to show before carrying on.
pub fn post_verdict(
    verdict: &Verdict,
    settings: &CommentSettings,
    env: &GitHubEnv,
) -> Result<Result<Posted, NotPosted>, InputError> {
    validate_id(&settings.id)?;
    let target = match context::resolve(settings.repo.as_deref(), settings.pr, env)? {
        Ok(target) => target,
        Err(missing) => return Ok(Err(NotPosted::Missing(missing))),
    };
    let body = comment_body(verdict, &settings.id, settings.report_url.as_deref());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| InputError::flag("--comment", format!("cannot start the runtime: {e}")))?;
    Ok(runtime.block_on(upsert(&target, &settings.id, &body, settings.retry)))
}

/// Finds the marked comment (all pages) and updates it, or creates one.
async fn upsert(
    target: &Target,
    id: &str,
    body: &str,
    retry: RetryPolicy,
) -> Result<Posted, NotPosted> {
    let api = Api::new(target, retry).map_err(NotPosted::Api)?;
    let forbidden = |e: ApiError| match e {
        ApiError::Status {
            status: 403,
            message,
            ..
        } => NotPosted::Forbidden {
            repo: target.repo.to_string(),
            pr: target.pr,
            message,
        },
        other => NotPosted::Api(other),
    };
    let marker = marker(id);
    let existing = find_marked(&api, target, &marker)
        .await
        .map_err(forbidden)?;
    let payload = json!({ "body": body });
    let (owner, name) = (&target.repo.owner, &target.repo.name);
    match existing {
        Some(comment) if comment.body.as_deref() == Some(body) => {
            tracing::info!("comment {} is up to date", comment.id);
            Ok(Posted::Unchanged {
                url: comment.html_url,
            })
        }
        Some(comment) => {
            let path = format!("/repos/{owner}/{name}/issues/comments/{}", comment.id);
            let reply = api
                .send(Method::Patch, &path, Some(&payload))
                .await
                .map_err(forbidden)?;
            Ok(Posted::Updated {
                url: html_url(&reply.body).unwrap_or(comment.html_url),
            })
        }
        None => {
            let path = format!("/repos/{owner}/{name}/issues/{}/comments", target.pr);
            let reply = api
                .send(Method::Post, &path, Some(&payload))
                .await
                .map_err(forbidden)?;
            Ok(Posted::Created {
                url: html_url(&reply.body).unwrap_or_default(),
            })
        }
    }
}

/// The first comment of the PR whose body starts with `marker`, reading every page.
async fn find_marked(
    api: &Api,
    target: &Target,
    marker: &str,
) -> Result<Option<IssueComment>, ApiError> {
    let mut url = Some(format!(
        "/repos/{}/{}/issues/{}/comments?per_page=100",
        target.repo.owner, target.repo.name, target.pr
    ));
    let mut pages = 0;
    while let Some(page_url) = url.take() {
        pages += 1;
        let reply = api.send(Method::Get, &page_url, None).await?;
        let comments: Vec<IssueComment> =
            serde_json::from_str(&reply.body).map_err(|e| ApiError::Status {
                status: 200,
                method: Method::Get,
                url: page_url.clone(),
                message: format!("unexpected listing: {e}"),
            })?;
        if let Some(found) = comments.into_iter().find(|c| {
            c.body
                .as_deref()
                .is_some_and(|b| b.trim_start().starts_with(marker))
        }) {
            return Ok(Some(found));
        }
        if pages < MAX_PAGES {
            url = reply.next_page;
        } else if reply.next_page.is_some() {
            tracing::warn!("stopped looking for the marked comment after {MAX_PAGES} pages");
        }
    }
    Ok(None)
}

/// `html_url` of a created or updated comment.
fn html_url(body: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()?
        .get("html_url")?
        .as_str()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_is_a_hidden_html_comment_with_the_id() {
        assert_eq!(marker("perfgate"), "<!-- perfgate:perfgate -->");
    }

    #[test]
    fn ids_that_could_break_the_marker_are_rejected() {
        for bad in ["", "a -->", "x\ny", "a b", &"x".repeat(101)] {
            assert!(validate_id(bad).is_err(), "{bad:?}");
        }
        for good in ["perfgate", "gpu-runner", "linux_x86.64/fast"] {
            assert!(validate_id(good).is_ok(), "{good:?}");
        }
    }
}
