//! Holm–Bonferroni adjustment of p-values for multiple tests, as
//! `statsmodels.stats.multitest.multipletests(p, method="holm")[1]`.

/// Holm–Bonferroni adjusted p-values, returned in the input order.
///
/// Sort ascending, multiply the i-th smallest (0-based) by `m − i`, enforce monotonicity
/// with a running maximum, cap at 1. Equal inputs get equal outputs whatever their order.
/// Empty input gives empty output.
///
/// # Panics
/// If a p-value is not in [0, 1] (NaN included): every p-value here is computed by this
/// module, so such a value is a bug, not an input error.
pub fn holm_adjust(p_values: &[f64]) -> Vec<f64> {
    assert!(
        p_values.iter().all(|p| (0.0..=1.0).contains(p)),
        "p-values must lie in [0, 1]: {p_values:?}"
    );
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut adjusted = vec![0.0; m];
    let mut running_max = 0.0_f64;
    for (rank, &index) in order.iter().enumerate() {
        running_max = running_max.max(p_values[index] * (m - rank) as f64);
        adjusted[index] = running_max.min(1.0);
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    // References: statsmodels 0.15.0
    //   from statsmodels.stats.multitest import multipletests
    //   multipletests(p, method="holm")[1]
    // The products are the same floating-point operations, so results match exactly.

    // [0.01, 0.04, 0.03, 0.005] -> [0.03, 0.06, 0.06, 0.02]
    #[test]
    fn matches_statsmodels_and_enforces_monotonicity() {
        assert_eq!(
            holm_adjust(&[0.01, 0.04, 0.03, 0.005]),
            [0.03, 0.06, 0.06, 0.02]
        );
    }

    // [0.2, 0.01, 0.5, 0.01, 0.04, 0.9] -> [0.6000000000000001, 0.06, 1.0, 0.06, 0.16, 1.0]
    #[test]
    fn matches_statsmodels_with_ties_and_caps_at_one() {
        assert_eq!(
            holm_adjust(&[0.2, 0.01, 0.5, 0.01, 0.04, 0.9]),
            [0.600_000_000_000_000_1, 0.06, 1.0, 0.06, 0.16, 1.0]
        );
    }

    // [1e-12, 0.3, 0.02, 0.02, 0.049, 0.0] -> [5e-12, 0.3, 0.08, 0.08, 0.098, 0.0]
    #[test]
    fn matches_statsmodels_with_zero_and_tiny_p_values() {
        assert_eq!(
            holm_adjust(&[1e-12, 0.3, 0.02, 0.02, 0.049, 0.0]),
            [5e-12, 0.3, 0.08, 0.08, 0.098, 0.0]
        );
    }

    // [0.03] -> [0.03];  [0.5, 0.6, 0.7] -> [1.0, 1.0, 1.0]
    #[test]
    fn single_test_is_unchanged_and_large_p_values_cap_at_one() {
        assert_eq!(holm_adjust(&[0.03]), [0.03]);
        assert_eq!(holm_adjust(&[0.5, 0.6, 0.7]), [1.0, 1.0, 1.0]);
    }

    #[test]
    fn empty_input_gives_empty_output() {
        assert!(holm_adjust(&[]).is_empty());
    }

    #[test]
    #[should_panic(expected = "p-values must lie in [0, 1]")]
    fn rejects_nan_p_value() {
        holm_adjust(&[0.1, f64::NAN]);
    }
}
