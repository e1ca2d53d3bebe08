//! What `--metric instructions` needs inside a benchmark process: the one function
//! callgrind collects (`--toggle-collect`) and the CPU features the process sees.

/// Name of the collected function, as `--toggle-collect` is given it.
pub const ENTRY_POINT: &str = "perfgate_measured_iterations";

/// Exit code of a callgrind child when the benchmark panicked or does not exist.
pub const EXIT_BENCH_FAILED: i32 = 3;

/// Hidden command line of a callgrind child (`BINARY __callgrind-child --bench NAME ...`).
pub const CHILD_COMMAND: &str = "__callgrind-child";

/// Runs `work`: the only code callgrind counts. Never inlined, and unmangled, so
/// `--toggle-collect=perfgate_measured_iterations` finds it.
#[unsafe(no_mangle)]
#[inline(never)]
pub fn perfgate_measured_iterations(work: &mut dyn FnMut()) {
    work();
}

/// CPU features the benchmarks' dispatch can depend on, as detected by this process
/// (under valgrind: what valgrind's emulated CPUID shows).
pub fn cpu_features() -> Vec<String> {
    #[cfg(target_arch = "x86_64")]
    {
        let mut out = Vec::new();
        macro_rules! probe {
            ($($f:tt),*) => {$(
                if std::is_x86_feature_detected!($f) {
                    out.push($f.to_string());
                }
            )*};
        }
        probe!(
            "sse2", "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "fma", "f16c",
            "bmi1", "bmi2", "lzcnt", "avx512f", "avx512bw", "avx512dq", "avx512vl"
        );
        out
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        Vec::new()
    }
}

/// The line a callgrind child prints on stdout after its counted iterations.
pub fn features_line() -> String {
    serde_json::json!({ "cpu_features": cpu_features() }).to_string()
}

/// Arguments of a callgrind child, parsed from `--bench NAME --seed S --warmup W
/// --iterations N` (the order free).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildArgs {
    /// Benchmark name (exact).
    pub bench: String,
    /// Seed of the inputs.
    pub seed: u64,
    /// Uncounted warm-up iterations.
    pub warmup: u64,
    /// Counted iterations.
    pub iterations: u64,
}

impl ChildArgs {
    /// Parses the arguments after [`CHILD_COMMAND`].
    pub fn parse(args: &[String]) -> Result<ChildArgs, String> {
        let mut out = ChildArgs {
            bench: String::new(),
            seed: 42,
            warmup: 1,
            iterations: 1,
        };
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = || {
                value
                    .parse::<u64>()
                    .map_err(|e| format!("{flag} {value}: {e}"))
            };
            match flag.as_str() {
                "--bench" => out.bench = value.clone(),
                "--seed" => out.seed = number()?,
                "--warmup" => out.warmup = number()?,
                "--iterations" => out.iterations = number()?,
                other => return Err(format!("unknown argument {other}")),
            }
        }
        if out.bench.is_empty() {
            return Err("--bench is required".to_string());
        }
        Ok(out)
    }
}
