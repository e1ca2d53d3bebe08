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
    /// Which shard of the suite this run measured (`--shard I/N`); absent for a whole run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
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
    /// CPU identity beyond the model name (vendor, family/model, ISA features, caches).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<CpuId>,
    /// How busy the machine was with other work while this run measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load: Option<MachineLoad>,
}

/// CPU identity: what decides which code paths run and how kernels size their blocking.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CpuId {
    /// Vendor string, e.g. "AuthenticAMD".
    pub vendor: String,
    /// CPU family number, e.g. "25".
    pub family: String,
    /// Model number within the family, e.g. "17".
    pub model: String,
    /// Stepping.
    pub stepping: String,
    /// The code-path-selecting ISA features present (sse4_2, avx2, fma, avx512f, …).
    pub features: Vec<String>,
    /// L1 data cache per core, KiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l1d_kib: Option<u64>,
    /// L2 cache, KiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l2_kib: Option<u64>,
    /// L3 cache, KiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l3_kib: Option<u64>,
}

/// Other work on the machine during a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MachineLoad {
    /// Cores' worth of CPU time used by other processes, averaged over the run.
    pub other_cores_busy: f64,
    /// Share of CPU time the hypervisor gave to other guests (steal).
    pub steal_share: f64,
    /// One-minute load average at the end of the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loadavg_1m: Option<f64>,
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
    /// Fresh processes the samples were split between, one after the other; each
    /// benchmark's `samples_ns` hold the first process's samples, then the next one's.
    #[serde(default = "one_process", skip_serializing_if = "is_one_process")]
    pub processes: u32,
}

fn one_process() -> u32 {
    1
}

fn is_one_process(n: &u32) -> bool {
    *n == 1
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
    /// Per-run process figures, for command benchmarks (perfgate.toml).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<ProcessMetrics>,
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
            process: None,
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

/// The shard a run measured: shard `index` of `count` of the suite with `suite_digest`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// Which shard, 1-based.
    pub index: u32,
    /// How many shards the suite was split into.
    pub count: u32,
    /// Digest of the full benchmark list before sharding (`suite::shard::suite_digest`).
    pub suite_digest: String,
}

/// What `wait4` reported for each run of a command benchmark, in the order of `samples_ns`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessMetrics {
    /// User CPU time of each run (the process and its waited-for children), nanoseconds.
    pub user_ns: Vec<f64>,
    /// System CPU time of each run, nanoseconds.
    pub sys_ns: Vec<f64>,
    /// Maximum resident set size of each run, bytes.
    pub max_rss_bytes: Vec<u64>,
}
