//! What every gating command shares at its end: where baselines live, reading
//! `--thresholds`, and emitting a verdict (file, stdout, GitHub) as an exit code.

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::{Format, GateArgs};
use crate::error::{EXIT_PASS, EXIT_REGRESSION};
use crate::gate::Thresholds;
use crate::github::{self, CommentSettings, GitHubEnv};
use crate::output::github_actions::{self, ActionsEnv};
use crate::output::{markdown, stdout, terminal, verdict_json};
use crate::verdict::{Outcome, Verdict};

/// Directory holding the committed baselines.
pub(crate) const BASELINES_DIR: &str = "baselines";

/// The thresholds file used when `--thresholds` is not given.
const DEFAULT_THRESHOLDS: &str = "thresholds.toml";

/// Reads `--thresholds`. The default file may be absent (built-in defaults apply and the
/// verdict says so); an explicitly named file must exist.
pub(crate) fn load_thresholds(path: &Path) -> anyhow::Result<Thresholds> {
    if path == Path::new(DEFAULT_THRESHOLDS) && !path.exists() {
        let mut builtin = Thresholds::default();
        builtin.file = format!("built-in defaults ({DEFAULT_THRESHOLDS} not found)");
        return Ok(builtin);
    }
    Ok(Thresholds::load(path)?)
}

/// Writes `--out`, prints the verdict in the chosen format, publishes it to GitHub Actions
/// (step summary, annotations; the PR comment with `--comment`), maps it to the exit code.
pub(crate) fn emit(verdict: Verdict, gate: &GateArgs, out: Option<&Path>) -> anyhow::Result<i32> {
    if let Some(path) = out {
        verdict_json::write(path, &verdict)?;
    }
    let text = match gate.format {
        Format::Table => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            terminal::render(&verdict, color)
        }
        Format::Json => verdict_json::render(&verdict),
        Format::Markdown => markdown::render(&verdict),
    };
    stdout::print(text.trim_end())?;
    let actions = ActionsEnv::from_env();
    github_actions::publish(&verdict, &actions)?;
    if gate.comment {
        let settings = CommentSettings {
            id: gate.id.clone(),
            ..Default::default()
        };
        github::post_and_announce(&verdict, &settings, &GitHubEnv::from_env(), &actions)?;
    }
    Ok(match verdict.verdict {
        Outcome::Pass => EXIT_PASS,
        Outcome::Fail => EXIT_REGRESSION,
    })
}
