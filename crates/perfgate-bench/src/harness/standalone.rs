//! `cargo bench` without perfgate: each selected benchmark is warmed up, calibrated and
//! sampled in turn (criterion's time budget: `warm_up_time`, then `sample_size` samples
//! filling `measurement_time`), and a table row is printed for it.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::args::{Args, set_overrides};
use super::context::{Driver, Mode, Reached};
use super::{EXIT_USAGE, Group, list, run_mode};
use crate::measure::{Measured, panic_message};
use crate::routine::{Routine, Window};
use crate::timer::TimerCost;

/// Runs the standalone bench binary; 0 when every selected benchmark ran, 1 when one
/// failed, 2 for a bad command line.
pub fn run(groups: &[Group], args: &[String]) -> i32 {
    let args = match Args::parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e} (usage: BENCH [FILTER] [--bench] [--list] [--exact])");
            return EXIT_USAGE;
        }
    };
    set_overrides(args.overrides.clone());
    if args.list {
        for id in list(groups).into_iter().filter(|id| args.selects(id)) {
            println!("{id}: benchmark");
        }
        return 0;
    }
    if args.bench {
        println!("{}", header());
    }
    let min_sample_ns = TimerCost::measure().min_sample_ns();
    let done = run_mode(
        groups,
        Standalone {
            args,
            min_sample_ns,
            ran: 0,
            failed: Vec::new(),
        },
    );
    if done.ran == 0 {
        eprintln!("no benchmark matched the filter");
    }
    if done.failed.is_empty() {
        return 0;
    }
    eprintln!(
        "{} benchmark(s) failed: {}",
        done.failed.len(),
        done.failed.join(", ")
    );
    1
}

/// The mode of a bench whose `main` calls the groups itself instead of `criterion_main!`:
/// standalone, from the process's arguments (perfgate cannot drive such a binary: it exits
/// with a message saying so).
pub fn fallback() -> Box<dyn Mode> {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv
        .first()
        .is_some_and(|a| a == "worker" || a == crate::callgrind::CHILD_COMMAND)
    {
        eprintln!(
            "error: this bench binary's main does not come from criterion_main!, so perfgate \
             cannot drive it: end the bench file with criterion_main!(…)"
        );
        std::process::exit(EXIT_USAGE);
    }
    let args = match Args::parse(&argv) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(EXIT_USAGE);
        }
    };
    set_overrides(args.overrides.clone());
    if args.bench {
        println!("{}", header());
    }
    Box::new(Standalone {
        args,
        min_sample_ns: TimerCost::measure().min_sample_ns(),
        ran: 0,
        failed: Vec::new(),
    })
}

struct Standalone {
    args: Args,
    min_sample_ns: f64,
    ran: usize,
    failed: Vec<String>,
}

impl Standalone {
    fn fail(&mut self, id: &str, why: &str) {
        println!("{id:<44} FAILED: {why}");
        self.failed.push(id.to_string());
    }
}

impl Mode for Standalone {
    fn wants(&mut self, id: &str) -> bool {
        self.args.selects(id)
    }

    fn driver(&mut self) -> &mut dyn Driver {
        self
    }

    fn finished(&mut self, id: &str, called_iter: bool, panic: Option<String>) {
        self.ran += 1;
        match (panic, called_iter) {
            (Some(p), _) => self.fail(id, &p),
            (None, false) => self.fail(id, "the benchmark did not call an iter method"),
            (None, true) => {}
        }
    }
}

impl Driver for Standalone {
    fn drive(&mut self, reached: &Reached<'_>, routine: &mut dyn Routine) {
        let id = reached.id;
        if !self.args.bench {
            // Test mode (`cargo test --benches`): one iteration proves the benchmark runs.
            println!("Testing {id}");
            match catch_unwind(AssertUnwindSafe(|| routine.run(1, &mut Window::new(None)))) {
                Ok(()) => println!("Success"),
                Err(p) => self.fail(id, &panic_message(&*p)),
            }
            return;
        }
        let s = reached.settings;
        let mut m = Measured::new(Box::new(routine));
        let target_ns = s.measurement_time.as_nanos() as f64 / f64::from(s.sample_size.max(1));
        m.warm_up_and_calibrate(s.warm_up_time, target_ns, self.min_sample_ns);
        m.take_samples(s.sample_size.max(1), false);
        if let Some(e) = m.error.clone() {
            return self.fail(id, &e);
        }
        let iters = (m.samples_ns.len() as u64 * m.iters_per_sample).max(1) as f64;
        let row = Row {
            p50_ns: percentile(&m.samples_ns, 0.50),
            p95_ns: percentile(&m.samples_ns, 0.95),
            p99_ns: percentile(&m.samples_ns, 0.99),
            allocs_per_iter: m.allocated.count as f64 / iters,
            bytes_per_iter: m.allocated.bytes as f64 / iters,
        };
        let throughput = reached.throughput.map(|t| t.describe(row.p50_ns));
        println!("{}", row.render(id, throughput.as_deref()));
    }
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    p50_ns: f64,
    p95_ns: f64,
    p99_ns: f64,
    allocs_per_iter: f64,
    bytes_per_iter: f64,
}

fn header() -> String {
    format!(
        "{:<44} {:>10} {:>10} {:>10} {:>16} {:>9} {:>11}",
        "benchmark", "P50", "P95", "P99", "throughput", "allocs/it", "bytes/it"
    )
}

impl Row {
    fn render(&self, id: &str, throughput: Option<&str>) -> String {
        format!(
            "{id:<44} {:>10} {:>10} {:>10} {:>16} {:>9} {:>11}",
            duration(self.p50_ns),
            duration(self.p95_ns),
            duration(self.p99_ns),
            throughput.unwrap_or("-"),
            count(self.allocs_per_iter),
            count(self.bytes_per_iter),
        )
    }
}

/// Nanoseconds with a unit, three significant digits.
fn duration(ns: f64) -> String {
    let (value, unit) = match ns {
        n if n < 1e3 => (n, "ns"),
        n if n < 1e6 => (n / 1e3, "µs"),
        n if n < 1e9 => (n / 1e6, "ms"),
        n => (n / 1e9, "s"),
    };
    let digits = match value {
        v if v < 10.0 => 2,
        v if v < 100.0 => 1,
        _ => 0,
    };
    format!("{value:.digits$} {unit}")
}

/// A per-iteration count: whole when it is whole.
fn count(x: f64) -> String {
    match x.fract() == 0.0 {
        true => format!("{x:.0}"),
        false => format!("{x:.2}"),
    }
}

/// The `q` quantile of `x` with linear interpolation between order statistics (numpy's
/// default method).
pub fn percentile(x: &[f64], q: f64) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_match_numpy() {
        // numpy.percentile([3, 1, 4, 1, 5, 9, 2, 6], [50, 95, 99]) = 3.5, 7.95, 8.79
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        assert!((percentile(&x, 0.50) - 3.5).abs() < 1e-12);
        assert!((percentile(&x, 0.95) - 7.95).abs() < 1e-12);
        assert!((percentile(&x, 0.99) - 8.79).abs() < 1e-12);
        assert_eq!(percentile(&[7.0], 0.99), 7.0);
    }

    #[test]
    fn a_row_reads_like_the_header() {
        let row = Row {
            p50_ns: 1234.0,
            p95_ns: 15_000.0,
            p99_ns: 2.5e6,
            allocs_per_iter: 2.0,
            bytes_per_iter: 10.5,
        };
        let line = row.render("parse/1024", Some("12.0 MiB/s"));
        assert_eq!(line.chars().count(), header().chars().count(), "{line}");
        assert!(line.contains("1.23 µs") && line.contains("15.0 µs") && line.contains("2.50 ms"));
        assert!(line.contains("12.0 MiB/s") && line.contains(" 2 ") && line.contains("10.50"));
    }
}
