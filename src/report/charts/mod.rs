//! Draws the report's charts as inline SVG strings with plotters' SVG backend. One file per
//! kind of chart; each takes the chart's data from `doc` and returns the `<svg>` element.

mod bars;
mod changes;
mod distributions;
mod lines;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::doc::Chart;
use crate::verdict::Status;

/// A chart that could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("drawing chart {title:?}: {reason}")]
pub struct ChartError {
    /// The chart's title.
    pub title: String,
    /// What plotters reported.
    pub reason: String,
}

/// Result of the drawing code inside one chart.
type Drawn = Result<(), Box<dyn std::error::Error>>;

/// Width of every chart in pixels (the page scales it down on narrow screens).
const WIDTH: u32 = 1000;

/// Draws `chart` as an `<svg>` element.
pub fn draw(chart: &Chart) -> Result<String, ChartError> {
    let (title, height) = match chart {
        Chart::Distributions(c) => (&c.title, distributions::height(c)),
        Chart::Lines(c) => (&c.title, lines::HEIGHT),
        Chart::Bars(c) => (&c.title, bars::HEIGHT),
        Chart::Changes(c) => (&c.title, changes::height(c)),
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let drawn = root
            .fill(&WHITE)
            .map_err(Into::into)
            .and_then(|()| match chart {
                Chart::Distributions(c) => distributions::draw(&root, c),
                Chart::Lines(c) => lines::draw(&root, c),
                Chart::Bars(c) => bars::draw(&root, c),
                Chart::Changes(c) => changes::draw(&root, c),
            })
            .and_then(|()| root.present().map_err(Into::into));
        drawn.map_err(|e| ChartError {
            title: title.clone(),
            reason: e.to_string(),
        })?;
    }
    Ok(svg)
}

/// The drawing area every chart draws on.
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Colour of a gate status: red regression, green improvement, amber inconclusive,
/// grey unchanged, purple for the rest.
fn status_color(status: Status) -> RGBColor {
    match status {
        Status::Regression => RGBColor(0xCC, 0x33, 0x11),
        Status::Improvement => RGBColor(0x22, 0x88, 0x33),
        Status::Inconclusive => RGBColor(0xDD, 0x99, 0x00),
        Status::Unchanged => RGBColor(0x88, 0x88, 0x88),
        Status::Failed | Status::Missing | Status::New => RGBColor(0x77, 0x44, 0xAA),
    }
}

/// Colours of series, in order (Paul Tol's bright scheme, colour-blind safe).
const SERIES: [RGBColor; 4] = [
    RGBColor(0x44, 0x77, 0xAA),
    RGBColor(0xEE, 0x66, 0x77),
    RGBColor(0x22, 0x88, 0x33),
    RGBColor(0xCC, 0xBB, 0x44),
];

/// Room right of the plotting area for the legend, in pixels.
const LEGEND: u32 = 150;

/// How a legend entry is marked.
#[derive(Debug, Clone, Copy)]
enum Mark {
    /// A filled dot (points of a series).
    Dot(RGBColor),
    /// A short vertical tick of the given width (a percentile marker).
    Tick(RGBColor, u32),
    /// A short horizontal line (a line series).
    Line(RGBColor),
    /// A filled square (a bar series).
    Bar(RGBColor),
}

/// Draws a legend in the strip right of the plotting area, where it cannot hide data.
fn legend(root: &Area, entries: &[(&str, Mark)]) -> Drawn {
    let x = (WIDTH - LEGEND + 16) as i32;
    for (i, (label, mark)) in entries.iter().enumerate() {
        let y = 60 + 22 * i as i32;
        match *mark {
            Mark::Dot(c) => root.draw(&Circle::new((x + 6, y), 5, c.filled()))?,
            Mark::Tick(c, w) => root.draw(&PathElement::new(
                vec![(x + 6, y - 8), (x + 6, y + 8)],
                c.stroke_width(w),
            ))?,
            Mark::Line(c) => root.draw(&PathElement::new(
                vec![(x, y), (x + 14, y)],
                c.stroke_width(3),
            ))?,
            Mark::Bar(c) => {
                root.draw(&Rectangle::new([(x, y - 6), (x + 12, y + 6)], c.filled()))?
            }
        }
        let style = tick_font().pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(label.to_string(), (x + 20, y), style))?;
    }
    Ok(())
}

/// A tick label of a percentage axis spanning `span` percentage points: "+5%", "+0.5%".
fn percent_tick(x: f64, span: f64) -> String {
    if span >= 20.0 {
        format!("{x:+.0}%")
    } else if span >= 2.0 {
        format!("{x:+.1}%")
    } else {
        format!("{x:+.2}%")
    }
}

/// Font of tick labels, legends and row labels (plotters draws SVG text at size / 1.24).
fn tick_font() -> TextStyle<'static> {
    ("sans-serif", 16).into_font().color(&BLACK)
}

/// Font of axis descriptions.
fn axis_font() -> TextStyle<'static> {
    ("sans-serif", 17).into_font().color(&BLACK)
}

/// Writes `label` right-aligned at pixel `(x, y)`, vertically centred: a row label left
/// of the plotting area.
fn row_label(root: &Area, label: &str, (x, y): (i32, i32)) -> Drawn {
    let style = tick_font().pos(Pos::new(HPos::Right, VPos::Center));
    root.draw(&Text::new(label.to_string(), (x, y), style))?;
    Ok(())
}
