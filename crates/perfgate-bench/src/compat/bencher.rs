//! [`Bencher`]: the `iter*` methods turn a benchmark's closure into a [`Routine`] and hand
//! it to the driver of the mode the binary runs in.

use std::marker::PhantomData;
use std::time::Duration;

use super::ids::BatchSize;
use super::measurement::{Measurement, WallTime};
use crate::harness::context::{Driver, Reached};
use crate::routine::{Routine, Window};

/// Criterion's `Bencher`: runs the routine of one benchmark.
pub struct Bencher<'a, M: Measurement = WallTime> {
    driver: &'a mut dyn Driver,
    reached: &'a Reached<'a>,
    pub(crate) called: bool,
    _measurement: PhantomData<M>,
}

impl<'a, M: Measurement> Bencher<'a, M> {
    pub(crate) fn new(driver: &'a mut dyn Driver, reached: &'a Reached<'a>) -> Bencher<'a, M> {
        Bencher {
            driver,
            reached,
            called: false,
            _measurement: PhantomData,
        }
    }

    fn drive(&mut self, routine: &mut dyn Routine) {
        self.called = true;
        self.driver.drive(self.reached, routine);
    }

    /// Times `routine` (its output is dropped inside the timed stretch, as in criterion).
    pub fn iter<O, R: FnMut() -> O>(&mut self, routine: R) {
        self.drive(&mut Iter(routine));
    }

    /// `routine(iters)` runs `iters` iterations and returns the time they took.
    pub fn iter_custom<R: FnMut(u64) -> Duration>(&mut self, routine: R) {
        self.drive(&mut Custom(routine));
    }

    /// Times `routine` but drops its outputs outside the timed stretch.
    pub fn iter_with_large_drop<O, R: FnMut() -> O>(&mut self, routine: R) {
        self.drive(&mut LargeDrop(routine));
    }

    /// Times `routine` on inputs made by `setup` outside the timed stretch.
    pub fn iter_batched<I, O, S, R>(&mut self, setup: S, routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.drive(&mut Batched {
            setup,
            routine,
            size,
        });
    }

    /// Like [`Bencher::iter_batched`], the routine taking `&mut` input.
    pub fn iter_batched_ref<I, O, S, R>(&mut self, setup: S, routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(&mut I) -> O,
    {
        self.drive(&mut BatchedRef {
            setup,
            routine,
            size,
        });
    }

    /// Async benchmarks are not supported: a compile error names it.
    pub fn to_async<A: AsyncNotSupported>(&mut self, runtime: A) -> Self {
        let _ = runtime;
        unreachable!("AsyncNotSupported has no implementations")
    }
}

/// Nothing implements this: `Bencher::to_async` does not compile.
#[diagnostic::on_unimplemented(
    message = "perfgate-bench does not support async benchmarks (`Bencher::to_async`)",
    note = "time the future inside `iter` with your runtime's `block_on`, or keep real criterion for this bench"
)]
pub trait AsyncNotSupported {}

struct Iter<R>(R);

impl<O, R: FnMut() -> O> Routine for Iter<R> {
    fn iterate(&mut self) {
        std::hint::black_box((self.0)());
    }
}

struct Custom<R>(R);

impl<R: FnMut(u64) -> Duration> Routine for Custom<R> {
    fn iterate(&mut self) {
        std::hint::black_box((self.0)(1));
    }

    fn run(&mut self, iters: u64, window: &mut Window) {
        window.time_custom(&mut || (self.0)(iters));
    }
}

struct LargeDrop<R>(R);

impl<O, R: FnMut() -> O> Routine for LargeDrop<R> {
    fn iterate(&mut self) {
        std::hint::black_box((self.0)());
    }

    fn run(&mut self, iters: u64, window: &mut Window) {
        let mut outputs = Vec::with_capacity(iters as usize);
        window.time(&mut || {
            for _ in 0..iters {
                outputs.push((self.0)());
            }
        });
        drop(std::hint::black_box(outputs));
    }
}

struct Batched<S, R> {
    setup: S,
    routine: R,
    size: BatchSize,
}

impl<I, O, S: FnMut() -> I, R: FnMut(I) -> O> Routine for Batched<S, R> {
    fn iterate(&mut self) {
        let input = (self.setup)();
        std::hint::black_box((self.routine)(input));
    }

    fn run(&mut self, iters: u64, window: &mut Window) {
        let per_batch = self.size.iters_per_batch(iters);
        let mut left = iters;
        while left > 0 {
            let n = per_batch.min(left);
            left -= n;
            let mut inputs: Vec<I> = (0..n).map(|_| (self.setup)()).collect();
            let mut outputs = Vec::with_capacity(n as usize);
            let routine = &mut self.routine;
            window.time(&mut || {
                for input in inputs.drain(..) {
                    outputs.push(routine(input));
                }
            });
            drop(std::hint::black_box(outputs));
        }
    }
}

struct BatchedRef<S, R> {
    setup: S,
    routine: R,
    size: BatchSize,
}

impl<I, O, S: FnMut() -> I, R: FnMut(&mut I) -> O> Routine for BatchedRef<S, R> {
    fn iterate(&mut self) {
        let mut input = (self.setup)();
        std::hint::black_box((self.routine)(&mut input));
    }

    fn run(&mut self, iters: u64, window: &mut Window) {
        let per_batch = self.size.iters_per_batch(iters);
        let mut left = iters;
        while left > 0 {
            let n = per_batch.min(left);
            left -= n;
            let mut inputs: Vec<I> = (0..n).map(|_| (self.setup)()).collect();
            let mut outputs = Vec::with_capacity(n as usize);
            let routine = &mut self.routine;
            window.time(&mut || {
                for input in inputs.iter_mut() {
                    outputs.push(routine(input));
                }
            });
            drop(std::hint::black_box(outputs));
            drop(inputs);
        }
    }
}
