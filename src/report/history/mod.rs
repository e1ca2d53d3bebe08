//! Output of `history check` and `history report`: a terminal table, Markdown (for an
//! issue) and JSON of the change points, and the HTML trend report (`html`).

mod html;

use std::fmt::Write;

use comfy_table::{CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

use super::escape;
use crate::history::{CheckOutcome, Finding};
use crate::output::units::{bytes, duration, signed_percent, three_digits};

pub use html::{HtmlOptions, render_html};

/// Marker that identifies perfgate's history issue (the workflow finds it by this line).
pub const ISSUE_MARKER: &str = "<!-- perfgate-history -->";

/// A level in the unit of its metric.
pub fn level(metric: &str, v: f64) -> String {
    match metric {
        m if m.ends_with("_ns") => duration(v),
        "alloc_bytes" => bytes(v),
        _ => three_digits(v),
    }
}

fn status(f: &Finding) -> &'static str {
    match (f.regression, f.acknowledged) {
        (true, false) => "REGRESSION",
        (true, true) => "regression (acknowledged)",
        (false, _) => "improvement",
    }
}

/// One line saying what was checked and what was found.
pub fn summary_line(outcome: &CheckOutcome) -> String {
    let open = outcome.unacknowledged_regressions().count();
    format!(
        "{} series, {} points checked ({:?}): {} change points, {} unacknowledged regressions",
        outcome.series_checked,
        outcome.points,
        outcome.method,
        outcome.change_points.len(),
        open
    )
    .replace("Robust", "robust")
    .replace("Otava", "otava")
}

/// The change points as a terminal table.
pub fn render_table(outcome: &CheckOutcome) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header([
        "series", "commit", "index", "before", "after", "change", "p-value", "status",
    ]);
    for f in &outcome.change_points {
        t.add_row([
            f.series.to_string(),
            short(&f.commit).to_string(),
            f.index.to_string(),
            level(&f.series.metric, f.level_before),
            level(&f.series.metric, f.level_after),
            signed_percent(f.change),
            format!("{:.2e}", f.pvalue),
            status(f).to_string(),
        ]);
    }
    for i in [2, 3, 4, 5, 6] {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    if outcome.change_points.is_empty() {
        summary_line(outcome)
    } else {
        format!("{t}\n{}", summary_line(outcome))
    }
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}

/// The change points as Markdown, led by the issue marker; regressions first.
pub fn render_markdown(outcome: &CheckOutcome) -> String {
    let mut out = format!("{ISSUE_MARKER}\n## perfgate history: change points on main\n\n");
    let _ = writeln!(out, "{}\n", summary_line(outcome));
    if outcome.change_points.is_empty() {
        return out;
    }
    out.push_str("| series | commit | before | after | change | p-value | status |\n");
    out.push_str("|---|---|--:|--:|--:|--:|---|\n");
    let mut rows: Vec<&Finding> = outcome.change_points.iter().collect();
    rows.sort_by_key(|f| (!f.regression || f.acknowledged, !f.regression));
    for f in rows {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {:.2e} | {} |",
            escape::markdown(&f.series.to_string()),
            escape::markdown(short(&f.commit)),
            level(&f.series.metric, f.level_before),
            level(&f.series.metric, f.level_after),
            signed_percent(f.change),
            f.pvalue,
            status(f)
        );
    }
    out.push_str(
        "\nAcknowledge a known change with `perfgate history ack COMMIT [BENCHMARK]` \
         (committed to the history branch).\n",
    );
    out
}

/// The outcome as pretty JSON.
pub fn render_json(outcome: &CheckOutcome) -> String {
    let mut v = serde_json::to_value(outcome).expect("outcome serialises");
    v["unacknowledged_regressions"] = outcome.unacknowledged_regressions().count().into();
    serde_json::to_string_pretty(&v).expect("value serialises")
}
