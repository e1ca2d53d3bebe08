//! The machine fingerprint: what must match for measurements of two runs to be comparable.
//! The model name alone is not enough: hypervisors mask it ("AMD EPYC"), while family,
//! model, ISA features and cache sizes change which code runs and how fast.

use serde::{Deserialize, Serialize};

use crate::results::{CpuId, Env};

/// CPU identity, logical cores, OS/architecture and compiler of the measured machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// CPU model name.
    pub cpu_model: String,
    /// Logical cores the OS reports.
    pub logical_cores: usize,
    /// Operating system and architecture, e.g. "linux x86_64".
    pub os: String,
    /// Vendor, family/model/stepping, ISA features and cache sizes (absent in old files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<CpuId>,
    /// `rustc --version` that built perfgate (empty in old files).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rustc: String,
}

impl Fingerprint {
    /// The fingerprint of the machine a run was measured on.
    pub fn of(env: &Env) -> Self {
        Fingerprint {
            cpu_model: env.cpu_model.trim().to_string(),
            logical_cores: env.logical_cores,
            os: env.os.trim().to_string(),
            cpu: env.cpu.clone(),
            rustc: env.rustc.trim().to_string(),
        }
    }

    /// The fields in which `other` differs from `self`, as "field: ours vs theirs".
    pub fn differences(&self, other: &Fingerprint) -> Vec<String> {
        let mut out = Vec::new();
        let mut diff = |field: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{field}: {a} vs {b}"));
            }
        };
        diff("CPU", self.cpu_model.clone(), other.cpu_model.clone());
        diff(
            "cores",
            self.logical_cores.to_string(),
            other.logical_cores.to_string(),
        );
        diff("OS", self.os.clone(), other.os.clone());
        diff("rustc", self.rustc.clone(), other.rustc.clone());
        let none = CpuId::default();
        let (a, b) = (
            self.cpu.as_ref().unwrap_or(&none),
            other.cpu.as_ref().unwrap_or(&none),
        );
        let kib = |v: Option<u64>| v.map_or("?".to_string(), |k| format!("{k} KiB"));
        diff("vendor", a.vendor.clone(), b.vendor.clone());
        diff(
            "family/model/stepping",
            format!("{}/{}/{}", a.family, a.model, a.stepping),
            format!("{}/{}/{}", b.family, b.model, b.stepping),
        );
        diff("ISA features", a.features.join(" "), b.features.join(" "));
        diff("L1d", kib(a.l1d_kib), kib(b.l1d_kib));
        diff("L2", kib(a.l2_kib), kib(b.l2_kib));
        diff("L3", kib(a.l3_kib), kib(b.l3_kib));
        out
    }

    /// True when heap figures can be compared byte for byte: same OS/arch, ISA features and
    /// cache sizes. Third-party kernels size scratch buffers from these (gemm's packing
    /// buffers follow its cache-blocking parameters, read from the cache sizes), so the same
    /// code allocates different byte counts on different CPUs.
    pub fn heap_bytes_comparable(&self, other: &Fingerprint) -> bool {
        let shape = |c: &CpuId| (c.features.clone(), c.l1d_kib, c.l2_kib, c.l3_kib);
        self.os == other.os
            && match (&self.cpu, &other.cpu) {
                (Some(a), Some(b)) => shape(a) == shape(b),
                _ => false,
            }
    }

    /// Baseline name for this machine class: the coarse class and, where the CPU identity
    /// was read, its family and model, e.g. `linux-x86_64-2cpu-amd-epyc-f25m1`. Hypervisors
    /// mask model names, so "AMD EPYC" alone is a Zen 1 (family 23) as well as a Zen 3 or 4
    /// (family 25, models 1 and 17), and their timings differ by up to 2.7x.
    pub fn slug(&self) -> String {
        let coarse = self.coarse_slug();
        match &self.cpu {
            Some(id) if !id.family.trim().is_empty() => {
                format!("{coarse}-f{}m{}", slugify(&id.family), slugify(&id.model))
            }
            _ => coarse,
        }
    }

    /// The coarse class: OS/arch, cores and CPU name, e.g. `linux-x86_64-2cpu-amd-epyc-7b13`
    /// (the baseline name before family and model were part of it).
    pub fn coarse_slug(&self) -> String {
        let cpu = self
            .cpu_model
            .to_lowercase()
            .replace("(r)", " ")
            .replace("(tm)", " ");
        let cpu = cpu.split_once('@').map_or(cpu.as_str(), |(m, _)| m);
        let cpu = cpu
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty() && !matches!(*w, "cpu" | "processor" | "with"))
            .collect::<Vec<_>>()
            .join("-");
        let os = slugify(&self.os);
        let os = if os.is_empty() { "unknown".into() } else { os };
        let cpu = if cpu.is_empty() {
            "unknown".into()
        } else {
            cpu
        };
        format!("{os}-{}cpu-{cpu}", self.logical_cores)
    }

    /// One line for people: "AMD EPYC (family 25 model 1, L2 512 KiB), 2 cores, linux x86_64".
    pub fn describe(&self) -> String {
        let name = if self.cpu_model.is_empty() {
            "unknown CPU"
        } else {
            &self.cpu_model
        };
        let cpu = match &self.cpu {
            Some(id) => {
                let l2 = id.l2_kib.map_or(String::new(), |k| format!(", L2 {k} KiB"));
                format!("{name} (family {} model {}{l2})", id.family, id.model)
            }
            None => name.to_string(),
        };
        let os = if self.os.is_empty() {
            "unknown OS"
        } else {
            &self.os
        };
        format!("{cpu}, {} cores, {os}", self.logical_cores)
    }
}

fn slugify(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(cpu: &str, cores: usize, os: &str) -> Fingerprint {
        Fingerprint {
            cpu_model: cpu.into(),
            logical_cores: cores,
            os: os.into(),
            cpu: None,
            rustc: String::new(),
        }
    }

    fn epyc(model: &str, l2_kib: u64) -> Fingerprint {
        Fingerprint {
            cpu: Some(CpuId {
                vendor: "AuthenticAMD".into(),
                family: "25".into(),
                model: model.into(),
                stepping: "1".into(),
                features: vec!["avx2".into(), "fma".into()],
                l1d_kib: Some(32),
                l2_kib: Some(l2_kib),
                l3_kib: Some(32768),
            }),
            ..fp("AMD EPYC", 2, "linux x86_64")
        }
    }

    #[test]
    fn masked_model_names_are_told_apart_by_family_model_and_caches() {
        let (zen3, zen4) = (epyc("1", 512), epyc("17", 2048));
        assert_ne!(zen3, zen4);
        assert_eq!(zen3.coarse_slug(), zen4.coarse_slug(), "same coarse class");
        assert_ne!(zen3.slug(), zen4.slug(), "a baseline file each");
        assert_eq!(
            zen3.differences(&zen4),
            [
                "family/model/stepping: 25/1/1 vs 25/17/1",
                "L2: 512 KiB vs 2048 KiB"
            ]
        );
        assert!(zen3.differences(&zen3).is_empty());
    }

    #[test]
    fn heap_bytes_compare_only_with_the_same_features_and_caches() {
        assert!(epyc("1", 512).heap_bytes_comparable(&epyc("17", 512)));
        assert!(!epyc("1", 512).heap_bytes_comparable(&epyc("1", 2048)));
        let old = fp("AMD EPYC", 2, "linux x86_64");
        assert!(!old.heap_bytes_comparable(&epyc("1", 512)));
    }

    #[test]
    fn slug_names_os_cores_and_cpu() {
        assert_eq!(
            fp("AMD EPYC 7B13", 2, "linux x86_64").slug(),
            "linux-x86_64-2cpu-amd-epyc-7b13"
        );
        assert_eq!(
            fp("Intel(R) Xeon(R) CPU @ 2.20GHz", 4, "linux x86_64").slug(),
            "linux-x86_64-4cpu-intel-xeon"
        );
        assert_eq!(fp("", 0, "").slug(), "unknown-0cpu-unknown");
    }

    #[test]
    fn slug_adds_family_and_model_when_the_cpu_was_identified() {
        let zen3 = epyc("1", 512);
        assert_eq!(zen3.coarse_slug(), "linux-x86_64-2cpu-amd-epyc");
        assert_eq!(zen3.slug(), "linux-x86_64-2cpu-amd-epyc-f25m1");
        let mut zen1 = epyc("1", 512);
        zen1.cpu.as_mut().unwrap().family = "23".into();
        assert_eq!(zen1.slug(), "linux-x86_64-2cpu-amd-epyc-f23m1");
    }

    #[test]
    fn slug_of_different_machines_differs() {
        let ci = fp("AMD EPYC 7763 64-Core Processor", 4, "linux x86_64");
        let laptop = fp("Apple M2", 8, "macos aarch64");
        assert_ne!(ci.slug(), laptop.slug());
    }
}
