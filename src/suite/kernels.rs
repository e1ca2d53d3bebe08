//! Kernel benchmarks: matmul, GELU, softmax, elementwise. Each one's inputs come from a
//! ChaCha8 stream seeded with the runner's seed and are built in set-up; one iteration is
//! exactly one kernel call whose output goes through `black_box`.

use std::hint::black_box;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Benchmark, Routine, Work};
use crate::kernels::{self, Threads};

/// Square sizes of the single-threaded matmul benchmarks.
const MATMUL_SIZES: [usize; 4] = [64, 128, 256, 512];
/// Square size of the multi-threaded matmul benchmark.
const MATMUL_MT_SIZE: usize = 512;
/// Vector lengths of the GELU benchmarks.
const GELU_LENS: [usize; 3] = [1_000, 100_000, 1_000_000];
/// Vector length of the softmax benchmark.
const SOFTMAX_LEN: usize = 2_048;
/// Vector length of the add and mul benchmarks.
const ELEMENTWISE_LEN: usize = 1_000_000;
/// Rows and columns of the broadcast-add benchmark.
const BROADCAST_SHAPE: (usize, usize) = (1_000, 1_000);

/// The kernel half of the suite, in a stable order.
pub fn benchmarks() -> Vec<Benchmark> {
    let mut all = Vec::new();
    for n in MATMUL_SIZES {
        all.push(matmul(n, Threads::Single));
    }
    all.push(matmul(MATMUL_MT_SIZE, Threads::Pool));
    for len in GELU_LENS {
        all.push(gelu(len));
    }
    all.push(softmax(SOFTMAX_LEN));
    all.push(binary("add", ELEMENTWISE_LEN, "out = a + b", kernels::add));
    all.push(binary("mul", ELEMENTWISE_LEN, "out = a · b", kernels::mul));
    all.push(broadcast_add(BROADCAST_SHAPE));
    all
}

/// A routine that is one call of a closure owning its inputs and outputs.
struct Call<F: FnMut()>(F);

impl<F: FnMut()> Routine for Call<F> {
    fn iterate(&mut self) {
        (self.0)()
    }
}

/// Boxes a closure as a routine.
fn call(f: impl FnMut() + 'static) -> Box<dyn Routine> {
    Box::new(Call(f))
}

/// `len` values uniform in [-1, 1) from `rng`.
fn uniform(rng: &mut ChaCha8Rng, len: usize) -> Vec<f32> {
    (0..len).map(|_| rng.random_range(-1.0..1.0)).collect()
}

/// A benchmark with the given identity and no model.
fn bench(
    name: String,
    group: &str,
    description: String,
    work: Work,
    parallel: bool,
    setup: super::Setup,
) -> Benchmark {
    Benchmark {
        name,
        group: group.to_string(),
        description,
        work,
        parallel,
        model: None,
        setup,
    }
}

/// `matmul/n` (one thread) or `matmul_mt/n` (the rayon pool): C = A·B, n×n.
fn matmul(n: usize, threads: Threads) -> Benchmark {
    let (name, who) = match threads {
        Threads::Single => (format!("matmul/{n}"), "one thread"),
        Threads::Pool => (format!("matmul_mt/{n}"), "all pool threads"),
    };
    bench(
        name,
        "matmul",
        format!("C = A·B, {n}×{n} f32 matrices, {who} (gemm)"),
        Work::Flops(2 * (n as u64).pow(3)),
        threads == Threads::Pool,
        Box::new(move |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let a = uniform(&mut rng, n * n);
            let b = uniform(&mut rng, n * n);
            let mut c = vec![0.0f32; n * n];
            call(move || {
                kernels::matmul(&a, &b, &mut c, n, n, n, threads);
                black_box(&mut c);
            })
        }),
    )
}

/// `gelu/len`: GELU over a vector into a preallocated output.
fn gelu(len: usize) -> Benchmark {
    bench(
        format!("gelu/{len}"),
        "gelu",
        format!("GELU (tanh approximation) of {len} f32 values into a preallocated output"),
        Work::Elements(len as u64),
        false,
        Box::new(move |seed| {
            // Inputs over [-4, 4), where GELU is neither linear nor flat.
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let x: Vec<f32> = uniform(&mut rng, len).iter().map(|v| 4.0 * v).collect();
            let mut out = vec![0.0f32; len];
            call(move || {
                kernels::gelu(&x, &mut out);
                black_box(&mut out);
            })
        }),
    )
}

/// `softmax/len`: numerically stable softmax of a vector.
fn softmax(len: usize) -> Benchmark {
    bench(
        format!("softmax/{len}"),
        "softmax",
        format!("numerically stable softmax of {len} f32 logits into a preallocated output"),
        Work::Elements(len as u64),
        false,
        Box::new(move |seed| {
            // Logit-like spread: [-8, 8).
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let x: Vec<f32> = uniform(&mut rng, len).iter().map(|v| 8.0 * v).collect();
            let mut out = vec![0.0f32; len];
            call(move || {
                kernels::softmax(&x, &mut out);
                black_box(&mut out);
            })
        }),
    )
}

/// `op/len`: an elementwise binary kernel over two vectors.
fn binary(
    op: &str,
    len: usize,
    formula: &str,
    kernel: fn(&[f32], &[f32], &mut [f32]),
) -> Benchmark {
    bench(
        format!("{op}/{len}"),
        "elementwise",
        format!("{formula} over {len} f32 elements"),
        Work::Elements(len as u64),
        false,
        Box::new(move |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let a = uniform(&mut rng, len);
            let b = uniform(&mut rng, len);
            let mut out = vec![0.0f32; len];
            call(move || {
                kernel(&a, &b, &mut out);
                black_box(&mut out);
            })
        }),
    )
}

/// `broadcast_add/rowsxcols`: a row vector added to every row of a matrix.
fn broadcast_add((rows, cols): (usize, usize)) -> Benchmark {
    bench(
        format!("broadcast_add/{rows}x{cols}"),
        "elementwise",
        format!("a {cols}-element row added to every row of a {rows}×{cols} f32 matrix"),
        Work::Elements((rows * cols) as u64),
        false,
        Box::new(move |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let matrix = uniform(&mut rng, rows * cols);
            let row = uniform(&mut rng, cols);
            let mut out = vec![0.0f32; rows * cols];
            call(move || {
                kernels::broadcast_add_rows(&matrix, &row, &mut out);
                black_box(&mut out);
            })
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names other code, baselines and thresholds refer to.
    const NAMES: [&str; 12] = [
        "matmul/64",
        "matmul/128",
        "matmul/256",
        "matmul/512",
        "matmul_mt/512",
        "gelu/1000",
        "gelu/100000",
        "gelu/1000000",
        "softmax/2048",
        "add/1000000",
        "mul/1000000",
        "broadcast_add/1000x1000",
    ];

    #[test]
    fn kernel_suite_has_the_interface_names_in_order() {
        let names: Vec<String> = benchmarks().into_iter().map(|b| b.name).collect();
        assert_eq!(names, NAMES);
    }

    #[test]
    fn every_kernel_benchmark_builds_and_iterates_once() {
        for b in benchmarks() {
            assert!(!b.description.is_empty(), "{} has no description", b.name);
            assert!(b.model.is_none());
            let mut routine = (b.setup)(42);
            routine.iterate();
        }
    }

    #[test]
    fn kernel_work_matches_the_size_in_the_name() {
        let all = benchmarks();
        let work = |name: &str| all.iter().find(|b| b.name == name).unwrap().work;
        assert_eq!(work("matmul/64"), Work::Flops(2 * 64 * 64 * 64));
        assert_eq!(work("matmul_mt/512"), Work::Flops(2 * 512 * 512 * 512));
        assert_eq!(work("gelu/100000"), Work::Elements(100_000));
        assert_eq!(work("softmax/2048"), Work::Elements(2_048));
        assert_eq!(work("broadcast_add/1000x1000"), Work::Elements(1_000_000));
        let parallel: Vec<&str> = all
            .iter()
            .filter(|b| b.parallel)
            .map(|b| b.name.as_str())
            .collect();
        assert_eq!(parallel, ["matmul_mt/512"]);
    }
}
