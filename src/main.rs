//! The `perfgate` binary: parse arguments, dispatch, map the outcome to an exit code.

use clap::Parser;
use perfgate::cli::Cli;
use perfgate::error::EXIT_USAGE;

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = err.print();
            std::process::exit(code);
        }
    };
    perfgate::commands::init_logging(cli.verbose);
    match perfgate::commands::dispatch(cli) {
        Ok(code) => std::process::exit(code),
        Err(err) if perfgate::output::stdout::is_broken_pipe(&err) => std::process::exit(0),
        Err(err) => {
            eprintln!("Error: {err:#}");
            std::process::exit(EXIT_USAGE);
        }
    }
}
