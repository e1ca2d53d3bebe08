//! A counting global allocator: bytes and number of allocations, live bytes and their peak.
//! Counters are process-wide (a benchmark's own threads count); the runner reads them between
//! samples, never inside one. Threads that serve the benchmarks (the harness's protocol
//! thread, a benchmark thread between its own requests) leave themselves out with
//! [`count_this_thread`]: one can still be finishing a channel send or parking for the
//! first time (std allocates its wait context then) while another benchmark's timed
//! stretch runs, and those allocations are not that benchmark's.
//! Installed as the global allocator with the `count-allocations` feature (the default);
//! without it the counters stay at zero.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Wraps the system allocator and counts what goes through it.
pub struct CountingAllocator;

#[cfg(feature = "count-allocations")]
#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

static BYTES: AtomicU64 = AtomicU64::new(0);
static COUNT: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Set on threads whose allocations are not counted (const, no destructor: safe to read
    /// from inside the allocator).
    static UNCOUNTED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the calling thread's allocations are counted from now on (a thread is counted
/// until it says otherwise; live bytes are always tracked, so frees stay balanced).
pub fn count_this_thread(counted: bool) {
    UNCOUNTED.with(|u| u.set(!counted));
}

fn record_alloc(size: usize) {
    let live = LIVE.fetch_add(size as u64, Relaxed) + size as u64;
    PEAK.fetch_max(live, Relaxed);
    if UNCOUNTED.try_with(Cell::get).unwrap_or(false) {
        return;
    }
    BYTES.fetch_add(size as u64, Relaxed);
    COUNT.fetch_add(1, Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; the counters only observe.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            record_alloc(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            record_alloc(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size() as u64, Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size() as u64, Relaxed);
            record_alloc(new_size);
        }
        p
    }
}

/// Cumulative allocation counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocCounters {
    /// Bytes requested by all allocations so far (a realloc counts its new size).
    pub bytes: u64,
    /// Number of allocations so far (a realloc counts as one).
    pub count: u64,
}

impl AllocCounters {
    /// Reads the counters now.
    pub fn now() -> Self {
        AllocCounters {
            bytes: BYTES.load(Relaxed),
            count: COUNT.load(Relaxed),
        }
    }

    /// What was allocated between `earlier` and `self`.
    pub fn since(self, earlier: AllocCounters) -> AllocCounters {
        AllocCounters {
            bytes: self.bytes - earlier.bytes,
            count: self.count - earlier.count,
        }
    }
}

/// Starts a new peak window: the peak is reset to the current live bytes, which are returned.
pub fn start_peak_window() -> u64 {
    let live = LIVE.load(Relaxed);
    PEAK.store(live, Relaxed);
    live
}

/// Highest live bytes since the last [`start_peak_window`].
pub fn peak_live_bytes() -> u64 {
    PEAK.load(Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "count-allocations")]
    fn counts_a_known_allocation() {
        // Other test threads may allocate concurrently, so check lower bounds only.
        let before = AllocCounters::now();
        start_peak_window();
        let v: Vec<u8> = Vec::with_capacity(1 << 20);
        let after = AllocCounters::now().since(before);
        assert!(after.bytes >= 1 << 20 && after.count >= 1);
        // Another test thread may start its own peak window meanwhile (resetting the peak
        // to the live bytes of that moment) or free memory, so `live_before + 1 MiB` is not
        // guaranteed; while `v` is alive every reset still counts it.
        assert!(peak_live_bytes() >= 1 << 20);
        drop(std::hint::black_box(v));
    }

    #[test]
    #[cfg(feature = "count-allocations")]
    fn an_uncounted_thread_adds_nothing() {
        // 100,000 allocations on each thread; other test threads can only add to the counts.
        let count_on = |uncounted: bool| {
            std::thread::spawn(move || {
                count_this_thread(!uncounted);
                let before = AllocCounters::now();
                for i in 0..100_000u64 {
                    drop(std::hint::black_box(Box::new(i)));
                }
                AllocCounters::now().since(before).count
            })
            .join()
            .unwrap()
        };
        assert!(count_on(false) >= 100_000);
        assert!(count_on(true) < 100_000);
    }
}
