//! What `perfgate bless` prints: per benchmark the old and new P10 (the statistic the gate
//! decides on), the change, and the measured run-to-run spread of P10, so the commit that
//! blesses is reviewable.

use comfy_table::{CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

use super::units::{duration, signed_percent};
use crate::baseline::{BaselineBenchmark, BaselineFile};
use crate::stats::{Sample, percentile};

/// The pooled P10 of a baseline benchmark: its samples of every blessed run together, as
/// the gate's "baseline" figure.
fn p10(b: &BaselineBenchmark) -> f64 {
    Sample::new(b.samples_ns.concat()).map_or(f64::NAN, |s| percentile(&s, 0.10))
}

/// Renders the bless summary; `old` is the baseline that is being replaced, if any.
pub fn render(old: Option<&BaselineFile>, new: &BaselineFile) -> String {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header([
        "benchmark",
        "old P10",
        "new P10",
        "change",
        "run-to-run P10",
    ]);
    for b in &new.benchmarks {
        let before = old.and_then(|o| o.benchmarks.iter().find(|x| x.name == b.name));
        let (old_p50, change) = match before {
            Some(x) => (duration(p10(x)), signed_percent(p10(b) / p10(x) - 1.0)),
            None if old.is_some() => ("(new)".to_string(), String::new()),
            None => (String::new(), String::new()),
        };
        let spread = b
            .spread
            .p10
            .rel_sd
            .map_or("unknown (1 run)".to_string(), |s| {
                format!("±{:.2}%", s * 100.0)
            });
        table.add_row(vec![
            b.name.clone(),
            old_p50,
            duration(p10(b)),
            change,
            spread,
        ]);
    }
    if let Some(old) = old {
        for gone in old
            .benchmarks
            .iter()
            .filter(|o| !new.benchmarks.iter().any(|b| b.name == o.name))
        {
            table.add_row(vec![
                gone.name.clone(),
                duration(p10(gone)),
                "(removed)".to_string(),
                String::new(),
                String::new(),
            ]);
        }
    }
    for column in table.column_iter_mut().skip(1) {
        column.set_cell_alignment(CellAlignment::Right);
    }
    table.to_string()
}
