//! The shared machine-speed factor of a run: how much faster or slower the whole machine
//! was, taken as the median over benchmarks of each benchmark's log deviation from its
//! baseline mean. Part of run-to-run variation is shared by every benchmark of a run (a
//! neighbour on the host, frequency); dividing it out narrows each benchmark's run-to-run
//! spread. A change that slows every benchmark looks exactly like a slow machine, so the
//! gate tests the factor itself against the factors of the blessed runs as well.

/// Fewest benchmarks for which a shared factor is estimated; below this, the median
/// would follow a single benchmark's own change, so no factor is divided out.
pub const MIN_BENCHMARKS: usize = 6;

/// Shared speed factors, in log units, of K baseline runs and one candidate run.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeedFactors {
    /// Factor of each baseline run.
    pub per_run: Vec<f64>,
    /// Factor of the candidate run.
    pub candidate: f64,
}

/// Estimates the factors from `log_runs[b][i]`, the log statistic of benchmark `b` in
/// baseline run `i`, and `log_candidate[b]`. `None` with fewer than [`MIN_BENCHMARKS`]
/// benchmarks, when runs have different lengths, or on non-finite input.
pub fn speed_factors(log_runs: &[Vec<f64>], log_candidate: &[f64]) -> Option<SpeedFactors> {
    if log_runs.len() != log_candidate.len() || log_candidate.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let (centers, per_run) = centered_factors(log_runs)?;
    let candidate = median(
        log_candidate
            .iter()
            .zip(&centers)
            .map(|(x, m)| x - m)
            .collect(),
    );
    Some(SpeedFactors { per_run, candidate })
}

/// The factors of the runs alone (`log_runs` as in [`speed_factors`]), e.g. to see whether
/// runs about to be blessed agree.
pub fn run_factors(log_runs: &[Vec<f64>]) -> Option<Vec<f64>> {
    centered_factors(log_runs).map(|(_, f)| f)
}

/// Each benchmark's mean over the runs, and each run's median deviation from those means.
fn centered_factors(log_runs: &[Vec<f64>]) -> Option<(Vec<f64>, Vec<f64>)> {
    let k = log_runs.first()?.len();
    let usable = log_runs.len() >= MIN_BENCHMARKS
        && k > 0
        && log_runs.iter().all(|r| r.len() == k)
        && log_runs.iter().flatten().all(|v| v.is_finite());
    if !usable {
        return None;
    }
    let centers: Vec<f64> = log_runs
        .iter()
        .map(|r| r.iter().sum::<f64>() / k as f64)
        .collect();
    let per_run = (0..k)
        .map(|i| {
            median(
                log_runs
                    .iter()
                    .zip(&centers)
                    .map(|(r, m)| r[i] - m)
                    .collect(),
            )
        })
        .collect();
    Some((centers, per_run))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference (numpy 2.4.6):
    //   runs = np.log(np.array([[100,101,99,102],[200,204,197,203],[50,50.5,49,51],
    //       [10,10.2,9.8,10.3],[7,7.1,6.9,7.2],[300,303,297,309],[1,1.01,0.99,1.02]]))
    //   cand = np.log(np.array([105,210,52,10.6,7.4,315,1.2])); m = runs.mean(axis=1)
    //   np.median(runs - m[:, None], axis=0), np.median(cand - m)
    #[test]
    fn matches_numpy_medians_of_log_deviations() {
        let table: [[f64; 4]; 7] = [
            [100.0, 101.0, 99.0, 102.0],
            [200.0, 204.0, 197.0, 203.0],
            [50.0, 50.5, 49.0, 51.0],
            [10.0, 10.2, 9.8, 10.3],
            [7.0, 7.1, 6.9, 7.2],
            [300.0, 303.0, 297.0, 309.0],
            [1.0, 1.01, 0.99, 1.02],
        ];
        let runs: Vec<Vec<f64>> = table
            .iter()
            .map(|r| r.iter().map(|v| v.ln()).collect())
            .collect();
        let cand: Vec<f64> = [105.0, 210.0, 52.0, 10.6, 7.4, 315.0, 1.2]
            .iter()
            .map(|v: &f64| v.ln())
            .collect();
        let f = speed_factors(&runs, &cand).unwrap();
        let expected = [
            -0.004_925_655_573_961_593,
            0.007_192_941_365_318_228,
            -0.020_008_038_305_018_516,
            0.017_415_064_588_222_506,
        ];
        for (a, e) in f.per_run.iter().zip(expected) {
            assert!((a - e).abs() < 1e-12, "{a} vs {e}");
        }
        assert!((f.candidate - 0.043_895_763_674_461_46).abs() < 1e-12);
    }

    #[test]
    fn one_slow_benchmark_does_not_move_the_factor_but_a_suite_wide_one_does() {
        let runs: Vec<Vec<f64>> = (0..8).map(|b| vec![b as f64; 3]).collect();
        let mut cand: Vec<f64> = (0..8).map(|b| b as f64).collect();
        cand[3] += 0.1;
        assert_eq!(speed_factors(&runs, &cand).unwrap().candidate, 0.0);
        let all: Vec<f64> = (0..8).map(|b| b as f64 + 0.1).collect();
        assert!((speed_factors(&runs, &all).unwrap().candidate - 0.1).abs() < 1e-12);
    }

    #[test]
    fn too_few_benchmarks_or_ragged_runs_give_no_factor() {
        let runs: Vec<Vec<f64>> = (0..5).map(|_| vec![1.0, 2.0]).collect();
        assert_eq!(speed_factors(&runs, &[1.0; 5]), None);
        let mut ragged: Vec<Vec<f64>> = (0..6).map(|_| vec![1.0, 2.0]).collect();
        ragged[2].pop();
        assert_eq!(speed_factors(&ragged, &[1.0; 6]), None);
    }
}
