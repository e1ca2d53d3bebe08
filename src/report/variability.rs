//! Variability: how noisy each benchmark is within a run and between runs, which ones are
//! too noisy to gate at their configured limit, and what would make them gateable.

use super::doc::{Block, Chart, DistributionChart, DistributionRow, Section, Table};
use super::input::{BaselineBenchmark, ReportInput};
use super::noise;
use crate::results::BenchmarkResult;
use crate::stats::{RunSpread, Sample, percentile};
use crate::verdict::headline_check;

/// What the report knows about one benchmark's noise.
#[derive(Debug, Clone, PartialEq)]
struct Noise {
    name: String,
    samples: usize,
    cv: f64,
    robust_cv: f64,
    /// Baseline runs and the relative SD and largest deviation of their P10s.
    spread: Option<(usize, f64, f64)>,
    limit: Option<f64>,
    within: f64,
    run_to_run: Option<f64>,
    /// The margin the gate reported (`detectable`), when it compared this benchmark.
    gate_margin: Option<f64>,
    /// The configured noise floor: no margin is smaller.
    floor: f64,
    baseline_runs: usize,
}

impl Noise {
    /// The noise margin: the gate's when known, else the estimate.
    fn margin(&self) -> f64 {
        self.gate_margin.unwrap_or_else(|| {
            self.within
                .max(self.run_to_run.unwrap_or(0.0))
                .max(self.floor)
        })
    }
}

/// Builds the Variability section.
pub fn section(input: &ReportInput) -> Section {
    let noises: Vec<Noise> = input
        .results
        .benchmarks
        .iter()
        .filter(|b| b.summary.is_some())
        .map(|b| noise_of(input, b))
        .collect();
    let mut blocks = vec![Block::Text(
        "CV is stddev / mean of the samples; robust CV is 1.4826 · MAD / median, which \
         outliers barely move. Run-to-run is the relative standard deviation of the P10 (the \
         statistic the gate decides on) of each blessed baseline run. The noise margin is the \
         smallest P10 change that stands out of the noise at 95% (the gate's figure when it \
         compared the benchmark, else an estimate: the largest of the within-run margin of \
         two P10s, the run-to-run \
         prediction margin and the configured noise floor)."
            .to_string(),
    )];
    let mut t = Table::new(
        &[
            "benchmark",
            "samples",
            "CV",
            "robust CV",
            "run-to-run",
            "limit",
            "noise margin",
            "gateable",
        ],
        1,
    );
    t.right = (1..=6).collect();
    for n in &noises {
        t.row(vec![
            n.name.clone(),
            n.samples.to_string(),
            pct(n.cv),
            pct(n.robust_cv),
            match n.spread {
                Some((k, sd, max)) => format!("±{} ({k} runs, max {})", pct(sd), pct(max)),
                None if n.baseline_runs == 1 => "unknown (1 run)".to_string(),
                None => "no baseline".to_string(),
            },
            n.limit.map_or("not gated".to_string(), pct),
            format!(
                "±{}{}",
                pct(n.margin()),
                if n.gate_margin.is_some() {
                    ""
                } else {
                    " (est.)"
                }
            ),
            match n.limit {
                Some(l) if n.margin() > l => "no".to_string(),
                Some(_) => "yes".to_string(),
                None => "–".to_string(),
            },
        ]);
    }
    blocks.push(Block::Table(t));
    blocks.push(Block::Subheading("Too noisy to gate".to_string()));
    let noisy: Vec<&Noise> = noises
        .iter()
        .filter(|n| n.limit.is_some_and(|l| n.margin() > l))
        .collect();
    if noises.iter().all(|n| n.limit.is_none()) {
        blocks.push(Block::Text(
            "No benchmark has a P10 limit, so none is judged here.".to_string(),
        ));
    } else if noisy.is_empty() {
        blocks.push(Block::Text(
            "None: every gated benchmark's noise margin is within its P10 limit.".to_string(),
        ));
    } else {
        blocks.push(Block::List(noisy.iter().map(|n| remedy(n)).collect()));
    }
    if input.baseline.is_none_or(|b| b.runs < 2) {
        blocks.push(Block::Text(
            "Run-to-run spread needs a baseline blessed from several runs (\"perfgate bless \
             --runs 3\"); without it the estimates above cover within-run noise only and are \
             a lower bound."
                .to_string(),
        ));
    }
    blocks.push(Block::Subheading("Sample distributions".to_string()));
    blocks.push(Block::Text(
        "Per group, each benchmark's samples (time per iteration relative to the reference \
         median: the baseline's when given, else the candidate's), baseline above candidate, \
         with P50, P95 and P99 marked. The full numbers are in the Profile tables."
            .to_string(),
    ));
    blocks.extend(distribution_charts(input));
    Section {
        id: "variability",
        title: "Variability".to_string(),
        blocks,
    }
}

/// A fraction as an unsigned percentage with one decimal.
fn pct(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// Collects one benchmark's noise figures.
fn noise_of(input: &ReportInput, b: &BenchmarkResult) -> Noise {
    let summary = b.summary.expect("caller filtered on summary");
    let base: Option<&BaselineBenchmark> = input.baseline.and_then(|bl| bl.benchmarks.get(&b.name));
    let run_p10s: Vec<f64> = base
        .map(|bb| {
            bb.runs_ns
                .iter()
                .filter_map(|run| Sample::new(run.clone()).ok())
                .map(|s| percentile(&s, 0.1))
                .collect()
        })
        .unwrap_or_default();
    let spread = RunSpread::of(&run_p10s)
        .ok()
        .map(|s| (s.runs, s.relative_stddev, s.max_relative_deviation));
    let check = input
        .verdict
        .and_then(|v| v.benchmarks.iter().find(|bv| bv.name == b.name))
        .and_then(|bv| headline_check(&bv.checks));
    let robust_cv = noise::robust_cv(&summary);
    let n_base = base.map_or(b.samples_ns.len(), |bb| bb.pooled_ns().len());
    Noise {
        name: b.name.clone(),
        samples: b.samples_ns.len(),
        cv: summary.cv,
        robust_cv,
        spread,
        limit: check
            .map(|c| c.limit)
            .or_else(|| input.limits.get(&b.name).and_then(|l| l.p10.or(l.p50))),
        within: noise::within_run_margin(robust_cv, b.samples_ns.len(), n_base),
        run_to_run: spread.and_then(|(k, sd, _)| noise::run_to_run_margin(sd, k)),
        gate_margin: check.and_then(|c| c.detectable),
        floor: input.limits.get(&b.name).map_or(0.0, |l| l.noise_floor),
        baseline_runs: base.map_or(0, |bb| bb.runs_ns.len()),
    }
}

/// Why a benchmark cannot be gated and what would change that, from its noise figures.
fn remedy(n: &Noise) -> String {
    let limit = n.limit.expect("only gated benchmarks are judged");
    let mut fixes = Vec::new();
    let mut blocked = Vec::new();
    if n.within > limit {
        match noise::samples_needed(n.robust_cv, limit) {
            Some(s) => fixes.push(format!(
                "about {s} samples per side instead of {} (within-run margin now ±{} at robust CV {})",
                n.samples,
                pct(n.within),
                pct(n.robust_cv)
            )),
            None => blocked.push(format!(
                "more samples cannot help within reason (robust CV {})",
                pct(n.robust_cv)
            )),
        }
    }
    if let (Some(run), Some((k, sd, _))) = (n.run_to_run, n.spread)
        && run > limit
    {
        match noise::runs_needed(sd, limit) {
            Some(runs) => fixes.push(format!(
                "a baseline of {runs} runs instead of {k} (run-to-run margin now ±{} at spread ±{})",
                pct(run),
                pct(sd)
            )),
            None => blocked.push(format!(
                "more runs cannot help: the run-to-run spread ±{} alone exceeds the limit at 95%",
                pct(sd)
            )),
        }
    }
    // Round to 0.1% first so that 14.0% asks for 14%, not 15%.
    let looser = ((n.margin() * 1000.0).round() / 10.0).ceil();
    let mut text = format!(
        "{}: noise margin ±{} > limit {}.",
        n.name,
        pct(n.margin()),
        pct(limit)
    );
    if fixes.is_empty() && blocked.is_empty() {
        text.push_str(
            " Neither the within-run nor the run-to-run estimate exceeds the limit; the \
             margin comes from the gate's bootstrap interval or the noise floor.",
        );
    }
    for b in &blocked {
        text.push_str(&format!(" {}{}.", b[..1].to_uppercase(), &b[1..]));
    }
    if blocked.is_empty() && !fixes.is_empty() {
        text.push_str(&format!(
            " Gateable with {}; or with a P10 limit of at least {looser:.0}%.",
            fixes.join(" and ")
        ));
    } else {
        text.push_str(&format!(
            " Gateable only with a P10 limit of at least {looser:.0}%."
        ));
    }
    text
}

/// One distribution chart per benchmark group, in suite order.
fn distribution_charts(input: &ReportInput) -> Vec<Block> {
    let mut charts: Vec<DistributionChart> = Vec::new();
    for b in &input.results.benchmarks {
        let Some(summary) = b.summary else { continue };
        let baseline_ns = input
            .baseline
            .and_then(|bl| bl.benchmarks.get(&b.name))
            .map(BaselineBenchmark::pooled_ns)
            .filter(|v| !v.is_empty());
        // Samples are drawn relative to the reference median; a zero median has no scale.
        let reference = match &baseline_ns {
            Some(v) => Sample::new(v.clone()).map_or(0.0, |s| percentile(&s, 0.5)),
            None => summary.p50_ns,
        };
        if reference <= 0.0 {
            continue;
        }
        let row = DistributionRow {
            name: b.name.clone(),
            baseline_ns,
            candidate_ns: b.samples_ns.clone(),
        };
        match charts.iter_mut().find(|c| c.title == b.group) {
            Some(c) => c.rows.push(row),
            None => charts.push(DistributionChart {
                title: b.group.clone(),
                rows: vec![row],
            }),
        }
    }
    charts
        .into_iter()
        .map(|c| Block::Chart(Chart::Distributions(c)))
        .collect()
}
