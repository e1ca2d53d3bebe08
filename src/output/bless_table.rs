//! What `perfgate bless` prints: per benchmark the old and new P50, the change, and the
//! measured run-to-run spread, so the commit that blesses is reviewable.

use comfy_table::{CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

use super::units::{duration, signed_percent};
use crate::baseline::BaselineFile;

/// Renders the bless summary; `old` is the baseline that is being replaced, if any.
pub fn render(old: Option<&BaselineFile>, new: &BaselineFile) -> String {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header([
        "benchmark",
        "old P50",
        "new P50",
        "change",
        "run-to-run P50",
    ]);
    for b in &new.benchmarks {
        let before = old.and_then(|o| o.benchmarks.iter().find(|x| x.name == b.name));
        let (old_p50, change) = match before {
            Some(x) => (
                duration(x.pooled.p50_ns),
                signed_percent(b.pooled.p50_ns / x.pooled.p50_ns - 1.0),
            ),
            None if old.is_some() => ("(new)".to_string(), String::new()),
            None => (String::new(), String::new()),
        };
        let spread = b
            .spread
            .p50
            .rel_sd
            .map_or("unknown (1 run)".to_string(), |s| {
                format!("±{:.2}%", s * 100.0)
            });
        table.add_row(vec![
            b.name.clone(),
            old_p50,
            duration(b.pooled.p50_ns),
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
                duration(gone.pooled.p50_ns),
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
