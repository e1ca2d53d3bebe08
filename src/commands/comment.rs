//! `perfgate comment`.

use crate::cli::CommentCommand;

/// Runs `perfgate comment`.
pub fn run(_cmd: CommentCommand) -> anyhow::Result<i32> {
    anyhow::bail!("perfgate comment is not built yet")
}
