//! Inside GitHub Actions: the Markdown verdict appended to the job's step summary, and
//! `::error` / `::warning` workflow commands so regressions and doubtful results show up as
//! annotations.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use super::markdown::{self, MarkdownOptions};
use super::units::{duration, signed_percent, three_digits};
use crate::verdict::{BenchmarkVerdict, Check, Metric, Status, Verdict};

/// GitHub's limit on the step summary of one step (1 MiB); the verdict stays well below it.
const STEP_SUMMARY_MAX_CHARS: usize = 512 * 1024;

/// The parts of the GitHub Actions environment these outputs use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionsEnv {
    /// `GITHUB_ACTIONS=true`: running inside GitHub Actions.
    pub enabled: bool,
    /// `GITHUB_STEP_SUMMARY`: the file the step's summary is appended to.
    pub step_summary: Option<PathBuf>,
}

impl ActionsEnv {
    /// Reads `GITHUB_ACTIONS` and `GITHUB_STEP_SUMMARY` from the process environment.
    pub fn from_env() -> Self {
        ActionsEnv {
            enabled: std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true"),
            step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        }
    }
}

/// Publishes the verdict to GitHub Actions: appends the Markdown to the step summary and
/// prints the annotations on stdout (where the runner reads workflow commands). Does
/// nothing outside GitHub Actions.
pub fn publish(verdict: &Verdict, env: &ActionsEnv) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    publish_to(verdict, env, &mut stdout.lock())
}

/// [`publish`], with the annotations written to `out`.
pub fn publish_to(verdict: &Verdict, env: &ActionsEnv, out: &mut dyn Write) -> anyhow::Result<()> {
    if !env.enabled {
        return Ok(());
    }
    if let Some(path) = &env.step_summary {
        let options = MarkdownOptions::default();
        let mut text = markdown::render_within(verdict, &options, STEP_SUMMARY_MAX_CHARS);
        text.push('\n');
        // The runner gives every step its own summary file and other tools may have written
        // to it already: GitHub's protocol is to append, so this is not an atomic replace.
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("GITHUB_STEP_SUMMARY {}: cannot open", path.display()))?;
        file.write_all(text.as_bytes())
            .with_context(|| format!("GITHUB_STEP_SUMMARY {}: cannot write", path.display()))?;
    }
    for line in annotations(verdict) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The workflow commands for a verdict, one per line: an error per regression or failed
/// benchmark, a warning per note (missing baseline, machine mismatch, …) and per
/// inconclusive or missing benchmark.
pub fn annotations(verdict: &Verdict) -> Vec<String> {
    let mut lines = Vec::new();
    if verdict.baseline.is_none() {
        lines.push(command(
            "warning",
            "perfgate: no baseline",
            "nothing was compared. Bless a baseline for this machine with `perfgate bless` \
             (several runs, e.g. from CI artifacts) and commit baselines/.",
        ));
    }
    for note in &verdict.notes {
        lines.push(command("warning", "perfgate", note));
    }
    for b in &verdict.benchmarks {
        let level = match b.status {
            Status::Regression | Status::Failed => "error",
            Status::Inconclusive | Status::Missing => "warning",
            Status::Improvement | Status::New | Status::Unchanged => continue,
        };
        let title = format!("perfgate {}: {}", b.status.as_str(), b.name);
        lines.push(command(level, &title, &describe(b)));
    }
    lines
}

/// One sentence about a benchmark: its message, or its worst check in numbers.
fn describe(b: &BenchmarkVerdict) -> String {
    let check = b
        .checks
        .iter()
        .find(|c| c.status == b.status)
        .map(describe_check);
    match (&b.message, check) {
        (Some(m), Some(c)) => format!("{c}. {m}"),
        (Some(m), None) => m.clone(),
        (None, Some(c)) => c,
        (None, None) => format!("{} is {}", b.name, b.status.as_str()),
    }
}

/// "P50 +10.1% (3.47 ms → 3.82 ms), 95% CI +8.2% … +12.0%, limit 5%".
fn describe_check(c: &Check) -> String {
    let (metric, base, cand) = match c.metric {
        Metric::P10 => ("P10", duration(c.baseline), duration(c.candidate)),
        Metric::P50 => ("P50", duration(c.baseline), duration(c.candidate)),
        Metric::P95 => ("P95", duration(c.baseline), duration(c.candidate)),
        Metric::P99 => ("P99", duration(c.baseline), duration(c.candidate)),
        Metric::AllocBytes => (
            "alloc bytes",
            c.baseline.to_string(),
            c.candidate.to_string(),
        ),
        Metric::Allocs => ("allocs", c.baseline.to_string(), c.candidate.to_string()),
        Metric::Instructions => (
            "instructions",
            three_digits(c.baseline),
            three_digits(c.candidate),
        ),
    };
    let mut text = format!(
        "{metric} {} ({base} → {cand})",
        signed_percent(c.decided_change())
    );
    if let Some((lo, hi)) = c.decided_ci() {
        text.push_str(&format!(
            ", 95% CI {} … {}",
            signed_percent(lo),
            signed_percent(hi)
        ));
    }
    text.push_str(&format!(", limit {:.1}%", c.limit * 100.0));
    text
}

/// `::level title=TITLE::MESSAGE`, both escaped.
fn command(level: &str, title: &str, message: &str) -> String {
    format!(
        "::{level} title={}::{}",
        escape_property(title),
        escape_data(message)
    )
}

/// Escapes a workflow command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as [`escape_data`], plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_data_escapes_percent_and_line_breaks() {
        assert_eq!(escape_data("50% \r\nslower"), "50%25 %0D%0Aslower");
    }

    #[test]
    fn workflow_command_property_escapes_colon_and_comma() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn a_hostile_name_cannot_inject_a_second_workflow_command() {
        let line = command("error", "x\n::warning::y", "m\n::add-mask::z");
        assert_eq!(line.lines().count(), 1);
        assert_eq!(
            line,
            "::error title=x%0A%3A%3Awarning%3A%3Ay::m%0A::add-mask::z"
        );
    }
}
