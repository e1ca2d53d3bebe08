//! Run-time choice between an AVX2 and a baseline copy of a kernel.
//!
//! The build targets generic x86-64 (SSE2), so auto-vectorized loops would use 4-lane
//! vectors only. `multiversion!` compiles the same body a second time with AVX2 enabled and
//! calls that copy when the CPU has it (`is_x86_feature_detected!` caches its answer, so the
//! check costs a load and a branch). Helpers called from the body must be
//! `#[inline(always)]` so they are compiled into each copy with its features.

/// Defines `fn $name` whose body is compiled for baseline x86-64 and for AVX2, dispatching
/// at run time.
macro_rules! multiversion {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$meta])*
        $vis fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2")]
                fn avx2($($arg: $ty),*) $body
                if std::is_x86_feature_detected!("avx2") {
                    // SAFETY: the CPU supports AVX2, checked just above.
                    return unsafe { avx2($($arg),*) };
                }
            }
            #[inline(always)]
            fn baseline($($arg: $ty),*) $body
            baseline($($arg),*)
        }
    };
}
