//! The settings that apply to one benchmark after thresholds.toml is resolved, and the
//! policies a comparison follows.

use serde::Deserialize;

/// What an inconclusive benchmark does to the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InconclusivePolicy {
    /// Reported, the gate still passes.
    Warn,
    /// The gate fails.
    Fail,
}

/// What a benchmark in the baseline but not in the candidate does to the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// Reported, the gate still passes.
    Warn,
    /// The gate fails.
    Fail,
}

/// What a benchmark in the candidate but not in the baseline does to the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NewPolicy {
    /// Listed as new, nothing else.
    Pass,
    /// Listed as new and named in a note.
    Warn,
}

/// What timing checks do when the baseline was measured on a different machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MachinePolicy {
    /// Timing checks are not made; allocation checks still are.
    Skip,
    /// Timing checks are made and shown, but a regression only counts as inconclusive.
    Warn,
    /// Timing checks gate as on the same machine.
    Gate,
}

/// Whether timing checks can fail the gate at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimingPolicy {
    /// Timing regressions fail the gate.
    Gate,
    /// Timing checks are shown; a regression only counts as inconclusive (for runners whose
    /// timings are not comparable with the baseline's, e.g. CI dogfooding).
    Warn,
}

/// Everything that applies to one benchmark: limits as fractions (0.05 for "5%"; `None`
/// is "off"), the assumed minimum run-to-run noise, and the per-benchmark policies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Limit on the change of the 10th percentile (the fast mode of the distribution).
    pub p10: Option<f64>,
    /// Limit on the change of the median.
    pub p50: Option<f64>,
    /// Limit on the change of the 95th percentile.
    pub p95: Option<f64>,
    /// Limit on the change of the 99th percentile.
    pub p99: Option<f64>,
    /// Limit on the change of heap bytes per iteration.
    pub alloc_bytes: Option<f64>,
    /// Limit on the change of heap allocations per iteration.
    pub allocs: Option<f64>,
    /// Smallest run-to-run noise assumed, as a fraction: no change smaller than this is
    /// ever called real.
    pub noise_floor: f64,
    /// What an inconclusive result does.
    pub inconclusive: InconclusivePolicy,
    /// What a benchmark missing from the candidate does.
    pub missing: MissingPolicy,
    /// What a new benchmark does.
    pub new: NewPolicy,
    /// Limit on the change of instructions per iteration (deterministic, like allocations).
    pub instructions: Option<f64>,
}

impl Limits {
    /// Built-in defaults; thresholds.toml at the repository root repeats them with comments.
    pub const DEFAULT: Limits = Limits {
        p10: Some(0.05),
        p50: None,
        p95: None,
        p99: None,
        alloc_bytes: Some(0.0),
        allocs: Some(0.0),
        noise_floor: 0.01,
        inconclusive: InconclusivePolicy::Warn,
        missing: MissingPolicy::Fail,
        new: NewPolicy::Pass,
        instructions: Some(0.01),
    };

    /// Short description, e.g. "p50 5%, p95 10%, p99 off, alloc_bytes 0%, allocs 0%".
    pub fn describe(&self) -> String {
        let limits = [
            ("p10", self.p10),
            ("p50", self.p50),
            ("p95", self.p95),
            ("p99", self.p99),
            ("alloc_bytes", self.alloc_bytes),
            ("allocs", self.allocs),
        ];
        let mut parts: Vec<String> = limits
            .iter()
            .map(|(k, v)| format!("{k} {}", describe_percent(*v)))
            .collect();
        parts.push(format!(
            "noise floor {}",
            describe_percent(Some(self.noise_floor))
        ));
        parts.join(", ")
    }
}

/// "5%" for `Some(0.05)`, "off" for `None`.
pub fn describe_percent(limit: Option<f64>) -> String {
    match limit {
        Some(v) => format!("{}%", (v * 1e6).round() / 1e4),
        None => "off".to_string(),
    }
}

/// Parses a percentage like "5%", "0.5%" or "0%" into a fraction; "off" gives `None` when
/// `allow_off`. Negative, non-finite or unit-less values are rejected with the reason.
pub fn parse_percent(text: &str, allow_off: bool) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("off") {
        return if allow_off {
            Ok(None)
        } else {
            Err(format!("{text:?}: this key cannot be \"off\""))
        };
    }
    let number = t
        .strip_suffix('%')
        .ok_or_else(|| format!("{text:?} is not a percentage (write it like \"5%\" or \"off\")"))?;
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a percentage (write it like \"5%\")"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!(
            "{text:?}: a percentage must be finite and at least 0%"
        ));
    }
    Ok(Some(value / 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_parse_to_fractions() {
        assert_eq!(parse_percent("5%", true), Ok(Some(0.05)));
        assert_eq!(parse_percent(" 0.5 % ", true), Ok(Some(0.005)));
        assert_eq!(parse_percent("0%", false), Ok(Some(0.0)));
        assert_eq!(parse_percent("OFF", true), Ok(None));
    }

    #[test]
    fn bad_percentages_are_rejected_with_the_reason() {
        for bad in ["5", "five%", "-1%", "inf%", "NaN%", ""] {
            assert!(parse_percent(bad, true).is_err(), "{bad}");
        }
        assert!(
            parse_percent("off", false)
                .unwrap_err()
                .contains("cannot be")
        );
    }

    #[test]
    fn defaults_describe_themselves() {
        assert_eq!(
            Limits::DEFAULT.describe(),
            "p10 5%, p50 off, p95 off, p99 off, alloc_bytes 0%, allocs 0%, noise floor 1%"
        );
    }
}
