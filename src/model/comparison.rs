//! The Small-vs-Medium comparison of one results file (the seed's "Model Comparison
//! Report"): cost per token of each model, Medium/Small ratios and the scaling efficiency.

use serde::Serialize;

use super::workload::{PROMPT, flops_per_generated_token};
use crate::results::{BenchmarkResult, ResultsFile};

/// Benchmark whose figures describe the Small model.
pub const SMALL_BENCH: &str = "model/small/generate";
/// Benchmark whose figures describe the Medium model.
pub const MEDIUM_BENCH: &str = "model/medium/generate";
/// Kernel benchmark whose GFLOP/s is the yardstick of generation GFLOP/s.
pub const MATMUL_BENCH: &str = "matmul/512";

/// Generation figures of one model, from its `generate` benchmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelFigures {
    /// The benchmark they come from, e.g. `model/small/generate`.
    pub benchmark: String,
    /// Parameters of the model.
    pub params: u64,
    /// Milliseconds per generated token, at the median iteration time.
    pub ms_per_token: f64,
    /// Generated tokens per second, at the median iteration time.
    pub tokens_per_sec: f64,
    /// Heap bytes allocated per generated token (absent when not recorded).
    pub alloc_bytes_per_token: Option<f64>,
    /// FLOPs per generated token, see [`flops_per_generated_token`].
    pub flops_per_token: f64,
    /// Achieved generation GFLOP/s: FLOPs per token × tokens per second.
    pub gflops: f64,
    /// `gflops` as a fraction of the `matmul/512` GFLOP/s of the same run, when it ran.
    pub fraction_of_matmul_512: Option<f64>,
}

/// Small vs Medium from one run; ratios are Medium ÷ Small.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelComparison {
    /// The Small model.
    pub small: ModelFigures,
    /// The Medium model.
    pub medium: ModelFigures,
    /// Parameter ratio.
    pub params_ratio: f64,
    /// Time-per-token ratio.
    pub ms_per_token_ratio: f64,
    /// Tokens-per-second ratio.
    pub tokens_per_sec_ratio: f64,
    /// Bytes-per-token ratio (absent when Small allocates nothing, or either is unknown).
    pub alloc_bytes_per_token_ratio: Option<f64>,
    /// Parameter ratio ÷ time-per-token ratio: > 1 means Medium is cheaper per parameter.
    pub scaling_efficiency: f64,
    /// The scaling efficiency in words.
    pub interpretation: String,
    /// GFLOP/s of `matmul/512` in the same run, when it ran.
    pub matmul_512_gflops: Option<f64>,
}

impl ModelComparison {
    /// The comparison, when both `generate` benchmarks ran successfully in `results`.
    pub fn from_results(results: &ResultsFile) -> Option<ModelComparison> {
        let find = |name: &str| results.benchmarks.iter().find(|b| b.name == name);
        let matmul_512_gflops = find(MATMUL_BENCH)
            .and_then(|b| b.throughput.as_ref())
            .filter(|t| t.unit == "GFLOP/s" && t.value > 0.0)
            .map(|t| t.value);
        let small = figures(find(SMALL_BENCH)?, matmul_512_gflops)?;
        let medium = figures(find(MEDIUM_BENCH)?, matmul_512_gflops)?;
        let params_ratio = medium.params as f64 / small.params as f64;
        let ms_per_token_ratio = medium.ms_per_token / small.ms_per_token;
        let scaling_efficiency = params_ratio / ms_per_token_ratio;
        Some(ModelComparison {
            params_ratio,
            ms_per_token_ratio,
            tokens_per_sec_ratio: medium.tokens_per_sec / small.tokens_per_sec,
            alloc_bytes_per_token_ratio: match (
                small.alloc_bytes_per_token,
                medium.alloc_bytes_per_token,
            ) {
                (Some(s), Some(m)) if s > 0.0 => Some(m / s),
                _ => None,
            },
            scaling_efficiency,
            interpretation: interpret(params_ratio, ms_per_token_ratio, scaling_efficiency),
            matmul_512_gflops,
            small,
            medium,
        })
    }
}

/// The figures of one `generate` result; `None` when it failed or lacks token figures.
fn figures(b: &BenchmarkResult, matmul_gflops: Option<f64>) -> Option<ModelFigures> {
    let m = b.model.as_ref().filter(|_| b.error.is_none())?;
    let tokens_per_sec = m.tokens_per_sec.filter(|&v| v > 0.0 && v.is_finite())?;
    let ms_per_token = m.ms_per_token.filter(|&v| v > 0.0 && v.is_finite())?;
    if m.model.params == 0 {
        return None;
    }
    let flops_per_token = flops_per_generated_token(&m.model, PROMPT.len(), m.tokens);
    let gflops = flops_per_token * tokens_per_sec / 1e9;
    Some(ModelFigures {
        benchmark: b.name.clone(),
        params: m.model.params,
        ms_per_token,
        tokens_per_sec,
        alloc_bytes_per_token: m.alloc_bytes_per_token,
        flops_per_token,
        gflops,
        fraction_of_matmul_512: matmul_gflops.map(|g| gflops / g),
    })
}

/// The seed's reading of the scaling efficiency.
fn interpret(params_ratio: f64, time_ratio: f64, efficiency: f64) -> String {
    let verdict = if efficiency > 1.0 {
        "Medium is cheaper per parameter than Small (better than linear scaling)"
    } else if efficiency < 1.0 {
        "Medium is costlier per parameter than Small (worse than linear scaling)"
    } else {
        "Medium costs the same per parameter as Small (linear scaling)"
    };
    format!("{verdict}: {params_ratio:.2}× the parameters take {time_ratio:.2}× the time per token")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ModelConfig;
    use crate::results::{ModelMetrics, Throughput};

    /// A successful result named `name` whose only figures are the given ones.
    fn result(name: &str) -> BenchmarkResult {
        BenchmarkResult {
            name: name.to_string(),
            group: name.split('/').next().unwrap_or_default().to_string(),
            error: None,
            iters_per_sample: 1,
            samples_ns: vec![1.0],
            summary: None,
            alloc_bytes_per_iter: None,
            allocs_per_iter: None,
            peak_bytes: None,
            throughput: None,
            model: None,
            process: None,
            instructions_per_iter: None,
            est_cycles_per_iter: None,
        }
    }

    /// A `generate` result of `config` with `params` parameters at `ms_per_token`.
    fn generate(
        name: &str,
        config: ModelConfig,
        params: u64,
        ms: f64,
        bytes: f64,
    ) -> BenchmarkResult {
        BenchmarkResult {
            model: Some(ModelMetrics {
                model: config.info(params),
                tokens: 25,
                tokens_per_sec: Some(1000.0 / ms),
                ms_per_token: Some(ms),
                alloc_bytes_per_token: Some(bytes),
            }),
            ..result(name)
        }
    }

    /// The seed's figures: 17.91 and 102.16 ms per token, 4.41 and 29.38 MB per token.
    fn seed_like_results() -> ResultsFile {
        let mut matmul = result(MATMUL_BENCH);
        matmul.throughput = Some(Throughput {
            value: 80.0,
            unit: "GFLOP/s".into(),
        });
        ResultsFile {
            schema: crate::results::RESULTS_SCHEMA.into(),
            perfgate_version: String::new(),
            env: Default::default(),
            settings: None,
            shard: None,
            instructions: None,
            benchmarks: vec![
                matmul,
                generate(SMALL_BENCH, ModelConfig::SMALL, 470_528, 17.91, 4.41e6),
                generate(
                    MEDIUM_BENCH,
                    ModelConfig::MEDIUM,
                    3_454_464,
                    102.16,
                    29.38e6,
                ),
            ],
        }
    }

    #[test]
    fn comparison_reproduces_the_seed_ratios() {
        let c = ModelComparison::from_results(&seed_like_results()).unwrap();
        assert!((c.params_ratio - 7.3417).abs() < 1e-4, "{}", c.params_ratio);
        assert!((c.ms_per_token_ratio - 5.7041).abs() < 1e-4);
        assert!((c.tokens_per_sec_ratio - 1.0 / 5.7041).abs() < 1e-4);
        assert!((c.alloc_bytes_per_token_ratio.unwrap() - 6.6621).abs() < 1e-4);
        // The seed's 7.34 / 5.70 = 1.29.
        assert!(
            (c.scaling_efficiency - 1.2871).abs() < 1e-4,
            "{}",
            c.scaling_efficiency
        );
        assert!(
            c.interpretation
                .starts_with("Medium is cheaper per parameter")
        );
    }

    #[test]
    fn generation_gflops_follow_the_documented_flop_count() {
        let c = ModelComparison::from_results(&seed_like_results()).unwrap();
        // Small: 2·470528 + 4·2·128·20 = 961536 FLOPs per token at 1000/17.91 tok/s.
        assert_eq!(c.small.flops_per_token, 961_536.0);
        let gflops = 961_536.0 * (1000.0 / 17.91) / 1e9;
        assert!((c.small.gflops - gflops).abs() < 1e-12);
        assert!((c.small.fraction_of_matmul_512.unwrap() - gflops / 80.0).abs() < 1e-12);
        assert_eq!(c.matmul_512_gflops, Some(80.0));
    }

    #[test]
    fn zero_allocation_small_model_leaves_the_bytes_ratio_undefined() {
        let mut results = seed_like_results();
        for b in &mut results.benchmarks {
            if let Some(m) = &mut b.model {
                m.alloc_bytes_per_token = Some(0.0);
            }
        }
        let c = ModelComparison::from_results(&results).unwrap();
        assert_eq!(c.alloc_bytes_per_token_ratio, None);
    }

    #[test]
    fn comparison_needs_both_models_to_have_run() {
        let mut results = seed_like_results();
        results.benchmarks.retain(|b| b.name != MEDIUM_BENCH);
        assert_eq!(ModelComparison::from_results(&results), None);

        let mut results = seed_like_results();
        results.benchmarks[1].error = Some("panicked".into());
        assert_eq!(ModelComparison::from_results(&results), None);
    }

    #[test]
    fn comparison_without_matmul_has_no_fraction() {
        let mut results = seed_like_results();
        results.benchmarks.retain(|b| b.name != MATMUL_BENCH);
        let c = ModelComparison::from_results(&results).unwrap();
        assert_eq!(c.matmul_512_gflops, None);
        assert_eq!(c.medium.fraction_of_matmul_512, None);
    }

    #[test]
    fn slower_scaling_is_read_as_costlier_per_parameter() {
        let mut results = seed_like_results();
        if let Some(m) = &mut results.benchmarks[2].model {
            m.ms_per_token = Some(17.91 * 10.0);
            m.tokens_per_sec = Some(1000.0 / (17.91 * 10.0));
        }
        let c = ModelComparison::from_results(&results).unwrap();
        assert!(c.scaling_efficiency < 1.0);
        assert!(
            c.interpretation
                .starts_with("Medium is costlier per parameter")
        );
    }
}
