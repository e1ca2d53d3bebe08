//! The table of instruction counts `perfgate run --metric instructions|all` prints.

use comfy_table::{CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

use crate::results::ResultsFile;

/// Renders instructions (and estimated cycles) per iteration, one row per benchmark;
/// `None` when the results hold no instruction counts.
pub fn render(results: &ResultsFile) -> Option<String> {
    let run = results.instructions.as_ref()?;
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    let mut header = vec!["benchmark", "instructions/iter"];
    if run.cache_sim {
        header.push("est. cycles/iter");
    }
    table.set_header(header);
    for b in &results.benchmarks {
        let row = match (&b.error, b.instructions_per_iter) {
            (Some(e), _) => vec![b.name.clone(), format!("FAILED: {e}")],
            (None, Some(ir)) => {
                let mut row = vec![b.name.clone(), format!("{ir:.0}")];
                if let Some(c) = b.est_cycles_per_iter {
                    row.push(format!("{c:.0}"));
                }
                row
            }
            (None, None) => vec![b.name.clone(), "not counted".to_string()],
        };
        table.add_row(row);
    }
    for column in table.column_iter_mut().skip(1) {
        column.set_cell_alignment(CellAlignment::Right);
    }
    let f = &run.fingerprint;
    Some(format!(
        "{table}\ninstructions: {} counted iterations after {} warm-up, {}, {}, features: {}\n",
        run.iterations,
        run.warmup_iterations,
        f.valgrind,
        f.os_arch,
        f.cpu_features.join(" ")
    ))
}
