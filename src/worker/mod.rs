//! The base/head worker protocol: versioned message types, the serving side
//! (`perfgate worker`), the client that spawns a binary and talks to it, and the A/B driver.

mod client;
mod paired_run;
mod protocol;
mod serve;
mod timeout;
mod visit;

pub use client::{Sampled, WorkerClient, WorkerError};
pub use paired_run::{AbBinaries, AbConfig, MAX_RESTARTS, run_ab};
pub use protocol::{PROTOCOL_VERSION, Reply, Request};
pub use serve::{FAULT_ENV, Faults, serve};
pub use timeout::{ReplyTimeout, TIMEOUT_FACTOR, TIMEOUT_SLACK};
