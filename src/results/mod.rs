//! The results file: what one `perfgate run` measured. The serde structs are the schema.

mod io;
mod merge;
mod schema;

pub use io::{load_results, write_atomic, write_json_atomic};
pub use merge::{MergeError, merge_shards};
pub use schema::{
    BenchmarkResult, Env, ModelInfo, ModelMetrics, RESULTS_SCHEMA, ResultsFile, RunSettings,
    ShardInfo, Throughput,
};
