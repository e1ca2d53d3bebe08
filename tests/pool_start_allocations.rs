//! `build_pool` returns only after every rayon pool thread has made its start-up
//! allocations, so none of them lands in a sample of the process-wide allocation counters.
//! Without that, a pool thread allocated its crossbeam-epoch handle (2,304 B) after
//! `build_global` returned in 72 of 300 quiet runs, and this check failed 3 of 3 times
//! (5–17 of 30 children). The global pool is built once per
//! process, so each check runs in a fresh child process (this binary, re-executed; no test
//! harness, so no other thread allocates).

use std::process::Command;
use std::time::Duration;

use perfgate::runner::alloc::AllocCounters;
use perfgate::runner::{allowed_cores, build_pool};

const CHILD_ENV: &str = "PERFGATE_POOL_START_CHILD";
const CHILDREN: usize = 30;

fn main() {
    if std::env::var_os(CHILD_ENV).is_some() {
        child();
        return;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut failed = Vec::new();
    for i in 0..CHILDREN {
        let out = Command::new(&exe)
            .env(CHILD_ENV, "1")
            .output()
            .expect("re-running the test binary");
        if !out.status.success() {
            failed.push(format!(
                "child {i}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "pool threads allocated after build_pool returned in {} of {CHILDREN} processes:\n{}",
        failed.len(),
        failed.join("\n")
    );
    println!("pool_start_allocations: {CHILDREN} processes, no allocation after build_pool");
}

/// Builds the pool, then watches the counters for 200 ms; exits 1 if they moved.
fn child() {
    let cores = build_pool(&allowed_cores(), false);
    let before = AllocCounters::now();
    std::thread::sleep(Duration::from_millis(200));
    let moved = AllocCounters::now().since(before);
    if moved.count != 0 {
        eprintln!(
            "{} allocation(s), {} bytes in the 200 ms after build_pool ({} pool threads)",
            moved.count,
            moved.bytes,
            cores.len()
        );
        std::process::exit(1);
    }
}
