//! Shared test scaffolding, one module per kind: `action` (the GitHub Action's steps run
//! locally), `github` (verdicts for the comment and annotation tests), `shard` (synthetic
//! results files of the built-in suite), `worker` (stand-in `perfgate ab` workers).
#![allow(dead_code)] // each test crate uses a different part

pub mod action;
pub mod github;
pub mod shard;
pub mod worker;
