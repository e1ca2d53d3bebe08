//! One module per subcommand: validate the parsed arguments into settings, then drive the
//! library (suite → runner → results → gate → verdict → outputs). Returns the exit code.

mod ab;
mod ab_build;
mod ab_config;
mod ab_files;
mod ab_instructions;
mod ab_suite;
mod bless;
mod comment;
mod compare;
mod history;
mod import;
mod init;
mod instructions;
mod list;
mod measure;
mod merge;
mod report;
mod run;
pub mod shard;
mod verdict_out;
mod worker;

use crate::cli::{Cli, Command};

/// Runs the parsed command line and returns the process exit code.
pub fn dispatch(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Run(cmd) => run::run(cmd),
        Command::List(cmd) => list::run(cmd),
        Command::Compare(cmd) => compare::run(cmd),
        Command::Bless(cmd) => bless::run(cmd),
        Command::Comment(cmd) => comment::run(cmd),
        Command::Report(cmd) => report::run(cmd),
        Command::Ab(cmd) => ab::run(cmd),
        Command::Worker(cmd) => worker::run(cmd),
        Command::Merge(cmd) => merge::run(cmd),
        Command::Import(cmd) => import::run(cmd),
        Command::Init(cmd) => init::run(cmd),
        Command::History(cmd) => history::run(cmd),
        Command::CallgrindChild(cmd) => Ok(crate::instructions::child::run(
            &cmd.bench,
            cmd.seed,
            cmd.warmup,
            cmd.iterations,
        )),
    }
}

/// Sets up tracing on stderr: `-v` counts pick the level, `RUST_LOG` overrides.
pub fn init_logging(verbose: u8) {
    // octocrab logs every failed HTTP attempt as an error; perfgate reports the outcome
    // itself, so octocrab's own lines appear only from -vv on.
    let level = match verbose {
        0 => "warn,octocrab=off",
        1 => "info,octocrab=off",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
