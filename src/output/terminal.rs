//! The verdict for a terminal: a one-line verdict on top, loud notes, then a colored table
//! (regressions first, then improvements, then the rest) and the thresholds used.

use comfy_table::{Cell, CellAlignment, Color, Table, presets::UTF8_FULL_CONDENSED};

use super::units::{duration, signed_percent, three_digits};
use crate::verdict::{BenchmarkVerdict, Check, Metric, Outcome, Status, Verdict, headline_check};

/// Renders the verdict; `color` adds ANSI colors (for a terminal that wants them).
pub fn render(verdict: &Verdict, color: bool) -> String {
    let mut out = String::new();
    let word = match verdict.verdict {
        Outcome::Pass => "PASS",
        Outcome::Fail => "FAIL",
    };
    out.push_str(&format!("{word}: {}\n", verdict.headline));
    for note in &verdict.notes {
        out.push_str(&format!("! {note}\n"));
    }
    if let Some(b) = &verdict.baseline {
        out.push_str(&format!(
            "baseline {} ({} run{}, {}) vs candidate {} ({})\n",
            b.file,
            b.runs,
            if b.runs == 1 { "" } else { "s" },
            b.env,
            verdict.candidate.file,
            verdict.candidate.env
        ));
    }
    out.push_str(&table(verdict, color));
    out.push('\n');
    out.push_str(&format!(
        "thresholds: {} (alpha {}; {})\n",
        verdict.thresholds.file, verdict.thresholds.alpha, verdict.thresholds.limits
    ));
    out
}

fn table(verdict: &Verdict, color: bool) -> String {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header([
        "benchmark",
        "status",
        "stat",
        "baseline",
        "candidate",
        "change",
        "95% CI",
        "detects",
        "why",
    ]);
    let mut rows: Vec<&BenchmarkVerdict> = verdict.benchmarks.iter().collect();
    rows.sort_by_key(|b| rank(b.status));
    for b in rows {
        let status = Cell::new(b.status.as_str());
        let status = match (color, status_color(b.status)) {
            (true, Some(c)) => status.fg(c),
            _ => status,
        };
        let mut cells = vec![Cell::new(&b.name), status];
        cells.extend(
            headline_cells(headline_check(&b.checks))
                .into_iter()
                .map(Cell::new),
        );
        let why = b.message.clone().or_else(|| instructions_note(b));
        cells.push(Cell::new(why.unwrap_or_default()));
        table.add_row(cells);
    }
    for i in 3..8 {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}

fn headline_cells(check: Option<&Check>) -> [String; 6] {
    let Some(c) = check else {
        return Default::default();
    };
    let ci = match c.decided_ci() {
        Some((lo, hi)) => format!("[{}, {}]", signed_percent(lo), signed_percent(hi)),
        _ => String::new(),
    };
    let noise = c
        .detectable
        .map_or(String::new(), |d| format!("±{:.1}%", d * 100.0));
    [
        c.metric.label().to_string(),
        duration(c.baseline),
        duration(c.candidate),
        signed_percent(c.decided_change()),
        ci,
        noise,
    ]
}

/// "instructions +0.00% (1.23M → 1.23M)" for a benchmark with an instruction check.
fn instructions_note(b: &BenchmarkVerdict) -> Option<String> {
    let c = b.checks.iter().find(|c| c.metric == Metric::Instructions)?;
    Some(format!(
        "instructions {} ({} → {})",
        signed_percent(c.change),
        three_digits(c.baseline),
        three_digits(c.candidate)
    ))
}

/// Display order: regressions, improvements, then the rest.
fn rank(status: Status) -> u8 {
    match status {
        Status::Regression => 0,
        Status::Improvement => 1,
        Status::Failed => 2,
        Status::Missing => 3,
        Status::Inconclusive => 4,
        Status::New => 5,
        Status::Unchanged => 6,
    }
}

fn status_color(status: Status) -> Option<Color> {
    match status {
        Status::Regression | Status::Failed => Some(Color::Red),
        Status::Improvement => Some(Color::Green),
        Status::Inconclusive | Status::Missing => Some(Color::Yellow),
        Status::New | Status::Unchanged => None,
    }
}

#[cfg(test)]
mod tests;
