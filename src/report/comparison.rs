//! Comparison: what changed against the baseline, each change labelled with the gate's
//! status so that a large change the gate calls noise reads as noise.

use super::doc::{Block, ChangeChart, ChangeRow, Chart, Section, Table};
use super::input::{BaselineData, ReportInput};
use crate::output::units::{bytes, duration, signed_percent};
use crate::results::ResultsFile;
use crate::stats::{Sample, percentile};
use crate::verdict::{BenchmarkVerdict, Check, Metric, Status, Verdict};

/// Rows in each of the increase/decrease tables.
const TOP: usize = 10;

/// One benchmark measured on both sides.
#[derive(Debug, Clone, PartialEq)]
struct Change {
    name: String,
    baseline_ns: f64,
    candidate_ns: f64,
    change: f64,
    ci: Option<(f64, f64)>,
    label: String,
    status: Status,
}

/// Builds the Comparison section.
pub fn section(input: &ReportInput) -> Section {
    let blocks = match (input.baseline, input.verdict) {
        (Some(baseline), Some(verdict)) => blocks(input.results, baseline, verdict),
        (Some(baseline), None) => vec![Block::Text(format!(
            "Baseline {} was read but the gate gave no verdict, so nothing is compared.",
            baseline.file
        ))],
        (None, _) => vec![Block::Text(
            "No baseline given, nothing compared. Run \"perfgate report RESULTS --baseline \
             NAME|PATH\" to compare with a blessed baseline."
                .to_string(),
        )],
    };
    Section {
        id: "comparison",
        title: "Comparison with the baseline".to_string(),
        blocks,
    }
}

fn blocks(results: &ResultsFile, baseline: &BaselineData, verdict: &Verdict) -> Vec<Block> {
    let mut blocks = vec![Block::Text(format!(
        "Gate: {} — {}. Baseline {} ({} run{}); thresholds from {}: α = {}, limits {}.",
        match verdict.verdict {
            crate::verdict::Outcome::Pass => "pass",
            crate::verdict::Outcome::Fail => "FAIL",
        },
        verdict.headline,
        baseline.file,
        baseline.runs,
        if baseline.runs == 1 { "" } else { "s" },
        verdict.thresholds.file,
        verdict.thresholds.alpha,
        verdict.thresholds.limits,
    ))];
    if !verdict.notes.is_empty() {
        blocks.push(Block::List(verdict.notes.clone()));
    }
    let changes = changes(results, baseline, verdict);
    blocks.push(Block::Table(totals(results, baseline)));
    blocks.push(Block::Text(
        "Totals move with the largest benchmarks; the gate judges every benchmark on its own \
         samples. The gate column says which changes are real: \"noise\" means the change \
         is larger than the limit but not beyond the measured noise."
            .to_string(),
    ));
    let mut up: Vec<&Change> = changes.iter().filter(|c| c.change > 0.0).collect();
    up.sort_by(|a, b| b.change.total_cmp(&a.change).then(a.name.cmp(&b.name)));
    let mut down: Vec<&Change> = changes.iter().filter(|c| c.change < 0.0).collect();
    down.sort_by(|a, b| a.change.total_cmp(&b.change).then(a.name.cmp(&b.name)));
    blocks.push(Block::Subheading(format!(
        "Top {TOP} regressions: largest P50 increases"
    )));
    blocks.push(change_table(&up));
    blocks.push(Block::Subheading(format!(
        "Top {TOP} improvements: largest P50 decreases"
    )));
    blocks.push(change_table(&down));
    blocks.push(Block::Chart(Chart::Changes(ChangeChart {
        title: "P50 change per benchmark (95% CI), coloured by the gate's status".to_string(),
        rows: changes
            .iter()
            .map(|c| ChangeRow {
                name: c.name.clone(),
                change: c.change,
                ci: c.ci,
                status: c.status,
            })
            .collect(),
    })));
    blocks.extend(allocation_changes(verdict));
    blocks.extend(other_statuses(verdict));
    blocks
}

/// Per benchmark on both sides: the change of the gated timing statistic (P10 by default)
/// that the decision used, with the gate's label; P10 against the pooled baseline where
/// the gate made no timing check.
fn changes(results: &ResultsFile, baseline: &BaselineData, verdict: &Verdict) -> Vec<Change> {
    let mut out = Vec::new();
    for bench in &results.benchmarks {
        let (Some(_), Some(base)) = (bench.summary, baseline.benchmarks.get(&bench.name)) else {
            continue;
        };
        let Some(bv) = verdict.benchmarks.iter().find(|v| v.name == bench.name) else {
            continue;
        };
        let check = bv.checks.iter().find(|c| is_timing(c.metric));
        let (baseline_ns, candidate_ns, change) = match check {
            Some(c) => (c.baseline, c.candidate, c.decided_change()),
            None => {
                let (Ok(pooled), Ok(cand)) = (
                    Sample::new(base.pooled_ns()),
                    Sample::new(bench.samples_ns.clone()),
                ) else {
                    continue;
                };
                let (b, x) = (percentile(&pooled, 0.1), percentile(&cand, 0.1));
                let change = if b > 0.0 { x / b - 1.0 } else { 0.0 };
                (b, x, change)
            }
        };
        out.push(Change {
            name: bench.name.clone(),
            baseline_ns,
            candidate_ns,
            change,
            ci: check.and_then(Check::decided_ci),
            label: label(bv, check),
            status: check.map_or(bv.status, |c| c.status),
        });
    }
    out
}

/// Timing statistics (the ones a speed factor and a bootstrap interval apply to).
fn is_timing(metric: Metric) -> bool {
    matches!(
        metric,
        Metric::P10 | Metric::P50 | Metric::P95 | Metric::P99
    )
}

/// The gate's word on a timing change, e.g. "noise (unchanged)" or "inconclusive: noise ±12%".
pub(super) fn label(bv: &BenchmarkVerdict, check: Option<&Check>) -> String {
    let Some(c) = check else {
        return format!("{} (timing not gated)", bv.status.as_str());
    };
    let word = match c.status {
        Status::Unchanged if c.decided_change().abs() > c.limit => "noise (unchanged)".to_string(),
        Status::Unchanged => "within limit".to_string(),
        Status::Inconclusive => match c.detectable {
            Some(d) => format!("inconclusive: noise ±{:.1}%", d * 100.0),
            None => "inconclusive".to_string(),
        },
        other => other.as_str().to_string(),
    };
    if bv.status != c.status && bv.status != Status::Unchanged {
        format!("{word}; benchmark {}", bv.status.as_str())
    } else {
        word
    }
}

/// Totals over the benchmarks measured on both sides.
fn totals(results: &ResultsFile, baseline: &BaselineData) -> Table {
    let mut t = Table::new(
        &[
            "total (benchmarks on both sides)",
            "baseline",
            "candidate",
            "change",
        ],
        1,
    );
    let (mut base_ns, mut cand_ns, mut base_b, mut cand_b) = (0.0, 0.0, 0.0, 0.0);
    let mut alloc_known = true;
    let mut both = 0;
    for bench in &results.benchmarks {
        let (Some(summary), Some(base)) = (bench.summary, baseline.benchmarks.get(&bench.name))
        else {
            continue;
        };
        let Ok(pooled) = Sample::new(base.pooled_ns()) else {
            continue;
        };
        both += 1;
        base_ns += percentile(&pooled, 0.5);
        cand_ns += summary.p50_ns;
        match (base.alloc_bytes_per_iter, bench.alloc_bytes_per_iter) {
            (Some(b), Some(c)) => {
                base_b += b;
                cand_b += c;
            }
            _ => alloc_known = false,
        }
    }
    let rel = |b: f64, c: f64| {
        if b > 0.0 {
            signed_percent(c / b - 1.0)
        } else if c > 0.0 {
            "new".to_string()
        } else {
            "±0.0%".to_string()
        }
    };
    t.row(vec![
        format!("runtime, one pass (sum of P50, {both} benchmarks)"),
        duration(base_ns),
        duration(cand_ns),
        rel(base_ns, cand_ns),
    ]);
    if alloc_known && both > 0 {
        t.row(vec![
            "allocated, one pass (sum of bytes / iter)".to_string(),
            bytes(base_b),
            bytes(cand_b),
            rel(base_b, cand_b),
        ]);
    }
    t
}

/// The table of the largest changes in one direction.
fn change_table(rows: &[&Change]) -> Block {
    if rows.is_empty() {
        return Block::Text("None.".to_string());
    }
    let mut t = Table::new(
        &[
            "benchmark",
            "baseline P50",
            "candidate P50",
            "change",
            "95% CI",
            "gate",
        ],
        1,
    );
    t.right = vec![1, 2, 3, 4];
    for c in rows.iter().take(TOP) {
        t.row(vec![
            c.name.clone(),
            duration(c.baseline_ns),
            duration(c.candidate_ns),
            signed_percent(c.change),
            c.ci.map_or("–".to_string(), |(lo, hi)| {
                format!("{} … {}", signed_percent(lo), signed_percent(hi))
            }),
            c.label.clone(),
        ]);
    }
    Block::Table(t)
}

/// Benchmarks whose heap allocation per iteration changed.
fn allocation_changes(verdict: &Verdict) -> Vec<Block> {
    let mut t = Table::new(&["benchmark", "baseline", "candidate", "change", "gate"], 1);
    t.right = vec![1, 2, 3];
    for bv in &verdict.benchmarks {
        for c in bv.checks.iter().filter(|c| c.metric == Metric::AllocBytes) {
            if c.candidate != c.baseline {
                t.row(vec![
                    bv.name.clone(),
                    bytes(c.baseline),
                    bytes(c.candidate),
                    if c.baseline > 0.0 {
                        signed_percent(c.change)
                    } else {
                        "from 0".to_string()
                    },
                    c.status.as_str().to_string(),
                ]);
            }
        }
    }
    let mut blocks = vec![Block::Subheading("Allocation changes".to_string())];
    if t.rows.is_empty() {
        blocks.push(Block::Text(
            "No benchmark changed its heap bytes per iteration.".to_string(),
        ));
    } else {
        blocks.push(Block::Table(t));
    }
    blocks
}

/// Benchmarks that could not be compared: failed, missing, new.
fn other_statuses(verdict: &Verdict) -> Vec<Block> {
    let items: Vec<String> = verdict
        .benchmarks
        .iter()
        .filter(|b| matches!(b.status, Status::Failed | Status::Missing | Status::New))
        .map(|b| match &b.message {
            Some(m) => format!("{}: {} — {m}", b.name, b.status.as_str()),
            None => format!("{}: {}", b.name, b.status.as_str()),
        })
        .collect();
    if items.is_empty() {
        return Vec::new();
    }
    vec![
        Block::Subheading("Not compared".to_string()),
        Block::List(items),
    ]
}
