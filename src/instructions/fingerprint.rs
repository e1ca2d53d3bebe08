//! The instruction fingerprint: what must match for instruction counts of two runs to be
//! comparable. Not the CPU model: counts do not depend on the machine's speed, only on the
//! code paths taken, and those depend on the instruction set valgrind exposes, the cache
//! sizes gemm sizes its blocking from, valgrind, the compiler and the C library.

use std::process::Command;

use serde::{Deserialize, Serialize};

/// Everything that changes instruction counts besides the code under test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrFingerprint {
    /// Operating system and architecture, e.g. "linux x86_64".
    pub os_arch: String,
    /// CPU features detected inside valgrind (`is_x86_feature_detected!`), which pick the
    /// SIMD paths of the kernels and of gemm.
    pub cpu_features: Vec<String>,
    /// L1d, L2 and L3 bytes per core as gemm derives them from
    /// /sys/devices/system/cpu/*/cache: they size gemm's blocking (empty when unreadable).
    pub cache_bytes: Vec<u64>,
    /// `valgrind --version`, e.g. "valgrind-3.19.0".
    pub valgrind: String,
    /// `rustc --version` of the toolchain that built perfgate.
    pub rustc: String,
    /// The C library (allocator) version, first line of `ldd --version`.
    pub libc: String,
}

impl InstrFingerprint {
    /// The fields that differ between `self` (the baseline) and `other` (the candidate),
    /// each as "field: baseline → candidate".
    pub fn differences(&self, other: &InstrFingerprint) -> Vec<String> {
        let mut out = Vec::new();
        let mut cmp = |field: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{field}: {a} → {b}"));
            }
        };
        cmp("os_arch", self.os_arch.clone(), other.os_arch.clone());
        cmp(
            "cpu_features",
            self.cpu_features.join(" "),
            other.cpu_features.join(" "),
        );
        cmp(
            "cache_bytes",
            format!("{:?}", self.cache_bytes),
            format!("{:?}", other.cache_bytes),
        );
        cmp("valgrind", self.valgrind.clone(), other.valgrind.clone());
        cmp("rustc", self.rustc.clone(), other.rustc.clone());
        cmp("libc", self.libc.clone(), other.libc.clone());
        out
    }

    /// Default baseline name, e.g. `instructions-linux-x86_64`. The other fields are checked
    /// on comparison (a mismatch names them) rather than spelled into the name.
    pub fn slug(&self) -> String {
        let os = self
            .os_arch
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        format!(
            "instructions-{}",
            if os.is_empty() { "unknown" } else { &os }
        )
    }

    /// The fingerprint of this machine, with the CPU features the valgrind child reported.
    pub fn collect(valgrind: String, cpu_features: Vec<String>) -> InstrFingerprint {
        InstrFingerprint {
            os_arch: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            cpu_features,
            cache_bytes: gemm_cache_bytes(std::path::Path::new("/sys/devices/system/cpu/cpu0")),
            valgrind,
            rustc: env!("PERFGATE_RUSTC_VERSION").to_string(),
            libc: libc_version(),
        }
    }
}

/// L1d, L2, L3 sizes per core the way gemm-common 0.19 (`cache::cache_info`) reads them:
/// Data and Unified caches of `cpu_dir`/cache/index*, size divided by the number of CPUs
/// sharing it, except L3 which counts whole.
pub fn gemm_cache_bytes(cpu_dir: &std::path::Path) -> Vec<u64> {
    let mut levels = [0u64; 3];
    let Ok(entries) = std::fs::read_dir(cpu_dir.join("cache")) else {
        return Vec::new();
    };
    let read = |p: std::path::PathBuf| {
        std::fs::read_to_string(p)
            .ok()
            .map(|s| s.trim().to_string())
    };
    for entry in entries.flatten() {
        let dir = entry.path();
        let is_index = dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("index"));
        if !is_index || !matches!(read(dir.join("type")).as_deref(), Some("Data" | "Unified")) {
            continue;
        }
        let level: usize = read(dir.join("level"))
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        let Some(size) = read(dir.join("size")).and_then(|s| parse_size(&s)) else {
            continue;
        };
        let shared = match level {
            3 => 1,
            _ => read(dir.join("shared_cpu_list")).map_or(1, |l| count_cpus(&l)),
        };
        if (1..=3).contains(&level) {
            levels[level - 1] = size / shared.max(1);
        }
    }
    levels.to_vec()
}

/// "32K" → 32768, "1M", "2G", or plain bytes.
fn parse_size(text: &str) -> Option<u64> {
    let (num, mult) = match text.chars().last()? {
        'K' => (&text[..text.len() - 1], 1 << 10),
        'M' => (&text[..text.len() - 1], 1 << 20),
        'G' => (&text[..text.len() - 1], 1 << 30),
        _ => (text, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mult)
}

/// Number of CPUs in a list like "0-3,8".
fn count_cpus(list: &str) -> u64 {
    list.split(',')
        .map(|item| match item.split_once('-') {
            Some((a, b)) => match (a.trim().parse::<u64>(), b.trim().parse::<u64>()) {
                (Ok(a), Ok(b)) if b >= a => b - a + 1,
                _ => 1,
            },
            None => 1,
        })
        .sum()
}

/// First line of `ldd --version` ("unknown" when it cannot be run).
fn libc_version() -> String {
    Command::new("ldd")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(|l| l.trim().to_string())
        })
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp() -> InstrFingerprint {
        InstrFingerprint {
            os_arch: "linux x86_64".into(),
            cpu_features: vec!["avx2".into(), "fma".into()],
            cache_bytes: vec![32768, 524288, 33554432],
            valgrind: "valgrind-3.19.0".into(),
            rustc: "rustc 1.88.0".into(),
            libc: "ldd (Debian GLIBC 2.36-9) 2.36".into(),
        }
    }

    #[test]
    fn identical_fingerprints_have_no_differences() {
        assert!(fp().differences(&fp()).is_empty());
        assert_eq!(fp().slug(), "instructions-linux-x86_64");
    }

    #[test]
    fn a_mismatch_names_each_differing_field() {
        let mut other = fp();
        other.cpu_features.push("avx512f".into());
        other.valgrind = "valgrind-3.22.0".into();
        assert_eq!(
            fp().differences(&other),
            [
                "cpu_features: avx2 fma → avx2 fma avx512f",
                "valgrind: valgrind-3.19.0 → valgrind-3.22.0"
            ]
        );
    }

    #[test]
    fn cache_sizes_are_read_like_gemm_does() {
        let dir = tempfile::tempdir().unwrap();
        let write = |idx: &str, level: &str, kind: &str, size: &str, shared: &str| {
            let d = dir.path().join("cache").join(idx);
            std::fs::create_dir_all(&d).unwrap();
            for (f, v) in [("level", level), ("type", kind), ("size", size)] {
                std::fs::write(d.join(f), format!("{v}\n")).unwrap();
            }
            std::fs::write(d.join("shared_cpu_list"), shared).unwrap();
        };
        write("index0", "1", "Data", "32K", "0");
        write("index1", "1", "Instruction", "64K", "0");
        write("index2", "2", "Unified", "1M", "0-1");
        write("index3", "3", "Unified", "32768K", "0-7");
        assert_eq!(gemm_cache_bytes(dir.path()), [32768, 524288, 33554432]);
        assert!(gemm_cache_bytes(&dir.path().join("absent")).is_empty());
    }
}
