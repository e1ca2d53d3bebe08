//! The machine fingerprint: what must match for timings of two runs to be comparable.

use serde::{Deserialize, Serialize};

use crate::results::Env;

/// CPU model, logical cores and OS/architecture of the measured machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// CPU model name.
    pub cpu_model: String,
    /// Logical cores the OS reports.
    pub logical_cores: usize,
    /// Operating system and architecture, e.g. "linux x86_64".
    pub os: String,
}

impl Fingerprint {
    /// The fingerprint of the machine a run was measured on.
    pub fn of(env: &Env) -> Self {
        Fingerprint {
            cpu_model: env.cpu_model.trim().to_string(),
            logical_cores: env.logical_cores,
            os: env.os.trim().to_string(),
        }
    }

    /// Baseline name for this machine class, e.g. `linux-x86_64-2cpu-amd-epyc-7b13`.
    pub fn slug(&self) -> String {
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

    /// One line for people: "AMD EPYC 7B13, 2 cores, linux x86_64".
    pub fn describe(&self) -> String {
        let cpu = if self.cpu_model.is_empty() {
            "unknown CPU"
        } else {
            &self.cpu_model
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
        }
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
    fn slug_of_different_machines_differs() {
        let ci = fp("AMD EPYC 7763 64-Core Processor", 4, "linux x86_64");
        let laptop = fp("Apple M2", 8, "macos aarch64");
        assert_ne!(ci.slug(), laptop.slug());
    }
}
