//! The dogfood gate of .ci/run: a real kernel with one extra allocation per iteration,
//! measured by the real runner, fails against the committed baseline under
//! .ci/thresholds-dogfood.toml; the unchanged kernel passes its allocation checks.

use std::path::Path;
use std::time::Duration;

use perfgate::baseline::load_baseline;
use perfgate::cli::Schedule;
use perfgate::gate::{BaselineInput, Comparison, Thresholds, compare};
use perfgate::runner::{RunConfig, run_suite};
use perfgate::suite::{Benchmark, Routine, builtin};
use perfgate::verdict::{Metric, Status};

const BASELINE: &str = "baselines/linux-x86_64-2cpu-amd-epyc-f25m1.json";

/// The kernel's own routine plus one 64-byte heap allocation per iteration.
struct ExtraAllocation(Box<dyn Routine>);

impl Routine for ExtraAllocation {
    fn iterate(&mut self) {
        self.0.iterate();
        std::hint::black_box(vec![0u8; 64]);
    }
}

fn gelu(extra_allocation: bool) -> Benchmark {
    let mut bench = builtin()
        .into_iter()
        .find(|b| b.name == "gelu/1000")
        .expect("gelu/1000 is in the suite");
    if extra_allocation {
        let inner = bench.setup;
        bench.setup = Box::new(move |seed| Box::new(ExtraAllocation(inner(seed))));
    }
    bench
}

fn allocation_statuses(extra_allocation: bool) -> Vec<(Metric, Status)> {
    let config = RunConfig {
        samples: 5,
        warmup: Duration::from_millis(5),
        sample_target: Duration::from_millis(2),
        core: None,
        schedule: Schedule::Sequential,
        seed: 42,
    };
    let results = run_suite(&[gelu(extra_allocation)], &config);
    let baseline = load_baseline(Path::new(BASELINE)).unwrap();
    let thresholds = Thresholds::load(Path::new(".ci/thresholds-dogfood.toml")).unwrap();
    let verdict = compare(&Comparison {
        baseline: BaselineInput::Loaded {
            baseline: &baseline,
            file: BASELINE,
        },
        candidate: &results,
        candidate_file: "-",
        thresholds: &thresholds,
    })
    .unwrap();
    let gelu = verdict
        .benchmarks
        .iter()
        .find(|b| b.name == "gelu/1000")
        .unwrap();
    gelu.checks
        .iter()
        .filter(|c| matches!(c.metric, Metric::Allocs | Metric::AllocBytes))
        .map(|c| (c.metric, c.status))
        .collect()
}

// One test, not two: the allocation counters are process-wide, so a second test running
// in parallel would count its own allocations into this one's.
#[test]
fn an_allocation_added_to_a_kernel_fails_the_dogfood_gate_and_the_unchanged_kernel_passes() {
    let unchanged = allocation_statuses(false);
    assert!(!unchanged.is_empty());
    assert!(
        unchanged.iter().all(|(_, s)| *s == Status::Unchanged),
        "{unchanged:?}"
    );
    let extra = allocation_statuses(true);
    assert!(
        extra.contains(&(Metric::Allocs, Status::Regression)),
        "{extra:?}"
    );
}
