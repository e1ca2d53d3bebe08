//! The E-divisive means candidate search of Apache Otava 0.8
//! (`otava/change_point_divisive/calculator.py`, `PairDistanceCalculator` with power 1),
//! ported operation for operation so candidates and their `qhat` round as numpy's do.

/// A candidate split: `index` is the first point of the right part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    /// First index of the right part.
    pub index: usize,
    /// The maximised Q value.
    pub qhat: f64,
}

/// Precomputed pair distances of one series (Otava's `V` and `H`).
pub(crate) struct PairDistances<'a> {
    series: &'a [f64],
    /// V[c] = Σ_{r ≤ c} |s_r − s_{c+1}|.
    v: Vec<f64>,
    /// H[r][c] = Σ_{c' = r..=c} |s_r − s_{c'+1}| (row-major, (n−1)², zero below the diagonal).
    h: Vec<f64>,
}

impl<'a> PairDistances<'a> {
    /// Precomputes V and H for `series` (at least one point).
    pub fn new(series: &'a [f64]) -> Self {
        let n = series.len();
        let m = n.saturating_sub(1);
        let d = |i: usize, j: usize| (series[i] - series[j]).abs();
        let mut v = vec![0.0; m];
        for (c, vc) in v.iter_mut().enumerate() {
            // numpy sums column c over all rows in order; the zero rows below add nothing.
            let mut acc = 0.0;
            for r in 0..=c {
                acc += d(r, c + 1);
            }
            *vc = acc;
        }
        let mut h = vec![0.0; m * m];
        for r in 0..m {
            let mut acc = 0.0;
            for c in r..m {
                acc += d(r, c + 1);
                h[r * m + c] = acc;
            }
        }
        PairDistances { series, v, h }
    }

    fn dist(&self, i: usize, j: usize) -> f64 {
        (self.series[i] - self.series[j]).abs()
    }

    /// Otava's `get_candidate_change_point` on `series[start..end]` (`end − start ≥ 2`).
    pub fn candidate(&self, start: usize, end: usize) -> Candidate {
        let l = end - 1 - start;
        let m = self.series.len() - 1;
        // V restricted to [start, end): subtract the distances to points before start.
        let v: Vec<f64> = (0..l)
            .map(|k| {
                let mut sub = 0.0;
                for r in 0..start {
                    sub += self.dist(r, start + 1 + k);
                }
                self.v[start + k] - sub
            })
            .collect();
        let hh = |a: usize, b: usize| self.h[(start + a) * m + start + b];
        let mut cum_v = vec![0.0; l];
        let mut acc = 0.0;
        for (k, x) in v.iter().enumerate() {
            acc += x;
            cum_v[k] = acc;
        }
        // cumsum(H, axis=0), column by column.
        let mut cum_h = vec![0.0; l * l];
        for b in 0..l {
            let mut acc = 0.0;
            for a in 0..l {
                acc += hh(a, b);
                cum_h[a * l + b] = acc;
            }
        }
        // flipud(cumsum(flipud(H[1:, 1:]))): sums from the bottom row up.
        let g = l.saturating_sub(1);
        let mut rev = vec![0.0; g * g];
        for q in 0..g {
            let mut acc = 0.0;
            for p in (0..g).rev() {
                acc += hh(p + 1, q + 1);
                rev[p * g + q] = acc;
            }
        }
        let mut best = Candidate {
            index: 0,
            qhat: f64::NEG_INFINITY,
        };
        let mut first = true;
        for a in 0..l {
            for b in 0..l {
                let q = if b >= a {
                    let a_pre = if a >= 1 { cum_v[a - 1] } else { 0.0 };
                    let a_val = (2.0 / (b + 2) as f64) * (cum_h[a * l + b] - a_pre);
                    let b_val = if a >= 1 && b >= 1 {
                        let coef = (2 * (b + 1 - a)) as f64 / ((b + 2) * a) as f64;
                        coef * cum_v[a - 1]
                    } else {
                        0.0
                    };
                    let c_val = if b > a && a + 1 < l {
                        let coef = (2 * (a + 1)) as f64 / ((b + 2) * (b - a)) as f64;
                        coef * rev[a * g + (b - 1)]
                    } else {
                        0.0
                    };
                    a_val - b_val - c_val
                } else {
                    // Below the diagonal A, B and C are all zero: Q = 0 − 0 − 0.
                    0.0
                };
                // np.argmax: the first maximum in row-major order.
                if first || q > best.qhat {
                    best = Candidate {
                        index: a + 1 + start,
                        qhat: q,
                    };
                    first = false;
                }
            }
        }
        best
    }
}
