//! `perfgate list`: the benchmarks of the built-in suite.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};

use crate::cli::ListCommand;
use crate::error::{EXIT_PASS, InputError};
use crate::output::stdout::print;
use crate::suite;

use super::measure::{bench_bin_suite, bench_binary, command_benches, filter_regex};

/// Runs `perfgate list`.
pub fn run(cmd: ListCommand) -> anyhow::Result<i32> {
    let filter = filter_regex(cmd.filter.as_deref())?;
    let bench_bin = bench_binary(cmd.bench_bin.as_deref(), cmd.cargo_bench.as_deref())?;
    let commands = match &bench_bin {
        Some(_) => None,
        None => command_benches(cmd.suite.as_deref(), filter.as_ref())?,
    };
    let (header, rows): (&str, Vec<[String; 3]>) = match (commands, bench_bin) {
        (None, Some(bin)) => (
            "one iteration",
            suite::select(bench_bin_suite(&bin)?, filter.as_ref())
                .into_iter()
                .map(|b| [b.name, b.group, format!("{}", bin.display())])
                .collect(),
        ),
        (commands, _) => match commands {
            Some(commands) => (
                "one run (command)",
                commands
                    .iter()
                    .map(|b| [b.name.clone(), b.group.clone(), b.description()])
                    .collect(),
            ),
            None => (
                "one iteration",
                suite::select(suite::builtin(), filter.as_ref())
                    .into_iter()
                    .map(|b| [b.name, b.group, b.description])
                    .collect(),
            ),
        },
    };
    if rows.is_empty() {
        return Err(InputError::flag("--filter", "matches no benchmark").into());
    }
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header(["benchmark", "group", header]);
    for row in rows {
        table.add_row(row);
    }
    print(&table.to_string())?;
    Ok(EXIT_PASS)
}
