//! Pinning the calling thread to one core (Linux), as `perfgate worker --pin N` asks.

/// Pins the calling thread to `core`; false when the system refuses (or off Linux).
pub fn pin_current_thread(core: usize) -> bool {
    #[cfg(target_os = "linux")]
    {
        if core >= libc::CPU_SETSIZE as usize {
            return false;
        }
        // SAFETY: `set` is a plain bit set, zeroed and then filled with CPU_SET; the call
        // reads it for the calling thread (pid 0) only.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(core, &mut set);
            libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = core;
        false
    }
}
