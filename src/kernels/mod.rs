//! Numeric kernels (f32, row-major, no allocation of their own) shared by the kernel
//! benchmarks and the model benchmarks.
//!
//! Elementwise loops are written so LLVM auto-vectorizes them, and each one is compiled
//! twice (see [`dispatch`]): once for the generic x86-64 baseline (SSE2) and once with AVX2,
//! picked at run time. Both copies compute bit-identical results (no FMA contraction), so a
//! measurement never depends on which copy ran, only its speed does. Matrix products go to
//! the `gemm` crate, which does its own SIMD dispatch.

#[macro_use]
mod dispatch;
mod elementwise;
mod exp;
mod gelu;
mod layer_norm;
mod matmul;
mod reduce;
mod small_m;
mod softmax;

#[cfg(test)]
mod reference;

pub use elementwise::{add, add_in_place, broadcast_add_rows, mul};
pub use gelu::{gelu, gelu_in_place};
pub use layer_norm::layer_norm;
pub use matmul::{Threads, matmul, matmul_bt};
pub use softmax::{softmax, softmax_in_place};
