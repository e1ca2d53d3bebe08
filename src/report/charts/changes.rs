//! Change per benchmark with its confidence interval, coloured by the gate's status.

use plotters::prelude::*;

use super::{
    Area, Drawn, LEGEND, Mark, axis_font, legend, percent_tick, row_label, status_color, tick_font,
};
use crate::report::doc::ChangeChart;
use crate::verdict::Status;

/// Height of one row in pixels.
const ROW: u32 = 24;

/// Pixel height of the chart for `c`.
pub fn height(c: &ChangeChart) -> u32 {
    (110 + ROW * c.rows.len().max(1) as u32).max(230)
}

/// Draws the chart.
pub fn draw(root: &Area, c: &ChangeChart) -> Drawn {
    let n = c.rows.len().max(1) as f64;
    let ends = c.rows.iter().flat_map(|r| {
        let (lo, hi) = r.ci.unwrap_or((r.change, r.change));
        [lo.min(r.change) * 100.0, hi.max(r.change) * 100.0]
    });
    let (lo, hi) = ends.fold((-1.0_f64, 1.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = (hi - lo) * 0.05;
    let span = hi - lo + 2.0 * pad;
    let mut chart = ChartBuilder::on(root)
        .caption(&c.title, ("sans-serif", 22))
        .margin(12)
        .margin_right(LEGEND)
        .x_label_area_size(40)
        .y_label_area_size(230)
        .build_cartesian_2d((lo - pad)..(hi + pad), 0.0..n)?;
    chart
        .configure_mesh()
        .max_light_lines(1)
        .label_style(tick_font())
        .axis_desc_style(axis_font())
        .y_labels(0)
        .disable_y_mesh()
        .x_desc("P50 change vs baseline (%), whiskers: 95% confidence interval")
        .x_label_formatter(&|x| percent_tick(*x, span))
        .draw()?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, 0.0), (0.0, n)],
        BLACK.mix(0.5),
    )))?;
    let y_of = |i: usize| n - i as f64 - 0.5;
    for (i, r) in c.rows.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(lo - pad, y_of(i)));
        row_label(root, &r.name, (px - 8, py))?;
        if let Some((l, h)) = r.ci {
            let colour = status_color(r.status);
            let y = y_of(i);
            chart.draw_series([
                PathElement::new(vec![(l * 100.0, y), (h * 100.0, y)], colour.stroke_width(2)),
                PathElement::new(
                    vec![(l * 100.0, y - 0.2), (l * 100.0, y + 0.2)],
                    colour.stroke_width(2),
                ),
                PathElement::new(
                    vec![(h * 100.0, y - 0.2), (h * 100.0, y + 0.2)],
                    colour.stroke_width(2),
                ),
            ])?;
        }
    }
    let statuses = [
        Status::Regression,
        Status::Improvement,
        Status::Inconclusive,
        Status::Unchanged,
        Status::Failed,
        Status::Missing,
        Status::New,
    ];
    let mut entries = Vec::new();
    for status in statuses {
        if !c.rows.iter().any(|r| r.status == status) {
            continue;
        }
        let colour = status_color(status);
        chart.draw_series(
            c.rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.status == status)
                .map(|(i, r)| Circle::new((r.change * 100.0, y_of(i)), 5, colour.filled())),
        )?;
        entries.push((status.as_str(), Mark::Dot(colour)));
    }
    legend(root, &entries)?;
    Ok(())
}
