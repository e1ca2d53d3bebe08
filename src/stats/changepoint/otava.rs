//! `--method otava`: Apache Otava 0.8's `compute_change_points` (otava/analysis.py),
//! ported step for step: windowed E-divisive means splitting with a Student-t test at a
//! relaxed first-pass p-value (the "weak" change points), then the bottom-up merge that
//! drops the weakest point until every p-value is below `max_pvalue` and every relative
//! change above `min_magnitude`. Same inputs, same indices; p-values agree to ~1e-12.

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::edivisive::PairDistances;
use super::numpy;

/// Otava's analysis options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OtavaOptions {
    /// Sliding window length of the split step (Otava's `window_len`, default 50).
    pub window_len: usize,
    /// Largest accepted p-value (default 0.001).
    pub max_pvalue: f64,
    /// Smallest accepted relative change (default 0.0).
    pub min_magnitude: f64,
}

impl Default for OtavaOptions {
    fn default() -> Self {
        OtavaOptions {
            window_len: 50,
            max_pvalue: 0.001,
            min_magnitude: 0.0,
        }
    }
}

/// One change point as Otava reports it (`TTestStats`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OtavaChangePoint {
    /// First index after the change.
    pub index: usize,
    /// Mean of the segment before.
    pub mean_before: f64,
    /// Mean of the segment after.
    pub mean_after: f64,
    /// Population standard deviation before.
    pub std_before: f64,
    /// Population standard deviation after.
    pub std_after: f64,
    /// Two-sided Student-t p-value.
    pub pvalue: f64,
}

impl OtavaChangePoint {
    /// `mean_after / mean_before − 1` (0 when the mean before is 0).
    pub fn forward_rel_change(&self) -> f64 {
        if self.mean_before == 0.0 {
            0.0
        } else {
            self.mean_after / self.mean_before - 1.0
        }
    }

    fn backward_rel_change(&self) -> f64 {
        if self.mean_after == 0.0 {
            0.0
        } else {
            self.mean_before / self.mean_after - 1.0
        }
    }

    /// Otava's `change_magnitude`: the larger of the forward and backward relative changes.
    pub fn magnitude(&self) -> f64 {
        self.forward_rel_change()
            .abs()
            .max(self.backward_rel_change().abs())
    }
}

/// Otava's `TTestSignificanceTester.compare` of `left` and `right`, placed at `index`.
fn ttest(index: usize, left: &[f64], right: &[f64]) -> OtavaChangePoint {
    let (n1, n2) = (left.len() as f64, right.len() as f64);
    let mean_l = numpy::mean(left);
    let mean_r = numpy::mean(right);
    let std_l = if left.len() >= 2 {
        numpy::std(left)
    } else {
        0.0
    };
    let std_r = if right.len() >= 2 {
        numpy::std(right)
    } else {
        0.0
    };
    let pvalue = if left.len() + right.len() > 2 {
        // scipy.stats.ttest_ind_from_stats(equal_var=True), fed Otava's ddof=0 stds.
        let df = n1 + n2 - 2.0;
        let svar = ((n1 - 1.0) * (std_l * std_l) + (n2 - 1.0) * (std_r * std_r)) / df;
        let denom = (svar * (1.0 / n1 + 1.0 / n2)).sqrt();
        let t = (mean_l - mean_r) / denom;
        if t.is_nan() {
            f64::NAN
        } else if t.is_infinite() {
            0.0
        } else {
            let dist = StudentsT::new(0.0, 1.0, df).expect("df ≥ 1");
            2.0 * dist.sf(t.abs())
        }
    } else {
        1.0
    };
    OtavaChangePoint {
        index,
        mean_before: mean_l,
        mean_after: mean_r,
        std_before: std_l,
        std_after: std_r,
        pvalue,
    }
}

/// Otava's `get_intervals`: the segments between sorted change points, empty ones dropped.
fn intervals(cps: &[usize], len: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(cps.len() + 1);
    for i in 0..=cps.len() {
        let start = if i == 0 { 0 } else { cps[i - 1] };
        let stop = if i == cps.len() { None } else { Some(cps[i]) };
        if stop != Some(start) {
            out.push((start, stop.unwrap_or(len)));
        }
    }
    out
}

/// Otava's `TTestSignificanceTester.change_point`: the stats of a candidate at `index`
/// given the current intervals (a merge when `index` ends an interval, else a split).
fn change_point(index: usize, series: &[f64], ivs: &[(usize, usize)]) -> OtavaChangePoint {
    for (i, &(start, stop)) in ivs.iter().enumerate() {
        if stop == index && i + 1 < ivs.len() {
            let right = ivs[i + 1];
            return ttest(index, &series[start..stop], &series[right.0..right.1]);
        }
        if start < index && index < stop {
            return ttest(index, &series[start..index], &series[index..stop]);
        }
    }
    unreachable!("a candidate always lies in or ends one of the intervals")
}

/// Otava's `ChangePointDetector.get_change_points` on one window, local indices.
fn detect_window(window: &[f64], max_pvalue: f64) -> Vec<OtavaChangePoint> {
    let calc = PairDistances::new(window);
    let mut cps: Vec<OtavaChangePoint> = Vec::new();
    loop {
        let idx: Vec<usize> = cps.iter().map(|c| c.index).collect();
        let ivs = intervals(&idx, window.len());
        // get_next_candidate: the first interval with the largest qhat.
        let mut best = None;
        for &(s, e) in &ivs {
            if e.saturating_sub(s) > 1 {
                let c = calc.candidate(s, e);
                match best {
                    None => best = Some(c),
                    Some(b) if c.qhat > b.qhat => best = Some(c),
                    _ => {}
                }
            }
        }
        let Some(candidate) = best else { break };
        let cp = change_point(candidate.index, window, &ivs);
        if cp.pvalue <= max_pvalue {
            cps.push(cp);
            cps.sort_by_key(|c| c.index);
        } else {
            break;
        }
    }
    cps
}

/// Otava's `split`: the weak change points of the whole series.
fn split(series: &[f64], window_len: usize, max_pvalue: f64) -> Vec<OtavaChangePoint> {
    assert!(window_len >= 2, "window length must be at least 2");
    let step = window_len / 2;
    let mut start = 0;
    let mut cps: Vec<OtavaChangePoint> = Vec::new();
    while start < series.len() {
        let end = (start + window_len).min(series.len());
        let found = detect_window(&series[start..end], max_pvalue);
        let last = found.last().map_or(0, |c| c.index + start);
        for mut cp in found {
            cp.index += start;
            if !cps.iter().any(|c| c.index == cp.index) {
                cps.push(cp);
            }
        }
        start = last.max(start + step);
    }
    cps.sort_by_key(|c| c.index);
    let idx: Vec<usize> = cps.iter().map(|c| c.index).collect();
    let ivs = intervals(&idx, series.len());
    idx.iter().map(|&i| change_point(i, series, &ivs)).collect()
}

/// Python's `max(items, key=…)`: the first item no later item is strictly greater than.
fn py_max_by(cps: &[OtavaChangePoint], key: impl Fn(&OtavaChangePoint) -> f64) -> usize {
    let mut best = 0;
    for i in 1..cps.len() {
        if key(&cps[i]) > key(&cps[best]) {
            best = i;
        }
    }
    best
}

/// Otava's `merge`: drop the weakest change point until all are significant and large.
fn merge(
    mut cps: Vec<OtavaChangePoint>,
    series: &[f64],
    max_pvalue: f64,
    min_magnitude: f64,
) -> Vec<OtavaChangePoint> {
    while !cps.is_empty() {
        let mut weakest = py_max_by(&cps, |c| c.pvalue);
        if cps[weakest].pvalue < max_pvalue {
            weakest = py_max_by(&cps, |c| -c.magnitude());
            if cps[weakest].magnitude() > min_magnitude {
                return cps;
            }
        }
        cps.remove(weakest);
        let idx: Vec<usize> = cps.iter().map(|c| c.index).collect();
        let ivs = intervals(&idx, series.len());
        for i in [weakest, weakest + 1] {
            if i < cps.len() {
                cps[i] = change_point(cps[i].index, series, &ivs);
            }
        }
    }
    cps
}

/// Otava's `compute_change_points(series, window_len, max_pvalue, min_magnitude)`:
/// the final change points, sorted by index.
pub fn compute_change_points(series: &[f64], opts: &OtavaOptions) -> Vec<OtavaChangePoint> {
    let p = opts.max_pvalue;
    let first_pass = if p < 0.05 {
        p * 10.0
    } else if p < 0.5 {
        p * 2.0
    } else {
        p
    };
    let weak = split(series, opts.window_len.max(2), first_pass);
    merge(weak, series, p, opts.min_magnitude)
}
