//! The sequential stopping rule of `perfgate ab`, simulated at full size (issue 23):
//! A/A series of 18 benchmarks with Student-t(3) per-round noise (0.3%–5%) and ±35%
//! bursts, run through the same looks, spending and Holm steps as the gate
//! (src/stats/sequential.rs); prints the family-wise false-alarm rate with a 95% upper
//! bound (normal approximation), the share of checks called unchanged and the rounds
//! spent, then the power for a +2% and a +3% change of the quietest benchmark.
//!
//! usage: cargo run --release --example ab_sequential_sim -- [SERIES] [MAX_ROUNDS] [ALPHA]
//!        (defaults: 10000 28 0.01)
use perfgate::stats::StopRule;
use perfgate::stats::sequential_sim::{SIM_SCALES, SimSettings, simulate};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &str| args.get(i).cloned().unwrap_or(default.to_string());
    let series: usize = arg(0, "10000").parse()?;
    let max_rounds: u32 = arg(1, "28").parse()?;
    let alpha: f64 = arg(2, "0.01").parse()?;
    let rule = StopRule {
        alpha,
        limit: Some(0.02),
    };
    println!(
        "{series} simulated A/B runs of {} benchmarks, at most {max_rounds} rounds, alpha {alpha}, limit 2%",
        SIM_SCALES.len()
    );
    for burst_rate in [0.0, 0.1, 0.3] {
        let aa = simulate(
            SimSettings {
                series,
                max_rounds,
                burst_rate,
                shift_first: 0.0,
                seed: 2300 + (burst_rate * 100.0) as u64,
            },
            rule,
        );
        let rate = aa.false_alarm_runs as f64 / series as f64;
        let upper =
            rate + 1.96 * (rate.max(1.0 / series as f64) * (1.0 - rate) / series as f64).sqrt();
        println!(
            "A/A, bursts in {:>3.0}% of rounds: runs with a false alarm {} ({:.4}%, 95% upper {:.4}%) -> {}; \
             checks unchanged {:.1}%; mean rounds per benchmark {:.1}",
            burst_rate * 100.0,
            aa.false_alarm_runs,
            rate * 100.0,
            upper * 100.0,
            if rate <= alpha {
                "<= alpha"
            } else {
                "ABOVE ALPHA"
            },
            100.0 * aa.unchanged as f64 / aa.null_checks as f64,
            aa.rounds_spent as f64 / (series * SIM_SCALES.len()) as f64
        );
    }
    for shift in [0.02, 0.03] {
        let power_series = (series / 10).max(100);
        let c = simulate(
            SimSettings {
                series: power_series,
                max_rounds,
                burst_rate: 0.1,
                shift_first: (1.0f64 + shift).ln(),
                seed: 2323,
            },
            rule,
        );
        println!(
            "+{:.0}% on the quietest benchmark ({:.1}% noise), bursts in 10%: caught in {} of {} runs ({:.1}%)",
            shift * 100.0,
            SIM_SCALES[0] * 100.0,
            c.first_caught,
            power_series,
            100.0 * c.first_caught as f64 / power_series as f64
        );
    }
    Ok(())
}
