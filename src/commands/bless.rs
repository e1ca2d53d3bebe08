//! `perfgate bless`.

use crate::cli::BlessCommand;

/// Runs `perfgate bless`.
pub fn run(_cmd: BlessCommand) -> anyhow::Result<i32> {
    anyhow::bail!("perfgate bless is not built yet")
}
