//! `perfgate history add|check|ack|report`: validate the arguments, call `history`, print.

use anyhow::Context;

use crate::cli::{DetectArgs, HistoryAction, HistoryCommand, HistoryFormat, HistorySource};
use crate::error::{EXIT_PASS, EXIT_REGRESSION, InputError};
use crate::github::issue::{IssueSettings, upsert_issue};
use crate::github::retry::RetryPolicy;
use crate::github::{GitHubEnv, Posted};
use crate::history::{Added, CheckOutcome, History, Store, add_results, check, load_history};
use crate::output::stdout::print;
use crate::report::history::{
    HtmlOptions, ISSUE_MARKER, render_html, render_json, render_markdown, render_table,
};
use crate::results::write_atomic;
use crate::stats::changepoint::DetectParams;

/// Runs `perfgate history …`.
pub fn run(cmd: HistoryCommand) -> anyhow::Result<i32> {
    match cmd.action {
        HistoryAction::Add(c) => {
            let store = Store::new(&c.store);
            for added in add_results(&store, &c.results, c.commit.as_deref(), c.time.as_deref())? {
                match added {
                    Added::New(p) => eprintln!("added {}", p.display()),
                    Added::AlreadyPresent(p) => {
                        eprintln!("already present, unchanged: {}", p.display())
                    }
                }
            }
            Ok(EXIT_PASS)
        }
        HistoryAction::Ack(c) => {
            match Store::new(&c.store).ack(&c.commit, c.benchmark.as_deref())? {
                Added::New(p) => eprintln!("acknowledged: {}", p.display()),
                Added::AlreadyPresent(p) => eprintln!("already acknowledged: {}", p.display()),
            }
            Ok(EXIT_PASS)
        }
        HistoryAction::Check(c) => {
            let (history, params) = prepare(&c.source, &c.detect)?;
            let outcome = check(&history, c.detect.method, &params);
            let text = match c.format {
                HistoryFormat::Table => render_table(&outcome),
                HistoryFormat::Markdown => render_markdown(&outcome),
                HistoryFormat::Json => render_json(&outcome),
            };
            print(&text)?;
            if c.issue {
                post_issue(&outcome, c.repo.clone())?;
            }
            Ok(if outcome.unacknowledged_regressions().next().is_some() {
                EXIT_REGRESSION
            } else {
                EXIT_PASS
            })
        }
        HistoryAction::Report(c) => {
            if c.html.is_none() && c.markdown.is_none() {
                return Err(
                    InputError::flag("--html/--markdown", "give at least one output file").into(),
                );
            }
            let (history, params) = prepare(&c.source, &c.detect)?;
            let outcome = check(&history, c.detect.method, &params);
            if let Some(path) = &c.markdown {
                write_atomic(path, render_markdown(&outcome).as_bytes())?;
                eprintln!("wrote {}", path.display());
            }
            if let Some(path) = &c.html {
                let commit_url = c.commit_url.clone().or_else(github_commit_url);
                let opts = HtmlOptions {
                    commit_url,
                    last: c.last,
                };
                write_atomic(path, render_html(&history, &outcome, &opts).as_bytes())?;
                eprintln!("wrote {}", path.display());
            }
            Ok(EXIT_PASS)
        }
    }
}

/// Opens or updates the history issue; a failure to post is a warning.
fn post_issue(outcome: &CheckOutcome, repo: Option<String>) -> anyhow::Result<()> {
    let open = outcome.unacknowledged_regressions().count();
    let settings = IssueSettings {
        repo,
        marker: ISSUE_MARKER.to_string(),
        title: format!("perfgate history: {open} unacknowledged regression(s) on main"),
        open_if_missing: open > 0,
        retry: RetryPolicy::default(),
    };
    let body = issue_body(&render_markdown(outcome));
    match upsert_issue(&body, &settings, &GitHubEnv::from_env())? {
        Ok(Some(Posted::Created { url })) => eprintln!("opened the history issue: {url}"),
        Ok(Some(Posted::Updated { url })) => eprintln!("updated the history issue: {url}"),
        Ok(Some(Posted::Unchanged { url })) => eprintln!("the history issue is up to date: {url}"),
        Ok(None) => eprintln!("no regression and no history issue open: nothing posted"),
        Err(warning) => eprintln!("warning: {warning}"),
    }
    Ok(())
}

/// `markdown` cut at a line to fit GitHub's 65,536-character body limit.
fn issue_body(markdown: &str) -> String {
    const ROOM: usize = 60_000;
    if markdown.chars().count() <= ROOM {
        return markdown.to_string();
    }
    let mut out = String::new();
    let mut dropped = 0;
    for line in markdown.lines() {
        if dropped > 0 || out.chars().count() + line.chars().count() + 1 > ROOM {
            dropped += 1;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "\n… {dropped} more lines: see the trend report artifact.\n"
    ));
    out
}

/// `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/commit/{commit}` when both are set.
fn github_commit_url() -> Option<String> {
    let server = std::env::var("GITHUB_SERVER_URL").ok()?;
    let repo = std::env::var("GITHUB_REPOSITORY").ok()?;
    Some(format!("{server}/{repo}/commit/{{commit}}"))
}

/// Validates the detection flags and loads the history.
fn prepare(source: &HistorySource, detect: &DetectArgs) -> anyhow::Result<(History, DetectParams)> {
    if let Some(w) = detect.window
        && w < 2
    {
        return Err(InputError::flag("--window", format!("{w}: must be at least 2")).into());
    }
    if let Some(p) = detect.max_pvalue
        && !(p > 0.0 && p <= 1.0)
    {
        return Err(InputError::flag("--max-pvalue", format!("{p}: must be in (0, 1]")).into());
    }
    if let Some(m) = detect.min_magnitude
        && !(m >= 0.0 && m.is_finite())
    {
        return Err(InputError::flag("--min-magnitude", format!("{m}: must be ≥ 0")).into());
    }
    let filter = source
        .filter
        .as_deref()
        .map(regex::Regex::new)
        .transpose()
        .map_err(|e| InputError::flag("--filter", e.to_string()))?;
    let history = load_history(&source.store, source.csv.as_deref(), filter.as_ref())
        .context("reading the history")?;
    let params = DetectParams {
        window: detect.window,
        max_pvalue: detect.max_pvalue,
        min_magnitude: detect.min_magnitude,
    };
    Ok((history, params))
}
