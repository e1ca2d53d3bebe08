//! What CPU this is, beyond its (often masked) model name: vendor, family/model/stepping,
//! the instruction-set features that select code paths, and the cache sizes that third-party
//! kernels (gemm) size their blocking and scratch buffers from.

use crate::results::CpuId;

/// ISA features that change which code path a kernel takes (ours or gemm's).
const PATH_FEATURES: [&str; 10] = [
    "sse4_2", "avx", "avx2", "fma", "f16c", "bmi2", "avx512f", "avx512bw", "avx512vl", "amx_tile",
];

/// Reads the CPU identity from /proc/cpuinfo and /sys (Linux); `None` elsewhere.
pub fn identify() -> Option<CpuId> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let mut id = parse_cpuinfo(&info);
    let caches = (0..8).filter_map(|i| {
        let dir = format!("/sys/devices/system/cpu/cpu0/cache/index{i}");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).ok();
        Some((read("level")?, read("type")?, read("size")?))
    });
    for (level, kind, size) in caches {
        let kib = parse_size_kib(&size);
        match (level.trim(), kind.trim()) {
            ("1", "Data") => id.l1d_kib = kib,
            ("2", _) => id.l2_kib = kib,
            ("3", _) => id.l3_kib = kib,
            _ => {}
        }
    }
    Some(id)
}

/// The first processor's identity fields of a /proc/cpuinfo text (caches left empty).
pub fn parse_cpuinfo(text: &str) -> CpuId {
    let first = text.split("\n\n").next().unwrap_or_default();
    let field = |key: &str| {
        first.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == key).then(|| v.trim().to_string())
        })
    };
    let flags = field("flags").unwrap_or_default();
    let present: Vec<&str> = flags.split_whitespace().collect();
    CpuId {
        vendor: field("vendor_id").unwrap_or_default(),
        family: field("cpu family").unwrap_or_default(),
        model: field("model").unwrap_or_default(),
        stepping: field("stepping").unwrap_or_default(),
        features: PATH_FEATURES
            .iter()
            .filter(|f| present.contains(f))
            .map(|f| f.to_string())
            .collect(),
        l1d_kib: None,
        l2_kib: None,
        l3_kib: None,
    }
}

/// "32K" → 32, "2048K" → 2048, "1M" → 1024 (sysfs cache sizes).
fn parse_size_kib(text: &str) -> Option<u64> {
    let t = text.trim();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = digits.parse().ok()?;
    match unit {
        "K" | "" => Some(n),
        "M" => Some(n * 1024),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPYC: &str = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\n\
        model\t\t: 17\nmodel name\t: AMD EPYC\nstepping\t: 1\n\
        flags\t\t: fpu sse4_2 avx f16c fma avx2 bmi2 avx512f avx512bw avx512vl\n\n\
        processor\t: 1\nvendor_id\t: Other\n";

    #[test]
    fn reads_vendor_family_model_stepping_and_path_features_of_the_first_cpu() {
        let id = parse_cpuinfo(EPYC);
        assert_eq!(id.vendor, "AuthenticAMD");
        assert_eq!((id.family.as_str(), id.model.as_str()), ("25", "17"));
        assert_eq!(id.stepping, "1");
        assert_eq!(
            id.features,
            [
                "sse4_2", "avx", "avx2", "fma", "f16c", "bmi2", "avx512f", "avx512bw", "avx512vl"
            ]
        );
    }

    #[test]
    fn cache_sizes_in_kib() {
        assert_eq!(parse_size_kib("32K\n"), Some(32));
        assert_eq!(parse_size_kib("2M"), Some(2048));
        assert_eq!(parse_size_kib("huge"), None);
    }
}
