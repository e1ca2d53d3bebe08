//! The results file: what one `perfgate run` measured. The serde structs are the schema.

mod busy;
mod io;
mod merge;
mod processes;
mod schema;

pub use busy::{BUSY_OTHER_CORES, BUSY_STEAL_SHARE, busy_reason};
pub use io::{load_results, parse_results, schema_of, write_atomic, write_json_atomic};
pub use merge::{MergeError, merge_shards};
pub use processes::{JoinError, join_processes};
pub use schema::{
    BenchmarkResult, CpuId, Env, MachineLoad, ModelInfo, ModelMetrics, ProcessMetrics,
    RESULTS_SCHEMA, ResultsFile, RunSettings, ShardInfo, Throughput,
};

mod ab;
pub use ab::{
    AB_RESULTS_SCHEMA, AB_RESULTS_SCHEMA_V2, AbBenchmark, AbResultsFile, AbRound, AbSamples,
    AbSettings, AbSide, Clock, Pairing, Presence, base_first_in_pair, paired_series,
};

mod ab_io;
pub use ab_io::{is_ab_results, load_ab_results, parse_ab_results};
