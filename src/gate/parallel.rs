//! Spreading independent per-benchmark work (the bootstrap intervals) over the cores.

/// Maps `f` over `items` (with each item's index) on all available cores, in contiguous
/// chunks on scoped threads; the output is in input order and equal to a sequential map,
/// so the verdict does not depend on the number of cores. No global thread pool is used
/// (the runner builds rayon's with pinned workers).
pub(super) fn map_in_parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 || items.len() < 2 {
        return items.iter().enumerate().map(|(i, x)| f(i, x)).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(k, part)| {
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(j, x)| f(k * chunk + j, x))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_map_keeps_input_order_and_indices() {
        let items: Vec<u64> = (0..1001).collect();
        let out = map_in_parallel(&items, |i, x| (i as u64) * 1000 + x * 2);
        let want: Vec<u64> = (0..1001).map(|i| i * 1000 + i * 2).collect();
        assert_eq!(out, want);
        assert!(map_in_parallel(&[] as &[u8], |_, x| *x).is_empty());
    }
}
