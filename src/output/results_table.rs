//! The table `perfgate run` prints: one row per benchmark with percentiles, spread,
//! throughput and allocations.

use comfy_table::{CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

use super::units::{bytes, duration, three_digits};
use crate::results::ResultsFile;

/// Renders the results as a terminal table.
pub fn render(results: &ResultsFile) -> String {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header([
        "benchmark",
        "P50",
        "P95",
        "P99",
        "CV",
        "throughput",
        "alloc/iter",
        "allocs/iter",
        "peak",
    ]);
    for b in &results.benchmarks {
        let Some(s) = &b.summary else {
            let error = b.error.as_deref().unwrap_or("no samples");
            table.add_row(vec![b.name.clone(), format!("FAILED: {error}")]);
            continue;
        };
        let throughput = b.throughput.as_ref().map_or(String::new(), |t| {
            format!("{} {}", three_digits(t.value), t.unit)
        });
        let opt = |v: Option<f64>, f: fn(f64) -> String| v.map_or(String::new(), f);
        table.add_row(vec![
            b.name.clone(),
            duration(s.p50_ns),
            duration(s.p95_ns),
            duration(s.p99_ns),
            format!("{:.1}%", s.cv * 100.0),
            throughput,
            opt(b.alloc_bytes_per_iter, bytes),
            opt(b.allocs_per_iter, three_digits),
            opt(b.peak_bytes.map(|p| p as f64), bytes),
        ]);
    }
    for column in table.column_iter_mut().skip(1) {
        column.set_cell_alignment(CellAlignment::Right);
    }
    table.to_string()
}
