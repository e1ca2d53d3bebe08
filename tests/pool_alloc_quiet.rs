//! Allocation counters are process-wide, so a thread of the rayon pool that is still
//! starting (allocating its job deque) when a sample runs is counted in that sample: a
//! fresh `perfgate worker` once reported 0.49 bytes per iteration for gelu/1000 in an A/A
//! run. `build_pool` returns only once every pool thread runs and the counters have stood
//! still. Its own test binary: no other test may allocate while the counters are watched.

use std::time::Duration;

use perfgate::runner::alloc::AllocCounters;
use perfgate::runner::build_pool;

#[test]
fn nothing_allocates_after_build_pool_returns() {
    build_pool(&[0, 1], false);
    let after_build = AllocCounters::now();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(AllocCounters::now(), after_build);
}
