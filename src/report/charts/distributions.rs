//! Strip plot of sample distributions: per benchmark of a group, the baseline's and the
//! candidate's samples relative to the reference median, with box (P25–P75) and P50, P95,
//! P99 marked.

use plotters::prelude::*;

use super::{
    Area, Drawn, LEGEND, Mark, SERIES, axis_font, legend, percent_tick, row_label, tick_font,
};
use crate::report::doc::DistributionChart;
use crate::stats::{Sample, percentile};

/// Height of one strip in pixels.
const STRIP: u32 = 30;
/// Width of the row-label area in pixels.
const LABELS: u32 = 290;

/// Names of the two sides, by `Strip::side`.
const SIDES: [&str; 2] = ["baseline", "candidate"];

/// One strip: one side of one benchmark, values as % change from the reference median.
struct Strip {
    label: String,
    side: usize,
    values: Vec<f64>,
    q: [f64; 5],
}

/// Pixel height of the chart for `c`.
pub fn height(c: &DistributionChart) -> u32 {
    let strips: usize = c
        .rows
        .iter()
        .map(|r| 1 + usize::from(r.baseline_ns.is_some()))
        .sum();
    (110 + STRIP * strips as u32).max(230)
}

/// Strips of the chart, top to bottom.
fn strips(c: &DistributionChart) -> Vec<Strip> {
    let mut out = Vec::new();
    for row in &c.rows {
        let sides = [row.baseline_ns.as_ref(), Some(&row.candidate_ns)];
        let Some(reference) = sides
            .iter()
            .find_map(|v| v.and_then(|v| Sample::new(v.clone()).ok()))
            .map(|s| percentile(&s, 0.5))
            .filter(|r| *r > 0.0)
        else {
            continue;
        };
        for (side, values) in sides.iter().enumerate() {
            let Some(values) = values else { continue };
            let rel: Vec<f64> = values
                .iter()
                .map(|v| (v / reference - 1.0) * 100.0)
                .collect();
            let Ok(sample) = Sample::new(rel.iter().map(|v| v + 100.0).collect()) else {
                continue;
            };
            let q = [0.25, 0.5, 0.75, 0.95, 0.99].map(|p| percentile(&sample, p) - 100.0);
            out.push(Strip {
                label: format!("{} · {}", row.name, SIDES[side]),
                side,
                values: rel,
                q,
            });
        }
    }
    out
}

/// Draws the chart.
pub fn draw(root: &Area, c: &DistributionChart) -> Drawn {
    let strips = strips(c);
    let n = strips.len().max(1) as f64;
    let lo = strips
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(f64::INFINITY, f64::min)
        .min(-1.0);
    let hi = strips.iter().map(|s| s.q[4]).fold(1.0, f64::max);
    let pad = (hi - lo) * 0.03;
    let (lo, hi) = (lo - pad, hi + pad);
    let span = hi - lo;
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{} — samples relative to the reference median", c.title),
            ("sans-serif", 22),
        )
        .margin(12)
        .margin_right(LEGEND)
        .x_label_area_size(40)
        .y_label_area_size(LABELS)
        .build_cartesian_2d(lo..hi, 0.0..n)?;
    chart
        .configure_mesh()
        .max_light_lines(1)
        .label_style(tick_font())
        .axis_desc_style(axis_font())
        .y_labels(0)
        .disable_y_mesh()
        .x_desc("time per iteration vs reference median (%)")
        .x_label_formatter(&|x| percent_tick(*x, span))
        .draw()?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, 0.0), (0.0, n)],
        BLACK.mix(0.3),
    )))?;
    for (i, s) in strips.iter().enumerate() {
        let y = n - i as f64 - 0.5;
        let colour = SERIES[s.side % SERIES.len()];
        let (px, py) = chart.backend_coord(&(lo, y));
        row_label(root, &s.label, (px - 8, py))?;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(s.q[0], y - 0.3), (s.q[2], y + 0.3)],
            colour.mix(0.12).filled(),
        )))?;
        chart.draw_series(s.values.iter().enumerate().map(|(k, &v)| {
            // Deterministic vertical jitter (golden-ratio sequence) so points do not overlap.
            let jitter = ((k as f64 * 0.618_033_988_75) % 1.0 - 0.5) * 0.5;
            if v > hi {
                Cross::new((hi, y + jitter), 3, colour.stroke_width(1)).into_dyn()
            } else {
                Circle::new((v, y + jitter), 2, colour.mix(0.6).filled()).into_dyn()
            }
        }))?;
    }
    let marks = [
        ("P50", 1, BLACK, 3),
        ("P95", 3, RGBColor(0xDD, 0x77, 0x00), 2),
        ("P99", 4, RGBColor(0xCC, 0x00, 0x00), 2),
    ];
    let mut entries: Vec<(&str, Mark)> = Vec::new();
    for side in 0..2 {
        if strips.iter().any(|s| s.side == side) {
            entries.push((SIDES[side], Mark::Dot(SERIES[side])));
        }
    }
    for (name, q, colour, width) in marks {
        chart.draw_series(strips.iter().enumerate().map(|(i, s)| {
            let y = n - i as f64 - 0.5;
            let x = s.q[q].min(hi);
            PathElement::new(vec![(x, y - 0.4), (x, y + 0.4)], colour.stroke_width(width))
        }))?;
        entries.push((name, Mark::Tick(colour, width)));
    }
    legend(root, &entries)?;
    Ok(())
}
