//! The report of an A/B results file (`perfgate report AB_RESULTS`): the two sides, the
//! paired verdict derived again from the file, the paired change per benchmark with its
//! interval, and every round's head/base ratio. Same document model, same Markdown and
//! HTML renderers as the run report.

use super::charts::ChartError;
use super::doc::{Block, ChangeChart, ChangeRow, Chart, LineChart, Section, Table};
use crate::output::units::{duration, signed_percent};
use crate::results::{AbResultsFile, AbSide};
use crate::verdict::{Metric, Outcome, Verdict};

/// Title of an A/B report.
const TITLE: &str = "perfgate A/B report";

/// What an A/B report is made from.
#[derive(Debug, Clone)]
pub struct AbReportInput<'a> {
    /// The A/B results.
    pub ab: &'a AbResultsFile,
    /// Where they were read from, as shown to the reader.
    pub file: String,
    /// The paired verdict of `ab`.
    pub verdict: &'a Verdict,
}

/// The A/B report as Markdown.
pub fn ab_markdown(input: &AbReportInput) -> String {
    super::markdown::render(TITLE, &intro(input), &sections(input))
}

/// The A/B report as a self-contained HTML page with charts.
pub fn ab_html(input: &AbReportInput) -> Result<String, ChartError> {
    super::html::render(TITLE, &intro(input), &sections(input))
}

fn side(label: &str, s: &AbSide) -> String {
    let commit = s
        .git_commit
        .as_deref()
        .map_or(String::new(), |c| format!(", commit {c}"));
    format!(
        "{label}: {} (perfgate {}{commit})",
        s.binary, s.perfgate_version
    )
}

fn intro(input: &AbReportInput) -> Vec<String> {
    let (ab, v) = (input.ab, input.verdict);
    let outcome = match v.verdict {
        Outcome::Pass => "pass",
        Outcome::Fail => "FAIL",
    };
    let mut lines = vec![
        format!("A/B results: {}", input.file),
        format!("Gate: {outcome} — {}", v.headline),
        side("Base", &ab.base),
        side("Head", &ab.head),
    ];
    if !ab.env.cpu_model.is_empty() {
        lines.push(format!(
            "Machine: {}, {} logical cores, {}",
            ab.env.cpu_model, ab.env.logical_cores, ab.env.os
        ));
    }
    let s = &ab.settings;
    let pin = s
        .core
        .map_or("not pinned".to_string(), |c| format!("core {c}"));
    lines.push(format!(
        "Settings: {} of at most {} rounds (looks at {}), up to {} pairs per visit, {} ms per \
         sample, seed {}, {pin}",
        s.rounds_done,
        s.rounds_planned,
        s.looks
            .looks
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        s.samples_per_visit,
        s.sample_ms,
        s.seed
    ));
    lines
}

fn sections(input: &AbReportInput) -> Vec<Section> {
    vec![changes(input), rounds(input)]
}

/// Paired change per benchmark, with the verdict.
fn changes(input: &AbReportInput) -> Section {
    let v = input.verdict;
    let mut blocks = vec![Block::Text(
        "Base and head ran side by side on one machine, interleaved: each round visits every \
         benchmark once, base and head in random order. The change is the Hodges–Lehmann \
         estimate of the per-round head/base ratios, with its 95% distribution-free interval; \
         p (Holm) is the Wilcoxon signed-rank test over the rounds, Holm-adjusted over the \
         benchmarks."
            .to_string(),
    )];
    if !v.notes.is_empty() {
        blocks.push(Block::List(v.notes.clone()));
    }
    let mut t = Table::new(
        &[
            "Benchmark",
            "Status",
            "Base P50",
            "Head P50",
            "Change",
            "95% CI",
            "p (Holm)",
            "Rounds",
        ],
        2,
    );
    let mut chart = Vec::new();
    for b in &v.benchmarks {
        let p50 = b.checks.iter().find(|c| c.metric == Metric::P50);
        let cells = match p50 {
            Some(c) => {
                let ci = match (c.ci_low, c.ci_high) {
                    (Some(lo), Some(hi)) => {
                        chart.push(ChangeRow {
                            name: b.name.clone(),
                            change: c.change,
                            ci: Some((lo, hi)),
                            status: b.status,
                        });
                        format!("{} … {}", signed_percent(lo), signed_percent(hi))
                    }
                    _ => String::new(),
                };
                [
                    duration(c.baseline),
                    duration(c.candidate),
                    signed_percent(c.change),
                    ci,
                    c.p_adjusted.map_or(String::new(), |p| format!("{p:.2e}")),
                    c.rounds.map_or(String::new(), |n| n.to_string()),
                ]
            }
            None => Default::default(),
        };
        let mut row = vec![b.name.clone(), b.status.as_str().to_string()];
        row.extend(cells);
        t.row(row);
    }
    blocks.push(Block::Table(t));
    let failed: Vec<String> = v
        .benchmarks
        .iter()
        .filter(|b| b.checks.is_empty())
        .filter_map(|b| b.message.as_ref().map(|m| format!("{}: {m}", b.name)))
        .collect();
    if !failed.is_empty() {
        blocks.push(Block::Subheading("Not compared".to_string()));
        blocks.push(Block::List(failed));
    }
    if !chart.is_empty() {
        blocks.push(Block::Chart(Chart::Changes(ChangeChart {
            title: "Paired P50 change per benchmark (95% CI), coloured by the gate's status"
                .to_string(),
            rows: chart,
        })));
    }
    Section {
        id: "ab",
        title: "Paired changes".to_string(),
        blocks,
    }
}

/// Every round's head/base ratio: how steady the pairing was.
fn rounds(input: &AbReportInput) -> Section {
    let mut t = Table::new(
        &[
            "Benchmark",
            "Rounds",
            "Base first",
            "Lowest head/base",
            "Median head/base",
            "Highest head/base",
        ],
        1,
    );
    let mut series = Vec::new();
    for b in input.ab.benchmarks.iter().filter(|b| !b.rounds.is_empty()) {
        let mut ratios: Vec<f64> = b.rounds.iter().map(|r| r.log_ratio.exp_m1()).collect();
        series.push((
            b.name.clone(),
            b.rounds
                .iter()
                .map(|r| (f64::from(r.round + 1), 100.0 * r.log_ratio.exp()))
                .collect(),
        ));
        ratios.sort_by(f64::total_cmp);
        let mid = ratios.len() / 2;
        let median = match ratios.len() % 2 {
            1 => ratios[mid],
            _ => (ratios[mid - 1] + ratios[mid]) / 2.0,
        };
        t.row(vec![
            b.name.clone(),
            b.rounds.len().to_string(),
            b.rounds.iter().filter(|r| r.base_first).count().to_string(),
            signed_percent(ratios[0]),
            signed_percent(median),
            signed_percent(ratios[ratios.len() - 1]),
        ]);
    }
    let mut blocks = vec![Block::Text(
        "Per round, the median of the head's samples over the median of the base's samples \
         of the same visit (as a change: +1.0% means the head took 1% longer)."
            .to_string(),
    )];
    if series.is_empty() {
        blocks.push(Block::Text("No paired rounds were measured.".to_string()));
    } else {
        blocks.push(Block::Table(t));
        blocks.push(Block::Chart(Chart::Lines(LineChart {
            title: "Head P50 per round, % of the base's P50 in the same visit".to_string(),
            x_label: "round".to_string(),
            y_label: "head / base (%)".to_string(),
            series,
        })));
    }
    Section {
        id: "rounds",
        title: "Rounds".to_string(),
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::{Thresholds, gate_ab};
    use crate::results::parse_ab_results;
    use std::path::Path;

    /// Two benchmarks: one paired over 10 rounds (head +10% ± a little), one that failed.
    fn ab() -> AbResultsFile {
        let rounds: Vec<String> = (0..10)
            .map(|r| {
                let head = 110.0 + f64::from(r % 3) - 1.0;
                format!(
                    r#"{{"round": {r}, "base_first": {}, "pairs": 1, "base_p50_ns": 100, "head_p50_ns": {head}, "log_ratio": 0}}"#,
                    r % 2 == 0
                )
            })
            .collect();
        let text = format!(
            r#"{{
              "schema": "perfgate.ab-results.v2", "perfgate_version": "0.1.0",
              "env": {{"cpu_model": "Test CPU", "logical_cores": 2, "os": "linux"}},
              "base": {{"binary": "old", "perfgate_version": "0.1.0", "git_commit": "abc"}},
              "head": {{"binary": "new", "perfgate_version": "0.1.0"}},
              "settings": {{"rounds_planned": 10, "rounds_done": 10, "samples_per_visit": 1,
                           "warmup_ms": 1, "rewarm_ms": 1, "sample_ms": 5, "seed": 7,
                           "looks": {{"looks": [10], "test_weights": [1.0], "ci_weights": [1.0]}},
                           "stop_alpha": 0.01, "stop_limit": 0.02}},
              "benchmarks": [
                {{"name": "a/1", "presence": "both", "iters_per_sample": 1,
                  "base": {{"samples_ns": [100, 100, 100, 100, 100, 100, 100, 100, 100, 100], "alloc_bytes": 0, "allocs": 0}},
                  "head": {{"samples_ns": [109, 110, 111, 109, 110, 111, 109, 110, 111, 109], "alloc_bytes": 0, "allocs": 0}},
                  "rounds": [{}]}},
                {{"name": "b/1", "presence": "both", "error": "base worker died: boom",
                  "iters_per_sample": 1,
                  "base": {{"samples_ns": [], "alloc_bytes": 0, "allocs": 0}},
                  "head": {{"samples_ns": [], "alloc_bytes": 0, "allocs": 0}},
                  "rounds": []}}
              ]
            }}"#,
            rounds.join(",")
        );
        parse_ab_results(text.as_bytes(), Path::new("ab.json")).unwrap()
    }

    #[test]
    fn the_ab_report_shows_both_sides_the_paired_change_and_the_rounds() {
        let ab = ab();
        let verdict = gate_ab(&ab, &Thresholds::default()).unwrap();
        let input = AbReportInput {
            ab: &ab,
            file: "ab.json".to_string(),
            verdict: &verdict,
        };
        let md = ab_markdown(&input);
        insta::assert_snapshot!(md);
        let html = ab_html(&input).unwrap();
        assert!(html.contains("<svg") && html.contains("Paired changes"));
    }
}
