//! Human-readable numbers: durations, byte sizes, percentages.

/// A duration given in nanoseconds, with three significant digits: "812 ns", "3.47 ms".
pub fn duration(ns: f64) -> String {
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    format!("{} {unit}", three_digits(value))
}

/// A byte count with binary prefixes: "0 B", "512 B", "4.00 KiB", "29.4 MiB".
pub fn bytes(b: f64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if b < 1024.0 {
        return format!("{} B", three_digits(b));
    }
    let mut value = b / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{} {}", three_digits(value), UNITS[unit])
}

/// A fraction as a signed percentage with one decimal: 0.0312 → "+3.1%".
pub fn signed_percent(fraction: f64) -> String {
    format!("{:+.1}%", fraction * 100.0)
}

/// A number with about three significant digits (whole numbers stay whole).
pub fn three_digits(v: f64) -> String {
    if (v == v.trunc() && v.abs() < 1e6) || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_a_unit() {
        assert_eq!(duration(812.0), "812 ns");
        assert_eq!(duration(3_470_000.0), "3.47 ms");
        assert_eq!(duration(12_345.0), "12.3 µs");
        assert_eq!(duration(2.5e9), "2.50 s");
    }

    #[test]
    fn bytes_use_binary_prefixes() {
        assert_eq!(bytes(0.0), "0 B");
        assert_eq!(bytes(4096.0), "4 KiB");
        assert_eq!(bytes(30_806_016.0), "29.4 MiB");
    }

    #[test]
    fn percent_is_signed() {
        assert_eq!(signed_percent(0.0312), "+3.1%");
        assert_eq!(signed_percent(-0.5), "-50.0%");
    }
}
