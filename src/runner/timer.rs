//! Measuring the clock itself: how long one read takes and the smallest step it shows.
//! Sample batches are sized from these figures so that both stay under 1% of a sample.

use std::time::Instant;

/// Cost and resolution of `Instant::now()` on this machine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimerCost {
    /// Mean cost of one clock read, nanoseconds.
    pub overhead_ns: f64,
    /// Smallest non-zero difference between two consecutive reads, nanoseconds.
    pub resolution_ns: f64,
}

impl TimerCost {
    /// Measures the clock: 10,000 back-to-back reads for the overhead, and the smallest
    /// non-zero step among them for the resolution.
    pub fn measure() -> TimerCost {
        const READS: u32 = 10_000;
        let start = Instant::now();
        let mut prev = start;
        let mut smallest_step = u128::MAX;
        for _ in 0..READS {
            let now = Instant::now();
            let step = now.duration_since(prev).as_nanos();
            if step > 0 {
                smallest_step = smallest_step.min(step);
            }
            prev = now;
        }
        let overhead_ns = prev.duration_since(start).as_nanos() as f64 / f64::from(READS);
        let resolution_ns = if smallest_step == u128::MAX {
            overhead_ns.max(1.0)
        } else {
            smallest_step as f64
        };
        TimerCost {
            overhead_ns,
            resolution_ns,
        }
    }

    /// Shortest sample for which clock cost and resolution stay below 1% of it.
    pub fn min_sample_ns(&self) -> f64 {
        100.0 * (self.overhead_ns + self.resolution_ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measured_clock_has_positive_cost_and_resolution() {
        let t = TimerCost::measure();
        assert!(t.overhead_ns > 0.0 && t.resolution_ns > 0.0);
    }
}
