use super::*;
use crate::stats::sequential_sim::{SimSettings, simulate};

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-12, "{a} vs {b}");
}

const RULE: StopRule = StopRule {
    alpha: 0.01,
    limit: Some(0.02),
};

// Reference (python): looks = [8,12,16,20,24,28]; t = [(n/28)**3 for n in looks]
//   increments [0.02332361516034985, 0.0553935860058309, 0.10787172011661805,
//               0.1778425655976677, 0.2653061224489795, 0.370262390670554]
#[test]
fn the_default_plan_looks_every_four_rounds_and_spends_alpha_by_t_cubed() {
    let p = LookPlan::default_for(28);
    assert_eq!(p.looks, [8, 12, 16, 20, 24, 28]);
    let want = [
        0.023_323_615_160_349_85,
        0.055_393_586_005_830_9,
        0.107_871_720_116_618_05,
        0.177_842_565_597_667_7,
        0.265_306_122_448_979_5,
        0.370_262_390_670_554,
    ];
    for (w, r) in p.test_weights.iter().zip(want) {
        close(*w, r);
    }
    close(p.test_weights.iter().sum(), 1.0);
    assert!(p.ci_weights.iter().all(|&w| w == 1.0 / 6.0));
    assert_eq!(p.fault(), None);
    // Few rounds: one look, everything spent there (the fixed-rounds design).
    let one = LookPlan::default_for(5);
    assert_eq!(
        (one.looks, one.test_weights, one.ci_weights),
        (vec![5], vec![1.0], vec![1.0])
    );
    assert_eq!(LookPlan::default_for(10).looks, [8, 10]);
}

#[test]
fn a_bad_plan_from_a_file_is_named() {
    let mut p = LookPlan::default_for(16);
    p.looks = vec![8, 8, 16];
    assert!(p.fault().unwrap().contains("strictly increasing"));
    let mut p = LookPlan::default_for(16);
    p.test_weights[0] = 0.9;
    assert!(p.fault().unwrap().contains("test_weights"));
    let mut p = LookPlan::default_for(16);
    p.ci_weights.pop();
    assert!(p.fault().unwrap().contains("one length"));
}

// Reference (numpy, brute-force pmf of the signed-rank statistic, as in paired.rs):
//   cut(12, 0.99) = 7 (coverage 0.99072265625); cut(8, 1 - 0.05/6) = 0 (0.9921875)
#[test]
fn a_look_interval_has_the_looks_level() {
    let x: Vec<f64> = (0..12)
        .map(|i| (((i * 7) % 13) as f64 - 4.0) / 100.0 + i as f64 / 1000.0)
        .collect();
    let c = paired_change_at(&x, 0.99).unwrap();
    close(c.coverage, 0.990_722_656_25);
    let mut walsh = Vec::new();
    for i in 0..12 {
        for j in i..12 {
            walsh.push((x[i] + x[j]) / 2.0);
        }
    }
    walsh.sort_by(f64::total_cmp);
    close(c.ci_low, walsh[7].exp_m1());
    close(c.ci_high, walsh[walsh.len() - 8].exp_m1());
    let c8 = paired_change_at(&x[..8], 1.0 - 0.05 / 6.0).unwrap();
    close(c8.coverage, 0.992_187_5);
}

/// Series of `n` rounds around `centre` with a small deterministic wobble.
fn steady(centre: f64, spread: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| centre + spread * (((i * 7919) % 23) as f64 - 11.0) / 11.0)
        .collect()
}

#[test]
fn quiet_benchmarks_stop_at_the_first_look_and_a_change_at_a_look_that_can_prove_it() {
    let plan = LookPlan::default_for(28);
    let quiet = steady(0.0, 0.003, 28);
    let slower = steady(0.05, 0.003, 28);
    let noisy = steady(0.0, 0.05, 28);
    let series = [Some(&quiet[..]), Some(&slower[..]), Some(&noisy[..]), None];
    let calls = sequential_calls(&series, &plan, RULE);
    let q = calls[0].unwrap();
    assert_eq!((q.call, q.look, q.rounds), (Call::Unchanged, 0, 8));
    // 18 rounds of one sign give p = 2/2^n; with 3 benchmarks in the family, the first
    // look where Holm can reach alpha·w_k is 16 rounds (2/2^16·3/0.1079 = 8.5e-4 < 0.01).
    let s = calls[1].unwrap();
    assert_eq!((s.call, s.rounds), (Call::Regression, 16), "{s:?}");
    close(
        s.p_adjusted,
        (2.0 / 65536.0 * 3.0 / plan.test_weights[2]).min(1.0),
    );
    let n = calls[2].unwrap();
    assert_eq!((n.call, n.rounds, n.look), (Call::Open, 28, 5));
    assert!(calls[3].is_none());
}

#[test]
fn a_benchmark_whose_rounds_end_keeps_its_last_look_and_no_limit_decides_nothing() {
    let plan = LookPlan::default_for(28);
    let cut = steady(0.0, 0.05, 13);
    let calls = sequential_calls(&[Some(&cut[..])], &plan, RULE);
    let c = calls[0].unwrap();
    assert_eq!((c.call, c.look, c.rounds), (Call::Open, 1, 12));
    let quiet = steady(0.0, 0.001, 28);
    let off = StopRule {
        alpha: 0.01,
        limit: None,
    };
    let c = sequential_calls(&[Some(&quiet[..])], &plan, off)[0].unwrap();
    assert_eq!((c.call, c.rounds), (Call::Open, 28));
}

/// A run whose time budget ends at 12 rounds (a busy host): with the full plan the look at
/// 12 spends 5.5% of alpha and 18 benchmarks cannot reach it (Holm: 18·2/2^12 = 8.8e-3 over
/// 0.0554·0.01); the plan as ended spends everything left there (1 − 0.0233), so a change
/// whose 12 rounds all agree is called — the busy +10% gelu head of docs/evaluation.md.
#[test]
fn a_run_cut_short_by_its_budget_spends_what_is_left_at_its_last_look() {
    let plan = LookPlan::default_for(28);
    let ended = plan.ended_at(12);
    assert_eq!(ended.looks, vec![8, 12]);
    close(ended.test_weights[0], plan.test_weights[0]);
    close(ended.test_weights.iter().sum::<f64>(), 1.0);
    close(ended.ci_weights.iter().sum::<f64>(), 1.0);
    assert_eq!(ended.fault(), None);
    assert_eq!(plan.ended_at(7), plan, "no look reached: unchanged");
    assert_eq!(plan.ended_at(28), plan);
    let quiet = steady(0.0, 0.03, 12);
    let slower = steady(0.10, 0.03, 12);
    let mut series: Vec<Option<&[f64]>> = vec![Some(&quiet[..]); 15];
    series.extend([Some(&slower[..]); 3]);
    let full = sequential_calls(&series, &plan, RULE);
    assert!(full[15..].iter().all(|c| c.unwrap().call == Call::Open));
    let cut = sequential_calls(&series, &ended, RULE);
    for c in &cut[15..] {
        let c = c.unwrap();
        assert_eq!((c.call, c.rounds), (Call::Regression, 12), "{c:?}");
        close(c.p_adjusted, 18.0 * 2.0 / 4096.0 / ended.test_weights[1]);
    }
    assert!(
        cut[..15]
            .iter()
            .all(|c| c.unwrap().call != Call::Regression)
    );
}

// Holm within a family padded with p = 1 for the members not tested: statsmodels
// multipletests([0.001, 0.02, 1, 1], method="holm")[1][:2] = [0.004, 0.06]
#[test]
fn holm_counts_members_not_tested_at_this_look() {
    let adj = holm_in_family(&[0.001, 0.02], 4);
    close(adj[0], 0.004);
    close(adj[1], 0.06);
}

/// Family-wise false alarms of A/A series (reduced size; the full 10,000+ series run in
/// scripts/ab-sequential-sim.sh): 18 benchmarks, Student-t(3) noise, 10% of rounds with a
/// ±35% burst. At alpha 0.01 over 800 runs the count must stay within the binomial
/// upper bound: P(Binomial(800, 0.01) > 16) < 0.002.
#[test]
fn aa_false_alarms_stay_below_alpha_under_repeated_looks() {
    let counts = simulate(
        SimSettings {
            series: 800,
            max_rounds: 28,
            burst_rate: 0.1,
            shift_first: 0.0,
            seed: 23,
        },
        RULE,
    );
    assert!(counts.false_alarm_runs <= 16, "{counts:?}");
    assert_eq!(counts.null_checks, 800 * 18);
    // The rule does decide: most quiet checks end "unchanged" before the last look.
    assert!(counts.unchanged * 2 > counts.null_checks, "{counts:?}");
    assert!(counts.rounds_spent < 800 * 18 * 28, "{counts:?}");
}

/// Also at a tenfold alpha, where a broken rule would show: Binomial(400, 0.1) > 56 has
/// probability < 0.002.
#[test]
fn aa_false_alarms_stay_below_a_large_alpha_too() {
    let counts = simulate(
        SimSettings {
            series: 400,
            max_rounds: 16,
            burst_rate: 0.2,
            shift_first: 0.0,
            seed: 7,
        },
        StopRule {
            alpha: 0.1,
            limit: Some(0.02),
        },
    );
    assert!(counts.false_alarm_runs <= 56, "{counts:?}");
}

/// And it has power: a +3% change of the quietest benchmark (0.3% per-round noise, and
/// ±35% bursts in 10% of rounds, which cost the signed-rank test most: 77 of these 100
/// seeded runs) is called in most runs.
#[test]
fn a_three_percent_change_is_caught() {
    let counts = simulate(
        SimSettings {
            series: 100,
            max_rounds: 28,
            burst_rate: 0.1,
            shift_first: 0.03,
            seed: 5,
        },
        RULE,
    );
    assert!(counts.first_caught >= 70, "{counts:?}");
}
