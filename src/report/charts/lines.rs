//! Line chart of named series, e.g. matmul GFLOP/s vs size.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Area, Drawn, LEGEND, Mark, SERIES, axis_font, legend, tick_font};
use crate::report::doc::LineChart;

/// Pixel height of a line chart.
pub const HEIGHT: u32 = 420;

/// Draws the chart.
pub fn draw(root: &Area, c: &LineChart) -> Drawn {
    let points = c.series.iter().flat_map(|(_, p)| p.iter().copied());
    let (x_hi, y_hi) = points.fold((1.0_f64, 1.0_f64), |(x, y), (px, py)| {
        (x.max(px), y.max(py))
    });
    let mut chart = ChartBuilder::on(root)
        .caption(&c.title, ("sans-serif", 22))
        .margin(12)
        .margin_right(LEGEND)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..x_hi * 1.08, 0.0..y_hi * 1.15)?;
    chart
        .configure_mesh()
        .max_light_lines(1)
        .label_style(tick_font())
        .axis_desc_style(axis_font())
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .draw()?;
    let mut entries = Vec::new();
    for (i, (name, pts)) in c.series.iter().enumerate() {
        let colour = SERIES[i % SERIES.len()];
        chart.draw_series(LineSeries::new(pts.iter().copied(), colour.stroke_width(2)))?;
        entries.push((name.as_str(), Mark::Line(colour)));
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
        chart.draw_series(pts.iter().map(|&(x, y)| {
            let style = ("sans-serif", 15)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Bottom));
            EmptyElement::at((x, y)) + Text::new(format!("{y:.1}"), (0, -8), style)
        }))?;
    }
    legend(root, &entries)?;
    Ok(())
}
