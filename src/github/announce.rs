//! Telling the user what happened to the PR comment: a line on success, a warning (a
//! `::warning` annotation inside GitHub Actions) when it was not posted.

use std::io::Write;

use super::comment::{CommentSettings, NotPosted, Posted, post_verdict};
use super::context::GitHubEnv;
use crate::error::InputError;
use crate::output::github_actions::{ActionsEnv, escape_data, escape_property};
use crate::verdict::Verdict;

/// Posts the sticky comment and reports the outcome (stdout for success and annotations,
/// stderr for plain warnings). Only bad input is an error; a comment that could not be
/// posted is a warning, so the caller keeps the gate's exit code.
pub fn post_and_announce(
    verdict: &Verdict,
    settings: &CommentSettings,
    env: &GitHubEnv,
    actions: &ActionsEnv,
) -> Result<Option<Posted>, InputError> {
    let outcome = post_verdict(verdict, settings, env)?;
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    announce(&outcome, actions, &mut stdout.lock(), &mut stderr.lock());
    Ok(outcome.ok())
}

/// Writes the outcome line: to `out` on success (and as an annotation inside GitHub
/// Actions), to `err` as `warning: …` otherwise.
pub fn announce(
    outcome: &Result<Posted, NotPosted>,
    actions: &ActionsEnv,
    out: &mut dyn Write,
    err: &mut dyn Write,
) {
    let _ = match outcome {
        Ok(Posted::Created { url }) => writeln!(out, "perfgate: created the PR comment {url}"),
        Ok(Posted::Updated { url }) => writeln!(out, "perfgate: updated the PR comment {url}"),
        Ok(Posted::Unchanged { url }) => {
            writeln!(out, "perfgate: the PR comment {url} is up to date")
        }
        Err(not_posted) if actions.enabled => writeln!(
            out,
            "::warning title={}::{}",
            escape_property("perfgate: PR comment not posted"),
            escape_data(&not_posted.to_string())
        ),
        Err(not_posted) => writeln!(err, "warning: {not_posted}"),
    };
}
