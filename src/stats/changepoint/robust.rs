//! The default method: a rank scan on the log scale, built for this host's noise (a few
//! percent of points slowed by 5–35% in episodes, a level that otherwise moves by 1–2%).
//!
//! For every split τ of the current segment, the up-to-`window` points before τ are
//! compared with the up-to-`window` points from τ on by a Mann–Whitney rank test (normal
//! approximation, tie-corrected, continuity-corrected). A slowed point changes one rank, so
//! a lone slow point or a short burst cannot make a split significant, where it moves a
//! mean by its full size. The p-value is Bonferroni-adjusted for the `window` positions a
//! step can be seen from. Scanning left to right, the first τ with adjusted p ≤ `max_pvalue`
//! and a median shift ≥ `min_magnitude` marks a change; it is placed at the split of the
//! fixed stretch [τ − window, τ + 2·window) with the largest |z| (fixed, so no window slides
//! past slow points), and the scan restarts there. Segments are
//! at least `min_segment` points long. A decision at τ reads points up to τ + 2·`window`
//! only, so appending points never moves a change point older than that.

use statrs::function::erf::erfc;

/// Parameters of the robust method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RobustOptions {
    /// Points compared on each side of a split (default 30).
    pub window: usize,
    /// Shortest segment between change points (default 5).
    pub min_segment: usize,
    /// Largest accepted adjusted p-value (default 0.01: Bonferroni over `window` positions
    /// already makes this a raw p of 0.01 / 30).
    pub max_pvalue: f64,
    /// Smallest accepted relative change of the median (default 0.02).
    pub min_magnitude: f64,
}

impl Default for RobustOptions {
    fn default() -> Self {
        RobustOptions {
            window: 30,
            min_segment: 5,
            max_pvalue: 0.01,
            min_magnitude: 0.02,
        }
    }
}

/// One change point found by the robust method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RobustChangePoint {
    /// First index after the change.
    pub index: usize,
    /// Median of the (up to `window`) points before, in the series' unit.
    pub level_before: f64,
    /// Median of the (up to `window`) points after.
    pub level_after: f64,
    /// Adjusted two-sided p-value of the rank test at the split.
    pub pvalue: f64,
}

/// The outcome of the rank test at one split.
#[derive(Debug, Clone, Copy)]
struct SplitTest {
    z: f64,
    pvalue: f64,
}

/// Median of a slice (sorted copy; mean of the two middle values when even).
fn median(x: &[f64]) -> f64 {
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Standardised Mann–Whitney statistic of `right` against `left` (positive: right larger);
/// `all` is scratch space, reused between calls so the scan allocates once.
fn mann_whitney_z(left: &[f64], right: &[f64], all: &mut Vec<(f64, bool)>) -> f64 {
    let (n1, n2) = (left.len() as f64, right.len() as f64);
    all.clear();
    all.extend(left.iter().map(|&v| (v, false)));
    all.extend(right.iter().map(|&v| (v, true)));
    all.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let n = all.len();
    let (mut rank_sum_right, mut ties) = (0.0, 0.0);
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && all[j].0 == all[i].0 {
            j += 1;
        }
        let t = (j - i) as f64;
        let avg_rank = (i + j + 1) as f64 / 2.0;
        ties += t * t * t - t;
        rank_sum_right += avg_rank * all[i..j].iter().filter(|e| e.1).count() as f64;
        i = j;
    }
    let nf = n as f64;
    let u = rank_sum_right - n2 * (n2 + 1.0) / 2.0;
    let mean = n1 * n2 / 2.0;
    let var = n1 * n2 / 12.0 * ((nf + 1.0) - ties / (nf * (nf - 1.0)));
    if var <= 0.0 {
        return 0.0;
    }
    let d = u - mean;
    let corrected = d.signum() * (d.abs() - 0.5).max(0.0);
    corrected / var.sqrt()
}

/// The windows compared at split `tau` of the segment starting at `start`.
fn windows<'a>(
    x: &'a [f64],
    start: usize,
    tau: usize,
    opts: &RobustOptions,
) -> (&'a [f64], &'a [f64]) {
    let left = &x[start.max(tau.saturating_sub(opts.window))..tau];
    let right = &x[tau..(tau + opts.window).min(x.len())];
    (left, right)
}

/// The rank test at split `tau` of the segment starting at `start`; `x` is on the log scale.
fn test_split(
    x: &[f64],
    start: usize,
    tau: usize,
    opts: &RobustOptions,
    scratch: &mut Vec<(f64, bool)>,
) -> SplitTest {
    let (left, right) = windows(x, start, tau, opts);
    let z = mann_whitney_z(left, right, scratch);
    let p_raw = erfc(z.abs() / std::f64::consts::SQRT_2);
    SplitTest {
        z,
        pvalue: (p_raw * opts.window as f64).min(1.0),
    }
}

/// Relative change of the window medians at split `tau`, after / before − 1 (`x` on the
/// log scale).
fn median_change(x: &[f64], start: usize, tau: usize, opts: &RobustOptions) -> f64 {
    let (left, right) = windows(x, start, tau, opts);
    (median(right) - median(left)).exp() - 1.0
}

/// The change points of `series` (positive values; others are compared as given).
pub fn detect(series: &[f64], opts: &RobustOptions) -> Vec<RobustChangePoint> {
    let positive = series.iter().all(|v| *v > 0.0);
    let x: Vec<f64> = if positive {
        series.iter().map(|v| v.ln()).collect()
    } else {
        series.to_vec()
    };
    let m = opts.min_segment.max(1);
    let n = x.len();
    let mut scratch = Vec::with_capacity(2 * opts.window);
    let mut found: Vec<(usize, f64)> = Vec::new();
    let mut start = 0;
    let mut tau = m;
    while tau + m <= n {
        let first = test_split(&x, start, tau, opts, &mut scratch);
        // The medians only matter once the rank test passes: computed then, not per split.
        let accepted = first.pvalue <= opts.max_pvalue
            && median_change(&x, start, tau, opts).abs() >= opts.min_magnitude;
        if !accepted {
            tau += 1;
            continue;
        }
        // Place the change within one fixed stretch around the detection, so that no
        // window slides past (and drops) slow points: the split of x[a..b) with the
        // largest |z| in the detected direction.
        let a = start.max(tau.saturating_sub(opts.window));
        let b = n.min(tau + 2 * opts.window);
        let (mut best, mut best_z) = (tau, 0.0f64);
        for t in a + m..=b - m {
            let z = mann_whitney_z(&x[a..t], &x[t..b], &mut scratch);
            if z.signum() == first.z.signum() && z.abs() > best_z.abs() {
                best = t;
                best_z = z;
            }
        }
        let best_test = test_split(&x, start, best, opts, &mut scratch);
        found.push((best, best_test.pvalue));
        start = best;
        tau = best + m;
    }
    levels(series, &found, opts.window)
}

/// Reports each split with the medians of its neighbouring windows (clipped at the
/// neighbouring change points), taken on the series itself so exact values stay exact.
fn levels(series: &[f64], found: &[(usize, f64)], window: usize) -> Vec<RobustChangePoint> {
    (0..found.len())
        .map(|k| {
            let (index, pvalue) = found[k];
            let prev = if k == 0 { 0 } else { found[k - 1].0 };
            let next = found.get(k + 1).map_or(series.len(), |f| f.0);
            let before = &series[prev.max(index.saturating_sub(window))..index];
            let after = &series[index..next.min(index + window)];
            RobustChangePoint {
                index,
                level_before: median(before),
                level_after: median(after),
                pvalue,
            }
        })
        .collect()
}
