//! Serde structs of the results JSON (`perfgate run --out`). Field names are an interface:
//! users and other tools read them.

use serde::{Deserialize, Serialize};

use crate::cli::Schedule;
use crate::stats::Summary;

/// Schema version written to and required of results files.
pub const RESULTS_SCHEMA: &str = "perfgate.results.v1";

/// One run of the suite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsFile {
    /// Schema version, [`RESULTS_SCHEMA`].
    #[serde(default = "default_schema")]
    pub schema: String,
    /// Version of perfgate that measured.
    #[serde(default)]
    pub perfgate_version: String,
    /// The machine and tree that were measured.
    #[serde(default)]
    pub env: Env,
    /// How the run was measured (absent in hand-made files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<RunSettings>,
    /// One entry per benchmark, in suite order.
    pub benchmarks: Vec<BenchmarkResult>,
    /// How instruction counts were measured (`--metric instructions|all`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<crate::instructions::InstructionRun>,
}

fn default_schema() -> String {
    RESULTS_SCHEMA.to_string()
}

/// The measured machine and tree.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Env {
    /// CPU model name, e.g. from /proc/cpuinfo.
    pub cpu_model: String,
    /// Logical cores the OS reports.
    pub logical_cores: usize,
    /// Operating system and architecture, e.g. "linux x86_64".
    pub os: String,
    /// Kernel release, e.g. "6.1.0-18-amd64".
    pub kernel: String,
    /// `rustc --version` of the toolchain that built perfgate.
    pub rustc: String,
    /// Git commit of the measured tree, when run inside a git repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// When the run started, RFC 3339 UTC.
    pub timestamp: String,
    /// Core the measuring thread was pinned to (empty: not pinned).
    pub pinned_cores: Vec<usize>,
    /// Cores of the worker pool used by multi-threaded benchmarks.
    pub pool_cores: Vec<usize>,
    /// Kernel clock source, when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clocksource: Option<String>,
    /// CPU frequency governor, when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub governor: Option<String>,
}

/// The settings a run was measured with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    /// Samples per benchmark.
    pub samples: u32,
    /// Warm-up per benchmark, milliseconds.
    pub warmup_ms: u64,
    /// Target duration of one sample, milliseconds.
    pub sample_ms: u64,
    /// Order in which samples were taken.
    pub schedule: Schedule,
    /// Seed of round order and inputs.
    pub seed: u64,
    /// Measured cost of one timer read, nanoseconds.
    pub timer_overhead_ns: f64,
    /// Measured smallest non-zero timer step, nanoseconds.
    pub timer_resolution_ns: f64,
}

/// What one benchmark measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkResult {
    /// Benchmark name, e.g. `matmul/512`.
    pub name: String,
    /// Group, e.g. `matmul`.
    #[serde(default)]
    pub group: String,
    /// Set when the benchmark panicked or failed; its samples are then empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Iterations timed together in one sample.
    #[serde(default)]
    pub iters_per_sample: u64,
    /// Per-iteration time of each sample, nanoseconds, in the order taken.
    pub samples_ns: Vec<f64>,
    /// Statistics of `samples_ns` (absent for failed benchmarks; recomputed on load).
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
    /// Heap bytes allocated per iteration (mean over all timed iterations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alloc_bytes_per_iter: Option<f64>,
    /// Heap allocations per iteration (mean over all timed iterations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocs_per_iter: Option<f64>,
    /// Peak live heap bytes above the level before the benchmark's samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_bytes: Option<u64>,
    /// Work per time at the median, where a unit applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<Throughput>,
    /// Model figures, for model benchmarks.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelMetrics>,
    /// Instructions executed per iteration under callgrind (`--metric instructions|all`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions_per_iter: Option<f64>,
    /// Estimated cycles per iteration from callgrind's cache simulation
    /// (Ir + 10·L1 misses + 100·LL misses), when it was switched on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub est_cycles_per_iter: Option<f64>,
}

impl BenchmarkResult {
    /// The entry of a benchmark that failed with `error`: no samples, no figures.
    pub fn failed(name: &str, group: &str, error: String) -> BenchmarkResult {
        BenchmarkResult {
            name: name.to_string(),
            group: group.to_string(),
            error: Some(error),
            iters_per_sample: 0,
            samples_ns: Vec::new(),
            summary: None,
            alloc_bytes_per_iter: None,
            allocs_per_iter: None,
            peak_bytes: None,
            throughput: None,
            model: None,
            instructions_per_iter: None,
            est_cycles_per_iter: None,
        }
    }
}

/// Work per unit of time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Throughput {
    /// The figure, e.g. 87.3.
    pub value: f64,
    /// Its unit: "GFLOP/s", "Melem/s" or "tok/s".
    pub unit: String,
}

/// Shape of a transformer model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Trainable parameters of the built model.
    pub params: u64,
    /// Embedding width.
    pub d_model: usize,
    /// Decoder layers.
    pub layers: usize,
    /// Attention heads.
    pub heads: usize,
    /// Context length (positions).
    pub context: usize,
    /// Vocabulary size.
    pub vocab: usize,
}

/// Extra fields of model benchmarks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelMetrics {
    /// The model's shape.
    pub model: ModelInfo,
    /// Tokens produced per iteration (0 for `create`).
    pub tokens: u64,
    /// Tokens per second at the median iteration time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens_per_sec: Option<f64>,
    /// Milliseconds per token at the median iteration time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ms_per_token: Option<f64>,
    /// Heap bytes allocated per token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alloc_bytes_per_token: Option<f64>,
}
