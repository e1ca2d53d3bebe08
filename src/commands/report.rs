//! `perfgate report`.

use crate::cli::ReportCommand;

/// Runs `perfgate report`.
pub fn run(_cmd: ReportCommand) -> anyhow::Result<i32> {
    anyhow::bail!("perfgate report is not built yet")
}
