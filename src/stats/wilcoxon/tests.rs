use super::*;

// References: scipy 1.17.1, defaults (zero_method="wilcox", correction=False, method="auto"):
//   from scipy.stats import wilcoxon
//   def sgn(i, m, k): return 1 if (i*m) % k < k//2 + 1 else -1
//   sets = {
//    "no_ties_n10": [(i+1)*sgn(i,7,5) for i in range(10)],
//    "ties_n10": [((i*3) % 5) - 1 for i in range(10)],
//    "zeros_n12": [((i*5) % 7) - 2 for i in range(12)],
//    "no_ties_n20": [(i*3+1)*sgn(i,5,3) for i in range(20)],
//    "ties_zeros_n20": [((i*3) % 9) - 3 for i in range(20)],
//    "no_ties_n50": [(2*i+1)*sgn(i,11,7) for i in range(50)],
//    "no_ties_n60": [(i+1)*sgn(i,13,5) for i in range(60)],
//    "ties_n30": [((i*31) % 127) - 50 for i in range(30)],
//    "all_positive_n8": [i + 1 for i in range(8)],
//   }
//   for k, v in sets.items():
//       r = wilcoxon([x/100 for x in v]); print(k, r.statistic, r.pvalue)
// no_ties_n10 26.0 0.921875               (exact)
// ties_n10 5.0 0.0859375                  (2 zeros + ties: permutation, all 2^10 flips)
// zeros_n12 17.0 0.181640625              (permutation)
// no_ties_n20 77.0 0.3117942810058594     (exact)
// ties_zeros_n20 42.0 0.7815112949987133  (normal, tie-corrected)
// no_ties_n50 525.0 0.28229295463063053   (exact, largest exact n)
// no_ties_n60 732.0 0.17792440912113394   (normal)
// ties_n30 129.0 0.05560727262442433      (normal, tie-corrected, one zero)
// all_positive_n8 0.0 0.0078125           (exact)

fn sgn(i: i64, m: i64, k: i64) -> i64 {
    if (i * m) % k < k / 2 + 1 { 1 } else { -1 }
}

fn set(n: i64, f: impl Fn(i64) -> i64) -> Vec<f64> {
    (0..n).map(|i| f(i) as f64 / 100.0).collect()
}

fn check(d: &[f64], statistic: f64, p: f64, method: WilcoxonMethod) {
    let w = wilcoxon_signed_rank(d).unwrap();
    assert_eq!(w.statistic, statistic, "{d:?}");
    assert!(
        (w.p_value - p).abs() < 1e-6,
        "p {} vs scipy {p} for {d:?}",
        w.p_value
    );
    assert_eq!(w.method, method);
}

#[test]
fn exact_p_values_match_scipy_without_ties() {
    use WilcoxonMethod::Exact;
    check(&set(10, |i| (i + 1) * sgn(i, 7, 5)), 26.0, 0.921875, Exact);
    check(
        &set(20, |i| (i * 3 + 1) * sgn(i, 5, 3)),
        77.0,
        0.3117942810058594,
        Exact,
    );
    check(
        &set(50, |i| (2 * i + 1) * sgn(i, 11, 7)),
        525.0,
        0.28229295463063053,
        Exact,
    );
    check(&set(8, |i| i + 1), 0.0, 0.0078125, Exact);
}

#[test]
fn small_sets_with_ties_and_zeros_enumerate_sign_flips_like_scipy() {
    use WilcoxonMethod::Exact;
    check(&set(10, |i| (i * 3) % 5 - 1), 5.0, 0.0859375, Exact);
    check(&set(12, |i| (i * 5) % 7 - 2), 17.0, 0.181640625, Exact);
}

#[test]
fn normal_approximation_matches_scipy_with_tie_correction() {
    use WilcoxonMethod::Normal;
    check(
        &set(20, |i| (i * 3) % 9 - 3),
        42.0,
        0.7815112949987133,
        Normal,
    );
    check(
        &set(60, |i| (i + 1) * sgn(i, 13, 5)),
        732.0,
        0.17792440912113394,
        Normal,
    );
    check(
        &set(30, |i| (i * 31) % 127 - 50),
        129.0,
        0.05560727262442433,
        Normal,
    );
}

#[test]
fn all_zero_differences_give_p_one_and_bad_input_is_refused() {
    let w = wilcoxon_signed_rank(&[0.0; 5]).unwrap();
    assert_eq!((w.p_value, w.nonzero), (1.0, 0));
    assert_eq!(wilcoxon_signed_rank(&[]), Err(WilcoxonError::Empty));
    assert!(matches!(
        wilcoxon_signed_rank(&[0.1, f64::NAN]),
        Err(WilcoxonError::NotFinite { index: 1, .. })
    ));
}
