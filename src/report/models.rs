//! Models: Small vs Medium — parameters, time per token, tokens per second, bytes per
//! token, Medium/Small ratios and scaling efficiency, from `ModelComparison`.

use super::doc::{BarChart, Block, Chart, Section, Table};
use super::input::ReportInput;
use crate::model::{ModelComparison, ModelFigures};
use crate::output::units::{bytes, three_digits};
use crate::results::{ModelInfo, ResultsFile};

/// Builds the Models section.
pub fn section(input: &ReportInput) -> Section {
    let blocks = match ModelComparison::from_results(input.results) {
        Some(c) => blocks(input.results, &c),
        None => vec![Block::Text(
            "No comparison: the results lack a successful model/small/generate and \
             model/medium/generate."
                .to_string(),
        )],
    };
    Section {
        id: "models",
        title: "Models: Small vs Medium".to_string(),
        blocks,
    }
}

/// The shape of the model a benchmark ran.
fn shape(results: &ResultsFile, benchmark: &str) -> Option<ModelInfo> {
    let b = results.benchmarks.iter().find(|b| b.name == benchmark)?;
    b.model.as_ref().map(|m| m.model)
}

fn blocks(results: &ResultsFile, c: &ModelComparison) -> Vec<Block> {
    let mut spec = Table::new(
        &[
            "model",
            "parameters",
            "d_model",
            "layers",
            "heads",
            "context",
            "vocab",
        ],
        1,
    );
    for (label, f) in [("Small", &c.small), ("Medium", &c.medium)] {
        if let Some(m) = shape(results, &f.benchmark) {
            spec.row(vec![
                label.to_string(),
                thousands(m.params),
                m.d_model.to_string(),
                m.layers.to_string(),
                m.heads.to_string(),
                m.context.to_string(),
                m.vocab.to_string(),
            ]);
        }
    }
    let ratio = |r: f64| format!("{r:.2}×");
    let opt_ratio = |r: Option<f64>| r.map_or("–".to_string(), ratio);
    let per_token = |f: &ModelFigures| f.alloc_bytes_per_token.map_or("–".to_string(), bytes);
    let mut perf = Table::new(&["metric", "Small", "Medium", "Medium / Small"], 1);
    perf.row(vec![
        "parameters".to_string(),
        thousands(c.small.params),
        thousands(c.medium.params),
        ratio(c.params_ratio),
    ]);
    perf.row(vec![
        "time per token".to_string(),
        format!("{:.3} ms", c.small.ms_per_token),
        format!("{:.3} ms", c.medium.ms_per_token),
        ratio(c.ms_per_token_ratio),
    ]);
    perf.row(vec![
        "tokens per second".to_string(),
        three_digits(c.small.tokens_per_sec),
        three_digits(c.medium.tokens_per_sec),
        ratio(c.tokens_per_sec_ratio),
    ]);
    perf.row(vec![
        "heap bytes per token".to_string(),
        per_token(&c.small),
        per_token(&c.medium),
        opt_ratio(c.alloc_bytes_per_token_ratio),
    ]);
    perf.row(vec![
        "FLOPs per token".to_string(),
        format!("{:.3e}", c.small.flops_per_token),
        format!("{:.3e}", c.medium.flops_per_token),
        ratio(c.medium.flops_per_token / c.small.flops_per_token),
    ]);
    perf.row(vec![
        "generation GFLOP/s".to_string(),
        three_digits(c.small.gflops),
        three_digits(c.medium.gflops),
        ratio(c.medium.gflops / c.small.gflops),
    ]);
    if let Some(m) = c.matmul_512_gflops {
        let pct = |f: &ModelFigures| {
            f.fraction_of_matmul_512
                .map_or("–".to_string(), |x| format!("{:.1}%", x * 100.0))
        };
        perf.row(vec![
            format!("share of matmul/512 ({} GFLOP/s)", three_digits(m)),
            pct(&c.small),
            pct(&c.medium),
            String::new(),
        ]);
    }
    let mut blocks = vec![
        Block::Table(spec),
        Block::Table(perf),
        Block::Text(format!(
            "Scaling efficiency (parameter ratio ÷ time-per-token ratio): {:.2}. {}.",
            c.scaling_efficiency, c.interpretation
        )),
        Block::Chart(Chart::Bars(BarChart {
            title: "Time per generated token".to_string(),
            y_label: "ms / token (P50)".to_string(),
            series: vec!["ms / token".to_string()],
            categories: vec![
                ("Small".to_string(), vec![c.small.ms_per_token]),
                ("Medium".to_string(), vec![c.medium.ms_per_token]),
            ],
        })),
    ];
    if let (Some(s), Some(m)) = (
        c.small.alloc_bytes_per_token,
        c.medium.alloc_bytes_per_token,
    ) {
        blocks.push(Block::Chart(Chart::Bars(BarChart {
            title: "Heap bytes allocated per generated token".to_string(),
            y_label: "bytes / token".to_string(),
            series: vec!["bytes / token".to_string()],
            categories: vec![
                ("Small".to_string(), vec![s]),
                ("Medium".to_string(), vec![m]),
            ],
        })));
    }
    blocks
}

/// Digits grouped by three: 3454464 → "3,454,464".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
