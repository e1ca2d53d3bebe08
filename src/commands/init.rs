//! `perfgate init`: parse the flags, plan and write the files (`crate::init`), show them.

use crate::cli::InitCommand;
use crate::error::{EXIT_PASS, InputError};
use crate::init::{self, InitError, InitOptions};
use crate::output::stdout::print;

/// Runs `perfgate init`.
pub fn run(cmd: InitCommand) -> anyhow::Result<i32> {
    if !cmd.dir.is_dir() {
        return Err(
            InputError::flag("--dir", format!("{}: not a directory", cmd.dir.display())).into(),
        );
    }
    let opts = InitOptions {
        dir: cmd.dir,
        commands: cmd.commands,
        action: cmd.action,
        force: cmd.force,
    };
    let plan = init::plan(&opts)?;
    match init::write(&opts.dir, &plan, opts.force) {
        Ok(()) => {}
        Err(InitError::Exists { path }) => {
            return Err(
                InputError::file(path, "already exists; pass --force to overwrite it").into(),
            );
        }
        Err(e) => return Err(e.into()),
    }
    print(init::render(&plan).trim_end())?;
    Ok(EXIT_PASS)
}
