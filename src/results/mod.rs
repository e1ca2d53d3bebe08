//! The results file: what one `perfgate run` measured. The serde structs are the schema.

mod io;
mod schema;

pub use io::{load_results, parse_results, write_atomic, write_json_atomic};
pub use schema::{
    BenchmarkResult, Env, ModelInfo, ModelMetrics, ProcessMetrics, RESULTS_SCHEMA, ResultsFile,
    RunSettings, Throughput,
};
