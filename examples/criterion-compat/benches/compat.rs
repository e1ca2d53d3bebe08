//! Criterion benches that use every item perfgate-bench promises to support; they build
//! unchanged against real criterion and against perfgate-bench renamed to `criterion`.

use std::time::{Duration, Instant};

use criterion::measurement::{Measurement, WallTime};
use criterion::{
    BatchSize, Bencher, BenchmarkGroup, BenchmarkId, Criterion, Throughput, black_box,
    criterion_group, criterion_main,
};

/// Extra work of `sum/1000`, in percent (the evaluation builds heads with 10 and 5).
const EXTRA_PERCENT: u64 = 0;

/// A small, allocation-free integer loop whose cost grows linearly with `n`.
fn work(n: u64) -> u64 {
    (0..n).fold(0u64, |a, x| a.wrapping_mul(31).wrapping_add(x ^ (a >> 3)))
}

fn bench_basics(c: &mut Criterion) {
    let n = 1000 * (100 + EXTRA_PERCENT) / 100;
    c.bench_function("sum/1000", |b| b.iter(|| work(black_box(n))));
    c.bench_with_input(BenchmarkId::new("sum_input", 500), &500u64, |b, &n| {
        b.iter(|| work(black_box(n)))
    });
}

fn generic_bench<M: Measurement>(group: &mut BenchmarkGroup<'_, M>) {
    group.bench_function("generic", |b| b.iter(|| work(black_box(200))));
}

fn wall_time_bench(b: &mut Bencher<'_, WallTime>) {
    b.iter(|| work(black_box(300)));
}

fn bench_groups(c: &mut Criterion) {
    let mut group = c.benchmark_group("sizes");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
        .noise_threshold(0.02)
        .significance_level(0.05)
        .confidence_level(0.95)
        .nresamples(1000);
    for n in [100u64, 1000] {
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter(|| work(black_box(n)))
        });
    }
    group.throughput(Throughput::Bytes(4096));
    group.bench_with_input("str_id", &4096u64, |b, &n| {
        b.iter(|| work(black_box(n / 8)))
    });
    group.throughput(Throughput::BytesDecimal(4096));
    group.bench_with_input(String::from("string_id"), &4096u64, |b, &n| {
        b.iter(|| work(black_box(n / 8)))
    });
    group.bench_function("wall_time_fn", wall_time_bench);
    generic_bench(&mut group);
    group.finish();
}

fn bench_iter_kinds(c: &mut Criterion) {
    let mut group = c.benchmark_group("iter");
    group.bench_function("custom", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                black_box(work(black_box(100)));
            }
            start.elapsed()
        })
    });
    group.bench_function("large_drop", |b| {
        b.iter_with_large_drop(|| vec![work(black_box(50)); 64])
    });
    let sizes = [
        ("small", BatchSize::SmallInput),
        ("large", BatchSize::LargeInput),
        ("per_iteration", BatchSize::PerIteration),
        ("num_batches", BatchSize::NumBatches(4)),
        ("num_iterations", BatchSize::NumIterations(8)),
    ];
    for (name, size) in sizes {
        group.bench_function(BenchmarkId::new("batched", name), |b| {
            b.iter_batched(|| vec![3u64; 64], |v| v.iter().sum::<u64>(), size)
        });
    }
    group.bench_function("batched_ref", |b| {
        b.iter_batched_ref(
            || (0..64u64).rev().collect::<Vec<_>>(),
            |v| {
                v.sort_unstable();
                v[0]
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(basics, bench_basics, bench_groups,);
criterion_group! {
    name = iters;
    config = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(1))
        .warm_up_time(Duration::from_millis(300))
        .noise_threshold(0.05)
        .significance_level(0.1)
        .confidence_level(0.9)
        .nresamples(10_000)
        .without_plots()
        .with_plots();
    targets = bench_iter_kinds,
}
criterion_main!(basics, iters);
