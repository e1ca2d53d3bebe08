//! The Small-vs-Medium model comparison as a terminal table, shown after the results
//! table of `perfgate run` when both models ran.

use comfy_table::{CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

use super::units::{bytes, duration, three_digits};
use crate::model::{MATMUL_BENCH, ModelComparison, ModelFigures};

/// Renders the comparison: one row per figure, Small, Medium and Medium/Small, then the
/// scaling efficiency and its reading.
pub fn render(c: &ModelComparison) -> String {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header(["model comparison", "Small", "Medium", "Medium/Small"]);
    let ratio = |r: Option<f64>| r.map_or("—".to_string(), |r| format!("{r:.2}×"));
    let row = |what: &str, f: &dyn Fn(&ModelFigures) -> String, r: Option<f64>| {
        vec![what.to_string(), f(&c.small), f(&c.medium), ratio(r)]
    };
    let alloc = |f: &ModelFigures| f.alloc_bytes_per_token.map_or("—".to_string(), bytes);
    let gflops = |f: &ModelFigures| format!("{:.2}", f.gflops);
    table.add_row(row(
        "parameters",
        &|f| thousands(f.params),
        Some(c.params_ratio),
    ));
    table.add_row(row(
        "time per token",
        &|f| duration(f.ms_per_token * 1e6),
        Some(c.ms_per_token_ratio),
    ));
    table.add_row(row(
        "tokens per second",
        &|f| three_digits(f.tokens_per_sec),
        Some(c.tokens_per_sec_ratio),
    ));
    table.add_row(row(
        "allocated per token",
        &alloc,
        c.alloc_bytes_per_token_ratio,
    ));
    table.add_row(row(
        "generation GFLOP/s",
        &gflops,
        Some(c.medium.gflops / c.small.gflops),
    ));
    if let Some(matmul) = c.matmul_512_gflops {
        let percent = |f: &ModelFigures| {
            f.fraction_of_matmul_512
                .map_or("—".to_string(), |x| format!("{:.1}%", x * 100.0))
        };
        table.add_row(row(
            &format!("% of {MATMUL_BENCH} ({matmul:.1} GFLOP/s)"),
            &percent,
            None,
        ));
    }
    for column in table.column_iter_mut().skip(1) {
        column.set_cell_alignment(CellAlignment::Right);
    }
    format!(
        "{table}\nscaling efficiency {:.2} (parameter ratio ÷ time-per-token ratio; > 1 means \
         Medium is cheaper per parameter)\n{}\n",
        c.scaling_efficiency, c.interpretation
    )
}

/// An integer with comma thousands separators: 3454464 → "3,454,464".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(name: &str, params: u64, ms: f64, bytes: f64, flops: f64) -> ModelFigures {
        let gflops = flops * (1000.0 / ms) / 1e9;
        ModelFigures {
            benchmark: format!("model/{name}/generate"),
            params,
            ms_per_token: ms,
            tokens_per_sec: 1000.0 / ms,
            alloc_bytes_per_token: Some(bytes),
            flops_per_token: flops,
            gflops,
            fraction_of_matmul_512: Some(gflops / 80.0),
        }
    }

    fn comparison() -> ModelComparison {
        let small = figures("small", 470_528, 0.15, 0.0, 961_536.0);
        let medium = figures("medium", 3_454_464, 0.8, 0.0, 6_990_848.0);
        ModelComparison {
            params_ratio: 3_454_464.0 / 470_528.0,
            ms_per_token_ratio: 0.8 / 0.15,
            tokens_per_sec_ratio: 0.15 / 0.8,
            alloc_bytes_per_token_ratio: None,
            scaling_efficiency: (3_454_464.0 / 470_528.0) / (0.8 / 0.15),
            interpretation: "Medium is cheaper per parameter than Small (better than linear \
                             scaling): 7.34× the parameters take 5.33× the time per token"
                .to_string(),
            matmul_512_gflops: Some(80.0),
            small,
            medium,
        }
    }

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(470_528), "470,528");
        assert_eq!(thousands(3_454_464), "3,454,464");
    }

    #[test]
    fn model_comparison_table() {
        insta::assert_snapshot!(render(&comparison()));
    }

    #[test]
    fn model_comparison_without_matmul_omits_the_fraction_row() {
        let mut c = comparison();
        c.matmul_512_gflops = None;
        assert!(!render(&c).contains(MATMUL_BENCH));
    }
}
