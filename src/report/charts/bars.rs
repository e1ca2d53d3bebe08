//! Grouped bar chart, e.g. time per token of the Small and Medium models.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Area, Drawn, LEGEND, Mark, SERIES, axis_font, legend, tick_font};
use crate::report::doc::BarChart;

/// Pixel height of a bar chart.
pub const HEIGHT: u32 = 360;

/// Draws the chart.
pub fn draw(root: &Area, c: &BarChart) -> Drawn {
    let y_hi = c
        .categories
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let n = c.categories.len().max(1) as f64;
    let labels: Vec<String> = c.categories.iter().map(|(name, _)| name.clone()).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(&c.title, ("sans-serif", 22))
        .margin(12)
        .margin_right(LEGEND)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..n, 0.0..y_hi * 1.15)?;
    chart
        .configure_mesh()
        .max_light_lines(1)
        .label_style(tick_font())
        .axis_desc_style(axis_font())
        .disable_x_mesh()
        .x_labels(c.categories.len() * 2 + 1)
        .x_label_formatter(&|x| {
            let i = x.floor() as usize;
            let centre = (x - x.floor() - 0.5).abs() < 1e-9;
            if centre {
                labels.get(i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_desc(c.y_label.as_str())
        .draw()?;
    let width = 0.7 / c.series.len().max(1) as f64;
    for s in 0..c.series.len() {
        let colour = SERIES[s % SERIES.len()];
        let bars = c
            .categories
            .iter()
            .enumerate()
            .filter_map(|(i, (_, values))| {
                let v = *values.get(s)?;
                let x0 = i as f64 + 0.15 + s as f64 * width;
                Some(Rectangle::new(
                    [(x0, 0.0), (x0 + width * 0.9, v)],
                    colour.filled(),
                ))
            });
        chart.draw_series(bars)?;
        chart.draw_series(
            c.categories
                .iter()
                .enumerate()
                .filter_map(|(i, (_, values))| {
                    let v = *values.get(s)?;
                    let x0 = i as f64 + 0.15 + s as f64 * width;
                    let centre = (x0 + width * 0.45, v);
                    let style = tick_font().pos(Pos::new(HPos::Center, VPos::Bottom));
                    let label = crate::output::units::three_digits(v);
                    Some(EmptyElement::at(centre) + Text::new(label, (0, -6), style))
                }),
        )?;
    }
    if c.series.len() > 1 {
        let entries: Vec<(&str, Mark)> = c
            .series
            .iter()
            .enumerate()
            .map(|(s, name)| (name.as_str(), Mark::Bar(SERIES[s % SERIES.len()])))
            .collect();
        legend(root, &entries)?;
    }
    Ok(())
}
