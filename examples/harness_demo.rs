//! A bench binary built with perfgate-bench, for the tests: quick benchmarks, one that
//! allocates, and two that panic (in set-up and in the timed routine), so a test can check
//! that a panicking benchmark fails only itself. Run it as `cargo bench` runs a bench:
//! `harness_demo --bench`, or let perfgate start it (`perfgate run --bench-bin PATH`).

use perfgate_bench as criterion;

use criterion::{BatchSize, BenchmarkId, Criterion, black_box, criterion_group, criterion_main};

fn spin(n: u64) -> u64 {
    (0..n).fold(1u64, |a, x| {
        a.wrapping_mul(6364136223846793005).wrapping_add(x)
    })
}

fn quick(c: &mut Criterion) {
    c.bench_function("spin/100", |b| b.iter(|| spin(black_box(100))));
    let mut group = c.benchmark_group("alloc");
    group.bench_with_input(BenchmarkId::new("vec", 1000), &1000usize, |b, &n| {
        b.iter(|| vec![0u8; black_box(n)])
    });
    group.bench_function("batched", |b| {
        b.iter_batched(|| vec![1u64; 32], |v| v.len(), BatchSize::SmallInput)
    });
    group.finish();
}

fn failing(c: &mut Criterion) {
    let mut group = c.benchmark_group("panics");
    group.bench_function("setup", |_b| panic!("no inputs"));
    let mut calls = 0u64;
    group.bench_function("later", |b| {
        b.iter(|| {
            calls += 1;
            assert!(calls < 1000, "boom after {calls} iterations");
        })
    });
    group.finish();
}

criterion_group!(benches, quick, failing);
criterion_main!(benches);
