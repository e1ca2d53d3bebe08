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

/// Which CPU clock a sample reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpuClock {
    /// The measuring thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`): right for work that
    /// stays on that thread.
    Thread,
    /// The whole process's CPU time (`CLOCK_PROCESS_CPUTIME_ID`): also counts work the
    /// benchmark hands to other threads (a user's bench may spawn them).
    Process,
}

/// Reads `clock`, nanoseconds; `None` when it cannot be read.
pub fn cpu_ns(clock: CpuClock) -> Option<u64> {
    let id = match clock {
        CpuClock::Thread => libc::CLOCK_THREAD_CPUTIME_ID,
        CpuClock::Process => libc::CLOCK_PROCESS_CPUTIME_ID,
    };
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(id, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}

/// CPU time the calling thread has run, nanoseconds (`CLOCK_THREAD_CPUTIME_ID`): unlike
/// wall time it leaves out the time the thread waited while another process had its core.
/// `None` when the clock cannot be read.
pub fn thread_cpu_ns() -> Option<u64> {
    cpu_ns(CpuClock::Thread)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_cpu_time_advances_with_work_and_not_with_sleep() {
        let spin = |ms: u128| {
            let start = std::time::Instant::now();
            let mut x = 0u64;
            while start.elapsed().as_millis() < ms {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        };
        let a = thread_cpu_ns().unwrap();
        spin(20);
        let b = thread_cpu_ns().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        let c = thread_cpu_ns().unwrap();
        // Spinning runs the thread (at least part of the time, on a shared machine);
        // sleeping does not run it: far less than the 50 ms slept.
        assert!(b > a, "{a} {b}");
        assert!(c - b < 10_000_000, "{} ns of CPU while asleep", c - b);
    }

    #[test]
    fn measured_clock_has_positive_cost_and_resolution() {
        let t = TimerCost::measure();
        assert!(t.overhead_ns > 0.0 && t.resolution_ns > 0.0);
    }
}
