//! perfgate: a CI performance-regression gate.
//!
//! Data flows one way: `suite` → `runner` → `results` → `gate` → `verdict` → `output`
//! (terminal, markdown, JSON, GitHub) and `report` (Markdown/HTML reports).

pub mod baseline;
pub mod cli;
pub mod commands;
pub mod confirm;
pub mod error;
pub mod gate;
pub mod github;
pub mod history;
pub mod import;
pub mod init;
pub mod instructions;
pub mod kernels;
pub mod model;
pub mod output;
pub mod report;
pub mod results;
pub mod runner;
pub mod stats;
pub mod suite;
pub mod userbench;
pub mod verdict;
pub mod worker;
