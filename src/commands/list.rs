//! `perfgate list`: the benchmarks of the built-in suite.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};

use crate::cli::ListCommand;
use crate::error::{EXIT_PASS, InputError};
use crate::output::stdout::print;
use crate::suite;

use super::measure::filter_regex;

/// Runs `perfgate list`.
pub fn run(cmd: ListCommand) -> anyhow::Result<i32> {
    let filter = filter_regex(cmd.filter.as_deref())?;
    let benches = suite::select(suite::builtin(), filter.as_ref());
    if benches.is_empty() {
        return Err(InputError::flag("--filter", "matches no benchmark").into());
    }
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header(["benchmark", "group", "one iteration"]);
    for b in &benches {
        table.add_row([b.name.as_str(), b.group.as_str(), b.description.as_str()]);
    }
    print(&table.to_string())?;
    Ok(EXIT_PASS)
}
