//! The report as a format-neutral document: sections of headings, text, tables and chart
//! specifications. Sections build it from data; `markdown` and `html` render it.

/// One top-level section of the report (Profile, Comparison, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Anchor id in the HTML page, e.g. `profile`.
    pub id: &'static str,
    /// Heading shown to the reader.
    pub title: String,
    /// Content in reading order.
    pub blocks: Vec<Block>,
}

/// A piece of section content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A sub-heading inside the section.
    Subheading(String),
    /// A paragraph of plain text (renderers escape it).
    Text(String),
    /// A bulleted list of plain-text items.
    List(Vec<String>),
    /// A table of plain-text cells.
    Table(Table),
    /// A chart; drawn in HTML only (Markdown readers get the table next to it).
    Chart(Chart),
}

/// A table: header plus rows of plain-text cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column headers.
    pub header: Vec<String>,
    /// Columns (by index) aligned right: the numeric ones.
    pub right: Vec<usize>,
    /// Rows of cells, each as long as `header`.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with the given headers; columns from `first_numeric` on are right-aligned.
    pub fn new(header: &[&str], first_numeric: usize) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            right: (first_numeric..header.len()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.header.len());
        self.rows.push(cells);
    }
}

/// What a chart shows: the data, not the drawing (see `charts`).
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Per benchmark of one group, baseline vs candidate samples with P50/P95/P99 marked.
    Distributions(DistributionChart),
    /// One or more named series of (x, y) points joined by lines.
    Lines(LineChart),
    /// Grouped bars: one group per category, one bar per series.
    Bars(BarChart),
    /// Change per benchmark with its confidence interval, coloured by the gate's status.
    Changes(ChangeChart),
}

/// Sample distributions of the benchmarks of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionChart {
    /// Chart title, e.g. "matmul".
    pub title: String,
    /// One row per benchmark.
    pub rows: Vec<DistributionRow>,
}

/// One benchmark's samples, per-iteration nanoseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionRow {
    /// Benchmark name.
    pub name: String,
    /// Pooled baseline samples, when a baseline was given.
    pub baseline_ns: Option<Vec<f64>>,
    /// The candidate's samples.
    pub candidate_ns: Vec<f64>,
}

/// Series of points joined by lines.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Chart title.
    pub title: String,
    /// X axis label (with unit).
    pub x_label: String,
    /// Y axis label (with unit).
    pub y_label: String,
    /// Named series of (x, y) points.
    pub series: Vec<(String, Vec<(f64, f64)>)>,
}

/// Grouped bars.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Chart title.
    pub title: String,
    /// Y axis label (with unit).
    pub y_label: String,
    /// Names of the series (bars within a category), e.g. ["Small", "Medium"].
    pub series: Vec<String>,
    /// Categories with one value per series.
    pub categories: Vec<(String, Vec<f64>)>,
}

/// Relative changes with confidence intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeChart {
    /// Chart title.
    pub title: String,
    /// One row per benchmark.
    pub rows: Vec<ChangeRow>,
}

/// One benchmark's change.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    /// Benchmark name.
    pub name: String,
    /// candidate / baseline − 1.
    pub change: f64,
    /// 95% confidence interval of `change`, when the gate computed one.
    pub ci: Option<(f64, f64)>,
    /// The gate's status of this change.
    pub status: crate::verdict::Status,
}
