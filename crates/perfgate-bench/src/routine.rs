//! What one benchmark's timed work looks like to the measuring loop: a [`Routine`] runs
//! iterations inside a [`Window`], which times them (wall clock, CPU clock) and counts
//! their allocations, and inside which callgrind counts instructions.

use std::time::{Duration, Instant};

use crate::alloc::{AllocCounters, peak_live_bytes, start_peak_window};
use crate::callgrind::perfgate_measured_iterations;
use crate::timer::{CpuClock, cpu_ns};

/// The timed work of one benchmark.
pub trait Routine {
    /// Performs one iteration (results through `std::hint::black_box`).
    fn iterate(&mut self);

    /// Runs `iters` iterations, timing only the work inside `window.time` (set-up of
    /// batched inputs goes outside it). The default times one loop over [`Routine::iterate`].
    fn run(&mut self, iters: u64, window: &mut Window) {
        window.time(&mut || {
            for _ in 0..iters {
                self.iterate();
            }
        });
    }
}

impl<R: Routine + ?Sized> Routine for &mut R {
    fn iterate(&mut self) {
        (**self).iterate();
    }

    fn run(&mut self, iters: u64, window: &mut Window) {
        (**self).run(iters, window);
    }
}

/// What one sample measured, summed over every timed stretch of it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WindowTotals {
    /// Wall-clock nanoseconds.
    pub wall_ns: u128,
    /// CPU nanoseconds on the chosen clock (`None`: not read, or not readable).
    pub cpu_ns: Option<u64>,
    /// Heap bytes allocated.
    pub alloc_bytes: u64,
    /// Heap allocations.
    pub allocs: u64,
    /// Highest live heap bytes above the level at the start of a timed stretch.
    pub peak_bytes: u64,
}

/// The timed part of a sample: every stretch given to [`Window::time`] adds to the totals.
#[derive(Debug)]
pub struct Window {
    clock: Option<CpuClock>,
    /// Run the stretches inside the function callgrind counts.
    counted: bool,
    totals: WindowTotals,
    cpu_ok: bool,
}

impl Window {
    /// An empty window reading `clock` (if any) around each stretch.
    pub fn new(clock: Option<CpuClock>) -> Window {
        Window {
            clock,
            totals: WindowTotals {
                cpu_ns: clock.map(|_| 0),
                ..WindowTotals::default()
            },
            cpu_ok: true,
            counted: false,
        }
    }

    /// A window whose stretches run inside [`perfgate_measured_iterations`], the function
    /// callgrind collects (for a child under `--metric instructions`; warm-up iterations
    /// go through a plain [`Window::new`] so they are not counted).
    pub fn for_callgrind() -> Window {
        Window {
            counted: true,
            ..Window::new(None)
        }
    }

    fn call(&self, work: &mut dyn FnMut()) {
        match self.counted {
            true => perfgate_measured_iterations(work),
            false => work(),
        }
    }

    /// Runs `work` as a timed stretch: clocks and allocation counters are read around it,
    /// and it runs inside the function callgrind counts.
    pub fn time(&mut self, work: &mut dyn FnMut()) {
        let before = AllocCounters::now();
        let live = start_peak_window();
        let cpu_start = self.clock.and_then(cpu_ns);
        let start = Instant::now();
        self.call(work);
        let elapsed = start.elapsed();
        let cpu_end = self.clock.and_then(cpu_ns);
        let used = AllocCounters::now().since(before);
        self.add_allocations(used.bytes, used.count);
        self.totals.peak_bytes = self
            .totals
            .peak_bytes
            .max(peak_live_bytes().saturating_sub(live));
        self.totals.wall_ns += elapsed.as_nanos();
        match (cpu_start, cpu_end, self.totals.cpu_ns.as_mut()) {
            (Some(a), Some(b), Some(total)) => *total += b.saturating_sub(a),
            _ => self.cpu_ok = false,
        }
    }

    /// Runs `work`, a stretch that times itself (criterion's `iter_custom`): its returned
    /// duration is the wall time; allocations are counted around it and callgrind counts it,
    /// but the sample carries no CPU time.
    pub fn time_custom(&mut self, work: &mut dyn FnMut() -> Duration) {
        let before = AllocCounters::now();
        let mut took = Duration::ZERO;
        self.call(&mut || took = work());
        let used = AllocCounters::now().since(before);
        self.add_allocations(used.bytes, used.count);
        self.totals.wall_ns += took.as_nanos();
        self.cpu_ok = false;
    }

    fn add_allocations(&mut self, bytes: u64, count: u64) {
        self.totals.alloc_bytes += bytes;
        self.totals.allocs += count;
    }

    /// The totals (CPU time only when every stretch read it).
    pub fn totals(&self) -> WindowTotals {
        WindowTotals {
            cpu_ns: self
                .totals
                .cpu_ns
                .filter(|_| self.cpu_ok && self.clock.is_some()),
            ..self.totals
        }
    }
}
