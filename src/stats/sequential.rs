//! The sequential stopping rule of an A/B run: a benchmark is looked at after a fixed
//! schedule of rounds (the looks), and stops once it is decided — its interval lies inside
//! ±limit (unchanged), or a significant change lies beyond it — so the rounds left go to
//! the benchmarks still open. docs/ab-method.md explains and references the method.
//!
//! Error rates under repeated looks, by the union bound (Bonferroni over looks, as in an
//! alpha-spending design with pre-set increments; Lan & DeMets 1983, Jennison & Turnbull
//! 2000 ch. 7):
//! - **False alarms.** Look k spends `alpha · test_weights[k]` (Σ weights ≤ 1). Within a
//!   look the open benchmarks are tested by Holm over a family of m − R benchmarks: m =
//!   every benchmark that reached the first look, R = those called a change at an earlier
//!   look. Benchmarks stopped as unchanged stay in the family (as p = 1), so whatever the
//!   earlier looks did, a false alarm at look k implies a true-null p-value at or below
//!   `alpha_k / m0`: P(any false alarm) ≤ Σ_k alpha_k ≤ alpha.
//! - **Intervals.** Look k's interval has level 1 − `miss · ci_weights[k]`; with Σ weights
//!   ≤ 1 every interval a benchmark shows on its way covers the true change with
//!   probability ≥ 1 − miss simultaneously (a 95% confidence sequence for miss = 0.05), so
//!   "unchanged" taken at any look is as safe as a single 95% interval.

use serde::{Deserialize, Serialize};

use super::paired::{PairedChange, paired_change_at};

/// Total miss rate of the intervals over all looks (their simultaneous level is 95%).
pub const INTERVAL_MISS: f64 = 0.05;

/// The fixed look schedule of a sequential A/B run and how it spends its error rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LookPlan {
    /// Round counts at which benchmarks are decided, strictly increasing, ≥ 1.
    pub looks: Vec<u32>,
    /// Share of alpha spent on the test at each look (Σ ≤ 1).
    pub test_weights: Vec<f64>,
    /// Share of the intervals' miss rate spent at each look (Σ ≤ 1).
    pub ci_weights: Vec<f64>,
}

/// First look (rounds) and distance between looks of the default schedule.
const FIRST_LOOK: u32 = 8;
/// Rounds between two looks of the default schedule.
const LOOK_STEP: u32 = 4;
/// Exponent of the test's spending function alpha·t^ρ (t = rounds / max rounds).
const SPEND_RHO: i32 = 3;

impl LookPlan {
    /// The default schedule for at most `max_rounds` rounds: looks at 8, 12, 16, … and at
    /// `max_rounds`; the test spends alpha·t³ (t = rounds / max rounds: little at the
    /// early looks, where the exact signed-rank test cannot reach a small level anyway),
    /// the intervals spend their miss rate equally.
    pub fn default_for(max_rounds: u32) -> LookPlan {
        let max = max_rounds.max(1);
        let mut looks: Vec<u32> = (0..)
            .map(|i| FIRST_LOOK + i * LOOK_STEP)
            .take_while(|&n| n < max)
            .collect();
        looks.push(max);
        let spent = |n: u32| (f64::from(n) / f64::from(max)).powi(SPEND_RHO);
        let test_weights = looks
            .iter()
            .enumerate()
            .map(|(k, &n)| spent(n) - k.checked_sub(1).map_or(0.0, |j| spent(looks[j])))
            .collect();
        let ci_weights = vec![1.0 / looks.len() as f64; looks.len()];
        LookPlan {
            looks,
            test_weights,
            ci_weights,
        }
    }

    /// The plan of a run that ended after `rounds` rounds, before its last look: the looks
    /// it reached, the last of them spending every share the unreached looks would have
    /// spent (Lan & DeMets: the final analysis spends what is left). Either the time budget
    /// ended it — elapsed time, not the rounds' values, so the error rates hold — or every
    /// benchmark was decided, and a larger share at the last look can only narrow intervals
    /// and lower p-values of calls already made. Unchanged when `rounds` reaches no look.
    pub fn ended_at(&self, rounds: u32) -> LookPlan {
        let reached = self.looks.iter().take_while(|&&n| n <= rounds).count();
        if reached == 0 || reached == self.looks.len() {
            return self.clone();
        }
        let rest = |w: &[f64]| {
            let mut kept = w[..reached].to_vec();
            let before: f64 = kept[..reached - 1].iter().sum();
            kept[reached - 1] = (w.iter().sum::<f64>() - before).max(0.0);
            kept
        };
        LookPlan {
            looks: self.looks[..reached].to_vec(),
            test_weights: rest(&self.test_weights),
            ci_weights: rest(&self.ci_weights),
        }
    }

    /// Why the plan is unusable (read from a file), or `None`.
    pub fn fault(&self) -> Option<String> {
        let k = self.looks.len();
        if k == 0 || self.test_weights.len() != k || self.ci_weights.len() != k {
            return Some(
                "looks, test_weights and ci_weights must be non-empty and of one length".into(),
            );
        }
        if self.looks[0] == 0 || self.looks.windows(2).any(|w| w[0] >= w[1]) {
            return Some("looks must be strictly increasing round counts ≥ 1".into());
        }
        for (what, w) in [
            ("test_weights", &self.test_weights),
            ("ci_weights", &self.ci_weights),
        ] {
            if w.iter().any(|x| !(x.is_finite() && *x >= 0.0)) || w.iter().sum::<f64>() > 1.0 + 1e-9
            {
                return Some(format!("{what} must be non-negative and sum to at most 1"));
            }
        }
        None
    }
}

/// The decision rule's levels: what the stopping uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StopRule {
    /// Family-wise false-alarm rate over all benchmarks and looks.
    pub alpha: f64,
    /// Largest change called "unchanged" and smallest called a change (fraction); `None`:
    /// no timing decision, every benchmark stays open.
    pub limit: Option<f64>,
}

/// What a look concluded about one benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// Significantly slower, by more than the limit.
    Regression,
    /// Significantly faster, by more than the limit.
    Improvement,
    /// The interval lies within ±limit.
    Unchanged,
    /// Not decided (yet): the interval reaches beyond ±limit.
    Open,
}

impl Call {
    /// True when the benchmark stops (anything but [`Call::Open`]).
    pub fn decided(self) -> bool {
        self != Call::Open
    }
}

/// A benchmark at the last look it reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Looked {
    /// Index of the look (0-based) in the plan.
    pub look: usize,
    /// Rounds the look used (the look's round count).
    pub rounds: usize,
    /// Change, interval (at `confidence`) and signed-rank test of those rounds.
    pub change: PairedChange,
    /// Level of this look's interval.
    pub confidence: f64,
    /// Holm-adjusted p-value of the look, scaled by the look's share of alpha
    /// (p_holm / test_weight, capped at 1): significant ⇔ `p_adjusted < alpha`.
    pub p_adjusted: f64,
    /// The look's conclusion.
    pub call: Call,
}

/// Runs the looks over every benchmark's per-round log-ratios (`None`: not in the family,
/// e.g. on one side only). A benchmark takes part in each look its series reaches until
/// it is decided; the result is its state at the last look it took part in (`None` when
/// it reached none). A deterministic function of the series, the plan and the rule: the
/// driver stops benchmarks with it, and `compare` re-derives the same verdict from the file.
pub fn sequential_calls(
    series: &[Option<&[f64]>],
    plan: &LookPlan,
    rule: StopRule,
) -> Vec<Option<Looked>> {
    let mut out: Vec<Option<Looked>> = vec![None; series.len()];
    let first = plan.looks.first().map_or(usize::MAX, |&n| n as usize);
    let family = series
        .iter()
        .filter(|s| s.is_some_and(|s| s.len() >= first))
        .count();
    let mut changes_called = 0;
    for (k, &n) in plan.looks.iter().enumerate() {
        let n = n as usize;
        let open: Vec<(usize, PairedChange)> = series
            .iter()
            .enumerate()
            .filter(|(j, s)| {
                s.is_some_and(|s| s.len() >= n) && out[*j].is_none_or(|l| !l.call.decided())
            })
            .filter_map(|(j, s)| {
                let level = 1.0 - INTERVAL_MISS * plan.ci_weights[k];
                paired_change_at(&s.expect("filtered")[..n], level)
                    .ok()
                    .map(|c| (j, c))
            })
            .collect();
        if open.is_empty() {
            continue;
        }
        let confidence = 1.0 - INTERVAL_MISS * plan.ci_weights[k];
        let holm = holm_in_family(
            &open.iter().map(|(_, c)| c.test.p_value).collect::<Vec<_>>(),
            family.saturating_sub(changes_called),
        );
        let mut called_here = 0;
        for ((j, c), p_holm) in open.into_iter().zip(holm) {
            let w = plan.test_weights[k];
            let p_adjusted = if w > 0.0 { (p_holm / w).min(1.0) } else { 1.0 };
            let call = decide(&c, p_adjusted, rule);
            if matches!(call, Call::Regression | Call::Improvement) {
                called_here += 1;
            }
            out[j] = Some(Looked {
                look: k,
                rounds: n,
                change: c,
                confidence,
                p_adjusted,
                call,
            });
        }
        changes_called += called_here;
    }
    out
}

/// One look's call of one benchmark (the rule of the module documentation).
fn decide(c: &PairedChange, p_adjusted: f64, rule: StopRule) -> Call {
    let Some(limit) = rule.limit else {
        return Call::Open;
    };
    let significant = p_adjusted < rule.alpha;
    if significant && c.change > limit && c.ci_low > 0.0 {
        Call::Regression
    } else if significant && c.change < -limit && c.ci_high < 0.0 {
        Call::Improvement
    } else if c.ci_high > limit || c.ci_low < -limit {
        Call::Open
    } else {
        Call::Unchanged
    }
}

/// Holm-adjusted p-values of `p` within a family of `family` tests (≥ `p.len()`): the
/// members not tested here count as p = 1, so they only raise the multipliers.
fn holm_in_family(p: &[f64], family: usize) -> Vec<f64> {
    let mut padded = p.to_vec();
    padded.resize(family.max(p.len()), 1.0);
    let mut adjusted = super::holm_adjust(&padded);
    adjusted.truncate(p.len());
    adjusted
}

#[cfg(test)]
mod tests;
