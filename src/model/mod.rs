//! GPT-2 style decoder-only transformers (the Small and Medium models of the suite), built
//! on the kernels module: seeded weights, a full forward pass, cached greedy generation,
//! and the Small-vs-Medium comparison of a results file.

mod comparison;
mod config;
mod error;
mod forward;
mod generate;
mod init;
mod kv_cache;
mod ops;
mod weights;
mod workload;

pub use comparison::{MATMUL_BENCH, MEDIUM_BENCH, ModelComparison, ModelFigures, SMALL_BENCH};
pub use config::{LAYER_NORM_EPS, ModelConfig};
pub use error::ModelError;
pub use generate::Generator;
pub use weights::{LayerWeights, Model};
pub use workload::{NEW_TOKENS, PROMPT, flops_per_generated_token, prefill_flops};
