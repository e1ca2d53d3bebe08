//! Command-line definitions (clap derive). This layer only describes arguments;
//! `commands` validates them and does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// perfgate: run the benchmark suite under controlled conditions and gate it against
/// committed baselines.
///
/// Exit codes: 0 pass, 1 regression found, 2 usage or input error.
#[derive(Debug, Parser)]
#[command(name = "perfgate", version, about, long_about = None)]
pub struct Cli {
    /// More log output (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the suite (./perfgate.toml or --suite FILE when given, else the built-in one),
    /// print a table, and gate it against the committed baseline.
    Run(RunCommand),
    /// List the benchmarks of the suite: name, group, what one iteration (run) does.
    List(ListCommand),
    /// Compare a candidate results file against a baseline and print the verdict (or,
    /// given an A/B results file alone, derive its paired verdict again).
    Compare(CompareCommand),
    /// Write baselines/NAME.json from K fresh runs or from existing results files.
    Bless(BlessCommand),
    /// Post (or update) the sticky verdict comment on a GitHub pull request.
    Comment(CommentCommand),
    /// Write the profile, comparison, model, kernel and variability reports (Markdown/HTML).
    Report(ReportCommand),
    /// Measure a base and a head build side by side (paired, interleaved) and gate the change
    /// (the built-in suite, or the commands of ./perfgate.toml or --suite FILE).
    Ab(AbCommand),
    /// Serve the worker protocol on stdin/stdout (started by `perfgate ab`, not by people).
    Worker(WorkerCommand),
    /// Merge the results files of the shards of one run (`--shard I/N`) into one.
    Merge(MergeCommand),
    /// Turn criterion, hyperfine, Google Benchmark or pytest-benchmark output into a
    /// results file that compare, bless, report and comment accept.
    Import(ImportCommand),
    /// Set a project up: a starting perfgate.toml, thresholds.toml and a pull-request
    /// workflow using the perfgate action (existing files only with --force).
    Init(InitCommand),
    /// History on main: add runs to a store, find change points, draw the trends.
    History(HistoryCommand),
    /// Internal: run one benchmark for `--metric instructions` under valgrind.
    #[command(name = "__callgrind-child", hide = true)]
    CallgrindChild(CallgrindChildCommand),
}

/// How benchmarks are measured; shared by `run` and `bless`.
#[derive(Debug, Clone, Args)]
pub struct MeasureArgs {
    /// Only run benchmarks whose name matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    pub filter: Option<String>,

    /// Samples per benchmark [default: 40; 10 with --quick].
    #[arg(long, value_name = "N")]
    pub samples: Option<u32>,

    /// Short profile for a quick look: fewer samples, shorter warm-up and samples.
    #[arg(long)]
    pub quick: bool,

    /// Warm-up time per benchmark in milliseconds [default: 300; 100 with --quick].
    #[arg(long, value_name = "MS")]
    pub warmup_ms: Option<u64>,

    /// Target time of one sample in milliseconds [default: 30; 15 with --quick].
    #[arg(long, value_name = "MS")]
    pub sample_ms: Option<u64>,

    /// Core pinning of the measuring thread: auto (a core other than 0 when there are
    /// several), none, or a core id.
    #[arg(long, value_name = "auto|none|ID", default_value = "auto")]
    pub pin: String,

    /// Order of samples: interleaved (randomized rounds over all benchmarks, so machine
    /// drift spreads over all of them) or sequential (one benchmark after the other).
    #[arg(long, value_enum, default_value_t = Schedule::Interleaved)]
    pub schedule: Schedule,

    /// Seed of the round order and of the benchmark inputs.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Fresh processes the samples are split between, one after the other: a process's
    /// memory layout can shift a benchmark for its whole life, and the gate's baseline
    /// spread is between runs [default: 2; 1 with --quick; command suites start a process
    /// per sample anyway].
    #[arg(long, value_name = "N")]
    pub processes: Option<u32>,

    /// Measure only shard I of N (1-based) of the selected benchmarks: a deterministic
    /// split balanced by the expected time from the baseline; `perfgate merge` joins the
    /// shards' results.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,

    /// Suite file of command benchmarks [default: ./perfgate.toml when it exists, else
    /// the built-in suite].
    #[arg(long, value_name = "FILE")]
    pub suite: Option<PathBuf>,

    /// A bench binary built with perfgate-bench (e.g. criterion benches with the
    /// dev-dependency renamed): its benchmarks instead of the built-in suite.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["suite", "cargo_bench"])]
    pub bench_bin: Option<PathBuf>,

    /// Build this bench target of the cargo package in the current directory first
    /// (`cargo bench --no-run --bench NAME`), then use it as --bench-bin.
    #[arg(long, value_name = "NAME", conflicts_with = "suite")]
    pub cargo_bench: Option<String>,
}

/// The order in which samples are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Schedule {
    /// Randomized rounds over all benchmarks.
    Interleaved,
    /// All samples of one benchmark, then the next.
    Sequential,
}

/// Output format of a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A colored table for the terminal.
    Table,
    /// GitHub-flavoured Markdown (what the PR comment carries).
    Markdown,
    /// The verdict JSON.
    Json,
}

/// Where the verdict goes; shared by `run` and `compare`.
#[derive(Debug, Clone, Args)]
pub struct GateArgs {
    /// thresholds.toml to use.
    #[arg(long, value_name = "FILE", default_value = "thresholds.toml")]
    pub thresholds: PathBuf,

    /// How the verdict is printed.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Post or update the sticky PR comment as well (inside GitHub Actions).
    #[arg(long)]
    pub comment: bool,

    /// Id of the sticky comment, for several perfgate jobs in one repository.
    #[arg(long, value_name = "ID", default_value = "perfgate")]
    pub id: String,
}

/// `perfgate run`.
#[derive(Debug, Args)]
pub struct RunCommand {
    /// How to measure.
    #[command(flatten)]
    pub measure: MeasureArgs,

    /// How to gate and print.
    #[command(flatten)]
    pub gate: GateArgs,

    /// Write the results JSON (raw samples and summaries) to FILE.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Baseline to compare against: a name under baselines/ or a path
    /// [default: the baseline for this machine].
    #[arg(long, value_name = "NAME|PATH")]
    pub baseline: Option<String>,

    /// Do not compare against a baseline; only measure and print (a --baseline then only
    /// gives --shard its expected benchmark times).
    #[arg(long)]
    pub no_compare: bool,

    /// Write the verdict JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub verdict_out: Option<PathBuf>,

    /// What to measure, and how instruction counts are taken.
    #[command(flatten)]
    pub instr: InstrArgs,

    /// Instruction baseline to gate instruction counts against: a name under baselines/ or
    /// a path [default: baselines/instructions-<os>-<arch>.json].
    #[arg(long, value_name = "NAME|PATH")]
    pub instructions_baseline: Option<String>,

    /// Fail on a timing regression without re-measuring it first (by default the flagged
    /// benchmarks are measured again in a fresh process, and a timing regression fails
    /// only when that confirms it; see docs/baseline-method.md).
    #[arg(long)]
    pub no_confirm: bool,
}

/// `perfgate list`.
#[derive(Debug, Args)]
pub struct ListCommand {
    /// Only list benchmarks whose name matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    pub filter: Option<String>,

    /// Suite file of command benchmarks [default: ./perfgate.toml when it exists, else
    /// the built-in suite].
    #[arg(long, value_name = "FILE")]
    pub suite: Option<PathBuf>,

    /// List the benchmarks of this bench binary (built with perfgate-bench).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["suite", "cargo_bench"])]
    pub bench_bin: Option<PathBuf>,

    /// Build this cargo bench target first and list its benchmarks.
    #[arg(long, value_name = "NAME", conflicts_with = "suite")]
    pub cargo_bench: Option<String>,
}

/// `perfgate compare`.
#[derive(Debug, Args)]
pub struct CompareCommand {
    /// Baseline: a path, or a name under baselines/. Or, alone, an A/B results file
    /// (`perfgate ab --results-out`): it holds both sides, and its paired verdict is
    /// derived again.
    #[arg(value_name = "BASELINE|AB_RESULTS")]
    pub baseline: String,

    /// Candidate results file (from `perfgate run --out`, or a minimal file with only
    /// `name` and `samples_ns` per benchmark); not given with an A/B results file.
    #[arg(value_name = "CANDIDATE")]
    pub candidate: Option<PathBuf>,

    /// How to gate and print.
    #[command(flatten)]
    pub gate: GateArgs,

    /// Write the verdict JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `perfgate bless`.
#[derive(Debug, Args)]
pub struct BlessCommand {
    /// Baseline name: writes baselines/NAME.json [default: the name for this machine].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Number of fresh runs of the suite to bless from (at least 3, or bless refuses: the
    /// gate tests a new run against their run-to-run spread; with Holm over 19 tests at alpha
    /// 0.01, 10 runs call a shift of 5.5 run-to-run standard deviations, 5 runs only 11).
    #[arg(long, value_name = "K", default_value_t = 10, conflicts_with = "from")]
    pub runs: u32,

    /// Bless from existing results files instead of fresh runs (e.g. CI artifacts); a
    /// baseline file among them adds all its runs, so `--from baselines/NAME.json LATER.json`
    /// extends a baseline with runs from another sitting.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub from: Vec<PathBuf>,

    /// Bless anyway: runs from different machines, a busy machine, runs of one sitting (less
    /// than an hour) that disagree (shared speed factors more than 5% apart), fewer than 3
    /// runs, or a baseline weaker than the one it replaces (fewer runs or samples).
    #[arg(long)]
    pub force: bool,

    /// Directory holding the baselines.
    #[arg(long, value_name = "DIR", default_value = "baselines")]
    pub dir: PathBuf,

    /// How to measure (for fresh runs).
    #[command(flatten)]
    pub measure: MeasureArgs,

    /// What to bless, and how instruction counts are taken.
    #[command(flatten)]
    pub instr: InstrArgs,
}

/// `perfgate comment`.
#[derive(Debug, Args)]
pub struct CommentCommand {
    /// Verdict JSON written by `run --verdict-out` or `compare --out`.
    #[arg(value_name = "VERDICT")]
    pub verdict: PathBuf,

    /// Repository as owner/name [default: $GITHUB_REPOSITORY].
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,

    /// Pull request number [default: from the event payload at $GITHUB_EVENT_PATH].
    #[arg(long, value_name = "N")]
    pub pr: Option<u64>,

    /// Id of the sticky comment, for several perfgate jobs in one repository.
    #[arg(long, value_name = "ID", default_value = "perfgate")]
    pub id: String,

    /// Link to the HTML report, shown in the comment.
    #[arg(long, value_name = "URL")]
    pub report_url: Option<String>,
}

/// `perfgate report`.
#[derive(Debug, Args)]
pub struct ReportCommand {
    /// Results file from `perfgate run --out`, or an A/B results file from `perfgate ab
    /// --results-out` (an A/B report: both sides, the paired changes and every round).
    #[arg(value_name = "RESULTS")]
    pub results: PathBuf,

    /// Baseline to compare with: a path, or a name under baselines/.
    #[arg(long, value_name = "NAME|PATH")]
    pub baseline: Option<String>,

    /// thresholds.toml used to label changes with the gate's status.
    #[arg(long, value_name = "FILE", default_value = "thresholds.toml")]
    pub thresholds: PathBuf,

    /// Write the Markdown report to FILE [default: print it].
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,

    /// Write the self-contained HTML report with charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// `perfgate ab`.
#[derive(Debug, Args)]
pub struct AbCommand {
    /// Git revision of the base, built in a worktree under target/perfgate-ab/ (command
    /// suites: a temporary worktree) [default: the merge-base of HEAD with origin/main,
    /// else main].
    #[arg(long, value_name = "REV", conflicts_with = "base_bin")]
    pub base: Option<String>,

    /// A ready base binary instead of building one.
    #[arg(long, value_name = "PATH")]
    pub base_bin: Option<PathBuf>,

    /// The head binary [default: this perfgate].
    #[arg(long, value_name = "PATH")]
    pub head_bin: Option<PathBuf>,

    /// Compare a cargo bench target (built with perfgate-bench) instead of the built-in
    /// suite: built in the current directory for the head and in a worktree of --base.
    #[arg(long, value_name = "NAME", conflicts_with = "suite")]
    pub cargo_bench: Option<String>,

    /// Only benchmarks whose name matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    pub filter: Option<String>,

    /// Short profile: at most 16 rounds, 8 pairs per visit, a 26 s budget (command suites:
    /// 14 rounds, 2 runs per side per visit).
    #[arg(long)]
    pub quick: bool,

    /// Most rounds per benchmark; each visits every open benchmark once, in random order;
    /// decided benchmarks stop at the looks (rounds 8, 12, 16, … and this) [default: 28; 16
    /// with --quick; command suites 20 and 14].
    #[arg(long, value_name = "N")]
    pub rounds: Option<u32>,

    /// Pairs of samples per visit, base and head alternating sample by sample [default: 12;
    /// 8 with --quick; command suites: runs per side, 3 and 2].
    #[arg(long, value_name = "N")]
    pub samples: Option<u32>,

    /// Target time of one sample in milliseconds [default: 1].
    #[arg(long, value_name = "MS")]
    pub sample_ms: Option<u64>,

    /// Warm-up per side and benchmark before calibration, in milliseconds [default: 200; 50
    /// with --quick].
    #[arg(long, value_name = "MS")]
    pub warmup_ms: Option<u64>,

    /// Start no stage of rounds (up to the next look) expected to end after this many
    /// seconds of rounds (set-up and calibration not counted) [default: 55; 26 with
    /// --quick; none for command suites].
    #[arg(long, value_name = "SECONDS")]
    pub time_budget: Option<f64>,

    /// Core both workers are pinned to: auto (a core other than 0 when there are several),
    /// none, or a core id.
    #[arg(long, value_name = "auto|none|ID", default_value = "auto")]
    pub pin: String,

    /// Seed of the round order, the base/head order and the benchmark inputs.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// How to gate and print.
    #[command(flatten)]
    pub gate: GateArgs,

    /// Write the verdict JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Write the raw paired samples of both sides (A/B results JSON) to FILE; `perfgate
    /// compare FILE` and `perfgate report FILE` read it again.
    #[arg(long, value_name = "FILE")]
    pub results_out: Option<PathBuf>,

    /// Seconds to wait for any one reply of a worker before killing it as hung (its
    /// benchmark is marked failed) [default: 10× the request's expected time + 30 s].
    #[arg(long, value_name = "SECONDS")]
    pub worker_timeout: Option<f64>,

    /// Suite file of command benchmarks: run its commands in a temporary git worktree of
    /// the base and in the current directory (the head) [default: ./perfgate.toml when it
    /// exists, else the built-in suite].
    #[arg(long, value_name = "FILE", conflicts_with_all = ["base_bin", "head_bin"])]
    pub suite: Option<PathBuf>,

    /// With a command suite: a ready checkout of the base instead of a git worktree.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["base", "base_bin"])]
    pub base_dir: Option<PathBuf>,

    /// What to compare (instructions and all need valgrind): time — paired rounds;
    /// instructions — both binaries counted under callgrind, head against base, no rounds
    /// (deterministic); all — paired rounds, then every benchmark the timing flagged or
    /// left inconclusive is counted in both binaries: a flag whose count did not move reads
    /// "timing only (instructions unchanged)", an inconclusive one whose count moved beyond
    /// the limit is "decided by the instruction count".
    #[arg(long, value_enum, default_value_t = MetricChoice::Time, conflicts_with = "suite")]
    pub metric: MetricChoice,

    /// Clock of the paired rounds: cpu — the CPU time of each worker's measuring thread
    /// (time spent waiting while another process had the core is left out, so a busy
    /// machine adds far less noise; benchmarks that use the rayon pool and bases that do
    /// not report it fall back to wall time); wall — wall time.
    #[arg(long, value_enum, default_value_t = ClockChoice::Cpu, conflicts_with = "suite")]
    pub clock: ClockChoice,
}

/// The `--clock` of `perfgate ab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClockChoice {
    /// CPU time of the measuring thread.
    Cpu,
    /// Wall time.
    Wall,
}

/// `perfgate worker`.
#[derive(Debug, Args)]
pub struct WorkerCommand {
    /// Core to pin the worker to, or none.
    #[arg(long, value_name = "ID|none", default_value = "none")]
    pub pin: String,
}

/// `perfgate merge`.
#[derive(Debug, Args)]
pub struct MergeCommand {
    /// Results files of the shards (`run --shard I/N --out FILE`), one per shard, any order.
    #[arg(value_name = "FILES", required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,

    /// Write the merged results file to FILE.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Merge shards even when their machine fingerprints differ.
    #[arg(long)]
    pub force: bool,
}

/// `perfgate import`.
#[derive(Debug, Args)]
pub struct ImportCommand {
    /// The tool that wrote the files.
    #[arg(value_enum, value_name = "FORMAT")]
    pub format: crate::import::ImportFormat,

    /// Files to import (criterion: `target/criterion`, a benchmark's directory, or its
    /// `new/sample.json`).
    #[arg(value_name = "PATH", required = true, num_args = 1..)]
    pub paths: Vec<PathBuf>,

    /// Where to write the results JSON.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// What `run`, `bless` and `ab` measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricChoice {
    /// Wall time (and allocations), sampled on this machine.
    Time,
    /// Instructions per iteration under valgrind's callgrind (deterministic).
    Instructions,
    /// Both.
    All,
}

/// The `--metric` choice and the settings of instruction counting; shared by `run` and
/// `bless`.
#[derive(Debug, Clone, Args)]
pub struct InstrArgs {
    /// What to measure: wall time, instruction counts under valgrind's callgrind
    /// (`instructions`, needs valgrind), or both (`all`).
    #[arg(long, value_enum, default_value_t = MetricChoice::Time)]
    pub metric: MetricChoice,

    /// Counted iterations per benchmark under callgrind, after one uncounted warm-up
    /// iteration.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub instr_iters: u64,

    /// Also run callgrind's cache simulation and report estimated cycles
    /// (Ir + 10·L1 misses + 100·LL misses; slower, reported but not gated).
    #[arg(long)]
    pub cache_sim: bool,
}

/// The hidden child of `--metric instructions`, run under valgrind.
#[derive(Debug, Args)]
pub struct CallgrindChildCommand {
    /// Benchmark name (exact).
    #[arg(long)]
    pub bench: String,
    /// Seed of the inputs.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Uncounted warm-up iterations.
    #[arg(long, default_value_t = 1)]
    pub warmup: u64,
    /// Counted iterations.
    #[arg(long, default_value_t = 2)]
    pub iterations: u64,
}

/// `perfgate init`.
#[derive(Debug, Args)]
pub struct InitCommand {
    /// Project directory to set up.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// A shell command to benchmark (repeatable); without one, a Cargo package's binaries,
    /// else a placeholder to replace.
    #[arg(long = "command", value_name = "CMD")]
    pub commands: Vec<String>,

    /// The action the workflow uses.
    #[arg(long, value_name = "OWNER/REPO@REF", default_value = crate::init::DEFAULT_ACTION)]
    pub action: String,

    /// Overwrite files that exist.
    #[arg(long)]
    pub force: bool,
}

/// `perfgate history`: results over commits on main, change points, trend report.
#[derive(Debug, Args)]
pub struct HistoryCommand {
    /// What to do with the history.
    #[command(subcommand)]
    pub action: HistoryAction,
}

/// The `history` subcommands.
#[derive(Debug, Subcommand)]
pub enum HistoryAction {
    /// Add results files (run, command suites, imports, instruction runs) to the store;
    /// adding the same run again changes nothing.
    Add(HistoryAddCommand),
    /// Find the change points of every series; exit 1 on an unacknowledged regression.
    Check(HistoryCheckCommand),
    /// Acknowledge a change at COMMIT (in BENCHMARK, or in all) so check passes.
    Ack(HistoryAckCommand),
    /// Write the trend report: every series over its commits, change points marked.
    Report(HistoryReportCommand),
}

/// Where the history is read from.
#[derive(Debug, Clone, Args)]
pub struct HistorySource {
    /// The store directory (one JSON file per run under runs/, acknowledgements under acks/).
    #[arg(long, value_name = "DIR", default_value = "perfgate-history")]
    pub store: PathBuf,
    /// Read an Apache Otava CSV file instead of the store (time, optional commit, one
    /// column per metric).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Only series whose benchmark matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    pub filter: Option<String>,
}

/// Change-point detection settings shared by `history check` and `history report`.
#[derive(Debug, Clone, Args)]
pub struct DetectArgs {
    /// Detector: robust (rank scan on the log scale) or otava (Apache Otava 0.8).
    #[arg(long, value_enum, default_value_t = crate::stats::changepoint::Method::Robust)]
    pub method: crate::stats::changepoint::Method,
    /// Window length [default: robust 30 points per side; otava 50].
    #[arg(long, value_name = "N")]
    pub window: Option<usize>,
    /// Largest accepted p-value [default: robust 0.01 (scan-adjusted); otava 0.001].
    #[arg(long, value_name = "P")]
    pub max_pvalue: Option<f64>,
    /// Smallest accepted relative change, e.g. 0.02 for 2% [default: robust 0.02; otava 0].
    #[arg(long, value_name = "M")]
    pub min_magnitude: Option<f64>,
}

/// `perfgate history add`.
#[derive(Debug, Args)]
pub struct HistoryAddCommand {
    /// The store directory.
    #[arg(long, value_name = "DIR", default_value = "perfgate-history")]
    pub store: PathBuf,
    /// The measured commit [default: the results file's env.git_commit].
    #[arg(long, value_name = "SHA")]
    pub commit: Option<String>,
    /// The run's time, RFC 3339 [default: the results file's env.timestamp].
    #[arg(long, value_name = "TIME")]
    pub time: Option<String>,
    /// Results files to add.
    #[arg(value_name = "RESULTS", required = true, num_args = 1..)]
    pub results: Vec<PathBuf>,
}

/// Output format of `history check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// A terminal table.
    Table,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// Every change point as JSON.
    Json,
}

/// `perfgate history check`.
#[derive(Debug, Args)]
pub struct HistoryCheckCommand {
    /// Where the history comes from.
    #[command(flatten)]
    pub source: HistorySource,
    /// Detection settings.
    #[command(flatten)]
    pub detect: DetectArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
    /// Open (on an unacknowledged regression) or update the one history issue, found by its
    /// marker; needs GITHUB_TOKEN. Failing to post is a warning.
    #[arg(long)]
    pub issue: bool,
    /// Repository of the issue, owner/name [default: $GITHUB_REPOSITORY].
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
}

/// `perfgate history ack`.
#[derive(Debug, Args)]
pub struct HistoryAckCommand {
    /// The store directory.
    #[arg(long, value_name = "DIR", default_value = "perfgate-history")]
    pub store: PathBuf,
    /// The commit of the change (a prefix matches).
    #[arg(value_name = "COMMIT")]
    pub commit: String,
    /// Only this benchmark [default: every benchmark].
    #[arg(value_name = "BENCHMARK")]
    pub benchmark: Option<String>,
}

/// `perfgate history report`.
#[derive(Debug, Args)]
pub struct HistoryReportCommand {
    /// Where the history comes from.
    #[command(flatten)]
    pub source: HistorySource,
    /// Detection settings.
    #[command(flatten)]
    pub detect: DetectArgs,
    /// Write the HTML trend report (inline SVG, no JavaScript) here.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write the Markdown summary (for an issue) here.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Link of a commit; `{commit}` is replaced [default: $GITHUB_SERVER_URL/$GITHUB_REPOSITORY/commit/{commit}].
    #[arg(long, value_name = "TEMPLATE")]
    pub commit_url: Option<String>,
    /// Draw only the last N commits of each series.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub last: usize,
}
