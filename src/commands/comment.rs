//! `perfgate comment`: post (or update) the sticky verdict comment from a verdict JSON.

use std::path::Path;

use crate::cli::CommentCommand;
use crate::error::{EXIT_PASS, InputError};
use crate::github::{CommentSettings, GitHubEnv, post_and_announce};
use crate::output::github_actions::ActionsEnv;
use crate::verdict::{VERDICT_SCHEMA, Verdict};

/// Runs `perfgate comment`. Exit 0 when the comment was posted or skipped with a warning
/// (fork PR, no token, no PR, GitHub unavailable); bad input is an error (exit 2).
pub fn run(cmd: CommentCommand) -> anyhow::Result<i32> {
    let verdict = load_verdict(&cmd.verdict)?;
    let settings = CommentSettings {
        id: cmd.id,
        report_url: cmd.report_url,
        repo: cmd.repo,
        pr: cmd.pr,
        ..CommentSettings::default()
    };
    post_and_announce(
        &verdict,
        &settings,
        &GitHubEnv::from_env(),
        &ActionsEnv::from_env(),
    )?;
    Ok(EXIT_PASS)
}

/// Reads a verdict JSON written by `run --verdict-out` or `compare --out`.
fn load_verdict(path: &Path) -> Result<Verdict, InputError> {
    let text = crate::error::read_text(path)?;
    let verdict: Verdict = serde_json::from_str(&text)
        .map_err(|e| InputError::file(path, format!("not a valid verdict file: {e}")))?;
    if verdict.schema != VERDICT_SCHEMA {
        return Err(InputError::file(
            path,
            format!(
                "unsupported schema {:?} (this perfgate reads {VERDICT_SCHEMA:?})",
                verdict.schema
            ),
        ));
    }
    Ok(verdict)
}
