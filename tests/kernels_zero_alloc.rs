//! The kernels allocate nothing once warm (the first gemm call reads the CPU's cache sizes
//! from /sys, once per process): every elementwise kernel, and matrix products of 1 to 16
//! rows (which bypass gemm's per-call allocation). The counting allocator is process-wide,
//! so this file holds a single test and no other test thread allocates.

use perfgate::kernels::{self, Threads};
use perfgate::runner::alloc::AllocCounters;

#[test]
fn kernels_and_small_matmuls_allocate_nothing() {
    let len = 4_096;
    let x: Vec<f32> = (0..len).map(|i| (i as f32 * 0.37).sin()).collect();
    let y: Vec<f32> = (0..len).map(|i| (i as f32 * 0.11).cos()).collect();
    let mut out = vec![0.0f32; len];
    let mut acc = x.clone();
    let shapes = [(1, 256, 1024), (2, 64, 48), (8, 256, 1024), (16, 33, 17)];
    let biggest = 16 * 1024;
    let a = vec![0.5f32; biggest];
    let b = vec![0.25f32; 256 * 1024];
    let mut c = vec![0.0f32; biggest];

    let mut run_all = || {
        kernels::gelu(&x, &mut out);
        kernels::gelu_in_place(&mut acc);
        kernels::softmax(&x, &mut out);
        kernels::softmax_in_place(&mut acc);
        kernels::add(&x, &y, &mut out);
        kernels::mul(&x, &y, &mut out);
        kernels::add_in_place(&mut acc, &y);
        kernels::broadcast_add_rows(&x, &y[..64], &mut out);
        kernels::layer_norm(&x[..256], &y[..256], &x[256..512], &mut out[..256], 1e-5);
        for (m, k, n) in shapes {
            kernels::matmul(
                &a[..m * k],
                &b[..k * n],
                &mut c[..m * n],
                m,
                k,
                n,
                Threads::Single,
            );
            kernels::matmul_bt(
                &a[..m * k],
                &b[..k * n],
                &mut c[..m * n],
                m,
                k,
                n,
                Threads::Single,
            );
        }
    };
    run_all();
    let before = AllocCounters::now();
    run_all();
    let used = AllocCounters::now().since(before);

    assert_eq!(used, AllocCounters { bytes: 0, count: 0 });
    std::hint::black_box((out, acc, c));
}
